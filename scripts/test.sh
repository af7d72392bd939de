#!/usr/bin/env bash
# Set up (system packages when missing, .venv with the test tools) and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k loader
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -q "$@"
