"""A draft as a reviewer returns it: a comment, a tracked insertion and a tracked deletion, added
the way Word writes them (python-docx for the comment, w:ins / w:del by hand). A seed for the
review target, so comments.xml and the revision marks are there to mutate."""
from __future__ import annotations

import io

AUTHOR, DATE = "Jane Smith", "2026-05-01T10:00:00Z"


def reviewed(draft: bytes) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    def revision(kind: str, number: int):
        node = OxmlElement(f"w:{kind}")
        for name, value in (("w:id", str(number)), ("w:author", AUTHOR), ("w:date", DATE)):
            node.set(qn(name), value)
        return node

    word = docx.Document(io.BytesIO(draft))
    paragraphs = [p for p in word.paragraphs if p.runs]
    summary = next(p for p in paragraphs if p.text.startswith("Report"))
    made = word.add_comment(summary.runs, text="Is this right?", author=AUTHOR, initials="JS")
    made._comment_elm.set(qn("w:date"), DATE)
    insertion = revision("ins", 100)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = " (since April)"
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    insertion.append(run)
    summary._p.append(insertion)
    title = paragraphs[0].runs[0]._r  # the title: its run deleted, as Word marks a deletion
    title.find(qn("w:t")).tag = qn("w:delText")
    deletion = revision("del", 101)
    title.addprevious(deletion)
    deletion.append(title)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
