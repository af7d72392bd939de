"""An event log drawn from the declared journey: the scores' Markov chain, the declared times.

Every case starts at the journey's first touchpoint at a random moment of a four-week window and
moves on as the chain says: at each touchpoint one uniform draw picks the next touchpoint by the
declared shares, or ends the case with the probability that is not passed on (an outcome). The
time between two events is the declared ``duration`` of the first plus the ``wait`` of the second,
multiplied, with ``jitter`` F, by a factor drawn uniformly from [1 − F, 1 + F] (so the median
stays the declared time). Timestamps are whole microseconds, so without jitter every declared
time is exact in the log, except one: a move the journey declares to take no time at all takes one
microsecond, so that the events of a case never share a timestamp and every tool (journeymap,
PM4Py, a spreadsheet) puts them in the same order. The promise check compares times to the
millisecond, so these microseconds never make a promise late.

All cases move together, one numpy step per event: the loop runs as many times as the longest
case has events, not once per event. A case still going after ``max_events`` events (a loop that
customers seldom leave) is cut there and stays open in the log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeymap.observe.declared import Declared, activity_label

if TYPE_CHECKING:
    import numpy as np

EPOCH = 1_736_121_600_000_000  # 2025-01-06T00:00:00Z in microseconds: the window's first moment
WINDOW = 28 * 86_400 * 1_000_000  # cases start uniformly over four weeks
FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".json": "jsonl"}


class SimulateError(Exception):
    """The log could not be drawn or written; the message says why."""


@dataclass(frozen=True)
class Simulated:
    case: np.ndarray  # int64 case number, 0-based, events of a case together and in time order
    node: np.ndarray  # int32 touchpoint position (Declared.ids)
    t: np.ndarray  # int64 microseconds since 1970-01-01 UTC
    cut: int  # cases cut at max_events

    @property
    def events(self) -> int:
        return int(self.case.shape[0])


def simulate(decl: Declared, cases: int, seed: int | None = None, jitter: float = 0.0,
             max_events: int = 1000) -> Simulated:
    """Draw ``cases`` cases from the declared chain (see the module's docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    cum, target, gap = _tables(decl)
    alive = np.arange(cases, dtype=np.int64)
    node = np.full(cases, decl.ids.index(decl.start), dtype=np.int32)
    t = EPOCH + rng.integers(0, WINDOW, size=cases, dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for _ in range(max_events):
        if not alive.size:
            break
        parts.append((alive, node, t))
        pick = (rng.random(alive.size)[:, None] >= cum[node]).sum(axis=1)
        moving = pick < cum.shape[1]
        moving &= target[node, np.minimum(pick, cum.shape[1] - 1)] >= 0
        alive, node, pick, t = alive[moving], node[moving], pick[moving], t[moving]
        step = gap[node, pick]
        if jitter:
            step = np.maximum(1, np.rint(step * rng.uniform(1 - jitter, 1 + jitter, size=step.size)))
        t = t + step.astype(np.int64)
        node = target[node, pick]
    return _in_case_order(parts, int(alive.size))


def _tables(decl: Declared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per touchpoint: cumulative shares of its moves, their targets (-1: none) and times (µs)."""
    import numpy as np

    index = {tp_id: i for i, tp_id in enumerate(decl.ids)}
    moves: list[list[tuple[int, float, float]]] = [[] for _ in decl.ids]
    for e in decl.edges.values():
        if e.source and e.p > 0:
            moves[index[e.source]].append((index[e.target], e.p, e.seconds))
    width = max(1, max(len(m) for m in moves))
    cum = np.full((len(moves), width), 2.0)  # 2.0: a draw never passes it (padding)
    target = np.full((len(moves), width), -1, dtype=np.int32)
    gap = np.zeros((len(moves), width))
    for i, out in enumerate(moves):
        total = 0.0
        for j, (v, p, seconds) in enumerate(out):
            total += p
            cum[i, j], target[i, j], gap[i, j] = total, v, max(1, round(seconds * 1e6))
        if out and total > 1 - 1e-9:  # everyone moves on: float rounding must not end a case
            cum[i, len(out) - 1] = 2.0
    return cum, target, gap


def _in_case_order(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], cut: int) -> Simulated:
    import numpy as np

    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Simulated(empty, empty.astype(np.int32), empty, 0)
    case = np.concatenate([p[0] for p in parts])
    order = np.argsort(case, kind="stable")  # stable: a case's events stay in step order
    return Simulated(case[order], np.concatenate([p[1] for p in parts])[order],
                     np.concatenate([p[2] for p in parts])[order], cut)


def output_format(path: str) -> str:
    """parquet, csv or jsonl, from the file's suffix; SimulateError for any other."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise SimulateError(f"cannot tell the format of {path}: name it .parquet, .csv or .jsonl")
    return FORMATS[suffix]


def write_log(sim: Simulated, decl: Declared, path: str, memory_limit: str | None = None) -> None:
    """Write the log to ``path`` (format from the suffix) through DuckDB, replacing it in one step:
    DuckDB writes a temporary file next to it, renamed over ``path`` only when complete."""
    import duckdb

    fmt = output_format(path)
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    tps = decl.journey.touchpoints
    labels = [activity_label(decl.journey, tp) for tp in tps]
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            con.execute(f"SET memory_limit = '{_quoted(memory_limit)}'")
        con.register("sim", {"c": sim.case, "n": sim.node, "t": sim.t})
        width = len(str(max(int(sim.case[-1]) + 1 if sim.events else 1, 1)))
        stamp = ("make_timestamp(t)::TIMESTAMPTZ" if fmt == "parquet"
                 else "strftime(make_timestamp(t), '%Y-%m-%dT%H:%M:%S.%fZ')")
        query = (f"SELECT 'C' || lpad(CAST(c + 1 AS VARCHAR), {width}, '0') AS case_id, "
                 f"$labels[n + 1] AS activity, {stamp} AS timestamp, "
                 f"$channels[n + 1] AS channel, $owners[n + 1] AS owner FROM sim")
        options = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER",
                   "jsonl": "FORMAT json"}[fmt]
        con.execute(f"COPY ({query}) TO '{_quoted(temp)}' ({options})",
                    {"labels": labels, "channels": [tp.channel for tp in tps],
                     "owners": [tp.owner for tp in tps]})
        os.replace(temp, path)
    except (duckdb.Error, OSError) as problem:
        raise SimulateError(f"cannot write {path}: {problem}") from None
    finally:
        con.close()
        if os.path.exists(temp):
            os.unlink(temp)


def _quoted(text: str) -> str:
    return text.replace("'", "''")
