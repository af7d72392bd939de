"""The terminal report of `journeymap report`: one page per journey, drawn with rich.

Every label is a rich ``Text`` (never markup), so brackets in a journey file print as written.
Without colour (``NO_COLOR``, or not a terminal) the words carry the meaning: statuses are spelled
out, the emotion line uses block heights, and tables use plain rules. Journey text goes through
``printable`` (as ``_p``): a control character in a name is shown as an escape, never obeyed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from journeymap.analysis.analyse import JourneyReport, ReportRun
from journeymap.analysis.friction import top_components
from journeymap.analysis.results import (
    Analysis,
    PromiseResult,
    PromiseStatus,
    TouchpointFriction,
)
from journeymap.analysis.wording import number, percent, plus_minus
from journeymap.evidence import terminal as evidence_text
from journeymap.evidence.report import by_touchpoint, flag_index
from journeymap.findings import Finding
from journeymap.report.factors_text import factors_section
from journeymap.model import Journey
from journeymap.printable import printable as _p
from journeymap.report.text import finding_line
from journeymap.values import format_duration

LABELS = {"effort": "effort", "emotion": "emotion", "waiting": "waiting",
          "channel_switch": "channel", "hand_off": "hand-off", "asked_again": "asked again",
          "loop": "loop", "failure": "failure"}
SPARKS = {-2: "▁", -1: "▂", 0: "▄", 1: "▆", 2: "█"}
STATUS = {PromiseStatus.KEPT: ("✓ kept", "green"), PromiseStatus.AT_RISK: ("! at risk", "yellow"),
          PromiseStatus.BROKEN: ("✗ broken", "red")}
HOTSPOTS_SHOWN = 3
# A table of thousands of rows helps nobody (and takes rich seconds): past this many touchpoints,
# show only the ones with the largest contributions.
TABLE_ROWS = 200
LARGE_TABLE_ROWS = 50
FINDINGS_AT_ONCE = 200  # lines printed at a time: rich holds every segment of a print (~2 KB a line)


def render(run: ReportRun, color: bool = False, width: int = 80) -> str:
    """The whole report as text ``width`` columns wide (ANSI styles only with ``color``)."""
    out = _Text(strip=not color)
    console = Console(file=out, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      legacy_windows=False)
    if run.evidence is not None:
        console.print(evidence_text.file_page(run.evidence))
    for report in run.journeys:
        # a part at a time: rich makes every segment of what it prints before writing any, and a
        # large journey's findings are thousands of lines
        for part in journey_parts(report):
            console.print(part)
    return out.getvalue()


class _Text(io.TextIOBase):
    """What the console writes, a print at a time; with ``strip``, each line without the padding
    tables add to it (without styles it is only noise). Stripped as it comes, not afterwards: a
    large journey's text was held as it was written, whole, split into lines, stripped and joined."""

    def __init__(self, strip: bool) -> None:
        self.strip = strip
        self.parts: list[str] = []
        self.partial = ""  # the end of the last write, after its last line break

    def write(self, text: str) -> int:
        if not self.strip:
            self.parts.append(text)
            return len(text)
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        self.parts.append("".join(line.rstrip() + "\n" for line in lines))
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.parts) + (self.partial.rstrip() if self.strip else self.partial)


def journey_page(report: JourneyReport) -> RenderableType:
    return Group(*journey_parts(report))


def journey_parts(report: JourneyReport) -> Iterator[RenderableType]:
    """The parts of a journey's page, top to bottom, each made when it is asked for."""
    analysis = report.analysis
    if analysis is None:
        yield Rule(Text(_p(report.file)), style="red")
        yield Text("not a valid journey, so it cannot be scored:", style="bold red")
        yield from _findings(report)
        return
    names = {tp.id: tp.name for tp in analysis.journey.touchpoints}
    confidence = analysis.evidence[0].estimate.confidence if analysis.evidence else 0.95
    yield from _header(report, analysis)
    yield _stage_table(analysis, report.findings)
    yield _emotion_line(analysis.journey)
    yield evidence_text.section(analysis.evidence, report.findings, names, confidence)
    yield _hotspots(analysis)
    yield factors_section(analysis)
    yield _promises(analysis)
    yield from _findings(report)
    yield Text("")


def _header(report: JourneyReport, analysis: Analysis) -> list[RenderableType]:
    journey = analysis.journey
    lines: list[RenderableType] = [Rule(Text(_p(journey.title), style="bold")),
                                   Text(_p(f"{report.file} · id {journey.id}"), style="dim")]
    for label, value in (("Persona", journey.persona), ("Goal", journey.goal)):
        if value:
            lines.append(Text.assemble((f"{label}: ", "bold"), _p(value)))
    friction = analysis.friction
    lines.append(Text.assemble(("Friction: ", "bold"), f"{number(friction.total)} in all, per customer "
                               f"who starts; {len(friction.hotspots)} hotspot(s) above "
                               f"{friction.threshold:g}"))
    return lines


