"""Peak memory of the outputs of a large journey (issue 10, "Memory"): an output is built with
little more memory than its own size, not several copies of it. Measured with tracemalloc, which
counts what Python allocates, so the figures do not depend on the machine."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from render_fakes import fake_analysis

from journeymap.analysis.analyse import JourneyReport, ReportRun
from journeymap.analysis.synthetic import synthetic_document
from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.model import Journey
from journeymap.render import Options, render_map
from journeymap.report.analysis_json import render as report_json


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Journey:
    doc = synthetic_document(3000)
    doc.pop("promises")
    doc["stages"][0]["touchpoints"][0]["name"] = "خطوة أولى"  # one non-Latin name, as in real maps
    path = Path(tmp_path_factory.mktemp("large")) / "large.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    journey = validate_file(str(path)).journey
    assert journey is not None
    return journey


def peak_while(make):
    """(result, peak bytes allocated while making it, beyond what was allocated before)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        return result, tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_dot_source_is_built_in_little_more_than_its_own_size(large: Journey) -> None:
    analysis, jg = fake_analysis(large), build_graph(large)
    data, peak = peak_while(lambda: render_map(analysis, "dot", jg, options=Options(view="flow")))
    assert data.startswith(b"digraph journey {") and "خطوة أولى".encode() in data
    # Lines, then one string (two bytes a character once a name is not Latin), then its UTF-8
    # copy took about 5 times the output; the bytes are now written as they are made.
    assert peak < 2.5 * len(data), (peak, len(data))


@pytest.mark.parametrize("pretty", [False, True])
def test_report_json_is_built_in_little_more_than_its_own_size(large: Journey, pretty: bool) -> None:
    from journeymap.analysis.analyse import analyse

    analysis = analyse(large)
    run = ReportRun((JourneyReport("large.yaml", "large", (), analysis),))
    text, peak = peak_while(lambda: report_json(run, pretty=pretty))
    assert text.startswith('{\n  "journeys"' if pretty else '{"journeys":[{"file":') and '"t2999"' in text
    # The text, and one touchpoint's dict at a time; all the dicts and json.dumps's list of every
    # piece of the text made it 7.7×.
    assert peak < 2.5 * len(text.encode()), (peak, len(text.encode()))


