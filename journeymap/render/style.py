"""The map's visual language, shared by the Graphviz map and the HTML report so both read alike.

Friction is a sequential scale (pale sand to deep coral) that stays readable in greyscale print;
status colours follow the usual traffic-light meaning; text is always dark on light.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from journeymap.analysis.results import PromiseStatus
from journeymap.values import EMOTION_WORDS

# A pango family list: Noto Sans first, then the Noto fonts of the scripts journeys are written in
# (otherwise fontconfig picks DejaVu for Arabic); anything else falls back per glyph.
FONT = "Noto Sans,Noto Sans Arabic,Noto Sans Hebrew,Noto Sans Thai"
INK = "#1f2933"
MUTED = "#52606d"
HAIRLINE = "#9aa5b1"
STAGE_FILL = "#f5f7fa"
NO_DATA = "#ffffff"

FRICTION_FILLS = ("#fef6e4", "#fde2b5", "#fbc384", "#f59e5f", "#e8704a")
HOTSPOT = "#b3261e"
FAILURE = "#c62828"
RECOVERY = "#00796b"
FLOW = "#616e7c"
SUCCESS = "#2e7d32"
SUCCESS_FILL = "#e3f4e4"
LOST = "#37474f"
LOST_FILL = "#e4e7eb"

STATUS_COLORS = {
    PromiseStatus.KEPT: "#2e7d32",
    PromiseStatus.AT_RISK: "#b26a00",
    PromiseStatus.BROKEN: "#c62828",
}

# -2 … 2: a diverging scale, red for anger to green for delight.
EMOTION_COLORS = {-2: "#c62828", -1: "#ef6c00", 0: "#78909c", 1: "#7cb342", 2: "#2e7d32"}


def emotion_word(value: int) -> str:
    return EMOTION_WORDS[value]


@dataclass(frozen=True)
class FrictionScale:
    """Five equal bins from 0 to the journey's highest friction, or to the hotspot threshold when
    that is higher (so a calm journey stays pale): the map's legend."""

    top: float

    @classmethod
    def of(cls, frictions: Iterable[float], floor: float = 0.0) -> FrictionScale:
        # a loop customers never leave can make a score infinite or undefined: it does not set
        # the scale (it is drawn in the top bin, or as no data)
        return cls(max(chain((f for f in frictions if 0 < f < math.inf), [floor])))

    def bin(self, friction: float) -> int:
        if self.top <= 0 or friction <= 0:
            return 0
        if friction == math.inf:
            return len(FRICTION_FILLS) - 1
        return min(len(FRICTION_FILLS) - 1, int(friction / self.top * len(FRICTION_FILLS)))

    def fill(self, friction: float | None) -> str:
        if friction is None or math.isnan(friction):
            return NO_DATA
        return FRICTION_FILLS[self.bin(friction)]

    def bins(self) -> list[tuple[str, str]]:
        """(fill, "low–high") for each bin, for a legend."""
        n = len(FRICTION_FILLS)
        if self.top <= 0:
            return [(FRICTION_FILLS[0], "0")]
        edges = [self.top * i / n for i in range(n + 1)]
        return [(FRICTION_FILLS[i], f"{edges[i]:.1f}–{edges[i + 1]:.1f}") for i in range(n)]


def percent(p: float) -> str:
    """0.3 → ``30%``; small shares keep one decimal so 0.5% does not read as 0%; a share with no
    value (∞ of ∞) is ``—``."""
    value = p * 100
    if value != value:
        return "—"
    if 0 < value < 10 and round(value) != value:
        return f"{value:.1f}%"
    return f"{value:.0f}%"
