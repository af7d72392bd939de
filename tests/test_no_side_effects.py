"""journeymap writes only the output it is given, and never runs anything a journey file names.

Every command runs as a real process in a sandbox: its own working folder, HOME and TMPDIR, all
inside one temp folder whose every file is recorded before and after (path, size, mtime). The only
change allowed is the output the command was asked for. The journeys carry YAML tags that a
careless loader would turn into a shell command creating a marker file; the control test shows
that PyYAML's unsafe loader does run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

MARKER = "journeymap-was-tricked"
VALID = REPO / "journeys" / "fridge-delivery.yaml"


def payloads(marker: Path) -> dict[str, str]:
    """Journey files that would create ``marker`` if their tags were honoured."""
    cmd = f"touch {marker}"
    stage = "stages:\n  - name: Buy\n    touchpoints:\n      - name: Order\n"
    return {
        "apply-title.yaml": f"journey: !!python/object/apply:os.system ['{cmd}']\n{stage}",
        "new-popen.yaml": f"journey: Popen\n{stage}        owner: !!python/object/new:subprocess.Popen "
                          f"[['touch', '{marker}']]\n",
        "tagged-key.yaml": f"journey: Key\n? !!python/object/apply:os.system ['{cmd}']\n: x\n{stage}",
        "merged.yaml": f"journey: Merged\n{stage}        <<: !!python/object/apply:os.system ['{cmd}']\n",
        "aliased.yaml": f"journey: &a !!python/object/apply:os.system ['{cmd}']\npersona: *a\n{stage}",
    }


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    for name in ("work", "home", "tmp", "journeys"):
        (tmp_path / name).mkdir()
    shutil.copy(VALID, tmp_path / "journeys" / "valid.yaml")
    for name, text in payloads(tmp_path / MARKER).items():
        (tmp_path / "journeys" / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(sandbox: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(sandbox / "home"), "TMPDIR": str(sandbox / "tmp"),
           "XDG_CACHE_HOME": str(sandbox / "home" / ".cache"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "journeymap", *args], cwd=sandbox / "work", env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_payloads_are_live(sandbox: Path) -> None:
    """Control: PyYAML's unsafe loader runs the payload, so the tests below can fail."""
    yaml.unsafe_load((sandbox / "journeys" / "apply-title.yaml").read_text(encoding="utf-8"))
    assert (sandbox / MARKER).exists()


# (arguments, the files the command may create, relative to the sandbox)
COMMANDS = [
    (["validate", "../journeys"], set()),
    (["check", "--format", "json", "../journeys"], set()),
    (["check", "--format", "sarif", "-o", "findings.sarif", "../journeys"], {"work/findings.sarif"}),
    (["report", "--format", "json", "../journeys"], set()),
    (["report", "--format", "json", "-o", "report.json", "../journeys"], {"work/report.json"}),
    (["render", "--format", "dot", "-o", "maps/", "../journeys"], {"work/maps/valid.dot"}),
    (["render", "--format", "svg", "../journeys/valid.yaml"], {"journeys/valid.svg"}),
    (["render", "--format", "html", "-o", "map.html", "../journeys/valid.yaml"], {"work/map.html"}),
    (["init", "starter"], {"work/starter.yaml", "work/journey.schema.json"}),  # the schema: once
    (["diff", "--format", "markdown", "../journeys", "../journeys"], set()),
    (["export", "--format", "mermaid-flowchart", "../journeys/valid.yaml"], set()),
    (["render", "--format", "html", "-o", "site/", "../journeys"],
     {"work/site/valid.html", "work/site/index.html",
      *(f"work/site/index-{c}.html" for c in ("title", "persona", "hotspots", "broken", "errors"))}),
]


@pytest.mark.parametrize("args, created", COMMANDS, ids=[" ".join(a[:3]) for a, _ in COMMANDS])
def test_writes_only_its_output_and_runs_nothing(sandbox: Path, args: list[str], created: set[str]) -> None:
    before = snapshot(sandbox)
    result = run(sandbox, *args)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    after = snapshot(sandbox)
    assert not (sandbox / MARKER).exists()
    assert {name for name in after if before.get(name) != after[name]} == created
    assert not set(before) - set(after)  # nothing deleted either
