"""The style's TrueType faces embedded in the package, so Word lays the report out in the brand
font rather than a substitute (and so breaks lines and pages where the fonts' widths say).

ECMA-376 Part 1, 17.8.1 and 17.8.3.3: each face is a part /word/fonts/fontN.odttf whose first
32 bytes are XORed with the bytes of a GUID (w:fontKey) taken from its end, related from the
font table, where the family's w:font entry names it in w:embedRegular and friends. The key is
derived from the face's bytes, never random, so the same report gives the same package bytes.

Only the faces the document sets text in are embedded (a report without italics carries no
italic face: each face is some hundreds of kilobytes). The family's entry also names Arial as
the alternative for a reader that cannot use the embedded faces; Arial gets an entry of its own.
"""
from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from .ooxml import el

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from ...style.types import Fonts

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FALLBACK_FAMILY = "Arial"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# (bold, italic) -> the font table element that embeds that face, in schema order.
_EMBED_TAGS = {(False, False): "w:embedRegular", (True, False): "w:embedBold",
               (False, True): "w:embedItalic", (True, True): "w:embedBoldItalic"}
# settings.xml children that come before w:embedTrueTypeFonts (CT_Settings' sequence).
_BEFORE_EMBED_SETTING = ("writeProtection view zoom removePersonalInformation removeDateAndTime "
                         "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
                         "printFractionalCharacterWidth printFormsData").split()


def font_key(face: bytes) -> str:
    """A GUID in Word's `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` form, from the face's bytes."""
    digits = hashlib.sha256(face).hexdigest()[:32].upper()
    return "{%s-%s-%s-%s-%s}" % (digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:])


def obfuscated(face: bytes, key: str) -> bytes:
    """The face with its first 32 bytes XORed with the key's 16 bytes read from the end of the
    GUID string; applying it twice gives the face back (which is how a reader deobfuscates)."""
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key_bytes[i % 16] for i, byte in enumerate(face[:32]))
    return head + face[32:]


def embed_fonts(word: "WordDocument", fonts: "Fonts", faces: Iterable[tuple[bool, bool]]) -> None:
    """Writes the font table: the family with its used faces embedded, and the Arial fallback."""
    table = next(rel.target_part for rel in word.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    for rel_id in list(table.rels):
        table.rels.pop(rel_id)
    paths = {(False, False): fonts.regular, (True, False): fonts.bold,
             (False, True): fonts.italic, (True, True): fonts.bold_italic}
    entry = _font_entry(fonts.family, fonts.regular, alternative=FALLBACK_FAMILY)
    related: dict[Path, tuple[str, str]] = {}  # one part per file, however many faces share it
    wanted = set(faces) | {(False, False)}
    for face in (face for face in _EMBED_TAGS if face in wanted):  # the schema's order
        path = paths[face].resolve()
        if path not in related:
            related[path] = _add_face(word, table, path.read_bytes(), len(related) + 1)
        rel_id, key = related[path]
        entry.append(el(_EMBED_TAGS[face], {"r:id": rel_id, "w:fontKey": key}))
    root = etree.Element(qn("w:fonts"), nsmap={"w": _W, "r": _R})
    root.append(entry)
    if fonts.family != FALLBACK_FAMILY:
        root.append(_font_entry(FALLBACK_FAMILY, None))
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _ask_word_to_keep_them(word)


def _add_face(word: "WordDocument", table: Part, face: bytes, number: int) -> tuple[str, str]:
    key = font_key(face)
    part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT, obfuscated(face, key),
                word.part.package)
    return table.relate_to(part, RT.FONT), key


def _font_entry(family: str, path: Path | None, alternative: str | None = None) -> etree._Element:
    entry = el("w:font", {"w:name": family})
    if alternative and alternative != family:
        entry.append(el("w:altName", {"w:val": alternative}))
    panose = _panose(path) if path else "020B0604020202020204"  # Arial's
    if panose:
        entry.append(el("w:panose1", {"w:val": panose}))
    entry.append(el("w:charset", {"w:val": "00"}))
    entry.append(el("w:family", {"w:val": "swiss" if panose and panose[2:4] == "0B" else "auto"}))
    entry.append(el("w:pitch", {"w:val": "variable"}))
    return entry


def _panose(path: Path) -> str | None:
    """The face's PANOSE classification from its OS/2 table, which Word matches a substitute by."""
    data = path.read_bytes()
    count, = struct.unpack_from(">H", data, 4)
    for tag, _, offset, length in struct.iter_unpack(">4sIII", data[12:12 + 16 * count]):
        if tag == b"OS/2" and length >= 42:
            return data[offset + 32:offset + 42].hex().upper()
    return None


def _ask_word_to_keep_them(word: "WordDocument") -> None:
    """w:embedTrueTypeFonts: a reviewer's Word saves the faces back rather than dropping them."""
    settings = word.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    before = [child for child in settings if child.tag in {qn("w:" + name) for name in _BEFORE_EMBED_SETTING}]
    node = el("w:embedTrueTypeFonts")
    if before:
        before[-1].addnext(node)
    else:
        settings.insert(0, node)


# ---- which faces the document sets text in ------------------------------------------------


def faces_used(styles: etree._Element, parts: Iterable[etree._Element]) -> set[tuple[bool, bool]]:
    """(bold, italic) of every run in `parts`, from its own properties, its character style and
    its paragraph's style (each followed through w:basedOn)."""
    looks = _style_looks(styles)
    used: set[tuple[bool, bool]] = set()
    for root in parts:
        for p in root.iter(qn("w:p")):
            paragraph = looks.get(_val(p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")), (False, False))
            for r in p.iter(qn("w:r")):
                rpr = r.find(qn("w:rPr"))
                character = looks.get(_val(rpr.find(qn("w:rStyle")) if rpr is not None else None), (False, False))
                own = _flags(rpr)
                used.add(tuple(o if o is not None else (c or p_) for o, c, p_ in zip(own, character, paragraph)))
    return used


def _style_looks(styles: etree._Element) -> dict[str, tuple[bool, bool]]:
    defined = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    looks: dict[str, tuple[bool, bool]] = {}

    def look(style_id: str, depth: int = 0) -> tuple[bool, bool]:
        if style_id in looks or style_id not in defined or depth > 20:
            return looks.get(style_id, (False, False))
        node = defined[style_id]
        base = look(_val(node.find(qn("w:basedOn"))), depth + 1)
        own = _flags(node.find(qn("w:rPr")))
        looks[style_id] = tuple(o if o is not None else b for o, b in zip(own, base))
        return looks[style_id]

    for style_id in defined:
        look(style_id)
    return looks


def _flags(rpr: etree._Element | None) -> tuple[bool | None, bool | None]:
    if rpr is None:
        return None, None
    return _toggle(rpr.find(qn("w:b"))), _toggle(rpr.find(qn("w:i")))


def _toggle(node: etree._Element | None) -> bool | None:
    if node is None:
        return None
    return node.get(qn("w:val"), "true") not in ("0", "false", "off")


def _val(node: etree._Element | None) -> str | None:
    return node.get(qn("w:val")) if node is not None else None
