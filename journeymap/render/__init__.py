"""Journey maps: DOT source from the model and its analysis, drawn by Graphviz, or an HTML report.

``journey_dot`` (pure) → ``run_dot`` (Graphviz) → ``write_atomic``; ``report_html`` wraps the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.analysis.analyse import analyse
from journeymap.analysis.results import Analysis
from journeymap.check import validate_file
from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult
from journeymap.graph import JourneyGraph, build_graph
from journeymap.render.dot import journey_dot
from journeymap.render.html import report_html
from journeymap.render.output import TIMEOUT, run_dot

PRINT_DPI, LARGE_DPI, LARGE = 144, 96, 60  # PNGs of large maps stay under cairo's size limits


def render_map(analysis: Analysis, fmt: str, jg: JourneyGraph | None = None,
               timeout: float = TIMEOUT) -> bytes:
    """The map of ``analysis`` as ``fmt`` (svg, png, pdf, dot or html) bytes."""
    source = journey_dot(analysis, jg)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt == "html":
        svg = run_dot(source, "svg", timeout).decode("utf-8")
        return report_html(analysis, svg).encode("utf-8")
    dpi = None
    if fmt == "png":
        dpi = PRINT_DPI if len(analysis.journey.touchpoints) <= LARGE else LARGE_DPI
    return run_dot(source, fmt, timeout, dpi)


@dataclass(frozen=True)
class Rendered:
    """One journey file's map, or (``data`` None) the findings that kept it from validating."""

    result: FileResult
    data: bytes | None


def render_file(path: str, fmt: str, config: Config = DEFAULT) -> Rendered:
    """Validate ``path`` and, when it validates, analyse and render it."""
    result = validate_file(path)
    if result.journey is None:
        return Rendered(result, None)
    jg = build_graph(result.journey)
    return Rendered(result, render_map(analyse(result.journey, config, jg), fmt, jg))
