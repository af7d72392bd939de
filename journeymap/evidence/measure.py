"""Each evidence item's figure, interval and margin in points, the line it is judged against, and
the answers it would need: what reporters show and what JM401/JM402 judge.

Points are what people read: percentage points of a share, NPS points (−100…100), and for a mean
per cent of its scale's range, so that one ``max-margin`` bound fits every metric.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.evidence import intervals as iv
from journeymap.evidence.fields import MEAN, NPS, PROPORTION
from journeymap.evidence.settings import EvidenceSettings
from journeymap.model import Evidence, Journey

NAMES = {"csat": "CSAT", "ces": "CES", "nps": "NPS"}


@dataclass(frozen=True)
class Measured:
    touchpoint: str  # its id
    evidence: Evidence
    estimate: iv.Estimate
    points: float  # points per unit of the estimate: 100 for shares and NPS, 100/range for means
    line: float  # the neutral line (satisfied threshold, NPS neutral, mid-scale), in estimate units
    needed: int  # answers for a margin of ``max_margin`` points

    @property
    def name(self) -> str:
        return NAMES.get(self.evidence.metric, self.evidence.metric)

    @property
    def margin_points(self) -> float | None:
        margin = self.estimate.margin
        return None if margin is None else margin * self.points

    def thin(self, settings: EvidenceSettings) -> bool:
        """JM401: no margin can be computed, or it is wider than the configured bound."""
        margin = self.margin_points
        return margin is None or margin > settings.max_margin + 1e-9

    def side(self) -> int:
        """+1 when the whole interval is above the line, −1 when wholly below, 0 otherwise."""
        low, high = self.estimate.low, self.estimate.high
        if self.estimate.value is None or low is None or high is None:
            return 0
        return 1 if low > self.line else -1 if high < self.line else 0


def on_emotion_scale(m: Measured, value: float) -> float:
    """``value`` (in the estimate's units) placed on the emotion scale −2…2, so that a figure can
    stand beside the declared emotion: the figure's range maps piecewise-linearly with its neutral
    line (the one JM402 judges against) at 0, the worst answer at −2 and the best at +2."""
    low, high = _range(m)
    line = min(max(m.line, low), high)
    if value <= line:
        return -2.0 if line == low else -2.0 * (line - value) / (line - low)
    return 2.0 if line == high else 2.0 * (value - line) / (high - line)


def _range(m: Measured) -> tuple[float, float]:
    if m.evidence.kind == MEAN:
        return float(m.evidence.scale[0]), float(m.evidence.scale[1])
    return (-1.0, 1.0) if m.evidence.kind == NPS else (0.0, 1.0)


def measure(tp_id: str, e: Evidence, settings: EvidenceSettings) -> Measured:
    c = settings.confidence
    bound = settings.max_margin / 100
    if e.kind == PROPORTION:
        est = iv.wilson(e.satisfied or 0, e.responses, c)
        return Measured(tp_id, e, est, 100.0, settings.satisfied_threshold,
                        iv.responses_for_proportion(bound, c))
    if e.kind == NPS:
        est = iv.nps(e.promoters or 0, e.detractors or 0, e.responses, c)
        # the spread seen so far (adjusted like the interval); with no answers, the worst case
        n = e.responses + 3
        variance = iv.nps_variance((e.promoters or 0) + 0.75, (e.detractors or 0) + 0.75, n)
        return Measured(tp_id, e, est, 100.0, settings.nps_neutral / 100,
                        iv.responses_for_nps(bound, variance if e.responses else 1.0, c))
    assert e.kind == MEAN
    low, high = e.scale
    est = iv.mean_interval(e.mean, e.sd, e.responses, c, (low, high))
    spread = e.sd if e.sd else (high - low) / 2  # unknown spread: the widest a scale allows
    return Measured(tp_id, e, est, 100 / (high - low), (low + high) / 2,
                    iv.responses_for_mean(bound * (high - low), spread, c))


def measure_journey(journey: Journey, settings: EvidenceSettings) -> tuple[Measured, ...]:
    """Every evidence item of the journey, in file order."""
    return tuple(measure(tp.id, e, settings) for tp in journey.touchpoints for e in tp.evidence)


# -- words ----------------------------------------------------------------------------------


def figure(m: Measured, with_n: bool = True, with_interval: bool = False) -> str:
    """``CSAT 82% ± 5.1 (n = 230)``, ``NPS +25 ± 11.4 (n = 200)``, ``CES 5.4 ± 0.29 on 1-7 (n = 80)``;
    with the interval: ``CSAT 82% ± 5.1 (76.4%–86.6%, n = 230)``."""
    value = m.estimate.value
    inside = [interval_text(m)] if with_interval and m.estimate.margin is not None else []
    inside += [f"n = {m.estimate.n:,}"] if with_n else []
    n = f" ({', '.join(inside)})" if inside else ""
    if value is None:
        return f"{m.name}: no answers"
    margin = m.estimate.margin
    if m.evidence.kind == MEAN:
        low, high = m.evidence.scale
        if margin is None:
            return f"{m.name} {value:.1f} on {low}-{high}{n}, no margin from one answer"
        return f"{m.name} {value:.1f} ± {margin:.2g} on {low}-{high}{n}"
    shown = f"{value * 100:+.0f}" if m.evidence.kind == NPS else f"{value * 100:.0f}%"
    return f"{m.name} {shown} ± {margin * m.points:.1f}{n}" if margin is not None else f"{m.name} {shown}{n}"


def short(m: Measured) -> tuple[str, str]:
    """For a table cell: ``CSAT 82%±5`` and ``n=230``, ``NPS +25±11`` and ``n=200``."""
    value, margin, n = m.estimate.value, m.estimate.margin, m.estimate.n
    name = m.name if len(m.name) <= 10 else m.name[:9] + "…"
    if value is None:
        return name, "n=0"
    if m.evidence.kind == MEAN:
        spread = f"±{margin:.1f}" if margin is not None else ""
        return f"{name} {value:.1f}{spread}", f"n={n:,}"
    shown = f"{value * 100:+.0f}" if m.evidence.kind == NPS else f"{value * 100:.0f}%"
    spread = f"±{margin * 100:.0f}" if margin is not None else ""
    return f"{name} {shown}{spread}", f"n={n:,}"


def interval_text(m: Measured) -> str:
    """The interval itself: ``76%–87%``, ``+14…+36``, ``5.1–5.7``."""
    low, high = m.estimate.low, m.estimate.high
    if low is None or high is None:
        return "—"
    if m.evidence.kind == MEAN:
        return f"{low:.2f}–{high:.2f}"
    if m.evidence.kind == NPS:
        return f"{low * 100:+.1f} … {high * 100:+.1f}"
    return f"{low * 100:.1f}%–{high * 100:.1f}%"


def line_text(m: Measured) -> str:
    """The line JM402 judges against, in the figure's own terms."""
    if m.evidence.kind == MEAN:
        return f"the middle of the scale ({m.line:g})"
    if m.evidence.kind == NPS:
        return f"an NPS of {m.line * 100:+g}"
    return f"the {m.line * 100:g}% satisfied threshold"
