"""Pain points that name their factor (`{text: …, factor: time}`): read with positions, checked
like every key, agreed by the JSON Schema, grouped by factor in the JSON, terminal and HTML
reports, and tagged on the journey map in the journey's own language."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from journeymap.analysis.analyse import analyse
from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.loader import load_bytes
from journeymap.model import Workshop
from journeymap.render import render_map
from journeymap.render.html import report_html
from journeymap.render.mapview.words import RLM, WORDS
from journeymap.report.factors_text import factors_section
from journeymap.schema import build_draft
from journeymap.validate import validate_bytes

from conftest import FIXTURES, REPO
from test_jsonschema import VALIDATOR, plain

PAINS = str(FIXTURES / "evidence" / "pain-factors.yaml")
SVG_TEXT = "{http://www.w3.org/2000/svg}text"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
runner = CliRunner()


def journey_with(pain_points: str, lang: str = "en") -> str:
    return (f"journey: Pains\nlang: {lang}\nstages:\n  - name: One\n    touchpoints:\n"
            f"      - name: Wait for the van\n        id: wait\n        wait: 2d\n"
            f"        pain_points: {pain_points}\n        outcome: success\n")


def findings_of(tmp_path: Path, text: str) -> list[Any]:
    path = tmp_path / "j.yaml"
    path.write_text(text, "utf-8")
    return list(validate_file(str(path)).findings)


# -- reading both forms -------------------------------------------------------------------------


def test_both_forms_are_read_and_the_texts_stay_plain_texts() -> None:
    result = validate_file(PAINS)
    assert result.findings == () or list(result.findings) == []
    tps = {tp.id: tp.workshop for tp in result.journey.touchpoints}
    assert tps["choose"].pain_points == ("The calendar is hard to read", "No evening windows at all",
                                         "Site asks for the postcode <twice>")
    assert tps["choose"].factored_pain_points() == (
        ("The calendar is hard to read", None), ("No evening windows at all", "product"),
        ("Site asks for the postcode <twice>", "product"))  # `Product` read in any case
    assert tps["wait"].factored_pain_points() == (("Two days at home for a four-hour window", "time"),)
    # a text alone (the form every journey used so far) keeps no factors at all
    assert tps["delivered"].pain_points == ("Driver leaves the packaging behind",)
    assert tps["delivered"].pain_factors == ()
    assert tps["delivered"] == Workshop(pain_points=("Driver leaves the packaging behind",))


def test_a_workshop_built_by_hand_pairs_every_text_with_none() -> None:
    w = Workshop(pain_points=("a", "b"), pain_factors=("time",))
    assert w.factored_pain_points() == (("a", "time"), ("b", None))


BAD = """\
journey: Pain point mistakes
stages:
  - name: One
    touchpoints:
      - name: A
        pain_points:
          - {text: Long hold, factr: time}
          - text:
            factor: time
          - factor: people
          - {text: Rude agent, factor: staff}
          - [a, list]
          - {text: Fine, factor: }
        outcome: success
