"""libyaml's syntax errors in a report writer's words: what is wrong, and how to write it instead.

libyaml names the parser state it was in ("mapping values are not allowed in this context",
"did not find expected key"); a writer needs the mistake that led there: an unquoted ': ' in a
value, a tab, a quote left open, a list dash out of line. Each rule reads the error and the lines
around its position and returns a message, or None to let the next rule try; libyaml's own
words are the last resort. The position reported stays libyaml's.
"""
from __future__ import annotations

import re
from typing import Callable

from ..diagnostics import excerpt
from ..records import dataclass

Position = tuple[int, int]  # 1-based line and column
_EXAMPLE_CHARACTERS = 50  # of a value quoted back in an example
_CLOSERS = {"[": "]", "{": "}"}
_OPENERS = {"]": "[", "}": "{"}
_KEY_WITHOUT_SPACE = re.compile(r"\s*(?:- )?([^\s:#'\"][^:\s]*):(\S.*)")
_KEY_AND_VALUE = re.compile(r"\s*((?:- )?[^\s:#'\"][^:]*?):\s+(.*)")
_LIST_ITEM = re.compile(r"\s*(-)\s+(.*)")
_COMMENT_LIKE_TEXT = re.compile(r"\s+#[^\s#]")  # ` #5`, ` #1D70B8`: a comment, though it reads as text

# Wordings fixed in full; the rules below cover the rest.
_FIXED = {
    # (libyaml says this of a lone surrogate and of a code past U+10FFFF alike)
    "found invalid Unicode character escape code": "this escape is no Unicode character (a lone surrogate such as "
                                                   "\\uD800, or a code past \\U0010FFFF); write the character itself",
    "found unknown escape character": "inside double quotes a backslash starts an escape such as \\n; "
                                      "write \\\\ for a backslash, or use single quotes",
    "block sequence entries are not allowed in this context": "a list item ('- ') cannot follow a key on "
                                                              "the same line; start the list on the next "
                                                              "line, indented, or quote the text",
    "did not find expected <document start>": "the report ends here ('...' or '---' above); remove it, "
                                              "a file holds one report",
}


@dataclass(frozen=True)
class YamlProblem:
    problem: str
    context: str  # "while scanning a quoted scalar", or ""
    at: Position  # where libyaml stopped
    opened: Position | None  # where the construct it was reading began
    line: Callable[[int], str]  # the text of a 1-based line, without its line break
    lines: int  # how many lines the file has

    @property
    def char(self) -> str:
        """The character libyaml stopped at ("" at the end of a line)."""
        text = self.line(self.at[0])
        return text[self.at[1] - 1] if self.at[1] <= len(text) else ""

    def previous_line(self, number: int) -> tuple[int, str] | None:
        """The nearest line above `number` with something on it other than a comment."""
        for above in range(number - 1, 0, -1):
            text = self.line(above)
            if text.strip() and not text.lstrip().startswith("#"):
                return above, text
        return None


def explain(error: YamlProblem) -> str:
    if error.problem in _FIXED:
        return _FIXED[error.problem]
    for rule in _RULES:
        message = rule(error)
        if message:
            return message
    return error.problem


def _tab(error: YamlProblem) -> str | None:
    if "tab" in error.problem or error.char == "\t":
        return "a tab cannot indent YAML; indent with spaces"
    return None


def _reserved_start(error: YamlProblem) -> str | None:
    """`title: @home`, `` title: `code` ``, `title: &`: characters YAML keeps for itself."""
    scanning = error.opened is not None and error.context in ("while scanning an anchor", "while scanning an alias",
                                                              "while parsing a node")
    if error.problem != "found character that cannot start any token" and not scanning:
        return None
    char = error.char if not scanning else error.line(error.opened[0])[error.opened[1] - 1:][:1]
    return f"a value cannot start with '{char}' (YAML keeps it for itself); quote it, e.g. {_quoted(error.line(error.at[0]))}"


