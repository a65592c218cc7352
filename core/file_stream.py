"""The body of a file_stream POST, as the SDK sends it, checked and taken apart.

The front forwards the body to the core unparsed: the core has to parse every history line
anyway, and one JSON parse here costs less than the front parsing the body, building a
message of a thousand strings and the core decoding it again (docs/architecture.md).

    {"files": {"wandb-history.jsonl": {"offset": 12, "content": ["{...}", ...]}, ...},
     "uploaded": ["model.pt"], "complete": true, "exitcode": 0, "preempting": false}
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from roost.core.errors import InvalidArgument


@dataclass
class FileStreamBody:
    # File name -> (offset of the first line, the lines).
    files: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    uploaded: list[str] = field(default_factory=list)
    complete: bool = False
    exitcode: int | None = None
    preempting: bool = False


def _is_int(value) -> bool:
    return type(value) is int  # bool is an int subclass, and not an offset or exit code


def _flag(body: dict, name: str) -> bool:
    value = body.get(name)
    if value is not None and type(value) is not bool:
        raise InvalidArgument(f"'{name}' must be true or false")
    return bool(value)


def _files(body: dict) -> dict[str, tuple[int, list[str]]]:
    files = body.get("files")
    if files is None:
        return {}
    if type(files) is not dict:
        raise InvalidArgument("'files' must be an object of {name: {offset, content}}")
    parsed = {}
    for name, chunk in files.items():
        if type(chunk) is not dict:
            raise InvalidArgument(f"files[{name!r}] must be an object with offset and content")
        offset = chunk.get("offset", 0)
        content = chunk.get("content", [])
        if not _is_int(offset):
            raise InvalidArgument(f"files[{name!r}].offset must be an integer")
        if type(content) is not list or set(map(type, content)) - {str}:
            raise InvalidArgument(f"files[{name!r}].content must be a list of strings")
        parsed[name] = (offset, content)
    return parsed


def parse_body(data: bytes) -> FileStreamBody:
    """The request, or InvalidArgument saying what is wrong with it."""
    try:
        body = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidArgument(f"file_stream body is not valid JSON: {exc}") from None
    if type(body) is not dict:
        raise InvalidArgument("file_stream body must be a JSON object")
    uploaded = body.get("uploaded") or []
    if type(uploaded) is not list or set(map(type, uploaded)) - {str}:
        raise InvalidArgument("'uploaded' must be a list of file names")
    exitcode = body.get("exitcode")
    if exitcode is not None and not (_is_int(exitcode) and -2**31 <= exitcode < 2**31):
        raise InvalidArgument("'exitcode' must be an integer (a process's exit status)")
    return FileStreamBody(_files(body), uploaded, _flag(body, "complete"), exitcode,
                          _flag(body, "preempting"))
