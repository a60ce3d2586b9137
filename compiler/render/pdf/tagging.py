"""Tagged PDF (PDF/UA-1) for reportlab, which writes no structure of its own.

Two halves:
- `Structure`: the logical structure, built by the story builder in source order (Document >
  Sect > H1, P, L > LI > Lbl/LBody, Table > THead/TBody > TR > TH/TD, Figure, Link...).
- `Tagger`: used by the canvas while pages are drawn. Every drawing call is either content of
  the element currently being drawn (a marked-content sequence with an MCID) or an artifact.
  Text goes to the current element; shapes, rules and backgrounds are artifacts unless the
  element is a Figure. Elements join their parent the first time they receive content, so the
  order of the tree is the order things are drawn, which in a one-column report is the source
  order; elements that never draw anything never appear.

At save time `Tagger.finish` writes the tree, the ParentTree, /StructParents and /Tabs on the
pages, /StructParent on link annotations, MarkInfo and the XMP packet with the PDF/UA
identification.
"""
from __future__ import annotations

from datetime import date
from typing import Iterator
from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase.pdfdoc import (PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFPage, PDFStream,
                                      PDFString)

from ...records import dataclass

# Artifact kinds, written as the property list of the artifact's marked-content sequence.
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
WATERMARK = "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC"
LAYOUT = "/Artifact <</Type /Layout>> BDC"
DECORATION = "/Artifact BMC"

PAGE_ENTRIES = PDFPage.__NoDefault__ + ["StructParents", "Tabs"]


class Element:
    """One structure element; `kids` fills in while pages are drawn."""

    __slots__ = ("role", "parent", "alt", "attributes", "kids", "attached", "repeatable", "open_link", "name",
                 "first_page", "ident", "bbox")

    def __init__(self, role: str, parent: "Element | None", alt: str | None = None,
                 attributes: dict[str, str] | None = None, repeatable: bool = False,
                 ident: str | None = None) -> None:
        self.role = role
        self.ident = ident  # the element's /ID (PDF/UA asks one of each Note)
        self.parent = parent
        self.alt = alt
        self.attributes = attributes  # name -> PDF name value, in a /Layout or /Table attribute dict
        self.kids: list = []  # Element | Content | Annotation, in reading order
        self.attached = parent is None
        self.repeatable = repeatable  # a table header row repeated on every page the table spans
        self.open_link: Element | None = None  # a link whose text continues into the next part
        self.name = ""
        self.first_page: int | None = None
        self.bbox: tuple[float, float, float, float] | None = None  # a Figure's box on its page, once drawn


@dataclass(frozen=True)
class Content:
    page: int  # 0-based
    mcid: int


@dataclass(frozen=True)
class Annotation:
    page: int
    annotation: PDFDictionary


class Structure:
    """The logical structure of one document, built in source order."""

    def __init__(self) -> None:
        self.root = Element("Document", None)

    def add(self, role: str, parent: Element, **options) -> Element:
        return Element(role, parent, **options)


@dataclass(frozen=True)
class Context:
    element: Element | None  # None: an artifact
    artifact: str = DECORATION
    label: Element | None = None  # receives the first text drawn (a list item's bullet)
    whole: bool = False  # one marked-content sequence around everything drawn inside


_OUTSIDE = Context(None)  # nothing pushed: an artifact


