"""bench/scale.py's inputs are what it claims: valid journeys of the size asked for, whose
values per touchpoint keep 100,000 touchpoints under the loader's limits. No timing here."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO
from journeymap.check import validate_file
from journeymap.loader import MAX_BYTES, MAX_NODES, load_file

sys.path.insert(0, str(REPO / "bench"))

import scale  # noqa: E402


def test_the_generated_journey_is_valid_and_100k_of_its_touchpoints_fit_the_limits(tmp_path: Path) -> None:
    path = scale.write_journey(tmp_path / "j.yaml", 1_000)
    result = validate_file(str(path))
    assert result.journey is not None, result.findings
    assert len(result.journey.touchpoints) == 1_001  # and the `gives-up` ending
    assert any(tp.failures for tp in result.journey.touchpoints)
    values = load_file(str(path)).root.size
    assert path.stat().st_size * 100 < MAX_BYTES and values * 100 < MAX_NODES
    assert max(scale.FULL["dot"]) <= 100_000 and scale.FULL["memory"] * values / 1_000 < MAX_NODES


def test_the_lean_journey_is_valid_and_its_full_size_fits_the_limits(tmp_path: Path) -> None:
    path = scale.write_lean(tmp_path / "lean.yaml", 1_630)
    result = validate_file(str(path))
    assert result.journey is not None and not result.findings, result.findings
    assert len(result.journey.touchpoints) == 1_630 and len(result.journey.stages) == 163
    assert {tp.channel for tp in result.journey.touchpoints} == set(scale._CHANNELS)
    values = load_file(str(path)).root.size
    scale_up = scale.FULL["lean"] / 1_630
    # issue 10's example: 163,000 touchpoints in about 15 MiB, inside both limits
    assert 0.8 * MAX_BYTES < path.stat().st_size * scale_up < MAX_BYTES and values * scale_up < MAX_NODES
