"""observe's floor (branch observe-floor): what start-up loads, and the spill folder DuckDB is given
never outliving the run, however it ends (real processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.observe.declared import declared

from observe_helpers import REPO

JOURNEY = str(REPO / "journeys" / "complaint-eight-weeks.yaml")


def test_declared_moves_are_the_networkx_graphs_moves() -> None:
    """declared() reads the tuple graph; the figures (p summed in file order, the transitions
    behind each move, the order of the moves) are exactly those of JourneyGraph.g."""
    checked = 0
    for path in sorted((REPO / "journeys").glob("*.yaml")):
        journey = validate_file(str(path)).journey
        if journey is None:
            continue
        jg = build_graph(journey)
        got = [(u, v, e.p, e.via, e.failures) for (u, v), e in declared(journey, jg).edges.items() if u]
        want = [(u, v, d["p"], tuple(t.label or ("failure" if t.kind == "failure" else "next") for t in d["via"]),
                 tuple(t.failure for t in d["via"] if t.failure)) for u, v, d in jg.g.edges(data=True)]
        assert got == want, path.name
        checked += 1
    assert checked >= 5


def test_observe_does_not_import_networkx(tmp_path: Path) -> None:
    """networkx (a tenth of a second, 17 MB) is not part of observe's start-up."""
    log = tmp_path / "events.parquet"
    script = (
        "import sys\n"
        "from journeymap.cli import main\n"
        f"sys.argv = ['journeymap', 'simulate', {JOURNEY!r}, '--cases', '50', '-o', {str(log)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        f"sys.argv = ['journeymap', 'observe', {JOURNEY!r}, {str(log)!r}, '--format', 'json', '-o', {str(tmp_path / 'o.json')!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "assert 'networkx' not in sys.modules, 'networkx was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o.json").stat().st_size > 1000


# -- the spill folder: DuckDB's temporary folder never outlives the run --------------------------

def _spill_folders(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("journeymap-duckdb-"))


def _observe(tmp: Path, log: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen([sys.executable, "-m", "journeymap", "observe", JOURNEY, str(log), "--format",
                             "json", "-o", str(tmp.parent / "out.json"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture(scope="module")
def big_log(tmp_path_factory) -> Path:
    """About 2 million events: long enough (a second or more) for a signal to land inside a query."""
    path = tmp_path_factory.mktemp("log") / "events.parquet"
    done = subprocess.run([sys.executable, "-m", "journeymap", "simulate", JOURNEY, "--cases", "370000",
                           "--seed", "3", "-o", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture()
def tmp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def test_spill_folder_gone_after_a_normal_run_and_a_usage_error(tmp: Path) -> None:
    log = tmp.parent / "events.parquet"
    done = subprocess.run([sys.executable, "-m", "journeymap", "simulate", JOURNEY, "--cases", "200",
                           "-o", str(log)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run = _observe(tmp, log)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert json.loads((tmp.parent / "out.json").read_text())["journeys"][0]["log"]["cases"] == 200
    header = tmp.parent / "header.csv"
    header.write_text("case_id,activity,timestamp\n")
    for bad in ([str(header)], [str(log), "--memory-limit", "lots"]):
        run = _observe(tmp, Path(bad[0]), *bad[1:])
        _, err = run.communicate(timeout=120)
        assert run.returncode == 2 and "journeymap: error:" in err and "Traceback" not in err, err
    assert _spill_folders(tmp) == []


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_inside_a_query_stops_the_run_cleanly(tmp: Path, big_log: Path, signum, code) -> None:
    """DuckDB turns the exception a signal raises inside a query into "Query interrupted": the
    run still ends as the signal asks (exit 128 + signal), without a traceback, its spill folder
    removed. The signal is sent once the folder exists, then a little later each try, until one
    lands before the run ends."""
    stopped = 0
    for delay in (0.3, 0.15, 0.05, 0.0):
        run = _observe(tmp, big_log, "--memory-limit", "100MB")  # a small limit: spill files too
        deadline = time.monotonic() + 60
        while not _spill_folders(tmp) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        run.send_signal(signum)
        _, err = run.communicate(timeout=120)
        assert "Traceback" not in err and "interrupted" not in err, err
        assert run.returncode in (0, code), (run.returncode, err)
        assert _spill_folders(tmp) == []
        if run.returncode == code:
            stopped += 1
            break
    assert stopped, "every run ended before the signal"


def test_a_killed_runs_folder_is_removed_by_the_next_run(tmp: Path, big_log: Path) -> None:
    """SIGKILL leaves the folder behind (nothing runs in a killed process); the next run removes
    the folders of this user's runs whose process is gone, and leaves a live one's alone."""
    run = _observe(tmp, big_log)
    while not _spill_folders(tmp) and run.poll() is None:
        time.sleep(0.005)
    left = _spill_folders(tmp)
    run.kill()
    run.communicate(timeout=60)
    assert len(left) == 1 and _spill_folders(tmp) == left
    parts = left[0].split("-")
    parts[-2] = str(os.getpid())  # the pid of this process: alive
    live = tmp / "-".join(parts)
    live.mkdir()
    other = tmp / "journeymap-duckdb-unrelated"
    other.mkdir()
    done = subprocess.run([sys.executable, "-c", "from journeymap.observe.engines import DuckDBEngine\n"
                           "e = DuckDBEngine()\nprint(e.spill)\ne.close()"],
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert _spill_folders(tmp) == sorted([live.name, other.name])


def test_an_engine_never_closed_leaves_no_folder(tmp: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "from journeymap.observe.engines import DuckDBEngine\n"
                           "import os\ne = DuckDBEngine()\nassert os.path.isdir(e.spill)\n"
                           "e.rows('SELECT 1')\n"],
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert _spill_folders(tmp) == []


# -- the moves' medians and 90th percentiles without an ordered aggregate -------------------------

def test_quantiles_are_duckdbs_percentile_cont_exactly() -> None:
    """Groups of every size from 1 to 300 and a few large ones, times with ties, fractions of a
    microsecond and wide ranges: the interpolation from the two ranks is percentile_cont's, bit for bit."""
    import duckdb

    from journeymap.observe import quantiles

    con = duckdb.connect()
    con.execute("""CREATE TABLE t AS
        SELECT g, CAST(hash(g * 7919 + i) % 86400000000 AS DOUBLE) * (1 + (g % 3) * 0.37) AS d
        FROM range(1, 301) a(g), range(0, 300) b(i) WHERE i < g
        UNION ALL SELECT 1000 + (i % 7), CAST(i * 1000003 % 99991 AS DOUBLE) / 3 FROM range(53) r(i)
        UNION ALL SELECT 2000 + (i % 5), CAST(i % 4 AS DOUBLE) * 1e6 + 0.1 FROM range(100003) r(i)
        UNION ALL SELECT 3000, CAST(hash(i) % 1000000007 AS DOUBLE) * 1.37 FROM range(300001) r(i)""")
    values: dict[int, list[float]] = {}
    for g, d in con.execute("SELECT g, d FROM t ORDER BY g, d").fetchall():
        values.setdefault(g, []).append(d)
    checked = 0
    for q in quantiles.QUANTILES:
        for g, want in con.execute(f"SELECT g, percentile_cont({q}) WITHIN GROUP (ORDER BY d) FROM t "
                                   "GROUP BY g").fetchall():
            v = values[g]
            low, high, _ = quantiles.ranks(len(v), q)
            assert quantiles.quantile({low: v[low], high: v[high]}, len(v), q) == want, (g, q)
            checked += 1
    assert checked == 2 * (300 + 7 + 5 + 1)


def test_move_times_on_a_jittered_log_are_percentile_conts(tmp_path: Path) -> None:
    """Every move's median and p90 on a log where no two times are alike (jitter) are what
    percentile_cont over the same steps gives, and the start has none; every promise's median is
    percentile_cont's over its times."""
    from journeymap.observe.engines import DuckDBEngine
    from journeymap.observe.logs import find_logs
    from journeymap.observe.measure import measure
    from journeymap.observe.simulate import simulate

    from observe_helpers import load, write

    journey, decl = load("complaint-eight-weeks.yaml")
    log = write(simulate(decl, 3_000, seed=8, jitter=0.3), decl, tmp_path / "events.parquet")
    engine = DuckDBEngine()
    try:
        observed = measure(decl, engine, find_logs([log]), {})
        ident = dict(enumerate(decl.ids)) | {-1: ""}
        reference = {(ident[a], ident[b]): (med, p90) for a, b, med, p90 in engine.rows(
            "SELECT prev, pos, percentile_cont(0.5) WITHIN GROUP (ORDER BY d), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY d) FROM steps GROUP BY prev, pos")}
        # each promise's median from its histogram unrolled again, one row per case kept
        promised = {decl.promises[int(i)].id: med for i, med in engine.rows(
            "SELECT pid, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM "
            "(SELECT pid, d FROM promise_times t, range(t.kept) WHERE d IS NOT NULL) x GROUP BY pid")}
    finally:
        engine.close()
    assert set(reference) == set(observed.moves) and len(reference) >= 8
    interpolated = 0
    for key, move in observed.moves.items():
        med, p90 = reference[key]
        assert (move.median, move.p90) == (None if med is None else med / 1e6, None if p90 is None else p90 / 1e6)
        interpolated += move.median is not None and move.count % 2 == 0
    assert observed.moves[("", decl.start)].median is None
    assert interpolated  # some medians fall between two times
    assert promised and {k: p.median for k, p in observed.promises.items() if p.kept} == \
        {k: med / 1e6 for k, med in promised.items()}
    assert sum(p.kept for p in observed.promises.values()) > 1000


def test_a_forked_child_leaves_its_parents_folder(tmp: Path) -> None:
    """A child forked while an engine is open exits without removing the folder the parent uses."""
    script = ("import os, sys\nfrom journeymap.observe.engines import DuckDBEngine\ne = DuckDBEngine()\n"
              "child = os.fork()\nif child == 0:\n    sys.exit(0)\nos.waitpid(child, 0)\n"
              "assert os.path.isdir(e.spill), 'the child removed it'\ne.close()\n"
              "assert not os.path.isdir(e.spill)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert _spill_folders(tmp) == []
