"""reportc: structured YAML inspection findings -> branded PDF and DOCX reports.

The folder tree is the pipeline, one package per stage, in the order data flows:

    source/   bytes -> positioned YAML tree -> checked against the JSON Schema -> model.Report
    style/    style files -> frozen Style (extends, defaults, fonts, logo)
    layout/   Report + Style -> layout.blocks.Document (format-neutral)
    render/   Document -> bytes, one package per format (render/pdf/, render/docx/)
    build/    the stage order for one report and for a batch; cache, manifest, atomic writes
    review/   a reviewed DOCX -> its comments and tracked changes at source positions (--apply: back
              into the sources)
    watch/    source paths -> a live preview served on 127.0.0.1, rebuilt on save
    project/  `reportc init` and `reportc styles`
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
