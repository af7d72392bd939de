"""JM101–JM105: does every customer, whatever goes wrong, have a way back to a good outcome?"""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Finding, finding
from journeymap.graph import JourneyGraph, flow_targets
from journeymap.model import Journey, Touchpoint


def check_recovery(jg: JourneyGraph) -> Iterator[Finding]:
    """Findings JM101–JM105 for one journey, in file order."""
    journey = jg.journey
    yield from _no_failures(journey)
    for index, tp in enumerate(journey.touchpoints):
        yield from _failures_without_recovery(jg, tp)
        yield from _dead_end(jg, index, tp)
        if tp.id not in jg.reachable_from_start:
            yield finding("JM104", f"no customer ever reaches “{tp.name}”: no path from the start "
                          "leads here", tp.span, tp.id,
                          hint="add it to a `next` or a failure's `to`, or remove it")
    if jg.start not in jg.can_succeed:
        yield finding("JM105", f"no customer who starts at “{journey.start.name}” can reach a "
                      "success outcome", journey.start.span, None,
                      hint="mark the touchpoint where the customer gets what they came for with "
                      "`outcome: success`")


def _no_failures(journey: Journey) -> Iterator[Finding]:
    if not any(tp.failures for tp in journey.touchpoints):
        yield finding("JM102", f"“{journey.title}” declares no failures, so it designs no recovery: "
                      "this is a map of the happy path only", journey.span, None,
                      hint="add `failures:` where things go wrong, each with a `to:` recovery step")


def _failures_without_recovery(jg: JourneyGraph, tp: Touchpoint) -> Iterator[Finding]:
    for failure in tp.failures:
        who = f"customers for whom “{failure.name}” happens at “{tp.name}”"
        if failure.to is None:
            yield finding("JM101", f"{who} are stranded: the failure has no `to`", failure.span,
                          failure.id, hint="add `to: <touchpoint id>` naming the recovery step")
        elif failure.to in jg and failure.to not in jg.can_succeed:
            target = jg.tp(failure.to)
            yield finding("JM101", f"{who} go to “{target.name}”, but no path from there leads back "
                          "to a success outcome", failure.to_span or failure.span, failure.id,
                          hint=f"give `{failure.to}` (or a step after it) a way to `outcome: success`")


def _dead_end(jg: JourneyGraph, index: int, tp: Touchpoint) -> Iterator[Finding]:
    if jg.outcome(tp.id) is not None or flow_targets(jg.journey, index, tp):
        return
    span = tp.key_spans.get("next", tp.span)
    yield finding("JM103", f"customers who reach “{tp.name}” are stuck: it has no next step and no "
                  "outcome", span, tp.id,
                  hint="add `next: <touchpoint id>`, or `outcome: success` / `outcome: lost`")
