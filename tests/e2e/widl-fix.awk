# Mends two flaws of widl 7.0's -Oicf proxy/stub output for the e2e DLL.
#
# 1. For an [out] pointer to a pointer ([out, string] LPWSTR *), widl flags the
#    parameter "server alloc size=8" but gives the type offset of the inner
#    pointer instead of the outer FC_RP [allocated_on_stack] [pointer_deref]
#    that describes the parameter. Wine's rpcrt4 then marshals the address of
#    the callee's LPWSTR as if it were the string: GetPathFilter's path arrives
#    as NULL or garbage. widl gets the same thing right for an [out] enum
#    pointer (its offset names the FC_RP), so the fix is to point such
#    parameters at their FC_RP, which sits 4 bytes before the inner pointer.
#
# 2. For an [in] array of strings ([in, string, size_is(n)] LPCWSTR *, as in
#    IOfflineFilesCache::Synchronize), widl flags the parameter "simple ref"
#    (its type offset must name the array itself) but gives an offset 4 bytes
#    into the FC_BOGUS_ARRAY, in the middle of its conformance description.
#    The stub then fails with RPC_X_BAD_STUB_DATA ("Bad stub data"). widl
#    gets the offset right for its [out] arrays (GetIncludedEvents, Next), so
#    the fix is to point such parameters at the array that starts 4 bytes
#    earlier.
#
# Usage: awk -f widl-fix.awk offlinefiles_p.c offlinefiles_p.c > fixed.c
# (the file twice: the first pass finds the type entries).
FNR == NR {
    # Only the type format string's entries: the procedure format string
    # numbers its own entries from 0 too.
    if ($0 ~ /^static const MIDL_TYPE_FORMAT_STRING .* =/) types = 1
    if (!types) next
    # "/* 136 (LPWSTR *) */" followed by "0x11, 0x14, ... FC_RP [allocated_on_stack] [pointer_deref]"
    if (match($0, /^\/\* [0-9]+ \(/)) { split($0, w, " "); last = w[2]; label[last] = 1 }
    if ($0 ~ /0x11, 0x14,.*FC_RP \[allocated_on_stack\] \[pointer_deref\]/) rp[last + 4] = last
    if ($0 ~ /0x21,.*FC_BOGUS_ARRAY/) array[last] = 1
    next
}
/flags: must size, must free, out, srv size=8/ { pending = 1; print; next }
/flags: must size, must free, in, simple ref/ { pending_in = 1; print; next }
pending && /type offset = [0-9]+/ {
    pending = 0
    split($0, w, "= "); off = w[2] + 0
    if (off in rp) {
        printf "        NdrFcShort(0x%x),\t/* type offset = %d (widl-fix.awk: was %d) */\n", rp[off], rp[off], off
        fixed++
        next
    }
}
pending_in && /type offset = [0-9]+/ {
    pending_in = 0
    split($0, w, "= "); off = w[2] + 0
    if (!(off in label) && ((off - 4) in array)) {
        printf "        NdrFcShort(0x%x),\t/* type offset = %d (widl-fix.awk: was %d) */\n", off - 4, off - 4, off
        fixed_in++
        next
    }
}
{ print }
END {
    if (fixed == 0 || fixed_in == 0) {
        print "widl-fix.awk: nothing to mend (" fixed + 0 " out, " fixed_in + 0 " in); has widl changed?" > "/dev/stderr"
        exit 1
    }
}
