"""Many files on every core: `--jobs 2` gives exactly what `--jobs 1` gives, and Ctrl-C stops
the workers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JM = [sys.executable, "-m", "journeymap"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Good journeys, broken ones (every rule fixture) and hostile ones (the bad-input corpus)."""
    out = tmp_path_factory.mktemp("many")
    for source, name in ((ROOT / "journeys", "good"), (ROOT / "tests" / "fixtures" / "rules", "broken"),
                         (ROOT / "tests" / "corpus", "hostile")):
        shutil.copytree(source, out / name, ignore=shutil.ignore_patterns("*.md", "*.json"))
    return out


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([*JM, *args], cwd=cwd, capture_output=True, env=env, timeout=300)


@pytest.mark.parametrize("command", [
    ("check", "--format", "text"),
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("validate", "--format", "junit"),
    ("report", "--format", "text"),
    ("report", "--format", "json"),
])
def test_two_jobs_and_one_give_the_same_bytes(folder: Path, command: tuple[str, ...]) -> None:
    one = run(*command, "--jobs", "1", ".", cwd=folder)
    two = run(*command, "--jobs", "2", ".", cwd=folder)
    assert one.returncode == two.returncode == 1  # broken files are results, not crashes
    assert one.stdout == two.stdout and one.stdout
    assert b"Traceback" not in one.stderr + two.stderr
    files = len(list(folder.rglob("*.y*ml")))
    if command[0] != "report":
        assert one.stdout.count(b"JM001") > 5, "the broken and hostile files were all checked"
    assert files > 40


def test_render_with_two_jobs_writes_the_same_maps(folder: Path, tmp_path: Path) -> None:
    one = run("render", "--format", "dot", "--jobs", "1", "-o", str(tmp_path / "one") + "/",
              "good", "broken", cwd=folder)
    two = run("render", "--format", "dot", "--jobs", "2", "-o", str(tmp_path / "two") + "/",
              "good", "broken", cwd=folder)
    assert one.returncode == two.returncode == 1  # the broken journeys are skipped
    assert one.stderr.replace(b"/one/", b"/two/") == two.stderr
    maps = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert maps and maps == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in maps:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_the_pool(tmp_path: Path) -> None:
    from journeymap.analysis.synthetic import write_synthetic

    many = tmp_path / "many"
    many.mkdir()
    big = write_synthetic(tmp_path / "big.yaml", 1500)  # seconds of scoring each
    for i in range(12):
        shutil.copy(big, many / f"{i:02}.yaml")
    proc = subprocess.Popen([*JM, "check", "--jobs", "2", str(many)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    workers = children(proc.pid)
    assert len(workers) >= 2 and proc.poll() is None, "the pool never started"
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole group gets it
    code = proc.wait(timeout=20)
    assert code == 130
    assert b"Traceback" not in proc.stderr.read()
    time.sleep(0.5)
    for worker in workers:  # no worker left behind (a zombie is already dead)
        try:
            status = Path(f"/proc/{worker}/status").read_text()
        except FileNotFoundError:
            continue
        assert "zombie" in status


def test_a_terminal_gets_a_progress_bar_on_stderr_and_the_same_stdout(folder: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100"}
    done = subprocess.run([*JM, "check", "--jobs", "2", "good"], cwd=folder, stdout=subprocess.PIPE,
                          stderr=follower, env=env, timeout=300)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    plain = run("check", "--jobs", "1", "good", cwd=folder)
    assert done.stdout == plain.stdout  # the bar never mixes into the output
    assert b"checking" in seen and b"/" in seen  # "checking ━━━ 7/10"
