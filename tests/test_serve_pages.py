"""The pages of workshop mode for every example journey (Arabic, Persian, Thai and Latvian text
intact, right to left where it should be), the server's calm in the face of nonsense requests,
and the latency benchmark's inputs."""

from __future__ import annotations

import html
import json
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest
from serve_support import in_process, request

from conftest import REPO
from journeymap.check import validate_file

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
JOURNEYS = sorted((REPO / "journeys").glob("*.yaml"))


@needs_dot
def test_every_example_journey_has_its_page_with_its_text_intact() -> None:
    with in_process(REPO / "journeys") as url:
        status, index, _ = request(url, "/api/index")
        assert status == 200
        rows = json.loads(index)["html"]
        for path in JOURNEYS:
            journey = validate_file(str(path)).journey
            assert journey is not None
            assert f'data-rel="{path.name}"' in rows and html.escape(journey.title, quote=False) in rows
            status, body, _ = request(url, f"/j/{path.name}")
            assert status == 200, path.name
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", body)
            assert heading and html.unescape(heading.group(1)) == journey.title
            if journey.lang:
                assert f'<h1 dir="auto" lang="{journey.lang}">' in body
            svg = re.search(r'<figure class="map" id="map"[^>]*><svg.*?</svg>\s*</figure>', body, re.DOTALL)
            assert svg, path.name
            for tp in journey.touchpoints[:3]:  # names come through (wrapped, so word by word)
                for word in tp.name.split()[:2]:
                    assert html.escape(word, quote=False) in svg.group(0), (path.name, word)


def test_nonsense_requests_get_answers_not_tracebacks(tmp_path: Path) -> None:
    said: list[str] = []
    with in_process(tmp_path, said) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for raw in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", b"\x00\xff\xfe\r\n\r\n",
                    b"POST /j/x.yaml HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc",
                    b"GET /%ff%fe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(raw)
                answer = conn.recv(300)
                # an error status, or (for a request line with no version) an HTTP/0.9 error page
                refused = re.match(rb"HTTP/1\.[01] [45]\d\d ", answer)
                assert refused or re.search(rb"Error code: [45]\d\d", answer), raw[:30]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.close()  # a client that hangs up at once
        assert request(url, "/")[0] == 200
    assert said == []


def test_the_latency_benchmark_saves_valid_journeys_of_the_sizes_it_names(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import serve_latency

    for size in (10, 50):
        path = tmp_path / f"j{size}.yaml"
        path.write_text(serve_latency.journey_yaml(size, "Step 0 rev 7"), encoding="utf-8")
        result = validate_file(str(path))
        assert result.journey is not None, [f.message for f in result.findings]
        assert len([tp for tp in result.journey.touchpoints if tp.id.startswith("t")]) == size
        assert result.journey.touchpoints[0].name == "Step 0 rev 7"


@needs_dot
def test_a_file_name_that_is_not_utf8_gets_its_page_too(tmp_path: Path) -> None:
    import os

    from serve_support import journey_text

    name = os.fsdecode(b"caf\xe9-latin1.yaml")  # saved by an old tool in Latin-1
    (tmp_path / name).write_text(journey_text("Order a coffee"), encoding="utf-8")
    said: list[str] = []
    with in_process(tmp_path, said) as url:
        status, index, _ = request(url, "/")
        assert status == 200
        link = re.search(r'<a href="(/j/[^"]+)"', index)
        assert link and link.group(1) == "/j/caf%E9-latin1.yaml"
        status, page, _ = request(url, link.group(1))
        assert status == 200 and "Order a coffee" in page
        status, fragment, _ = request(url, "/api/j/caf%E9-latin1.yaml")
        assert status == 200 and "Order a coffee" in json.loads(fragment)["html"]
    assert said == []
