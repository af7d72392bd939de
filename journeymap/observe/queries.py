"""The one definition of the observe queries, in SQL that DuckDB and Spark both run.

The engine loads the log into ``ev(case_id, activity, t)`` (``t`` in microseconds since 1970,
UTC) and registers the small tables that describe the journey:

* ``amap(activity, pos)``: which activities stand for which touchpoint (its position in the file);
* ``dedges(src, dst)``: the declared moves, ``src = -1`` for the start of a case;
* ``prom(pid, made, kept, within_us, made_us)``: the promises (``within_us`` NULL: no limit).

``STEPS`` orders each case's mapped events (ties in time by the touchpoint's position) and puts the
previous step beside each one, the directly-follows relation (``lag() OVER (PARTITION BY case
ORDER BY time)``); the others aggregate it. A repeated event (same case, touchpoint and time)
sorts right after its first copy and is marked ``dup``: every figure but the endings leaves it out.

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

STEPS = """
SELECT case_id, pos, t, k, last,
       coalesce(prev, -1) AS prev, prev_t,
       coalesce(prev = pos AND prev_t = t, false) AS dup
FROM (SELECT e.case_id, m.pos, e.t,
             lag(m.pos) OVER w AS prev, lag(e.t) OVER w AS prev_t,
             row_number() OVER w AS k,
             lead(m.pos) OVER w IS NULL AS last
      FROM ev e JOIN amap m ON e.activity = m.activity
      WINDOW w AS (PARTITION BY e.case_id ORDER BY e.t, m.pos)) d
"""

FIGURES = """
SELECT sum(CASE WHEN k = 1 THEN 1 ELSE 0 END) AS cases,
       sum(CASE WHEN dup THEN 0 ELSE 1 END) AS events,
       sum(CASE WHEN dup THEN 1 ELSE 0 END) AS duplicates,
       min(t) AS first_t, max(t) AS last_t
FROM steps
"""

VISITS = "SELECT pos, count(*) AS visits FROM steps WHERE NOT dup GROUP BY pos ORDER BY pos"

ENDS = "SELECT pos, count(*) AS cases FROM steps WHERE last GROUP BY pos ORDER BY pos"

MOVES = """
SELECT prev, pos, count(*) AS moves,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(t - prev_t AS DOUBLE)) AS median_us,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY CAST(t - prev_t AS DOUBLE)) AS p90_us
FROM steps WHERE NOT dup GROUP BY prev, pos ORDER BY prev, pos
"""

UNDECLARED = """
SELECT s.prev, s.pos, count(DISTINCT s.case_id) AS cases
FROM steps s LEFT JOIN dedges d ON s.prev = d.src AND s.pos = d.dst
WHERE d.src IS NULL AND NOT s.dup GROUP BY s.prev, s.pos ORDER BY s.prev, s.pos
"""

UNFIT = """
SELECT count(DISTINCT s.case_id) AS cases
FROM steps s LEFT JOIN dedges d ON s.prev = d.src AND s.pos = d.dst
WHERE d.src IS NULL AND NOT s.dup
"""

VARIANTS = """
SELECT n, h1, h2, count(*) AS cases, min(case_id) AS example, count(*) OVER () AS variants
FROM (SELECT case_id, count(*) AS n,
             sum(((CAST(k AS BIGINT) % 32749) * 65536 + pos % 65536) * 2147483647 % 4294967291) AS h1,
             sum(((CAST(k AS BIGINT) % 32719) * 65536 + pos % 65536) * 2147483629 % 4294967279) AS h2
      FROM {events} GROUP BY case_id) x
GROUP BY n, h1, h2 ORDER BY cases DESC, example LIMIT {limit}
"""

# the events of each case numbered again without their repeats (only needed when there are some)
RENUMBERED = """(SELECT case_id, pos, row_number() OVER (PARTITION BY case_id ORDER BY k) AS k
 FROM steps WHERE NOT dup) s"""

PATHS = """
SELECT s.case_id, s.pos FROM steps s JOIN examples x ON s.case_id = x.case_id
WHERE NOT s.dup ORDER BY s.case_id, s.k
"""

PROMISES = """
WITH made AS (
  SELECT s.case_id, p.pid, min(s.k) AS mk, min(s.t) AS mt
  FROM steps s JOIN prom p ON s.pos = p.made GROUP BY s.case_id, p.pid
), kept_rows AS (
  SELECT s.case_id, p.pid, s.k, s.t FROM steps s JOIN prom p ON s.pos = p.kept
), kept AS (
  SELECT m.pid, m.mt, min(r.t) AS kt
  FROM made m LEFT JOIN kept_rows r ON r.case_id = m.case_id AND r.pid = m.pid AND r.k > m.mk
  GROUP BY m.case_id, m.pid, m.mt
)
SELECT k.pid, count(*) AS made, count(k.kt) AS kept,
       sum(CASE WHEN k.kt IS NOT NULL
                 AND (p.within_us IS NULL OR k.kt - k.mt - p.made_us <= p.within_us + 1000)
                THEN 1 ELSE 0 END) AS in_time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(k.kt - k.mt - p.made_us AS DOUBLE)) AS median_us
FROM kept k JOIN prom p ON k.pid = p.pid
GROUP BY k.pid ORDER BY k.pid
"""


def variants(limit: int, duplicates: bool) -> str:
    events = RENUMBERED if duplicates else "steps"
    return VARIANTS.format(events=events, limit=int(limit))
