"""Interval figures against values computed another way (roots of the Wilson quadratic, closed forms
of Student's t, scipy's figures written down, an NPS worked by hand), to 1e-9."""

from __future__ import annotations

import math

import pytest

from journeymap.evidence import intervals as iv

Z95 = 1.959963984540054  # the 0.975 normal quantile (tables: 1.95996 39845 40054)


def wilson_by_quadratic(x: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson bounds are the p with |x/n − p| = z·√(p(1−p)/n): the roots of
    (n + z²)p² − (2x + z²)p + x²/n = 0, whose discriminant simplifies to z²(4x(1 − x/n) + z²);
    the smaller root as c/q (Numerical Recipes' stable form) so that neither loses digits."""
    a, b, c = n + z * z, -(2 * x + z * z), x * x / n
    q = -(b - z * math.sqrt(4 * x * (1 - x / n) + z * z)) / 2
    return c / q, q / a


def test_z_value_is_the_normal_quantile() -> None:
    assert iv.z_value(0.95) == pytest.approx(Z95, abs=1e-12)
    assert iv.z_value(0.90) == pytest.approx(1.6448536269514722, abs=1e-12)
    with pytest.raises(ValueError):
        iv.z_value(1.0)


@pytest.mark.parametrize("x, n", [(41, 50), (7, 10), (230, 300), (1, 3), (500_000, 1_000_000),
                                  (999_999_000, 1_000_000_000)])
def test_wilson_matches_the_roots_of_its_quadratic(x: int, n: int) -> None:
    est = iv.wilson(x, n)
    low, high = wilson_by_quadratic(x, n, Z95)
    assert est.value == pytest.approx(x / n, abs=1e-12)
    assert est.low == pytest.approx(low, abs=1e-9) and est.high == pytest.approx(high, abs=1e-9)
    assert est.margin == pytest.approx((high - low) / 2, abs=1e-9)


def test_wilson_with_no_answers_knows_nothing() -> None:
    est = iv.wilson(0, 0)
    assert (est.value, est.low, est.high, est.n, est.margin) == (None, 0.0, 1.0, 0, 0.5)


def test_wilson_all_satisfied_and_none_satisfied() -> None:
    z2 = Z95 * Z95
    every = iv.wilson(40, 40)  # the upper root is exactly 1, the lower n/(n + z²)
    assert every.high == pytest.approx(1.0, abs=1e-12)
    assert every.low == pytest.approx(40 / (40 + z2), abs=1e-9)
    none = iv.wilson(0, 40)
    assert none.low == pytest.approx(0.0, abs=1e-12)
    assert none.high == pytest.approx(z2 / (40 + z2), abs=1e-9)


def test_wilson_of_one_answer() -> None:
    z2 = Z95 * Z95
    yes = iv.wilson(1, 1)
    assert yes.value == 1.0 and yes.low == pytest.approx(1 / (1 + z2), abs=1e-9)
    assert yes.high == pytest.approx(1.0, abs=1e-12)
    no = iv.wilson(0, 1)
    assert no.high == pytest.approx(z2 / (1 + z2), abs=1e-9)


def test_wilson_for_a_huge_n_meets_the_wald_interval() -> None:
    n, x = 10**12, 8 * 10**11
    est = iv.wilson(x, n)
    wald = Z95 * math.sqrt(0.8 * 0.2 / n)
    assert est.margin == pytest.approx(wald, rel=1e-6)
    assert est.low == pytest.approx(0.8 - wald, abs=1e-9)


def test_adjusted_wald_by_its_definition() -> None:
    z2 = Z95 * Z95
    est = iv.adjusted_wald(8, 10)  # (8 + z²/2)/(10 + z²) ± z√(p̃(1−p̃)/(10 + z²))
    centre = (8 + z2 / 2) / (10 + z2)
    half = Z95 * math.sqrt(centre * (1 - centre) / (10 + z2))
    assert est.low == pytest.approx(centre - half, abs=1e-9)
    assert est.high == pytest.approx(centre + half, abs=1e-9)
    assert iv.adjusted_wald(10, 10).high == 1.0  # clipped
    assert iv.adjusted_wald(0, 0).value is None


def test_counts_that_are_not_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        iv.wilson(5, 4)
    with pytest.raises(ValueError):
        iv.wilson(-1, 4)
    with pytest.raises(ValueError):
        iv.nps(3, 3, 5)


def test_nps_margin_worked_by_hand() -> None:
    # 200 answers: 100 promoters, 50 passives, 50 detractors. p = 0.5, d = 0.25, NPS = 25.
    # var = 0.5 + 0.25 − 0.25² = 0.6875; se = √(0.6875/200) = √0.0034375 = 0.0586301969…
    # margin = 1.959963985 × 0.0586301969 = 0.1149130…  →  NPS 25 ± 11.5 points
    assert iv.nps_variance(100, 50, 200) == pytest.approx(0.6875, abs=1e-15)
    assert iv.nps_margin(100, 50, 200) == pytest.approx(Z95 * 0.05863019699779287, abs=1e-9)
    assert iv.nps_margin(100, 50, 200) == pytest.approx(0.114913, abs=1e-6)


def test_nps_adjusted_wald_worked_by_hand() -> None:
    # The interval adds ¾ to promoters and detractors and 3 to n: 100.75 and 50.75 of 203.
    # p' = 0.4963054187, d' = 0.25, centre = 50/203 = 0.2463054187
    # var = 0.7463054187 − 0.2463054187² = 0.6856390594; se = √(var/203) = 0.0581165408
    est = iv.nps(100, 50, 200)
    p, d = 100.75 / 203, 50.75 / 203
    var = p + d - (p - d) ** 2
    assert var == pytest.approx(0.6856390594, abs=1e-9)
    half = Z95 * math.sqrt(var / 203)
    assert est.value == 0.25
    assert est.low == pytest.approx(50 / 203 - half, abs=1e-9)
    assert est.high == pytest.approx(50 / 203 + half, abs=1e-9)
    assert est.margin == pytest.approx(Z95 * 0.0581165408, abs=1e-9)


def test_nps_edges() -> None:
    assert iv.nps(0, 0, 0).value is None and (iv.nps(0, 0, 0).low, iv.nps(0, 0, 0).high) == (-1, 1)
    # one promoter: NPS 100, yet not a margin of 0 (the plain formula's variance is 1 − 1² = 0).
    # Adjusted: 1.75 and 0.75 of 4, centre 0.25, var 0.625 − 0.0625 = 0.5625, se √(0.5625/4) = 0.375
    every = iv.nps(1, 0, 1)
    assert iv.nps_margin(1, 0, 1) == 0.0
    assert every.value == 1.0 and every.margin == pytest.approx(Z95 * 0.375, abs=1e-9)
    assert every.low == pytest.approx(0.25 - Z95 * 0.375, abs=1e-9)
    huge = iv.nps(6 * 10**8, 2 * 10**8, 10**9)  # the adjusted and plain margins meet
    assert huge.margin == pytest.approx(iv.nps_margin(6 * 10**8, 2 * 10**8, 10**9), rel=1e-6)


@pytest.mark.parametrize("p", [0.9, 0.95, 0.975, 0.995])
def test_t_quantile_closed_forms(p: float) -> None:
    # df 1 (Cauchy), 2 and 4 have closed forms (Hill 1970; Shaw 2006)
    assert iv.t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), abs=1e-9)
    assert iv.t_quantile(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), abs=1e-9)
    alpha = 4 * p * (1 - p)
    q = math.cos(math.acos(math.sqrt(alpha)) / 3) / math.sqrt(alpha)
    assert iv.t_quantile(p, 4) == pytest.approx(2 * math.sqrt(q - 1), abs=1e-9)
    assert iv.t_quantile(1 - p, 4) == pytest.approx(-2 * math.sqrt(q - 1), abs=1e-9)


