"""observe's benchmark: the whole command against a bare DuckDB scan and PM4Py's token replay.

    .venv/bin/python bench/observe.py                      1 M and 10 M events
    .venv/bin/python bench/observe.py --quick              100 k and 1 M events
    .venv/bin/python bench/observe.py --pm4py /tmp/pm4py-venv/bin/python

The logs are drawn by `journeymap simulate` from journeys/complaint-eight-weeks.yaml as Parquet.
Every command is a real process (bench/run.py's run_once: wall time, peak memory from wait4),
rounds interleaved, figures are medians:

* observe:  `journeymap observe JOURNEY events.parquet --format json`, every figure of the report
  (DuckDB's default limit, 500MB: it spills past it, so memory stays flat);
* observe-4GB: the same with --memory-limit 4GB (what more memory buys in time);
* bare:     a Python process that asks DuckDB for `SELECT activity, count(*) … GROUP BY activity`
            on the same file (the least any tool reading the log must do);
* read3:    the same kind of process reading the three columns observe needs and keeping nothing
            (`arbitrary(case_id), arbitrary(activity), max(timestamp)`: every value read; a
            min() of each would be answered from the Parquet statistics without reading);
* bycase:   the least grouping of events by case (count, first and last time per case), which
            every figure of observe needs in some form: the floor of any hash-grouping design;
* lag:      the same kind of process asking only for `lag(activity) OVER (PARTITION BY case_id
            ORDER BY timestamp)`: the directly-follows relation as a window sort of the whole log,
            which the first version of observe was built on (it now builds per-case traces);
* pm4py:    PM4Py's token-based replay of the same log (bench/pm4py_replay.py), in a Python given
            with --pm4py (PM4Py is never a journeymap dependency: install it in a throwaway venv).

Targets (issue 16): observe ≤ 3× the bare scan, ≥ 10× faster than PM4Py, memory flat in the log's
size. PM4Py runs only up to --pm4py-max-events (it holds the log in pandas).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import JM, PY, machine, measure  # noqa: E402

JOURNEY = HERE.parent / "journeys" / "complaint-eight-weeks.yaml"
BARE = ("import sys, duckdb; duckdb.sql(\"SELECT activity, count(*) FROM read_parquet('\" "
        "+ sys.argv[1] + \"') GROUP BY activity\").fetchall()")
# the floor: reading the three columns, and the least grouping by case (branch observe-floor)
READ3 = ("import sys, duckdb; duckdb.sql(\"SELECT arbitrary(case_id), arbitrary(activity), max(timestamp) \""
         "\"FROM read_parquet('\" + sys.argv[1] + \"')\").fetchall()")
BYCASE = ("import sys, duckdb; duckdb.execute('SET enable_progress_bar = false'); duckdb.sql("
          "\"SELECT count(*), sum(n) FROM (SELECT case_id, count(*) AS n, min(timestamp), max(timestamp) \""
          "\"FROM read_parquet('\" + sys.argv[1] + \"') GROUP BY case_id)\").fetchall()")
# the directly-follows relation alone, as a window sort of the whole log
LAG = ("import sys, duckdb; duckdb.execute('SET enable_progress_bar = false'); duckdb.sql("
       "\"SELECT count(p) FROM (SELECT lag(activity) OVER (PARTITION BY case_id ORDER BY timestamp) \""
       "\"AS p FROM read_parquet('\" + sys.argv[1] + \"'))\").fetchall()")


def events_per_case() -> float:
    from journeymap.check import validate_file
    from journeymap.observe.declared import declared

    journey = validate_file(str(JOURNEY)).journey
    assert journey is not None
    return sum(declared(journey).traffic.values())


def make_log(folder: Path, events: int) -> Path:
    path = folder / f"events-{events}.parquet"
    cases = max(1, round(events / events_per_case()))
    subprocess.run([*JM, "simulate", str(JOURNEY), "--cases", str(cases), "--seed", "1",
                    "-o", str(path)], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 k and 1 M events")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pm4py", metavar="PYTHON", help="a Python that has pm4py and pyarrow")
    parser.add_argument("--pm4py-max-events", type=int, default=1_000_000)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    sizes = [100_000, 1_000_000] if args.quick else [1_000_000, 10_000_000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jm-bench-observe-") as tmp:
        folder = Path(tmp)
        for size in sizes:
            log = make_log(folder, size)
            commands = {
                "observe": [*JM, "observe", str(JOURNEY), str(log), "--format", "json",
                            "-o", str(folder / "out.json")],
                "observe-4GB": [*JM, "observe", str(JOURNEY), str(log), "--format", "json",
                                "-o", str(folder / "out.json"), "--memory-limit", "4GB"],
                "bare": [PY, "-c", BARE, str(log)],
                "read3": [PY, "-c", READ3, str(log)],
                "bycase": [PY, "-c", BYCASE, str(log)],
                "lag": [PY, "-c", LAG, str(log)],
            }
            if args.pm4py and size <= args.pm4py_max_events:
                commands["pm4py"] = [args.pm4py, str(HERE / "pm4py_replay.py"), str(log)]
            m = measure(commands, folder, args.repeat, timeout=3600, slow=120)
            row = {"events": size, "file_mb": round(log.stat().st_size / 2**20, 1)}
            for name, result in m.items():
                row[name] = {"seconds": round(result.median, 3), "peak_mb": round(result.peak_mb),
                             "runs": len(result.seconds), "failed": result.failed}
            row["observe/bare"] = round(m["observe"].median / m["bare"].median, 1)
            row["observe-4GB/bare"] = round(m["observe-4GB"].median / m["bare"].median, 1)
            row["observe/lag"] = round(m["observe"].median / m["lag"].median, 1)
            row["read3/bare"] = round(m["read3"].median / m["bare"].median, 1)
            row["bycase/bare"] = round(m["bycase"].median / m["bare"].median, 1)
            if "pm4py" in m:
                row["pm4py/observe"] = round(m["pm4py"].median / m["observe"].median, 1)
            rows.append(row)
            log.unlink()
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "rows": rows}, indent=2) + "\n")


def print_table(rows: list[dict]) -> None:
    print(f"{'events':>11} {'observe s':>10} {'MB':>6} {'4GB s':>8} {'MB':>5} {'bare s':>7} "
          f"{'MB':>4} {'obs/bare':>9} {'4GB/bare':>9} {'pm4py s':>8} {'MB':>6} {'pm4py/obs':>10}")
    for r in rows:
        pm, lim = r.get("pm4py"), r["observe-4GB"]
        print(f"{r['events']:>11,} {r['observe']['seconds']:>10.2f} {r['observe']['peak_mb']:>6} "
              f"{lim['seconds']:>8.2f} {lim['peak_mb']:>5} "
              f"{r['bare']['seconds']:>7.2f} {r['bare']['peak_mb']:>4} {r['observe/bare']:>8}x "
              f"{r['observe-4GB/bare']:>8}x "
              + (f"{pm['seconds']:>8.2f} {pm['peak_mb']:>6} {r['pm4py/observe']:>9}x" if pm else
                 f"{'—':>8} {'—':>6} {'—':>10}"))
    for r in rows:
        print(f"{r['events']:>11,} events: lag alone {r['lag']['seconds']:.2f} s ({r['lag']['peak_mb']} MB); "
              f"observe / lag = {r['observe/lag']}x")
    for r in rows:
        if "read3/bare" in r:
            print(f"{r['events']:>11,} events: the floor: reading the three columns {r['read3/bare']}x the "
                  f"bare scan, the least grouping by case {r['bycase/bare']}x")
    print("targets: observe/bare <= 3x; pm4py/observe >= 10x; observe's memory flat in the size")


if __name__ == "__main__":
    main()
