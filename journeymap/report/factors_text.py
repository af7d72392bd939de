"""The four factors in the terminal report: each factor's friction, its share, its findings, and
the workshop's pain points that declare it."""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from journeymap.analysis.factors import UNASSIGNED
from journeymap.analysis.results import Analysis
from journeymap.analysis.wording import number, percent
from journeymap.printable import printable

PLACES_SHOWN = 2
PAINS_SHOWN = 3


def factors_section(analysis: Analysis) -> Group:
    """``time  4.2  17%  mostly Wait for the visit; findings JM202, JM301``, one line a factor."""
    if not analysis.factors:
        return Group()
    total = analysis.friction.total
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    names = {tp.id: printable(tp.name) for tp in analysis.journey.touchpoints}
    for group in analysis.factors:
        share = percent(group.friction / total) if total and group.friction else "–"
        places = [names[tp] for tp, _ in group.touchpoints[:PLACES_SHOWN]]
        said = [f"mostly {'; '.join(places)}"] if places else []
        if group.findings:
            counts = Counter(f.rule for f in group.findings)
            said.append("findings " + ", ".join(f"{rule}{f' ×{n}' if n > 1 else ''}"
                                                for rule, n in sorted(counts.items())))
        if group.pain_points:
            said.append(_pains(group.pain_points, names))
        style = "dim" if group.factor == UNASSIGNED else ""
        grid.add_row(Text(group.factor, style=style or "bold"), number(group.friction), share,
                     Text("; ".join(said), style=style))
    parts: list[RenderableType] = [Text(""), Text.assemble(
        ("By factor", "bold"), ("  product, people, time, resolution: friction, its share, "
                                "the findings and the pain points", "dim")), grid]
    return Group(*parts)


def _pains(pains: tuple[tuple[str, str], ...], names: dict[str, str]) -> str:
    """``pain points “Long hold music” (Call); …``: the first few, then how many more."""
    shown = [f"“{printable(text)}” ({names[tp]})" for tp, text in pains[:PAINS_SHOWN]]
    more = f"; +{len(pains) - PAINS_SHOWN} more" if len(pains) > PAINS_SHOWN else ""
    return "pain points " + "; ".join(shown) + more
