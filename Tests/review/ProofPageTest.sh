#!/bin/bash
# CTest review.proof: the whole client round trip on real Crest output. The demo album gets two
# versions (the second with a louder master), `crest proof` renders both, the review page plays
# them in headless chromium (ReviewPageTest.py: decode lengths, the loudness-matched switch, two
# notes taken), and `crest notes import` places the notes.json the page saved on the tracks,
# times and versions the client heard, even after the engineer reversed the running order
# between the proof and the import (notes.json version 2 names tracks by their ID).
#   ProofPageTest.sh CREST PAGE_HTML PRESETS_DIR WORK
set -eu
here=$(cd "$(dirname "$0")" && pwd)
crest=$1 page=$2 presets=$3 work=$4
rm -rf "$work"
mkdir -p "$work"

"$crest" demo --album "$work/album" --chain "$presets/gentle-master.json" >/dev/null
session=$(ls "$work"/album/*.crest)
"$crest" version create "$session" "v1 proof" --note "First proof." >/dev/null
"$crest" session set "$session" --album "chain=$presets/streaming-loud.json" >/dev/null
"$crest" version create "$session" "v2 louder" --note "After notes: louder master." >/dev/null
"$crest" proof "$session" --version "v1 proof" --version "v2 louder" -o "$work/proof" --page "$page" >/dev/null

/usr/bin/python3 "$here/ReviewPageTest.py" "$work/proof" --out "$work/screenshots"

# The engineer reverses the running order before the client's notes come back.
/usr/bin/python3 - "$session" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["tracks"].reverse()
for key in ("crossfade_s", "crossfade_curve"):
    doc["tracks"][0].pop(key, None)  # the first track has no track before it to crossfade with
json.dump(doc, open(sys.argv[1], "w"), indent=2)
PY
"$crest" notes import "$session" "$work/screenshots/notes.json"
"$crest" notes list "$session" --json > "$work/notes-after.json"
# The page's notes.json and the session's notes must agree note for note.
/usr/bin/python3 - "$work/screenshots/notes.json" "$work/notes-after.json" "$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tracks"]))' "$session")" <<'PY'
import json, sys
sent = json.load(open(sys.argv[1]))["notes"]
count = int(sys.argv[3])
text = open(sys.argv[2]).read()
try:
    listed = json.loads(text)
except ValueError:
    listed = [json.loads(line) for line in text.splitlines() if line.strip()]
if isinstance(listed, dict):
    listed = listed.get("notes", listed)
print("sent:", json.dumps(sent))
print("session:", json.dumps(listed))
assert len(listed) == len(sent), "the session holds %d notes, the page sent %d" % (len(listed), len(sent))
for s in sent:
    match = [n for n in listed if n.get("text") == s["text"]]
    assert match, "note %r not in the session" % s["text"]
    n = match[0]
    flat = json.dumps(n)
    assert s["version"] in flat, "note %r lost its version %r: %s" % (s["text"], s["version"], flat)
    assert n.get("trackId") == s["trackId"], "note %r is on track %r, the client meant %r: %s" % (s["text"], n.get("trackId"), s["trackId"], flat)
    assert n.get("track") != s["track"] or s["track"] * 2 == count + 1, "note %r kept the old track number after the reorder: %s" % (s["text"], flat)
    times = [v for k, v in n.items() if isinstance(v, (int, float)) and "time" in k.lower() or k in ("at", "start", "startSeconds")]
    assert any(abs(t - s["timeSeconds"]) < 1e-6 for t in times), "note %r not at %.3f s: %s" % (s["text"], s["timeSeconds"], flat)
print("PASS: %d notes placed as sent" % len(sent))
PY
