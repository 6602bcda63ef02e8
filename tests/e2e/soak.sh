# The soak: sourced by tests/e2e/run-tests, after traffic.sh (its appctl,
# traffic_burst, traffic_check and figure).
#
# One ofnotify.exe gets SOAK_PASSES passes in SOAK_CYCLES cycles; each cycle
# opens and closes the history window, plays its share of the passes,
# restarts the service (stop and start, as Restart-Service does: the service
# revokes its class and says STOPPED, then runs again; the app subscribes
# again) and sends TaskbarCreated. A service process that dies without
# warning is the e2e tests' `restart` (restart_mid_pass, kill_during_
# resubscribe, the traffic rounds' neighbours); it is not repeated here
# because Wine now and then hands out a dead process's class registration
# for over a minute, whatever the subscriber does. (Passes recorded while the window is open cost a
# redraw each, which made a cycle twice as slow and slower as the history
# grew; make bench times a record appended to an open window.) What the app holds is measured after
# start-up has settled (one warm-up cycle of each, then --wait-idle) and
# again after the last cycle:
#
#   handles       the process's entries in the system's handle list
#                 (NtQuerySystemInformation); Wine 8's GetProcessHandleCount
#                 answers 0 for another process, so it is shown, never checked.
#                 Wine 8 keeps 8 handles of every subscriber per service
#                 process that died while it was subscribed (Windows' COM
#                 frees what a dead client held once it stops pinging; Wine's
#                 does not), so a control subscriber (testsink, --resubscribe,
#                 only Ping and DataLost) lives through the same restarts and
#                 the app's growth is checked beyond the control's
#   gdi_table     live, non-stock entries of the process's GDI handle table
#                 (PEB->GdiSharedHandleTable), read from outside; by type too
#   windows       the process's windows, top-level, message-only and children
#   gui_gdi/user  GetGuiResources: Wine 8 does not implement it (always 0),
#                 so it is shown, never checked
#   private       Private_Clean + Private_Dirty of /proc/PID/smaps_rollup of
#                 the app's Unix process (Wine's GetProcessMemoryInfo has no
#                 private bytes of another process)
#
# Every pass must be in the history once, completed, in order
# (traffic_check); the deltas must stay within SOAK_TOLERANCE_*. The store
# keeps every record in memory by design (an array that doubles), so the
# private bytes may grow by that array: SOAK_RECORD_BYTES per record added,
# twice over for the doubling, on top of a fixed allowance.
#
# make check: OFN_E2E_SOAK_PASSES=500, OFN_E2E_SOAK_CYCLES=5 (the defaults);
# make soak: 10000 and 100.

SOAK_PASSES=${OFN_E2E_SOAK_PASSES:-500}
SOAK_CYCLES=${OFN_E2E_SOAK_CYCLES:-5}
SOAK_TOLERANCE_HANDLES=8
SOAK_TOLERANCE_GDI=4
SOAK_TOLERANCE_WINDOWS=0
SOAK_TOLERANCE_PRIVATE_KB=3072
SOAK_RECORD_BYTES=64
# What Wine 8 keeps of any subscriber per service process that died under it,
# measured with testsink alone; used only when the control did not last.
SOAK_WINE_HANDLES_PER_RESTART=8

