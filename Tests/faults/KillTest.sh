#!/bin/bash
# kill -9 at random moments: during `crest export` of the demo session, during a session save
# (`crest session set`) and during `crest render`, KILLS times in all (shared round-robin).
# After every kill it checks that
#   - no partial file carries a final name: every file with a final (non-hidden) name in the
#     export folder, and the render's output if it exists, is byte-identical to the same file
#     from an uninterrupted reference run;
#   - the session file is intact: it loads (`crest session show`) and is byte-identical to the
#     document before the save or the one after it;
#   - the next run succeeds: a session save after every kill, a render after every render kill,
#     and an export into the very folder the killed export left behind on every third export
#     kill (and after the last); and that run also sweeps what the killed process left
#     (hidden partial files and staging folders), so nothing accumulates.
#
# usage: KillTest.sh CREST DEMO_DIR PRESET WORKDIR [KILLS]
#   DEMO_DIR  the build's demo folder (crest-demo.crest and its tracks, crest-demo-mix.wav).
#             The tracks are cut to 16 s (CREST_KILL_TRACK_SECONDS) so one export takes a few seconds.
# Prints one line per kill and a summary ("kills: 50, export 17, save 17, render 16, failures 0").
set -u
crest=$(realpath "$1") demo=$(realpath "$2") preset=$(realpath "$3") work=$4 kills=${5:-50}
seconds=${CREST_KILL_TRACK_SECONDS:-16}

# shellcheck source=Tests/faults/DemoWorkFolder.sh
. "$(dirname "$0")/DemoWorkFolder.sh"
now_ms() { date +%s%3N; }
# A random delay in [0, $1] milliseconds (RANDOM is 15 bits; two of them cover long runs).
random_ms() { echo $(( (RANDOM * 32768 + RANDOM) % ($1 + 1) )); }
sleep_ms() { sleep "$(printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )))"; }

# The demo session with its tracks cut short, and a 20 s excerpt of the demo mix to render.
prepare_demo_work "$crest" "$demo" "$work" "$seconds" render-in.wav

# Reference runs, timed: what a complete file looks like, and how long each job takes.
t0=$(now_ms)
"$crest" export album/crest-demo.crest -o reference >/dev/null 2>export.log || fail "reference export failed: $(cat export.log)"
export_ms=$(( $(now_ms) - t0 ))
t0=$(now_ms)
"$crest" render render-in.wav -o reference.wav --chain "$preset" >/dev/null 2>render.log || fail "reference render failed: $(cat render.log)"
render_ms=$(( $(now_ms) - t0 ))

# The two session documents a save may leave: before (title A) and after (title B).
cp album/crest-demo.crest album/s.crest
"$crest" session set album/s.crest --album title="Kill Test A" >/dev/null || fail "session set failed"
cp album/s.crest session-a.crest
t0=$(now_ms)
"$crest" session set album/s.crest --album title="Kill Test B" >/dev/null || fail "session set failed"
save_ms=$(( $(now_ms) - t0 ))
cp album/s.crest session-b.crest
cmp -s session-a.crest session-b.crest && fail "the two session documents are the same"
echo "one run: export ${export_ms} ms, render ${render_ms} ms, session save ${save_ms} ms"

# Every file with a final name (no hidden part in its path) under $1, relative to it.
final_files() { (cd "$1" && find . -type f -not -path '*/.*' | sort); }
# Hidden leftovers (partial files, staging folders) directly in or under $1.
leftovers() { (cd "$1" && find . -name '.*' -not -name . | sort); }

# Checks one export folder against the reference: every final name holds complete bytes.
# The report is compared without the run's time stamps.
check_export_files() {
    local dir=$1 f
    [ -d "$dir" ] || return 0
    while read -r f; do
        [ -f "reference/$f" ] || { echo "unexpected final file $f"; return 1; }
        case "$f" in
            ./report.json|./report.html)
                sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g' "$dir/$f" >a.txt
                sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g' "reference/$f" >b.txt
                cmp -s a.txt b.txt || { echo "$f differs from the reference"; return 1; } ;;
            *) cmp -s "$dir/$f" "reference/$f" || { echo "$f is not the complete file"; return 1; } ;;
        esac
    done < <(final_files "$dir")
}

