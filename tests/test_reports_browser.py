"""Reports in Debian's chromium: a report written with wandb-workspaces is edited in the
browser (its panel grid kept as it was), published, shared, and read through its view-only
link signed out, with its chart drawn; nothing a user wrote runs as markup. Screenshots in
test-artifacts/ui/."""

from __future__ import annotations

import json

import pytest

from harness import run_sdk
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)
from views_support import WORKSPACES_SDK

pytestmark = [pytest.mark.xdist_group("reports-browser")]
PASSWORD = "reports-browser-1"

MAKE_REPORT = r'''
import json, sys, wandb
import wandb_workspaces.reports.v2 as wr
for opt in ("adam", "sgd"):
    run = wandb.init(entity="rbann", project="rb", config={"opt": opt})
    for step in range(30):
        run.log({"loss": 1 / (step + 1) + (0.2 if opt == "sgd" else 0)})
    run.finish()
report = wr.Report(entity="rbann", project="rb", title="Browser report", blocks=[
    wr.H1("Intro"), wr.P("before the grid"),
    wr.PanelGrid(runsets=[wr.Runset(entity="rbann", project="rb")],
                 panels=[wr.LinePlot(x="Step", y=["loss"]),
                         wr.CodeComparer()]),
])
report.save()
print("RESULT " + json.dumps({"url": report.url}))
'''

NEW_TEXT = """# Findings <script>window.__pwned = 1</script>

Loss fell **fast**; see $x^2$ and [the docs](https://example.org).

<img src=x onerror="window.__pwned = 2">

```latex
\\frac{a}{b}
```

- [x] checked
- [ ] open

"""


@pytest.fixture(scope="module")
def report_url(roost_server):
    key = add_user(roost_server, "rbann", PASSWORD)
    return run_sdk(WORKSPACES_SDK, MAKE_REPORT, roost_server, key, timeout=300)["url"]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_edit_publish_share_and_read_signed_out(roost_server, report_url, open_page):
    ann = open_page(roost_server, "rbann", PASSWORD)
    page = ann.page
    page.on("dialog", lambda dialog: (_ for _ in ()).throw(AssertionError("a dialog opened")))
    ann.goto(path_of(report_url))
    page.wait_for_selector("#report-blocks[data-state=drawn]")
    assert page.locator(".panel-grid .chart").count() == 1
    page.click("#edit-report")
    page.wait_for_selector("#report-markdown")
    source = page.input_value("#report-markdown")
    assert "# Intro" in source and "[[keep 3: panel grid, 2 panels]]" in source
    page.fill("#report-markdown", NEW_TEXT + source)
    page.fill("#report-title-input", "Browser report, edited")
    page.wait_for_selector("#report-preview h2")
    ann.shot("report-editor")
    page.click("#save-draft")
    page.wait_for_selector("#editor-status.flash")
    page.click("#publish")
    page.wait_for_url("**/reports/Browser-report-edited--*")
    page.wait_for_selector("#report-blocks[data-state=drawn]")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.inner_text("#report-blocks h2")
    assert page.locator("#report-blocks .katex").count() >= 2
    assert page.locator(".report-placeholder[data-kept='Code Comparer']").count() == 1
    ann.shot("report-edited")
    stored = roost_server.query("SELECT spec, type FROM saved_view WHERE display_name = ?",
                                ("Browser report, edited",))
    assert [row["type"] for row in stored] == ["runs"]  # the draft went with publishing
    blocks = json.loads(stored[0]["spec"])["blocks"]
    grid = [b for b in blocks if b["type"] == "panel-grid"]
    assert len(grid) == 1 and len(grid[0]["metadata"]["panelBankSectionConfig"]["panels"]) == 2

    page.click("#share-report")
    page.click("#create-link")
    link = page.input_value("#share-url")
    assert "accessToken=" in link
    ann.shot("report-share")

    # Signed out, through the link: the report and its chart, nothing else.
    reader = open_page(roost_server)
    reader.page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError("a dialog opened")))
    reader.page.goto(link)
    reader.page.wait_for_selector("#report-blocks[data-state=drawn]")
    assert "view-only link" in reader.text(".report-head")
    assert reader.page.locator(".panel-grid .chart[data-points]").count() == 1
    assert int(reader.page.get_attribute(".panel-grid .chart", "data-points")) > 0
    assert reader.page.locator("#edit-report").count() == 0
    assert reader.page.evaluate("window.__pwned") is None
    reader.shot("report-view-only-link")

    page.click("#revoke-link")
    page.wait_for_selector("#create-link")
    response = reader.page.goto(link)
    assert response.status in (401, 404) or "/login" in reader.page.url
