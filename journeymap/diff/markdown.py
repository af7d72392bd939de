"""The diff as GitHub-flavoured Markdown for a pull-request comment or a job summary: a summary
line, then per changed journey what got worse, tables of changes and scores, and the new version as
a Mermaid flowchart (GitHub draws it inline) with added touchpoints green and changed ones amber."""

from __future__ import annotations

from journeymap.diff.compare import DiffResult, JourneyDiff
from journeymap.diff.words import change, finding, named, number, percent, points, status, summary
from journeymap.printable import printable

_KINDS = {"added": "➕ added", "removed": "➖ removed", "renamed": "✏️ renamed", "changed": "✏️ changed",
          "moved": "↔️ moved"}


def render(result: DiffResult, diagrams: bool = True) -> str:
    mark = "❌" if result.worse else "✅"
    parts = [f"## journeymap diff\n\n{mark} **{_cell(summary(result))}**"]
    parts += [_journey(j, diagrams) for j in result.changed]
    return "\n\n".join(parts) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a table cell or a line: no pipes, no HTML, one line, no control characters."""
    return printable(" ".join(text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
                    .replace(">", "&gt;").split()))


def _table(head: list[str], rows: list[list[str]], align: str = "") -> str:
    if not rows:
        return ""
    rule = [("--:" if i and "r" in align else "---") for i in range(len(head))]
    lines = [head, rule, *rows]
    return "\n".join("| " + " | ".join(_cell(c) if n != 1 else c for c in line) + " |"
                     for n, line in enumerate(lines))


def _journey(j: JourneyDiff, diagrams: bool) -> str:
    title = _cell(j.title or j.journey_id)
    s = j.scores
    facts = [f"`{_cell(j.old or '—')}` → `{_cell(j.new or '—')}`",
             f"friction {number(s.total.before)} → {number(s.total.after)} ({change(s.total)})",
             f"hotspots +{len(s.hotspots_new)} −{len(s.hotspots_cleared)}",
             f"findings {len(s.findings_new)} new, {len(s.findings_fixed)} fixed"]
    parts = [f"### {title} (`{_cell(j.journey_id)}`) — {j.status}", " · ".join(facts)]
    if j.worse:
        parts.append("**Worse for the customer:**\n\n" + "\n".join(f"- {_cell(r)}" for r in j.worse))
    parts.append(_table(["change", "what"], [[_KINDS.get(c.kind, c.kind), c.text] for c in j.changes]))
    parts.append(_scores(j))
    if diagrams and j.journey is not None:
        parts.append(_diagram(j))
    return "\n\n".join(p for p in parts if p)


def _scores(j: JourneyDiff) -> str:
    s = j.scores
    friction = [[named(j, d.subject), number(d.before), number(d.after), change(d)] for d in s.friction]
    friction += [[f"hotspot new: {named(j, h)}", "", "", "▲"] for h in s.hotspots_new]
    friction += [[f"hotspot cleared: {named(j, h)}", "", "", "✓"] for h in s.hotspots_cleared]
    promises = [[named(j, p.subject), f"{status(p.status_before)} → {status(p.status_after)}",
                 percent(p.before), percent(p.after), points(p)] for p in s.promises]
    findings = ([[_state("new", f.recovery), finding(f)] for f in s.findings_new] +
                [[_state("fixed", f.recovery), finding(f)] for f in s.findings_fixed])
    return "\n\n".join(t for t in (
        _table(["touchpoint", "friction before", "after", "change"], friction, "r"),
        _table(["promise", "status", "kept in time before", "after", "change"], promises, "r"),
        _table(["finding", "rule and message"], findings)) if t)


def _state(state: str, recovery: bool) -> str:
    return f"{state} (recovery)" if recovery else state


def _diagram(j: JourneyDiff) -> str:
    from journeymap.graph import build_graph
    from journeymap.mermaid.flowchart import Emphasis, mermaid_flowchart
    from journeymap.render.marks import recovery_edges

    assert j.journey is not None
    emphasis = Emphasis(frozenset(j.hotspots), recovery_edges(build_graph(j.journey)), j.marks)
    return ("<details open><summary>The journey after this change (added touchpoints green, changed "
            "amber, hotspots with a red border)</summary>\n\n"
            f"```mermaid\n{mermaid_flowchart(j.journey, emphasis)}```\n\n</details>")
