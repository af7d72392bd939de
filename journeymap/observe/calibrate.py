"""`observe --calibrate OUT.yaml`: the journey file with the observed shares and times written in.

The file is edited, not regenerated: ruamel.yaml's round trip keeps its comments, key order,
quoting and layout, so the change reads as a small diff to review. What is written:

Only figures the log contradicts are written (a share whose declared value lies outside the
observed interval, a time off by more than a tenth), so the diff shows what the data disputes:

* a failure's ``share``: the observed share of the customers at its touchpoint who went to its
  ``to`` (only where that move is this failure alone, not also a ``next``);
* a ``next`` entry's ``share`` (entries written as ``{to, share}``): the observed share among the
  customers who did not fail there;
* a touchpoint's ``wait``: the median time of its busiest way in, less the declared ``duration``
  of the touchpoint before it — only where it differs from the declared time by more than a tenth
  (and a minute), so times the log confirms stay as written.

Durations are not written: a log of start times cannot tell a step's own duration from the wait
after it.
"""

from __future__ import annotations

import io
from typing import Any

from journeymap.model import Journey
from journeymap.observe.compare import Comparison, MoveFigures, time_flag
from journeymap.observe.declared import START
from journeymap.values import format_duration, slug


def write_calibrated(source: str, c: Comparison, journey: Journey, target: str) -> None:
    """Write ``source`` with the observed figures of ``c`` to ``target`` (atomically)."""
    from journeymap.files import write_atomic
    from journeymap.observe.command import ObserveError

    try:
        with open(source, encoding="utf-8-sig") as f:
            text = calibrated(f.read(), c, journey)
        write_atomic(target, text)
    except ImportError:
        raise ObserveError("--calibrate needs ruamel.yaml: pip install 'journeymap[observe]'") from None
    except OSError as bad:
        raise ObserveError(f"cannot write {target}: {bad.strerror or bad}") from None


def calibrated(text: str, c: Comparison, journey: Journey) -> str:
    """The journey text with the observed shares and waits put in (see the module's docstring)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the author wrote
    _, indent, dash = load_yaml_guess_indent(text)
    yaml.indent(mapping=dash or 2, sequence=indent or 4, offset=dash or 2)
    root = yaml.load(text)
    moves = {(m.source, m.target): m for m in c.moves if m.declared}
    durations = {tp.id: tp.duration or 0.0 for tp in journey.touchpoints}
    for stage in root.get("stages") or []:
        for tp in stage.get("touchpoints") or []:
            tp_id = str(tp.get("id") or slug(str(tp.get("name", ""))))
            _failures(tp, tp_id, moves)
            _next(tp, tp_id, moves)
            _wait(tp, tp_id, c, durations)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _share(old: Any, value: float) -> Any:
    return f"{value * 100:.1f}%" if isinstance(old, str) and old.strip().endswith("%") else round(value, 4)


def _failures(tp: Any, tp_id: str, moves: dict[tuple[str, str], MoveFigures]) -> None:
    for failure in tp.get("failures") or []:
        m = moves.get((tp_id, str(failure.get("to"))))
        if m is None or not m.flagged or m.observed is None or len(m.via) != 1 or not m.failures:
            continue
        failure["share"] = _share(failure.get("share"), m.observed.share)


def _next(tp: Any, tp_id: str, moves: dict[tuple[str, str], MoveFigures]) -> None:
    steps = tp.get("next")
    if not isinstance(steps, list):
        return
    out = [moves.get((tp_id, str(s.get("to")))) for s in steps if hasattr(s, "get")]
    failed = sum(m.observed.x for (src, _), m in moves.items()
                 if src == tp_id and m.failures and m.observed and len(m.via) == 1)
    n = next((m.observed.n for m in out if m and m.observed), 0) - failed
    if n <= 0:
        return
    for step in steps:
        if hasattr(step, "get") and "share" in step:
            m = moves.get((tp_id, str(step.get("to"))))
            if m and m.flagged and m.observed and len(m.via) == 1 and not m.failures:
                step["share"] = _share(step.get("share"), m.observed.x / n)


def _wait(tp: Any, tp_id: str, c: Comparison, durations: dict[str, float]) -> None:
    ways_in = [m for m in c.moves if m.declared and m.target == tp_id and m.source != START
               and m.median is not None and m.observed is not None]
    if not ways_in:
        return
    busiest = max(ways_in, key=lambda m: m.observed.x if m.observed else 0)
    if not time_flag(busiest):
        return
    before = durations.get(busiest.source, 0.0)
    wait = max(0.0, (busiest.median or 0.0) - before)
    tp["wait"] = format_duration(wait) if wait >= 1 else "0s"


