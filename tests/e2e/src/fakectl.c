/* e2e: fakectl, the control tool of the fake Offline Files service.
 *
 *   fakectl check SCRIPT        parse only: exit 0, or 2 with "SCRIPT:LINE: why"
 *   fakectl play SCRIPT [APP]   parse the whole script, then play it; APP is
 *                               ofnotify.exe, needed by sync-now lines
 *   fakectl wait-sinks N MS     wait until N sinks are advised (exit 0) or MS pass (exit 1)
 *   fakectl status              print "pid=P sinks=S"
 *   fakectl restart [LATE_MS]   the restart of a script, on its own; with
 *                               LATE_MS the new process says RUNNING and
 *                               registers its class LATE_MS later
 *   fakectl service stop|start [HIGHEST]
 *                               stop CscService cleanly / start it; both wait.
 *                               A start offers the connection points of
 *                               levels 1..HIGHEST (default 4; 1 plays a
 *                               service that has only IOfflineFilesEvents),
 *                               and so does every restart after it
 *   fakectl advise-pass FLAGS MS
 *                               every Advise from now on (until the next
 *                               service start) delivers a pass with FLAGS
 *                               to the new subscription before it returns,
 *                               then holds its return MS ms; FLAGS 0: no more
 *
 * A script is validated completely before anything is played, so a bad
 * line plays nothing. The service plays the lines between two `restart`s or
 * `sync-now`s in one request (so a burst is not slowed by the pipe);
 * `restart` is done here, because the service process itself dies in it,
 * and so is `sync-now`, which is the app's side: APP --sync-now, as a user's
 * script would run it, with its exit code in the log.
 *
 * Exit codes: 0 done, 1 failed (message on stderr), 2 bad script or usage. */
#include "fakecsc.h"
#include "proto.h"
#include "scn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a restart may take at each step; far above what it needs. A
 * subscriber may take long to come back: Wine now and then goes on handing
 * out the dead process's class registration (0x800706BF) for more than
 * 15 s, whatever the subscriber does (on Windows the cache object is
 * in-process), so that wait allows a minute. */
#define PIPE_CONNECT_MS 15000
#define RESTART_EXIT_MS 10000
#define RESTART_SINK_MS 60000

typedef struct script {
    scn_cmd *cmds;
    size_t count;
} script;

static void fail(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    char msg[600];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "fakectl: %s\n", msg);
    fk_log("ctl: error: %s", msg);
}

/* ------------------------------------------------------------ the pipe */

/* Sends one request and reads the reply into out (NUL-terminated).
 * A reply is awaited for at most timeout_ms. Returns FALSE on failure,
 * with *broken set if the service closed the pipe without replying. */
static BOOL transact(const char *req, size_t len, char *out, size_t cap, DWORD timeout_ms, BOOL *broken)
{
    ULONGLONG deadline = GetTickCount64() + PIPE_CONNECT_MS;
    HANDLE pipe = INVALID_HANDLE_VALUE;
    OVERLAPPED ov = {0};
    DWORD mode = PIPE_READMODE_MESSAGE, done = 0, err;
    BOOL ok = FALSE;

    *broken = FALSE;
    out[0] = '\0';
    for (;;) {
        pipe = CreateFileW(FK_PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
        if (pipe != INVALID_HANDLE_VALUE)
            break;
        err = GetLastError();
        if (GetTickCount64() >= deadline) {
            fail("cannot reach the fake service's pipe within %d ms (error %lu); is CscService running?",
                 PIPE_CONNECT_MS, (unsigned long)err);
            return FALSE;
        }
        /* Busy: another client; not found: the service is (re)starting. */
        if (err == ERROR_PIPE_BUSY)
            WaitNamedPipeW(FK_PIPE_NAME, 200);
        else
            Sleep(20);
    }
    SetNamedPipeHandleState(pipe, &mode, NULL, NULL);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent) {
        fail("CreateEvent failed (error %lu)", (unsigned long)GetLastError());
        goto done;
    }

    if (!WriteFile(pipe, req, (DWORD)len, NULL, &ov) && GetLastError() != ERROR_IO_PENDING) {
        fail("cannot send the request (error %lu)", (unsigned long)GetLastError());
        goto done;
    }
    if (WaitForSingleObject(ov.hEvent, 10000) != WAIT_OBJECT_0 ||
        !GetOverlappedResult(pipe, &ov, &done, FALSE) || done != len) {
        CancelIo(pipe);
        fail("the request was not taken within 10 s");
        goto done;
    }

    ResetEvent(ov.hEvent);
    if (!ReadFile(pipe, out, (DWORD)cap - 1, NULL, &ov) && GetLastError() != ERROR_IO_PENDING) {
        err = GetLastError();
        *broken = err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED;
        if (!*broken)
            fail("cannot read the reply (error %lu)", (unsigned long)err);
        goto done;
    }
    if (WaitForSingleObject(ov.hEvent, timeout_ms) != WAIT_OBJECT_0) {
        CancelIo(pipe);
        fail("no reply within %lu ms", (unsigned long)timeout_ms);
        goto done;
    }
    if (!GetOverlappedResult(pipe, &ov, &done, FALSE)) {
        err = GetLastError();
        *broken = err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED;
        if (!*broken)
            fail("cannot read the reply (error %lu)", (unsigned long)err);
        goto done;
    }
    out[done] = '\0';
    ok = TRUE;
done:
    if (ov.hEvent)
        CloseHandle(ov.hEvent);
    CloseHandle(pipe);
    return ok;
}

