"""Workshop mode in a real headless Chromium (the system's, driven by Playwright): the page follows
the file on disk without a reload, a broken save keeps the last good map under its errors, new
and deleted journeys come and go on the index, and nothing a journey says runs as script."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import CHROMIUM, CHROMIUM_ARGS, journey_text, request, save, serving

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' brings playwright")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                 "(scripts/setup.sh --test installs Debian's chromium)"),
              pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")]

FIXTURES = Path(__file__).parent / "fixtures" / "render"
# the map's text, with the line breaks of wrapped labels read as spaces
MAP_TEXT = ("(document.querySelector('#map svg') ? document.querySelector('#map svg').textContent : '')"
            ".replace(/\\s+/g, ' ')")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def open_live(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".live.on")  # the event stream is connected
    page.evaluate("window.__sameDocument = 'yes'")  # gone if the page ever reloads


def map_shows(page, text: str) -> None:
    # a function, not an expression: the page's CSP rightly forbids eval'ing a string
    page.wait_for_function(f"() => ({MAP_TEXT}).includes({text!r})")


def test_the_map_follows_the_file_and_a_broken_save_keeps_the_last_good_map(page, tmp_path: Path) -> None:
    journey = tmp_path / "walls" / "phone.yaml"
    journey.parent.mkdir()
    journey.write_text(journey_text("Call the support line"), encoding="utf-8")
    with serving([str(journey.parent)], tmp_path) as server:
        open_live(page, server.url() + "j/phone.yaml")
        assert "Call the support line" in page.evaluate(MAP_TEXT)

        save(journey, journey_text("Ring the helpdesk"))  # a rename-save, as editors do it
        map_shows(page, "Ring the helpdesk")
        assert "Call the support line" not in page.evaluate(MAP_TEXT)
        assert page.locator("#problems").count() == 0

        save(journey, journey_text("Half-typed name", to="cal"))  # JM003 at 12:17
        problems = page.wait_for_selector("#problems")
        text = problems.inner_text()
        assert "phone.yaml:12:17" in text and "JM003" in text and "did you mean `call`?" in text
        assert "The last save has 1 error" in text
        assert "Ring the helpdesk" in page.evaluate(MAP_TEXT)  # the last good map stays up
        assert "Half-typed name" not in page.evaluate(MAP_TEXT)
        assert "stale" in page.get_attribute("#map", "class")

        save(journey, journey_text("Phone the helpdesk"))
        map_shows(page, "Phone the helpdesk")
        page.wait_for_selector("#problems", state="detached")
        assert "stale" not in page.get_attribute("#map", "class")
        assert page.evaluate("window.__sameDocument") == "yes", "the page reloaded"
        assert "Traceback" not in server.stderr()


def test_the_index_shows_new_journeys_and_drops_deleted_ones(page, tmp_path: Path) -> None:
    folder = tmp_path / "walls"
    (folder / "team").mkdir(parents=True)
    first = folder / "phone.yaml"
    first.write_text(journey_text(), encoding="utf-8")
    with serving([str(folder)], tmp_path) as server:
        open_live(page, server.url())
        rows = page.locator("tr[data-rel]")
        assert rows.count() == 1 and "Home-phone customer" in rows.first.inner_text()

        save(folder / "team" / "returns.yaml",
             journey_text().replace("Fix a silent phone line", "Return a parcel"))
        page.wait_for_selector('tr[data-rel="team/returns.yaml"]')
        assert "Return a parcel" in page.inner_text('tr[data-rel="team/returns.yaml"]')

        (folder / "team" / "broken.yaml").write_text("journey: [unclosed\n", encoding="utf-8")
        broken = page.wait_for_selector('tr[data-rel="team/broken.yaml"]')
        assert "does not validate" in broken.inner_text()

        first.unlink()
        page.wait_for_selector('tr[data-rel="phone.yaml"]', state="detached")
        assert page.locator("tr[data-rel]").count() == 2
        page.click('a[href="/j/team/returns.yaml"]')
        page.wait_for_selector("#map svg")
        assert "Return a parcel" in page.inner_text("h1")


def test_a_journey_page_whose_file_is_deleted_says_so(page, tmp_path: Path) -> None:
    journey = tmp_path / "walls" / "phone.yaml"
    journey.parent.mkdir()
    journey.write_text(journey_text(), encoding="utf-8")
    with serving([str(journey.parent)], tmp_path) as server:
        open_live(page, server.url() + "j/phone.yaml")
        journey.unlink()
        gone = page.wait_for_selector("#gone")
        assert "gone" in gone.inner_text()
        assert "Call the support line" in page.evaluate(MAP_TEXT)  # what was on the wall stays


def test_a_hostile_journey_and_file_name_run_no_script(page, tmp_path: Path) -> None:
    folder = tmp_path / "walls"
    folder.mkdir()
    name = "<img src=x onerror=document.body.setAttribute('data-pwned','n')>.yaml"
    shutil.copy(FIXTURES / "hostile.yaml", folder / name)
    with serving([str(folder)], tmp_path) as server:
        url = server.url()
        status, _, headers = request(url, "/")
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        open_live(page, url)
        page.click("tr[data-rel] a")
        page.wait_for_selector("#map svg")
        open_live(page, page.url)
        scripts = page.evaluate("[...document.scripts].map(s => s.src)")
        assert scripts == [url + "assets/live.js"]
        assert page.evaluate("document.body.getAttribute('data-pwned')") is None
        assert page.title() != "PWNED"
        assert page.locator("img, iframe, foreignObject, [onerror], [onload]").count() == 0
        assert "<script>document.title='PWNED'</script>" in page.inner_text("h1")  # shown as text
        assert re.search(r"Stage } subgraph cluster_evil", page.evaluate(MAP_TEXT))


def test_many_open_tabs_all_follow_the_file(browser, tmp_path: Path) -> None:
    """A browser opens about six connections to one server; the pages share one event stream
    (a shared worker), so an eighth tab loads and updates like the first."""
    journey = tmp_path / "walls" / "phone.yaml"
    journey.parent.mkdir()
    journey.write_text(journey_text("Call the support line"), encoding="utf-8")
    context = browser.new_context()
    try:
        with serving([str(journey.parent)], tmp_path) as server:
            url = server.url()
            tabs = []
            for _ in range(8):
                tab = context.new_page()
                tab.set_default_timeout(10_000)
                open_live(tab, url + "j/phone.yaml")
                tabs.append(tab)
            save(journey, journey_text("Ring the helpdesk"))
            for tab in tabs:
                map_shows(tab, "Ring the helpdesk")
                assert tab.evaluate("window.__sameDocument") == "yes"
    finally:
        context.close()
