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
