"""Reading an HTML edition back: a small DOM from the standard library's parser, for the tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: "Node | None" = None
    children: list = field(default_factory=list)  # Node | str

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"</{tag}> closes nothing"
        assert node is self.current, f"</{tag}> closes <{node.tag}> over unclosed <{self.current.tag}>"
        self.current = node.parent

    def handle_data(self, data) -> None:
        self.current.children.append(data)


def parse(html: str) -> tuple[Node, str | None]:
    """The document's tree and its doctype; asserts every element is closed in order."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root, builder.doctype


def built_html(folder: Path, name: str, source: str) -> Path:
    """`source` written as `folder`/sources/`name`.yaml and built, HTML only, by the real command
    line (SOURCE_DATE_EPOCH set): the page's path, `folder`/out/`name`.html."""
    from .conftest import run_reportc

    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / f"{name}.yaml").write_text(source, encoding="utf-8")
    result = run_reportc("build", "--format", "html", "--out", str(folder / "out"), cwd=folder,
                         env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    return folder / "out" / f"{name}.html"
