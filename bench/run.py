"""journeymap's benchmarks: each figure measured side by side with its baseline, in one run.

    .venv/bin/python bench/run.py              the full run (docs/performance.md has the figures)
    .venv/bin/python bench/run.py --quick      a smoke run: small inputs, 3 repetitions

Inputs are generated into a temp folder (bench/corpora.py). Every command runs as a real process,
as a user would run it. Repetitions are interleaved (one round runs every command once) so that a
busy machine slows subject and baseline alike, and each figure is the median. Peak memory is the
kernel's count for the process (ru_maxrss from wait4). Targets are ratios to the baseline; the
scaling rows compare each size with the one half its size, start-up time taken off both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
_script = Path(PY).with_name("journeymap")
JM = [str(_script)] if _script.exists() else [PY, "-m", "journeymap"]


@dataclass
class Measured:
    """Every repetition of one command: wall-clock seconds, peak memory (MB), exit codes."""

    argv: list[str]
    ok_codes: tuple[int, ...] = (0, 1)  # 1 is a result for check and validate: errors found
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb)

    @property
    def failed(self) -> bool:
        """The command could not do its job (or was killed): its figure means nothing."""
        return any(code not in self.ok_codes for code in self.codes)


def run_once(argv: list[str], cwd: Path, timeout: float) -> tuple[float, float, int]:
    """Seconds, peak resident MB and exit code of one run of ``argv``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(commands: dict[str, list[str]], cwd: Path, repeat: int, timeout: float,
            slow: float) -> dict[str, Measured]:
    """Run every command ``repeat`` times, one round after another, each round in a new order.

    A command slower than ``slow`` seconds in the first round is not repeated: its one run is
    its figure (the table says n=1)."""
    results = {name: Measured(argv, (0,) if name in MUST_SUCCEED else (0, 1))
               for name, argv in commands.items()}
    names = list(commands)
    for round_no in range(repeat):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            m = results[name]
            if round_no and m.seconds[0] > slow:
                continue
            seconds, rss, code = run_once(m.argv, cwd, timeout)
            m.seconds.append(seconds)
            m.rss_mb.append(rss)
            m.codes.append(code)
            print(f"  round {round_no + 1}/{repeat}  {name:<22} {seconds:8.3f}s", file=sys.stderr)
    return results


@dataclass(frozen=True)
class Row:
    figure: str
    subject: float
    baseline: float
    ratio: float
    target: float | None
    peak_mb: float
    runs: int
    failed: bool = False

    @property
    def verdict(self) -> str:
        if self.failed:
            return "ERROR"
        if self.target is None:
            return "info"
        return "PASS" if self.ratio <= self.target else "MISS"


# Commands for which any exit code but 0 is a failure (for check, validate and report 1 is a result).
MUST_SUCCEED = {"bare corpus", "bare large", "import yaml", "burn 1", "burn 2", "--version",
                "render svg", "dot -Tsvg",
                "render flat", "dot flat", "mmdc journey"}


def commands_for(folder: Path, plan: dict, has_report: bool, mmdc: str | None) -> dict[str, list[str]]:
    cmds = {
        "bare corpus": [PY, str(HERE / "bare_parse.py"), "corpus"],
        "check corpus": [*JM, "check", "--format", "json", "--jobs", "2", "corpus"],
        "check corpus 1 job": [*JM, "check", "--format", "json", "--jobs", "1", "corpus"],
        "bare large": [PY, str(HERE / "bare_parse.py"), "large.yaml"],
        "check large": [*JM, "check", "--format", "json", "large.yaml"],
        "import yaml": [PY, "-c", "import yaml"],
        "burn 1": [PY, str(HERE / "burn.py"), "1"],
        "burn 2": [PY, str(HERE / "burn.py"), "2"],
        "--version": [*JM, "--version"],
        "validate small": [*JM, "validate", "small.yaml"],
        "check small": [*JM, "check", "--format", "json", "small.yaml"],
        # the flowchart: its figures and targets predate the journey-map view (the default now)
        "render svg": [*JM, "render", "--view", "flow", "--format", "svg", "-o", "out/render.svg",
                       "render.yaml"],
        "dot -Tsvg": ["dot", "-Tsvg", "-o", "out/dot.svg", "render.dot"],
        "render flat": [*JM, "render", "--view", "flow", "--format", "svg", "-o", "out/flat.svg",
                        "render-flat.yaml"],
        "dot flat": ["dot", "-Tsvg", "-o", "out/dot-flat.svg", "render-flat.dot"],
    }
    for size in plan["scale"]:
        cmds[f"check {size}"] = [*JM, "check", "--format", "json", f"scale-{size}.yaml"]
        cmds[f"plain {size}"] = [*JM, "check", "--format", "json", f"plain-{size}.yaml"]
    if has_report:
        cmds["report large"] = [*JM, "report", "--format", "json", "large.yaml"]
        for size in plan["scale"]:
            cmds[f"report {size}"] = [*JM, "report", "--format", "json", f"scale-{size}.yaml"]
    if mmdc:
        cmds["mmdc journey"] = [mmdc, "-i", "render.mmd", "-o", "out/mermaid.svg"]
    return cmds


