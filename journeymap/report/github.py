"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=journeys/a.yaml,line=12,col=9,title=JM101::customers … are stranded``. GitHub reads
``%``, CR and LF as escapes everywhere, and ``:`` and ``,`` as separators in the properties, so
those are percent-encoded (as in @actions/core's ``escapeData`` and ``escapeProperty``). Before
that, every control character in journey text is written as a visible escape (``\\n``, ``\\x1b``), so
no name can end an annotation early and start a workflow command of its own.
"""

from __future__ import annotations

from journeymap.findings import Finding, RunResult, Severity
from journeymap.printable import printable
from journeymap.report.ci import message, relative_path

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, file: str) -> str:
    """One ``::error`` or ``::warning`` command for a finding."""
    props = {"file": printable(relative_path(f.span.file if f.span else file))}
    if f.span:
        props["line"] = str(f.span.line)
        props["col"] = str(f.span.column)
    props["title"] = f.rule
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{_COMMANDS[f.severity]} {joined}::{escape_data(message(f))}"


def render(result: RunResult, color: bool = False) -> str:
    return "".join(annotation(f, fr.file) + "\n" for fr in result.files for f in fr.findings)
