"""The baseline: parse every journey file under the given paths with PyYAML's C loader, nothing more.

    python bench/bare_parse.py FILE_OR_FOLDER...
"""

from __future__ import annotations

import os
import sys

import yaml


def files(paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        if os.path.isdir(path):
            found += sorted(os.path.join(root, name) for root, _, names in os.walk(path)
                            for name in names if name.endswith((".yaml", ".yml")))
        else:
            found.append(path)
    return found


if __name__ == "__main__":
    for name in files(sys.argv[1:]):
        with open(name, "rb") as fh:
            yaml.load(fh, Loader=yaml.CSafeLoader)
