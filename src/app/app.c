/* ofnotify: the tray application. See app.h. */
#include "app.h"

#include <stdio.h>

#include <windowsx.h>

#include "aboutdlg.h"
#include "autostart.h"
#include "cscsvc.h"
#include "coretext.h"
#include "fs_win32.h"
#include "history/historywnd.h"
#include "instance.h"
#include "messages.h"
#include "ofnotify/format.h"
#include "ofnotify/history.h"
#include "ofnotify/notify.h"
#include "ofnotify/pass.h"
#include "ofnotify/settings.h"
#include "ofnotify/syncflags.h"
#include "paths.h"
#include "resource.h"
#include "settings_reg.h"
#include "sink.h"
#include "syncnow.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

/* Records that could not be written yet (disk full, file locked) wait here,
 * in order, and are written by TIMER_HISTORY_RETRY. */
#define PENDING_MAX 4096
#define HISTORY_RETRY_MS 5000
#define TRAY_RETRY_FIRST_MS 1000
#define TRAY_RETRY_MAX_MS 30000
/* How long Exit waits for a running Sync now to end after asking it to stop. */
#define SYNC_NOW_EXIT_GRACE_MS 5000

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
    of_notify notify;
    of_settings settings;    /* as last read from the registry (settings_reg.h) */
    WCHAR data_dir[MAX_PATH * 2];
    uint64_t balloon_seq;    /* the pass the last balloon was about: a click opens it */
    of_record last;          /* the newest record on disk, for the tooltip */
    BOOL have_last;
    UINT taskbar_created;    /* the shell's "TaskbarCreated" message */
    BOOL tray_shown;
    BOOL tray_dirty;         /* an update waits for TIMER_TRAY_REFRESH */
    UINT tray_retry_ms;
    syncnow *sync;           /* Sync now; NULL if it could not be created */
    of_pass_tracker own;     /* the pass of a running Sync now (at most one) */
    BOOL exit_pending;       /* Exit waits for a Sync now to stop */
    BOOL shut_down;
} app;

/* ---- clocks: core reads none, the app passes them in ---- */

static uint64_t mono_now(void)
{
    return GetTickCount64();
}

static int local_minute(void)
{
    SYSTEMTIME st;
    GetLocalTime(&st);
    return st.wHour * 60 + st.wMinute;
}

/* Core says when it next has work (a monotonic time) instead of being
 * polled: one timer per owner, set to that moment or killed. */
static void set_timer_until(HWND wnd, UINT_PTR id, int pending, uint64_t due_mono_ms)
{
    uint64_t now = mono_now(), wait = due_mono_ms > now ? due_mono_ms - now : 0;
    if (!pending)
        KillTimer(wnd, id);
    else
        SetTimer(wnd, id, wait >= USER_TIMER_MAXIMUM ? USER_TIMER_MAXIMUM : (UINT)wait + 1, NULL);
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
    err = of_history_open(&a->history, fs_win32(), a->history_path, 0, wallclock_now_ms(), &report);
    if (err != OF_HISTORY_OK) {
        a->history = NULL;
        log_line("ofnotify: cannot open %s: %s\n", a->history_path, of_history_error_text(err));
        return FALSE;
    }
    historywnd_set_history(a->wnd, a->history);
    if (report.issue != OF_HISTORY_ISSUE_NONE)
        log_line("ofnotify: history %s: %s%s%s\n", a->history_path, of_history_issue_text(report.issue),
                 report.moved_aside ? "; the damaged file was kept as " : "",
                 report.moved_aside ? report.moved_to : "");
    return TRUE;
}

/* The retention settings, applied when the app starts: older and surplus
 * records go, through core/history's safe rewrite. */
static void apply_retention(app *a)
{
    uint64_t removed = 0;
    of_history_err err = of_history_compact(a->history, a->settings.retention_count, a->settings.retention_days,
                                            wallclock_now_ms(), &removed);
    if (err != OF_HISTORY_OK)
        log_line("ofnotify: the history could not be trimmed: %s\n", of_history_error_text(err));
    else if (removed)
        log_line("ofnotify: %llu old records removed (retention)\n", (unsigned long long)removed);
    if (removed)
        historywnd_set_history(a->wnd, a->history);
}

static void on_recorded(app *a, const of_record *rec);

