"""The options that say how to read an event log, defined once for `observe`, and for `check`,
`report` and `render` with --observed EVENTS: a command takes them all with
:func:`event_log_options`."""

from __future__ import annotations

import functools
import inspect
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

import typer

if TYPE_CHECKING:
    from journeymap.observe.options import Options

Command = TypeVar("Command", bound=Callable[..., Any])


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
    from journeymap.observe.options import Options

    return Options({"case": case_column, "activity": activity_column, "timestamp": timestamp_column},
                   engine.value, memory_limit, spark_master)


def event_log_options(command: Command) -> Command:
    """Give ``command`` every option of :data:`LOG_OPTIONS` in place of its ``log`` parameter,
    which it then receives as the :class:`Options` they make (so that the four commands that read
    a log cannot drift apart in what they accept)."""
    signature = inspect.signature(command)
    params = list(signature.parameters.values())
    at = [p.name for p in params].index("log")
    added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option,
                               annotation=kind) for name, (option, kind) in LOG_OPTIONS.items()]

    @functools.wraps(command)
    def with_log(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in LOG_OPTIONS}
        return command(*args, log=log_options(**given), **kwargs)

    with_log.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=params[:at] + added + params[at + 1:])
    with_log.__annotations__ = ({k: v for k, v in command.__annotations__.items() if k != "log"}
                                | {name: kind for name, (_, kind) in LOG_OPTIONS.items()})
    return with_log  # type: ignore[return-value]


# name → (the option, its type), in the order --help shows them
LOG_OPTIONS: dict[str, tuple[Any, Any]] = {
    "case_column": (CASE_COLUMN, Optional[str]),
    "activity_column": (ACTIVITY_COLUMN, Optional[str]),
    "timestamp_column": (TIMESTAMP_COLUMN, Optional[str]),
    "engine": (ENGINE, ObserveEngine),
    "memory_limit": (MEMORY_LIMIT, Optional[str]),
    "spark_master": (SPARK_MASTER, Optional[str]),
}
