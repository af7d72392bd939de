"""The evidence parts of the terminal report: the table's evidence cell, the evidence section, and
the page about the joined CSV. Words carry the flags, so they read the same without colour."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from journeymap.evidence.measure import Measured, figure, interval_text, short
from journeymap.evidence.report import FlagIndex, by_touchpoint, flag_index, flags
from journeymap.evidence.table import EvidenceFile
from journeymap.findings import Finding
from journeymap.printable import printable
from journeymap.report.text import finding_line

FLAG_WORDS = {"JM401": "thin", "JM402": "contradicts the emotion", "JM403": "old"}
SHORT_FLAGS = {"JM401": "thin", "JM402": "≠ emotion", "JM403": "old"}
METHODS = "Wilson interval for shares, adjusted-Wald for NPS, Student's t for means"


def cell(measured: list[Measured], index: FlagIndex) -> Text:
    """``CSAT 82%±5`` over ``n=230``, for each figure, with its flags in words under it."""
    text = Text()
    for i, m in enumerate(measured):
        if i:
            text.append("\n")
        raised = [SHORT_FLAGS[f.rule] for f in flags(m, index)]
        figure_text, count = short(m)
        text.append(f"{printable(figure_text)}\n{count}", style="yellow" if raised else "")
        if raised:
            text.append(f"\n({', '.join(raised)})", style="yellow")
    return text


def section(measured: tuple[Measured, ...], findings: tuple[Finding, ...], names: dict[str, str],
            confidence: float) -> Group:
    """Every figure with its interval, where it comes from, and what to do about a flag."""
    if not measured:
        return Group()
    index = flag_index(findings)
    parts: list[RenderableType] = [
        Text(""), Text.assemble(("Evidence", "bold"), (f"  at {confidence * 100:g}% confidence; "
                                                      f"{METHODS}", "dim"))]
    for tp_id, items in by_touchpoint(measured).items():
        parts.append(Text(printable(names.get(tp_id, tp_id)), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1, overflow="fold")
        for m in items:
            grid.add_row("–", _line(m, index))
        parts.append(grid)
    return Group(*parts)


def _line(m: Measured, index: FlagIndex) -> Text:
    where = printable(" · ".join(x for x in (m.evidence.source, m.evidence.period) if x))
    line = Text.assemble(printable(figure(m, with_interval=True)), (f" · {where}" if where else "", "dim"))
    for f in flags(m, index):
        line.append(f"\n[{f.rule}] {FLAG_WORDS[f.rule]}", style="yellow")
        if f.rule == "JM401" and f.hint:
            line.append(f": {f.hint}", style="yellow")
    if interval_text(m) == "—" and m.estimate.n:
        line.append("\nno interval from a single answer", style="dim")
    return line


def file_page(evidence: EvidenceFile) -> Group:
    """The CSV of ``--evidence``: how many rows joined, and each row left out with why."""
    left_out = len(evidence.findings)
    style = "red" if left_out else "green"
    summary = Text(f"{evidence.rows} row(s) read, {evidence.joined} joined to touchpoints"
                   + (f", {left_out} problem(s):" if left_out else ""), style=style)
    lines = [Text(finding_line(f, evidence.file)) for f in evidence.findings]
    return Group(Rule(Text(f"Evidence from {printable(evidence.file)}")), summary, *lines, Text(""))
