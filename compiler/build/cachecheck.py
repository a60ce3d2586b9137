"""What OUT/.reportc-cache.json may hold.

The cache is a hint, never an authority: it may come from a restored CI cache or a shared
folder, written by anyone. Before any of it is used, its size, its JSON nesting and the type
of every field are checked, and every name in it must be one reportc itself records:

- a source or input key is a plain relative path inside the project (no `..`, no `.`, no
  empty part) or an absolute path inside reportc's shipped styles;
- an output name is exactly `<id>.<format>`, a plain file name directly in the output folder.

A cache that fails as a whole is ignored (everything rebuilds); an entry that fails is dropped
(its source rebuilds). Either way the build says so in one warning and carries on.
"""
from __future__ import annotations

import os
import posixpath
import re
from pathlib import PurePosixPath

from ..render import FORMATS
from .safefile import UntrustedJSON, parse_json

MAX_CACHE_BYTES = 32 * 2**20  # about 25,000 reports; a crafted file costs at most ~400 MB to parse
MAX_ENTRIES = 25_000
MAX_INPUTS = 256  # a source, 8 styles in a chain, the files they name, 4 fonts: under 60
MAX_KEY_CHARACTERS = 4096  # PATH_MAX
MAX_OPTION_CHARACTERS = 100
MAX_INTEGER = 2**63 - 1  # sizes and mtimes are 64-bit in every file system
# JSON objects and arrays per entry: the entry, options, formats, inputs, outputs, one per format.
# Counting brackets before parsing bounds the memory a file of empty `[]` would cost.
_CONTAINERS_PER_ENTRY = 5 + len(FORMATS)
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\Z")  # source.schema.ID_PATTERN, validate.MAX_ID_LENGTH
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_ENTRY_KEYS = {"id", "options", "inputs", "outputs"}
_OPTION_KEYS = {"formats", "print", "strict", "source_date"}
_OPTIONAL_KEYS = {"allow_missing_glyphs"}
_OUTPUT_KEYS = {"name", "format", "size", "pages", "sha256", "mtime_ns"}


class Damaged(ValueError):
    """The cache as a whole cannot be used; the message says why."""


def parse(data: bytes) -> object:
    """The cache's JSON, or Damaged. Bounded in size, in containers and in nesting (safefile)."""
    if len(data) > MAX_CACHE_BYTES:
        raise Damaged(f"it is over {MAX_CACHE_BYTES // 2**20} MB")
    try:
        return parse_json(data, _CONTAINERS_PER_ENTRY * (MAX_ENTRIES + 1),
                          "it holds more JSON objects and arrays than any build writes")
    except UntrustedJSON as error:
        raise Damaged(str(error)) from None


def entries_problem(entries: object) -> str | None:
    if not isinstance(entries, dict):
        return "\"entries\" is not an object"
    if len(entries) > MAX_ENTRIES:
        return f"it has over {MAX_ENTRIES} entries"
    return None


def entry_problem(source: str, value: object, shipped: PurePosixPath) -> str | None:
    """Why one entry cannot be used, or None."""
    problem = key_problem(source, shipped)
    if problem:
        return f"the source name {problem}"
    if not isinstance(value, dict) or set(value) != _ENTRY_KEYS:
        return f"expected an object with {_listed(_ENTRY_KEYS)}"
    if not isinstance(value["id"], str) or not _ID.match(value["id"]):
        return "the id is not one reportc accepts"
    return (_options_problem(value["options"]) or _inputs_problem(value["inputs"], shipped)
            or _outputs_problem(value["outputs"], value["id"])
            or _formats_problem(value["options"]["formats"], value["outputs"]))


def _formats_problem(formats: list, outputs: list) -> str | None:
    # A build writes one output per format it was asked for: an entry claiming "up to date" with
    # fewer (or others) would skip a report whose files were never written.
    if sorted(formats) != sorted(output["format"] for output in outputs):
        return "its outputs are not one per format of its options"
    return None


