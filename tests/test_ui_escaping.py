"""Every user-controlled string reaches the page as text: markup logged through the real SDK
in metric names, tags, config keys, notes, run names, file names, captions, table cells and
console lines is shown literally on every page, and no element it describes exists."""

from __future__ import annotations

import pytest

from harness import SDK_VERSIONS, run_sdk, sdk_problem
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-escaping"), pytest.mark.sdk]

SDK = SDK_VERSIONS[0]
USER, PASSWORD, PROJECT = "uimarkup", "markup-password-1", "markup"
MARK = "<b class=pwned>x</b>"
# No "/" (a file name and a metric section must not split it) and no quotes.
FILE_MARK = "<img class=pwned src=x>"

LOG_RUN = r'''
import os
import numpy as np
import wandb
from sdk_common import FAST, emit

mark, file_mark = os.environ["MARK"], os.environ["FILE_MARK"]
run = wandb.init(project=os.environ["ROOST_PROJECT"], name="run " + mark,
                 config={"cfg " + mark: mark, "lr": 0.1}, tags=["tag " + mark],
                 notes="notes " + mark, group="group " + mark, settings=wandb.Settings(**FAST))
for step in range(5):
    run.log({"metric " + mark: step * 0.5, "train/" + file_mark: step})
run.log({"image " + file_mark: wandb.Image(np.zeros((4, 4, 3), dtype="uint8"),
                                          caption="caption " + mark),
         "table " + file_mark: wandb.Table(columns=["col " + mark], data=[["cell " + mark]])})
run.summary["summary " + mark] = 1.5
print("console " + mark)
path = os.path.join(run.dir, file_mark + ".txt")
with open(path, "w") as f:
    f.write("text")
run.save(path, base_path=run.dir, policy="now")
second = run.id
run.finish()
other = wandb.init(project=os.environ["ROOST_PROJECT"], name="plain",
                   config={"cfg " + mark: "different", "lr": 0.1}, settings=wandb.Settings(**FAST))
other.log({"metric " + mark: 1.0})
other.finish()
emit({"run": second, "other": other.id})
'''


@pytest.fixture(scope="module")
def logged(roost_server):
    problem = sdk_problem(SDK)
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, USER, PASSWORD)
    ids = run_sdk(SDK, LOG_RUN, roost_server, api_key=key, timeout=300,
                  env={"ROOST_PROJECT": PROJECT, "MARK": MARK, "FILE_MARK": FILE_MARK})
    return {"server": roost_server, "ids": ids}


def injected(page) -> int:
    """Elements the logged markup would have created had it been parsed as HTML."""
    return page.page.eval_on_selector_all(".pwned, img[src='x'], b.pwned",
                                          "nodes => nodes.length")


def test_markup_is_text_on_every_page(logged, open_page):
    page = open_page(logged["server"], USER, PASSWORD)
    run = f"/{USER}/{PROJECT}/runs/{logged['ids']['run']}"
    checks = [
        ("/", "main", ["run " + MARK, "tag " + MARK]),
        (f"/{USER}/{PROJECT}/table", "#runs-table", ["run " + MARK, "tag " + MARK, "cfg " + MARK,
                                               "summary " + MARK]),
        (f"/{USER}/{PROJECT}/table?group=cfg%20{MARK}", "#runs-table", [MARK]),
        # "metric <b class=pwned>x</b>" has a "/": its section is the part before it.
        (run, "#charts-root", ["metric <b class=pwned>x<", FILE_MARK]),
        (run + "/overview", "main", ["cfg " + MARK, "notes " + MARK, "group " + MARK,
                                     "summary " + MARK, "tag " + MARK]),
        (run + "/logs", "#console", ["console " + MARK]),
        (run + "/files", "#files-table", [FILE_MARK + ".txt"]),
        (run + "/media", "#media-root", ["caption " + MARK, "col " + MARK, "cell " + MARK,
                                         "image " + FILE_MARK]),
        (f"/{USER}/{PROJECT}/compare?runs={logged['ids']['run']},{logged['ids']['other']}",
         "main", ["cfg " + MARK, "run " + MARK]),
        ("/search?q=run", "main", ["run " + MARK]),
    ]
    waits = {"#runs-table": "#runs-table tbody tr", "#charts-root": ".chart[data-points]",
             "#console": "#console .line", "#media-root": ".wb-table table"}
    for path, where, expected in checks:
        page.goto(path)
        if where in waits:
            page.page.wait_for_selector(waits[where])
        if path.endswith("/media"):
            page.page.wait_for_selector("figure.media-item figcaption")
        if "group=" in path:
            page.page.wait_for_selector("tr.group-row")
        text = page.text(where)
        for value in expected:
            assert value in text, f"{path}: {value!r} not shown as text in {where}"
        assert injected(page) == 0, f"{path}: logged markup became elements"
        assert MARK not in page.page.title() or "&lt;" not in page.page.title()
    page.goto(run)
    page.page.wait_for_selector(".chart[data-points]")
    keys = page.page.eval_on_selector_all(".chart", "nodes => nodes.map(n => n.dataset.key)")
    assert "metric " + MARK in keys and "train/" + FILE_MARK in keys
    page.goto(run + "/overview")
    page.shot("escaping_overview")


def test_markup_in_the_url_of_a_file_is_served_as_a_download(logged, open_page):
    page = open_page(logged["server"], USER, PASSWORD)
    run = f"/{USER}/{PROJECT}/runs/{logged['ids']['run']}"
    page.goto(run + "/files")
    link = page.page.locator("#files-table a", has_text=FILE_MARK)
    response = page.context.request.get(logged["server"].url + link.get_attribute("href"))
    assert response.status == 200 and response.body() == b"text"
    assert response.headers["content-type"].startswith("text/plain")
    assert "sandbox" in response.headers["content-security-policy"]
