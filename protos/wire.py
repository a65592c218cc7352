"""Conversions between the core's records and the protobuf messages in protos/."""

from __future__ import annotations

from roost.core.auth import Credentials, Principal
from roost.protos import auth_pb2, common_pb2, storage_pb2


def principal_to_proto(principal: Principal) -> common_pb2.Principal:
    return common_pb2.Principal(
        user_id=principal.user_id, username=principal.username,
        default_entity=principal.default_entity, admin=principal.admin,
        teams=list(principal.teams), email=principal.email, kind=principal.kind,
        name=principal.name)


def principal_from_proto(message: common_pb2.Principal) -> Principal:
    return Principal(user_id=message.user_id, username=message.username,
                     default_entity=message.default_entity, admin=message.admin,
                     teams=tuple(message.teams), email=message.email,
                     kind=message.kind or "user", name=message.name)


def credentials_to_proto(credentials: Credentials) -> auth_pb2.Credentials:
    return auth_pb2.Credentials(
        scheme=credentials.scheme, username=credentials.username, secret=credentials.secret,
        remote_addr=credentials.remote_addr, headers=credentials.headers)


def credentials_from_proto(message: auth_pb2.Credentials) -> Credentials:
    return Credentials(scheme=message.scheme, username=message.username, secret=message.secret,
                       remote_addr=message.remote_addr, headers=dict(message.headers))


RUN_PROTO_FIELDS = {f.name for f in storage_pb2.Run.DESCRIPTOR.fields}


def run_to_proto(run: dict) -> storage_pb2.Run:
    return storage_pb2.Run(**{k: v for k, v in run.items() if k in RUN_PROTO_FIELDS})


def message_to_dict(message) -> dict:
    """Fields of a message as a dict, with unset optional fields left out."""
    result = {}
    for descriptor in message.DESCRIPTOR.fields:
        if descriptor.has_presence and not message.HasField(descriptor.name):
            continue
        result[descriptor.name] = getattr(message, descriptor.name)
    return result
