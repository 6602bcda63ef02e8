# Mends one flaw of widl 7.0's -Oicf proxy/stub output for the e2e DLL.
#
# For an [out] pointer to a pointer ([out, string] LPWSTR *), widl flags the
# parameter "server alloc size=8" but gives the type offset of the inner
# pointer instead of the outer FC_RP [allocated_on_stack] [pointer_deref]
# that describes the parameter. Wine's rpcrt4 then marshals the address of
# the callee's LPWSTR as if it were the string: GetPathFilter's path arrives
# as NULL or garbage. widl gets the same thing right for an [out] enum
# pointer (its offset names the FC_RP), so the fix is to point such
# parameters at their FC_RP, which sits 4 bytes before the inner pointer.
#
# Usage: awk -f widl-fix.awk offlinefiles_p.c offlinefiles_p.c > fixed.c
# (the file twice: the first pass finds the FC_RP entries).
FNR == NR {
    # "/* 136 (LPWSTR *) */" followed by "0x11, 0x14, ... FC_RP [allocated_on_stack] [pointer_deref]"
    if (match($0, /^\/\* [0-9]+ \(/)) { split($0, w, " "); last = w[2] }
    if ($0 ~ /0x11, 0x14,.*FC_RP \[allocated_on_stack\] \[pointer_deref\]/) rp[last + 4] = last
    next
}
/flags: must size, must free, out, srv size=8/ { pending = 1; print; next }
pending && /type offset = [0-9]+/ {
    pending = 0
    split($0, w, "= "); off = w[2] + 0
    if (off in rp) {
        printf "        NdrFcShort(0x%x),\t/* type offset = %d (widl-fix.awk: was %d) */\n", rp[off], rp[off], off
        fixed++
        next
    }
}
{ print }
END { if (fixed == 0) { print "widl-fix.awk: nothing to mend; has widl changed?" > "/dev/stderr"; exit 1 } }
