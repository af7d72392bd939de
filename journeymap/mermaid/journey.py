"""A journey as a Mermaid ``journey`` diagram: sections are stages, tasks are touchpoints.

Mermaid's journey has only a title, sections and ``Task: score: actors``. The score (1–5) is the
touchpoint's emotion shifted by 3 (−2 → 1, neutral or not given → 3, 2 → 5); the actor is its owner.
Failures, the flow and promises have no place in it: ``flowchart`` draws those.
"""

from __future__ import annotations

from journeymap.mermaid.text import escape
from journeymap.model import Journey, Touchpoint

NEUTRAL = 3  # the score of a touchpoint that gives no emotion


def score(tp: Touchpoint) -> int:
    """The touchpoint's emotion (−2…2) on Mermaid's 1–5 scale."""
    return NEUTRAL + (tp.emotion or 0)


def mermaid_journey(journey: Journey) -> str:
    """The Mermaid ``journey`` source of ``journey``."""
    lines = ["journey", f"  title {escape(journey.title)}"]
    for stage in journey.stages:
        lines.append(f"  section {escape(stage.name)}")
        lines.extend(f"    {_task(tp)}" for tp in stage.touchpoints)
    return "\n".join(lines) + "\n"


def _task(tp: Touchpoint) -> str:
    actors = f": {escape(tp.owner)}" if tp.owner else ""
    return f"{escape(tp.name)}: {score(tp)}{actors}"
