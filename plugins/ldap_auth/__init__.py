"""LDAP sign-in (ldap3): people log in to the web pages and the console with their directory
password; the SDK keeps using API keys, which token_auth checks before this plugin is asked.

Two ways to find the person: bind straight to ``ldap_user_dn_template`` (e.g.
``uid={username},ou=people,dc=example,dc=org``), or bind as a service account
(``ldap_bind_dn``/``ldap_bind_password``), search ``ldap_user_search_base`` with
``ldap_user_filter`` and bind as the entry found. ``ldaps://`` URLs or ``ldap_starttls``
encrypt the connection. ``ldap_required_group`` admits only that group's members;
``ldap_group_map`` puts people in Roost teams with a role after their groups. An account is
created at the first sign-in. The plugin is ``trylast`` and only answers password sign-ins
when ``ldap_url`` is set; a directory that does not answer gives a clear 503, while API keys
(and local passwords) keep working.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from roost.core.auth import NAME_PATTERN, REJECT, principal_from_user
from roost.core.config import parse_bool
from roost.core.errors import PermissionDenied, Unavailable
from roost.core.hookspecs import hookimpl
from roost.core.provisioning import apply_group_map, parse_group_map

log = logging.getLogger("roost.ldap")


@hookimpl
def roost_add_options(options):
    add = options.add
    add("ldap_url", "", "LDAP server, ldap://host:389 or ldaps://host:636 (empty: LDAP off)")
    add("ldap_starttls", False, "upgrade ldap:// connections with StartTLS", parse_bool)
    add("ldap_ca_file", "", "CA certificates (PEM) that sign the LDAP server's certificate")
    add("ldap_tls_verify", True, "verify the LDAP server's certificate", parse_bool)
    add("ldap_user_dn_template", "", "bind straight as this DN, e.g. "
        "uid={username},ou=people,dc=example,dc=org")
    add("ldap_bind_dn", "", "service account DN for search-then-bind")
    add("ldap_bind_password", "", "service account password", secret=True)
    add("ldap_user_search_base", "", "where to search for people (search-then-bind)")
    add("ldap_user_filter", "(uid={username})", "how to find a person by username")
    add("ldap_group_search_base", "", "where groups live (for the group filter and mapping)")
    add("ldap_group_filter", "(|(member={dn})(uniqueMember={dn})(memberUid={username}))",
        "finds the groups a person is in")
    add("ldap_required_group", "", "DN of the group whose members may sign in (empty: anyone)")
    add("ldap_group_map", "", 'JSON: {"<group DN>": "<team>:<role>", ...}; members of the '
        "group join the team with that role at each sign-in")
    add("ldap_email_attribute", "mail", "attribute with the person's email")
    add("ldap_name_attribute", "cn", "attribute with the person's display name")
    add("ldap_timeout", 5, "seconds to wait for the LDAP server", int)


def _settings(config) -> dict:
    return {name: config.get(name) for name in config.values if name.startswith("ldap_")}


_CONFIG: dict = {}


@hookimpl
def roost_startup(core):
    _CONFIG.clear()
    _CONFIG.update(_settings(core.config))
    if _CONFIG.get("ldap_url"):
        group_map(_CONFIG)  # a malformed map is a start-up error, not a sign-in error
        log.info("LDAP sign-in via %s", _CONFIG["ldap_url"])


def group_map(settings: dict) -> dict[str, tuple[str, str]]:
    return parse_group_map(settings.get("ldap_group_map"), "ldap_group_map")


@hookimpl(trylast=True)
def roost_authenticate(credentials, storage):
    if credentials.scheme != "password" or not _CONFIG.get("ldap_url"):
        return None
    if not NAME_PATTERN.match(credentials.username or ""):
        return None
    if not credentials.secret:
        return REJECT  # an empty password is an anonymous bind in LDAP: never a sign-in
    from roost.plugins.ldap_auth.directory import Directory, DirectoryDown

    directory = Directory(_CONFIG)
    try:
        person = directory.authenticate(credentials.username, credentials.secret)
    except DirectoryDown as exc:
        log.warning("LDAP server unreachable: %s", exc)
        raise Unavailable(f"the sign-in directory (LDAP) does not answer ({exc}); try again "
                          "later. API keys keep working.") from None
    if person is None:
        return None  # no such person in the directory: let the next plugin say no
    if person is REJECT:
        return REJECT
    required = (_CONFIG.get("ldap_required_group") or "").lower()
    if required and required not in person["groups"]:
        raise PermissionDenied(f"the directory account {credentials.username!r} is not in the "
                               "group allowed to use Roost; ask your administrator")
    return _sign_in(storage, credentials.username, person)


def _sign_in(storage, username: str, person: dict):
    user = storage.get_user(username)
    if user is None:
        user = storage.create_user(username, person["email"], None, False)
        storage.add_audit_entry("ldap_auth", "user.create", username,
                                {"source": "ldap", "email": person["email"]})
    if user["disabled"]:
        return REJECT
    if person["name"] and user.get("name") != person["name"]:
        storage.update_user(user["id"], {"name": person["name"][:128]})
    apply_group_map(storage, "ldap_auth", user, person["groups"], group_map(_CONFIG))
    return replace(principal_from_user(storage.get_user(username)), method="ldap")


@hookimpl
def roost_sign_in_methods(config):
    if not config.get("ldap_url"):
        return None
    return {"id": "ldap", "label": f"LDAP directory password ({config.get('ldap_url')})"}
