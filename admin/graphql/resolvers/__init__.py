"""Resolver modules; importing this package registers every resolver."""

from roost.admin.graphql.resolvers import runs, run_files, viewer  # noqa: F401
