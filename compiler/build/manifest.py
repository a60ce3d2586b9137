"""OUT/manifest.json: every artefact of a build with its source, size, pages and SHA-256.

Deterministic: artefacts sorted by path, keys sorted, no timestamps (the one date is
SOURCE_DATE_EPOCH's, when set), so two builds of one tree write the same manifest byte for
byte. `verify` checks a folder against its manifest; `merge` joins the manifests of CI shards.
"""
from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..diagnostics import Diagnostics, Span, excerpt
from ..render import FORMATS
from .safefile import NotRegularFile, UntrustedJSON, parse_json, read_regular
from ..records import dataclass

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
ARTEFACT_SUFFIXES = tuple(f".{fmt}" for fmt in FORMATS)
_FIELDS = ("path", "format", "source", "id", "size", "pages", "sha256")

# Bounds of what a manifest may hold. Anything past them is not a manifest reportc wrote, and
# each bounds the work `verify` and `manifest merge` do for a hostile one.
MAX_MANIFEST_BYTES = 16 * 2**20  # an artefact takes about 200 bytes: 80,000 would fit
MAX_ARTEFACTS = 50_000  # 25,000 reports in PDF and DOCX, 16,666 in all three formats
MAX_ARTEFACT_BYTES = 2**32  # 4 GiB; verify hashes no more than this per artefact
MAX_PAGES = 100_000  # a report at its source limits has a few hundred
MAX_NAME_BYTES = 255  # one file name (and an id), as every common file system allows
MAX_SOURCE_CHARACTERS = 4096  # a path, as Linux's PATH_MAX
MAX_LABEL_CHARACTERS = 100  # the reportc version, the source date


@dataclass(frozen=True, order=True)
class Record:
    path: str  # relative to the manifest's folder, POSIX
    format: str
    source: str  # the source as diagnostics name it
    id: str
    size: int
    pages: int | None  # None for formats without fixed pages (DOCX)
    sha256: str


@dataclass(frozen=True)
class Manifest:
    reportc: str
    source_date: str | None
    artefacts: tuple[Record, ...]


def make(records: Iterable[Record], source_date: object = None) -> Manifest:
    return Manifest(__version__, None if source_date is None else str(source_date),
                    tuple(sorted(set(records))))


def dump(manifest: Manifest) -> bytes:
    """Sorted keys, one artefact per line: readable, diffable, and written by the C encoder."""
    head = {"format": MANIFEST_FORMAT, "reportc": manifest.reportc}
    if manifest.source_date is not None:
        head["source_date"] = manifest.source_date
    records = [json.dumps(_plain(record), sort_keys=True, ensure_ascii=False) for record in manifest.artefacts]
    lines = ['{', '  "artefacts": [', ",\n".join("    " + line for line in records)]
    lines += ["  ],"] + [f"  {json.dumps(key)}: {json.dumps(head[key])}," for key in sorted(head)]
    lines[-1] = lines[-1].rstrip(",")
    return ("\n".join(line for line in lines if line) + "\n}\n").encode()


def _plain(record: Record) -> dict:
    return {"path": record.path, "format": record.format, "source": record.source, "id": record.id,
            "size": record.size, "pages": record.pages, "sha256": record.sha256}


def read(path: Path, diagnostics: Diagnostics, follow: bool = True) -> Manifest | None:
    """A manifest file, or None with every reason in `diagnostics`. The file is hostile until
    checked: it is read only if it is a regular file of at most MAX_MANIFEST_BYTES, parsed
    without recursion or huge-number failures, and every field is checked against bounds.
    `follow`: a symbolic link is read through (a file the user named), else refused (the one
    a build folder holds, which reportc writes as a regular file, as it writes the artefacts)."""
    file = str(path)
    try:
        body = _parse(_read_bounded(path, follow))
    except FileNotFoundError:
        diagnostics.error(Span(file), "no manifest here; build first (reportc build writes it)")
        return None
    except OSError as error:
        diagnostics.error(Span(file), f"cannot read the manifest ({error.strerror or error})")
        return None
    except UntrustedJSON as error:
        message = str(error)
        prefix = "" if message.startswith(("not valid JSON", "lists more than")) else "not a reportc manifest: "
        diagnostics.error(Span(file, error.line, error.col), f"{prefix}{message}; {_REWRITE}")
        return None
    except _Refused as error:
        diagnostics.error(Span(file), str(error))
        return None
    problems = schema_problems(body)
    for problem in problems:
        diagnostics.error(Span(file), f"not a reportc manifest: {problem}; {_REWRITE}")
    if problems:
        return None
    records = tuple(Record(**{key: item[key] for key in _FIELDS}) for item in body["artefacts"])
    return Manifest(body["reportc"], body.get("source_date"), records)


