"""A throwaway OpenLDAP ``slapd`` for tests: its own config, database and certificates in a
temporary directory, listening on a free 127.0.0.1 port (plain + StartTLS, and LDAPS), and
stopped by whoever started it (by PID).

Needs Debian's ``slapd`` and ``ldap-utils`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=example,dc=org"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
READER_DN = f"cn=roost-reader,{SUFFIX}"
READER_PASSWORD = "reader-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"


def slapd_problem() -> str | None:
    if not Path(SLAPD).exists() or not shutil.which("ldapadd"):
        return "OpenLDAP is not installed (apt-get install slapd ldap-utils; .ci/run does)"
    if not shutil.which("openssl"):
        return "openssl is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def person(uid: str, password: str, name: str, mail: str) -> str:
    return (f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n"
            f"sn: {name.split()[-1]}\nmail: {mail}\nuserPassword: {password}\n")


def group(cn: str, members: list[str]) -> str:
    lines = [f"dn: cn={cn},{GROUPS}", "objectClass: groupOfNames", f"cn: {cn}"]
    # groupOfNames needs a member: the root DN keeps a group valid when people leave it.
    lines += [f"member: uid={m},{PEOPLE}" for m in members] + [f"member: {ROOT_DN}"]
    return "\n".join(lines) + "\n"


BASE_LDIF = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

dn: {READER_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: roost-reader
userPassword: {READER_PASSWORD}
"""


class Slapd:
    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="roost-slapd-")
        self.dir = Path(self._tmp.name)
        self.port = _free_port()
        self.tls_port = _free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.ldaps_url = f"ldaps://127.0.0.1:{self.tls_port}"
        self.ca_file = str(self.dir / "ca.pem")
        self.process: subprocess.Popen | None = None

    def _certificates(self) -> None:
        d = self.dir

        def openssl(*args):
            subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=Roost test CA", "-keyout", "ca.key", "-out", "ca.pem",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr")
        (d / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                   "extendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "server.pem", "-extfile", "ext.cnf")

    def start(self, ldif: str) -> "Slapd":
        self._certificates()
        data = self.dir / "data"
        data.mkdir()
        config = self.dir / "slapd.conf"
        config.write_text(f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {self.dir}/slapd.pid
TLSCACertificateFile {self.dir}/ca.pem
TLSCertificateFile {self.dir}/server.pem
TLSCertificateKeyFile {self.dir}/server.key
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {data}
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
""")
        urls = f"{self.url}/ {self.ldaps_url}/"
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(config), "-h", urls, "-d", "0"], stdin=subprocess.DEVNULL,
            stdout=open(self.dir / "slapd.log", "ab"), stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("slapd exited: " + (self.dir / "slapd.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("slapd did not listen within 20 s")
        self.add(BASE_LDIF + "\n" + ldif)
        return self

    def _tool(self, tool: str, ldif: str) -> None:
        result = subprocess.run([tool, "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
                                input=ldif, capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stderr}")

    def add(self, ldif: str) -> None:
        self._tool("ldapadd", ldif)

    def modify(self, ldif: str) -> None:
        self._tool("ldapmodify", ldif)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        self._tmp.cleanup()