def _unclosed_quote(error: YamlProblem) -> str | None:
    if error.context != "while scanning a quoted scalar" or error.opened is None:
        return None
    quote = error.line(error.opened[0])[error.opened[1] - 1:][:1] or '"'
    inside = " (an apostrophe inside '...' is written twice: 'It''s')" if quote == "'" else ""
    return f"close the quote opened at {error.opened[0]}:{error.opened[1]} with a matching {quote}{inside}"


def _stray_closer(error: YamlProblem) -> str | None:
    if error.char in _OPENERS and error.context != "while parsing a flow sequence" \
            and error.context != "while parsing a flow mapping":
        return f"this '{error.char}' closes no '{_OPENERS[error.char]}'; remove it, or quote the value that contains it"
    return None


def _text_after_quote(error: YamlProblem) -> str | None:
    before = error.line(error.at[0])[:error.at[1] - 1].rstrip()
    if error.problem != "did not find expected key" or not before.endswith(("'", '"')):
        return None
    return (f"text follows the quote that closes at {error.at[0]}:{len(before)}; quote the whole value, writing "
            "a quote inside it as '' (in '...') or \\\" (in \"...\"), or close the quote left open before it")


def _list_dash(error: YamlProblem) -> str | None:
    """A line starting with '-' where libyaml expected a key or a sibling item."""
    if error.problem not in ("did not find expected key", "did not find expected '-' indicator"):
        return None
    line, col = error.at
    if not error.line(line)[col - 1:].startswith("-"):
        return None
    for above in range(line - 1, 0, -1):
        text = error.line(above)
        stripped = text.lstrip(" ")
        if stripped.startswith("-") and not stripped.startswith("---"):
            dash_col = len(text) - len(stripped) + 1
            if len(stripped) > 1 and not stripped[1].isspace():
                return f"line {above} needs a space after its '-' to be a list item: `- {excerpt(stripped[1:], 40)}`"
            return (f"this list item's '-' is in column {col}, but the one above it (line {above}) is in column "
                    f"{dash_col}; the dashes of one list line up")
        if stripped and not stripped.startswith("#") and len(text) - len(stripped) < col - 1:
            break  # a line less indented than this dash: no list above it
    return "a list ('- ') cannot start here; put it under a key of its own ending in ':', e.g. `pillars:`"


def _key_left_of_item(error: YamlProblem) -> str | None:
    """A key of a list item indented less than the item's first key (`- title: A` then `   grade:`)."""
    if error.problem != "did not find expected '-' indicator" or error.char in ("-", ""):
        return None
    line, col = error.at
    for above in range(line - 1, 0, -1):
        text = error.line(above)
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(stripped)
        item = _LIST_ITEM.match(text)
        if item and indent < col - 1:
            key_col = item.start(2) + 1
            if col < key_col:
                return (f"this line starts in column {col}, but the keys of the list item it is in start in "
                        f"column {key_col} (line {above}); line it up with them, or start a new item with '- '")
            return None
        if indent < col - 1:
            return None
    return None


def _unaligned_key(error: YamlProblem) -> str | None:
    if error.problem != "did not find expected key" or error.opened is None:
        return None
    text = error.line(error.at[0])
    if text[:error.at[1] - 1].strip():  # mid-line: `key: [a] b`, text after a finished value
        return f"nothing can follow the value before it on this line; quote the whole value, e.g. {_quoted(text)}"
    if text[error.at[1] - 1:].startswith(":"):  # `: value`: the key is missing, not misplaced
        return "this line has no key before its ':'; write the key's name, e.g. `title: ...`"
    return (f"this line starts in column {error.at[1]}, but the keys of the mapping it is in start in column "
            f"{error.opened[1]} (line {error.opened[0]}); line it up with them")


def _unquoted_colon(error: YamlProblem) -> str | None:
    """`title: Policing: a review` and its variants over two lines."""
    if not error.problem.startswith("mapping values are not allowed"):
        return None
    line, col = error.at
    text = error.line(line)
    if _KEY_AND_VALUE.match(text[:col - 1] + " "):
        return f"a value that contains ': ' must be quoted, e.g. {_quoted(text)}"
    above = error.previous_line(line)
    if above and _KEY_WITHOUT_SPACE.fullmatch(above[1]):
        key, value = _KEY_WITHOUT_SPACE.fullmatch(above[1]).groups()
        return f"line {above[0]} needs a space after its ':' to be a key: `{excerpt(key, 40)}: {excerpt(value, 40)}`"
    if above and ":" not in above[1]:
        return (f"line {above[0]} has no ':', so this line continues its text; put a ':' after the key on "
                f"line {above[0]}, or quote text that contains ': '")
    return ("this line is indented further than the key above it, so it continues that key's text, which cannot "
            "contain ': ' unquoted; quote the text, or start this key in the same column as the keys above")


