"""Confidence intervals for survey figures: pure arithmetic on counts, nothing imported but math.

* Proportions (CSAT, top-two box): the **Wilson** score interval. It never leaves 0…1, is never
  zero wide when every answer (or none) is satisfied, and keeps close to the stated coverage at any
  n, which the plain Wald interval (p ± z·√(p(1−p)/n)) does not at the small n or the 90 %-plus
  shares that touchpoint surveys have. :func:`adjusted_wald` (Agresti–Coull: the Wilson centre
  with a Wald width, slightly wider) is here too for those who report it.
* NPS: promoters count +1, detractors −1, passives 0, so the variance of one answer is
  p + d − (p − d)² and the margin z·√(var/n). With the plain formula a handful of answers that all
  agree has variance 0 and a margin of 0, so :func:`nps` uses the adjusted-Wald form (Rocks 2016):
  ¾ added to promoters and to detractors and 3 to n, for the interval only.
* Means (CES, a score on a scale): Student's t interval, mean ± t·sd/√n, with the t quantile
  computed here (the regularized incomplete beta by continued fraction, solved by safeguarded
  Newton steps; the
  Cornish–Fisher expansion above 300 degrees of freedom) so that no scipy is needed.

Figures are fractions (0.82, an NPS of 0.25) as computed; reporters turn them into points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

WILSON, ADJUSTED_WALD, NPS_ADJUSTED, T_MEAN = "wilson", "adjusted-wald", "nps-adjusted-wald", "t"
# Above this, the Cornish–Fisher series is within 4e-11 of the quantile up to p = 0.9995 (99.9 %
# confidence), and much faster than the continued fraction, which slows as df grows.
_LARGE_DF = 300


@dataclass(frozen=True, slots=True)
class Estimate:
    """An observed figure with its interval. ``value`` is None when there is no answer at all;
    ``low``/``high`` are None when the interval cannot be computed (a mean of one answer)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    confidence: float
    method: str

    @property
    def margin(self) -> float | None:
        """Half the interval's width: the ± shown beside the figure."""
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile: 1.959964 for 0.95."""
    _check_confidence(confidence)
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")


def _clip(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def _counts(successes: int, n: int) -> None:
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"{successes} of {n} is not a count")


def wilson(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    """The Wilson score interval of a proportion: centre (p + z²/2n)/(1 + z²/n), half-width
    z/(1 + z²/n)·√(p(1−p)/n + z²/4n²). With n = 0 nothing is known: 0…1."""
    _counts(successes, n)
    z = z_value(confidence)
    if n == 0:
        return Estimate(None, 0.0, 1.0, 0, confidence, WILSON)
    p = successes / n
    scale = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Estimate(p, _clip(centre - half, 0, 1), _clip(centre + half, 0, 1), n, confidence, WILSON)


def adjusted_wald(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    """Agresti–Coull: add z²/2 successes and z²/2 failures, then the Wald interval (clipped)."""
    _counts(successes, n)
    z = z_value(confidence)
    if n == 0:
        return Estimate(None, 0.0, 1.0, 0, confidence, ADJUSTED_WALD)
    n_adj = n + z * z
    p_adj = (successes + z * z / 2) / n_adj
    half = z * math.sqrt(p_adj * (1 - p_adj) / n_adj)
    return Estimate(successes / n, _clip(p_adj - half, 0, 1), _clip(p_adj + half, 0, 1), n,
                    confidence, ADJUSTED_WALD)


def nps_variance(promoters: float, detractors: float, n: float) -> float:
    """The variance of one answer's score (+1, 0, −1): p + d − (p − d)²."""
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps_margin(promoters: int, detractors: int, n: int, confidence: float = 0.95) -> float:
    """The plain margin of error of an NPS (as a fraction): z·√(var/n)."""
    return z_value(confidence) * math.sqrt(nps_variance(promoters, detractors, n) / n)


def nps(promoters: int, detractors: int, n: int, confidence: float = 0.95) -> Estimate:
    """The NPS (p − d, a fraction from −1 to 1) with the adjusted-Wald interval: p and d from
    promoters + ¾ and detractors + ¾ over n + 3, margin z·√(var/(n + 3)), clipped to −1…1."""
    if min(promoters, detractors) < 0 or promoters + detractors > n:
        raise ValueError(f"{promoters} promoters and {detractors} detractors of {n} are not counts")
    if n == 0:
        return Estimate(None, -1.0, 1.0, 0, confidence, NPS_ADJUSTED)
    p_adj, d_adj, n_adj = promoters + 0.75, detractors + 0.75, n + 3
    centre = (p_adj - d_adj) / n_adj
    half = z_value(confidence) * math.sqrt(nps_variance(p_adj, d_adj, n_adj) / n_adj)
    return Estimate((promoters - detractors) / n, _clip(centre - half, -1, 1),
                    _clip(centre + half, -1, 1), n, confidence, NPS_ADJUSTED)


