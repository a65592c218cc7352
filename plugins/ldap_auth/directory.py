"""Talking to the directory with ldap3: bind (direct or search-then-bind), read the person's
email, name and groups. Knows nothing about Roost's storage."""

from __future__ import annotations

import ssl

from ldap3 import BASE, SUBTREE, Connection, Server, Tls
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from roost.core.auth import REJECT


class DirectoryDown(Exception):
    """The server did not answer (connection refused, timeout, TLS failure)."""


def _first(entry: dict, attribute: str) -> str:
    value = entry.get(attribute) or ""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return value.decode() if isinstance(value, bytes) else str(value)


class Directory:
    def __init__(self, settings: dict):
        self.settings = settings
        url = settings["ldap_url"]
        tls = None
        if url.lower().startswith("ldaps://") or settings.get("ldap_starttls"):
            tls = Tls(validate=ssl.CERT_REQUIRED if settings.get("ldap_tls_verify", True)
                      else ssl.CERT_NONE, ca_certs_file=settings.get("ldap_ca_file") or None,
                      version=ssl.PROTOCOL_TLS_CLIENT)
        timeout = int(settings.get("ldap_timeout") or 5)
        self.server = Server(url, connect_timeout=timeout, tls=tls, get_info=None)
        self.timeout = timeout

    def _connect(self, user: str | None, password: str | None) -> Connection:
        """An open connection bound as ``user``; ``bind()`` tells whether the password held."""
        connection = Connection(self.server, user=user, password=password,
                                receive_timeout=self.timeout, raise_exceptions=False,
                                auto_referrals=False)
        try:
            connection.open()
            if self.settings.get("ldap_starttls") and not self.server.ssl:
                if not connection.start_tls():
                    raise DirectoryDown(f"StartTLS failed: {connection.result.get('description')}")
        except ldap_errors.LDAPException as exc:
            raise DirectoryDown(f"{self.settings['ldap_url']}: {exc}") from None
        return connection

    def _bind(self, user: str, password: str) -> Connection | None:
        connection = self._connect(user, password)
        try:
            if connection.bind():
                return connection
        except ldap_errors.LDAPException as exc:
            connection.unbind()
            if isinstance(exc, (ldap_errors.LDAPSocketOpenError,
                                ldap_errors.LDAPSocketReceiveError,
                                ldap_errors.LDAPSessionTerminatedByServerError)):
                raise DirectoryDown(f"{self.settings['ldap_url']}: {exc}") from None
            return None
        connection.unbind()
        return None

    def _find_dn(self, username: str) -> str | None:
        service = self._bind(self.settings.get("ldap_bind_dn") or "",
                             self.settings.get("ldap_bind_password") or "")
        if service is None:
            raise DirectoryDown("the LDAP service account (ldap_bind_dn) could not bind; "
                                "check ldap_bind_dn and ldap_bind_password")
        try:
            search = (self.settings.get("ldap_user_filter") or "(uid={username})").format(
                username=escape_filter_chars(username))
            service.search(self.settings["ldap_user_search_base"], search, SUBTREE,
                           attributes=[], size_limit=2)
            entries = [e for e in service.response or [] if e.get("type") == "searchResEntry"]
            return entries[0]["dn"] if len(entries) == 1 else None
        finally:
            service.unbind()

    def authenticate(self, username: str, password: str):
        """The person (``{"dn", "email", "name", "groups"}``), REJECT for a wrong password,
        or None when the directory does not know the username."""
        template = self.settings.get("ldap_user_dn_template") or ""
        if template:
            dn = template.format(username=escape_rdn(username))
        else:
            dn = self._find_dn(username)
            if dn is None:
                return None
        connection = self._bind(dn, password)
        if connection is None:
            return REJECT
        try:
            return self._describe(connection, dn, username)
        finally:
            connection.unbind()

    def _describe(self, connection: Connection, dn: str, username: str) -> dict:
        email_attr = self.settings.get("ldap_email_attribute") or "mail"
        name_attr = self.settings.get("ldap_name_attribute") or "cn"
        connection.search(dn, "(objectClass=*)", BASE, attributes=[email_attr, name_attr])
        entries = [e for e in connection.response or [] if e.get("type") == "searchResEntry"]
        attributes = entries[0].get("attributes", {}) if entries else {}
        groups: set[str] = set()
        base = self.settings.get("ldap_group_search_base") or ""
        if base:
            group_filter = (self.settings.get("ldap_group_filter") or "").format(
                dn=escape_filter_chars(dn), username=escape_filter_chars(username))
            connection.search(base, group_filter, SUBTREE, attributes=[])
            groups = {e["dn"].lower() for e in connection.response or []
                      if e.get("type") == "searchResEntry"}
        return {"dn": dn, "email": _first(attributes, email_attr),
                "name": _first(attributes, name_attr), "groups": groups}