static BOOL simple_request(const char *req, char *out, size_t cap, DWORD timeout_ms)
{
    BOOL broken;
    if (!transact(req, strlen(req), out, cap, timeout_ms, &broken)) {
        if (broken)
            fail("the service closed the pipe without a reply to '%s'", req);
        return FALSE;
    }
    return TRUE;
}

static BOOL wait_sinks(long want, DWORD ms, char *reply, size_t cap)
{
    char req[64];
    snprintf(req, sizeof req, "wait-sinks %ld %lu", want, (unsigned long)ms);
    if (!simple_request(req, reply, cap, ms + 5000))
        return FALSE;
    return strncmp(reply, "ok ", 3) == 0;
}

/* --------------------------------------------------------- the service */

static SC_HANDLE open_service(DWORD access)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE svc = NULL;
    if (!scm) {
        fail("OpenSCManager failed (error %lu)", (unsigned long)GetLastError());
        return NULL;
    }
    svc = OpenServiceW(scm, FK_SERVICE_NAME, access);
    if (!svc)
        fail("the CscService service is not there (error %lu)", (unsigned long)GetLastError());
    CloseServiceHandle(scm);
    return svc;
}

static BOOL query(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    DWORD need;
    return QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)st, sizeof *st, &need);
}

/* Polls until the service is in state, or ms pass. */
static BOOL wait_state(SC_HANDLE svc, DWORD state, DWORD ms, SERVICE_STATUS_PROCESS *st)
{
    ULONGLONG deadline = GetTickCount64() + ms;
    for (;;) {
        if (query(svc, st) && st->dwCurrentState == state)
            return TRUE;
        if (GetTickCount64() >= deadline)
            return FALSE;
        Sleep(10);
    }
}

static BOOL start_service(SC_HANDLE svc, DWORD argc, const WCHAR **argv)
{
    if (StartServiceW(svc, argc, argv))
        return TRUE;
    fail("StartService(CscService) failed (error %lu)", (unsigned long)GetLastError());
    return FALSE;
}

/* Leaves the highest connection point level for the service processes
 * started from now on (fakecsc.h, FK_OFFER_KEY). */
static BOOL set_offer(DWORD highest)
{
    LSTATUS err = RegSetKeyValueW(HKEY_LOCAL_MACHINE, FK_OFFER_KEY, FK_OFFER_VALUE, REG_DWORD, &highest,
                                  sizeof highest);
    if (err != ERROR_SUCCESS) {
        fail("cannot write HKLM\\%ls\\%ls (error %ld)", FK_OFFER_KEY, FK_OFFER_VALUE, (long)err);
        return FALSE;
    }
    fk_log("ctl: service start offers connection points up to level %lu", (unsigned long)highest);
    return TRUE;
}

/* fakectl advise-pass (fakecsc.h): read by every Advise from now on. */
static BOOL set_advise_pass(DWORD flags, DWORD hold_ms)
{
    LSTATUS err = RegSetKeyValueW(HKEY_LOCAL_MACHINE, FK_OFFER_KEY, FK_ADVISE_PASS_VALUE, REG_DWORD, &flags,
                                  sizeof flags);
    if (err == ERROR_SUCCESS)
        err = RegSetKeyValueW(HKEY_LOCAL_MACHINE, FK_OFFER_KEY, FK_ADVISE_HOLD_VALUE, REG_DWORD, &hold_ms,
                              sizeof hold_ms);
    if (err != ERROR_SUCCESS) {
        fail("cannot write HKLM\\%ls\\%ls (error %ld)", FK_OFFER_KEY, FK_ADVISE_PASS_VALUE, (long)err);
        return FALSE;
    }
    fk_log("ctl: every Advise delivers pass 0x%08lX before it returns, then holds %lu ms", (unsigned long)flags,
           (unsigned long)hold_ms);
    return TRUE;
}

