"""The journeys under a root, as the workshop page shows them.

A refresh lists the journey files under the root again and re-reads only those whose file
changed (inode, size, times, mode), so a burst of editor events, a rename-save or a new file all
come down to the same question: what is on disk now? A journey whose latest save does not
validate, or cannot be drawn, keeps its **last good map**; its new findings say why.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeymap.analysis.results import Analysis
from journeymap.config import DEFAULT, Config
from journeymap.files import not_regular
from journeymap.findings import Counted, FileResult, Finding, finding, sorted_findings
from journeymap.graph import JourneyGraph
from journeymap.model import Span

Stamp = tuple[int, int, int, int, int]  # inode, size, mtime, ctime, mode


def draw_map(analysis: Analysis, jg: JourneyGraph) -> str:
    """The map exactly as `journeymap render` draws it by default, as SVG ready to sit in a page.

    The one place workshop mode calls the renderer: whatever view `render` draws by default is
    what the wall shows.
    """
    from journeymap.render import render_map
    from journeymap.render.html import strip_xml_prolog

    return strip_xml_prolog(render_map(analysis, "svg", jg).decode("utf-8"))


@dataclass(frozen=True)
class Drawing:
    """A save that validated and was drawn: its map (SVG text) and its analysis."""

    svg: str
    analysis: Analysis
    drawn_at: float  # time.time()


@dataclass(frozen=True)
class JourneyView(Counted):
    """One journey file as the page shows it: its latest save's findings and its last good map."""

    rel: str  # the path below the root, with `/`: the page's address
    path: str
    stamp: Stamp | None
    version: int
    title: str
    persona: str | None
    findings: tuple[Finding, ...]  # of the latest save
    valid: bool  # the latest save validated (no JM001–JM003 error)
    drawing: Drawing | None  # the last good map, possibly of an earlier save
    failure: str | None = None  # why a valid latest save could not be drawn (Graphviz)

    @property
    def stale(self) -> bool:
        """The map shown is not of the latest save."""
        return self.drawing is not None and (not self.valid or self.failure is not None)

    @property
    def hotspots(self) -> int | None:
        return len(self.drawing.analysis.friction.hotspots) if self.drawing else None

    @property
    def broken_promises(self) -> int | None:
        return self.drawing.analysis.broken_promises if self.drawing else None


def file_stamp(path: str) -> Stamp | None:
    """What changes whenever a file's content or readability may have changed; None if gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


@dataclass(frozen=True)
class Listing:
    """What a scan of the root found: journey files by their path below it, and names that look
    like journeys but are not regular files (a named pipe, a link to nothing), with why."""

    files: dict[str, str]
    skipped: tuple[tuple[str, str], ...] = ()


def journey_files(root: str, config: Config = DEFAULT, single: bool = False) -> Listing:
    """The journey files under the folder ``root`` (``single``: the one file ``root``).

    Files reached through a symlink that leads outside the root are left out: the page serves
    nothing from outside the folder it was given.
    """
    from journeymap.check import MissingPath, find_journeys

    if single:
        return Listing({Path(root).name: root} if os.path.lexists(root) else {})
    try:
        found = find_journeys([root])
    except (MissingPath, OSError):  # the root itself was deleted or renamed
        return Listing({})
    inside = os.path.realpath(root)

    def rel(path: str) -> str:
        return Path(os.path.relpath(path, root)).as_posix()

    files = {rel(path): path for path in found.files
             if os.path.realpath(path).startswith(inside + os.sep) and config.selects(path)}
    skipped = tuple((rel(path), why) for path, why in found.skipped if config.selects(path))
    return Listing(files, skipped)


def load_view(rel: str, path: str, stamp: Stamp, old: JourneyView | None, version: int,
              config: Config = DEFAULT, draw: Callable[[Analysis, JourneyGraph], str] = draw_map
              ) -> JourneyView:
    """Read, check and draw one journey file; on a broken save, keep ``old``'s last good map."""
    from journeymap.check import validate_file

    previous = old.drawing if old else None
    title, persona = (old.title, old.persona) if old else (Path(rel).stem, None)
    kind = not_regular(stamp[4])
    if kind:  # a pipe would block the read for ever
        problem = finding("JM001", f"this is not a regular file but {kind}", Span(path, 1, 1),
                          hint="journeys are .yaml text files")
        return JourneyView(rel, path, stamp, version, title, persona, (problem,), False, previous)
    result = validate_file(path)
    if result.journey is None:
        return JourneyView(rel, path, stamp, version, title, persona, result.findings, False, previous)
    return _drawn(rel, path, stamp, version, result, config, draw, previous)


