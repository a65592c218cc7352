"""OpenID Connect sign-in (Keycloak, Azure AD / Entra ID, Okta, Google, ...).

Set ``oidc_issuer``, ``oidc_client_id`` and ``oidc_client_secret`` to switch it on. The sign-in
page then offers "Sign in with <oidc_label>" beside the password form (or instead of it, with
``oidc_disable_passwords``). Two halves, one per process:

- the front (``front.py``, through ``roost_front_blueprints``): ``/oidc/login`` sends the
  browser to the provider with state, nonce and a PKCE challenge kept in the session;
  ``/oidc/callback`` checks the state, exchanges the code and hands the ID token to the core;
- the core (``roost_authenticate``, scheme ``"oidc"``): verifies the ID token against the
  provider's JWKS (signature, issuer, audience, expiry, nonce; each nonce once), applies the
  allowed domains and the required group, then provisions or updates the account and its
  mapped teams (``accounts.py``, through ``roost.core.provisioning``).

The SDK keeps using API keys, which people signed in this way create on their settings page.
"""

from __future__ import annotations

from roost.core.config import parse_bool
from roost.core.hookspecs import hookimpl

_STATE: dict = {}


@hookimpl
def roost_add_options(options):
    add = options.add
    add("oidc_issuer", "", "OpenID provider's issuer URL, e.g. "
        "https://keycloak.example.org/realms/lab (empty: OpenID Connect off)")
    add("oidc_client_id", "", "the client id Roost is registered under at the provider")
    add("oidc_client_secret", "", "the client's secret", secret=True)
    add("oidc_scopes", "openid email profile", "scopes asked for (add 'groups' or what your "
        "provider needs for the groups claim)")
    add("oidc_username_claim", "preferred_username", "claim that names the Roost username at "
        "the first sign-in (made valid and unique; falls back to the e-mail's local part)")
    add("oidc_email_claim", "email", "claim with the person's e-mail")
    add("oidc_name_claim", "name", "claim with the person's display name")
    add("oidc_groups_claim", "groups", "claim listing the person's groups (for "
        "oidc_required_group and oidc_group_map)")
    add("oidc_group_map", "", 'JSON: {"<group>": "<team>:<role>", ...}; members of the group '
        "join the team with that role at each sign-in and leave it when they leave the group")
    add("oidc_allowed_domains", "", "comma-separated e-mail domains allowed to sign in "
        "(empty: any)")
    add("oidc_required_group", "", "only members of this group may sign in (empty: anyone)")
    add("oidc_label", "single sign-on", 'the button reads "Sign in with <label>"')
    add("oidc_disable_passwords", False, "offer only OpenID Connect on the sign-in page and "
        "refuse password sign-ins (local and LDAP)", parse_bool)
    add("oidc_timeout", 10, "seconds to wait for the provider", int)


def enabled(config) -> bool:
    return bool(config.get("oidc_issuer"))


@hookimpl
def roost_startup(core):
    _STATE.clear()
    if not enabled(core.config):
        return
    from roost.plugins.oidc_auth.accounts import Settings

    _STATE["settings"] = Settings.from_config(core.config)  # a bad map fails the start


@hookimpl(tryfirst=True)
def roost_authenticate(credentials, storage):
    settings = _STATE.get("settings")
    if settings is None:
        return None
    if credentials.scheme == "password" and settings.disable_passwords:
        from roost.core.errors import PermissionDenied

        raise PermissionDenied(f"password sign-in is off on this server: use \"Sign in with "
                               f"{settings.label}\" (the SDK uses API keys)")
    if credentials.scheme != "oidc":
        return None
    from roost.plugins.oidc_auth.accounts import sign_in

    return sign_in(settings, credentials, storage)


@hookimpl
def roost_sign_in_methods(config):
    if not enabled(config):
        return None
    return {"id": "oidc", "label": f"Sign in with {config.get('oidc_label')}",
            "url": "/oidc/login", "replaces_password": bool(config.get("oidc_disable_passwords"))}


@hookimpl
def roost_front_blueprints(config):
    if not enabled(config):
        return None
    from roost.plugins.oidc_auth.front import make_blueprint

    return make_blueprint(config)
