"""What auth plugins receive and return, and the helpers they share."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass, field

REJECT = object()
"""Returned by a ``roost_authenticate`` hook to refuse credentials outright."""

KEY_ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 40
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Credentials:
    scheme: str  # "api_key" or "password"
    username: str = ""
    secret: str = ""
    remote_addr: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    default_entity: str
    admin: bool = False
    teams: tuple[str, ...] = ()
    email: str = ""
    kind: str = "user"
    name: str = ""
    # How this principal signed in ("password", "ldap", "oidc", ...), set by the auth plugin
    # that accepted; recorded for the console's sign-ins, never sent over the wire.
    method: str = ""


def principal_from_user(user: dict) -> Principal:
    """The principal for a stored user record (as Storage.get_user returns it)."""
    return Principal(user_id=user["id"], username=user["username"],
                     default_entity=user["entity"], admin=bool(user["admin"]),
                     teams=tuple(user.get("teams", ())), email=user.get("email", ""),
                     kind=user.get("kind", "user"), name=user.get("name", ""))


KEY_PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,32}$")


def generate_api_key(prefix: str = "") -> str:
    """40 random alphanumerics, optionally behind ``prefix-`` (both wandb 0.21 and 0.31 accept it)."""
    # wandb splits a key at its first '-' and wants exactly 40 characters after it (0.21).
    if prefix and not KEY_PREFIX_PATTERN.match(prefix):
        raise ValueError(f"API key prefix {prefix!r} must be 1-32 letters, digits or '_'")
    body = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
    return f"{prefix}-{body}" if prefix else body


def api_key_hash(key: str) -> str:
    # A fast hash is right for keys: they are long and random, so a slow hash buys
    # nothing, and every SDK request checks one.
    return hashlib.sha256(key.encode()).hexdigest()


def key_hint(key: str) -> str:
    return key[:6] + "…"


# Passwords get a slow, salted hash (scrypt from the standard library), checked once per login.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=int(n),
                                r=int(r), p=int(p), dklen=len(digest_hex) // 2)
    except ValueError:  # a damaged stored hash matches no password
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


PROJECT_FORBIDDEN = set('/\\#?%:') | {chr(c) for c in range(32)}


def validate_project_name(name: str) -> str:
    from roost.core.errors import InvalidArgument

    if (not isinstance(name, str) or not 0 < len(name) <= 128 or name in (".", "..")
            or PROJECT_FORBIDDEN & set(name)):
        raise InvalidArgument(
            f"invalid project name {name!r}: use 1-128 characters without / \\ # ? % : "
            "or control characters")
    return name


def validate_name(kind: str, name: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        from roost.core.errors import InvalidArgument
        raise InvalidArgument(
            f"invalid {kind} name {name!r}: use 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit")
    return name


def username_from_email(email: str) -> str:
    """A valid user name from an email's local part (``Ann.Lee+x@host`` -> ``Ann.Lee-x``), for
    accounts created from a directory or an invite by email."""
    local = email.partition("@")[0]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", local).strip("-._")[:64]
    return validate_name("user", name or "user")
