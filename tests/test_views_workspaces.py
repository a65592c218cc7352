"""Saved workspace views through wandb-workspaces itself against a real Roost: a workspace
with sections and several panel types saved by ``Workspace.save()`` loads back equal with
``Workspace.from_url``, its spec is stored verbatim, the browser's JSON endpoints read and
write the same spec (personal default and shared views), and bad specs are refused."""

from __future__ import annotations

import json
import uuid

import pytest

from harness import run_sdk
from ui_support import add_user
from views_support import WORKSPACES_SDK, WebSession

pytestmark = [pytest.mark.xdist_group("views")]
PASSWORD = "views-password-1"

SAVE_WORKSPACE = r'''
import json, sys, wandb
import wandb_workspaces.workspaces as ws
import wandb_workspaces.reports.v2 as wr
entity, project = sys.argv[1], sys.argv[2]
wandb.Api().create_project(project, entity)
workspace = ws.Workspace(entity=entity, project=project, name="Training view", sections=[
    ws.Section(name="train", is_open=True, panels=[
        wr.LinePlot(title="loss by epoch", x="epoch", y=["train/loss", "train/acc"],
                    smoothing_factor=0.5, log_y=True),
        wr.BarPlot(metrics=["val/acc"]),
        wr.ScalarChart(metric="val/acc"),
        wr.ScatterPlot(x="epoch", y="val/acc"),
    ]),
    ws.Section(name="notes", panels=[
        wr.MarkdownPanel(markdown="# notes <script>alert(1)</script>"),
        wr.ParallelCoordinatesPlot(columns=[wr.ParallelCoordinatesPlotColumn(metric="c::lr"),
                                            wr.ParallelCoordinatesPlotColumn(metric="val/acc")]),
        wr.RunComparer(diff_only="split"),
        wr.MediaBrowser(media_keys=["samples"]),
        wr.CodeComparer(),
    ]),
])
workspace.save()
loaded = ws.Workspace.from_url(workspace.url)
dump = lambda w: w._to_model().spec.model_dump_json(by_alias=True, exclude_none=True)
print("RESULT " + json.dumps({"url": workspace.url, "saved": dump(workspace),
                              "loaded": dump(loaded), "name": loaded.name,
                              "sections": [s.name for s in loaded.sections],
                              "panels": [len(s.panels) for s in loaded.sections]}))
'''

LOAD_WORKSPACE = r'''
import json, sys
import wandb_workspaces.workspaces as ws
loaded = ws.Workspace.from_url(sys.argv[1])
print("RESULT " + json.dumps({"name": loaded.name,
                              "sections": [s.name for s in loaded.sections],
                              "panels": [[type(p).__name__ for p in s.panels]
                                         for s in loaded.sections]}))
'''


@pytest.fixture(scope="module")
def people(roost_server):
    keys = {name: add_user(roost_server, name, PASSWORD) for name in ("viewsann", "viewsbob")}
    return keys


@pytest.fixture
def project() -> str:
    return "views-" + uuid.uuid4().hex[:10]


def stored_spec(server, entity: str, project: str, name: str) -> str:
    rows = server.query("SELECT v.spec FROM saved_view v JOIN project p ON v.project_id = p.id "
                        "JOIN entity e ON p.entity_id = e.id WHERE e.name = ? AND p.name = ? "
                        "AND v.name = ?", (entity, project, name))
    return rows[0]["spec"]


def test_a_workspace_saved_by_wandb_workspaces_loads_back_equal(roost_server, people, project):
    result = run_sdk(WORKSPACES_SDK, SAVE_WORKSPACE, roost_server, people["viewsann"],
                     args=["viewsann", project], timeout=300)
    assert json.loads(result["loaded"]) == json.loads(result["saved"])
    assert result["name"] == "Training view" and result["sections"] == ["train", "notes"]
    assert result["panels"] == [4, 5]
    assert result["url"].startswith(f"{roost_server.url}/viewsann/{project}?nw=")
    # Kept verbatim: the stored text is the JSON the client sent, byte for byte.
    nw = result["url"].rpartition("nw=")[2]
    stored = stored_spec(roost_server, "viewsann", project, f"nw-{nw}-v")
    assert json.loads(stored) == json.loads(result["saved"])

    # The browser's JSON endpoint reads the same spec by the URL's nw value.
    ann = WebSession(roost_server, "viewsann", PASSWORD)
    got = ann.get(f"/_ui/api/viewsann/{project}/views/{nw}").json()["view"]
    assert got["spec"] == json.loads(stored) and got["display_name"] == "Training view"
    listed = ann.get(f"/_ui/api/viewsann/{project}/views").json()["views"]
    assert [v["nw"] for v in listed] == [nw]


