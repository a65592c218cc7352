"""Teams, users, API keys, service accounts and invites over GraphQL (wandb.Api().team(),
create_team, create_user, user(s), generate_api_key, delete_api_key, invite, members).

Every decision is the core's; these resolvers translate shapes only.
"""

from __future__ import annotations

import time

from graphql import GraphQLError

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.viewer import entity_node
from roost.core.auth import username_from_email


def user_record_node(user) -> dict:
    """A User from a stored record (auth_pb2.User); API keys resolve through User.apiKeys."""
    return {
        "id": ids.encode("User", user.id), "name": user.name or user.username,
        "username": user.username, "email": user.email, "entity": user.entity,
        "admin": user.admin, "flags": "{}", "deletedAt": None,
        "teams": {"edges": [{"node": entity_node(team, "team")} for team in user.teams]},
    }


def member_node(member) -> dict:
    return {"id": ids.encode("User", member.user_id), "admin": member.role in ("admin", "owner"),
            "pending": False, "email": member.email or None, "username": member.username,
            "name": member.name or member.username, "photoUrl": None,
            "accountType": "SERVICE" if member.kind == "service" else "USER", "apiKey": None,
            "role": member.role}


@resolver("Query", "users")
def resolve_users(_, info, query=None, first=None):
    context = info.context
    users = context.core.list_users(context.principal, query or "", min(first or 200, 1000))
    return {"edges": [{"node": user_record_node(u)} for u in users]}


@resolver("Entity", "members")
def resolve_members(entity, info):
    if not entity.get("isTeam"):
        return []
    context = info.context
    return [member_node(m) for m in context.core.get_team(context.principal,
                                                          entity["name"]).members]


@resolver("Entity", "readOnlyAdmin", "privateOnly", "codeSavingEnabled", "isPaid", "readOnly")
def resolve_entity_flags(entity, info):
    return False


@resolver("Entity", "available")
def resolve_entity_available(entity, info):
    return True


@resolver("Entity", "entityType")
def resolve_entity_type(entity, info):
    return "team" if entity.get("isTeam") else "user"


@resolver("Entity", "defaultAccess")
def resolve_default_access(entity, info):
    # The visibility a new project gets (core/access.py default_visibility).
    return "team" if entity.get("isTeam") else "private"


@resolver("Entity", "limits")
def resolve_limits(entity, info):
    return "{}"


@resolver("Entity", "storageBytes")
def resolve_storage_bytes(entity, info):
    context = info.context
    if not context.principal.admin:
        return 0
    return sum(p.bytes for p in context.core.list_projects(context.principal, entity["name"]))


@resolver("Mutation", "createTeam")
def resolve_create_team(_, info, input):
    context = info.context
    team = context.core.create_team(context.principal, input["teamName"],
                                    input.get("teamAdminUserName") or "")
    return {"entity": entity_node(team.name, "team", team.id),
            "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "createUser")
def resolve_create_user(_, info, input):
    context = info.context
    email = (input.get("email") or "").strip()
    user = context.core.create_user(context.principal, username_from_email(email), email, "",
                                    bool(input.get("admin")))
    return {"user": user_record_node(user), "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "generateApiKey")
def resolve_generate_api_key(_, info, input):
    context = info.context
    principal = context.principal
    if principal.kind not in ("user", "service"):
        raise GraphQLError("sign in to create API keys")
    created = context.core.create_api_key(principal, principal.username,
                                          input.get("description") or "")
    return {"apiKey": {"id": created.key.id, "name": created.secret,
                       "description": created.key.description},
            "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "deleteApiKey")
def resolve_delete_api_key(_, info, input):
    context = info.context
    context.core.revoke_api_key(context.principal, input["id"])
    return {"success": True, "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "createServiceAccount")
def resolve_create_service_account(_, info, input):
    context = info.context
    created = context.core.create_service_account(context.principal, input["entityName"],
                                                  input.get("description") or "")
    return {"user": user_record_node(created.user), "apiKey": created.secret,
            "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "createInvite")
def resolve_create_invite(_, info, input):
    context = info.context
    email, username = input.get("email") or "", input.get("username") or ""
    if not email and not username:
        raise GraphQLError("give the email or the username of the person to invite")
    role = "admin" if input.get("admin") else "member"
    created = context.core.create_invite(context.principal, team=input["entityName"],
                                         email=email, username=username, role=role)
    if created.added_directly:
        who = username or email
        invite = {"id": ids.encode("Member", who), "name": who, "email": email or None,
                  "createdAt": time.time(), "toUser": {"id": ids.encode("User", who),
                                                       "name": who, "username": username},
                  "inviteUrl": None}
    else:
        invite = {"id": ids.encode("Invite", created.invite.id), "name": email,
                  "email": email, "createdAt": created.invite.created_at, "toUser": None,
                  "inviteUrl": f"{context.base_url}/invite/{created.token}"}
    return {"invite": invite, "clientMutationId": input.get("clientMutationId")}


@resolver("Mutation", "deleteInvite")
def resolve_delete_invite(_, info, input):
    """Member.delete() sends the member's id and team: remove the membership, or revoke an
    open invite when the id is an invite's."""
    context = info.context
    raw = input.get("id") or ""
    team = input.get("entityName") or ""
    kind, pk = _kind_of(raw)
    if kind == "Invite":
        context.core.revoke_invite(context.principal, pk)
        return {"success": True, "clientMutationId": input.get("clientMutationId")}
    if not team:
        raise GraphQLError("entityName (the team) is required to remove a member")
    members = context.core.get_team(context.principal, team).members
    match = [m for m in members if m.user_id == pk or m.username == pk]
    if not match:
        raise GraphQLError(f"no member {raw!r} in team {team!r}")
    context.core.remove_member(context.principal, team, match[0].username)
    return {"success": True, "clientMutationId": input.get("clientMutationId")}


def _kind_of(value: str) -> tuple[str, str]:
    if value.isdigit():
        return "User", value
    for kind in ("Invite", "User", "Member"):
        try:
            return kind, ids.decode(kind, value)
        except GraphQLError:
            continue
    raise GraphQLError(f"{value!r} is not a member or invite id")

