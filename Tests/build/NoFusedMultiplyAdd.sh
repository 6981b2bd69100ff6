#!/bin/bash
# The engine's libraries hold no fused multiply-add instruction, in any CPU clone. A fused
# multiply-add rounds once where a multiply and an add round twice, so a kernel's output would
# depend on which clone ran it (AVX2 or AVX-512 machines against the baseline) and on how the
# compiler happened to vectorise each loop: the same session would export different bytes on two
# machines. Every file with vector clones includes dsp/ReproducibleFloat.h first to forbid the
# contraction; this test finds a file that forgot (three did, seen in the disassembly).
#
# usage: NoFusedMultiplyAdd.sh LIBRARY.a...
set -u
command -v objdump >/dev/null || { echo "FAIL: objdump (binutils) is not installed"; exit 1; }
failed=0
for library in "$@"; do
    # Per object file: the archive member names say which source to fix.
    found=$(objdump -d "$library" 2>/dev/null | awk '
        /^In archive/ { next }
        /file format/ { member = $1 }
        /\tv?f(n)?m(add|sub)[0-9]+[ps][sd]/ { count[member]++ }
        END { for (m in count) printf "%s %d\n", m, count[m] }')
    if [ -n "$found" ]; then
        echo "FAIL: fused multiply-adds in $(basename "$library"):"
        echo "$found" | sed 's/^/  /'
        failed=1
    else
        echo "$(basename "$library"): no fused multiply-add"
    fi
done
[ "$failed" = 0 ] && echo PASS
exit "$failed"
