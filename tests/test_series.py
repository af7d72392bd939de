"""Timed promises as sums of independent parts (analysis/series.py): hand-worked values to 1e-9,
the exact lattice and an independent Monte Carlo on random looped journeys with cuts and without,
bounds that hold, the journey's work budget, and the benchmark's journey at a test-sized scale."""

from __future__ import annotations

import random
import sys

import pytest
import yaml

from conftest import REPO, one_promise
from test_promise_engine import monte_carlo

from journeymap.analysis import convolution as convolution_module
from journeymap.analysis import series as series_module
from journeymap.analysis import timing
from journeymap.analysis.markov import LOST, Propagator
from journeymap.analysis.promises import evaluate_promises
from journeymap.analysis.series import Series, Work
from journeymap.analysis.timing import Budget, Times, nanoseconds, on_time
from journeymap.graph import build_graph

MINUTE = nanoseconds(60)


def summed(edges, times: Times, made: str, kept: str, within: int):
    """The series engine alone: (probability, error), or None when no cut splits the journey."""
    return Series(edges, times).on_time(made, kept, within, Work(1e12))


# -- hand-worked journeys, exact to 1e-9 -----------------------------------------------------------

def hand_worked() -> tuple[dict, Times]:
    """made → x (redone by 20%: 10m + 1h a pass) → c → y → kept, y sending 10% back to c in no
    time and losing 5%, c passing on only 90% (a hand-made chain: the rest is simply gone)."""
    edges = {"made": {"x": 1.0}, "x": {"x": 0.2, "c": 0.8}, "c": {"y": 0.9},
             "y": {"c": 0.1, "kept": 0.85, LOST: 0.05}, "kept": {}, LOST: {}}
    seconds = {"x": (3600, 600), "c": (0, 90), "y": (30, 0), "kept": (150, 0), "made": (0, 45)}
    times = Times({v: nanoseconds(w) for v, (w, _) in seconds.items()},
                  {v: nanoseconds(d) for v, (_, d) in seconds.items()})
    return edges, times


def hand_worked_truth(within_s: float) -> float:
    """By hand: 1h to reach x; each redo 10m + 1h; on to c 10m; each c → y 90s + 30s; a pass
    back from y to c takes no time; y → kept 150s. Passes k (x) and j (c–y loop)."""
    total = 0.0
    for k in range(80):
        for j in range(40):
            t = 3600 + k * 4200 + 600 + (j + 1) * 120 + 150
            if t <= within_s:
                total += 0.2 ** k * 0.8 * 0.9 ** (j + 1) * 0.1 ** j * 0.85
    return total


@pytest.mark.parametrize("within_s", [4349, 4350, 4470, 4590, 8550, 8670, 12770, 30000])
def test_hand_worked_loops_zero_time_steps_and_mixed_units(within_s: int) -> None:
    edges, times = hand_worked()
    got = summed(edges, times, "made", "kept", nanoseconds(within_s))
    assert got is not None  # x and c are cuts
    assert got[0] == pytest.approx(hand_worked_truth(within_s), abs=1e-9)
    assert got[1] <= 1e-9


def test_the_cuts_are_the_touchpoints_no_move_jumps_over() -> None:
    edges, times = hand_worked()
    s = Series(edges, times)
    # y → c jumps back over y itself: y is not a cut; c, where it lands, is (and kept, an end
    # that passes nobody on, is where the chain ends, not a cut)
    assert [s.order[c] for c in s.cuts] == ["made", "x", "c"]
    assert [s.order[c] for c in s.chain("made", "kept")] == ["x", "c"]
    assert s.unit == nanoseconds(15)  # gcd of 45s + 1h, 10m + 1h, 90s + 30s, 150s, …


