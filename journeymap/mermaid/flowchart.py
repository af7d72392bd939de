"""A journey as a Mermaid ``flowchart``: the flow, the failures and the way back to success.

Stages are subgraphs, touchpoints nodes (ends as rounded ``success``/``lost`` nodes), the flow solid
arrows, failures dashed red arrows labelled with the failure, and the recovery path (the way back
after each failure, up to where it rejoins the main path: render.marks.recovery_edges) thick teal
arrows. A failure that leads nowhere points at a
``stranded`` node. Node ids are generated (``t1``, ``t2`` …) so that any touchpoint id, in any
script, is safe; the names are the labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from journeymap.graph import Transition, effective_outcome, transitions
from journeymap.mermaid.text import escape
from journeymap.config import DEFAULT, Config
from journeymap.model import Journey, Outcome

CLASSES = {
    "success": "fill:#d1fae5,stroke:#047857,color:#064e3b",
    "lost": "fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d",
    "stranded": "fill:#fff,stroke:#b91c1c,stroke-dasharray:4 3,color:#7f1d1d",
    "hotspot": "stroke:#b91c1c,stroke-width:3px",
    "added": "fill:#dcfce7,stroke:#15803d,stroke-width:2px",
    "changed": "fill:#fef3c7,stroke:#b45309,stroke-width:2px",
}
FAILURE_STYLE = "stroke:#b91c1c,stroke-width:1.5px,stroke-dasharray:5 4"
RECOVERY_STYLE = "stroke:#0f766e,stroke-width:3px"


@dataclass(frozen=True)
class Emphasis:
    """What the analysis (or a diff) says about the drawing."""

    hotspots: frozenset[str] = frozenset()
    recovery: frozenset[tuple[str, str]] = frozenset()
    # touchpoint id → an extra class ("added", "changed") that a diff gives it
    marks: Mapping[str, str] = field(default_factory=dict)


def mermaid_flowchart(journey: Journey, emphasis: Emphasis = Emphasis()) -> str:
    """The Mermaid ``flowchart`` source of ``journey``."""
    ids = {tp.id: f"t{n}" for n, tp in enumerate(journey.touchpoints, 1)}
    lines = [f"flowchart {'RL' if journey.rtl else 'LR'}", f"  %% {escape(journey.title)}"]
    endings = {tp.id: effective_outcome(journey, i, tp) for i, tp in enumerate(journey.touchpoints)}
    for n, stage in enumerate(journey.stages, 1):
        lines.append(f'  subgraph s{n}["{escape(stage.name)}"]')
        lines.extend(f"    {_node(tp.name, ids[tp.id], endings[tp.id])}" for tp in stage.touchpoints)
        lines.append("  end")
    edges, failures, recovery = _edges(journey, ids, emphasis)
    lines.extend(f"  {edge}" for edge in edges)
    lines.extend(_styles(journey, ids, emphasis, failures, recovery))
    return "\n".join(lines) + "\n"


def _node(name: str, node_id: str, ending: Outcome | None) -> str:
    label = f'"{escape(name)}"'
    return f"{node_id}([{label}])" if ending else f"{node_id}[{label}]"


def _edges(journey: Journey, ids: dict[str, str], emphasis: Emphasis) -> tuple[list[str], list[int], list[int]]:
    """Edge lines, and the indexes of failure and recovery edges (for ``linkStyle``)."""
    edges: list[str] = []
    failures: list[int] = []
    recovery: list[int] = []
    for index, tp in enumerate(journey.touchpoints):
        ways = list(transitions(journey, index, tp))
        for t in ways:
            if t.kind == "failure":
                failures.append(len(edges))
            elif (t.source, t.target) in emphasis.recovery:
                recovery.append(len(edges))
            edges.append(_edge(ids[t.source], ids[t.target], _label(t, len(ways) > 1), t.kind == "failure"))
        for n, failure in enumerate(f for f in tp.failures if f.to is None):
            stranded = f"{ids[tp.id]}x{n + 1}"
            failures.append(len(edges))
            edges.append(_edge(ids[tp.id], f'{stranded}(["stranded"])', escape(failure.name), True))
    return edges, failures, recovery


def _label(t: Transition, several: bool) -> str:
    share = f"{t.p:.0%}" if several and t.p > 0 else ""
    words = " ".join(part for part in (t.label or "", share) if part)
    return escape(words) if words else ""


def _edge(source: str, target: str, label: str, dashed: bool) -> str:
    arrow = "-.->" if dashed else "-->"
    return f'{source} {arrow}|"{label}"| {target}' if label else f"{source} {arrow} {target}"


def _styles(journey: Journey, ids: dict[str, str], emphasis: Emphasis, failures: list[int],
            recovery: list[int]) -> list[str]:
    lines = [f"  classDef {name} {style}" for name, style in CLASSES.items()]
    groups: dict[str, list[str]] = {name: [] for name in CLASSES}
    for index, tp in enumerate(journey.touchpoints):
        ending = effective_outcome(journey, index, tp)
        if ending is not None:
            groups["success" if ending is Outcome.SUCCESS else "lost"].append(ids[tp.id])
        if tp.id in emphasis.hotspots:
            groups["hotspot"].append(ids[tp.id])
        if emphasis.marks.get(tp.id) in CLASSES:
            groups[emphasis.marks[tp.id]].append(ids[tp.id])
        groups["stranded"] += [f"{ids[tp.id]}x{n + 1}" for n, _ in
                               enumerate(f for f in tp.failures if f.to is None)]
    lines += [f"  class {','.join(nodes)} {name}" for name, nodes in groups.items() if nodes]
    if failures:
        lines.append(f"  linkStyle {','.join(map(str, failures))} {FAILURE_STYLE}")
    if recovery:
        lines.append(f"  linkStyle {','.join(map(str, recovery))} {RECOVERY_STYLE}")
    return lines


def emphasis_of(journey: Journey, config: Config = DEFAULT,
                marks: Mapping[str, str] | None = None) -> Emphasis:
    """Hotspots (scored with ``config``) and recovery paths of ``journey``, plus a diff's ``marks``."""
    from journeymap.analysis.analyse import analyse
    from journeymap.graph import build_graph
    from journeymap.render.marks import recovery_edges

    jg = build_graph(journey)
    analysis = analyse(journey, config, jg)
    return Emphasis(frozenset(analysis.friction.hotspots), recovery_edges(jg), dict(marks or {}))