@pytest.mark.parametrize("p, df, expected", [
    # scipy.stats.t.ppf(p, df), scipy 1.17.1
    (0.975, 9, 2.262157162798205), (0.975, 29, 2.045229642132703), (0.995, 29, 2.756385903670605),
    (0.975, 199, 1.9719565442517533), (0.975, 4999, 1.9604386466615247),
    (0.975, 999999, 1.9599663568164791)])
def test_t_quantile_against_scipy(p: float, df: int, expected: float) -> None:
    assert iv.t_quantile(p, df) == pytest.approx(expected, abs=1e-9)


def test_t_quantile_methods_agree_where_they_meet() -> None:
    """The incomplete beta up to 300 degrees of freedom and the series above it."""
    for p in (0.75, 0.9, 0.975, 0.9995):
        series = iv._cornish_fisher(iv.NormalDist().inv_cdf(p), 300)
        assert iv.t_quantile(p, 300) == pytest.approx(series, abs=1e-9)
        assert iv.t_cdf(iv.t_quantile(p, 301), 301) == pytest.approx(p, abs=1e-11)


def test_mean_interval() -> None:
    est = iv.mean_interval(5.2, 1.3, 30)  # 5.2 ± 2.045229642·1.3/√30
    half = 2.045229642132703 * 1.3 / math.sqrt(30)
    assert (est.low, est.high) == (pytest.approx(5.2 - half, abs=1e-9), pytest.approx(5.2 + half, abs=1e-9))
    assert iv.mean_interval(6.9, 0.5, 30, bounds=(1, 7)).high == 7
    one = iv.mean_interval(4.0, None, 1)
    assert one.value == 4.0 and one.margin is None
    assert iv.mean_interval(None, None, 0).value is None
    huge = iv.mean_interval(3.0, 1.0, 10**8)
    assert huge.margin == pytest.approx(Z95 / 10**4, rel=1e-7)


