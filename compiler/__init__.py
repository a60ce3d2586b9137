"""reportc: structured YAML inspection findings -> branded PDF and DOCX reports.

The pipeline, one module per stage (`pipeline.py` is the only module that knows the order):

    yamltree    bytes -> positioned YAML tree (FILE:LINE:COL on every node)
    schemacheck tree checked against schema.py (the single source of truth)
    style       style files -> frozen Style (extends, defaults, paths)
    validate    tree + style -> model.Report (markup parsed by markup.py)
    layout      Report + Style -> layout.blocks.Document (format-neutral)
    render      Document -> bytes, one module per format (render/pdf.py, render/docx.py)
    pipeline    writes each artefact atomically
"""
__version__ = "0.1.0"

import sys as _sys
import types as _types

# reportlab, when first imported, runs ~/.reportlab_mods and ~/.reportlab_settings and any
# `reportlab_mods` or `reportlab_settings` module on the import path. A build must neither run
# nor depend on files outside the project (outputs would differ from machine to machine), so
# empty stand-ins answer those imports before reportlab looks for them.
for _name in ("reportlab_mods", "reportlab_settings"):
    _sys.modules.setdefault(_name, _types.ModuleType(_name))