def _stage_table(analysis: Analysis, findings: tuple[Finding, ...] = ()) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    evidence = by_touchpoint(analysis.evidence)
    # only journeys with survey figures give room for them: the names give up the most
    name_ratio, channel_ratio = (4, 3) if evidence else (5, 2)
    table.add_column("Touchpoint", ratio=name_ratio, min_width=14, overflow="fold")
    table.add_column("Channel", ratio=channel_ratio, min_width=7, overflow="fold")
    table.add_column("Owner", ratio=3, min_width=8, overflow="fold")
    table.add_column("Traffic", justify="right", no_wrap=True)
    table.add_column("Friction", justify="right", no_wrap=True)
    table.add_column("Driven by", ratio=4 if evidence else 3, min_width=10, overflow="fold")
    if evidence:
        table.add_column("Evidence", no_wrap=True)
    index = flag_index(findings)
    scored = {tp.touchpoint: tp for tp in analysis.friction.touchpoints}
    shown = _table_rows(analysis)
    if len(shown) < len(scored):
        table.caption = (f"the {len(shown)} touchpoints with the largest contributions, of "
                         f"{len(scored):,}; --format json lists them all")
    for stage in analysis.journey.stages:
        rows = [tp for tp in stage.touchpoints if tp.id in shown]
        if rows:
            table.add_row(Text(_p(stage.name), style="bold underline"))
        for tp in rows:
            s = scored[tp.id]
            hot = tp.id in analysis.friction.hotspots
            cells = [Text(_p(tp.name)), Text(_p(tp.channel or "–")), Text(_p(tp.owner or "–")),
                     number(s.traffic, 2), Text(number(s.friction), style="bold red" if hot else ""),
                     Text(", ".join(LABELS[c] for c in top_components(s, 2)))]
            if evidence:
                cells.append(evidence_text.cell(evidence.get(tp.id, []), index))
            table.add_row(*cells)
    return table


def _table_rows(analysis: Analysis) -> set[str]:
    ranked = analysis.friction.ranked
    return set(ranked if len(ranked) <= TABLE_ROWS else ranked[:LARGE_TABLE_ROWS])


def _emotion_line(journey: Journey) -> Text:
    line = Text.assemble(("Emotion: ", "bold"))
    for stage in journey.stages:
        marks = "".join(SPARKS[tp.emotion] if tp.emotion is not None else "·" for tp in stage.touchpoints)
        line.append(f"{_p(stage.name)} ")
        line.append(marks, style="cyan")
        line.append("   ")
    line.append("(▁ angry … █ delighted, · not given)", style="dim")
    return line


def _hotspots(analysis: Analysis) -> Group:
    friction = analysis.friction
    scored = {tp.touchpoint: tp for tp in friction.touchpoints}
    shown = [scored[t] for t in friction.ranked if scored[t].contribution > 0][:HOTSPOTS_SHOWN]
    title = "Hotspots" if friction.hotspots else f"Highest friction (no hotspot above {friction.threshold:g})"
    parts: list[RenderableType] = [Text(""), Text(title, style="bold")]
    for rank, s in enumerate(shown, 1):
        parts.append(_hotspot(rank, s, analysis.journey, s.touchpoint in friction.hotspots))
    return Group(*parts)


def _hotspot(rank: int, s: TouchpointFriction, journey: Journey, hot: bool) -> Group:
    tp = journey.touchpoint(s.touchpoint)
    text = Text.assemble(f"{rank}. ", (_p(tp.name), "bold"), f" ({_p(tp.id)}): {number(s.contribution)} = "
                         f"friction {number(s.friction)} × {number(s.traffic, 2)} visits")
    if hot:
        text.append(" [JM301]", style="red")
    why = [f"{LABELS[name]} {number(s.components[name])}: {s.why[name]}" for name in top_components(s)]
    return Group(text, _bullets(why))


def _bullets(lines: list[str]) -> Table:
    """Indented ``–`` items whose wrapped lines stay indented."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for line in lines:
        grid.add_row("–", Text(_p(line)))
    return grid


def _promises(analysis: Analysis) -> Group:
    if not analysis.promises:
        return Group(Text(""), Text("Promises: none declared", style="bold"))
    parts: list[RenderableType] = [Text(""), Text("Promises", style="bold")]
    names = {p.id: p for p in analysis.journey.promises}
    for result in analysis.promises:
        parts.append(_promise(result, names[result.promise].name))
    return Group(*parts)


def _promise(result: PromiseResult, name: str) -> Group:
    label, style = STATUS[result.status]
    text = Text.assemble((label, f"bold {style}"), " ", _p(name), (f" ({_p(result.promise)})", "dim"))
    odds = f"{_odds(result)}; fastest {_fastest(result)}"
    return Group(text, _bullets([odds, *result.reasons]))


def _odds(result: PromiseResult) -> str:
    if result.within_seconds is None:
        return f"{percent(result.probability)} of customers get it"
    return (f"{percent(result.probability)}{plus_minus(result.error)} get it in time "
            f"({percent(result.reached)} at all)")


def _fastest(result: PromiseResult) -> str:
    if result.fastest_seconds is None:
        return "never"
    promised = f" vs {format_duration(result.within_seconds)} promised" if result.within_seconds is not None else ""
    return f"{format_duration(result.fastest_seconds)}{promised}"


def _findings(report: JourneyReport) -> Iterator[RenderableType]:
    yield Text("")
    if not report.findings:
        yield Text("Findings: none", style="bold")
        return
    yield Text(f"Findings ({len(report.findings)})", style="bold")
    for start in range(0, len(report.findings), FINDINGS_AT_ONCE):
        yield Group(*(Text(finding_line(f, report.file))
                      for f in report.findings[start:start + FINDINGS_AT_ONCE]))
