/* ofnotify: the tray application. See app.h. */
#include "app.h"

#include <stdio.h>

#include "cscsvc.h"
#include "fs_win32.h"
#include "instance.h"
#include "messages.h"
#include "ofnotify/history.h"
#include "ofnotify/pass.h"
#include "paths.h"
#include "sink.h"
#include "timers.h"

/* Records that could not be written yet (disk full, file locked) wait here,
 * in order, and are written by TIMER_HISTORY_RETRY. */
#define PENDING_MAX 4096
#define HISTORY_RETRY_MS 5000

typedef struct app {
    HWND wnd;
    IUnknown *sink;
    cscsvc *csc;
    of_pass_tracker passes;
    of_history *history;     /* NULL while the file cannot be opened */
    char history_path[MAX_PATH * 8];
    of_record *pending;
    size_t pending_count;
    uint64_t pending_dropped;
    BOOL shut_down;
} app;

/* ---- clocks: core reads none, the app passes them in ---- */

static uint64_t mono_now(void)
{
    return GetTickCount64();
}

static int64_t wall_now(void)
{
    FILETIME ft;
    ULARGE_INTEGER t;
    GetSystemTimePreciseAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    /* 100 ns ticks since 1601 → ms since 1970. */
    return (int64_t)((t.QuadPart - 116444736000000000ull) / 10000);
}

/* ---- the history file ---- */

static void log_line(const char *fmt, ...)
{
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    OutputDebugStringA(text);
}

static BOOL open_history(app *a)
{
    of_history_report report;
    of_history_err err;
    if (a->history)
        return TRUE;
    err = of_history_open(&a->history, fs_win32(), a->history_path, 0, wall_now(), &report);
    if (err != OF_HISTORY_OK) {
        a->history = NULL;
        log_line("ofnotify: cannot open %s: %s\n", a->history_path, of_history_error_text(err));
        return FALSE;
    }
    if (report.issue != OF_HISTORY_ISSUE_NONE)
        log_line("ofnotify: history %s: %s%s%s\n", a->history_path, of_history_issue_text(report.issue),
                 report.moved_aside ? "; the damaged file was kept as " : "",
                 report.moved_aside ? report.moved_to : "");
    return TRUE;
}

/* Writes waiting records, oldest first; stops at the first failure so the
 * order on disk stays the order passes ended. */
static void flush_pending(app *a)
{
    size_t done = 0;
    if (a->pending_count && open_history(a)) {
        while (done < a->pending_count && of_history_append(a->history, &a->pending[done]) == OF_HISTORY_OK)
            done++;
    }
    if (done) {
        memmove(a->pending, a->pending + done, (a->pending_count - done) * sizeof(*a->pending));
        a->pending_count -= done;
    }
    if (a->pending_count)
        SetTimer(a->wnd, TIMER_HISTORY_RETRY, HISTORY_RETRY_MS, NULL);
    else
        KillTimer(a->wnd, TIMER_HISTORY_RETRY);
}

/* Every ended pass comes through here: durably on disk before anything else
 * (balloons, the history window) acts on it. */
static void record_pass(app *a, const of_record *rec)
{
    if (!a->pending) {
        a->pending = HeapAlloc(GetProcessHeap(), 0, PENDING_MAX * sizeof(*a->pending));
        if (!a->pending) {
            a->pending_dropped++;
            return;
        }
    }
    if (a->pending_count == PENDING_MAX) {
        /* Out of room after hours of failed writes: the oldest goes, counted. */
        memmove(a->pending, a->pending + 1, (PENDING_MAX - 1) * sizeof(*a->pending));
        a->pending_count--;
        a->pending_dropped++;
    }
    a->pending[a->pending_count++] = *rec;
    flush_pending(a);
}

static void on_pass_record(void *ctx, const of_record *rec)
{
    record_pass(ctx, rec);
}

/* ---- passes ---- */

static void schedule_expiry(app *a)
{
    uint64_t due, now = mono_now();
    if (!of_pass_next_expiry(&a->passes, &due)) {
        KillTimer(a->wnd, TIMER_PASS_EXPIRY);
        return;
    }
    uint64_t wait = due > now ? due - now : 0;
    SetTimer(a->wnd, TIMER_PASS_EXPIRY, wait > USER_TIMER_MAXIMUM ? USER_TIMER_MAXIMUM : (UINT)wait + 1, NULL);
}

static void interrupt_passes(app *a, of_reason reason)
{
    of_pass_interrupt_all(&a->passes, reason, mono_now(), wall_now(), on_pass_record, a);
    schedule_expiry(a);
}

static void on_sink_event(app *a, sink_event_kind kind, LPARAM lp)
{
    of_record rec;
    /* Events the sink could not post are lost like DataLost's. */
    if (a->sink && sink_take_lost(a->sink) > 0)
        interrupt_passes(a, OF_REASON_DATALOST);
    switch (kind) {
    case SINK_BACKGROUND_SYNC_BEGIN:
        of_pass_begin(&a->passes, (uint32_t)lp, mono_now(), wall_now(), on_pass_record, a);
        schedule_expiry(a);
        return;
    case SINK_BACKGROUND_SYNC_END:
        if (of_pass_end(&a->passes, (uint32_t)lp, mono_now(), wall_now(), &rec) == OF_PASS_OK)
            record_pass(a, &rec);
        schedule_expiry(a);
        return;
    case SINK_DATA_LOST:
        interrupt_passes(a, OF_REASON_DATALOST);
        return;
    case SINK_SYNC_BEGIN:
    case SINK_SYNC_FILE_RESULT:
    case SINK_SYNC_END:
    case SINK_SYNC_CONFLICT:
        sink_event_free((sink_event *)lp);
        return;
    default:
        return;
    }
}