check_session() {
    "$crest" session show album/s.crest >/dev/null 2>show.log || { echo "session does not load: $(cat show.log)"; return 1; }
    if cmp -s album/s.crest session-a.crest; then echo a
    elif cmp -s album/s.crest session-b.crest; then echo b
    else echo "session file is neither the old nor the new document"; return 1; fi
}

failures=0 n_export=0 n_save=0 n_render=0 interrupted=0
# Each job's time limit adapts: a run that finished before its kill shows the machine is
# faster now than when timed, so that job's next delays are drawn from a shorter range.
limits=("$export_ms" "$save_ms" "$render_ms")
for i in $(seq 1 "$kills"); do
    job=$(( i % 3 ))
    case $job in
        0) n_export=$((n_export + 1))
           rm -rf out; "$crest" export album/crest-demo.crest -o out >/dev/null 2>&1 & ;;
        1) n_save=$((n_save + 1))
           state=$(check_session) || fail "before kill $i: $state"
           [ "$state" = a ] && title="Kill Test B" || title="Kill Test A"
           "$crest" session set album/s.crest --album title="$title" >/dev/null 2>&1 & ;;
        2) n_render=$((n_render + 1))
           rm -f out.wav; "$crest" render render-in.wav -o out.wav --chain "$preset" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    delay=$(random_ms "${limits[$job]}")
    sleep_ms "$delay"
    if kill -9 "$pid" 2>/dev/null; then interrupted=$((interrupted + 1)); what=killed
    else what=finished; limits[$job]=$(( delay * 9 / 10 > 20 ? delay * 9 / 10 : 20 )); fi
    wait "$pid" 2>/dev/null

    problem=""
    case $job in
        0) problem=$(check_export_files out) || true
           if [ -z "$problem" ] && { [ $(( n_export % 4 )) -eq 0 ] || [ "$i" -gt $(( kills - 3 )) ]; }; then
               if ! "$crest" export album/crest-demo.crest -o out >/dev/null 2>next.log; then
                   problem="the next export failed: $(head -c 300 next.log)"
               elif ! problem=$(check_export_files out); then :
               elif [ -n "$(leftovers out)" ]; then problem="the next export left $(leftovers out | head -3 | tr '\n' ' ')"
               elif [ "$(final_files out)" != "$(final_files reference)" ]; then problem="the next export's file list differs"
               fi
           fi ;;
        1) state=$(check_session) || problem=$state
           if [ -z "$problem" ]; then
               "$crest" session set album/s.crest --album title="Kill Test A" >/dev/null 2>next.log || problem="the next save failed: $(cat next.log)"
               [ -z "$problem" ] && { state=$(check_session) || problem=$state; }
               [ -z "$problem" ] && [ "$state" != a ] && problem="the next save did not write its document"
               [ -z "$problem" ] && [ -n "$(leftovers album)" ] && problem="partial files left beside the session: $(leftovers album | head -3 | tr '\n' ' ')"
           fi ;;
        2) if [ -e out.wav ] && ! cmp -s out.wav reference.wav; then problem="out.wav exists but is not the complete render"; fi
           if [ -z "$problem" ]; then
               "$crest" render render-in.wav -o out.wav --chain "$preset" >/dev/null 2>next.log || problem="the next render failed: $(cat next.log)"
               [ -z "$problem" ] && ! cmp -s out.wav reference.wav && problem="the next render differs from the reference"
               partials=$(find . -maxdepth 1 -name '.out.wav*')
               [ -z "$problem" ] && [ -n "$partials" ] && problem="partial files left beside the render: $(echo $partials | head -c 200)"
           fi ;;
    esac
    names=(export save render)
    printf 'kill %2d: %-6s after %5d ms (%s)%s\n' "$i" "${names[$job]}" "$delay" "$what" "${problem:+  FAIL: $problem}"
    [ -n "$problem" ] && failures=$((failures + 1))
done

echo "kills: $kills (interrupted mid-run: $interrupted), export $n_export, save $n_save, render $n_render, failures $failures"
# A kill that comes after the job has finished proves nothing: most must land mid-run.
[ "$interrupted" -ge $(( kills / 2 )) ] || fail "only $interrupted of $kills kills interrupted a run"
[ "$failures" -eq 0 ]
