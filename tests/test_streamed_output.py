"""Output written while it is made (`report --format json`, `render --format dot`): the same bytes
as before, and the same guarantees as a whole write — a file is replaced only by a complete new
one, links and devices are written through, stdout gets every byte — and render's start-up does
not import what a map without an HTML report or an event log never uses. Real processes, real
files, pipes and devices."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import GOOD, cli_env, run_journeymap
from journeymap.cli_support import _WholeWrites
from journeymap.files import TEMP_MARK, write_atomic

TIMEOUT = 60

STREAMED = {
    "report json": ["report", "--format", "json"],
    "report json pretty": ["report", "--format", "json", "--pretty"],
    "render dot map": ["render", "--format", "dot"],
    "render dot flow": ["render", "--format", "dot", "--view", "flow"],
}


def run_cli(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return run_journeymap(*args, cwd=cwd, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kw)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("streamed")
    (tmp / "a.yaml").write_text(GOOD.replace("Return a parcel", "إرجاع طرد"), encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def expected(folder: Path) -> dict[str, bytes]:
    """Each command's output on stdout (`-o -` for render), which is not streamed to a file."""
    out = {}
    for name, command in STREAMED.items():
        target = ["-o", "-"] if command[0] == "render" else []
        done = run_cli(*command, *target, "a.yaml", cwd=folder)
        assert done.returncode == 0, done.stderr
        out[name] = done.stdout
    assert "إرجاع طرد".encode() in out["report json"] and out["render dot map"].startswith(b"digraph")
    return out


@pytest.mark.parametrize("name", STREAMED)
def test_a_streamed_file_replaces_the_old_one_keeping_its_mode(folder: Path, expected, name: str) -> None:
    out = folder / f"{name.replace(' ', '-')}.out"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    done = run_cli(*STREAMED[name], "-o", out.name, "a.yaml", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == expected[name]
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640
    assert not [p for p in os.listdir(folder) if TEMP_MARK in p]


@pytest.mark.parametrize("name", ["report json", "render dot map"])
def test_a_streamed_file_goes_through_a_link_and_into_a_named_pipe(folder: Path, expected,
                                                                   name: str) -> None:
    real = folder / "real" / f"{name.replace(' ', '-')}.out"
    real.parent.mkdir(exist_ok=True)
    real.write_text("old", encoding="utf-8")
    link = folder / f"link-{real.name}"
    link.symlink_to(real)
    assert run_cli(*STREAMED[name], "-o", link.name, "a.yaml", cwd=folder).returncode == 0
    assert link.is_symlink() and real.read_bytes() == expected[name]

    pipe = folder / f"pipe-{real.name}"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = run_cli(*STREAMED[name], "-o", pipe.name, "a.yaml", cwd=folder)
    reader.join(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and got == [expected[name]]


def test_a_writer_that_fails_half_way_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "map.dot"
    target.write_bytes(b"the old map")

    def half(out) -> None:
        out.write(b"digraph journey {\n" * 50_000)  # past any buffer: bytes reach the temp file
        raise RuntimeError("the drawing failed")

    with pytest.raises(RuntimeError):
        write_atomic(str(target), half)
    assert target.read_bytes() == b"the old map"
    assert os.listdir(tmp_path) == ["map.dot"]
    write_atomic(str(target), lambda out: out.write("خريطة\n".encode()))
    assert target.read_text(encoding="utf-8") == "خريطة\n"


class _Trickle(io.RawIOBase):
    """A real raw stream that takes at most 1,000 bytes a write, as a pipe may."""

    def __init__(self) -> None:
        self.got = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        taken = bytes(data[:1000])
        self.got += taken
        return len(taken)


def test_unbuffered_stdout_gets_every_byte_of_a_partial_write() -> None:
    raw = _Trickle()
    data = "ج".encode() * 12_345
    assert _WholeWrites(raw).write(data) == len(data) and bytes(raw.got) == data


def test_unbuffered_stdout_gets_the_whole_streamed_report(folder: Path, expected) -> None:
    env = cli_env(PYTHONUNBUFFERED="1")
    done = subprocess.run([sys.executable, "-m", "journeymap", *STREAMED["report json pretty"],
                           "a.yaml"], env=env, cwd=folder, capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0 and done.stdout == expected["report json pretty"]


PROBE = """\
import runpy, sys
sys.argv = ['journeymap'] + sys.argv[1:]
try:
    runpy.run_module('journeymap', run_name='__main__')
except SystemExit:
    pass
# (commands/event_log.py makes the log options of any command that takes --observed, given or
# not, from journeymap.observe.options alone: nothing of the event-log comparison is loaded)
unused = [m for m in ('rich', 'journeymap.render.html', 'journeymap.render.mapview.observed',
                      'journeymap.observe.command', 'journeymap.observe.compare')
          if m in sys.modules]
flow = 'journeymap.render.mapview' in sys.modules
sys.stderr.write(f'UNUSED={",".join(unused)} MAPVIEW={flow}')
"""


@pytest.mark.parametrize("view", ["map", "flow"])
def test_render_of_a_map_does_not_import_the_html_report_or_the_event_log_lane(folder: Path,
                                                                               view: str) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, "render", "--format", "dot", "--view", view,
                           "-o", f"probe-{view}.dot", "a.yaml"], capture_output=True, text=True,
                          cwd=folder, env=cli_env(), timeout=TIMEOUT)
    assert f"UNUSED= MAPVIEW={view == 'map'}" in done.stderr, done.stderr
    assert (folder / f"probe-{view}.dot").read_bytes().startswith(b"digraph journey {")
