"""Built-in media plugin: blobs in an S3-compatible bucket (MinIO, or any S3) through ``minio``.

Selected with ``media = "minio"`` (``ROOST_MEDIA=minio``, ``--media minio``). Clients upload
and download with presigned URLs straight to the bucket, so bytes do not pass through Roost.
"""

from roost.core.config import parse_bool
from roost.core.hookspecs import hookimpl


@hookimpl
def roost_add_options(options):
    options.add("minio_endpoint", "127.0.0.1:9000", "MinIO/S3 endpoint Roost talks to (host:port)")
    options.add("minio_access_key", "", "MinIO/S3 access key", secret=True)
    options.add("minio_secret_key", "", "MinIO/S3 secret key", secret=True)
    options.add("minio_bucket", "roost", "bucket holding Roost's blobs (created when missing)")
    options.add("minio_secure", False, "talk to the endpoint over HTTPS", parse_bool)
    options.add("minio_region", "us-east-1", "bucket region (presigning needs no lookup then)")
    options.add("minio_public_url", "", "scheme://host:port clients reach the bucket at, when it "
                "differs from the endpoint (e.g. https://s3.lab.example.org)")


@hookimpl
def roost_media_backend(config):
    if config.media != "minio":
        return None
    from roost.plugins.minio.store import MinioMediaStore

    return MinioMediaStore.from_config(config)
