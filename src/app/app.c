/* ofnotify: the tray application: its window, the state behind it, and the
 * order things start and stop in. See app.h and app_private.h. */
#include "app.h"
#include "app_private.h"

#include <stdarg.h>
#include <stdio.h>

#include "aboutdlg.h"
#include "eventlog.h"
#include "exitguard.h"
#include "fs_win32.h"
#include "history/historywnd.h"
#include "instance.h"
#include "messages.h"
#include "paths.h"
#include "postkey.h"
#include "timers.h"
#include "tray.h"
#include "winutil.h"

#define EVENTLOG_STOP_WAIT_MS 1000
/* From the moment nothing is left to save to the process's end (exitguard.h). */
/* The exit as a whole (exitguard.h), and what is left of it once
 * everything is saved. Below the 10 s an --exit waits by default. */
#define EXIT_WHOLE_MS 8000
#define EXIT_GUARD_MS 3000
#define TRAY_REMOVE_WAIT_MS 500

uint64_t app_mono_now(void)
{
    return GetTickCount64();
}

void app_set_timer_until(HWND wnd, UINT_PTR id, int pending, uint64_t due_mono_ms)
{
    uint64_t now = app_mono_now(), wait = due_mono_ms > now ? due_mono_ms - now : 0;
    if (!pending)
        KillTimer(wnd, id);
    else
        SetTimer(wnd, id, wait >= USER_TIMER_MAXIMUM ? USER_TIMER_MAXIMUM : (UINT)wait + 1, NULL);
}

void app_log(const char *fmt, ...)
{
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    OutputDebugStringA(text);
}

/* ---- requests from other processes ---- */

/* --status from another process: what this instance hears and where it writes. */
static LRESULT on_status_query(app *a, HWND asker)
{
    instance_status st = {.size = sizeof(st), .pid = GetCurrentProcessId()};
    ULONG n = 0;
    const int *events = sink_wanted_events(&n);
    store_health health;
    st.csc_state = a->csc && !a->shut_down ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    st.level = a->csc && !a->shut_down ? (DWORD)cscsvc_level(a->csc) : 0;
    st.since = a->csc && !a->shut_down ? cscsvc_subscribed_since(a->csc) : 0;
    for (ULONG i = 0; i < n; i++)
        if (events[i] >= 0 && events[i] < 64)
            st.events |= 1ull << events[i];
    winutil_utf8_to_wide(a->history_path, st.history_path, ARRAYSIZE(st.history_path));
    health = app_store_health(a);
    st.store_problem = (DWORD)health.problem;
    st.store_where = (DWORD)health.where;
    st.store_waiting = health.waiting;
    st.store_lost = health.lost;
    if (health.journal_path)
        winutil_utf8_to_wide(health.journal_path, st.journal_path, ARRAYSIZE(st.journal_path));
    return instance_answer_status(a->wnd, asker, &st);
}

/* WM_COPYDATA: a request from another ofnotify process of this user
 * (instance.c refuses the rest). A status is answered now, within the sent
 * message; the others wait their turn behind what is already queued. */
static LRESULT on_request(app *a, WPARAM wp, LPARAM lp)
{
    instance_request req;
    if (!instance_read_request(a->wnd, wp, lp, &req))
        return FALSE;
    if (req.command == INSTANCE_STATUS)
        return on_status_query(a, req.asker);
    return instance_defer(a->wnd, &req);
}

/* WM_OFN_REQUEST: the next queued request. */
static void on_deferred_request(app *a)
{
    instance_request req;
    if (!instance_next_deferred(&req))
        return;
    switch (req.command) {
    case INSTANCE_SHOW_HISTORY:
        if (!a->stopping)
            app_open_history_window(a);
        break;
    case INSTANCE_EXIT:
        if (!a->stopping)
            app_request_exit(a);
        break;
    case INSTANCE_IDLE_PROBE:
        /* Not idle while records wait for a history that would take them:
         * start-up's open and the merge happen before the answer. */
        if (!a->stopping && a->history_deferred)
            app_on_history_retry(a);
        else if (!a->stopping && app_store_health(a).waiting)
            app_store_drain(a);
        instance_answer_idle_probe(&req);
        break;
    case INSTANCE_SYNC_NOW:
        app_on_sync_now_request(a, req.thread);
        break;
    default:
        break;
    }
}

/* The history window's Clear history…, confirmed by the user. Anything but
 * the window on this thread naming the store it showed is refused: deleting
 * the history is not something another process may ask for. */
static LRESULT on_clear_history(app *a, LPARAM shown)
{
    of_history_err err;
    if (InSendMessage() || !a->history || (const of_history *)shown != a->history)
        return OF_HISTORY_E_INVALID;
    if (a->shut_down)
        return OF_HISTORY_E_OPEN;
    err = of_history_clear(a->history);
    historywnd_set_history(a->wnd, a->history);
    return err;
}

