"""How to read an event log: its column names, the engine and its limits.

A module of its own, with nothing heavy to import, because every command that can take
``--observed`` makes these options at start-up, whether a log is given or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Options:
    columns: dict[str, str | None] = field(default_factory=dict)
    engine: str = "duckdb"
    memory_limit: str | None = None
    spark_master: str | None = None
    confidence: float = 0.95
    top_variants: int = 10