def test_a_small_gcd_in_seconds_through_the_report(journey, monkeypatch) -> None:
    """The same kind of journey as YAML, through evaluate_promises with the series engine first."""
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    text = """
journey: Redone forms
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - name: Form
        id: form
        wait: PT1M
        duration: 7s
        failures: [{name: Redo, share: 0.25, to: form}]
      - {name: Review, id: review, wait: 11s}
      - {name: Kept, id: kept, wait: 0.5m, outcome: success}
promises:
  - {name: Reviewed, id: p, made_at: made, kept_at: kept, within: 2m}
"""
    # 60s to the form, 67s a redo, 7s + 11s to review, 30s to kept: 108s + 67 k ≤ 120 → k = 0
    result, _ = one_promise(journey, text)
    assert result.probability == pytest.approx(0.75, abs=1e-9)
    assert result.error <= 1e-9


def test_a_jump_into_a_dead_end_kept_at_is_not_cut() -> None:
    """kept is an outcome reached from the start directly too: nothing between is a cut."""
    edges = {"m": {"a": 0.6, "k": 0.4}, "a": {"b": 1.0}, "b": {"a": 0.3, "k": 0.7},
             "k": {LOST: 1.0}, LOST: {}}
    times = Times({"m": 0, "a": MINUTE, "b": 2 * MINUTE, "k": 3 * MINUTE},
                  {"m": 0, "a": 0, "b": MINUTE})
    assert Series(edges, times).chain("m", "k") == []


def test_kept_before_made_has_no_chain() -> None:
    edges, times = hand_worked()
    edges = {**edges, "kept": {"made": 1.0}}
    assert summed(edges, times, "kept", "made", nanoseconds(86400)) is None


# -- random looped journeys: the exact lattice and a Monte Carlo -----------------------------------

def staged(rng: random.Random, stages: int = 6, cuts: bool = True):
    """Stages of 3–5 touchpoints, each with loops back inside its stage and some losses; with
    ``cuts`` False, the last step sends some customers back to the start (no cut at all)."""
    edges: dict[str, dict[str, float]] = {}
    names: list[str] = []
    for s in range(stages):
        size = rng.randint(3, 5)
        first = len(names)
        names += [f"n{first + k}" for k in range(size)]
        for k in range(size):
            i = first + k
            out: dict[str, float] = {}
            if rng.random() < 0.5 and k > 0:
                out[f"n{rng.randint(first, i)}"] = rng.uniform(0.05, 0.3)
            if rng.random() < 0.3:
                out[LOST] = 0.03
            out[f"n{i + 1}"] = 1.0 - sum(out.values())
            edges[f"n{i}"] = out
    n = len(names)
    names.append(f"n{n}")
    edges[f"n{n}"] = {}
    if not cuts:  # back to made_at itself: every touchpoint between is jumped over
        edges[f"n{n - 1}"] = {f"n{n}": 0.85, "n0": 0.15}
    edges[LOST] = {}
    minutes = [0, 1, 2, 5, 7, 20]
    times = Times({v: MINUTE * rng.choice(minutes) for v in names},
                  {v: MINUTE * rng.choice(minutes) for v in names})
    return edges, times, f"n{n}"


def reach(edges, made: str, kept: str) -> float:
    return Propagator(edges, frozenset([kept])).visits(dict(edges[made])).get(kept, 0.0)


@pytest.mark.parametrize("seed", range(8))
def test_random_journeys_with_cuts_equal_the_exact_lattice(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    edges, times, kept = staged(rng)
    within = MINUTE * rng.choice([300, 420, 600])
    got = summed(edges, times, "n0", kept, within)
    assert got is not None and got[1] <= 1e-9
    monkeypatch.setattr(timing, "SERIES_FROM", 10**9)
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)  # the exact lattice
    lattice = on_time(edges, times, "n0", kept, within, reach(edges, "n0", kept))
    assert lattice.error == 0
    assert got[0] == pytest.approx(lattice.probability, abs=1e-9)


SEEDS = range(6)


