"""Workshop mode's loop, measured: from a save on disk to the map updated in an open page.

    .venv/bin/python bench/serve_latency.py              20 saves per journey size (10, 50)
    .venv/bin/python bench/serve_latency.py --saves 5    a quick run
    .venv/bin/python bench/serve_latency.py --mmdc PATH/mmdc --puppeteer-config p.json

`journeymap serve` runs as a real process; the system Chromium (driven by Playwright) holds the
journey's page open. Each save renames one touchpoint, written as editors save (a temporary file
renamed over the journey). The page records, with a MutationObserver, the moment its DOM holds
a map with the new name; the latency is that moment minus the moment the rename returned
(both on the machine's wall clock). Saves are 0.4 s apart, so each is its own burst.

Mermaid's CLI (the one `scripts/setup.sh --test` installs into tests/mermaid with `npm ci`,
PUPPETEER_SKIP_DOWNLOAD=1 and a puppeteer config whose executablePath is the system Chromium; or
any other with ``--mmdc``) draws the same 50-touchpoint journey as a Mermaid `journey` diagram
(bench/mermaid.py), for the time one diagram takes there; `journeymap render` of it is timed
beside it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from journeymap.analysis.synthetic import synthetic_document  # noqa: E402

TARGET = 0.5  # seconds, save → page updated, for a 50-touchpoint journey (issue 13)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WATCH = """() => new Promise(resolve => {
  window.__updated = {};
  new MutationObserver(() => {
    const svg = document.querySelector('#map svg');
    const text = svg ? svg.textContent : '';
    const found = text.match(/Step 0 rev (\\d+)/);
    if (found && !(found[1] in window.__updated)) window.__updated[found[1]] = Date.now();
  }).observe(document.getElementById('content'), {childList: true, subtree: true});
  resolve(true);
})"""


def journey_yaml(size: int, name: str) -> str:
    """A valid generated journey of ``size`` steps (t0 … t<size-1>, the last a success; plus the
    generator's "gives up" end) whose first step is called ``name``."""
    doc = synthetic_document(size)  # which makes at least 12: cut it down to size
    steps = [tp for stage in doc["stages"] for tp in stage["touchpoints"] if tp["id"] != "gives-up"]
    steps = steps[: size - 1] + [{"name": "Done", "id": f"t{size - 1}", "outcome": "success"},
                                 {"name": "Gives up", "id": "gives-up", "outcome": "lost"}]
    steps[0] = {**steps[0], "name": name}
    ids = {tp["id"] for tp in steps}
    doc["stages"] = [{"name": f"Stage {k // 10}", "touchpoints": steps[k:k + 10]}
                     for k in range(0, len(steps), 10)]
    doc["promises"] = [p for p in doc["promises"] if p["made_at"] in ids and p["kept_at"] in ids]
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def save(path: Path, text: str) -> float:
    temp = path.with_name(f".{path.name}.saving")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return time.time()


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "journeymap", "serve", "--port", "0", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    found = re.search(r"http://\S+/", line)
    if not found:
        proc.kill()
        sys.exit(f"journeymap serve did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, found.group(0)


def measure_page(page, url: str, path: Path, size: int, saves: int) -> list[float]:
    page.goto(url)
    page.wait_for_selector(".live.on", timeout=30_000)
    page.evaluate(WATCH)
    latencies = []
    for n in range(saves):
        saved = save(path, journey_yaml(size, f"Step 0 rev {n}"))
        page.wait_for_function(f"() => window.__updated && ('{n}' in window.__updated)", timeout=30_000)
        latencies.append(page.evaluate(f"window.__updated['{n}']") / 1000 - saved)
        time.sleep(0.4)
    return latencies


def run_serve(sizes: list[int], saves: int) -> dict[int, list[float]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        for size in sizes:
            (folder / f"journey-{size}.yaml").write_text(journey_yaml(size, "Step 0"), encoding="utf-8")
        proc, url = start_server(folder)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            for size in sizes:
                results[size] = measure_page(page, f"{url}j/journey-{size}.yaml",
                                             folder / f"journey-{size}.yaml", size, saves)
        finally:
            browser.close()
            proc.terminate()
            proc.wait(10)
    return results


def timed(argv: list[str], repeat: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=300)
        times.append(time.perf_counter() - start)
    return times


def run_mermaid(mmdc: str, config: str | None, repeat: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "j.yaml").write_text(journey_yaml(50, "Step 0"), encoding="utf-8")
        subprocess.run([sys.executable, str(HERE / "mermaid.py"), "j.yaml", "j.mmd"], cwd=folder, check=True)
        mermaid = [mmdc, "-i", "j.mmd", "-o", "mermaid.svg"] + (["-p", config] if config else [])
        ours = [sys.executable, "-m", "journeymap", "render", "j.yaml", "-o", "ours.svg"]
        mm, jm = [], []
        for _ in range(repeat):  # interleaved, so a busy moment slows both alike
            mm += timed(mermaid, 1, folder)
            jm += timed(ours, 1, folder)
    return mm, jm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=20, help="saves per journey size (default 20)")
    project_mmdc = HERE.parent / "tests" / "mermaid" / "node_modules" / ".bin" / "mmdc"
    parser.add_argument("--mmdc", default=str(project_mmdc) if project_mmdc.exists() else None,
                        help="Mermaid's CLI, for the time of one diagram there (default: the one "
                        "in tests/mermaid, when scripts/setup.sh --test installed it)")
    parser.add_argument("--puppeteer-config", default=str(HERE.parent / "tests" / "mermaid" /
                                                          "puppeteer-config.json"),
                        help="passed to mmdc as -p (default: tests/mermaid's, the system Chromium)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of mmdc and render (default 5)")
    args = parser.parse_args()

    results = run_serve([10, 50], args.saves)
    print(f"save → page updated, median of {args.saves} saves (target {TARGET:g} s for 50 touchpoints)")
    for size, latencies in results.items():
        median = statistics.median(latencies)
        verdict = ("PASS" if median <= TARGET else "MISS") if size == 50 else ""
        print(f"  {size:3d} touchpoints: median {median:.3f} s  (min {min(latencies):.3f}, "
              f"max {max(latencies):.3f})  {median / TARGET:.2f}x target  {verdict}")
    if args.mmdc:
        mm, jm = run_mermaid(args.mmdc, args.puppeteer_config, args.repeat)
        print(f"one diagram of the 50-touchpoint journey, median of {args.repeat}:")
        print(f"  mmdc (Mermaid CLI, journey diagram): {statistics.median(mm):.3f} s")
        print(f"  journeymap render (svg, a new process): {statistics.median(jm):.3f} s")
    else:
        print("no Mermaid CLI (scripts/setup.sh --test installs it, or give --mmdc): no comparison")


if __name__ == "__main__":
    main()
