"""The JSON Schema of the journey format: shipped as generated, and agreeing with the validator.

The corpus in tests/fixtures/ci/schema/ has three folders: good/ (both accept), bad/ (both reject)
and beyond/ (mistakes a JSON Schema cannot express: `validate` rejects them, the schema accepts;
each file names the rule `validate` reports). The JSON Schema sees the YAML as plain data, so it is
given what the loader reads, typed by the same YAML 1.2 core schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from journeymap import values
from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.init import starter, target_path
from journeymap.jsonschema import case_insensitive, journey_schema, render
from journeymap.loader import Node, load_file, scalar_value

from conftest import FIXTURES, REPO

SHIPPED = REPO / "journeymap" / "journey.schema.json"
CORPUS = FIXTURES / "ci" / "schema"
SCHEMA = journey_schema()
VALIDATOR = Draft202012Validator(SCHEMA)
runner = CliRunner()


def plain(node: Node | None) -> Any:
    """The node tree as the plain data a JSON Schema validator sees."""
    if node is None:
        return None
    if node.kind == "map":
        return {scalar_value(k) if k.kind == "scalar" else repr(k): plain(v) for k, v in node.value}
    if node.kind == "seq":
        return [plain(item) for item in node.value]
    return scalar_value(node)


def schema_accepts(path: Path) -> bool:
    return VALIDATOR.is_valid(plain(load_file(str(path)).root))


def validator_rules(path: Path) -> list[str]:
    return [f.rule for f in validate_file(str(path)).findings]


def corpus(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*.yaml"))


def test_the_shipped_file_is_the_generated_one() -> None:
    assert SHIPPED.read_text("utf-8") == render(), "regenerate: journeymap schema --pretty -o journeymap/journey.schema.json"


def test_it_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted((REPO / "journeys").glob("*.yaml")) + [FIXTURES / "spec-example.yaml"],
                         ids=lambda p: p.name)
def test_every_example_journey_is_accepted(path: Path) -> None:
    assert validator_rules(path) == []
    errors = [e.message for e in VALIDATOR.iter_errors(plain(load_file(str(path)).root))]
    assert errors == []


def test_the_init_starter_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(starter(target_path(str(path))), "utf-8")
    assert schema_accepts(path) and validator_rules(path) == []


@pytest.mark.parametrize("path", corpus("good") + corpus("bad"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_schema_and_validator_agree(path: Path) -> None:
    rules = validator_rules(path)
    if path.parent.name == "good":
        assert rules == [] and schema_accepts(path)
    else:
        assert rules and set(rules) == {"JM001"}, rules
        assert not schema_accepts(path)


@pytest.mark.parametrize("path", corpus("beyond"), ids=lambda p: p.stem)
def test_what_only_the_validator_can_see(path: Path) -> None:
    """Documented limits: if the schema learns to catch one, move the file to bad/."""
    expected = re.search(r"# validate: (JM\d{3})", path.read_text("utf-8")).group(1)
    assert expected in validator_rules(path)
    assert schema_accepts(path)


def test_the_corpus_is_not_trivial() -> None:
    assert len(corpus("good")) >= 10 and len(corpus("bad")) >= 30 and len(corpus("beyond")) >= 5


# -- the value languages, property by property ------------------------------------------------


def _accepts(kind: str, value: Any) -> bool:
    return Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": SCHEMA["$defs"]}).is_valid(value)


def _parses(parse: Any, value: Any) -> bool:
    try:
        parse(value)
    except values.BadValue:
        return False
    return True


_DURATION_TEXT = st.text(alphabet="0123456789.smhdwSMHDWPpTt %", max_size=9)
# Floats such as 3.0 are left out: JSON Schema counts them as integers (see beyond/).
_FRACTION = st.floats(-2, 6, allow_nan=False).filter(lambda x: not x.is_integer())
_NUMBER = st.one_of(st.integers(-5, 300), _FRACTION, st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(st.one_of(_DURATION_TEXT, _NUMBER))
def test_durations_agree(value: Any) -> None:
    try:
        parsed = values.parse_duration(value)
    except values.BadValue as bad:
        if "century" in bad.message:  # a limit the schema cannot express (see beyond/)
            return
        parsed = None
    assert (parsed is not None) == _accepts("duration", value), value


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789.% ", max_size=8), _NUMBER))
def test_shares_agree(value: Any) -> None:
    assert _parses(values.parse_share, value) == _accepts("share", value), value


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from([w.upper() for w in values.EMOTIONS] + [" pleased ", "joy"]),
                 st.text(alphabet="angryAN ", max_size=6), _NUMBER))
def test_emotions_agree(value: Any) -> None:
    assert _parses(values.parse_emotion, value) == _accepts("emotion", value), value


@settings(max_examples=200, deadline=None)
@given(st.one_of(_NUMBER, st.text(max_size=2)))
def test_efforts_agree(value: Any) -> None:
    assert _parses(values.parse_effort, value) == _accepts("effort", value), value


def test_case_insensitive_leaves_escapes_and_classes_alone() -> None:
    assert case_insensitive(r"P\dT[smh]") == r"[Pp]\d[Tt][smh]"


# -- the command ------------------------------------------------------------------------------


def test_schema_command_prints_and_writes_it(tmp_path: Path) -> None:
    printed = runner.invoke(app, ["schema"], catch_exceptions=False)
    assert printed.exit_code == 0 and json.loads(printed.stdout) == SCHEMA
    out = tmp_path / "journey.schema.json"
    written = runner.invoke(app, ["schema", "--output", str(out)], catch_exceptions=False)
    # one line, like every JSON output of the tool; --pretty: the indented text that is shipped
    assert written.exit_code == 0 and out.read_text("utf-8") == render(pretty=False)
    assert out.read_text("utf-8").count("\n") == 1 and json.loads(out.read_text("utf-8")) == SCHEMA
    assert printed.stdout == render(pretty=False)
    written = runner.invoke(app, ["schema", "--pretty", "-o", str(out)], catch_exceptions=False)
    assert written.exit_code == 0 and out.read_text("utf-8") == render() == SHIPPED.read_text("utf-8")
