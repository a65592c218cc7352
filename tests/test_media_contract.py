"""The MediaStore contract (core/media.py), run against the local-disk store (plugins/files).

A media plugin passes when a subclass of ``MediaStoreContract`` with a ``store`` fixture that
builds an empty store passes; a store whose URLs point at Roost's front (signed with
``UrlSigner``) also subclasses ``SignedUrlContract``. For example, a MinIO plugin:

    class TestMinioMediaStore(MediaStoreContract):
        @pytest.fixture
        def store(self, minio_server):
            return MinioMediaStore(...)
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from roost.core.errors import InvalidArgument, NotFound, TooLarge
from roost.core.media import UrlSigner
from roost.plugins.files.store import LocalMediaStore

BASE_URL = "http://127.0.0.1:8080/root"
# Keys that could escape a store; every method must refuse each of them.
ESCAPING_KEYS = ["../x", "a/../../x", "a/../b", "/etc/passwd", "./a", "a//b", "a/", "",
                 "..", "a\\..\\b", "a\\b", "a\x00b", "runs/1/\x00"]


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def read(store, key: str) -> bytes:
    size, chunks = store.open(key)
    data = b"".join(chunks)
    assert size == len(data)
    return data


class Interrupted(Exception):
    pass


def failing_chunks(good: int):
    for _ in range(good):
        yield b"x" * 1000
    raise Interrupted("the client went away")


class MediaStoreContract:
    """Blob behaviour every MediaStore must show. Subclasses provide ``store``."""

    @pytest.fixture
    def store(self):
        raise NotImplementedError("a backend subclass provides the store fixture")

    def test_put_then_open(self, store):
        data = b"hello media\n" * 1000
        size, md5 = store.put("runs/1/files/a.txt", [data[:5000], data[5000:]], 10**6)
        assert size == len(data) and md5 == md5_b64(data)
        assert store.exists("runs/1/files/a.txt")
        assert read(store, "runs/1/files/a.txt") == data

    def test_large_blob_in_many_chunks(self, store):
        data = os.urandom(3 * 1024 * 1024 + 17)
        chunks = [data[i:i + 65536] for i in range(0, len(data), 65536)]
        assert store.put("big/blob.bin", chunks, len(data)) == (len(data), md5_b64(data))
        assert read(store, "big/blob.bin") == data

    def test_empty_blob(self, store):
        assert store.put("empty", [], 10) == (0, md5_b64(b""))
        assert store.exists("empty") and read(store, "empty") == b""

    def test_put_replaces(self, store):
        store.put("k/v", [b"first"], 100)
        store.put("k/v", [b"second"], 100)
        assert read(store, "k/v") == b"second"

    def test_missing_blob(self, store):
        assert store.exists("nothing/here") is False
        with pytest.raises(NotFound):
            store.open("nothing/here")

    def test_delete(self, store):
        store.put("d/e", [b"x"], 10)
        store.delete("d/e")
        assert not store.exists("d/e")
        store.delete("d/e")  # deleting a missing blob is not an error
        with pytest.raises(NotFound):
            store.open("d/e")

    def test_too_large_stores_nothing(self, store):
        assert store.put("limit/exact", [b"0123456789"], 10)[0] == 10
        with pytest.raises(TooLarge, match="10 bytes"):
            store.put("limit/over", [b"01234", b"567890"], 10)
        assert not store.exists("limit/over")

    def test_too_large_keeps_the_previous_blob(self, store):
        store.put("limit/kept", [b"old"], 10)
        with pytest.raises(TooLarge):
            store.put("limit/kept", [b"x" * 11], 10)
        assert read(store, "limit/kept") == b"old"

    def test_interrupted_put_stores_nothing(self, store):
        with pytest.raises(Interrupted):
            store.put("broken/new", failing_chunks(3), 10**6)
        assert not store.exists("broken/new")
        store.put("broken/old", [b"intact"], 100)
        with pytest.raises(Interrupted):
            store.put("broken/old", failing_chunks(3), 10**6)
        assert read(store, "broken/old") == b"intact"

    @pytest.mark.parametrize("key", ESCAPING_KEYS, ids=repr)
    def test_escaping_keys_are_refused(self, store, key):
        for call in (lambda: store.put(key, [b"x"], 10), lambda: store.open(key),
                     lambda: store.delete(key), lambda: store.exists(key),
                     lambda: store.upload_url(key, BASE_URL, 60),
                     lambda: store.download_url(key, BASE_URL, 60)):
            with pytest.raises(InvalidArgument, match="invalid storage path"):
                call()

    def test_health(self, store):
        assert store.health()


class SignedUrlContract:
    """For stores whose URLs point at Roost and carry a ``UrlSigner`` signature."""

    @staticmethod
    def signed(url: str) -> tuple[str, int, str]:
        """(key, expires, signature) from a signed URL."""
        parsed = urlparse(url)
        assert url.startswith(BASE_URL + "/storage/")
        query = parse_qs(parsed.query)
        return (unquote(parsed.path.split("/storage/", 1)[1]), int(query["exp"][0]),
                query["sig"][0])

    def test_upload_and_download_urls_verify(self, store):
        url, headers = store.upload_url("runs/1/files/model file.pt", BASE_URL, 60)
        key, expires, signature = self.signed(url)
        assert key == "runs/1/files/model file.pt" and isinstance(headers, list)
        assert store.verify("PUT", key, expires, signature) is None
        key, expires, signature = self.signed(store.download_url(key, BASE_URL, 60))
        assert store.verify("GET", key, expires, signature) is None

    def test_expired_url(self, store):
        key, expires, signature = self.signed(store.download_url("a/b", BASE_URL, -1))
        assert "expired" in store.verify("GET", key, expires, signature)

    def test_altered_signature(self, store):
        key, expires, signature = self.signed(store.download_url("a/b", BASE_URL, 60))
        forged = ("A" if signature[0] != "A" else "B") + signature[1:]
        assert "not valid" in store.verify("GET", key, expires, forged)
        assert "not valid" in store.verify("GET", key, expires, "")
        assert "not valid" in store.verify("GET", key, expires + 1000, signature)

    def test_signature_is_for_one_key_and_method(self, store):
        key, expires, signature = self.signed(store.download_url("a/b", BASE_URL, 60))
        assert "not valid" in store.verify("GET", "a/c", expires, signature)
        assert "not valid" in store.verify("PUT", key, expires, signature)

    def test_signature_is_for_one_secret(self, store, other_store):
        key, expires, signature = self.signed(store.download_url("a/b", BASE_URL, 60))
        assert "not valid" in other_store.verify("GET", key, expires, signature)

    @pytest.mark.parametrize("key", ESCAPING_KEYS, ids=repr)
    def test_verify_refuses_escaping_keys(self, store, key):
        with pytest.raises(InvalidArgument):
            store.verify("GET", key, 2**40, "sig")


class TestLocalMediaStore(MediaStoreContract, SignedUrlContract):
    @pytest.fixture
    def store(self, tmp_path):
        return LocalMediaStore(tmp_path / "media", UrlSigner("secret-one"))

    @pytest.fixture
    def other_store(self, tmp_path):
        return LocalMediaStore(tmp_path / "other", UrlSigner("secret-two"))

    def test_blobs_live_under_the_root(self, store):
        store.put("runs/7/files/a.txt", [b"x"], 10)
        assert (store.root / "runs/7/files/a.txt").read_bytes() == b"x"

    def test_delete_gives_back_emptied_directories_only(self, store):
        store.put("runs/7/abc/media/a.png", [b"a"], 10)
        store.put("runs/7/def/b.txt", [b"b"], 10)
        store.delete("runs/7/abc/media/a.png")
        assert not (store.root / "runs/7/abc").exists()
        assert (store.root / "runs/7/def/b.txt").exists()
        store.delete("runs/7/def/b.txt")
        assert not (store.root / "runs").exists() and store.root.is_dir()

    def test_failed_puts_leave_no_temporary_files(self, store):
        with pytest.raises(TooLarge):
            store.put("t/over", [b"x" * 20], 10)
        with pytest.raises(Interrupted):
            store.put("t/broken", failing_chunks(2), 10**6)
        assert [p for p in store.root.rglob("*") if p.is_file()] == []

    def test_symlinks_out_of_the_root_are_refused(self, store, tmp_path):
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_bytes(b"secret")
        (store.root / "planted").symlink_to(outside, target_is_directory=True)
        (store.root / "file-link").symlink_to(outside / "secret.txt")
        for key in ("planted/secret.txt", "planted/new.txt", "file-link"):
            for call in (lambda: store.put(key, [b"overwrite"], 100), lambda: store.open(key),
                         lambda: store.delete(key), lambda: store.exists(key)):
                with pytest.raises(InvalidArgument):
                    call()
        assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
        assert (outside / "secret.txt").read_bytes() == b"secret"

    def test_symlinks_inside_the_root_are_followed(self, store):
        store.put("real/a.txt", [b"inside"], 100)
        (store.root / "alias").symlink_to(store.root / "real", target_is_directory=True)
        assert read(store, "alias/a.txt") == b"inside"

    def test_root_is_created(self, tmp_path):
        store = LocalMediaStore(tmp_path / "deep" / "media", UrlSigner("s"))
        assert Path(store.root).is_dir()
