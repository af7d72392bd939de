"""A journey as a Mermaid `journey` diagram, for the peer comparison with Mermaid's CLI (mmdc).

    python bench/mermaid.py JOURNEY.yaml OUT.mmd

Mermaid's journey diagram has sections (our stages) of tasks (touchpoints) with a 1–5 score (our
emotion, −2…2, shifted) and actors (our owner). It has no failures, loops or promises: the
comparison is of drawing time for the same touchpoints, not of what the two maps show.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeymap.check import validate_file  # noqa: E402
from journeymap.model import Journey  # noqa: E402


def _clean(text: str) -> str:
    return re.sub(r"[:;#\n\r]+", " ", text).strip() or "-"  # Mermaid's separators and comments


def mermaid_journey(journey: Journey) -> str:
    lines = ["journey", f"  title {_clean(journey.title)}"]
    for stage in journey.stages:
        lines.append(f"  section {_clean(stage.name)}")
        for tp in stage.touchpoints:
            score = (tp.emotion if tp.emotion is not None else 0) + 3
            lines.append(f"    {_clean(tp.name)}: {score}: {_clean(tp.owner or 'Customer')}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    result = validate_file(sys.argv[1])
    if result.journey is None:
        sys.exit(f"{sys.argv[1]} does not validate")
    Path(sys.argv[2]).write_text(mermaid_journey(result.journey), encoding="utf-8")
