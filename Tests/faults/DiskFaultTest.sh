#!/bin/bash
# What the disk and the file system can do to an export, and sources that are not files:
#   - a full disk (a 3 MB tmpfs when this runs as root and may mount, else a file-size limit,
#     `ulimit -f`, with SIGXFSZ ignored so the write fails with EFBIG as on a full disk) during
#     `crest export` and `crest render`: a clear error naming the file, and nothing left behind;
#   - an unwritable folder (a read-only tmpfs as root, else chmod 555): the same;
#   - a source that is a FIFO, a device (/dev/zero, and a link to it) or a directory, given to
#     analyze, check, render (as the input and as --chain), session new, session show, export
#     (as a track of a session) and ddp verify: an error naming it within 10 s, not a hang.
#
# usage: DiskFaultTest.sh CREST DEMO_DIR WORKDIR
set -u
crest=$(realpath "$1") demo=$(realpath "$2") work=$3
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
# shellcheck source=Tests/faults/DemoWorkFolder.sh
. "$(dirname "$0")/DemoWorkFolder.sh"
failures=0
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

prepare_demo_work "$crest" "$demo" "$work" 16 mix.wav

can_mount=no
if [ -z "${CREST_FAULTS_NO_MOUNT:-}" ] && [ "$(id -u)" -eq 0 ] && mkdir -p probe && mount -t tmpfs -o size=64k tmpfs probe 2>/dev/null; then
    umount probe
    can_mount=yes
fi

# Runs "$@" with a 3 MB limit on what it may write: in a tmpfs of that size ($place is the
# folder to write into), or under `ulimit -f`.
place=""
setup_full_disk() {
    if [ $can_mount = yes ]; then
        mkdir -p full && mount -t tmpfs -o size=3m tmpfs full || fail "cannot mount a tmpfs"
        mounts+=("$PWD/full")
        place=$PWD/full
        limited() { "$@"; }
        echo "full disk: a 3 MB tmpfs"
    else
        mkdir -p full
        place=$PWD/full
        limited() { (trap '' XFSZ; ulimit -f 6144; "$@"); }
        echo "full disk: ulimit -f (3 MB), SIGXFSZ ignored"
    fi
}

# $1: what ran, $2: its exit status, $3: its stderr file, $4: the text the error must contain,
# $5: the folder that must be left empty (or absent).
judge() {
    local what=$1 status=$2 log=$3 needle=$4 folder=$5
    if [ "$status" -eq 0 ]; then bad "$what succeeded"; return; fi
    if [ "$status" -ge 124 ]; then bad "$what hung or crashed (status $status): $(head -c 300 "$log")"; return; fi
    if ! grep -q -- "$needle" "$log"; then bad "$what: the error does not say '$needle': $(head -c 400 "$log")"; return; fi
    if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then bad "$what left files behind: $(cd "$folder" && find . | head -5 | tr '\n' ' ')"; return; fi
    ok "$what: $(grep -m1 -- "$needle" "$log" | head -c 200)"
}

# --- a full disk
setup_full_disk
limited timeout 120 "$crest" export album/crest-demo.crest -o "$place/release" >/dev/null 2>err.log
status=$?
# The message names the file being written ("... streaming/01 Opening Pulse.wav: No space left").
if [ $can_mount = yes ]; then needle="No space left on device"; else needle="File too large"; fi
judge "export to a full disk" $status err.log "$needle" "$place"
grep -q "$place/release" err.log || bad "the full-disk error does not name the file: $(head -c 300 err.log)"
limited timeout 60 "$crest" render mix.wav -o "$place/master.wav" --bits 32 >/dev/null 2>err.log
status=$?
judge "render to a full disk" $status err.log "$needle" "$place"
grep -q "$place/master.wav" err.log || bad "the full-disk render error does not name the file: $(head -c 300 err.log)"

# --- an unwritable folder (a read-only tmpfs as root, chmod 555 otherwise; root without
# mount cannot be refused a write, so that case is skipped and says so)
mkdir -p locked
unwritable=yes
if [ $can_mount = yes ]; then
    mount -t tmpfs -o ro,size=64k tmpfs locked || fail "cannot mount a read-only tmpfs"
    mounts+=("$PWD/locked")
elif [ "$(id -u)" -ne 0 ]; then
    chmod 555 locked
else
    unwritable=no
    echo "SKIP: unwritable folder (root, and mount is not permitted)"
fi
if [ $unwritable = yes ]; then
    timeout 60 "$crest" export album/crest-demo.crest -o locked/release >/dev/null 2>err.log
    judge "export into an unwritable folder" $? err.log "locked/release" locked
    timeout 60 "$crest" export album/crest-demo.crest -o locked >/dev/null 2>err.log
    judge "export to an unwritable destination" $? err.log "locked" locked
    timeout 60 "$crest" render mix.wav -o locked/master.wav >/dev/null 2>err.log
    judge "render into an unwritable folder" $? err.log "locked/master.wav" locked
fi
[ $can_mount = yes ] || chmod 755 locked

# --- sources that are not files
mkfifo pipe.wav pipe.json pipe.crest
ln -s /dev/zero zero.wav
mkdir -p folder.wav ddp-fifo
mkfifo ddp-fifo/DDPID
# A session whose first track is a FIFO.
sed 's/"crest-demo-1-opening-pulse.wav"/"..\/pipe.wav"/' album/crest-demo.crest >album/fifo-track.crest
for source in pipe.wav /dev/zero zero.wav folder.wav; do
    for cmd in "analyze" "check" "render:-o out.wav" "session:new" ; do
        case $cmd in
            analyze|check) args=("$cmd" "$source") ;;
            render:*) args=(render "$source" -o out.wav) ;;
            session:new) args=(session new "$source" -o s.crest) ;;
        esac
        timeout 10 "$crest" "${args[@]}" >/dev/null 2>err.log </dev/null
        status=$?
        what="${args[*]}"
        if [ $status -eq 124 ]; then bad "$what hung"
        elif [ $status -eq 0 ]; then bad "$what succeeded"
        elif ! grep -q -e "not a file" -e "directory" err.log; then bad "$what: unclear error: $(head -c 300 err.log)"
        else ok "$what: $(head -c 160 err.log | tr '\n' ' ')"; fi
        [ -e out.wav ] && bad "$what left out.wav"
        [ -e s.crest ] && bad "$what left s.crest"
    done
done
for args in "render mix.wav -o out.wav --chain pipe.json" "render mix.wav -o out.wav --chain /dev/zero" \
            "session show pipe.crest" "session show /dev/zero" "export album/fifo-track.crest -o fifo-release" \
            "ddp verify ddp-fifo" "ddp extract ddp-fifo -o extracted"; do
    # shellcheck disable=SC2086
    timeout 10 "$crest" $args >/dev/null 2>err.log </dev/null
    status=$?
    if [ $status -eq 124 ]; then bad "$args hung"
    elif [ $status -eq 0 ]; then bad "$args succeeded"
    elif ! grep -q -e "FIFO" -e "device" err.log; then bad "$args: unclear error: $(head -c 300 err.log)"
    else ok "$args: $(head -c 160 err.log | tr '\n' ' ')"; fi
done
[ -e fifo-release ] && bad "the export with a FIFO track left fifo-release"
[ -e extracted ] && [ -n "$(ls -A extracted)" ] && bad "ddp extract of a FIFO image wrote files"

echo "disk and source faults: $failures failures"
[ "$failures" -eq 0 ]
