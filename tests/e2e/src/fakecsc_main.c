/* e2e: the fake Offline Files service: a Wine service named CscService that
 * registers the class object of CLSID_OfflineFilesCache while it runs, and a
 * worker thread that serves fakectl's requests on a named pipe and fires
 * the events of a scenario at the advised sinks.
 *
 * It exists only inside the e2e tests' throwaway Wine prefix (see
 * tests/e2e/lib.sh); nothing of it is ever registered anywhere else. */
#include "fakecsc.h"
#include "proto.h"
#include "scn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SERVICE_STATUS_HANDLE status_handle;
static HANDLE stop_event;

static void report(DWORD state, DWORD exit_code)
{
    SERVICE_STATUS st = {
        .dwServiceType = SERVICE_WIN32_OWN_PROCESS,
        .dwCurrentState = state,
        .dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0,
        .dwWin32ExitCode = exit_code,
        .dwWaitHint = state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : 5000,
    };
    if (status_handle)
        SetServiceStatus(status_handle, &st);
}

/* ------------------------------------------------------------- playing */

/* Reply text for the pipe; always NUL-terminated. */
typedef struct reply {
    char text[FK_MAX_REPLY];
} reply;

static void set_reply(reply *r, const char *fmt, ...) __attribute__((format(gnu_printf, 2, 3)));
static void set_reply(reply *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof r->text, fmt, ap);
    va_end(ap);
}

static void fire_command(const scn_cmd *c, fk_fire_stats *stats)
{
    static const OFFLINEFILES_EVENTS codes[SCN_OP_COUNT] = {
        [SCN_BEGIN] = OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN,
        [SCN_END] = OFFLINEFILES_EVENT_BACKGROUNDSYNCEND,
        [SCN_SYNCBEGIN] = OFFLINEFILES_EVENT_SYNCBEGIN,
        [SCN_SYNCEND] = OFFLINEFILES_EVENT_SYNCEND,
        [SCN_FILERESULT] = OFFLINEFILES_EVENT_SYNCFILERESULT,
        [SCN_CONFLICT] = OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED,
        [SCN_CONFLICT_UPDATED] = OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED,
        [SCN_CONFLICT_REMOVED] = OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED,
        [SCN_ITEM_MODIFIED] = OFFLINEFILES_EVENT_ITEMMODIFIED,
        [SCN_ITEM_PINNED] = OFFLINEFILES_EVENT_ITEMPINNED,
        [SCN_NET_ARRIVED] = OFFLINEFILES_EVENT_NETTRANSPORTARRIVED,
        [SCN_DISCONNECT] = OFFLINEFILES_EVENT_ITEMDISCONNECTED,
        [SCN_RECONNECT] = OFFLINEFILES_EVENT_ITEMRECONNECTED,
        [SCN_NO_NET] = OFFLINEFILES_EVENT_NONETTRANSPORTS,
        [SCN_RECONNECT_BEGIN] = OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN,
        [SCN_RECONNECT_END] = OFFLINEFILES_EVENT_ITEMRECONNECTEND,
        [SCN_DATALOST] = OFFLINEFILES_EVENT_DATALOST,
        [SCN_PING] = OFFLINEFILES_EVENT_PING,
    };
    WCHAR path[FK_PATH_MAX];
    fk_event ev = {.code = codes[c->op], .flags = c->value, .hr = (HRESULT)c->value};

    if (c->path[0]) {
        /* scn_parse_line checked the UTF-8 and the length. */
        if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, c->path, -1, path, FK_PATH_MAX) == 0) {
            fk_log("internal error: path does not convert: %s", c->path);
            return;
        }
        ev.path = path;
    }
    fk_fire(&ev, stats);
}

/* "pass FLAGS MS": one whole background pass as CAgentSyncTaskBase::Execute
 * sends it (reference §7): Begin and End with the same flags, nothing at
 * all when the flags are 0. */
static void play_pass(const scn_cmd *c, fk_fire_stats *stats)
{
    fk_event ev = {.code = OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN, .flags = c->value};
    if (c->value == 0) {
        fk_log("pass 0x00000000 %lu: no flags, so no BackgroundSyncBegin/End (nothing sent)", (unsigned long)c->ms);
        return;
    }
    fk_fire(&ev, stats);
    Sleep(c->ms);
    ev.code = OFFLINEFILES_EVENT_BACKGROUNDSYNCEND;
    fk_fire(&ev, stats);
}

/* The sync-* lines the service plays; sync-now is the app's (fakectl). */
static BOOL play_sync_line(const scn_cmd *c)
{
    switch (c->op) {
    case SCN_SYNC_SERVERS:
    case SCN_SYNC_FILES:
    case SCN_SYNC_DELAY:
    case SCN_SYNC_FAIL:
        fk_sync_configure(c->op, c->value);
        return TRUE;
    case SCN_SYNC_WAIT:
        fk_sync_wait(c->value);
        return TRUE;
    default:
        return FALSE;
    }
}

