"""The local web server of workshop mode: the standard library's ThreadingHTTPServer.

It answers a fixed set of addresses and nothing else:

    /                  the index of journeys          /j/<path>       one journey's page
    /api/index         the index's fresh <main>       /api/j/<path>   a journey's fresh <main>
    /events            server-sent events: which journeys changed
    /assets/<name>     the page's own script and style sheet, from the package

A journey is found by looking its path up among the journeys the last scan listed, never by
opening a path built from the address, so `..`, encoded forms and symlinks that lead outside the
folder all end in 404 without the disk being asked. Responses carry a Content-Security-Policy
that allows only the server's own script.
"""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import unquote, urlsplit

from journeymap.serve import pages
from journeymap.serve.workspace import Workspace

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
KEEPALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open
ASSET_TYPES = {"live.js": "text/javascript; charset=utf-8", "feed.js": "text/javascript; charset=utf-8",
               "serve.css": "text/css; charset=utf-8"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _asset(name: str) -> bytes:
    return resources.files("journeymap.serve").joinpath("assets", name).read_bytes()


ASSETS = {name: (_asset(name), kind) for name, kind in ASSET_TYPES.items()}


class Hub:
    """The change feed: a counter, and which journeys changed at each step, for streams to wait on."""

    def __init__(self, history: int = 256) -> None:
        self._cond = threading.Condition()
        self._log: deque[tuple[int, tuple[str, ...]]] = deque(maxlen=history)
        self.epoch = 0
        self.closed = False

    def publish(self, changed: list[str]) -> None:
        with self._cond:
            self.epoch += 1
            self._log.append((self.epoch, tuple(changed)))
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, list[str] | None]:
        """Wait for a step after ``seen``: (epoch, what changed since ``seen``), or (seen, None)
        after ``timeout`` or when the hub closes. ``*`` means "everything" (history ran out)."""
        with self._cond:
            self._cond.wait_for(lambda: self.epoch != seen or self.closed, timeout)
            if self.closed or self.epoch == seen:
                return seen, None
            steps = [names for epoch, names in self._log if epoch > seen]
            if not self._log or self._log[0][0] > seen + 1:
                return self.epoch, ["*"]
            return self.epoch, sorted({name for names in steps for name in names})

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], workspace: Workspace, hub: Hub,
                 log: Callable[[str], None], hosts: frozenset[str] | None = None) -> None:
        """``hosts``: the names a request's Host header may give (None: any, for --host)."""
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.workspace, self.hub, self.log, self.hosts = workspace, hub, log, hosts
        super().__init__(address, Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """One line in the log, never a traceback; a browser closing a tab is not an error."""
        import sys

        problem = sys.exc_info()[1]
        if isinstance(problem, (ConnectionError, TimeoutError)) or self.hub.closed:
            return
        self.log(f"could not answer a request: {type(problem).__name__}: {problem}")


class Handler(BaseHTTPRequestHandler):
    server: LiveServer
    protocol_version = "HTTP/1.1"
    server_version = "journeymap"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        """Quiet: a workshop does not need a line per request."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _refuse(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain", False, {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # noqa: N815

    def _answer(self, head: bool) -> None:
        if not self._host_allowed():  # a page elsewhere reaching 127.0.0.1 by DNS rebinding
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain", head)
            return
        path = urlsplit(self.path).path if self.path.startswith("/") else ""
        ws = self.server.workspace
        if path == "/":
            self._page(pages.shell(pages.page_title(None), self._index(), "/api/index", ws.version), head)
        elif path == "/api/index":
            self._json({"version": ws.version, "title": pages.page_title(None), "html": self._index()}, head)
        elif path == "/events" and not head:
            self._events()
        elif path.startswith("/assets/") and path[len("/assets/"):] in ASSETS:
            body, kind = ASSETS[path[len("/assets/"):]]
            self._send(HTTPStatus.OK, body, kind, head, {"Cache-Control": "no-cache"})
        elif path.startswith(("/j/", "/api/j/")):
            self._journey(path, head)
        else:
            self._not_found(head)

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if self.server.hosts is None or not host:
            return True
        name = host if host.endswith("]") else host.rsplit(":", 1)[0]
        return name in self.server.hosts

    def _index(self) -> str:
        ws = self.server.workspace
        views, skipped = ws.views, ws.skipped
        return pages.index_main(ws.root, [views[k] for k in sorted(views)], skipped)

    def _journey(self, path: str, head: bool) -> None:
        api = path.startswith("/api/j/")
        rel = unquote(path[len("/api/j/" if api else "/j/"):], errors="surrogateescape")
        view = self.server.workspace.views.get(rel)  # a lookup, never a path opened
        if view is None:
            self._not_found(head)
        elif api:
            self._json({"version": view.version, "title": pages.page_title(view),
                        "html": pages.journey_main(view)}, head)
        else:
            self._page(pages.shell(pages.page_title(view), pages.journey_main(view),
                                   pages.fragment_href(view.rel), view.version), head)

    def _events(self) -> None:
        hub = self.server.hub
        self.send_response(HTTPStatus.OK)
        for name, value in self._security_headers().items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = hub.epoch
        self.wfile.write(b"retry: 1000\n\n")
        self.wfile.flush()
        while not hub.closed:
            seen, changed = hub.wait(seen, KEEPALIVE)
            if hub.closed:
                break
            if changed is None:
                self.wfile.write(b": keepalive\n\n")
            else:
                data = json.dumps({"changed": changed})  # ASCII: a name may hold surrogates
                self.wfile.write(f"id: {seen}\nevent: change\ndata: {data}\n\n".encode())
            self.wfile.flush()

    def _page(self, text: str, head: bool) -> None:
        self._send(HTTPStatus.OK, text.encode("utf-8", "replace"), "text/html; charset=utf-8", head)

    def _json(self, data: dict, head: bool) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8", "replace")
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8", head)

    def _not_found(self, head: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, pages.not_found_page().encode(), "text/html; charset=utf-8", head)

    def _security_headers(self) -> dict[str, str]:
        return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                "Cache-Control": "no-store"}

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (self._security_headers() | (extra or {})).items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
