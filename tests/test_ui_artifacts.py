"""The artifact pages in a real browser with versions logged by the real wandb SDK: the
difference between two versions' manifests (issue 17 item 13). Screenshots in
test-artifacts/ui/."""

from __future__ import annotations

import pytest

from harness import SDK_VERSIONS, run_sdk, sdk_problem
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.xdist_group("ui-artifacts"), pytest.mark.sdk]

SDK = SDK_VERSIONS[0]
USER, PASSWORD, PROJECT = "artifactor", "artifact-password-1", "lineage"

TWO_VERSIONS = f"""
import os
import wandb
from sdk_common import FAST, emit

def version(files):
    run = wandb.init(project="{PROJECT}", settings=wandb.Settings(**FAST))
    art = wandb.Artifact("corpus", type="dataset")
    for name, text in files.items():
        path = os.path.join(os.getcwd(), name.replace("/", "_"))
        with open(path, "w") as f:
            f.write(text)
        art.add_file(path, name=name)
    run.log_artifact(art)
    run.finish()

version({{"a.txt": "same\\n", "b.csv": "x,y\\n1,2\\n", "c.txt": "gone soon\\n"}})
version({{"a.txt": "same\\n", "b.csv": "x,y\\n1,2\\n3,4\\n", "sub/<d>.txt": "new\\n",
         "notes.txt": "<script>alert(1)</script> plain\\n",
         "marked.csv": 'name,score\\n"a, <i>b</i>",0.5\\nc,0.7\\n'}})
emit({{}})
"""


@pytest.fixture(scope="module")
def logged(roost_server):
    problem = sdk_problem(SDK)
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, USER, PASSWORD)
    run_sdk(SDK, TWO_VERSIONS, roost_server, api_key=key, timeout=240)
    return roost_server


def test_two_versions_manifests_are_compared(logged, open_page):
    page = open_page(logged, USER, PASSWORD)
    page.goto(f"/{USER}/{PROJECT}/artifacts/dataset/corpus/v1")
    assert page.page.input_value("#compare-form input[name=against]") == "v0"
    with page.page.expect_navigation():
        page.page.click("#compare-form button[type=submit]")
    assert page.page.url.endswith("/artifacts/dataset/corpus/v1/diff?against=v0")
    changes = page.page.eval_on_selector_all(
        "#artifact-diff tbody tr[data-change]",
        "rows => rows.map(r => [r.dataset.change, r.querySelector('td.name').textContent])")
    assert sorted(changes) == [["added", "marked.csv"], ["added", "notes.txt"],
                               ["added", "sub/<d>.txt"], ["changed", "b.csv"],
                               ["removed", "c.txt"]]
    assert "1 unchanged" in page.text("#diff-summary")
    page.shot("artifact_diff")
    # The same version against itself: nothing changed. A version that does not exist: 404.
    page.goto(f"/{USER}/{PROJECT}/artifacts/dataset/corpus/v1/diff?against=latest")
    assert "hold the same files" in page.text("#artifact-diff")
    assert page.goto(f"/{USER}/{PROJECT}/artifacts/dataset/corpus/v1/diff?against=v9").status == 404
    missing = page.context.request.get(
        f"{logged.url}/{USER}/{PROJECT}/artifacts/dataset/corpus/v1/diff")
    assert missing.status == 400 and "against" in missing.text()


def test_small_files_preview_as_text_and_tables(logged, open_page):
    page = open_page(logged, USER, PASSWORD)
    page.goto(f"/{USER}/{PROJECT}/artifacts/dataset/corpus/v1")
    page.page.click("button[aria-label='Preview notes.txt']")
    page.page.wait_for_selector("pre.preview-text")
    assert page.text("pre.preview-text").strip() == "<script>alert(1)</script> plain"
    page.page.click("button[aria-label='Preview marked.csv']")
    page.page.wait_for_selector(".preview-table td")
    cells = page.page.eval_on_selector_all(".preview-table tbody td", "n => n.map(c => c.textContent)")
    assert cells == ["a, <i>b</i>", "0.5", "c", "0.7"]
    assert page.page.eval_on_selector_all("#artifact-files script, #artifact-files i",
                                          "n => n.length") == 0
    page.shot("artifact_previews")
    page.page.click("button[aria-label='Preview notes.txt']")  # closes again
    assert not page.page.is_visible("pre.preview-text")