/* "play": every line is parsed before the first event goes out, so a bad
 * request plays nothing. */
static void do_play(char *lines, reply *r)
{
    size_t cap = 64, n = 0, i;
    scn_cmd *cmds = malloc(cap * sizeof *cmds);
    char *line = lines, err[200];
    int lineno = 0;
    fk_fire_stats stats = {0};
    LARGE_INTEGER freq, t0, t1;

    if (!cmds) {
        set_reply(r, "error out of memory");
        return;
    }
    while (line && *line) {
        char *nl = strchr(line, '\n');
        int rc;
        if (nl)
            *nl = '\0';
        lineno++;
        if (n == FK_MAX_COMMANDS) {
            set_reply(r, "error more than %u commands", FK_MAX_COMMANDS);
            free(cmds);
            return;
        }
        if (n == cap) {
            scn_cmd *bigger = realloc(cmds, cap * 2 * sizeof *cmds);
            if (!bigger) {
                free(cmds);
                set_reply(r, "error out of memory");
                return;
            }
            cmds = bigger;
            cap *= 2;
        }
        rc = scn_parse_line(line, &cmds[n], err, sizeof err);
        if (rc < 0 || (rc == 1 && (cmds[n].op == SCN_RESTART || cmds[n].op == SCN_SYNC_NOW))) {
            set_reply(r, "error request line %d: %s", lineno,
                      rc < 0 ? err : "restart and sync-now are fakectl's job");
            free(cmds);
            return;
        }
        n += (size_t)rc;
        line = nl ? nl + 1 : NULL;
    }

    fk_log("play start commands=%lu sinks=%ld", (unsigned long)n, fk_conn_count());
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t0);
    for (i = 0; i < n; i++) {
        if (cmds[i].op == SCN_SLEEP)
            Sleep(cmds[i].value);
        else if (cmds[i].op == SCN_PASS)
            play_pass(&cmds[i], &stats);
        else if (!play_sync_line(&cmds[i]))
            fire_command(&cmds[i], &stats);
    }
    QueryPerformanceCounter(&t1);
    set_reply(r, "ok played=%lu calls=%lu filtered=%lu failed=%lu call_us=%llu us=%llu", (unsigned long)n,
              stats.calls, stats.filtered, stats.failed, stats.call_us,
              (unsigned long long)((t1.QuadPart - t0.QuadPart) * 1000000 / freq.QuadPart));
    fk_log("play end %s", r->text + 3);
    free(cmds);
}

static void do_wait_sinks(const char *args, reply *r)
{
    long want = 0, count;
    unsigned long ms = 0;
    ULONGLONG deadline;
    if (sscanf(args, "%ld %lu", &want, &ms) != 2 || want < 0 || ms > 600000) {
        set_reply(r, "error wait-sinks needs N MS");
        return;
    }
    deadline = GetTickCount64() + ms;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        count = fk_conn_count();
        if (count >= want) {
            set_reply(r, "ok sinks=%ld", count);
            return;
        }
        if (now >= deadline) {
            set_reply(r, "timeout sinks=%ld", count);
            return;
        }
        /* Woken by each Advise; the timeout covers a missed wake-up. */
        WaitForSingleObject(fk_conn_advise_event(), (DWORD)(deadline - now < 200 ? deadline - now : 200));
    }
}

static void serve(char *req, reply *r)
{
    char *nl = strchr(req, '\n');
    char *rest = nl ? nl + 1 : req + strlen(req);
    if (nl)
        *nl = '\0';
    if (strcmp(req, "play") == 0) {
        do_play(rest, r);
    } else if (strncmp(req, "wait-sinks ", 11) == 0) {
        do_wait_sinks(req + 11, r);
    } else if (strcmp(req, "status") == 0) {
        set_reply(r, "ok pid=%lu sinks=%ld", (unsigned long)GetCurrentProcessId(), fk_conn_count());
    } else if (strcmp(req, "restart") == 0) {
        /* Like a crash: no SERVICE_STOPPED, no Unadvise, no goodbye to any
         * sink. Only the class registration goes first: Windows' RPCSS forgets
         * the classes of a dead process, Wine 8's keeps them and would hand
         * the dead one to every later CoCreateInstance, hiding the new
         * process's class. Revoking is a call to RPCSS alone; the app sees
         * nothing of it. */
        fk_log("restart: process exits now without SERVICE_STOPPED or Unadvise (sinks=%ld)",
               fk_conn_count());
        fk_obj_revoke();
        ExitProcess(3);
    } else {
        set_reply(r, "error unknown request '%.40s'", req);
    }
}