static void on_csc_change(app *a, csc_change change)
{
    /* Either way, passes begun before can no longer end. */
    if (change == CSC_LOST || change == CSC_SUBSCRIBED)
        interrupt_passes(a, OF_REASON_SERVICE_LOST);
}

/* ---- start and shutdown ---- */

static BOOL start(app *a, const cli_options *opts)
{
    WCHAR dir[MAX_PATH * 2];
    DWORD err = paths_data_dir(opts->data_dir, dir, ARRAYSIZE(dir));
    if (!err)
        err = (DWORD)fs_win32_ensure_dir(dir);
    if (!err)
        err = paths_history_utf8(dir, a->history_path, sizeof(a->history_path));
    if (err) {
        log_line("ofnotify: no usable data folder (error %lu)\n", (unsigned long)err);
        return FALSE;
    }
    of_pass_init(&a->passes, OF_PASS_DEFAULT_TIMEOUT_MS);
    open_history(a); /* a failure is retried when the first record needs it */
    if (FAILED(sink_create(a->wnd, &a->sink)))
        return FALSE;
    a->csc = cscsvc_create(a->wnd, a->sink);
    if (!a->csc)
        return FALSE;
    on_csc_change(a, cscsvc_start(a->csc));
    return TRUE;
}

/* Everything that must happen before the process may end; safe to call twice.
 * At WM_ENDSESSION Windows may end the process as soon as it returns. */
static void shut_down(app *a)
{
    if (a->shut_down)
        return;
    a->shut_down = TRUE;
    interrupt_passes(a, OF_REASON_SHUTDOWN);
    flush_pending(a);
    if (a->pending_count + a->pending_dropped)
        log_line("ofnotify: %zu records could not be written, %llu dropped\n", a->pending_count,
                 (unsigned long long)a->pending_dropped);
    cscsvc_destroy(a->csc);
    a->csc = NULL;
    if (a->sink) {
        sink_detach(a->sink);
        IUnknown_Release(a->sink);
        a->sink = NULL;
    }
    if (a->history)
        of_history_close(a->history);
    a->history = NULL;
    KillTimer(a->wnd, TIMER_PASS_EXPIRY);
    KillTimer(a->wnd, TIMER_HISTORY_RETRY);
}

/* ---- the window ---- */

static void on_timer(app *a, UINT_PTR id)
{
    switch (id) {
    case TIMER_CSC_RETRY:
        on_csc_change(a, cscsvc_on_retry(a->csc));
        break;
    case TIMER_PASS_EXPIRY:
        of_pass_expire(&a->passes, mono_now(), wall_now(), on_pass_record, a);
        schedule_expiry(a);
        break;
    case TIMER_HISTORY_RETRY:
        flush_pending(a);
        break;
    }
}

static LRESULT CALLBACK app_wndproc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    app *a = (app *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        a = ((CREATESTRUCTW *)lp)->lpCreateParams;
        a->wnd = wnd;
        SetWindowLongPtrW(wnd, GWLP_USERDATA, (LONG_PTR)a);
    }
    if (!a)
        return DefWindowProcW(wnd, msg, wp, lp);
    switch (msg) {
    case WM_OFN_SINK_EVENT:
        if (a->shut_down) {
            if (wp != SINK_BACKGROUND_SYNC_BEGIN && wp != SINK_BACKGROUND_SYNC_END)
                sink_event_free((sink_event *)lp);
            return 0;
        }
        on_sink_event(a, (sink_event_kind)wp, lp);
        return 0;
    case WM_OFN_SERVICE_STATE:
        if (!a->shut_down)
            on_csc_change(a, cscsvc_on_service_state(a->csc, (DWORD)wp));
        return 0;
    case WM_OFN_IDLE_PROBE:
        instance_answer_idle_probe(wp, lp);
        return 0;
    case WM_OFN_SHOW_HISTORY:
        /* The history window arrives with the tray; until then there is nothing to show. */
        return 0;
    case WM_OFN_EXIT_REQUEST:
        DestroyWindow(wnd);
        return 0;
    case WM_TIMER:
        if (!a->shut_down)
            on_timer(a, wp);
        return 0;
    case WM_QUERYENDSESSION:
        return TRUE;
    case WM_ENDSESSION:
        if (wp)
            shut_down(a);
        return 0;
    case WM_DESTROY:
        shut_down(a);
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

/* The loop waits alertably so that the service watch's APC can run. */
static int message_loop(void)
{
    MSG msg;
    for (;;) {
        MsgWaitForMultipleObjectsEx(0, NULL, INFINITE, QS_ALLINPUT, MWMO_ALERTABLE | MWMO_INPUTAVAILABLE);
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            if (msg.message == WM_QUIT)
                return (int)msg.wParam;
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

int app_run(HINSTANCE instance, const cli_options *opts)
{
    static app the_app;
    const WNDCLASSEXW wc = {
        .cbSize = sizeof(wc),
        .lpfnWndProc = app_wndproc,
        .hInstance = instance,
        .lpszClassName = APP_WINDOW_CLASS,
    };
    HWND wnd;
    int rc;
    if (!RegisterClassExW(&wc))
        return EXIT_ERROR;
    /* Top-level (not message-only) so that session broadcasts reach it; never shown. */
    wnd = CreateWindowExW(WS_EX_TOOLWINDOW, APP_WINDOW_CLASS, L"ofnotify", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                          instance, &the_app);
    if (!wnd)
        return EXIT_ERROR;
    if (!start(&the_app, opts)) {
        DestroyWindow(wnd);
        return EXIT_ERROR;
    }
    rc = message_loop();
    HeapFree(GetProcessHeap(), 0, the_app.pending);
    return rc;
}
