"""Reporters for `check` and `validate`: each a pure function from a RunResult to text.

This file only names the registry (``registry``); modules inside the package import each other,
never this file.
"""

from journeymap.report.registry import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter"]
