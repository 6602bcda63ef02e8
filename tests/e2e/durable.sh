# An End answered S_OK is on disk before the answer, also where the history
# cannot take it at once: sourced by tests/e2e/run-tests (it uses that file's
# helpers: fail, count, records, fake_fresh, wait_log_more, $OUT, and
# traffic.sh's appctl and traffic_start_app).
#
# The fake is told (fakectl advise-pass) to deliver a whole pass to a new
# subscription before its Advise returns, and then to hold Advise's return,
# as the real service may (it queues events to a new sink at once). The app
# is ended by TerminateProcess as soon as the fake's log shows that End
# answered S_OK, while the app is still inside its call to Advise:
#   - at start, where the history is not open yet (it opens from the message
#     loop, after the subscription: a damaged history's recovery must not
#     hold it up), so the record can only be in the journal;
#   - while the app subscribes again after the service restarted.
# Afterwards the pass must be in the history, once, in order.

DURABLE_HOLD_MS=4000
STOREFILE=$E2E_DIR/native/storefile

durable_flag() { printf '0x%08X' $((0x00010006 | ($1 << 18))); } # pass number -> its flags

# Waits for the End of FLAGS answered S_OK to the app's subscription, then
# ends the app by TerminateProcess while its Advise is held.
durable_kill_after_ack() { # durable_kill_after_ack NAME FLAGS
    local ack="call cookie=[0-9]+ BackgroundSyncEnd\\($2\\) hr=0x00000000"
    wait_log_more "$ack" 0 30 || { fail "the End of $2 was not answered S_OK: $(grep -E "BackgroundSyncEnd\\($2\\)" "$E2E_LOG" | tail -n 1)"; return 1; }
    grep -q "advise cookie=[0-9]* returns" "$E2E_LOG" && { fail "Advise returned before the app was ended: hold longer"; return 1; }
    appctl "$OUT/$1.kill" kill || { fail "appctl kill failed: $(tail -n 1 "$OUT/$1.kill")"; return 1; }
    traffic_wait_gone || { fail "the app did not end after TerminateProcess"; return 1; }
    grep -q "advise cookie=[0-9]* returns" "$E2E_LOG" && { fail "Advise returned before the app was gone: hold longer"; return 1; }
    return 0
}

# The history's records, "status flags" a line, from the export.
durable_records() { # durable_records NAME WINDATA
    timeout --kill-after=5 60 wine "$E2E_APP" --export=jsonl --data-dir="$2" > "$OUT/$1.raw" 2>&1 < /dev/null ||
        { fail "--export failed: $(tail -n 1 "$OUT/$1.raw")"; return 1; }
    tr -d '\r' < "$OUT/$1.raw" > "$OUT/$1.jsonl"
    records "$OUT/$1.jsonl" | awk '{ print $2, $3 }' > "$OUT/$1.got"
}

durable_want() { # durable_want NAME: the .got file must be stdin's lines
    cat > "$OUT/$1.want"
    diff -q "$OUT/$1.want" "$OUT/$1.got" > /dev/null ||
        fail "records (want | got): $(diff "$OUT/$1.want" "$OUT/$1.got" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
}

# At start: a damaged history (its third record, of 0..4), the End of pass
# 101 comes during Advise and is answered; the app is ended there. The next
# start recovers the history and merges the journal; its own first End (102),
# during its Advise, goes behind it (to the journal too), pass 103 played
# later straight to the history. (The Advise of the first app, held after
# the app was gone, returns too: hence the second "returns" line.)
test_kill_before_history_open() {
    local name=kill-before-open data=$E2E_RUN/kill-before-open windata st
    fake_fresh || return 1
    rm -rf "$data"; mkdir -p "$data"; windata=$(wine_winpath "$data")
    "$STOREFILE" history "$data/history.dat" 1 6 1 5 || { fail "storefile failed"; return 1; }
    printf '\377' | dd of="$data/history.dat" bs=1 seek=$((28 + 50 * 2 + 20)) conv=notrunc status=none
    cp "$data/history.dat" "$OUT/$name.seed"
    wine_timed 30 "$OUT/$name.none" "$E2E_APP" --exit # none may be running
    e2e_ctl 20 advise-pass "$(durable_flag 101)" "$DURABLE_HOLD_MS" || { fail "fakectl advise-pass failed"; return 1; }
    WINEDEBUG="$WINEDEBUG,+debugstr" wine "$E2E_APP" --data-dir="$windata" > "$OUT/$name.app1" 2>&1 < /dev/null &
    APP_PID=$!
    durable_kill_after_ack "$name" "$(durable_flag 101)" || { kill "$APP_PID" 2>/dev/null; return 1; }
    cmp -s "$data/history.dat" "$OUT/$name.seed" || { fail "the history was touched before the app was ended"; return 1; }
    # The history was not open: the journal has the pass, and nobody was told of a problem.
    [ "$("$STOREFILE" flags "$data/history.dat.journal" 2>/dev/null)" = "$(durable_flag 101)" ] ||
        { fail "the journal does not hold pass 101 alone: $("$STOREFILE" flags "$data/history.dat.journal" 2>&1 | tr '\n' ' ')"; return 1; }
    ! grep -q 'told the user' "$OUT/$name.app1" || { fail "a journal before the history opens was told as a problem"; return 1; }

    cp "$E2E_LOG" "$OUT/$name.fakecsc1.log"
    e2e_ctl 20 advise-pass "$(durable_flag 102)" 0 || { fail "fakectl advise-pass failed"; return 1; }
    WINEDEBUG="$WINEDEBUG,+debugstr" wine "$E2E_APP" --data-dir="$windata" > "$OUT/$name.app2" 2>&1 < /dev/null &
    APP_PID=$!
    wait_log_more "advise cookie=[0-9]+ returns" 1 30 || { fail "the app did not subscribe again"; kill "$APP_PID"; return 1; }
    printf 'pass %s\n' "$(durable_flag 103)" > "$OUT/$name.scn"
    e2e_ctl 60 play "$(wine_winpath "$OUT/$name.scn")" > /dev/null || { fail "playing pass 103 failed"; kill "$APP_PID"; return 1; }
    wine_timed 60 "$OUT/$name.idle" "$E2E_APP" --wait-idle=30000 || { fail "--wait-idle failed"; kill "$APP_PID"; return 1; }
    wine_timed 60 "$OUT/$name.status.raw" "$E2E_APP" --status
    st=$(tr -d '\r' < "$OUT/$name.status.raw")
    wine_timed 30 "$OUT/$name.exit" "$E2E_APP" --exit
    traffic_wait_gone || { fail "the app did not exit"; return 1; }
    cp "$E2E_LOG" "$OUT/$name.fakecsc.log"
    grep -Eq '^History state: +ok$' <<< "$st" || { fail "history state: $(grep -E '^History state' <<< "$st")"; return 1; }
    [ ! -e "$data/history.dat.journal" ] || { fail "the journal is still there after the merge"; return 1; }
    grep -q 'records in the file are damaged' "$OUT/$name.app2" || { fail "the damaged history was not recovered"; return 1; }
    durable_records "$name" "$windata" || return 1
    durable_want "$name" <<EOF
completed $(durable_flag 0)
completed $(durable_flag 1)
completed $(durable_flag 3)
completed $(durable_flag 4)
completed $(durable_flag 101)
completed $(durable_flag 102)
completed $(durable_flag 103)
EOF
}

