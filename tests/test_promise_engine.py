"""The promise engine at its edges: exact times, tiny exits, hand-worked timed values, and an
independent Monte Carlo of customers walking random looped journeys."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from conftest import one_promise

from journeymap.analysis import timing
from journeymap.analysis.analyse import analyse
from journeymap.analysis.markov import LOST, Propagator
from journeymap.analysis.promises import evaluate_promises
from journeymap.analysis.results import PromiseStatus
from journeymap.analysis.timing import Times, nanoseconds, on_time
from journeymap.graph import build_graph


def only_promise(journey, text: str):
    """The one promise of the journey in ``text``: (result, rules of its findings)."""
    result, found = one_promise(journey, text)
    return result, {f.rule for f in found}


# -- correctness defects ---------------------------------------------------------------------------

LATE_BY_A_HAIR = """
journey: Late by half a microsecond
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - {name: Step, id: step, duration: DURATION}
      - {name: Kept, id: kept, outcome: success, failures: [{name: x, to: made}]}
promises:
  - {name: In a second, id: p, made_at: made, kept_at: kept, within: 1s}
"""


@pytest.mark.parametrize("duration, rule, status", [
    ("1.0000005s", "JM202", PromiseStatus.BROKEN),  # later than promised by 500 ns: broken
    ("1s", None, PromiseStatus.KEPT),  # exactly on the limit: kept
])
def test_times_are_compared_in_whole_nanoseconds(journey, duration, rule, status) -> None:
    result, rules = only_promise(journey, LATE_BY_A_HAIR.replace("DURATION", duration))
    assert result.status is status
    assert rules == ({rule} if rule else set())


TINY_EXIT = """
journey: A loop with one tiny way out
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - {name: A, id: a}
      - name: B
        id: b
        next: a
        failures: [{name: The way out, share: SHARE, to: kept}]
      - {name: Kept, id: kept, outcome: success}
promises:
  - {name: Out at last, id: p, made_at: made, kept_at: kept}
"""


@pytest.mark.parametrize("share", ["1.0e-13", "1.0e-16", "3.0e-16"])
def test_a_loop_whose_only_exit_is_tiny_still_lets_everyone_out(journey, share) -> None:
    # Everyone leaves eventually: 1 - (1 - 1e-16) in floating point is 1.1e-16, which made the
    # reach 0.9 when pivots were computed as 1 - p(stay)
    result, rules = only_promise(journey, TINY_EXIT.replace("SHARE", share))
    assert result.reached == pytest.approx(1.0, abs=1e-12)
    assert result.status is PromiseStatus.KEPT and rules == set()


KEEPS_ALMOST_ALL = """
journey: A loop that keeps 1 - 1e-13 per pass
stages:
  - name: S
    touchpoints:
      - {name: Start, id: start}
      - name: Loop
        id: loop
        next: [{to: loop, share: 0.9999999999999}, {to: after, share: 0.0000000000001}]
        failures: [{name: x, to: start}]
      - {name: After, id: after, effort: 5}
      - {name: Done, id: done, outcome: success}
"""


def test_a_loop_with_a_tiny_exit_is_not_closed(journey) -> None:
    analysis = analyse(journey(KEEPS_ALMOST_ALL))
    traffic = {t.touchpoint: t.traffic for t in analysis.friction.touchpoints}
    assert traffic["loop"] == pytest.approx(1e13, rel=1e-3)  # huge, but finite
    assert traffic["after"] == pytest.approx(1.0, abs=1e-9)  # and everyone comes out
    assert traffic["done"] == pytest.approx(1.0, abs=1e-9)
    assert "JM301" not in {f.rule for f in analysis.findings if f.subject == "after"}


def test_a_loop_nobody_leaves_is_named_and_unbounded() -> None:
    chain = Propagator({"s": {"a": 1.0}, "a": {"b": 1.0}, "b": {"a": 1.0}, "x": {LOST: 1.0}})
    assert chain.closed[chain.component_of["a"]]
    assert chain.visits({"s": 1.0})["a"] == float("inf")


def test_report_json_carries_the_error_bound(journey, tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from journeymap.cli import app

    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)
    monkeypatch.setattr(timing, "LATTICE_BUDGET", 40)
    path = tmp_path / "j.yaml"
    path.write_text(LOOPED.replace("WITHIN", "2h3m"), encoding="utf-8")
    out = CliRunner().invoke(app, ["report", "--format", "json", str(path)], catch_exceptions=False)
    [promise] = json.loads(out.output)["journeys"][0]["promises"]
    assert promise["error"] > 0
    assert promise["probability"] - promise["error"] <= LOOPED_TRUTH <= \
        promise["probability"] + promise["error"]


# -- hand-worked timed values, exact to 1e-9 --------------------------------------------------------

LOOPED = """
journey: A check redone for 30% (1h a pass), after a 7m wait
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - {name: Queue, id: queue, wait: 7m}
      - name: Check
        id: check
        duration: 1h
        failures: [{name: Redo, share: 0.3, to: check}, {name: Gone, share: 0.1, to: gone}]
      - {name: Kept, id: kept, outcome: success}
      - {name: Gone, id: gone, outcome: lost}
