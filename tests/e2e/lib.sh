# Shared by tests/e2e/scenario and tests/e2e/run-tests (sourced, not run).
#
# The e2e tests own a throwaway Wine prefix, build/e2e/wineprefix, separate
# from the unit tests' one: only there is the fake Offline Files service
# (CscService) created and the test-only proxy/stub DLL registered. Its
# wineserver stays up between runs (that keeps the service alive and saves
# seconds per command); `tests/e2e/scenario --shutdown` stops it.
#
# Wine is run through tests/wine-env's helpers, which keep its rules (see
# ../shared/toolchain.md beside the project): no wine output into a pipe,
# every wait bounded.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_DIR=$E2E_ROOT/build/e2e
E2E_RUN=$E2E_DIR/run
E2E_LOG=$E2E_DIR/fakecsc.log
E2E_APP=$E2E_ROOT/build/ofnotify.exe
export OFN_ROOT=$E2E_ROOT
export OFN_WINEPREFIX=${OFN_E2E_WINEPREFIX:-$E2E_DIR/wineprefix}
# shellcheck source=../wine-env
source "$E2E_ROOT/tests/wine-env"

e2e_say() { echo "${E2E_WHO:-e2e}: $*" >&2; }

e2e_build() {
    local targets=(e2e-build "$@") out=$E2E_DIR/build.log
    mkdir -p "$E2E_DIR"
    if ! make -s -C "$E2E_ROOT" -f Makefile -f tests/e2e/rules.mk "${targets[@]}" > "$out" 2>&1; then
        cat "$out" >&2
        e2e_say "build failed (make ${targets[*]})"
        return 1
    fi
}

# Creates CscService (the fake) and registers the proxy/stub, once per prefix,
# location of the build and set of interfaces (the IDL's checksum: a new
# interface needs its registry entries); a stamp file says it is done.
e2e_register() {
    local exe dll stamp=$WINEPREFIX/.ofnotify-e2e-registered want out=$E2E_DIR/register.log idl
    exe=$(wine_winpath "$E2E_DIR/fakecsc.exe") && dll=$(wine_winpath "$E2E_DIR/ofnps.dll") || return 1
    idl=$(md5sum < "$E2E_ROOT/include/offlinefiles.idl") || return 1
    want="$exe|$dll|${idl%% *}"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
    e2e_say "registering the fake CscService and the proxy/stub in the e2e prefix"
    if [ -f "$stamp" ]; then
        # Registered for another location: a restarted server holds no
        # handles to the old service, so it can be deleted at once.
        e2e_down
        wine_env_up || return 1
    fi
    wine_timed 30 "$out" sc delete CscService
    wine_timed 30 "$out" sc create CscService binPath= "\"$exe\"" start= demand \
        || { cat "$out" >&2; e2e_say "sc create CscService failed"; return 1; }
    wine_timed 60 "$out" regsvr32 /s "$dll" \
        || { cat "$out" >&2; e2e_say "regsvr32 of the proxy/stub failed"; return 1; }
    echo "$want" > "$stamp"
}

# The prefix, its display and server, the registrations.
e2e_up() {
    mkdir -p "$E2E_RUN"
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        e2e_say "creating the Wine prefix $WINEPREFIX (once, ~15 s)"
        wine_prefix_create "$E2E_DIR/wineboot.log" || return 1
    fi
    wine_env_up || { e2e_say "could not start Wine (display or wineserver)"; return 1; }
    e2e_register
}

# Stops the prefix's wineserver and everything in it (service, app).
e2e_down() {
    wineserver -k > /dev/null 2>&1 || true
    timeout 30 wineserver -w > /dev/null 2>&1 || true
}

# fakectl with a time limit. Its output is left in $E2E_RUN/fakectl.out and
# shown on stderr when it fails.
e2e_ctl() {
    local secs=$1 rc; shift
    wine_timed "$secs" "$E2E_RUN/fakectl.out" "$E2E_DIR/fakectl.exe" "$@"; rc=$?
    [ "$rc" -ne 0 ] && cat "$E2E_RUN/fakectl.out" >&2
    return $rc
}

# A freshly started fake service with an empty log, offering the connection
# points of levels 1..${OFN_E2E_HIGHEST_CP:-4} (1: an old service with only
# IOfflineFilesEvents; restarts keep it). If the service is in a
# state that no stop and start mends (a fake process that died outside a
# scenario leaves Wine 8's SCM and RPCSS believing in it), the prefix's
# wineserver is restarted once, which resets both.
e2e_service_fresh() {
    local attempt
    for attempt in 1 2; do
        if e2e_ctl 20 service stop 2>/dev/null; then
            rm -f "$E2E_LOG"
            e2e_ctl 20 service start "${OFN_E2E_HIGHEST_CP:-4}" 2>/dev/null && return 0
        fi
        [ "$attempt" = 2 ] && break
        e2e_say "the fake service does not stop and start cleanly; restarting the e2e wineserver"
        e2e_down
        wine_env_up || return 1
    done
    e2e_ctl 20 service start "${OFN_E2E_HIGHEST_CP:-4}"
    e2e_say "the fake CscService does not start; see $E2E_LOG"
    return 1
}

# Adds a line to the fake's log, so a test can see where in the fake's
# sequence of calls something on the app's side happened.
e2e_note() {
    printf '%s [sh] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >> "$E2E_LOG"
}

# Waits until the log has a line matching the extended regex, up to SECS.
e2e_wait_log() {
    local regex=$1 secs=$2 waited=0
    while ! grep -Eq -- "$regex" "$E2E_LOG" 2>/dev/null; do
        [ "$waited" -ge $((secs * 20)) ] && return 1
        sleep 0.05; waited=$((waited + 1))
    done
}

# One scenario or test run at a time per prefix: they share the service and
# its log. A lock directory, not flock on a descriptor: every process started
# from here (the persistent wineserver among them) would inherit that
# descriptor and hold the lock forever. A lock whose owner is gone is taken.
E2E_LOCK=$E2E_DIR/lock
e2e_lock() {
    local secs=$1 waited=0 owner
    mkdir -p "$E2E_DIR"
    until mkdir "$E2E_LOCK" 2> /dev/null; do
        owner=$(cat "$E2E_LOCK/pid" 2> /dev/null || true)
        if [ -n "$owner" ] && ! kill -0 "$owner" 2> /dev/null; then
            rm -rf "$E2E_LOCK"
            continue
        fi
        [ "$waited" -ge $((secs * 10)) ] && { e2e_say "build/e2e/lock is held by pid ${owner:-?} for $secs s"; return 1; }
        sleep 0.1; waited=$((waited + 1))
    done
    echo "${E2E_LOCK_PID:-$$}" > "$E2E_LOCK/pid"
}
e2e_unlock() {
    [ "$(cat "$E2E_LOCK/pid" 2> /dev/null)" = "${E2E_LOCK_PID:-$$}" ] && rm -rf "$E2E_LOCK"
    return 0
}