def mean_interval(mean: float | None, sd: float | None, n: int, confidence: float = 0.95,
                  bounds: tuple[float, float] | None = None) -> Estimate:
    """Student's t interval of a mean, mean ± t(n−1)·sd/√n, clipped to ``bounds`` (the scale)
    when given. One answer has no spread to measure, so it has no interval."""
    _check_confidence(confidence)
    if n == 0 or mean is None:
        return Estimate(None, None, None, n, confidence, T_MEAN)
    if n == 1 or sd is None:
        return Estimate(mean, None, None, n, confidence, T_MEAN)
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = _clip(low, *bounds), _clip(high, *bounds)
    return Estimate(mean, low, high, n, confidence, T_MEAN)


def distribution_summary(counts: tuple[int, ...], lowest: int) -> tuple[float | None, float | None, int]:
    """The mean, the sample standard deviation (n − 1) and n of answers counted per scale point,
    ``counts[0]`` answers at ``lowest``, ``counts[1]`` at ``lowest + 1`` and so on."""
    n = sum(counts)
    if n == 0:
        return None, None, 0
    mean = sum((lowest + i) * c for i, c in enumerate(counts)) / n
    if n == 1:
        return mean, None, 1
    squares = sum(c * (lowest + i - mean) ** 2 for i, c in enumerate(counts))
    return mean, math.sqrt(squares / (n - 1)), n


# -- sample sizes ---------------------------------------------------------------------------


def responses_for_proportion(margin: float, confidence: float = 0.95, p: float = 0.5) -> int:
    """Answers needed for a proportion's margin to be ``margin`` (a fraction): z²·p(1−p)/margin².
    The default p = 0.5 is the worst case, enough whatever the answers turn out to be: 385 for
    ±5 points at 95 %."""
    z = z_value(confidence)
    return math.ceil(z * z * p * (1 - p) / (margin * margin) - 1e-9)


def responses_for_nps(margin: float, variance: float, confidence: float = 0.95) -> int:
    """Answers needed for an NPS margin of ``margin`` (a fraction) at this answer variance
    (1 is the worst case: half promoters, half detractors)."""
    z = z_value(confidence)
    return math.ceil(z * z * variance / (margin * margin) - 1e-9)


def responses_for_mean(margin: float, sd: float, confidence: float = 0.95) -> int:
    """Answers needed for a mean's margin of ``margin`` (scale points) at this spread, by the
    normal approximation: (z·sd/margin)²."""
    z = z_value(confidence)
    return math.ceil((z * sd / margin) ** 2 - 1e-9)


# -- Student's t ----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (df ≥ 1)."""
    if df < 1 or not 0 < p < 1:
        raise ValueError(f"no t quantile for p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    if p == 0.5:
        return 0.0
    if df > _LARGE_DF:
        return _cornish_fisher(NormalDist().inv_cdf(p), df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:  # the upper tail halves at most as fast as 1/t: this ends quickly
        low, high = high, high * 2
    # Newton's method from the series' guess, kept inside the bracket (bisecting when a step
    # would leave it): a handful of steps instead of fifty halvings
    t = min(max(_cornish_fisher(NormalDist().inv_cdf(p), df), low), high)
    for _ in range(200):
        error = t_cdf(t, df) - p
        if error == 0:
            return t
        low, high = (t, high) if error < 0 else (low, t)
        step = t - error / _t_pdf(t, df)
        following = step if low < step < high else (low + high) / 2
        if abs(following - t) <= 1e-15 * t or following in (low, high):
            return following
        t = following
    return t


def _t_pdf(t: float, df: int) -> float:
    log_scale = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_scale - (df + 1) / 2 * math.log1p(t * t / df))


def t_cdf(t: float, df: int) -> float:
    """P(T ≤ t) for Student's t: 1 − ½·I(df/(df + t²); df/2, ½) for t ≥ 0."""
    tail = 0.5 * _beta_regularized(df / (df + t * t), df / 2, 0.5)
    return 1 - tail if t >= 0 else tail


def _cornish_fisher(z: float, df: int) -> float:
    """Abramowitz & Stegun 26.7.5: the t quantile as a series in 1/df around the normal one."""
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _beta_regularized(x: float, a: float, b: float) -> float:
    """I_x(a, b), by the continued fraction on whichever side of the mean converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1 - math.exp(log_front) * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The incomplete beta's continued fraction, evaluated by the modified Lentz method."""
    tiny = 1e-300

    def guard(v: float) -> float:
        return tiny if abs(v) < tiny else v

    c, d = 1.0, 1 / guard(1 - (a + b) * x / (a + 1))
    h = d
    for m in range(1, 100_000):
        for coefficient in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 / guard(1 + coefficient * d)
            c = guard(1 + coefficient / c)
            h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return h