/* "service stop": a clean stop (the fake revokes its class) and a wait for
 * STOPPED. "service start": start and wait for RUNNING and an answering
 * pipe. Both succeed at once when the service is already there (then a
 * start's HIGHEST takes effect at the next start). */
static int cmd_service(const WCHAR *what, DWORD highest)
{
    SERVICE_STATUS_PROCESS st;
    SERVICE_STATUS ss;
    char reply[FK_MAX_REPLY];
    SC_HANDLE svc = open_service(SERVICE_QUERY_STATUS | SERVICE_START | SERVICE_STOP);
    int rc = 1;

    if (!svc)
        return 1;
    if (!query(svc, &st)) {
        fail("cannot query CscService (error %lu)", (unsigned long)GetLastError());
        goto done;
    }
    if (wcscmp(what, L"stop") == 0) {
        if (st.dwCurrentState != SERVICE_STOPPED && !ControlService(svc, SERVICE_CONTROL_STOP, &ss))
            fk_log("ctl: service stop: ControlService error %lu (state %lu)", (unsigned long)GetLastError(),
                   (unsigned long)st.dwCurrentState);
        if (!wait_state(svc, SERVICE_STOPPED, RESTART_EXIT_MS, &st)) {
            fail("CscService did not stop within %d ms (state %lu)", RESTART_EXIT_MS,
                 (unsigned long)st.dwCurrentState);
            goto done;
        }
        rc = 0;
    } else if (wcscmp(what, L"start") == 0) {
        if (!set_offer(highest) || !set_advise_pass(0, 0))
            goto done;
        if (st.dwCurrentState != SERVICE_RUNNING && !start_service(svc, 0, NULL))
            goto done;
        if (!wait_state(svc, SERVICE_RUNNING, RESTART_EXIT_MS, &st)) {
            fail("CscService did not start within %d ms (state %lu)", RESTART_EXIT_MS,
                 (unsigned long)st.dwCurrentState);
            goto done;
        }
        if (!simple_request("status", reply, sizeof reply, 5000))
            goto done;
        printf("%s\n", reply);
        rc = 0;
    } else {
        fail("service stop|start, not '%ls'", what);
        rc = 2;
    }
done:
    CloseServiceHandle(svc);
    return rc;
}

/* The service process dies without warning, then a new one registers and
 * a sink advises it again (the app's service watch re-subscribes). */
