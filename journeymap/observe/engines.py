"""Where the queries run: DuckDB embedded (the default) or Apache Spark.

An engine reads the log files into ``src``, exposes them as ``ev_raw``/``ev`` in the shape
:mod:`journeymap.observe.queries` expects, registers small tables, materialises ``steps`` and
returns query results as plain tuples. Only reading files and parsing timestamps differ between
the two; the queries are the same text.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

from journeymap.observe.logs import LogError, LogFiles

WRONG_TIME_TYPES = ("INT", "DOUBLE", "FLOAT", "DECIMAL", "BOOL", "LONG", "SHORT", "BYTE", "REAL",
                    "NUMERIC", "HUGEINT", "UBIGINT", "BLOB", "BINARY", "STRUCT", "MAP", "LIST",
                    "ARRAY", "[]")
NESTED = ("STRUCT", "MAP", "LIST", "ARRAY", "[]")
# DuckDB's own default is 80 % of the machine's memory, so the peak grew with the log (1.3 GB at 10
# million events); past this it spills its sorts and tables to a temporary folder, and the peak
# stays near 600 MB whatever the log's size (docs/performance.md, "observe")
DEFAULT_MEMORY = "500MB"
# DuckDB's spill folder: journeymap-duckdb-HOST-PID-xxxxxxxx in the temporary folder
SPILL_PREFIX = "journeymap-duckdb-"


class Engine(Protocol):
    name: str

    lambdas: dict[str, str]  # the queries' two list lambdas in this engine's spelling

    def columns(self, log: LogFiles) -> list[tuple[str, str]]: ...
    def events(self, case: str, activity: str, timestamp: str, types: dict[str, str]) -> None: ...
    def table(self, name: str, schema: list[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None: ...
    def materialize(self, name: str, sql: str) -> None: ...
    def view(self, name: str, sql: str) -> None: ...
    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...
    def close(self) -> None: ...


def check_types(types: dict[str, str], chosen: dict[str, str]) -> None:
    """A column whose type cannot hold what its role needs is a usage error, said plainly."""
    for role in ("case", "activity"):
        kind = types[chosen[role]].upper()
        if any(n in kind for n in NESTED):
            raise LogError(f"the {role} column `{chosen[role]}` holds {types[chosen[role]]} values, "
                           "not names or numbers")
    kind = types[chosen["timestamp"]].upper()
    if "TIMESTAMP" not in kind and "DATE" not in kind and any(w in kind for w in WRONG_TIME_TYPES):
        raise LogError(f"the timestamp column `{chosen['timestamp']}` holds {types[chosen['timestamp']]} "
                       "values, not timestamps: write them as ISO 8601 text (2025-03-01T09:30:00Z) "
                       "or as a timestamp type, or name another column with --timestamp-column")


def _first_line(problem: BaseException) -> str:
    text = str(problem).strip().splitlines()
    return text[0] if text else type(problem).__name__


# the Spark SQL functions the queries use that DuckDB spells otherwise, as DuckDB macros with
# Spark's meaning (slice takes a start and a length; element_at counts from 1, as DuckDB's [i])
SPARK_NAMES = ("element_at(l, i) AS l[i]", "size(l) AS len(l)",
               "sequence(a, b) AS generate_series(a, b)", "explode(l) AS unnest(l)",
               "slice(l, s, n) AS array_slice(l, s, s + n - 1)")


class DuckDBEngine:
    """DuckDB in this process: no server; spills to a temporary folder past ``memory_limit``
    (default :data:`DEFAULT_MEMORY`)."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None) -> None:
        import duckdb

        self._error = duckdb.Error
        self.spill = spill_folder()
        # removed by close(), or when the engine is dropped or Python exits without it (by this
        # process only: a child forked meanwhile must not remove the folder its parent still uses)
        self._remove_spill = weakref.finalize(self, _remove_folder, self.spill, os.getpid())
        self.con = duckdb.connect()
        self._exec("SET TimeZone = 'UTC'")
        self._exec("SET enable_progress_bar = false")
        self._exec(f"SET temp_directory = '{_sql_text(self.spill)}'")
        # no query relies on the order rows were read in (each says ORDER BY where it matters),
        # so DuckDB need not hold rows back to keep it
        self._exec("SET preserve_insertion_order = false")
        for macro in SPARK_NAMES:
            self._exec(f"CREATE TEMP MACRO {macro}")
        try:
            self._exec(f"SET memory_limit = '{_sql_text(memory_limit or DEFAULT_MEMORY)}'")
        except duckdb.Error as bad:
            self.close()
            raise LogError(f"--memory-limit {memory_limit}: {_first_line(bad)} "
                           "(write it like 2GB or 500MB)") from None

    lambdas = {"positions": "list_transform({l}, lambda x: x % {m})",
               "once": "list_filter({l}, lambda x, i: CASE WHEN i = 1 THEN true ELSE x <> {l}[i - 1] END)"}

    def columns(self, log: LogFiles) -> list[tuple[str, str]]:
        files = "[" + ", ".join(f"'{_sql_text(f)}'" for f in log.files) + "]"
        reader = {"parquet": f"read_parquet({files}, union_by_name = true)",
                  "csv": f"read_csv({files}, header = true, all_varchar = true, union_by_name = true)",
                  "jsonl": f"read_json({files}, format = 'newline_delimited', union_by_name = true)",
                  }[log.format]
        try:
            self._exec(f"CREATE VIEW src AS SELECT * FROM {reader}")
            return [(r[0], r[1]) for r in self._exec("DESCRIBE src").fetchall()]
        except self._error as bad:
            raise LogError(f"cannot read the event log: {_first_line(bad)}") from None

    def events(self, case: str, activity: str, timestamp: str, types: dict[str, str]) -> None:
        self._exec("CREATE VIEW ev_raw AS " + _raw_events(case, activity, timestamp, types, DUCKDB))
        self._exec("CREATE VIEW ev AS " + EVENTS)

    def table(self, name: str, schema: list[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None:
        columns = ", ".join(f"{c} {t}" for c, t in schema)
        self._exec(f"CREATE TEMP TABLE {name} ({columns})")
        if rows:
            marks = ", ".join("?" for _ in schema)
            self._exec(f"INSERT INTO {name} VALUES ({marks})", rows)

    def materialize(self, name: str, sql: str) -> None:
        self._run(f"CREATE TEMP TABLE {name} AS {sql}")

    def view(self, name: str, sql: str) -> None:
        self._run(f"CREATE TEMP VIEW {name} AS {sql}")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._run(sql, fetch=True)]

    def _run(self, sql: str, fetch: bool = False) -> Any:
        try:
            return self._exec(sql, fetch=fetch)
        except self._error as bad:
            raise LogError(f"cannot read the event log: {_first_line(bad)}") from None

    def _exec(self, sql: str, rows: list[tuple[Any, ...]] | None = None, fetch: bool = False) -> Any:
        """``sql`` run (once per row of ``rows`` when given; its rows fetched when ``fetch``). A
        signal that arrives while DuckDB runs it (Ctrl-C, SIGTERM) raises its exception inside
        DuckDB, which ends the query and raises "Query interrupted" instead: the run stops as the
        signal asked (exit 130/143, the spill folder removed), without a traceback."""
        try:
            if rows is not None:
                return self.con.executemany(sql, rows)
            done = self.con.execute(sql)
            return done.fetchall() if fetch else done
        except (RuntimeError, self._error) as bad:
            if str(bad).strip() == "Query interrupted" or type(bad).__name__ == "InterruptException":
                from journeymap.process import stop_reason

                raise stop_reason() from None
            raise

    def close(self) -> None:
        self.con.close()
        self._remove_spill()


def spill_folder() -> str:
    """A new private folder (mode 0700) for DuckDB's spill files, named by host and process.

    A run that is killed outright (SIGKILL, the machine's memory guard, a power cut) cannot remove
    its folder, so the folders of this user's earlier runs on this host whose process is gone are
    removed first (POSIX only; a folder whose process is alive, or another user's, is left)."""
    base = tempfile.gettempdir()
    host = re.sub(r"[^A-Za-z0-9.]", "_", os.uname().nodename if hasattr(os, "uname") else "") or "host"
    if hasattr(os, "getuid"):
        _sweep(base, re.compile(re.escape(SPILL_PREFIX + host) + r"-([0-9]+)-[a-z0-9_]+"))
    return tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{host}-{os.getpid()}-")


def _remove_folder(path: str, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


def _sweep(base: str, ours: re.Pattern[str]) -> None:
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        found = ours.fullmatch(name)
        if not found or int(found[1]) == os.getpid():
            continue
        path = os.path.join(base, name)
        try:
            info = os.lstat(path)
            if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode):
                continue
            os.kill(int(found[1]), 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (OSError, OverflowError):  # gone already, or a process of another user's
            continue


class SparkEngine:
    """Apache Spark through PySpark: ``local[*]`` by default, ``master`` for a cluster, or Spark
    Connect when SPARK_REMOTE is set."""

    name = "spark"

    def __init__(self, master: str | None = None, memory_limit: str | None = None,
                 session: Any = None) -> None:
        self.spark = session or start_spark(master, memory_limit)
        self._views: list[str] = []
        self._cached: list[Any] = []

    # filter's index i counts from 0 here (from 1 in DuckDB), so element_at(l, i) is the one before
    lambdas = {"positions": "transform({l}, x -> x % {m})",
               "once": "filter({l}, (x, i) -> CASE WHEN i = 0 THEN true ELSE x <> element_at({l}, i) END)"}

    def columns(self, log: LogFiles) -> list[tuple[str, str]]:
        reader = self.spark.read
        if log.format == "csv":
            reader = reader.option("header", "true").option("inferSchema", "false")
            if all(".tsv" in os.path.basename(f).lower() for f in log.files):
                reader = reader.option("sep", "\t")  # DuckDB detects the delimiter; Spark is told
        fmt = {"parquet": "parquet", "csv": "csv", "jsonl": "json"}[log.format]
        try:
            df = reader.format(fmt).load(list(log.files))
            self._view("src", df)
            return [(name, kind) for name, kind in df.dtypes]
        except Exception as bad:  # pyspark raises its own and py4j's exception types
            raise LogError(f"cannot read the event log: {_first_line(bad)}") from None

    def events(self, case: str, activity: str, timestamp: str, types: dict[str, str]) -> None:
        self._view("ev_raw", self.spark.sql(_raw_events(case, activity, timestamp, types, SPARK)))
        self._view("ev", self.spark.sql(EVENTS))

    def table(self, name: str, schema: list[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None:
        spark_types = {"VARCHAR": "STRING", "INTEGER": "INT", "BIGINT": "BIGINT"}
        ddl = ", ".join(f"{c} {spark_types[t]}" for c, t in schema)
        self._view(name, self.spark.createDataFrame(rows, ddl))

    def materialize(self, name: str, sql: str) -> None:
        df = self._sql(sql).cache()
        self._cached.append(df)
        self._view(name, df)

    def view(self, name: str, sql: str) -> None:
        self._view(name, self._sql(sql))

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(r) for r in self._sql(sql).collect()]
        except LogError:
            raise
        except Exception as bad:
            raise LogError(f"cannot read the event log: {_first_line(bad)}") from None

    def _sql(self, sql: str) -> Any:
        try:
            return self.spark.sql(sql)
        except Exception as bad:
            raise LogError(f"cannot read the event log: {_first_line(bad)}") from None

    def _view(self, name: str, df: Any) -> None:
        df.createOrReplaceTempView(name)
        self._views.append(name)

    def close(self) -> None:
        for df in self._cached:
            df.unpersist()
        for name in set(self._views):
            self.spark.catalog.dropTempView(name)


def start_spark(master: str | None = None, memory_limit: str | None = None) -> Any:
    """A SparkSession in UTC with quiet logs (Spark Connect when SPARK_REMOTE is set)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("journeymap observe")
    if os.environ.get("SPARK_REMOTE") and not master:
        builder = builder.remote(os.environ["SPARK_REMOTE"])
    else:
        builder = builder.master(master or "local[*]").config("spark.ui.enabled", "false")
        if (master or "local").startswith("local"):  # a few cores: a few partitions per shuffle
            builder = builder.config("spark.sql.shuffle.partitions", str(os.cpu_count() or 2))
        if memory_limit:
            builder = builder.config("spark.driver.memory", memory_limit)
    spark = (builder.config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    if not os.environ.get("SPARK_REMOTE") or master:
        spark.sparkContext.setLogLevel("ERROR")
    return spark


@dataclass(frozen=True)
class Dialect:
    """What differs between the engines' SQL when reading events: how a column name is quoted,
    the text type, and the microseconds since 1970 of a ``{ts}`` column of each kind of time."""

    quote: str
    text: str
    timestamp: str
    date: str
    written: str  # a time written as text; NULL when it cannot be read as one


DUCKDB = Dialect('"', "VARCHAR", "epoch_us({ts})", "epoch_us(CAST({ts} AS TIMESTAMP))",
                 "epoch_us(try_cast(CAST({ts} AS VARCHAR) AS TIMESTAMPTZ))")
SPARK = Dialect("`", "STRING", "unix_micros(CAST({ts} AS TIMESTAMP))",
                "unix_micros(CAST({ts} AS TIMESTAMP))",
                "unix_micros(try_to_timestamp(CAST({ts} AS STRING)))")

# the events the queries count: those with a case, an activity and a time that could be read
EVENTS = ("SELECT case_id, activity, t FROM ev_raw "
          "WHERE t IS NOT NULL AND case_id IS NOT NULL AND activity IS NOT NULL")


def _raw_events(case: str, activity: str, timestamp: str, types: dict[str, str], sql: Dialect) -> str:
    """The query of ``ev_raw``: every row of ``src`` as case_id, activity, t (microseconds) and
    raw_ts (the time as given, for the ones that could not be read)."""
    kind = types[timestamp].upper()
    ts = _quote(timestamp, sql.quote)
    time = sql.timestamp if "TIMESTAMP" in kind else sql.date if "DATE" in kind else sql.written
    return (f"SELECT CAST({_quote(case, sql.quote)} AS {sql.text}) AS case_id, "
            f"CAST({_quote(activity, sql.quote)} AS {sql.text}) AS activity, {time.format(ts=ts)} AS t, "
            f"{_raw_text(ts, kind)} AS raw_ts FROM src")


def _raw_text(ts: str, kind: str) -> str:
    """The timestamp as given, as text, for counting and quoting unparseable ones; a typed column
    is never unparseable, so only whether it is missing matters (and formatting millions of
    timestamps as text would cost more than the rest of the reading)."""
    if "TIMESTAMP" in kind or "DATE" in kind:
        return f"CASE WHEN {ts} IS NULL THEN NULL ELSE 'typed' END"
    return f"CAST({ts} AS STRING)"


def _quote(column: str, mark: str = '"') -> str:
    return mark + column.replace(mark, mark * 2) + mark


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
