"""Promises on hand-computed graphs: probabilities, fastest times, and JM201–JM204."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import one_promise

from journeymap.analysis import timing
from journeymap.analysis.markov import Propagator, solve
from journeymap.analysis.promises import evaluate_promises
from journeymap.analysis.results import PromiseStatus
from journeymap.analysis.synthetic import synthetic_document
from journeymap.analysis.timing import Times, on_time
from journeymap.check import check_file
from journeymap.graph import build_graph

SCORING = Path(__file__).parent / "fixtures" / "scoring"
FIXTURES = sorted(SCORING.glob("jm*.yaml"))
_EXPECT = re.compile(r"^# expect: (JM\d{3}) (\d+):(\d+)\s*$", re.MULTILINE)


def promise(journey, text: str):
    """The one promise of the journey in ``text``: (result, rules of its findings, messages)."""
    result, found = one_promise(journey, text)
    return result, {f.rule for f in found}, [f.message for f in found]


BRANCH = """
journey: Branch
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - name: Fork
        id: fork
        next: [{to: kept, share: 0.7}, {to: gone, share: 0.3}]
        failures: [{name: Never, share: 0, to: gone}]
      - {name: Kept, id: kept, outcome: success}
      - {name: Gone, id: gone, outcome: lost}
promises:
  - {name: The call-back, id: p, made_at: made, kept_at: kept}
"""


def test_branch_seventy_thirty(journey) -> None:
    result, rules, messages = promise(journey, BRANCH)
    assert result.probability == pytest.approx(0.7, abs=1e-9)
    assert result.reached == pytest.approx(0.7, abs=1e-9)
    assert result.status is PromiseStatus.AT_RISK
    assert rules == {"JM203"}
    assert messages == ["30% of customers never get “The call-back”, promised at `made`"]
    assert result.fastest_path == ("made", "fork", "kept")


SELF_LOOP = """
journey: Redo
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made}
      - name: Check
        id: check
        duration: DURATION
        failures:
          - {name: Redo the check, share: 0.2, to: check}
          - {name: Gives up, share: 0.1, to: gone}
      - {name: Kept, id: kept, outcome: success}
      - {name: Gone, id: gone, outcome: lost}
promises:
  - {name: Checked, id: p, made_at: made, kept_at: kept WITHIN}
"""


def self_loop(duration: str = "1h", within: str = "") -> str:
    return SELF_LOOP.replace("DURATION", duration).replace(" WITHIN", within)


def test_loop_back_to_the_same_step(journey) -> None:
    result, rules, _ = promise(journey, self_loop())
    # 0.7 leave for kept, 0.2 redo, 0.1 give up: reached = 0.7 / (1 - 0.2)
    assert result.probability == pytest.approx(0.875, abs=1e-9)
    assert rules == {"JM203"}


def test_loop_back_with_a_time_limit_is_exact_on_a_whole_minute_grid(journey) -> None:
    # each pass of the check takes 1h; within 2h allows one redo: 0.7 + 0.2 × 0.7
    result, _, messages = promise(journey, self_loop("1h", ", within: 2h"))
    assert result.probability == pytest.approx(0.84, abs=1e-9)
    assert result.error == 0
    assert result.reached == pytest.approx(0.875, abs=1e-9)
    assert result.fastest_seconds == 3600
    assert "12.5% of customers never get “Checked”" in messages[0]
    assert "a further 3.5% get it later than the 2h promised" in messages[0]


def test_loop_back_with_odd_times_is_still_exact(journey) -> None:
    # 1.0000001h is 3600.00036s: two passes fit in 2.0000002h, not in 2h
    result, _, _ = promise(journey, self_loop("1.0000001h", ", within: 2.0000002h"))
    assert result.probability == pytest.approx(0.84, abs=1e-9) and result.error == 0
    result, _, _ = promise(journey, self_loop("1.0000001h", ", within: 2h"))
    assert result.probability == pytest.approx(0.7, abs=1e-9) and result.error == 0


def test_the_lattice_is_exact_when_the_event_budget_runs_out(journey, monkeypatch) -> None:
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)
    result, _, _ = promise(journey, self_loop("1h", ", within: 2.5h"))
    assert result.error == 0
    assert result.probability == pytest.approx(0.84, abs=1e-9)


def test_bounds_when_the_exact_answer_is_too_big(journey, monkeypatch) -> None:
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)
    result, _, _ = promise(journey, self_loop("1.0000001h", ", within: 2.5h"))
    assert result.error <= timing.TOLERANCE
    assert result.probability - result.error <= 0.84 <= result.probability + result.error


NESTED = (SCORING / "nested-loops.yaml").read_text(encoding="utf-8")


def test_nested_loops(journey) -> None:
    result, _, _ = promise(journey, NESTED)
    assert result.probability == pytest.approx(0.65 / 0.75, abs=1e-9)


def test_nested_loops_with_a_time_limit(journey) -> None:
    # every pass of B takes 1h; within 2h: one outer pass with at most two passes of B
    # (0.65 × (0.7 + 0.3 × 0.7)) or two outer passes with one pass of B each (0.25 × 0.65 × 0.7²)
    result, _, _ = promise(journey, NESTED.replace("kept_at: kept}", "kept_at: kept, within: 2h}"))
    assert result.probability == pytest.approx(0.65 * 0.91 + 0.25 * 0.65 * 0.49, abs=1e-9)
    assert result.error == 0


TIMED_BRANCH = """
journey: Half late
stages:
  - name: S
    touchpoints:
      - {name: Made, id: made, duration: 5h}
      - {name: Fork, id: fork, next: [fast, slow], failures: [{name: x, to: fast}]}
      - {name: Fast, id: fast, wait: 1h, duration: 30m, next: kept}
      - {name: Slow, id: slow, wait: 3d, next: kept}
      - {name: Kept, id: kept, wait: 10m, outcome: success}
