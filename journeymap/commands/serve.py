"""`serve`: workshop mode, live maps in the browser."""

from __future__ import annotations

import os
from typing import Optional

import typer

from journeymap.printable import printable
from journeymap.cli_support import CONFIG, fail_usage, load_settings


def serve(path: str = typer.Argument(".", metavar="[PATH]",
                                     help="A journey file, or a folder of them (default: here)."),
          port: Optional[int] = typer.Option(
              None, "--port", "-p", min=0, max=65535,
              help="Port to listen on. Default: the first free one from 8000 on; a port given "
              "here that is taken is an error."),
          host: str = typer.Option(
              "127.0.0.1", "--host", help="Address to listen on. Default 127.0.0.1: this machine "
              "only. Another address (0.0.0.0: every network) shows the journeys to the network."),
          open_browser: bool = typer.Option(False, "--open", help="Open the page in the browser."),
          config: Optional[str] = CONFIG) -> None:
    """Workshop mode: a local web page of every journey under PATH that re-draws itself as files
    are saved. Each journey's page shows its map (the one `render` draws), its findings with
    file:line:col and hints, its hotspots and promises. A save that breaks a journey keeps the
    last good map on the wall and shows the errors above it. Ctrl-C stops.

    \b
    Examples:
      journeymap serve journeys/                 prints the address, e.g. http://127.0.0.1:8000/
      journeymap serve journeys/returns.yaml --open
      journeymap serve --port 9000 .
      journeymap serve --host 0.0.0.0 journeys/  visible to everyone on the network
    """
    import threading

    from journeymap.serve.app import CannotListen, is_loopback, stop_on_terminate
    from journeymap.serve.app import serve as serve_journeys

    settings = load_settings(config, None)
    if not os.path.exists(path):
        raise fail_usage(f"no such file or folder: {path}")
    if not is_loopback(host):
        typer.echo(f"journeymap serve: warning: listening on {host}: anyone who can reach this "
                   "machine on the network can read these journeys", err=True)
    stop = threading.Event()
    stop_on_terminate(stop)
    try:
        serve_journeys(path, host, port, settings, stop=stop, open_browser=open_browser,
                       announce=lambda url: typer.echo(f"journeymap serve: {url} (Ctrl-C to stop)"),
                       log=lambda message: typer.echo(f"journeymap serve: {printable(message)}", err=True))
    except CannotListen as problem:
        raise fail_usage(str(problem)) from None
    typer.echo("journeymap serve: stopped", err=True)
