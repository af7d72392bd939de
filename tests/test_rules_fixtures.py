"""Every fixture in tests/fixtures/rules declares the findings it must produce, as comments:

    # expect: JM101 12:9        (rule, line, column; one line per finding)
    # expect: none

The test checks the file and compares the exact set of (rule, line, column).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeymap.check import check_file

RULE_FIXTURES = sorted((Path(__file__).parent / "fixtures" / "rules").glob("*.yaml"))
_EXPECT = re.compile(r"^# expect: (JM\d{3}) (\d+):(\d+)\s*$|^# expect: none\s*$", re.M)


def expected(path: Path) -> set[tuple[str, int, int]]:
    found = set()
    for m in _EXPECT.finditer(path.read_text(encoding="utf-8")):
        if m.group(1):
            found.add((m.group(1), int(m.group(2)), int(m.group(3))))
    return found


def test_every_fixture_declares_what_it_expects() -> None:
    assert RULE_FIXTURES
    for path in RULE_FIXTURES:
        assert "# expect:" in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda p: p.stem)
def test_fixture_findings(path: Path) -> None:
    result = check_file(str(path))
    got = {(f.rule, f.span.line, f.span.column) for f in result.findings if f.span}
    assert got == expected(path), [f"{f.rule} {f.span}: {f.message}" for f in result.findings]
    assert all(f.span is not None and f.span.file == str(path) for f in result.findings)
    if path.stem.startswith("ok-"):
        assert result.journey is not None


@pytest.mark.parametrize("path", [p for p in RULE_FIXTURES if p.stem.startswith("jm1")],
                         ids=lambda p: p.stem)
def test_findings_name_their_subject(path: Path) -> None:
    """Graph rules say which touchpoint or failure they are about (JM102/JM105: the journey)."""
    for f in check_file(str(path)).findings:
        if f.rule in ("JM102", "JM105"):
            assert f.subject is None
        else:
            assert f.subject, f
