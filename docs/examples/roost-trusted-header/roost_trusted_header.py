"""Sign-in behind a reverse proxy (oauth2-proxy): trust its header, from the proxy only."""
import ipaddress

import pluggy
from roost.core.auth import REJECT, principal_from_user, username_from_email

hookimpl = pluggy.HookimplMarker("roost")
settings = {}


@hookimpl
def roost_add_options(options):
    options.add("trusted_header", "X-Forwarded-Email", "header with the person's email")
    options.add("trusted_proxies", "127.0.0.1/32", "comma-separated proxy addresses/networks")


@hookimpl
def roost_startup(core):
    settings["header"] = core.config.get("trusted_header").lower()
    settings["proxies"] = [ipaddress.ip_network(net.strip()) for net in
                           core.config.get("trusted_proxies").split(",") if net.strip()]


@hookimpl
def roost_authenticate(credentials, storage):
    if credentials.scheme != "header":
        return None
    email = credentials.headers.get(settings["header"], "").strip().lower()
    try:
        peer = ipaddress.ip_address(credentials.headers.get("x-roost-peer", ""))
    except ValueError:
        return None
    if not email or not any(peer in network for network in settings["proxies"]):
        return None  # not from the proxy: never trust the header
    user = storage.find_user_by_email(email)
    if user is None:
        user = storage.create_user(username_from_email(email), email, None, False)
    return REJECT if user["disabled"] else principal_from_user(user)
