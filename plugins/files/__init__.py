"""Built-in media plugin: blobs as files under DATA_DIR/media, served through signed URLs."""

from roost.core.hookspecs import hookimpl


@hookimpl(trylast=True)
def roost_media_backend(config):
    from roost.core.media import UrlSigner
    from roost.plugins.files.store import LocalMediaStore

    if config.media != "files":
        return None
    signer = UrlSigner(config.secret_file("signing.key", "signing_key"))
    return LocalMediaStore(config.data_path / "media", signer)
