"""Inline and block text -> the model's closed text types. The only place that knows `**`.

Inline markup is exactly `**bold**`, `*italic*` and `[text](url)`, and (v2) the note mark
`[^NAME]` and the cross-references `@tbl-NAME` / `@fig-NAME`; everything else, `<`, `&`,
entities, tags, emoji, is literal text (images and tags with a warning, see `notmarkup`). Parsing never raises: text that does not form markup
stays as written. A link with a scheme other than http, https or mailto is reported.

Parsing takes time linear in the text (a source may hold megabytes of hostile text), and markup
nests at most MAX_NESTING deep; deeper delimiters stay literal.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable

from . import nesting, notmarkup, tables
from ..diagnostics import Diagnostics, Span, excerpt
from ..model import (Block, CrossRef, Emph, FootnoteDefinition, Inline, Inlines, Link, NoteRef, Paragraph, Strong,
                     SubHeading, Text)

LINK_SCHEMES = ("http", "https", "mailto")
MAX_NESTING = 6  # levels of markup inside markup; real text nests three at most (link, bold, italic)
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_STAR = re.compile(r"\*")
_MARKUP_START = re.compile(r"[*\[@]")
_REF_NAME = r"([A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)"  # a trailing `-` or `.` is the sentence's
_NOTE_REF = re.compile(r"\[\^" + _REF_NAME + r"\]")
_NOTE_DEFINITION = re.compile(r"\[\^" + _REF_NAME + r"\]:[ \t]*")
_CROSS_REF = re.compile(r"@(tbl|fig)-" + _REF_NAME)


def reference_in(text: str) -> re.Match | None:
    """The first note mark (`[^name]`) or cross-reference (`@tbl-name`) written in `text`."""
    marks = [match for match in (_NOTE_REF.search(text), _CROSS_REF.search(text)) if match]
    return min(marks, key=lambda match: match.start()) if marks else None
_STRONG_CLOSER = re.compile(r"(?<=\S)(?=\*\*(?!\*))")  # zero-width, so overlapping ones are all found
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_BULLET = re.compile(r"- (.*)\Z", re.S)
_NUMBERED = re.compile(r"(\d{1,9})\. (.*)\Z", re.S)
_SUBHEADING = re.compile(r"### (.*)\Z", re.S)
_SUBSUBHEADING = re.compile(r"#### (.*)\Z", re.S)  # one level below `### ` (v2)

Locate = Callable[[int], Span]  # an offset in the text parsed -> where it was written


class _Context:
    """What the parse of one text reports to: refused links, and where a reference was written."""

    def __init__(self, span: Span, diagnostics: Diagnostics, locate: Locate | None) -> None:
        self.span, self.diagnostics, self.locate = span, diagnostics, locate

    def at(self, offset: int) -> Span:
        return self.locate(offset) if self.locate else self.span

    def link(self, target: str, offset: int) -> None:
        problem = link_problem(target)
        if problem:
            self.diagnostics.error(self.at(offset), problem)


def link_problem(target: str, schemes: tuple[str, ...] = LINK_SCHEMES) -> str | None:
    """Why a link target is refused, or None."""
    match = _SCHEME.match(target)
    if not match or match.group(1).lower() not in schemes:
        prefixes = [f"{s}:" if s == "mailto" else f"{s}://" for s in schemes]
        allowed = " or ".join([", ".join(prefixes[:-1]), prefixes[-1]] if len(prefixes) > 1 else prefixes)
        return f"link '{excerpt(target)}' must start with {allowed}"
    return None


def parse_inline(text: str, span: Span, diagnostics: Diagnostics, locate: Locate | None = None) -> Inlines:
    """Inline markup of `text`; a refused link is reported where its target was written
    (`locate(offset)`), or at `span` when no finer position is known; so are images and tags."""
    context = _Context(span, diagnostics, locate)
    notmarkup.warn_inline(text, context.at, diagnostics)
    return tuple(_merge_text(_inlines(text, context, allow_links=True, depth=1)))


def _inlines(text: str, report: _Context, allow_links: bool, depth: int, base: int = 0) -> list[Inline]:
    """`text` is `base` characters into the text parse_inline was given (for positions)."""
    if depth > MAX_NESTING or not _MARKUP_START.search(text):
        return [Text(text)] if text else []
    stars = _Stars(text)
    starts = _MARKUP_START if allow_links else _STAR
    out: list[Inline] = []
    position = literal_start = 0
    while found := starts.search(text, position):
        position = found.start()
        node, end = _markup_at(text, position, stars, report, allow_links, depth, base)
        if node is None:
            position += 1
            continue
        if literal_start < position:
            out.append(Text(text[literal_start:position]))
        out.append(node)
        position = literal_start = end
    if literal_start < len(text):
        out.append(Text(text[literal_start:]))
    return out


def _markup_at(text: str, position: int, stars: "_Stars", report: _Context, allow_links: bool,
               depth: int, base: int) -> tuple[Inline | None, int]:
    if text[position] == "@":
        match = _CROSS_REF.match(text, position)
        if match and not (position and (text[position - 1].isalnum() or text[position - 1] in "._-")):  # not an email
            return CrossRef(match.group(1), match.group(2), report.at(base + position)), match.end()
        return None, position
    if text[position] == "[":
        note = _NOTE_REF.match(text, position)
        if note:
            return NoteRef(note.group(1), report.at(base + position)), note.end()
        match = _LINK.match(text, position)
        if match and position and text[position - 1] == "!":  # an image: literal (notmarkup warns)
            return None, position
        if match and allow_links:
            report.link(match.group(2), base + match.start(2))
            children = tuple(_inlines(match.group(1), report, False, depth + 1, base + match.start(1)))
            return Link(match.group(2), children), match.end()
        return None, position
    close = stars.strong_close(position)
    if close is not None:
        inner = _inlines(text[position + 2:close], report, allow_links, depth + 1, base + position + 2)
        return Strong(tuple(inner)), close + 2
    close = stars.emph_close(position)
    if close is not None:
        inner = _inlines(text[position + 1:close], report, allow_links, depth + 1, base + position + 1)
        return Emph(tuple(inner)), close + 1
    return None, position


class _Stars:
    """Where each `**bold**` and `*italic*` opened in one text closes, found once for the whole
    text in time linear in its number of `*`.

    The rules (a "solid" character is any but white space):
    - `**` followed by a solid character opens bold; it closes at the first `**` at least one
      character later that follows a solid character and is not followed by a third `*`.
    - `*` not followed by `*` but by a solid character opens italic. Italic holds characters
      other than `*` and bold-like spans (`**` before a solid character, to a `**` after one),
      and closes at a `*` after a solid character and not before another `*`: the first such
      closing reachable, trying the nearest end of each bold-like span first.

    These are the rules of the backtracking patterns reportc used before, which took quadratic
    time or worse on hostile text (many unclosed `*`); tests/test_markup.py checks the two agree.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.stars = [match.start() for match in _STAR.finditer(text)]
        self.strong_closers = [match.start() for match in _STRONG_CLOSER.finditer(text)]
        self._italic_close_at: dict[int, int | None] | None = None  # computed when italic is first tried

    @property
    def italic_close_at(self) -> dict[int, int | None]:
        if self._italic_close_at is None:
            self._italic_close_at = self._italic_closes()
        return self._italic_close_at

    def _italic_closes(self) -> dict[int, int | None]:
        """For each `*` met inside italic: where the italic closes, continuing from there.

        Computed from the last `*` back to the first, so every jump forward is already known;
        one tight loop, as hostile text may hold a million `*`."""
        text, stars, length = self.text, self.stars, len(self.text)
        closes: dict[int, int | None] = {}
        good_span_ends: list[int] = []  # negated closers of bold-like spans after which italic closes
        following = len(stars)  # index in `stars` of the first `*` at or after star + 2
        for index in range(len(stars) - 1, -1, -1):
            star = stars[index]
            while following > 0 and stars[following - 1] >= star + 2:
                following -= 1
            solid_before = star > 0 and not text[star - 1].isspace()
            double = star + 1 < length and text[star + 1] == "*"
            close = None
            if solid_before and not double:
                close = star
            elif double and star + 2 < length and not text[star + 2].isspace():  # a bold-like span opens
                found = bisect.bisect_right(good_span_ends, -(star + 3)) - 1
                if found >= 0:
                    close = self._italic_close_from(-good_span_ends[found] + 2, closes)
            closes[star] = close
            if double and solid_before and following < len(stars) and closes[stars[following]] is not None:
                good_span_ends.append(-star)
        return closes

    def _italic_close_from(self, position: int, closes: dict[int, int | None] | None = None) -> int | None:
        """Inside italic, at `position`: characters other than `*` are content up to the next `*`."""
        index = bisect.bisect_left(self.stars, position)
        if index == len(self.stars):
            return None
        return (self.italic_close_at if closes is None else closes)[self.stars[index]]

    def _solid(self, index: int) -> bool:
        return 0 <= index < len(self.text) and not self.text[index].isspace()

    def _is_star(self, index: int) -> bool:
        return 0 <= index < len(self.text) and self.text[index] == "*"

    def _double(self, index: int) -> bool:
        return self._is_star(index) and self._is_star(index + 1)

    def strong_close(self, position: int) -> int | None:
        """Where bold opened at `position` closes (the index of the closing `**`), or None."""
        if not (self._double(position) and self._solid(position + 2)):
            return None
        index = bisect.bisect_left(self.strong_closers, position + 3)
        return self.strong_closers[index] if index < len(self.strong_closers) else None

    def emph_close(self, position: int) -> int | None:
        """Where italic opened at `position` closes (the index of the closing `*`), or None."""
        if not (self._is_star(position) and not self._is_star(position + 1) and self._solid(position + 1)):
            return None
        return self._italic_close_from(position + 2)


