# shellcheck shell=bash
# Sourced (not run) by the fault tests, DiskFaultTest.sh and KillTest.sh: what they share
# before their own checks. Defines
#   fail TEXT...                      prints "FAIL: TEXT" and ends the test (exit 1);
#   prepare_demo_work CREST DEMO_DIR WORK SECONDS MIX
#       checks CREST (the program) and DEMO_DIR (the build's demo folder), both absolute
#       paths; empties WORK and changes into it (the caller's shell: this is sourced);
#       copies the demo session to album/ with its tracks cut to SECONDS s; and cuts 20 s of
#       the demo mix to MIX (a WAV to render).

fail() { echo "FAIL: $*"; exit 1; }

prepare_demo_work() {
    local crest=$1 demo=$2 work=$3 seconds=$4 mix=$5 t
    [ -x "$crest" ] || fail "no crest program at $crest"
    [ -f "$demo/crest-demo.crest" ] || fail "no demo session in $demo"
    rm -rf "$work"
    mkdir -p "$work/album" || exit 1
    cd "$work" || exit 1
    cp "$demo/crest-demo.crest" album/ || fail "cannot copy the demo session"
    for t in "$demo"/crest-demo-[0-9]-*.wav; do
        sox "$t" "album/$(basename "$t")" trim 0 "$seconds" || fail "sox could not cut $t"
    done
    sox "$demo/crest-demo-mix.wav" "$mix" trim 0 20 || fail "sox could not cut the demo mix"
}
