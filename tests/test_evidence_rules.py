"""Evidence in a journey: mistakes reported where they are, JM401–JM403 with settings, the info
severity through every output format."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.check import check_file
from journeymap.cli import app
from journeymap.config import ConfigError, load_config
from journeymap.evidence.measure import figure, measure_journey
from journeymap.evidence.rules import evidence_findings, period_end
from journeymap.evidence.settings import EvidenceSettings
from journeymap.findings import RULES, Severity

from conftest import FIXTURES, write_journey

RULE_FIXTURES = FIXTURES / "rules"
runner = CliRunner()

HEAD = """\
journey: Evidence
stages:
  - name: Ask
    touchpoints:
      - name: Call
        id: call
        emotion: pleased
        failures:
          - name: Busy
            to: call
        evidence:
"""
TAIL = """\
      - name: Done
        outcome: success
"""


def with_evidence(tmp_path: Path, items: str) -> Path:
    indented = "".join(f"          {line}\n" for line in items.strip("\n").splitlines())
    return write_journey(tmp_path, HEAD + indented + TAIL)


def problems(path: Path) -> list[tuple[str, int, str]]:
    return [(f.rule, f.span.line, f.message) for f in check_file(str(path)).findings if f.span]


@pytest.mark.parametrize("items, line, words", [
    ("- metric: csat\n  responses: 40\n  satisfied: 52", 14, "52 satisfied of 40 responses"),
    ("- metric: csat\n  responses: -4\n  satisfied: 2", 13, "`-4` is negative"),
    ("- metric: csat\n  responses: forty\n  satisfied: 2", 13, "`forty` is not a count"),
    ("- metric: csat\n  responses: 4.5\n  satisfied: 2", 13, "`4.5` is not a count"),
    ("- metric: nps\n  responses: 20\n  promoters: 10\n  passives: 5\n  detractors: 4", 13,
     "`responses` is 20, but promoters, passives and detractors add up to 19"),
    ("- metric: nps\n  responses: 20\n  promoters: 15\n  detractors: 9", 13,
     "fewer than the 24 promoters and detractors"),
    ("- metric: ces\n  distribution: [1, 2, 3]", 13, "the distribution has 3 counts, but the scale 1-7"),
    ("- metric: ces\n  distribution: [1, 2, x, 4, 5, 6, 7]", 13, "`x` is not a count"),
    ("- metric: csat\n  responses: 50\n  distribution: [1, 2, 3, 4, 5]", 13, "`responses` is 50, but"),
    ("- metric: trust\n  mean: 3", 12, "`trust` is not csat, ces or nps, so it needs `scale:`"),
    ("- metric: ces\n  mean: 9\n  sd: 1\n  responses: 30", 13, "the mean 9 is outside the scale 1-7"),
    ("- metric: ces\n  mean: 5\n  responses: 30", 12, "needs `sd`"),
    ("- metric: ces\n  mean: 5\n  sd: 1e300\n  responses: 30", 14, "wider than the scale 1-7"),
    ("- metric: csat\n  responses: 2000000000000\n  satisfied: 3", 13, "more than any survey gets"),
    ("- metric: csat\n  satisfied: 3\n  responses: 4\n  mean: 4.1", 15, "give counts (satisfied) or a summary"),
    ("- metric: csat\n  promoters: 3", 13, "`promoters` counts NPS answers"),
    ("- metric: nps\n  scale: 1-5\n  promoters: 3\n  detractors: 1\n  passives: 1", 13, "0-10"),
    ("- metric: csat\n  scale: 5-1\n  satisfied: 1\n  responses: 2", 13, "must run upwards"),
    ("- metric: csat", 12, "csat evidence needs counts or a summary"),
    ("- metric: csat\n  respones: 3", 13, "unknown key `respones`"),
])
def test_evidence_mistakes_are_jm001_at_their_line(tmp_path: Path, items: str, line: int, words: str) -> None:
    found = problems(with_evidence(tmp_path, items))
    assert [(rule, at) for rule, at, _ in found] == [("JM001", line)], found
    assert words in found[0][2]


def test_every_evidence_mistake_in_a_file_is_reported(tmp_path: Path) -> None:
    path = with_evidence(tmp_path, "- metric: csat\n  responses: -1\n  satisfied: 1\n"
                         "- metric: nps\n  promoters: 1\n- metric: ces\n  distribution: [1]")
    assert [line for _, line, _ in problems(path)] == [13, 15, 18]


def test_factor_is_checked_with_a_hint(tmp_path: Path) -> None:
    path = write_journey(tmp_path, HEAD.replace("to: call", "to: call\n            factor: peple")
                         .replace("        evidence:\n", "") + TAIL)
    result = check_file(str(path))
    assert [(f.rule, f.span.line) for f in result.findings] == [("JM001", 11)]
    assert result.findings[0].hint == "did you mean `people`?"


def test_the_stale_fixture_fires_once_max_age_is_set() -> None:
    path = RULE_FIXTURES / "jm403-stale-evidence-off.yaml"
    assert check_file(str(path)).findings == ()  # off by default (the fixture says so too)
    config = replace(load_config(None, str(path.parent)),
                     evidence=EvidenceSettings(max_age_seconds=52 * 7 * 86400))
    found = check_file(str(path), config).findings
    assert [(f.rule, f.severity, f.span.line) for f in found] == [("JM403", Severity.INFO, 11),
                                                                 ("JM403", Severity.INFO, 16)]
    assert "2019-Q1 (ended 2019-03-31" in found[0].message


def test_stale_evidence_is_judged_against_today(journey) -> None:
    j = journey(HEAD + "          - metric: csat\n            period: 2025-Q3\n"
                "            responses: 400\n            satisfied: 330\n" + TAIL)
    settings = EvidenceSettings(max_age_seconds=90 * 86400)
    measured = measure_journey(j, settings)
    assert list(evidence_findings(j, measured, settings, today=date(2025, 12, 29))) == []
    late = list(evidence_findings(j, measured, settings, today=date(2025, 12, 30)))
    assert [f.rule for f in late] == ["JM403"] and "91 days ago" in late[0].message


@pytest.mark.parametrize("text, end", [
    ("2025-07-01..2025-09-30", date(2025, 9, 30)), ("2025-Q3", date(2025, 9, 30)),
    ("Q4 2024", date(2024, 12, 31)), ("Sep 2025", date(2025, 9, 30)),
    ("September–October 2025", date(2025, 10, 31)), ("2024-02", date(2024, 2, 29)),
    ("fiscal 2023", date(2023, 12, 31)), ("last summer", None), (None, None), ("2025-13", date(2025, 12, 31)),
])
def test_period_end(text: str | None, end: date | None) -> None:
    assert period_end(text) == end


def test_jm402_respects_the_configured_threshold(journey) -> None:
    j = journey(HEAD + "          - metric: csat\n            responses: 400\n"
                "            satisfied: 300\n" + TAIL)  # 75% (70.5%–79.0%)
    for threshold, fires in ((0.7, False), (0.8, True)):
        settings = EvidenceSettings(satisfied_threshold=threshold)
        rules = [f.rule for f in evidence_findings(j, measure_journey(j, settings), settings)]
        assert rules == (["JM402"] if fires else []), threshold


def test_confidence_changes_the_margin_and_jm401(journey) -> None:
    j = journey(HEAD + "          - metric: csat\n            responses: 100\n"
                "            satisfied: 80\n" + TAIL)
    wide, narrow = (measure_journey(j, EvidenceSettings(confidence=c))[0] for c in (0.99, 0.90))
    assert wide.margin_points > 10 > narrow.margin_points
    assert figure(narrow) == "CSAT 80% ± 6.5 (n = 100)"


def test_evidence_settings_in_journeymap_toml(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "journeymap.toml").write_text(
        '[evidence]\nconfidence = "90%"\nmax-margin = 5\nsatisfied-threshold = 0.8\n'
        'nps-neutral = 10\nmax-age = "26w"\n', "utf-8")
    settings = load_config(None, str(tmp_path)).evidence
    assert settings == EvidenceSettings(0.9, 5.0, 0.8, 10.0, 26 * 7 * 86400)


@pytest.mark.parametrize("text, words, line", [
    ("[evidence]\nconfidance = 0.9\n", "did you mean `confidence`?", 2),
    ("[evidence]\nconfidence = 1.5\n", "outside 0–1", 2),
    ("[evidence]\nconfidence = 0.2\n", "from 50% to 99.9%", 2),
    ("[evidence]\nmax-age = 30\n", "has no unit", 2),
    ("[evidence]\nmax-margin = -3\n", "not a margin", 2),
    ("evidence = 3\n", "must be a table", 1),
])
def test_evidence_setting_mistakes(tmp_path: Path, text: str, words: str, line: int) -> None:
    path = tmp_path / "journeymap.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as bad:
        load_config(str(path))
    assert words in str(bad.value) and bad.value.line == line


def test_rules_are_in_the_catalogue_with_examples() -> None:
    for rule_id in ("JM400", "JM401", "JM402", "JM403"):
        rule = RULES[rule_id]
        assert rule.bad and rule.good and rule.description
    assert RULES["JM403"].severity is Severity.INFO
    out = runner.invoke(app, ["rules", "JM403"], catch_exceptions=False).output
    assert "default severity: info" in out


@pytest.fixture
def stale_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "journeymap.toml").write_text('[evidence]\nmax-age = "52w"\n', "utf-8")
    target = tmp_path / "stale.yaml"
    target.write_text((RULE_FIXTURES / "jm403-stale-evidence-off.yaml").read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    return target


@pytest.mark.parametrize("fmt, expect", [
    ("text", "stale.yaml:11:13: info [JM403]"), ("github", "::notice file=stale.yaml,line=11"),
    ("sarif", '"level":"note"'), ("gitlab", '"severity":"info"'), ("junit", "<system-out>"),
])
def test_info_findings_in_every_format(stale_project: Path, fmt: str, expect: str) -> None:
    result = runner.invoke(app, ["check", "--format", fmt, "--fail-on", "warning", "stale.yaml"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output  # info never fails a run, even --fail-on warning
    assert expect in result.output


def test_info_findings_are_counted_in_json_and_the_summary(stale_project: Path) -> None:
    doc = json.loads(runner.invoke(app, ["check", "--format", "json", "stale.yaml"]).output)
    assert doc["summary"] == {"files": 1, "errors": 0, "warnings": 0, "infos": 2}
    text = runner.invoke(app, ["check", "stale.yaml"]).output
    assert text.rstrip().endswith("no problems found (2 infos)")


def test_a_rule_can_be_set_to_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "journeymap.toml").write_text('[rules]\nJM401 = "info"\n', "utf-8")
    path = with_evidence(tmp_path, "- metric: csat\n  responses: 10\n  satisfied: 9")
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["check", path.name], catch_exceptions=False).output
    assert "info [JM401]" in out


# -- the JSON Schema and the validator agree on evidence values ----------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402

from journeymap.evidence import fields as ef  # noqa: E402
from journeymap.jsonschema import journey_schema  # noqa: E402
from journeymap.values import BadValue  # noqa: E402

DEFS = journey_schema()["$defs"]


def accepts(kind: str, value: object) -> bool:
    return Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": DEFS}).is_valid(value)


def parses(parse, value: object) -> bool:
    try:
        parse(value)
    except BadValue:
        return False
    return True


_SCALAR = st.one_of(st.integers(-5, 500), st.floats(-2, 9, allow_nan=False).filter(
    lambda x: not x.is_integer()), st.booleans(), st.none(), st.text(alphabet="0123-5 ;x", max_size=6))


@settings(max_examples=200, deadline=None)
@given(st.one_of(_SCALAR, st.lists(_SCALAR, max_size=4)))
def test_counts_agree(value: object) -> None:
    assert parses(ef.parse_count, value) == accepts("count", value), value
    if not (isinstance(value, list) and not value):
        assert parses(ef.parse_counts, value) == accepts("counts", value), value


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789-. to", max_size=7),
                 st.lists(st.integers(-3, 12), min_size=1, max_size=3)))
def test_scales_agree_where_the_schema_can_say(value: object) -> None:
    """The schema cannot compare the two ends: a scale running downwards (5-1) passes it."""
    if parses(ef.parse_scale, value):
        assert accepts("scale", value), value
    elif accepts("scale", value):
        low, high = (value if isinstance(value, list) else
                     [int(x) for x in __import__("re").findall(r"-?\d+", value)][:2])
        assert low >= high or high - low >= ef.MAX_SCALE_POINTS, value


@pytest.mark.parametrize("value", ["people", " Time ", "RESOLUTION", "product", "staff", "", 3])
def test_factors_agree(value: object) -> None:
    assert parses(ef.parse_factor, value) == accepts("factor", value)
