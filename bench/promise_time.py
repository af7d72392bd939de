"""CPU seconds the promise analysis of one journey takes: ``python bench/promise_time.py FILE``.

Loads the journey and builds its graph (not timed), then times ``evaluate_promises`` (every
promise: fastest paths, reach, and the timed share) in CPU seconds of this process, best of
``--repeat`` fresh runs, and prints one JSON line: {"cpu": s, "promises": n, "timed": n}.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeymap.analysis.promises import evaluate_promises  # noqa: E402
from journeymap.check import validate_file  # noqa: E402
from journeymap.graph import build_graph  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    gc.set_threshold(50_000, 20, 20)  # as the CLI sets it
    journey = validate_file(str(args.file)).journey
    if journey is None:
        sys.exit(f"{args.file}: not a valid journey")
    import numpy, scipy.sparse  # noqa: E401, F401  (imports are not the engine's time)

    best = float("inf")
    for _ in range(args.repeat):
        jg = build_graph(journey)
        start = time.process_time()
        results = evaluate_promises(jg)
        best = min(best, time.process_time() - start)
    timed = sum(1 for r, _ in results if r.within_seconds is not None)
    print(json.dumps({"cpu": round(best, 3), "promises": len(results), "timed": timed}))


if __name__ == "__main__":
    main()
