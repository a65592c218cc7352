"""Binds Python resolvers to the SDL schema: ``@resolver("Type", "field")``."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Callable

from graphql import GraphQLSchema, build_schema

from roost.admin.graphql.scalars import SCALARS

# The SDL is split by area (base.graphql, one file per feature using `extend type`).
SDL_DIR = Path(__file__).with_name("schema")
RESOLVERS: dict[tuple[str, str], Callable] = {}


def resolver(type_name: str, *field_names: str):
    def register(function: Callable) -> Callable:
        for field_name in field_names:
            key = (type_name, field_name)
            if key in RESOLVERS:
                raise ValueError(f"two resolvers for {type_name}.{field_name}")
            RESOLVERS[key] = function
        return function
    return register


def import_resolvers() -> None:
    from roost.admin.graphql import resolvers

    for module in pkgutil.iter_modules(resolvers.__path__):
        importlib.import_module(f"{resolvers.__name__}.{module.name}")


def build() -> GraphQLSchema:
    # Importing the resolver modules registers them.
    import_resolvers()

    sdl = "\n".join(path.read_text() for path in sorted(SDL_DIR.glob("*.graphql")))
    schema = build_schema(sdl)
    for name, scalar in SCALARS.items():
        target = schema.type_map[name]
        target.serialize = scalar.serialize
        target.parse_value = scalar.parse_value
        target.parse_literal = scalar.parse_literal
    for (type_name, field_name), function in RESOLVERS.items():
        graphql_type = schema.type_map.get(type_name)
        if graphql_type is None or field_name not in graphql_type.fields:
            raise ValueError(f"resolver for {type_name}.{field_name}, which the SDL does not declare")
        graphql_type.fields[field_name].resolve = function
    return schema
