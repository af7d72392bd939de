"""Generated journeys of any size, with loops, for benchmarks and tests of the scoring's speed.

``synthetic_document(10_000)`` is the YAML document (a dict) of a 10,000-touchpoint journey:
stages of ten touchpoints on rotating channels and owners, with efforts, emotions, waits and
repeated asks; every ``loop_every``-th touchpoint has a failure that sends customers back
``loop_back`` steps (many small loops); with ``to_start`` the last step before success also fails
back to the very first touchpoint, which makes the whole journey one large loop. Promises span a
few steps and forty steps (with time limits), and the whole journey (without).
The same seed gives the same journey.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

CHANNELS = ("web", "phone", "email", "app", "sms")
OWNERS = ("Sales", "Contact centre", "Field service", "Billing")
WAITS = (None, "5m", "20m", "1h", "1d")
DURATIONS = (None, "2m", "10m", "30m")
ITEMS = tuple(f"item {i}" for i in range(20))


def synthetic_document(size: int, loop_every: int = 5, loop_back: int = 3, to_start: bool = False,
                       seed: int = 0) -> dict[str, Any]:
    """A valid journey document with ``size`` touchpoints (at least 12)."""
    rng = random.Random(seed)
    size = max(size, 12)
    tps = [_touchpoint(rng, i, size, loop_every, loop_back) for i in range(size - 1)]
    tps.append({"name": "Done", "id": f"t{size - 1}", "outcome": "success"})
    if to_start:
        tps[-2].setdefault("failures", []).append(
            {"name": "Sent back to the start", "share": 0.1, "to": "t0"})
    stages: list[dict[str, Any]] = [{"name": f"Stage {k // 10}", "touchpoints": tps[k:k + 10]}
                                    for k in range(0, size, 10)]
    stages[-1]["touchpoints"].append({"name": "Gives up", "id": "gives-up", "outcome": "lost"})
    return {"journey": f"Synthetic journey of {size} touchpoints", "id": "synthetic",
            "stages": stages, "promises": _promises(size)}


def _touchpoint(rng: random.Random, i: int, size: int, loop_every: int, loop_back: int) -> dict[str, Any]:
    tp: dict[str, Any] = {
        "name": f"Step {i}", "id": f"t{i}", "channel": CHANNELS[(i // 3) % len(CHANNELS)],
        "owner": OWNERS[(i // 4) % len(OWNERS)], "effort": rng.randint(1, 5),
        "emotion": rng.randint(-2, 2), "asks": rng.sample(ITEMS, rng.randint(0, 2)),
    }
    for key, choices in (("wait", WAITS), ("duration", DURATIONS)):
        value = rng.choice(choices)
        if value:
            tp[key] = value
    if i % loop_every == loop_every - 1 and i >= loop_back:
        tp["failures"] = [{"name": "Redo", "share": round(rng.uniform(0.05, 0.3), 2),
                           "to": f"t{i - loop_back}"}]
    if i % 50 == 49 and i + 1 < size - 1:
        tp["next"] = [{"to": f"t{i + 1}"}, {"to": "gives-up", "share": 0.005}]
    return tp


def _promises(size: int) -> list[dict[str, Any]]:
    # the forty-step promise ends at t50, or at the last touchpoint (`Done`) when there is no t50
    spans = [(1, 6, "2d"), (10, min(50, size - 1), "12d"), (0, size - 2, None)]
    return [{"name": f"Promise {k}", "id": f"p{k}", "made_at": f"t{a}", "kept_at": f"t{b}",
             **({"within": within} if within else {})} for k, (a, b, within) in enumerate(spans)]


def write_synthetic(path: str | Path, size: int, **options: Any) -> Path:
    """Write ``synthetic_document(size, **options)`` as a YAML file; returns the path."""
    import yaml

    path = Path(path)
    path.write_text(yaml.safe_dump(synthetic_document(size, **options), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path