promises:
  - {name: Answer within a day, id: p, made_at: made, kept_at: kept, within: 1d}
"""


def test_timed_branch_where_half_the_customers_are_late(journey) -> None:
    result, rules, messages = promise(journey, TIMED_BRANCH)
    assert result.probability == pytest.approx(0.5, abs=1e-9)
    assert result.reached == pytest.approx(1.0, abs=1e-9)
    # made_at's own duration does not count; fast's wait and duration and kept's wait do
    assert result.fastest_seconds == 3600 + 1800 + 600
    assert result.fastest_path == ("made", "fork", "fast", "kept")
    assert rules == {"JM203"} and result.status is PromiseStatus.AT_RISK
    assert messages == [("50% of customers get “Answer within a day”, promised at `made`, later "
                         "than the 1d promised")]


def test_late_on_every_path_speaks_the_customers_language(journey) -> None:
    text = """
    journey: Complaint
    stages:
      - name: S
        touchpoints:
          - {name: Acknowledgement email, id: ack-email}
          - name: Queue
            id: queue
            next: [{to: call-back, share: 0.7}, {to: gone, share: 0.3}]
            failures: [{name: lost, share: 0, to: gone}]
          - {name: Call-back, id: call-back, wait: 8w, outcome: success}
          - {name: Gone, id: gone, outcome: lost}
    promises:
      - {name: the call-back, id: p, made_at: ack-email, kept_at: call-back, within: 14d}
    """
    result, rules, messages = promise(journey, text)
    assert rules == {"JM202"} and result.status is PromiseStatus.BROKEN
    assert result.probability == 0
    assert messages == [("30% of customers never get “the call-back”, promised at `ack-email`; "
                         "those who do wait 8w or more, promised 2w")]


KEPT_BEFORE = """
journey: Backwards
stages:
  - name: S
    touchpoints:
      - {name: Call back, id: call-back, failures: [{name: x, to: complaint}]}
      - {name: Complaint, id: complaint, outcome: success}
promises:
  - {name: We call you back, id: p, made_at: MADE, kept_at: KEPT}
"""


def test_a_promise_kept_before_it_is_made_is_jm201(journey) -> None:
    result, rules, messages = promise(journey, KEPT_BEFORE.replace("MADE", "complaint")
                                      .replace("KEPT", "call-back"))
    assert rules == {"JM201"} and result.status is PromiseStatus.BROKEN
    assert result.probability == 0 and result.fastest_seconds is None and result.fastest_path == ()
    assert "kept before it is made" in messages[0]


def test_kept_where_it_is_made_counts_only_through_a_loop(journey) -> None:
    _, rules, messages = promise(journey, KEPT_BEFORE.replace("MADE", "complaint")
                                 .replace("KEPT", "complaint"))
    assert rules == {"JM201"} and "no loop brings customers back" in messages[0]
    looped = """
    journey: Loop
    stages:
      - name: S
        touchpoints:
          - {name: Step, id: step, wait: 1h, failures: [{name: again, share: 0.4, to: step}]}
          - {name: End, id: end}
    promises:
      - {name: Back again, id: p, made_at: step, kept_at: step}
    """
    result, rules, _ = promise(journey, looped)
    assert result.probability == pytest.approx(0.4, abs=1e-9)
    assert result.fastest_seconds == 3600 and result.fastest_path == ("step", "step")


CHANNEL = """
journey: Channels
stages:
  - name: S
    touchpoints:
      - {name: Book, id: book, failures: [{name: x, to: heads-up}]}
      - {name: Heads-up, id: heads-up, CHANNEL}