promises:
  - {name: Checked, id: p, made_at: made, kept_at: kept, within: WITHIN}
"""
# 7m + k passes of 1h ≤ 2h3m allows k = 1 only (k = 2 is 2h7m): 0.6
LOOPED_TRUTH = 0.6


@pytest.mark.parametrize("within, expected", [
    ("1h6m", 0.0),  # not even one pass fits: JM202
    ("1h7m", 0.6),
    ("2h3m", 0.6),
    ("2h7m", 0.6 + 0.3 * 0.6),
    ("3h7m", 0.6 * (1 + 0.3 + 0.09)),
])
def test_a_redone_check_with_a_wait_before_it(journey, within, expected) -> None:
    result, _ = only_promise(journey, LOOPED.replace("WITHIN", within))
    assert result.probability == pytest.approx(expected, abs=1e-9)
    assert result.error == 0


ZERO_TIME = """
journey: Instant steps in a loop, then a timed one
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - {name: Form, id: form}
      - name: Validate
        id: validate
        next: [{to: form, share: 0.5}, {to: post, share: 0.5}]
        failures: [{name: x, to: form}]
      - {name: Post, id: post, wait: 1d}
      - name: Sort
        id: sort
        next: [{to: kept, share: 0.75}, {to: post, share: 0.25}]
        failures: [{name: x, to: post}]
      - {name: Kept, id: kept, outcome: success}
promises:
  - {name: Delivered, id: p, made_at: made, kept_at: kept, within: 2d}
"""


def test_zero_time_loops_are_solved_within_each_instant(journey) -> None:
    # the instant loop lets everyone through at time 0; then 1d per post: 0.75 + 0.25 × 0.75
    result, _ = only_promise(journey, ZERO_TIME)
    assert result.probability == pytest.approx(0.75 + 0.25 * 0.75, abs=1e-9)
    assert result.error == 0


SMALL_GCD = """
journey: Times with a gcd of one second, in mixed units
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - name: Fork
        id: fork
        next: [{to: slow, share: 0.5}, {to: quick, share: 0.5}]
        failures: [{name: x, to: slow}]
      - {name: Slow, id: slow, wait: PT1H0M1S, next: kept}
      - name: Quick
        id: quick
        wait: 59m59s
        next: [{to: kept, share: 0.8}, {to: quick, share: 0.2}]
        failures: [{name: x, to: kept}]
      - {name: Kept, id: kept, outcome: success}
promises:
  - {name: Within the hour and two seconds, id: p, made_at: made, kept_at: kept, within: 3602s}
