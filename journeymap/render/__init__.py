"""Journey maps: DOT source from the model and its analysis, drawn by Graphviz, or an HTML report.

``journey_dot`` (pure) → ``run_dot`` (Graphviz) → ``write_atomic``; ``report_html`` wraps the SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from journeymap.analysis.analyse import analyse
from journeymap.analysis.results import Analysis
from journeymap.check import validate_file
from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult
from journeymap.graph import JourneyGraph, build_graph
from journeymap.render.dot import journey_dot, journey_dot_bytes
from journeymap.render.html import report_html
from journeymap.render.output import TIMEOUT, LayoutFailed, RenderError, run_dot

PRINT_DPI, LARGE_DPI, LARGE = 144, 96, 60  # PNGs of large maps stay under cairo's size limits


def render_map(analysis: Analysis, fmt: str, jg: JourneyGraph | None = None,
               timeout: float = TIMEOUT, notes: list[str] | None = None) -> bytes:
    """The map of ``analysis`` as ``fmt`` (svg, png, pdf, dot or html) bytes. When Graphviz
    fails on the layout and a simpler one works, ``notes`` gets a sentence saying so."""
    if fmt == "dot":
        return journey_dot_bytes(analysis, jg)
    jg = jg or build_graph(analysis.journey)

    def source(splines: str) -> str:
        return journey_dot(analysis, jg, splines)

    notes = [] if notes is None else notes
    if fmt == "html":
        svg = draw(source, "svg", timeout, notes=notes).decode("utf-8")
        return report_html(analysis, svg).encode("utf-8")
    dpi = None
    if fmt == "png":
        dpi = PRINT_DPI if len(analysis.journey.touchpoints) <= LARGE else LARGE_DPI
    return draw(source, fmt, timeout, dpi, notes)


def draw(source: Callable[[str], str], fmt: str, timeout: float = TIMEOUT, dpi: int | None = None,
         notes: list[str] | None = None) -> bytes:
    """``source(splines)`` drawn by Graphviz with curved edges, or, when Graphviz crashes or
    cannot route them (a Graphviz bug that comes and goes with label sizes), with straight
    edges, which need no routing; ``notes`` then says so."""
    try:
        return run_dot(source("spline"), fmt, timeout, dpi)
    except LayoutFailed as problem:
        first = problem
    try:
        data = run_dot(source("line"), fmt, timeout, dpi)
    except RenderError as second:
        raise RenderError(f"{first}; drawing it again with straight edges failed too ({second}). "
                          "Write the DOT source with `--format dot` and try another Graphviz "
                          "version, or change a long name in the journey") from None
    if notes is not None:
        notes.append(f"{first}; the map is drawn with straight edges instead")
    return data


@dataclass(frozen=True)
class Rendered:
    """One journey file's map, or (``data`` None) the findings that kept it from validating."""

    result: FileResult
    data: bytes | None
    notes: tuple[str, ...] = field(default=())  # e.g. drawn with straight edges after a crash


def render_file(path: str, fmt: str, config: Config = DEFAULT) -> Rendered:
    """Validate ``path`` and, when it validates, analyse and render it."""
    result = validate_file(path)
    if result.journey is None:
        return Rendered(result, None)
    jg = build_graph(result.journey)
    notes: list[str] = []
    data = render_map(analyse(result.journey, config, jg), fmt, jg, notes=notes)
    return Rendered(result, data, tuple(notes))