def test_the_streamed_report_is_the_text_json_dumps_writes(large: Journey) -> None:
    import json

    from journeymap.analysis.analyse import analyse
    from journeymap.report.analysis_json import journey_dict
    from journeymap.report.json_stream import Lazy, dumps

    run = ReportRun((JourneyReport("لا.yaml", "large", (), analyse(large)),
                     JourneyReport("broken.yaml", None, ())))
    eager = {"journeys": [journey_dict(r) for r in run.journeys]}
    compact = json.dumps(eager, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    assert report_json(run) == compact and compact.count("\n") == 1
    pretty = json.dumps(eager, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    assert report_json(run, pretty=True) == pretty
    odd = {"a": [], "b": {}, "c": [None, True, False, 0, -1.5, 1e-300, "\u2028\"\\\n"], "d": [[{}]]}
    assert dumps(odd, pretty=True) == json.dumps(odd, ensure_ascii=False, indent=2) + "\n"
    assert dumps(odd) == json.dumps(odd, ensure_ascii=False, separators=(",", ":")) + "\n"
    # Lazy lists inside lists and dicts, at any depth, come out as the lists they stand for
    nested = {"a": Lazy([1, 2], lambda i: {"b": Lazy(range(i), lambda j: [j, {"c": "لا"}]), "d": []})}
    plain = {"a": [{"b": [[j, {"c": "لا"}] for j in range(i)], "d": []} for i in (1, 2)]}
    for pretty in (False, True):
        assert dumps(nested, pretty) == dumps(plain, pretty)
        with pytest.raises(ValueError):
            dumps({"x": Lazy([1], lambda i: float("nan"))}, pretty)
        with pytest.raises(TypeError):
            dumps({"x": Lazy([1], lambda i: object())}, pretty)


def test_the_loaded_tree_shares_repeated_texts_and_line_numbers() -> None:
    from journeymap.loader import load_text

    text = "".join(f"- name: Step {i}\n  channel: web\n  owner: Billing team\n" for i in range(400, 403))
    items = load_text(text, "f.yaml").root.value
    keys = [k.value for item in items for k, _ in item.value]
    channels = [v.value for item in items for k, v in item.value if k.value == "channel"]
    assert all(k is keys[0] for k in keys[::3]) and all(c is channels[0] for c in channels)
    for item in items:
        for key, value in item.value:
            assert key.line is value.line  # line 1,2xx: a number of its own, once per line


def test_key_positions_are_kept_without_a_span_object_for_each_key(journey) -> None:
    import gc

    from journeymap.model import Span

    j = journey("""
        journey: J
        stages:
          - name: S
            touchpoints:
              - name: A
                channel: web
                asks: [address]
                next: b
              - {name: B, id: b}
        promises:
          - {name: P, made_at: a, kept_at: b, within: 1d}
    """)
    tp, promise = j.touchpoints[0], j.promises[0]
    # a Span per key of every touchpoint was about half of a large journey's model
    assert not any(isinstance(o, Span) for o in gc.get_referents(tp.key_spans))
    assert tp.key_spans["next"] == Span(j.file, 9, 15) and tp.key_spans.get("asks").line == 8
    assert tp.key_spans.get("owner", tp.span) == tp.span and "channel" in tp.key_spans
    assert list(tp.key_spans) == ["name", "channel", "asks", "next"]
    assert promise.key_spans["within"].line == 12 and dict(promise.key_spans)["made_at"].column == 24


def test_the_map_view_dot_is_written_as_bytes_as_it_is_made(large: Journey) -> None:
    from journeymap.render.mapview import map_dot

    analysis, jg = fake_analysis(large), build_graph(large)
    data, peak = peak_while(lambda: render_map(analysis, "dot", jg))
    assert data == map_dot(analysis, jg).encode("utf-8")
    # The bytes, and what drawing needs on the side (about 0.4×). The map's canvas (a dict of
    # attributes per node, 3× the text) and the bytes took about 4×; lines, a string of two
    # bytes a character and its UTF-8 copy made it about 10×.
    assert peak < 1.6 * len(data), (peak, len(data))


@pytest.mark.parametrize("view", ["map", "flow"])
def test_a_map_is_written_to_its_file_as_it_is_drawn(large: Journey, tmp_path: Path, view: str) -> None:
    from journeymap.render.maps import write_dot

    analysis, jg = fake_analysis(large), build_graph(large)
    whole = render_map(analysis, "dot", jg, options=Options(view=view))
    path = tmp_path / f"{view}.dot"
    with path.open("wb") as out:
        _, peak = peak_while(lambda: write_dot(analysis, out, jg, Options(view=view)))
    assert path.read_bytes() == whole
    # Nothing of the text is held but the map view's lines (a tenth of it: DOT lists them after
    # every node), and neither the lanes' items nor the emotion curve is held whole (about
    # 0.37× for the map, 0.33× for the flow view, most of it the marks and the layout's
    # positions); the map's text held whole, with its lanes' items, was 1.13×.
    assert peak < 0.5 * len(whole), (peak, len(whole))


@pytest.mark.parametrize(("view", "bound"), [("map", 350), ("flow", 60)])
def test_drawing_a_map_holds_a_few_bytes_a_touchpoint_beside_its_text(
        large: Journey, monkeypatch: pytest.MonkeyPatch, view: str, bound: int) -> None:
    """With the real analysis (every touchpoint scored, an emotion on each, a long main path):
    what drawing holds beside the text it writes, in bytes a touchpoint."""
    from journeymap.analysis.analyse import analyse
    from journeymap.render.mapview import canvas
    from journeymap.render.maps import write_dot

    class Sink(io.RawIOBase):
        size = 0

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            self.size += len(data)
            return len(data)

    monkeypatch.setattr(canvas._Held, "SPILL", 2**16)  # the lines DOT lists last: to a file soon
    jg = build_graph(large)
    analysis = analyse(large, jg=jg)
    sink = Sink()
    _, peak = peak_while(lambda: write_dot(analysis, sink, jg, Options(view=view)))
    assert sink.size == len(render_map(analysis, "dot", jg, options=Options(view=view)))
    n = len(large.touchpoints)
    # The emotion curve's points and names in dicts by id, and its points and segments in lists;
    # the traffic, the columns' places and the friction scores in dicts by id: about 550 bytes a
    # touchpoint for the map view, 125 for the flow view, whose columns were lists; about 240 and
    # 30 since (arrays by position, and what is looked up found through the graph).
    assert peak / n < bound, (peak / n, view)


@pytest.mark.parametrize("pretty", [False, True])
def test_the_report_is_written_to_its_file_as_it_is_made(large: Journey, tmp_path: Path,
                                                         pretty: bool) -> None:
    from journeymap.analysis.analyse import analyse
    from journeymap.report.analysis_json import write as write_json

    analysis = analyse(large)
    assert analysis.factors  # grouped when first read: here, not while the report is written
    run = ReportRun((JourneyReport("large.yaml", "large", (), analysis),))
    path = tmp_path / "report.json"
    with path.open("wb") as out:
        _, peak = peak_while(lambda: write_json(run, out, pretty))
    data = path.read_bytes()
    assert data == report_json(run, pretty=pretty).encode("utf-8")
    # One touchpoint's dicts and some 64 KB of text at a time (0.32× compact, 0.18× pretty);
    # the text held whole was 2×, and its findings, failures and content as lists 0.8×.
    assert peak < (0.25 if pretty else 0.45) * len(data), (peak, len(data))


def kept_while(make):
    """(result, bytes still allocated once it is made, beyond what was allocated before)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        return result, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_friction_scores_keep_no_dict_of_components_per_touchpoint(large: Journey) -> None:
    from journeymap.analysis.friction import score_friction
    from journeymap.analysis.weights import COMPONENTS

    jg = build_graph(large)
    (result, _), kept = kept_while(lambda: score_friction(jg))
    scored = result.touchpoints
    assert len(scored) == len(large.touchpoints) > 3000  # the generator adds its outcomes
    first = scored[0].components
    assert list(first) == list(COMPONENTS) and dict(first.items()) == {n: first[n] for n in COMPONENTS}
    assert len(first.items()) == 8 and list(first.values()) == list(first.values())  # views, not iterators
    # The scores are made when asked for (no object, components or words kept per touchpoint:
    # so no 0.0 shared among kept tuples either, which the memory bound below now covers).
    assert scored[5] == scored[5] and scored[5] is not scored[5]
    # A dict of eight floats per touchpoint (most of them 0) kept about 1,580 bytes a touchpoint;
    # then about 1,360: the rest is the words of `why` and the finding texts.
    assert kept / len(scored) < 1450, kept / len(scored)


def test_a_map_for_standard_output_is_written_as_it_is_drawn(large: Journey, tmp_path: Path) -> None:
    from journeymap.commands.drawing import draw_one
    from journeymap.config import DEFAULT

    drawn = draw_one((large.file, "-"), "dot", DEFAULT)
    assert drawn.code == 0 and callable(drawn.data)  # `-o -`: written by `show`, in this process
    path = tmp_path / "stdout.dot"
    with path.open("wb") as out:
        _, peak = peak_while(lambda: drawn.data(out))
    data = path.read_bytes()
    assert data.startswith(b"digraph journey {") and "خطوة أولى".encode() in data
    # as into a file (the bytes held whole for standard output were 1.37× their size)
    assert peak < 0.5 * len(data), (peak, len(data))


def test_the_text_report_prints_its_findings_a_few_at_a_time(large: Journey) -> None:
    from journeymap.analysis.analyse import report_files
    from journeymap.report.terminal import render as report_text

    run = report_files([large.file])
    text, peak = peak_while(lambda: report_text(run))
    assert text.count("warning [JM") > 2000  # a line per finding, every one of them
    # rich makes every segment of a print (about 2 KB a line) before writing any: the page as one
    # print, then its text split, stripped of padding and joined, took 15× the text; a part at a
    # time, findings 200 lines at a time and the padding stripped as it is written, about 6.6×
    assert peak < 8 * len(text), (peak, len(text))


def test_validate_holds_the_journey_not_the_node_tree(tmp_path) -> None:
    from journeymap.analysis.synthetic import synthetic_document

    doc = synthetic_document(3000)
    doc.pop("promises")
    path = tmp_path / "large.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    size = path.stat().st_size
    validate_file(str(path))  # every module and cache loaded before measuring
    result, peak = peak_while(lambda: validate_file(str(path)))
    touchpoints = len(result.journey.touchpoints)
    # The whole node tree (about 3 KB a touchpoint) and the model: 26 times this file of 500 KB;
    # each stage and touchpoint is now built as soon as it is read, and its nodes let go of.
    # (Reading the file also set aside 16 MiB, whatever its size.) 5.7× while a Span was held
    # for every touchpoint id declared, until the ids were checked; 4.9× since.
    assert peak < 5.4 * size, (peak / size, size)
    # The model: 1,384 bytes a touchpoint before key positions were packed, `x-` dicts shared…;
    # 700 before a touchpoint kept its own position with its keys' and had slots only for the
    # fields it says; 560 before the keys' positions were packed a byte a number when near it;
    # about 500 since.
    _, kept = kept_while(lambda: validate_file(str(path)))
    assert kept / touchpoints < 530, kept / touchpoints


def test_a_file_is_read_without_setting_aside_the_largest_size_allowed(tmp_path) -> None:
    import io

    from journeymap.loader import MAX_BYTES, _read

    assert _read(io.BytesIO(b"x" * 100), 100) == b"x" * 100
    assert _read(io.BytesIO(b"x" * 100), 10) == b"x" * 100  # it grew since its size was asked
    assert len(_read(io.BytesIO(b"x" * (MAX_BYTES + 50)), 5)) == MAX_BYTES + 1
    assert len(_read(io.BytesIO(b"x" * (MAX_BYTES + 50)), MAX_BYTES + 50)) == MAX_BYTES + 1
    small = tmp_path / "small.yaml"
    small.write_bytes(b"x" * 1000)
    with open(small, "rb") as fh:
        data, peak = peak_while(lambda: _read(fh, 1000))
    assert data == b"x" * 1000 and peak < 10_000, peak  # `read(MAX_BYTES + 1)`: 16 MiB


def test_the_journey_graph_is_tuples_not_networkx(large: Journey) -> None:
    """The graph `check` and `report` walk: positions in tuples. The networkx graph it replaced
    (a dict of attributes per node and per edge, and a list of transitions per edge) kept about
    1,090 bytes a touchpoint; this keeps about 300, and builds networkx only when asked."""
    jg, kept = kept_while(lambda: build_graph(large))
    assert "g" not in vars(jg)  # not built on the way
    assert len(jg.ids) == len(large.touchpoints)
    assert kept / len(large.touchpoints) < 400, kept / len(large.touchpoints)


def test_check_and_report_never_import_networkx(tmp_path: Path) -> None:
    """Only whoever asks for JourneyGraph.g (the renderers) needs networkx: its import alone is
    about 17 MB and a tenth of a second."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from journeymap.check import check_file\n"
        "from journeymap.analysis.analyse import report_files\n"
        f"assert check_file({str(REPO / 'journeys' / 'insurance-claim.yaml')!r}).findings is not None\n"
        f"assert report_files([{str(REPO / 'journeys' / 'fridge-delivery.yaml')!r}]).journeys[0].analysis\n"
        "assert 'networkx' not in sys.modules, 'networkx was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_touchpoint_has_slots_only_for_what_it_says(journey) -> None:
    """Most touchpoints of a large journey say no owner, duration, outcome, next, failures…: they
    have no slot for them, and their position is packed with their keys' (a Span object and a
    KeySpans object each were 150 bytes a touchpoint)."""
    import copy
    import pickle
    import sys
    from dataclasses import FrozenInstanceError, fields, replace

    from journeymap.model import Span

    j = journey("""
        journey: J
        stages:
          - name: S
            touchpoints:
              - {name: A, channel: web, effort: 2}
              - name: B
                owner: Billing
                failures: [{name: Lost, to: a}]
    """)
    plain, noted = j.touchpoints
    assert sys.getsizeof(plain) < sys.getsizeof(noted) <= 200
    assert (plain.owner, plain.failures, plain.next, plain.workshop.notes) == (None, (), None, ())
    assert noted.owner == "Billing" and noted.failures[0].to == "a"
    assert plain.span == Span(j.file, 6, 9) and noted.span == Span(j.file, 7, 9)
    assert noted.key_spans["failures"] == Span(j.file, 9, 19)  # where its value begins
    for tp in (plain, noted):
        again = replace(tp, stage="other")
        assert again.stage == "other" and replace(again, stage=tp.stage) == tp
        assert hash(replace(again, stage=tp.stage)) == hash(tp) and again != tp
        assert dict(again.key_spans) == dict(tp.key_spans) and again.span == tp.span
        assert pickle.loads(pickle.dumps(tp)) == tp == copy.deepcopy(tp)
        assert dict(pickle.loads(pickle.dumps(tp)).key_spans) == dict(tp.key_spans)
        with pytest.raises(FrozenInstanceError):
            tp.name = "changed"  # type: ignore[misc]
    assert repr(plain).startswith("Touchpoint(id='a', name='A', stage='s', span=Span(")
    assert [f.name for f in fields(plain)][:5] == ["id", "name", "stage", "span", "channel"]


def test_key_positions_near_a_touchpoint_take_a_byte_a_number(journey) -> None:
    """A touchpoint's keys are written on the lines just after its own, before column 256: each
    key's position takes two bytes. A key further away, or further right, keeps its exact
    position (4 bytes a number), and so does a touchpoint far down a file."""
    from dataclasses import replace

    from journeymap.model import Span

    far_right = "{name: C," + " " * 300 + "channel: web}"
    j = journey("\n".join([
        "journey: J", "stages:", "  - name: S", "    touchpoints:",
        "      - name: A", "        channel: web", "        effort: 2",
        "      - name: B", "        notes: |", *[f"          line {i}" for i in range(300)],
        "        channel: phone",
        f"      - {far_right}",
    ]) + "\n")
    near, far_down, right = j.touchpoints
    assert near.span == Span(j.file, 5, 9) and dict(near.key_spans) == {  # where each value begins
        "name": Span(j.file, 5, 15), "channel": Span(j.file, 6, 18), "effort": Span(j.file, 7, 17)}
    assert len(near._at) == 5 + 2 * 3  # the line, the column, then a byte a number
    assert far_down.key_spans["channel"] == Span(j.file, 310, 18)
    assert len(far_down._at) == 8 + 8 * len(far_down.key_spans)
    column = len("      - ") + far_right.index("web") + 1
    assert right.key_spans["channel"] == Span(j.file, 311, column) and column > 256
    assert right.span == Span(j.file, 311, 9)
    assert len(right._at) == 8 + 8 * len(right.key_spans)
    for tp in (near, far_down, right):  # the same positions, however a copy is made
        assert dict(replace(tp, name="x").key_spans) == dict(tp.key_spans)
        assert replace(tp, name="x").span == tp.span


def test_a_maps_held_lines_go_to_a_temporary_file_past_a_few_megabytes(monkeypatch) -> None:
    """DOT lists a map's lines after every node: held until then, in memory up to ``SPILL``
    bytes, then in an anonymous temporary file, and given back whole and in order."""
    from journeymap.render.mapview import canvas

    monkeypatch.setattr(canvas._Held, "SPILL", 200_000)
    held = canvas._Held()
    lines = [f"  n{i} -> n{i + 1} [pos=\"{i},{i}\"];\n".encode() for i in range(40_000)]
    for line in lines[:3000]:
        held.add(line)
    assert held.file is None and held.parts  # under SPILL: in memory
    for line in lines[3000:]:
        held.add(line)
    spilled = held.file
    assert spilled is not None and not held.parts and held.held == 0
    assert b"".join(held.take()) == b"".join(lines)
    assert spilled.closed and held.file is None and b"".join(held.take()) == b""
