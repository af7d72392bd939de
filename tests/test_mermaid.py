"""Mermaid out (`export --format mermaid|mermaid-flowchart`) and in (`import`).

The real Mermaid CLI parses the exports in tests/test_mermaid_cli.py; here: what the text says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, REPO
from journeymap.check import check_file, validate_file
from journeymap.cli import app
from journeymap.mermaid.flowchart import Emphasis, emphasis_of, mermaid_flowchart
from journeymap.mermaid.importer import MermaidError, import_journey
from journeymap.mermaid.journey import mermaid_journey
from journeymap.mermaid.text import escape, unescape

MERMAID = FIXTURES / "mermaid"
EXAMPLES = sorted((REPO / "journeys").glob("*.yaml"))
PLAIN = r"(?:[^:#;%,\n]|#\d+;)+"  # text with every special character as an entity code
TASK = re.compile(rf"    {PLAIN}: [1-5](: {PLAIN})?")
runner = CliRunner()


@pytest.mark.parametrize("text", ["Title: a # b; 50% off, \"now\" <b>&</b> `x`", "a:b", "#58;",
                                  "سلام: عليكم", "ส่งพัสดุ; คืน", "Journey planning", "%% no"])
def test_escaped_text_has_no_special_character_and_unescapes_to_itself(text: str) -> None:
    escaped = escape(text)
    assert not set(re.sub(r"#\d+;", "", escaped)) & set(':;#%,"<>&`')
    assert unescape(escaped) == " ".join(text.split())


def test_control_characters_show_as_escapes_and_never_reach_the_diagram() -> None:
    assert escape("Ask\x1b[31m\x00 now\u2028::error") == "Ask\\x1b[31m\\x00 now #58;#58;error"


def test_a_name_starting_with_a_keyword_is_not_read_as_one() -> None:
    for name in ("Title page", "section two", "journey home", "accTitle x"):
        assert not escape(name).lower().startswith(("title", "section", "journey", "acctitle"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_journey_exports_a_task_per_touchpoint(path: Path) -> None:
    journey = validate_file(str(path)).journey
    assert journey is not None
    lines = mermaid_journey(journey).splitlines()
    assert lines[0] == "journey" and lines[1].startswith("  title ")
    sections = [line for line in lines if line.startswith("  section ")]
    tasks = [line for line in lines if line.startswith("    ")]
    assert [unescape(s[len("  section "):]) for s in sections] == [s.name for s in journey.stages]
    assert len(tasks) == len(journey.touchpoints)
    assert all(TASK.fullmatch(line) for line in tasks), tasks
    for line, tp in zip(tasks, journey.touchpoints):
        name, score, *actors = line.strip().split(": ")
        assert unescape(name) == tp.name and int(score) == 3 + (tp.emotion or 0)
        assert [unescape(a) for a in actors] == ([tp.owner] if tp.owner else [])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_journey_exports_its_flow_with_failures(path: Path) -> None:
    journey = validate_file(str(path)).journey
    assert journey is not None
    text = mermaid_flowchart(journey, emphasis_of(journey))
    assert text.startswith("flowchart RL" if journey.rtl else "flowchart LR")
    assert text.count("  subgraph ") == len(journey.stages)
    nodes = re.findall(r"^    (t\d+)[\[(]", text, re.M)
    assert len(nodes) == len(journey.touchpoints)
    failures = sum(len(tp.failures) for tp in journey.touchpoints)
    assert text.count("-.->") == failures


def test_the_flowchart_marks_failures_recovery_hotspots_and_ends() -> None:
    journey = validate_file(str(REPO / "journeys/technician-visit.yaml")).journey
    assert journey is not None
    text = mermaid_flowchart(journey, emphasis_of(journey))
    ids = {tp.id: f"t{n}" for n, tp in enumerate(journey.touchpoints, 1)}
    assert f'{ids["call-ahead"]} -.->|"Nobody can answer the broken line#59; technician leaves 60#37;"| ' \
           f'{ids["chase-missed-visit"]}' in text
    assert f"class {ids['call-ahead']},{ids['chase-missed-visit']} hotspot" in text
    assert f"class {ids['repair']} success" in text and f"class {ids['switch-provider']} lost" in text
    edges = [line.strip() for line in text.splitlines() if "->" in line]
    recovery = re.search(r"linkStyle ([\d,]+) stroke:#0f766e", text)
    assert recovery is not None
    styled = [edges[int(i)] for i in recovery.group(1).split(",")]
    assert f"{ids['retest-line']} --> {ids['book-visit']}" in styled  # back from the failed test


def test_a_failure_without_a_way_out_points_at_a_stranded_node(journey) -> None:
    j = journey("""
        journey: Lost parcel
        stages:
          - name: Ship
            touchpoints:
              - name: In transit
                failures: [{name: Parcel lost}]
              - name: Delivered
    """)
    text = mermaid_flowchart(j, Emphasis(marks={"delivered": "added"}))
    assert 't1 -.->|"Parcel lost"| t1x1(["stranded"])' in text
    assert "class t1x1 stranded" in text and "class t2 added" in text


@pytest.mark.parametrize("name", ["working-day.mmd", "tricky.mmd"])
def test_import_gives_a_valid_journey_and_import_export_import_is_stable(name: str, tmp_path: Path) -> None:
    first = import_journey((MERMAID / name).read_text(encoding="utf-8"), "Imported").yaml
    (tmp_path / "a.yaml").write_text(first, encoding="utf-8")
    journey = validate_file(str(tmp_path / "a.yaml")).journey
    assert journey is not None
    second = import_journey(mermaid_journey(journey), "Imported").yaml
    assert second == first


def test_import_reads_titles_scores_actors_entities_and_comments() -> None:
    imported = import_journey((MERMAID / "tricky.mmd").read_text(encoding="utf-8"), "x")
    import yaml

    doc = yaml.safe_load(imported.yaml)
    assert doc["journey"] == "Return a parcel: the long way"  # from the front matter
    stages = {s["name"]: s["touchpoints"] for s in doc["stages"]}
    assert list(stages) == ["Journey", "Ask", "Send back"]  # the empty section is left out …
    assert imported.notes == ["section `Nothing here yet` has no tasks and was left out"]  # … and said
    ask = stages["Ask"]
    assert ask[0] == {"name": "Fill in the form: reason and photo", "emotion": "frustrated",
                      "owner": "Customer"}
    assert ask[1] == {"name": "Wait", "emotion": "angry"}
    send = stages["Send back"]
    assert send[0]["id"] == "wait-2"  # a second `Wait` gets its own id
    assert send[1]["owner"] == "Customer, Courier"
    assert send[2] == {"name": "ส่งพัสดุคืน", "emotion": "pleased", "owner": "บริษัทขนส่ง"}
    assert send[3]["name"] == 'Refund "within 5 days" 100%'


@pytest.mark.parametrize("text, line, words", [
    ("graph TD\n  A-->B\n", 1, "expected `journey`"),
    ("journey\n  title x\n  section s\n    Task: 7: Me\n", 4, "whole number 1 to 5, not `7`"),
    ("journey\n  section s\n    Task without a score\n", 3, "expected a task"),
    ("journey\n  title Nothing\n", 2, "no tasks"),
    ("---\ntitle: x\njourney\n", 1, "never closed"),
    ("", 1, "no `journey` line"),
])
def test_what_import_cannot_read_is_an_error_on_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(MermaidError) as bad:
        import_journey(text, "x")
    assert bad.value.line == line and words in bad.value.message


def test_import_cli_writes_next_to_the_file_and_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "day.mmd"
    source.write_text((MERMAID / "working-day.mmd").read_text(encoding="utf-8"), encoding="utf-8")
    done = runner.invoke(app, ["import", str(source)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    written = (tmp_path / "day.yaml").read_text(encoding="utf-8")
    assert check_file(str(tmp_path / "day.yaml")).journey is not None
    again = runner.invoke(app, ["import", str(source)], catch_exceptions=False)
    assert again.exit_code == 2 and "already exists" in again.output
    assert (tmp_path / "day.yaml").read_text(encoding="utf-8") == written


def test_import_cli_bad_diagram_exits_1_with_the_line_and_missing_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mmd"
    bad.write_text("journey\n  section s\n    Task: five: Me\n", encoding="utf-8")
    done = runner.invoke(app, ["import", str(bad), "-o", "-"], catch_exceptions=False)
    assert done.exit_code == 1 and f"{bad}:3: error:" in done.output
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.mmd")], catch_exceptions=False)
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_export_cli_formats_invalid_journeys_and_missing_files(tmp_path: Path) -> None:
    path = str(REPO / "journeys/fridge-delivery.yaml")
    journey_text = runner.invoke(app, ["export", path], catch_exceptions=False)
    assert journey_text.exit_code == 0 and journey_text.output.startswith("journey\n")
    out = tmp_path / "f.mmd"
    flow = runner.invoke(app, ["export", path, "--format", "mermaid-flowchart", "-o", str(out)],
                         catch_exceptions=False)
    assert flow.exit_code == 0 and out.read_text(encoding="utf-8").startswith("flowchart LR\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("journey: x\nstages: []\n", encoding="utf-8")
    invalid = runner.invoke(app, ["export", str(broken)], catch_exceptions=False)
    assert invalid.exit_code == 1 and "[JM001]" in invalid.output and "not a valid journey" in invalid.output
    missing = runner.invoke(app, ["export", str(tmp_path / "nope.yaml")], catch_exceptions=False)
    assert missing.exit_code == 2