promises:
  - {name: We text you, id: p, made_at: book, kept_at: heads-up, PROMISED}
"""


@pytest.mark.parametrize("kept, promised, fires", [
    ("channel: sms", "channel: SMS", False),
    ("channel: ' Home  Phone '", "channel: home phone", False),
    ("channel: home phone", "channel: mobile", True),
    ("effort: 1", "channel: mobile", False),  # kept_at names no channel: nothing to compare
    ("channel: home phone", "within: 1d", False),  # the promise names no channel
])
def test_channel_comparison_is_case_insensitive(journey, kept: str, promised: str, fires: bool) -> None:
    result, rules, messages = promise(journey, CHANNEL.replace("CHANNEL", kept).replace("PROMISED", promised))
    assert ("JM204" in rules) is fires
    assert (result.status is PromiseStatus.BROKEN) is fires
    if fires:
        assert messages == [("“We text you” names the channel `mobile`, but `heads-up`, where it "
                             "is kept, uses `home phone`")]


def test_the_spec_example_fails_with_exactly_jm204_and_a_jm302_warning() -> None:
    result = check_file(str(Path(__file__).parent / "fixtures" / "spec-example.yaml"))
    assert sorted((f.rule, f.severity.value) for f in result.findings) == [
        ("JM204", "error"), ("JM302", "warning")]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_scoring_fixture_findings(path: Path) -> None:
    """Each fixture lists the findings it must produce as `# expect: RULE line:column`."""
    want = {(m[1], int(m[2]), int(m[3])) for m in _EXPECT.finditer(path.read_text(encoding="utf-8"))}
    got = {(f.rule, f.span.line, f.span.column) for f in check_file(str(path)).findings if f.span}
    assert want and got == want


# -- the solver against brute force -------------------------------------------------------------


def random_chain(rng: random.Random, n: int) -> dict[str, dict[str, float]]:
    """A random substochastic chain where every node leaks a little, so visits stay finite."""
    edges: dict[str, dict[str, float]] = {}
    for i in range(n):
        targets = rng.sample(range(n), rng.randint(1, 3))
        weights = [rng.random() for _ in targets]
        keep = rng.uniform(0.5, 0.95) / sum(weights)
        edges[f"n{i}"] = {f"n{t}": w * keep for t, w in zip(targets, weights)}
    return edges


def iterate(edges: dict[str, dict[str, float]], start: str, rounds: int = 3000) -> dict[str, float]:
    """Expected visits by summing the chain's powers: x_{k+1} = x_k P."""
    visits = dict.fromkeys(edges, 0.0)
    mass = {start: 1.0}
    for _ in range(rounds):
        nxt: dict[str, float] = {}
        for u, m in mass.items():
            visits[u] += m
            for w, p in edges[u].items():
                nxt[w] = nxt.get(w, 0.0) + m * p
        mass = nxt
    return visits


@pytest.mark.parametrize("seed", range(5))
def test_expected_visits_match_brute_force(seed: int) -> None:
    edges = random_chain(random.Random(seed), 40)
    exact = Propagator(edges).visits({"n0": 1.0})
    brute = iterate(edges, "n0")
    for node, value in brute.items():
        assert exact.get(node, 0.0) == pytest.approx(value, rel=1e-7, abs=1e-9)


def test_solve_a_small_system_by_hand() -> None:
    # y_a = 0.5 y_b + 1, y_b = 0.5 y_a  →  y_a = 4/3, y_b = 2/3
    y = solve({"a": {"b": 0.5}, "b": {"a": 0.5}}, {"a": 1.0})
    assert y["a"] == pytest.approx(4 / 3, abs=1e-12) and y["b"] == pytest.approx(2 / 3, abs=1e-12)


def test_a_loop_customers_never_leave_has_unbounded_visits() -> None:
    visits = Propagator({"s": {"a": 1.0}, "a": {"b": 1.0}, "b": {"a": 1.0}}).visits({"s": 1.0})
    assert visits["s"] == 1 and visits["a"] == visits["b"] == float("inf")


def test_a_large_journey_in_one_loop_is_consistent(journey, tmp_path) -> None:
    """The generator's journey, its end failing back to the start, analysed without error."""
    import yaml

    doc = synthetic_document(300, to_start=True)
    results = evaluate_promises(build_graph(journey(yaml.safe_dump(doc))))
    assert [r.promise for r, _ in results] == ["p0", "p1", "p2"]
    for result, _ in results:
        assert 0 <= result.probability <= result.reached + result.error <= 1 + 1e-9
        assert result.fastest_seconds is not None


