"""Calls of AuthService (protos/auth.proto): authentication, users, API keys."""

from __future__ import annotations

from roost.core.auth import Credentials, Principal
from roost.protos import auth_pb2
from roost.protos.clients.base import Rpc
from roost.protos.wire import credentials_to_proto, principal_from_proto


class AccountCalls(Rpc):
    _auth: "auth_pb2_grpc.AuthServiceStub"  # noqa: F821 (set by CoreClient)

    def authenticate(self, credentials: Credentials) -> Principal:
        return principal_from_proto(self._send(self._auth.Authenticate,
                                               credentials_to_proto(credentials)))

    def create_api_key(self, principal: Principal, username: str, description: str = "",
                       expires_at: float = 0.0):
        return self._call(self._auth.CreateApiKey, auth_pb2.CreateApiKeyRequest, principal,
                          username=username, description=description, expires_at=expires_at)

    def list_api_keys(self, principal: Principal, username: str):
        return self._call(self._auth.ListApiKeys, auth_pb2.ListApiKeysRequest, principal,
                          username=username).keys

    def revoke_api_key(self, principal: Principal, key_id: str) -> None:
        self._call(self._auth.RevokeApiKey, auth_pb2.RevokeApiKeyRequest, principal,
                   key_id=key_id)

    def create_user(self, principal: Principal, username: str, email: str = "",
                    password: str = "", admin: bool = False) -> auth_pb2.User:
        return self._call(self._auth.CreateUser, auth_pb2.CreateUserRequest, principal,
                          username=username, email=email, password=password, admin=admin)

    def get_user(self, principal: Principal, username: str) -> auth_pb2.User:
        return self._call(self._auth.GetUser, auth_pb2.GetUserRequest, principal,
                          username=username)
