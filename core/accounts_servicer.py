"""AuthService: decode, call the Accounts service, encode. Nothing else.

``user_message`` and ``key_message`` are the one encoding of a user and of an API key, which
AdminService and IdentityService answer too."""

from __future__ import annotations

from roost.core.servicers import translating_errors
from roost.protos import auth_pb2, auth_pb2_grpc, common_pb2
from roost.protos.wire import credentials_from_proto, principal_from_proto, principal_to_proto


def user_message(user: dict) -> auth_pb2.User:
    return auth_pb2.User(id=user["id"], username=user["username"], email=user["email"],
                         admin=user["admin"], disabled=user["disabled"], entity=user["entity"],
                         teams=user.get("teams", []), created_at=user["created_at"],
                         name=user.get("name", ""))


def key_message(key: dict) -> auth_pb2.ApiKey:
    return auth_pb2.ApiKey(id=key["id"], username=key.get("username", ""),
                           description=key["description"], hint=key["hint"],
                           created_at=key["created_at"], last_used_at=key["last_used_at"],
                           revoked=key["revoked"], expires_at=key.get("expires_at") or 0.0,
                           kind=key.get("kind", ""))


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, core):
        self.accounts = core.accounts

    @translating_errors
    def Authenticate(self, request, context):
        return principal_to_proto(self.accounts.authenticate(credentials_from_proto(request)))

    @translating_errors
    def CreateUser(self, request, context):
        return user_message(self.accounts.create_user(
            principal_from_proto(request.principal), request.username, request.email,
            request.password, request.admin))

    @translating_errors
    def GetUser(self, request, context):
        return user_message(self.accounts.read_user(principal_from_proto(request.principal),
                                                    request.username))

    @translating_errors
    def CreateApiKey(self, request, context):
        record, secret = self.accounts.create_api_key(principal_from_proto(request.principal),
                                                      request.username, request.description,
                                                      request.expires_at)
        return auth_pb2.CreatedApiKey(key=key_message(record), secret=secret)

    @translating_errors
    def ListApiKeys(self, request, context):
        keys = self.accounts.list_api_keys(principal_from_proto(request.principal),
                                           request.username)
        return auth_pb2.ApiKeyList(keys=[key_message(k) for k in keys])

    @translating_errors
    def RevokeApiKey(self, request, context):
        self.accounts.revoke_api_key(principal_from_proto(request.principal), request.key_id)
        return common_pb2.Empty()
