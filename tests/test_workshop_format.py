"""Workshop content in the format (issue 12): lanes' keys, personas, notes, `x-` fields, blank keys.

Every new key is loaded into the model, validated with a position and a hint, declared in the JSON
Schema, and comes out again in `report --format json`.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.format import OBJECTS
from journeymap.jsonschema import journey_schema

FULL = str(Path(__file__).parent / "fixtures" / "workshop" / "full.yaml")
TEXT_KEYS = {"touchpoint": ["actions", "thoughts", "quotes", "pain_points", "opportunities",
                            "backstage", "notes"],
             "stage": ["opportunities", "notes"], "journey": ["notes"]}


def test_every_new_key_is_loaded_into_the_model() -> None:
    j = validate_file(FULL).journey
    assert j is not None
    call = j.by_id["call"]
    w = call.workshop
    assert w.actions == ("Calls from a neighbour's phone",)
    assert w.thoughts == ("Will they believe the line is dead?",)  # one string: a list of one
    assert w.quotes == ("I have called twice already",)
    assert w.pain_points == ("Long hold music", "Asked for the account number twice")
    assert w.opportunities == ("Recognise the caller by the line",)
    assert w.backstage == ("CRM looks up the account", "Line test runs")
    assert w.notes == ("Most calls come on Mondays",)
    assert j.stages[0].workshop.opportunities == ("Let customers report online",)
    assert j.stages[0].workshop.notes == ("Wall 1",)
    assert j.notes == ("From the March workshop",)
    assert [p.name for p in j.all_personas] == ["Home-phone customer", "Carer of an elderly parent",
                                                "Small-business owner"]
    assert j.personas[0].goal == "A line that works before the weekend"
    assert j.personas[0].description == "Calls on behalf of her mother"
    assert call.extensions == {"x-ces": 5.1} and j.extensions == {"x-workshop-date": "2026-03-14"}


def test_the_new_keys_change_no_finding(tmp_path: Path) -> None:
    text = Path(FULL).read_text(encoding="utf-8")
    bare = "\n".join(line for line in text.splitlines()
                     if not any(line.strip().startswith(k) for k in
                                ("actions", "thoughts", "quotes", "pain_points", "opportunities",
                                 "backstage", "notes", "x-", "personas", "- name: Carer", "goal",
                                 "description", "- Small")))
    (tmp_path / "bare.yaml").write_text(bare, encoding="utf-8")
    runner = CliRunner()
    full = runner.invoke(app, ["check", FULL, "--format", "json"], catch_exceptions=False)
    plain = runner.invoke(app, ["check", str(tmp_path / "bare.yaml"), "--format", "json"],
                          catch_exceptions=False)
    rules = lambda out: sorted(f["rule"] for f in json.loads(out)["journeys"][0]["findings"])  # noqa: E731
    assert full.exit_code == plain.exit_code
    assert rules(full.stdout) == rules(plain.stdout)


def test_report_json_keeps_the_content_and_every_x_field() -> None:
    out = CliRunner().invoke(app, ["report", FULL, "--format", "json"], catch_exceptions=False)
    content = json.loads(out.stdout)["journeys"][0]["content"]
    assert content["x-workshop-date"] == "2026-03-14"
    assert content["notes"] == ["From the March workshop"]
    assert content["personas"][1] == {"name": "Carer of an elderly parent",
                                      "goal": "A line that works before the weekend",
                                      "description": "Calls on behalf of her mother", "x-segment": "B2"}
    assert content["stages"] == [{"id": "report", "opportunities": ["Let customers report online"],
                                  "notes": ["Wall 1"], "x-wall": 1}]
    call = content["touchpoints"][0]
    assert call["id"] == "call" and call["x-ces"] == 5.1
    assert call["pain_points"] == ["Long hold music", "Asked for the account number twice"]
    for key in TEXT_KEYS["touchpoint"]:
        assert call[key], key
    assert content["failures"] == [{"touchpoint": "call", "id": "line-test-fails", "x-ticket": "CX-12"}]
    assert content["promises"] == [{"id": "fixed-within-a-day", "x-source": "contract §4"}]


def test_the_json_schema_declares_the_new_keys_and_accepts_the_example() -> None:
    schema = journey_schema()
    for kind, keys in TEXT_KEYS.items():
        props = schema["properties"] if kind == "journey" else schema["$defs"][kind]["properties"]
        for key in keys:
            if (kind, key) == ("touchpoint", "pain_points"):  # texts, or {text, factor} items
                assert {"$ref": "#/$defs/text"} in props[key]["anyOf"]
                continue
            assert props[key]["$ref"] == "#/$defs/texts", (kind, key)
    assert set(schema["$defs"]["persona"]["properties"]) == set(OBJECTS["persona"])
    data = yaml.safe_load(Path(FULL).read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)  # x- fields, personas' short form, texts as str or list
    data["stages"][0]["touchpoints"][0]["oportunities"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


BAD = """\
journey: Typos
stages:
  - name: One
    opportunities: {{a: b}}
    touchpoints:
      - name: A
        {key}: {value}
"""


@pytest.mark.parametrize("key,value,message,hint", [
    ("oportunities", "more staff", "unknown key `oportunities`", "did you mean `opportunities`"),
    ("pain_point", "slow", "unknown key `pain_point`", "did you mean `pain_points`"),
    ("backstage", "{a: b}", "expected text or a list of texts, found a mapping", "- "),
    ("actions", "[ok, ~]", "expected text, found nothing", None),
    ("emotion", "", "`emotion` is empty: give a value such as `neutral`, or remove the key", None),
    ("wait", "", "`wait` is empty: give a value such as `20m`", None),
    ("failures", "", "`failures` is empty: give a list", None),
])
def test_mistakes_in_the_new_keys_have_positions_and_hints(tmp_path: Path, key: str, value: str,
                                                            message: str, hint: str | None) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD.format(key=key, value=value), encoding="utf-8")
    found = validate_file(str(path)).findings
    stage = [f for f in found if f.span.line == 4]
    assert stage and "expected text or a list of texts" in stage[0].message
    mine = [f for f in found if f.span.line == 7]
    assert len(mine) == 1, [f.message for f in found]
    assert message in mine[0].message and "None" not in mine[0].message
    assert mine[0].span.column > 1
    if hint:
        assert hint in (mine[0].hint or "")


def test_personas_need_a_name(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("journey: P\npersonas:\n  - goal: x\n    nmae: y\nstages:\n  - name: S\n"
                    "    touchpoints:\n      - name: A\n", encoding="utf-8")
    found = validate_file(str(path)).findings
    assert any("a persona needs `name:`" in f.message and f.span.line == 3 for f in found)
    assert any("did you mean `name`" in (f.hint or "") and f.span.line == 4 for f in found)


def test_x_fields_are_accepted_on_next_entries_and_accept_entries_too(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "journey: X\naccept:\n  - rule: JM102\n    reason: a sketch\n    x-by: Ana\nstages:\n"
        "  - name: S\n    touchpoints:\n      - name: A\n        next:\n          - to: b\n"
        "            x-weight: 2\n      - name: B\n        x-: empty name is fine\n",
        encoding="utf-8")
    result = validate_file(str(path))
    assert result.journey is not None, [f.message for f in result.findings]
    assert result.journey.by_id["b"].extensions == {"x-": "empty name is fine"}
