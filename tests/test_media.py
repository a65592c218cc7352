"""Media through the real SDK (each wandb version) on both media stores: images (numpy, PIL,
boxes, masks), tables (of images too), histograms, audio, video, HTML, 3D points and
wandb.plot charts. Their files land, history points at them, and the Public API gives them
back: run.history(), run.file(...).download(), and tables through use_artifact(...).get().
"""

from __future__ import annotations

import base64

import pytest

from artifact_support import STORES, start_store
from harness import run_sdk

pytestmark = pytest.mark.sdk

EXPECTED_TYPES = {
    "image_numpy": "image-file", "image_pil": "image-file", "image_annotated": "image-file",
    "table": "table-file", "histogram": "histogram", "audio": "audio-file",
    "video": "video-file", "html": "html-file", "points": "object3D-file",
    "line_table": "table-file", "scatter_table": "table-file", "bar_table": "table-file",
    "hist_plot_table": "table-file", "confusion_table": "table-file",
}


@pytest.fixture(scope="module", params=STORES)
def store(request, tmp_path_factory):
    started = start_store(request.param, tmp_path_factory.mktemp(f"media-{request.param}") / "data")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def media(store, sdk_version, tmp_path_factory) -> dict:
    project = f"media-{store.kind}-{sdk_version.replace('.', '-')}"
    return run_sdk(sdk_version, "media_log", store.server,
                   args=[project, str(tmp_path_factory.mktemp(project))], timeout=300)


def test_history_entries_point_at_files_that_landed(media):
    assert media["history_types"] == EXPECTED_TYPES
    for key, path in media["history_paths"].items():
        assert path in media["local_files"], key
    assert media["summary_image_type"] == "image-file"


def test_media_files_round_trip(media):
    kinds = {name.split("/")[1] for name in media["local_files"]}
    assert {"images", "table", "audio", "videos", "html", "object3D", "metadata"} <= kinds
    assert any(name.endswith(".mask.png") for name in media["local_files"])
    assert media["downloaded_files"] == media["local_files"]


def test_server_records_each_files_size_and_md5(media):
    """On MinIO the bytes go straight to the bucket: the core reads size and md5 back from it."""
    expected = {name: [media["local_sizes"][name],
                       base64.b64encode(bytes.fromhex(digest)).decode()]
                for name, digest in media["local_files"].items()}
    assert media["recorded_files"] == expected


def test_image_annotations_and_histogram(media):
    assert media["annotated"] == {"boxes": ["predictions"], "masks": ["ground_truth"]}
    assert media["histogram_bins"] == 65


def test_tables_come_back_through_artifacts(media):
    assert media["table"] == {"columns": ["id", "image", "label"],
                              "labels": ["label-0", "label-1", "label-2", "label-3"],
                              "image_cells": ["Image"]}
    names = {name.rsplit(":", 1)[0].split("-", 2)[-1] for name in media["logged_artifacts"]}
    assert {"table", "line_table", "confusion_table"} <= names