def test_distribution_summary() -> None:
    # answers 1, 2, 2, 3, 5 on a 1–5 scale: mean 2.6, sd √(((1.6)² + 2(0.6)² + 0.4² + 2.4²)/4) = √2.3
    mean, sd, n = iv.distribution_summary((1, 2, 1, 0, 1), 1)
    assert (mean, n) == (pytest.approx(2.6, abs=1e-12), 5)
    assert sd == pytest.approx(math.sqrt(2.3), abs=1e-12)
    assert iv.distribution_summary((0, 0, 0), 1) == (None, None, 0)
    assert iv.distribution_summary((0, 1, 0), 1) == (2.0, None, 1)


def test_responses_needed() -> None:
    assert iv.responses_for_proportion(0.05) == 385
    assert iv.responses_for_proportion(0.10) == 97
    assert iv.responses_for_proportion(0.03) == 1068
    assert iv.responses_for_nps(0.05, 1.0) == 1537  # worst case: ±9.8 at 400 → ±5 at 1,537
    assert iv.responses_for_mean(0.1, 1.0) == 385


def test_figures_on_the_emotion_scale() -> None:
    """The neutral line at 0, the worst answer at −2, the best at +2, linear on either side."""
    from journeymap.evidence.fields import MEAN, NPS, PROPORTION
    from journeymap.evidence.measure import on_emotion_scale
    from journeymap.evidence.settings import EvidenceSettings
    from journeymap.evidence.measure import measure
    from journeymap.model import Evidence, Span

    span = Span("x", 1, 1)
    settings = EvidenceSettings(satisfied_threshold=0.7, nps_neutral=0)
    csat = measure("t", Evidence("csat", PROPORTION, span, 10, (1, 5), satisfied=7), settings)
    assert [on_emotion_scale(csat, v) for v in (0.0, 0.35, 0.7, 0.85, 1.0)] == pytest.approx(
        [-2, -1, 0, 1, 2])
    nps = measure("t", Evidence("nps", NPS, span, 10, (0, 10), promoters=5, passives=3, detractors=2),
                  settings)
    assert [on_emotion_scale(nps, v) for v in (-1.0, -0.5, 0.0, 0.5, 1.0)] == pytest.approx([-2, -1, 0, 1, 2])
    ces = measure("t", Evidence("ces", MEAN, span, 10, (1, 7), mean=5.5, sd=1.0), settings)
    assert [on_emotion_scale(ces, v) for v in (1, 2.5, 4, 5.5, 7)] == pytest.approx([-2, -1, 0, 1, 2])
    edge = measure("t", Evidence("csat", PROPORTION, span, 10, (1, 5), satisfied=7),
                   EvidenceSettings(satisfied_threshold=1.0))
    assert on_emotion_scale(edge, 1.0) == 0 and on_emotion_scale(edge, 0.5) == -1
