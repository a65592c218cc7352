"""The identity part of SqlStorage: sign-in records, every key, SCIM tokens and links.

Storage area ``identity`` (roost.core.storage.identity) on the sql plugin's tables.
"""

from __future__ import annotations

import time

import peewee

from roost.plugins.sql.accounts_store import key_record
from roost.plugins.sql.area import SqlArea, record_id
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.identity_models import ExternalIdentity, ScimLink, ScimToken, SignIn
from roost.plugins.sql.models import ApiKey, User
from roost.plugins.sql.tenancy_models import ServiceAccount


def _token_dict(token: ScimToken) -> dict:
    return {"id": str(token.id), "description": token.description,
            "created_by": token.created_by, "created_at": token.created_at,
            "last_used_at": token.last_used_at or 0.0, "revoked": token.revoked_at is not None}


@connection_per_call
class IdentityStore(SqlArea):
    # -- sign-ins ----------------------------------------------------------------------------
    def record_sign_in(self, user_id, username, method, remote_addr):
        SignIn.create(user=record_id(user_id) if user_id else None, username=username[:64],
                      method=method[:32], remote_addr=(remote_addr or "")[:64])

    def last_sign_ins(self, per_method):
        methods = [row.method for row in SignIn.select(SignIn.method).distinct()]
        found = []
        for method in sorted(methods):
            rows = (SignIn.select().where(SignIn.method == method)
                    .order_by(SignIn.at.desc(), SignIn.id.desc()).limit(per_method))
            found += [{"method": r.method, "username": r.username, "at": r.at,
                       "remote_addr": r.remote_addr} for r in rows]
        return found

    # -- keys --------------------------------------------------------------------------------
    def list_all_api_keys(self, include_revoked):
        keys = ApiKey.select(ApiKey, User).join(User)
        if not include_revoked:
            keys = keys.where(ApiKey.revoked_at.is_null())
        services = {row.user_id for row in ServiceAccount.select(ServiceAccount.user)}
        return [key_record(k, k.user.username)
                | {"kind": "service" if k.user_id in services else "user"}
                for k in keys.order_by(ApiKey.id.desc())]

    # -- SCIM tokens -------------------------------------------------------------------------
    def create_scim_token(self, token_hash, description, created_by):
        return _token_dict(ScimToken.create(token_hash=token_hash,
                                            description=(description or "")[:255],
                                            created_by=(created_by or "")[:64]))

    def find_scim_token(self, token_hash):
        token = ScimToken.get_or_none((ScimToken.token_hash == token_hash)
                                      & ScimToken.revoked_at.is_null())
        return _token_dict(token) if token else None

    def touch_scim_token(self, token_id, when):
        ScimToken.update(last_used_at=when).where(ScimToken.id == record_id(token_id)).execute()

    def list_scim_tokens(self):
        return [_token_dict(t) for t in ScimToken.select().order_by(ScimToken.id.desc())]

    def revoke_scim_token(self, token_id):
        token = ScimToken.get_or_none(ScimToken.id == record_id(token_id))
        if token is None:
            return None
        if token.revoked_at is None:
            token.revoked_at = time.time()
            token.save()
        return _token_dict(token)

    # -- SCIM links --------------------------------------------------------------------------
    def scim_links(self, kind):
        return {str(link.target): {"external_id": link.external_id, "name": link.scim_name,
                                   "deleted": link.deleted_at is not None}
                for link in ScimLink.select().where(ScimLink.kind == kind)}

    def set_scim_link(self, kind, target_id, external_id=None, deleted=None, name=None):
        with self.write():
            link = ScimLink.get_or_none((ScimLink.kind == kind)
                                        & (ScimLink.target == record_id(target_id)))
            if link is None:
                link = ScimLink(kind=kind, target=record_id(target_id))
            if external_id is not None:
                link.external_id = external_id[:255]
            if name is not None:
                link.scim_name = name[:255]
            if deleted is not None:
                link.deleted_at = time.time() if deleted else None
            link.save()

    # -- external identities -----------------------------------------------------------------
    def find_external_identity(self, source, subject):
        found = ExternalIdentity.get_or_none((ExternalIdentity.source == source)
                                             & (ExternalIdentity.subject == subject))
        return str(found.user_id) if found else None

    def link_external_identity(self, source, subject, user_id):
        try:
            ExternalIdentity.create(source=source[:255], subject=subject[:255], user=record_id(user_id))
        except peewee.IntegrityError:  # a concurrent first sign-in linked it already
            pass