def _drawn(rel: str, path: str, stamp: Stamp, version: int, result: FileResult, config: Config,
           draw: Callable[[Analysis, JourneyGraph], str], previous: Drawing | None) -> JourneyView:
    from journeymap.analysis.analyse import analyse
    from journeymap.graph import build_graph
    from journeymap.policy import reported
    from journeymap.render.output import RenderError

    journey = result.journey
    assert journey is not None  # only valid journeys are drawn
    jg = build_graph(journey)
    analysis = analyse(journey, config, jg)
    findings = sorted_findings([*reported(journey, result.findings, config), *analysis.findings])
    drawing, failure = previous, None
    try:
        drawing = Drawing(draw(analysis, jg), analysis, time.time())
    except RenderError as problem:
        failure = str(problem)
    return JourneyView(rel, path, stamp, version, journey.title, journey.persona, findings, True,
                       drawing, failure)


def broken_view(rel: str, path: str, stamp: Stamp | None, old: JourneyView | None, version: int,
                why: str) -> JourneyView:
    """A journey that journeymap itself failed on: shown as a finding, never as a traceback."""
    problem = finding("JM001", f"journeymap could not check this file: {why}", Span(path, 1, 1))
    title, persona = (old.title, old.persona) if old else (Path(rel).stem, None)
    return JourneyView(rel, path, stamp, version, title, persona, (problem,), False,
                       old.drawing if old else None)


class Workspace:
    """Every journey under ``root``; :meth:`refresh` brings it up to date with the disk.

    Only the thread that watches for changes calls :meth:`refresh`; readers take
    :attr:`views`, a dict replaced whole (never changed in place) at each refresh.
    """

    def __init__(self, root: str, config: Config = DEFAULT,
                 draw: Callable[[Analysis, JourneyGraph], str] = draw_map,
                 log: Callable[[str], None] = lambda _: None) -> None:
        self.root, self.config, self.draw, self.log = root, config, draw, log
        self.single = os.path.isfile(root)  # one journey file, rather than a folder of them
        self.views: dict[str, JourneyView] = {}
        self.skipped: tuple[tuple[str, str], ...] = ()
        self.version = 0

    def refresh(self) -> list[str]:
        """Re-read what changed on disk; the addresses (``rel``) of journeys changed, added or gone."""
        listing = journey_files(self.root, self.config, self.single)
        version = self.version + 1
        views: dict[str, JourneyView] = {}
        changed = sorted({rel for rel, _ in set(listing.skipped) ^ set(self.skipped)})
        for rel, path in sorted(listing.files.items()):
            stamp, old = file_stamp(path), self.views.get(rel)
            if stamp is None:  # deleted since it was listed: gone, like any deleted file
                continue
            if old is not None and old.stamp == stamp:
                views[rel] = old
                continue
            views[rel] = self._load(rel, path, stamp, old, version)
            changed.append(rel)
        gone = [rel for rel in self.views if rel not in views]
        if changed or gone:
            self.views, self.skipped, self.version = views, listing.skipped, version
        return sorted(set(changed + gone))

    def _load(self, rel: str, path: str, stamp: Stamp, old: JourneyView | None,
              version: int) -> JourneyView:
        try:
            return load_view(rel, path, stamp, old, version, self.config, self.draw)
        except Exception as bug:  # noqa: BLE001 - one bad file must not stop the wall
            why = f"{type(bug).__name__}: {bug}"
            self.log(f"could not check {rel}: {why}")
            return broken_view(rel, path, stamp, old, version, why)
