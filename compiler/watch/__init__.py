"""`reportc watch`: live preview of the HTML editions while writing.

    edition   the served state: each report's latest build and its last good HTML, in memory
    pages     the index page, and a served edition with the reload script (and problems) added
    server    http.server on 127.0.0.1: fixed routes only, from memory, never from the disk
    loop      build -> serve -> watch the project -> rebuild what changed (the build cache decides)

The editions are built into their own folder, build/watch/: the build cache records the formats
a report was built in, so sharing build/ with `reportc build` (pdf,docx) would make each
command rebuild everything the other one built, and the manifest there would list only HTML.

Importing this package costs nothing: the parser is all `reportc` needs from it until
`watch` runs.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

DEFAULT_PORT = 8000
WATCH_OUT = Path("build") / "watch"


def port_number(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", value) or int(value) > 65535:  # ASCII digits only, as --jobs
        raise argparse.ArgumentTypeError(f"--port takes a port number from 0 to 65535 (0: any free port); "
                                         f"got {value!r}")
    return int(value)


def add_watch_parser(commands, common: argparse.ArgumentParser) -> None:
    watch = commands.add_parser("watch", parents=[common],
                                help="build the HTML editions, serve them on 127.0.0.1 and rebuild on every save")
    watch.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                       help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0: any free port, printed)")


def run_watch(args, roots, source_date) -> bool:
    """Serve until Ctrl-C (True); False, with a message, when the server cannot start."""
    from .loop import WatchOptions, watch

    return watch(WatchOptions(tuple(args.paths), roots, WATCH_OUT, args.port, args.strict, args.quiet,
                              source_date))