"""


def test_a_small_gcd_and_mixed_units(journey, monkeypatch) -> None:
    # slow: 3601 s (in time); quick: 3599 s, again 7198 s (late) → 0.5 + 0.5 × 0.8
    for budget in (timing.EXACT_BUDGET, 0):  # event by event, and on the exact lattice
        monkeypatch.setattr(timing, "EXACT_BUDGET", budget)
        result, _ = only_promise(journey, SMALL_GCD)
        assert result.probability == pytest.approx(0.9, abs=1e-9)
        assert result.error == 0


# -- random looped journeys against an independent Monte Carlo ------------------------------------


def random_looped(rng: random.Random, n: int = 9):
    """A chain n0 → … → n{n-1} with random forward skips, back-loops and losses; minute times."""
    edges: dict[str, dict[str, float]] = {}
    for i in range(n - 1):
        out: dict[str, float] = {}
        targets = [i + 1] + rng.sample(range(n), 2)
        weights = [rng.uniform(0.5, 1.0), rng.uniform(0.0, 0.4), rng.uniform(0.0, 0.4)]
        loss = rng.choice([0.0, 0.05])
        total = sum(weights)
        for t, w in zip(targets, weights):
            out[f"n{t}"] = out.get(f"n{t}", 0.0) + (1 - loss) * w / total
        if loss:
            out[LOST] = loss
        edges[f"n{i}"] = out
    edges[f"n{n - 1}"] = {}
    edges[LOST] = {}
    minutes = [0, 1, 5, 7, 30, 60]
    times = Times({v: nanoseconds(60 * rng.choice(minutes)) for v in edges if v != LOST},
                  {v: nanoseconds(60 * rng.choice(minutes)) for v in edges if v != LOST})
    return edges, times


def monte_carlo(edges, times: Times, made: str, kept: str, within: int, walks: int, seed: int):
    """Share of ``walks`` customers from ``made`` who reach ``kept`` within ``within`` ns:
    every customer moves at once, one step per round, by the shares (numpy, seeded)."""
    nodes = [v for v in edges]
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    cumulative = np.zeros((n, n))
    delay = np.zeros((n, n), dtype=np.int64)
    for u, out in edges.items():
        row = np.zeros(n)
        for w, p in out.items():
            row[index[w]] = p
            delay[index[u], index[w]] = times.move(u, w) if w != LOST else 0
        cumulative[index[u]] = np.cumsum(row)
    rng = np.random.default_rng(seed)
    at = np.full(walks, index[made])
    clock = np.zeros(walks, dtype=np.int64)
    first = True
    on_time = np.zeros(walks, dtype=bool)
    alive = np.ones(walks, dtype=bool)
    while alive.any():
        u = at[alive]
        draw = rng.random(len(u))
        w = (draw[:, None] >= cumulative[u]).sum(axis=1)
        w = np.minimum(w, n - 1)
        stuck = draw >= cumulative[u, -1]  # what no edge carries: gone
        step = np.where(first, np.array([times.wait.get(nodes[k], 0) for k in w]),
                        delay[u, w])
        first = False
        idx = np.flatnonzero(alive)
        clock[idx] += step
        at[idx] = w
        gone = stuck | (w == index[LOST]) | (clock[idx] > within)
        arrived = ~gone & (w == index[kept])
        on_time[idx[arrived]] = True
        alive[idx[gone | arrived]] = False
    share = on_time.mean()
    half = Z99 * np.sqrt(max(share * (1 - share), 1e-12) / walks)
    return float(share), float(half)


SEEDS = range(6)
# The 99% interval for the family of six journeys each test walks (Bonferroni: each interval
# at 1 - 0.01/6, z = 3.14): a right engine fails one of the six by chance at most 1% of the time.
Z99 = 3.144


@pytest.mark.parametrize("seed", SEEDS)
def test_timed_share_agrees_with_a_monte_carlo_of_100k_walks(seed: int) -> None:
    rng = random.Random(seed)
    edges, times = random_looped(rng)
    within = nanoseconds(60 * rng.choice([45, 90, 180]))
    reach = Propagator(edges, frozenset(["n8"])).visits(dict(edges["n0"])).get("n8", 0.0)
    got = on_time(edges, times, "n0", "n8", within, reach)
    share, half = monte_carlo(edges, times, "n0", "n8", within, 100_000, seed)
    assert got.error == 0
    assert abs(got.probability - share) <= half + 1e-9, (got, share, half)


@pytest.mark.parametrize("seed", SEEDS)
def test_bounds_contain_the_monte_carlo_estimate(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)
    monkeypatch.setattr(timing, "LATTICE_BUDGET", 40)  # too little for the exact lattice
    rng = random.Random(seed)
    edges, times = random_looped(rng)
    within = nanoseconds(60 * rng.choice([45, 90, 180]))
    reach = Propagator(edges, frozenset(["n8"])).visits(dict(edges["n0"])).get("n8", 0.0)
    got = on_time(edges, times, "n0", "n8", within, reach)
    share, half = monte_carlo(edges, times, "n0", "n8", within, 100_000, seed)
    assert got.error > 0 or got.probability == 0  # bounds (or an upper bound of 0: nobody)
    assert got.probability - got.error - half <= share <= got.probability + got.error + half


def test_the_journey_budget_is_respected(journey, monkeypatch) -> None:
    """Ten timed promises across a looped 200-touchpoint journey, with budgets far too small for
    exact answers: the lattice work done, counted as the budget counts it, stays within the
    journey's budget, and every answer is a bound that holds its own error."""
    import yaml

    from journeymap.analysis import lattice
    from journeymap.analysis.synthetic import synthetic_document

    spent: list[float] = []
    real = lattice.Lattice.reached

    def counted(self, steps_of: str, unit: int, last: int) -> float:
        spent.append(self.cost(steps_of, unit, last))
        return real(self, steps_of, unit, last)

    monkeypatch.setattr(lattice.Lattice, "reached", counted)
    monkeypatch.setattr(timing, "SERIES_FROM", 10**9)  # the lattice's budget (series: below)
    monkeypatch.setattr(timing, "EXACT_BUDGET", 10)
    monkeypatch.setattr(timing, "LATTICE_BUDGET", 20_000)
    doc = synthetic_document(200)
    doc["promises"] = [{"name": f"P{k}", "id": f"p{k}", "made_at": f"t{10 * k}",
                        "kept_at": f"t{10 * k + 60}", "within": "15d"} for k in range(10)]
    results = evaluate_promises(build_graph(journey(yaml.safe_dump(doc))))
    assert spent and sum(spent) <= timing.JOURNEY_PROMISES * 20_000
    assert any(r.error > 0 for r, _ in results)
    for r, _ in results:
        assert 0 <= r.probability - r.error and r.probability + r.error <= r.reached + 1e-9


