"""The formats of `journeymap export`, behind one registry: name → (journey, config) → text."""

from __future__ import annotations

from collections.abc import Callable

from journeymap.config import Config
from journeymap.model import Journey

Exporter = Callable[[Journey, Config], str]


def _journey(journey: Journey, config: Config) -> str:
    from journeymap.mermaid.journey import mermaid_journey

    return mermaid_journey(journey)


def _flowchart(journey: Journey, config: Config) -> str:
    from journeymap.mermaid.flowchart import emphasis_of, mermaid_flowchart

    return mermaid_flowchart(journey, emphasis_of(journey, config))


EXPORTERS: dict[str, Exporter] = {"mermaid": _journey, "mermaid-flowchart": _flowchart}
