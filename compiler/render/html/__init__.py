"""The HTML edition: one self-contained, accessible web page per report (see document.py)."""
from .document import render

__all__ = ["render"]