# How to fix a manifest that is not what reportc wrote: it is never edited by hand.
_REWRITE = "build again to rewrite it (reportc build), or restore the manifest the build wrote"
_UTF8_BOM = b"\xef\xbb\xbf"


class _Refused(Exception):
    """A manifest file refused before its contents are looked at; the message says why."""


def _read_bounded(path: Path, follow: bool) -> bytes:
    """The bytes of a regular file of at most MAX_MANIFEST_BYTES (a FIFO is never waited on,
    /dev/zero never read: see safefile)."""
    if "\0" in str(path):  # os.stat() would raise ValueError, not OSError
        raise _Refused("the file name holds a NUL character")
    if not follow and path.is_symlink():
        raise _Refused("is a symbolic link; reportc writes the manifest as a regular file, so this is not "
                       "what it built (not followed)")
    try:
        data = read_regular(path, MAX_MANIFEST_BYTES, follow=follow)
    except NotRegularFile:
        raise _Refused("not a regular file (a folder, FIFO or device?); a manifest is a JSON file") from None
    if data is None:
        raise _Refused(f"the manifest is over {MAX_MANIFEST_BYTES // 2**20} MB; a manifest of "
                       f"{MAX_ARTEFACTS:,} artefacts is far smaller, so this is not one reportc wrote")
    return data