static BOOL do_restart(DWORD class_late_ms)
{
    static const WCHAR *shim_args[] = {L"--report-crash"};
    WCHAR late_arg[40];
    const WCHAR *start_args[] = {late_arg};
    SERVICE_STATUS_PROCESS st;
    SC_HANDLE svc;
    HANDLE old = NULL;
    DWORD old_pid;
    ULONGLONG t0 = GetTickCount64(), t_dead, t_stopped, t_running;
    char reply[FK_MAX_REPLY];
    BOOL broken, ok = FALSE;

    svc = open_service(SERVICE_QUERY_STATUS | SERVICE_START);
    if (!svc)
        return FALSE;
    if (!query(svc, &st) || st.dwCurrentState != SERVICE_RUNNING) {
        fail("restart: CscService is not running");
        goto done;
    }
    old_pid = st.dwProcessId;
    old = OpenProcess(SYNCHRONIZE, FALSE, old_pid);
    fk_log("ctl: restart: killing service process %lu", (unsigned long)old_pid);

    if (transact("restart", 7, reply, sizeof reply, RESTART_EXIT_MS, &broken) || !broken) {
        fail("restart: the service did not exit (reply '%s')", reply);
        goto done;
    }
    if (old && WaitForSingleObject(old, RESTART_EXIT_MS) != WAIT_OBJECT_0) {
        fail("restart: process %lu still alive after %d ms", (unsigned long)old_pid, RESTART_EXIT_MS);
        goto done;
    }
    t_dead = GetTickCount64();

    /* Windows' SCM marks a service whose process died STOPPED
     * (ERROR_PROCESS_ABORTED), and the app's service watch relies on that.
     * Wine 8's services.exe does not notice a dead service process: the
     * service stays RUNNING. Then one start with --report-crash lets the
     * SCM record the crash the way Windows would (the process reports
     * STOPPED with ERROR_PROCESS_ABORTED and exits) before the real start. */
    if (!wait_state(svc, SERVICE_STOPPED, 300, &st)) {
        fk_log("ctl: restart: the SCM still says %lu for the dead process; reporting the crash to it",
               (unsigned long)st.dwCurrentState);
        /* StartService reports the immediate STOPPED as a failed start; that is expected. */
        if (!StartServiceW(svc, 1, shim_args))
            fk_log("ctl: restart: --report-crash start returned error %lu (expected)",
                   (unsigned long)GetLastError());
        if (!wait_state(svc, SERVICE_STOPPED, RESTART_EXIT_MS, &st)) {
            fail("restart: could not get CscService to STOPPED (state %lu)", (unsigned long)st.dwCurrentState);
            goto done;
        }
    }
    t_stopped = GetTickCount64();

    swprintf(late_arg, ARRAYSIZE(late_arg), L"--class-late=%lu", (unsigned long)class_late_ms);
    if (!start_service(svc, class_late_ms ? 1 : 0, class_late_ms ? start_args : NULL) ||
        !wait_state(svc, SERVICE_RUNNING, RESTART_EXIT_MS, &st)) {
        fail("restart: CscService did not come back (state %lu)", (unsigned long)st.dwCurrentState);
        goto done;
    }
    t_running = GetTickCount64();
    fk_log("ctl: restart: new service process %lu running; waiting up to %d ms for a sink",
           (unsigned long)st.dwProcessId, RESTART_SINK_MS);

    if (!wait_sinks(1, RESTART_SINK_MS, reply, sizeof reply)) {
        fail("restart: no sink advised the new service process within %d ms (%s)", RESTART_SINK_MS, reply);
        goto done;
    }
    fk_log("ctl: restart done: dead after %llu ms, STOPPED after %llu ms, RUNNING after %llu ms, "
           "re-advised after %llu ms",
           t_dead - t0, t_stopped - t0, t_running - t0, GetTickCount64() - t0);
    ok = TRUE;
done:
    if (old)
        CloseHandle(old);
    CloseServiceHandle(svc);
    return ok;
}

/* ------------------------------------------------------------ sync-now */

/* The meaning of ofnotify --sync-now's exit codes, for the log. */
static const char *sync_now_meaning(DWORD code)
{
    switch (code) {
    case 0: return "started";
    case 1: return "not started";
    case 3: return "ofnotify is not running";
    case 4: return "no answer in time";
    case 5: return "busy: a sync started from ofnotify still runs";
    default: return "?";
    }
}

/* Runs APP --sync-now with this program's output handles, waits for it and
 * logs its exit code: "ctl: sync-now exit=N (meaning)". Returns FALSE only if
 * it could not be run or did not end; what it answered is for the test. */
static BOOL do_sync_now(const WCHAR *app)
{
    STARTUPINFOW si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    WCHAR cmd[MAX_PATH * 2 + 32];
    DWORD code = 0;
    ULONGLONG t0 = GetTickCount64();
    BOOL ok;

    if (!app) {
        fail("sync-now needs the app: fakectl play SCRIPT APP");
        return FALSE;
    }
    _snwprintf(cmd, ARRAYSIZE(cmd), L"\"%s\" --sync-now", app);
    cmd[ARRAYSIZE(cmd) - 1] = 0;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    fflush(stdout);
    fflush(stderr);
    if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        fail("cannot run %ls (error %lu)", cmd, (unsigned long)GetLastError());
        return FALSE;
    }
    ok = WaitForSingleObject(pi.hProcess, 30000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    if (!ok) {
        fail("%ls did not end within 30 s", cmd);
        return FALSE;
    }
    fk_log("ctl: sync-now exit=%lu (%s) after %llu ms", (unsigned long)code, sync_now_meaning(code),
           GetTickCount64() - t0);
    return TRUE;
}

/* ---------------------------------------------------------- the script */

