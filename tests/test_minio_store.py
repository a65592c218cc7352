"""The MinIO media plugin against a real S3-protocol server on loopback (moto's
ThreadedMotoServer): the shared MediaStore contract, plus presigned URLs, multipart uploads
straight to the bucket, bucket creation and configuration.

No MinIO server binary can be installed here (there is none on PyPI or in Debian); the plugin
speaks plain S3 through the ``minio`` client, which is what moto serves.
"""

from __future__ import annotations

import hashlib
import os
import secrets

import pytest
import requests

from roost.core.config import OptionRegistry, builtin_options, load_config
from roost.core.errors import Unavailable
from roost.core.pluginmanager import make_plugin_manager
from roost.plugins.minio.store import MinioMediaStore
from s3_server import ACCESS_KEY, SECRET_KEY, S3Server
from test_media_contract import BASE_URL, MediaStoreContract, read


@pytest.fixture(scope="module")
def s3():
    server = S3Server().start()
    yield server
    server.stop()


def new_store(s3: S3Server, bucket: str | None = None) -> MinioMediaStore:
    return MinioMediaStore(s3.client(), bucket or "roost-" + secrets.token_hex(4))


class TestMinioMediaStore(MediaStoreContract):
    @pytest.fixture
    def store(self, s3):
        return new_store(s3)

    def test_bucket_is_created_when_missing(self, s3):
        bucket = "fresh-" + secrets.token_hex(4)
        assert not s3.client().bucket_exists(bucket)
        new_store(s3, bucket)
        assert s3.client().bucket_exists(bucket)
        new_store(s3, bucket)  # an existing bucket is used as it is

    def test_presigned_urls_go_straight_to_the_bucket(self, store, s3):
        data = os.urandom(70_000)
        url, headers = store.upload_url("blobs/x", BASE_URL, 60)
        assert url.startswith(f"http://{s3.endpoint}/{store.bucket}/blobs/x?")
        assert "X-Amz-Signature=" in url and headers == []
        assert requests.put(url, data=data, timeout=30).status_code == 200
        assert read(store, "blobs/x") == data
        download = store.download_url("blobs/x", BASE_URL, 60)
        assert requests.get(download, timeout=30).content == data
        assert store.stat("blobs/x") == (len(data), hashlib.md5(data).hexdigest())
        assert store.stat("blobs/none") is None

    def test_multipart_upload_through_presigned_part_urls(self, store):
        parts = [os.urandom(5 * 1024 * 1024), os.urandom(1234)]
        upload_id = store.start_multipart("blobs/big")
        etags = []
        for number, part in enumerate(parts, start=1):
            response = requests.put(store.part_upload_url("blobs/big", upload_id, number, 60),
                                    data=part, timeout=60)
            assert response.status_code == 200
            etags.append((number, response.headers["ETag"]))
        store.complete_multipart("blobs/big", upload_id, etags)
        assert read(store, "blobs/big") == b"".join(parts)

    def test_unreachable_endpoint_is_reported(self):
        from minio import Minio

        dead = Minio("127.0.0.1:1", access_key="a", secret_key="b", secure=False,
                     region="us-east-1")
        dead._http.connection_pool_kw["retries"] = False
        with pytest.raises(Unavailable, match="cannot reach MinIO"):
            MinioMediaStore(dead, "roost")


def test_configured_by_options_environment_and_file(s3, tmp_path):
    """ROOST_MEDIA=minio and ROOST_MINIO_* select and configure the plugin (options declared
    through roost_add_options, so also --flags and the config file)."""
    pm = make_plugin_manager(load_entrypoints=False)
    options = OptionRegistry()
    builtin_options(options)
    pm.hook.roost_add_options(options=options)
    bucket = "configured-" + secrets.token_hex(4)
    (tmp_path / "roost.toml").write_text(f'minio_bucket = "{bucket}"\n')
    env = {"ROOST_MEDIA": "minio", "ROOST_MINIO_ENDPOINT": s3.endpoint,
           "ROOST_MINIO_ACCESS_KEY": ACCESS_KEY, "ROOST_MINIO_SECRET_KEY": SECRET_KEY,
           "ROOST_MINIO_SECURE": "false"}
    config = load_config(options, {"data_dir": str(tmp_path)}, env)
    store = pm.hook.roost_media_backend(config=config)
    assert isinstance(store, MinioMediaStore) and store.bucket == bucket
    assert config.minio_secure is False
    assert config.public()["minio_secret_key"] == "***"
    missing = load_config(options, {"data_dir": str(tmp_path)}, {"ROOST_MEDIA": "minio"})
    with pytest.raises(ValueError, match="minio_access_key"):
        pm.hook.roost_media_backend(config=missing)
