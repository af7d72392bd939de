"""The generated journeys of benchmarks and tests are valid at every size, the smallest included."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.analysis.synthetic import synthetic_document, write_synthetic
from journeymap.check import run
from journeymap.findings import Severity


@pytest.mark.parametrize("size", [1, 12, 13, 20, 49, 50, 51, 52, 120])
def test_every_size_is_a_valid_journey(size: int, tmp_path: Path) -> None:
    path = write_synthetic(tmp_path / "synthetic.yaml", size)
    errors = [f"{f.rule} {f.message}" for fr in run([str(path)]).files for f in fr.findings
              if f.severity is Severity.ERROR]
    assert errors == []


def test_the_forty_step_promise_ends_at_t50_when_there_is_one() -> None:
    kept = {size: synthetic_document(size)["promises"][1]["kept_at"] for size in (20, 50, 51, 300)}
    assert kept == {20: "t19", 50: "t49", 51: "t50", 300: "t50"}