"""


def test_every_mistake_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    found = findings_of(tmp_path, BAD)
    got = [(f.rule, f.span.line, f.span.column, f.message, f.hint) for f in found]
    where = "stages[1].touchpoints[1].pain_points"
    assert got == [
        ("JM001", 7, 31, f"{where}[1]: unknown key `factr` in a pain point", "did you mean `factor`?"),
        ("JM001", 8, 18, f"{where}[2]: `text` is empty: give a value such as `a few words`, or remove "
                         "the key", None),
        ("JM001", 10, 13, f"{where}[3]: a pain point needs `text:` (what hurts, in the workshop's "
                          "words)", None),
        ("JM001", 11, 40, f"{where}[4].factor: `staff` is not one of the four factors",
         "use product, people, time or resolution"),
        ("JM001", 12, 13, f"{where}[5]: expected a single value, found a list", None),
        ("JM001", 13, 34, f"{where}[6]: `factor` is empty: give a value such as `time`, or remove "
                          "the key", None),
    ]


@pytest.mark.parametrize("value,hint", [("{text: Slow, factr: time}", "did you mean `factor`?"),
                                        ("{txt: Slow}", "did you mean `text`?")])
def test_a_typo_gets_did_you_mean(tmp_path: Path, value: str, hint: str) -> None:
    found = [f for f in findings_of(tmp_path, journey_with(value)) if "unknown key" in f.message]
    assert len(found) == 1 and found[0].hint == hint and found[0].span.line == 9


def test_a_draft_keeps_the_text_of_a_pain_point_with_a_bad_factor() -> None:
    loaded = load_bytes(journey_with("[{text: Slow van, factor: staff}, Cold tea]").encode(), "d.yaml")
    journey, _, found = build_draft(loaded.root, "d.yaml", "d")
    assert [f.rule for f, _ in found] == ["JM001"] and found[0][1] == "wait"
    assert journey.touchpoint("wait").workshop.factored_pain_points() == (("Slow van", None),
                                                                          ("Cold tea", None))


# -- the JSON Schema agrees with the validator --------------------------------------------------

_GOOD_TEXT = st.sampled_from(["Long hold", "404", "0o17", "yes", "عليه أن يبقى"])
_TEXT = st.one_of(_GOOD_TEXT, _GOOD_TEXT, st.sampled_from(["", "  "]), st.integers(0, 9),
                  st.floats(0.5, 2.5).filter(lambda x: not x.is_integer()), st.booleans(), st.none(),
                  st.text(alphabet="ab ", max_size=3))
_GOOD_FACTOR = st.sampled_from(["time", " People ", "RESOLUTION", "product"])
_FACTOR = st.one_of(_GOOD_FACTOR, _GOOD_FACTOR, st.sampled_from(["staff", ""]), st.integers(0, 3),
                    st.none(), st.lists(st.just("time"), max_size=1))
_MAPPING = st.one_of(
    st.fixed_dictionaries({"text": _TEXT}, optional={"factor": _FACTOR, "x-note": _TEXT}),
    st.dictionaries(st.sampled_from(["text", "factor", "factr", "x-note"]),
                    st.one_of(_TEXT, _FACTOR), max_size=3))
_ITEM = st.one_of(_TEXT, _MAPPING, _MAPPING, st.lists(_TEXT, max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.one_of(_ITEM, st.lists(_ITEM, max_size=4)))
def test_the_schema_and_the_validator_agree_on_pain_points(value: Any) -> None:
    """Every shape a pain point can take, well or badly: accepted by both or rejected by both.
    Both read the same YAML text, typed by the loader (``0o17`` is a number in YAML 1.2)."""
    doc = {"journey": "J", "stages": [{"name": "S", "touchpoints": [
        {"name": "A", "pain_points": value, "outcome": "success"}]}]}
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    valid = not validate_bytes(text, "p.yaml").findings
    assert valid == VALIDATOR.is_valid(plain(load_bytes(text, "p.yaml").root)), value


# -- grouped by factor --------------------------------------------------------------------------


def json_journey(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["report", "--format", "json", *args], catch_exceptions=False)
    return json.loads(result.stdout)["journeys"][0]


def test_the_json_report_groups_declared_pain_points_under_their_factor() -> None:
    groups = {g["factor"]: g for g in json_journey(PAINS)["factors"]}
    assert groups["product"]["pain_points"] == [
        {"touchpoint": "choose", "text": "No evening windows at all"},
        {"touchpoint": "choose", "text": "Site asks for the postcode <twice>"}]
    assert groups["time"]["pain_points"] == [
        {"touchpoint": "wait", "text": "Two days at home for a four-hour window"}]
    assert groups["people"]["pain_points"] == groups["resolution"]["pain_points"] == []
    listed = [p["text"] for g in groups.values() for p in g["pain_points"]]
    # no factor is guessed for a pain point that names none
    assert "The calendar is hard to read" not in listed
    assert "Driver leaves the packaging behind" not in listed


def test_pain_points_carry_no_friction() -> None:
    journey = validate_file(PAINS).journey
    bare = dataclasses.replace(journey, stages=tuple(
        dataclasses.replace(st, touchpoints=tuple(dataclasses.replace(tp, workshop=Workshop())
                                                  for tp in st.touchpoints))
        for st in journey.stages))
    with_pains, without = analyse(journey).factors, analyse(bare).factors
    assert [(g.factor, g.friction, g.touchpoints) for g in with_pains] == \
        [(g.factor, g.friction, g.touchpoints) for g in without]
    assert sum(len(g.pain_points) for g in with_pains) == 3
    assert all(not g.pain_points for g in without)


def test_the_terminal_report_lists_them_by_factor() -> None:
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(factors_section(analyse(validate_file(PAINS).journey)))
    section = console.export_text().split("By factor")[1]
    time_line = next(line for line in section.splitlines() if line.startswith("time"))
    assert "pain points “Two days at home for a four-hour window” (Wait for the van)" in time_line
    product = next(line for line in section.splitlines() if line.startswith("product"))
    assert "“No evening windows at all” (Choose a delivery window)" in product
    assert "The calendar is hard to read" not in section


def test_the_html_factor_table_lists_them_escaped() -> None:
    page = report_html(analyse(validate_file(PAINS).journey), "<svg></svg>")
    table = page.split('<section id="factors">')[1].split("</section>")[0]
    assert "<th>Pain points</th>" in table
    row = next(r for r in table.split("<tr>") if r.startswith("<td>product</td>"))
    assert "No evening windows at all" in row and "Site asks for the postcode &lt;twice&gt;" in row
    assert "<twice>" not in page
    assert "The calendar is hard to read" not in table


# -- on the map ---------------------------------------------------------------------------------


def svg_lines(journey_text: str) -> list[str]:
    journey = validate_bytes(journey_text.encode(), "m.yaml").journey
    root = ET.fromstring(render_map(analyse(journey), "svg"))
    return ["".join(t.itertext()) for t in root.iter(SVG_TEXT)]


@needs_dot
def test_the_map_tags_a_pain_point_with_its_factor() -> None:
    lines = svg_lines(Path(PAINS).read_text("utf-8"))
    assert any(line.startswith("[time] Two days at home") for line in lines), lines
    assert any(line.startswith("[product] No evening windows") for line in lines)
    assert any(line.startswith("The calendar is hard to read") for line in lines)  # no tag


PAIN_TEXT = {"ar": "عليه أن يبقى في المنزل", "fa": "باید تمام روز خانه بماند",
             "th": "ต้องรออยู่บ้านทั้งวัน", "lv": "Visu dienu jāgaida mājās"}


@needs_dot
@pytest.mark.parametrize("lang", sorted(PAIN_TEXT))
def test_the_tag_is_in_the_journeys_language(lang: str) -> None:
    text = PAIN_TEXT[lang]
    lines = svg_lines(journey_with(f"{{text: {text}, factor: time}}", lang))
    start = (RLM if lang in ("ar", "fa") else "") + f"[{WORDS[lang]['time']}] "
    tagged = [line.removeprefix(start) for line in lines if line.startswith(start)]
    assert len(tagged) == 1 and tagged[0] and text.startswith(tagged[0].rstrip()), lines  # intact
    assert not any("[time]" in line for line in lines)


@needs_dot
def test_the_arabic_example_journey_keeps_its_tag_in_arabic() -> None:
    path = REPO / "journeys" / "ar-bank-card-replacement.yaml"
    lines = svg_lines(path.read_text("utf-8"))
    assert any(line.startswith(f"{RLM}[الوقت] عليه أن يبقى في المنزل") for line in lines), lines