class Tagger:
    """Marks content while the canvas draws; writes the structure tree when it saves."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self._stack: list[Context] = []
        self._whole = 0  # inside a whole sequence nothing else is marked: sequences never nest
        self._page = 0
        self._page_mcids: list[list[Element]] = [[]]
        self._annotations: list[tuple[Annotation, Element]] = []

    # ---- contexts ---------------------------------------------------------------------------

    def push(self, context: Context) -> str | None:
        """Enters a context; returns the operator opening it when it is one whole sequence."""
        opening = None
        if context.whole and not self._whole:
            # A table's header row repeated on a later page is drawn again, not read again.
            opening = PAGINATION if self._repeated(context.element) else self._open(context.element)
        self._stack.append(context)
        self._whole += context.whole
        return opening

    def pop(self) -> str | None:
        context = self._stack.pop()
        self._whole -= context.whole
        return "EMC" if context.whole and not self._whole else None

    def _current(self) -> Context:
        return self._stack[-1] if self._stack else _OUTSIDE

    def in_artifact(self) -> bool:
        """Whether what is drawn now is an artifact: marked without MCIDs, the same on any page."""
        return self._current().element is None and not self._whole

    def new_page(self) -> None:
        self._page += 1
        self._page_mcids.append([])

    # ---- marking ------------------------------------------------------------------------------

    def _open(self, element: Element) -> str:
        mcids = self._page_mcids[self._page]
        mcid = len(mcids)
        mcids.append(element)
        self._give(element, Content(self._page, mcid))
        return f"/{element.role} <</MCID {mcid}>> BDC"

    def _give(self, element: Element, kid) -> None:
        if element.first_page is None:
            element.first_page = self._page
        element.kids.append(kid)
        self._attach(element)

    def _attach(self, element: Element) -> None:
        while not element.attached:
            element.attached = True
            element.parent.kids.append(element)
            if element.parent.first_page is None:
                element.parent.first_page = element.first_page
            element = element.parent

    def _content_element(self) -> Element | None:
        """The element the next text belongs to; None for an artifact."""
        context = self._current()
        element = context.element
        if element is None:
            return None
        if self._repeated(element):
            return None  # a repeated table header: its text is already in the structure
        if context.label is not None and not context.label.kids:
            return context.label
        return element

    def _repeated(self, element: Element) -> bool:
        """Whether `element` (a table header cell) is drawn again on a later page."""
        return element.repeatable and element.first_page is not None and element.first_page != self._page

    def text(self, code: str, tx) -> str:
        """A text object's code, marked: content inside BT/ET so link sequences nest in it."""
        if self._whole:
            return code
        element = self._content_element()
        if element is None:
            return f"{self._current().artifact} {code} EMC"
        first = getattr(tx, "_rc_first", None)
        if first is None:
            first = self._open(element.open_link or element)
        body = code[2:-2] if code.startswith("BT") and code.endswith("ET") else code
        return f"BT {first} {body} EMC ET"

    def link_start(self, tx, link: Element) -> None:
        """Called from inside a paragraph's text object where a link's text begins."""
        element = self._content_element()
        if element is None or self._whole:
            return
        if getattr(tx, "_rc_first", None) is None:
            tx._rc_first = self._open(element)
        wrapper = link.parent
        if wrapper is not None and wrapper.role == "Reference" and wrapper is not element:
            wrapper.parent = element  # a note mark: Reference > Link, inside the paragraph
        else:
            link.parent = element
        element.open_link = link
        tx._code.append(f"EMC {self._open(link)}")

    def link_end(self, tx, link: Element) -> None:
        element = self._content_element()
        if element is None or self._whole:
            return
        if getattr(tx, "_rc_first", None) is None:
            # The link's text began on the previous page: this part opens inside the link.
            tx._rc_first = self._open(link)
        element.open_link = None
        tx._code.append(f"EMC {self._open(element)}")

    def graphics(self, code: list[str], start: int) -> None:
        """Marks what a painting call appended to the page: an artifact, or a figure's content."""
        if start == len(code) or self._whole:
            return
        element = self._current().element
        if element is None:
            opening = self._current().artifact
        elif element.role == "Figure":
            opening = self._open(element)
        else:
            opening = DECORATION  # a shape drawn among text: a rule, a badge, a background
        code.insert(start, opening)
        code.append("EMC")

    def deferred(self, placeholder: str) -> str:
        if self._whole:
            return placeholder
        element = self._content_element()
        if element is None:
            return f"{self._current().artifact} {placeholder} EMC"
        return f"{self._open(element)} {placeholder} EMC"

    def annotation(self, annotation: PDFDictionary, element: Element | None) -> None:
        """A link annotation belongs to the Link element drawn with it (an OBJR kid)."""
        element = element or self._current().element
        if element is None:
            return
        self._annotations.append((Annotation(self._page, annotation), element))
        self._give(element, Annotation(self._page, annotation))

    # ---- writing the tree ---------------------------------------------------------------------

    def finish(self, doc, pages: list, metadata: "XmpFacts") -> None:
        elements = list(_walk(self.structure.root))
        for index, element in enumerate(elements):
            element.name = f"SE{index}"
        for element in elements:
            doc.Reference(_StructElem(element), element.name)
        parent_tree: list[tuple[int, list[str] | str]] = [
            (index, [e.name for e in mcids]) for index, mcids in enumerate(self._page_mcids[:len(pages)])]
        key = len(pages)
        for found, element in self._annotations:
            found.annotation["StructParent"] = key
            parent_tree.append((key, element.name))
            key += 1
        for index, page in enumerate(pages):
            page.__NoDefault__ = PAGE_ENTRIES
            page.StructParents = index
            page.Tabs = PDFName("S")  # tab through links in structure order
        root = PDFDictionary({
            "Type": PDFName("StructTreeRoot"),
            "K": PDFObjectReference(self.structure.root.name),
            "ParentTree": doc.Reference(_ParentTree(parent_tree)),
            "ParentTreeNextKey": key,
        })
        catalog = doc.Catalog
        catalog.StructTreeRoot = doc.Reference(root, STRUCT_TREE_ROOT)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})  # a bare string is written as is: true
        catalog.Metadata = xmp_stream(metadata)


