"""Resolver modules, one per area; the registry imports every module here."""