/* Reads and parses the whole file; on error prints "FILE:LINE: why". */
static BOOL load_script(const WCHAR *file, script *s)
{
    HANDLE h;
    LARGE_INTEGER size;
    char *text = NULL, *line, err[200], name[MAX_PATH * 3];
    DWORD got = 0;
    size_t cap = 64;
    int lineno = 0;
    BOOL ok = FALSE;

    fk_utf8(file, name, sizeof name);
    s->count = 0;
    s->cmds = malloc(cap * sizeof *s->cmds);
    h = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "%s: cannot open (error %lu)\n", name, (unsigned long)GetLastError());
        goto done;
    }
    if (!GetFileSizeEx(h, &size) || size.QuadPart > (LONGLONG)FK_MAX_REQUEST / 2) {
        fprintf(stderr, "%s: unreadable or larger than %u bytes\n", name, FK_MAX_REQUEST / 2);
        goto done;
    }
    text = malloc((size_t)size.QuadPart + 1);
    if (!text || !s->cmds || !ReadFile(h, text, (DWORD)size.QuadPart, &got, NULL) || got != size.QuadPart) {
        fprintf(stderr, "%s: cannot read\n", name);
        goto done;
    }
    text[got] = '\0';
    if (strlen(text) != got) {
        fprintf(stderr, "%s: contains a NUL byte (not a text file?)\n", name);
        goto done;
    }
    line = text;
    if ((unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
        line += 3; /* UTF-8 byte order mark */
    while (line) {
        char *nl = strchr(line, '\n');
        int rc;
        if (nl)
            *nl = '\0';
        lineno++;
        if (s->count == FK_MAX_COMMANDS) {
            fprintf(stderr, "%s:%d: more than %u commands in one script\n", name, lineno, FK_MAX_COMMANDS);
            goto done;
        }
        if (s->count == cap) {
            scn_cmd *bigger = realloc(s->cmds, cap * 2 * sizeof *s->cmds);
            if (!bigger) {
                fprintf(stderr, "%s: out of memory\n", name);
                goto done;
            }
            s->cmds = bigger;
            cap *= 2;
        }
        rc = scn_parse_line(line, &s->cmds[s->count], err, sizeof err);
        if (rc < 0) {
            fprintf(stderr, "%s:%d: %s\n", name, lineno, err);
            goto done;
        }
        s->count += (size_t)rc;
        line = nl ? nl + 1 : NULL;
    }
    ok = TRUE;
done:
    free(text);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    return ok;
}

/* Plays cmds[0..n) (no restart among them) in one request. */
typedef struct play_totals {
    unsigned long long calls, filtered, failed, call_us, us;
} play_totals;

static BOOL play_segment(const scn_cmd *cmds, size_t n, play_totals *tot)
{
    static const char verb[] = "play\n";
    size_t cap = sizeof verb, len, i;
    char *req, reply[FK_MAX_REPLY];
    unsigned long long sleep_ms = 0;
    unsigned long played, calls, filtered, failed;
    unsigned long long call_us, us;
    BOOL broken, ok = FALSE;

    for (i = 0; i < n; i++)
        cap += scn_format(&cmds[i], NULL, 0) + 1;
    if (cap > FK_MAX_REQUEST) {
        fail("the script is too big for one request (%lu bytes, at most %u)", (unsigned long)cap, FK_MAX_REQUEST);
        return FALSE;
    }
    req = malloc(cap);
    if (!req) {
        fail("out of memory");
        return FALSE;
    }
    memcpy(req, verb, sizeof verb - 1);
    len = sizeof verb - 1;
    for (i = 0; i < n; i++) {
        len += scn_format(&cmds[i], req + len, cap - len);
        req[len++] = '\n';
        if (cmds[i].op == SCN_SLEEP || cmds[i].op == SCN_SYNC_WAIT)
            sleep_ms += cmds[i].value;
        sleep_ms += cmds[i].ms;
    }
    /* Bounded: the sleeps, plus a generous allowance per event. */
    if (!transact(req, len, reply, sizeof reply, (DWORD)(sleep_ms + 30000 + 50 * n), &broken)) {
        if (broken)
            fail("the service died while playing");
        goto done;
    }
    if (sscanf(reply, "ok played=%lu calls=%lu filtered=%lu failed=%lu call_us=%llu us=%llu", &played, &calls,
               &filtered, &failed, &call_us, &us) != 6) {
        fail("the service refused to play: %s", reply);
        goto done;
    }
    tot->calls += calls;
    tot->filtered += filtered;
    tot->failed += failed;
    tot->call_us += call_us;
    tot->us += us;
    ok = TRUE;
done:
    free(req);
    return ok;
}

static int cmd_play(const WCHAR *file, const WCHAR *app, BOOL check_only)
{
    script s = {0};
    size_t start = 0, i;
    play_totals tot = {0};
    int restarts = 0, syncs = 0, rc = 1;

    if (!load_script(file, &s)) {
        free(s.cmds);
        return 2;
    }
    if (check_only) {
        printf("ok: %lu commands\n", (unsigned long)s.count);
        free(s.cmds);
        return 0;
    }
    fk_log("ctl: play %lu commands", (unsigned long)s.count);
    for (i = 0; i < s.count; i++) {
        if (s.cmds[i].op == SCN_SYNC_NOW && !app) {
            fprintf(stderr, "fakectl: the script has sync-now lines: fakectl play SCRIPT APP\n");
            rc = 2;
            goto done;
        }
    }
    for (i = 0; i <= s.count; i++) {
        if (i < s.count && s.cmds[i].op != SCN_RESTART && s.cmds[i].op != SCN_SYNC_NOW)
            continue;
        if (i > start && !play_segment(s.cmds + start, i - start, &tot))
            goto done;
        if (i < s.count && s.cmds[i].op == SCN_RESTART) {
            if (!do_restart(0))
                goto done;
            restarts++;
        } else if (i < s.count) {
            if (!do_sync_now(app))
                goto done;
            syncs++;
        }
        start = i + 1;
    }
    printf("played %lu commands: %llu sink calls (%llu failed), %llu held back, %d restarts, %d sync-now; "
           "%.1f us per call through COM, %.3f s playing\n",
           (unsigned long)s.count, tot.calls, tot.failed, tot.filtered, restarts, syncs,
           tot.calls ? (double)tot.call_us / (double)tot.calls : 0.0, (double)tot.us / 1e6);
    fk_log("ctl: play done: calls=%llu failed=%llu filtered=%llu call_us=%llu restarts=%d", tot.calls, tot.failed,
           tot.filtered, tot.call_us, restarts);
    rc = 0;
done:
    free(s.cmds);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: fakectl check SCRIPT | play SCRIPT [APP] | wait-sinks N MS | status | restart [LATE_MS] | "
                    "service stop|start [HIGHEST 1..4] | advise-pass FLAGS MS\n");
    return 2;
}