def rows_for(m: dict[str, Measured], plan: dict, has_report: bool) -> list[Row]:
    def row(figure: str, subject: str, baseline: str, target: float | None, offset: float = 0.0) -> Row:
        s, b = m[subject].median - offset, m[baseline].median - offset
        return Row(figure, s, b, s / b, target, m[subject].peak_mb, len(m[subject].seconds),
                   m[subject].failed or m[baseline].failed)

    files, large = plan["files"], plan["large"]
    rows = [row(f"check {files:,} files of {plan['file_size']} tps, --jobs 2 vs bare parse",
                "check corpus", "bare corpus", 2.0),
            row("the same, --jobs 1 (one process) vs bare parse", "check corpus 1 job",
                "bare corpus", None),
            row("calibration: 2 processes of pure Python vs 1 (1.0: two free cores)", "burn 2",
                "burn 1", None),
            row(f"check {large:,} tps, {plan['promises']} promises vs bare parse", "check large",
                "bare large", 3.0)]
    if has_report:
        rows.append(row(f"report --format json {large:,} tps vs bare parse", "report large",
                        "bare large", 2.0))
    start = m["check small"].median  # start-up and imports: the same at every size
    scaled = {"check": "check", "report": "report --format json", "plain": "check, no promises,"}
    for command in [c for c in scaled if f"{c} {plan['scale'][0]}" in m]:
        for small, big in zip(plan["scale"], plan["scale"][1:]):
            rows.append(row(f"{scaled[command]} {big:,} vs {small:,} tps (less start-up)",
                            f"{command} {big}", f"{command} {small}", 2.3, offset=start))
    rows += [row("--version vs python -c 'import yaml'", "--version", "import yaml", 3.0),
             row("validate small file vs python -c 'import yaml'", "validate small", "import yaml", 5.0),
             row(f"render --format svg {plan['render']} tps vs dot -Tsvg", "render svg", "dot -Tsvg", 1.3),
             row("the same journey without its failures (no loops)", "render flat", "dot flat", 1.3)]
    if "mmdc journey" in m:
        rows.append(row("mmdc (Mermaid journey) vs render svg", "mmdc journey", "render svg", None))
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"\n{'figure':<58} {'jm (s)':>8} {'base (s)':>8} {'ratio':>6} {'target':>7} {'':>5} "
          f"{'peak MB':>8} {'n':>3}")
    for r in rows:
        target = f"≤{r.target:g}×" if r.target is not None else "—"
        print(f"{r.figure:<58} {r.subject:8.3f} {r.baseline:8.3f} {r.ratio:5.2f}× {target:>7} "
              f"{r.verdict:>5} {r.peak_mb:8.1f} {r.runs:3d}")


@dataclass(frozen=True)
class Accuracy:
    """How many of the large journey's timed promises `report` answers within ± TOLERANCE."""

    promises: int
    within: int  # error ≤ TOLERANCE
    exact: int  # error 0
    worst: float
    mean: float
    tolerance: float = 0.005
    cpu: float | None = None  # CPU seconds of the journey's promise analysis (bench/promise_time.py)

    @property
    def verdict(self) -> str:
        return "PASS" if self.within == self.promises else "MISS"