def key_problem(key: object, shipped: PurePosixPath) -> str | None:
    """Why `key` is not a file key reportc records (cache.file_key), or None. Nothing is opened."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_CHARACTERS or "\x00" in key:
        return "is not a usable path"
    try:
        os.fsencode(key)
    except UnicodeError:  # a lone surrogate from a JSON \ud800 escape
        return "is not a usable path"
    if posixpath.normpath(key) != key:
        return "is not a plain path (`..`, `.` or an empty part)"
    if key.startswith("/"):
        if not PurePosixPath(key).is_relative_to(shipped):
            return "names a file outside the project and reportc's styles"
    elif key == ".." or key.startswith("../"):
        return "names a file outside the project"
    return None


def _options_problem(options: object) -> str | None:
    if not isinstance(options, dict) or not _OPTION_KEYS <= set(options) <= _OPTION_KEYS | _OPTIONAL_KEYS:
        return f"the options are not an object with {_listed(_OPTION_KEYS)}"
    if options.get("allow_missing_glyphs", True) is not True:  # recorded only when given
        return "allow_missing_glyphs is not true"
    formats = options["formats"]
    if (not isinstance(formats, list) or not formats or len(formats) > len(FORMATS)
            or not all(isinstance(fmt, str) and fmt in FORMATS for fmt in formats)
            or len(set(formats)) != len(formats)):
        return f"the formats are not a list of {_named(FORMATS)}"
    if not isinstance(options["print"], bool) or not isinstance(options["strict"], bool):
        return "print and strict are not true or false"
    date = options["source_date"]
    if date is not None and (not isinstance(date, str) or len(date) > MAX_OPTION_CHARACTERS):
        return "source_date is not null or a short text"
    return None


def _inputs_problem(inputs: object, shipped: PurePosixPath) -> str | None:
    if not isinstance(inputs, dict) or not inputs or len(inputs) > MAX_INPUTS:
        return f"the inputs are not an object of 1 to {MAX_INPUTS} files"
    for key, digest in inputs.items():
        problem = key_problem(key, shipped)
        if problem:
            return f"an input {problem}"
        if digest is not None and not _is_sha256(digest):
            return "an input's hash is not null or a SHA-256"
    return None


def _outputs_problem(outputs: object, report_id: str) -> str | None:
    if not isinstance(outputs, list) or len(outputs) > len(FORMATS):
        return f"the outputs are not a list of at most {len(FORMATS)}"
    formats = set()
    for output in outputs:
        if not isinstance(output, dict) or set(output) != _OUTPUT_KEYS:
            return f"an output is not an object with {_listed(_OUTPUT_KEYS)}"
        fmt = output["format"]
        if not isinstance(fmt, str) or fmt not in FORMATS or fmt in formats:
            return f"an output's format is not {_named(FORMATS, 'or')}, or is listed twice"
        formats.add(fmt)
        if output["name"] != f"{report_id}.{fmt}" or not is_output_name(output["name"], fmt):  # nothing else is removed
            return "an output's name is not <id>.<format>"
        if not _is_count(output["size"]) or not _is_count(output["mtime_ns"]):
            return "an output's size or mtime is not a whole number"
        if output["pages"] is not None and not _is_count(output["pages"]):
            return "an output's pages are not null or a whole number"
        if not _is_sha256(output["sha256"]):
            return "an output's hash is not a SHA-256"
    return None


def is_output_name(name: object, fmt: object) -> bool:
    """`name` is `<id>.<format>` for an id reportc accepts: a plain file name, directly in the
    output folder, that a build could have written."""
    if not isinstance(name, str) or fmt not in FORMATS or not name.endswith(f".{fmt}"):
        return False
    return _ID.match(name[:-len(fmt) - 1]) is not None


def _is_count(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_INTEGER  # type(): True is an int too


def _is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.match(value) is not None


def _listed(keys: set[str]) -> str:
    return ", ".join(sorted(keys))


def _named(formats: tuple[str, ...], last: str = "and") -> str:
    return f"{', '.join(formats[:-1])} {last} {formats[-1]}" if len(formats) > 1 else formats[0]
