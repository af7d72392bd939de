"""render --observed: the map and the HTML report show a simulated log's figures beside the declared
ones, flag a share the log contradicts, and keep right-to-left journeys right (real dot, real DuckDB)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.check import validate_file
from journeymap.observe.command import Options as ObserveOptions, observe
from journeymap.observe.words import interval, pct
from journeymap.render import Options, render_file
from journeymap.render.mapview.words import RLM, TABLE, Words
from journeymap.render.output import RenderError

from observe_helpers import REPO, drawn, write

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
SVG = "{http://www.w3.org/2000/svg}"
COMPLAINT = REPO / "journeys" / "complaint-eight-weeks.yaml"
BOUNCE = "share: 5%, to: reference-by-sms"


def load_path(path: Path):
    from journeymap.observe.declared import declared

    journey = validate_file(str(path)).journey
    assert journey is not None
    return journey, declared(journey)


@pytest.fixture(scope="module")
def changed_log(tmp_path_factory) -> str:
    """A log drawn from the complaint journey with one failure's share at 20% instead of 5%."""
    folder = tmp_path_factory.mktemp("views")
    changed = folder / "changed.yaml"
    changed.write_text(COMPLAINT.read_text("utf-8").replace(BOUNCE, "share: 20%, to: reference-by-sms"),
                       "utf-8")
    _, decl = load_path(changed)
    return write(drawn(decl, 4_000, seed=11), decl, folder / "events.parquet")


@pytest.fixture(scope="module")
def compared(changed_log):
    journey = validate_file(str(COMPLAINT)).journey
    return observe(journey, [changed_log], ObserveOptions())


def texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_map_shows_the_observed_figures_beside_the_declared(changed_log, compared):
    svg = render_file(str(COMPLAINT), "svg", options=Options(events=(changed_log,))).data
    lines = texts(svg)
    page = " ".join(lines)
    assert f"observed: {compared.observed.cases:,} cases, fitness {compared.fitness * 100:.1f}%" in page
    assert re.search(r"\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d", page)
    for t in compared.touchpoints:
        assert f"{t.per_case:.2f} visits per case · declared {t.declared_traffic:.2f}" in page
    for p in compared.promises:
        assert f"kept in time {pct(p.observed.share)} {interval(p.observed)} · declared {pct(p.declared)}" in page
    # the changed failure is flagged; a declared share inside its interval is not
    flagged = [m for m in compared.moves if m.flagged]  # the failure and the way on that it leaves
    assert sorted(m.declared_share for m in flagged) == [0.05, 0.95]
    assert len({m.source for m in flagged}) == 1
    bounce = next(m for m in flagged if m.declared_share == 0.05)
    assert abs(bounce.observed.share - 0.2) < 0.03
    shown = f"declared 5.0% · observed {pct(bounce.observed.share)} {interval(bounce.observed)}"
    assert shown.split(" · ")[1] in page  # the text may wrap after "·"
    marks = [line for line in lines if line.strip() == "!" or line.startswith("!")]
    assert marks, "a flagged move is marked"
    kept = next(m for m in compared.moves if m.declared_share and not m.flagged and m.observed)
    assert f"observed {pct(kept.observed.share)} {interval(kept.observed)}" in page


def test_without_a_log_the_map_has_no_observed_lane(compared):
    svg = render_file(str(COMPLAINT), "svg").data
    assert "visits per case" not in " ".join(texts(svg))


def test_the_html_report_has_a_table_of_observed_and_declared(changed_log, compared):
    page = render_file(str(COMPLAINT), "html", options=Options(events=(changed_log,))).data.decode()
    section = page.split('<section id="observed">')[1].split("</section>")[0]
    assert "<table>" in section and "Declared share" in section and "Observed share" in section
    rows = re.findall(r"<tr>(.*?)</tr>", section)
    flagged = [r for r in rows if 'class="flag"' in r]
    bounce = next(m for m in compared.moves if m.flagged and m.declared_share == 0.05)
    assert len(flagged) == 2
    assert any(pct(bounce.observed.share) in r and interval(bounce.observed) in r for r in flagged)
    assert f"{compared.observed.cases:,} cases" in section
    # the map in the page carries the lane too
    assert "visits per case" in page.split('<figure')[1]


def test_a_right_to_left_journey_keeps_its_observed_lane_right_to_left(tmp_path):
    path = REPO / "journeys" / "ar-bank-card-replacement.yaml"
    journey, decl = load_path(path)
    log = write(drawn(decl, 500, seed=5), decl, tmp_path / "ar.csv")
    root = ET.fromstring(render_file(str(path), "svg", options=Options(events=(log,))).data)
    visits = Words("ar")["visits per case"]  # the lane speaks the journey's language
    cells = [t for t in root.iter(f"{SVG}text") if visits in "".join(t.itertext())]
    assert len(cells) == len(journey.touchpoints)
    assert all("".join(t.itertext()).startswith(RLM) for t in cells)
    xs = [float(t.get("x")) for t in cells]
    assert xs == sorted(xs, reverse=True) and len(set(xs)) == len(xs)  # first touchpoint rightmost


