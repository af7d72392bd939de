#!/usr/bin/env bash
# Set up (system packages when missing, .venv with the locked test tools) and run the test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k loader
#
# scripts/test.sh --latest [pytest args]
#   runs the same suite in .venv-latest against the newest release of every dependency instead of
#   the lock, to see drift before it reaches the lock. Not part of CI (a new release elsewhere must
#   not turn main red); run it before `scripts/lock.sh --upgrade`, and every week or so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if [ "${1:-}" = "--latest" ]; then
    shift
    [ -x .venv-latest/bin/python ] || python3 -m venv .venv-latest
    pip=(.venv-latest/bin/python -m pip install -q --disable-pip-version-check --upgrade)
    "${pip[@]}" -e ".[test]"
    "${pip[@]}" --require-hashes --no-deps --target .venv-latest/alt-pyyaml -r requirements/alt-pyyaml.lock
    echo "test.sh --latest: $(.venv-latest/bin/python -m pip freeze --exclude-editable | tr '\n' ' ')" >&2
    exec .venv-latest/bin/python -m pytest -q "$@"
fi
exec .venv/bin/python -m pytest -q "$@"
