"""The HTML report's "Observed in the event log" section (``render --observed EVENTS``): tables of
observed beside declared figures, every text from the journey or the log escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from journeymap.observe.compare import Comparison, MoveFigures, time_flag
from journeymap.observe.declared import START
from journeymap.observe.words import duration, interval, note, pct
from journeymap.render.labels import html

FLAG = '<strong class="flag">!</strong>'


Table = Callable[[Iterable[str], list[list[str]], str], str]


def observed_section(c: Comparison, table: Table) -> str:
    """``table(head, rows, empty)`` is the report's own table builder."""
    names = {t.id: t.name for t in c.touchpoints}
    parts = [f"<p>{html(note(c))}. Shares have a {c.confidence * 100:g}% Wilson interval; "
             f"{FLAG} marks a declared figure outside it, or a time off its declared value.</p>",
             "<h3>Touchpoints</h3>",
             table(["Touchpoint", "Declared visits per case", "Observed visits per case", "Visits"],
                   [[html(t.name), f"{t.declared_traffic:.3f}", f"{t.per_case:.3f}", f"{t.visits:,}"]
                    for t in c.touchpoints], "No touchpoints."),
             "<h3>Flows and failures</h3>",
             table(["Move", "Declared share", "Observed share", "Interval", "Declared time",
                    "Median", "p90", ""],
                   [_move_row(m, names) for m in c.moves if m.declared and m.source != START],
                   "No declared moves."),
             "<h3>Moves the journey does not declare</h3>",
             table(["Move", "Cases", "Median"],
                   [[_move_name(m, names), f"{m.cases or 0:,}", duration(m.median)]
                    for m in c.undeclared], "Customers took only declared moves."),
             "<h3>Promises</h3>",
             table(["Promise", "Declared probability", "Observed kept in time", "Interval",
                    "Reached", ""],
                   [[html(p.name), pct(p.declared), pct(p.observed.share) if p.made else "—",
                     interval(p.observed) if p.made else "—", f"{p.made:,}",
                     FLAG if p.flagged or p.below else ""] for p in c.promises],
                   "This journey makes no promises.")]
    return "\n".join(parts)


def _move_name(m: MoveFigures, names: dict[str, str]) -> str:
    source = "(start)" if m.source == START else names.get(m.source, m.source)
    return f"{html(source)} → {html(names.get(m.target, m.target))}"


def _move_row(m: MoveFigures, names: dict[str, str]) -> list[str]:
    seen = m.observed
    failure = f" <small>({html(', '.join(m.failures))})</small>" if m.failures else ""
    flagged = m.flagged or time_flag(m) is not None
    return [_move_name(m, names) + failure,
            pct(m.declared_share) if m.declared_share is not None else "—",
            pct(seen.share) if seen else "—", interval(seen) if seen else "—",
            duration(m.declared_seconds), duration(m.median), duration(m.p90),
            FLAG if flagged else ""]
