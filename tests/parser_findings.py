"""Print, as JSON, what the loader finds in each file named on the command line.

Run by tests/test_parsers.py in a subprocess under each YAML parser set-up: PyYAML with the locked
libyaml, a second PyYAML with another libyaml release (PYTHONPATH=<venv>/alt-pyyaml), and PyYAML's
pure-Python parser (JOURNEYMAP_PURE_YAML=1, the loader's fallback when libyaml is missing).
The first line of output names the set-up: PyYAML's version and libyaml's, or "pure".
"""

from __future__ import annotations

import json
import os
import sys

import yaml

from journeymap import loader


def setup_name() -> str:
    if os.environ.get("JOURNEYMAP_PURE_YAML") == "1":
        loader._Parser = loader.PurePythonParser
        return f"PyYAML {yaml.__version__}, pure Python"
    import yaml._yaml as libyaml
    return f"PyYAML {yaml.__version__}, libyaml {libyaml.get_version_string()}"


def findings(path: str) -> list:
    with open(path, "rb") as fh:
        loaded = loader.load_bytes(fh.read(), "f.yaml")
    found = [[f.rule, f.span.line, f.span.column, f.message, f.hint] for f in loaded.findings]
    return found + ([] if loaded.root is None else ["composed"])


if __name__ == "__main__":
    print(setup_name())
    json.dump({path: findings(path) for path in sys.argv[1:]}, sys.stdout)
