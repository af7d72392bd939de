"""JM501–JM503: findings from a comparison of a journey with an event log (`check --observed`)."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Finding, finding
from journeymap.model import Journey, Span
from journeymap.observe.compare import Comparison, Interval, MoveFigures
from journeymap.observe.declared import START

DEFAULT_UNDECLARED_SHARE = 0.05


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _interval(i: Interval, confidence: float) -> str:
    return f"{confidence * 100:g}% interval {_pct(i.low)}–{_pct(i.high)}, {i.x:,} of {i.n:,}"


def observed_findings(journey: Journey, c: Comparison,
                      undeclared_share: float = DEFAULT_UNDECLARED_SHARE) -> list[Finding]:
    """Every JM501, JM502 and JM503 finding of one comparison."""
    return [*_shares(journey, c), *_undeclared(journey, c, undeclared_share), *_promises(journey, c)]


def _shares(journey: Journey, c: Comparison) -> Iterator[Finding]:
    for m in c.moves:
        if not (m.flagged and m.observed and m.declared_share is not None and _written(journey, m)):
            continue
        subject, span, what = _move_subject(journey, m)
        yield finding("JM501", f"{what}: declared {_pct(m.declared_share)}, observed "
                      f"{_pct(m.observed.share)} ({_interval(m.observed, c.confidence)} customers "
                      f"at `{m.source}`)", span, subject,
                      hint="set the share to what customers do (journeymap observe --calibrate "
                      "writes it), or find out why they differ")


def _written(journey: Journey, m: MoveFigures) -> bool:
    """True when the file writes this move's share (a failure's, or a `next` entry's): the rest
    of the customers, going on by default, follow from those and are not reported twice."""
    tp = journey.touchpoint(m.source)
    if any(f.id in m.failures and f.share is not None for f in tp.failures):
        return True
    return any(s.to == m.target and s.share is not None for s in tp.next or ())


def _move_subject(journey: Journey, m: MoveFigures) -> tuple[str, Span, str]:
    tp = journey.touchpoint(m.source)
    if len(m.failures) == 1 and len(m.via) == 1:
        failure = next(f for f in tp.failures if f.id == m.failures[0])
        return failure.id, failure.span, f"“{failure.name}” at `{tp.id}` (to `{m.target}`)"
    step = next((s for s in tp.next or () if s.to == m.target), None)
    span = step.span if step else tp.key_spans.get("next", tp.span)
    return tp.id, span, f"the move `{tp.id}` → `{m.target}`"


def _undeclared(journey: Journey, c: Comparison, limit: float) -> Iterator[Finding]:
    cases = max(c.observed.cases, 1)
    for m in c.undeclared:
        share = (m.cases or 0) / cases
        if share <= limit:
            continue
        taken = f"{m.cases:,} cases ({_pct(share)} of {c.observed.cases:,})"
        if m.source == START:
            yield finding("JM502", f"{taken} start at `{m.target}`, not at the journey's first "
                          f"touchpoint `{journey.start.id}`", journey.touchpoint(m.target).span,
                          m.target, hint="declare how customers get there, or check the log's "
                          "activity mapping (observed_as)")
            continue
        loop = " (back to an earlier step)" if _before(journey, m.target, m.source) else ""
        yield finding("JM502", f"customers go from `{m.source}` straight to `{m.target}`{loop}, a "
                      f"move the journey does not declare: {taken}",
                      journey.touchpoint(m.source).span, m.source,
                      hint=f"declare it (`next` or a failure with `to: {m.target}`), or find out "
                      f"why customers take it; the limit is --undeclared-share {limit:g}")


def _before(journey: Journey, a: str, b: str) -> bool:
    ids = [tp.id for tp in journey.touchpoints]
    return ids.index(a) <= ids.index(b)


def _promises(journey: Journey, c: Comparison) -> Iterator[Finding]:
    for p in c.promises:
        if not p.below:
            continue
        promise = next(x for x in journey.promises if x.id == p.id)
        declared = _pct(p.declared) + (f" ± {_pct(p.error)}" if p.error else "")
        yield finding("JM503", f"“{p.name}” was kept in time for {_pct(p.observed.share)} of the "
                      f"customers it was made to ({_interval(p.observed, c.confidence)}), below "
                      f"the declared {declared}", promise.span, p.id,
                      hint=f"{p.made - p.kept:,} never reached `{p.kept_at}` and "
                      f"{p.kept - p.observed.x:,} reached it late: follow them in the log")
