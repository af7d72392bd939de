"""How scoring writes numbers for people: shares of customers, and names of things."""

from __future__ import annotations

import math
from functools import lru_cache


def number(value: float, digits: int = 1) -> str:
    """A score for people: ``8.2``; unbounded (customers never leave a loop) as ``∞``."""
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def percent(share: float) -> str:
    """``0.3`` → ``30%``, ``0.125`` → ``12.5%``; tiny and near-whole shares do not round away.

    A share with no value (∞ of ∞ friction, a NaN) is ``–``, never ``nan%``."""
    value = share * 100
    if value != value:
        return "–"
    if value <= 0:
        return "0%"
    if value < 0.1:
        return "<0.1%"
    if 99.9 < value < 100:
        return ">99.9%"
    return f"{value:.1f}".removesuffix(".0") + "%"


def plus_minus(error: float) -> str:
    """`` ± 0.4%`` for an error bound worth showing, else nothing (a share below 0.05% is noise)."""
    return f" ± {percent(error)}" if error >= 0.0005 else ""


def same_text(a: str | None, b: str | None) -> bool:
    """Equal ignoring case and runs of white space; False when either is missing."""
    return a is not None and b is not None and (a == b or normal(a) == normal(b))


@lru_cache(maxsize=4096)  # a journey names the same few channels, owners and items again and again
def normal(text: str) -> str:
    return " ".join(text.split()).casefold()
