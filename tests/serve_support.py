"""Helpers for the workshop-mode tests: journeys to save, `journeymap serve` as a real process,
an in-process server, HTTP requests, and waiting with a deadline (nothing here can hang)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def journey_text(name: str = "Call the support line", to: str = "call") -> str:
    """A small journey; ``to`` other than ``call`` breaks it (JM003 at line 12, column 17)."""
    return f"""journey: Fix a silent phone line
persona: Home-phone customer
stages:
  - name: Report
    touchpoints:
      - name: {name}
        id: call
        channel: phone
        failures:
          - name: Line busy
            share: 30%
            to: {to}
      - name: Technician fixes the line
        id: fix
        outcome: success
"""


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over the old one."""
    temp = path.with_name(f".{path.name}.saving")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def wait_for(check: Callable[[], T], timeout: float = 10.0, what: str = "the condition") -> T:
    """``check()``'s first truthy value, polled until ``timeout`` seconds pass (then fail)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


def request(url: str, path: str, host: str | None = None, timeout: float = 10.0
            ) -> tuple[int, str, dict[str, str]]:
    """GET ``path`` exactly as given (no normalising): status, body text, headers."""
    match = re.match(r"http://(\[[^\]]+\]|[^:/]+):(\d+)/", url)
    assert match, url
    conn = http.client.HTTPConnection(match.group(1).strip("[]"), int(match.group(2)), timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        answer = conn.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace"), dict(answer.getheaders())
    finally:
        conn.close()


class Running:
    """`journeymap ARGS` as a separate process, its output going to files."""

    def __init__(self, args: list[str], folder: Path, as_nobody: bool = False,
                 env: dict[str, str] | None = None) -> None:
        self.out, self.err = folder / "stdout.txt", folder / "stderr.txt"
        command = [sys.executable, "-m", "journeymap", *args]
        if as_nobody:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         env=env)

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")

    def url(self, timeout: float = 30.0) -> str:
        def announced() -> str | None:
            if self.proc.poll() is not None:
                raise AssertionError(f"journeymap exited ({self.proc.returncode}): {self.stderr()}")
            found = re.search(r"http://\S+/", self.stdout())
            return found.group(0) if found else None

        return wait_for(announced, timeout, "the address line")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 10.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            raise AssertionError(f"journeymap did not stop within {timeout:g}s of signal {sig}") from None


@contextlib.contextmanager
def serving(args: list[str], folder: Path, as_nobody: bool = False) -> Iterator[Running]:
    running = Running(["serve", "--port", "0", *args], folder, as_nobody)
    try:
        yield running
    finally:
        running.stop()


@contextlib.contextmanager
def in_process(root: Path, log: list[str] | None = None) -> Iterator[str]:
    """The server in this process (for tests that watch what it opens); yields its address.
    What it would log goes to ``log``."""
    from journeymap.serve.app import bind
    from journeymap.serve.server import Hub
    from journeymap.serve.workspace import Workspace

    said = log if log is not None else []
    workspace, hub = Workspace(str(root), log=said.append), Hub()
    server = bind("127.0.0.1", 0, workspace, hub, log=said.append)
    workspace.refresh()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/"
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def event_stream(url: str) -> Iterator[tuple[socket.socket, bytes]]:
    """The server's event stream (``/events``) on a raw socket, with what it sent first."""
    host, port = url[len("http://"):].rstrip("/").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as stream:
        stream.sendall(f"GET /events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        yield stream, stream.recv(4096)
