"""`render`: maps (SVG, PNG, PDF, DOT) and HTML reports, once or on every save (--watch)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, List, Optional, Tuple

import typer

from journeymap.printable import printable
from journeymap.cli_support import CONFIG, JOBS, PATHS, fail_usage, load_settings, selected_files
from journeymap.commands.event_log import event_log_options
from journeymap.commands.drawing import portfolio_clash, render_all, render_one, write_portfolio

if TYPE_CHECKING:
    from journeymap.config import Config
    from journeymap.observe.command import Options as ObserveOptions
    from journeymap.render import Options as RenderOptions


class RenderFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    html = "html"


class RenderView(str, Enum):
    map = "map"
    flow = "flow"


class PageSize(str, Enum):
    a4 = "a4"
    a3 = "a3"
    a2 = "a2"
    a1 = "a1"
    a0 = "a0"


@event_log_options
def render(paths: List[str] = PATHS,
           out: Optional[str] = typer.Option(
               None, "--output", "-o", metavar="OUT",
               help="A file (one journey), a folder (created if needed; any OUT ending in / or "
               "without a suffix, or when there are several journeys), or - for standard output. "
               "Default: next to each journey, same name, new suffix."),
           watch: bool = typer.Option(
               False, "--watch", "-w", help="Keep running: re-draw a journey each time its file is "
               "saved (and draw new journeys that appear in a folder). A save that breaks the "
               "journey is reported and its old map stays. Ctrl-C stops."),
           output_format: Optional[RenderFormat] = typer.Option(
               None, "--format", "-f", help="svg (default), png, pdf, dot or html; when not given, "
               "the suffix of an OUT file decides (map.png)."),
           view: RenderView = typer.Option(
               RenderView.map, "--view", help="map (default): the journey map, stages across and "
               "lanes down (steps, emotion curve, pain points, opportunities, backstage…); flow: "
               "the flowchart of every path, failure and promise."),
           page: Optional[PageSize] = typer.Option(
               None, "--page", help="Scale the map to a landscape paper size: a4, a3, a2, a1 or "
               "a0 (a PDF at a3 is 420 × 297 mm; a PNG has the paper's shape)."),
           draft: bool = typer.Option(
               False, "--draft", help="Draw a journey that does not validate yet (blank values, "
               "unknown references): what is valid is drawn and each gap is marked on the map."),
           observed: Optional[List[str]] = typer.Option(
               None, "--observed", metavar="EVENTS", help="An event log (file, folder or glob; "
               "repeat for more): the map view gets a lane of observed figures beside the "
               "declared ones (visits, shares with their interval, times, promises kept), the "
               "flow view observed shares on its edges, the HTML report a section of tables "
               "(docs/observe.md)."),
           log: Optional[ObserveOptions] = None,  # --case-column … --spark-master (event_log.py)
           config: Optional[str] = CONFIG, jobs: Optional[int] = JOBS) -> None:
    """Draw each journey as a journey map: stages as columns; lanes for the steps, what the customer
    does and thinks, the emotion curve along the most likely path (branches dashed), pain points
    (the workshop's, hotspots, broken promises), opportunities and backstage. --view flow draws the
    flowchart instead. Or a self-contained HTML report with the map, the emotion curve, hotspots,
    promises and findings.

    Maps go next to each journey (journeys/a.yaml → journeys/a.svg) unless -o names a file or a
    folder. A journey that does not validate is reported on stderr and skipped (exit 1); the others are
    still drawn. Existing maps are replaced only by complete new ones. Needs Graphviz (`dot`),
    except for --format dot. Exit code: 0 all drawn, 1 a journey skipped, 2 could not run.

    \b
    Examples:
      journeymap render journeys/fridge-delivery.yaml       writes journeys/fridge-delivery.svg
      journeymap render --watch journeys/ -o maps/          re-draw each map on every save
      journeymap render journeys/ -o maps/ --format png     one PNG per journey, in maps/
      journeymap render a.yaml -o wall/a.pdf                the format from the suffix
      journeymap render a.yaml --format html -o a.html      the report, one file, no network
      journeymap render journeys/ --format html -o site/    a report each, and site/index.html
      journeymap render a.yaml --view flow                  the flowchart of every path
      journeymap render a.yaml -o wall/a.pdf --page a3      a poster, 420 × 297 mm
      journeymap render draft.yaml --draft -o wall.png      a half-finished wall, gaps marked
      journeymap render a.yaml --format dot -o - | dot -Kneato -n2 -Tsvg > a.svg
      journeymap render journeys/ -o maps/ --jobs 1         one map at a time
      journeymap render a.yaml --observed events.parquet     the log's figures on the map
      journeymap render a.yaml -f html --observed logs/ -o a.html   observed vs declared tables
    """
    from journeymap.render.targets import choose_format

    settings = load_settings(config, None)
    files = selected_files(paths, settings)
    fmt = choose_format(output_format.value if output_format else None, out)
    from journeymap.render import Options
    from journeymap.render.page import PAGES

    options = Options(view.value, PAGES[page.value] if page else None, events=tuple(observed or ()),
                      log=log if observed else None)
    if watch:
        watch_render(paths, files, out, fmt, settings, options, draft)
    targets, portfolio = planned(files, out, fmt)
    code = render_all(targets, fmt, settings, options, draft, jobs)
    if portfolio:
        code = max(code, write_portfolio(targets, str(out), settings))
    raise typer.Exit(code)


def planned(files: List[str], out: Optional[str], fmt: str) -> Tuple[List[Tuple[str, str]], bool]:
    """Each journey's target, and whether an index of the HTML reports goes with them (HTML into a
    folder); a usage error when OUT does not fit the journeys, an index page would overwrite a
    report or a journey (render and render --watch alike), or Graphviz is missing."""
    from journeymap.render.output import RenderError, find_dot
    from journeymap.render.portfolio import check_portfolio_names
    from journeymap.render.targets import TargetError, is_folder, plan

    try:
        targets = plan(files, out, fmt)
        portfolio = fmt == "html" and out not in (None, "-") and is_folder(str(out), len(files))
        if portfolio:
            check_portfolio_names([target for _, target in targets])
        clash = portfolio_clash(targets, str(out)) if portfolio else None
        if clash is not None:
            raise TargetError(clash)
        if fmt != "dot":
            find_dot()
    except (TargetError, RenderError) as problem:
        raise fail_usage(str(problem)) from None
    return targets, portfolio


def watch_render(paths: List[str], files: List[str], out: Optional[str], fmt: str,
                 settings: Config, options: RenderOptions | None = None, draft: bool = False) -> None:
    """`render --watch`: draw every journey, then each one again when it is saved, until Ctrl-C."""
    import threading

    from journeymap.serve.app import stop_on_terminate
    from journeymap.serve.rerender import rerender

    if out == "-":
        raise fail_usage("--watch re-writes files: give -o a file or a folder, not -")
    _, portfolio = planned(files, out, fmt)
    stop = threading.Event()
    stop_on_terminate(stop)
    rerender(paths, settings.selects, out, fmt,
             lambda file, target: render_one(file, target, fmt, settings, options, draft),
             stop, log=lambda message: typer.echo(f"journeymap: {printable(message)}", err=True),
             after=(lambda targets: write_portfolio(targets, str(out), settings)) if portfolio else None)
    raise typer.Exit(0)
