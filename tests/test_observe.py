"""simulate and observe with DuckDB: the round trip, injected deviations, calibration, mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from journeymap.observe.command import Options, observe
from journeymap.observe.compare import time_flag, wilson, z_for
from journeymap.observe.rules import observed_findings

from observe_helpers import DAY, REPO, cases_with_pair, drawn, keep, load, shift_from, write

JOURNEYS = sorted(p.name for p in (REPO / "journeys").glob("*.yaml"))
ROUND_TRIP_CASES = 200_000


def _checked_figures(decl) -> int:
    shares = sum(1 for e in decl.edges.values() if e.source and e.p > 0)
    return shares + len(decl.promises)


@pytest.fixture(scope="module")
def family_confidence() -> float:
    """Every share and promise of every example journey is one test: at 95 % for the whole family
    (Bonferroni), each interval is at 1 - 0.05 / (number of figures checked)."""
    figures = sum(_checked_figures(load(name)[1]) for name in JOURNEYS)
    return 1 - 0.05 / figures


@pytest.mark.parametrize("name", JOURNEYS)
def test_round_trip_every_declared_figure_inside_its_interval(name, tmp_path, family_confidence):
    journey, decl = load(name)
    log = write(drawn(decl, ROUND_TRIP_CASES, seed=16), decl, tmp_path / "events.parquet")
    c = observe(journey, [log], Options(confidence=family_confidence))
    assert c.observed.cases == ROUND_TRIP_CASES
    assert c.fitness == 1.0
    assert not c.undeclared and c.endings["open"] == 0
    checked = [m for m in c.moves if m.declared_share is not None]
    assert len(checked) == sum(1 for e in decl.edges.values() if e.source and e.p > 0)
    outside = [(m.source, m.target, m.declared_share, m.observed) for m in checked if m.flagged]
    assert not outside
    for p in c.promises:
        assert p.observed.holds(p.declared, p.error), (p.id, p.declared, p.observed)
    for tp in c.touchpoints:  # visits per case: the declared traffic, to sampling error
        assert tp.per_case == pytest.approx(tp.declared_traffic, abs=0.01)
    for m in c.moves:  # no jitter: every declared time is the observed median
        if m.declared and m.median is not None and m.source:
            assert time_flag(m) is None and abs(m.median - m.declared_seconds) < 1e-3


@pytest.fixture(scope="module")
def complaint():
    journey, decl = load("complaint-eight-weeks.yaml")
    return journey, decl, drawn(decl, 20_000, seed=7)


def _pos(decl, tp_id: str) -> int:
    return decl.ids.index(tp_id)


def test_a_skipped_step_is_an_undeclared_move_with_its_count(complaint, tmp_path):
    journey, decl, sim = complaint
    email = _pos(decl, "confirmation-email")
    skipped = keep(sim, ~((sim.node == email) & (sim.case % 10 == 0)))
    expected = cases_with_pair(skipped, _pos(decl, "log-complaint"), _pos(decl, "complaints-callback"))
    assert expected > 1500
    c = observe(journey, [write(skipped, decl, tmp_path / "e.parquet")], Options())
    move = next(m for m in c.undeclared if (m.source, m.target) == ("log-complaint", "complaints-callback"))
    assert move.cases == expected
    assert c.fitness == pytest.approx(1 - 2000 / 20_000)
    found = [f for f in observed_findings(journey, c) if f.rule == "JM502"]
    assert any(f"{expected:,} cases" in f.message and "`log-complaint` straight to "
               "`complaints-callback`" in f.message for f in found), [f.message for f in found]


def test_an_undeclared_loop_is_found_and_called_a_loop(complaint, tmp_path):
    journey, decl, sim = complaint
    final, callback = _pos(decl, "final-answer"), _pos(decl, "complaints-callback")
    looped = np.unique(sim.case[(sim.node == final) & (sim.case % 20 == 0)])
    extra_case = np.concatenate([looped, looped])
    last_t = {int(c): int(t) for c, t in zip(sim.case, sim.t)}  # events are in time order
    extra_t = np.array([last_t[int(c)] + DAY for c in looped] + [last_t[int(c)] + 2 * DAY for c in looped])
    extra_node = np.array([callback] * len(looped) + [final] * len(looped), dtype=np.int32)
    case = np.concatenate([sim.case, extra_case])
    order = np.argsort(case, kind="stable")
    from dataclasses import replace
    loop = replace(sim, case=case[order], node=np.concatenate([sim.node, extra_node])[order],
                   t=np.concatenate([sim.t, extra_t])[order])
    c = observe(journey, [write(loop, decl, tmp_path / "e.csv")], Options())
    back = next(m for m in c.undeclared if (m.source, m.target) == ("final-answer", "complaints-callback"))
    assert back.cases == len(looped) and back.observed.x == len(looped)
    messages = [f.message for f in observed_findings(journey, c, undeclared_share=0.01) if f.rule == "JM502"]
    assert any("(back to an earlier step)" in m and f"{len(looped):,} cases" in m for m in messages)
    assert not [f for f in observed_findings(journey, c, undeclared_share=0.2) if f.rule == "JM502"]


def test_a_slower_step_shows_in_its_median(complaint, tmp_path):
    journey, decl, sim = complaint
    final = _pos(decl, "final-answer")
    slow = shift_from(sim, final, np.unique(sim.case), 2 * DAY)
    c = observe(journey, [write(slow, decl, tmp_path / "e.jsonl")], Options())
    m = next(m for m in c.moves if (m.source, m.target) == ("service-visit", "final-answer"))
    assert m.median == pytest.approx(m.declared_seconds + 2 * 86_400)
    assert time_flag(m) == "slower"
    from journeymap.observe.report import render_text
    assert "service-visit → final-answer" in render_text(c) and "slower than declared" in render_text(c)


def test_a_dropped_promise_is_an_error_with_the_right_counts(complaint, tmp_path):
    journey, decl, sim = complaint
    late_cases = np.unique(sim.case[sim.case % 10 < 3])
    late = shift_from(sim, _pos(decl, "complaints-callback"), late_cases, 8 * 7 * DAY)
    c = observe(journey, [write(late, decl, tmp_path / "e.parquet")], Options())
    p = next(p for p in c.promises if p.id == "callback-within-8-weeks")
    assert (p.made, p.kept, p.observed.x) == (20_000, 20_000, 20_000 - len(late_cases))
    assert p.below
    (f,) = [f for f in observed_findings(journey, c) if f.rule == "JM503"]
    assert f.severity.value == "error" and f.subject == "callback-within-8-weeks"
    assert f"{20_000 - len(late_cases):,} of 20,000" in f.message and "below the declared 100.0%" in f.message
    assert f"{len(late_cases):,} reached it late" in f.hint


def test_a_changed_share_is_jm501_and_calibrate_writes_it_keeping_comments(tmp_path):
    journey, text, c = observed_after_change(tmp_path, "share: 5%, to: reference-by-sms",
                                             "share: 20%, to: reference-by-sms", seed=3)
    (f,) = [f for f in observed_findings(journey, c) if f.rule == "JM501"]
    assert f.subject == "email-bounces-an-old-address-on-file" and "declared 5.0%" in f.message
    from journeymap.observe.calibrate import calibrated
    out = calibrated(text, c, journey)
    diff = [(a, b) for a, b in zip(text.splitlines(), out.splitlines()) if a != b]
    assert len(out.splitlines()) == len(text.splitlines())
    assert len(diff) == 1 and "share: 5%" in diff[0][0]
    share = float(diff[0][1].split("share: ")[1].split("%")[0]) / 100
    assert c.observed and abs(share - 0.2) < 0.015
    assert "# logged once, with notes" in out


def observed_after_change(tmp_path: Path, old: str, new: str, seed: int):
    """The complaint journey, its text, and its comparison with 20,000 cases drawn from the journey
    with ``old`` replaced by ``new``."""
    journey, _ = load("complaint-eight-weeks.yaml")
    text = (REPO / "journeys" / "complaint-eight-weeks.yaml").read_text("utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace(old, new), "utf-8")
    _, changed_decl = load_path(changed)
    log = write(drawn(changed_decl, 20_000, seed=seed), changed_decl, tmp_path / "e.parquet")
    return journey, text, observe(journey, [log], Options())


def load_path(path: Path):
    from journeymap.check import validate_file
    from journeymap.observe.declared import declared

    journey = validate_file(str(path)).journey
    return journey, declared(journey)


def test_activities_map_by_id_name_and_observed_as(tmp_path):
    journey_file = tmp_path / "j.yaml"
    journey_file.write_text("""journey: Two steps
