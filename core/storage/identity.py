"""Storage area ``identity`` (core/identity.py, core/scim/, plugins/oidc_auth): sign-in
records, every API key at once, SCIM bearer tokens (stored as their sha256), the SCIM links
that tie users and teams to an identity provider's ids, and OpenID Connect subjects.

API key records (area ``accounts``) carry ``expires_at`` (0.0: never).
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class IdentityStorage(ABC):
    # -- sign-ins ----------------------------------------------------------------------------
    @abstractmethod
    def record_sign_in(self, user_id: str, username: str, method: str,
                       remote_addr: str) -> None:
        """Remember one web sign-in (``method``: password, ldap, oidc, header...)."""

    @abstractmethod
    def last_sign_ins(self, per_method: int) -> list[dict]:
        """The newest ``per_method`` sign-ins of each method, newest first:
        ``{"method", "username", "at", "remote_addr"}``."""

    # -- keys --------------------------------------------------------------------------------
    @abstractmethod
    def list_all_api_keys(self, include_revoked: bool) -> list[dict]:
        """Every user's and service account's keys (as ``list_api_keys`` returns them, with
        ``username`` and ``kind``), newest first."""

    # -- SCIM --------------------------------------------------------------------------------
    @abstractmethod
    def create_scim_token(self, token_hash: str, description: str, created_by: str) -> dict:
        """``{"id", "description", "created_by", "created_at", "last_used_at", "revoked"}``."""

    @abstractmethod
    def find_scim_token(self, token_hash: str) -> dict | None:
        """The live (unrevoked) token with this hash, or None."""

    @abstractmethod
    def touch_scim_token(self, token_id: str, when: float) -> None:
        """Set the token's ``last_used_at`` (the caller writes at most once a minute)."""

    @abstractmethod
    def list_scim_tokens(self) -> list[dict]:
        """Every token, revoked ones too, newest first (records as ``create_scim_token``)."""

    @abstractmethod
    def revoke_scim_token(self, token_id: str) -> dict | None:
        """Revoke and return the token; None when there is no such token."""

    @abstractmethod
    def scim_links(self, kind: str) -> dict[str, dict]:
        """``kind`` "user" or "group": target id (a user's or a team's) ->
        ``{"external_id", "name", "deleted"}`` for every target SCIM has touched (``name``:
        the provider's userName or displayName)."""

    @abstractmethod
    def set_scim_link(self, kind: str, target_id: str, external_id: str | None = None,
                      deleted: bool | None = None, name: str | None = None) -> None:
        """Create or update the link; arguments left None are unchanged."""

    # -- external identities (OpenID Connect subjects) ---------------------------------------
    @abstractmethod
    def find_external_identity(self, source: str, subject: str) -> str | None:
        """The id of the user linked to ``subject`` at ``source`` (an issuer URL), or None."""

    @abstractmethod
    def link_external_identity(self, source: str, subject: str, user_id: str) -> None:
        """Link once; a second link of the same subject is ignored."""