def count_spans(inlines: Inlines) -> int:
    """How many bold, italic and link spans `inlines` holds, nested ones included."""
    count, pending = 0, list(inlines)
    while pending:
        node = pending.pop()
        if not isinstance(node, Text):
            count += 1
            pending += node.children
    return count


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


def parse_blocks(text: str, line_span: Callable[[int], Span], diagnostics: Diagnostics,
                 locate: Locate | None = None) -> tuple[Block, ...]:
    """Block text: paragraphs, `- ` bullets, `1. ` numbered items (nested by indentation), `### ` and
    `#### ` sub-headings, `> ` quotations, pipe tables.

    `line_span(i)` gives the source position of the i-th line of the text; `locate(offset)`, when
    given, the position of any character of it, so each block and each problem inside one is
    reported where it was written.
    """
    blocks: list[Block] = []
    paragraph: list[tuple[int, int, str]] = []  # (line index, offset in text, stripped line)
    quoted: list[tuple[int, int, str]] = []  # the content of the `> ` lines of an open quotation
    quote_lines: list[tuple[int, int, str]] = []  # those lines as written

    def span_of(piece: tuple[int, int, str]) -> Span:
        return locate(piece[1]) if locate else line_span(piece[0])

    def inline(pieces: list[tuple[int, int, str]]) -> Inlines:
        joined, joined_locate = _joined(pieces, locate)
        return parse_inline(joined, span_of(pieces[0]), diagnostics, joined_locate)

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(_paragraph_or_note(paragraph, inline, span_of))
            paragraph.clear()

    def flush_quotation() -> None:
        if any(piece[2] for piece in quoted):
            blocks.append(nesting.quotation(quoted, inline, span_of))
        elif quoted:  # `>` lines with nothing after them quote nothing: they print as written
            blocks.append(Paragraph(inline(quote_lines), span_of(quote_lines[0])))
        quoted.clear()
        quote_lines.clear()

    lists = nesting.ListBuilder(inline, diagnostics, blocks.append)

    def flush_all() -> None:
        flush_paragraph(); lists.close(); flush_quotation()

    lines = _lines(text, line_span, locate)
    after_table = 0  # lines before this one belong to a table already parsed

    def table_inline(cell: str, offset: int, span: Span) -> Inlines:
        return parse_inline(cell, span, diagnostics, (lambda at: locate(offset + at)) if locate else None)

    for index, raw in enumerate(lines.texts):
        offset = lines.starts[index] + len(raw) - len(raw.lstrip())
        line = raw.strip()
        if index < after_table:
            continue
        if tables.starts_table(lines, index):
            flush_all()
            table, after_table = tables.parse_table(lines, index, table_inline, diagnostics)
            blocks.append(table)
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        heading = _SUBHEADING.match(line) or _SUBSUBHEADING.match(line)
        if line.startswith("> ") or line == ">":
            if not quoted:
                flush_all()
            quoted.append(_part(index, offset, line, 1))
            quote_lines.append((index, offset, line))
            continue
        flush_quotation()
        if not line:
            flush_all()
        elif heading:
            flush_all()
            level = 2 if heading.re is _SUBSUBHEADING else 1
            blocks.append(SubHeading(inline([_part(index, offset, line, heading.start(1))]),
                                     span_of((index, offset, line)), level))
        elif (bullet or numbered) and not (numbered and paragraph and int(numbered.group(1)) != 1):
            # (A numbered line other than `1. ` inside a paragraph is its text wrapped: "in\n2019. It")
            flush_paragraph()
            content_start = bullet.start(1) if bullet else numbered.start(2)
            # an item is located at its `- ` or `1. `
            lists.item(nesting.indent_of(raw), "bullet" if bullet else "number",
                       int(numbered.group(1)) if numbered else 1,
                       _part(index, offset, line, content_start), span_of((index, offset, line)))
        elif lists.open and not _NOTE_DEFINITION.match(line):
            # A line right after an item, indented or not, continues it (as in Markdown): a blank
            # line ends the list.
            lists.continue_item((index, offset, line))
        else:
            lists.close()
            if _NOTE_DEFINITION.match(line):  # a note's text starts a paragraph of its own
                flush_paragraph()
            notmarkup.warn_heading(line, span_of((index, offset, line)), diagnostics)
            paragraph.append((index, offset, line))
    flush_all()
    return tuple(blocks)


