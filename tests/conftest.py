"""Shared test helpers: build journeys from YAML text, and find fixture files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journeymap.check import check_file, validate_file
from journeymap.findings import FileResult
from journeymap.model import Journey

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent

# a small journey that passes `check`, for the tests of the CLI and of hostile files and output
GOOD = """\
journey: Return a parcel
stages:
  - name: Request
    touchpoints:
      - name: Ask for a return
        failures:
          - name: The form crashes
            to: ask-for-a-return
      - name: Print the label
"""


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a `python -m journeymap` process: no colour, this checkout's package."""
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), **extra}


def run_journeymap(*args: str, cwd: Path, timeout: float, **kw) -> subprocess.CompletedProcess:
    """`python -m journeymap ARGS` as a real process in ``cwd``, its output captured unless ``kw``
    sends it elsewhere; the timeout makes a hang a failure."""
    if "stdout" not in kw:
        kw["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "journeymap", *args], env=cli_env(), cwd=cwd,
                          timeout=timeout, **kw)


def write_journey(tmp_path: Path, text: str, name: str = "journey.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def checked(tmp_path: Path):
    """checked(yaml_text) → FileResult of `check` on that text written to a file."""

    def run(text: str, name: str = "journey.yaml") -> FileResult:
        return check_file(str(write_journey(tmp_path, text, name)))

    return run


@pytest.fixture
def journey(tmp_path: Path):
    """journey(yaml_text) → the Journey model; fails the test when the text does not validate."""

    def build(text: str, name: str = "journey.yaml") -> Journey:
        result = validate_file(str(write_journey(tmp_path, text, name)))
        assert result.journey is not None, [f.message for f in result.findings]
        return result.journey

    return build


def one_promise(journey, text: str):
    """The one promise of the journey in ``text``: (result, its findings)."""
    from journeymap.analysis.promises import evaluate_promises
    from journeymap.graph import build_graph

    [(result, found)] = evaluate_promises(build_graph(journey(text)))
    return result, found
