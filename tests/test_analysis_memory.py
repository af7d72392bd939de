"""What the analysis of a large journey holds (issue 10, "Memory"; docs/performance.md, "Memory:
the analysis on arrays"): measured with tracemalloc on the 3,000-touchpoint journey of
tests/test_memory.py, in bytes a touchpoint, so the figures do not depend on the machine.

Before the analysis was put on positions and arrays, `analyse` kept about 1,310 bytes a
touchpoint beyond its graph and peaked at about 1,710; friction's scores kept about 1,360, the
graph about 290. Each bound below failed then (the graph's, before its moves were flat arrays:
docs/performance.md, "Memory: the graph as arrays")."""

from __future__ import annotations

import gc
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
    assert kept / n < 280, kept / n
    assert peak / n < 500, peak / n


def test_friction_scores_are_kept_as_arrays(large: Journey) -> None:
    from journeymap.analysis.friction import score_friction
    from journeymap.analysis.results import FrictionScores

    jg = build_graph(large)
    n = len(large.touchpoints)
    (result, found), kept, _ = measured(lambda: score_friction(jg))
    assert isinstance(result.touchpoints, FrictionScores) and len(result.touchpoints) == n
    # made when asked for, the same each time
    assert result.touchpoints[7] == result.touchpoints[7] and result.touchpoints[7] is not result.touchpoints[7]
    # an object, eight components and their words per touchpoint and a JM302 text where it asks
    # again kept about 1,360 bytes a touchpoint (tests/test_memory.py: under 1,450); then about
    # 280, and 220 since what is asked again is kept in arrays
    assert kept / n < 250, kept / n


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
    # found in arrays too (AskedAgainTable, its tuples made when read), about 135 and 28.
    assert peak / n < 170, peak / n
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