/* ---- start and shutdown ---- */

/* What the service link did, for a debugger: a re-subscription that is
 * slow to come can be placed (the service's state reports, each attempt). */
static void log_csc(const app *a, const char *what, DWORD state, csc_change change)
{
    static const char *const words[] = {
        [CSC_NO_CHANGE] = "not subscribed",
        [CSC_SUBSCRIBED] = "subscribed",
        [CSC_LOST] = "lost",
    };
    if (change == CSC_NO_CHANGE && a->csc && cscsvc_level(a->csc))
        return; /* already subscribed: nothing to tell */
    app_log("ofnotify: service %s %lu: %s (0x%08lX)\n", what, (unsigned long)state,
            (unsigned)change < ARRAYSIZE(words) ? words[change] : "?",
            a->csc ? (unsigned long)cscsvc_last_error(a->csc) : 0ul);
}

typedef enum csc_call { CSC_CALL_START, CSC_CALL_RETRY, CSC_CALL_STATE } csc_call;

/* Every call into cscsvc. Its COM calls dispatch messages, so this may run
 * inside another call (in_csc_call is restored, not cleared), sink events
 * are recorded during it, and the session may even end during it: then
 * shut_down has saved everything and left the link to the outermost call,
 * which unsubscribes and frees it here once cscsvc is off the stack. */
static void call_csc(app *a, csc_call what, DWORD state)
{
    static const char *const names[] = {[CSC_CALL_START] = "start", [CSC_CALL_RETRY] = "retry",
                                        [CSC_CALL_STATE] = "state"};
    BOOL outer = !a->in_csc_call;
    csc_change change = CSC_NO_CHANGE;
    if (!a->csc)
        return;
    a->in_csc_call = TRUE;
    switch (what) {
    case CSC_CALL_START:
        change = cscsvc_start(a->csc);
        break;
    case CSC_CALL_RETRY:
        change = cscsvc_on_retry(a->csc);
        break;
    case CSC_CALL_STATE:
        change = cscsvc_on_service_state(a->csc, state);
        break;
    }
    a->in_csc_call = !outer;
    if (a->stopping) {
        if (outer && a->csc_left) {
            cscsvc_destroy(a->csc_left);
            a->csc_left = NULL;
            app_log("ofnotify: exit: unsubscribed after the call under way\n");
        }
        return;
    }
    log_csc(a, names[what], state, change);
    app_on_csc_change(a, change);
}

static BOOL start(app *a, const cli_options *opts)
{
    WCHAR dir[MAX_PATH * 2];
    DWORD err = paths_data_dir(opts->data_dir, dir, ARRAYSIZE(dir));
    if (!err)
        err = paths_history_utf8(dir, a->history_path, sizeof(a->history_path));
    if (err) {
        app_log("ofnotify: no usable data folder (error %lu)\n", (unsigned long)err);
        return FALSE;
    }
    /* A folder that cannot be made is a store problem, not a reason to stop:
     * records then go to the journal in the temporary folder (app_store.h). */
    err = (DWORD)fs_win32_ensure_dir(dir);
    if (err)
        app_log("ofnotify: the data folder cannot be made (error %lu)\n", (unsigned long)err);
    lstrcpynW(a->data_dir, dir, ARRAYSIZE(a->data_dir));
    app_store_init(a);
    app_open_conflicts(a);
    of_pass_init(&a->passes, OF_PASS_DEFAULT_TIMEOUT_MS);
    /* No timeout: a Sync now ends with its End, the service's loss or exit. */
    of_pass_init(&a->own, 0);
    app_start_notify(a, opts->background);
    app_offline_start(a);
    eventlog_start(a->settings.event_log); /* without it, no events; nothing else changes */
    a->taskbar_created = tray_taskbar_created_message(a->wnd);
    if (FAILED(sink_create(a->wnd, &a->sink)))
        return FALSE;
    a->sync = syncnow_create(a->wnd); /* without it, Sync now stays greyed */
    a->csc = cscsvc_create(a->wnd, a->sink);
    if (!a->csc)
        return FALSE;
    /* The icon first: it says "waiting for Offline Files" while the
     * subscription is made. */
    app_show_tray(a);
    /* The history from the message loop: opening it may mean a long
     * recovery, which must delay neither the icon nor the subscription.
     * Passes that end before then go to the journal, in order (app_store),
     * also those whose End comes while the subscription is made. */
    app_defer_history_open(a);
    call_csc(a, CSC_CALL_START, 0);
    return TRUE;
}

