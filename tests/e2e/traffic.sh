# The app's end during traffic, and the soak: sourced by tests/e2e/run-tests
# (it uses that file's helpers: fail, count, records, field_of, fake_fresh,
# wait_log_more, $OUT).
#
# A round: a new ofnotify.exe on the round's data folder subscribes, the fake
# plays a burst of TRAFFIC_PASSES passes, and at a random moment of it the
# app is ended: by --exit, by TerminateProcess (appctl kill), or by the
# session's end (appctl end-session: WM_QUERYENDSESSION, WM_ENDSESSION,
# then TerminateProcess as soon as WM_ENDSESSION returns). The rest of the
# burst goes to nobody. After the rounds, every pass whose End the fake's
# log shows answered S_OK must be in the history exactly once, completed,
# in the order the Ends were answered (traffic_check).
#
# Why appctl kill and not kill -9: SIGKILL to the app's Unix process is an
# event of Linux, not of Windows: the wineserver only sees its socket close
# and tidies up after it. TerminateProcess through Wine's NT layer is what
# Task Manager's End task, or Windows after WM_ENDSESSION, does; appctl
# finds the process by the app's window, as they do. (`wine taskkill /f`
# is TerminateProcess too, but wants the Windows process id.)
#
# Rounds per kind: OFN_E2E_ROUNDS (make check: a few; make soak: 200).

TRAFFIC_PASSES=150
TRAFFIC_ROUNDS=${OFN_E2E_ROUNDS:-}
APPCTL=$E2E_DIR/appctl.exe
# The passes of all rounds are numbered in bits 18..27 of their flags
# (bits no flag uses), modulo 1024: traffic_check unwraps the numbers.
TRAFFIC_I=0
FIGURES=$OUT/figures.txt   # "kind | figure | value" lines for the table at the end

figure() { printf '%s|%s|%s\n' "$1" "$2" "$3" >> "$FIGURES"; }

traffic_burst() { # traffic_burst FILE: TRAFFIC_PASSES passes, numbered on
    local n f
    : > "$1"
    for n in $(seq "$TRAFFIC_PASSES"); do
        printf -v f '0x%08X' $((0x00010006 | ((TRAFFIC_I % 1024) << 18))); TRAFFIC_I=$((TRAFFIC_I + 1))
        printf 'pass %s\n' "$f" >> "$1"
        [ $((n % 10)) -eq 0 ] && echo 'sleep 20' >> "$1"
    done
}

appctl() { # appctl OUTFILE ARGS...
    wine_timed 60 "$1" "$APPCTL" "${@:2}"
}