def test_a_view_arranged_in_the_browser_loads_with_from_url(roost_server, people, project):
    first = run_sdk(WORKSPACES_SDK, SAVE_WORKSPACE, roost_server, people["viewsann"],
                    args=["viewsann", project], timeout=300)
    ann = WebSession(roost_server, "viewsann", PASSWORD)
    nw = first["url"].rpartition("nw=")[2]
    spec = ann.get(f"/_ui/api/viewsann/{project}/views/{nw}").json()["view"]["spec"]
    sections = spec["section"]["panelBankConfig"]["sections"]
    # The browser moves a panel to the other section, drops a section and renames the view;
    # a panel type it does not know stays as it is.
    sections[1]["panels"].append(sections[0]["panels"].pop(0))
    sections[1]["panels"].append({"__id__": "future1", "viewType": "Panel From The Future",
                                  "config": {"x": 1}, "layout": {"x": 0, "y": 0, "w": 4, "h": 4}})
    answer = ann.send("PUT", f"/_ui/api/viewsann/{project}/views/{nw}",
                      {"spec": spec, "display_name": "Rearranged"})
    assert answer.status_code == 200 and answer.json()["inserted"] is False, answer.text
    loaded = run_sdk(WORKSPACES_SDK, LOAD_WORKSPACE, roost_server, people["viewsann"],
                     args=[first["url"]], timeout=300)
    assert loaded["name"] == "Rearranged"
    assert [len(p) for p in loaded["panels"]] == [3, 7]
    assert loaded["panels"][1][5] == "LinePlot" and loaded["panels"][1][6] == "UnknownPanel"
    kept = json.loads(stored_spec(roost_server, "viewsann", project, f"nw-{nw}-v"))
    assert kept["section"]["panelBankConfig"]["sections"][1]["panels"][-1]["viewType"] == \
        "Panel From The Future"

    # A new shared view made in the browser opens by its URL too.
    created = ann.send("POST", f"/_ui/api/viewsann/{project}/views",
                       {"spec": spec, "display_name": "Made in the browser"}).json()["view"]
    url = f"{roost_server.url}/viewsann/{project}?nw={created['nw']}"
    assert run_sdk(WORKSPACES_SDK, LOAD_WORKSPACE, roost_server, people["viewsann"],
                   args=[url], timeout=300)["name"] == "Made in the browser"


def test_the_personal_default_is_each_users_own(roost_server, people):
    project = "views-shared-" + uuid.uuid4().hex[:8]
    ann, bob = (WebSession(roost_server, n, PASSWORD) for n in ("viewsann", "viewsbob"))
    spec = {"section": {"panelBankConfig": {"sections": []}}, "vizExpanded": False}
    assert ann.get(f"/_ui/api/viewsann/{project}/views/_default").status_code == 404
    run_sdk(WORKSPACES_SDK, "import sys, wandb; wandb.Api().create_project(sys.argv[1], "
            "'viewsann'); print('RESULT {}')\n", roost_server, people["viewsann"],
            args=[project])
    answer = ann.send("PUT", f"/_ui/api/viewsann/{project}/views/_default", {"spec": spec})
    assert answer.status_code == 200 and answer.json()["view"]["personal"], answer.text
    assert ann.get(f"/_ui/api/viewsann/{project}/views/_default").json()["view"]["spec"] == spec
    # Bob cannot read Ann's private project at all: 404, as if it did not exist.
    assert bob.get(f"/_ui/api/viewsann/{project}/views").status_code == 404
    assert bob.get(f"/_ui/api/viewsann/{project}/views/_default").status_code == 404
    # Nobody else's personal view is listed; it is not a shared view.
    views = ann.get(f"/_ui/api/viewsann/{project}/views").json()["views"]
    assert [(v["personal"], v["display_name"]) for v in views] == [(True, "My workspace")]
    assert ann.send("DELETE", f"/_ui/api/viewsann/{project}/views/_default").status_code == 200
    assert ann.get(f"/_ui/api/viewsann/{project}/views/_default").status_code == 404


def test_bad_specs_are_refused_with_a_message_and_store_nothing(roost_server, people, project):
    run_sdk(WORKSPACES_SDK, "import sys, wandb; wandb.Api().create_project(sys.argv[1], "
            "'viewsann'); print('RESULT {}')\n", roost_server, people["viewsann"],
            args=[project])
    upsert = """mutation U($spec: String, $project: String) { upsertView(input: {
      entityName: "viewsann", projectName: $project, name: "nw-bad-v", type: "project-view",
      spec: $spec}) { view { id } } }"""
    key = people["viewsann"]
    for spec, message in (("{not json", "not valid JSON"), ("[1, 2]", "must be a JSON object"),
                          ('{"a": "' + "x" * (10 * 1024 * 1024) + '"}', "the limit is")):
        answer = roost_server.graphql(upsert, {"spec": spec, "project": project}, key)
        assert message in answer["errors"][0]["message"], answer["errors"]
    assert roost_server.query("SELECT COUNT(*) AS n FROM saved_view WHERE name = 'nw-bad-v'"
                              )[0]["n"] == 0
    ann = WebSession(roost_server, "viewsann", PASSWORD)
    answer = ann.send("PUT", f"/_ui/api/viewsann/{project}/views/x", {"spec": [1]})
    assert answer.status_code == 400 and "spec" in answer.json()["error"]
    # Without the CSRF token a browser write is refused.
    answer = ann.send("PUT", f"/_ui/api/viewsann/{project}/views/x", {"spec": {}}, csrf=False)
    assert answer.status_code == 400 and "CSRF" in answer.text
    # Another user may not write into Ann's project.
    bob = WebSession(roost_server, "viewsbob", PASSWORD)
    answer = bob.send("PUT", f"/_ui/api/viewsann/{project}/views/x", {"spec": {}})
    assert answer.status_code in (403, 404), answer.text