@pytest.mark.parametrize("cuts", [True, False])
@pytest.mark.parametrize("seed", SEEDS)
def test_random_journeys_agree_with_a_monte_carlo_of_100k_walks(seed: int, cuts: bool,
                                                                  monkeypatch) -> None:
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    rng = random.Random(100 + seed)
    edges, times, kept = staged(rng, cuts=cuts)
    within = MINUTE * rng.choice([300, 420, 600])
    assert (summed(edges, times, "n0", kept, within) is not None) is cuts
    got = on_time(edges, times, "n0", kept, within, reach(edges, "n0", kept))
    share, half = monte_carlo(edges, times, "n0", kept, within, 100_000, seed)
    assert got.error <= 1e-9
    assert abs(got.probability - share) <= half + 1e-9, (got, share, half)


@pytest.mark.parametrize("seed", SEEDS)
def test_coarse_bins_give_bounds_that_contain_the_monte_carlo_estimate(seed: int) -> None:
    rng = random.Random(200 + seed)
    edges, times, kept = staged(rng, stages=8)
    within = MINUTE * rng.choice([600, 800])
    # 4 arrival times a combination: far too few, all in coarse bins
    got = Series(edges, times, bins=4).on_time("n0", kept, within, Work(1e12))
    assert got is not None and got[1] > 1e-6  # a bound, not an answer
    share, half = monte_carlo(edges, times, "n0", kept, within, 100_000, seed)
    assert got[0] - got[1] - half <= share <= got[0] + got[1] + half


# -- coarse bins first, finer only when needed -------------------------------------------------

def coarse_first_case():
    """Ten stages, 10 h: within TOLERANCE in 128 arrival times a combination, not in 64."""
    edges, times, kept = staged(random.Random(300), stages=10)
    return edges, times, kept, MINUTE * 600


def test_coarse_bins_answer_when_within_tolerance(monkeypatch) -> None:
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    monkeypatch.setattr(timing, "COARSE_BINS", 128)
    edges, times, kept, within = coarse_first_case()
    budget = Budget(1)
    got = on_time(edges, times, "n0", kept, within, 1.0, budget)
    coarse = Series(edges, times, bins=128).on_time("n0", kept, within, Work(1e12))
    exact = summed(edges, times, "n0", kept, within)
    assert 1e-4 < got.error <= timing.TOLERANCE  # the coarse bins' bound, not refined
    assert got.probability == pytest.approx(coarse[0], abs=1e-15)
    assert abs(got.probability - exact[0]) <= got.error
    assert budget._finer is None and not budget.fine  # the finer pass was never made


def test_finer_bins_when_the_coarse_answer_is_not_within_tolerance(monkeypatch) -> None:
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    monkeypatch.setattr(timing, "COARSE_BINS", 64)
    edges, times, kept, within = coarse_first_case()
    exact = summed(edges, times, "n0", kept, within)
    asked: list[int] = []
    plain = Series.on_time

    def counted(self, *args):
        asked.append(self.bins)
        return plain(self, *args)

    monkeypatch.setattr(Series, "on_time", counted)
    budget = Budget(2)
    got = on_time(edges, times, "n0", kept, within, 1.0, budget)
    assert asked == [64, convolution_module.MAX_BINS]
    assert got.error <= 1e-9 and got.probability == pytest.approx(exact[0], abs=1e-12)
    assert budget.fine
    # the journey's next promise starts in the finer bins, and shares what was combined there
    again = on_time(edges, times, "n0", kept, within, 1.0, budget)
    assert asked == [64, convolution_module.MAX_BINS, convolution_module.MAX_BINS]
    assert again == got