# The check every round kind shares, on the fake's log LOG and the history's
# export EXPORT; files go to $OUT/NAME.*. Sets TRAFFIC_ACKED, TRAFFIC_RECORDS,
# TRAFFIC_LOST (acknowledged, not recorded as completed), TRAFFIC_UNANSWERED
# (delivered, recorded, but the answer never reached the service: the app
# ended between writing the record and COM sending S_OK back) and
# TRAFFIC_EXTRA (completed records doubled, out of order or never delivered)
# and TRAFFIC_INTERRUPTED, also when the check fails.
#
# The Ends the fake delivered, in order: "ack FLAGS" when a call of it was
# answered S_OK, "maybe FLAGS" when every call of it failed (an RPC error:
# the app was gone before it answered). The completed records must be the
# acknowledged Ends in that order, each once; a "maybe" End may be among
# them, at its place.
traffic_check() { # traffic_check NAME LOG EXPORT
    local name=$1 log=$2 export=$3 bad
    grep -Eo 'call cookie=[0-9]+ BackgroundSyncEnd\(0x[0-9A-F]+\) hr=0x[0-9A-F]+' "$log" |
        awk '{ f = substr($3, 19, 10); if (f == "0x00000000") next
               key = $2 " " f # the fake retries a failed call at once
               if (key != last) { flags[++n] = f; ok[n] = 0; last = key }
               if ($4 == "hr=0x00000000") ok[n] = 1 }
             END { for (i = 1; i <= n; i++) print (ok[i] ? "ack" : "maybe"), flags[i] }' > "$OUT/$name.delivered"
    awk '$1 == "ack" { print $2 }' "$OUT/$name.delivered" > "$OUT/$name.acked"
    records "$export" > "$OUT/$name.records"
    awk '$2 == "completed" { print $3 }' "$OUT/$name.records" > "$OUT/$name.completed"
    TRAFFIC_ACKED=$(wc -l < "$OUT/$name.acked")
    TRAFFIC_RECORDS=$(wc -l < "$OUT/$name.records")
    TRAFFIC_INTERRUPTED=$(awk '$2 == "interrupted"' "$OUT/$name.records" | wc -l)
    # Walks the delivered Ends and the completed records together: the
    # first line that breaks the rule, or the counts.
    # An extra record (doubled, out of order, never delivered) is skipped
    # when the acknowledged End it hides is within the next few.
    awk 'NR == FNR { kind[++n] = $1; flags[n] = $2; next }
         { done[++m] = $1 }
         function note(s) { if (!why) why = s }
         END {
             j = 1
             for (i = 1; i <= n; i++) {
                 if (kind[i] == "maybe") { if (j <= m && done[j] == flags[i]) { j++; unanswered++ } continue }
                 if (j <= m && done[j] == flags[i]) { j++; continue }
                 for (d = 1; d <= 4 && j + d <= m && done[j + d] != flags[i]; d++) ;
                 if (d <= 4 && j + d <= m) {
                     note("completed record " done[j] " (#" j ") stands before acknowledged End " flags[i] " (#" i ")")
                     extra += d; j += d + 1
                 } else {
                     note("acknowledged End " flags[i] " (#" i ") is not the next completed record (" (j <= m ? done[j] : "none") ")")
                     lost++
                 }
             }
             if (j <= m) { note("completed record " done[j] " (#" j ") after the last delivered End"); extra += m - j + 1 }
             print lost + 0, unanswered + 0, extra + 0, why
         }' "$OUT/$name.delivered" "$OUT/$name.completed" > "$OUT/$name.walk"
    read -r TRAFFIC_LOST TRAFFIC_UNANSWERED TRAFFIC_EXTRA bad < "$OUT/$name.walk"
    [ "$TRAFFIC_ACKED" -gt 0 ] || { fail "no End was answered"; return 1; }
    [ -z "$bad" ] || { fail "$bad; $TRAFFIC_LOST acknowledged Ends lost, $TRAFFIC_EXTRA completed records extra or out of order"; return 1; }
    bad=$(awk '$2 != "completed" && $2 != "interrupted"' "$OUT/$name.records" | head -n 2 | tr '\n' ' ')
    [ -z "$bad" ] || { fail "unexpected records: $bad"; return 1; }
    # Interrupted records too: each pass once, in the order played, and the
    # history's own numbers increasing.
    bad=$(awk '{ n = 0; f = $3; sub(/^0x/, "", f)
                 for (i = 1; i <= length(f); i++) n = n * 16 + index("0123456789ABCDEF", substr(f, i, 1)) - 1
                 k = int(n / 262144) % 1024
                 if (NR > 1 && (k - prev + 1024) % 1024 == 0) { print "pass " k " twice (record " NR ")"; exit }
                 prev = k }' "$OUT/$name.records")
    [ -z "$bad" ] || { fail "$bad"; return 1; }
    bad=$(grep -Eo '"seq":[0-9]+' "$export" | grep -Eo '[0-9]+' |
          awk 'NR > 1 && $1 <= prev { print "seq " $1 " after " prev; exit } { prev = $1 }')
    [ -z "$bad" ] || { fail "history seqs not increasing: $bad"; return 1; }
    [ "$(grep -c '"seq":' "$export")" -eq "$TRAFFIC_RECORDS" ] || fail "a record without a seq"
}

# The tray app on DATA, started in the background; waits until it has
# advised and sets APP_PID (the Unix launcher, gone when the app is) and
# APP_COOKIE.
traffic_start_app() { # traffic_start_app WINDATA LOGFILE
    local before
    before=$(count 'advise cookie=[0-9]+ level=' "$E2E_LOG")
    wine "$E2E_APP" --data-dir="$1" > "$2" 2>&1 < /dev/null &
    APP_PID=$!
    wait_log_more 'advise cookie=[0-9]+ level=' "$before" 30 || { kill "$APP_PID"; fail "the app did not advise"; return 1; }
    APP_COOKIE=$(grep -Eo 'advise cookie=[0-9]+ level=' "$E2E_LOG" | tail -n 1 | grep -Eo '[0-9]+')
}

traffic_wait_gone() {
    for _ in $(seq 400); do kill -0 "$APP_PID" 2>/dev/null || return 0; sleep 0.05; done
    kill "$APP_PID"; return 1
}

