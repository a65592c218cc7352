"""Reports through wandb-workspaces and the SDKs against a real Roost: every block type saved,
loaded back, edited, saved and loaded again; view-only links created, used signed out and
revoked; who may see and change a report; bad input; ``Api().reports`` of both SDKs."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from harness import run_sdk
from ui_support import add_user
from views_support import WORKSPACES_SDK, WebSession

pytestmark = [pytest.mark.xdist_group("reports")]
PASSWORD = "reports-password-1"

# Every block type wandb-workspaces 0.4.13 exports (Weave blocks aside, which need Weave
# objects), every panel type in a panel grid, and text with markup that must stay text.
SAVE_REPORT = r'''
import json, sys, wandb
import wandb_workspaces.reports.v2 as wr
from wandb_workspaces.reports.v2 import interface
entity, project = sys.argv[1], sys.argv[2]
run = wandb.init(entity=entity, project=project, config={"lr": 0.1, "opt": "adam"})
for step in range(20):
    run.log({"train/loss": 1 / (step + 1), "acc": step / 20, "epoch": step // 5})
run.finish()
blocks = [
    wr.TableOfContents(),
    wr.H1("Results <script>alert(1)</script>"), wr.H2("Setup"), wr.H3("Details"),
    wr.P(["plain ", wr.InlineCode("code"), " ", wr.Link("a link", url="https://example.org"),
          " ", wr.InlineLatex("x^2")]),
    wr.MarkdownBlock("**bold** <script>alert(2)</script>"),
    wr.CodeBlock(code="print(1)\nprint(2)", language="python"),
    wr.LatexBlock(text="E = mc^2"),
    wr.BlockQuote("a quote"), wr.CalloutBlock(text="a callout"), wr.HorizontalRule(),
    wr.UnorderedList(["a", "b"]), wr.OrderedList(["one", "two"]),
    wr.CheckedList(items=[wr.CheckedListItem(text="done", checked=True),
                          wr.CheckedListItem(text="todo", checked=False)]),
    wr.Image(url="https://example.org/x.png", caption="an image"),
    wr.Video(url="https://www.youtube.com/embed/abc"),
    wr.Gallery(items=[interface.GalleryURL(url="https://example.org", title="t",
                                            image_url="https://example.org/i.png")]),
    wr.PanelGrid(runsets=[wr.Runset(entity=entity, project=project, name="all runs",
                                    groupby=["config.opt"])],
                 panels=[wr.LinePlot(x="Step", y=["train/loss"]), wr.BarPlot(metrics=["acc"]),
                         wr.ScalarChart(metric="acc"), wr.ScatterPlot(x="epoch", y="acc"),
                         wr.MarkdownPanel(markdown="panel <script>alert(3)</script>"),
                         wr.ParallelCoordinatesPlot(columns=[
                             wr.ParallelCoordinatesPlotColumn(metric="c::lr")]),
                         wr.RunComparer(), wr.MediaBrowser(media_keys=["img"]),
                         wr.CodeComparer(), wr.ParameterImportancePlot(with_respect_to="acc"),
                         wr.CustomChart(query={"summary": ["acc"]}, chart_name="wandb/line/v0")]),
]
report = wr.Report(entity=entity, project=project, title="Every block <b>kept & shown",
                   description="all of them", blocks=blocks)
report.save()
dump = lambda r: r._to_model().spec.model_dump_json(by_alias=True, exclude_none=True)
saved = dump(report)
loaded = wr.Report.from_url(report.url)
first = dump(loaded)
# Edit what was loaded: a new block, a changed title; save; load again.
loaded.blocks = loaded.blocks + [wr.P("added later")]
loaded.title = "Every block, edited"
loaded.save()
edited = dump(loaded)
again = wr.Report.from_url(loaded.url)
print("RESULT " + json.dumps({"url": report.url, "id": report.id, "saved": saved,
                              "first": first, "edited": edited, "again": dump(again),
                              "title": again.title, "blocks": len(again.blocks),
                              "types": [type(b).__name__ for b in again.blocks]}))
'''

SHARE = r'''
import json, sys
import wandb_workspaces.reports.v2 as wr
report = wr.Report.from_url(sys.argv[1])
action = sys.argv[2]
if action == "enable":
    link = report.enable_share_link()
    again = report.enable_share_link()
    print("RESULT " + json.dumps({"link": link, "again": again, "get": report.get_share_url()}))
else:
    print("RESULT " + json.dumps({"revoked": report.disable_share_link(),
                                  "get": report.get_share_url()}))
'''

LIST_REPORTS = r'''
import json, sys, wandb
reports = wandb.Api().reports(sys.argv[1])
print("RESULT " + json.dumps([{"name": r.display_name, "url": r.url,
                               "blocks": len(r.spec["blocks"]), "user": r.user["username"]}
                              for r in reports]))
'''


# Session scope, as the server's: a worker may leave this module and come back to it (its
# tests for the old SDK run in that SDK's group), and the users must not be made twice.
@pytest.fixture(scope="session")
def keys(roost_server):
    return {name: add_user(roost_server, name, PASSWORD) for name in ("repann", "repbob")}


@pytest.fixture(scope="session")
def saved(roost_server, keys):
    project = "reports-" + uuid.uuid4().hex[:8]
    result = run_sdk(WORKSPACES_SDK, SAVE_REPORT, roost_server, keys["repann"],
                     args=["repann", project], timeout=300)
    return {"project": project, **result}


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_every_block_type_round_trips_through_save_load_edit_save_load(saved, roost_server):
    assert json.loads(saved["first"]) == json.loads(saved["saved"])
    assert json.loads(saved["again"]) == json.loads(saved["edited"])
    assert saved["title"] == "Every block, edited"
    assert saved["types"][-1] == "P" and "PanelGrid" in saved["types"]
    # No block came back as unknown: each kept its own class.
    assert "UnknownBlock" not in saved["types"]
    stored = roost_server.query("SELECT spec, type FROM saved_view WHERE display_name = ?",
                                ("Every block, edited",))
    assert len(stored) == 1 and stored[0]["type"] == "runs"
    panel_types = [p["viewType"] for b in json.loads(stored[0]["spec"])["blocks"]
                   if b["type"] == "panel-grid"
                   for p in b["metadata"]["panelBankSectionConfig"]["panels"]]
    assert len(panel_types) == 11 and "Vega2" in panel_types


def test_the_report_page_and_its_data_for_its_readers(saved, roost_server):
    ann = WebSession(roost_server, "repann", PASSWORD)
    page = ann.get(path_of(saved["url"]))
    assert page.status_code == 200
    # Titles are text: the page escapes them and carries no script a user wrote.
    assert "Every block, edited" in page.text and "<script>alert" not in page.text
    listed = ann.get(f"/_ui/api/repann/{saved['project']}/reports").json()["reports"]
    assert [r["title"] for r in listed] == ["Every block, edited"]
    assert listed[0]["authors"] == ["repann"]
    grid = next(i for i, b in enumerate(json.loads(roost_server.query(
        "SELECT spec FROM saved_view WHERE display_name = ?", ("Every block, edited",))[0]
        ["spec"])["blocks"]) if b["type"] == "panel-grid")
    view_id = listed[0]["id"]
    runset = ann.get(f"/_ui/api/reports/{view_id}/blocks/{grid}/runsets/0").json()
    assert runset["grouping"] == ["config.opt"] and len(runset["runs"]) == 1
    run = runset["runs"][0]
    assert run["group"] == ["adam"] and run["summary"]["acc"] == 0.95
    series = ann.get(f"/_ui/api/reports/{view_id}/runs/repann/{saved['project']}/"
                     f"{run['name']}/series?keys=train/loss&points=50").json()["series"]
    assert len(series["train/loss"]["y"]) == 20

    bob = WebSession(roost_server, "repbob", PASSWORD)
    # Ann's project is private: her report does not exist for Bob, in any form.
    assert bob.get(path_of(saved["url"])).status_code == 404
    assert bob.get(f"/_ui/api/reports/{view_id}/blocks/{grid}/runsets/0").status_code == 404
    assert bob.send("DELETE", f"/_ui/api/reports/{view_id}").status_code == 404
    answer = roost_server.graphql('query { view(id: "%s") { id spec } }'
                                  % saved["id"], api_key=None)  # admin may read
    assert answer["data"]["view"]["id"] == saved["id"]


def test_a_view_only_link_reads_its_report_signed_out_until_revoked(saved, roost_server,
                                                                    keys):
    enabled = run_sdk(WORKSPACES_SDK, SHARE, roost_server, keys["repann"],
                      args=[saved["url"], "enable"], timeout=300)
    link = enabled["link"]
    assert enabled["again"] == link == enabled["get"] and "?accessToken=" in link
    token = link.rpartition("accessToken=")[2]
    anonymous = requests.Session()
    page = anonymous.get(roost_server.url + path_of(link), timeout=30)
    assert page.status_code == 200 and "Every block, edited" in page.text
    view_id = json.loads(page.text.split('id="page-data">', 1)[1].split("</script>")[0]
                         )["report"]["id"]
    grid_runs = anonymous.get(f"{roost_server.url}/_ui/api/reports/{view_id}/blocks/18/"
                              f"runsets/0?accessToken={token}", timeout=30)
    assert grid_runs.status_code == 200 and len(grid_runs.json()["runs"]) == 1
    # Only that report: another report of the same project, or the project's pages, are not
    # readable with the token.
    other = roost_server.graphql("""mutation { upsertView(input: {entityName: "repann",
        projectName: "%s", type: "runs", name: "other", spec: "{\\"blocks\\": []}"}) {
        view { id } } }""" % saved["project"], api_key=keys["repann"])["data"]["upsertView"]
    other_id = other["view"]["id"]
    from roost.admin.ui.report_access import url_id, view_id_of
    other_path = f"/repann/{saved['project']}/reports/x--{other_id.rstrip('=')}"
    assert anonymous.get(f"{roost_server.url}{other_path}?accessToken={token}",
                         timeout=30).status_code == 404
    assert anonymous.get(f"{roost_server.url}/repann/{saved['project']}?accessToken={token}",
                         timeout=30, allow_redirects=False).status_code in (302, 401, 404)
    # It never allows an edit, with or without the token.
    for method in ("PUT", "DELETE"):
        answer = anonymous.request(method, f"{roost_server.url}/_ui/api/reports/{view_id}"
                                   f"?accessToken={token}", json={"title": "hacked"}, timeout=30)
        assert answer.status_code in (400, 401, 403), answer.text
    gql = anonymous.post(f"{roost_server.url}/graphql?accessToken={token}", timeout=30, json={
        "query": 'mutation { deleteView(input: {id: "%s"}) { success } }' % saved["id"]})
    assert "errors" in gql.json() or gql.status_code == 401
    assert roost_server.query("SELECT COUNT(*) AS n FROM saved_view WHERE display_name = ?",
                              ("Every block, edited",))[0]["n"] == 1
    assert url_id(view_id_of(other_id)) == other_id.rstrip("=")

    revoked = run_sdk(WORKSPACES_SDK, SHARE, roost_server, keys["repann"],
                      args=[saved["url"], "disable"], timeout=300)
    assert revoked == {"revoked": True, "get": None}
    gone = anonymous.get(roost_server.url + path_of(link), timeout=30, allow_redirects=False)
    assert gone.status_code in (302, 401, 404)
    stored = roost_server.query("SELECT token_hash, nonce FROM view_access_token")
    assert all(token not in (row["token_hash"], row["nonce"]) for row in stored)


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_api_reports_lists_them_for_both_sdks(saved, roost_server, keys, sdk_version, who):
    key = keys["repann" if who == "owner" else "repbob"]
    result = run_sdk(sdk_version, LIST_REPORTS, roost_server, key,
                     args=[f"repann/{saved['project']}"], check=False, timeout=300)
    if who == "outsider":
        # Ann's project is private: the SDK gets Roost's refusal of the project itself.
        output = result["_stderr"] + result["_stdout"]
        assert result["_exit_code"] != 0 and ("403" in output or "another user" in output)
        return
    listed = result["_value"]
    assert "Every block, edited" in [r["name"] for r in listed]
    found = next(r for r in listed if r["name"] == "Every block, edited")
    assert found["user"] == "repann" and found["blocks"] > 20
    ann = WebSession(roost_server, "repann", PASSWORD)
    assert ann.get(path_of(found["url"])).status_code == 200


def test_bad_report_input_is_refused_and_changes_nothing(saved, roost_server, keys):
    ann = WebSession(roost_server, "repann", PASSWORD)
    base = f"/_ui/api/repann/{saved['project']}/reports"
    for body, status in (([], 400), ({"spec": "x"}, 400), ({"spec": {"blocks": 3}}, 400),
                         ({"title": "t" * 200}, 400), ({"title": 5}, 400)):
        answer = ann.send("POST", base, body)
        assert answer.status_code == status and answer.json()["error"], (body, answer.text)
    answer = ann.get(f"/repann/{saved['project']}/reports/nonsense--!!!")
    assert answer.status_code == 404
    upsert = """mutation U($spec: String!, $id: ID) { upsertView(input: {id: $id,
      spec: $spec}) { view { id } } }"""
    bad = roost_server.graphql(upsert, {"spec": "{]", "id": saved["id"]}, keys["repann"])
    assert "not valid JSON" in bad["errors"][0]["message"]
    foreign = roost_server.graphql(upsert, {"spec": "{}", "id": saved["id"]}, keys["repbob"])
    assert foreign["errors"] and "does not exist" in foreign["errors"][0]["message"]
    stored = roost_server.query("SELECT spec FROM saved_view WHERE display_name = ?",
                                ("Every block, edited",))[0]["spec"]
    assert json.loads(stored) == json.loads(saved["edited"])


DELETE_REPORT = r'''
import json, sys, wandb
import wandb_workspaces.reports.v2 as wr
report = wr.Report(entity=sys.argv[1], project=sys.argv[2], title="Short lived",
                   blocks=[wr.P("soon gone")]).save()
draft = wr.Report(entity=sys.argv[1], project=sys.argv[2], title="Short lived",
                  blocks=[wr.P("a draft")])
draft.id = report.id
draft.save(draft=True)
listed = [r.display_name for r in wandb.Api().reports(f"{sys.argv[1]}/{sys.argv[2]}")]
print("RESULT " + json.dumps({"listed": listed, "deleted": report.delete()}))
'''


def test_delete_through_wandb_workspaces(roost_server, keys):
    project = "reports-del-" + uuid.uuid4().hex[:8]
    result = run_sdk(WORKSPACES_SDK, DELETE_REPORT, roost_server, keys["repann"],
                     args=["repann", project], timeout=300)
    assert result == {"listed": ["Short lived"], "deleted": True}
    assert roost_server.query(
        "SELECT COUNT(*) AS n FROM saved_view v JOIN project p ON v.project_id = p.id "
        "WHERE p.name = ?", (project,))[0]["n"] == 0
