"""API keys and passwords: the key format both wandb clients accept, a fast hash at rest for
keys, a slow salted hash for passwords, and constant-time comparison.

wandb is never imported here: each client's own validator runs in that client's Python.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import pytest

from roost.core import auth
from roost.core.auth import (Credentials, api_key_hash, generate_api_key, hash_password, key_hint,
                             verify_password)
from roost.core.cli import option_registry
from roost.core.config import load_config
from roost.core.errors import Unauthenticated
from roost.core.pluginmanager import make_plugin_manager
from roost.core.service import Core
from harness import sdk_python

KEY = re.compile(r"^[A-Za-z0-9]{40}$")

# Each client's own check of a key's format: 0.31 validates before any request
# (wbauth.validation.check_api_key); 0.21 refuses to save a key without exactly 40 characters
# after its prefix (apikey.write_netrc, what wandb.login(key=...) calls).
VALIDATE = r"""
import json, os, sys, tempfile
os.environ["NETRC"] = os.path.join(tempfile.mkdtemp(), "netrc")
os.environ["WANDB_SILENT"] = "true"
import wandb
keys = json.loads(sys.argv[1])
problems = []
for key in keys:
    try:
        from wandb.sdk.lib.wbauth import validation
    except ImportError:  # wandb 0.21
        from wandb.sdk.lib import apikey
        try:
            apikey.write_netrc("http://127.0.0.1:9", "user", key)
            problems.append(None)
        except ValueError as exc:
            problems.append(str(exc))
    else:
        problems.append(validation.check_api_key(key))
print(json.dumps({"version": wandb.__version__, "problems": problems}))
"""


def client_problems(version: str, keys: list[str]) -> list[str | None]:
    result = subprocess.run([sdk_python(version), "-c", VALIDATE, json.dumps(keys)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["version"] == version
    return answer["problems"]


# -- key format -------------------------------------------------------------------------------
def test_keys_are_40_random_alphanumerics():
    keys = [generate_api_key() for _ in range(500)]
    assert all(KEY.match(key) for key in keys)
    assert len(set(keys)) == 500
    alphabet = set("".join(keys))
    assert alphabet == set(auth.KEY_ALPHABET)  # letters of both cases and digits all occur


def test_prefixed_keys():
    key = generate_api_key("lab_7")
    prefix, _, body = key.partition("-")
    assert prefix == "lab_7" and KEY.match(body)


@pytest.mark.parametrize("prefix", ["my-lab", "a b", "x" * 33, "é"])
def test_prefixes_wandb_would_misread_are_refused(prefix):
    with pytest.raises(ValueError, match="prefix"):
        generate_api_key(prefix)


@pytest.mark.sdk
def test_both_wandb_clients_accept_the_keys(sdk_version):
    version = sdk_version  # each SDK version in harness.SDK_VERSIONS, in its own Python
    keys = [generate_api_key(), generate_api_key("roost"), generate_api_key("lab_7")]
    # The last proves the validator is live: a key one character short is refused.
    problems = client_problems(version, keys + [generate_api_key()[:39]])
    assert problems[:3] == [None, None, None] and problems[3]


def test_hint_shows_only_a_prefix():
    key = generate_api_key()
    assert key_hint(key) == key[:6] + "…" and key[6:] not in key_hint(key)


# -- keys at rest ---------------------------------------------------------------------------------
@pytest.fixture
def core(tmp_path, monkeypatch):
    monkeypatch.delenv("ROOST_BLOCK_PLUGINS", raising=False)
    pm = make_plugin_manager(block=set(), trace=False, load_entrypoints=False)
    config = load_config(option_registry(pm), {"data_dir": str(tmp_path)}, {})
    core = Core(config, pm)
    yield core
    core.close()


def test_database_holds_the_sha256_not_the_key(core, tmp_path):
    core.accounts.create_user(None, "alice", password="a long password")
    record, key = core.accounts.create_api_key(None, "alice", "laptop")
    assert core.accounts.authenticate(Credentials("api_key", secret=key)).username == "alice"
    core.close()

    connection = sqlite3.connect(tmp_path / "roost.db")
    try:
        stored = connection.execute("SELECT key_hash, hint FROM api_key").fetchall()
        password_hash = connection.execute(
            "SELECT password_hash FROM user WHERE username = 'alice'").fetchone()[0]
    finally:
        connection.close()
    assert stored == [(hashlib.sha256(key.encode()).hexdigest(), key_hint(key))]
    assert api_key_hash(key) == stored[0][0]
    assert password_hash.startswith("scrypt$")
    for path in tmp_path.glob("roost.db*"):  # the database and its WAL
        raw = path.read_bytes()
        assert key.encode() not in raw and key[6:].encode() not in raw
        assert b"a long password" not in raw


def test_a_key_off_by_one_character_is_refused(core):
    core.accounts.create_user(None, "alice", password="a long password")
    _, key = core.accounts.create_api_key(None, "alice")
    altered = key[:-1] + ("A" if key[-1] != "A" else "B")
    with pytest.raises(Unauthenticated, match="invalid API key"):
        core.accounts.authenticate(Credentials("api_key", secret=altered))
    with pytest.raises(Unauthenticated):
        core.accounts.authenticate(Credentials("api_key", secret=""))


# -- passwords ----------------------------------------------------------------------------------
def test_password_hash_is_salted_scrypt():
    first, second = hash_password("hunter2 hunter2"), hash_password("hunter2 hunter2")
    assert first != second  # a fresh salt each time
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert digest == hashlib.scrypt(b"hunter2 hunter2", salt=bytes.fromhex(salt), n=2**14, r=8,
                                    p=1, dklen=32).hex()


def test_verify_password():
    stored = hash_password("correct horse")
    assert verify_password("correct horse", stored) is True
    assert verify_password("correct hors", stored) is False
    assert verify_password("", stored) is False
    for damaged in (None, "", "plain", "scrypt$", "scrypt$x$8$1$00$00", stored[:-3] + "zzz"):
        assert verify_password("correct horse", damaged) is False


def test_verify_compares_in_constant_time(monkeypatch):
    stored = hash_password("correct horse")
    calls = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest",
                        lambda a, b: calls.append((a, b)) or real(a, b))
    assert verify_password("wrong", stored) is False
    assert verify_password("correct horse", stored) is True
    assert len(calls) == 2 and all(b == stored.rsplit("$", 1)[1] for _, b in calls)
