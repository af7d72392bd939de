"""What every lane of the journey map needs: the journey, its analysis, the words, and the
geometry of the page (where each touchpoint's column is)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from journeymap.analysis.likely import Likely, likely_paths
from journeymap.analysis.results import Analysis, PromiseResult
from journeymap.graph import JourneyGraph
from journeymap.model import WORKSHOP_KEYS, Journey, Promise
from journeymap.render.marks import Marks, marks_for
from journeymap.render.mapview.words import Words

if TYPE_CHECKING:
    from journeymap.observe.compare import Comparison

SLOT = 176.0  # width of a touchpoint's column, points
CARD = 164.0  # width of what is drawn in it
STAGE_GAP = 18.0  # space between two stages
LABEL = 124.0  # the lane names' column
MARGIN = 30.0
ROW_GAP = 8.0  # space between two lanes
# Line height as a multiple of the font size, measured on Graphviz's output: Latin, Greek and
# Cyrillic lines are set about 1.0 apart; Hebrew, Arabic and Thai, with their taller marks, 1.3.
LINE, TALL_LINE = 1.08, 1.38
MIN_WIDTH = 1180.0  # the title's legend needs this much, however few the touchpoints


@dataclass(frozen=True)
class Geometry:
    """Columns left to right (right to left in an RTL journey) for each touchpoint."""

    journey: Journey
    rtl: bool
    extra: float = 0.0  # room added on both sides to fit a page's shape
    # the journey's graph, in which a touchpoint id's place is looked up (else a dict of them)
    jg: JourneyGraph | None = field(default=None, compare=False)

    @cached_property
    def centres(self) -> array:
        """The centre of each touchpoint's column, before mirroring, in file order (an array: a
        dict of every id and a float object each were 8 MB of a large map)."""
        out = array("d")
        x = MARGIN + LABEL
        for n, stage in enumerate(self.journey.stages):
            x += STAGE_GAP if n else 0.0
            for _ in stage.touchpoints:
                out.append(x + SLOT / 2)
                x += SLOT
        return out

    @cached_property
    def _index(self) -> Callable[[str], int]:
        """A touchpoint id → the place in the file of its (last) touchpoint."""
        if self.jg is not None:
            return self.jg.index
        return {tp.id: n for n, tp in enumerate(self.journey.touchpoints)}.__getitem__

    def centre(self, tp_id: str) -> float:
        """The centre of the touchpoint's column (the last one of its id), before mirroring."""
        return self.centres[self._index(tp_id)]

    @property
    def lanes_width(self) -> float:
        stages = len(self.journey.stages)
        return 2 * MARGIN + LABEL + SLOT * len(self.journey.touchpoints) + STAGE_GAP * (stages - 1)

    @property
    def content_width(self) -> float:
        return max(self.lanes_width, MIN_WIDTH)

    @property
    def width(self) -> float:
        return self.content_width + 2 * self.extra

    def x(self, tp_id: str) -> float:
        return self.mirror(self.centre(tp_id))

    def mirror(self, x: float) -> float:
        """A left-to-right x as drawn: shifted by the page's extra room, mirrored in RTL."""
        x += self.extra
        return self.width - x if self.rtl else x

    def stage_span(self, index: int) -> tuple[float, float]:
        """The stage's left and right edges as drawn."""
        tps = self.journey.stages[index].touchpoints
        a = self.mirror(self.centre(tps[0].id) - SLOT / 2)
        b = self.mirror(self.centre(tps[-1].id) + SLOT / 2)
        return min(a, b), max(a, b)

    @property
    def label_span(self) -> tuple[float, float]:
        """The lane names' column as drawn: at the start of each row."""
        a, b = self.mirror(MARGIN), self.mirror(MARGIN + LABEL - 10)
        return min(a, b), max(a, b)

    @property
    def lanes_span(self) -> tuple[float, float]:
        """Where the lanes' content runs, as drawn."""
        a = self.mirror(MARGIN + LABEL)
        b = self.mirror(self.lanes_width - MARGIN)
        return min(a, b), max(a, b)


@dataclass
class MapContext:
    analysis: Analysis
    jg: JourneyGraph
    words: Words
    geometry: Geometry
    gaps: Mapping[str | None, list[str]] = field(default_factory=dict)
    observed: Comparison | None = None  # render --observed EVENTS: the log beside the journey

    @property
    def journey(self) -> Journey:
        return self.analysis.journey

    @cached_property
    def marks(self) -> Marks:
        return marks_for(self.analysis, self.jg)

    @cached_property
    def likely(self) -> Likely:
        # (id, traffic) pairs as the scores are made: a dict of them was 7 MB of a large map
        return likely_paths(self.jg, ((f.touchpoint, f.traffic) for f in self.analysis.friction.touchpoints))

    @cached_property
    def promises(self) -> list[tuple[int, Promise, PromiseResult | None]]:
        """(number from 1, promise, result) for each promise whose touchpoints exist."""
        results = {r.promise: r for r in self.analysis.promises}
        known = self.journey.by_id
        return [(n, p, results.get(p.id)) for n, p in enumerate(self.journey.promises, 1)
                if p.made_at in known and p.kept_at in known]

    @cached_property
    def tall_script(self) -> bool:
        """True when the journey's text uses a script set with taller lines (Hebrew to Thai)."""
        j = self.journey

        def texts() -> Iterator[str]:  # (one at a time: a list of them was 3 MB of a large map)
            yield j.title
            yield from (st.name for st in j.stages)
            for tp in j.touchpoints:
                yield from (tp.name, tp.channel or "", tp.owner or "")
                yield from (t for key in WORKSHOP_KEYS for t in getattr(tp.workshop, key))

        return any(0x0590 <= ord(ch) <= 0x0FFF for text in texts() for ch in text)

    def line_height(self, size: float) -> float:
        return size * (TALL_LINE if self.tall_script or self.words.rtl else LINE)
