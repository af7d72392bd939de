"""Random journeys, valid and mutated, through the CLI: nothing escapes, every finding is placed.

Journeys are generated as data (any number of touchpoints, random unicode names, references that
make cycles and self-loops, shares, durations, promises), then mutated (wrong types, missing keys,
unknown keys, huge numbers, NaN, shares past 1) and written as YAML. Each runs through the CLI
commands (validate, check, report) with JSON output, which must parse, with the exit code the
command promises, and every finding a known rule at a line and column inside the file.

CI runs 200 examples; for a longer run:  JOURNEYMAP_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.findings import RULES

FUZZ = settings(max_examples=int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def errors(doc: dict) -> int:
    """validate and check: exit 1 when a finding is an error."""
    return int(any(f["severity"] == "error" for j in doc["journeys"] for f in j["findings"]))


def unscored(doc: dict) -> int:
    """report: exit 1 when a journey cannot be scored (it does not validate)."""
    return int(any(j["title"] is None for j in doc["journeys"]))


COMMANDS = ((["validate"], errors), (["check"], errors), (["report"], unscored))

SCRIPTS = ["مرحبا بالعالم", "ส่งคืนสินค้า", "Pieslēgums internetam", "پرداخت ناموفق", "Call us"]
NAMES = st.one_of(st.sampled_from(SCRIPTS), st.text(min_size=1, max_size=40)).filter(str.strip)
UNITS = st.sampled_from("smhdw")


class Raw(str):
    """Text written as a plain YAML scalar, e.g. a 5,000-digit number PyYAML cannot dump as an int."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Raw, lambda d, v: d.represent_scalar("tag:yaml.org,2002:int", str(v)))


def durations(valid: bool) -> st.SearchStrategy[Any]:
    good = st.one_of(st.builds("{}{}".format, st.integers(0, 5000), UNITS),
                     st.sampled_from(["1h30m", "PT30M", "P2D", "0.5d"]))
    bad = st.one_of(st.integers(), st.sampled_from(["20 minutes", "P1Y", "3H", ""]),
                    st.builds(lambda n, u: Raw(f"{n}{u}"), st.integers(10**20, 10**400), UNITS))
    return good if valid else st.one_of(good, bad)


def shares(valid: bool) -> st.SearchStrategy[Any]:
    good = st.one_of(st.floats(0, 0.3), st.integers(0, 30).map("{}%".format))
    return good if valid else st.one_of(good, st.floats(allow_nan=True), st.sampled_from(["150%", "x"]))


@st.composite
def journeys(draw: st.DrawFn, valid: bool = False) -> dict[str, Any]:
    """A journey as data; with ``valid``, one that must validate without a single finding."""
    ids = [f"t{i}" for i in range(draw(st.integers(1, 12)))]
    ref = st.sampled_from(ids) if valid else st.one_of(st.sampled_from(ids), NAMES)
    tps = [draw(touchpoints(tp_id, ref, valid)) for tp_id in ids]
    cuts = sorted(draw(st.sets(st.integers(1, len(tps) - 1), max_size=3))) if len(tps) > 1 else []
    bounds = [0, *cuts, len(tps)]
    stages = [{"name": draw(NAMES), "touchpoints": tps[a:b]} for a, b in zip(bounds, bounds[1:])]
    promise = st.fixed_dictionaries({"name": NAMES, "made_at": ref, "kept_at": ref},
                                    optional={"within": durations(valid), "channel": NAMES})
    promises = draw(st.lists(promise, max_size=3))
    for i, p in enumerate(promises):
        p["id"] = f"p{i}"
    doc = {"journey": draw(NAMES), "lang": draw(st.sampled_from(["en", "ar", "fa", "th", "lv"])),
           "stages": stages, "promises": promises}
    return doc


def touchpoints(tp_id: str, ref: st.SearchStrategy[str], valid: bool) -> st.SearchStrategy[dict]:
    step = st.fixed_dictionaries({"to": ref}, optional={"share": shares(valid), "label": NAMES})
    failure = st.fixed_dictionaries({"name": NAMES}, optional={"share": shares(valid), "to": ref})
    failures = st.lists(failure, max_size=3).map(
        lambda fs: [dict(f, id=f"{tp_id}-f{i}") for i, f in enumerate(fs)])
    return st.fixed_dictionaries({"name": NAMES, "id": st.just(tp_id)}, optional={
        "channel": NAMES, "owner": NAMES,
        "effort": st.integers(1, 5) if valid else st.integers(-10, 10),
        "emotion": st.one_of(st.integers(-2, 2), st.sampled_from(["angry", "pleased"])),
        "wait": durations(valid), "duration": durations(valid),
        "asks": st.lists(NAMES, max_size=3),
        "outcome": st.sampled_from(["success", "lost"]),
        "next": st.one_of(ref, st.lists(ref, max_size=3), st.lists(step, max_size=3)),
        "failures": failures,
    })


NASTY = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    NAMES, st.sampled_from(["", " ", "~", "yes", "no", "0x1F", ".inf", "<<"]),
    st.integers(4300, 6000).map(lambda n: Raw("9" * n)),
    st.lists(st.integers(), max_size=3), st.dictionaries(NAMES, st.integers(), max_size=2),
)


def containers(node: Any) -> list[Any]:
    """Every dict and list in the document, outermost first."""
    found = [node] if isinstance(node, (dict, list)) else []
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found.extend(containers(child))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A journey with a few wrong types, missing keys, unknown keys or strange values."""
    doc = draw(journeys())
    for _ in range(draw(st.integers(0, 4))):
        target = draw(st.sampled_from(containers(doc)))
        if not target:
            continue
        key = draw(st.sampled_from(list(target.keys()) if isinstance(target, dict)
                                   else range(len(target))))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            target[key] = draw(NASTY)
        elif action == "delete":
            del target[key]
        elif isinstance(target, dict):
            target[draw(NAMES)] = draw(NASTY)
        else:
            target.append(draw(NASTY))
    return doc


def run_json(args: list[str], path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(app, [*args, "--format", "json", str(path)], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def assert_sound(text: str) -> list[dict]:
    """Run every command on ``text``; return the findings of the last (`report`)."""
    lines = len(re.findall(r"\r\n|\r|\n", text)) + 1  # as YAML 1.2 and editors count lines
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journey.yaml"
        path.write_text(text, encoding="utf-8")
        for args, exit_code in COMMANDS:
            code, doc = run_json(args, path)
            found = [f for j in doc["journeys"] for f in j["findings"]]
            assert code == exit_code(doc)
            for f in found:
                assert f["rule"] in RULES
                assert 1 <= f["line"] <= lines and f["column"] >= 1, f
    return found


def dump(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=60)


@FUZZ
@given(mutated())
def test_mutated_journeys_never_crash_and_every_finding_is_placed(doc: dict[str, Any]) -> None:
    assert_sound(dump(doc))


@FUZZ
@given(journeys(valid=True))
def test_valid_journeys_validate_without_format_findings(doc: dict[str, Any]) -> None:
    found = assert_sound(dump(doc))
    assert not [f for f in found if f["rule"] in ("JM001", "JM002", "JM003")]
