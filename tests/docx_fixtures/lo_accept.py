"""Open a DOCX in LibreOffice itself (through UNO), accept or reject every tracked change as a
user would (Edit > Track Changes > Accept All / Reject All), and print the text of every body
paragraph, those in table cells too, as JSON.

Run by the system Python that ships LibreOffice's `uno` module (not the project's Python):
    python3 lo_accept.py PIPE_NAME FILE.docx accept|reject|none
"""
import json
import sys

import uno
from lo_review import body_paragraphs, connect, prop

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def main(pipe, path, mode):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
    if mode in COMMANDS:
        dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        dispatcher.executeDispatch(doc.getCurrentController().getFrame(), COMMANDS[mode], "", 0, ())
    left = doc.getRedlines().createEnumeration().hasMoreElements()
    print(json.dumps({"paragraphs": [p.getString() for p in body_paragraphs(doc.Text)], "changes_left": left}))
    doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