# The service restarts while pass 11 runs (interrupted when the service is
# lost); the new subscription's first pass, 12, ends during the app's
# Advise, held HOLD ms, and is answered. Sets DATA, WINDATA and PLAY_PID
# (the play, still running); on failure nothing is left running.
durable_resubscribe() { # durable_resubscribe NAME HOLD
    DATA=$E2E_RUN/$1; WINDATA=
    fake_fresh || return 1
    rm -rf "$DATA"; mkdir -p "$DATA"; WINDATA=$(wine_winpath "$DATA")
    wine_timed 30 "$OUT/$1.none" "$E2E_APP" --exit # none may be running
    traffic_start_app "$WINDATA" "$OUT/$1.app" || return 1
    printf '%s\n' "pass $(durable_flag 10)" "begin $(durable_flag 11)" 'restart' > "$OUT/$1.scn"
    e2e_ctl 20 advise-pass "$(durable_flag 12)" "$2" || { fail "fakectl advise-pass failed"; kill "$APP_PID"; return 1; }
    e2e_ctl 120 play "$(wine_winpath "$OUT/$1.scn")" > /dev/null 2>&1 &
    PLAY_PID=$!
}

# After either: the history holds 10 completed, 11 interrupted, 12 completed.
durable_resubscribe_records() { # durable_resubscribe_records NAME
    durable_records "$1" "$WINDATA" || return 1
    durable_want "$1" <<EOF
completed $(durable_flag 10)
interrupted $(durable_flag 11)
completed $(durable_flag 12)
EOF
}

# The app is ended by TerminateProcess while the Advise is held.
test_kill_during_resubscribe() {
    local name=kill-resubscribe
    durable_resubscribe "$name" "$DURABLE_HOLD_MS" || return 1
    durable_kill_after_ack "$name" "$(durable_flag 12)" || { kill "$APP_PID" 2>/dev/null; wait "$PLAY_PID"; return 1; }
    wait "$PLAY_PID"
    cp "$E2E_LOG" "$OUT/$name.fakecsc.log"
    durable_resubscribe_records "$name"
}

# The session ends (Restart Manager closing the app) while the Advise is
# held: WM_ENDSESSION is sent, and the apartment dispatches it during the
# call. The app saves everything before it answers, leaves the service link
# to the call under way (which drops the subscription it made once it
# returns), and exits by itself, cleanly, once Advise has returned: within
# the exit guard's 3 s, so that it is the app's own code that ends the
# process.
SESSIONEND_HOLD_MS=1500
test_sessionend_during_resubscribe() {
    local name=sessionend-resubscribe
    durable_resubscribe "$name" "$SESSIONEND_HOLD_MS" || return 1
    wait_log_more "call cookie=[0-9]+ BackgroundSyncEnd\\($(durable_flag 12)\\) hr=0x00000000" 0 30 ||
        { fail "the End of pass 12 was not answered S_OK"; kill "$APP_PID"; wait "$PLAY_PID"; return 1; }
    appctl "$OUT/$name.end" end-session restartmanager
    traffic_wait_gone || { fail "the app is still there"; wait "$PLAY_PID"; return 1; }
    wait "$PLAY_PID"
    cp "$E2E_LOG" "$OUT/$name.fakecsc.log"
    grep -q 'exited by itself with code 0' "$OUT/$name.end" || { fail "$(tail -n 1 "$OUT/$name.end")"; return 1; }
    # The subscription the call made is dropped by the app, not left to die with it.
    awk '/ctl: restart done/ { after = 1 } after && /incoming Unadvise cookie=/ { found = 1 } END { exit !found }' \
        "$OUT/$name.fakecsc.log" || { fail "the subscription made during the session's end was never unadvised"; return 1; }
    durable_resubscribe_records "$name"
}
