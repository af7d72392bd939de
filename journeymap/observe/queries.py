"""The one definition of the observe queries, in SQL that DuckDB and Spark both run.

The engine loads the log into ``ev(case_id, activity, t)`` (``t`` in microseconds since 1970,
UTC) and registers the small tables that describe the journey:

* ``amap(activity, pos)``: which activities stand for which touchpoint (its position in the file);
* ``dedges(src, dst)``: the declared moves, ``src = -1`` for the start of a case;
* ``prom(pid, within_us, made_us)``: the promises (``within_us`` NULL: no limit); which
  touchpoints make and keep them is written into the query text (:func:`promises`).

One scan of the log builds ``cases``: one row per case, its trace ``l``, the case's events as
sorted integers ``(t - t0) · M + pos`` (``t0`` the log's first time, ``M`` a power of two above
every position), so that sorting the integers orders the events by time, ties by touchpoint, and
a repeated event (same case, touchpoint and time) is the same integer, kept once. Grouping
by case is a hash aggregation, not a sort of the whole log, and each case's few events are
sorted on their own. From ``cases``: the variants (cases grouped by their list of positions
``p``, so the few distinct paths are what the fitness and the undeclared moves are read from),
every promise (positions in ``p``), and ``steps``, each event beside the previous one (a view
that unrolls each trace: ``explode(sequence(1, size(l)))``), for the moves, their times,
visits and endings.

The text is Spark SQL; DuckDB runs it as written with five small macros (``element_at``,
``size``, ``sequence``, ``explode``, ``slice``: engines.py). Only the two lambdas of
:data:`CASES` (repeats dropped, positions taken) are spelled by each engine. A promise is in time when it is kept within
its limit to the millisecond (``+ 1000`` µs): logs rarely hold finer times than that.
"""

from __future__ import annotations

# rows in the log, rows without a usable timestamp (given but unparseable / missing), rows
# without a case or an activity; the first and last time (the traces count from the first)
RAW = """
SELECT count(*) AS rows_read,
       sum(CASE WHEN t IS NULL AND raw_ts IS NOT NULL THEN 1 ELSE 0 END) AS unparsed,
       sum(CASE WHEN raw_ts IS NULL THEN 1 ELSE 0 END) AS no_time,
       sum(CASE WHEN case_id IS NULL OR activity IS NULL THEN 1 ELSE 0 END) AS no_case,
       min(CASE WHEN t IS NULL THEN raw_ts END) AS bad_example,
       min(t) AS t0, max(t) AS t1
FROM ev_raw
"""

ACTIVITIES = "SELECT activity, count(*) AS events FROM ev GROUP BY activity ORDER BY events DESC, activity"

# each case's trace, sorted, with a repeated event once ({once}: each integer unlike the one
# before it), and its positions p
CASES = """
SELECT case_id, rows_in, l, {positions} AS p
FROM (SELECT case_id, rows_in, {once} AS l
      FROM (SELECT e.case_id, count(*) AS rows_in, array_sort(array_agg((e.t - {t0}) * {m} + m.pos)) AS s
            FROM ev e JOIN amap m ON e.activity = m.activity GROUP BY e.case_id) a) c
"""

# cases, mapped events (repeats once), repeats, the first and last trace value
FIGURES = """
SELECT count(*) AS cases, sum(size(l)) AS events, sum(rows_in) - sum(size(l)) AS duplicates,
       min(element_at(l, 1)) AS first_x, max(element_at(l, size(l))) AS last_x
FROM cases
"""

STEPS = """
SELECT pos, coalesce(px % {m}, -1) AS prev, last,
       CAST(x - pos - (px - px % {m}) AS DOUBLE) / {m} AS d
FROM (SELECT x, px, x % {m} AS pos, last
      FROM (SELECT element_at(l, i) AS x, CASE WHEN i > 1 THEN element_at(l, i - 1) END AS px,
                   i = size(l) AS last
            FROM (SELECT l, explode(sequence(1, size(l))) AS i FROM cases) u) v) w
"""

# every count and time by move, as a histogram of each move's times: (move, time, how many, how
# many of them end their case). A hash aggregation, so it spills past the memory limit; an ordered
# aggregate such as percentile_cont holds every value of a group in memory at once, so its state
# grew with the log (10 M events did not fit in 128 MB). Visits and endings add up by touchpoint.
MOVE_TIMES = """
SELECT prev, pos, d, count(*) AS n, sum(CASE WHEN last THEN 1 ELSE 0 END) AS ends
FROM steps GROUP BY prev, pos, d
"""

MOVES = """
SELECT prev, pos, sum(n) AS moves, sum(ends) AS ends, sum(CASE WHEN d IS NOT NULL THEN n ELSE 0 END) AS timed
FROM move_times GROUP BY prev, pos ORDER BY prev, pos
"""

