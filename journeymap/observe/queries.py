"""The one definition of the observe queries, in SQL that DuckDB and Spark both run.

The engine loads the log into ``ev(case_id, activity, t)`` (``t`` in microseconds since 1970,
UTC) and registers the small tables that describe the journey:

* ``amap(activity, pos)``: which activities stand for which touchpoint (its position in the file);
* ``dedges(src, dst)``: the declared moves, ``src = -1`` for the start of a case;
* ``prom(pid, within_us, made_us)``: the promises (``within_us`` NULL: no limit); which
  touchpoints make and keep them is written into the query text (:func:`steps`, :func:`cases`).

``steps`` orders each case's mapped events (ties in time by the touchpoint's position) and puts the
previous step beside each one, the directly-follows relation (``lag() OVER (PARTITION BY case
ORDER BY time)``): the one sort of the log. Two queries read it, each once: :data:`MOVES` (every
count and time by move, from which visits, endings, cases and events add up) and :func:`cases`
(one row per case: its variant, whether it fits, when each promise was made and kept), which the
variants, fitness and promise figures then read. A repeated event (same case, touchpoint and
time) sorts right after its first copy and is marked ``dup``: every figure but the endings leaves
it out.

Variants are grouped without building strings: each event adds two pseudo-random numbers of its
place in the case and its touchpoint (plain integer arithmetic, so both engines compute the same
ones), and cases with the same number of events and the same two sums follow the same path (two
different paths agree on both 32-bit sums by chance about once in 10¹⁹). Only the top variants'
paths are then read back, from one example case each. A promise is in time when it is kept
within its limit to the millisecond (``+ 1000`` µs): logs rarely hold finer times than that.
"""

from __future__ import annotations

# rows in the log, rows without a usable timestamp (given but unparseable / missing), rows
# without a case or an activity
RAW = """
SELECT count(*) AS rows_read,
       sum(CASE WHEN t IS NULL AND raw_ts IS NOT NULL THEN 1 ELSE 0 END) AS unparsed,
       sum(CASE WHEN raw_ts IS NULL THEN 1 ELSE 0 END) AS no_time,
       sum(CASE WHEN case_id IS NULL OR activity IS NULL THEN 1 ELSE 0 END) AS no_case,
       min(CASE WHEN t IS NULL THEN raw_ts END) AS bad_example
FROM ev_raw
"""

ACTIVITIES = "SELECT activity, count(*) AS events FROM ev GROUP BY activity ORDER BY events DESC, activity"

def steps(promises: list[tuple[int, int]]) -> str:
    """Each case's mapped events in order, the previous step beside each (``prev``, and ``d``: the
    time since it, NULL for a repeat), ``u`` when that move is not declared (and not a repeat), and
    per promise ``(made, kept)`` a flag ``a{i}`` on the kept events that come after a made one."""
    flags = "".join(
        f",\n             m.pos = {kept} AND max(CASE WHEN m.pos = {made} THEN 1 ELSE 0 END) OVER ("
        f"PARTITION BY e.case_id ORDER BY e.t, m.pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
        f") = 1 AS a{i}" for i, (made, kept) in enumerate(promises))
    marks = "".join(f", coalesce(a{i}, false) AS a{i}" for i in range(len(promises)))
    return STEPS.format(flags=flags, marks=marks)


STEPS = """
SELECT s.*, (NOT s.dup AND g.src IS NULL) AS u
FROM (SELECT case_id, pos, t, k, last, coalesce(prev, -1) AS prev,
             CASE WHEN prev = pos AND prev_t = t THEN NULL ELSE t - prev_t END AS d,
             coalesce(prev = pos AND prev_t = t, false) AS dup{marks}
      FROM (SELECT e.case_id, m.pos, e.t,
                   lag(m.pos) OVER w AS prev, lag(e.t) OVER w AS prev_t,
                   row_number() OVER w AS k,
                   lead(m.pos) OVER w IS NULL AS last{flags}
            FROM ev e JOIN amap m ON e.activity = m.activity
            WINDOW w AS (PARTITION BY e.case_id ORDER BY e.t, m.pos)) x) s
LEFT JOIN dedges g ON s.prev = g.src AND s.pos = g.dst
"""

