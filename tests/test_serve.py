"""`journeymap serve` over HTTP: only journeys under PATH and the page's own assets are served
(every traversal is a 404 and nothing outside PATH is opened), it listens on loopback unless
--host says otherwise, a taken --port is a usage error, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from pathlib import Path

import pytest
from serve_support import (Running, event_stream, in_process, journey_text, request, save, serving,
                           wait_for)

from journeymap.serve.app import is_loopback
from journeymap.serve.server import Hub

SECRET = "TOP-SECRET-OUTSIDE"
_OPENED: list[str] = []
_RECORDING = [False]


def _audit(event: str, args: tuple) -> None:
    if _RECORDING[0] and event in ("open", "os.scandir", "os.listdir") and args and args[0] is not None:
        _OPENED.append(os.fsdecode(args[0]) if isinstance(args[0], (str, bytes)) else str(args[0]))


sys.addaudithook(_audit)  # stays for the session, but records only inside the test below

TRAVERSALS = [
    "/j/../outside/secret.yaml",
    "/j/../../outside/secret.yaml",
    "/j/%2e%2e/outside/secret.yaml",
    "/j/%2E%2E%2Foutside%2Fsecret.yaml",
    "/j/..%2f..%2foutside%2fsecret.yaml",
    "/j/%252e%252e%252foutside%252fsecret.yaml",   # double-encoded
    "/j/%25252e%25252e/outside/secret.yaml",        # triple, for good measure
    "/j/..\\outside\\secret.yaml",
    "/j/%2e%2e%5coutside%5csecret.yaml",
    "/j//etc/passwd",
    "/j/%2fetc%2fpasswd",
    "/j/leak.yaml",                                 # a symlink to the secret, inside PATH
    "/api/j/leak.yaml",
    "/j/linked/secret.yaml",                        # a symlinked folder leading outside
    "/j/phone.yaml%00.txt",
    "/j/phone.yaml/../../outside/secret.yaml",
    "/j/",
    "/j",
    "/api/j/..%2foutside%2fsecret.yaml",
    "/assets/../../outside/secret.yaml",
    "/assets/%2e%2e/server.py",
    "/assets/",
    "/../outside/secret.yaml",
    "/%2e%2e/outside/secret.yaml",
    "/outside/secret.yaml",
    "/etc/passwd",
    "/phone.yaml",
    "http://127.0.0.1/../outside/secret.yaml",
]


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    (outside / "secret.yaml").write_text(journey_text(SECRET).replace("Fix a silent", SECRET),
                                         encoding="utf-8")
    os.symlink(outside / "secret.yaml", root / "leak.yaml")
    os.symlink(outside, root / "linked", target_is_directory=True)
    return root, outside


def test_traversal_gets_404_and_nothing_outside_path_is_opened(tmp_path: Path) -> None:
    root, outside = _layout(tmp_path)
    _OPENED.clear()
    _RECORDING[0] = True
    try:
        with in_process(root) as url:
            status, body, _ = request(url, "/j/phone.yaml")
            assert status == 200 and "Call the support line" in body  # the control: it serves
            for attempt in TRAVERSALS:
                status, body, _ = request(url, attempt)
                assert status == 404, attempt
                assert SECRET not in body and "root:" not in body, attempt
            status, index, _ = request(url, "/")
            assert status == 200 and "leak.yaml" not in index and "linked" not in index
            assert SECRET not in index
    finally:
        _RECORDING[0] = False
    assert any(path.startswith(str(root)) for path in _OPENED), "the audit hook saw nothing"
    read_outside = [p for p in _OPENED if os.path.realpath(p).startswith(str(outside))]
    assert read_outside == []


def test_assets_and_headers(tmp_path: Path) -> None:
    (tmp_path / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    with in_process(tmp_path) as url:
        status, script, headers = request(url, "/assets/live.js")
        assert status == 200 and headers["Content-Type"].startswith("text/javascript")
        assert "EventSource" in script
        status, page, headers = request(url, "/j/phone.yaml")
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert '<script src="/assets/live.js" defer></script>' in page
        assert page.count("<script") == 1  # no inline script at all
        assert not __import__("re").search(r"""(?:src|href)\s*=\s*["']https?:""", page)  # no CDN
        status, fragment, _ = request(url, "/api/j/phone.yaml")
        data = json.loads(fragment)
        assert status == 200 and data["version"] >= 1 and "<svg" in data["html"]


