"""How the front reaches several cores: gRPC's own round_robin balancing and retry policy,
configured here, and nothing home-made.

``--core-address`` is one address or several, comma separated:

- one ``host:port``: a DNS name; gRPC re-resolves it and balances over all its records
  (``dns:///core:50051`` with several A records, as ``docker compose --scale core=2`` gives);
- several: each is resolved once, here, at start, and the channel balances over every address
  found (``ipv4:``/``ipv6:`` targets). Use a DNS name when cores come and go.

round_robin sends each call to the next connected core and skips cores it cannot reach. A call
that never reached a core (connection refused, or its connection died before the request was
sent) is retried by gRPC transparently on another core, whatever the call. A call that reached
a core which then died is retried (on another core) only if it is in :data:`RETRIED_CALLS`:
reads, and writes that are idempotent, because the first attempt may have been carried out.
docs/architecture.md lists them.
"""

from __future__ import annotations

import ipaddress
import json
import socket

# Calls the front may send again after a core died holding them (status UNAVAILABLE).
# Reads change nothing; the writes here give the same stored state however often they are
# carried out: file_stream chunks carry line offsets and an identical line stored again is
# skipped (plugins/sql/ingest_store.py), marking files uploaded and preparing their upload URLs
# set a state, and settings are set to a value. Not here, because a second attempt can do
# something twice: creating anything (runs without a name, users, keys, teams, invites,
# artifacts), sign-in (counts failures), sweep agent heartbeats (assign runs), deletions (a
# second attempt answers NotFound for what the first deleted), media uploads.
RETRIED_CALLS: dict[str, tuple[str, ...]] = {
    "StorageService": ("Health", "GetEntity", "GetProject", "GetRun", "WriteFileStream",
                       "PrepareRunFileUploads", "MarkRunFilesUploaded", "ListRunFiles",
                       "ReadRunFile", "ReadConsole", "ReadHistory", "ListProjects", "CountRuns",
                       "ListRuns", "SampleHistory", "SampleHistoryLines"),
    "AdminService": ("PrincipalForUser", "ListTeams", "GetTeam", "ListUsers", "GetSettings",
                     "SetSetting", "ListInvites", "GetInvite", "ListShareLinks",
                     "DescribeShare", "ListProjects", "StorageUsage", "ListPlugins",
                     "ListAudit"),
    "AuthService": ("GetUser", "ListApiKeys"),
    "ArtifactService": ("GetArtifact", "GetMembership", "ListArtifacts", "ListMemberships",
                        "ListFiles", "GetCollection", "ListCollections", "ListTypes",
                        "ListUsers", "ResolveClientId", "ResolveDownload"),
    "SweepService": ("GetSweep", "ListSweeps", "ListSweepRuns", "GetAgent", "ListAgents"),
    "UiService": ("Home", "Search", "EntityProjects", "ProjectKeys", "Capabilities",
                  "RunSeries", "GroupRuns"),
    "MediaService": ("Download",),
}
PROTO_PACKAGE = "roost.v1"

# Three attempts in all: with two cores and one dead, the second lands on the live one.
RETRY_POLICY = {"maxAttempts": 3, "initialBackoff": "0.05s", "maxBackoff": "1s",
                "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}


def service_config() -> str:
    methods = [{"service": f"{PROTO_PACKAGE}.{service}", "method": method}
               for service, names in RETRIED_CALLS.items() for method in names]
    return json.dumps({"loadBalancingConfig": [{"round_robin": {}}],
                       "methodConfig": [{"name": methods, "retryPolicy": RETRY_POLICY}]})


def parse_addresses(value: str) -> list[tuple[str, int]]:
    """``host:port[,host:port...]`` (IPv6 hosts in brackets) as (host, port) pairs; raises
    ValueError with what is wrong."""
    pairs = []
    for item in (part.strip() for part in str(value).split(",")):
        if not item:
            continue
        host, colon, port = item.rpartition(":")
        host = host.strip("[]")
        if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"core address {item!r} is not host:port")
        pairs.append((host, int(port)))
    if not pairs:
        raise ValueError("no core address given (--core-address host:port[,host:port...])")
    return pairs


def _ip_literal(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def channel_target(value: str) -> str:
    """The gRPC target for ``--core-address``."""
    pairs = parse_addresses(value)
    if len(pairs) == 1:
        host, port = pairs[0]
        return f"dns:///{_ip_literal(host, port)}"
    found: list[str] = []
    for host, port in pairs:
        try:
            ipaddress.ip_address(host)
            literals = [host]
        except ValueError:
            literals = sorted({info[4][0] for info in socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM)})
        found += [_ip_literal(ip, port) for ip in literals]
    # gRPC's ipv4:/ipv6: targets take one family; mixed lists are given as IPv6 where needed.
    if all(":" not in entry.rsplit(":", 1)[0] for entry in found):
        return "ipv4:" + ",".join(dict.fromkeys(found))
    return "ipv6:" + ",".join(dict.fromkeys(
        entry if entry.startswith("[") else _ip_literal("::ffff:" + entry.rsplit(":", 1)[0],
                                                         int(entry.rsplit(":", 1)[1]))
        for entry in found))
