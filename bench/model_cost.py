"""What the model's frozen dataclasses cost: creating them, and loading a large journey.

    .venv/bin/python bench/model_cost.py            # 200,000 objects; a 10,000-touchpoint journey
    .venv/bin/python bench/model_cost.py --quick    # a tenth of that

For Span, Step and Touchpoint it times making objects two ways: the model's classes (frozen,
with slots) and the same fields as a dataclass with slots that is not frozen. Then it loads one synthetic journey (journeymap.check.validate_file) with the
model's classes and with unfrozen copies of them, in turns, and prints the ratios. Times are CPU
seconds of this process (the machine it was written on is shared).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import yaml

import journeymap.loader as loader
import journeymap.schema as schema
from journeymap import model
from journeymap.analysis.synthetic import synthetic_document
from journeymap.check import validate_file

CLASSES = ("Span", "Step", "Failure", "Touchpoint", "Stage", "Promise", "Workshop", "Persona", "Evidence")


def unfrozen(cls: type) -> type:
    """The same fields (defaults, compare, hash) and own methods, slots, not frozen."""
    specs = []
    for f in dataclasses.fields(cls):
        kw: dict[str, Any] = {"compare": f.compare, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    own = {k: v for k, v in vars(cls).items() if k in ("__str__", "__bool__")}
    return dataclasses.make_dataclass(cls.__name__, specs, namespace=own, slots=True, eq=True)


def best(make: Callable[[], Any], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        make()
        times.append(time.process_time() - start)
    return min(times)


def creation(n: int) -> None:
    span = model.Span("a.yaml", 3, 5)
    step = model.Step("t2", span, 0.5)
    cases: dict[str, tuple[type, Callable[[type], Any]]] = {
        "Span": (model.Span, lambda c: [c("a.yaml", i, 5) for i in range(n)]),
        "Step": (model.Step, lambda c: [c("t2", span, 0.5, None) for _ in range(n)]),
        "Touchpoint": (model.Touchpoint, lambda c: [
            c("t1", "Call us", "s1", span, channel="phone", owner="Care", effort=2, emotion=-1,
              wait=60.0, duration=300.0, next=(step,)) for _ in range(n)]),
    }
    print(f"creating {n:,} objects (CPU, best of 5)   frozen+slots    slots   frozen / slots")
    for name, (cls, make) in cases.items():
        frozen_s, plain_s = best(lambda: make(cls)), best(lambda: make(unfrozen(cls)))
        print(f"  {name:<12}{'':22}{frozen_s:9.3f} s {plain_s:7.3f} s   {frozen_s / plain_s:5.2f}×")


def loading(touchpoints: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.yaml"
        path.write_text(yaml.safe_dump(synthetic_document(touchpoints), sort_keys=False), encoding="utf-8")
        swapped = {name: unfrozen(getattr(model, name)) for name in CLASSES}
        # (the loader makes the Spans of the YAML nodes, schema.py the rest)
        saved = [(module, name, getattr(module, name)) for module in (schema, loader)
                 for name in CLASSES if hasattr(module, name)]
        frozen, plain = [], []
        for _ in range(rounds):  # in turns, so a busy spell on the machine hits both
            frozen.append(_load(path))
            for module, name, _ in saved:
                setattr(module, name, swapped[name])
            try:
                plain.append(_load(path))
            finally:
                for module, name, cls in saved:
                    setattr(module, name, cls)
    f, p = statistics.median(frozen), statistics.median(plain)
    print(f"loading a {touchpoints:,}-touchpoint journey (validate_file, CPU, median of {rounds}): "
          f"frozen {f:.3f} s, unfrozen {p:.3f} s, {f / p:.3f}× ({(f - p) / f:.1%} of the load)")


def _load(path: Path) -> float:
    start = time.process_time()
    assert validate_file(str(path)).journey is not None
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(f"Python {sys.version.split()[0]}")
    creation(20_000 if quick else 200_000)
    loading(1_000 if quick else 10_000, 3 if quick else 5)


if __name__ == "__main__":
    main()
