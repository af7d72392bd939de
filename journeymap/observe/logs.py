"""Which files make up an event log, in which format, and which columns hold what.

Paths may be files, folders (every log file under them) or globs; every file must have the same
format. Columns are found by name, case-insensitively, from the defaults below or the names given
on the command line; anything missing is a :class:`LogError` naming the columns the log has.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
COMPRESSED = (".gz", ".zst")

# what each role is called in common exports: plain CSV first, then XES attribute names
DEFAULT_COLUMNS = {
    "case": ("case_id", "case:concept:name", "case", "caseid", "case id"),
    "activity": ("activity", "concept:name", "activity_name", "event"),
    "timestamp": ("timestamp", "time:timestamp", "time", "start_time", "start timestamp"),
}
OPTIONS = {"case": "--case-column", "activity": "--activity-column", "timestamp": "--timestamp-column"}


class LogError(Exception):
    """The log cannot be read as asked (a usage error: exit 2); the message says what to do."""


@dataclass(frozen=True)
class LogFiles:
    files: tuple[str, ...]
    format: str  # parquet, csv or jsonl


def format_of(path: str) -> str | None:
    name = path.lower()
    for ending in COMPRESSED:
        if name.endswith(ending):
            name = name[: -len(ending)]
    return SUFFIXES.get(os.path.splitext(name)[1])


def find_logs(paths: list[str]) -> LogFiles:
    """The log files named by ``paths`` (files, folders, globs), all of one format."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(p for p in glob.glob(os.path.join(glob.escape(path), "**", "*"),
                                                 recursive=True)
                            if os.path.isfile(p) and format_of(p))
            if not inside:
                raise LogError(f"no event log files (.parquet, .csv, .jsonl) in the folder {path}")
            found += inside
        elif os.path.exists(path):
            found.append(path)
        elif glob.has_magic(path):
            matched = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
            if not matched:
                raise LogError(f"no files match {path}")
            found += matched
        else:
            raise LogError(f"no such file or folder: {path}")
    files = tuple(f for f in dict.fromkeys(found) if os.path.getsize(f) > 0)
    if not files:
        raise LogError(f"the event log is empty: {', '.join(dict.fromkeys(found))} "
                       f"{'has' if len(found) == 1 else 'have'} 0 bytes")
    formats = {format_of(f) for f in files}
    if None in formats:
        odd = next(f for f in files if format_of(f) is None)
        raise LogError(f"cannot tell the format of {odd}: event logs are .parquet, .csv or .jsonl "
                       "files (optionally .gz)")
    if len(formats) > 1:
        raise LogError("the event log mixes formats (" + ", ".join(sorted(f for f in formats if f))
                       + "): give files of one format")
    return LogFiles(files, formats.pop() or "csv")


def choose_columns(found: list[str], given: dict[str, str | None]) -> dict[str, str]:
    """The column for each role: the one given, or the first default present (case-insensitive)."""
    lower = {name.lower(): name for name in found}
    chosen: dict[str, str] = {}
    for role, defaults in DEFAULT_COLUMNS.items():
        wanted = (given.get(role),) if given.get(role) else defaults
        match = next((lower[w.lower()] for w in wanted if w and w.lower() in lower), None)
        if match is None:
            listed = ", ".join(f"`{c}`" for c in found) or "none"
            looked = " or ".join(f"`{w}`" for w in wanted if w)
            raise LogError(f"the event log has no {role} column (looked for {looked}); its "
                           f"columns are: {listed}. Name the right one with {OPTIONS[role]}")
        chosen[role] = match
    if len(set(chosen.values())) < 3:
        raise LogError("one column cannot be two of case, activity and timestamp: "
                       + ", ".join(f"{role}=`{col}`" for role, col in chosen.items()))
    return chosen
