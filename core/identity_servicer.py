"""IdentityService: decode, call the Core's Identity (and SCIM), encode. Nothing else."""

from __future__ import annotations

import json

from roost.core.accounts_servicer import key_message
from roost.core.scim.service import Scim
from roost.core.servicers import translating_errors
from roost.protos.wire import credentials_from_proto, principal_from_proto, principal_to_proto
from roost.protos import auth_pb2, common_pb2, identity_pb2, identity_pb2_grpc


def _token(record: dict) -> identity_pb2.ScimToken:
    return identity_pb2.ScimToken(**{k: record[k] for k in (
        "id", "description", "created_by", "created_at", "last_used_at", "revoked")})


class IdentityServicer(identity_pb2_grpc.IdentityServiceServicer):
    def __init__(self, core):
        self.identity = core.identity
        self.scim = Scim(core.storage, core.identity)

    @translating_errors
    def SignIn(self, request, context):
        return principal_to_proto(self.identity.sign_in(credentials_from_proto(request)))

    @translating_errors
    def SignInOverview(self, request, context):
        methods, recent = self.identity.sign_in_overview(principal_from_proto(request.principal))
        return identity_pb2.SignInOverviewReply(
            methods=[identity_pb2.SignInMethod(**m) for m in methods],
            recent=[identity_pb2.SignInRecord(**r) for r in recent])

    @translating_errors
    def ListAllApiKeys(self, request, context):
        keys = self.identity.list_all_api_keys(principal_from_proto(request.principal),
                                               request.include_revoked)
        return auth_pb2.ApiKeyList(keys=[key_message(k) for k in keys])

    @translating_errors
    def CreateScimToken(self, request, context):
        record, secret = self.identity.create_scim_token(principal_from_proto(request.principal),
                                                         request.description)
        return identity_pb2.CreatedScimToken(token=_token(record), secret=secret)

    @translating_errors
    def ListScimTokens(self, request, context):
        tokens = self.identity.list_scim_tokens(principal_from_proto(request.principal))
        return identity_pb2.ScimTokenList(tokens=[_token(t) for t in tokens])

    @translating_errors
    def RevokeScimToken(self, request, context):
        self.identity.revoke_scim_token(principal_from_proto(request.principal), request.id)
        return common_pb2.Empty()

    @translating_errors
    def Scim(self, request, context):
        status, body = self.scim.handle(request.token, request.method.upper(), request.path,
                                        dict(request.query), request.body, request.base_url)
        return identity_pb2.ScimResponse(status=status,
                                         body=json.dumps(body) if body is not None else "")


def add_to_server(core, server) -> None:
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(IdentityServicer(core), server)
