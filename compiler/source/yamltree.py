"""Read YAML as data only: bytes -> a tree whose every node knows FILE:LINE:COL.

Every scalar stays the text that was written (`title: No`, `version: 1.10`); the validator
decides what a scalar means from the schema. Everything YAML can do beyond plain data
(tags, anchors, aliases, merge keys) is refused, because a report is written out in full.

We build the tree from libyaml's event stream ourselves, rather than from PyYAML's composer,
because events still carry anchors and tags (the composer resolves them away) and because an
iterative builder has no recursion limit to hit on hostile nesting.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import field
from itertools import accumulate
from pathlib import Path
from typing import Union

import yaml

from . import textpositions
from .characters import FORBIDDEN, described
from ..diagnostics import Diagnostics, Span, excerpt
from . import yamlhints
from ..records import dataclass

try:  # libyaml is ~30x faster and still gives positions
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
# Values (scalars, lists, mappings) in one file: a 2,000-row table of 50 columns is 100,000; a
# 2 MB list of `1,` would be a million, and building them is what takes the time.
MAX_VALUES = 200_000
MAX_REPORTED_CHARACTERS = 20  # bad characters reported per file before "and N more"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_EMPTY = {"report": "a report needs at least `title`, `subject` and `pillars`",
          "style": "a style needs at least a line such as `extends: default`"}


@dataclass
class Scalar:
    value: str
    span: Span
    style: str  # "" plain, "'" or '"' quoted, "|" literal, ">" folded
    content_line: int  # 1-based line of the first content line (block scalars: the line after "|")
    content_col: int  # 1-based column where content starts on that line
    # ---- positions inside the value (see textpositions): the raw source and where the scalar
    # lies in it, shared by every scalar of the file; the map is built on first use only.
    lines: "_Lines | None" = field(default=None, repr=False, compare=False)
    start: int = field(default=0, repr=False, compare=False)  # libyaml's start_mark.index
    end: int = field(default=0, repr=False, compare=False)  # libyaml's end_mark.index
    _text_map: "textpositions.TextMap | None" = field(default=None, repr=False, compare=False)

    def position(self, offset: int) -> Span:
        """Where the value's character at `offset` was written; the scalar's start when unknown."""
        if self.lines is None or not self.value:
            return self.span
        if self._text_map is None:
            self._text_map = textpositions.build(self.value, self.lines.text, self.start, self.end,
                                                 self.style, self.lines.starts)
        index = self._text_map.source_index(offset)
        if index is None:
            return self.span
        return Span(self.span.file, *self.lines.position(index), self.span.path)
    # ---- end of positions inside the value

    @property
    def is_null(self) -> bool:
        return self.style == "" and self.value in NULL_WORDS

    def line_span(self, index: int) -> Span:
        """The position of the index-th line of the value (exact for literal block scalars)."""
        if self.style == "|":
            return Span(self.span.file, self.content_line + index, self.content_col, self.span.path)
        return self.span


@dataclass
class Mapping:
    span: Span
    entries: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)
    refused: bool = False  # written with a tag (`!!python/...`): reported as such, checked no further

    def get(self, key: str) -> "Node | None":
        entry = self.entries.get(key)
        return entry[1] if entry else None


@dataclass
class Sequence:
    span: Span
    items: list["Node"] = field(default_factory=list)
    flow: bool = False  # written `[a, b]`, not as `- ` lines
    refused: bool = False  # as Mapping.refused


Node = Union[Scalar, Mapping, Sequence]


def describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "nothing" if node.is_null else "text"


def load_file(path: Path, file: str, diagnostics: Diagnostics, kind: str = "report") -> Node | None:
    """Read and parse one file. Reads at most one byte over the limit, so a huge file (or one
    that grows while read) costs no more memory than an allowed one."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_SOURCE_BYTES + 1)
            size = max(len(data), os.fstat(stream.fileno()).st_size)
    except OSError as error:
        diagnostics.error(Span(file, 1, 1), f"cannot read the file: {error.strerror or error}")
        return None
    return load_bytes(data, file, diagnostics, size, kind)


