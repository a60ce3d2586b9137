"""compiler.records: dataclasses whose generated methods' code is cached beside the bytecode."""
from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from compiler import records

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def methods(tmp_path, monkeypatch):
    cache = records._CompiledMethods(tmp_path / "__pycache__" / "records.methods")
    monkeypatch.setattr(records, "_methods", cache)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return cache


def _point(make):
    @make(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: tuple = dataclasses.field(default=(), compare=False)
    return Point


def test_classes_behave_as_the_standard_librarys(methods):
    mine, theirs = _point(records.dataclass), _point(dataclasses.dataclass)
    for cls in (mine, theirs):
        point = cls(1, tags=("a",))
        assert repr(point).endswith("Point(x=1, y=0, tags=('a',))")
        assert point == cls(1, tags=("b",)) and point != cls(2) and hash(point) == hash(cls(1, 0))
        with pytest.raises(dataclasses.FrozenInstanceError):
            point.x = 2
        assert [f.name for f in dataclasses.fields(cls)] == ["x", "y", "tags"]
    assert "exec" not in vars(dataclasses)  # the hook is gone once the class is made
    assert methods.added and methods.used


def test_a_second_process_compiles_nothing(methods):
    _point(records.dataclass)
    methods.save()
    again = records._CompiledMethods(methods.path)
    records._methods = again
    _point(records.dataclass)
    assert again.used and not again.added


def test_an_edited_class_compiles_afresh(methods):
    _point(records.dataclass)
    methods.save()
    again = records._CompiledMethods(methods.path)
    records._methods = again

    @records.dataclass(frozen=True)
    class Point:
        x: int
        z: int = 5
    assert repr(Point(1)).endswith("Point(x=1, z=5)") and again.added


@pytest.mark.parametrize("content", [b"", b"garbage", MAGIC_NUMBER + b"\xff\x00", MAGIC_NUMBER + marshal.dumps([1, 2]),
                                     MAGIC_NUMBER + marshal.dumps({"def f(): pass": "not code", 3: None}),
                                     b"\x00\x00\x0d\x0a" + marshal.dumps({})])
def test_a_bad_cache_is_ignored_and_rewritten(methods, content):
    methods.path.parent.mkdir()
    methods.path.write_bytes(content)
    point = _point(records.dataclass)
    assert point(2).y == 0 and methods.added
    methods.save()
    assert records._read(methods.path) and methods.path.read_bytes().startswith(MAGIC_NUMBER)


def test_not_written_without_bytecode_or_where_it_cannot_be(methods, monkeypatch, tmp_path):
    _point(records.dataclass)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    methods.save()
    assert not methods.path.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)

    def read_only(**_):  # a read-only installation (tests may run as root, who writes anywhere)
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(records.tempfile, "mkstemp", read_only)
    methods.save()
    assert not methods.path.exists() and not list(tmp_path.rglob("*.methods*"))


def test_reportc_uses_the_cache_from_its_second_import(tmp_path):
    """Whole processes, as users run reportc: the second import of every module compiles nothing."""
    environment = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "prefix")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    program = ("import compiler.cli, compiler.build.worker, compiler.layout.compose, compiler.source.validate\n"
               "from compiler.render import renderer_for\n"
               "for name in ('pdf', 'docx', 'html'): renderer_for(name)\n"
               "from compiler import records\n"
               "print(len(records._methods.used), records._methods.added)")
    runs = [subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=environment, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert int(runs[0][0]) > 300 and runs[0][1] == "True"
    assert runs[1] == [runs[0][0], "False"]
    assert list((tmp_path / "prefix").rglob("records*.methods"))
