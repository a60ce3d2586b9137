"""`reportc review` on returned drafts a red team crafted, and on what Word really writes that the
first readers got wrong: nesting that cost text x depth, text boxes, a deletion of an insertion,
huge or odd comments, remarks in headers and footers, cells read from CSV.

Each file is the eastmoor draft edited in place (helpers of test_review_hardening); `--apply`
runs with `--dry-run` from the repository root, so no source is written."""
from __future__ import annotations

import json
import time
from pathlib import Path

from lxml import etree

from compiler.diagnostics import Span
from compiler.render.docx.sourcemap import Mark
from compiler.review.apply import Plan, _plan_paragraph
from compiler.review.edits import Edit, ParagraphEdits
from tests.test_review_hardening import (commented, draft, edited, injected, parts_of, review,  # noqa: F401
                                         w, write_docx)

INS = b'<w:ins w:id="%d" w:author="%s" w:date="2026-05-01T00:00:00Z">'
DEL = b'<w:del w:id="%d" w:author="%s" w:date="2026-05-02T00:00:00Z">'


def paragraph_with(root: etree._Element, text: str) -> tuple[etree._Element, etree._Element]:
    """The first body paragraph with a w:t holding `text`, and that w:t."""
    t = next(t for t in root.iter(w("t")) if text in (t.text or ""))
    return next(t.iterancestors(w("p"))), t


def tracked_replace(t: etree._Element, old: str, new: str) -> None:
    """`old` in `t` replaced by `new` as a tracked change: the run split around it."""
    run = t.getparent()
    head, _, tail = t.text.partition(old)
    t.text = head
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    pieces = etree.fromstring(
        f'<x xmlns:w="{w("")[1:-1]}"><w:del w:id="801" w:author="Eve"><w:r><w:delText>{old}</w:delText></w:r>'
        f'</w:del><w:ins w:id="802" w:author="Eve"><w:r><w:t>{new}</w:t></w:r></w:ins>'
        f'<w:r><w:t xml:space="preserve">{tail}</w:t></w:r></x>')
    for piece in reversed(list(pieces)):
        run.addnext(piece)


def applied_diff(path: Path) -> tuple[str, str]:
    """(unified diff, stderr) of `review --apply --dry-run` from the repository root."""
    result = review(path, "--apply", "--dry-run")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    return result.stdout, result.stderr


# ---- 1. nesting that made reading cost text x depth --------------------------------------------


def test_paragraphs_nested_in_paragraphs_are_one_clear_error_within_seconds(draft, tmp_path):
    # 90 paragraphs in paragraphs around 200,000 runs: every level read all the text below it
    # and climbed every level above each text node (minutes; 1.4 million runs took 100 minutes).
    nested = b"<w:p>" * 90 + b"<w:r><w:t/></w:r>" * 200_000 + b"</w:p>" * 90
    path = injected(draft, tmp_path / "nested-p.docx", at_end=nested)
    started = time.monotonic()
    result = review(path, "--apply", "--dry-run", timeout=60)
    assert time.monotonic() - started < 15
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"{path}:1:1: error: its part word/document.xml has a paragraph inside another "
                             f"paragraph (outside a text box), which no word processor writes; open it in Word "
                             f"and save it again, or ask the reviewer for the file as their word processor "
                             f"saved it\n")


def test_tracked_changes_nested_in_tracked_changes_are_one_clear_error(draft, tmp_path):
    # Each of 95 nested insertions gathered all the text below it: 66 MB of JSON for 700 KB.
    nested = b"".join(INS % (900 + i, b"a") for i in range(5)) + b"<w:r><w:t>x</w:t></w:r>" + b"</w:ins>" * 5
    path = injected(draft, tmp_path / "nested-ins.docx", at_end=nested)
    result = review(path, "--json")
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:1:1: error: its part word/document.xml has tracked changes nested more "
                           f"than 2 deep") and "save it again" in line