def load_bytes(data: bytes, file: str, diagnostics: Diagnostics, size: int | None = None,
               kind: str = "report") -> Node | None:
    """Parse one YAML document, a `kind` ("report" or "style"); every problem goes to `diagnostics`.
    None when unusable."""
    start = Span(file, 1, 1)
    size = len(data) if size is None else size
    if size > MAX_SOURCE_BYTES:
        diagnostics.error(start, f"file is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit; "
                                 "split the report or move large text out")
        return None
    text = _decode(data, file, diagnostics)
    if text is None:
        return None
    text = _blank_control_characters(text, file, diagnostics)
    root = _parse(text, file, diagnostics, kind)
    if root is None and not diagnostics.has_errors:
        diagnostics.error(start, f"file is empty; {_EMPTY[kind]}")
    return root


def utf16_byte_order(data: bytes) -> str | None:
    """"UTF-16" when `data` starts with a UTF-16 byte order mark (what Windows tools write as
    "Unicode"), else None: named in the message, as "byte 0xFF is not UTF-8" does not say it."""
    return "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None


def _decode(data: bytes, file: str, diagnostics: Diagnostics) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if utf16_byte_order(data):
            diagnostics.error(Span(file, 1, 1), "the file is saved as UTF-16; save it as UTF-8")
            return None
        before = data[: error.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        diagnostics.error(Span(file, line, col), f"byte 0x{data[error.start]:02X} is not UTF-8; "
                                                 "save the file as UTF-8")
        return None


class _Lines:
    """Positions as editors count them: a line ends at \\n, \\r\\n or \\r, nowhere else. libyaml
    also ends lines at U+2028 and U+2029 (YAML 1.1), which editors show inside a line, so its
    marks are converted from their character index instead of taken as they are."""

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" in text:
            self.starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
        else:  # (most files: the same starts from the lines' lengths, in a third of the time)
            self.starts = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))[:-1]

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of the character at `index`."""
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= number <= len(self.starts):
            return ""
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[self.starts[number - 1]:end].rstrip("\r\n")


_LINE_BREAK = re.compile(r"\r\n?|\n")
_COMMENT_AFTER = re.compile(r"[ \t]+#[^\s#]")  # what yamlhints.comment_problem looks at, on the value's line


def _blank_control_characters(text: str, file: str, diagnostics: Diagnostics) -> str:
    """Report control characters and surrogates, and blank them so parsing can go on."""
    matches = list(FORBIDDEN.finditer(text))
    lines = _Lines(text) if matches else None
    for match in matches[:MAX_REPORTED_CHARACTERS]:
        index, char = match.start(), match.group()
        line, col = lines.position(index)
        diagnostics.error(Span(file, line, col), f"{described(char)} is not allowed; delete it (only tab and "
                                                 "newline may appear)")
    if len(matches) > MAX_REPORTED_CHARACTERS:
        diagnostics.error(Span(file, 1, 1), f"and {len(matches) - MAX_REPORTED_CHARACTERS} more control characters")
    # "_" is printable and structure-neutral, so parsing can go on and find the other problems
    return FORBIDDEN.sub("_", text) if matches else text


def _parse(text: str, file: str, diagnostics: Diagnostics, kind: str = "report") -> Node | None:
    lines = _Lines(text)
    builder = _TreeBuilder(file, lines, diagnostics, kind)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if not builder.feed(event):
                break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "invalid YAML"
        if "maximum nesting depth" in problem and mark and not builder.too_deep:
            _report_depth(text[:mark.index], file, lines.position(mark.index), diagnostics)
            return None
        span = Span(file, *lines.position(mark.index)) if mark else Span(file, 1, 1)
        separator = _stray_separator(text, mark.index if mark else len(text), builder.kept_separators)
        if separator is not None:  # libyaml's message would be about the line it cut there
            diagnostics.error(Span(file, *lines.position(separator)), _SEPARATOR.format(ord(text[separator])))
            return None
        diagnostics.error(span, f"invalid YAML: {_explain(error, problem, span, lines)}")
        return None
    except yaml.YAMLError as error:  # reader errors without a mark; the message may span lines
        diagnostics.error(Span(file, 1, 1), f"invalid YAML: {' '.join(str(error).split())}")
        return None
    return None if builder.refused else builder.root


_SEPARATORS = re.compile("[\u2028\u2029]")
_SEPARATOR = ("U+{:04X} (a line or paragraph separator, often in text pasted from Word or a PDF) ends a line "
              "for YAML, though an editor shows none; replace it with a space or a line break")


def _stray_separator(text: str, before: int, kept: list[tuple[int, int]]) -> int | None:
    """The first U+2028 or U+2029 before a syntax error that no value kept as its text (libyaml
    ends a line there, YAML 1.1), or None."""
    starts = [start for start, _ in kept]  # in file order, not overlapping: a bisect each, never quadratic
    for match in _SEPARATORS.finditer(text, 0, before + 1):
        at = bisect.bisect_right(starts, match.start()) - 1
        if at < 0 or match.start() >= kept[at][1]:
            return match.start()
    return None


def _explain(error: yaml.MarkedYAMLError, problem: str, span: Span, lines: _Lines) -> str:
    opened = lines.position(error.context_mark.index) if error.context_mark else None
    return yamlhints.explain(yamlhints.YamlProblem(problem, error.context or "", (span.line, span.col), opened,
                                                   lines.line, len(lines.starts)))


def _report_depth(prefix: str, file: str, fallback: tuple[int, int], diagnostics: Diagnostics) -> None:
    """libyaml 0.2.5+ refuses nesting past its own limit, often scanning ahead of our builder:
    parse the text up to that point again, so our limit is reported where it was passed, the same
    with every libyaml."""
    own = Diagnostics()
    builder = _TreeBuilder(file, _Lines(prefix), own)
    try:
        for event in yaml.parse(prefix, Loader=_Loader):
            if not builder.feed(event):
                break
    except yaml.YAMLError:
        pass
    if builder.too_deep:
        diagnostics.extend(own)
    else:
        diagnostics.error(Span(file, *fallback), f"nesting deeper than {MAX_DEPTH} levels; "
                                                 "a report is at most a few levels deep")


def _set_path(node: Node, path: str) -> None:
    """Record the field a node fills, for tools that map output back to the source (review)."""
    span = node.span  # (a Span made directly: `dataclasses.replace` cost a large report 20 ms)
    node.span = Span(span.file, span.line, span.col, path)


class _TreeBuilder:
    """Turns libyaml events into Scalar / Mapping / Sequence nodes with spans."""

    def __init__(self, file: str, lines: _Lines, diagnostics: Diagnostics, kind: str = "report") -> None:
        self.file = file
        self.kind = kind  # "report" or "style", for the messages
        self.lines = lines
        self.diagnostics = diagnostics
        self.stack: list[list] = []  # [container, pending_key]
        self.root: Node | None = None
        self.documents = 0
        self.too_deep = False
        self.values = 0
        self.too_many = False
        self.kept_separators: list[tuple[int, int]] = []  # scalars holding U+2028/U+2029 as text

    @property
    def refused(self) -> bool:
        """Parsing stopped at a limit: what was read is no report, and is not checked further."""
        return self.too_deep or self.too_many

    def span(self, mark) -> Span:
        return Span(self.file, *self.lines.position(mark.index))

    def feed(self, event) -> bool:
        kind = type(event).__name__
        if kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent", "AliasEvent"):
            self.values += 1
            if self.values > MAX_VALUES:
                self.too_many = True
                self.diagnostics.error(self.span(event.start_mark), f"more than {MAX_VALUES:,} values in one file; "
                                       "a report holds far fewer: split the file, or read a long table from a CSV file")
                return False
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                self.diagnostics.error(self.span(event.start_mark),
                                       f"a second YAML document ('---'); a file holds one {self.kind}")
                return False
        elif kind == "AliasEvent":
            self.diagnostics.error(self.span(event.start_mark),
                                   f"alias '*{excerpt(event.anchor)}' is not allowed; write the value out in full")
            self.add(Scalar("", self.span(event.start_mark), "", 0, 0))
        elif kind == "ScalarEvent":
            self.check_decorations(event)
            if not event.style and not self.expecting_key():
                self.check_comment(event)
            self.add(self.scalar(event))
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            self.check_decorations(event)
            span = self.span(event.start_mark)
            node = Mapping(span) if kind == "MappingStartEvent" else Sequence(span, flow=bool(event.flow_style))
            node.refused = getattr(event, "tag", None) is not None
            self.add(node)
            self.stack.append([node, None])
            if len(self.stack) > MAX_DEPTH:
                # Stop here: libyaml takes time quadratic in the nesting depth (100,000 levels of
                # '[' took a minute), and nothing below this level can be a valid report.
                self.too_deep = True
                self.diagnostics.error(span, f"nesting deeper than {MAX_DEPTH} levels; "
                                             "a report is at most a few levels deep")
                return False
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.stack.pop()
        return True

    def expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1][0], Mapping) and self.stack[-1][1] is None

    def check_comment(self, event) -> None:
        """A plain value followed by ` #text`: YAML drops that text as a comment, silently."""
        # Looked for right after the value first: taking its whole line for every value made a
        # long line of flow items (`[1, 1, 1, ...]`) quadratic.
        if not _COMMENT_AFTER.match(self.lines.text, event.end_mark.index):
            return
        (line, start), (end_line, end) = self.lines.position(event.start_mark.index), \
            self.lines.position(event.end_mark.index)
        text = self.lines.line(end_line)
        problem = yamlhints.comment_problem(text, start if line == end_line else 0, end, empty=event.value == "")
        if problem is None:
            return
        rest = text[end - 1:]
        span = Span(self.file, end_line, end + len(rest) - len(rest.lstrip()))  # at the '#'
        if event.value == "":  # the writer's value is gone entirely (a colour, a date)
            self.diagnostics.error(span, problem)
        else:
            self.diagnostics.warning(span, problem)

    def check_decorations(self, event) -> None:
        if getattr(event, "anchor", None):
            self.diagnostics.error(self.span(event.start_mark),
                                   f"anchor '&{excerpt(event.anchor)}' is not allowed; write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.diagnostics.error(self.span(event.start_mark),
                                   f"tag '{excerpt(tag)}' is not allowed; YAML is read as plain data")

    def scalar(self, event) -> Scalar:
        scalar = self.new_scalar(event)
        kept = event.value.rstrip("\n\u2028\u2029")  # (a block scalar cut at one ends with it)
        if "\u2028" in kept or "\u2029" in kept:
            self.kept_separators.append((event.start_mark.index, event.end_mark.index))
        bad = sorted(set(FORBIDDEN.findall(event.value)))
        if bad:  # written as escapes such as "\a" or "\x00" in a quoted scalar: point at the first
            names = ", ".join(f"U+{ord(char):04X}" for char in bad)
            at = scalar.position(FORBIDDEN.search(event.value).start())
            self.diagnostics.error(at, f"control character {names} in this text is not allowed; "
                                       "remove the escape sequence")
        return scalar

    def new_scalar(self, event) -> Scalar:
        span = self.span(event.start_mark)
        style = event.style or ""
        if style in ("|", ">"):
            line = span.line + 1
            raw = self.lines.line(line)
            col = len(raw) - len(raw.lstrip(" ")) + 1
        else:
            line, col = span.line, span.col + (1 if style in ("'", '"') else 0)
        return Scalar(event.value, span, style, line, col, self.lines, event.start_mark.index, event.end_mark.index)

    def add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, Sequence):
            _set_path(node, f"{container.span.path}[{len(container.items)}]")
            container.items.append(node)
        elif frame[1] is None:
            frame[1] = self.key(node)
        else:
            key = frame[1]
            frame[1] = None
            _set_path(node, f"{container.span.path}.{key.value}" if container.span.path else key.value)
            if key.value == "<<" and key.style == "":
                self.diagnostics.error(key.span, "merge key '<<' is not allowed; write the mapping out in full")
            elif key.value in container.entries:
                first = container.entries[key.value][0].span
                self.diagnostics.error(key.span, f"duplicate key '{excerpt(key.value)}' (first at {first}); "
                                                 "remove one of them")
            else:
                container.entries[key.value] = (key, node)

    def key(self, node: Node) -> Scalar:
        if isinstance(node, Scalar):
            return node
        self.diagnostics.error(node.span, "a key must be plain text")
        return Scalar(f"<{describe(node)}>", node.span, "'", 0, 0)
