"""The workshop's content of a journey for `report --format json`: personas, notes, what each
stage and touchpoint carries for the map's lanes, and every `x-` field a team added.

``{"personas": [{"name", "goal", "description", "x-…"}], "notes": [...], "x-…": …,
"stages": [{"id", "opportunities", "notes", "x-…"}], "touchpoints": [{"id", "actions", …}],
"failures": [{"touchpoint", "id", "x-…"}], "promises": [{"id", "x-…"}]}``: lists of texts and
`x-` fields appear only when given; stages and touchpoints appear only when they carry some.
"""

from __future__ import annotations

from typing import Any

from journeymap.model import WORKSHOP_KEYS, Journey, Touchpoint, Workshop
from journeymap.report.json_stream import Lazy


def content_dict(journey: Journey, lazy: bool = False) -> dict[str, Any]:
    """The content; with ``lazy``, each touchpoint's entry is made as it is written (json_stream)."""
    personas = [{"name": p.name, "goal": p.goal, "description": p.description, **p.extensions}
                for p in journey.all_personas]
    stages = [{"id": st.id, **_texts(st.workshop), **st.extensions} for st in journey.stages]
    carrying = [tp for tp in journey.touchpoints if tp.extensions or _texts(tp.workshop)]
    failures = [{"touchpoint": tp.id, "id": f.id, **f.extensions}
                for tp in journey.touchpoints for f in tp.failures if f.extensions]
    promises = [{"id": p.id, **p.extensions} for p in journey.promises if p.extensions]
    return {"personas": personas, "notes": list(journey.notes), **journey.extensions,
            "stages": [s for s in stages if len(s) > 1],
            "touchpoints": Lazy(carrying, _touchpoint) if lazy else [_touchpoint(tp) for tp in carrying],
            "failures": failures, "promises": promises}


def _touchpoint(tp: Touchpoint) -> dict[str, Any]:
    return {"id": tp.id, **_texts(tp.workshop), **tp.extensions}


def _texts(workshop: Workshop) -> dict[str, list[str]]:
    return {key: list(getattr(workshop, key)) for key in WORKSHOP_KEYS if getattr(workshop, key)}