/* Handles the sink events already queued, in the order they were posted. */
static void handle_queued_sink_events(app *a)
{
    MSG msg;
    DWORD kind;
    while (PeekMessageW(&msg, a->wnd, WM_OFN_SINK_EVENT, WM_OFN_SINK_EVENT, PM_REMOVE))
        if (postkey_unwrap(msg.wParam, &kind))
            app_on_sink_event(a, (sink_event_kind)kind, msg.lParam);
}

/* Everything that must happen before the process may end; safe to call
 * twice, and while it runs (Unadvise pumps messages). At WM_ENDSESSION
 * Windows may end the process as soon as it returns.
 *
 * Every pass whose End the sink answered S_OK is recorded as completed: the
 * events already queued are handled first, then the subscription is dropped
 * while sink events are still handled (the service may call the sink until
 * Unadvise returns, and the apartment dispatches those calls during
 * Unadvise's own outgoing call), then what they posted is handled, and only
 * then are the passes still open recorded as interrupted (shutdown). */
static void shut_down(app *a)
{
    cscsvc *csc = a->csc;
    if (a->stopping)
        return;
    a->stopping = TRUE;
    exitguard_arm(EXIT_WHOLE_MS);
    app_log("ofnotify: exit: started\n");
    handle_queued_sink_events(a);
    a->csc = NULL; /* --status during Unadvise: no longer subscribed */
    if (a->in_csc_call) {
        /* The session ends inside a call into cscsvc: the link is in use
         * on the stack below. Its caller unsubscribes (call_csc); the sink
         * is detached here, so what the service sends meanwhile is refused
         * and not counted delivered. */
        a->csc_left = csc;
    } else {
        cscsvc_destroy(csc);
        app_log("ofnotify: exit: unsubscribed\n");
    }
    if (a->sink) {
        handle_queued_sink_events(a);
        sink_detach(a->sink);
        handle_queued_sink_events(a);
        /* A call the service had under way when Unadvise returned fails now
         * (RPC_E_DISCONNECTED) instead of waiting for an apartment that is
         * about to stop pumping, and the service's references go: nothing
         * outside holds the sink while COM shuts down. */
        CoDisconnectObject(a->sink, 0);
        IUnknown_Release(a->sink);
        a->sink = NULL;
    }
    a->shut_down = TRUE;
    a->history_deferred = FALSE; /* what waits is written now, opened or not */
    app_interrupt_passes(a, OF_REASON_SHUTDOWN);
    app_sync_now_lost(a, OF_REASON_SHUTDOWN);
    app_store_drain(a);
    app_store_close(a);
    /* The passes just given up are queued; a log that hangs delays the exit by 1 s at most. */
    eventlog_stop(EVENTLOG_STOP_WAIT_MS);
    aboutdlg_close();
    historywnd_close(a->wnd);
    historywnd_set_history(a->wnd, NULL);
    if (a->history)
        of_history_close(a->history);
    a->history = NULL;
    app_close_conflicts(a);
    /* Everything is on disk; what follows keeps nothing and may wait on
     * others (the shell, the service, COM's threads). */
    app_log("ofnotify: exit: everything saved\n");
    exitguard_arm(EXIT_GUARD_MS);
    if (a->tray_shown && !tray_remove(a->wnd, TRAY_REMOVE_WAIT_MS))
        app_log("ofnotify: exit: the shell did not take the icon's removal within %u ms\n", TRAY_REMOVE_WAIT_MS);
    a->tray_shown = FALSE;
    KillTimer(a->wnd, TIMER_PASS_EXPIRY);
    KillTimer(a->wnd, TIMER_HISTORY_RETRY);
    KillTimer(a->wnd, TIMER_TRAY_RETRY);
    KillTimer(a->wnd, TIMER_NOTIFY);
    KillTimer(a->wnd, TIMER_TRAY_REFRESH);
    KillTimer(a->wnd, TIMER_SYNC_NOW_EXIT);
    KillTimer(a->wnd, TIMER_OFFLINE);
}

/* The session ends (sign-out, shutdown) or Restart Manager closes the app
 * for an installer (ENDSESSION_CLOSEAPP) and waits for the process to go.
 * Windows may end the process as soon as this returns, so everything
 * happens here (shut_down says in what order), and the window goes, which
 * ends the message loop and the process. */
static void on_end_session(app *a)
{
    if (a->stopping)
        return; /* already on its way out (sent during Unadvise) */
    shut_down(a);
    DestroyWindow(a->wnd);
}

/* ---- the window ---- */

