"""Incremental builds: what each report was built from, kept in OUT/.reportc-cache.json.

A report is up to date when all of these are unchanged since it was built:
- the bytes of its source, of every style file in its chain and of the files those name (logo,
  fonts), compared by SHA-256. A style found by bare name in reportc's shipped styles is also
  recorded as absent from the project's styles/, because adding one there changes what the
  name means;
- the engine: reportc's version, a hash of its own code (an editable install changes without a
  version bump) and the versions of the libraries that shape the bytes;
- the options that shape the bytes: formats, --print, --strict, SOURCE_DATE_EPOCH;
- its outputs: still there, with the size (and SHA-256, when the mtime moved) recorded.

Checking reads JSON, hashes a few small files and stats the outputs: no YAML, no reportlab and
no python-docx are imported, so a no-op rebuild of a whole batch costs a few milliseconds.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable, Mapping

from .. import __version__
from ..diagnostics import excerpt
from ..source.paths import SHIPPED_STYLES, Roots
from . import cachecheck
from .safefile import lstat_regular, read_regular, sha256_regular
from ..records import dataclass

if TYPE_CHECKING:
    from ..style.types import Style

CACHE_NAME = ".reportc-cache.json"
CACHE_FORMAT = 1
# Libraries whose version changes the bytes we write: (module, distribution name).
_LIBRARIES = (("reportlab", "reportlab"), ("docx", "python_docx"), ("PIL", "pillow"), ("yaml", "pyyaml"))
_PACKAGE = Path(__file__).resolve().parent.parent  # all of reportc: a change to any stage rebuilds


@dataclass(frozen=True)
class Output:
    """One artefact as it was written."""

    name: str  # file name in the output folder
    format: str
    size: int
    pages: int | None
    sha256: str
    mtime_ns: int


@dataclass(frozen=True)
class Entry:
    """One source's last successful build."""

    source: str  # as diagnostics name it
    id: str
    options: Mapping[str, object]  # see options_key()
    inputs: Mapping[str, str | None]  # file key -> SHA-256; None: the file must not exist
    outputs: tuple[Output, ...] = field(default=())


# A report with a `published` date never uses SOURCE_DATE_EPOCH (layout dates it by publication),
# so its entry records this instead of the date: CI may set SOURCE_DATE_EPOCH to each commit's
# time without rebuilding every published report on every commit.
NOT_DATED_BY_SOURCE_DATE = "published"


def options_key(formats: Iterable[str], print_marks: bool, strict: bool, source_date: object,
                allow_missing_glyphs: bool = False) -> dict:
    """The options that change what a build writes, as plain JSON values. --allow-missing-glyphs
    is recorded only when given, so the caches of builds without it stay as they were."""
    key = {"formats": list(formats), "print": print_marks, "strict": strict,
           "source_date": None if source_date is None else str(source_date)}
    return {**key, "allow_missing_glyphs": True} if allow_missing_glyphs else key


def _comparable(recorded: Mapping, options: Mapping) -> dict:
    if recorded.get("source_date") == NOT_DATED_BY_SOURCE_DATE:
        return {**options, "source_date": NOT_DATED_BY_SOURCE_DATE}
    return dict(options)


def file_key(path: Path, roots: Roots) -> str:
    """Files inside the project by relative path, so a cache restored into another checkout
    (a CI cache) still matches; anything else (shipped styles) by absolute path."""
    try:
        return path.relative_to(roots.project).as_posix()
    except ValueError:
        return str(path)


def key_path(key: str, roots: Roots) -> Path:
    return Path(key) if Path(key).is_absolute() else roots.project / key


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Larger than any input reportc accepts (sources and styles 2 MB, logos and fonts 20 MB): such an
# input is never hashed, only refused by the loader, so a 4 GB file in sources/ costs no time.
MAX_INPUT_BYTES = 64 * 2**20


def sha256_input(path: Path) -> str | None:
    """The hash of a build input (a resolved path: never a symlink); None also when it is too
    large to be one, or not a regular file."""
    return sha256_regular(path, MAX_INPUT_BYTES)


def sha256_file(path: Path, limit: int | None = None) -> str | None:
    """None when the file does not exist, cannot be read, is not a regular file (a FIFO, a
    device: never waited on, never read without end) or is over `limit` bytes. Follows a
    symlink, as `verify` expects; the build's own checks use safefile without following."""
    return sha256_regular(path, limit, follow=True)


# What Hasher.of gives for a key it will not open: never equal to a recorded hash, so the
# source rebuilds, and its loader says what is wrong with the file, if anything.
REFUSED = "refused: not a plain regular file inside the project or reportc's styles"


