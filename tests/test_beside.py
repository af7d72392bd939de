"""A large journey's promises evaluated in a forked child while friction is scored
(journeymap/analysis/beside.py): the same analysis as alone, a failing child replaced by this
process, the child reaped on every way out, and no fork where the cores are taken."""

from __future__ import annotations

import os

import pytest
import yaml

from journeymap.analysis import analyse as analyse_module, beside
from journeymap.analysis.analyse import analyse
from journeymap.analysis.synthetic import synthetic_document
from journeymap.graph import build_graph

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child")


@pytest.fixture
def timed(journey):
    """A looped journey of 400 touchpoints with two timed promises and an untimed one."""
    return journey(yaml.safe_dump(synthetic_document(400), allow_unicode=True))


@pytest.fixture
def forks(monkeypatch):
    """Count the forks made (in this process), with any journey large enough for one."""
    made = []
    real = os.fork

    def fork():
        made.append(1)
        return real()

    monkeypatch.setattr(beside, "BESIDE_FROM", 1)
    monkeypatch.setattr(beside.os, "fork", fork)
    return made


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def same(a, b) -> None:
    assert a.promises == b.promises
    assert a.findings == b.findings
    assert [(f.touchpoint, f.friction) for f in a.friction.touchpoints] == \
        [(f.touchpoint, f.friction) for f in b.friction.touchpoints]


def test_the_child_gives_the_same_analysis(timed, forks) -> None:
    alone = analyse(timed)
    assert forks == []  # one core unless a caller gives more
    with beside.cores(2):
        shared = analyse(timed)
    assert forks == [1]
    same(shared, alone)
    assert [p.promise for p in shared.promises] == ["p0", "p1", "p2"]
    assert any(p.within_seconds for p in shared.promises)
    assert no_children_left()


def test_a_failing_child_costs_only_time(timed, forks, monkeypatch) -> None:
    alone = analyse(timed)
    parent = os.getpid()
    from journeymap.analysis import promises

    real = promises.evaluate_promises

    def fails_in_the_child(jg):
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return real(jg)

    monkeypatch.setattr(promises, "evaluate_promises", fails_in_the_child)
    asked = []
    monkeypatch.setattr(analyse_module, "evaluate_promises",
                        lambda jg: asked.append(1) or real(jg))
    with beside.cores(2):
        shared = analyse(timed)
    assert forks == [1] and asked == [1]  # the child failed: evaluated here instead
    same(shared, alone)
    assert no_children_left()


def test_the_child_is_ended_and_reaped_when_the_analysis_stops(timed, forks, monkeypatch) -> None:
    def interrupted(jg, config):
        raise KeyboardInterrupt

    monkeypatch.setattr(analyse_module, "score_friction", interrupted)
    with beside.cores(2), pytest.raises(KeyboardInterrupt):
        analyse(timed)
    assert forks == [1]
    assert no_children_left()


def test_no_fork_without_a_timed_promise_or_below_the_size(journey, forks, monkeypatch) -> None:
    doc = synthetic_document(400)
    for p in doc["promises"]:
        p.pop("within", None)
    with beside.cores(2):
        analyse(journey(yaml.safe_dump(doc)))
    assert forks == []
    monkeypatch.setattr(beside, "BESIDE_FROM", 10_000)
    with beside.cores(2):
        assert beside.promises_beside(build_graph(journey(yaml.safe_dump(synthetic_document(400))))) is None
    assert forks == []


@pytest.mark.parametrize("files, jobs, expected", [
    (["a.yaml"], None, "all"), (["a.yaml"], 2, 2), (["a.yaml"], 1, 1), (["a.yaml", "b.yaml"], None, 1),
    (["a.yaml", "b.yaml"], 1, 1)])
def test_one_file_in_this_process_may_use_the_cores(files, jobs, expected) -> None:
    from journeymap.pipeline import _spare_cores, default_jobs

    with _spare_cores(files, jobs):
        assert beside._cores == (default_jobs() if expected == "all" else expected)
    assert beside._cores == 1


def test_report_of_a_large_timed_journey_is_the_same_on_one_core_and_two(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from journeymap.cli import app

    monkeypatch.setattr(beside, "BESIDE_FROM", 1)
    path = tmp_path / "large.yaml"
    path.write_text(yaml.safe_dump(synthetic_document(400)), encoding="utf-8")
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}.json"
        done = runner.invoke(app, ["report", "--jobs", jobs, "--format", "json", str(path), "-o", str(out)])
        assert done.exit_code == 0, done.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"p1"' in outputs[0]
    assert no_children_left()
