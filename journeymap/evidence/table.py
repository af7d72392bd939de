"""`report --evidence FILE.csv`: survey exports joined to touchpoints by id, so nobody copies figures.

One row per figure. Columns (header names in any case; spaces and dashes read as ``_``):
``touchpoint`` and ``metric`` are required; ``journey`` (a journey id: without it a row joins
every reported journey that has the touchpoint), ``responses``, ``satisfied``, ``promoters``,
``passives``, ``detractors``, ``distribution`` (counts separated by spaces or ``;``), ``mean``,
``sd``, ``scale``, ``source`` and ``period`` are optional; other columns are ignored. Commas,
semicolons or tabs separate the cells; a UTF-8 byte-order mark is fine.

Each row goes through the same checks as evidence written in a journey. A row that cannot be used
is a JM400 finding at its line of the CSV, and is left out; the other rows are still joined.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from journeymap.evidence import fields as ef
from journeymap.findings import Finding, did_you_mean, finding
from journeymap.model import Evidence, Journey, Span
from journeymap.values import BadValue

REQUIRED = ("touchpoint", "metric")
_ALIASES = {"touchpoint_id": "touchpoint", "id": "touchpoint", "journey_id": "journey",
            "n": "responses", "std": "sd", "stdev": "sd", "std_dev": "sd"}
_PARSERS = {"metric": ef.parse_metric, "scale": ef.parse_scale, "responses": ef.parse_count,
            "satisfied": ef.parse_count, "promoters": ef.parse_count, "passives": ef.parse_count,
            "detractors": ef.parse_count, "distribution": ef.parse_counts,
            "mean": ef.parse_number, "sd": ef.parse_number, "source": str, "period": str}
KNOWN = ("touchpoint", "journey", *_PARSERS)
MAX_BYTES = 50_000_000


class TableError(Exception):
    """The file cannot be read at all (a usage error: exit 2)."""


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the CSV
    number: int  # the data row's number: 1 is the row under the header
    journey: str | None
    touchpoint: str
    evidence: Evidence


@dataclass(frozen=True)
class EvidenceFile:
    """What a run made of the CSV: the rows joined, and a finding for each row left out."""

    file: str
    rows: int
    joined: int
    findings: tuple[Finding, ...] = ()


@dataclass
class EvidenceTable:
    file: str
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    read: int = 0  # data rows read, usable or not
    _used: set[int] = field(default_factory=set)
    _seen: dict[str | None, set[str]] = field(default_factory=dict)

    def attach(self, journey: Journey) -> Journey:
        """``journey`` with the rows that name its touchpoints added to their evidence."""
        self._seen[journey.id] = set(journey.by_id)
        mine: dict[str, list[Evidence]] = {}
        for i, row in enumerate(self.rows):
            if row.journey in (None, journey.id) and row.touchpoint in journey.by_id:
                mine.setdefault(row.touchpoint, []).append(row.evidence)
                self._used.add(i)
        if not mine:
            return journey
        stages = tuple(replace(stage, touchpoints=tuple(
            replace(tp, evidence=tp.evidence + tuple(mine.get(tp.id, ()))) for tp in stage.touchpoints))
            for stage in journey.stages)
        return replace(journey, stages=stages)

    def result(self) -> EvidenceFile:
        """The findings of the read, and JM400 for every row that joined no journey."""
        found = list(self.findings)
        for i, row in enumerate(self.rows):
            if i not in self._used:
                found.append(self._unmatched(row))
        found.sort(key=lambda f: f.span.line if f.span else 0)
        return EvidenceFile(self.file, self.read, len(self._used), tuple(found))

    def _unmatched(self, row: Row) -> Finding:
        span = Span(self.file, row.line, 1)
        if row.journey is not None and row.journey not in self._seen:
            return finding("JM400", f"row {row.number}: no journey `{row.journey}` among the "
                           "files reported", span, row.touchpoint,
                           hint=did_you_mean(row.journey, [j for j in self._seen if j]))
        ids = {tp for j, tps in self._seen.items() if row.journey in (None, j) for tp in tps}
        return finding("JM400", f"row {row.number}: no touchpoint has the id `{row.touchpoint}`",
                       span, row.touchpoint, hint=did_you_mean(row.touchpoint, ids))


def read_table(path: str) -> EvidenceTable:
    """Every usable row of the CSV at ``path``, and a JM400 finding for each one that is not."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as problem:
        raise TableError(f"cannot read {path}: {problem.strerror or problem}") from None
    table = EvidenceTable(path)
    if len(data) > MAX_BYTES:
        raise TableError(f"{path} is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = data[: bad.start].count(b"\n") + 1
        table.findings.append(finding("JM400", f"the file is not UTF-8 text (byte {bad.start + 1})",
                                      Span(path, line, 1), hint="export or save it as CSV UTF-8"))
        return table
    _read_rows(table, text)
    return table


def _read_rows(table: EvidenceTable, text: str) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text), strict=True)
    try:
        header = next(reader, None)
        columns = _columns(table, header)
        if columns is None:
            return
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                table.read += 1
                _row(table, columns, cells, start)
            start = reader.line_num + 1
    except csv.Error as bad:  # e.g. a NUL byte, or a quote that never closes
        table.findings.append(finding("JM400", f"not a readable CSV: {bad}",
                                      Span(table.file, reader.line_num or 1, 1)))


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _name(cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    return _ALIASES.get(name, name)


def _columns(table: EvidenceTable, header: list[str] | None) -> dict[str, int] | None:
    span = Span(table.file, 1, 1)
    if not header or not any(c.strip() for c in header):
        table.findings.append(finding("JM400", "the file has no header row", span,
                                      hint="the first line names the columns: touchpoint,metric,responses,…"))
        return None
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = _name(cell)
        if name in KNOWN and name not in columns:
            columns[name] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        names = [_name(c) for c in header]
        close = [h for c in missing if (h := did_you_mean(c, names))]
        table.findings.append(finding(
            "JM400", f"the header has no `{'` or `'.join(missing)}` column", span,
            hint=close[0].replace("did you mean", "is it") if close else
            "columns: touchpoint, metric, then counts (responses, satisfied, …) or mean, sd"))
        return None
    return columns


def _row(table: EvidenceTable, columns: dict[str, int], cells: list[str], line: int) -> None:
    def fail(message: str, hint: str | None = None) -> None:
        table.findings.append(finding("JM400", f"row {table.read}: {message}", Span(table.file, line, 1),
                                      touchpoint or None, hint))

    values = {name: cells[i].strip() for name, i in columns.items() if i < len(cells) and cells[i].strip()}
    touchpoint = values.pop("touchpoint", "")
    journey = values.pop("journey", None)
    if not touchpoint or "metric" not in values:
        fail(f"no {'touchpoint id' if not touchpoint else 'metric'}")
        return
    parsed: dict[str, Any] = {}
    for name, text in values.items():
        try:
            parsed[name] = _PARSERS[name](_typed(text))
        except BadValue as bad:
            comma = re.fullmatch(r"[+-]?\d+,\d+", text)
            fail(f"column `{name}`: {bad.message}", "decimals take a point: "
                 f"{text.replace(',', '.')}" if comma else bad.hint)
            return
    evidence, problem = ef.build_evidence(parsed, Span(table.file, line, 1))
    if problem is not None:
        fail((f"column `{problem.key}`: " if problem.key else "") + problem.message, problem.hint)
        return
    assert evidence is not None
    table.rows.append(Row(line, table.read, journey, touchpoint, evidence))


def _typed(text: str) -> Any:
    """A cell as YAML would type it: whole numbers as int, decimals as float, the rest as text."""
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", text):
        return float(text)
    return text