OBSERVED_KEYS = ("visits per case", "declared", "seen", "median", "kept in time", "fitness",
                 "flag note")


@pytest.mark.parametrize("name, lang", [("lv-internet-connection.yaml", "lv"),
                                        ("th-online-return.yaml", "th")])
def test_the_observed_lane_speaks_the_journeys_language(tmp_path, name, lang):
    path = REPO / "journeys" / name
    journey, decl = load_path(path)
    assert journey.lang == lang
    sim = drawn(decl, 600, seed=9)
    log = write(sim, decl, tmp_path / "events.parquet")
    w = Words(lang)
    page = " ".join(texts(render_file(str(path), "svg", options=Options(events=(log,))).data))
    for key in OBSERVED_KEYS:
        assert w[key] != TABLE[key][0] and w[key] in page, key
    # the English phrases are gone: only the figures, arrows and p90 are shared
    for english in ("visits per case", "declared", "observed", "median", "kept in time", "cases"):
        assert english not in page, english
    assert f"{w['seen']}: 600 {w['cases']}, {w['fitness']} 100.0%" in page


def test_an_unreadable_log_is_a_render_error(tmp_path):
    bad = tmp_path / "events.csv"
    bad.write_text("", "utf-8")
    with pytest.raises(RenderError, match="--observed: the event log is empty"):
        render_file(str(COMPLAINT), "svg", options=Options(events=(str(bad),)))


# -- from the command line ------------------------------------------------------------------------


def run(*args: str):
    from typer.testing import CliRunner

    from journeymap.cli import app

    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def renamed_log(tmp_path_factory) -> tuple[str, str]:
    """A log written by `simulate` (seeded), and the same rows under other column names."""
    folder = tmp_path_factory.mktemp("renamed")
    log = folder / "events.csv"
    assert run("simulate", str(COMPLAINT), "-n", "400", "--seed", "8", "-o", str(log)).exit_code == 0
    _, *rows = log.read_text("utf-8").splitlines()
    named = folder / "named.csv"
    named.write_text("\n".join(["ticket,step,at,channel,owner", *rows]) + "\n", "utf-8")
    return str(log), str(named)


COLUMNS = ("--case-column", "ticket", "--activity-column", "step", "--timestamp-column", "at")


def test_render_observed_writes_the_figures_and_refuses_a_bad_log(tmp_path, renamed_log):
    log, named = renamed_log
    target = tmp_path / "map.svg"
    result = run("render", str(COMPLAINT), "--observed", named, *COLUMNS, "-o", str(target))
    assert result.exit_code == 0, result.output
    page = " ".join(texts(target.read_bytes()))
    assert "observed: 400 cases" in page and "visits per case · declared" in page
    html_out = tmp_path / "report.html"
    assert run("render", str(COMPLAINT), "-f", "html", "--observed", log, "-o", str(html_out)).exit_code == 0
    assert '<section id="observed">' in html_out.read_text("utf-8")
    # without the column names the renamed log has no case column: a usage error, the map kept
    bad = run("render", str(COMPLAINT), "--observed", named, "-o", str(target))
    assert bad.exit_code == 2 and "no case column" in bad.stderr and "Traceback" not in bad.output
    assert "observed: 400 cases" in " ".join(texts(target.read_bytes()))


def test_check_and_report_take_the_observe_column_options(renamed_log):
    log, named = renamed_log
    base = run("check", "--observed", log, "--format", "json", str(COMPLAINT))
    custom = run("check", "--observed", named, *COLUMNS, "--format", "json", str(COMPLAINT))
    assert base.exit_code == custom.exit_code == 0
    assert json.loads(custom.stdout)["journeys"][0]["findings"] == json.loads(base.stdout)["journeys"][0]["findings"]
    assert run("check", "--observed", named, "--format", "json", str(COMPLAINT)).exit_code == 2
    report = run("report", "--observed", named, *COLUMNS, "--format", "json", str(COMPLAINT))
    assert report.exit_code == 0
    assert json.loads(report.stdout)["journeys"][0]["observed"]["log"]["columns"]["case"] == "ticket"


def test_the_flow_view_puts_the_observed_share_under_the_declared(changed_log, compared):
    svg = render_file(str(COMPLAINT), "svg", options=Options(view="flow", events=(changed_log,))).data
    page = " ".join(texts(svg))
    bounce = next(m for m in compared.moves if m.flagged and m.declared_share == 0.05)
    assert f"! observed {pct(bounce.observed.share)} {interval(bounce.observed)}" in page
    calm = next(m for m in compared.moves if 0 < (m.declared_share or 0) < 0.99 and not m.flagged and m.observed
                and m.source != bounce.source)
    assert f"observed {pct(calm.observed.share)} {interval(calm.observed)}" in page
    assert page.count("! observed") == 2  # the failure and the flow it leaves
    assert "observed" not in " ".join(texts(render_file(str(COMPLAINT), "svg",
                                                         options=Options(view="flow")).data))
