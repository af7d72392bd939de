"""The HTML report, opened in real headless Chromium: the map, the tables, and no script from a
journey ever runs (even with the page's Content-Security-Policy taken out)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from render_fakes import fake_analysis

from journeymap.analysis.analyse import analyse
from journeymap.check import validate_file
from journeymap.model import Journey
from journeymap.render import render_map
from journeymap.render.html import CSP

FIXTURES = Path(__file__).parent / "fixtures" / "render"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(scripts/setup.sh --test installs Debian's chromium)")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def load(name: str) -> Journey:
    journey = validate_file(str(FIXTURES / name)).journey
    assert journey is not None
    return journey


def chromium(page: Path, tmp_path: Path, *args: str) -> str:
    """Run headless Chromium on ``page`` with ``args``; its stdout."""
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
               *args, page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def write_report(tmp_path: Path, journey: Journey, analysis=None, name: str = "report.html") -> Path:
    page = tmp_path / name
    page.write_bytes(render_map(analysis or analyse(journey), "html"))
    return page


@needs_dot
def test_report_is_one_self_contained_page() -> None:
    page = render_map(analyse(load("small.yaml")), "html").decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en" dir="ltr">' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#)""", page)  # nothing to fetch
    assert not re.search(r"<(?:script|link|iframe|img)\b", page)
    assert "@media print" in page and f'content="{CSP}"' in page
    # the map first, under the title only; then the curve, hotspots, promises and findings
    at = [page.index(mark) for mark in ("<h1>", '<figure class="map', '<dl class="meta">',
                                        "<h2>Emotion curve</h2>", "<h2>Friction hotspots</h2>",
                                        "<h2>Promises</h2>", "<h2>Findings</h2>")]
    assert at == sorted(at)
    assert 'id="lane_steps"' in page  # the journey-map view, not the flowchart
    # printed, page 1 is the title and the map: a page break after it
    assert re.search(r"@media print \{.*#map \{ break-after: page; \}", page, re.S)


@needs_dot
@needs_chromium
def test_chromium_shows_the_map_and_the_hotspot_table(tmp_path: Path) -> None:
    journey = load("small.yaml")
    analysis = analyse(journey)
    assert analysis.friction.hotspots, "the fixture is meant to have a hotspot"
    page = write_report(tmp_path, journey, analysis)
    shot = tmp_path / "report.png"
    chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert struct.unpack(">II", shot.read_bytes()[16:24]) == (1280, 2400)
    dom = chromium(page, tmp_path, "--dump-dom")
    figure = re.search(r'<figure class="map.*?</figure>', dom, re.DOTALL)
    assert figure and figure.group(0).count('id="card_t') == len(journey.touchpoints)
    hotspots = re.search(r'<section id="hotspots">.*?</section>', dom, re.DOTALL)
    assert hotspots and "<table>" in hotspots.group(0)
    for tp_id in analysis.friction.hotspots:
        assert journey.by_id[tp_id].name in hotspots.group(0)
    assert 'class="emotion"' in dom and "Delivered within 14 days" in dom


class Markup(HTMLParser):
    """The elements and attributes of a page, and its title; text stays text."""

    def __init__(self, dom: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            self._in_title = False


def pwned(dom: str) -> list[str]:
    """Signs that a payload from hostile.yaml ran or became markup."""
    page = Markup(dom)
    signs = [t for t in page.tags if t in ("script", "iframe", "img", "foreignobject")]
    signs += ["style"] * (page.tags.count("style") - 1)  # the report's own style sheet only
    signs += [a for a in page.attributes if a.startswith("on") or a.startswith("data-pwned")]
    return signs + (["title"] if page.title == "PWNED" else [])


@needs_dot
@needs_chromium
def test_a_hostile_journey_runs_no_script_even_without_the_csp(tmp_path: Path) -> None:
    journey = load("hostile.yaml")
    page = write_report(tmp_path, journey, fake_analysis(journey))
    html = page.read_text(encoding="utf-8")
    bare = tmp_path / "no-csp.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html), encoding="utf-8")
    assert "Content-Security-Policy" not in bare.read_text(encoding="utf-8")
    for report in (page, bare):
        dom = chromium(report, tmp_path, "--dump-dom")
        assert pwned(dom) == [], report
        assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom  # shown as text
        assert dom.count('id="card_t') == len(journey.touchpoints)


@needs_chromium
def test_the_payload_check_can_fail(tmp_path: Path) -> None:
    """Control: the same payload, unescaped, does run in this Chromium, and `pwned` sees it."""
    page = tmp_path / "control.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title></head><body>"
                    "<script>document.title='PWNED'</script>"
                    "<script>document.body.setAttribute('data-pwned','1')</script></body></html>",
                    encoding="utf-8")
    dom = chromium(page, tmp_path, "--dump-dom")
    assert "<title>PWNED</title>" in dom and 'data-pwned="1"' in dom
    assert pwned(dom) == ["script", "script", "data-pwned", "title"]


@needs_dot
@needs_chromium
def test_rtl_report_is_right_to_left_and_printable(tmp_path: Path) -> None:
    page = write_report(tmp_path, load("arabic.yaml"))
    dom = chromium(page, tmp_path, "--dump-dom")
    assert '<html lang="ar" dir="rtl">' in dom and "تجديد جواز السفر" in dom
    pdf = tmp_path / "printed.pdf"
    chromium(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
