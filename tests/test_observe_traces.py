"""observe reads each case as one sorted trace: variants are told apart exactly, and a log whose
times cannot be put in a trace is a clear usage error (real DuckDB)."""

from __future__ import annotations

import pytest

from journeymap.observe.command import Options, observe
from journeymap.observe.logs import LogError
from journeymap.observe.measure import _origin
from journeymap.observe.queries import trace_base

from observe_helpers import load

# two paths through the complaint journey whose positions add up alike (0+1+3+8+3+4 =
# 0+1+2+6+7+3 = 19), which the summed variant hash of the first version took for one variant
ONE = ["log-complaint", "confirmation-email", "service-visit", "priority-rebook", "service-visit",
       "final-answer"]
OTHER = ["log-complaint", "confirmation-email", "complaints-callback", "chase-call",
         "team-leader-callback", "service-visit"]


def test_paths_with_the_same_length_and_sum_are_different_variants(tmp_path):
    journey, _ = load("complaint-eight-weeks.yaml")
    rows = ["case_id,activity,timestamp"]
    for case, path in (("a", ONE), ("b", ONE), ("c", OTHER)):
        rows += [f"{case},{step},2025-03-0{day + 1}T09:00:00Z" for day, step in enumerate(path)]
    rows.append(f"c,{OTHER[-1]},2025-03-06T09:00:00Z")  # a repeated event changes no path
    log = tmp_path / "events.csv"
    log.write_text("\n".join(rows) + "\n", "utf-8")
    o = observe(journey, [str(log)], Options()).observed
    assert o.variant_count == 2 and o.duplicates == 1
    assert o.variants == ((tuple(ONE), 2), (tuple(OTHER), 1))


def test_the_trace_base_is_the_least_power_of_two_above_every_position():
    assert [trace_base(n) for n in (1, 2, 3, 10, 16, 17)] == [1, 2, 4, 16, 16, 32]


def test_times_too_far_apart_for_a_trace_are_a_clear_error():
    day = 86_400_000_000
    assert _origin({"span": (-day, 2 * day)}, 16) == -day
    with pytest.raises(LogError, match=r"more than 18,\d{3} years apart \(from 1970-01-01 to"):
        _origin({"span": (0, 2**60)}, 16)
