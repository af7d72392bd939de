"""Render at scale and peak memory: ``python bench/scale.py [--quick] [--keep DIR]``.

Two tables, each figure measured in a process of its own (docs/performance.md, "Render at scale
and memory"):

* **DOT generation** of the flow view (``journey_dot_bytes``: marks, recovery paths, labels, the text) for
  journeys of 10,000, 20,000 and 100,000 touchpoints, timed in a child process after the journey
  is loaded and analysed, so the figure is the generation alone. Linear growth keeps the time per
  touchpoint flat; the ratio column compares it with the size before (target ≤ 1.5×: a
  quadratic step would show 2× and 5×).
* **Peak memory** of ``validate``, ``check``, ``report --format json`` and ``render --format dot``
  (the flow view and the map view), as real processes (``ru_maxrss`` from ``wait4``), against
  the target of 10× the file's size, on two journeys: the largest the limits allow with the
  generator's touchpoints (105,000 of them, with asks, failures and loops: about 12 MB and 1.8
  million values), and a *lean* one like issue 10's example (163,000 touchpoints of a name, an
  id, a channel and an emotion: about 14 MB, more touchpoints to the megabyte).

``--quick`` uses 1,000 / 2,000 / 10,000 touchpoints and files of ~1.5 MiB: a smoke run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import JM, run_once  # noqa: E402

FULL = {"dot": (10_000, 20_000, 100_000), "memory": 105_000, "lean": 163_000}
QUICK = {"dot": (1_000, 2_000, 10_000), "memory": 10_500, "lean": 16_300}
TARGET_GROWTH = 1.5  # time per touchpoint, against the size before
TARGET_MEMORY = 10.0  # peak memory, against the file's size

# Run in a child: load and analyse, then time the DOT generation alone; prints seconds and bytes.
_TIME_DOT = """
import gc, json, sys, time
gc.set_threshold(50_000, 20, 20)
from journeymap.analysis.analyse import analyse
from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.render.dot import journey_dot_bytes
journey = validate_file(sys.argv[1]).journey
jg = build_graph(journey)
analysis = analyse(journey, jg=jg)
start = time.perf_counter()
data = journey_dot_bytes(analysis, jg)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(data)}))
"""


def write_journey(path: Path, size: int) -> Path:
    """A synthetic journey of ``size`` touchpoints without promises (their scoring is measured
    in bench/run.py) and without owners and durations, one touchpoint a line in flow style
    (``{name: …, id: …}``), so that 100,000 touchpoints stay within the limits of 16 MiB and
    2,000,000 values (about 115 bytes and 17 values each). Written in a child process,
    so that this one stays small."""
    subprocess.run([sys.executable, "-c", _WRITE, str(path), str(size)], check=True, cwd=HERE.parent)
    return path


_WRITE = """
import json, sys
from journeymap.analysis.synthetic import synthetic_document

