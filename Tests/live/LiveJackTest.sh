#!/bin/bash
# End-to-end test of the live engine under a real audio server: starts a private JACK server
# with the dummy driver (no sound card) at 48 kHz, plays 10 s of the 44.1 kHz demo mix through
# the player and a mastering chain via juce::AudioDeviceManager (`crest play --device jack`), and checks that
#   - the output meter's integrated loudness matches `crest analyze` of the offline render of
#     the same file through the same chain (within 0.5 LU), and
#   - the engine's callback never waited (no voluntary context switch inside it, counted by
#     `crest play` with getrusage on the audio thread) and never used more than half a period
#     of CPU time, and
#   - no xruns occur: neither JUCE's count (JACK's xrun callback to our client) nor any XRun
#     line in jackd's own log, unless the engine's own figures show the miss was not its doing
#     (see below).
#
# usage: LiveJackTest.sh CREST DEMO_MIX PRESET WORKDIR rt|no-realtime
#   rt           jackd with realtime scheduling (-R): the way a studio runs it, and the only
#                way "no xruns at 256 samples" can be promised on a loaded machine.
#                Skipped (exit 77) where SCHED_FIFO is not permitted.
#   no-realtime  jackd --no-realtime: the loudness check is strict; xruns are reported and only
#                fail the test with CREST_STRICT_XRUNS=1, since without realtime scheduling even
#                a JACK server with no client at all misses deadlines when the machine is busy.
set -u
crest=$1 demo=$2 preset=$3 work=$4 mode=$5
server="crest-test-$$"
mkdir -p "$work"
cd "$work" || exit 1

jackd_pid=""
cleanup()
{
    if [ -n "$jackd_pid" ]; then
        kill "$jackd_pid" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$jackd_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$jackd_pid" 2>/dev/null
        wait "$jackd_pid" 2>/dev/null
    fi
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*"; exit 1; }

command -v jackd >/dev/null || fail "jackd is not installed (jackd2)"
[ -f "$demo" ] || fail "no demo mix at $demo"

if [ "$mode" = rt ]; then
    if ! chrt -f 10 true 2>/dev/null; then
        echo "SKIP: realtime scheduling (SCHED_FIFO) is not permitted here"
        exit 77
    fi
    jackd_args=(-n "$server" -R -P 70 -d dummy -r 48000 -p 256)
else
    jackd_args=(-n "$server" --no-realtime -d dummy -r 48000 -p 256)
fi

# The first 10 s of the demo mix, at its own rate (44.1 kHz): the engine runs at that rate, as
# the offline render does, and the player converts its monitor output for the 48 kHz server.
sox "$demo" excerpt.wav trim 0 10 || fail "sox could not cut the excerpt"

"$crest" render excerpt.wav -o offline.wav --chain "$preset" >/dev/null 2>render.log || fail "offline render failed: $(cat render.log)"
offline=$("$crest" analyze --json offline.wav | jq -r .integrated_lufs) || fail "analyze failed"

# One attempt: a fresh server, 10 s of play, the figures. Returns 0 when the run was clean.
attempt()
{
    jackd "${jackd_args[@]}" >jackd.log 2>&1 &
    jackd_pid=$!
    export JACK_DEFAULT_SERVER="$server"
    for _ in $(seq 50); do
        jack_lsp >/dev/null 2>&1 && break
        kill -0 "$jackd_pid" 2>/dev/null || fail "jackd exited: $(cat jackd.log)"
        sleep 0.1
    done
    jack_lsp >/dev/null 2>&1 || fail "jackd did not come up: $(cat jackd.log)"

    timeout 60 "$crest" play excerpt.wav --chain "$preset" --device jack --seconds 10 --json >live.json 2>play.log \
        || fail "crest play failed: $(cat play.log)"
    cleanup
    jackd_pid=""

    live=$(jq -r .output.integrated_lufs live.json)
    xruns=$(jq -r .xruns live.json)
    underruns=$(jq -r .underruns live.json)
    played=$(jq -r .seconds_played live.json)
    server_xruns=$(grep -ci xrun jackd.log)
    waited=$(jq -r .callback.waited_cycles live.json)
    cpu_max=$(jq -r .callback.cpu_max_ms live.json)
    budget=$(jq -r .callback.budget_ms live.json)
    echo "mode $mode, attempt $1: offline render $offline LUFS, live output $live LUFS over $played s;" \
         "xruns: JUCE $xruns, jackd log $server_xruns; disk underruns $underruns;" \
         "callback $(jq -c .callback live.json)"
    [ "$xruns" = 0 ] && [ "$server_xruns" = 0 ]
}

# Realtime mode should be clean, and one retry is allowed. But the machine may be shared or
# virtual: there a stall outside the guest delays even jackd's own realtime driver thread (its
# log then says "JackTimedDriver::Process XRun"), and a JACK server with jack_metro as its only
# client misses deadlines too while two plain busy loops run (seen on the 2-core development
# VM, 2 xruns in 10 s). The engine's own figures tell the two apart: an xrun is the engine's
# doing only if its callback waited or its work did not fit the period. On such a machine the
# test says so and passes; CREST_STRICT_XRUNS=1 makes any xrun fail (a studio machine).
clean=1
attempt 1 || { [ "$mode" = rt ] && grep -i xrun jackd.log | head -3 && attempt 2; } || clean=0

[ "$waited" = 0 ] || fail "the engine's callback waited in $waited cycles (a voluntary context switch on the audio thread)"
awk -v c="$cpu_max" -v b="$budget" 'BEGIN { exit !(b > 0 && c <= b / 2) }' \
    || fail "the engine's callback took up to $cpu_max ms of CPU in a $budget ms period (more than half)"

awk -v a="$offline" -v b="$live" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.5) }' \
    || fail "live integrated loudness $live differs from the offline render's $offline by more than 0.5 LU"
awk -v p="$played" 'BEGIN { exit !(p >= 9.0) }' || fail "played only $played s"
[ "$underruns" = 0 ] || fail "$underruns disk underruns"
if [ "$clean" = 0 ]; then
    misses="$xruns reported by JACK to the client, $server_xruns in jackd's log: $(grep -i xrun jackd.log | head -3 | tr '\n' ' ')"
    [ "${CREST_STRICT_XRUNS:-0}" = 1 ] && fail "xruns: $misses"
    echo "NOTE: xruns ($misses) with the engine's callback at most $cpu_max ms of CPU in $budget ms and never waiting:" \
         "the machine did not run the realtime threads in time (CREST_STRICT_XRUNS=1 fails on them)"
fi
echo "PASS"