/* Writes waiting records, oldest first; stops at the first failure so the
 * order on disk stays the order passes ended. */
static void flush_pending(app *a)
{
    size_t done = 0;
    if (a->pending_count && open_history(a)) {
        while (done < a->pending_count && of_history_append(a->history, &a->pending[done]) == OF_HISTORY_OK)
            on_recorded(a, &a->pending[done++]);
    }
    if (done) {
        historywnd_records_changed(a->wnd);
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

/* ---- the tray icon and balloons ---- */

static tray_state current_tray_state(const app *a, UINT *tip_id)
{
    csc_state state = a->csc ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    *tip_id = cscsvc_state_text(state)->tip;
    if (state == CSC_STATE_RECONNECTING)
        return TRAY_RECONNECTING;
    if (state != CSC_STATE_RUNNING)
        return TRAY_OFF;
    if (of_pass_open_count(&a->passes)) {
        *tip_id = IDS_TIP_SYNCING;
        return TRAY_SYNCING;
    }
    if (syncnow_active(a->sync)) {
        *tip_id = IDS_TIP_SYNC_NOW;
        return TRAY_SYNCING;
    }
    return TRAY_IDLE;
}

/* "ofnotify: watching Offline Files" + "Last sync: Two-way, 14:02, 12 s". */
static tray_state tray_text(const app *a, WCHAR *tip, size_t cap)
{
    WCHAR line[128], dir[48], when[32], took[32];
    char text[64];
    UINT tip_id;
    uint32_t open_flags = 0;
    tray_state state = current_tray_state(a, &tip_id);
    of_pass_info open;
    if (state == TRAY_SYNCING && of_pass_open_get(&a->passes, 0, &open) == OF_PASS_OK)
        open_flags = open.flags;
    else if (state == TRAY_SYNCING)
        open_flags = SYNCNOW_FLAGS;
    of_format_direction_label(coretext_strings(), of_syncflags_direction(open_flags), text, sizeof(text));
    winutil_utf8_to_wide(text, dir, ARRAYSIZE(dir));
    winutil_load_message(tip_id, tip, cap, dir);
    if (a->have_last) {
        SYSTEMTIME st;
        if (!wallclock_to_local(a->last.completed_ms, &st) ||
            !GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, when, ARRAYSIZE(when)))
            when[0] = 0;
        of_format_direction_label(coretext_strings(), of_syncflags_direction(a->last.flags), text, sizeof(text));
        winutil_utf8_to_wide(text, dir, ARRAYSIZE(dir));
        of_format_duration(coretext_strings(), a->last.duration_ms, text, sizeof(text));
        winutil_utf8_to_wide(text, took, ARRAYSIZE(took));
        winutil_load_message(IDS_TIP_LAST, line, ARRAYSIZE(line), dir, when, took);
        if (line[0] && wcslen(tip) + 1 + wcslen(line) < cap) {
            wcscat(tip, L"\n");
            wcscat(tip, line);
        }
    }
    return state;
}

static void schedule_tray_retry(app *a)
{
    a->tray_retry_ms = a->tray_retry_ms ? min(a->tray_retry_ms * 2, TRAY_RETRY_MAX_MS) : TRAY_RETRY_FIRST_MS;
    SetTimer(a->wnd, TIMER_TRAY_RETRY, a->tray_retry_ms, NULL);
}

/* Adds the icon, or keeps trying: at sign-in the shell may not be up yet, and
 * a tray app without its icon is worse than one that waits. */
static void show_tray(app *a)
{
    WCHAR tip[128];
    tray_state state = tray_text(a, tip, ARRAYSIZE(tip));
    a->tray_shown = tray_add(a->wnd, state, tip);
    if (a->tray_shown) {
        log_line("ofnotify: tray icon added\n");
        KillTimer(a->wnd, TIMER_TRAY_RETRY);
        a->tray_retry_ms = 0;
    } else {
        schedule_tray_retry(a);
        log_line("ofnotify: the shell took no tray icon; trying again in %u ms\n", a->tray_retry_ms);
    }
}

/* Updating the icon is a call into the shell; a burst of passes must not
 * slow the sink path, so changes are gathered and shown once per period. */
#define TRAY_REFRESH_MS 250

static void refresh_tray(app *a)
{
    if (a->tray_shown && !a->tray_dirty) {
        a->tray_dirty = TRUE;
        SetTimer(a->wnd, TIMER_TRAY_REFRESH, TRAY_REFRESH_MS, NULL);
    }
}

static void update_tray_now(app *a)
{
    WCHAR tip[128];
    KillTimer(a->wnd, TIMER_TRAY_REFRESH);
    a->tray_dirty = FALSE;
    if (a->tray_shown)
        tray_update(a->wnd, tray_text(a, tip, ARRAYSIZE(tip)), tip);
}

static void schedule_notify(app *a)
{
    uint64_t due = 0;
    int pending = of_notify_next_due(&a->notify, &due) > 0;
    set_timer_until(a->wnd, TIMER_NOTIFY, pending, due);
}

static void show_due_balloon(app *a)
{
    static of_notify_batch batch; /* large; one balloon at a time on this thread */
    char title[64], body[256];
    WCHAR wtitle[64], wbody[256];
    int rc;
    if (of_notify_poll(&a->notify, mono_now(), local_minute(), &batch) == 1 && batch.count) {
        rc = batch.count == 1
                 ? of_format_balloon(coretext_strings(), &batch.recs[0], title, sizeof(title), body, sizeof(body))
                 : of_format_balloon_summary(coretext_strings(), batch.recs, batch.count, title, sizeof(title), body,
                                             sizeof(body));
        if (rc >= 0 && a->tray_shown) {
            winutil_utf8_to_wide(title, wtitle, ARRAYSIZE(wtitle));
            winutil_utf8_to_wide(body, wbody, ARRAYSIZE(wbody));
            tray_balloon(a->wnd, wtitle, wbody);
            a->balloon_seq = batch.recs[batch.count < OF_NOTIFY_BATCH_MAX ? batch.count - 1 : OF_NOTIFY_BATCH_MAX - 1].seq;
        }
    }
    schedule_notify(a);
}

/* A record is on disk: now the rest of the app may act on it. */
static void on_recorded(app *a, const of_record *rec)
{
    a->last = *rec;
    a->have_last = TRUE;
    of_notify_offer(&a->notify, rec, mono_now(), local_minute());
    schedule_notify(a);
}

/* The quiet period after start keeps the sign-in catch-up sync from greeting
 * the user with a balloon; someone who starts ofnotify by hand wants to hear
 * about the very next sync. */
static void load_settings(app *a);

static void start_notify(app *a, BOOL at_sign_in)
{
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    if (!at_sign_in)
        cfg.startup_quiet_ms = 0;
    of_notify_init(&a->notify, &cfg, mono_now());
    load_settings(a);
}

/* Reads the settings and policies again (they may change at any time: Group
 * Policy, another tool) and hands mode and quiet hours to core/notify. */
static void load_settings(app *a)
{
    of_notify_config cfg;
    DWORD err = settings_load(NULL, &a->settings);
    if (err)
        log_line("ofnotify: the settings could not all be read (error %lu)\n", (unsigned long)err);
    of_notify_get_config(&a->notify, &cfg);
    of_settings_to_notify_config(&a->settings, &cfg);
    of_notify_set_config(&a->notify, &cfg);
    schedule_notify(a);
}

static void set_notify_mode(app *a, of_notify_mode mode)
{
    DWORD err = 0;
    if (settings_set_notify_mode(NULL, mode, &err) == SETTINGS_WRITE_FAILED)
        log_line("ofnotify: the notification mode could not be saved (error %lu)\n", (unsigned long)err);
    load_settings(a);
}

static void open_history_window(app *a)
{
    historywnd_open((HINSTANCE)GetWindowLongPtrW(a->wnd, GWLP_HINSTANCE), a->wnd, a->history);
}

/* ---- Sync now ---- */

/* Offered when the service runs and no Sync now of ours does. */
static BOOL sync_now_available(const app *a)
{
    return a->sync && !a->exit_pending && !syncnow_active(a->sync) && a->csc &&
           cscsvc_state(a->csc) == CSC_STATE_RUNNING;
}

static void request_exit(app *a);

/* The tray menu's Sync now and --sync-now. Returns what happened; the user
 * is told in a balloon when it could not start. */
static syncnow_result sync_now(app *a, HRESULT *hr)
{
    WCHAR title[64], text[512];
    syncnow_result result;
    *hr = S_OK;
    if (!a->sync || a->exit_pending || syncnow_active(a->sync))
        result = SYNCNOW_BUSY;
    else if (!a->csc || cscsvc_state(a->csc) != CSC_STATE_RUNNING)
        result = SYNCNOW_NO_SERVICE;
    else
        result = syncnow_start(a->sync, historywnd_shown(a->wnd), hr);
    if (result == SYNCNOW_STARTED)
        refresh_tray(a);
    syncnow_result_text(result, *hr, text, ARRAYSIZE(text));
    if (text[0] && a->tray_shown && !a->shut_down) {
        winutil_load_message(IDS_SYNC_NOW_TITLE, title, ARRAYSIZE(title));
        tray_balloon(a->wnd, title, text);
    }
    if (result == SYNCNOW_LIST_FAILED || result == SYNCNOW_START_FAILED)
        log_line("ofnotify: Sync now did not start (%d): 0x%08lX\n", (int)result, (unsigned long)*hr);
    /* Exit was asked for while the cache was being called. */
    if (a->exit_pending && !a->shut_down)
        request_exit(a);
    return result;
}

/* --sync-now from another process: the answer goes back to its thread. */
static void on_sync_now_request(app *a, DWORD asker_thread)
{
    HRESULT hr = S_OK;
    syncnow_result result = a->shut_down ? SYNCNOW_BUSY : sync_now(a, &hr);
    PostThreadMessageW(asker_thread, WM_OFN_SYNC_NOW_REPLY, (WPARAM)result, (LPARAM)hr);
}

/* The progress object's Begin and End become a pass like a background one. */
static void on_sync_progress(app *a, WPARAM wp, LPARAM lp)
{
    syncnow_report report;
    of_record rec;
    if (!syncnow_on_progress(a->sync, wp, lp, &report))
        return;
    /* Begin opens the pass; an End without a Begin still ends in a record
     * (of no duration). */
    if (!of_pass_open_count(&a->own))
        of_pass_begin(&a->own, SYNCNOW_FLAGS, mono_now(), wallclock_now_ms(), on_pass_record, a);
    if (report.step == SYNCNOW_STEP_ENDED) {
        log_line("ofnotify: Sync now ended: 0x%08lX, %ld items, %ld failed\n", (unsigned long)report.hr,
                 report.items, report.failed_items);
        if (report.reason == OF_REASON_NONE) {
            if (of_pass_end(&a->own, SYNCNOW_FLAGS, mono_now(), wallclock_now_ms(), &rec) == OF_PASS_OK)
                record_pass(a, &rec);
        } else {
            of_pass_interrupt_all(&a->own, report.reason, mono_now(), wallclock_now_ms(), on_pass_record, a);
        }
        if (a->exit_pending) {
            DestroyWindow(a->wnd); /* Exit waited for this End */
            return;
        }
    }
    refresh_tray(a);
}

/* A running Sync now will never end (the service went away, or ofnotify
 * exits): its pass is given up for `reason`. */
static void sync_now_lost(app *a, of_reason reason)
{
    if (reason == OF_REASON_SHUTDOWN)
        syncnow_close(a->sync);
    else
        syncnow_forget(a->sync);
    of_pass_interrupt_all(&a->own, reason, mono_now(), wallclock_now_ms(), on_pass_record, a);
}

/* Exit (menu or --exit). A running Sync now is asked to stop first, so the
 * service is not left syncing for an app that is gone; the app goes when it
 * has ended or after SYNC_NOW_EXIT_GRACE_MS, whichever is first. */
static void request_exit(app *a)
{
    a->exit_pending = TRUE;
    if (syncnow_active(a->sync)) {
        syncnow_abort(a->sync);
        SetTimer(a->wnd, TIMER_SYNC_NOW_EXIT, SYNC_NOW_EXIT_GRACE_MS, NULL);
        return;
    }
    DestroyWindow(a->wnd);
}

/* "Start at sign-in": the check mark says what the registry says. */
static void toggle_autostart(app *a, const autostart_status *st)
{
    DWORD err = 0;
    WCHAR prompt[1024], title[64];
    switch (autostart_summary(st)) {
    case AUTOSTART_OFF:
    case AUTOSTART_DISABLED: /* the user asks again: ofnotify's choice wins over Task Manager's */
        err = autostart_enable(NULL, NULL);
        break;
    case AUTOSTART_ON:
        err = autostart_disable(NULL);
        break;
    case AUTOSTART_MOVED: /* the exe moved: the value starts another copy */
        winutil_load_message(IDS_AUTOSTART_REPAIR_PROMPT, prompt, ARRAYSIZE(prompt), st->user_program);
        winutil_load_message(IDS_APP_NAME, title, ARRAYSIZE(title));
        if (MessageBoxW(a->wnd, prompt, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON1) == IDYES)
            err = autostart_repair(NULL, NULL);
        break;
    case AUTOSTART_MACHINE:
        break;
    }
    if (err)
        log_line("ofnotify: start at sign-in could not be changed (error %lu)\n", (unsigned long)err);
}

static void show_about(app *a)
{
    WCHAR history[MAX_PATH * 2];
    autostart_status st;
    about_info info = {.data_dir = a->data_dir, .history_path = history, .autostart = &st,
                       .settings = &a->settings};
    info.service = a->csc ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    winutil_utf8_to_wide(a->history_path, history, ARRAYSIZE(history));
    load_settings(a);
    if (autostart_query(NULL, NULL, &st) != ERROR_SUCCESS)
        info.autostart = NULL;
    aboutdlg_show(NULL, &info);
}

static void show_menu(app *a, POINT pt)
{
    of_notify_config cfg;
    autostart_status st;
    autostart_state start_state = AUTOSTART_OFF;
    UINT checked[2], disabled[5];
    HRESULT hr;
    size_t n_checked = 0, n_disabled = 0;
    load_settings(a); /* a policy may have arrived since */
    if (autostart_query(NULL, NULL, &st) == ERROR_SUCCESS)
        start_state = autostart_summary(&st);
    if (!sync_now_available(a))
        disabled[n_disabled++] = IDM_SYNC_NOW;
    if (of_settings_locked(&a->settings, OF_SETTING_NOTIFY_MODE)) {
        disabled[n_disabled++] = IDM_NOTIFY_ALL;
        disabled[n_disabled++] = IDM_NOTIFY_TWO_WAY;
        disabled[n_disabled++] = IDM_NOTIFY_OFF;
    }
    if (start_state == AUTOSTART_MACHINE)
        disabled[n_disabled++] = IDM_AUTOSTART;
    of_notify_get_config(&a->notify, &cfg);
    checked[n_checked++] = cfg.mode == OF_NOTIFY_TWO_WAY_ONLY ? IDM_NOTIFY_TWO_WAY
                           : cfg.mode == OF_NOTIFY_OFF        ? IDM_NOTIFY_OFF
                                                              : IDM_NOTIFY_ALL;
    if (start_state == AUTOSTART_ON || start_state == AUTOSTART_MOVED || start_state == AUTOSTART_MACHINE)
        checked[n_checked++] = IDM_AUTOSTART;
    switch (tray_menu(a->wnd, pt, checked, n_checked, disabled, n_disabled)) {
    case IDM_NOTIFY_ALL:
        set_notify_mode(a, OF_NOTIFY_ALL);
        break;
    case IDM_NOTIFY_TWO_WAY:
        set_notify_mode(a, OF_NOTIFY_TWO_WAY_ONLY);
        break;
    case IDM_NOTIFY_OFF:
        set_notify_mode(a, OF_NOTIFY_OFF);
        break;
    case IDM_OPEN_HISTORY:
        open_history_window(a);
        break;
    case IDM_SYNC_NOW:
        sync_now(a, &hr);
        break;
    case IDM_AUTOSTART:
        toggle_autostart(a, &st);
        break;
    case IDM_ABOUT:
        show_about(a);
        break;
    case IDM_EXIT:
        request_exit(a);
        break;
    }
}

/* NOTIFYICON_VERSION_4: the event is in LOWORD(lp), the anchor point in wp. */
static void on_tray(app *a, WPARAM wp, LPARAM lp)
{
    if (LOWORD(lp) == WM_CONTEXTMENU) {
        POINT pt = {GET_X_LPARAM(wp), GET_Y_LPARAM(wp)};
        show_menu(a, pt);
    } else if (LOWORD(lp) == NIN_SELECT || LOWORD(lp) == NIN_KEYSELECT) {
        open_history_window(a);
    } else if (LOWORD(lp) == NIN_BALLOONUSERCLICK && a->balloon_seq) {
        /* The balloon's pass, selected (a summary's: the latest of them). */
        historywnd_open_at((HINSTANCE)GetWindowLongPtrW(a->wnd, GWLP_HINSTANCE), a->wnd, a->history,
                          a->balloon_seq);
    }
}

/* ---- passes ---- */

static void schedule_expiry(app *a)
{
    uint64_t due = 0;
    int pending = of_pass_next_expiry(&a->passes, &due) > 0;
    set_timer_until(a->wnd, TIMER_PASS_EXPIRY, pending, due);
}

static void interrupt_passes(app *a, of_reason reason)
{
    of_pass_interrupt_all(&a->passes, reason, mono_now(), wallclock_now_ms(), on_pass_record, a);
    schedule_expiry(a);
}

static void handle_sink_event(app *a, sink_event_kind kind, LPARAM lp);

static void on_sink_event(app *a, sink_event_kind kind, LPARAM lp)
{
    BOOL was_syncing = of_pass_open_count(&a->passes) > 0;
    handle_sink_event(a, kind, lp);
    if (was_syncing != (of_pass_open_count(&a->passes) > 0) || kind == SINK_BACKGROUND_SYNC_END)
        refresh_tray(a);
}

static void handle_sink_event(app *a, sink_event_kind kind, LPARAM lp)
{
    of_record rec;
    /* Events the sink could not post are lost like DataLost's. */
    if (a->sink && sink_take_lost(a->sink) > 0)
        interrupt_passes(a, OF_REASON_DATALOST);
    switch (kind) {
    case SINK_BACKGROUND_SYNC_BEGIN:
        of_pass_begin(&a->passes, (uint32_t)lp, mono_now(), wallclock_now_ms(), on_pass_record, a);
        schedule_expiry(a);
        return;
    case SINK_BACKGROUND_SYNC_END:
        if (of_pass_end(&a->passes, (uint32_t)lp, mono_now(), wallclock_now_ms(), &rec) == OF_PASS_OK)
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
    if (change == CSC_LOST || change == CSC_SUBSCRIBED) {
        interrupt_passes(a, OF_REASON_SERVICE_LOST);
        sync_now_lost(a, OF_REASON_SERVICE_LOST);
    }
    refresh_tray(a);
}

/* --status from another process: what this instance hears and where it writes. */
static LRESULT on_status_query(app *a, WPARAM asker)
{
    instance_status st = {.size = sizeof(st), .pid = GetCurrentProcessId()};
    ULONG n = 0;
    const int *events = sink_wanted_events(&n);
    st.csc_state = a->csc && !a->shut_down ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    st.level = a->csc && !a->shut_down ? (DWORD)cscsvc_level(a->csc) : 0;
    st.since = a->csc && !a->shut_down ? cscsvc_subscribed_since(a->csc) : 0;
    for (ULONG i = 0; i < n; i++)
        if (events[i] >= 0 && events[i] < 64)
            st.events |= 1ull << events[i];
    winutil_utf8_to_wide(a->history_path, st.history_path, ARRAYSIZE(st.history_path));
    return instance_answer_status(a->wnd, asker, &st);
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
    lstrcpynW(a->data_dir, dir, ARRAYSIZE(a->data_dir));
    of_pass_init(&a->passes, OF_PASS_DEFAULT_TIMEOUT_MS);
    /* No timeout: a Sync now ends with its End, the service's loss or exit. */
    of_pass_init(&a->own, 0);
    start_notify(a, opts->background);
    a->taskbar_created = tray_taskbar_created_message(a->wnd);
    if (open_history(a)) /* a failure is retried when the first record needs it */
        apply_retention(a);
    if (FAILED(sink_create(a->wnd, &a->sink)))
        return FALSE;
    a->sync = syncnow_create(a->wnd); /* without it, Sync now stays greyed */
    a->csc = cscsvc_create(a->wnd, a->sink);
    if (!a->csc)
        return FALSE;
    /* The icon first: it says "waiting for Offline Files" while the
     * subscription is made. */
    show_tray(a);
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
    sync_now_lost(a, OF_REASON_SHUTDOWN);
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
    aboutdlg_close();
    historywnd_close(a->wnd);
    historywnd_set_history(a->wnd, NULL);
    if (a->history)
        of_history_close(a->history);
    a->history = NULL;
    if (a->tray_shown)
        tray_remove(a->wnd);
    a->tray_shown = FALSE;
    KillTimer(a->wnd, TIMER_PASS_EXPIRY);
    KillTimer(a->wnd, TIMER_HISTORY_RETRY);
    KillTimer(a->wnd, TIMER_TRAY_RETRY);
    KillTimer(a->wnd, TIMER_NOTIFY);
    KillTimer(a->wnd, TIMER_TRAY_REFRESH);
    KillTimer(a->wnd, TIMER_SYNC_NOW_EXIT);
}

/* The session ends (sign-out, shutdown) or Restart Manager closes the app
 * for an installer (ENDSESSION_CLOSEAPP) and waits for the process to go.
 * Windows may end the process as soon as this returns, so everything
 * happens here: the sink events already posted are handled first (a pass
 * whose End the sink acknowledged is recorded as completed), then open
 * passes are recorded as interrupted (shutdown), the subscription is
 * dropped, and the window goes, which ends the message loop and the
 * process. */
static void on_end_session(app *a)
{
    MSG msg;
    while (!a->shut_down && PeekMessageW(&msg, a->wnd, WM_OFN_SINK_EVENT, WM_OFN_SINK_EVENT, PM_REMOVE))
        on_sink_event(a, (sink_event_kind)msg.wParam, msg.lParam);
    shut_down(a);
    DestroyWindow(a->wnd);
}

/* ---- the window ---- */

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

static void on_timer(app *a, UINT_PTR id)
{
    switch (id) {
    case TIMER_CSC_RETRY:
        on_csc_change(a, cscsvc_on_retry(a->csc));
        break;
    case TIMER_PASS_EXPIRY:
        of_pass_expire(&a->passes, mono_now(), wallclock_now_ms(), on_pass_record, a);
        schedule_expiry(a);
        break;
    case TIMER_HISTORY_RETRY:
        flush_pending(a);
        break;
    case TIMER_TRAY_RETRY:
        KillTimer(a->wnd, TIMER_TRAY_RETRY);
        show_tray(a);
        break;
    case TIMER_TRAY_REFRESH:
        update_tray_now(a);
        break;
    case TIMER_NOTIFY:
        show_due_balloon(a);
        break;
    case TIMER_SYNC_NOW_EXIT:
        DestroyWindow(a->wnd); /* the Sync now did not stop in time; shut_down gives it up */
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
        if (!a->shut_down)
            open_history_window(a);
        return 0;
    case WM_OFN_EXIT_REQUEST:
        if (!a->shut_down)
            request_exit(a);
        return 0;
    case WM_OFN_SYNC_PROGRESS:
        if (!a->shut_down)
            on_sync_progress(a, wp, lp);
        return 0;
    case WM_OFN_SYNC_NOW_REQUEST:
        on_sync_now_request(a, (DWORD)wp);
        return 0;
    case WM_OFN_CLEAR_HISTORY:
        return on_clear_history(a, lp);
    case WM_OFN_STATUS_QUERY:
        return on_status_query(a, wp);
    case WM_TIMER:
        if (!a->shut_down)
            on_timer(a, wp);
        return 0;
    case WM_OFN_TRAY:
        if (!a->shut_down)
            on_tray(a, wp, lp);
        return 0;
    case WM_DPICHANGED:
        /* The icon is drawn for the window's DPI: a new scale needs a new size. */
        if (!a->shut_down)
            refresh_tray(a);
        return 0;
    case WM_SETTINGCHANGE:
        /* The taskbar turned light or dark: the glyph follows. */
        if (lp && !lstrcmpW((LPCWSTR)lp, L"ImmersiveColorSet"))
            refresh_tray(a);
        /* Group Policy was applied: a policy of ours may have changed. */
        if (lp && !lstrcmpW((LPCWSTR)lp, L"Policy") && !a->shut_down)
            load_settings(a);
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
        show_tray(a);
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
    HeapFree(GetProcessHeap(), 0, the_app.pending);
    syncnow_free(the_app.sync);
    return rc;
}
