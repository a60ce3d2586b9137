"""A closed pipe ends a command quietly: `reportc schema | head -1` prints one line, no traceback.

When the reader of stdout (or stderr) goes away, the next write raises BrokenPipeError. The
reader chose to stop, so that is no error of reportc's: while a command runs, both streams drop
what is written after their pipe closed, and the command finishes with its own exit status.
The stream's file descriptor is pointed at os.devnull, so the flush at interpreter exit has
nowhere to fail either (Python would print "Exception ignored ... BrokenPipeError").
"""
from __future__ import annotations

import functools
import os
import sys
from typing import Callable


class _ClosedPipeTolerant:
    """A text stream that drops writes once its pipe has closed; everything else as the stream."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._closed = False

    def write(self, text: str) -> int:
        if not self._closed:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._close()
        return len(text)

    def flush(self) -> None:
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._close()

    def _close(self) -> None:
        self._closed = True
        silence(self._stream)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def silence(stream) -> None:
    """Point `stream`'s file descriptor at os.devnull, so pending and later output go nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a StringIO, a closed stream)
        pass


def quiet_on_closed_pipe(main: Callable[..., int]) -> Callable[..., int]:
    """Run a command's `main` with stdout and stderr tolerant of a closed pipe."""

    @functools.wraps(main)
    def run(*args, **kwargs) -> int:
        saved = sys.stdout, sys.stderr
        if sys.stdout is not None and sys.stderr is not None:
            sys.stdout, sys.stderr = _ClosedPipeTolerant(sys.stdout), _ClosedPipeTolerant(sys.stderr)
        try:
            status = main(*args, **kwargs)
            sys.stdout.flush()
            sys.stderr.flush()
            return status
        except BrokenPipeError:  # a write to a stream held from before the call (a default argument)
            for stream in saved:
                silence(stream)
            return 0
        finally:
            sys.stdout, sys.stderr = saved

    return run
