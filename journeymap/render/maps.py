"""A journey's map as bytes: the DOT of either view (``map`` or ``flow``), drawn by Graphviz, or
wrapped into the HTML report; ``render_file`` validates, analyses and draws one journey file."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, BinaryIO, Union

from journeymap.analysis.analyse import analyse
from journeymap.analysis.results import Analysis
from journeymap.check import validate_file
from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult
from journeymap.graph import JourneyGraph, build_graph
from journeymap.render.dot import journey_dot_bytes, write_journey_dot
from journeymap.render.output import TIMEOUT, LayoutFailed, RenderError, run_dot
from journeymap.render.page import Page

if TYPE_CHECKING:
    from journeymap.model import Journey
    from journeymap.observe.command import Options as ObserveOptions
    from journeymap.observe.compare import Comparison

PRINT_DPI, LARGE_DPI, LARGE = 144, 96, 60  # PNGs of large maps stay under cairo's size limits
MAX_PIXELS = 30_000  # cairo draws at most 32,767 pixels a side
VIEWS = ("map", "flow")


@dataclass(frozen=True)
class Options:
    """How to draw: the view (``map`` or ``flow``), a paper size, and a draft's gaps."""

    view: str = "map"
    page: Page | None = None
    gaps: dict[str | None, list[str]] = field(default_factory=dict)
    events: tuple[str, ...] = ()  # --observed: an event log (files, folders, globs) to compare
    log: ObserveOptions | None = None  # how to read it (columns); None: the defaults


def render_map(analysis: Analysis, fmt: str, jg: JourneyGraph | None = None,
               timeout: float = TIMEOUT, options: Options = Options(),
               notes: list[str] | None = None, observed: Comparison | None = None) -> bytes:
    """The map of ``analysis`` as ``fmt`` (svg, png, pdf, dot or html) bytes. When Graphviz
    fails on the flow view's layout and straight edges work, ``notes`` gets a sentence saying so.
    ``observed``: an event log's comparison, drawn beside the declared figures (map view, HTML)."""
    placed = options.view == "map"
    if fmt == "dot":
        out = io.BytesIO()
        write_dot(analysis, out, jg, options, observed)
        return out.getvalue()
    jg = jg or build_graph(analysis.journey)
    if placed:
        from journeymap.render.mapview import map_dot_bytes

        # every position is given and neato -n2 only draws: no routing that a retry could avoid
        source = map_dot_bytes(analysis, jg, options.page, options.gaps, observed=observed)
        layout: Callable[[str], bytes] | None = None
    else:
        def layout(splines: str) -> bytes:
            return journey_dot_bytes(analysis, jg, options.page, splines, observed)

    def drawn(fmt: str, dpi: int | None = None) -> bytes:
        if layout is None:
            return run_dot(source, fmt, timeout, dpi, placed=True)
        return draw(layout, fmt, timeout, dpi, notes)

    if fmt == "html":
        from journeymap.render.html import report_html  # rich, for the evidence tables: only here

        return report_html(analysis, drawn("svg").decode("utf-8"), observed).encode("utf-8")
    return drawn(fmt, _dpi(analysis, options) if fmt == "png" else None)


def write_dot(analysis: Analysis, out: BinaryIO, jg: JourneyGraph | None = None,
              options: Options = Options(), observed: Comparison | None = None) -> None:
    """The DOT source of ``options.view`` written to ``out`` as UTF-8 while it is made: a large
    journey's DOT (several times its file) is never held whole."""
    if options.view == "map":
        from journeymap.render.mapview import write_map_dot

        write_map_dot(analysis, out.write, jg, options.page, options.gaps, observed)
    else:
        write_journey_dot(analysis, out.write, jg, options.page, observed=observed)


def draw(source: Callable[[str], str | bytes], fmt: str, timeout: float = TIMEOUT,
         dpi: int | None = None, notes: list[str] | None = None) -> bytes:
    """``source(splines)`` laid out by Graphviz's ``dot`` with curved edges, or, when Graphviz
    crashes or cannot route them (a Graphviz bug that comes and goes with label sizes), with
    straight edges, which need no routing; ``notes`` then says so."""
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


def _dpi(analysis: Analysis, options: Options) -> int:
    dpi = PRINT_DPI if len(analysis.journey.touchpoints) <= LARGE else LARGE_DPI
    if options.page is not None:
        widest = options.page.inches[0]
    elif options.view == "map":
        from journeymap.render.mapview.context import Geometry

        widest = Geometry(analysis.journey, False).content_width / 72
    else:
        return dpi
    return max(24, min(dpi, int(MAX_PIXELS / widest)))


@dataclass(frozen=True)
class Rendered:
    """One journey file's map, or (``data`` None) the findings that kept it from validating.

    With ``render_file(…, later=True)`` a DOT map's ``data`` is a function that writes it to a
    binary file as it is made (:data:`journeymap.files.Writer`, for ``write_atomic``)."""

    result: FileResult
    data: Union[bytes, Callable[[BinaryIO], None], None]
    notes: tuple[str, ...] = field(default=())  # e.g. drawn with straight edges after a crash


def render_file(path: str, fmt: str, config: Config = DEFAULT, options: Options = Options(),
                draft: bool = False, later: bool = False) -> Rendered:
    """Validate ``path`` and, when it validates (with ``draft``: when any of it can be drawn),
    analyse and render it; with ``later``, DOT is written only when the data's writer is called."""
    if draft:
        from journeymap.draft import draft_file

        result, gaps = draft_file(path)
        options = replace(options, gaps=gaps)
    else:
        result = validate_file(path)
    if result.journey is None:
        return Rendered(result, None)
    jg = build_graph(result.journey)
    notes: list[str] = []
    observed = compared(result.journey, options, notes) if options.events else None
    analysis = analyse(result.journey, config, jg)
    if later and fmt == "dot":
        return Rendered(result, lambda out: write_dot(analysis, out, jg, options, observed), tuple(notes))
    data = render_map(analysis, fmt, jg, options=options, notes=notes, observed=observed)
    return Rendered(result, data, tuple(notes))


def compared(journey: Journey, options: Options, notes: list[str]) -> Comparison:
    """The journey beside the options' event log (RenderError, exit 2, when it cannot be read)."""
    from journeymap.observe.command import ObserveError, observe
    from journeymap.observe.command import Options as ObserveOptions

    try:
        comparison = observe(journey, list(options.events), options.log or ObserveOptions())
    except ObserveError as bad:
        raise RenderError(f"--observed: {bad}") from None
    if not comparison.observed.cases:
        notes.append("no event of the log matches a touchpoint (by id, name or observed_as), so "
                     "the observed figures are all empty")
    return comparison
