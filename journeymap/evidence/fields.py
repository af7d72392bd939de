"""Evidence as written (in a journey or a CSV row) to :class:`Evidence`: parsers for its values,
and the checks across its fields (counts that add up, a scale that fits, counts or a summary).

The parsers take what YAML gives (ints, floats, strings, lists) and raise :class:`BadValue`, like
those of :mod:`journeymap.values`; the CSV join hands them cells already turned into numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from journeymap.model import Evidence, Span
from journeymap.values import BadValue

METRICS = ("csat", "ces", "nps")
# The scale each standard metric is asked on: CSAT 1–5, CES 2.0 1–7 (higher is easier), NPS 0–10.
DEFAULT_SCALES = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}
FACTORS = ("product", "people", "time", "resolution")
PROPORTION, NPS, MEAN = "proportion", "nps", "mean"
COUNT_KEYS = ("satisfied", "promoters", "passives", "detractors", "distribution")
SUMMARY_KEYS = ("mean", "sd")
MAX_SCALE_POINTS = 101
MAX_COUNT = 10**12

_SCALE = re.compile(r"^\s*(-?\d+)\s*(?:-|–|\.\.|to)\s*(-?\d+)\s*$")
_COUNT_HINT = "a count is a whole number 0 or more, e.g. 240"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_count(value: object) -> int:
    """A whole number of answers, 0 or more."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadValue(f"`{value}` is not a count", _COUNT_HINT)
    if value < 0:
        raise BadValue(f"`{value}` is negative: a count is 0 or more", _COUNT_HINT)
    if value > MAX_COUNT:  # more answers than people, and beyond what floats divide safely
        raise BadValue(f"`{value}` answers is more than any survey gets", _COUNT_HINT)
    return value


