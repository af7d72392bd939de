#!/usr/bin/env bash
# Set up journeymap on a fresh Debian/Ubuntu machine: system packages (only when missing), then a
# virtual environment in .venv with the locked dependencies (requirements/*.lock) and the package
# installed in editable mode.
# Usage: scripts/setup.sh [--test]     (--test also installs the test tools and a headless browser)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# (grep -q would stop reading early, and with pipefail fc-list's broken pipe would count as a miss)
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
fc-list 2>/dev/null | grep -i "NotoSansArabic" >/dev/null || missing+=(fonts-noto-core)
fc-list 2>/dev/null | grep -i "NotoSansThai" >/dev/null || missing+=(fonts-noto-core)
# the map's marks (● ✓ ✕ ▲ and the legend's lines) come from DejaVu Sans
fc-list 2>/dev/null | grep -i "DejaVuSans" >/dev/null || missing+=(fonts-dejavu-core)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ "$want_test" = 1 ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # the Mermaid CLI that tests/test_mermaid_cli.py draws exports with (tests/mermaid/)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    # observe --engine spark (tests run PySpark locally): a headless Java runtime
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
    echo "journeymap setup: installing system packages: $pkgs" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# Exact versions with hashes from requirements/*.lock (refreshed by scripts/lock.sh), so a release
# somewhere else cannot change what a fresh clone installs; then journeymap itself, editable.
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
lock=requirements/main.lock
[ "$want_test" = 1 ] && lock=requirements/test.lock
"${pip[@]}" --require-hashes --no-deps -r "$lock"
"${pip[@]}" --no-deps --no-build-isolation -e .
# journeymap's own bytecode, as a non-editable install has it: where PYTHONDONTWRITEBYTECODE is
# set, Python would otherwise compile every module again on every run (~0.1-0.2 s a command)
.venv/bin/python -m compileall -q journeymap >/dev/null
if [ "$want_test" = 1 ]; then
    # a second PyYAML with an older libyaml, which tests/test_parsers.py loads in a subprocess
    "${pip[@]}" --require-hashes --no-deps --upgrade --target .venv/alt-pyyaml \
        -r requirements/alt-pyyaml.lock
fi

# The Mermaid CLI for the export tests, from the committed lock file; puppeteer's own browser is not
# downloaded (tests/mermaid/puppeteer-config.json points at the system chromium).
if [ "$want_test" = 1 ] && command -v npm >/dev/null 2>&1; then
    (cd tests/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        echo "journeymap setup: npm ci in tests/mermaid failed; the Mermaid CLI test will be skipped" >&2
fi
