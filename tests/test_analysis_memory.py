"""What the analysis of a large journey holds (issue 10, "Memory"; docs/performance.md, "Memory:
the analysis on arrays"): measured with tracemalloc on the 3,000-touchpoint journey of
tests/test_memory.py, in bytes a touchpoint, so the figures do not depend on the machine.

Before the analysis was put on positions and arrays, `analyse` kept about 1,310 bytes a
touchpoint beyond its graph and peaked at about 1,710; friction's scores kept about 1,360, the
graph about 290. Each bound below failed then (the graph's, before its moves were flat arrays:
docs/performance.md, "Memory: the graph as arrays")."""

from __future__ import annotations

import gc
import sys
import tracemalloc

from journeymap.graph import build_graph
from journeymap.model import Journey

from test_memory import large  # noqa: F401  (the module's fixture: the same 3,000 touchpoints)


def measured(make):
    """(result, bytes kept once made, peak bytes while making it), beyond what was allocated."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        gc.collect()
        now, peak = tracemalloc.get_traced_memory()
        return result, now - before, peak - before
    finally:
        tracemalloc.stop()


def test_the_analysis_keeps_a_few_hundred_bytes_a_touchpoint(large: Journey) -> None:
    from journeymap.analysis.analyse import analyse

    jg = build_graph(large)
    n = len(large.touchpoints)
    analysis, kept, peak = measured(lambda: analyse(large, jg=jg))
    assert analysis.friction.total > 0 and any(f.rule == "JM302" for f in analysis.findings)
    # kept: friction's scores as objects, their words, the JM302 texts, the factors' pairs and two
    # frozensets of ids were about 1,310 bytes a touchpoint; now about 400. At its peak the
    # analysis also held the chain as a dict of dicts, its solver's dicts and lists: 1,710, then
    # 710. What is asked again as tuples of objects, and the factors and the ranking of every
    # touchpoint made whether read or not, were about 350 kept and 650 at the peak; about 230
    # and 400 since (what is asked again in arrays; the factors and ranking made when read).
    # At its peak it also held a dict of every id's place for the hotspots, a list of the
    # positions that can succeed, and three lists of names a touchpoint: 400, and about 330 since.
    assert kept / n < 280, kept / n
    assert peak / n < 370, peak / n


def test_friction_scores_are_kept_as_arrays(large: Journey) -> None:
    from journeymap.analysis.friction import score_friction
    from journeymap.analysis.results import FrictionScores

    jg = build_graph(large)
    n = len(large.touchpoints)
    (result, found), kept, peak = measured(lambda: score_friction(jg))
    assert isinstance(result.touchpoints, FrictionScores) and len(result.touchpoints) == n
    # made when asked for, the same each time
    assert result.touchpoints[7] == result.touchpoints[7] and result.touchpoints[7] is not result.touchpoints[7]
    # an object, eight components and their words per touchpoint and a JM302 text where it asks
    # again kept about 1,360 bytes a touchpoint (tests/test_memory.py: under 1,450); then about
    # 280, and 220 since what is asked again is kept in arrays
    assert kept / n < 250, kept / n
    # a dict of every id and its place, made to find the hotspots' scores: 380 at the peak, 310
    # since they are found through the graph
    assert peak / n < 345, peak / n


def test_the_graph_keeps_its_moves_as_flat_arrays(large: Journey) -> None:
    large.by_id  # the model's index by id (the graph reads it): made first, so it is not counted
    jg, kept, peak = measured(lambda: build_graph(large))
    n = len(large.touchpoints)
    # a tuple of positions each way and of probabilities per touchpoint (the probabilities'
    # shared), the file-order indexes and outcomes as tuples: about 220 bytes a touchpoint. Flat
    # arrays, the model's own touchpoints and a range for the indexes: about 100, 45 of them the
    # index of positions by id. It peaked at about 360 while built; now about 125.
    assert kept / n < 130, kept / n
    assert peak / n < 170, peak / n
    assert len(jg.succ_to) == len(jg.succ_p) == len(jg.pred_from) == jg.succ_at[-1] == jg.pred_at[-1]


def test_a_jm302_finding_is_worded_when_read_and_acts_as_a_plain_one(large: Journey) -> None:
    import copy
    import dataclasses
    import pickle

    from journeymap.analysis.analyse import analyse
    from journeymap.findings import Finding, Severity

    lazy = next(f for f in analyse(large).findings if f.rule == "JM302")
    assert type(lazy) is not Finding and "asks the customer again for" in lazy.message
    plain = Finding(lazy.rule, lazy.severity, lazy.message, lazy.span, lazy.subject, lazy.hint)
    assert lazy == plain and plain == lazy and hash(lazy) == hash(plain) and repr(lazy) == repr(plain)
    assert lazy.sort_key == plain.sort_key and lazy.span.line > 1
    # its touchpoint and table sit in the plain finding's places for the message and position
    # (two places of its own were 16 bytes more, for each of 70,000 findings in a large journey)
    assert sys.getsizeof(lazy) == sys.getsizeof(plain) and not hasattr(lazy, "__dict__")
    for other in (pickle.loads(pickle.dumps(lazy)), copy.copy(lazy), copy.deepcopy(lazy)):
        assert type(other) is Finding and other == plain
    louder = dataclasses.replace(lazy, severity=Severity.ERROR)
    assert type(louder) is Finding and louder.severity is Severity.ERROR and louder.message == plain.message


def test_asked_again_searches_in_arrays_made_once(large: Journey) -> None:
    from journeymap.analysis.asks import asked_again

    jg = build_graph(large)
    n = len(large.touchpoints)
    with jg.sharing():
        from journeymap.analysis.paths import components

        components(jg, positive=False)  # shared with the rest of the analysis: not measured here
        again, kept, peak = measured(lambda: asked_again(jg))
    assert sum(len(items) for items in again.values()) > n / 3
    # A dict of labels and lists of int objects for each item's search, a list of every
    # position's rank and a list for each touchpoint that asks again: about 420 bytes a touchpoint
    # at the peak and 125 kept; in arrays made once and tuples, about 235 and 92; with what is
    # found in arrays too (AskedAgainTable, its tuples made when read), about 135 and 28; with
    # the touchpoints on a loop a byte each, not a set of their ids, a peak of about 92.
    assert peak / n < 115, peak / n
    assert kept / n < 40, kept / n


def test_what_only_some_commands_read_is_made_when_read(large: Journey) -> None:
    """`check` and the maps read neither the factors nor the ranking of every touchpoint (only
    `report` does): made when first read, the same as made at once, and made once."""
    import pickle

    from journeymap.analysis.analyse import analyse
    from journeymap.analysis.factors import by_factor

    jg = build_graph(large)
    analysis = analyse(large, jg=jg)
    friction = analysis.friction
    assert analysis.factors._items is None and friction.ranked._items is None  # not made yet
    # a report's journeys come back from worker processes pickled: the tuples, made there
    again = pickle.loads(pickle.dumps(analysis))
    assert type(again.factors) is tuple and type(again.friction.ranked) is tuple
    scores = list(friction.touchpoints)
    by_contribution = sorted(range(len(scores)), key=lambda i: -scores[i].contribution)
    assert list(friction.ranked) == [scores[i].touchpoint for i in by_contribution]
    assert friction.hotspots == tuple(t for t in friction.ranked[:len(friction.hotspots)])
    assert analysis.factors == by_factor(jg, friction, analysis.findings) != ()
    assert analysis.factors[0] is analysis.factors[0] and friction.ranked[0] is friction.ranked[0]
    assert again.factors == analysis.factors and again.friction.ranked == friction.ranked


def test_scoring_looks_ids_up_in_the_graph_not_a_second_index(large: Journey) -> None:
    """The graph has an index of positions by id; the model's own index of touchpoints by id
    (another dict of every id, 30 bytes a touchpoint) is not made for `check` or `report`."""
    import dataclasses
    import io

    from journeymap.analysis.analyse import JourneyReport, ReportRun, analyse
    from journeymap.report.analysis_json import write

    journey = dataclasses.replace(large)  # its own cached properties: none made yet
    analysis = analyse(journey)
    write(ReportRun((JourneyReport("large.yaml", "large", analysis.findings, analysis),)), io.BytesIO(), False)
    assert analysis.factors and "by_id" not in journey.__dict__
    assert journey.by_id["t1"] is journey.touchpoints[1]  # made when asked for


def test_the_graph_finds_what_is_reachable_in_a_byte_a_touchpoint(large: Journey) -> None:
    jg = build_graph(large)
    n = len(large.touchpoints)
    (ahead, back), _, peak = measured(lambda: (jg.reachable_from_start, jg.can_succeed))
    assert len(ahead) > n / 2 and jg.start in back and len(back) == sum(1 for _ in back)
    # a list of the positions reached (an int object each) and its copy: about 44 bytes a
    # touchpoint; the search's byte a position is the set itself
    assert peak / n < 15, peak / n


def test_the_factors_add_up_parts_in_arrays_of_what_has_a_part(large: Journey) -> None:
    from journeymap.analysis.analyse import analyse
    from journeymap.analysis.factors import by_factor

    jg = build_graph(large)
    analysis = analyse(large, jg=jg)
    n = len(large.touchpoints)
    groups, _, peak = measured(lambda: by_factor(jg, analysis.friction, analysis.findings))
    assert len(groups) >= 4 and sum(len(g.touchpoints) for g in groups) > n
    # an array of every node's part and of their order for each factor, and one sort of them all
    # holding an int and a float object each: about 300 bytes a touchpoint at the peak; about 260
    # with the parts kept for what has one, and ranked a chunk at a time
    assert peak / n < 280, peak / n


def test_a_factors_parts_add_up_a_repeated_id_where_it_first_had_one() -> None:
    from journeymap.analysis.factors import _Amounts

    amounts = _Amounts(6)
    reference: dict[int, float] = {}
    for at, part in ((4, 1.0), (1, 0.5), (4, 0.25), (3, 2.0), (1, 1.5), (5, 1.25), (3, 0.5)):
        amounts.add(at, part)
        reference[at] = reference.get(at, 0.0) + part
    assert list(amounts.order) == list(reference) and list(amounts.amounts) == list(reference.values())
    assert amounts.total() == sum(reference.values())
    ids = tuple("abcdef")
    # largest first; 4 and 5 tie, and 4 got its part first
    assert list(amounts.ranked(ids)) == [("d", 2.5), ("b", 2.0), ("e", 1.25), ("f", 1.25)]


def test_positions_are_ranked_as_one_stable_sort_ranks_them_in_a_few_bytes_each() -> None:
    import random
    from array import array

    from journeymap.analysis.ranking import CHUNK, largest_first

    rng = random.Random(10)
    for size in (0, 1, 7, CHUNK, CHUNK + 1, 3 * CHUNK + 17):
        values = array("d", (rng.choice((0.0, 1.5, -2.0, rng.random())) for _ in range(size)))
        positions = array("l", rng.sample(range(size), size))  # ties: equal values, many of them
        assert list(largest_first(positions, values)) == sorted(positions, key=lambda p: -values[p])
    values = array("d", [1.0, float("nan"), 3.0, float("inf")] * CHUNK)
    positions = range(len(values))
    assert list(largest_first(positions, values)) == sorted(positions, key=lambda p: -values[p])
    n = 60_000
    values = array("d", (rng.random() for _ in range(n)))
    ranked, _, peak = measured(lambda: array("l", largest_first(range(n), values)))
    assert ranked[0] == max(range(n), key=values.__getitem__)
    # a sort of every position at once held an int and a float object each, about 75 bytes a
    # position; a chunk at a time, merged, about 10 (most of it the ranking's own array)
    assert peak / n < 20, peak / n


def test_findings_in_runs_are_merged_as_a_stable_sort_orders_them_in_a_few_bytes_each(large: Journey) -> None:
    import random
    from itertools import pairwise

    from journeymap.analysis.analyse import analyse
    from journeymap.findings import Finding, Severity, sorted_findings
    from journeymap.model import Span

    rng = random.Random(302)
    spans = [None, *(Span(f, line, column) for f in ("a.yaml", "b.yaml") for line in (1, 2, 9, 10)
                     for column in (1, 3))]
    for size, runs in ((0, 1), (1, 1), (50, 3), (400, 12), (400, 80)):  # 80 runs: sorted at once
        items = [Finding(rng.choice(("JM101", "JM302", "JM201")), Severity.WARNING, f"m{k}",
                         rng.choice(spans)) for k in range(size)]
        cuts = sorted(rng.sample(range(1, size), min(runs - 1, max(size - 1, 0))))
        pieces = [sorted(items[a:b], key=lambda f: f.sort_key) for a, b in zip([0, *cuts], [*cuts, size])]
        given = [f for piece in pieces for f in piece]
        want = tuple(sorted(given, key=lambda f: f.sort_key))
        # the runs as given (pieces may join): merged for 3 and 12, sorted at once past 64
        assert 1 + sum(b.sort_key < a.sort_key for a, b in pairwise(given)) == {80: 74}.get(runs, runs)
        assert sorted_findings(given) == want and sorted_findings(iter(given)) == want
        assert [f.message for f in sorted_findings(given)] == [f.message for f in want]  # ties kept
    found = list(analyse(large).findings)
    shuffled = found[1::2] + found[::2]  # two runs, each in order
    merged, _, peak = measured(lambda: sorted_findings(shuffled))
    assert merged == tuple(sorted(shuffled, key=lambda f: f.sort_key)) and len(found) > 1000
    # a key for every finding (a tuple, a line number, and a JM302 finding's position made to
    # read them) was about 120 bytes a finding; the runs merged hold a key a run
    assert peak / len(found) < 40, peak / len(found)
