"""observe's floor (branch observe-floor): what start-up loads, and the spill folder DuckDB is given
never outliving the run, however it ends (real processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.observe.declared import declared

from observe_helpers import REPO

JOURNEY = str(REPO / "journeys" / "complaint-eight-weeks.yaml")


def test_declared_moves_are_the_networkx_graphs_moves() -> None:
    """declared() reads the tuple graph; the figures (p summed in file order, the transitions
    behind each move, the order of the moves) are exactly those of JourneyGraph.g."""
    checked = 0
    for path in sorted((REPO / "journeys").glob("*.yaml")):
        journey = validate_file(str(path)).journey
        if journey is None:
            continue
        jg = build_graph(journey)
        got = [(u, v, e.p, e.via, e.failures) for (u, v), e in declared(journey, jg).edges.items() if u]
        want = [(u, v, d["p"], tuple(t.label or ("failure" if t.kind == "failure" else "next") for t in d["via"]),
                 tuple(t.failure for t in d["via"] if t.failure)) for u, v, d in jg.g.edges(data=True)]
        assert got == want, path.name
        checked += 1
    assert checked >= 5


def test_observe_does_not_import_networkx(tmp_path: Path) -> None:
    """networkx (a tenth of a second, 17 MB) is not part of observe's start-up."""
    log = tmp_path / "events.parquet"
    script = (
        "import sys\n"
        "from journeymap.cli import main\n"
        f"sys.argv = ['journeymap', 'simulate', {JOURNEY!r}, '--cases', '50', '-o', {str(log)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        f"sys.argv = ['journeymap', 'observe', {JOURNEY!r}, {str(log)!r}, '--format', 'json', '-o', {str(tmp_path / 'o.json')!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "assert 'networkx' not in sys.modules, 'networkx was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o.json").stat().st_size > 1000
