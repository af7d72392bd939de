"""`check --observed EVENTS`: JM501–JM503 added to each journey's findings."""

from __future__ import annotations

from dataclasses import replace

from journeymap.config import Config
from journeymap.findings import RunResult, sorted_findings
from journeymap.observe.command import Options, observe, open_engine
from journeymap.observe.rules import observed_findings
from journeymap.policy import reported


def add_observed(result: RunResult, events: list[str], config: Config, undeclared_share: float,
                 options: Options | None = None) -> tuple[RunResult, list[str]]:
    """``result`` with each valid journey compared with the log in ``events`` (ObserveError when
    the log cannot be read), and notes for the user: journeys that no event of the log maps to."""
    from journeymap.check import validate_file

    options = options or Options()
    files = []
    notes = []
    for fr in result.files:
        journey = validate_file(fr.file).journey
        if journey is None:
            files.append(fr)
            continue
        engine = open_engine(options)  # Spark: the one session, its views replaced each time
        try:
            compared = observe(journey, events, options, engine)
        finally:
            engine.close()
        if not compared.observed.cases:
            notes.append(f"{fr.file}: no event of the log matches a touchpoint (by id, name or "
                         "observed_as), so nothing was compared")
        found = reported(journey, observed_findings(journey, compared, undeclared_share), config)
        files.append(replace(fr, findings=sorted_findings([*fr.findings, *found])))
    return RunResult(tuple(files)), notes
