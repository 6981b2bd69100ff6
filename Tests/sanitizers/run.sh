#!/bin/sh
# Runs a sanitizer build's program (the Catch2 suite) with Crest's sanitizer options and the
# suppression files beside this script. The options travel in the environment, so the `crest`
# processes the CLI tests start are checked the same way.
#
# usage: run.sh address|thread PROGRAM [ARGUMENTS...]
#   address  a -DCREST_SANITIZE=address,undefined (or CREST_FUZZ) build: ASan, LeakSanitizer, UBSan
#   thread   a -DCREST_SANITIZE=thread build: TSan
# Exit status: the program's (a report ends it with an error: the builds use no recovery).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kind=$1
shift
case $kind in
    address)
        export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:halt_on_error=1"
        export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
        export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$here/ubsan.supp"
        ;;
    thread)
        export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tsan.supp"
        ;;
    *)
        echo "usage: run.sh address|thread PROGRAM [ARGUMENTS...]" >&2
        exit 2
        ;;
esac
exec "$@"