def test_a_finer_series_shares_the_segments_and_not_the_combinations() -> None:
    edges, times, kept, within = coarse_first_case()
    coarse = Series(edges, times, bins=64)
    coarse.on_time("n0", kept, within, Work(1e12))
    fine = coarse.finer(1024)
    assert (fine.bins, fine.big, coarse.bins) == (1024, 128, 64)
    assert fine._segments is coarse._segments and fine._steps is coarse._steps
    assert fine._steps and fine.cuts is coarse.cuts
    assert not fine._nodes and coarse._nodes
    assert fine.on_time("n0", kept, within, Work(1e12)) == \
        Series(edges, times, bins=1024).on_time("n0", kept, within, Work(1e12))


# -- the work budget -------------------------------------------------------------------------------

def test_the_series_work_stays_within_the_journey_budget(journey, monkeypatch) -> None:
    """With a budget too small for all of them, the work granted never exceeds it, the promises
    it cannot pay for fall back to the other engines, and every answer holds its bound."""
    from journeymap.analysis.synthetic import synthetic_document

    granted: list[float] = []
    real = Work.take

    def counted(self, cost: float) -> bool:
        ok = real(self, cost)
        if ok:
            granted.append(cost)
        return ok

    monkeypatch.setattr(Work, "take", counted)
    monkeypatch.setattr(timing, "SERIES_BUDGET", 3_000)
    doc = synthetic_document(300)
    doc["promises"] = [{"name": f"P{k}", "id": f"p{k}", "made_at": f"t{20 * k}",
                        "kept_at": f"t{20 * k + 150}", "within": "40d"} for k in range(8)]
    results = evaluate_promises(build_graph(journey(yaml.safe_dump(doc))))
    assert granted and sum(granted) <= 3_000
    for r, _ in results:
        assert 0 <= r.probability - r.error and r.probability + r.error <= r.reached + 1e-9
    assert any(r.error > timing.TOLERANCE for r, _ in results)  # some are left to the others
    # with the default budget, every one of them is answered within the tolerance
    monkeypatch.undo()
    assert all(r.error <= timing.TOLERANCE for r, _ in
               evaluate_promises(build_graph(journey(yaml.safe_dump(doc)))))


def test_budget_objects_share_one_series_per_journey() -> None:
    edges, times = hand_worked()
    budget = Budget(2)
    first, _ = budget.series(edges, times)
    assert budget.series(edges, times)[0] is first
    assert budget.series(dict(edges), times)[0] is not first  # another journey's edges


# -- the benchmark's journey, at a test-sized scale ------------------------------------------------

def test_the_benchmark_journey_of_500_touchpoints_is_answered_within_the_tolerance(journey) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import corpora

    doc = corpora.with_promises(corpora.synthetic_document(500), 500, 20)
    results = evaluate_promises(build_graph(journey(yaml.safe_dump(doc))))
    timed = [r for r, _ in results if r.within_seconds is not None]
    assert len(timed) == 20
    assert all(r.error <= timing.TOLERANCE for r in timed), [r.error for r in timed]


@pytest.mark.parametrize("days", [18])
def test_a_long_promise_of_the_benchmark_journey_agrees_with_a_monte_carlo(journey, days) -> None:
    from journeymap.analysis.markov import chain_edges
    from journeymap.analysis.synthetic import synthetic_document

    doc = synthetic_document(80)
    doc["promises"] = [{"name": "Long", "id": "p", "made_at": "t3", "kept_at": "t72",
                        "within": "WITHIN"}]
    jg = build_graph(journey(yaml.safe_dump(doc).replace("WITHIN", f"{days}d")))
    (result, _), = evaluate_promises(jg)
    edges = chain_edges(jg)
    share, half = monte_carlo(edges, Times.of(jg), "t3", "t72", nanoseconds(days * 86400),
                              100_000, days)
    assert 0.05 < share < 0.95  # the limit is where customers are
    assert result.error <= timing.TOLERANCE
    assert abs(result.probability - share) <= half + result.error


