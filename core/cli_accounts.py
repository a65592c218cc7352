"""``roost user list|disable|enable|set-password`` and ``roost key list|revoke`` (and
``key create --expires``): what an admin reaches for first, run on the server against its
storage as the local operator (every change is in the audit log as "(server operator)")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from roost.core.errors import InvalidArgument
from roost.core.formats import parse_expiry

__all__ = ["parse_expiry"]


def when_text(value: float) -> str:
    if not value:
        return "-"
    return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


def add_user_actions(user, add_flags) -> None:
    listing = user.add_parser("list", help="list users and service accounts")
    listing.add_argument("--query", default="", help="only names or e-mails containing this")
    add_flags(listing)
    for action, text in (("disable", "disable a user: sign-in and API keys stop working"),
                         ("enable", "enable a disabled user again")):
        parser = user.add_parser(action, help=text)
        parser.add_argument("name")
        add_flags(parser)
    password = user.add_parser("set-password", help="set a user's local password, read from "
                               "the first line of standard input")
    password.add_argument("name")
    add_flags(password)


def add_key_actions(key, add_flags) -> None:
    listing = key.add_parser("list", help="list a user's API keys (without NAME: every key)")
    listing.add_argument("name", nargs="?", default="")
    listing.add_argument("--all", action="store_true", help="show revoked keys too")
    add_flags(listing)
    revoke = key.add_parser("revoke", help="revoke an API key by its id (from `roost key list`)")
    revoke.add_argument("id")
    add_flags(revoke)


def add_create_expiry(create: argparse.ArgumentParser) -> None:
    create.add_argument("--expires", default="", help="the key stops working after this: a "
                        "duration (30d, 12h, 2w) or a date (2027-01-31); default: never")


def _key_rows(keys: list[dict], show_all: bool) -> list[list[str]]:
    now = time.time()
    rows = []
    for key in keys:
        if key["revoked"] and not show_all:
            continue
        expires = key.get("expires_at") or 0
        status = ("revoked" if key["revoked"] else "expired" if expires and expires <= now
                  else "active")
        rows.append([key["id"], key.get("username", ""), key["hint"], key["description"],
                     when_text(key["created_at"]), when_text(key["last_used_at"]), when_text(expires),
                     status])
    return rows


def run_user(core, args) -> int:
    if args.action == "list":
        users = core.tenancy.list_users(None, args.query, 1000)
        rows = [[u["username"], u.get("kind", "user"), "yes" if u["admin"] else "",
                 "disabled" if u["disabled"] else "active", u["email"],
                 ",".join(u.get("teams", [])), when_text(u["created_at"])] for u in users]
        print(_table(["USER", "KIND", "ADMIN", "STATUS", "EMAIL", "TEAMS", "CREATED"], rows))
        return 0
    if args.action in ("disable", "enable"):
        core.tenancy.update_user(None, args.name, disabled=args.action == "disable")
        print(f"{args.action}d user {args.name!r}")
        return 0
    if args.action == "set-password":
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise InvalidArgument("no password on standard input (e.g. "
                                  "`echo \"$PASSWORD\" | roost user set-password NAME`)")
        core.tenancy.update_user(None, args.name, password=password)
        print(f"set a new password for {args.name!r}")
        return 0
    raise InvalidArgument(f"unknown action {args.action!r}")


def run_key(core, args) -> int:
    if args.action == "list":
        keys = (core.accounts.list_api_keys(None, args.name) if args.name
                else core.identity.list_all_api_keys(None, include_revoked=args.all))
        rows = _key_rows(keys, args.all)
        if not rows:
            print(f"no {'' if args.all else 'active '}API keys"
                  + (f" for {args.name!r}" if args.name else ""))
            return 0
        print(_table(["ID", "USER", "KEY", "DESCRIPTION", "CREATED", "LAST USED", "EXPIRES",
                      "STATUS"], rows))
        return 0
    if args.action == "revoke":
        core.accounts.revoke_api_key(None, args.id)
        print(f"revoked API key {args.id}")
        return 0
    raise InvalidArgument(f"unknown action {args.action!r}")