# -- reach from one factorisation per journey ------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_one_factorisation_gives_the_same_reach_as_the_elimination(seed: int, monkeypatch) -> None:
    from journeymap.analysis import reach as reach_module
    from journeymap.analysis.reach import Reach, between_reach
    from journeymap.analysis.timing import between

    monkeypatch.setattr(reach_module, "LU_FROM", 10)
    edges, _ = random_looped(random.Random(seed), n=40)
    solver = Reach(edges, promises=5)
    for made, kept in (("n0", "n39"), ("n3", "n3"), ("n20", "n7"), ("n5", "n30")):
        sub = between(edges, made, kept)
        if not sub:
            continue
        assert solver(made, kept, sub) == pytest.approx(between_reach(edges, made, kept, sub),
                                                        abs=1e-12)
    assert solver._lu is not None  # the factorisation was used, once


def test_a_tiny_exit_or_a_closed_loop_falls_back_to_exact_pivots(monkeypatch) -> None:
    from journeymap.analysis import reach as reach_module
    from journeymap.analysis.reach import Reach
    from journeymap.analysis.timing import between

    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    tiny = {"m": {"a": 1.0}, "a": {"b": 1.0}, "b": {"a": 1 - 1e-16, "k": 1e-16}, "k": {}, LOST: {}}
    assert Reach(tiny, 2)("m", "k", between(tiny, "m", "k")) == pytest.approx(1.0, abs=1e-12)
    closed = {"m": {"k": 0.5, "x": 0.5}, "x": {"y": 1.0}, "y": {"x": 1.0}, "k": {}, LOST: {}}
    assert Reach(closed, 2)("m", "k", between(closed, "m", "k")) == pytest.approx(0.5, abs=1e-12)


def looped_journey_of_43(rng: random.Random):
    """43 touchpoints in a row, 40% of them sending some customers back 1–3 steps; waits of 0 to 24
    hours and durations of 0 to 30 minutes (the shape of the issue's 43-touchpoint example)."""
    n = 43
    edges: dict[str, dict[str, float]] = {}
    for i in range(n - 1):
        out = {f"n{i + 1}": rng.uniform(0.6, 1.0)}
        if i >= 3 and rng.random() < 0.4:
            out[f"n{i - rng.randint(1, 3)}"] = rng.uniform(0.05, 0.4)
        total = sum(out.values())
        edges[f"n{i}"] = {w: p / total for w, p in out.items()}
    edges[f"n{n - 1}"] = {}
    edges[LOST] = {}
    times = Times({v: nanoseconds(3600 * rng.choice([0, 1, 2, 4, 8, 24])) for v in edges if v != LOST},
                  {v: nanoseconds(60 * rng.choice([0, 15, 30])) for v in edges if v != LOST})
    return edges, times


@pytest.mark.parametrize("days", [8, 10, 12])
def test_a_long_looped_journey_is_exact_both_ways_and_agrees_with_monte_carlo(days, monkeypatch) -> None:
    monkeypatch.setattr(timing, "SERIES_FROM", 10**9)  # these two engines (the series: below)
    edges, times = looped_journey_of_43(random.Random(43))
    within = nanoseconds(days * 86400)
    events = on_time(edges, times, "n0", "n42", within)
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)  # the exact lattice instead
    lattice = on_time(edges, times, "n0", "n42", within)
    assert events.error <= 1e-9 and lattice.error == 0
    assert events.probability == pytest.approx(lattice.probability, abs=1e-9)
    share, half = monte_carlo(edges, times, "n0", "n42", within, 100_000, days)
    assert abs(lattice.probability - share) <= half