def parse_number(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise BadValue(f"`{value}` is not a number", "write a number such as 5.4")


def parse_counts(value: object) -> tuple[int, ...]:
    """Answers per scale point, lowest first: a list, or text such as ``2 3 10 25 60``."""
    hint = "list the answers per scale point, lowest first: [2, 3, 10, 25, 60]"
    if isinstance(value, str):
        parts = [p for p in re.split(r"[\s;|/]+", value.strip()) if p]
        value = [int(p) if re.fullmatch(r"\d+", p) else p for p in parts]
    if not isinstance(value, (list, tuple)) or not value:
        raise BadValue(f"`{value}` is not a list of counts", hint)
    out = []
    for item in value:
        try:
            out.append(parse_count(item))
        except BadValue as bad:
            raise BadValue(f"in the distribution, {bad.message}", hint) from None
    return tuple(out)


def parse_scale(value: object) -> tuple[int, int]:
    """The answer scale's lowest and highest points: ``1-5``, ``0..10``, or ``[1, 7]``."""
    hint = "write the lowest and highest answer, e.g. 1-5 or 0-10"
    low = high = None
    if isinstance(value, str) and (m := _SCALE.match(value)):
        low, high = int(m.group(1)), int(m.group(2))
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(_whole(v) for v in value):
        low, high = value
    if low is None or high is None:
        raise BadValue(f"`{value}` is not a scale", hint)
    if not low < high or high - low + 1 > MAX_SCALE_POINTS:
        raise BadValue(f"scale `{value}` must run upwards over 2 to {MAX_SCALE_POINTS} points", hint)
    return low, high


def parse_metric(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split()).lower()
    raise BadValue(f"`{value}` is not a metric", "csat, ces, nps, or a name of your own with `scale:`")


def parse_factor(value: object) -> str:
    word = value.strip().lower() if isinstance(value, str) else None
    if word in FACTORS:
        return word
    from journeymap.findings import did_you_mean

    raise BadValue(f"`{value}` is not one of the four factors",
                   did_you_mean(str(value), FACTORS) or "use product, people, time or resolution")


# -- across the fields ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A mistake across an evidence item's fields, at ``key`` (None: the item as a whole)."""

    key: str | None
    message: str
    hint: str | None = None


class _Rejected(Exception):
    def __init__(self, key: str | None, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(key, message, hint)


def build_evidence(fields: dict[str, Any], span: Span) -> tuple[Evidence | None, Problem | None]:
    """The evidence in ``fields`` (values already parsed), or the first problem that stops it."""
    try:
        return _build(fields, span), None
    except _Rejected as rejected:
        return None, rejected.problem


def _build(fields: dict[str, Any], span: Span) -> Evidence:
    metric = fields["metric"]
    scale = _scale(metric, fields.get("scale"))
    counts = [k for k in COUNT_KEYS if k in fields]
    summary = [k for k in SUMMARY_KEYS if k in fields]
    if counts and summary:
        raise _Rejected(summary[0], f"give counts ({', '.join(counts)}) or a summary (mean, sd), "
                        "not both", "keep the counts: the summary follows from them")
    common = {"metric": metric, "span": span, "scale": scale, "source": fields.get("source"),
              "period": fields.get("period")}
    if metric == "nps":
        return _nps(fields, common)
    if "distribution" in fields:
        return _distribution(fields, common)
    if summary:
        return _summary(fields, common)
    if "satisfied" in fields:
        return _satisfied(fields, common)
    for key in ("promoters", "passives", "detractors"):
        if key in fields:
            raise _Rejected(key, f"`{key}` counts NPS answers, but the metric is `{metric}`",
                            "write `metric: nps`, or give `satisfied:` for a share of satisfied answers")
    raise _Rejected(None, f"{metric} evidence needs counts or a summary",
                    "give `responses` and `satisfied`, a `distribution`, or `mean`, `sd` and `responses`")


def _scale(metric: str, given: tuple[int, int] | None) -> tuple[int, int]:
    default = DEFAULT_SCALES.get(metric)
    if metric == "nps" and given is not None and given != default:
        raise _Rejected("scale", "NPS is asked on a scale of 0-10", "leave `scale:` out for NPS")
    if given is None and default is None:
        raise _Rejected("metric", f"`{metric}` is not csat, ces or nps, so it needs `scale:`",
                        "add e.g. `scale: 1-5` (the lowest and highest answer)")
    return given or default  # type: ignore[return-value]


def _responses(fields: dict[str, Any], total: int, parts: str) -> int:
    given = fields.get("responses")
    if given is not None and given != total:
        raise _Rejected("responses", f"`responses` is {given}, but {parts} add up to {total}",
                        "the counts must add up to the number of answers")
    return total


def _nps(fields: dict[str, Any], common: dict[str, Any]) -> Evidence:
    for key in ("satisfied", "mean", "sd"):
        if key in fields:
            raise _Rejected(key, f"NPS is counted from promoters, passives and detractors, not `{key}`")
    if "distribution" in fields:
        dist = _points(fields["distribution"], common["scale"])
        promoters, passives, detractors = sum(dist[9:]), sum(dist[7:9]), sum(dist[:7])
        n = _responses(fields, sum(dist), "the distribution's counts")
        return Evidence(kind=NPS, responses=n, promoters=promoters, passives=passives,
                        detractors=detractors, distribution=dist, **common)
    for key in ("promoters", "detractors"):
        if key not in fields:
            raise _Rejected(None, f"NPS evidence needs `{key}`",
                            "give promoters (9-10), passives (7-8) and detractors (0-6)")
    promoters, detractors = fields["promoters"], fields["detractors"]
    passives = fields.get("passives")
    if passives is None:
        if "responses" not in fields:
            raise _Rejected(None, "NPS evidence needs `passives` or `responses`",
                            "give the passives (7-8), or the number of answers")
        passives = fields["responses"] - promoters - detractors
        if passives < 0:
            raise _Rejected("responses", f"`responses` is {fields['responses']}, fewer than the "
                            f"{promoters + detractors} promoters and detractors")
    n = _responses(fields, promoters + passives + detractors, "promoters, passives and detractors")
    return Evidence(kind=NPS, responses=n, promoters=promoters, passives=passives,
                    detractors=detractors, **common)


def _points(dist: tuple[int, ...], scale: tuple[int, int]) -> tuple[int, ...]:
    points = scale[1] - scale[0] + 1
    if len(dist) != points:
        raise _Rejected("distribution", f"the distribution has {len(dist)} counts, but the scale "
                        f"{scale[0]}-{scale[1]} has {points} points",
                        "give one count per answer, lowest first (a 0 where nobody chose it)")
    return dist


def _distribution(fields: dict[str, Any], common: dict[str, Any]) -> Evidence:
    from journeymap.evidence.intervals import distribution_summary

    dist = _points(fields["distribution"], common["scale"])
    if "satisfied" in fields:
        raise _Rejected("satisfied", "give `satisfied` or a `distribution`, not both",
                        "CSAT counts the top two answers of the distribution as satisfied")
    n = _responses(fields, sum(dist), "the distribution's counts")
    mean, sd, _ = distribution_summary(dist, common["scale"][0])
    if common["metric"] == "csat":  # CSAT is the share of the top two answers (4 and 5 of 5)
        return Evidence(kind=PROPORTION, responses=n, satisfied=sum(dist[-2:]), mean=mean, sd=sd,
                        distribution=dist, **common)
    return Evidence(kind=MEAN, responses=n, mean=mean, sd=sd, distribution=dist, **common)


def _summary(fields: dict[str, Any], common: dict[str, Any]) -> Evidence:
    for key in ("mean", "responses"):
        if key not in fields:
            raise _Rejected(None, f"a summary needs `{key}`", "give `mean`, `sd` and `responses`")
    n, mean, sd = fields["responses"], fields["mean"], fields.get("sd")
    low, high = common["scale"]
    if not low <= mean <= high:
        raise _Rejected("mean", f"the mean {mean:g} is outside the scale {low}-{high}",
                        "check the scale: give `scale:` if the answers are not on the default")
    if sd is None and n > 1:
        raise _Rejected(None, "a summary of more than one answer needs `sd` (the standard deviation)",
                        "without the spread of the answers no margin can be computed")
    if sd is not None and sd < 0:
        raise _Rejected("sd", f"the standard deviation {sd:g} is negative")
    if sd is not None and sd > high - low:  # answers on a scale cannot spread wider than it
        raise _Rejected("sd", f"the standard deviation {sd:g} is wider than the scale {low}-{high}",
                        "check the scale: give `scale:` if the answers are not on the default")
    return Evidence(kind=MEAN, responses=n, mean=mean, sd=sd, **common)


def _satisfied(fields: dict[str, Any], common: dict[str, Any]) -> Evidence:
    if "responses" not in fields:
        raise _Rejected("satisfied", "`satisfied` needs `responses`: satisfied out of how many?")
    satisfied, n = fields["satisfied"], fields["responses"]
    if satisfied > n:
        raise _Rejected("satisfied", f"{satisfied} satisfied of {n} responses is more than all of them",
                        "satisfied counts the answers that were satisfied, out of `responses`")
    return Evidence(kind=PROPORTION, responses=n, satisfied=satisfied, **common)
