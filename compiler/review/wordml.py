"""The WordprocessingML names every part of the review side reads (only strings: no lxml here)."""
from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    """`tag` in the WordprocessingML namespace, as lxml names elements: "{...main}tag"."""
    return f"{{{W}}}{tag}"
