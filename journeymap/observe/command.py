"""The core of `simulate`, `observe` and `check --observed`: files in, results out; never prints.

Errors a user can cause (a journey that does not validate, a log that cannot be read, a missing
engine) come back as :class:`ObserveError` with the exit code they earn.
"""

from __future__ import annotations

from journeymap.model import Journey
from journeymap.observe.compare import Comparison, compare
from journeymap.observe.declared import declared
from journeymap.observe.engines import Engine
from journeymap.observe.logs import LogError, find_logs
from journeymap.observe.measure import measure
from journeymap.observe.options import Options

INSTALL = {"duckdb": "pip install 'journeymap[observe]' (or pip install duckdb)",
           "spark": "pip install 'journeymap[spark]' (PySpark; Spark needs Java 17 or later)"}


class ObserveError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load_journey(path: str) -> Journey:
    """The journey in ``path``; ObserveError (exit 1) with its findings when it does not validate."""
    import os

    from journeymap.check import validate_file
    from journeymap.report.text import finding_line

    if not os.path.isfile(path):
        raise ObserveError(f"no such journey file: {path}")
    result = validate_file(path)
    if result.journey is None:
        lines = [finding_line(f, path, False) for f in result.findings]
        raise ObserveError("\n".join(lines + [f"{path} is not a valid journey"]), 1)
    return result.journey


def open_engine(options: Options) -> Engine:
    try:
        if options.engine == "spark":
            from journeymap.observe.engines import SparkEngine

            return SparkEngine(options.spark_master, options.memory_limit)
        from journeymap.observe.engines import DuckDBEngine

        return DuckDBEngine(options.memory_limit)
    except ImportError:
        raise ObserveError(f"the {options.engine} engine is not installed: {INSTALL[options.engine]}") from None
    except LogError as bad:
        raise ObserveError(str(bad)) from None


def observe(journey: Journey, events: list[str], options: Options, engine: Engine | None = None
            ) -> Comparison:
    """Compare ``journey`` with the event log in ``events`` (files, folders, globs)."""
    try:
        log = find_logs(events)
    except LogError as bad:
        raise ObserveError(str(bad)) from None
    decl = declared(journey)
    own = engine is None
    engine = engine or open_engine(options)
    try:
        observed = measure(decl, engine, log, options.columns, options.top_variants)
    except LogError as bad:
        raise ObserveError(str(bad)) from None
    finally:
        if own:
            engine.close()
    return compare(decl, observed, options.confidence)


def simulate_to(journey: Journey, cases: int, output: str, seed: int | None, jitter: float,
                max_events: int) -> tuple[int, int]:
    """Draw and write the log: the number of events written, and of cases cut at max_events."""
    from journeymap.observe.simulate import SimulateError, output_format, simulate, write_log

    if cases < 1:
        raise ObserveError("--cases must be at least 1")
    if max_events < 1:
        raise ObserveError("--max-events must be at least 1")
    if not 0 <= jitter < 1:
        raise ObserveError("--jitter is a fraction from 0 up to (not including) 1, e.g. 0.2")
    try:
        output_format(output)
        import numpy  # noqa: F401
        import duckdb  # noqa: F401
    except SimulateError as bad:
        raise ObserveError(str(bad)) from None
    except ImportError:
        raise ObserveError(f"simulate needs numpy and DuckDB: {INSTALL['duckdb']}") from None
    decl = declared(journey)
    sim = simulate(decl, cases, seed, jitter, max_events)
    try:
        write_log(sim, decl, output)
    except SimulateError as bad:
        raise ObserveError(str(bad)) from None
    return sim.events, sim.cut