/* Reads one whole message; NULL if the client went away or it is too big. */
static char *read_request(HANDLE pipe)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return NULL;
    for (;;) {
        DWORD got = 0;
        BOOL ok = ReadFile(pipe, buf + len, (DWORD)(cap - len), &got, NULL);
        len += got;
        if (ok)
            break;
        if (GetLastError() != ERROR_MORE_DATA || cap >= FK_MAX_REQUEST) {
            free(buf);
            return NULL;
        }
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    buf[len] = '\0';
    return buf;
}

static DWORD WINAPI pipe_thread(void *arg)
{
    HANDLE pipe;
    (void)arg;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    pipe = CreateNamedPipeW(FK_PIPE_NAME, PIPE_ACCESS_DUPLEX,
                            PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1,
                            FK_MAX_REPLY, 65536, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) {
        fk_log("error: cannot create the control pipe (error %lu); scenarios cannot be played",
               (unsigned long)GetLastError());
        return 1;
    }
    for (;;) {
        if (ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED) {
            char *req = read_request(pipe);
            if (req) {
                reply r = {{0}};
                DWORD written;
                serve(req, &r);
                free(req);
                WriteFile(pipe, r.text, (DWORD)strlen(r.text), &written, NULL);
                FlushFileBuffers(pipe);
            }
        }
        DisconnectNamedPipe(pipe);
    }
}

/* ------------------------------------------------------------- service */

static DWORD WINAPI control_handler(DWORD control, DWORD type, void *data, void *ctx)
{
    (void)type, (void)data, (void)ctx;
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        report(SERVICE_STOP_PENDING, NO_ERROR);
        SetEvent(stop_event);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

static void WINAPI service_main(DWORD argc, WCHAR **argv)
{
    HRESULT hr;
    HANDLE thread;
    DWORD i, class_late_ms = 0;

    status_handle = RegisterServiceCtrlHandlerExW(FK_SERVICE_NAME, control_handler, NULL);
    if (!status_handle)
        return;
    report(SERVICE_START_PENDING, NO_ERROR);
    fk_log_open();
    for (i = 0; i < argc; i++) {
        if (argv[i] && wcscmp(argv[i], L"--report-crash") == 0) {
            /* fakectl's stand-in for what Windows' SCM does when a service
             * process dies and Wine 8's does not: the service goes STOPPED
             * with ERROR_PROCESS_ABORTED. No class, no sinks, no pipe. */
            fk_log("start --report-crash: reporting the previous process's death as STOPPED "
                   "(ERROR_PROCESS_ABORTED)");
            report(SERVICE_STOPPED, ERROR_PROCESS_ABORTED);
            return;
        }
        /* A service that says RUNNING before its COM side takes calls: the
         * class is registered MS later (fakectl restart MS). */
        if (argv[i] && wcsncmp(argv[i], L"--class-late=", 13) == 0)
            class_late_ms = wcstoul(argv[i] + 13, NULL, 10);
    }
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (class_late_ms && SUCCEEDED(hr)) {
        fk_log("start: service running, CLSID_OfflineFilesCache registered in %lu ms", (unsigned long)class_late_ms);
        report(SERVICE_RUNNING, NO_ERROR);
        Sleep(class_late_ms);
    }
    if (SUCCEEDED(hr))
        hr = stop_event ? fk_obj_register() : E_OUTOFMEMORY;
    if (FAILED(hr)) {
        fk_log("start failed: 0x%08lX", (unsigned long)hr);
        report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR);
        return;
    }
    thread = CreateThread(NULL, 0, pipe_thread, NULL, 0, NULL);
    if (!thread) {
        fk_log("start failed: no worker thread (error %lu)", (unsigned long)GetLastError());
        fk_obj_revoke();
        report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR);
        return;
    }
    CloseHandle(thread);
    /* RUNNING only after the class is registered: a client that reacts to
     * RUNNING (the app's service watch) can create the object at once. */
    fk_log("start: CLSID_OfflineFilesCache registered, service running");
    if (!class_late_ms)
        report(SERVICE_RUNNING, NO_ERROR);

    WaitForSingleObject(stop_event, INFINITE);
    fk_obj_revoke();
    fk_log("stop: class revoked, %ld sinks still advised", fk_conn_count());
    report(SERVICE_STOPPED, NO_ERROR);
}

/* -municode entry point; declared for -Wmissing-prototypes. */
int wmain(int argc, WCHAR **argv);
int wmain(int argc, WCHAR **argv)
{
    SERVICE_TABLE_ENTRYW table[] = {{(WCHAR *)FK_SERVICE_NAME, service_main}, {NULL, NULL}};
    (void)argc, (void)argv;
    if (!StartServiceCtrlDispatcherW(table)) {
        fprintf(stderr, "fakecsc: this is a service; create it with sc create CscService binPath= ... "
                        "and start it with sc start CscService (error %lu)\n",
                (unsigned long)GetLastError());
        return 1;
    }
    return 0;
}