def test_text_deep_inside_one_paragraph_is_read_in_one_pass(draft, tmp_path):
    # Each text node looked up its tracked change and field instruction by climbing all its
    # ancestors: 90 levels over 150,000 runs took 15 s, now 2.
    deep = (b"<w:hyperlink>" * 90 + INS % (900, b"Eve") + b"<w:r><w:t>new</w:t></w:r></w:ins>"
            + b"<w:r><w:t/></w:r>" * 150_000 + b"</w:hyperlink>" * 90)
    path = injected(draft, tmp_path / "deep-runs.docx", after=deep)
    started = time.monotonic()
    result = review(path, "--apply", "--dry-run", timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - started < 8
    assert ': change: Eve: insert "new"' in result.stderr


# ---- 2. text boxes ------------------------------------------------------------------------------

MC = b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
TEXT_BOX = (b'<mc:AlternateContent %s><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r>'
            b'<w:t>Check this figure</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback>'
            b'<w:pict><w:txbxContent><w:p><w:r><w:t>Check this figure</w:t></w:r></w:p></w:txbxContent></w:pict>'
            b'</mc:Fallback></mc:AlternateContent>' % MC)


def test_an_inserted_text_box_is_a_warning_and_its_text_is_never_written(draft, tmp_path):
    path = injected(draft, tmp_path / "textbox.docx", after=INS % (900, b"Eve") + b"<w:r>" + TEXT_BOX + b"</w:r></w:ins>")
    diff, err = applied_diff(path)
    assert diff == "" and "Check this figure" not in diff
    assert "warning: not applied: a text box or drawing added, removed or changed" in err
    assert ': change: Eve: insert "Check this figure"\n' in err  # listed once: mc:Fallback repeats it


# ---- 3. a deletion of an insertion ----------------------------------------------------------------


def test_text_one_reviewer_inserted_and_another_deleted_is_neither_before_nor_after(draft, tmp_path):
    def edit(root):
        p, t = paragraph_with(root, "2024 to 2028")
        tracked_replace(t, "2028", "2027")
        inserted_then_deleted = etree.fromstring(
            (INS % (900, b"A") + DEL % (901, b"B") + b"<w:r><w:delText>very </w:delText></w:r></w:del></w:ins>")
            .replace(b"<w:ins ", b'<w:ins xmlns:w="%s" ' % w("")[1:-1].encode()))
        t.getparent().addnext(inserted_then_deleted)

    diff, err = applied_diff(edited(draft, tmp_path / "del-in-ins.docx", "word/document.xml", edit))
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1 and "not applied" not in err
    assert added[0] == removed[0].replace("2028", "2027").replace("-", "+", 1) and "very" not in diff


# ---- 4. comments ----------------------------------------------------------------------------------


def comments_edited(commented: Path, target: Path, edit) -> Path:
    return edited(commented, target, "word/comments.xml", edit)


def test_a_huge_comment_is_shortened_with_a_note(commented, tmp_path):
    def edit(root):
        comment = next(root.iter(w("comment")))
        for t in comment.iter(w("t")):
            t.text = "word " * 1_000_000  # 5 MB

    result = review(comments_edited(commented, tmp_path / "huge.docx", edit), "--json")
    assert result.returncode == 0, result.stderr
    [remark] = json.loads(result.stdout)["remarks"]
    assert len(remark["text"]) < 10_100 and remark["text"].startswith("word word")
    assert remark["text"].endswith("[shortened: the comment is over 10,000 characters; read it whole in Word]")
    assert len(review(tmp_path / "huge.docx").stdout) < 12_000


def test_comments_sharing_an_id_are_both_listed_and_one_anchored_nowhere_is_warned_about(commented, tmp_path):
    def edit(root):
        first = next(root.iter(w("comment")))
        for number, (comment_id, text) in enumerate(((first.get(w("id")), "Same id"), ("77", "Anchored nowhere"))):
            copy = etree.fromstring(etree.tostring(first))
            copy.set(w("id"), comment_id)
            copy.set(w("author"), f"Reviewer {number}")
            next(copy.iter(w("t"))).text = text
            root.append(copy)

    result = review(comments_edited(commented, tmp_path / "odd.docx", edit))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(': comment: Jane Smith (2026-05-01): "Check this"' in line for line in lines)
    same = next(line for line in lines if '"Same id"' in line)
    assert same.split(": comment:")[0] == next(line for line in lines if '"Check this"' in line).split(": comment:")[0]
    nowhere = lines.index(next(line for line in lines if '"Anchored nowhere"' in line))
    assert lines[nowhere].split(":")[1:3] == ["1", "1"]
    assert "warning: the comment above is not on source text (it is anchored nowhere in the document)" \
        in lines[nowhere + 1]
    assert "3 comments" in result.stderr


# ---- 5. headers and footers -------------------------------------------------------------------------


def test_a_change_in_a_header_is_listed_untraced_and_never_applied(draft, tmp_path):
    parts = parts_of(draft)
    header = parts["word/header1.xml"]
    at = header.index(b"</w:pPr>") + len(b"</w:pPr>")  # in the first paragraph
    parts["word/header1.xml"] = header[:at] + INS % (900, b"Eve") + b"<w:r><w:t>OFFICIAL</w:t></w:r></w:ins>" + header[at:]
    path = write_docx(tmp_path / "header.docx", parts)
    listed = review(path)
    assert listed.returncode == 0, listed.stderr
    assert "no comments or tracked changes" not in listed.stderr
    [change, warning] = listed.stdout.splitlines()
    assert change.endswith(': change: Eve: insert "OFFICIAL"') and ":1:1: " in change
    assert "(it is in a header or footer)" in warning
    assert "warning: the header or footer word/header1.xml has comments or tracked changes" in listed.stderr
    diff, err = applied_diff(path)
    assert diff == "" and "not applied: a change in the header or footer word/header1.xml" in err


# ---- 6. cells read from a CSV file --------------------------------------------------------------------


def test_a_change_in_a_csv_cell_says_to_edit_the_csv_by_hand(tmp_path):
    span = Span("sources/data/workforce.csv", 3, 1)
    paragraph = ParagraphEdits(Mark("_rc1c_3_1", span, "table cell"), "Police staff",
                               [Edit(7, 7, "civilian ", "Eve")])
    problem = _plan_paragraph(Plan(), paragraph, span, tmp_path)
    assert problem.endswith("is in a table cell read from the data file 'sources/data/workforce.csv'; --apply "
                            "does not write data files back: edit the cell in that file by hand")
    assert "project root" not in problem


def test_a_replacement_across_bold_takes_the_bold_with_it_only_when_it_replaces_all_of_it():
    """A reviewer replaced "inadequate at" (the first word bold) with "poor at": the source read
    "**poor at**", setting in bold words the reviewer did not."""
    from compiler.review.edits import Edit
    from compiler.review.locate import locate
    from compiler.review.splice import edited_value

    def applied(value: str, before: str, old: str, new: str) -> str:
        start = before.index(old)
        edits = locate(before, [Edit(start, start + len(old), new, "R")], value, lambda offset: 0)
        return edited_value(value, edits)

    assert applied("We found it **inadequate** at protecting people.", "We found it inadequate at protecting "
                   "people.", "inadequate at", "poor at") == "We found it poor at protecting people."
    assert applied("It is *very* **poor** at this.", "It is very poor at this.", "very poor", "weak") == \
        "It is weak at this."
    # The bold goes on where the change leaves some of it: the new words stay inside, as before
    assert applied("It is **very inadequate** at this.", "It is very inadequate at this.", "inadequate at",
                   "poor at") == "It is **very poor at** this."
    assert applied("See [the plan](https://example.org) now.", "See the plan now.", "plan now", "strategy later") \
        == "See [the strategy later](https://example.org)."


def test_a_change_inside_a_text_box_is_listed_once(draft, tmp_path):
    """Word writes a text box twice (mc:Choice, mc:Fallback): a reviewer's change in it was listed twice."""
    box = TEXT_BOX.replace(b"<w:r><w:t>Check this figure</w:t></w:r>",
                           INS % (901, b"Rev") + b"<w:r><w:t>inserted in box</w:t></w:r></w:ins>")
    path = injected(draft, tmp_path / "box-change.docx", after=b"<w:r>" + box + b"</w:r>")
    listed = review(path)
    output = listed.stdout + listed.stderr
    assert output.count('change: Rev: insert "inserted in box"') == 1 and "1 tracked change" in output, output


# ---- a redline draft's own changes -----------------------------------------------------------


def _redlined(body: bytes) -> etree._Element:
    return etree.fromstring(b'<w:body xmlns:w="%s">%s</w:body>' % (w("")[1:-1].encode(), body))


OWN = ("HM Inspectorate", "2026-03-12T00:00:00Z")


def test_accepting_the_redline_keeps_the_bookmarks_and_comment_ranges_inside_its_deletions():
    """LibreOffice moves a paragraph's source bookmark into a deletion that starts it: accepting
    the deletion dropped the bookmark, and the paragraph lost its source position."""
    from compiler.review.redline import accept_redline

    root = _redlined(b'<w:p><w:del w:id="1" w:author="HM Inspectorate" w:date="2026-03-12T00:00:00Z">'
                     b'<w:bookmarkStart w:id="5" w:name="_rc1p_52_11"/><w:commentRangeStart w:id="0"/>'
                     b'<w:r><w:delText>Crews</w:delText></w:r></w:del>'
                     b'<w:ins w:id="2" w:author="HM Inspectorate" w:date="2026-03-12T00:00:00Z">'
                     b'<w:r><w:t>Firefighters</w:t></w:r></w:ins><w:r><w:t> visit.</w:t></w:r>'
                     b'<w:bookmarkEnd w:id="5"/></w:p>')
    assert accept_redline(root, OWN) == 2
    paragraph = root.find(w("p"))
    assert [child.tag for child in paragraph] == [w("bookmarkStart"), w("commentRangeStart"), w("r"), w("r"),
                                                   w("bookmarkEnd")]
    assert "".join(paragraph.itertext()) == "Firefighters visit."


def test_a_reviewer_under_the_redlines_name_on_its_day_is_not_taken_for_the_redline():
    """`--redline-author` may name a person whose own edits that day are remarks: the redline's
    changes are stamped at midnight of the build date, theirs at their time."""
    from compiler.review.redline import accept_redline

    root = _redlined(b'<w:p><w:ins w:id="1" w:author="HM Inspectorate" w:date="2026-03-12T15:42:00Z">'
                     b'<w:r><w:t>mine</w:t></w:r></w:ins>'
                     b'<w:ins w:id="2" w:author="HM Inspectorate" w:date="2026-03-12T00:00:00">'
                     b'<w:r><w:t>the redline</w:t></w:r></w:ins></w:p>')
    assert accept_redline(root, OWN) == 1  # the second: the same stamp, written without its "Z"
    assert [node.tag for node in root.find(w("p"))] == [w("ins"), w("r")]
