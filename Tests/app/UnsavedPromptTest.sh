#!/bin/bash
# With unsaved edits, quitting, closing the window, closing the session and opening another
# session each ask first, and Cancel keeps the session: Crest opens a copy of the demo under a
# virtual X server, makes an album edit (--edit), then does each of the four as the menu and the
# close button do, finds the question on the screen and presses its Cancel
# (--check-unsaved-prompts). The session file on disk must be untouched, and the other session
# never opened.
#
#   UnsavedPromptTest.sh CREST_APP DEMO_DIR WORK_DIR
set -u
app=$1 demo=$2 work=$3
rm -rf "$work"
mkdir -p "$work/data"
export CREST_DATA_DIR="$work/data"
cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
cp "$work/crest-demo.crest" "$work/other.crest"
session="$work/crest-demo.crest"
fail() { echo "FAIL: $*"; exit 1; }
before=$(md5sum < "$session")

timeout 120 xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --edit "title=Edited but not saved" \
    --check-unsaved-prompts "$work/other.crest" "$session" > "$work/run.log" 2>&1
status=$?
cat "$work/run.log" | grep '^Crest'
[ $status -eq 0 ] || fail "the check exited with $status"
for action in "quit" "close the window" "close the session" "open another session"; do
    grep -q "unsaved prompt: $action: asked \"Unsaved edits\" with Save, Don't save and Cancel" "$work/run.log" \
        || fail "$action did not ask"
    grep -q "unsaved prompt: $action: Cancel kept the session" "$work/run.log" || fail "Cancel after $action did not keep the session"
done
[ "$(md5sum < "$session")" = "$before" ] || fail "the session file was written"
echo "PASS"
