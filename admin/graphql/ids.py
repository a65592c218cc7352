"""Opaque GraphQL ids in W&B's style: base64 of ``Type:pk``."""

import base64
import binascii

from graphql import GraphQLError


def encode(type_name: str, pk: str | int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode(type_name: str, value: str) -> str:
    """The primary key inside an id; plain numbers are accepted as well."""
    text = str(value)
    if text.isdigit():
        return text
    try:
        kind, _, pk = base64.b64decode(text, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise GraphQLError(f"malformed {type_name} id {value!r}") from None
    if kind != type_name or not pk:
        raise GraphQLError(f"{value!r} is not a {type_name} id")
    return pk
