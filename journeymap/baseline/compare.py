"""Each finding of a run against the baseline: new, unchanged or updated; and what is absent now.

These are SARIF's ``baselineState`` values: *unchanged* is the same finding (journey, rule and
subject) with the same message, *updated* the same finding whose message changed (a figure in it
moved), *new* one the baseline does not have, *absent* one of the baseline's that this run no longer
finds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from journeymap.baseline.load import Entry, journey_key
from journeymap.findings import Finding, RunResult

NEW, UNCHANGED, UPDATED, ABSENT = "new", "unchanged", "updated", "absent"


@dataclass(frozen=True)
class Compared:
    result: RunResult
    states: dict[tuple[int, int], str]  # (file index, finding index) → new / unchanged / updated
    absent: tuple[Entry, ...]
    source: str  # the revision or file the baseline came from

    def state(self, file_index: int, finding_index: int) -> str:
        return self.states[(file_index, finding_index)]

    def count(self, state: str) -> int:
        return len(self.absent) if state == ABSENT else sum(1 for s in self.states.values() if s == state)

    def new_only(self) -> RunResult:
        """The run with only its new findings: what decides the exit code."""
        return RunResult(tuple(
            replace(fr, findings=tuple(f for j, f in enumerate(fr.findings) if self.states[(i, j)] == NEW))
            for i, fr in enumerate(self.result.files)))


def compare(result: RunResult, baseline: list[Entry], source: str) -> Compared:
    pool: dict[tuple[str, str, str | None], list[Entry]] = defaultdict(list)
    for entry in baseline:
        pool[entry.key].append(entry)
    current = [(i, j, _key(fr.journey_id, fr.file, f), f)
               for i, fr in enumerate(result.files) for j, f in enumerate(fr.findings)]
    states: dict[tuple[int, int], str] = {}
    for i, j, key, f in current:  # the same message first, so that `updated` is only what is left
        same = next((e for e in pool[key] if e.message == f.message), None)
        if same is not None:
            pool[key].remove(same)
            states[(i, j)] = UNCHANGED
    for i, j, key, _ in current:
        if (i, j) not in states:
            states[(i, j)] = UPDATED if pool[key] else NEW
            if pool[key]:
                pool[key].pop(0)
    # Only journeys this run checked: a baseline of the whole folder says nothing about the one
    # file a pre-commit hook passes.
    checked = {journey_key(fr.journey_id, fr.file) for fr in result.files}
    absent = tuple(e for entries in pool.values() for e in entries if e.journey in checked)
    return Compared(result, states, absent, source)


def _key(journey_id: str | None, file: str, f: Finding) -> tuple[str, str, str | None]:
    return (journey_key(journey_id, file), f.rule, f.subject)
