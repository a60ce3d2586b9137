"""Tagged PDF read back: the structure tree against the source, marked content on every page,
the ParentTree, catalog and XMP, and the `pdfua` checker with zero findings on every sample.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

from compiler.layout import blocks
from compiler.model import plain_text

from .conftest import ROOT, STRESS, run_reportc

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


# ---- reading the structure back -----------------------------------------------------------------


@dataclass
class Node:
    role: str
    attributes: dict[str, str]
    alt: str | None
    kids: list = field(default_factory=list)  # Node | ("mcid", page, mcid) | ("objr", objgen)
    obj: pikepdf.Dictionary | None = None

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def children(self, role: str | None = None) -> list["Node"]:
        return [k for k in self.kids if isinstance(k, Node) and (role is None or k.role == role)]

    def marked(self):
        """(page, mcid) of every content item below this node, in reading order."""
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.marked()
            elif kid[0] == "mcid":
                yield kid[1], kid[2]


@dataclass
class Tagged:
    root: Node
    texts: dict[tuple[int, int], str]  # (page index, mcid) -> text
    pdf_path: Path

    def text(self, node: Node) -> str:
        return "".join(self.texts.get(item, "") for item in node.marked())

    def nodes(self, role: str) -> list[Node]:
        return [n for n in self.root.walk() if n.role == role]


def read_tree(path: Path) -> Tagged:
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

        def build(obj, page):
            if "/Pg" in obj:
                page = pages[obj.Pg.objgen]
            attributes = {}
            if "/A" in obj:
                attributes = {str(k)[1:]: str(v)[1:] for k, v in obj.A.items()}
            node = Node(str(obj.S)[1:], attributes, str(obj.Alt) if "/Alt" in obj else None, obj=None)
            kids = obj.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, int):
                    node.kids.append(("mcid", page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    node.kids.append(("mcid", pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    node.kids.append(("objr", kid.Obj.objgen))
                else:
                    node.kids.append(build(kid, page))
            return node

        root = build(pdf.Root.StructTreeRoot.K, 0)
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    return Tagged(root, texts, path)


def squash(text: str) -> str:
    """Text without spaces, and without the stress fixture's emoji (the font has no glyph for it)."""
    return re.sub(r"[\s\x00\U00010000-\U0010FFFF]+", "", text)


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(built_samples, tmp_path_factory, documents) -> dict[str, Path]:
    paths = {report_id: built_samples / f"{report_id}.pdf" for report_id in documents if report_id != "pdf-stress"}
    out = tmp_path_factory.mktemp("stress-tagged")
    result = run_reportc("build", str(STRESS.relative_to(ROOT)), "--format", "pdf", "--print", "--out", str(out),
                         "--allow-missing-glyphs", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.stderr
    paths["pdf-stress"] = out / "pdf-stress.pdf"  # with print marks: their crop marks must be artifacts too
    return paths


@pytest.fixture(scope="module")
def trees(pdfs) -> dict[str, Tagged]:
    return {report_id: read_tree(path) for report_id, path in pdfs.items()}


# ---- the checker --------------------------------------------------------------------------------


def test_pdfua_checker_finds_nothing_and_skips_nothing(pdfs):
    for report_id, path in pdfs.items():
        result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
                                capture_output=True, text=True)
        report = json.loads(result.stdout)
        assert report["summary"]["findings"] == 0, (report_id, report["findings"])
        assert report["summary"]["rules_skipped"] == 0, (report_id, report["skipped"])
        assert result.returncode == 0


# ---- catalog, pages, metadata ---------------------------------------------------------------------


def test_catalog_declares_a_tagged_titled_document_in_its_language(pdfs, documents):
    for report_id, path in pdfs.items():
        meta = documents[report_id].metadata
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True
            assert str(root.Lang) == meta.language
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert "/RoleMap" not in root.StructTreeRoot  # only standard structure types are used
            for index, page in enumerate(pdf.pages):
                assert page.obj.Tabs == pikepdf.Name.S
                assert int(page.obj.StructParents) == index
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == meta.title == str(pdf.docinfo.Title)
                assert xmp["pdfuaid:part"] == "1"
                assert list(xmp["dc:language"]) == [meta.language]
                assert xmp["pdf:Producer"] == str(pdf.docinfo.Producer)


# ---- marked content --------------------------------------------------------------------------------


