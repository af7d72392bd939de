"""Nasty inputs: each file in tests/corpus/ (and each generated one) against its expected behaviour.

The expectations live in tests/corpus/expected.yaml: the exit code of `journeymap check`, every
finding (rule, line, column and words of its message), and for the worst cases a bound on the peak
memory of a real `python -m journeymap check` process. Inputs too big to commit (30,000 levels of
nesting, 50 MB, 10,000 stages) are generated here into a temp folder by the function named in
their `generate:` entry.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest
import yaml
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.findings import RULES

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
DEPTH = 30_000
LONG_LABEL = "طويل ยาว garš " * 80_000  # ~1 MB of Arabic, Thai and Latvian


def _touchpoint(name: str, indent: str = "      ") -> str:
    return f"{indent}- name: {name}\n"


def deep_flow_sequence() -> bytes:
    return b"journey: Deep\nstages: " + b"[" * DEPTH + b"]" * DEPTH + b"\n"


def deep_flow_mapping() -> bytes:
    return b"journey: Deep\nstages: " + b"{a: " * DEPTH + b"x" + b"}" * DEPTH + b"\n"


def deep_block_sequence() -> bytes:
    return b"journey: Deep\nstages:\n" + b"- " * DEPTH + b"x\n"


def fifty_megabytes() -> bytes:
    head = "journey: Fifty megabytes\nstages:\n  - name: Buy\n    touchpoints:\n"
    body = _touchpoint("Order a parcel and wait for it to arrive").encode()
    return head.encode() + body * (50 * 2**20 // len(body))


def max_nodes() -> bytes:
    """Just under the size limit, and every line a value: the most memory a legal file can ask for."""
    return b"journey: Many values\nstages:\n" + b"  - a\n" * (16 * 2**20 // 6 - 8)


def ten_thousand_stages() -> bytes:
    stages = [f"  - name: Stage {i}\n    touchpoints:\n" + _touchpoint(f"Step {i}") for i in range(10_000)]
    stages[0] += "        failures:\n          - name: Lost\n            to: step-9999\n"
    return ("journey: Ten thousand stages\nstages:\n" + "".join(stages)).encode()


def long_label() -> bytes:
    return ("journey: A very long label\nstages:\n  - name: Buy\n    touchpoints:\n"
            "      - name: Order\n        next: pay\n        failures:\n"
            "          - name: Declined\n            to: pay\n"
            f"      - name: {LONG_LABEL}\n        id: unreachable\n"
            "      - name: Pay\n").encode()


def ten_thousand_mistakes() -> bytes:
    tps = "".join(f"      - name: Step {i}\n        chanel: web\n" for i in range(10_000))
    return ("journey: Ten thousand typos\nstages:\n  - name: Buy\n    touchpoints:\n" + tps).encode()


GENERATORS: dict[str, Callable[[], bytes]] = {f.__name__: f for f in (
    deep_flow_sequence, deep_flow_mapping, deep_block_sequence, fifty_megabytes, max_nodes,
    ten_thousand_stages, long_label, ten_thousand_mistakes)}


@pytest.fixture(scope="module")
def generated() -> Path:
    with tempfile.TemporaryDirectory(prefix="journeymap-corpus-") as folder:
        yield Path(folder)


def corpus_path(name: str, generated: Path) -> Path:
    spec = EXPECTED[name]
    if "generate" not in spec:
        return CORPUS / name
    path = generated / name
    if not path.exists():
        path.write_bytes(GENERATORS[spec["generate"]]())
    return path


def check_json(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["check", "--format", "json", str(path)], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_behaves_as_expected(name: str, generated: Path) -> None:
    spec, path = EXPECTED[name], corpus_path(name, generated)
    code, doc = check_json(path)
    found = doc["journeys"][0]["findings"]
    assert code == spec["exit"]
    lines = path.read_bytes()[: 17 * 2**20].count(b"\n") + 1
    assert all(f["rule"] in RULES and 1 <= f["line"] <= lines and f["column"] >= 1 for f in found)
    assert [(f["rule"], f["line"], f["column"]) for f in found][: len(spec["findings"])] == [
        (f["rule"], f["line"], f["column"]) for f in spec["findings"]]
    assert len(found) == spec.get("count", len(spec["findings"]))
    pairs = list(zip(spec["findings"], found)) + ([(spec["last"], found[-1])] if "last" in spec else [])
    for want, got in pairs:
        assert (got["rule"], got["line"], got["column"]) == (want["rule"], want["line"], want["column"])
        assert want["says"] in got["message"]
        assert "\n" not in got["message"]  # one finding, one line in the text report


def test_every_corpus_file_has_an_expectation() -> None:
    committed = {p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml")} - {"expected.yaml"}
    assert committed <= set(EXPECTED)
    assert {s["generate"] for s in EXPECTED.values() if "generate" in s} == set(GENERATORS)


def test_a_long_label_comes_through_intact(generated: Path) -> None:
    _, doc = check_json(corpus_path("generated-long-label.yaml", generated))
    assert any(LONG_LABEL.strip() in f["message"] for f in doc["journeys"][0]["findings"])


# A small launcher runs the command and reports its children's peak memory: the kernel counts a
# child's memory from before `exec` too, so measuring from the big pytest process would report
# pytest's own size.
_LAUNCHER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"""


def peak_rss_mb(args: list[str], cwd: Path) -> tuple[int, float]:
    """Exit code and peak resident memory (MB) of one command, from the kernel's own count."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1]) / 1024  # Linux reports kilobytes


@pytest.mark.parametrize("name", sorted(n for n, s in EXPECTED.items() if "max_rss_mb" in s))
def test_memory_stays_bounded(name: str, generated: Path, tmp_path: Path) -> None:
    path = corpus_path(name, generated)
    code, peak = peak_rss_mb([sys.executable, "-m", "journeymap", "check", str(path)], tmp_path)
    assert code == EXPECTED[name]["exit"]
    assert peak < EXPECTED[name]["max_rss_mb"]