def accuracy(folder: Path) -> Accuracy | None:
    """One more `report --format json` of the large journey, read for its error bounds."""
    done = subprocess.run([*JM, "report", "--format", "json", "large.yaml"], cwd=folder,
                          capture_output=True, text=True)
    try:
        promises = json.loads(done.stdout)["journeys"][0]["promises"]
    except (ValueError, KeyError, IndexError):
        return None
    errors = [p.get("error", 0.0) or 0.0 for p in promises if p.get("within_seconds") is not None]
    if not errors:
        return None
    return Accuracy(len(errors), sum(e <= 0.005 for e in errors), sum(e == 0 for e in errors),
                    max(errors), statistics.fmean(errors), cpu=promise_cpu(folder / "large.yaml"))


def promise_cpu(path: Path) -> float | None:
    """CPU seconds of the promise analysis alone, in its own process (best of three)."""
    done = subprocess.run([PY, str(HERE / "promise_time.py"), str(path), "--repeat", "3"],
                          capture_output=True, text=True)
    try:
        return float(json.loads(done.stdout)["cpu"])
    except (ValueError, KeyError):
        return None


def print_accuracy(acc: Accuracy | None) -> None:
    if acc is None:
        print("timed promises: the report gave no error bounds to read")
        return
    print(f"\ntimed promises of the large journey within ±{acc.tolerance}: {acc.within} of "
          f"{acc.promises} (exact: {acc.exact}; error bound mean ±{acc.mean:.3f}, worst "
          f"±{acc.worst:.3f})  target: all  {acc.verdict}")
    if acc.cpu is not None:
        print(f"the large journey's promise analysis (all {acc.promises} timed and the rest): "
              f"{acc.cpu:.2f} s of CPU (bench/promise_time.py, best of 3)")


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?")
    libs = subprocess.run([PY, "-c", "import yaml; print(yaml.__version__, yaml.__with_libyaml__)"],
                          capture_output=True, text=True).stdout.strip()
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": str(os.cpu_count()), "cpu": cpu,
            "memory": mem, "python": platform.python_version(), "pyyaml, libyaml": libs,
            "graphviz": dot, "load average": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def prepare(folder: Path, quick: bool, mmdc: str | None) -> None:
    # the package measured as installed, its bytecode compiled (as pip does for a wheel, and
    # scripts/setup.sh for the checkout): with PYTHONDONTWRITEBYTECODE set, every run would
    # otherwise compile each module again, while PyYAML, the baseline, is compiled
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "journeymap")], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([PY, str(HERE / "corpora.py"), str(folder), *(["--quick"] if quick else [])],
                   check=True)
    (folder / "out").mkdir(exist_ok=True)
    for name in ("render", "render-flat"):
        subprocess.run([*JM, "render", "--view", "flow", "--format", "dot", "-o", f"{name}.dot",
                        f"{name}.yaml"],
                       cwd=folder, check=True)
    if mmdc:
        subprocess.run([PY, str(HERE / "mermaid.py"), "render.yaml", "render.mmd"], cwd=folder, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run journeymap's benchmarks and print the table.")
    parser.add_argument("--quick", action="store_true", help="small inputs and 3 rounds: a smoke run")
    parser.add_argument("--repeat", type=int, help="rounds of every command (default 7, quick 3)")
    parser.add_argument("--keep", type=Path, help="generate the inputs here and keep them")
    parser.add_argument("--json", type=Path, help="also write the machine and the rows as JSON")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed")
    parser.add_argument("--slow", type=float, default=60, help="run once a command slower than this")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from corpora import FULL, QUICK

    plan = QUICK if args.quick else FULL
    repeat = args.repeat or (3 if args.quick else 7)
    has_report = subprocess.run([*JM, "report", "--help"], capture_output=True).returncode == 0
    mmdc = shutil.which("mmdc")
    info = machine()
    print("\n".join(f"{k}: {v}" for k, v in info.items()))
    with tempfile.TemporaryDirectory(prefix="journeymap-bench-") as tmp:
        folder = args.keep or Path(tmp)
        prepare(folder, args.quick, mmdc)
        measured = measure(commands_for(folder, plan, has_report, mmdc), folder, repeat,
                           args.timeout, args.slow)
        acc = accuracy(folder) if has_report else None
    rows = rows_for(measured, plan, has_report)
    print_table(rows)
    print_accuracy(acc)
    if not mmdc:
        print("mmdc (Mermaid CLI) is not installed: no Mermaid comparison")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": [asdict(r) for r in rows],
                                         "accuracy": asdict(acc) if acc else None},
                                        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
