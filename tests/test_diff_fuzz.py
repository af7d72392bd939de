"""Random journeys through `diff` and the Mermaid export: nothing escapes.

The journeys come from tests/test_fuzz.py's strategies: `diff` compares a random valid journey with
a random (often broken) other one and must answer in JSON with the exit code it promises; a valid
journey's Mermaid export must follow the grammar, and importing it must give a journey that
validates and exports the same again. 100 examples each (JOURNEYMAP_FUZZ_EXAMPLES for longer runs).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.mermaid.importer import import_journey
from journeymap.mermaid.journey import mermaid_journey
from journeymap.printable import printable
from test_fuzz import dump, journeys, mutated

FUZZ = settings(max_examples=int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "100")) // 2, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PLAIN = r"(?:[^:#;%,\n]|#\d+;)+"
LINE = re.compile(rf"journey|  title {PLAIN}|  section {PLAIN}|    {PLAIN}: [1-5](: {PLAIN})?")


@FUZZ
@given(journeys(valid=True), mutated())
def test_diff_of_random_journeys_answers_with_its_exit_code(old: dict[str, Any], new: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "a.yaml", Path(folder) / "b.yaml"
        a.write_text(dump(old), encoding="utf-8")
        b.write_text(dump(new), encoding="utf-8")
        done = CliRunner().invoke(app, ["diff", "--format", "json", str(a), str(b)], catch_exceptions=False)
        doc = json.loads(done.stdout)
        assert done.exit_code == (1 if doc["summary"]["worse"] else 0)
        for args in (["diff", str(a), str(b)], ["diff", "-f", "markdown", str(a), str(b)]):
            assert CliRunner().invoke(app, args, catch_exceptions=False).exit_code == done.exit_code


@FUZZ
@given(journeys(valid=True))
def test_random_journeys_export_to_mermaid_and_come_back(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_text(dump(doc), encoding="utf-8")
        journey = validate_file(str(path)).journey
        assert journey is not None
        text = mermaid_journey(journey)
        assert all(LINE.fullmatch(line) for line in text.splitlines()), text
        imported = import_journey(text, "x").yaml
        path.write_text(imported, encoding="utf-8")
        back = validate_file(str(path)).journey
        assert back is not None, [f.message for f in validate_file(str(path)).findings]
        shown = [printable(" ".join(tp.name.split())) for tp in journey.touchpoints]
        assert [tp.name for tp in back.touchpoints] == shown
        assert import_journey(mermaid_journey(back), "x").yaml == imported
