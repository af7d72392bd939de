"""The four factors (failures, friction and findings grouped by them) and where evidence is shown:
the terminal table and section, the JSON report, and the HTML report in real Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.analysis.analyse import analyse
from journeymap.analysis.factors import failure_factor
from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.graph import build_graph
from journeymap.render.html import report_html

from conftest import FIXTURES

HERE = FIXTURES / "evidence"
FACTORS = str(HERE / "factors.yaml")
runner = CliRunner()


def json_report(*args: str) -> dict:
    return json.loads(runner.invoke(app, ["report", "--format", "json", *args], catch_exceptions=False).stdout)


def test_failure_factors_declared_and_derived() -> None:
    journey = validate_file(FACTORS).journey
    jg = build_graph(journey)
    got = {f.id: failure_factor(f, jg) for tp in journey.touchpoints for f in tp.failures}
    assert got == {"window-not-shown-for-the-address": ("product", True),
                   "site-times-out": ("resolution", False),
                   "van-breaks-down": ("unassigned", False)}


def test_the_json_report_groups_friction_and_findings_by_factor() -> None:
    [journey] = json_report(FACTORS)["journeys"]
    groups = {g["factor"]: g for g in journey["factors"]}
    assert list(groups) == ["product", "people", "time", "resolution", "unassigned"]
    # every bit of friction is in one group: the groups add up to the journey's total
    assert sum(g["friction"] for g in groups.values()) == pytest.approx(journey["friction"]["total"], abs=1e-5)
    assert sum(g["share"] for g in groups.values()) == pytest.approx(1.0, abs=1e-5)
    findings = {g: sorted((f["rule"], f["subject"]) for f in groups[g]["findings"]) for g in groups}
    assert findings["resolution"] == [("JM101", "van-breaks-down")]  # no recovery designed
    assert findings["time"] == [("JM202", "delivered-within-a-day")]  # a late promise
    assert findings["people"] == [("JM302", "delivered")]  # asked again
    assert groups["product"]["failures"] == [
        {"touchpoint": "choose", "id": "window-not-shown-for-the-address", "declared": True}]
    assert groups["resolution"]["failures"] == [
        {"touchpoint": "choose", "id": "site-times-out", "declared": False}]
    assert groups["unassigned"]["failures"][0]["id"] == "van-breaks-down"
    # the waiting at `wait` is time; its frustration is people; choose's effort is product
    assert dict((t["id"], t["friction"]) for t in groups["time"]["touchpoints"])["wait"] > 0
    assert "wait" in [t["id"] for t in groups["people"]["touchpoints"]]
    assert "choose" in [t["id"] for t in groups["product"]["touchpoints"]]


def test_choose_failure_friction_splits_by_share() -> None:
    journey = validate_file(FACTORS).journey
    analysis = analyse(journey)
    parts = {g.factor: dict(g.touchpoints) for g in analysis.factors}
    failure = next(s for s in analysis.friction.touchpoints if s.touchpoint == "choose").components["failure"]
    traffic = next(s for s in analysis.friction.touchpoints if s.touchpoint == "choose").traffic
    loop = next(s for s in analysis.friction.touchpoints if s.touchpoint == "choose").components["loop"]
    # two failures of 10% each: half the failure friction to product, half (and the loop back
    # to choose again) to resolution
    assert parts["resolution"]["choose"] == pytest.approx((failure / 2 + loop) * traffic, abs=1e-9)
    effort = next(s for s in analysis.friction.touchpoints if s.touchpoint == "choose").components["effort"]
    assert parts["product"]["choose"] == pytest.approx((effort + failure / 2) * traffic, abs=1e-9)


def test_a_hotspot_takes_the_factor_of_its_largest_component(tmp_path: Path) -> None:
    config = tmp_path / "journeymap.toml"
    config.write_text("hotspot-threshold = 0.5\n", "utf-8")
    [journey] = json_report("--config", str(config), FACTORS)["journeys"]
    where = {(f["rule"], f["subject"]): g["factor"] for g in journey["factors"] for f in g["findings"]}
    assert where[("JM301", "wait")] in ("time", "people")
    components = next(t for t in journey["friction"]["touchpoints"] if t["id"] == "wait")["components"]
    largest = max(components, key=components.get)
    assert where[("JM301", "wait")] == {"waiting": "time", "emotion": "people"}[largest]


def test_the_terminal_report_shows_factors_and_evidence() -> None:
    out = runner.invoke(app, ["report", str(HERE / "journey.yaml"), "--evidence",
                              str(HERE / "survey-bom.csv")], catch_exceptions=False).stdout
    header = next(line for line in out.splitlines() if line.startswith("Touchpoint"))
    assert header.rstrip().endswith("Evidence")
    rows = [line.split()[-1] for line in out.split("Emotion:")[0].splitlines()[-6:]]
    assert rows[:5] == ["82%±4", "n=400", "+45±10", "n=200", "(thin)"], rows
    assert "CSAT 82% ± 3.7 (78.5%–85.9%, n = 400) · post-call survey · 2025-Q3" in out
    assert "By factor" in out
    plain = runner.invoke(app, ["report", FACTORS], catch_exceptions=False).stdout
    assert "Evidence" not in plain.split("Emotion:")[0]  # no evidence, no column


def test_the_html_report_lists_evidence_with_flags_and_escapes_it(tmp_path: Path) -> None:
    text = (HERE / "journey.yaml").read_text("utf-8").replace(
        "        emotion: pleased\n", "        emotion: pleased\n        evidence:\n"
        "          - metric: csat\n            source: <script>alert(1)</script>\n"
        "            responses: 300\n            satisfied: 120\n")
    path = tmp_path / "j.yaml"
    path.write_text(text, "utf-8")
    analysis = analyse(validate_file(str(path)).journey)
    page = report_html(analysis, "<svg></svg>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    section = page.split('<section id="evidence">')[1].split("</section>")[0]
    assert "CSAT 40% ± 5.5" in section and "34.6%–45.6%" in section and "JM402" in section
    factors = page.split('<section id="factors">')[1].split("</section>")[0]
    assert all(f"<td>{name}</td>" in factors for name in ("product", "people", "time", "resolution"))


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("dot") is None,
                    reason="needs chromium and dot")
def test_the_html_report_in_chromium(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["render", "journeys/fridge-delivery.yaml", "--format", "html", "-o",
                                 str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking", f"--user-data-dir={tmp_path / 'p'}",
                          "--dump-dom", out.resolve().as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    evidence = dom.split('id="evidence"')[1].split("</section>")[0]
    assert "CSAT" in evidence and "n" in evidence and "±" in evidence
    assert 'id="factors"' in dom


ARABIC_SOURCE = "استبيان ما بعد الاتصال"
ARABIC_PERIOD = "الربع الثالث 2025"


def test_arabic_evidence_comes_through_every_output(tmp_path: Path) -> None:
    """Arabic text (right to left) in a journey's evidence and in a CSV, through JSON, the
    terminal report and the HTML report, letter for letter."""
    text = (Path("journeys") / "ar-bank-card-replacement.yaml").read_text("utf-8").replace(
        "        asks: [رمز التحقق]\n",
        "        asks: [رمز التحقق]\n        evidence:\n          - metric: csat\n"
        f"            source: {ARABIC_SOURCE}\n            period: {ARABIC_PERIOD}\n"
        "            responses: 320\n            satisfied: 250\n", 1)
    path = tmp_path / "ar.yaml"
    path.write_text(text, "utf-8")
    csv = tmp_path / "ar.csv"
    csv.write_text("touchpoint,metric,responses,satisfied,source\n"
                   f"طلب-بطاقة-بديلة,csat,90,81,{ARABIC_SOURCE}\n", "utf-8")
    [journey] = json_report("--evidence", str(csv), str(path))["journeys"]
    assert [(e["touchpoint"], e["source"], e["period"]) for e in journey["evidence"]] == [
        ("إيقاف-البطاقة-في-التطبيق", ARABIC_SOURCE, ARABIC_PERIOD),
        ("طلب-بطاقة-بديلة", ARABIC_SOURCE, None)]
    out = runner.invoke(app, ["report", "--evidence", str(csv), str(path)], catch_exceptions=False).stdout
    words = " ".join(out.split())  # the terminal wraps long lines
    assert ARABIC_SOURCE in words and ARABIC_PERIOD in words
    page = report_html(analyse(validate_file(str(path)).journey), "<svg></svg>")
    assert f"<td>{ARABIC_SOURCE}</td>" in page and 'dir="rtl"' in page


def test_accept_on_a_touchpoint_covers_its_evidence_findings(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text((HERE / "journey.yaml").read_text("utf-8").replace(
        "        emotion: pleased\n", "        emotion: pleased\n        accept:\n"
        "          - rule: JM401\n            reason: a pilot survey; the full one runs in Q4\n"
        "        evidence:\n          - metric: csat\n            responses: 12\n            satisfied: 11\n"), "utf-8")
    from journeymap.check import check_file

    assert check_file(str(path)).findings == ()
    [journey] = json_report(str(path))["journeys"]
    assert journey["evidence"][0]["flags"] == [] and journey["evidence"][0]["n"] == 12


def test_control_characters_in_evidence_text_stay_escaped(tmp_path: Path) -> None:
    csv = tmp_path / "e.csv"
    csv.write_text('touchpoint,metric,responses,satisfied,source\n'
                   'visit,csat,90,81,"two\nlines \x1b[31mred"\n', "utf-8")
    out = runner.invoke(app, ["report", "--evidence", str(csv), str(HERE / "journey.yaml")],
                        catch_exceptions=False).stdout
    assert "\x1b" not in out and "\\x1b[31mred" in out and "two\\nlines" in out