class Hasher:
    """Hashes each file once per run: a batch shares its styles and fonts. A key comes from a
    cache anyone may have written: it is opened only when it names a regular file inside the
    project or the shipped styles, reached through no symlink."""

    def __init__(self, roots: Roots) -> None:
        self.roots = roots
        self._memo: dict[str, str | None] = {}

    def of(self, key: str) -> str | None:
        if key not in self._memo:
            self._memo[key] = self._hash(key)
        return self._memo[key]

    def _hash(self, key: str) -> str | None:
        if cachecheck.key_problem(key, _SHIPPED_POSIX):
            return REFUSED
        path = key_path(key, self.roots)
        if os.path.realpath(path) != str(path):  # a symlink on the way: reportc records resolved paths
            return REFUSED if os.path.lexists(path) else None
        return sha256_input(path)


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """reportc's version, its code and its libraries' versions: any change rebuilds everything."""
    digest = hashlib.sha256(f"reportc {__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    for module, distribution in _LIBRARIES:
        digest.update(f"{_library_version(module, distribution)}\n".encode())
    return digest.hexdigest()


def _library_version(module: str, distribution: str) -> str:
    """The library's dist-info folder name (it carries the version), found without importing
    the library: importlib.metadata alone costs more than a whole no-op rebuild."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return f"{distribution} missing"
    folder = Path(spec.origin).parent.parent
    prefix = f"{distribution}-"
    names = sorted(entry for entry in os.listdir(folder)
                   if entry.lower().replace("-", "_").startswith(prefix.replace("-", "_"))
                   and entry.endswith(".dist-info"))
    return names[0] if names else f"{distribution} at {folder}"


# ---- reading and writing the cache -------------------------------------------------------

NEW = "not built before"
ENGINE_CHANGED = "reportc changed (its version, code or libraries)"
_SHIPPED_POSIX = PurePosixPath(SHIPPED_STYLES.as_posix())


@dataclass(frozen=True)
class CacheRead:
    entries: dict[str, Entry]
    absent: str  # why a source without an entry is rebuilt
    problem: str | None = None  # why (part of) the cache was ignored, for a warning


def load(out_dir: Path) -> CacheRead:
    """The entries of a previous build with this engine. Empty when there is no cache; a cache
    that cannot be used, or an entry naming files reportc never records, only costs a rebuild
    (of everything, or of that source), with the reason in `problem`. See cachecheck."""
    try:
        data = read_regular(out_dir / CACHE_NAME, cachecheck.MAX_CACHE_BYTES)
    except FileNotFoundError:
        return CacheRead({}, NEW)
    except (OSError, ValueError) as error:  # a symlink, a FIFO, unreadable
        return CacheRead({}, NEW, f"it cannot be read: {getattr(error, 'strerror', None) or error}")
    if data is None:
        return CacheRead({}, NEW, f"it is over {cachecheck.MAX_CACHE_BYTES // 2**20} MB")
    try:
        raw = cachecheck.parse(data)
    except cachecheck.Damaged as damaged:
        return CacheRead({}, NEW, str(damaged))
    if not isinstance(raw, dict):
        return CacheRead({}, NEW, "it is not a JSON object")
    same_format = type(raw.get("format")) is int and raw["format"] == CACHE_FORMAT  # type(): true is not 1
    if not same_format or raw.get("engine") != engine_fingerprint():
        return CacheRead({}, ENGINE_CHANGED)
    return _entries(raw.get("entries"))


def _entries(raw: object) -> CacheRead:
    problem = cachecheck.entries_problem(raw)
    if problem:
        return CacheRead({}, NEW, problem)
    entries, dropped = {}, []
    for source, value in raw.items():
        problem = cachecheck.entry_problem(source, value, _SHIPPED_POSIX)
        if problem:
            dropped.append((source, problem))
        else:
            entries[source] = _entry(source, value)
    if not dropped:
        return CacheRead(entries, NEW)
    source, first = dropped[0]
    what = f"{len(dropped)} entries are" if len(dropped) > 1 else "an entry is"
    return CacheRead(entries, NEW, f"{what} unusable, first {excerpt(repr(source))}: {first}")


def _entry(source: str, value: dict) -> Entry:
    outputs = tuple(Output(**output) for output in value["outputs"])
    return Entry(source, value["id"], value["options"], value["inputs"], outputs)


def dump(entries: Mapping[str, Entry]) -> bytes:
    # Compact JSON: the C encoder, ten times faster than indented output, matters in a no-op build.
    body = {"format": CACHE_FORMAT, "engine": engine_fingerprint(),
            "entries": {source: _plain(entries[source]) for source in sorted(entries)}}
    return (json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _plain(entry: Entry) -> dict:
    # By hand, not dataclasses.asdict: its deep copy costs more than the rest of a no-op build.
    outputs = [{"name": o.name, "format": o.format, "size": o.size, "pages": o.pages, "sha256": o.sha256,
                "mtime_ns": o.mtime_ns} for o in entry.outputs]
    return {"id": entry.id, "options": dict(entry.options), "inputs": dict(entry.inputs), "outputs": outputs}


# ---- freshness ----------------------------------------------------------------------------

def stale_reason(entry: Entry | None, options: Mapping, hasher: Hasher, out_dir: Path,
                 absent: str = NEW) -> str | None:
    """None when the recorded build still stands, else why it does not (for --verbose)."""
    if entry is None:
        return absent
    if dict(entry.options) != _comparable(entry.options, options):
        return "options changed"
    for key, recorded in entry.inputs.items():
        if hasher.of(key) != recorded:
            return f"{key} {'changed' if recorded else 'appeared'}" if hasher.of(key) else f"{key} is gone"
    for output in entry.outputs:
        problem = _output_problem(out_dir / output.name, output)
        if problem:
            return f"{output.name} {problem}"
    return None


def _output_problem(path: Path, output: Output) -> str | None:
    status = lstat_regular(path)
    if status is None:  # missing, or a symlink or FIFO put in its place: rewritten as a file
        return "is missing" if not os.path.lexists(path) else "is not a regular file"
    if status.st_size != output.size:
        return "was changed"
    # The bytes decide, even at the same size and mtime: the manifest takes its hash from here,
    # and the cache may come from anywhere (hashing a batch's outputs costs milliseconds).
    if sha256_regular(path, output.size) != output.sha256:
        return "was changed"
    return None


# ---- what a built report depended on ------------------------------------------------------

def style_inputs(style: "Style", roots: Roots) -> list[Path | tuple[Path, None]]:
    """The style chain, the files it names, the fonts, and project style names that must stay
    absent. Runs in the worker after loading, so importing the YAML loader here is free."""
    files: list = []
    for style_file in style.files:
        files.append(style_file)
        files += _named_files(style_file, roots)
        shadow = roots.project / "styles" / style_file.name
        if style_file.is_relative_to(SHIPPED_STYLES) and not shadow.exists():
            files.append((shadow, None))
    fonts = style.fonts
    files += [fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic, *(font.path for font in fonts.fallback)]
    return files


def _named_files(style_file: Path, roots: Roots) -> list[Path]:
    """Every path-typed value in one style file (logo, fonts), resolved as the style loader
    resolves it. Reading the chain's files again costs far less than keeping a style's
    every resolved path in the Style type, and new path keys in the schema are picked up."""
    from ..diagnostics import Diagnostics
    from ..source.paths import resolve_file
    from ..source.schema import STYLE_SCHEMA
    from ..source.yamltree import Mapping as TreeMapping, Scalar, load_bytes

    tree = load_bytes(style_file.read_bytes(), style_file.name, Diagnostics())
    found: list[Path] = []

    def walk(node, schema: dict) -> None:
        if isinstance(node, TreeMapping):
            properties = schema.get("properties", {})
            for key, (_, value) in node.entries.items():
                if key != "extends" or schema is not STYLE_SCHEMA:
                    walk(value, properties.get(key) or schema.get("additionalProperties") or {})
        elif isinstance(node, Scalar) and schema.get("x-text") == "path" and not node.is_null:
            path, _ = resolve_file(node.value, style_file.parent, roots)
            if path is not None:
                found.append(path)

    walk(tree, STYLE_SCHEMA)
    return found


def style_hashes(style: "Style", roots: Roots) -> dict[str, str | None]:
    hashes: dict[str, str | None] = {}
    for item in style_inputs(style, roots):
        if isinstance(item, tuple):
            hashes[file_key(item[0], roots)] = None
        else:
            hashes[file_key(item, roots)] = sha256_input(item)
    return hashes


def input_hashes(source: Path, source_sha256: str, style_hashes: Mapping[str, str | None],
                 roots: Roots, data_files: tuple[Path, ...] = ()) -> dict[str, str | None]:
    """Every file the build read: the source, its style chain and fonts, and (v2) the CSV files
    and images of its tables and figures, so editing any of them rebuilds the report."""
    data = {file_key(path, roots): sha256_input(path) for path in data_files}
    return {file_key(source, roots): source_sha256, **style_hashes, **data}
