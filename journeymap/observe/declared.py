"""What a journey declares, in the terms an event log can be compared with.

Everything here comes from the scoring's public functions (the graph, the Markov chain's expected
visits, the promise results), so that observe and the scores can never disagree on what was
declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.graph import JourneyGraph, Transition, build_graph, transitions
from journeymap.model import Journey, Touchpoint

START = ""  # the source of the first step of every case: "(start)"


@dataclass(frozen=True)
class DeclaredEdge:
    """A declared move between two touchpoints: its probability and its declared time."""

    source: str  # START for the journey's first step
    target: str
    p: float  # share of the customers at ``source`` who go to ``target`` next
    seconds: float  # declared time between the two starts: duration(source) + wait(target)
    via: tuple[str, ...] = ()  # what the journey calls it: failure names, next labels
    failures: tuple[str, ...] = ()  # the failure ids behind it, when it is a failure


@dataclass(frozen=True)
class DeclaredPromise:
    id: str
    name: str
    made_at: str
    kept_at: str
    within: float | None  # seconds
    probability: float  # declared share of customers at made_at who get it in time
    error: float  # the probability is exact to ± error
    made_duration: float  # duration of made_at: the promise's clock starts when it ends


@dataclass(frozen=True)
class Declared:
    journey: Journey
    ids: tuple[str, ...]  # touchpoint ids in file order: position i is ids[i]
    start: str
    outcomes: dict[str, str | None]
    edges: dict[tuple[str, str], DeclaredEdge]  # positive and zero-share edges, START included
    traffic: dict[str, float]  # expected visits per customer who starts
    leaving: dict[str, float]  # probability of moving on from each touchpoint (rest ends there)
    promises: tuple[DeclaredPromise, ...]


def declared(journey: Journey, jg: JourneyGraph | None = None) -> Declared:
    """The journey's declared figures (shares, traffic, times, promises)."""
    from journeymap.analysis.markov import Propagator, chain_edges
    from journeymap.analysis.promises import evaluate_promises

    jg = jg or build_graph(journey)
    ids = tuple(tp.id for tp in journey.touchpoints)
    wait = {tp.id: tp.wait or 0.0 for tp in journey.touchpoints}
    duration = {tp.id: tp.duration or 0.0 for tp in journey.touchpoints}
    edges = {(START, jg.start): DeclaredEdge(START, jg.start, 1.0, 0.0, ("start",))}
    leaving: dict[str, float] = dict.fromkeys(ids, 0.0)
    # the tuple graph's moves (networkx's DiGraph, jg.g, cost a tenth of observe's start-up to
    # import): each move's transitions in file order, its p summed in that order, as jg.g has them
    via_of: dict[tuple[str, str], list[Transition]] = {}
    for index, tp in enumerate(journey.touchpoints):
        for t in transitions(journey, index, tp):
            via_of.setdefault((t.source, t.target), []).append(t)
    for u, v, p in jg.edges():
        via = tuple(t.label or ("failure" if t.kind == "failure" else "next") for t in via_of[(u, v)])
        failures = tuple(t.failure for t in via_of[(u, v)] if t.failure)
        edges[(u, v)] = DeclaredEdge(u, v, p, duration[u] + wait[v], via, failures)
        leaving[u] += p
    traffic = Propagator(chain_edges(jg)).visits({jg.start: 1.0})
    outcomes = {tp_id: (o.value if (o := jg.outcome(tp_id)) else None) for tp_id in ids}
    by_id = {p.id: p for p in journey.promises}
    promises = tuple(
        DeclaredPromise(r.promise, by_id[r.promise].name, by_id[r.promise].made_at,
                        by_id[r.promise].kept_at, by_id[r.promise].within, r.probability, r.error,
                        duration[by_id[r.promise].made_at])
        for r, _ in evaluate_promises(jg))
    return Declared(journey, ids, jg.start, outcomes, edges,
                    {i: traffic.get(i, 0.0) for i in ids}, leaving, promises)


def activity_label(journey: Journey, tp: Touchpoint) -> str:
    """The activity name a log would use for ``tp``: its first ``observed_as`` name, else its name
    (its id when another touchpoint has the same name, or its name is another touchpoint's id)."""
    if tp.observed_as:
        return tp.observed_as[0]
    same = [t for t in journey.touchpoints if t.name == tp.name or t.id == tp.name]
    return tp.name if same == [tp] else tp.id
