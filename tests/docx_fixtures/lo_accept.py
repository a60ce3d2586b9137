"""Open DOCX files in LibreOffice itself (through UNO), accept or reject every tracked change as a
user would (Edit > Track Changes > Accept All / Reject All), and print, per file, every body
paragraph (those in table cells too) as its text and its paragraph style, as JSON.

Run by the system Python that ships LibreOffice's `uno` module (not the project's Python):
    python3 lo_accept.py PIPE_NAME FILE.docx accept|reject|none [FILE.docx MODE ...]
"""
import json
import os
import sys

import uno
from lo_review import body_paragraphs, connect, prop

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def read(ctx, desktop, path, mode):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
    if mode in COMMANDS:
        dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        dispatcher.executeDispatch(doc.getCurrentController().getFrame(), COMMANDS[mode], "", 0, ())
    left = doc.getRedlines().createEnumeration().hasMoreElements()
    paragraphs = list(body_paragraphs(doc.Text))
    read_back = {"paragraphs": [p.getString() for p in paragraphs], "styles": [p.ParaStyleName for p in paragraphs],
                 "changes_left": left}
    doc.close(True)
    return read_back


def main(pipe, *files_and_modes):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    pairs = zip(files_and_modes[::2], files_and_modes[1::2])
    print(json.dumps([read(ctx, desktop, path, mode) for path, mode in pairs]))


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)  # the UNO bridge's own teardown at exit sometimes crashes the client (SIGSEGV), its work done