# One kind of end, ROUNDS times, then the check. KIND: exit, kill, session.
traffic_rounds() { # traffic_rounds NAME KIND ROUNDS
    local name=$1 kind=$2 rounds=$3 data=$E2E_RUN/$1-data windata round s play_pid ms how
    local log=$OUT/$1.fakecsc.log export=$OUT/$1.jsonl kinds=(shutdown logoff closeapp) cut_off=0
    fake_fresh || return 1
    rm -rf "$data"; mkdir -p "$data"; windata=$(wine_winpath "$data")
    wine_timed 30 "$OUT/$name.none" "$E2E_APP" --exit # none may be running
    for round in $(seq "$rounds"); do
        s=$OUT/$name.scn
        traffic_burst "$s"
        traffic_start_app "$windata" "$OUT/$name.app" || { REASON="round $round: $REASON"; return 1; }
        e2e_ctl 120 play "$(wine_winpath "$s")" > /dev/null 2>&1 &
        play_pid=$!
        ms=$((RANDOM % 900 + 50))
        sleep "$(printf '0.%03d' "$ms")"
        case $kind in
            exit)
                how=--exit
                e2e_note "$name round $round: $how after $ms ms"
                wine_timed 30 "$OUT/$name.end" "$E2E_APP" --exit ;;
            kill)
                how=TerminateProcess
                e2e_note "$name round $round: $how after $ms ms"
                appctl "$OUT/$name.end" kill ;;
            session)
                how="end-session ${kinds[$((round % 3))]}"
                e2e_note "$name round $round: $how after $ms ms"
                appctl "$OUT/$name.end" end-session "${kinds[$((round % 3))]}" ;;
        esac || { fail "round $round: $how failed: $(tail -n 1 "$OUT/$name.end")"; kill "$APP_PID"; wait "$play_pid"; return 1; }
        traffic_wait_gone || { fail "round $round: the app did not end after $how"; wait "$play_pid"; return 1; }
        grep -q 'terminated after WM_ENDSESSION' "$OUT/$name.end" && cut_off=$((cut_off + 1))
        wait "$play_pid" # the rest of this round's burst goes to nobody
        if grep -q "incoming Unadvise cookie=$APP_COOKIE " "$E2E_LOG"; then
            [ "$kind" = kill ] && { fail "round $round: a terminated app unsubscribed"; return 1; }
        elif [ "$kind" != kill ]; then
            fail "round $round: the app ended by $how without Unadvise"; return 1
        fi
    done
    cp "$E2E_LOG" "$log"
    timeout --kill-after=5 60 wine "$E2E_APP" --export=jsonl --data-dir="$windata" \
        > "$OUT/$name.raw" 2>&1 < /dev/null || { fail "--export failed"; return 1; }
    tr -d '\r' < "$OUT/$name.raw" > "$export"
    traffic_check "$name" "$log" "$export"
    figure "$kind" "rounds survived" "$rounds"
    figure "$kind" "Ends acknowledged" "$TRAFFIC_ACKED"
    figure "$kind" "records checked" "$TRAFFIC_RECORDS"
    figure "$kind" "acknowledged, lost" "$TRAFFIC_LOST"
    figure "$kind" "completed records extra or out of order" "$TRAFFIC_EXTRA"
    figure "$kind" "recorded, answer lost with the app" "$TRAFFIC_UNANSWERED"
    figure "$kind" "interrupted records" "$TRAFFIC_INTERRUPTED"
    [ "$kind" = session ] && figure "$kind" "still running when WM_ENDSESSION returned (terminated)" "$cut_off"
    [ -z "$REASON" ] || return 1
    TRAFFIC_NOTE="$rounds rounds of ${how%% *} during bursts: $TRAFFIC_ACKED Ends answered, all recorded once, completed, in order; $TRAFFIC_INTERRUPTED interrupted"
}

# The fake's log is kept in $OUT/NAME.fakecsc.log, also when a round fails.
traffic_test() { # traffic_test NAME KIND ROUNDS
    traffic_rounds "$@" && return 0
    cp "$E2E_LOG" "$OUT/$1.fakecsc.log" 2>/dev/null
    return 1
}

test_exit_during_traffic() { traffic_test exit-traffic exit "${TRAFFIC_ROUNDS:-5}" && EXITS_NOTE=$TRAFFIC_NOTE; }
test_kill_during_traffic() { traffic_test kill-traffic kill "${TRAFFIC_ROUNDS:-5}" && KILLS_NOTE=$TRAFFIC_NOTE; }
test_sessionend_during_traffic() { traffic_test session-traffic session "${TRAFFIC_ROUNDS:-6}" && SESSIONS_NOTE=$TRAFFIC_NOTE; }
