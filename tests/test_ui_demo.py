"""``roost demo`` logs realistic runs to a running Roost through the real wandb SDK: a dataset
artifact, three training runs that use it (metrics, images, histograms, a table, a model
artifact) and one failed run; the web UI then shows them."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from harness import roost_executable
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-demo"), pytest.mark.sdk]

USER, PASSWORD = "demouser", "demo-password-1"


def demo_problem() -> str | None:
    missing = [n for n in ("wandb", "numpy", "PIL") if importlib.util.find_spec(n) is None]
    if missing:
        return f"roost demo needs {', '.join(missing)} in this environment (pip install -e '.[test]')"
    return None


def test_demo_without_a_server_says_what_to_do(tmp_path):
    result = subprocess.run([roost_executable(), "demo", "--url", "http://127.0.0.1:9",
                             "--data-dir", str(tmp_path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "roost serve" in result.stderr or "roost[demo]" in result.stderr


def test_demo_logs_runs_the_ui_shows(roost_server, open_page):
    problem = demo_problem()
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, USER, PASSWORD)
    refused = subprocess.run([roost_executable(), "demo", "--url", roost_server.url,
                              "--api-key", "x" * 40], capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode == 2 and "refused the API key" in refused.stderr
    result = subprocess.run([roost_executable(), "demo", "--url", roost_server.url,
                             "--api-key", key, "--data-dir", str(roost_server.data_dir)],
                            capture_output=True, text=True, timeout=300,
                            cwd=roost_server.log_dir)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"/{USER}/roost-demo" in result.stdout
    runs = roost_server.query(
        "SELECT r.display_name, r.state FROM run r JOIN project p ON r.project_id = p.id "
        "JOIN entity e ON p.entity_id = e.id WHERE e.name = ? AND p.name = 'roost-demo'",
        (USER,))
    states = {r["display_name"]: r["state"] for r in runs}
    assert states == {"prepare-data": "finished", "mlp-small": "finished",
                      "mlp-wide": "finished", "mlp-relu": "finished", "mlp-too-hot": "failed"}
    page = open_page(roost_server, USER, PASSWORD)
    page.goto(f"/{USER}/roost-demo/table")
    page.page.wait_for_selector("#runs-table tr[data-run]")
    assert page.page.locator("#runs-table tr[data-run]").count() == 5
    page.shot("demo_project")
    page.goto(f"/{USER}/roost-demo/artifacts")
    text = page.text("main")
    assert "two-moons" in text and "mlp-wide-model" in text
    with page.page.expect_navigation():
        page.page.click("a:has-text('two-moons')")
    with page.page.expect_navigation():
        page.page.click("#versions-table a:has-text('v0')")
    assert page.page.locator("#consumers li").count() == 4  # every training run used it
    page.shot("demo_artifact")