static void on_timer(app *a, UINT_PTR id)
{
    switch (id) {
    case TIMER_CSC_RETRY:
        call_csc(a, CSC_CALL_RETRY, 0);
        break;
    case TIMER_PASS_EXPIRY:
        app_on_pass_expiry(a);
        break;
    case TIMER_HISTORY_RETRY:
        app_on_history_retry(a);
        break;
    case TIMER_TRAY_RETRY:
        KillTimer(a->wnd, TIMER_TRAY_RETRY);
        app_show_tray(a);
        break;
    case TIMER_TRAY_REFRESH:
        app_update_tray_now(a);
        break;
    case TIMER_NOTIFY:
        app_show_due_balloon(a);
        break;
    case TIMER_OFFLINE:
        app_offline_on_timer(a);
        break;
    case TIMER_CONFLICT_BALLOON:
        app_show_conflict_balloon(a);
        break;
    case TIMER_SYNC_NOW_EXIT:
        DestroyWindow(a->wnd); /* the Sync now did not stop in time; shut_down gives it up */
        break;
    }
}

/* The messages a running app acts on; once it is stopping they are dropped. */
static void on_running_message(app *a, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_OFN_SERVICE_STATE:
        call_csc(a, CSC_CALL_STATE, (DWORD)wp);
        break;
    case WM_OFN_OPEN_HISTORY:
        app_on_history_retry(a);
        break;
    case WM_OFN_SYNC_PROGRESS:
        app_on_sync_progress(a, wp, lp);
        break;
    case WM_TIMER:
        on_timer(a, wp);
        break;
    case WM_OFN_TRAY:
        app_on_tray(a, wp, lp);
        break;
    case WM_DPICHANGED:
        /* The icon is drawn for the window's DPI: a new scale needs a new size. */
        app_refresh_tray(a);
        break;
    }
}

static LRESULT CALLBACK app_wndproc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    app *a = winutil_window_state(wnd, msg, lp);
    DWORD payload;
    if (!a)
        return DefWindowProcW(wnd, msg, wp, lp);
    switch (msg) {
    case WM_NCCREATE:
        a->wnd = wnd;
        break;
    case WM_OFN_SINK_EVENT:
        if (!postkey_unwrap(wp, &payload))
            return 0; /* not from this process: its lParam is no pointer of ours */
        /* Still handled while Unadvise runs (shut_down). */
        if (a->shut_down) {
            if (payload != SINK_BACKGROUND_SYNC_BEGIN && payload != SINK_BACKGROUND_SYNC_END)
                sink_event_free((sink_event *)lp);
            return 0;
        }
        app_on_sink_event(a, (sink_event_kind)payload, lp);
        return 0;
    case WM_OFN_SINK_FLUSH:
        /* The End is recorded before the sink answers, also during a call
         * into cscsvc (it pumps COM while it subscribes): an End then comes
         * through the subscription being made, so the passes begun before
         * it are given up first, as the call's return would have done.
         * Only the sink on this thread sends it (InSendMessage: another
         * thread or process did). */
        if (a->shut_down || InSendMessage())
            return 0;
        if (a->in_csc_call)
            app_on_csc_call_event(a);
        handle_queued_sink_events(a);
        return 0;
    case WM_OFN_SERVICE_STATE:
    case WM_OFN_SYNC_PROGRESS:
        if (!postkey_unwrap(wp, &payload))
            return 0;
        if (!a->stopping)
            on_running_message(a, msg, payload, lp);
        return 0;
    case WM_OFN_OPEN_HISTORY:
    case WM_TIMER:
    case WM_OFN_TRAY:
    case WM_DPICHANGED:
        if (!a->stopping)
            on_running_message(a, msg, wp, lp);
        return 0;
    case WM_COPYDATA:
        return on_request(a, wp, lp);
    case WM_OFN_REQUEST:
        on_deferred_request(a);
        return 0;
    case WM_OFN_CLEAR_HISTORY:
        return on_clear_history(a, lp);
    case WM_SETTINGCHANGE:
        /* The taskbar turned light or dark: the glyph follows. */
        if (lp && !lstrcmpW((LPCWSTR)lp, L"ImmersiveColorSet"))
            app_refresh_tray(a);
        /* Group Policy was applied: a policy of ours may have changed. */
        if (lp && !lstrcmpW((LPCWSTR)lp, L"Policy") && !a->shut_down)
            app_load_settings(a);
        return 0;
    case WM_QUERYENDSESSION:
        return TRUE; /* nothing to save that WM_ENDSESSION does not save */
    case WM_ENDSESSION:
        if (wp)
            on_end_session(a);
        return 0;
    case WM_DESTROY:
        shut_down(a);
        PostQuitMessage(0);
        return 0;
    }
    if (msg == a->taskbar_created && msg && !a->shut_down) {
        /* Explorer restarted: every icon is gone and must be added again. */
        app_show_tray(a);
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
            if (aboutdlg_handle_message(&msg))
                continue;
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
    app_log("ofnotify: exit: message loop ended\n");
    syncnow_free(the_app.sync);
    return rc;
}
