"""The benchmark's machinery (bench/): its inputs are what they claim, and its verdicts add up.

No timing here: the targets live in `python bench/run.py`, not in unit tests.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from journeymap.check import check_file, validate_file

sys.path.insert(0, str(REPO / "bench"))

import corpora  # noqa: E402
import mermaid  # noqa: E402
import run as bench  # noqa: E402

TINY = {"files": 20, "file_size": 50, "large": 300, "scale": (100, 200), "promises": 12, "render": 40}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    corpora.generate(folder, TINY)
    return folder


def test_the_corpus_has_failures_loops_and_promises(generated: Path) -> None:
    files = sorted((generated / "corpus").glob("*.yaml"))
    assert len(files) == TINY["files"]
    rules = Counter(f.rule for path in files for f in check_file(str(path)).findings)
    assert rules["JM101"] == 2 and rules["JM001"] == 1  # seeds 3 and 13; seed 7
    journey = validate_file(str(files[0])).journey
    assert journey is not None and len(journey.touchpoints) >= TINY["file_size"]
    assert journey.promises and any(f.to for tp in journey.touchpoints for f in tp.failures)


@pytest.mark.parametrize("name, size, promises", [
    ("large.yaml", 300, 12), ("scale-200.yaml", 200, 12), ("plain-200.yaml", 200, 0),
    ("small.yaml", 12, 0), ("render.yaml", 40, 10)])
def test_the_large_journeys_validate_with_their_promises(generated: Path, name: str, size: int,
                                                         promises: int) -> None:
    journey = validate_file(str(generated / name)).journey
    assert journey is not None
    assert len(journey.touchpoints) == size + 1  # and the `gives-up` ending
    assert len(journey.promises) == promises


def test_the_mermaid_journey_has_a_section_per_stage(generated: Path) -> None:
    journey = validate_file(str(generated / "render.yaml")).journey
    text = mermaid.mermaid_journey(journey)
    lines = text.splitlines()
    assert lines[0] == "journey"
    assert sum(line.startswith("  section ") for line in lines) == len(journey.stages)
    assert sum(line.startswith("    ") for line in lines) == len(journey.touchpoints)
    # `name: score` or `name: score: actors`: any other colon is written as an entity code
    assert all(re.fullmatch(r"    [^:]+: [1-5](: [^:]+)?", line) for line in lines if line.startswith("    "))


def measured(seconds: float, code: int = 0, ok: tuple[int, ...] = (0, 1)) -> bench.Measured:
    return bench.Measured(["x"], ok, [seconds, seconds * 3, seconds], [10.0, 12.0, 11.0], [code] * 3)


def test_ratios_verdicts_and_the_start_up_offset() -> None:
    m = {name: measured(1.0) for name in bench.commands_for(Path("."), TINY, True, None)}
    m.update({"check corpus": measured(1.9), "check large": measured(3.5),
              "check 200": measured(4.0), "check 100": measured(2.0), "check small": measured(0.5),
              "render svg": measured(1.0, code=2, ok=(0,))})
    rows = {r.figure.split(" vs ")[0]: r for r in bench.rows_for(m, TINY, True)}
    assert rows["check 20 files of 50 tps"].verdict == "PASS"
    assert rows["check 20 files of 50 tps"].ratio == pytest.approx(1.9)
    assert rows["check 300 tps, 12 promises"].verdict == "MISS"
    assert rows["check 200"].ratio == pytest.approx((4.0 - 0.5) / (2.0 - 0.5))
    assert rows["render --format svg 40 tps"].verdict == "ERROR"
    assert rows["check 20 files of 50 tps"].peak_mb == 12.0
