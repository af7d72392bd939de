"""A Mermaid ``journey`` diagram read into a journey file, so that Mermaid users can move over.

Sections become stages, tasks touchpoints (the score 1–5 becomes the emotion −2…2, the actors the
owner), the title the journey's title. What Mermaid has no word for (failures, the flow, promises) is
left for the facilitator to add: the journey validates, and `check` then says what it still lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from journeymap.mermaid.text import unescape
from journeymap.values import slug

_EMOTIONS = {1: "angry", 2: "frustrated", 3: "neutral", 4: "pleased", 5: "delighted"}
_ENTITY = re.compile(r"#(?:\d+|[A-Za-z]\w*);")


class MermaidError(Exception):
    """The text is not a Mermaid journey this importer can read; ``line`` is 1-based."""

    def __init__(self, message: str, line: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


@dataclass
class _Stage:
    name: str
    tasks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Imported:
    """The journey as YAML text, and notes on what was changed on the way (empty sections…)."""

    yaml: str
    notes: list[str]


def import_journey(text: str, default_title: str) -> Imported:
    """Read Mermaid ``journey`` source into journey YAML; :class:`MermaidError` when it is not one."""
    reader = _Reader()
    lines = text.splitlines()
    start = _front_matter(lines, reader)
    for number, raw in enumerate(lines[start:], start + 1):
        reader.line(_strip_comment(raw), number)
    if not reader.seen_header:
        raise MermaidError("this is not a Mermaid journey: it has no `journey` line", 1,
                           "the diagram must start with the keyword `journey`")
    stages = [s for s in reader.stages if s.tasks]
    notes = [f"section `{s.name}` has no tasks and was left out" for s in reader.stages if not s.tasks]
    if not stages:
        raise MermaidError("the journey has no tasks", len(text.splitlines()) or 1,
                           "add tasks under a section: `Make tea: 5: Me`")
    return Imported(_to_yaml(reader.title or default_title, stages), notes)


def _front_matter(lines: list[str], reader: _Reader) -> int:
    """Skip a ``---`` front matter block (taking its ``title:``); the index of the next line."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return end + 1
        key, colon, value = line.partition(":")
        if colon and key.strip() == "title" and value.strip():
            reader.title = value.strip().strip("\"'")
    raise MermaidError("the front matter that starts on line 1 is never closed", 1,
                       "end it with a line `---`")


def _strip_comment(line: str) -> str:
    """The line without a ``%%`` comment or a ``#`` comment (``#58;`` entity codes are kept)."""
    line = line.split("%%", 1)[0]
    hidden = _ENTITY.sub(lambda m: "\0" * len(m.group(0)), line)
    cut = hidden.find("#")
    return line if cut < 0 else line[:cut]


class _Reader:
    """The journey grammar, a line at a time."""

    def __init__(self) -> None:
        self.seen_header = False
        self.title: str | None = None
        self.stages: list[_Stage] = []

    def line(self, line: str, number: int) -> None:
        text = line.strip()
        if not text:
            return
        word, _, rest = text.partition(" ")
        keyword = word.lower()
        if not self.seen_header:
            if keyword != "journey" or rest.strip():
                raise MermaidError(f"expected `journey` to start the diagram, found `{text[:40]}`",
                                   number, "Mermaid's journey diagrams begin with a line `journey`")
            self.seen_header = True
        elif keyword == "title" and rest.strip():
            self.title = _plain(rest)
        elif keyword == "section" and rest.strip():
            self.stages.append(_Stage(_plain(rest)))
        elif keyword.startswith(("acctitle", "accdescr")):
            return  # accessibility texts: a journey file has no place for them
        else:
            self.task(text, number)

    def task(self, text: str, number: int) -> None:
        name, colon, data = text.partition(":")
        if not colon or not name.strip():
            raise MermaidError(f"expected a task `name: score: actors`, found `{text[:40]}`", number,
                               "write a colon as #58; inside a name")
        score_text, _, actors = data.partition(":")
        task: dict[str, Any] = {"name": _plain(name), "emotion": _emotion(score_text, number)}
        owners = [_plain(a) for a in actors.split(",") if a.strip()]
        if owners:
            task["owner"] = ", ".join(owners)
        if not self.stages:  # tasks before the first section: Mermaid draws them without one
            self.stages.append(_Stage("Journey"))
        self.stages[-1].tasks.append(task)


def _plain(text: str) -> str:
    return " ".join(unescape(text).split())


def _emotion(text: str, number: int) -> str:
    value = text.strip()
    if not re.fullmatch(r"[1-5]", value):
        raise MermaidError(f"a task's score must be a whole number 1 to 5, not `{value}`", number,
                           "1 is the worst experience, 5 the best")
    return _EMOTIONS[int(value)]


def _to_yaml(title: str, stages: list[_Stage]) -> str:
    used: set[str] = set()
    doc = {"journey": title, "stages": [
        {"name": stage.name, "touchpoints": [_with_id(task, used) for task in stage.tasks]}
        for stage in stages]}
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
    return ("# Imported from a Mermaid journey: emotion comes from the task scores and owner from the\n"
            "# actors. Add failures, `next` and promises; `journeymap check` says what is missing.\n"
            + body)


def _with_id(task: dict[str, Any], used: set[str]) -> dict[str, Any]:
    """The task with an explicit ``id`` when its name's slug is empty or already taken."""
    base = slug(task["name"]) or "task"
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return task if ident == slug(task["name"]) else {"name": task["name"], "id": ident,
                                                     **{k: v for k, v in task.items() if k != "name"}}
