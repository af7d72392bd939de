"""`simulate` and `observe`: a journey against an event log, and a log drawn from a journey."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, List, Optional

import typer

from journeymap.cli_support import OUTPUT, PRETTY, write_report
from journeymap.commands.event_log import event_log_options

if TYPE_CHECKING:
    from journeymap.observe.command import Options


class ObserveFormat(str, Enum):
    text = "text"
    json = "json"


def simulate(journey: str = typer.Argument(..., metavar="JOURNEY", help="A journey file."),
             cases: int = typer.Option(..., "--cases", "-n", help="How many cases (customers) to draw."),
             output: str = typer.Option(..., "--output", "-o", metavar="EVENTS",
                                        help="The log to write: .parquet, .csv or .jsonl."),
             seed: Optional[int] = typer.Option(None, "--seed", help="Random seed, for a log that "
                                                "is the same on every run."),
             jitter: float = typer.Option(0.0, "--jitter", metavar="F", help="Spread each declared "
                                          "time by a factor drawn from [1-F, 1+F] (median kept)."),
             max_events: int = typer.Option(1000, "--max-events", help="Cut a case after this many "
                                            "events (it stays open in the log).")) -> None:
    """Draw an event log from the journey as declared: the Markov chain the scores use (shares of
    flows and failures) and the declared waits and durations. One row per event: case_id,
    activity, timestamp, channel, owner. The file is replaced only by a complete new one.

    \b
    Examples:
      journeymap simulate journeys/complaint-eight-weeks.yaml --cases 100000 -o events.parquet
      journeymap simulate a.yaml -n 1000 --seed 7 --jitter 0.3 -o events.csv
      journeymap observe a.yaml events.parquet        compare the journey with the log
    """
    from journeymap.observe.command import ObserveError, load_journey, simulate_to

    try:
        written, cut = simulate_to(load_journey(journey), cases, output, seed, jitter, max_events)
    except ObserveError as bad:
        typer.echo(f"journeymap: error: {bad}" if bad.exit_code == 2 else str(bad), err=True)
        raise typer.Exit(bad.exit_code) from None
    more = f"; {cut:,} cases cut after {max_events:,} events (still open)" if cut else ""
    typer.echo(f"wrote {output}: {written:,} events of {cases:,} cases{more}", err=True)


@event_log_options
def observe(journey: str = typer.Argument(..., metavar="JOURNEY", help="A journey file."),
            events: List[str] = typer.Argument(..., metavar="EVENTS...", help="Event log files "
                                               "(.parquet, .csv, .jsonl), folders or globs."),
            output_format: ObserveFormat = typer.Option(ObserveFormat.text, "--format", "-f",
                                                        help="text for people, json for tools."),
            output: Optional[str] = OUTPUT,
            log: Optional[Options] = None,  # --case-column … --spark-master (event_log.py)
            calibrate: Optional[str] = typer.Option(None, "--calibrate", metavar="OUT.yaml",
                                                    help="Write the journey with the observed "
                                                    "shares and median times, comments kept."),
            pretty: bool = PRETTY) -> None:
    """Check a journey against an event log: visits, shares of flows and failures with 95%
    intervals, moves the journey does not declare, times between steps, promises kept in time,
    how cases end, fitness and the top variants (docs/observe.md).

    Activities match touchpoints by id, by name, or by a touchpoint's `observed_as` names.
    Exit code: 0 when compared, 1 when the journey is not valid, 2 when the log cannot be read.

    \b
    Examples:
      journeymap observe journeys/complaint-eight-weeks.yaml events.parquet
      journeymap observe a.yaml logs/ --format json -o observed.json
      journeymap observe a.yaml logs/ --format json --pretty      indented, to read
      journeymap observe a.yaml 'exports/*.csv' --case-column ticket --timestamp-column created
      journeymap observe a.yaml big/ --engine spark --spark-master spark://host:7077
      journeymap observe a.yaml events.parquet --calibrate a.observed.yaml
    """
    from journeymap.observe.command import ObserveError, load_journey
    from journeymap.observe.command import observe as run_observe

    assert log is not None
    try:
        model = load_journey(journey)
        result = run_observe(model, events, log)
        if calibrate:
            from journeymap.observe.calibrate import write_calibrated

            write_calibrated(journey, result, model, calibrate)
    except ObserveError as bad:
        typer.echo(f"journeymap: error: {bad}" if bad.exit_code == 2 else str(bad), err=True)
        raise typer.Exit(bad.exit_code) from None
    from journeymap.observe.report import render_json, render_text

    text = render_json([result], pretty) if output_format is ObserveFormat.json else render_text(result)
    write_report(text, output)
    if calibrate:
        typer.echo(f"wrote {calibrate}", err=True)
