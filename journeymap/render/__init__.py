"""Journey maps: DOT source from the model and its analysis, drawn by Graphviz, or an HTML report.

Two views: ``map`` (:func:`journeymap.render.mapview.map_dot`, placed by the layout and drawn by
``neato -n2``) and ``flow`` (:func:`journeymap.render.dot.journey_dot`, laid out by ``dot``).
DOT (pure) → ``run_dot`` (Graphviz) → ``write_atomic``; ``report_html`` wraps the SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.analysis.analyse import analyse
from journeymap.analysis.results import Analysis
from journeymap.check import validate_file
from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult
from journeymap.graph import JourneyGraph, build_graph
from journeymap.render.dot import journey_dot
from journeymap.render.html import report_html
from journeymap.render.mapview import map_dot
from journeymap.render.mapview.context import Geometry
from journeymap.render.output import TIMEOUT, run_dot
from journeymap.render.page import PAGES, Page

PRINT_DPI, LARGE_DPI, LARGE = 144, 96, 60  # PNGs of large maps stay under cairo's size limits
MAX_PIXELS = 30_000  # cairo draws at most 32,767 pixels a side
VIEWS = ("map", "flow")


@dataclass(frozen=True)
class Options:
    """How to draw: the view (``map`` or ``flow``), a paper size, and a draft's gaps."""

    view: str = "map"
    page: Page | None = None
    gaps: dict[str | None, list[str]] = field(default_factory=dict)


def render_map(analysis: Analysis, fmt: str, jg: JourneyGraph | None = None,
               timeout: float = TIMEOUT, options: Options = Options()) -> bytes:
    """The map of ``analysis`` as ``fmt`` (svg, png, pdf, dot or html) bytes."""
    placed = options.view == "map"
    if placed:
        source = map_dot(analysis, jg, options.page, options.gaps)
    else:
        source = journey_dot(analysis, jg, options.page)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt == "html":
        svg = run_dot(source, "svg", timeout, placed=placed).decode("utf-8")
        return report_html(analysis, svg).encode("utf-8")
    dpi = _dpi(analysis, options) if fmt == "png" else None
    return run_dot(source, fmt, timeout, dpi, placed=placed)


def _dpi(analysis: Analysis, options: Options) -> int:
    dpi = PRINT_DPI if len(analysis.journey.touchpoints) <= LARGE else LARGE_DPI
    if options.page is not None:
        widest = options.page.inches[0]
    elif options.view == "map":
        widest = Geometry(analysis.journey, False).content_width / 72
    else:
        return dpi
    return max(24, min(dpi, int(MAX_PIXELS / widest)))


@dataclass(frozen=True)
class Rendered:
    """One journey file's map, or (``data`` None) the findings that kept it from validating."""

    result: FileResult
    data: bytes | None


def render_file(path: str, fmt: str, config: Config = DEFAULT, options: Options = Options(),
                draft: bool = False) -> Rendered:
    """Validate ``path`` and, when it validates (with ``draft``: when any of it can be drawn),
    analyse and render it."""
    if draft:
        from journeymap.draft import draft_file

        result, gaps = draft_file(path)
        options = Options(options.view, options.page, gaps)
    else:
        result = validate_file(path)
    if result.journey is None:
        return Rendered(result, None)
    jg = build_graph(result.journey)
    return Rendered(result, render_map(analyse(result.journey, config, jg), fmt, jg,
                                       options=options))


__all__ = ["PAGES", "VIEWS", "Options", "Rendered", "render_file", "render_map"]