def _paragraph_or_note(pieces: list[tuple[int, int, str]], inline: Callable, span_of: Callable) -> Block:
    """A paragraph, or the text of a note when it starts `[^NAME]: `."""
    first = pieces[0]
    definition = _NOTE_DEFINITION.match(first[2])
    if not definition:
        return Paragraph(inline(pieces), span_of(first))
    text_pieces = [_part(first[0], first[1], first[2], definition.end()), *pieces[1:]]
    return FootnoteDefinition(definition.group(1), inline(text_pieces), span_of(first))


def _lines(text: str, line_span: Callable[[int], Span], locate: Locate | None) -> "tables.Lines":
    texts = text.split("\n")
    starts, position = [], 0
    for raw in texts:
        starts.append(position)
        position += len(raw) + 1
    return tables.Lines(texts, starts, lambda index, offset: locate(offset) if locate else line_span(index))


def squashed(value: str, locate: Locate) -> Locate:
    """For `" ".join(value.split())` (a field whose line breaks are spaces): offsets in it ->
    where they were written. The word map is built on first use, as most text has no problem."""
    words: list[tuple[int, int]] = []  # (offset in the squashed text, offset in `value`)

    def squashed_locate(offset: int) -> Span:
        if not words:
            position = squashed_offset = 0
            for word in value.split():
                position = value.find(word, position)
                words.append((squashed_offset, position))
                position += len(word)
                squashed_offset += len(word) + 1
        at = max(bisect.bisect_right(words, (offset, len(value) + 1)) - 1, 0)
        start, original = words[at] if words else (0, 0)
        return locate(original + offset - start)

    return squashed_locate


def _part(index: int, offset: int, line: str, content_start: int) -> tuple[int, int, str]:
    """The content of a line after its marker (`- `, `1. `, `### `), stripped, with its offset."""
    content = line[content_start:]
    stripped = content.lstrip()
    return index, offset + content_start + len(content) - len(stripped), stripped.rstrip()


def _joined(pieces: list[tuple[int, int, str]], locate: Locate | None) -> tuple[str, Locate | None]:
    """Lines of one paragraph or list item joined with spaces, and a map from offsets in the
    joined text back to the source (through the offsets the lines had in the whole text)."""
    joined = " ".join(piece[2] for piece in pieces)
    if locate is None:
        return joined, None
    starts, position = [], 0
    for piece in pieces:
        starts.append(position)
        position += len(piece[2]) + 1

    def joined_locate(offset: int) -> Span:
        at = max(bisect.bisect_right(starts, offset) - 1, 0)
        return locate(pieces[at][1] + offset - starts[at])

    return joined, joined_locate
