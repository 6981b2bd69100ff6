#!/bin/bash
# The export dialog writes what `crest export` writes: Crest opens the demo session under a
# virtual X server, opens its export dialog, sets the folder and presses Export (--export-to);
# every deliverable's MD5 must equal that of `crest export` of the same session (MP3s and
# FLACs included: the encoders are deterministic here; the reports differ only in their time
# and paths and are left out). Then kill -9 during an export from the dialog: the folder must
# hold no deliverable (only the hidden staging folder, which the next export removes).
#
#   ExportDialogTest.sh CREST_APP CREST_CLI DEMO_DIR WORK_DIR
set -u
app=$1 cli=$2 demo=$3 work=$4
rm -rf "$work"
mkdir -p "$work/data"
export CREST_DATA_DIR="$work/data"
cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
session="$work/crest-demo.crest"
fail() { echo "FAIL: $*"; exit 1; }
sums() { (cd "$1" && find . -type f ! -name 'report.*' ! -path '*/.crest-export-*' -print0 | sort -z | xargs -0 md5sum); }

"$cli" export "$session" -o "$work/cli" > "$work/cli.log" 2>&1 || { cat "$work/cli.log"; fail "crest export failed"; }
start=$(date +%s)
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --export-to "$work/dialog" "$session" > "$work/dialog.log" 2>&1
status=$?
cat "$work/dialog.log"
[ $status -eq 0 ] || fail "the dialog's export exited with $status"
echo "dialog export: $(( $(date +%s) - start )) s"
sums "$work/cli" > "$work/cli.md5"
sums "$work/dialog" > "$work/dialog.md5"
count=$(wc -l < "$work/cli.md5")
[ "$count" -ge 10 ] || fail "crest export wrote only $count files"
diff "$work/cli.md5" "$work/dialog.md5" || fail "the dialog's files differ from crest export's"
[ -f "$work/dialog/report.html" ] || fail "the dialog wrote no report.html"
echo "same MD5s for all $count deliverables"

# kill -9 in the middle of an export from the dialog.
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --export-to "$work/killed" "$session" > "$work/killed.log" 2>&1 &
runner=$!
pid=""
for _ in $(seq 1 600); do
    pid=$(pgrep -f -- "--export-to $work/killed" | while read -r p; do
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$app")" ] && echo "$p"; done | head -1)
    [ -n "$pid" ] && [ -n "$(find "$work/killed" -path '*/.crest-export-*' -type f 2>/dev/null | head -1)" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { cat "$work/killed.log"; fail "the export did not start"; }
sleep 1
kill -9 "$pid"
wait "$runner" 2>/dev/null
left=$(find "$work/killed" -type f ! -path '*/.crest-export-*' | wc -l)
staged=$(find "$work/killed" -path '*/.crest-export-*' -type f | wc -l)
echo "after kill -9: $left deliverables, $staged files in the hidden staging folder"
[ "$left" -eq 0 ] || { find "$work/killed"; fail "kill -9 left deliverables behind"; }
# The next export into the folder clears the dead export's staging folder.
"$cli" export "$session" -o "$work/killed" --targets cd > /dev/null 2>&1 || fail "the export after the kill failed"
[ -z "$(find "$work/killed" -name '.crest-export-*')" ] || fail "the dead export's staging folder is still there"
echo "PASS"
