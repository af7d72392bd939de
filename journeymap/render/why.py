"""Why a promise is broken or at risk, in a few words: for map labels, where a full sentence
(the finding's message) does not fit."""

from __future__ import annotations

from journeymap.analysis.results import PromiseResult, PromiseStatus
from journeymap.model import Journey, Promise
from journeymap.render.style import percent


def promise_why(journey: Journey, promise: Promise, result: PromiseResult) -> list[str]:
    """Word keys (``wrong channel``, ``too slow``, ``never reached``, ``late or missed``) with a
    share where one helps: what is wrong with the promise, empty when it is kept."""
    if result.status is PromiseStatus.KEPT:
        return []
    reasons = []
    kept = journey.by_id.get(promise.kept_at)
    if promise.channel and kept is not None and \
            (kept.channel or "").strip().casefold() != promise.channel.strip().casefold():
        reasons.append("wrong channel")
    if result.fastest_seconds is None:
        reasons.append("never reached")
    elif promise.within is not None and result.fastest_seconds > promise.within + 1e-6:
        reasons.append("too slow")
    if result.status is PromiseStatus.AT_RISK or not reasons:
        reasons.append("late or missed")
    return reasons


def missed_share(result: PromiseResult) -> str:
    """``30%``: the customers who miss the promise (late or never)."""
    return percent(max(0.0, 1.0 - result.probability))