def flow(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return str(value)  # the generator's texts are plain words, numbers and durations

doc = synthetic_document(int(sys.argv[2]))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(f"journey: {doc['journey']}\\nid: {doc['id']}\\nstages:\\n")
    for stage in doc["stages"]:
        out.write(f"  - name: {stage['name']}\\n    touchpoints:\\n")
        for tp in stage["touchpoints"]:
            tp.pop("owner", None), tp.pop("duration", None)  # under the 2,000,000-values limit
            out.write(f"      - {flow(tp)}\\n")
"""


_WORDS = ("customer", "checks", "the", "letter", "calls", "support", "waits", "for", "reply",
          "account", "form", "sends", "again", "agent", "reads")
_CHANNELS = ("web", "phone", "app", "branch", "email")


def write_lean(path: Path, size: int) -> Path:
    """A journey of ``size`` touchpoints that say only a name, an id, a channel and an emotion, ten
    to a stage, a line each: about 90 bytes and 9 values a touchpoint (issue 10's example, 163,000
    touchpoints in 15 MiB). Written a line at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write("journey: A lean journey\nid: lean\nstages:\n")
        for k in range(size):
            if k % 10 == 0:
                out.write(f"  - name: Stage {k // 10}\n    touchpoints:\n")
            name = " ".join(_WORDS[(k * 7 + j * 3) % len(_WORDS)] for j in range(4)).capitalize()
            out.write(f"      - {{name: {name} {k}, id: t{k}, channel: {_CHANNELS[k % 5]}, "
                      f"emotion: {k % 5 - 2}}}\n")
    return path


def dot_rows(folder: Path, sizes: tuple[int, ...]) -> list[dict]:
    rows: list[dict] = []
    for size in sizes:
        path = write_journey(folder / f"dot-{size}.yaml", size)
        done = subprocess.run([sys.executable, "-c", _TIME_DOT, str(path)], capture_output=True,
                              text=True, check=False, cwd=HERE.parent)
        if done.returncode != 0:
            sys.exit(f"DOT generation failed for {size:,} touchpoints: {done.stderr.strip()[-500:]}")
        got = json.loads(done.stdout)
        per = got["seconds"] / size * 1e6
        growth = per / rows[-1]["us_per_touchpoint"] if rows else None
        rows.append({"touchpoints": size, "seconds": got["seconds"], "dot_mb": got["bytes"] / 2**20,
                     "us_per_touchpoint": per, "growth": growth})
    return rows


def memory_rows(folder: Path, path: Path, label: str = "") -> list[dict]:
    file_mb = path.stat().st_size / 2**20
    commands = {
        "validate": ["validate", str(path)],
        "check": ["check", str(path)],
        "report --format json": ["report", "--format", "json", str(path), "-o", str(folder / "r.json")],
        "render --format dot --view flow": ["render", "--format", "dot", "--view", "flow", str(path),
                                            "-o", str(folder / "f.dot")],
        "render --format dot (map view)": ["render", "--format", "dot", str(path), "-o", str(folder / "m.dot")],
    }
    rows = []
    _, start_mb, _ = run_once(JM + ["--version"], HERE.parent, timeout=60)
    for name, args in commands.items():
        seconds, peak_mb, code = run_once(JM + args, HERE.parent, timeout=1800)
        rows.append({"command": name + label, "file_mb": file_mb, "seconds": seconds, "peak_mb": peak_mb,
                     "ratio": peak_mb / file_mb, "beyond_start": (peak_mb - start_mb) / file_mb,
                     "start_mb": start_mb, "exit": code})
    return rows


def print_tables(dot: list[dict], memory: list[dict]) -> None:
    print("| DOT generation | seconds | DOT MB | µs per touchpoint | vs the size before | target | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in dot:
        growth = f"{r['growth']:.2f}×" if r["growth"] else ""
        verdict = "" if r["growth"] is None else ("PASS" if r["growth"] <= TARGET_GROWTH else "MISS")
        print(f"| {r['touchpoints']:,} touchpoints | {r['seconds']:.2f} | {r['dot_mb']:.1f} | "
              f"{r['us_per_touchpoint']:.0f} | {growth} | ≤ {TARGET_GROWTH}× | {verdict} |")
    print()
    print("| peak memory | file MB | seconds | peak MB | × file | × file, less start-up | target | |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in memory:
        verdict = "ERROR" if r["exit"] not in (0, 1) else ("PASS" if r["ratio"] <= TARGET_MEMORY else "MISS")
        print(f"| {r['command']} | {r['file_mb']:.1f} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | "
              f"{r['ratio']:.1f}× | {r['beyond_start']:.1f}× | ≤ {TARGET_MEMORY:g}× | {verdict} |")
    if memory:
        print(f"\nstart-up (`journeymap --version`): {memory[0]['start_mb']:.0f} MB")
        print()
        for line in memory_verdicts(memory):
            print(line)


def memory_verdicts(memory: list[dict]) -> list[str]:
    """One line per command: its peak against the 10× target, and by how much it misses."""
    lines = []
    for r in memory:
        if r["exit"] not in (0, 1):
            lines.append(f"{r['command']}: ERROR (exit {r['exit']})")
            continue
        target_mb = TARGET_MEMORY * r["file_mb"]
        verdict = "PASS" if r["ratio"] <= TARGET_MEMORY else f"MISS by {r['peak_mb'] - target_mb:.0f} MB"
        lines.append(f"{r['command']}: {r['peak_mb']:.0f} MB = {r['ratio']:.1f}× the file, "
                     f"target ≤ {TARGET_MEMORY:g}× ({target_mb:.0f} MB): {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated journeys in DIR")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the peak-memory table (skips the DOT timings)")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(args.keep or temp)
        folder.mkdir(parents=True, exist_ok=True)
        dot = [] if args.memory_only else dot_rows(folder, plan["dot"])
        memory = memory_rows(folder, write_journey(folder / "memory.yaml", plan["memory"]))
        memory += memory_rows(folder, write_lean(folder / "lean.yaml", plan["lean"]),
                              f" · lean, {plan['lean']:,}")
    print_tables(dot, memory)
    if args.json:
        Path(args.json).write_text(json.dumps({"dot": dot, "memory": memory}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
