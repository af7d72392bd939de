"""journeymap's Mermaid exports parse and draw in the real Mermaid CLI (mmdc) with the system chromium.

mmdc comes from tests/mermaid/ (package.json + package-lock.json): `scripts/setup.sh --test` runs
`npm ci` there when Node is installed. Without Node or that install the test is skipped, saying why.
One mmdc run draws every diagram of a Markdown file, and fails on the first that does not parse.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from journeymap.check import validate_file
from journeymap.mermaid.flowchart import emphasis_of, mermaid_flowchart
from journeymap.mermaid.journey import mermaid_journey

HERE = REPO / "tests" / "mermaid"
MMDC = HERE / "node_modules" / ".bin" / "mmdc"
CHROMIUM = "/usr/bin/chromium"
# A few journeys drawn for real (each diagram takes mmdc seconds; all twenty exports of the examples
# took 50-90 s on the shared 2-core machine): the story with failures and loops, a right-to-left one,
# and every character Mermaid's grammars stop at. The text tests in test_mermaid.py cover every
# example journey; JOURNEYMAP_MERMAID_ALL=1 draws every example here too.
JOURNEYS = [REPO / "journeys/technician-visit.yaml", REPO / "journeys/ar-bank-card-replacement.yaml"]
if os.environ.get("JOURNEYMAP_MERMAID_ALL"):
    JOURNEYS = sorted((REPO / "journeys").glob("*.yaml"))
JOURNEYS.append(FIXTURES / "mermaid/special-characters.yaml")


def _why_not() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (scripts/setup.sh --test installs it with apt-get)"
    if not MMDC.exists():
        return "the Mermaid CLI is not installed: run `npm ci` in tests/mermaid (scripts/setup.sh --test does)"
    if not Path(CHROMIUM).exists():
        return f"no browser at {CHROMIUM} for the Mermaid CLI"
    return None


# In CI (.ci/run sets CI=true) the set-up must have installed it: there a missing CLI fails the tests
# instead of skipping them, so a broken `npm ci` cannot pass unnoticed.
pytestmark = pytest.mark.skipif(_why_not() is not None and not os.environ.get("CI"),
                                reason=_why_not() or "")


def _diagrams() -> list[str]:
    out = [(FIXTURES / "mermaid/tricky.mmd").read_text(encoding="utf-8").split("---\n", 2)[2]]
    for path in JOURNEYS:
        journey = validate_file(str(path)).journey
        assert journey is not None
        out += [mermaid_journey(journey), mermaid_flowchart(journey, emphasis_of(journey))]
    # the map in a diff's Markdown, with added and changed touchpoints marked
    golden = (REPO / "tests/golden/diff/touchpoint-added.md").read_text(encoding="utf-8")
    out += re.findall(r"```mermaid\n(.*?)```", golden, re.S)
    return out


def test_exports_parse_and_draw_in_the_mermaid_cli(tmp_path: Path) -> None:
    diagrams = _diagrams()
    source = tmp_path / "all.md"
    source.write_text("".join(f"```mermaid\n{d}```\n\n" for d in diagrams), encoding="utf-8")
    done = subprocess.run([str(MMDC), "--quiet", "-p", str(HERE / "puppeteer-config.json"),
                           "-i", str(source), "-o", str(tmp_path / "out.md")],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    svgs = sorted(tmp_path.glob("out-*.svg"), key=lambda p: int(re.findall(r"\d+", p.name)[-1]))
    assert len(svgs) == len(diagrams)
    drawn = [svg.read_text(encoding="utf-8") for svg in svgs]
    # The entity codes came back as the characters they stand for, in the drawing's text.
    special = drawn[-3] + drawn[-2]
    for text in ("Journey planning&#58; 50&#37; off&#59; &#35;deal", "Stage&#58; one&#59; &#35;1"):
        assert _decoded(text) in _decoded(special), text
    assert any("استبدال بطاقة مصرفية مفقودة" in svg for svg in drawn)  # the Arabic title, intact


def _decoded(text: str) -> str:
    import html

    return html.unescape(html.unescape(text))
