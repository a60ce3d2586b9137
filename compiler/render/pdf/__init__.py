"""The PDF renderer: layout Document -> tagged, print-ready PDF bytes (reportlab)."""
from .deferredpattern import defer_reportlab_uri_pattern

defer_reportlab_uri_pattern()  # before reportlab is imported: see deferredpattern

from .document import render  # noqa: E402

__all__ = ["render"]
