"""The one definition of the observe queries, in SQL that DuckDB and Spark both run.

The engine loads the log into ``ev(case_id, activity, t)`` (``t`` in microseconds since 1970,
UTC) and registers the small tables that describe the journey:

* ``amap(activity, pos)``: which activities stand for which touchpoint (its position in the file);
* ``dedges(src, dst)``: the declared moves, ``src = -1`` for the start of a case;
* ``prom(pid, made, kept, within_us, made_us)``: the promises (``within_us`` NULL: no limit).

``STEPS`` orders each case's mapped events (ties in time by the touchpoint's position) and puts the
previous step beside each one, the directly-follows relation (``lag() OVER (PARTITION BY case
ORDER BY time)``); the others aggregate it. The only spelling the engines do not share is an
ordered string aggregate, filled in from :data:`ORDERED_LIST`.
"""

from __future__ import annotations

ORDERED_LIST = {
    "duckdb": "string_agg(CAST(pos AS STRING), ',' ORDER BY k)",
    "spark": "listagg(CAST(pos AS STRING), ',') WITHIN GROUP (ORDER BY k)",
}

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
SELECT case_id, pos, t, copies,
       coalesce(lag(pos) OVER w, -1) AS prev,
       lag(t) OVER w AS prev_t,
       row_number() OVER w AS k,
       lead(pos) OVER w IS NULL AS last
FROM (SELECT e.case_id, m.pos, e.t, count(*) AS copies
      FROM ev e JOIN amap m ON e.activity = m.activity
      GROUP BY e.case_id, m.pos, e.t) d
WINDOW w AS (PARTITION BY case_id ORDER BY t, pos)
"""

FIGURES = """
SELECT sum(CASE WHEN k = 1 THEN 1 ELSE 0 END) AS cases, count(*) AS events,
       sum(copies) - count(*) AS duplicates
FROM steps
"""

VISITS = "SELECT pos, count(*) AS visits FROM steps GROUP BY pos ORDER BY pos"

ENDS = "SELECT pos, count(*) AS cases FROM steps WHERE last GROUP BY pos ORDER BY pos"

MOVES = """
SELECT prev, pos, count(*) AS moves,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(t - prev_t AS DOUBLE)) AS median_us,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY CAST(t - prev_t AS DOUBLE)) AS p90_us
FROM steps GROUP BY prev, pos ORDER BY prev, pos
"""

UNDECLARED = """
SELECT s.prev, s.pos, count(DISTINCT s.case_id) AS cases
FROM steps s LEFT JOIN dedges d ON s.prev = d.src AND s.pos = d.dst
WHERE d.src IS NULL GROUP BY s.prev, s.pos ORDER BY s.prev, s.pos
"""

UNFIT = """
SELECT count(DISTINCT s.case_id) AS cases
FROM steps s LEFT JOIN dedges d ON s.prev = d.src AND s.pos = d.dst
WHERE d.src IS NULL
"""

VARIANTS = """
SELECT v, count(*) AS cases, count(*) OVER () AS variants
FROM (SELECT {ordered_list} AS v FROM steps GROUP BY case_id) x
GROUP BY v ORDER BY cases DESC, v LIMIT {limit}
"""

PROMISES = """
WITH made AS (
  SELECT s.case_id, p.pid, min(s.k) AS mk, min(s.t) AS mt
  FROM steps s JOIN prom p ON s.pos = p.made GROUP BY s.case_id, p.pid
), kept AS (
  SELECT m.pid, m.mt, min(s.t) AS kt
  FROM made m JOIN prom p ON m.pid = p.pid
       LEFT JOIN steps s ON s.case_id = m.case_id AND s.pos = p.kept AND s.k > m.mk
  GROUP BY m.case_id, m.pid, m.mt
)
SELECT k.pid, count(*) AS made, count(k.kt) AS kept,
       sum(CASE WHEN k.kt IS NOT NULL
                 AND (p.within_us IS NULL OR k.kt - k.mt - p.made_us <= p.within_us)
                THEN 1 ELSE 0 END) AS in_time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(k.kt - k.mt - p.made_us AS DOUBLE)) AS median_us
FROM kept k JOIN prom p ON k.pid = p.pid
GROUP BY k.pid ORDER BY k.pid
"""


def variants(engine: str, limit: int) -> str:
    return VARIANTS.format(ordered_list=ORDERED_LIST[engine], limit=int(limit))
