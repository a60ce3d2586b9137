"""The package layout is the pipeline: it is kept, not only described.

At most 8 modules at the top of compiler/, none over 500 lines, no import cycles, each rendering
library imported only inside its renderer's package, and every registry entry a package.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "compiler"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "shipped" not in p.relative_to(PACKAGE).parts)


def module_name(path: Path) -> str:
    parts = ("compiler", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: str | None = None) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if package is None:
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for statement in node.body for child in ast.walk(statement))
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            # `from . import cache`: the names may be modules themselves
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


def internal_graph() -> dict[str, set[str]]:
    known = {module_name(path) for path in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        edges = set()
        for target, _ in imports_of(path):
            if target in known and target != module_name(path):
                edges.add(target)
        graph[module_name(path)] = edges
    return graph


def test_at_most_eight_modules_at_the_top_of_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle in `graph` (module -> modules it imports), as a path; [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = 1
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == 1:
                return trail[trail.index(successor):] + [node, successor] if successor in trail else [node, successor]
            if state.get(successor) is None and (found := visit(successor, trail + [node])):
                return found
        state[node] = 2
        return []

    for node in sorted(graph):
        if state.get(node) is None and (found := visit(node, [])):
            return found
    return []


def test_no_import_cycles():
    assert find_cycle(internal_graph()) == []


def test_the_cycle_check_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_relative_imports_are_resolved(tmp_path):
    # The graph must see `from . import b` and `from ..x import y` as the modules they name.
    (tmp_path / "a.py").write_text("from . import b\nfrom ..layout.blocks import Heading\n"
                                   "if TYPE_CHECKING:\n    from .c import C\n")
    targets = {target for target, _ in imports_of(tmp_path / "a.py", package="compiler.build")}
    assert {"compiler.build.b", "compiler.layout.blocks"} <= targets and "compiler.build.c" not in targets


@pytest.mark.parametrize("library, home", [("reportlab", "render/pdf"), ("docx", "render/docx")])
def test_rendering_libraries_are_imported_only_in_their_renderer(library, home):
    outside = [f"{path.relative_to(PACKAGE)}:{line}" for path in MODULES
               if not path.relative_to(PACKAGE).as_posix().startswith(home + "/")
               for target, line in imports_of(path) if target == library or target.startswith(library + ".")]
    assert not outside


def test_every_renderer_is_a_package_with_a_render_function():
    from compiler.render import RENDERERS

    for fmt, name in RENDERERS.items():
        assert name == f"compiler.render.{fmt}"
        assert (PACKAGE / "render" / fmt / "__init__.py").is_file()
        assert callable(importlib.import_module(name).render)


def test_reading_a_review_does_not_load_python_docx():
    import subprocess
    import sys

    code = ("import sys, compiler.review.report, compiler.render.docx.sourcemap; "
            "print(sorted(m for m in sys.modules if m in ('docx', 'reportlab') or m.startswith(('docx.', 'reportlab.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