def _parse(data: bytes) -> object:
    """JSON with one array or object per artefact and two more, bounded (see safefile.parse_json).
    A UTF-8 byte order mark is skipped: an editor saving "UTF-8" on Windows adds one, and it
    changes no value (YAML sources are read the same way)."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        return parse_json(data, MAX_ARTEFACTS + 2, f"lists more than {MAX_ARTEFACTS:,} artefacts (or holds "
                                                    "other nested data); not a manifest reportc wrote")
    except UntrustedJSON:
        from ..source.yamltree import utf16_byte_order  # here: verify need not load the YAML parser

        if utf16_byte_order(data):  # "not UTF-8" alone does not say what Windows "Unicode" is
            raise UntrustedJSON(f"not valid JSON: the file is saved as {utf16_byte_order(data)}; "
                                "save it as UTF-8") from None
        raise


_TOP_KEYS = ("artefacts", "format", "reportc", "source_date")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def schema_problems(body: object) -> list[str]:
    """Every way `body` is not a manifest reportc writes (empty when it is one)."""
    format_ = body.get("format") if isinstance(body, dict) else None
    if type(format_) is not int or format_ != MANIFEST_FORMAT:
        return [f"expected an object with \"format\": {MANIFEST_FORMAT}"]
    problems = [f"unknown key {excerpt(key)!r}" for key in sorted(body) if key not in _TOP_KEYS]
    for key, problem in (("reportc", _text_problem(body.get("reportc"), MAX_LABEL_CHARACTERS)),
                         ("source_date", body.get("source_date") is not None
                          and _text_problem(body["source_date"], MAX_LABEL_CHARACTERS))):
        if problem:
            problems.append(f"\"{key}\" {problem}")
    artefacts = body.get("artefacts")
    if not isinstance(artefacts, list):
        return problems + ["expected a list of \"artefacts\""]
    if len(artefacts) > MAX_ARTEFACTS:
        return problems + [f"lists {len(artefacts):,} artefacts; at most {MAX_ARTEFACTS:,} are allowed"]
    seen: set[str] = set()
    for number, item in enumerate(artefacts, 1):
        problems += _record_problems(number, item, seen)
    return problems


def _record_problems(number: int, item: object, seen: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return [f"artefact {number} is not an object"]
    problems = [f"artefact {number} has the unknown key {excerpt(key)!r}" for key in sorted(item) if key not in _FIELDS]
    for key, check in _CHECKS.items():
        problem = check(item[key]) if key in item else "it is missing"
        if problem:
            problems.append(f"artefact {number} has no valid \"{key}\": {problem}")
    if not problems:
        problems += _name_mismatch(number, item)
    path = item.get("path")
    if isinstance(path, str) and path in seen:
        problems.append(f"artefact {number}: {excerpt(path)} is listed twice")
    elif isinstance(path, str):
        seen.add(path)
    return problems


def _name_mismatch(number: int, item: dict) -> list[str]:
    """A build names every artefact `<id>.<format>`: a path that is not its id and format was
    changed after the build (or lists a file the build never wrote, such as the manifest)."""
    expected = f"{item['id']}.{item['format']}"
    if item["path"] == expected:
        return []
    return [f"artefact {number}: its path {excerpt(item['path'])!r} is not its id and format "
            f"({excerpt(expected)!r}); a build names every artefact <id>.<format>"]


def source_problem(value: object) -> str | None:
    """Why `value` is not a source as a build records it (a plain path relative to the
    project, cache.file_key), or None."""
    problem = _text_problem(value, MAX_SOURCE_CHARACTERS)
    if problem:
        return problem
    if _leaves_its_folder(value):
        return f"{excerpt(value)!r} is outside the project; a build records sources relative to it"
    if {"", "."} & set(_parts(value)):
        return f"{excerpt(value)!r} is not a plain relative path (an empty or `.` part)"
    return None


def name_problem(value: object) -> str | None:
    """Why `value` is not the plain name of a file in the manifest's own folder (artefacts are
    written there, never in a sub-folder), or None."""
    problem = _text_problem(value, MAX_NAME_BYTES)
    if problem:
        return problem
    parts = _parts(value)
    if _leaves_its_folder(value):
        return f"{excerpt(value)!r} names a file outside its folder; refused"
    if len(parts) > 1 or value in ("", "."):
        return f"{excerpt(value)!r} is not a plain file name; artefacts sit in the manifest's own folder"
    if len(value.encode()) > MAX_NAME_BYTES:
        return f"the name is {len(value.encode()):,} bytes long; file names are at most {MAX_NAME_BYTES}"
    return None


def _parts(path: str) -> list[str]:
    return re.split(r"[/\\]", path)  # either separator: a manifest may come from Windows


def _leaves_its_folder(path: str) -> bool:
    """An absolute path (POSIX, Windows or a drive) or one with a `..` part."""
    return path.startswith(("/", "\\")) or ".." in _parts(path) or bool(re.match(r"[A-Za-z]:", path))


def _text_problem(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return "expected a string"
    if len(value) > limit:
        return f"is {len(value):,} characters long; at most {limit:,} are allowed"
    if _CONTROL.search(value):
        return "holds a control character (such as NUL or a line break)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (it holds a lone surrogate)"
    return None


def _whole_number(limit: int, unit: str = ""):
    def check(value: object) -> str | None:
        if type(value) is not int or not 0 <= value <= limit:
            return f"expected a whole number from 0 to {limit:,}{unit}"
        return None
    return check


_CHECKS = {
    "path": name_problem,
    "format": lambda value: None if value in FORMATS else "expected " + " or ".join(f'"{fmt}"' for fmt in FORMATS),
    "source": source_problem,
    "id": lambda value: _text_problem(value, MAX_NAME_BYTES),
    "size": _whole_number(MAX_ARTEFACT_BYTES, " bytes"),
    "pages": lambda value: None if value is None else _whole_number(MAX_PAGES)(value),
    "sha256": lambda value: None if isinstance(value, str) and _SHA256.match(value)
    else "expected 64 lowercase hexadecimal digits",
}


def merge(manifests: list[tuple[str, Manifest]], diagnostics: Diagnostics) -> Manifest | None:
    """The union of shard manifests. They must come from one reportc and one SOURCE_DATE_EPOCH,
    and an artefact listed twice must be the same bytes (two shards writing one id is a clash)."""
    first_file, first = manifests[0]
    seen: dict[str, tuple[str, Record]] = {}
    for file, manifest in manifests:
        for name, value, expected in (("reportc", manifest.reportc, first.reportc),
                                      ("source_date", manifest.source_date, first.source_date)):
            if value != expected:
                diagnostics.error(Span(file), f"built with {name} {value}, but {first_file} with {expected}; "
                                              "merge only manifests of one release build")
        for record in manifest.artefacts:
            other_file, other = seen.setdefault(record.path, (file, record))
            if other != record:
                diagnostics.error(Span(file), f"{record.path} (from {record.source}) is also in {other_file} "
                                              f"(from {other.source}) with other contents")
    if len(seen) > MAX_ARTEFACTS:
        diagnostics.error(Span(file), f"together the manifests list {len(seen):,} artefacts; "
                                      f"a manifest holds at most {MAX_ARTEFACTS:,}")
    if diagnostics.has_errors:
        return None
    return Manifest(first.reportc, first.source_date, tuple(sorted(record for _, record in seen.values())))


def verify(folder: Path, manifest: Manifest, diagnostics: Diagnostics) -> int:
    """Check every listed artefact's presence, size and SHA-256; warn about unlisted ones (a
    build of some sources or formats, or an interrupted one, leaves others' files in place).
    Returns how many artefacts were checked. Only regular files directly inside `folder` are
    opened: a symbolic link, FIFO or device in the artefact's place is reported, never read."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        diagnostics.error(Span(str(folder)), f"cannot open the folder ({error.strerror or error})")
        return 0
    try:
        for record in manifest.artefacts:
            problem = _artefact_problem(handle, record)
            if problem:
                diagnostics.error(Span(str(folder / record.path)), problem)
    finally:
        os.close(handle)
    _warn_unlisted(folder, {record.path for record in manifest.artefacts}, diagnostics)
    return len(manifest.artefacts)


