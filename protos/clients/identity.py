"""The front's typed client for IdentityService (``core_client.identity``): web sign-ins,
the sign-in methods, every API key, SCIM tokens and SCIM requests."""

from __future__ import annotations

from roost.core.auth import Credentials, Principal
from roost.protos import identity_pb2, identity_pb2_grpc
from roost.protos.clients.base import ServiceClient
from roost.protos.wire import credentials_to_proto, principal_from_proto


class IdentityClient(ServiceClient):
    stub_class = identity_pb2_grpc.IdentityServiceStub

    def _request(self, method, principal: Principal, **fields):
        return self._call(method, identity_pb2.IdentityRequest, principal, **fields)

    def sign_in(self, credentials: Credentials) -> Principal:
        return principal_from_proto(self._send(self._stub.SignIn,
                                               credentials_to_proto(credentials)))

    def sign_in_overview(self, principal: Principal) -> identity_pb2.SignInOverviewReply:
        return self._request(self._stub.SignInOverview, principal)

    def list_all_api_keys(self, principal: Principal, include_revoked: bool = False) -> list:
        return list(self._request(self._stub.ListAllApiKeys, principal,
                                  include_revoked=include_revoked).keys)

    def create_scim_token(self, principal: Principal, description: str):
        return self._request(self._stub.CreateScimToken, principal, description=description)

    def list_scim_tokens(self, principal: Principal) -> list:
        return list(self._request(self._stub.ListScimTokens, principal).tokens)

    def revoke_scim_token(self, principal: Principal, token_id: str) -> None:
        self._request(self._stub.RevokeScimToken, principal, id=token_id)

    def scim(self, token: str, method: str, path: str, query: dict, body: str,
             base_url: str) -> tuple[int, str]:
        reply = self._send(self._stub.Scim, identity_pb2.ScimRequest(
            token=token, method=method, path=path, query=query, body=body, base_url=base_url))
        return reply.status, reply.body