# The Unix process of the tray app on WINDATA: `wine` becomes the Windows
# process, whose command line names the exe and its data folder.
soak_unix_pid() { # soak_unix_pid WINDATA
    local f p
    for f in /proc/[0-9]*/cmdline; do
        p=${f#/proc/}; p=${p%/cmdline}
        tr '\0' ' ' 2>/dev/null < "$f" | grep -Fq -- "ofnotify.exe --data-dir=$1" && { echo "$p"; return 0; }
    done
    return 1
}

# One line of key=value figures: appctl's and the private kB.
soak_figures() { # soak_figures UNIXPID OUTFILE
    local kb
    # The control may be gone: testsink ends when a re-advise fails (Wine's
    # RPCSS now and then hands out a dead process's registration).
    appctl "$2.control" figures testsink.exe || : > "$2.control"
    appctl "$2.raw" figures || { fail "appctl figures: $(tail -n 1 "$2.raw")"; return 1; }
    kb=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' "/proc/$1/smaps_rollup" 2>/dev/null)
    [ "${kb:-0}" -gt 0 ] || { fail "no smaps_rollup for pid $1"; return 1; }
    printf '%s private_kb=%s\n' "$(tr -d '\r' < "$2.raw")" "$kb" > "$2"
}
fig() { grep -Eo "(^| )$2=-?[0-9]+" "$1" | grep -Eo -- '-?[0-9]+$'; } # fig FILE KEY

# Advise lines of the app, not of the control (which asks only for Ping and
# DataLost), counted in one reading of the log: the fake writes while it is read.
soak_app_advises() {
    awk '/advise cookie=[0-9]+ level=/ && !/ registered=25,26 / { n++ } END { print n + 0 }' "$E2E_LOG" 2>/dev/null
}

soak_cycle() { # soak_cycle NAME CYCLE PASSES
    local s=$OUT/$1.scn advised tick t
    TRAFFIC_PASSES=$3 traffic_burst "$s"
    appctl "$OUT/$1.ctl" show-history || { fail "cycle $2: the history window did not open"; return 1; }
    appctl "$OUT/$1.ctl" close-history || { fail "cycle $2: the history window did not close"; return 1; }
    advised=$(soak_app_advises)
    e2e_ctl 300 play "$(wine_winpath "$s")" > /dev/null 2>&1 || { fail "cycle $2: play failed: $(tail -n 1 "$E2E_RUN/fakectl.out")"; return 1; }
    e2e_ctl 60 service stop || { fail "cycle $2: the service did not stop"; return 1; }
    t=$(now_ms)
    e2e_ctl 60 service start > /dev/null || { fail "cycle $2: the service did not start"; return 1; }
    # The next cycle's passes are for the app: it must be back.
    for tick in $(seq 1201); do
        [ "$(soak_app_advises)" -gt "$advised" ] && break
        [ "$tick" = 1201 ] && { fail "cycle $2: the app did not subscribe again within 60 s of the restart"; return 1; }
        sleep 0.05
    done
    awk -v a="$t" -v b="$(now_ms)" 'BEGIN { printf "%d\n", (b - a) * 1000 }' >> "$OUT/$1.readvise"
    appctl "$OUT/$1.ctl" taskbar-created || { fail "cycle $2: TaskbarCreated was not taken"; return 1; }
}

# Per restart, ms from the service's start (fakectl returns once it runs
# and answers) to the app advised again, one a line: median, max, how many
# over 15 s.
soak_readvise_times() { # soak_readvise_times FILE
    awk '{ d[n++] = $1 } END {
                 if (!n) { print "none"; exit }
                 for (i = 1; i < n; i++) for (j = i; j > 0 && d[j - 1] > d[j]; j--) { t = d[j]; d[j] = d[j - 1]; d[j - 1] = t }
                 for (i = 0; i < n; i++) slow += d[i] > 15000
                 printf "%d / %d / %d of %d\n", d[int(n / 2)], d[n - 1], slow, n }' "$1"
}

soak_idle() {
    wine_timed 90 "$OUT/soak.idle" "$E2E_APP" --wait-idle=60000 || { fail "the app did not become idle"; return 1; }
    sleep 1
}

# The delta of KEY between the figures BEFORE and AFTER, checked against LIMIT (empty: shown only).
soak_delta() { # soak_delta LABEL KEY LIMIT
    local b a d
    b=$(fig "$OUT/soak.before" "$2"); a=$(fig "$OUT/soak.after" "$2"); d=$((a - b))
    figure soak "$1 (before -> after, limit)" "$b -> $a: $d${3:+ (<= $3)}"
    SOAK_NOTE="$SOAK_NOTE $2 $d;"
    [ -z "$3" ] || [ "$d" -le "$3" ] || fail "$1 grew by $d (limit $3)"
}

test_soak() {
    soak_run && return 0
    cp "$E2E_LOG" "$OUT/soak.fakecsc.log" 2>/dev/null
    return 1
}