# -- timed probabilities against path enumeration on small random graphs -------------------------


def enumerate_paths(edges, times: Times, made: str, kept: str, within: int) -> float:
    """Brute force: every path whose elapsed time fits (every move takes time, so paths are short)."""
    def go(u: str, t: int, p: float) -> float:
        if t > within:
            return 0.0
        if u == kept:
            return p
        return sum(go(w, t + times.move(u, w), p * q) for w, q in edges[u].items())

    return sum(go(w, times.move(None, w), p) for w, p in edges[made].items())


def random_timed(rng: random.Random, scale: float):
    edges = random_chain(rng, 7)
    times = Times({v: ns(rng.choice([0.0, 1.0, 2.0]) * scale) for v in edges},
                  {v: ns(rng.choice([1.0, 2.0, 3.0]) * scale) for v in edges})
    return edges, times


ns = timing.nanoseconds


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("scale", [60.0, 60.00000037])  # whole minutes, and times off any grid
def test_timed_probability_matches_path_enumeration(seed: int, scale: float) -> None:
    edges, times = random_timed(random.Random(seed), scale)
    got = on_time(edges, times, "n0", "n6", ns(9 * 60.0), reach(edges))
    assert got.error == 0
    assert got.probability == pytest.approx(enumerate_paths(edges, times, "n0", "n6", ns(9 * 60.0)),
                                            abs=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_timed_bounds_hold_and_are_within_the_tolerance(seed: int, monkeypatch) -> None:
    # times 0.37 µs off the minute: the exact lattice step is tiny, so the lattice gives bounds
    monkeypatch.setattr(timing, "EXACT_BUDGET", 0)
    edges, times = random_timed(random.Random(seed), 60.00000037)
    within = ns(9.5 * 60)  # no path ends within 30s of the limit, so fine grids separate them
    got = on_time(edges, times, "n0", "n6", within, reach(edges))
    truth = enumerate_paths(edges, times, "n0", "n6", within)
    assert got.error <= timing.TOLERANCE  # 0 when the rounded-down and -up lattices agree
    assert abs(got.probability - truth) <= got.error + 1e-9


def reach(edges) -> float:
    return Propagator(edges, frozenset(["n6"])).visits(dict(edges["n0"])).get("n6", 0.0)


def test_a_loop_that_takes_no_time_entered_half_way(journey) -> None:
    """Customers enter a zero-time loop at its second step: the whole loop is still solved."""
    text = """
    journey: Instant loop
    stages:
      - name: S
        touchpoints:
          - {name: Made, id: made}
          - {name: Wait, id: wait, wait: 1h, next: b}
          - {name: A, id: a, next: b}
          - {name: B, id: b, next: c}
          - name: C
            id: c
            next: [{to: kept, share: 0.5}, {to: a, share: 0.5}]
            failures: [{name: x, share: 0, to: kept}]
          - {name: Kept, id: kept, outcome: success}
    promises:
      - {name: Within the hour, id: p, made_at: made, kept_at: kept, within: 1h}
    """
    result, rules, _ = promise(journey, text)
    assert result.probability == pytest.approx(1.0, abs=1e-9) and result.error == 0
    assert rules == set()


@pytest.mark.parametrize("seed", range(8))
def test_reach_solved_between_made_and_kept_equals_the_whole_chain(seed: int) -> None:
    """Customers who leave the touchpoints between made_at and kept_at never come back to kept_at,
    so solving only those touchpoints gives the same probability."""
    from journeymap.analysis.reach import between_reach
    from journeymap.analysis.timing import between

    rng = random.Random(seed)
    edges = random_chain(rng, 30)
    for made, kept in (("n0", "n7"), ("n3", "n3"), ("n11", "n2")):
        whole = Propagator(edges, frozenset([kept])).visits(dict(edges[made])).get(kept, 0.0)
        solved = between_reach(edges, made, kept, between(edges, made, kept))
        assert solved == pytest.approx(whole, abs=1e-12)


def test_timed_promises_share_one_journey_budget() -> None:
    budget = timing.Budget(100)
    events, lattice = budget.allowance()
    assert lattice == pytest.approx(timing.JOURNEY_PROMISES * timing.LATTICE_BUDGET / 100)
    budget.spend(events, 0.0)  # a promise that needed no lattice leaves its part to the others
    assert budget.allowance()[1] == pytest.approx(timing.JOURNEY_PROMISES * timing.LATTICE_BUDGET / 99)
    assert timing.Budget(1).allowance() == (timing.EXACT_BUDGET, timing.LATTICE_BUDGET)