def test_a_factorised_journey_answers_without_building_between_sets(journey, monkeypatch) -> None:
    """On a journey large enough for one factorisation, timed promises go to the sum of parts
    before any between-set is built; the answers are those of the small-journey path."""
    from journeymap.analysis import paths as paths_module
    from journeymap.analysis import reach as reach_module
    from journeymap.analysis.synthetic import synthetic_document

    doc = synthetic_document(240)
    doc["promises"] = [{"name": f"P{k}", "id": f"p{k}", "made_at": f"t{30 * k + 2}",
                        "kept_at": f"t{30 * k + 120}", "within": "30d"} for k in range(4)]
    jg = build_graph(journey(yaml.safe_dump(doc)))
    plain = evaluate_promises(jg)
    built: list[str] = []
    real = timing.between

    def counted(edges, made, kept):
        built.append(made)
        return real(edges, made, kept)

    shared = paths_module.Between.__call__

    def counted_shared(self, made, kept):  # the promises' own, shared between-set search
        built.append(made)
        return shared(self, made, kept)

    monkeypatch.setattr(reach_module, "LU_FROM", 10)
    monkeypatch.setattr(timing, "between", counted)
    monkeypatch.setattr(paths_module.Between, "__call__", counted_shared)
    factorised = evaluate_promises(jg)
    assert built == []
    for (a, _), (b, _) in zip(plain, factorised):
        assert a.probability == pytest.approx(b.probability, abs=1e-9)
        assert b.error <= timing.TOLERANCE


def test_many_arrival_times_far_apart_are_combined_in_bounded_memory() -> None:
    """Two distributions of 40,000 arrival times spread over 10¹² units (a hostile file: a gcd
    of a nanosecond, times of days) would need 1.6 × 10⁹ pairs or 10¹² FFT cells: they are
    binned coarser first, and the result keeps every customer, its spread saying how coarse."""
    import numpy as np

    from journeymap.analysis.convolution import Dist, convolve

    rng = np.random.default_rng(0)
    at = np.unique(rng.integers(0, 10**12, 40_000))
    mass = np.full(len(at), 1.0 / len(at))
    d = Dist(0, 1, at - at[0], mass)
    c = convolve(d, d, Work(1e12))
    assert c.total + c.err >= 1 - 1e-9 and c.total <= 1 + 1e-9
    assert c.spread > 0 and len(c.at) <= convolution_module.MAX_BINS


def test_centuries_of_waiting_do_not_overflow(journey, monkeypatch) -> None:
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    text = """
journey: Very slow
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - {name: A, id: a, wait: 5000w, failures: [{name: Again, share: 0.5, to: a}]}
      - {name: B, id: b, wait: 1.000000001s}
      - {name: Kept, id: kept, wait: 1s, outcome: success}
promises:
  - {name: Eventually, id: p, made_at: made, kept_at: kept, within: 5200w}
"""
    # a: 5,000 weeks (96 years) a pass; dozens of passes would overflow nanoseconds in 64 bits:
    # on time with one pass only
    result, _ = one_promise(journey, text)
    assert result.probability == pytest.approx(0.5, abs=1e-9)
    assert result.error <= timing.TOLERANCE


def test_a_segment_too_long_is_refused_once_for_all_its_promises(monkeypatch) -> None:
    monkeypatch.setattr(series_module, "SEGMENT_STATES", 5)
    edges, times = hand_worked()
    s = Series(edges, times)
    work = Work(1e12)
    with pytest.raises(series_module.TooLong):
        s.on_time("made", "kept", nanoseconds(30000), work)
    left = work.left
    with pytest.raises(series_module.TooLong):
        s.on_time("made", "kept", nanoseconds(20000), work)
    assert work.left == left  # refused at once: no work spent again
    # and through on_time, the other engines answer it exactly
    monkeypatch.setattr(timing, "SERIES_FROM", 0)
    got = on_time(edges, times, "made", "kept", nanoseconds(30000), reach(edges, "made", "kept"))
    assert got.probability == pytest.approx(hand_worked_truth(30000), abs=1e-9)
