"""What survey evidence costs: `check` and `report --format json` on one journey of N touchpoints,
without evidence, with an item on every touchpoint, and with the same figures joined from a CSV.

    python bench/evidence.py            # N = 2,000, 3 rounds
    python bench/evidence.py 10000 5

Prints the median seconds of each and the ratio to the run without evidence. The figures vary
(CSAT counts, NPS counts, CES means with distinct n), so every t quantile is a new one.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


def journey(n: int, with_evidence: bool) -> dict:
    touchpoints = []
    for i in range(n):
        tp: dict = {"name": f"Step {i}", "id": f"s{i}", "effort": 1 + i % 5}
        if i == 0:
            tp["failures"] = [{"name": "Retry", "share": 0.1, "to": "s0"}]
        if with_evidence:
            tp["evidence"] = [evidence_item(i)]
        touchpoints.append(tp)
    touchpoints[-1]["outcome"] = "success"
    return {"journey": "Evidence benchmark", "stages": [{"name": "All", "touchpoints": touchpoints}]}


def evidence_item(i: int) -> dict:
    n = 20 + i
    if i % 3 == 0:
        return {"metric": "csat", "responses": n, "satisfied": n * 4 // 5, "period": "2025-Q3"}
    if i % 3 == 1:
        third = n // 3
        return {"metric": "nps", "promoters": third + 5, "passives": third, "detractors": n - 2 * third - 5}
    return {"metric": "ces", "mean": 5.2, "sd": 1.1, "responses": n}


def csv_rows(n: int) -> str:
    lines = ["touchpoint,metric,responses,satisfied,promoters,passives,detractors,mean,sd"]
    for i in range(n):
        e = evidence_item(i)
        cells = [f"s{i}", e["metric"]] + [str(e.get(k, "")) for k in
                                          ("responses", "satisfied", "promoters", "passives",
                                           "detractors", "mean", "sd")]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def timed(argv: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tool = [sys.executable, "-m", "journeymap"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, flag in (("plain", False), ("evidence", True)):
            (folder / f"{name}.yaml").write_text(yaml.safe_dump(journey(n, flag)), "utf-8")
        (folder / "survey.csv").write_text(csv_rows(n), "utf-8")
        runs = {
            "check, no evidence": tool + ["check", str(folder / "plain.yaml")],
            "check, evidence in YAML": tool + ["check", str(folder / "evidence.yaml")],
            "report json, no evidence": tool + ["report", "-f", "json", str(folder / "plain.yaml")],
            "report json, evidence in YAML": tool + ["report", "-f", "json", str(folder / "evidence.yaml")],
            "report json, evidence from CSV": tool + ["report", "-f", "json", "--evidence",
                                                      str(folder / "survey.csv"), str(folder / "plain.yaml")],
        }
        results = {name: timed(argv, rounds) for name, argv in runs.items()}
    print(f"{n:,} touchpoints, median of {rounds}")
    for name, seconds in results.items():
        base = results["check, no evidence" if name.startswith("check") else "report json, no evidence"]
        print(f"  {name:<32} {seconds:7.2f} s   ×{seconds / base:.2f}")


if __name__ == "__main__":
    main()