stages:
  - name: S
    touchpoints:
      - name: Call us
        id: call
        observed_as: [Inbound call, IVR]
        failures: [{name: Drop, share: 0.5, to: call}]
      - name: Fixed
        outcome: success
""", "utf-8")
    journey, _ = load_path(journey_file)
    log = tmp_path / "e.csv"
    log.write_text("case_id,activity,timestamp\n"
                   "1,ivr,2025-01-01T10:00:00Z\n1, Inbound  CALL ,2025-01-01T11:15:00+01:00\n"
                   "1,call,2025-01-01 10:30:00\n1,FIXED,2025-01-01T12:00:00Z\n1,Coffee,2025-01-01T12:00:01Z\n", "utf-8")
    c = observe(journey, [str(log)], Options())
    assert c.observed.variants == ((("call", "call", "call", "fixed"), 1),)
    assert c.observed.unmapped == (("Coffee", 1),)
    assert c.fitness == 1.0


def test_wilson_matches_the_formula():
    i = wilson(30, 100, z_for(0.95))
    assert (round(i.low, 4), round(i.high, 4)) == (0.2189, 0.3958)
    assert wilson(0, 0, 1.96).n == 0


def test_observed_as_is_checked_like_every_key(checked):
    result = checked("""journey: x
stages:
  - name: S
    touchpoints:
      - name: Call
        observed_as: {inbound: call}
        failures: [{name: Drop, share: 0.1, to: call}]
      - name: Done
        outcome: success
