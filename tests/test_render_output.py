"""Writing maps atomically, running Graphviz with a timeout, and life without Graphviz."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap import files
from journeymap.cli import app
from journeymap.render.output import (
    GraphvizMissing,
    RenderError,
    find_dot,
    run_dot,
    write_atomic,
)

from render_fakes import fake_dot

SMALL = Path(__file__).parent / "fixtures" / "render" / "small.yaml"
runner = CliRunner()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    target.write_bytes(b"old")
    write_atomic(str(target), b"new map")
    assert target.read_bytes() == b"new map" and leftovers(tmp_path) == []
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failing_write_leaves_the_old_file_untouched(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "map.svg"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(str(target), b"new")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_graphviz_errors_become_render_errors() -> None:
    with pytest.raises(RenderError, match="Graphviz failed: .*syntax error"):
        run_dot("digraph { a -> }", "svg")


def test_a_hanging_graphviz_times_out(tmp_path: Path, monkeypatch) -> None:
    sleeper = f"exec {sys.executable} -c 'import time; time.sleep(10)'"
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", sleeper)))
    with pytest.raises(RenderError, match="longer than 0.3s"):
        run_dot("digraph { a }", "svg", timeout=0.3)


def test_missing_graphviz_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz"):
        find_dot()


def test_without_graphviz_dot_format_works_and_others_exit_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ok = runner.invoke(app, ["render", str(SMALL), "--format", "dot", "-o", str(tmp_path / "a.dot")])
    assert ok.exit_code == 0, ok.stderr
    assert (tmp_path / "a.dot").read_text(encoding="utf-8").startswith("digraph journey {")
    for fmt in ("svg", "png", "pdf", "html"):
        result = runner.invoke(app, ["render", str(SMALL), "--format", fmt, "-o", str(tmp_path / f"a.{fmt}")])
        assert result.exit_code == 2
        assert "apt-get install graphviz" in result.stderr and "--format dot" in result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert not (tmp_path / f"a.{fmt}").exists()


@pytest.mark.parametrize("script", [
    "echo 'Error: something broke' >&2; exit 1",
    "printf '<svg><g>half a map'; exit 3",  # output written, then a crash
    "kill -SEGV $$",
])
def test_a_failing_render_leaves_the_existing_map_untouched(tmp_path: Path, monkeypatch, script: str) -> None:
    target = tmp_path / "maps" / "small.svg"
    target.parent.mkdir()
    target.write_text("<svg>the old map</svg>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", script)))
    result = runner.invoke(app, ["render", str(SMALL), "-o", str(target)])
    assert result.exit_code == 2
    assert "Graphviz failed" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "<svg>the old map</svg>"
    assert leftovers(target.parent) == []


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_a_successful_render_replaces_the_old_map(tmp_path: Path) -> None:
    target = tmp_path / "small.svg"
    target.write_text("<svg>the old map</svg>", encoding="utf-8")
    result = runner.invoke(app, ["render", str(SMALL), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert "Order a sofa" in target.read_text(encoding="utf-8") and leftovers(tmp_path) == []
