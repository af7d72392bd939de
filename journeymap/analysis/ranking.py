"""Positions ordered by a value, largest first, without a key object for each of them."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from heapq import merge

CHUNK = 4096  # positions sorted at once


def largest_first(positions: Sequence[int], values: Sequence[float]) -> Iterator[int]:
    """``positions`` by ``values[p]``, largest first; ties keep their order in ``positions``, as
    ``sorted(positions, key=lambda p: -values[p])`` gives them.

    A sort of every position at once holds an int and a float object for each, about 70 bytes a
    position: 7 MB for a large journey's factors, at `report`'s peak. So a chunk is sorted at a
    time, kept as an array, and the chunks are merged, ties going to the earlier chunk (which is
    what a stable sort does). A value that is NaN orders nothing consistently: then it is one sort,
    as before."""

    def key(p: int) -> float:
        return -values[p]

    if len(positions) <= CHUNK or any(values[p] != values[p] for p in positions):
        return iter(sorted(positions, key=key))
    chunks = [array("l", sorted(positions[k:k + CHUNK], key=key))
              for k in range(0, len(positions), CHUNK)]
    return merge(*chunks, key=key)
