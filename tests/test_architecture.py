"""The shape of the house: imports among journeymap's modules flow one way (style.md). (That
`journeymap --help` imports none of the heavy libraries is tests/test_cli.py's start-up test.)

How a module's dependencies are read, from its source with `ast` (nothing is imported):

- Only imports that run when the module is imported count: those at module level, including
  inside top-level ``if``/``try`` blocks, but not those under ``if TYPE_CHECKING:`` (they never run;
  a type annotation may name a module above) and not those inside functions (the lazy imports that
  keep `journeymap --help` fast run after every module has loaded).
- ``import journeymap.a.b`` depends on ``journeymap.a.b``; ``from journeymap.a import y`` depends on
  ``journeymap.a``, except when ``y`` is a submodule (``from journeymap.render import style``): that
  is Python's spelling for importing the submodule, so it depends on ``journeymap.a.y``. Relative
  imports are resolved first.
- Python runs a package's ``__init__`` before any of its submodules. A submodule therefore depends
  on its package's ``__init__`` when that ``__init__`` is non-trivial: when it holds anything but a
  docstring, imports and ``__all__``. A trivial ``__init__`` (a docstring, or a facade re-exporting
  names from its submodules) holds no name of its own that a submodule could need, so the submodule
  does not depend on it. The consequence: a package whose ``__init__`` holds code may not import its
  own submodules at module level (that would be a circle through every one of them); put the code
  in a submodule and let the ``__init__`` re-export it, as `journeymap.render` (code in ``maps``)
  and `journeymap.report` (the registry in ``registry``) do. A module inside a package imports its
  siblings, never the facade.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from conftest import REPO


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` (under ``root``) by its dotted name; a package by its own name."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _runs_on_import(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                found += _runs_on_import(node.body)
            found += _runs_on_import(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]):
                found += _runs_on_import(block)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def is_trivial(tree: ast.Module) -> bool:
    """A package ``__init__`` with nothing but a docstring, imports and ``__all__``."""
    for at, node in enumerate(tree.body):
        docstring = at == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        names_all = isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
        if not (docstring or names_all or isinstance(node, (ast.Import, ast.ImportFrom))):
            return False
    return True


def dependencies(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's dependencies among ``modules``, by the rules in this file's docstring."""
    trees = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules.items()}
    graph = {}
    for name, tree in trees.items():
        is_package = modules[name].name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        needs: set[str] = set()
        for node in _runs_on_import(tree.body):
            if isinstance(node, ast.Import):
                needs |= {alias.name for alias in node.names if alias.name in modules}
                continue
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    needs.add(submodule)
                elif base in modules:
                    needs.add(base)
        parent = name.rpartition(".")[0]
        if parent in modules and not is_trivial(trees[parent]):
            needs.add(parent)
        needs.discard(name)
        graph[name] = needs
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round a circle (of more than one module)."""
    digraph = nx.DiGraph([(name, need) for name, needs in graph.items() for need in needs])
    digraph.add_nodes_from(graph)
    return sorted(sorted(group) for group in nx.strongly_connected_components(digraph) if len(group) > 1)


def describe(group: list[str], graph: dict[str, set[str]]) -> str:
    return "\n".join(f"  {name} -> {', '.join(sorted(graph[name] & set(group)))}" for name in group)


def test_journeymap_has_no_import_cycles() -> None:
    graph = dependencies(module_files(REPO, "journeymap"))
    assert len(graph) > 50 and graph["journeymap.cli"], "the scan found journeymap's modules"
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n\n".join(describe(group, graph) for group in found)


def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dependencies(module_files(tmp_path, "pkg"))


CASES = {
    "two modules that import each other": ({
        "pkg/__init__.py": '"""Trivial."""\n',
        "pkg/a.py": "from pkg.b import x\n",
        "pkg/b.py": "from . import a\nx = 1\n",
    }, [["pkg.a", "pkg.b"]]),
    # the submodule runs the __init__ first, which imports the submodule
    "an __init__ with code that imports its own submodule": ({
        "pkg/__init__.py": "from pkg.part import f\nLIMIT = 3\n",
        "pkg/part.py": "def f():\n    return 1\n",
    }, [["pkg", "pkg.part"]]),
    "a facade, and a submodule named through its package": ({
        "pkg/__init__.py": '"""Facade."""\nfrom pkg.part import f\n__all__ = ["f"]\n',
        "pkg/part.py": "from pkg import style\ndef f():\n    return style.X\n",
        "pkg/style.py": "X = 1\n",
    }, []),
    "a name taken from the facade": ({
        "pkg/__init__.py": "from pkg.part import f\n",
        "pkg/part.py": "from pkg import LIMIT\ndef f():\n    return LIMIT\n",
    }, [["pkg", "pkg.part"]]),
    "imports inside functions and under TYPE_CHECKING": ({
        "pkg/__init__.py": "",
        "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import T\n",
        "pkg/b.py": "def f():\n    from pkg import a\nT = int\nfrom pkg import a as _a\n",
    }, []),
}


@pytest.mark.parametrize("case", CASES)
def test_the_scan_follows_its_rules(tmp_path: Path, case: str) -> None:
    """The rules above, on small packages: the check can fail, and fails for the right reasons."""
    files, expected = CASES[case]
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert cycles(dependencies(module_files(tmp_path, "pkg"))) == expected


def test_analysis_results_name_no_analysis_even_for_types() -> None:
    """`analysis/results.py` is the plain data every analysis makes and every reporter reads: it
    sits below the analyses, so it names none of them, not even under TYPE_CHECKING (it named
    `factors.FactorGroup` there, and factors imports results: a circle for type checkers and
    readers; FactorGroup now lives in results)."""
    tree = ast.parse((REPO / "journeymap" / "analysis" / "results.py").read_text(encoding="utf-8"))
    named = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    named |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in named if m.startswith("journeymap.analysis")}, named
