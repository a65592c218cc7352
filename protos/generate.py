"""Regenerate the Python stubs for the internal gRPC contracts.

    python protos/generate.py          # rewrite the committed stubs
    python protos/generate.py --check  # exit 1 when they differ from the .proto files

The .proto files are compiled under the virtual path ``roost/protos`` so that
protoc writes imports that already match the installed package
(``from roost.protos import common_pb2``); nothing is rewritten afterwards.
"""

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

HERE = Path(__file__).resolve().parent
PROTOS = sorted(p.name for p in HERE.glob("*.proto"))
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def generate(out_dir: Path) -> None:
    import grpc_tools

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-Iroost/protos={HERE}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(f"roost/protos/{name}" for name in PROTOS),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")


def generated_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(GENERATED_SUFFIXES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        fresh_dir = Path(tmp) / "roost" / "protos"
        fresh = generated_files(fresh_dir)
        if options.check:
            stale = [n for n in fresh if not (HERE / n).exists()
                     or not filecmp.cmp(fresh_dir / n, HERE / n, shallow=False)]
            extra = sorted(set(generated_files(HERE)) - set(fresh))
            if stale or extra:
                print("generated stubs are out of date: " + ", ".join(stale + extra))
                print("run: python protos/generate.py")
                return 1
            return 0
        for name in set(generated_files(HERE)) - set(fresh):
            (HERE / name).unlink()
        for name in fresh:
            shutil.copyfile(fresh_dir / name, HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
