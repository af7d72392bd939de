"""`render FOLDER --format html -o site/`: a report per journey and an index over them all; and
`-o all.html` with several journeys is a usage error, not a folder named all.html."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, REPO
from journeymap.cli import app
from journeymap.render.portfolio import COLUMNS, Row, portfolio_pages

RENDER = FIXTURES / "render"
runner = CliRunner()
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


@pytest.fixture
def journeys(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    for name in ("small.yaml", "arabic.yaml", "invalid.yaml"):
        shutil.copy(RENDER / name, folder / name)
    shutil.copy(REPO / "journeys" / "technician-visit.yaml", folder / "technician-visit.yaml")
    return folder


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr><td>(.*?)</td>", page)


@needs_dot
def test_a_folder_of_reports_gets_an_index_linking_each(journeys: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = runner.invoke(app, ["render", str(journeys), "--format", "html", "-o", f"{site}/"],
                         catch_exceptions=False)
    assert done.exit_code == 1  # invalid.yaml is skipped, and says so
    index = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<td><a href="([^"]+)"', index)
    assert sorted(links) == ["arabic.html", "small.html", "technician-visit.html"]
    assert all((site / link).is_file() for link in links)
    assert "invalid.yaml <span class=\"bad\">not a valid journey</span>" in index
    tech = next(r for r in index.split("<tr>") if "technician-visit.html" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", tech)
    assert cells[1] == "Home-phone customer who is reachable only on a mobile"
    assert cells[3:] == ["2", "1", "1"]  # hotspots, broken promises, errors
    assert "<script" not in index and "http://" not in index.lower().replace("http-equiv", "")
    assert "https://" not in index


@needs_dot
def test_the_index_is_sortable_by_every_column_without_script(journeys: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    runner.invoke(app, ["render", str(journeys), "-f", "html", "-o", str(site)], catch_exceptions=False)
    pages = {p.name for p in site.glob("index*.html")}
    assert pages == {"index.html", *(f"index-{c}.html" for c in COLUMNS if c != "friction")}
    by_title = (site / "index-title.html").read_text(encoding="utf-8")
    titles = [re.sub(r"<[^>]+>", "", cell).replace(" not a valid journey", "") for cell in _rows(by_title)]
    assert titles == sorted(titles, key=str.casefold)
    by_friction = (site / "index.html").read_text(encoding="utf-8")
    frictions = [float(x) for x in re.findall(r'<td class="n">(\d+\.\d)</td>', by_friction)]
    assert frictions == sorted(frictions, reverse=True) and len(frictions) == 3
    assert '<a href="index-title.html">Journey</a>' in by_friction


def test_rows_are_escaped_and_rtl_titles_keep_their_direction() -> None:
    rows = [Row('<b>"x"</b> & co', "", 1.0, 0, 0, 0, "a&b.html", True),
            Row("استبدال بطاقة", "عميل", 2.0, 1, 0, 0, "ar.html", True, rtl=True)]
    page = portfolio_pages(rows)["index.html"]
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; co" in page and 'href="a&amp;b.html"' in page
    assert '<a href="ar.html" dir="rtl">استبدال بطاقة</a>' in page


def test_one_output_file_for_several_journeys_is_a_usage_error(journeys: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["render", str(journeys), "--format", "html", "-o", str(tmp_path / "all.html")],
                         catch_exceptions=False)
    assert done.exit_code == 2
    assert "names one file, but 4 journeys were given" in done.output
    assert not (tmp_path / "all.html").exists()


def test_a_journey_named_index_cannot_overwrite_the_index(journeys: Path, tmp_path: Path) -> None:
    shutil.copy(RENDER / "small.yaml", journeys / "index.yaml")
    done = runner.invoke(app, ["render", str(journeys), "--format", "html", "-o", str(tmp_path / "site")],
                         catch_exceptions=False)
    assert done.exit_code == 2 and "rename that journey file" in done.output


def test_an_index_page_linked_to_a_journey_does_not_overwrite_it(journeys: Path, tmp_path: Path) -> None:
    # files.overwrites, the guard every output goes through, covers the index pages too
    site = tmp_path / "site"
    site.mkdir()
    (site / "index-title.html").symlink_to(journeys / "small.yaml")
    before = (journeys / "small.yaml").read_bytes()
    done = runner.invoke(app, ["render", str(journeys), "--format", "html", "-o", str(site)],
                         catch_exceptions=False)
    assert done.exit_code == 2
    assert "index-title.html would overwrite the journey file" in done.output
    assert (journeys / "small.yaml").read_bytes() == before
