"""The options of `reportc review --apply`, apart from the code that runs it, so the review parser
can offer them without importing it."""
from __future__ import annotations

from pathlib import Path


def add_apply_arguments(parser) -> None:
    parser.add_argument("--apply", action="store_true",
                        help="write the tracked changes made on source text back into the source files")
    parser.add_argument("--dry-run", action="store_true", help="with --apply: print the edits as a unified diff, "
                                                               "write nothing")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root the draft's source names are relative to (default: current directory)")


def apply_usage_problem(args) -> str | None:
    if getattr(args, "dry_run", False) and not getattr(args, "apply", False):
        return "--dry-run goes with --apply (reportc review DRAFT.docx --apply --dry-run)"
    if getattr(args, "apply", False) and getattr(args, "json", False):
        return "--apply prints no JSON; leave out --json"
    return None
