"""Where output goes: never over a journey, through links and devices, keeping a file's mode; and
what happens when the process is stopped or stdout cannot take it. Real processes throughout
(signals, /dev/full, named pipes), each with a timeout so a regression fails instead of hanging."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import GOOD, cli_env, run_journeymap

TIMEOUT = 30


def run_cli(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    return run_journeymap(*args, cwd=cwd, timeout=TIMEOUT, text=True, stdin=subprocess.DEVNULL, **kw)


@pytest.fixture
def journey(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


# -- never over an input ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["check"], ["validate"], ["report"], ["check", "--format", "json"],
                                     ["render", "--format", "dot"]])
@pytest.mark.parametrize("target", ["same", "symlink", "hardlink", "in-folder"])
def test_output_never_overwrites_a_journey(journey: Path, command: list[str], target: str) -> None:
    tmp = journey.parent
    out, given = journey, "a.yaml"
    if target == "symlink":
        out = tmp / "link.yaml"
        out.symlink_to(journey)
    elif target == "hardlink":
        out = tmp / "hard.txt"
        os.link(journey, out)
    elif target == "in-folder":
        given = "."
    done = run_cli(*command, "-o", out.name, given, cwd=tmp)
    assert done.returncode == 2, done.stderr
    assert "would overwrite the journey file" in done.stderr and "Traceback" not in done.stderr
    assert journey.read_text(encoding="utf-8") == GOOD


# -- through links and devices, keeping the mode ---------------------------------------------------

def test_output_through_a_symlink_replaces_its_target_and_keeps_the_link(journey: Path) -> None:
    real = journey.parent / "reports" / "out.txt"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = journey.parent / "out.txt"
    link.symlink_to(real)
    assert run_cli("check", "-o", "out.txt", "a.yaml", cwd=journey.parent).returncode == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("1 journey file checked")


def test_output_to_a_device_writes_through(journey: Path) -> None:
    link = journey.parent / "out.json"
    link.symlink_to(os.devnull)  # a device, reached through a link: neither may be replaced
    done = run_cli("check", "--format", "json", "-o", "out.json", "a.yaml", cwd=journey.parent)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_output_to_a_device_node_writes_through(journey: Path) -> None:
    node = journey.parent / "null"
    try:  # a null device of our own, so a regression cannot replace the system's /dev/null
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs root")
    done = run_cli("check", "--format", "sarif", "-o", "null", "a.yaml", cwd=journey.parent)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_output_to_a_named_pipe_writes_through(journey: Path) -> None:
    pipe = journey.parent / "out.json"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("check", "--format", "json", "-o", "out.json", "a.yaml", cwd=journey.parent)
    reader.join(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert got and got[0].startswith(b'{"journeys":[')


@pytest.mark.parametrize("command", [["check"], ["render", "--format", "dot"], ["schema"]])
def test_a_replaced_file_keeps_its_mode(journey: Path, command: list[str]) -> None:
    out = journey.parent / "out.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    args = [*command, "-o", "out.txt"] + (["a.yaml"] if command[0] != "schema" else [])
    assert run_cli(*args, cwd=journey.parent).returncode == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640 and out.read_text(encoding="utf-8") != "old"


# -- stopped half way ------------------------------------------------------------------------------

STALL = """\
import os, sys, time
real_replace = os.replace
def stall(src, dst):
    sys.stdout.write(src + "\\n"); sys.stdout.flush(); time.sleep(60)
os.replace = stall
from journeymap.files import write_atomic
write_atomic(sys.argv[1], "x" * 100000)
"""


def test_a_write_killed_half_way_leaves_a_named_temp_that_the_next_write_removes(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    writer = subprocess.Popen([sys.executable, "-c", STALL, str(target)], stdout=subprocess.PIPE,
                              text=True, env=cli_env())
    try:
        temp = Path(writer.stdout.readline().strip())  # written, not yet renamed
        assert temp.exists() and temp.parent == tmp_path
    finally:
        writer.kill()
        writer.wait(TIMEOUT)
        writer.stdout.close()
    assert ".journeymap-" in temp.name and temp.name.endswith(".tmp")
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert run_cli("check", "-o", "out.json", "a.yaml", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "out.json"]


FAKE_DOT = """#!/bin/sh
echo $$ > "{pid_file}"
exec sleep 60
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except FileNotFoundError:
        return False


def _start_render(tmp_path: Path, journey: Path) -> tuple[subprocess.Popen[str], int]:
    fake = tmp_path / "bin"
    fake.mkdir()
    pid_file = tmp_path / "dot.pid"
    (fake / "dot").write_text(FAKE_DOT.format(pid_file=pid_file), encoding="utf-8")
    (fake / "dot").chmod(0o755)
    process = subprocess.Popen([sys.executable, "-m", "journeymap", "render", str(journey), "-o",
                                str(tmp_path / "maps" / "a.svg")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env=cli_env(PATH=f"{fake}{os.pathsep}{os.environ['PATH']}"))
    deadline = time.monotonic() + TIMEOUT
    while not (pid_file.exists() and pid_file.read_text().strip()):
        assert time.monotonic() < deadline and process.poll() is None, "dot was never started"
        time.sleep(0.05)
    return process, int(pid_file.read_text())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL])
def test_a_stopped_render_leaves_no_dot_behind(tmp_path: Path, journey: Path, signum: int) -> None:
    process, dot = _start_render(tmp_path, journey)
    try:
        process.send_signal(signum)
        _, err = process.communicate(timeout=TIMEOUT)
        deadline = time.monotonic() + 10
        while _alive(dot) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(dot), "dot outlived journeymap"
        assert "Traceback" not in err
        if signum != signal.SIGKILL:
            assert process.returncode == 128 + signum
        assert not (tmp_path / "maps").exists() or not os.listdir(tmp_path / "maps")
    finally:
        if _alive(dot):
            os.kill(dot, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait()


# -- standard output that cannot take it -----------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["rules"], ["rules", "JM101"], ["--help"], ["--version"], ["check", "a.yaml"],
    ["check", "--format", "sarif", "a.yaml"], ["validate", "a.yaml"], ["report", "a.yaml"],
    ["report", "--format", "json", "a.yaml"], ["schema"], ["render", "a.yaml", "--format", "dot", "-o", "-"],
])
def test_a_full_stdout_is_one_clear_line_and_exit_2(journey: Path, command: list[str]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = run_cli(*command, cwd=journey.parent, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "journeymap: error: cannot write to standard output: No space left on device\n"


def test_only_temps_of_processes_that_are_gone_are_removed(tmp_path: Path) -> None:
    from journeymap.files import remove_stale_temps

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = {f".map.svg.journeymap-{gone.pid}-a1.tmp", f".map.svg.journeymap-{running.pid}-b2.tmp",
                 ".map.svg.x1.tmp", "map.svg"}
        for name in names:
            (tmp_path / name).write_text("x", encoding="utf-8")
        assert remove_stale_temps(str(tmp_path / "map.svg")) == [f".map.svg.journeymap-{gone.pid}-a1.tmp"]
        assert {p.name for p in tmp_path.iterdir()} == names - {f".map.svg.journeymap-{gone.pid}-a1.tmp"}
    finally:
        running.kill()
        running.wait()
