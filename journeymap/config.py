"""Settings that change what `check` reports; every field defaults to the documented behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.findings import Severity


@dataclass(frozen=True)
class Config:
    # Rule id → severity, or None to turn the rule off. Rules not named keep their default.
    severities: dict[str, Severity | None] = field(default_factory=dict)
    # Friction component → weight; components not named keep the scoring defaults.
    weights: dict[str, float] = field(default_factory=dict)
    # The friction contribution above which JM301 fires; None keeps the scoring default.
    hotspot_threshold: float | None = None


DEFAULT = Config()
