"""JM201–JM204: is each promise kept, for what share of customers, and how fast?

A customer "at ``made_at``" has just been given the promise; it is kept when they first reach
``kept_at`` (``made_at`` itself counts only when a loop brings them back). The probability is an
absorption probability of the journey's Markov chain (shares on flow and failure edges), exact
without a time limit; with ``within`` see :mod:`journeymap.analysis.timing`.
"""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.analysis.markov import Edges, chain_edges
from journeymap.analysis.paths import Between, Fastest
from journeymap.analysis.results import PromiseResult, PromiseStatus
from journeymap.analysis.reach import Reach
from journeymap.analysis.timing import Budget, OnTime, Times, nanoseconds, on_time
from journeymap.analysis.wording import percent, plus_minus, same_text
from journeymap.findings import Finding, finding
from journeymap.graph import JourneyGraph
from journeymap.model import Promise
from journeymap.values import format_duration

_SURE = 1.0 - 1e-9  # a probability this close to 1 is everyone (float rounding aside)
_BROKEN_RULES = {"JM201", "JM202", "JM204"}


def evaluate_promises(jg: JourneyGraph) -> list[tuple[PromiseResult, list[Finding]]]:
    """Each promise's result with the findings that explain it (promises naming unknown ids skipped)."""
    with jg.sharing():
        edges = chain_edges(jg)
        promises = [p for p in jg.journey.promises if p.made_at in jg and p.kept_at in jg]
        times = Times.of(jg)
        budget = Budget(sum(1 for p in promises if p.within is not None))
        # a large journey's reach is split at its cuts: the series engine's, made once
        reach = Reach(edges, len(promises), lambda: budget.series(edges, times)[0])
        work = _Work(edges, times, reach, budget)
        if promises:
            work.fastest, work.between = Fastest(jg), Between(jg)
        return [_evaluate(jg, work, p) for p in promises]


class _Work:
    """What a journey's promises share: the chain, the times, the reach solver, the budget, and
    the searches for fastest paths and between-sets (:mod:`journeymap.analysis.paths`)."""

    fastest: Fastest
    between: Between

    def __init__(self, edges: Edges, times: Times, reach: Reach, budget: Budget) -> None:
        self.edges, self.times, self.reach, self.budget = edges, times, reach, budget


def _evaluate(jg: JourneyGraph, work: _Work, promise: Promise) -> tuple[PromiseResult, list[Finding]]:
    found = list(_wrong_channel(jg, promise))
    made, kept = promise.made_at, promise.kept_at
    ns, path = work.fastest(made, kept) or (None, ())
    if ns is None:  # no path at all (the fastest path may take any edge, with a share or not)
        found.insert(0, _never_kept(jg, promise))
        return _result(promise, found, 0.0, None, (), 0.0, OnTime(0.0, 0.0)), found
    # the touchpoints between made_at and kept_at: only when something is solved on them (a
    # timed promise asks for them itself, when the sum of independent parts cannot answer it)
    sub = None if work.reach.factorised else work.between(made, kept)
    reached = work.reach(made, kept, sub)
    timely = _timely(work, promise, reached, ns, sub)
    found[:0] = _late_or_missed(promise, reached, ns, path, timely)
    return _result(promise, found, timely.probability, ns / 1e9, path, reached, timely), found


def _late(promise: Promise, ns: int | None) -> bool:
    """Even the fastest path is later than ``within``, compared in whole nanoseconds."""
    return promise.within is not None and ns is not None and ns > nanoseconds(promise.within)


def _timely(work: _Work, promise: Promise, reached: float, ns: int | None,
            sub: dict[str, dict[str, float]] | None) -> OnTime:
    if promise.within is None:
        return OnTime(reached, 0.0)
    if ns is None or _late(promise, ns):
        work.budget.spend(0, 0.0)  # its part goes to the promises after it
        return OnTime(0.0, 0.0)
    made, kept = promise.made_at, promise.kept_at
    return on_time(work.edges, work.times, made, kept, nanoseconds(promise.within), reached,
                   work.budget, sub, ns, lambda: work.between(made, kept))


