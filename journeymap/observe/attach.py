"""`report --observed EVENTS`: each journey's report followed by its comparison with the log."""

from __future__ import annotations

import json

from journeymap.observe.command import Options, observe
from journeymap.observe.compare import Comparison
from journeymap.observe.report import as_dict, render_text
from journeymap.report.json_stream import dumps


def compare_all(journeys: list, events: list[str], options: Options | None = None
                ) -> dict[str, Comparison]:
    """file → comparison, for each report entry that holds a valid journey (ObserveError when the
    log cannot be read)."""
    options = options or Options()
    return {r.file: observe(r.analysis.journey, events, options)
            for r in journeys if r.analysis is not None}


def with_text(report: str, compared: dict[str, Comparison]) -> str:
    pages = [render_text(c) for c in compared.values()]
    return report + "".join("\nObserved in the event log\n" + page for page in pages)


def with_json(report: str, compared: dict[str, Comparison], pretty: bool = False) -> str:
    doc = json.loads(report)
    for entry in doc["journeys"]:
        if entry["file"] in compared:
            entry["observed"] = as_dict(compared[entry["file"]])
    return dumps(doc, pretty)