int wmain(int argc, WCHAR **argv);
int wmain(int argc, WCHAR **argv)
{
    char reply[FK_MAX_REPLY];
    fk_log_open();
    if ((argc == 3 || argc == 4) && wcscmp(argv[1], L"play") == 0)
        return cmd_play(argv[2], argc == 4 ? argv[3] : NULL, FALSE);
    if (argc == 3 && wcscmp(argv[1], L"check") == 0)
        return cmd_play(argv[2], NULL, TRUE);
    if (argc == 4 && wcscmp(argv[1], L"wait-sinks") == 0) {
        long want = wcstol(argv[2], NULL, 10);
        unsigned long ms = wcstoul(argv[3], NULL, 10);
        BOOL ok;
        if (want < 0 || ms > 600000)
            return usage();
        ok = wait_sinks(want, (DWORD)ms, reply, sizeof reply);
        printf("%s\n", reply);
        return ok ? 0 : 1;
    }
    if (argc == 2 && wcscmp(argv[1], L"status") == 0) {
        if (!simple_request("status", reply, sizeof reply, 5000))
            return 1;
        printf("%s\n", reply[0] == 'o' && reply[1] == 'k' && reply[2] == ' ' ? reply + 3 : reply);
        return 0;
    }
    if (argc == 3 && wcscmp(argv[1], L"service") == 0)
        return cmd_service(argv[2], FK_LEVELS);
    if (argc == 4 && wcscmp(argv[1], L"service") == 0 && wcscmp(argv[2], L"start") == 0) {
        unsigned long highest = wcstoul(argv[3], NULL, 10);
        if (highest < 1 || highest > FK_LEVELS)
            return usage();
        return cmd_service(argv[2], (DWORD)highest);
    }
    if (argc == 2 && wcscmp(argv[1], L"restart") == 0)
        return do_restart(0) ? 0 : 1;
    if (argc == 3 && wcscmp(argv[1], L"restart") == 0)
        return do_restart((DWORD)wcstoul(argv[2], NULL, 10)) ? 0 : 1;
    if (argc == 4 && wcscmp(argv[1], L"advise-pass") == 0) {
        unsigned long hold = wcstoul(argv[3], NULL, 10);
        if (hold > SCN_SLEEP_MAX_MS)
            return usage();
        return set_advise_pass((DWORD)wcstoul(argv[2], NULL, 0), (DWORD)hold) ? 0 : 1;
    }
    return usage();
}
