"""Random evidence, in a journey and in a CSV: every outcome is findings and a report, never an
exception (hypothesis, in process)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.analysis.analyse import report_files
from journeymap.check import check_file
from journeymap.format import OBJECTS
from journeymap.report.analysis_json import render as render_json
from journeymap.report.terminal import render as render_text

VALUES = st.one_of(
    st.integers(-3, 2000), st.integers(10**11, 10**13), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.sampled_from(["csat", "CES", "nps", "trust", "1-5", "0-10", "5-1",
                                               "2025-Q3", "Sep 2024", "12", "", "x"]),
    st.lists(st.integers(-1, 300), max_size=12), st.text(max_size=12))
ITEM = st.dictionaries(st.sampled_from(list(OBJECTS["evidence"])), VALUES, max_size=8)
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

BASE = {"journey": "Fuzz", "stages": [{"name": "S", "touchpoints": [
    {"name": "A", "id": "a", "emotion": 1, "failures": [{"name": "x", "to": "a"}]},
    {"name": "B", "id": "b", "emotion": -2, "outcome": "success"}]}]}


def journey_with(items: list[dict]) -> dict:
    doc = json.loads(json.dumps(BASE))
    doc["stages"][0]["touchpoints"][0]["evidence"] = items
    return doc


@SETTINGS
@given(st.lists(ITEM, min_size=1, max_size=4))
def test_random_evidence_in_a_journey(tmp_path: Path, items: list[dict]) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(journey_with(items), allow_unicode=True), "utf-8")
    result = check_file(str(path))
    assert all(f.span is not None and f.span.line >= 1 for f in result.findings)
    run = report_files([str(path)])
    doc = json.loads(render_json(run))
    for e in doc["journeys"][0]["evidence"]:
        assert e["n"] >= 0 and (e["margin"] is None or e["margin"] >= 0)
        assert all(v is None or math.isfinite(v) for v in (e["value"], e["low"], e["high"]))
    render_text(run)


CELLS = st.one_of(st.sampled_from(["a", "b", "zz", "csat", "nps", "ces", "7", "-1", "1e9", "3,5",
                                   "1-5", "\ufeff", '"', "", " "]), st.text(max_size=6))


@SETTINGS
@given(st.lists(st.lists(CELLS, max_size=9), max_size=6), st.sampled_from([",", ";", "\t"]))
def test_random_csv_rows(tmp_path: Path, rows: list[list[str]], sep: str) -> None:
    journey = tmp_path / "j.yaml"
    journey.write_text(yaml.safe_dump(BASE), "utf-8")
    header = sep.join(["touchpoint", "metric", "responses", "satisfied", "promoters", "passives",
                       "detractors", "mean", "sd"])
    csv = tmp_path / "e.csv"
    csv.write_text("\n".join([header, *(sep.join(r) for r in rows)]) + "\n", "utf-8")
    run = report_files([str(journey)], evidence_csv=str(csv))
    assert run.evidence is not None
    assert all(f.rule == "JM400" and f.span.file == str(csv) for f in run.evidence.findings)
    json.loads(render_json(run))
    render_text(run)