def test_everything_drawn_is_marked_content_or_an_artifact_and_sequences_nest_properly(pdfs):
    for report_id, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                where = (report_id, number)
                stack: list[str] = []  # "content" | "artifact" | "other"
                text_depth = None  # marked-content depth at BT
                mcids: list[int] = []
                for operands, operator in pikepdf.parse_content_stream(page):
                    op = str(operator)
                    if op in ("BDC", "BMC"):
                        tag = str(operands[0])
                        kind = "artifact" if tag == "/Artifact" else "content"
                        if kind == "content":
                            mcid = int(operands[1].MCID)
                            mcids.append(mcid)
                        assert "content" not in stack, (where, "sequences nest inside tagged content")
                        assert kind == "artifact" or "artifact" not in stack, (where, "content inside an artifact")
                        stack.append(kind)
                    elif op == "EMC":
                        assert stack, (where, "EMC without a sequence")
                        assert text_depth is None or len(stack) > text_depth, (where, "sequence crosses ET")
                        stack.pop()
                    elif op == "BT":
                        text_depth = len(stack)
                    elif op == "ET":
                        assert len(stack) == text_depth, (where, "sequence crosses BT/ET")
                        text_depth = None
                    elif op in TEXT_SHOWING or op in PAINTING:
                        assert stack, (where, f"{op} outside marked content")
                assert not stack, (where, "unclosed sequence")
                assert len(mcids) == len(set(mcids)), (where, "MCIDs repeat")
                assert mcids == sorted(mcids), (where, "MCIDs out of reading order")


def test_parent_tree_maps_every_mcid_and_link_to_its_element(pdfs):
    for report_id, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            tree_root = pdf.Root.StructTreeRoot
            nums = list(tree_root.ParentTree.Nums)
            parents = dict(zip([int(k) for k in nums[::2]], nums[1::2]))
            assert int(tree_root.ParentTreeNextKey) == max(parents) + 1
            for index, page in enumerate(pdf.pages):
                mcids = [int(operands[1].MCID) for operands, operator in pikepdf.parse_content_stream(page)
                         if str(operator) == "BDC" and str(operands[0]) != "/Artifact"]
                by_mcid = parents[int(page.obj.StructParents)]
                assert len(by_mcid) == len(mcids) == (max(mcids) + 1 if mcids else 0), (report_id, index)
                for mcid in mcids:
                    element = by_mcid[mcid]
                    assert _holds_mcid(element, page.obj, mcid), (report_id, index, mcid, str(element.S))
                for annotation in page.obj.get("/Annots", []):
                    element = parents[int(annotation.StructParent)]
                    assert element.S == pikepdf.Name.Link, (report_id, index)
                    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                    objrs = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                    assert any(k.Obj.objgen == annotation.objgen for k in objrs), (report_id, index)
                    assert str(annotation.Contents).strip()


def _holds_mcid(element, page, mcid) -> bool:
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    home = element.get("/Pg")
    for kid in kids:
        if isinstance(kid, int) and kid == mcid and home is not None and home.objgen == page.objgen:
            return True
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR" and int(kid.MCID) == mcid \
                and kid.Pg.objgen == page.objgen:
            return True
    return False


def test_running_parts_watermark_and_marks_are_artifacts_and_all_other_text_is_tagged(pdfs, documents):
    for report_id, path in pdfs.items():
        running = documents[report_id].running
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    assert char.get("tag"), (report_id, page.page_number, char["text"])
                    assert (char["tag"] == "Artifact") == (char.get("mcid") is None)
                artifacts = "".join(c["text"] for c in page.chars if c["tag"] == "Artifact")
                if page.page_number > 1:
                    assert running.page_x_of_y.split("{")[0].strip() in artifacts
                    assert running.header_left[:20] in artifacts
                if running.marking:
                    assert running.marking in artifacts
                if running.watermark:
                    assert running.watermark in artifacts


# ---- the tree against the source ------------------------------------------------------------------


def expected_headings(document: blocks.Document) -> list[tuple[str, str]]:
    """(role, text) of every heading, as the structure must have them, in source order."""
    out: list[tuple[str, str]] = []

    def visit(items):
        for block in items:
            if isinstance(block, blocks.Contents):
                out.append(("H1", block.title))
            elif isinstance(block, blocks.Heading):
                number = f"{block.number}." if block.number else ""
                badge = block.badge.label if block.badge else ""
                out.append((f"H{block.level}", number + plain_text(block.content) + badge))
            elif isinstance(block, blocks.Callout):
                visit(block.blocks)
            elif isinstance(block, blocks.ListBlock):
                for item in block.items:
                    visit(item.children)

    visit(document.body)
    return out