def _missing_colon(error: YamlProblem) -> str | None:
    if error.context != "while scanning a simple key" or error.opened is None:
        return None
    word = excerpt(error.line(error.opened[0]).strip(), 40)
    return f"line {error.opened[0]} has no ':' after its key; write `{word}: ...`, or quote it if it is text"


def _flow_collection(error: YamlProblem) -> str | None:
    """`[a, b` never closed, or something other than ',' between its items."""
    kinds = {"while parsing a flow sequence": "[", "while parsing a flow mapping": "{"}
    opener = kinds.get(error.context)
    if opener is None or error.opened is None:
        return None
    where = f"{error.opened[0]}:{error.opened[1]}"
    if _blank_from(error):
        return (f"the '{opener}' at {where} is never closed; add '{_CLOSERS[opener]}', or quote the value "
                f"if it is text starting with '{opener}'")
    return (f"inside the '{opener}' opened at {where}, items are separated by ','; quote an item that "
            "contains ': ', ',' or brackets")


def _missing_value(error: YamlProblem) -> str | None:
    if error.problem != "did not find expected node content":
        return None
    if error.context == "while parsing a flow node":
        return ("a value is missing here; inside [...] separate items with single commas, and quote an item "
                "that starts with '-', '[' or '{'")
    return "a value is missing here; quote text that starts with a character YAML keeps for itself"


def _text_after_block_indicator(error: YamlProblem) -> str | None:
    if error.context != "while scanning a block scalar":
        return None
    return "text cannot follow '|' or '>' on the same line; start the text on the next line, indented"


def _blank_from(error: YamlProblem) -> bool:
    """Whether nothing but spaces and comments follows the error position."""
    line, col = error.at
    rest = [error.line(line)[col - 1:]] + [error.line(n) for n in range(line + 1, error.lines + 1)]
    return all(not text.strip() or text.lstrip().startswith("#") for text in rest)


def _quoted(text: str) -> str:
    """A line `key: value` (or `- value`) with the value quoted, as an example to copy."""
    match = _KEY_AND_VALUE.match(text) or _LIST_ITEM.match(text)
    key, value = (match.group(1), match.group(2)) if match else ("", text.strip())
    if key == "-":
        return f"- {_quoted(value)}"
    value = excerpt(value.strip(), _EXAMPLE_CHARACTERS)
    if '"' in value:
        quoted = "'" + value.replace("'", "''") + "'"
    else:
        quoted = '"' + value.replace("\\", "\\\\") + '"'
    return f"{key}: {quoted}" if key else quoted


def comment_problem(text: str, start_col: int, end_col: int, empty: bool) -> str | None:
    """A plain value on line `text` (columns `start_col` to `end_col`) followed by what YAML reads as
    a comment but looks like text: `title: Issue #5` is "Issue", `primary: #1D70B8` is empty."""
    rest = text[end_col - 1:]
    if not _COMMENT_LIKE_TEXT.match(rest):
        return None
    comment = excerpt(rest.strip(), 20)
    example = f", e.g. {_quoted(text)}" if start_col else ""
    if empty:
        return f"this value is empty: '{comment}' is read as a comment; quote it to make it the value{example}"
    kept = excerpt(text[start_col - 1:end_col - 1], 30)
    return (f"the text stops at '{kept}': '{comment}' is read as a comment (' #' starts one); quote the value "
            f"to keep it{example}")


_RULES = [_tab, _reserved_start, _unclosed_quote, _stray_closer, _text_after_quote, _list_dash, _key_left_of_item,
          _unaligned_key, _unquoted_colon, _missing_colon, _flow_collection, _missing_value,
          _text_after_block_indicator]