# every count of the steps at once, by move: visits and endings add up by touchpoint, cases are
# the moves from the start; the times leave the repeats out (their ``d`` is NULL)
MOVES = """
SELECT prev, pos,
       sum(CASE WHEN dup THEN 0 ELSE 1 END) AS moves,
       sum(CASE WHEN dup THEN 1 ELSE 0 END) AS duplicates,
       sum(CASE WHEN last THEN 1 ELSE 0 END) AS ends,
       min(t) AS first_t, max(t) AS last_t,
       count(DISTINCT CASE WHEN u THEN case_id END) AS undeclared_cases,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(d AS DOUBLE)) AS median_us,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY CAST(d AS DOUBLE)) AS p90_us
FROM steps GROUP BY prev, pos ORDER BY prev, pos
"""


def cases(promises: list[tuple[int, int]], duplicates: bool) -> str:
    """One row per case: its number of events, the two sums that tell its path (its variant),
    whether it took an undeclared move, and per promise when it was first made (``m{i}``) and
    first kept after that (``k{i}``)."""
    times = "".join(f", min(CASE WHEN pos = {made} THEN t END) AS m{i}, min(CASE WHEN a{i} THEN t END)"
                    f" AS k{i}" for i, (made, _) in enumerate(promises))
    return CASES.format(times=times, events=RENUMBERED if duplicates else "steps",
                        k="k2" if duplicates else "k")


CASES = """
SELECT case_id, sum(CASE WHEN dup THEN 0 ELSE 1 END) AS n,
       sum(CASE WHEN dup THEN 0 ELSE
           ((CAST({k} AS BIGINT) % 32749) * 65536 + pos % 65536) * 2147483647 % 4294967291 END) AS h1,
       sum(CASE WHEN dup THEN 0 ELSE
           ((CAST({k} AS BIGINT) % 32719) * 65536 + pos % 65536) * 2147483629 % 4294967279 END) AS h2,
       max(CASE WHEN u THEN 1 ELSE 0 END) AS unfit{times}
FROM {events} GROUP BY case_id
"""

# the events of each case numbered again without their repeats (only needed when there are some)
RENUMBERED = """(SELECT s.*, row_number() OVER (PARTITION BY case_id, dup ORDER BY k) AS k2
 FROM steps s) s"""

VARIANTS = """
SELECT n, h1, h2, count(*) AS cases, min(case_id) AS example, count(*) OVER () AS variants
FROM cases GROUP BY n, h1, h2 ORDER BY cases DESC, example LIMIT {limit}
"""

UNFIT = "SELECT sum(unfit) AS cases FROM cases"

# the events of the example cases, in order (straight from the log: only a few cases)
PATHS = """
SELECT e.case_id, m.pos, e.t FROM ev e JOIN amap m ON e.activity = m.activity
JOIN examples x ON e.case_id = x.case_id ORDER BY e.case_id, e.t, m.pos
"""

# one promise: the cases that reached made_at, those kept after it, those kept in time
PROMISE = """
SELECT p.pid, count(c.m{i}) AS made, count(c.k{i}) AS kept,
       sum(CASE WHEN c.k{i} IS NOT NULL
                 AND (p.within_us IS NULL OR c.k{i} - c.m{i} - p.made_us <= p.within_us + 1000)
                THEN 1 ELSE 0 END) AS in_time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(c.k{i} - c.m{i} - p.made_us AS DOUBLE)) AS median_us
FROM cases c CROSS JOIN prom p WHERE p.pid = {i} GROUP BY p.pid HAVING count(c.m{i}) > 0
"""


def variants(limit: int) -> str:
    return VARIANTS.format(limit=int(limit))


def promises(count: int) -> str:
    """The figures of every promise, one row each (none for a promise nobody reached)."""
    return "\nUNION ALL\n".join(PROMISE.format(i=i) for i in range(count)) + "\nORDER BY pid"
