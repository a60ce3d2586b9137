"""Writing `--apply`'s edits: a unified diff for `--dry-run`, else each source rewritten atomically
and validated again; a source that no longer validates is put back as it was, with the errors."""
from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TextIO

from ..diagnostics import escape_untrusted
from .apply import Plan, SourceFile, report_counts


def write_back(plan: Plan, root: Path, dry_run: bool, out: TextIO, err: TextIO) -> bool:
    """Diff or write every source with edits; False when a rewritten source failed validation."""
    ok, results = True, list(report_counts(plan))
    for warning in sorted(plan.warnings, key=lambda d: d.sort_key()):
        print(escape_untrusted(warning.format()), file=err)
    for source, text, changed in results:
        if not changed:
            continue
        plan.applied += changed
        if dry_run:
            out.write(unified_diff(source, text))
        elif _write_validated(source, text, root, err):
            print(f"reportc: applied {_count(changed)} to {escape_untrusted(source.display)}", file=err)
        else:
            ok = False
    if dry_run:
        print(f"reportc: --dry-run: {_count(plan.applied)} would be applied; no file was written", file=err)
    elif not plan.applied:
        print("reportc: no tracked change could be applied", file=err)
    return ok


def _count(number: int) -> str:
    return f"{number:,} changed text{'s' if number != 1 else ''}"


def unified_diff(source: SourceFile, text: str) -> str:
    lines = difflib.unified_diff(source.text.splitlines(keepends=True), text.splitlines(keepends=True),
                                 f"a/{source.display}", f"b/{source.display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _write_validated(source: SourceFile, text: str, root: Path, err: TextIO) -> bool:
    from ..build.load import load_report
    from ..build.output import write_atomic
    from ..source.paths import Roots
    from ..style.loader import StyleLoader

    original, mode = source.path.read_bytes(), source.path.stat().st_mode & 0o7777
    write_atomic(source.path, (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8"))
    os.chmod(source.path, mode)  # the writer's own file: keep its permissions
    roots = Roots.at(root)
    loaded = load_report(source.path, roots, StyleLoader(roots))
    if loaded.ok:
        return True
    write_atomic(source.path, original)
    for diagnostic in loaded.diagnostics:
        print(escape_untrusted(diagnostic.format()), file=err)
    print(f"reportc: error: {escape_untrusted(source.display)} would not be valid with the reviewer's changes; "
          f"it was left as it was", file=err)
    return False


# ---- the command line ------------------------------------------------------------------------


def run_apply(args, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`review --apply`: list the remarks (comments are never applied), then write back the changes.
    Exit 0 when done (warnings included), 1 when the draft is unreadable or a source would not validate."""
    import sys

    from .limits import ReviewError
    from .report import format_lines, opened, review_of, summary
    from .apply import plan_changes
    from ..diagnostics import Diagnostic, Span

    out, err = out or sys.stdout, err or sys.stderr
    root = (args.root or Path.cwd()).resolve()
    try:
        package = opened(args.docx, root)  # read once: the listing and the edits come from the same tree
        review = review_of(args.docx, package)
    except ReviewError as error:
        print(Diagnostic("error", Span(str(args.docx), 1, 1), str(error)).format(), file=err)
        return 1
    for warning in review.warnings:
        print(escape_untrusted(Diagnostic("warning", Span(str(args.docx), 1, 1), warning).format()), file=err)
    listing = err if args.dry_run else out
    for line in format_lines(review):
        listing.write(line + "\n")
    err.write(summary(review) + "\n")
    return 0 if write_back(plan_changes(package, root), root, args.dry_run, out, err) else 1


def run_review_command(args) -> int:
    """`reportc review`: the listing, or with --apply the write-back; exit 0, 1 (invalid) or 2 (usage)."""
    import sys

    from .options import apply_usage_problem
    from .report import run_review

    problem = apply_usage_problem(args)
    if problem:
        print(f"reportc: error: {problem}", file=sys.stderr)
        return 2
    if args.apply:
        return run_apply(args)
    return 0 if run_review(args.docx, args.json) else 1
