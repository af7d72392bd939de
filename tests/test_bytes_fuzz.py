"""Byte-level fuzzing of the loader and the whole check pipeline.

One property, :func:`one_input`: any bytes in a journey file give findings, never an exception;
every finding names a known rule at a line and column inside the file; every reporter renders the
result, and the machine formats parse.

In CI, hypothesis feeds it random bytes and byte-level mutations of real journeys (the examples,
fixtures and the bad-input corpus), a fixed number of examples (JOURNEYMAP_FUZZ_EXAMPLES, 300).
For a longer, coverage-guided run with atheris (``pip install atheris``; see docs/fuzzing.md):

    .venv/bin/python tests/test_bytes_fuzz.py -max_total_time=600 -print_final_stats=1
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.check import check_file
from journeymap.findings import RULES, RunResult
from journeymap.report import REPORTERS

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for folder in ("journeys", "tests/fixtures", "tests/corpus")
               for p in (REPO / folder).rglob("*.y*ml") if p.name != "expected.yaml")
LINE_BREAK = re.compile(rb"\r\n|\r|\n")  # as YAML 1.2 and editors count lines
PARSERS = {"json": json.loads, "sarif": json.loads, "junit": ElementTree.fromstring}
_WORKDIR = Path(tempfile.mkdtemp(prefix="journeymap-fuzz-"))
atexit.register(shutil.rmtree, _WORKDIR, ignore_errors=True)  # under pytest and atheris alike


def one_input(data: bytes) -> None:
    """Check ``data`` as a journey file; fail on any exception or misplaced finding."""
    path = _WORKDIR / "fuzz.yaml"
    path.write_bytes(data)
    result = check_file(str(path))
    lines = len(LINE_BREAK.findall(data)) + 1
    for f in result.findings:
        assert f.rule in RULES, f
        assert f.span is not None and 1 <= f.span.line <= lines and f.span.column >= 1, f
    run = RunResult((result,))
    assert run.exit_code == (1 if result.errors else 0)
    for name, render in REPORTERS.items():
        out = render(run, False)
        if name in PARSERS:
            PARSERS[name](out)


SEED_DATA = [p.read_bytes()[:20_000] for p in SEEDS]


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """A real journey with a few bytes inserted, deleted, replaced or a chunk repeated."""
    data = bytearray(draw(st.sampled_from(SEED_DATA)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        if action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif action == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 3))
    return bytes(data)


INTERESTING = st.sampled_from([b"\xef\xbb\xbf", b"\r\n", b"\t", b"\0", b"&a ", b"*a", b"<<: ",
                               b"!!python/object ", b"\xc2\x85", b"\xe2\x80\xa8", b"[", b"{", b"- ",
                               b": ", b"'", b'"', b"\\", b"#", b"---\n", b"\xff", b"9" * 5000])


@settings(max_examples=int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(mutated_seed(), st.binary(max_size=512),
                 st.lists(INTERESTING, max_size=30).map(b"".join)))
def test_any_bytes_give_findings_never_an_exception(data: bytes) -> None:
    one_input(data)


@settings(max_examples=int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "300")) // 3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated_seed(), st.lists(INTERESTING, max_size=30).map(b"".join)))
def test_any_bytes_give_findings_with_the_pure_python_parser(monkeypatch, data: bytes) -> None:
    """The same property where PyYAML has no libyaml: the loader falls back to pure Python."""
    from journeymap import loader

    monkeypatch.setattr(loader, "_Parser", loader.PurePythonParser)
    one_input(data)


def test_pure_python_parser_reports_a_control_character(monkeypatch) -> None:
    from journeymap import loader

    monkeypatch.setattr(loader, "_Parser", loader.PurePythonParser)
    found = loader.load_bytes("journey: ok\nstages: [ä\x07]\n".encode(), "x.yaml").findings
    assert [(f.rule, f.span.line, f.span.column) for f in found] == [("JM001", 2, 11)]
    assert "U+0007" in found[0].message


def test_seeds_are_found() -> None:
    assert len(SEEDS) >= 20  # the examples, the fixtures and the corpus


def _atheris_main() -> None:  # pragma: no cover - the long, documented run
    import atheris

    seed_dir = _WORKDIR / "seeds"
    seed_dir.mkdir(exist_ok=True)
    for i, data in enumerate(SEED_DATA):
        (seed_dir / f"seed-{i}.yaml").write_bytes(data)
    for data in SEED_DATA:  # import what check loads lazily (analysis, graph), so it is instrumented
        one_input(data)
    atheris.instrument_all()
    atheris.Setup([*sys.argv, str(seed_dir)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    _atheris_main()