def test_headings_are_h_elements_in_source_order_with_badges_read_as_part_of_them(trees, documents):
    for report_id, tagged in trees.items():
        actual = [(n.role, squash(tagged.text(n))) for n in tagged.root.walk() if re.fullmatch(r"H\d", n.role)]
        expected = [(role, squash(text)) for role, text in expected_headings(documents[report_id])]
        assert actual == expected, report_id


def test_each_pillar_is_a_sect_holding_one_sect_per_question(trees, documents):
    for report_id, tagged in trees.items():
        document = documents[report_id]
        pillars = [b for b in document.body if isinstance(b, blocks.Heading) and b.role == "pillar-heading"]
        sects = [n for n in tagged.root.children("Sect") if n.children("H1")
                 and any(squash(tagged.text(n.children("H1")[0])).startswith(squash(plain_text(p.content)))
                         for p in pillars)]
        assert len(sects) == len(pillars), report_id
        questions = [b for b in document.body if isinstance(b, blocks.Heading) and b.role == "question-heading"]
        inner = [s for sect in sects for s in sect.children("Sect") if s.children("H2")]
        texts = [squash(tagged.text(s.children("H2")[0])) for s in inner]
        assert len(texts) == len(questions), report_id
        for text, question in zip(texts, questions):
            assert text.startswith(squash(f"{question.number}.{plain_text(question.content)}")), report_id


def test_areas_for_improvement_are_lists_with_one_item_each(trees, documents):
    for report_id, tagged in trees.items():
        wanted = [b for b in blocks.walk_blocks(documents[report_id].body)
                  if isinstance(b, blocks.ListBlock) and b.role == "areas-for-improvement"]
        lists = [n for n in tagged.nodes("L")
                 if n.attributes.get("ListNumbering") == "Disc" and n.children("LI")]
        for block in wanted:
            first = squash(plain_text(block.items[0].content))
            match = [n for n in lists if squash(tagged.text(n.children("LI")[0].children("LBody")[0])).startswith(first)]
            assert match, (report_id, first)
            items = match[0].children("LI")
            assert len(items) == len(block.items)
            for node, item in zip(items, block.items):
                assert [k.role for k in node.children()] == ["Lbl", "LBody"]
                assert tagged.text(node.children("Lbl")[0]) == "\u2022"
                assert squash(tagged.text(node.children("LBody")[0])).startswith(squash(plain_text(item.content)))


def test_glance_table_has_column_headers_and_a_row_per_judgment(trees, documents):
    for report_id, tagged in trees.items():
        table_block = next(b for b in documents[report_id].body if isinstance(b, blocks.GlanceTable))
        table = tagged.nodes("Table")[0]  # the glance table comes before any data table
        (head,) = table.children("THead")
        (body,) = table.children("TBody")
        header = head.children("TR")[0].children("TH")
        assert [tagged.text(th) for th in header] == list(table_block.header)
        assert all(th.attributes == {"O": "Table", "Scope": "Column"} for th in header)
        rows = body.children("TR")
        assert len(rows) == len(table_block.rows), report_id
        for node, row in zip(rows, table_block.rows):
            (th,) = node.children("TH")
            (td,) = node.children("TD")
            assert th.attributes["Scope"] == "Row"
            number = f"{row.number}." if row.number else ""
            assert squash(tagged.text(th)) == squash(number + plain_text(row.content))
            assert tagged.text(td).strip() == (row.badge.label if row.badge else "")  # no grade: blank


def test_logo_is_a_figure_with_its_alternative_text(trees, documents):
    for report_id, tagged in trees.items():
        logo = documents[report_id].cover.logo
        captioned = {id(figure) for group in tagged.nodes("Div") if group.children("Caption")
                     for figure in group.children("Figure")}  # the report's figures and charts
        figures = [figure for figure in tagged.nodes("Figure") if id(figure) not in captioned]
        if logo is None:
            assert not figures
            continue
        assert [f.alt for f in figures] == [logo.alt]
        assert list(figures[0].marked()), "the image is marked content of the figure"


