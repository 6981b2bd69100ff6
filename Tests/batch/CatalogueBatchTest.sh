#!/bin/bash
# A label's catalogue check at scale: the README's recipe ("Checking a whole catalogue"), taken
# verbatim from README.md and run with GNU parallel on both cores over a generated catalogue of
# FILES short files (default 240) with two broken ones among them. It checks that
#   - analysis.jsonl and check.jsonl hold one valid JSON object per readable file, and nothing else;
#   - the broken files are named in errors.log and did not stop the batch;
#   - the recipe's exit statuses say how many files failed (analyze: the 2 broken ones; check:
#     the broken ones plus those with serious findings, which the joblog tells apart);
# and prints the wall time and the files per second.
#
# usage: CatalogueBatchTest.sh CREST README WORKDIR [FILES]
set -u
crest=$(realpath "$1") readme=$(realpath "$2") work=$3 files=${4:-240}
fail() { echo "FAIL: $*"; exit 1; }
command -v parallel >/dev/null || fail "GNU parallel is not installed (Installers/install-deps.sh installs it)"
command -v jq >/dev/null || fail "jq is not installed (Installers/install-deps.sh installs it)"

rm -rf "$work"
mkdir -p "$work/catalogue" || exit 1
cd "$work" || exit 1

# The catalogue: albums of 1.5 s tracks in WAV and FLAC, tones and noise at different levels
# (some clipped, so `check` has serious findings to report), and two broken files.
for album in $(seq 1 $(( files / 12 ))); do
    mkdir -p "catalogue/album $album"
    for track in $(seq 1 12); do
        n=$(( (album - 1) * 12 + track ))
        ext=wav; [ $(( n % 3 )) -eq 0 ] && ext=flac
        gain=$(( -30 + (n * 7) % 33 )) # -30 .. +2 dB: the loudest clip
        printf -v name 'catalogue/album %d/%02d track %d.%s' "$album" "$track" "$n" "$ext"
        if [ $(( n % 2 )) -eq 0 ]; then
            echo "-V1 -n -r 44100 -b 24 -c 2 \"$name\" synth 1.5 sine $(( 200 + n * 13 )) gain $gain"
        else
            echo "-V1 -n -r 48000 -b 24 -c 2 \"$name\" synth 1.5 pinknoise gain $gain"
        fi
    done
done | xargs -P2 -L1 sox || fail "sox could not generate the catalogue"
good=$(find catalogue -type f | wc -l)
echo "not audio at all" >"catalogue/album 1/99 readme.wav"
head -c 3000 "$(find catalogue -name '*.wav' | sort | head -1)" >"catalogue/album 2/98 truncated.wav"
broken=2
echo "catalogue: $good readable files and $broken broken ones"

# The recipe, exactly as the README gives it (between the catalogue-recipe markers).
awk '/<!-- catalogue-recipe -->/ {on = 1; next} /<!-- \/catalogue-recipe -->/ {on = 0} on && !/^```/' "$readme" >recipe.sh
[ -s recipe.sh ] || fail "no catalogue recipe in $readme"
echo "--- recipe"; cat recipe.sh; echo "---"
start=$(date +%s%3N)
PATH="$(dirname "$crest"):$PATH" bash recipe.sh >recipe.out 2>&1
status=$?
elapsed=$(( $(date +%s%3N) - start ))
cat recipe.out

# One JSON object per readable file, in each merged file, and nothing else.
for merged in analysis.jsonl check.jsonl; do
    [ -f $merged ] || fail "the recipe wrote no $merged"
    lines=$(wc -l <$merged)
    [ "$lines" -eq "$good" ] || fail "$merged has $lines lines for $good readable files"
    jq -e -s 'length' $merged >/dev/null || fail "$merged is not JSON lines"
done
jq -e -s "[.[] | select(.integrated_lufs != null and .true_peak_dbtp != null and .file != null)] | length == $good" analysis.jsonl \
    >/dev/null || fail "analysis.jsonl lacks loudness or true peak for some file"
jq -e -s "[.[] | select(.findings != null)] | length == $good" check.jsonl >/dev/null || fail "check.jsonl lacks findings"
serious=$(jq -s '[.[] | select(.worst == "serious")] | length' check.jsonl)

# The broken files are named (with the reason) and the batch went on past them.
grep -q "99 readme.wav: not a readable audio file" errors.log || fail "errors.log does not name the text file: $(head -5 errors.log)"
grep -q "98 truncated.wav" errors.log || fail "errors.log does not name the truncated file: $(head -5 errors.log)"

# Exit statuses: parallel's is the number of failed files (101: more than 100); the recipe
# prints both and fails as a whole. The joblogs tell unreadable (2) from serious (1).
expected_check=$(( broken + serious > 101 ? 101 : broken + serious ))
grep -q "analyze failed for $broken files" recipe.out || fail "the analyze status does not say $broken failures"
grep -q "check failed for $expected_check files" recipe.out \
    || fail "the check status does not say $expected_check (2 broken + $serious serious)"
[ "$status" -ne 0 ] || fail "the recipe exited 0 although files failed"
unreadable=$(awk -F'\t' 'NR > 1 && $7 == 2' check.joblog | wc -l)
[ "$unreadable" -eq "$broken" ] || fail "check.joblog lists $unreadable unreadable files, not $broken"

# Both cores: jobs overlapped in time.
overlap=$(awk -F'\t' 'NR > 1 {printf "%.6f %.6f\n", $3, $3 + $4}' analyze.joblog | sort -n \
          | awk '{ if ($1 < end) o++; if ($2 > end) end = $2 } END {print o + 0}')
[ "$overlap" -gt 0 ] || fail "no two jobs ran at once"
total=$(( 2 * (good + broken) ))
echo "batch: $total runs (analyze + check of $((good + broken)) files) in $elapsed ms on 2 cores," \
     "$(( total * 1000 / (elapsed + 1) )) files/s; $serious with serious findings, $broken unreadable, $overlap overlapping jobs"
