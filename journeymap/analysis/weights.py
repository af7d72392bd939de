"""The friction model's defaults, in a module light enough for the config loader to import."""

from __future__ import annotations

# component → weight; the order is the order reports list them in (see docs/scoring.md)
DEFAULT_WEIGHTS: dict[str, float] = {
    "effort": 2.0, "emotion": 2.0, "waiting": 1.5, "channel_switch": 1.0,
    "hand_off": 1.0, "asked_again": 1.0, "loop": 2.0, "failure": 3.0,
}
COMPONENTS = tuple(DEFAULT_WEIGHTS)
# JM301 fires when a touchpoint's contribution (friction × traffic) is above this
DEFAULT_HOTSPOT_THRESHOLD = 6.0
