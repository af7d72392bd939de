"""`journeymap render --watch`: each save re-writes the map atomically, a save that breaks the
journey leaves the old map in place, new journeys in a folder are drawn, and its own output
written next to the journeys does not set off another round."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from serve_support import Running, journey_text, save, wait_for

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_render_watch_rewrites_on_save_and_keeps_the_old_map_when_a_save_breaks(tmp_path: Path) -> None:
    walls, maps = tmp_path / "walls", tmp_path / "maps"
    walls.mkdir()
    journey = walls / "phone.yaml"
    journey.write_text(journey_text("Call the support line"), encoding="utf-8")
    run = Running(["render", "--watch", str(walls), "-o", f"{maps}/"], tmp_path)
    try:
        svg = maps / "phone.svg"
        wait_for(lambda: "Call the support line" in text_of(svg), 30, "the first map")
        wait_for(lambda: "watching 1 journey" in run.stderr(), what="the watching line")

        save(journey, journey_text("Ring the helpdesk"))
        wait_for(lambda: "Ring the helpdesk" in text_of(svg), what="the re-drawn map")
        good = svg.read_bytes()

        save(journey, journey_text("Half-typed", to="cal"))
        wait_for(lambda: "skipped" in run.stderr(), what="the broken save to be reported")
        err = run.stderr()
        assert "phone.yaml:12:17: error [JM003]" in err and "did you mean `call`?" in err
        assert svg.read_bytes() == good  # the old map, whole

        save(journey, journey_text("Phone the helpdesk"))
        wait_for(lambda: "Phone the helpdesk" in text_of(svg), what="the map after the fix")
        assert text_of(svg).rstrip().endswith("</svg>")

        save(walls / "returns.yaml", journey_text("Book a courier"))
        wait_for(lambda: "Book a courier" in text_of(maps / "returns.svg"), what="a new journey's map")
        assert sorted(p.name for p in maps.iterdir()) == ["phone.svg", "returns.svg"]  # no temp files
    finally:
        assert run.stop() == 0
    assert "Traceback" not in run.stderr()


def test_maps_written_beside_the_journeys_do_not_set_off_another_round(tmp_path: Path) -> None:
    journey = tmp_path / "walls" / "phone.yaml"
    journey.parent.mkdir()
    journey.write_text(journey_text(), encoding="utf-8")
    run = Running(["render", "--watch", str(journey), "--format", "dot"], tmp_path)
    try:
        target = journey.with_suffix(".dot")
        wait_for(lambda: "Call the support line" in text_of(target), 30, "the first map")
        save(journey, journey_text("Ring the helpdesk"))
        wait_for(lambda: "Ring the helpdesk" in text_of(target), what="the re-drawn map")
        time.sleep(1.0)  # long enough for a feedback loop to show itself
        assert run.stderr().count("wrote ") == 2
    finally:
        assert run.stop() == 0


def test_watch_cannot_write_to_standard_output(tmp_path: Path) -> None:
    (tmp_path / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    run = Running(["render", "--watch", str(tmp_path / "phone.yaml"), "-o", "-"], tmp_path)
    assert run.proc.wait(30) == 2
    assert "--watch re-writes files" in run.stderr()


def test_html_reports_in_a_folder_keep_their_index_up_to_date(tmp_path: Path) -> None:
    walls, site = tmp_path / "walls", tmp_path / "site"
    walls.mkdir()
    (walls / "phone.yaml").write_text(journey_text(), encoding="utf-8")
    run = Running(["render", "--watch", str(walls), "--format", "html", "-o", f"{site}/"], tmp_path)
    try:
        index = site / "index.html"
        wait_for(lambda: "phone.html" in text_of(index), 30, "the index of reports")
        save(walls / "returns.yaml", journey_text().replace("Fix a silent phone line", "Return a parcel"))
        wait_for(lambda: "returns.html" in text_of(index) and "Return a parcel" in text_of(index),
                 what="the new journey in the index")
        assert "Return a parcel" in text_of(site / "returns.html")
    finally:
        assert run.stop() == 0
    assert "Traceback" not in run.stderr()


def test_render_watch_with_draft_redraws_a_half_finished_wall_with_its_gap_marked(tmp_path: Path) -> None:
    walls, maps = tmp_path / "walls", tmp_path / "maps"
    walls.mkdir()
    journey = walls / "phone.yaml"
    journey.write_text(journey_text("Call the support line"), encoding="utf-8")
    run = Running(["render", "--watch", "--draft", "--view", "map", str(walls), "-o", f"{maps}/"],
                  tmp_path)
    try:
        svg = maps / "phone.svg"
        wait_for(lambda: "Call the support line" in text_of(svg), 30, "the first map")
        assert 'id="lane_steps"' in text_of(svg)  # the journey-map view
        save(journey, journey_text("Half typed", to="cal"))  # an unknown reference: a gap
        wait_for(lambda: "Half typed" in text_of(svg), what="the draft drawn, not skipped")
        assert "gap: line 12:" in text_of(svg)
    finally:
        assert run.stop() == 0
    assert "Traceback" not in run.stderr()


def test_watch_refuses_an_index_that_would_overwrite_a_report_or_a_journey(tmp_path: Path) -> None:
    # the checks `render` makes before drawing an HTML folder, and again on each round
    walls, site = tmp_path / "walls", tmp_path / "site"
    walls.mkdir()
    (walls / "index.yaml").write_text(journey_text(), encoding="utf-8")
    run = Running(["render", "--watch", str(walls), "--format", "html", "-o", f"{site}/"], tmp_path)
    try:
        assert run.proc.wait(30) == 2
    except subprocess.TimeoutExpired:
        run.stop()  # a watch that did not refuse must not outlive the test
        raise
    assert "the report" in run.stderr() and "rename that journey file" in run.stderr()
    assert not site.exists()

    (walls / "index.yaml").rename(walls / "phone.yaml")
    run = Running(["render", "--watch", str(walls), "--format", "html", "-o", f"{site}/"], tmp_path)
    try:
        wait_for(lambda: "phone.html" in text_of(site / "index.html"), 30, "the index of reports")
        (site / "index-title.html").unlink()
        (site / "index-title.html").symlink_to(walls / "phone.yaml")
        save(walls / "phone.yaml", journey_text("Ring the helpdesk"))
        wait_for(lambda: "no index written" in run.stderr(), what="the index refused")
        assert "index-title.html would overwrite the journey file" in run.stderr()
        text = (walls / "phone.yaml").read_text(encoding="utf-8")
        assert "Ring the helpdesk" in text and "<html" not in text  # the save, not an index page
    finally:
        assert run.stop() == 0
    assert "Traceback" not in run.stderr()
