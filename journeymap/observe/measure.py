"""Run the observe queries on one log: the observed counts and times, in touchpoint ids.

Nothing here knows what the journey declares beyond its ids, positions, declared moves and
promises (which the queries need); :mod:`journeymap.observe.compare` sets the figures side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.model import Journey
from journeymap.observe import quantiles, queries
from journeymap.observe.declared import START, Declared
from journeymap.observe.engines import Engine, check_types
from journeymap.observe.logs import LogError, LogFiles, choose_columns

TOP_UNMAPPED = 20


@dataclass(frozen=True)
class Move:
    count: int
    median: float | None  # seconds between the two events
    p90: float | None


@dataclass(frozen=True)
class PromiseCount:
    made: int  # cases that reached made_at
    kept: int  # … and reached kept_at after it
    in_time: int  # … within the promised time
    median: float | None  # seconds from the end of made_at to kept_at, over the cases kept


@dataclass(frozen=True)
class Observed:
    engine: str
    files: tuple[str, ...]
    columns: dict[str, str]
    rows: int  # rows read
    skipped: dict[str, int]  # rows left out, by reason
    example_bad_time: str | None
    cases: int
    events: int  # mapped events, duplicates counted once
    duplicates: int
    unmapped: tuple[tuple[str, int], ...]  # the most frequent unmapped activities and their events
    unmapped_events: int
    unmapped_activities: int
    visits: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)
    moves: dict[tuple[str, str], Move] = field(default_factory=dict)
    undeclared_cases: dict[tuple[str, str], int] = field(default_factory=dict)
    unfit_cases: int = 0
    variants: tuple[tuple[tuple[str, ...], int], ...] = ()
    variant_count: int = 0
    promises: dict[str, PromiseCount] = field(default_factory=dict)
    period: tuple[int, int] | None = None  # the first and last mapped event, µs since 1970 (UTC)


def activity_map(journey: Journey, activities: list[str]) -> dict[str, str]:
    """Activity → touchpoint id: by id, then by an `observed_as` name, then by name (both of these
    ignoring case and surrounding spaces). Activities that match nothing are left out."""
    by_id = {tp.id: tp.id for tp in journey.touchpoints}
    by_alias: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for tp in journey.touchpoints:
        for alias in tp.observed_as:
            by_alias.setdefault(_key(alias), tp.id)
        by_name.setdefault(_key(tp.name), tp.id)
    found = {}
    for activity in activities:
        tp_id = by_id.get(activity) or by_alias.get(_key(activity)) or by_name.get(_key(activity))
        if tp_id:
            found[activity] = tp_id
    return found


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def measure(decl: Declared, engine: Engine, log: LogFiles, given: dict[str, str | None],
            top_variants: int = 10) -> Observed:
    """Load ``log`` into ``engine`` and run every query (LogError for a log that cannot be used)."""
    found = engine.columns(log)
    types = dict(found)
    columns = choose_columns([name for name, _ in found], given)
    check_types(types, columns)
    engine.events(columns["case"], columns["activity"], columns["timestamp"], types)
    raw = _raw(engine, columns)
    pos = {tp_id: i for i, tp_id in enumerate(decl.ids)}
    activities = engine.rows(queries.ACTIVITIES)
    mapping = activity_map(decl.journey, [a for a, _ in activities])
    _register(engine, decl, mapping, pos)
    m = queries.trace_base(len(decl.ids))
    t0 = _origin(raw, m)
    engine.materialize("cases", queries.cases(engine.lambdas, t0, m))
    ((cases, events, duplicates, first, last),) = engine.rows(queries.FIGURES)
    engine.view("steps", queries.steps(m))
    ident = dict(enumerate(decl.ids)) | {-1: START}
    counts = _counts(_moves(engine), ident)
    engine.materialize("variants", queries.VARIANTS)
    engine.materialize("undeclared", queries.VARIANT_UNDECLARED)
    variants = engine.rows(queries.top_variants(top_variants))
    unmapped = [(a, int(n)) for a, n in activities if a not in mapping]
    made_kept = [(pos[p.made_at], pos[p.kept_at]) for p in decl.promises]
    return Observed(
        engine.name, log.files, columns, raw["rows"], raw["skipped"], raw["example"],
        int(cases or 0), int(events or 0), int(duplicates or 0), tuple(unmapped[:TOP_UNMAPPED]),
        sum(n for _, n in unmapped), len(unmapped),
        visits=counts.visits, ends=counts.ends, moves=counts.moves,
        undeclared_cases={(ident[a], ident[b]): int(n) for a, b, n in engine.rows(queries.UNDECLARED)},
        unfit_cases=int(engine.rows(queries.UNFIT)[0][0] or 0),
        variants=tuple((tuple(ident[int(p)] for p in path), int(n)) for path, n, _, _ in variants),
        variant_count=int(variants[0][3]) if variants else 0,
        promises={decl.promises[i].id: PromiseCount(int(made), int(k), int(t or 0), _seconds(med))
                  for i, made, k, t, med in _promises(engine, made_kept, m)},
        period=None if first is None else (t0 + int(first) // m, t0 + int(last) // m),
    )


def _origin(raw: dict, m: int) -> int:
    """The traces count time from the log's first event; their integers ``(t - t0) · m + pos``
    must fit in 64 bits (for a journey of 16 touchpoints, events up to 18,000 years apart)."""
    t0, t1 = raw["span"]
    if (t1 - t0 + 1) * m >= 2**63:
        years = 2**63 // m // 31_557_600_000_000
        raise LogError(f"the log's events are more than {years:,} years apart (from "
                       f"{_date(t0)} to {_date(t1)}): is a timestamp mistyped?")
    return t0


def _date(us: int) -> str:
    from datetime import datetime, timedelta, timezone

    try:
        return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=us)).date().isoformat()
    except OverflowError:  # beyond the year 9999
        return f"{us:,} µs after 1970"


@dataclass
class _Counts:
    """The figures that add up from the moves (:func:`_moves`)."""

    visits: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)
    moves: dict[tuple[str, str], Move] = field(default_factory=dict)


def _moves(engine: Engine) -> list[tuple]:
    """(prev, pos, moves, ends, median, p90) of every move, times in µs: counted from the
    histogram of its times, the two quantiles interpolated from the times at their ranks."""
    engine.materialize("move_times", queries.MOVE_TIMES)
    moves = engine.rows(queries.MOVES)
    engine.table("ranks", [("prev", "BIGINT"), ("pos", "BIGINT"), ("k", "BIGINT")],
                 quantiles.wanted([((int(prev), int(pos)), timed) for prev, pos, _, _, timed in moves if timed]))
    at: dict[tuple[int, int], dict[int, float]] = {}
    for prev, pos, k, d in engine.rows(queries.MOVE_RANKS):
        at.setdefault((int(prev), int(pos)), {})[int(k)] = d
    return [(prev, pos, n, ends, *(quantiles.quantile(at[(int(prev), int(pos))], int(timed), q)
                                   if timed else None for q in quantiles.QUANTILES))
            for prev, pos, n, ends, timed in moves]


def _promises(engine: Engine, made_kept: list[tuple[int, int]], m: int) -> list[tuple]:
    """(promise, made, kept, in time, median µs from made to kept) of every promise some case
    reached, the median as :func:`_moves` finds them."""
    if not made_kept:
        return []
    engine.materialize("promise_times", queries.promise_times(made_kept, m))
    found = engine.rows(queries.PROMISES)
    engine.table("promise_ranks", [("pid", "BIGINT"), ("k", "BIGINT")],
                 quantiles.wanted([((int(i),), kept) for i, _, kept, _ in found if kept], (0.5,)))
    at: dict[int, dict[int, float]] = {}
    for i, k, d in engine.rows(queries.PROMISE_RANKS):
        at.setdefault(int(i), {})[int(k)] = d
    return [(int(i), made, kept, t, quantiles.quantile(at[int(i)], int(kept), 0.5) if kept else None)
            for i, made, kept, t in found]


def _counts(rows: list[tuple], ident: dict[int, str]) -> _Counts:
    c = _Counts()
    visits: dict[int, int] = {}
    ends: dict[int, int] = {}
    for prev, pos, moves, last, median, p90 in rows:
        visits[pos] = visits.get(pos, 0) + int(moves)
        if last:
            ends[pos] = ends.get(pos, 0) + int(last)
        c.moves[(ident[prev], ident[pos])] = Move(int(moves), _seconds(median), _seconds(p90))
    c.visits = {ident[p]: n for p, n in sorted(visits.items())}
    c.ends = {ident[p]: n for p, n in sorted(ends.items())}
    return c


def _raw(engine: Engine, columns: dict[str, str]) -> dict:
    ((rows, unparsed, no_time, no_case, example, t0, t1),) = engine.rows(queries.RAW)
    rows, unparsed, no_time, no_case = (int(x or 0) for x in (rows, unparsed, no_time, no_case))
    if rows == 0:
        raise LogError("the event log holds no events (no rows after the header)")
    if unparsed + no_time == rows:
        shown = f" (e.g. `{_clip(example)}`)" if example is not None else ""
        raise LogError(f"no value of the timestamp column `{columns['timestamp']}` is a timestamp"
                       f"{shown}: write ISO 8601 like 2025-03-01T09:30:00Z or 2025-03-01 09:30:00, "
                       "or name another column with --timestamp-column")
    skipped = {"unparseable timestamp": unparsed, "no timestamp": no_time,
               "no case or activity": no_case}
    return {"rows": rows, "skipped": {k: v for k, v in skipped.items() if v},
            "example": None if example is None else _clip(example), "span": (int(t0), int(t1))}


def _register(engine: Engine, decl: Declared, mapping: dict[str, str], pos: dict[str, int]) -> None:
    engine.table("amap", [("activity", "VARCHAR"), ("pos", "INTEGER")],
                 [(a, pos[tp]) for a, tp in mapping.items()])
    engine.table("dedges", [("src", "INTEGER"), ("dst", "INTEGER")],
                 [(pos.get(e.source, -1), pos[e.target]) for e in decl.edges.values()])
    engine.table("prom", [("pid", "INTEGER"), ("within_us", "BIGINT"), ("made_us", "BIGINT")],
                 [(i, None if p.within is None else round(p.within * 1e6), round(p.made_duration * 1e6))
                  for i, p in enumerate(decl.promises)])


def _seconds(us: float | None) -> float | None:
    return None if us is None else float(us) / 1e6


def _clip(text: object, width: int = 60) -> str:
    shown = str(text).replace("\n", " ")
    return shown if len(shown) <= width else shown[: width - 1] + "…"
