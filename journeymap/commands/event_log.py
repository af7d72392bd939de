"""The options that say how to read an event log, defined once for `observe`, and for `check`,
`report` and `render` with --observed EVENTS."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from journeymap.observe.command import Options


class ObserveEngine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


CASE_COLUMN = typer.Option(None, "--case-column", metavar="NAME",
                           help="The log's case column. Default: case_id or case:concept:name.")
ACTIVITY_COLUMN = typer.Option(None, "--activity-column", metavar="NAME",
                               help="The log's activity column. Default: activity or concept:name.")
TIMESTAMP_COLUMN = typer.Option(None, "--timestamp-column", metavar="NAME",
                                help="The log's timestamp column. Default: timestamp or time:timestamp.")
ENGINE = typer.Option(ObserveEngine.duckdb, "--engine", help="duckdb (embedded) or spark (PySpark).")
MEMORY_LIMIT = typer.Option(None, "--memory-limit", metavar="SIZE",
                            help="e.g. 4GB (default 500MB): DuckDB spills to disk past it, so "
                            "memory stays flat however large the log; Spark's driver memory "
                            "(default: Spark's own).")
SPARK_MASTER = typer.Option(None, "--spark-master", metavar="URL",
                            help="Default local[*], or Spark Connect when SPARK_REMOTE is set.")


def log_options(case_column: Optional[str] = None, activity_column: Optional[str] = None,
                timestamp_column: Optional[str] = None, engine: ObserveEngine = ObserveEngine.duckdb,
                memory_limit: Optional[str] = None, spark_master: Optional[str] = None) -> Options:
    """The observe options from the command line's values."""
    from journeymap.observe.command import Options

    return Options({"case": case_column, "activity": activity_column, "timestamp": timestamp_column},
                   engine.value, memory_limit, spark_master)
