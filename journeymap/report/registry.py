"""The registry of `check` and `validate` reporters: a format's name to its pure function."""

from __future__ import annotations

from collections.abc import Callable

from journeymap.findings import RunResult
from journeymap.report import github, gitlab, json_report, junit, sarif, text

Reporter = Callable[[RunResult, bool], str]
JsonReporter = Callable[[RunResult, bool, bool], str]

# name → reporter(result, color) -> str. Machine formats ignore `color`.
REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
}

# the formats that are JSON: compact unless --pretty, like every JSON output of the tool
JSON_REPORTERS: dict[str, JsonReporter] = {
    "json": json_report.render,
    "sarif": sarif.render,
    "gitlab": gitlab.render,
}
