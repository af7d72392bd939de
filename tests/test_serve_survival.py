"""`journeymap serve` survives what happens to files in a workshop: deleted, replaced by a folder,
made unreadable, written half-way, a named pipe, the whole folder moved away and back. Each shows
up on the page as a finding or as a journey gone, the last good map stays where there was one,
and the log never shows a traceback. The server runs as an unprivileged user (root reads
anything, so "unreadable" would mean nothing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import journey_text, request, serving, wait_for



def _nobody_can_run_journeymap() -> bool:
    """Whether this checkout and its Python can be run as `nobody` (a checkout under a private
    folder cannot): then the server runs unprivileged, else as root with the unreadable step left out."""
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, "-c", "import journeymap.serve.app"],
                           capture_output=True, timeout=60, check=False)
    return probe.returncode == 0


ROOT = os.geteuid() == 0
AS_NOBODY = ROOT and _nobody_can_run_journeymap()
CAN_UNREAD = not ROOT or AS_NOBODY  # root reads a file whatever its mode
pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the unprivileged server can read (pytest's own tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="journeymap-serve-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def index(url: str) -> str:
    status, body, _ = request(url, "/api/index")
    assert status == 200
    return json.loads(body)["html"]


def journey(url: str, rel: str) -> str | None:
    status, body, _ = request(url, f"/api/j/{rel}")
    return json.loads(body)["html"] if status == 200 else None


def listed(url: str, rel: str) -> bool:
    return f'data-rel="{rel}"' in index(url)


def test_the_server_survives_what_happens_to_files(folder: Path, tmp_path: Path) -> None:
    walls = folder / "walls"
    walls.mkdir()
    walls.chmod(0o777)
    for name in "abcde":
        (walls / f"{name}.yaml").write_text(journey_text(f"Step of {name}"), encoding="utf-8")
    with serving([str(walls)], tmp_path, as_nobody=AS_NOBODY) as server:
        url = server.url()
        assert all(listed(url, f"{n}.yaml") for n in "abcde")

        (walls / "b.yaml").unlink()
        wait_for(lambda: not listed(url, "b.yaml"), what="b.yaml to leave the index")
        assert journey(url, "b.yaml") is None

        (walls / "c.yaml").unlink()
        (walls / "c.yaml").mkdir()
        wait_for(lambda: not listed(url, "c.yaml"), what="c.yaml, now a folder, to leave the index")
        (walls / "c.yaml" / "inner.yaml").write_text(journey_text("Inside"), encoding="utf-8")
        wait_for(lambda: listed(url, "c.yaml/inner.yaml"), what="the journey inside the folder")

        if CAN_UNREAD:
            (walls / "d.yaml").chmod(0)
            page = wait_for(lambda: (p := journey(url, "d.yaml")) and "cannot read the file" in p and p,
                            what="d.yaml to be reported unreadable")
            assert "Step of d" in page and 'class="map stale"' in page  # its last good map stays

        whole = journey_text("Finished typing").encode()
        half = whole[: whole.index(b"      - name:")]  # a save caught half-way: no touchpoints yet
        (walls / "e.yaml").write_bytes(half)
        page = wait_for(lambda: (p := journey(url, "e.yaml")) and "The last save has" in p and p,
                        what="e.yaml's half-written save to be reported")
        assert "Step of e" in page and "e.yaml:" in page
        os.mkfifo(walls / "f.yaml")  # reading a pipe would block for ever
        wait_for(lambda: 'data-skipped="f.yaml"' in index(url), what="the pipe to be named, not read")
        assert "a named pipe" in index(url) and journey(url, "f.yaml") is None
        (walls / "e.yaml").write_bytes(whole)
        page = wait_for(lambda: (p := journey(url, "e.yaml")) and "Finished typing" in p and p,
                        what="e.yaml's finished save")
        assert "The last save has" not in page

        moved = folder / "elsewhere"
        walls.rename(moved)
        wait_for(lambda: "No journey files" in index(url), what="the index to empty")
        moved.rename(walls)
        wait_for(lambda: listed(url, "a.yaml"), timeout=15, what="the folder's journeys to return")
        (walls / "a.yaml").write_text(journey_text("Back again"), encoding="utf-8")
        wait_for(lambda: "Back again" in (journey(url, "a.yaml") or ""), what="a change after the move")
    log = server.stderr()
    assert server.proc.returncode == 0
    assert "Traceback" not in log and "Error" not in log.replace("error", ""), log