def test_every_link_annotation_sits_in_a_link_element(trees, pdfs):
    for report_id, tagged in trees.items():
        objrs = [kid[1] for node in tagged.nodes("Link") for kid in node.kids if not isinstance(kid, Node)
                 and kid[0] == "objr"]
        assert len(objrs) == len(set(objrs))
        with pikepdf.open(pdfs[report_id]) as pdf:
            annotations = [a.objgen for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert sorted(objrs) == sorted(annotations), report_id
        for node in tagged.nodes("Link"):
            assert any(not isinstance(k, Node) and k[0] == "objr" for k in node.kids)


def test_contents_are_a_toc_of_linked_entries(trees, documents):
    for report_id, tagged in trees.items():
        contents = next(b for b in documents[report_id].body if isinstance(b, blocks.Contents))
        (toc,) = tagged.nodes("TOC")
        items = toc.children("TOCI")
        assert len(items) == len(contents.entries)
        for node, entry in zip(items, contents.entries):
            (link,) = node.children("Reference")[0].children("Link")
            text = squash(tagged.text(link))
            number = f"{entry.number}." if entry.number else ""
            assert text.startswith(squash(number + entry.text)), (report_id, text)
            assert re.search(r"\d+$", text), "the page number is read with its entry"


def read_text(content) -> str:
    """What a reader of the tagged text reads: the plain text with each note mark's number."""
    return "".join(str(node.number) if isinstance(node, blocks.NoteMark) else plain_text((node,)) for node in content)


def test_reading_order_is_source_order(trees, documents):
    for report_id, tagged in trees.items():
        flat = squash(tagged.text(tagged.root))
        position = 0
        for block in blocks.walk_blocks(documents[report_id].body):
            if isinstance(block, (blocks.Heading, blocks.Para)):
                wanted = squash(read_text(block.content))
            elif isinstance(block, blocks.ListBlock):
                wanted = squash(read_text(block.items[0].content))
            else:
                continue
            found = flat.find(wanted, position)
            assert found >= 0, (report_id, wanted[:60])
            position = found + 1


def test_outline_follows_the_headings(trees, pdfs):
    for report_id, tagged in trees.items():
        headings = [squash(tagged.text(n)) for n in tagged.root.walk() if n.role in ("H1", "H2")]
        position = 0
        reader = pypdf.PdfReader(pdfs[report_id])

        def titles(nodes):
            for node in nodes:
                if isinstance(node, list):
                    yield from titles(node)
                else:
                    yield node.title

        for title in titles(reader.outline):
            match = next(i for i in range(position, len(headings)) if headings[i].startswith(squash(title)))
            position = match + 1


def test_a_paragraph_split_across_pages_stays_one_element(trees):
    tagged = trees["pdf-stress"]
    (paragraph,) = [n for n in tagged.nodes("P") if "Sentence1ofthelongparagraph" in squash(tagged.text(n))]
    assert len({page for page, _ in paragraph.marked()}) >= 2
    assert "Sentence90ofthelongparagraph" in squash(tagged.text(paragraph))
    links = paragraph.children("Link")
    assert [squash(tagged.text(link)) for link in links] == [f"linknumber{n}" for n in range(7, 91, 7)]


def _spaced(text: str) -> str:
    return " ".join(text.split())


def test_words_keep_their_spaces_where_lines_wrap_and_before_a_badge(trees, documents):
    """Read through the structure (as a screen reader, copy and paste or reflow read it), a
    wrapped paragraph keeps the space it was broken at, and a heading its space before its badge
    ("Effectiveness Good", not "EffectivenessGood"); the pages look the same (the space is drawn
    after each line's last glyph)."""
    for report_id in ("northshire-peel-2021", "city-of-london-peel-2018"):
        tagged, document = trees[report_id], documents[report_id]
        read = {_spaced(tagged.text(node)) for node in tagged.nodes("P")}
        paragraphs = [_spaced(plain_text(block.content)) for block in document.body
                      if isinstance(block, blocks.Para) and block.role == "body" and not any(
                          not isinstance(node, type(block.content[0])) for node in block.content)]
        wrapped = [text for text in paragraphs if len(text) > 120]  # over a line of the text column
        assert wrapped and all(text in read for text in wrapped), report_id
        headings = [_spaced(tagged.text(node)) for node in tagged.root.walk() if node.role in ("H1", "H2")]
        graded = [b for b in document.body if isinstance(b, blocks.Heading) and b.badge and b.role == "pillar-heading"]
        assert graded and all(f"{plain_text(b.content)} {b.badge.label}" in headings for b in graded), report_id
