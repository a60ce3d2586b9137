"""A report's charts (layout ChartBlock) -> a caption in Word's Caption style numbered by a
`SEQ Figure` field (charts are figures), a native Word chart placed inline, its `wp:docPr`
carrying the alt text (`descr`), and the source line. The chart part is `chartpart`'s."""
from __future__ import annotations

from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ...layout.blocks import ChartBlock
from .chartpart import chart_xml
from .ooxml import el, sub
from .tables import add_source_line, caption_paragraph

if TYPE_CHECKING:
    from .document import DocxBuilder, _Target

EMU_PER_POINT = 12700
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def add_chart(builder: "DocxBuilder", block: ChartBlock, target: "_Target") -> None:
    caption = caption_paragraph(builder, block.caption, block.number, block.anchor, "Figure")
    builder.emit(caption, target, block.caption_span or block.span, "figure caption")
    style = builder.document.style
    # the next free name, not the chart's number: a redline holds an old chart and a new one of one number
    part = Part(builder.part.package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART,
                chart_xml(block, style), builder.part.package)
    relationship = builder.part.relate_to(part, RT.CHART)
    p = builder.new_paragraph(builder.styles.id("Figure"))
    p.append(_chart_run(builder, block, relationship))
    builder.emit(p, target, block.span, "chart")
    if block.source:
        add_source_line(builder, block.source, block.span, target)


def _chart_run(builder: "DocxBuilder", block: ChartBlock, relationship: str):
    """`w:drawing` > `wp:inline` as large as layout's drawing, its graphic the chart part."""
    inline = _plain(el("wp:inline"), distT="0", distB="0", distL="0", distR="0")
    _plain(sub(inline, "wp:extent"), cx=str(round(block.drawing.width * EMU_PER_POINT)),
           cy=str(round(block.drawing.height * EMU_PER_POINT)))
    _plain(sub(inline, "wp:effectExtent"), l="0", t="0", r="0", b="0")
    _plain(sub(inline, "wp:docPr"), id=str(builder.part.next_id), name=f"Figure {block.number}",
           descr=block.alt, title=block.alt)
    sub(inline, "wp:cNvGraphicFramePr")
    data = _plain(sub(sub(inline, "a:graphic"), "a:graphicData"), uri=CHART_URI)
    chart = etree.SubElement(data, f"{{{CHART_URI}}}chart", nsmap={"c": CHART_URI})
    chart.set(qn("r:id"), relationship)
    r = el("w:r")
    sub(r, "w:drawing").append(inline)
    return r


def _plain(node, **attributes: str):
    """Sets attributes without a namespace (DrawingML's own, as `cx`, `descr`)."""
    for key, value in attributes.items():
        node.set(key, value)
    return node
