"""Helpers for the observe tests: simulated logs, changed on purpose, written as real files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from journeymap.check import validate_file
from journeymap.observe.declared import Declared, declared
from journeymap.observe.simulate import Simulated, simulate, write_log

REPO = Path(__file__).parent.parent
DAY = 86_400_000_000


def load(name: str) -> tuple[object, Declared]:
    journey = validate_file(str(REPO / "journeys" / name)).journey
    assert journey is not None
    return journey, declared(journey)


def drawn(decl: Declared, cases: int, seed: int) -> Simulated:
    return simulate(decl, cases, seed=seed)


def keep(sim: Simulated, mask: np.ndarray) -> Simulated:
    return replace(sim, case=sim.case[mask], node=sim.node[mask], t=sim.t[mask])


def shift_from(sim: Simulated, node: int, cases: np.ndarray, micros: int) -> Simulated:
    """Every event of the chosen cases from their first ``node`` on, ``micros`` later."""
    t = sim.t.copy()
    chosen = np.isin(sim.case, cases)
    seen: set[int] = set()
    for i in np.flatnonzero(chosen):
        c = int(sim.case[i])
        if sim.node[i] == node:
            seen.add(c)
        if c in seen:
            t[i] += micros
    return replace(sim, t=t)


def cases_with_pair(sim: Simulated, a: int, b: int) -> int:
    """Cases in which an event of ``a`` is directly followed by one of ``b``."""
    same = sim.case[:-1] == sim.case[1:]
    hit = same & (sim.node[:-1] == a) & (sim.node[1:] == b)
    return len(np.unique(sim.case[:-1][hit]))


def write(sim: Simulated, decl: Declared, path: Path) -> str:
    write_log(sim, decl, str(path))
    return str(path)