# the time at each rank (from 0, in order of time) that ranks(prev, pos, k) asks for: the row of
# the histogram whose run of equal times covers it (a case's first event has no time before it)
MOVE_RANKS = """
SELECT h.prev, h.pos, r.k, h.d
FROM (SELECT prev, pos, d, n,
             sum(n) OVER (PARTITION BY prev, pos ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto
      FROM move_times WHERE d IS NOT NULL) h
JOIN ranks r ON h.prev = r.prev AND h.pos = r.pos AND r.k >= h.upto - h.n AND r.k < h.upto
"""

VARIANTS = "SELECT p, count(*) AS cases, min(case_id) AS example FROM cases GROUP BY p"

TOP_VARIANTS = """
SELECT p, cases, example, count(*) OVER () AS variants FROM variants
ORDER BY cases DESC, example LIMIT {limit}
"""

# each variant's moves that the journey does not declare (once per variant: cases, not moves)
VARIANT_UNDECLARED = """
SELECT DISTINCT s.example, s.cases, s.prev, s.pos
FROM (SELECT example, cases, element_at(p, i) AS pos,
             CASE WHEN i > 1 THEN element_at(p, i - 1) ELSE -1 END AS prev
      FROM (SELECT example, cases, p, explode(sequence(1, size(p))) AS i FROM variants) u) s
LEFT JOIN dedges g ON s.prev = g.src AND s.pos = g.dst WHERE g.src IS NULL
"""

UNDECLARED = """
SELECT prev, pos, sum(cases) AS cases FROM undeclared GROUP BY prev, pos ORDER BY prev, pos
"""

UNFIT = "SELECT sum(cases) FROM (SELECT DISTINCT example, cases FROM undeclared) x"

# one promise: where its made_at first comes in each case (mi), and its kept_at first after that
# (ki places later); positions are INT, as Spark's element_at wants them, and kt is guarded by
# CASE: Spark 4.0's element_at(l, NULL) inside arithmetic gave a number, not NULL. Counted by the
# time from made to kept (d, NULL when not kept), as a histogram: the median comes from its ranks
PROMISE_TIMES = """
SELECT p.pid, CAST(c.kt - p.made_us AS DOUBLE) AS d, count(c.mi) AS made, count(c.kt) AS kept,
       sum(CASE WHEN c.kt IS NOT NULL
                 AND (p.within_us IS NULL OR c.kt - p.made_us <= p.within_us + 1000)
                THEN 1 ELSE 0 END) AS in_time
FROM (SELECT mi, CASE WHEN ki IS NOT NULL
                      THEN CAST(element_at(l, mi + ki) - {kept} - element_at(l, mi) + {made} AS DOUBLE) / {m}
                 END AS kt
      FROM (SELECT l, mi, CAST(nullif(array_position(slice(p, mi + 1, size(p)), {kept}), 0) AS INT) AS ki
            FROM (SELECT l, p, CAST(nullif(array_position(p, {made}), 0) AS INT) AS mi FROM cases) a) b) c
CROSS JOIN prom p WHERE p.pid = {i} GROUP BY p.pid, CAST(c.kt - p.made_us AS DOUBLE)
"""

# every promise that some case reached
PROMISES = """
SELECT pid, sum(made) AS made, sum(kept) AS kept, sum(in_time) AS in_time
FROM promise_times GROUP BY pid HAVING sum(made) > 0 ORDER BY pid
"""

# the time at each rank that promise_ranks(pid, k) asks for, as MOVE_RANKS
PROMISE_RANKS = """
SELECT h.pid, r.k, h.d
FROM (SELECT pid, d, kept,
             sum(kept) OVER (PARTITION BY pid ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto
      FROM promise_times WHERE d IS NOT NULL) h
JOIN promise_ranks r ON h.pid = r.pid AND r.k >= h.upto - h.kept AND r.k < h.upto
"""


def trace_base(positions: int) -> int:
    """``M``: the least power of two above every touchpoint position."""
    return 1 << max(0, positions - 1).bit_length()


def cases(lambdas: dict[str, str], t0: int, m: int) -> str:
    """``cases`` in an engine's spelling of the two lambdas (engines.py: ``lambdas``)."""
    return CASES.format(positions=lambdas["positions"].format(l="l", m=int(m)),
                        once=lambdas["once"].format(l="s"), t0=int(t0), m=int(m))


def steps(m: int) -> str:
    return STEPS.format(m=int(m))


def top_variants(limit: int) -> str:
    return TOP_VARIANTS.format(limit=int(limit))


def promise_times(made_kept: list[tuple[int, int]], m: int) -> str:
    """The histogram of every promise's times (:data:`PROMISE_TIMES`, one promise after another)."""
    return "\nUNION ALL\n".join(PROMISE_TIMES.format(i=i, made=made, kept=kept, m=int(m))
                                for i, (made, kept) in enumerate(made_kept))
