#!/bin/bash
# The export dialog lists exactly the preflight rows `crest export` prints, because both take
# them from delivery::preflightRelease: a copy of the demo session gets a Red Book error (track 1
# trimmed under 4 s), a platform warning (a -0.2 dBTP ceiling with the streaming target) and an
# upsampled hi-res warning; Crest opens its export dialog under a virtual X server and writes
# the rows it lists (--preflight-to); `crest export` of the same session must print the same rows
# in the same order, stop on the error with a non-zero exit, and create nothing.
#
#   ExportPreflightTest.sh CREST_APP CREST_CLI DEMO_DIR WORK_DIR
set -u
app=$1 cli=$2 demo=$3 work=$4
rm -rf "$work"
mkdir -p "$work/data"
export CREST_DATA_DIR="$work/data"
cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
session="$work/crest-demo.crest"
fail() { echo "FAIL: $*"; exit 1; }

"$cli" session set "$session" --album targets=cd,streaming,hires --album ceiling_dbtp=-0.2 --album hires_rate=96000 \
    --track 1 trim_out_s=3.0 > "$work/set.log" 2>&1 || { cat "$work/set.log"; fail "crest session set failed"; }

"$cli" export "$session" -o "$work/out" > "$work/cli.log" 2>&1
status=$?
cat "$work/cli.log"
[ $status -ne 0 ] || fail "crest export went ahead despite the preflight error"
[ ! -e "$work/out" ] || fail "crest export created the folder"
sed -n 's/^crest export: preflight: //p' "$work/cli.log" > "$work/cli.rows"

xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --no-audio --preflight-to "$work/dialog.rows" "$session" > "$work/dialog.log" 2>&1 \
    || { cat "$work/dialog.log"; fail "Crest --preflight-to failed"; }
echo "--- the dialog lists:"
cat "$work/dialog.rows"
grep -q ': error: ' "$work/dialog.rows" || fail "no error row"
[ "$(grep -c ': warning: ' "$work/dialog.rows")" -ge 2 ] || fail "fewer than two warning rows"
diff "$work/cli.rows" "$work/dialog.rows" || fail "the dialog's preflight differs from crest export's"
echo "PASS: $(wc -l < "$work/dialog.rows") rows, the same in the dialog and in crest export"