""")
    (f,) = [f for f in result.findings if f.rule == "JM001"]
    assert "expected text or a list of texts" in f.message and (f.span.line, f.span.column) == (6, 22)
    good = checked("""journey: x
stages:
  - name: S
    touchpoints:
      - name: Call
        observed_as: Inbound call
        failures: [{name: Drop, share: 0.1, to: call}]
      - name: Done
        outcome: success
""")
    assert not [f for f in good.findings if f.rule.startswith("JM0")]


def test_a_next_share_is_jm501_at_its_entry_and_calibrated_relative_to_the_rest(tmp_path):
    journey, text, c = observed_after_change(tmp_path, "{to: end-contract, share: 0.1,",
                                             "{to: end-contract, share: 0.3,", seed=8)
    found = [f for f in observed_findings(journey, c) if f.rule == "JM501"]
    (f,) = [f for f in found if "end-contract" in f.message]
    assert f.subject == "complaints-callback" and "declared 8.0%" in f.message
    assert f.span.line == text.splitlines().index(
        next(line for line in text.splitlines() if "to: end-contract, share: 0.1" in line)) + 1
    from journeymap.observe.calibrate import calibrated
    out = calibrated(text, c, journey)
    line = next(line for line in out.splitlines() if "to: end-contract" in line)
    assert abs(float(line.split("share: ")[1].split(",")[0]) - 0.3) < 0.02
    assert "label: ends the contract" in line