def _result(promise: Promise, found: list[Finding], probability: float, seconds: float | None,
            path: tuple[str, ...], reached: float, timely: OnTime) -> PromiseResult:
    rules = {f.rule for f in found}
    status = (PromiseStatus.BROKEN if rules & _BROKEN_RULES
              else PromiseStatus.AT_RISK if "JM203" in rules else PromiseStatus.KEPT)
    return PromiseResult(promise.id, status, min(max(probability, 0.0), 1.0), seconds, path,
                         tuple(f.message for f in found), min(reached, 1.0), timely.error,
                         promise.within)


def _never_kept(jg: JourneyGraph, promise: Promise) -> Finding:
    made, kept = promise.made_at, promise.kept_at
    if made == kept:
        why = f"it is kept where it is made, and no loop brings customers back to `{made}`"
    elif made in jg.reachable(kept):
        why = f"`{kept}` comes before `{made}`: it is kept before it is made"
    else:
        why = f"no path from `{made}` leads to `{kept}`"
    return finding("JM201", f"customers never get “{promise.name}”: {why}",
                   promise.key_spans.get("kept_at", promise.span), promise.id,
                   hint="name as `kept_at` the touchpoint, after `made_at`, where the customer "
                   "gets what was promised")


def _late_or_missed(promise: Promise, reached: float, ns: int | None,
                    path: tuple[str, ...], timely: OnTime) -> Iterator[Finding]:
    if ns is not None and _late(promise, ns):
        yield _always_late(promise, reached, ns / 1e9, path)
    elif timely.probability + timely.error < _SURE:
        yield _at_risk(promise, reached, timely)


def path_text(path: tuple[str, ...], ends: int = 5) -> str:
    """``a → b → c``; a long path shows its first and last ``ends`` steps and how many between
    (a 10,000-step path made a 79 KB hint)."""
    if len(path) <= 2 * ends + 2:
        return " → ".join(path)
    hidden = len(path) - 2 * ends
    return " → ".join((*path[:ends], f"… {hidden} more", *path[-ends:]))


def _always_late(promise: Promise, reached: float, seconds: float, path: tuple[str, ...]) -> Finding:
    assert promise.within is not None
    waited, promised = format_duration(seconds), format_duration(promise.within)
    if reached < _SURE:
        message = (f"{percent(1 - reached)} of customers never get “{promise.name}”, promised at "
                   f"`{promise.made_at}`; those who do wait {waited} or more, promised {promised}")
    else:
        message = (f"every customer waits {waited} or more for “{promise.name}”, promised at "
                   f"`{promise.made_at}` within {promised}")
    return finding("JM202", message, promise.key_spans.get("within", promise.span), promise.id,
                   hint=f"the fastest path is {path_text(path)}: shorten its waits, or promise "
                   "what that path can keep")


def _at_risk(promise: Promise, reached: float, timely: OnTime) -> Finding:
    missed, late = 1.0 - reached, max(reached - timely.probability, 0.0)
    where = f"“{promise.name}”, promised at `{promise.made_at}`"
    parts = []
    if missed > 1 - _SURE:
        parts.append(f"{percent(missed)} of customers never get {where}")
    if late > 1 - _SURE and promise.within is not None:
        limit = format_duration(promise.within)
        parts.append(f"a further {percent(late)} get it later than the {limit} promised" if parts
                     else f"{percent(late)} of customers get {where}, later than the {limit} promised")
    message = "; ".join(parts) or f"some customers never get {where} in time"
    if plus_minus(timely.error):
        message += f" ({plus_minus(timely.error).strip()})"
    return finding("JM203", message, promise.span, promise.id,
                   hint="follow the failures between `made_at` and `kept_at`: give their customers "
                   "a recovery that still keeps the promise, in time")


def _wrong_channel(jg: JourneyGraph, promise: Promise) -> Iterator[Finding]:
    kept = jg.tp(promise.kept_at)  # (as the model's index by id: the last of an id)
    if promise.channel is None or kept.channel is None or same_text(promise.channel, kept.channel):
        return
    yield finding("JM204", f"“{promise.name}” names the channel `{promise.channel}`, but "
                  f"`{kept.id}`, where it is kept, uses `{kept.channel}`",
                  promise.key_spans.get("channel", promise.span), promise.id,
                  hint=f"keep it on the channel the customer was promised: `channel: "
                  f"{promise.channel}` on `{kept.id}`")
