"""Building each stage and touchpoint as soon as the loader has composed it (validate's path, so the
whole node tree of a large file is never held) gives exactly what building from the whole tree
gives: the same findings (rule, position, message, hint, order) and the same journey, down to key
positions and `x-` fields. Compared on every journey, fixture and corpus file of the project, the
YAML test suite's inputs, and on the shapes where building early could go wrong (aliases, merges, a
stage's id after its touchpoints, keys given twice, items that are not mappings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap import loader
from journeymap.findings import sorted_findings
from journeymap.loader import load_bytes
from journeymap.nodes import Node
from journeymap.schema import build_journey, journey_builder
from journeymap.validate import validate_bytes

REPO = Path(__file__).resolve().parent.parent


def from_the_tree(data: bytes, file: str = "j.yaml", default_id: str = "j") -> tuple[list, str]:
    """What validate gave before it built as it loaded: the whole tree, then the model."""
    loaded = load_bytes(data, file)
    if loaded.root is None and loaded.findings:
        return _shown(sorted_findings(loaded.findings)), f"{default_id} None"
    journey, journey_id, findings = build_journey(loaded.root, file, default_id)
    found = sorted_findings(loaded.findings + findings)
    if any(f.severity.value == "error" for f in found):
        journey = None
    return _shown(found), f"{journey_id} {journey!r}"


def as_loaded(data: bytes, file: str = "j.yaml") -> tuple[list, str]:
    result = validate_bytes(data, file)
    return _shown(result.findings), f"{result.journey_id} {result.journey!r}"


def _shown(findings) -> list:
    return [(f.rule, f.span.line, f.span.column, f.message, f.hint, f.subject) for f in findings]


def _files() -> list[Path]:
    ours = [p for folder in ("journeys", "tests/fixtures", "tests/corpus") for p in (REPO / folder).rglob("*.y*ml")]
    return sorted(ours) + sorted((REPO / "tests" / "data" / "yaml-test-suite").rglob("in.yaml"))


def test_every_file_of_the_project_gives_the_same_findings_and_journey() -> None:
    files = _files()
    assert len(files) > 500
    differ = [str(p) for p in files if as_loaded(p.read_bytes()) != from_the_tree(p.read_bytes())]
    assert differ == []


def test_the_pure_python_parser_too(monkeypatch) -> None:
    monkeypatch.setattr(loader, "_Parser", loader.PurePythonParser)
    files = [p for p in _files() if "yaml-test-suite" not in str(p)]
    assert [str(p) for p in files if as_loaded(p.read_bytes()) != from_the_tree(p.read_bytes())] == []


TOUCHPOINT = "{name: %s, channel: web, emotion: %s}"

SHAPES = {
    # the stage's id comes after its touchpoints: built with a provisional one, set on replay
    "stage id last": """
        journey: J
        stages:
          - touchpoints:
              - {name: A, next: b}
              - {name: B, id: b}
            name: First stage
            id: first
          - touchpoints: [{name: C}]
            name: Second
    """,
    # an anchored touchpoint used again, a merge of an anchored mapping, an alias as an item
    "anchors and aliases": """
        journey: J
        x-base: &base {channel: web, effort: 2}
        stages:
          - name: S
            touchpoints:
              - &a {name: A, emotion: -1}
              - {<<: *base, name: B}
              - *a
          - name: T
            touchpoints:
              - {<<: [*base, {owner: X}], name: C, effort: 9}
    """,
    # an alias to a stage already built: the loader reads the file again as a tree
    "alias to a built stage": """
        journey: J
        stages:
          - &s
            name: S
            touchpoints: [{name: A}]
          - *s
    """,
    "alias to a built touchpoint list": """
        journey: J
        stages:
          - name: S
            touchpoints: &tps [{name: A}, {name: B, emotion: happy}]
          - {name: T, touchpoints: *tps}
        x-copy: *tps
    """,
    "alias to the stages": """
        journey: J
        stages: &all
          - {name: S, touchpoints: [{name: A}]}
        x-all: *all
    """,
    # keys given twice: the first is the one read (and built), the second a JM002
    "keys given twice": """
        journey: J
        stages:
          - name: S
            touchpoints: [{name: A}]
            touchpoints: [{name: Z, emotion: 7}]
        stages:
          - {name: U, touchpoints: [{name: Y}]}
    """,
    # items that are not mappings, and names that slug to nothing: touchpoint-N counts them all
    "odd items": """
        journey: J
        stages:
          - just text
          - name: S
            touchpoints:
              - "!!!"
              - {name: "!!!"}
              - [a list]
              - {name: "🙂", next: touchpoint-4}
              -
              - {emotion: 1}
          - name: S
            touchpoints: []
          - name: T
            touchpoints: {name: not a list}
          - name: U
            touchpoints:
          - {name: V, touchpoints: [{name: "?"}], accept: [JM102]}
    """,
    "merged stages": """
        journey: J
        x-more: &more
          stages: [{name: M, touchpoints: [{name: A}]}]
        <<: *more
    """,
    "quoted and tagged keys": """
        journey: J
        "stages":
          - {"name": S, !!str touchpoints: [{name: A, failures: [{name: F, to: nowhere}]}]}
          - {name: S, touchpoints: [{name: A, x-team: {a: [1, .inf]}}]}
    """,
    "promises and everything after the stages": """
        journey: J
        stages:
          - name: S
            touchpoints:
              - {name: A, duration: 2h, evidence: [{metric: csat, responses: 10, satisfied: 12}]}
              - {name: B, id: b, wait: 1d, failures: [{name: F, share: 0.6}, {name: G, share: 0.5}]}
        promises:
          - {name: P, made_at: a, kept_at: b, within: 1d}
          - {name: Q, made_at: A, kept_at: zz}
        accept: [{rule: JM201, reason: known}]
        personas: [Someone]
        id: later
    """,
    "a syntax error after many stages": "journey: J\nstages:\n" + "".join(
        f"  - {{name: S{i}, touchpoints: [{TOUCHPOINT % (f'T{i}', 'happy')}]}}\n" for i in range(50))
        + "  - {name: broken\n",
    "too many values": "journey: J\nstages:\n" + "  - {name: S, touchpoints: [{name: A}]}\n" * 10,
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_gives_the_same_findings_and_journey(name: str) -> None:
    import textwrap

    data = textwrap.dedent(SHAPES[name]).encode()
    assert as_loaded(data) == from_the_tree(data)


def test_too_many_values_is_still_found(monkeypatch) -> None:
    monkeypatch.setattr(loader, "MAX_NODES", 40)
    data = SHAPES["too many values"].encode()
    assert as_loaded(data) == from_the_tree(data)
    assert "expands to more than 40 values" in as_loaded(data)[0][0][3]


def test_countless_broken_touchpoints_give_the_same_findings() -> None:
    # past the findings the builder holds while loading, it reads the file again as a tree
    data = ("journey: J\nstages:\n  - name: S\n    touchpoints:\n"
            + "      - {name: A, emotion: happy, effort: 9}\n" * 3000).encode()
    shown, _ = as_loaded(data)
    assert len(shown) > 6000 and (shown, "j None") == from_the_tree(data)


def test_the_tree_keeps_no_node_of_a_built_stage_or_touchpoint() -> None:
    text = "journey: J\nstages:\n" + "".join(
        f"  - name: S{i}\n    touchpoints:\n" + "".join(f"      - {{name: T{i}-{j}}}\n" for j in range(3))
        for i in range(4))
    builder = journey_builder("j.yaml")
    loaded = load_bytes(text.encode(), "j.yaml", builder)
    stages = dict((k.value, v) for k, v in loaded.root.value)["stages"]
    assert len(stages.value) == 4 and not any(isinstance(s, Node) for s in stages.value)
    journey, _, findings = build_journey(loaded.root, "j.yaml", "j", builder)
    assert findings == [] and [tp.id for tp in journey.touchpoints][-1] == "t3-2"
    assert {tp.stage for tp in journey.touchpoints} == {"s0", "s1", "s2", "s3"}


def test_a_large_file_is_parsed_from_the_file_with_the_same_results(monkeypatch, tmp_path) -> None:
    from journeymap.validate import validate_file

    monkeypatch.setattr(loader, "PARSE_FROM_FILE", 0)  # every file, however small
    opened = []
    monkeypatch.setattr(loader._FromFile, "read", lambda self, size: opened.append(1) or self.fh.read(size))
    files = [p for p in _files() if "yaml-test-suite" not in str(p)] + [
        tmp_path / f"shape-{i}.yaml" for i in range(len(SHAPES))]
    import textwrap

    for i, name in enumerate(sorted(SHAPES)):
        (tmp_path / f"shape-{i}.yaml").write_text(textwrap.dedent(SHAPES[name]), encoding="utf-8")
    from journeymap.values import slug

    differ = []
    for path in files:
        result = validate_file(str(path))
        shown = (_shown(result.findings), f"{result.journey_id} {result.journey!r}")
        if shown != from_the_tree(path.read_bytes(), str(path), slug(path.stem) or "journey"):
            differ.append(str(path))
    assert opened and differ == []


def test_a_file_changed_while_it_is_parsed_is_read_again(monkeypatch, tmp_path) -> None:
    from journeymap.validate import validate_file

    path = tmp_path / "j.yaml"
    path.write_text("journey: J\nstages:\n  - {name: S, touchpoints: [{name: A}]}\n", encoding="utf-8")
    monkeypatch.setattr(loader, "PARSE_FROM_FILE", 0)
    real_init = loader._FromFile.__init__

    def edited_meanwhile(self, fh, digest):
        path.write_text("journey: J\nstages:\n  - {name: S, touchpoints: [{name: B, emotion: 9}]}\n",
                        encoding="utf-8")
        real_init(self, fh, digest)

    monkeypatch.setattr(loader._FromFile, "__init__", edited_meanwhile)
    result = validate_file(str(path))
    # what was read the second time, checked and parsed as a whole; nothing of the first read
    assert [f.message for f in result.findings] == [
        "stages[1].touchpoints[1].emotion: emotion `9` is outside -2 … 2"]