def test_a_foreign_host_name_is_refused(tmp_path: Path) -> None:
    """A page on another site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    (tmp_path / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    with in_process(tmp_path) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        assert request(url, "/", host=f"evil.example:{port}")[0] == 421
        assert request(url, "/j/phone.yaml", host="evil.example")[0] == 421
        assert request(url, "/", host=f"localhost:{port}")[0] == 200
        assert request(url, "/", host=f"127.0.0.1:{port}")[0] == 200


def test_listens_on_loopback_only_unless_host_is_given(tmp_path: Path) -> None:
    (tmp_path / "walls").mkdir()
    (tmp_path / "walls" / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    with serving([str(tmp_path / "walls")], tmp_path) as server:
        url = server.url()
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert request(url, "/")[0] == 200
        with pytest.raises(ConnectionRefusedError):  # another address of this machine: not listening
            socket.create_connection(("127.0.0.2", port), timeout=5).close()
        assert server.stdout().count("\n") == 1  # one line: the address
    other = tmp_path / "other"
    other.mkdir()
    with serving([str(tmp_path / "walls"), "--host", "127.0.0.2"], other) as server:
        url = server.url()
        assert url.startswith("http://127.0.0.2:") and request(url, "/")[0] == 200
        assert "warning" not in server.stderr()  # 127.0.0.2 is still this machine only


def test_another_host_warns_that_the_network_can_see_the_page(tmp_path: Path) -> None:
    with socket.socket() as taken:  # a port that is taken, so the warning is shown and nothing listens
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = Running(["serve", "--host", "0.0.0.0", "--port", str(port), str(tmp_path)], tmp_path)
        assert run.proc.wait(30) == 2
    err = run.stderr()
    assert "warning: listening on 0.0.0.0" in err and "network" in err
    assert f"port {port} on 0.0.0.0 is already in use" in err and "Traceback" not in err
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("::")


def test_a_taken_port_is_a_clear_usage_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = Running(["serve", "--port", str(port), str(tmp_path)], tmp_path)
        assert run.proc.wait(30) == 2
    assert run.stderr().strip() == (f"journeymap: error: port {port} on 127.0.0.1 is already in use: "
                                    "choose another with --port, or leave --port out to take a "
                                    "free one near 8000")
    assert run.stdout() == ""


def test_without_port_it_takes_a_free_one_near_8000(tmp_path: Path) -> None:
    run = Running(["serve", str(tmp_path)], tmp_path)
    try:
        url = run.url()
        port = int(url.rsplit(":", 1)[1].strip("/"))
        free_near = []
        for candidate in range(8000, 8020):
            with socket.socket() as probe:
                free_near.append(probe.connect_ex(("127.0.0.1", candidate)) != 0 or candidate == port)
        assert 8000 <= port < 8020 or not any(free_near)
        assert request(url, "/")[0] == 200
    finally:
        assert run.stop() == 0


def test_usage_errors(tmp_path: Path) -> None:
    run = Running(["serve", str(tmp_path / "missing")], tmp_path)
    assert run.proc.wait(30) == 2
    assert "no such file or folder" in run.stderr()
    run = Running(["serve", "--port", "70000", str(tmp_path)], tmp_path)
    assert run.proc.wait(30) == 2 and "70000" in run.stderr()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stops_cleanly_with_an_open_event_stream(tmp_path: Path, sig: int) -> None:
    (tmp_path / "walls").mkdir()
    (tmp_path / "walls" / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    run = Running(["serve", "--port", "0", str(tmp_path / "walls")], tmp_path)
    url = run.url()
    host, port = url[len("http://"):].rstrip("/").rsplit(":", 1)
    stream = socket.create_connection((host, int(port)), timeout=10)
    stream.sendall(f"GET /events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    assert b"text/event-stream" in stream.recv(4096)
    try:
        assert run.stop(sig, timeout=10) == 0
    finally:
        stream.close()
    assert "Traceback" not in run.stderr() and "stopped" in run.stderr()


def test_the_hub_tells_each_stream_everything_it_missed() -> None:
    hub = Hub(history=3)
    hub.publish(["a.yaml"])
    hub.publish(["b.yaml", "a.yaml"])
    assert hub.wait(0, 0.01) == (2, ["a.yaml", "b.yaml"])
    assert hub.wait(2, 0.01) == (2, None)  # nothing new: a keepalive
    for name in ("c", "d", "e"):
        hub.publish([name])
    assert hub.wait(1, 0.01) == (5, ["*"])  # history ran out: refresh everything
    hub.close()
    assert hub.wait(5, 5) == (5, None)


def test_the_event_stream_names_the_journeys_that_changed(tmp_path: Path) -> None:
    (tmp_path / "walls").mkdir()
    journey = tmp_path / "walls" / "phone.yaml"
    journey.write_text(journey_text(), encoding="utf-8")
    with serving([str(tmp_path / "walls")], tmp_path) as server:
        with event_stream(server.url()) as (stream, received):
            journey.write_text(journey_text("Ring the helpdesk"), encoding="utf-8")
            while b"event: change" not in received:
                received += stream.recv(4096)
        assert 'data: {"changed": ["phone.yaml"]}' in received.decode()


def test_open_hands_the_address_to_the_browser(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    (tmp_path / "walls").mkdir()
    run = Running(["serve", "--port", "0", "--open", str(tmp_path / "walls")], tmp_path,
                  env={"BROWSER": str(browser)})
    try:
        url = run.url()
        assert wait_for(lambda: opened.exists() and opened.read_text(), what="the browser") == url
    finally:
        assert run.stop() == 0


def test_a_burst_of_saves_is_drawn_once(tmp_path: Path) -> None:
    """Ten saves in a row (a "save all", an editor's temp-file dance) make one re-draw, of the last."""
    (tmp_path / "walls").mkdir()
    journey = tmp_path / "walls" / "phone.yaml"
    journey.write_text(journey_text(), encoding="utf-8")
    with serving([str(tmp_path / "walls")], tmp_path) as server:
        url = server.url()
        with event_stream(url) as (stream, received):
            for n in range(10):
                save(journey, journey_text(f"Save number {n}"))
            stream.settimeout(1.5)
            try:
                while True:
                    chunk = stream.recv(4096)
                    if not chunk:
                        break
                    received += chunk
            except TimeoutError:
                pass
        changes = received.decode().count("event: change")
        assert 1 <= changes <= 2, received  # 2 only if the machine stalled mid-burst
        status, body, _ = request(url, "/api/j/phone.yaml")
        assert "Save number 9" in body and json.loads(body)["version"] <= 3


def test_forced_polling_still_follows_saves(tmp_path: Path) -> None:
    """Where file events do not arrive (network or container mounts), WATCHFILES_FORCE_POLLING=1."""
    (tmp_path / "walls").mkdir()
    journey = tmp_path / "walls" / "phone.yaml"
    journey.write_text(journey_text(), encoding="utf-8")
    run = Running(["serve", "--port", "0", str(tmp_path / "walls")], tmp_path,
                  env={"WATCHFILES_FORCE_POLLING": "1"})
    try:
        url = run.url()
        save(journey, journey_text("Ring the helpdesk"))
        wait_for(lambda: "Ring the helpdesk" in request(url, "/api/j/phone.yaml")[1], what="the polled change")
    finally:
        assert run.stop() == 0


def test_one_journey_file_is_followed_through_rename_saves(tmp_path: Path) -> None:
    """Serving one file: a rename-save replaces the file (a new inode), which a watch on the file
    itself would lose; the folder is watched instead, and only that file is served."""
    (tmp_path / "walls").mkdir()
    journey = tmp_path / "walls" / "phone.yaml"
    journey.write_text(journey_text(), encoding="utf-8")
    (tmp_path / "walls" / "other.yaml").write_text(journey_text("Not this one"), encoding="utf-8")
    with serving([str(journey)], tmp_path) as server:
        url = server.url()
        index = json.loads(request(url, "/api/index")[1])["html"]
        assert 'data-rel="phone.yaml"' in index and "other.yaml" not in index
        assert request(url, "/j/other.yaml")[0] == 404
        for name in ("Ring the helpdesk", "Phone the helpdesk", "Call us at last"):
            save(journey, journey_text(name))
            wait_for(lambda: name in request(url, "/api/j/phone.yaml")[1], what=name)
