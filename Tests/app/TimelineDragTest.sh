#!/bin/bash
# The album timeline's mouse, view-level: Crest opens a copy of the demo under a virtual X server
# and drags on the real AlbumTimeline with synthetic mouse events (--check-timeline-drags):
# reorder by the title bar, the gap by the body, INDEX 00, the body past zero into a crossfade,
# both fade handles and an INDEX 02 marker. Each drag must be one undo step (undo restores the
# session's JSON before it exactly, redo the dragged one) with the fields the mouse asked for.
#
#   TimelineDragTest.sh CREST_APP DEMO_DIR WORK_DIR
set -u
app=$1 demo=$2 work=$3
rm -rf "$work"
mkdir -p "$work/data"
export CREST_DATA_DIR="$work/data"
cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
fail() { echo "FAIL: $*"; exit 1; }

timeout 120 xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --check-timeline-drags "$work/crest-demo.crest" \
    > "$work/run.log" 2>&1
status=$?
grep -v -i 'jack' "$work/run.log"
[ $status -eq 0 ] || fail "a drag was not one undo step with the expected fields (exit $status)"
[ "$(grep -c ': ok: undo step' "$work/run.log")" -eq 7 ] || fail "not every drag reported"
echo "PASS"
