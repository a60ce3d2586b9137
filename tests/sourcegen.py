"""Structure-aware generation of report sources for property tests.

A source is generated as a small tree (`Map`, `Seq`, `Str`) from a valid skeleton, then mutated
(unknown keys, wrong types, missing or duplicated keys, YAML decorations) and emitted as YAML
text by our own emitter, so every scalar style (plain, quoted, escaped, block) and every hostile
character can be placed exactly where a writer or another system's export might put it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

# ---- the tree ------------------------------------------------------------------------------


@dataclass
class Str:
    text: str
    style: str = '"'  # "" plain, "'" single, '"' double (escaped), "|" literal block
    decoration: str = ""  # "", "!tag ", "&anchor " written before the value


@dataclass
class Seq:
    items: list = field(default_factory=list)


@dataclass
class Map:
    pairs: list = field(default_factory=list)  # (key, node); duplicates allowed on purpose

    def get(self, key: str):
        return next((node for name, node in self.pairs if name == key), None)


Node = Str | Seq | Map

# ---- the emitter ---------------------------------------------------------------------------

_NAMED_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
                  "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\xa0": "\\_",
                  "\u2028": "\\L", "\u2029": "\\P"}


def double_quoted(text: str) -> str:
    """A YAML double-quoted scalar; surrogates and non-printables as escapes (`\\uD800`)."""
    out = []
    for char in text:
        code = ord(char)
        if char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04X}" if code > 0xFF else f"\\x{code:02X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _scalar(node: Str, indent: int) -> str:
    prefix = node.decoration
    if node.style == "'":
        return prefix + "'" + node.text.replace("'", "''") + "'"
    if node.style == "|":
        pad = " " * (indent + 2)
        body = "\n".join(pad + line if line else "" for line in node.text.split("\n"))
        return prefix + "|\n" + body
    if node.style == "":
        return prefix + node.text
    return prefix + double_quoted(node.text)


def emit(node: Node, indent: int = 0) -> str:
    return "\n".join(_lines(node, indent)) + "\n"


def _lines(node: Node, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(node, Str):
        return [pad + _scalar(node, indent)]
    if isinstance(node, Seq):
        if not node.items:
            return [pad + "[]"]
        out = []
        for item in node.items:
            inner = _lines(item, indent + 2)
            out.append(pad + "- " + inner[0][indent + 2:])
            out += inner[1:]
        return out
    if not node.pairs:
        return [pad + "{}"]
    out = []
    for key, value in node.pairs:
        if isinstance(value, Str):
            out.append(f"{pad}{key}: {_scalar(value, indent)}")
        elif (isinstance(value, Seq) and not value.items) or (isinstance(value, Map) and not value.pairs):
            out.append(f"{pad}{key}: {'[]' if isinstance(value, Seq) else '{}'}")
        else:
            out.append(f"{pad}{key}:")
            out += _lines(value, indent + 2)
    return out


# ---- text ----------------------------------------------------------------------------------

YAML_11_LITERALS = ["no", "No", "NO", "yes", "Yes", "on", "off", "y", "n", "true", "False", "~", "null", "Null",
                    "1.10", "010", "0x1F", "0o17", "1e3", "1_000", "+1", "-0", ".inf", "-.Inf", ".nan",
                    "2019-05-02", "2019-02-30", "02/05/2019", "2017/18", "2019-05-02T10:00:00Z", "12:30:00",
                    "1:20", "=", "<<"]
MARKUP_LOOKING = ["**bold**", "*italic*", "***both***", "[text](https://example.org/a_(b))", "[x](mailto:a@b.org)",
                  "[x](javascript:alert(1))", "[x](file:///etc/passwd)", "<b>x</b>", "<img src=\"/etc/passwd\"/>",
                  "&copy;", "&#0;", "&amp;", "&lt;", "R&D", "a < b & c > d", "{0}", "{year}", "%s", "%d", "\\",
                  "\"", "'", "- item", "1. item", "### heading", "# comment", ": ", " #", "`code`", "|", ">",
                  "@", "&a", "*a", "!x", "%", "?", "---", "..."]
# Every general category, control characters and surrogates included; the loader must refuse
# the forbidden ones with a position and keep the rest as written.
any_char = st.characters(codec=None, categories=None)
astral_char = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
control_char = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",
                                "\r", "\t", "\ufeff", "\u2028", "\u2029", "\ufffe", "\uffff", "\ud800", "\udfff"])

text_piece = st.one_of(
    st.text(min_size=1, max_size=12),
    st.text(any_char, min_size=1, max_size=6),
    st.text(astral_char, min_size=1, max_size=3),
    control_char,
    st.sampled_from(YAML_11_LITERALS),
    st.sampled_from(MARKUP_LOOKING),
)
texts = st.lists(text_piece, min_size=1, max_size=4).map("".join)
plain_words = st.text(st.characters(categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=12)


@st.composite
def scalars(draw, text=texts) -> Str:
    """A scalar in a style a writer or an export might use; some are unparseable on purpose."""
    value = draw(st.one_of(text, st.sampled_from(YAML_11_LITERALS)))
    style = draw(st.sampled_from(['"', '"', "'", "", "|"]))
    return Str(value, style)


def safe(text_strategy=plain_words):
    return text_strategy.map(lambda t: Str(t, '"'))


# ---- valid skeletons -----------------------------------------------------------------------

GRADES = ["outstanding", "good", "requires improvement", "Requires improvement", "inadequate", "ungraded", "GOOD"]


@st.composite
def questions(draw, text) -> Map:
    pairs = [("title", draw(text))]
    if draw(st.booleans()):
        pairs.append(("grade", Str(draw(st.sampled_from(GRADES)))))
    if draw(st.booleans()):
        areas = draw(st.lists(st.one_of(text, text.map(lambda t: Map([("text", t)]))), max_size=2))
        pairs.append(("areas_for_improvement", Seq(areas)))
    if draw(st.booleans()):
        cause = Map([("text", draw(text)), ("recommendations", Seq(draw(st.lists(text, max_size=2))))])
        pairs.append(("causes_of_concern", Seq([cause])))
    if draw(st.booleans()):
        pairs.append(("findings", draw(text)))
    if draw(st.booleans()):
        pairs.append(("carried_over", draw(text)))
    return Map(pairs)


@st.composite
def pillars(draw, text) -> Map:
    pairs = [("title", draw(text)), ("grade", Str(draw(st.sampled_from(GRADES))))]
    if draw(st.booleans()):
        pairs.append(("summary", draw(text)))
    if draw(st.booleans()):
        pairs.append(("updated", Str(draw(st.sampled_from(["2019-05-02", "2024-02-29"])), "")))
    pairs.append(("questions", Seq(draw(st.lists(questions(text), max_size=3)))))
    return Map(pairs)


@st.composite
def reports(draw, text=None) -> Map:
    """A valid report whose text fields come from `text` (a strategy of `Str`)."""
    text = safe() if text is None else text
    pairs = [("title", draw(text)), ("subject", draw(text))]
    for key in ("programme", "marking", "version", "summary"):
        if draw(st.booleans()):
            pairs.append((key, draw(text)))
    if draw(st.booleans()):
        pairs.append(("status", Str(draw(st.sampled_from(["draft", "final"])), "")))
    if draw(st.booleans()):
        pairs.append(("style", Str(draw(st.sampled_from(["default", "hmicfrs-peel-2014"])), "")))
    pairs.append(("pillars", Seq(draw(st.lists(pillars(text), min_size=1, max_size=2)))))
    if draw(st.booleans()):
        pairs.append(("annexes", Seq([Map([("title", draw(text)), ("body", draw(text))])])))
    return Map(pairs)


# ---- mutations -----------------------------------------------------------------------------

def _containers(node: Node, out: list) -> list:
    if isinstance(node, (Map, Seq)):
        out.append(node)
        for child in (node.items if isinstance(node, Seq) else [v for _, v in node.pairs]):
            _containers(child, out)
    return out


wrong_values = st.one_of(
    scalars(),
    # st.builds, not st.just: mutations change nodes in place, so each draw needs fresh ones
    st.builds(lambda: Str("", "")),  # null
    st.builds(lambda: Seq([Str("x")])),
    st.builds(lambda: Map([("x", Str("y"))])),
    st.builds(Seq),
    st.builds(Map),
    st.sampled_from(YAML_11_LITERALS).map(lambda t: Str(t, "")),
)
unknown_keys = st.one_of(st.sampled_from(["titel", "subjet", "pilars", "grades", "numbr", "x", "Title", "id",
                                          "extends", "'quoted key'", "\"a\\u0000b\"", "? complex", "<<", "1"]),
                         plain_words)


@st.composite
def mutate(draw, tree: Map) -> Map:
    """Apply a few structural mutations anywhere in the tree (in place)."""
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(_containers(tree, [])))
        action = draw(st.sampled_from(["unknown", "retype", "drop", "duplicate", "decorate", "raw"]))
        if isinstance(target, Seq):
            if target.items and action in ("retype", "drop"):
                index = draw(st.integers(0, len(target.items) - 1))
                if action == "drop":
                    del target.items[index]
                else:
                    target.items[index] = draw(wrong_values)
            else:
                target.items.append(draw(wrong_values))
            continue
        if action == "unknown" or not target.pairs:
            target.pairs.append((draw(unknown_keys), draw(wrong_values)))
            continue
        index = draw(st.integers(0, len(target.pairs) - 1))
        key, value = target.pairs[index]
        if action == "retype":
            target.pairs[index] = (key, draw(wrong_values))
        elif action == "drop":
            del target.pairs[index]
        elif action == "duplicate":
            target.pairs.append((key, value))
        elif action == "decorate" and isinstance(value, Str):
            value.decoration = draw(st.sampled_from(["!tag ", "!!python/object:os.system ", "&a ", "!!binary ",
                                                      "!!str ", "!include "]))
        elif isinstance(value, Str):
            value.style = ""  # the raw text, whatever YAML makes of it
    return tree


@st.composite
def hostile_sources(draw) -> str:
    """A report skeleton with hostile text, then mutated: the text of a source file."""
    tree = draw(reports(scalars()))
    if draw(st.booleans()):
        tree = draw(mutate(tree))
    return emit(tree)
