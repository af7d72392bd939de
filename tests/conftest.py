"""Shared test helpers: build journeys from YAML text, and find fixture files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from journeymap.check import check_file, validate_file
from journeymap.findings import FileResult
from journeymap.model import Journey

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


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
