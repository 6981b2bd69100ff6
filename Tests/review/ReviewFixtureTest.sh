#!/bin/bash
# CTest review.page: a proof folder made by make_fixture_proof.py (sox, lame, ffmpeg), then the
# review page on it in headless chromium. Screenshots and notes.json stay in WORK/screenshots.
#   ReviewFixtureTest.sh PAGE_HTML WORK
set -eu
here=$(cd "$(dirname "$0")" && pwd)
page=$1 work=$2
mkdir -p "$work"
/usr/bin/python3 "$here/make_fixture_proof.py" "$page" "$work/proof"
/usr/bin/python3 "$here/ReviewPageTest.py" "$work/proof" --out "$work/screenshots"
