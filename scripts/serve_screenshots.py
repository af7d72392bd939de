"""Take the README's pictures of workshop mode: `journeymap serve` on the example journeys, in
the system's headless Chromium (driven by Playwright), after a save that breaks the technician
visit (a typo in a reference) — the errors above the last good map.

    .venv/bin/python scripts/serve_screenshots.py        writes docs/serve-index.png and
                                                         docs/serve-broken-save.png
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        walls = Path(tmp) / "journeys"
        shutil.copytree(REPO / "journeys", walls)
        server = subprocess.Popen([sys.executable, "-m", "journeymap", "serve", "--port", "0", "journeys"],
                                  stdout=subprocess.PIPE, text=True, cwd=tmp)
        try:
            url = re.search(r"http://\S+/", server.stdout.readline() if server.stdout else "")
            assert url, "journeymap serve did not print its address"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url.group(0))
                page.wait_for_selector(".live.on")
                page.screenshot(path=str(REPO / "docs" / "serve-index.png"))
                page.goto(url.group(0) + "j/technician-visit.yaml")
                page.wait_for_selector(".live.on")
                journey = walls / "technician-visit.yaml"
                journey.write_text(journey.read_text(encoding="utf-8").replace(
                    "next: book-visit", "next: bok-visit"), encoding="utf-8")
                page.wait_for_selector("#problems", timeout=10_000)
                page.screenshot(path=str(REPO / "docs" / "serve-broken-save.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