soak_run() {
    local data=$E2E_RUN/soak-data windata upid c per=$((SOAK_PASSES / SOAK_CYCLES)) limit_kb t0 control
    local log=$OUT/soak.fakecsc.log export=$OUT/soak.jsonl
    fake_fresh || return 1
    : > "$OUT/soak.readvise"
    rm -rf "$data"; mkdir -p "$data"; windata=$(wine_winpath "$data")
    wine_timed 30 "$OUT/soak.none" "$E2E_APP" --exit # none may be running
    TRAFFIC_I=0
    traffic_start_app "$windata" "$OUT/soak.app" || return 1
    upid=$(soak_unix_pid "$windata") || { fail "the app's Unix process was not found"; traffic_stop_app; return 1; }
    sink_start soakcontrol --resubscribe --include=25 --timeout=7200000 || { traffic_stop_app; return 1; }
    # Warm-up: the first of each brings its one-time allocations; the second
    # cycle opens the history window on records (its list and chart then
    # hold 10 more GDI objects for good).
    soak_cycle soak 0 "$per" && soak_cycle soak 0 "$per" && soak_idle &&
        soak_figures "$upid" "$OUT/soak.before" || { traffic_stop_app; return 1; }
    t0=$(now_ms)
    for c in $(seq "$SOAK_CYCLES"); do
        soak_cycle soak "$c" "$per" || { traffic_stop_app; return 1; }
    done
    soak_idle && soak_figures "$upid" "$OUT/soak.after" || { traffic_stop_app; return 1; }
    traffic_stop_app || return 1
    sink_stop soakcontrol
    cp "$E2E_LOG" "$log"
    timeout --kill-after=5 60 wine "$E2E_APP" --export=jsonl --data-dir="$windata" \
        > "$OUT/soak.raw" 2>&1 < /dev/null || { fail "--export failed"; return 1; }
    tr -d '\r' < "$OUT/soak.raw" > "$export"
    traffic_check soak "$log" "$export"
    figure soak "passes, cycles (history windows, TaskbarCreated, restarts)" "$((per * SOAK_CYCLES)) in $SOAK_CYCLES cycles (and 2 x $per to warm up), $(secs_since "$t0") s"
    figure soak "Ends acknowledged / records checked / lost" "$TRAFFIC_ACKED / $TRAFFIC_RECORDS / $TRAFFIC_LOST"
    figure soak "a restart: service running -> the app subscribed again, ms (median / max / over 15 s)" "$(soak_readvise_times "$OUT/soak.readvise")"
    [ -z "$REASON" ] || return 1
    limit_kb=$((SOAK_TOLERANCE_PRIVATE_KB + 2 * per * SOAK_CYCLES * SOAK_RECORD_BYTES / 1024))
    SOAK_NOTE="soak: $((per * SOAK_CYCLES)) passes, $SOAK_CYCLES cycles, every pass recorded once; deltas:"
    if [ -s "$OUT/soak.after.control" ] && [ -s "$OUT/soak.before.control" ]; then
        control=$(($(fig "$OUT/soak.after.control" handles) - $(fig "$OUT/soak.before.control" handles)))
        figure soak "handles of the control subscriber (Wine's per restart)" "$(fig "$OUT/soak.before.control" handles) -> $(fig "$OUT/soak.after.control" handles): $control"
    else
        control=$((SOAK_WINE_HANDLES_PER_RESTART * SOAK_CYCLES))
        figure soak "handles of the control subscriber (Wine's per restart)" "control gone (a failed re-advise); $SOAK_WINE_HANDLES_PER_RESTART per restart assumed: $control"
    fi
    soak_delta "handles, app" handles "$((control + SOAK_TOLERANCE_HANDLES))"
    soak_delta "GetProcessHandleCount (0 under Wine)" handle_count ""
    soak_delta "GDI objects (handle table)" gdi_table "$SOAK_TOLERANCE_GDI"
    soak_delta "windows" windows "$SOAK_TOLERANCE_WINDOWS"
    soak_delta "GetGuiResources GDI (0 under Wine)" gui_gdi ""
    soak_delta "GetGuiResources USER (0 under Wine)" gui_user ""
    soak_delta "private kB" private_kb "$limit_kb"
    figure soak "GDI objects by type, before" "$(grep -Eo 'gdi_types=[^ ]*' "$OUT/soak.before" | cut -d= -f2)"
    figure soak "GDI objects by type, after" "$(grep -Eo 'gdi_types=[^ ]*' "$OUT/soak.after" | cut -d= -f2)"
}

# --exit to the app traffic_start_app started; waits until it is gone.
traffic_stop_app() {
    wine_timed 30 "$OUT/stop.out" "$E2E_APP" --exit
    traffic_wait_gone || fail "the app did not exit"
}

# The figures of every round kind and the soak, as a table.
figures_table() {
    echo "# ---- figures ---------------------------------------------------------------"
    awk -F'|' '{ printf "# %-8s %-62s %s\n", $1, $2, $3 }' "$FIGURES"
}
