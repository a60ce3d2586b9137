"""`dataclass`: the standard library's, with the methods it generates compiled once per
installation instead of once per process.

`dataclasses.dataclass` writes each class's `__init__`, `__eq__`, `__repr__`, `__hash__`,
`__setattr__` and `__delattr__` as source text and compiles it on every import: for reportc's
150 record types, half the time its own modules take to import, and a tenth of a typical
report's build. Python keeps a module's bytecode in `__pycache__`; this keeps the code of those
methods beside it, keyed by the exact text compiled, so an edited class compiles afresh and no
class can be given another's methods. The classes made are exactly those `dataclasses` makes.

The file is trusted as the bytecode beside it is (whoever can write one can write the other).
One that cannot be read, is cut short, comes from another Python version or holds anything but
texts and their code is ignored and rewritten. It is written as Python writes bytecode: not
under PYTHONDONTWRITEBYTECODE, under PYTHONPYCACHEPREFIX when that is set, atomically, and not
at all where it cannot be (a read-only installation compiles every time, as before).
"""
from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
import tempfile
import threading
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path
from types import CodeType

__all__ = ["dataclass"]

_MAX_ENTRIES = 4000  # past this, a save keeps only what its process used: old edits' methods go


class _CompiledMethods:
    """The code of every method text compiled, loaded on first use and saved at exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, CodeType] | None = None
        self.used: set[str] = set()
        self.added = False

    def exec(self, text, globals=None, locals=None) -> None:
        """What `dataclasses` calls to make a method (it calls `exec`), with the compiling cached."""
        if type(text) is not str:
            return builtins.exec(text, globals, locals)
        if self.known is None:
            self.known = _read(self.path)
        code = self.known.get(text)
        if code is None:
            code = self.known[text] = compile(text, "<string>", "exec")  # the file name exec gives
            self.added = True
        self.used.add(text)
        builtins.exec(code, globals, locals)

    def save(self) -> None:
        if not self.added or self.known is None or sys.dont_write_bytecode:
            return
        kept = self.known if len(self.known) <= _MAX_ENTRIES else {text: self.known[text] for text in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC_NUMBER + marshal.dumps(kept))
                os.chmod(temporary, 0o644)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass
        self.added = False


def _read(path: Path) -> dict[str, CodeType]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(MAGIC_NUMBER):  # another Python version's marshal format
        return {}
    try:
        known = marshal.loads(data[len(MAGIC_NUMBER):])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(known, dict):
        return {}
    return {text: code for text, code in known.items() if type(text) is str and type(code) is CodeType}


_methods = _CompiledMethods(Path(cache_from_source(__file__)).with_suffix(".methods"))
atexit.register(_methods.save)
_making = threading.Lock()  # one class at a time: the hook below is module state


def dataclass(cls=None, /, **options):
    """`dataclasses.dataclass(cls, **options)`, the code of its generated methods cached."""
    def wrap(cls):
        # dataclasses calls `exec` by name: its module's own global, when set, comes before the
        # builtin. Set only while this class is made, so no other code's dataclasses see it.
        with _making:
            dataclasses.exec = _methods.exec
            try:
                return dataclasses.dataclass(cls, **options)
            finally:
                del dataclasses.exec
    return wrap if cls is None else wrap(cls)
