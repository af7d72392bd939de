"""Things in a journey folder that are not journey files: a symlink to nothing, a symlink loop, a
named pipe (FIFO). Real processes with timeouts, so a regression fails instead of hanging."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import GOOD, run_journeymap

TIMEOUT = 30  # seconds; each run takes about one


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_journeymap(*args, cwd=cwd, timeout=TIMEOUT, text=True, stdin=subprocess.DEVNULL)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "good.yaml").write_text(GOOD, encoding="utf-8")
    (journeys / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (journeys / "loop.yaml").symlink_to(journeys / "loop.yaml")
    os.mkfifo(journeys / "pipe.yaml")
    return journeys


@pytest.mark.parametrize("command", [
    ["validate"], ["check"], ["check", "--format", "json"], ["report"],
    ["render", "--format", "dot", "-o", "maps/"],
])
def test_only_regular_files_are_read_and_the_rest_is_named(folder: Path, command: list[str]) -> None:
    done = run_cli(*command, "journeys", cwd=folder.parent)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    for name, why in (("dangling.yaml", "a symbolic link to nothing"),
                      ("loop.yaml", "a symbolic link loop"),
                      ("pipe.yaml", "a named pipe (FIFO)")):
        assert f"skipped journeys/{name}: {why}, not a regular file" in done.stderr, done.stderr
    if command[0] == "render":
        assert os.listdir(folder.parent / "maps") == ["good.dot"]


def test_a_named_pipe_given_by_name_is_a_finding_not_a_hang(folder: Path) -> None:
    done = run_cli("check", "journeys/pipe.yaml", cwd=folder.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "journeys/pipe.yaml:1:1: error [JM001] cannot read the file: it is a named pipe (FIFO), " \
           "not a regular file" in done.stdout


def test_a_dangling_symlink_given_by_name_is_a_usage_error(folder: Path) -> None:
    done = run_cli("check", "journeys/dangling.yaml", cwd=folder.parent)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no such file or folder: journeys/dangling.yaml" in done.stderr


def test_a_folder_of_nothing_but_skipped_files_is_a_usage_error(folder: Path) -> None:
    (folder / "good.yaml").unlink()
    done = run_cli("check", "journeys", cwd=folder.parent)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "skipped journeys/pipe.yaml" in done.stderr and "no journey files" in done.stderr
