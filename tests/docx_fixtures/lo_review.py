"""Review a draft in LibreOffice itself, through its UNO API: a ranged comment and a tracked
replacement, saved as DOCX by LibreOffice's own filter.

Run by the system Python that ships LibreOffice's `uno` module (not the project's Python):
    python3 lo_review.py PIPE_NAME DRAFT.docx OUT.docx AUTHOR ACTIONS_JSON
where ACTIONS_JSON is a list of ["comment", text, note] and ["replace", old, new]; each acts on the
first body paragraph holding the text.
"""
import json
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(150):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.2)
    raise SystemExit("LibreOffice did not start")


def set_user_name(ctx, given, family):
    """Tracked changes take their author from the user profile, as in the desktop application."""
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def body_paragraphs(text):
    """Every paragraph of a text in reading order, those in table cells too (callouts are tables)."""
    elements = text.createEnumeration()
    while elements.hasMoreElements():
        element = elements.nextElement()
        if element.supportsService("com.sun.star.text.Paragraph"):
            yield element
        elif element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                yield from body_paragraphs(element.getCellByName(name).Text)


def find(doc, text):
    """The range of `text` in the first body paragraph holding it (a cursor, as a user selects)."""
    for paragraph in body_paragraphs(doc.Text):
        at = paragraph.getString().find(text)
        if at >= 0:
            cursor = paragraph.Text.createTextCursorByRange(paragraph.getStart())
            cursor.goRight(at, False)
            cursor.goRight(len(text), True)
            return cursor
    raise SystemExit(f"not found: {text}")


def main(pipe, source, target, author, actions):
    ctx = connect(pipe)
    given, _, family = author.partition(" ")
    set_user_name(ctx, given, family)
    # A model without a frame or view: headless LibreOffice cannot build the comment sidebar.
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    doc.load((prop("URL", uno.systemPathToFileUrl(source)), prop("FilterName", "MS Word 2007 XML")))
    for action, text, value in json.loads(actions):
        found = find(doc, text)
        if action == "comment":
            annotation = doc.createInstance("com.sun.star.text.textfield.Annotation")
            annotation.Author = author
            annotation.Content = value
            annotation.DateTimeValue = uno.createUnoStruct("com.sun.star.util.DateTime", 0, 0, 0, 10, 1, 5, 2026,
                                                           False)
            found.Text.insertTextContent(found, annotation, True)
        else:
            doc.RecordChanges = True
            found.String = value
            doc.RecordChanges = False
    doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
    sys.stdout.flush()
    os._exit(0)  # the UNO bridge's own teardown at exit sometimes crashes the client (SIGSEGV), its work done
