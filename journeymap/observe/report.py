"""The observe report: text for people, JSON for tools. Pure functions of a Comparison."""

from __future__ import annotations

from typing import Any

from journeymap.observe.compare import Comparison, Interval, MoveFigures, time_flag
from journeymap.observe.declared import START
from journeymap.report.json_stream import dumps
from journeymap.values import format_duration

FLAG = "!"


def pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _interval(i: Interval | None) -> str:
    return "—" if i is None else f"[{pct(i.low)}, {pct(i.high)}]"


def _dur(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return format_duration(seconds) if seconds >= 1 else f"{seconds:g}s"


def _name(tp_id: str) -> str:
    return "(start)" if tp_id == START else tp_id


def _move(m: MoveFigures) -> str:
    return f"{_name(m.source)} → {m.target}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def render_text(c: Comparison) -> str:
    o = c.observed
    conf = f"{c.confidence * 100:g}%"
    lines = [f"{c.file}: {c.title}",
             f"  log: {_n(len(o.files), 'file')}, {_n(o.cases, 'case')}, {_n(o.events, 'event')}, "
             f"engine {o.engine} (columns {o.columns['case']}, {o.columns['activity']}, "
             f"{o.columns['timestamp']})"]
    lines += _log_notes(c)
    if not o.cases:
        lines.append("  no event of the log matches a touchpoint (by id, name or observed_as): "
                     "check --activity-column, or add `observed_as:` names to the touchpoints")
    lines.append(f"  fitness: {pct(c.fitness)} of cases follow a path of the journey "
                 f"({o.cases - o.unfit_cases:,} of {o.cases:,})")
    total = max(o.cases, 1)
    lines.append("  endings: " + ", ".join(f"{k} {pct(v / total)} ({v:,})" for k, v in c.endings.items()))
    lines += ["", "Touchpoints: visits per case", f"  {'touchpoint':<36} {'declared':>9} {'observed':>9}"]
    lines += [f"  {_clip(t.id, 36):<36} {t.declared_traffic:>9.3f} {t.per_case:>9.3f}" for t in c.touchpoints]
    lines += ["", f"Shares: customers at a touchpoint who go next to another ({conf} Wilson interval)",
              f"  {'move':<52} {'declared':>8} {'observed':>8}  {'interval':<16} {'n':>10}"]
    for m in c.moves:
        if m.declared and m.declared_share is not None and m.observed is not None:
            mark = f"  {FLAG} declared outside the interval" if m.flagged else ""
            lines.append(f"  {_clip(_move(m), 52):<52} {pct(m.declared_share):>8} "
                         f"{pct(m.observed.share):>8}  {_interval(m.observed):<16} {m.observed.n:>10,}{mark}")
    lines += _deviations(c)
    lines += ["", "Time between steps (start to start)",
              f"  {'move':<52} {'declared':>9} {'median':>9} {'p90':>9}"]
    for m in c.moves:
        if m.source != START and m.median is not None:
            flag = time_flag(m) if m.declared else None
            mark = f"  {FLAG} {flag} than declared" if flag else ""
            lines.append(f"  {_clip(_move(m), 52):<52} {_dur(m.declared_seconds):>9} "
                         f"{_dur(m.median):>9} {_dur(m.p90):>9}{mark}")
    lines += _promises(c, conf)
    lines += ["", f"Top variants ({o.variant_count:,} distinct)"]
    lines += [f"  {pct(n / total):>6} {n:>10,}  " + " → ".join(v) for v, n in o.variants]
    return "\n".join(lines) + "\n"


def _log_notes(c: Comparison) -> list[str]:
    o = c.observed
    notes = []
    for reason, n in o.skipped.items():
        example = f", e.g. `{o.example_bad_time}`" if reason == "unparseable timestamp" and o.example_bad_time else ""
        notes.append(f"  skipped: {_n(n, 'row')} with {reason}{example}")
    if o.duplicates:
        notes.append(f"  duplicates: {_n(o.duplicates, 'repeated event')} (same case, touchpoint and "
                     "time) counted once")
    if o.unmapped_events:
        shown = ", ".join(f"“{_clip(a, 40)}” {n:,}" for a, n in o.unmapped[:8])
        more = f", and {o.unmapped_activities - 8:,} more" if o.unmapped_activities > 8 else ""
        kinds = "activity that matches" if o.unmapped_activities == 1 else "activities that match"
        notes.append(f"  unmapped: {_n(o.unmapped_events, 'event')} of {o.unmapped_activities:,} "
                     f"{kinds} no touchpoint (by id, name or observed_as): {shown}{more}")
    return notes


def _deviations(c: Comparison) -> list[str]:
    lines = []
    if c.undeclared:
        lines += ["", "Moves customers made that the journey does not declare"]
        for m in sorted(c.undeclared, key=lambda m: -(m.cases or 0)):
            share = (m.cases or 0) / max(c.observed.cases, 1)
            lines.append(f"  {FLAG} {_move(m)}: {m.observed.x if m.observed else 0:,} times, by "
                         f"{m.cases:,} cases ({pct(share)} of cases)")
    if c.never_taken:
        lines += ["", "Declared moves nobody made"]
        for m in c.never_taken:
            at = m.observed.n if m.observed else 0
            lines.append(f"  {_move(m)}: declared {pct(m.declared_share) if m.declared_share else 'without a share'}"
                         f", 0 of {at:,} customers at {m.source}")
    return lines


def _promises(c: Comparison, conf: str) -> list[str]:
    if not c.promises:
        return []
    lines = ["", f"Promises: kept in time ({conf} Wilson interval)",
             f"  {'promise':<40} {'declared':>8} {'observed':>8}  {'interval':<16} {'cases':>10}"]
    for p in c.promises:
        mark = (f"  {FLAG} kept less often than declared" if p.below
                else f"  {FLAG} declared outside the interval" if p.flagged else "")
        declared = pct(p.declared) + (f"±{p.error * 100:.1f}" if p.error else "")
        lines.append(f"  {_clip(p.id, 40):<40} {declared:>8} {pct(p.observed.share):>8}  "
                     f"{_interval(p.observed):<16} {p.made:>10,}{mark}")
        if p.within is not None and p.median is not None:
            lines.append(f"    within {_dur(p.within)}: median {_dur(p.median)}; "
                         f"{p.kept:,} of {p.made:,} cases got it at all")
    return lines


def as_dict(c: Comparison) -> dict[str, Any]:
    o = c.observed

    def interval(i: Interval | None) -> Any:
        return None if i is None else {"x": i.x, "n": i.n, "share": i.share, "low": i.low, "high": i.high}

    return {
        "file": c.file, "id": c.journey_id, "confidence": c.confidence,
        "log": {"engine": o.engine, "files": list(o.files), "columns": o.columns, "rows": o.rows,
                "skipped": o.skipped, "cases": o.cases, "events": o.events, "duplicates": o.duplicates,
                "unmapped": [{"activity": a, "events": n} for a, n in o.unmapped],
                "unmapped_events": o.unmapped_events, "unmapped_activities": o.unmapped_activities},
        "fitness": c.fitness, "endings": c.endings,
        "touchpoints": [{"id": t.id, "declared_traffic": t.declared_traffic, "visits": t.visits,
                         "visits_per_case": t.per_case} for t in c.touchpoints],
        "moves": [{"from": m.source or None, "to": m.target, "declared": m.declared,
                   "declared_share": m.declared_share, "via": list(m.via), "failures": list(m.failures),
                   "observed": interval(m.observed), "flagged": m.flagged,
                   "declared_seconds": m.declared_seconds, "median_seconds": m.median,
                   "p90_seconds": m.p90, "time_flag": time_flag(m) if m.declared else None,
                   "cases": m.cases} for m in c.moves],
        "promises": [{"id": p.id, "made_at": p.made_at, "kept_at": p.kept_at,
                      "within_seconds": p.within, "declared": p.declared, "error": p.error,
                      "made": p.made, "kept": p.kept, "observed": interval(p.observed),
                      "median_seconds": p.median, "flagged": p.flagged, "below": p.below}
                     for p in c.promises],
        "variants": {"distinct": o.variant_count,
                     "top": [{"cases": n, "path": list(v)} for v, n in o.variants]},
    }


def render_json(comparisons: list[Comparison], pretty: bool = False) -> str:
    return dumps({"journeys": [as_dict(c) for c in comparisons]}, pretty)
