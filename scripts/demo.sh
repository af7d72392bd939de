#!/usr/bin/env bash
# Set up and run journeymap's main job on the example journeys in journeys/:
#   1. check every journey (the CI gate),
#   2. print the scored report of the deliberately failing one,
#   3. render a map (SVG) and a self-contained HTML report of every journey into out/ (with
#      out/reports/index.html over them all).
# `check` is expected to fail on journeys/technician-visit.yaml only: that example breaks a promise
# on purpose (see the comments at its top). Any other outcome makes this script fail.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 2
jm=.venv/bin/journeymap

echo "== journeymap check journeys/"
$jm check journeys/
status=$?
if [ "$status" -ne 1 ]; then
    echo "demo: expected exit code 1 (the deliberately failing example), got $status" >&2
    exit 1
fi
findings=$($jm check journeys/ --format json)
if printf '%s' "$findings" | .venv/bin/python -c '
import json, sys
failing = sorted(j["file"] for j in json.load(sys.stdin)["journeys"]
                 if any(f["severity"] == "error" for f in j["findings"]))
sys.exit(failing != ["journeys/technician-visit.yaml"])'; then
    echo "demo: only journeys/technician-visit.yaml fails, as intended"
else
    echo "demo: a journey other than technician-visit.yaml has errors" >&2
    exit 1
fi

echo
echo "== journeymap report journeys/technician-visit.yaml"
$jm report journeys/technician-visit.yaml || exit 1

echo
echo "== journeymap render journeys/ -o out/maps/ (SVG) and --format html -o out/reports/"
$jm render journeys/ -o out/maps/ || exit 1
$jm render journeys/ -o out/reports/ --format html || exit 1
echo
echo "demo: done. Open out/reports/*.html in a browser, or out/maps/*.svg."
