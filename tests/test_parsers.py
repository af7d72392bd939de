"""The loader gives the same findings whichever YAML parser PyYAML brings.

Three set-ups, each a real subprocess: PyYAML with the locked libyaml, a second PyYAML release with
another libyaml (scripts/setup.sh --test installs it into <venv>/alt-pyyaml from
requirements/alt-pyyaml.lock), and the pure-Python parser the loader falls back to when PyYAML was
built without libyaml. Inputs: the example journeys, the fixtures, the bad-input corpus, deep flow
nesting (libyaml 0.2.6 stops at 1,000 levels on its own), and the inputs of the official YAML test
suite (tests/data/yaml-test-suite, see tests/data/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO / "tests" / "data" / "yaml-test-suite"
ALT_PYYAML = Path(sys.prefix) / "alt-pyyaml"

# Cases of the YAML test suite on which PyYAML's pure-Python scanner and libyaml disagree about the
# YAML itself, not about words or positions: both follow YAML 1.1 but differ on tabs as white space,
# %YAML/%TAG directives, a tag's allowed characters and escapes. None of these shapes occurs in a
# journey a person writes; every other case of the suite must give the same findings.
PURE_PYTHON_DIFFERS = {
    "2LFX", "6LVF", "BEC7", "MUS6/05", "MUS6/06", "W4TN", "MUS6/00",  # directives
    "96NN/00", "96NN/01", "DK95/05", "HS5T", "MUS6/03", "NB6Z", "R4YG", "UV7Q", "Y79Y/001",  # tabs
    "55WF", "HRE5",  # an invalid escape: the column of the backslash or of the character after it
    "U99R", "WZ62",  # `!!str,`: a comma ends a tag in flow context for libyaml only
    "4ABK", "FRK4", "JR7V",  # `:` after a flow key: libyaml's and PyYAML's rules for it differ
    "2G84/01", "X4QW",  # block scalar header followed by a comment or a digit
}


def _inputs(tmp: Path) -> list[str]:
    deep = tmp / "deep-flow.yaml"
    deep.write_bytes(b"journey: Deep\nstages: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    tag_first = tmp / "tag-before-deep.yaml"
    tag_first.write_bytes(b"journey: x\ntag: !!python/object:os.system x\nstages: " + b"{a: " * 2000 + b"}" * 2000)
    tab_first = tmp / "tab-before-deep.yaml"
    tab_first.write_bytes(b"journey: x\nstages:\t" + b"[" * 2000 + b"]" * 2000 + b"\n")
    ours = [p for folder in ("journeys", "tests/fixtures", "tests/corpus") for p in (REPO / folder).rglob("*.y*ml")]
    return [str(p) for p in sorted(ours) + [deep, tag_first, tab_first] + sorted(SUITE.rglob("in.yaml"))]


def _run(setup: str, files: list[str]) -> tuple[str, dict]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if setup == "alt":
        if not (ALT_PYYAML / "yaml").is_dir():
            if os.environ.get("CI"):
                pytest.fail(f"{ALT_PYYAML} is missing: scripts/setup.sh --test installs it")
            pytest.skip(f"{ALT_PYYAML} is missing: run scripts/setup.sh --test")
        env["PYTHONPATH"] = f"{ALT_PYYAML}{os.pathsep}{REPO}"
    if setup == "pure":
        env["JOURNEYMAP_PURE_YAML"] = "1"
    done = subprocess.run([sys.executable, str(REPO / "tests" / "parser_findings.py"), *files],
                          capture_output=True, text=True, env=env, timeout=300, check=True)
    name, _, found = done.stdout.partition("\n")
    return name, json.loads(found)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, tuple[str, dict]]:
    files = _inputs(tmp_path_factory.mktemp("parsers"))
    return {setup: _run(setup, files) for setup in ("locked", "alt", "pure")}


def _case(path: str) -> str:
    return Path(path).parent.relative_to(SUITE).as_posix() if path.startswith(str(SUITE)) else path


def test_three_distinct_parsers_are_compared(results) -> None:
    names = {setup: name for setup, (name, _) in results.items()}
    assert "libyaml" in names["locked"] and "libyaml" in names["alt"], names
    assert names["locked"].split("libyaml")[1] != names["alt"].split("libyaml")[1], names
    assert names["pure"].endswith("pure Python"), names


def test_two_libyaml_releases_give_the_same_findings(results) -> None:
    locked, alt = results["locked"][1], results["alt"][1]
    assert {_case(p): f for p, f in alt.items() if f != locked[p]} == {}


def test_pure_python_gives_the_same_findings(results) -> None:
    locked, pure = results["locked"][1], results["pure"][1]
    differ = {_case(p) for p, f in pure.items() if f != locked[p]}
    assert differ - PURE_PYTHON_DIFFERS == set(), {c: (locked[p], pure[p]) for p in pure
                                                   if (c := _case(p)) in differ - PURE_PYTHON_DIFFERS}
    # the list stays honest: each case on it still differs
    assert PURE_PYTHON_DIFFERS - differ == set()


def test_deep_flow_nesting_is_found_at_the_65th_level(results) -> None:
    for setup, (_, found) in results.items():
        deep = next(f for p, f in found.items() if p.endswith("deep-flow.yaml"))
        assert [x[:3] for x in deep] == [["JM001", 2, 72]], setup
        assert "nested more than 64 levels" in deep[0][3] and deep[0][4], setup
        tag = next(f for p, f in found.items() if p.endswith("tag-before-deep.yaml"))
        assert [x[:3] for x in tag] == [["JM001", 2, 6]] and "tag" in tag[0][3], setup
        tab = next(f for p, f in found.items() if p.endswith("tab-before-deep.yaml"))
        assert [x[:3] for x in tab] == [["JM001", 2, 72]], setup
