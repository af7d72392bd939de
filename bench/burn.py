"""Calibration for the `--jobs` rows: ``python bench/burn.py N`` runs the same pure-Python loop in
N processes at once. On N idle cores, N processes take as long as one; on a machine shared with
other work, they take longer, and the ratio of the two runs says how many cores were there for
the taking while the benchmark ran."""

from __future__ import annotations

import multiprocessing
import sys

WORK = 30_000_000


def burn(n: int = WORK) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


if __name__ == "__main__":
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    if jobs == 1:
        burn()
    else:
        with multiprocessing.Pool(jobs) as pool:
            pool.map(burn, [WORK] * jobs)