STRUCT_TREE_ROOT = "StructTreeRoot"


class _StructElem(PDFObject):
    """One structure element, written straight to bytes: a long report has tens of thousands,
    and building reportlab dictionaries for each would cost more than drawing the pages."""

    def __init__(self, element: Element) -> None:
        self.element = element

    def format(self, document) -> bytes:
        ids = document.idToObjectNumberAndVersion

        def ref(name: str) -> bytes:
            return b"%d 0 R" % ids[name][0]

        element = self.element
        home = element.first_page if element.first_page is not None else 0
        parent = element.parent.name if element.parent is not None else STRUCT_TREE_ROOT
        out = [b"<< /Type /StructElem /S /", element.role.encode("ascii"), b" /P ", ref(parent)]
        if any(not isinstance(kid, Element) for kid in element.kids):
            out += [b" /Pg ", ref(_page_name(home))]
        kids = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(ref(kid.name))
            elif isinstance(kid, Content):
                kids.append(b"%d" % kid.mcid if kid.page == home else
                            b"<< /Type /MCR /Pg %s /MCID %d >>" % (ref(_page_name(kid.page)), kid.mcid))
            else:
                kids.append(b"<< /Type /OBJR /Obj %s /Pg %s >>" % (ref(kid.annotation._rc_name),
                                                                   ref(_page_name(kid.page))))
        # A lone kid is written bare: checkers that read a heading's /K expect an MCID there.
        out += [b" /K ", kids[0] if len(kids) == 1 else b"[" + b" ".join(kids) + b"]"]
        if element.alt is not None:
            out += [b" /Alt ", PDFString(element.alt).format(document)]
        if element.ident is not None:
            out += [b" /ID ", PDFString(element.ident).format(document)]
        if element.attributes:
            pairs = b" ".join(b"/%s /%s" % (key.encode("ascii"), value.encode("ascii"))
                              for key, value in element.attributes.items())
            out += [b" /A << ", pairs, b" >>"]
        elif element.bbox is not None:  # a Figure's /Layout attributes: where it is on its page
            corners = b" ".join(b"%.2f" % value for value in element.bbox)
            out += [b" /A << /O /Layout /BBox [", corners, b"] >>"]
        out.append(b" >>")
        return b"".join(out)


class _ParentTree(PDFObject):
    """The number tree from each page's MCIDs and each annotation to their elements."""

    def __init__(self, entries: list[tuple[int, list[str] | str]]) -> None:
        self.entries = entries

    def format(self, document) -> bytes:
        ids = document.idToObjectNumberAndVersion
        out = []
        for key, value in self.entries:
            if isinstance(value, str):
                out.append(b"%d %d 0 R" % (key, ids[value][0]))
            else:
                out.append(b"%d [%s]" % (key, b" ".join(b"%d 0 R" % ids[name][0] for name in value)))
        return b"<< /Nums [" + b"\n".join(out) + b"] >>"


def _page_name(index: int) -> str:
    return f"Page{index + 1}"  # reportlab's own name for the page object


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _walk(kid)


class Untagged(Tagger):
    """Draws exactly as `Tagger` does but marks nothing: for measuring what tagging costs."""

    def text(self, code, tx):
        return code

    def link_start(self, tx, link):
        pass

    def link_end(self, tx, link):
        pass

    def graphics(self, code, start):
        pass

    def deferred(self, placeholder):
        return placeholder

    def push(self, context):
        return None

    def pop(self):
        return None

    def annotation(self, annotation, element):
        pass

    def finish(self, doc, pages, metadata):
        pass


# ---- XMP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XmpFacts:
    title: str
    author: str
    subject: str
    keywords: str
    language: str
    creator_tool: str
    producer: str
    created: date


def xmp_stream(facts: XmpFacts) -> PDFStream:
    stamp = f"{facts.created:%Y-%m-%d}T00:00:00Z"
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_x(facts.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_x(facts.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_x(facts.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{_x(facts.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{_x(facts.keywords)}</pdf:Keywords>
   <pdf:Producer>{_x(facts.producer)}</pdf:Producer>
   <xmp:CreatorTool>{_x(facts.creator_tool)}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    # XMP is read as plain XML by tools that never decompress: the stream stays unfiltered.
    return PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                     text.encode("utf-8"), filters=None)


def _x(text: str) -> str:
    return xml_escape(text)
