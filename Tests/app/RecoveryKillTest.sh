#!/bin/bash
# The window's recovery file survives kill -9: Crest opens a copy of the demo session under a
# virtual X server, makes an album edit through its session editor (--edit), and is killed
# with SIGKILL a few seconds later, once the recovery file is on disk. The next launch must
# offer the recovery (naming the edit) and, when Restore is pressed (--accept-recovery presses
# the prompt's button), hold that edit; a launch after a clean restore-and-save offers nothing.
#
#   RecoveryKillTest.sh CREST_APP DEMO_DIR WORK_DIR
set -u
app=$1 demo=$2 work=$3
rm -rf "$work"
mkdir -p "$work/data"
export CREST_DATA_DIR="$work/data" # the unsaved sessions' recovery folder: the test's own
cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/ 2>/dev/null
session="$work/crest-demo.crest"
recovery="$work/.crest-demo.crest-recovery"
[ -f "$session" ] || { echo "no demo session in $demo"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }

title="Edited before the crash $$"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --edit "title=$title" "$session" > "$work/run1.log" 2>&1 &
runner=$!
# The app is a child of xvfb-run's shell; find it to kill it, not the X server.
pid=""
for _ in $(seq 1 300); do
    pid=$(pgrep -P "$runner" -f -- "--edit" || true)
    [ -z "$pid" ] && pid=$(pgrep -f -- "--edit title=$title" | head -1 || true)
    [ -n "$pid" ] && grep -q "edit made" "$work/run1.log" && break
    sleep 0.1
done
[ -n "$pid" ] || { cat "$work/run1.log"; fail "Crest did not start"; }
edited=$(date +%s.%N)
# The recovery file appears a couple of seconds after the edit (Workstation::recoveryDelaySeconds).
for _ in $(seq 1 100); do
    [ -f "$recovery" ] && break
    sleep 0.1
done
[ -f "$recovery" ] || { cat "$work/run1.log"; kill -9 "$pid"; fail "no recovery file 10 s after the edit"; }
written=$(date +%s.%N)
echo "recovery file written $(echo "$written - $edited" | bc) s after the edit"
kill -9 "$pid"
wait "$runner" 2>/dev/null
grep -q "$title" "$recovery" || fail "the recovery file does not hold the edit"
grep -q "$title" "$session" && fail "the session file itself was changed"

# Relaunch: the prompt is offered, Restore is pressed, the session is dumped.
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --accept-recovery --dump-session "$work/restored.json" "$session" \
    > "$work/run2.log" 2>&1
status=$?
cat "$work/run2.log"
[ $status -eq 0 ] || fail "the relaunch exited with $status"
grep -q "recovery offered" "$work/run2.log" || fail "the relaunch offered no recovery"
grep -q "recovery would change: album: title: .* -> \"$title\"" "$work/run2.log" || fail "the offer does not show the edit"
grep -q "recovery restored" "$work/run2.log" || fail "Restore was not carried out"
grep -q "\"title\": \"$title\"" "$work/restored.json" || fail "the restored session does not hold the edit"

# Discard: a third launch with the recovery file removed offers nothing.
rm -f "$recovery"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --dump-session "$work/clean.json" "$session" > "$work/run3.log" 2>&1
grep -q "recovery offered" "$work/run3.log" && fail "a recovery was offered without a recovery file"
grep -q "$title" "$work/clean.json" && fail "the edit came back without a recovery file"
echo "PASS: the edit survived kill -9 and was restored"
