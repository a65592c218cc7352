"""The committed gRPC stubs are exactly what ``protos/generate.py`` produces from the .proto
files; the check fails when they drift (tried on a copy, never on the repository)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROTOS = Path(__file__).resolve().parent.parent / "protos"


def check(protos_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(protos_dir / "generate.py"), "--check"],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def protos_copy(tmp_path) -> Path:
    copy = tmp_path / "protos"
    shutil.copytree(PROTOS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_committed_stubs_match_the_proto_files():
    result = check(PROTOS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_on_a_hand_edited_stub(protos_copy):
    stub = next(iter(sorted(protos_copy.glob("*_pb2_grpc.py"))))
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    result = check(protos_copy)
    assert result.returncode == 1
    assert stub.name in result.stdout
    assert "python protos/generate.py" in result.stdout


def test_check_fails_when_a_proto_changed_without_regenerating(protos_copy):
    proto = protos_copy / "common.proto"
    proto.write_text(proto.read_text() + "\nmessage AddedWithoutRegenerating { string x = 1; }\n")
    result = check(protos_copy)
    assert result.returncode == 1
    assert "common_pb2.py" in result.stdout


def test_check_fails_on_a_stray_stub(protos_copy):
    (protos_copy / "gone_pb2.py").write_text("# a stub whose .proto was deleted\n")
    result = check(protos_copy)
    assert result.returncode == 1
    assert "gone_pb2.py" in result.stdout


def test_regenerating_the_copy_makes_the_check_pass_again(protos_copy):
    stub = protos_copy / "common_pb2.py"
    stub.write_text("# broken\n")
    assert check(protos_copy).returncode == 1
    subprocess.run([sys.executable, str(protos_copy / "generate.py")], check=True, timeout=120)
    assert check(protos_copy).returncode == 0
    assert stub.read_bytes() == (PROTOS / "common_pb2.py").read_bytes()
