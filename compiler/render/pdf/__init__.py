"""The PDF renderer: layout Document -> tagged, print-ready PDF bytes (reportlab)."""
from .document import render

__all__ = ["render"]
