"""Every runtime dependency pyproject.toml declares is imported by journeymap: none is carried along
unused (the python `graphviz` package was, while the code runs the system's `dot` itself)."""

from __future__ import annotations

import re
import sys

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# distribution name → the module it installs, where they differ
MODULES = {"pyyaml": "yaml"}


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "journeymap").rglob("*.py"):
        text = path.read_text("utf-8")
        found.update(re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", text, re.M))
    return found


def test_every_runtime_dependency_is_imported() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    names = [re.match(r"[A-Za-z0-9_.-]+", spec).group().lower() for spec in project["dependencies"]]
    imported = _imported_modules()
    unused = [name for name in names if MODULES.get(name, name.replace("-", "_")) not in imported]
    assert unused == []
