"""The ``[evidence]`` settings of journeymap.toml (``[tool.journeymap.evidence]`` in pyproject.toml)::

    [evidence]
    confidence = 0.95            # or "90%": the confidence level of every interval
    max-margin = 10              # JM401 above ± this many points (see below)
    satisfied-threshold = 0.7    # JM402: a share of satisfied answers below this does not please
    nps-neutral = 0              # JM402: an NPS below this does not please
    max-age = "52w"              # JM403: evidence whose period ended longer ago (off when not set)

Points are what the report shows: percentage points of a share, NPS points, and for a mean, per
cent of its scale's range (±0.6 on a 1–7 scale is 10 points).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from journeymap import values


@dataclass(frozen=True)
class EvidenceSettings:
    confidence: float = 0.95
    max_margin: float = 10.0
    satisfied_threshold: float = 0.7
    nps_neutral: float = 0.0
    max_age_seconds: float | None = None  # None: JM403 is off


KEYS = ("confidence", "max-margin", "satisfied-threshold", "nps-neutral", "max-age")


class SettingError(Exception):
    def __init__(self, key: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.key, self.message, self.hint = key, message, hint


def read_settings(table: dict[str, Any]) -> EvidenceSettings:
    """The settings in a parsed ``[evidence]`` table; a mistake raises :class:`SettingError`."""
    from journeymap.findings import did_you_mean

    for key in table:
        if key not in KEYS:
            raise SettingError(key, f"unknown setting `evidence.{key}`",
                               did_you_mean(key, KEYS) or "settings: " + ", ".join(KEYS))
    default = EvidenceSettings()
    return EvidenceSettings(
        confidence=_get(table, "confidence", parse_confidence, default.confidence),
        max_margin=_get(table, "max-margin", _points, default.max_margin),
        satisfied_threshold=_get(table, "satisfied-threshold", values.parse_share,
                                 default.satisfied_threshold),
        nps_neutral=_get(table, "nps-neutral", _nps_points, default.nps_neutral),
        max_age_seconds=_get(table, "max-age", values.parse_duration, None))


def _get(table: dict[str, Any], key: str, parse: Callable[[Any], Any], default: Any) -> Any:
    if key not in table:
        return default
    try:
        return parse(table[key])
    except values.BadValue as bad:
        raise SettingError(key, f"`evidence.{key}`: {bad.message}", bad.hint) from None


def parse_confidence(value: object) -> float:
    """A confidence level: 0.95 or "95%", from 50% to 99.9%."""
    level = values.parse_share(value)
    if not 0.5 <= level <= 0.999:
        raise values.BadValue(f"confidence `{value}` must be from 50% to 99.9%", "e.g. 0.95 or 90%")
    return level


def _points(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 100:
        return float(value)
    raise values.BadValue(f"`{value}` is not a margin in points", "a number of points above 0, e.g. 10")


def _nps_points(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and -100 <= value <= 100:
        return float(value)
    raise values.BadValue(f"`{value}` is not an NPS", "a number from -100 to 100, e.g. 0")
