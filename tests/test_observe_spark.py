"""The Spark engine runs the same queries as DuckDB and gives identical results on the same log.

Slow (a local JVM): one SparkSession for the whole test session, and few tests.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from journeymap.observe.command import ObserveError, Options, observe
from journeymap.observe.engines import SparkEngine, start_spark

from observe_helpers import REPO, drawn, load, write

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="session")
def spark():
    session = start_spark("local[2]")
    yield session
    session.stop()


def both(journey, files, spark):
    by_duckdb = observe(journey, files, Options())
    by_spark = observe(journey, files, Options(engine="spark"), SparkEngine(session=spark))
    return by_duckdb, by_spark


def test_identical_results_on_a_parquet_log(tmp_path, spark):
    journey, decl = load("complaint-eight-weeks.yaml")
    log = write(drawn(decl, 5_000, seed=11), decl, tmp_path / "events.parquet")
    by_duckdb, by_spark = both(journey, [log], spark)
    assert by_spark.observed.engine == "spark"
    assert replace(by_spark.observed, engine="duckdb") == by_duckdb.observed
    assert replace(by_spark, observed=by_duckdb.observed) == by_duckdb
    assert by_duckdb.observed.cases == 5_000 and by_duckdb.fitness == 1.0


def test_identical_times_on_a_jittered_log(tmp_path, spark):
    """No two times alike: the medians and 90th percentiles interpolate between two times, from
    the same histogram ranks on both engines (observe-floor; percentile_cont is no longer used)."""
    from journeymap.observe.simulate import simulate

    journey, decl = load("complaint-eight-weeks.yaml")
    log = write(simulate(decl, 2_000, seed=12, jitter=0.3), decl, tmp_path / "events.parquet")
    by_duckdb, by_spark = both(journey, [log], spark)
    assert replace(by_spark.observed, engine="duckdb") == by_duckdb.observed
    assert len({m.p90 for m in by_duckdb.observed.moves.values()}) > 8


def test_identical_results_on_a_messy_csv_log(tmp_path, spark):
    """Rows out of order, repeated rows, unparseable and zoned timestamps, an unknown activity."""
    journey, decl = load("complaint-eight-weeks.yaml")
    clean = tmp_path / "clean.csv"
    write(drawn(decl, 2_000, seed=5), decl, clean)
    header, *rows = clean.read_text("utf-8").splitlines()
    random.Random(2).shuffle(rows)
    extra = ["C9,Phone to complain about the missed service,soon,phone,x",
             "C9,Coffee break,2025-02-01T10:00:00+02:00,,",
             "C9,Reference and callback date by email,2025-02-01 09:00:00,email,y"]
    messy = tmp_path / "messy.csv"
    messy.write_text("\n".join([header, *rows, *rows[:30], *extra]) + "\n", "utf-8")
    by_duckdb, by_spark = both(journey, [str(messy)], spark)
    assert replace(by_spark.observed, engine="duckdb") == by_duckdb.observed
    assert replace(by_spark, observed=by_duckdb.observed) == by_duckdb
    o = by_duckdb.observed
    assert o.duplicates == 30 and o.skipped == {"unparseable timestamp": 1}
    assert o.unmapped == (("Coffee break", 1),)


def test_a_log_without_the_columns_is_a_usage_error(tmp_path, spark):
    journey, _ = load("complaint-eight-weeks.yaml")
    missing = tmp_path / "cols.csv"
    missing.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(ObserveError, match="its columns are: `a`, `b`"):
        observe(journey, [str(missing)], Options(engine="spark"), SparkEngine(session=spark))


def test_report_observed_runs_on_spark_from_the_command_line(tmp_path, spark):
    """--engine and --spark-master reach the comparison from `report` as from `observe` (the
    session is the test's: getOrCreate hands it back)."""
    import json

    from typer.testing import CliRunner

    from journeymap.cli import app

    journey, decl = load("complaint-eight-weeks.yaml")
    log = write(drawn(decl, 300, seed=3), decl, tmp_path / "events.parquet")
    path = str(REPO / "journeys" / "complaint-eight-weeks.yaml")
    result = CliRunner().invoke(app, ["report", "--observed", log, "--engine", "spark", "--spark-master",
                                      "local[2]", "--format", "json", path], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    observed = json.loads(result.stdout)["journeys"][0]["observed"]
    assert observed["log"]["engine"] == "spark" and observed["log"]["cases"] == 300
