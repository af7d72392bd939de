"""The benchmark's inputs, generated into a folder: ``python bench/corpora.py FOLDER [--quick]``.

Run in its own process by bench/run.py, so that the measuring process stays small (the kernel
counts a child's peak memory from before it starts the command, so a large parent would inflate
every figure). Journeys come from :mod:`journeymap.analysis.synthetic` (stages of ten touchpoints,
efforts, emotions, waits, repeated asks, a failure looping back every fifth touchpoint).

    corpus/NNNN.yaml      1,000 journeys of ~50 touchpoints; 1 in 10 strands a failure (JM101),
                          1 in 20 has a typo in a key (JM001)
    large.yaml            10,000 touchpoints, loops, 100 promises
    scale-N.yaml          N touchpoints (2,500 / 5,000 / 10,000 / 20,000), 100 promises each
    plain-N.yaml          the same without promises
    small.yaml            12 touchpoints, no promises (start-up: the fixed cost of every run)
    render.yaml           200 touchpoints, 10 promises, for `render --format svg`
    render-flat.yaml      the same without failures (so without loops)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journeymap.analysis.synthetic import synthetic_document  # noqa: E402

FULL = {"files": 1000, "file_size": 50, "large": 10_000, "scale": (2500, 5000, 10_000, 20_000),
        "promises": 100, "render": 200}
QUICK = {"files": 100, "file_size": 50, "large": 2000, "scale": (1000, 2000),
         "promises": 20, "render": 100}


def with_promises(doc: dict[str, Any], size: int, count: int) -> dict[str, Any]:
    """Replace the document's promises by ``count`` of them: short, medium and journey-long spans."""
    spans = (3, size // 20, size // 2, size - 3)
    promises = []
    for k in range(count):
        start = (k * (size - 4)) // count
        end = min(size - 2, start + spans[k % len(spans)])
        if end > start:
            promises.append({"name": f"Promise {k}", "id": f"p{k}", "made_at": f"t{start}",
                             "kept_at": f"t{end}", "within": f"{max(1, (end - start) // 4)}d"})
    return {**doc, "promises": promises}


def corpus_file(seed: int, size: int) -> dict[str, Any]:
    """One of the throughput corpus's journeys; some fail check, as a real folder's would."""
    doc = with_promises(synthetic_document(size, seed=seed), size, 3)
    tps = [tp for stage in doc["stages"] for tp in stage["touchpoints"]]
    if seed % 10 == 3:  # a failure that strands its customers: JM101
        failing = next(tp for tp in tps if "failures" in tp)
        failing["failures"][0].pop("to")
    if seed % 20 == 7:  # a typo in a key: JM001, and the journey goes no further than validate
        tps[len(tps) // 2]["chanel"] = tps[len(tps) // 2].pop("channel")
    return doc


def dump(doc: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def generate(folder: Path, plan: dict[str, Any]) -> None:
    (folder / "corpus").mkdir(parents=True, exist_ok=True)
    for seed in range(plan["files"]):
        dump(corpus_file(seed, plan["file_size"]), folder / "corpus" / f"{seed:04}.yaml")
    big = plan["large"]
    dump(with_promises(synthetic_document(big), big, plan["promises"]), folder / "large.yaml")
    for size in plan["scale"]:
        doc = synthetic_document(size)
        dump(with_promises(doc, size, plan["promises"]), folder / f"scale-{size}.yaml")
        dump({**doc, "promises": []}, folder / f"plain-{size}.yaml")
    dump({**synthetic_document(12), "promises": []}, folder / "small.yaml")
    size = plan["render"]
    dump(with_promises(synthetic_document(size), size, 10), folder / "render.yaml")
    dump(with_promises(synthetic_document(size, loop_every=size + 1), size, 10), folder / "render-flat.yaml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke run")
    args = parser.parse_args()
    generate(args.folder, QUICK if args.quick else FULL)


if __name__ == "__main__":
    main()
