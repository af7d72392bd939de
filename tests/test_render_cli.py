"""`journeymap render`: where maps go, what is skipped, and the exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "render"
REPO = Path(__file__).parent.parent
runner = CliRunner()
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def invoke(*args: str):
    return runner.invoke(app, ["render", *args], catch_exceptions=False)


def copy(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
        out.append(tmp_path / name)
    return out


@needs_dot
def test_default_is_an_svg_next_to_each_journey(tmp_path: Path) -> None:
    small, thai = copy(tmp_path, "small.yaml", "thai.yaml")
    result = invoke(str(small), str(thai))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "small.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert "ซ่อมเครื่องซักผ้าที่บ้าน" in (tmp_path / "thai.svg").read_text(encoding="utf-8")
    assert f"wrote {tmp_path / 'small.svg'}" in result.stderr and result.stdout == ""


def test_output_folder_for_many_journeys_is_created(tmp_path: Path) -> None:
    result = invoke(str(FIXTURES / "small.yaml"), str(FIXTURES / "arabic.yaml"), "-o",
                    str(tmp_path / "maps" / "wall"), "--format", "dot")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "maps" / "wall").iterdir()) == ["arabic.dot", "small.dot"]


@needs_dot
@pytest.mark.parametrize(("name", "magic"), [("map.png", b"\x89PNG"), ("map.pdf", b"%PDF"),
                                              ("map.html", b"<!DOCTYPE html>"), ("map.gv", b"digraph")])
def test_format_follows_the_suffix_of_an_output_file(tmp_path: Path, name: str, magic: bytes) -> None:
    result = invoke(str(FIXTURES / "small.yaml"), "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_dash_writes_one_map_to_stdout() -> None:
    result = invoke(str(FIXTURES / "small.yaml"), "--format", "dot", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("digraph journey {")


def test_an_invalid_journey_is_reported_like_check_and_skipped(tmp_path: Path) -> None:
    small, invalid = copy(tmp_path, "small.yaml", "invalid.yaml")
    result = invoke(str(invalid), str(small), "--format", "dot")
    assert result.exit_code == 1
    assert f"{invalid}:6:9: error [JM001]" in result.stderr
    assert f"{invalid}:7:15: error [JM003]" in result.stderr
    assert f"skipped {invalid}" in result.stderr
    assert (tmp_path / "small.dot").exists() and not (tmp_path / "invalid.dot").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["small.yaml", "arabic.yaml", "-o", "-"], "writes one map to standard output"),
    (["small.yaml", "-o", "small.yaml"], "would overwrite the journey file"),
    (["missing.yaml"], "no such file or folder"),
])
def test_usage_errors_exit_2(tmp_path: Path, monkeypatch, args: list[str], message: str) -> None:
    copy(tmp_path, "small.yaml", "arabic.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke(*args, "--format", "dot")
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_two_journeys_with_one_name_cannot_share_a_folder(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(FIXTURES / "small.yaml", tmp_path / sub / "small.yaml")
    result = invoke(str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "maps"), "--format", "dot")
    assert result.exit_code == 2 and "would both be written to" in result.stderr


def test_help_explains_the_output_rules_with_examples() -> None:
    result = runner.invoke(app, ["render", "--help"])
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    for text in ("--format", "--output", "next to each journey", "Examples:", "journeymap render journeys/ -o maps/"):
        assert text in shown


@needs_dot
def test_render_as_a_real_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "journeymap", "render", str(FIXTURES / "arabic.yaml"),
                           "--format", "html", "-o", str(out)], capture_output=True, text=True, cwd=REPO,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "تجديد جواز السفر" in page
    assert done.stdout == "" and done.stderr.strip() == f"wrote {out}"


def test_the_config_threshold_changes_the_hotspots_on_the_map(tmp_path: Path) -> None:
    conf = tmp_path / "journeymap.toml"
    conf.write_text("hotspot-threshold = 0.5\n", encoding="utf-8")
    plain = invoke(str(FIXTURES / "small.yaml"), "--format", "dot", "-o", "-")
    strict = invoke(str(FIXTURES / "small.yaml"), "--format", "dot", "-o", "-", "--config", str(conf))
    assert plain.exit_code == strict.exit_code == 0
    assert plain.stdout.count("hotspot #") < strict.stdout.count("hotspot #")
    bad = tmp_path / "bad.toml"
    bad.write_text("hotspot-threshold = 'high'\n", encoding="utf-8")
    result = invoke(str(FIXTURES / "small.yaml"), "--format", "dot", "--config", str(bad))
    assert result.exit_code == 2 and "configuration" in result.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_a_large_journey_with_loops_inside_columns_renders(tmp_path: Path) -> None:
    """Graphviz 2.43 lost labelled loop-back edges inside a column from ~100 touchpoints on
    ("trouble in init_rank"); such edges now carry an xlabel."""
    from journeymap.analysis.synthetic import write_synthetic

    journey = tmp_path / "big.yaml"
    write_synthetic(str(journey), 200)
    out = tmp_path / "big.svg"
    result = runner.invoke(app, ["render", str(journey), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").count('class="node"') >= 200
