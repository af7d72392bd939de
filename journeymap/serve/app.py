"""`journeymap serve` as a whole: scan, bind, announce, watch, and shut down cleanly.

The command line passes in how to speak (``announce`` for the one line with the address, ``log``
for anything else); nothing here prints or exits.
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import threading
from collections.abc import Callable

from journeymap.config import DEFAULT, Config
from journeymap.serve.server import LOOPBACK_NAMES, Hub, LiveServer
from journeymap.serve.watching import watch_changes
from journeymap.serve.workspace import Workspace

DEFAULT_PORT, PORT_TRIES = 8000, 20


class CannotListen(Exception):
    """The address or port cannot be used (a usage error: exit 2); the message says what to do."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int | None, workspace: Workspace, hub: Hub,
         log: Callable[[str], None]) -> LiveServer:
    """A server listening on ``host``: on ``port``, or (None) the first free one from 8000 on."""
    hosts = frozenset(LOOPBACK_NAMES | {host.lower()}) if is_loopback(host) else None
    candidates = [port] if port is not None else [*range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES), 0]
    for candidate in candidates:
        try:
            return LiveServer((host.strip("[]"), candidate), workspace, hub, log, hosts)
        except OSError as problem:
            if problem.errno == errno.EADDRINUSE and port is None:
                continue
            raise CannotListen(_why(host, candidate, problem)) from None
    raise CannotListen(f"no free port on {host}")  # pragma: no cover - port 0 always answers


def _why(host: str, port: int, problem: OSError) -> str:
    if problem.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use: choose another with --port, "
                "or leave --port out to take a free one near 8000")
    if problem.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need privileges): choose another"
    return f"cannot listen on {host} port {port}: {problem.strerror or problem}"


def url_of(server: LiveServer, host: str) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host.strip("[]")
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{server.port}/"


def serve(root: str, host: str = "127.0.0.1", port: int | None = None, config: Config = DEFAULT,
          announce: Callable[[str], None] = lambda _: None, log: Callable[[str], None] = lambda _: None,
          open_browser: bool = False, poll: bool = False, stop: threading.Event | None = None) -> None:
    """Serve the journeys under ``root`` until ``stop`` is set or Ctrl-C; :class:`CannotListen`
    when the address cannot be used."""
    stop = stop or threading.Event()
    workspace, hub = Workspace(root, config, log=log), Hub()
    server = bind(host, port, workspace, hub, log)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.25},
                               name="journeymap-http", daemon=True)
    try:
        workspace.refresh()
        serving.start()
        url = url_of(server, host)
        announce(url)
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        watch_changes([root], _follower(workspace, hub, log), stop, poll, log)
    except KeyboardInterrupt:
        pass
    finally:
        hub.close()  # event streams end first, so no page thread is left writing
        if serving.is_alive():
            server.shutdown()  # waits for serve_forever, so only when it runs
        server.server_close()


def _follower(workspace: Workspace, hub: Hub, log: Callable[[str], None]) -> Callable[[], None]:
    def follow() -> None:
        try:
            changed = workspace.refresh()
        except Exception as bug:  # noqa: BLE001 - the wall keeps its last state, the log says why
            log(f"could not rescan {workspace.root}: {type(bug).__name__}: {bug}")
            return
        if changed:
            hub.publish(changed)

    return follow


def stop_on_terminate(stop: threading.Event) -> None:
    """SIGTERM (a service manager, `kill`) stops the server as cleanly as Ctrl-C does."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