def _artefact_problem(folder: int, record: Record) -> str | None:
    """What is wrong with one artefact in the folder open as `folder`, or None."""
    unsafe = name_problem(record.path)  # read() refuses these; a Manifest made in code is checked too
    if unsafe:
        return f"the manifest names no plain file in its folder ({unsafe}); refused"
    try:
        info = os.lstat(record.path, dir_fd=folder)
    except FileNotFoundError:
        return f"missing: the manifest lists it (built from {excerpt(record.source)})"
    except OSError as error:
        return f"cannot read it ({error.strerror or error})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; reportc writes regular files, so this is not what it built (not followed)"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a folder, FIFO or device); reportc writes regular files"
    if info.st_size != record.size:
        return f"is {info.st_size} bytes; the manifest says {record.size}"
    digest = _sha256_at(folder, record.path, record.size)
    if isinstance(digest, OSError):
        return f"cannot read it ({digest.strerror or digest})"
    if digest != record.sha256:
        return f"SHA-256 is {digest}; the manifest says {record.sha256}"
    return None


def _sha256_at(folder: int, name: str, size: int) -> str | OSError:
    """SHA-256 of at most size + 1 bytes of a regular file (one that grew since lstat() hashes
    differently, and the work stays bounded by the size the manifest allows)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC,
                         dir_fd=folder)
    except OSError as error:
        return error
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return OSError(0, "not a regular file")
        left = size + 1
        while left > 0:
            chunk = os.read(handle, min(1 << 20, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    except OSError as error:
        return error
    finally:
        os.close(handle)
    return digest.hexdigest()


def _warn_unlisted(folder: Path, listed: set[str], diagnostics: Diagnostics) -> None:
    """An artefact the manifest does not list is not checked: the warning says so, as a folder
    shipped whole would ship it unchecked."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return  # the folder could not be opened: already reported
    for name in names:
        if Path(name).suffix.lower() in ARTEFACT_SUFFIXES and name not in listed:
            diagnostics.warning(Span(str(folder / name)), "not in the manifest, so not checked (left over from "
                                                          "another build?); delete it before shipping the folder")
