"""OUT/manifest.json: every artefact of a build with its source, size, pages and SHA-256.

Deterministic: artefacts sorted by path, keys sorted, no timestamps (the one date is
SOURCE_DATE_EPOCH's, when set), so two builds of one tree write the same manifest byte for
byte. `verify` checks a folder against its manifest; `merge` joins the manifests of CI shards.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..diagnostics import Diagnostics, Span

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
ARTEFACT_SUFFIXES = (".pdf", ".docx")
_FIELDS = {"path": str, "format": str, "source": str, "id": str, "size": int, "pages": (int, type(None)),
           "sha256": str}


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


def read(path: Path, diagnostics: Diagnostics) -> Manifest | None:
    """A manifest file, or None with the reason in `diagnostics`."""
    file = str(path)
    try:
        body = json.loads(path.read_bytes())
    except FileNotFoundError:
        diagnostics.error(Span(file), "no manifest here; build first (reportc build writes it)")
        return None
    except OSError as error:
        diagnostics.error(Span(file), f"cannot read the manifest ({error.strerror or error})")
        return None
    except json.JSONDecodeError as error:
        diagnostics.error(Span(file, error.lineno, error.colno), f"not valid JSON: {error.msg}")
        return None
    except UnicodeDecodeError:
        diagnostics.error(Span(file), "not valid JSON: the file is not UTF-8")
        return None
    problem = _shape_problem(body)
    if problem:
        diagnostics.error(Span(file), f"not a reportc manifest: {problem}")
        return None
    records = tuple(Record(**{key: item[key] for key in _FIELDS}) for item in body["artefacts"])
    return Manifest(body["reportc"], body.get("source_date"), records)


def _shape_problem(body: object) -> str | None:
    if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
        return f"expected an object with \"format\": {MANIFEST_FORMAT}"
    if not isinstance(body.get("reportc"), str) or not isinstance(body.get("artefacts"), list):
        return "expected \"reportc\" and a list of \"artefacts\""
    for index, item in enumerate(body["artefacts"]):
        if not isinstance(item, dict):
            return f"artefact {index + 1} is not an object"
        for key, kind in _FIELDS.items():
            if not isinstance(item.get(key), kind) or isinstance(item.get(key), bool):
                return f"artefact {index + 1} has no valid \"{key}\""
    return None


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
    if diagnostics.has_errors:
        return None
    return Manifest(first.reportc, first.source_date, tuple(sorted(record for _, record in seen.values())))


def verify(folder: Path, manifest: Manifest, diagnostics: Diagnostics) -> int:
    """Check every listed artefact's presence, size and SHA-256; warn about unlisted ones.
    Returns how many artefacts were checked."""
    from .cache import sha256_file

    root = folder.resolve()
    for record in manifest.artefacts:
        path = folder / record.path
        span = Span(str(path))
        if not (folder / record.path).resolve().is_relative_to(root):
            diagnostics.error(span, "the manifest names a file outside its folder; refused")
        elif not path.is_file():
            diagnostics.error(span, f"missing: the manifest lists it (built from {record.source})")
        elif path.stat().st_size != record.size:
            diagnostics.error(span, f"is {path.stat().st_size} bytes; the manifest says {record.size}")
        elif sha256_file(path) != record.sha256:
            diagnostics.error(span, f"SHA-256 is {sha256_file(path)}; the manifest says {record.sha256}")
    listed = {record.path for record in manifest.artefacts}
    for path in sorted(folder.iterdir()):
        if path.suffix in ARTEFACT_SUFFIXES and path.name not in listed:
            diagnostics.warning(Span(str(path)), "not in the manifest (left over from another build?)")
    return len(manifest.artefacts)
