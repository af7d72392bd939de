"""``path:line:col: severity [JMxxx] message (hint)``, one finding a line, then a summary.

One line it is: control characters in a path or in journey text are written as escapes.
"""

from __future__ import annotations

from journeymap.findings import Finding, RunResult, Severity
from journeymap.printable import printable

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def finding_line(f: Finding, file: str, color: bool = False) -> str:
    span = f.span
    where = printable(f"{span.file}:{span.line}:{span.column}" if span else file)
    severity = f.severity.value
    hint = f" — {printable(f.hint)}" if f.hint else ""
    if color:
        severity = f"{_COLORS[f.severity]}{severity}{_RESET}"
        where = f"{_BOLD}{where}{_RESET}"
        hint = f"{_DIM}{hint}{_RESET}" if hint else ""
    return f"{where}: {severity} [{f.rule}] {printable(f.message)}{hint}"


def summary(result: RunResult) -> str:
    files = len(result.files)
    noun = "file" if files == 1 else "files"
    infos = f" ({_count(result.infos, 'info')})" if result.infos else ""
    if not result.errors and not result.warnings:
        return f"{files} journey {noun} checked: no problems found{infos}"
    parts = [_count(result.errors, "error"), _count(result.warnings, "warning")]
    parts += [_count(result.infos, "info")] if result.infos else []
    failing = sum(1 for f in result.files if f.errors)
    return f"{files} journey {noun} checked: {', '.join(parts)} ({failing} {('file' if failing == 1 else 'files')} with errors)"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(result: RunResult, color: bool = False) -> str:
    lines = [finding_line(f, fr.file, color) for fr in result.files for f in fr.findings]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
