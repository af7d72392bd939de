"""A journey as a Mermaid `journey` diagram, for the peer comparison with Mermaid's CLI (mmdc).

    python bench/mermaid.py JOURNEY.yaml OUT.mmd

The converter lives in the package (`journeymap export --format mermaid`, journeymap.mermaid); this
script keeps the benchmark's command line. Mermaid's journey diagram has sections (our stages) of
tasks (touchpoints) with a 1–5 score (our emotion, −2…2, shifted) and actors (our owner). It has no
failures, loops or promises: the comparison is of drawing time for the same touchpoints, not of what
the two maps show.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeymap.check import validate_file  # noqa: E402
from journeymap.mermaid.journey import mermaid_journey  # noqa: E402

__all__ = ["mermaid_journey"]

if __name__ == "__main__":
    result = validate_file(sys.argv[1])
    if result.journey is None:
        sys.exit(f"{sys.argv[1]} does not validate")
    Path(sys.argv[2]).write_text(mermaid_journey(result.journey), encoding="utf-8")
