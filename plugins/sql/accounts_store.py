"""Storage area ``accounts`` (roost.core.storage.accounts) on the sql plugin's tables."""

from __future__ import annotations

import time

import peewee
from peewee import fn

from roost.core.errors import AlreadyExists
from roost.plugins.sql.area import SqlArea, record_id, too_long
from roost.plugins.sql.database import connection_per_call, without_connection
from roost.plugins.sql.models import ApiKey, Entity, TeamMember, User
from roost.plugins.sql.tenancy_models import ServiceAccount

USER_CHANGES = {"disabled", "admin", "password_hash", "email", "name"}


def key_record(key: ApiKey, username: str = "") -> dict:
    return {"id": str(key.id), "user_id": str(key.user_id), "username": username,
            "description": key.description, "hint": key.hint, "created_at": key.created_at,
            "last_used_at": key.last_used_at or 0.0, "revoked": key.revoked_at is not None,
            "expires_at": key.expires_at or 0.0}


@connection_per_call
class AccountStore(SqlArea):
    @without_connection  # called inside a store's call, which holds the connection
    def user_record(self, user: User) -> dict:
        """The user record of a User row (its entity joined): also read by tenancy."""
        return {"id": str(user.id), "username": user.username, "email": user.email,
                "admin": user.admin, "disabled": user.disabled, "entity": user.entity.name,
                "name": user.name, "created_at": user.created_at,
                "password_hash": user.password_hash, "teams": self.teams_of(user.id),
                "kind": self.account_kind(user.id)}

    # -- users -------------------------------------------------------------------------------
    def create_user(self, username, email, password_hash, admin):
        taken = AlreadyExists(f"the name {username!r} is already taken by a user or team")
        too_long(User, {"username": username, "email": email or ""})
        try:
            with self.write():
                if Entity.select().where(Entity.name == username).exists():
                    raise taken
                entity = Entity.create(name=username, kind="user")
                user = User.create(username=username, email=email or "",
                                   password_hash=password_hash, admin=admin, entity=entity,
                                   name=username)
        except peewee.IntegrityError:  # another request created the same name first
            raise taken from None
        return self.user_record(user)

    def get_user(self, username):
        user = User.select(User, Entity).join(Entity).where(User.username == username).first()
        return self.user_record(user) if user else None

    def get_user_by_id(self, user_id):
        # Every API-key request reads its user: a prepared template, not peewee's SQL per call.
        user = self.statements.first("user-by-id", lambda uid: User.select(User, Entity).join(
            Entity).where(User.id == uid).limit(1), record_id(user_id))
        return self.user_record(user) if user else None

    def count_users(self):
        return User.select().count()

    def list_users(self, query, limit):
        users = User.select(User, Entity).join(Entity)
        if query:
            # LOWER() on both sides: MySQL's LIKE follows the (binary) collation and missed
            # "Alice@Example.org" for "example.org", which SQLite and PostgreSQL (ILIKE) find.
            text = query.lower()
            users = users.where(fn.LOWER(User.username).contains(text)
                                | fn.LOWER(User.email).contains(text))
        return [self.user_record(u) for u in users.order_by(User.username).limit(limit)]

    def find_user_by_email(self, email):
        user = (User.select(User, Entity).join(Entity)
                .where(fn.LOWER(User.email) == email.lower()).order_by(User.id).first())
        return self.user_record(user) if user else None

    def update_user(self, user_id, changes):
        values = {k: v for k, v in changes.items() if k in USER_CHANGES}
        if values:
            User.update(**values).where(User.id == record_id(user_id)).execute()
        return self.get_user_by_id(user_id)

    def account_kind(self, user_id):
        found = self.statements.first("service-account", lambda uid: ServiceAccount.select(
            ServiceAccount.id).where(ServiceAccount.user == uid).limit(1).tuples(),
            record_id(user_id))
        return "service" if found else "user"

    # -- API keys ----------------------------------------------------------------------------
    def create_api_key(self, user_id, key_hash, hint, description, expires_at=None):
        too_long(ApiKey, {"description": description or "", "hint": hint})
        key = ApiKey.create(user=record_id(user_id), key_hash=key_hash, hint=hint,
                            description=description or "", expires_at=expires_at or None)
        return key_record(key)

    def find_api_key(self, key_hash):
        key = self.statements.first("live-key", lambda digest: ApiKey.select().where(
            (ApiKey.key_hash == digest) & ApiKey.revoked_at.is_null()).limit(1), key_hash)
        return key_record(key) | {"key_hash": key.key_hash} if key else None

    def get_api_key(self, key_id):
        key = ApiKey.select(ApiKey, User).join(User).where(ApiKey.id == record_id(key_id)).first()
        return key_record(key, key.user.username) if key else None

    def touch_api_key(self, key_id, when):
        ApiKey.update(last_used_at=when).where(ApiKey.id == record_id(key_id)).execute()

    def list_api_keys(self, user_id):
        keys = ApiKey.select(ApiKey, User).join(User).where(ApiKey.user == record_id(user_id))
        return [key_record(k, k.user.username) for k in keys.order_by(ApiKey.id)]

    def revoke_api_key(self, key_id):
        key = ApiKey.get_or_none(ApiKey.id == record_id(key_id))
        if key is None:
            return None
        if key.revoked_at is None:
            key.revoked_at = time.time()
            key.save()
        return key_record(key)

    # -- entities ----------------------------------------------------------------------------
    def get_entity(self, name):
        entity = Entity.get_or_none(Entity.name == name)
        return {"id": str(entity.id), "name": entity.name, "kind": entity.kind} if entity else None

    def teams_of(self, user_id):
        return [name for name, in self.statements.rows(
            "teams-of", lambda uid: Entity.select(Entity.name).join(
                TeamMember, on=TeamMember.team == Entity.id).where(TeamMember.user == uid)
            .order_by(Entity.name).tuples(), record_id(user_id))]
