"""What the real wandb SDK prints when Roost refuses it: the reason, in both versions."""

from __future__ import annotations

from harness import run_sdk

INIT = """
import wandb
from sdk_common import FAST
wandb.init(project="refused", settings=wandb.Settings(**FAST))
"""

REASON = "invalid API key"


def test_init_with_a_wrong_key_prints_why(roost_server, sdk_version):
    wrong = "0123456789abcdef" * 2 + "01234567"  # 40 characters: passes the SDK's own check
    result = run_sdk(sdk_version, INIT, roost_server, api_key=wrong, check=False, timeout=90,
                     env={"WANDB_SILENT": "false"})
    output = result["_stdout"] + result["_stderr"]
    assert result["_exit_code"] != 0, output
    # The exception the script dies of carries the reason, and so does what wandb printed.
    error_lines = [line for line in output.splitlines()
                   if "CommError" in line or "ERROR" in line]
    assert error_lines and all("<no message>" not in line for line in error_lines), output
    assert any(REASON in line and "CommError" in line for line in error_lines), output
    assert "roost key create" in output  # how to get a good one
