"""The package around the document body: styles, numbering, properties, source map, stable bytes.

python-docx starts from its own template; everything the template brings that this document
did not ask for (a thumbnail of another document, 400 KB of styles, a bibliography data part,
revision ids) is removed, and the rest is written from the report. The zip is written here
with fixed entry order and timestamps, because python-docx stamps the current time on every
entry: the same inputs must give the same bytes.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from .fontembed import OBFUSCATED_FONT, embed_fonts, faces_used
from .sourcemap import ID_PROPERTY, NAMESPACE, SOURCE_PROPERTY, SourceMap

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from ...layout.blocks import Document
    from .numbering import Numbering
    from .styles import StyleSheet

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say; the real date is in core.xml
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def finish_package(word: "WordDocument", document: "Document", styles: "StyleSheet",
                   numbering: "Numbering", sourcemap: SourceMap | None) -> bytes:
    drop_template_leftovers(word)
    replace_children(word.styles.element, styles.element())
    embed_fonts(word, document.style.fonts, faces_used(word.styles.element, _text_parts(word)))
    replace_children(word.part.numbering_part.element, numbering.element())
    tidy_settings(word, document.metadata.language)
    set_core_properties(word, document)
    set_app_properties(word, document)
    if sourcemap is not None:
        add_source_map(word, sourcemap)
    return write_package(word)


def _text_parts(word: "WordDocument") -> list[etree._Element]:
    """The body, headers and footers: every part that sets text."""
    return [part.element for part in word.part.package.iter_parts()
            if part.partname.startswith(("/word/document", "/word/header", "/word/footer"))]


def replace_children(root: etree._Element, generated: etree._Element) -> None:
    for child in list(root):
        root.remove(child)
    for child in list(generated):
        root.append(child)


def drop_template_leftovers(word: "WordDocument") -> None:
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES, RT.CUSTOM_PROPERTIES):
            package.rels.pop(rel_id)
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            word.part.rels.pop(rel_id)


def tidy_settings(word: "WordDocument", language: str) -> None:
    settings = word.settings.element
    for tag in ("w:rsids", "w:savePreviewPicture", "w:proofState"):
        for node in settings.findall(qn(tag)):
            settings.remove(node)
    for node in settings.findall(qn("w:themeFontLang")):
        node.attrib.clear()
        node.set(qn("w:val"), language)


def set_core_properties(word: "WordDocument", document: "Document") -> None:
    meta = document.metadata
    stamp = datetime(meta.date.year, meta.date.month, meta.date.day, tzinfo=timezone.utc)
    core = word.core_properties
    core.title = _fit(meta.title)
    core.subject = _fit(meta.subject)
    core.author = _fit(meta.author)
    core.last_modified_by = _fit(meta.author)
    core.keywords = _fit_keywords(meta.keywords)
    core.language = _fit(meta.language)
    core.created = stamp
    core.modified = stamp
    core.revision = 1
    core.comments = ""
    core.category = ""
    core.identifier = _fit(document.id)
    core.content_status = "Draft" if meta.draft else "Final"
    core.version = _fit(meta.version or "")


_CORE_LIMIT = 255  # characters per core property, as Office (and python-docx) allow


def _fit(text: str) -> str:
    """`text`, or its start and an ellipsis within the limit: python-docx raises past it.

    Every string property goes through here, not just the ones a schema limit leaves long,
    because a renderer is handed documents the schema never saw (tests, other front ends).
    """
    if len(text) <= _CORE_LIMIT:
        return text
    return text[: _cluster_start(text, _CORE_LIMIT - 1)] + "\u2026"


def _cluster_start(text: str, cut: int) -> int:
    """`cut`, moved back to the start of the character it falls in: a combining mark or joiner
    left before the ellipsis would lose its partner, or decorate the ellipsis instead."""
    while cut > 0 and (_continues(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return cut


def _continues(char: str) -> bool:
    return bool(unicodedata.combining(char)) or char in _JOINERS


_JOINERS = frozenset("\u200c\u200d\ufe0e\ufe0f")  # ZWNJ, ZWJ, text/emoji variation selectors


def _fit_keywords(keywords: tuple[str, ...]) -> str:
    """As many whole keywords as fit, in order: a keyword cut in half would mislead a search."""
    kept: list[str] = []
    for keyword in keywords:
        if len(", ".join([*kept, keyword])) > _CORE_LIMIT:
            break
        kept.append(keyword)
    return ", ".join(kept)


def set_app_properties(word: "WordDocument", document: "Document") -> None:
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED, "vt": _VT})
    for tag, text in (("Application", document.metadata.creator), ("DocSecurity", "0"),
                      ("Company", document.metadata.author), ("LinksUpToDate", "false"),
                      ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{_EXTENDED}}}{tag}").text = text
    add_xml_part(word, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES,
                 RT.EXTENDED_PROPERTIES, root)


def add_source_map(word: "WordDocument", sourcemap: SourceMap) -> None:
    item = Part(PackURI("/customXml/item1.xml"), CT.XML, sourcemap.xml(), word.part.package)
    props = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    props.set(f"{{{_DS}}}itemID", sourcemap.item_id())
    refs = etree.SubElement(props, f"{{{_DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS}}}schemaRef").set(f"{{{_DS}}}uri", NAMESPACE)
    props_part = Part(PackURI("/customXml/itemProps1.xml"), CT.OFC_CUSTOM_XML_PROPERTIES, _xml_bytes(props),
                      word.part.package)
    item.relate_to(props_part, RT.CUSTOM_XML_PROPS)
    word.part.relate_to(item, RT.CUSTOM_XML)
    custom = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    for pid, (name, text) in enumerate(((SOURCE_PROPERTY, sourcemap.source), (ID_PROPERTY, sourcemap.report_id)), 2):
        prop = etree.SubElement(custom, f"{{{_CUSTOM}}}property", fmtid=_PROPERTY_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = text
    add_xml_part(word, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES,
                 RT.CUSTOM_PROPERTIES, custom)


def add_xml_part(word: "WordDocument", partname: str, content_type: str, reltype: str,
                 root: etree._Element) -> None:
    """A package-level XML part (document properties), related from the package root."""
    package = word.part.package
    package.relate_to(Part(PackURI(partname), content_type, _xml_bytes(root), package), reltype)


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_package(word: "WordDocument") -> bytes:
    """The package as python-docx would save it, but with fixed timestamps and attributes.

    python-docx's writer stamps the current time on every entry and offers no way not to, and
    rewriting its zip afterwards means compressing everything twice; so this is its writer's
    loop (content types, package relationships, each part and its relationships) with stable
    entries.
    """
    package = word.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_entry(archive, "[Content_Types].xml", content_types(parts))
        _write_entry(archive, "_rels/.rels", package.rels.xml)
        for part in parts:
            _write_entry(archive, part.partname.membername, part.blob)
            if len(part.rels):
                _write_entry(archive, part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()


def _write_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    entry.create_system = 0
    # Embedded fonts are most of the package: zlib's fastest level halves their share of the
    # build for 7 % more bytes (what little text compresses better at 6 does not matter).
    archive.writestr(entry, data, compresslevel=1 if name.endswith(".odttf") else None)


_DEFAULT_TYPES = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML, "png": CT.PNG, "jpeg": CT.JPEG, "jpg": CT.JPEG,
                  "odttf": OBFUSCATED_FONT}
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def content_types(parts) -> bytes:
    """[Content_Types].xml: defaults by extension, an override for every other part, sorted."""
    root = etree.Element(f"{{{_TYPES}}}Types", nsmap={None: _TYPES})
    used = {ext: ct for ext, ct in _DEFAULT_TYPES.items() if ext in ("rels", "xml")}
    overrides = {}
    for part in parts:
        ext = part.partname.ext.lower()
        if _DEFAULT_TYPES.get(ext) == part.content_type:
            used[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    for ext in sorted(used):
        etree.SubElement(root, f"{{{_TYPES}}}Default", Extension=ext, ContentType=used[ext])
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_TYPES}}}Override", PartName=name, ContentType=overrides[name])
    return _xml_bytes(root)
