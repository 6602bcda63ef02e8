/* ofnotify: the tray application's parts, private to app.c and app_*.c:
 * the state behind the app window (app.c owns it) and what each part offers
 * the others. Main thread only.
 *
 * The data flow: a sink event or a change of the service link becomes a
 * pass, an ended pass a record on disk (app_records.c); a record on disk
 * becomes the tooltip and a balloon, and the tray menu turns clicks into
 * commands (app_tray.c); Sync now is a pass of ours, and Exit waits for it
 * (app_syncnow.c). app.c starts and stops all of it and dispatches the
 * window's messages to these parts. */
#ifndef OFNOTIFY_APP_PRIVATE_H
#define OFNOTIFY_APP_PRIVATE_H

#include <stdint.h>

#include <windows.h>

#include "cscsvc.h"
#include "ofnotify/history.h"
#include "ofnotify/notify.h"
#include "ofnotify/pass.h"
#include "ofnotify/settings.h"
#include "sink.h"
#include "syncnow.h"

/* app.c makes it with the window and frees what it holds after the message
 * loop; every part reads and changes it on the main thread. */
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
    BOOL history_deferred;   /* start-up has not opened the history yet */
    BOOL in_csc_call;        /* a call into cscsvc runs: sink events wait for its outcome */
    BOOL stopping;           /* shut_down has begun: only sink events are still handled */
    BOOL shut_down;          /* shut_down has recorded what was open: nothing more is */
} app;

/* ---- app.c: clocks, timers, the debug log ---- */

/* Core reads no clock: the app passes its monotonic time (ms) in. */
uint64_t app_mono_now(void);

/* Core says when it next has work (a monotonic time) instead of being
 * polled: one timer per owner, set to that moment or killed. */
void app_set_timer_until(HWND wnd, UINT_PTR id, int pending, uint64_t due_mono_ms);

/* A line for a debugger (OutputDebugString), printf-style. */
void app_log(const char *fmt, ...);

/* ---- app_records.c: sink events and the service link → passes → the history file ---- */

/* Opens the history file if it is not open; FALSE (logged) if it cannot be,
 * or while start-up has not opened it yet. */
BOOL app_open_history(app *a);

/* Start-up: the history is opened (and recovered, and trimmed) from the
 * message loop, after the icon and the subscription. */
void app_defer_history_open(app *a);

/* TIMER_HISTORY_RETRY, and WM_OFN_OPEN_HISTORY from app_defer_history_open. */
void app_on_history_retry(app *a);

/* The retention settings, applied when the app starts. */
void app_apply_retention(app *a);

/* Writes the records that wait, oldest first (TIMER_HISTORY_RETRY, exit). */
void app_flush_pending(app *a);

/* Every ended pass comes through here: on disk before anything acts on it. */
void app_record_pass(app *a, const of_record *rec);

/* core/pass's callback for a pass it ends itself (ctx: the app). */
void app_on_pass_record(void *ctx, const of_record *rec);

/* Open passes will never end: each is recorded as interrupted for reason. */
void app_interrupt_passes(app *a, of_reason reason);

/* TIMER_PASS_EXPIRY: passes without an End in time are given up. */
void app_on_pass_expiry(app *a);

/* WM_OFN_SINK_EVENT. */
void app_on_sink_event(app *a, sink_event_kind kind, LPARAM lp);

/* What a call to cscsvc changed. */
void app_on_csc_change(app *a, csc_change change);

/* ---- app_tray.c: what the user sees and picks: icon, tooltip, balloons, menu ---- */

/* Adds the icon, or keeps trying (TIMER_TRAY_RETRY). */
void app_show_tray(app *a);

/* The icon and tooltip are updated soon (TIMER_TRAY_REFRESH). */
void app_refresh_tray(app *a);

/* TIMER_TRAY_REFRESH: the icon and tooltip as they are now. */
void app_update_tray_now(app *a);

/* core/notify from the start; at_sign_in keeps the first syncs quiet. */
void app_start_notify(app *a, BOOL at_sign_in);

/* Reads the settings and policies again and hands them to core/notify. */
void app_load_settings(app *a);

/* A record is on disk: the tooltip and the balloons hear of it. */
void app_notify_recorded(app *a, const of_record *rec);

/* TIMER_NOTIFY: the balloon core/notify says is due. */
void app_show_due_balloon(app *a);

void app_open_history_window(app *a);

/* WM_OFN_TRAY: a click on the icon or its balloon. */
void app_on_tray(app *a, WPARAM wp, LPARAM lp);

/* ---- app_syncnow.c: Sync now as a pass of ours, and the Exit that waits for it ---- */

/* Offered when the service runs and no Sync now of ours does. */
BOOL app_sync_now_available(const app *a);

/* The tray menu's Sync now and --sync-now. */
syncnow_result app_sync_now(app *a, HRESULT *hr);

/* WM_OFN_SYNC_NOW_REQUEST: --sync-now from another process. */
void app_on_sync_now_request(app *a, DWORD asker_thread);

/* WM_OFN_SYNC_PROGRESS. */
void app_on_sync_progress(app *a, WPARAM wp, LPARAM lp);

/* A running Sync now will never end: its pass is given up for reason. */
void app_sync_now_lost(app *a, of_reason reason);

/* Exit (menu or --exit), after a running Sync now stopped. */
void app_request_exit(app *a);

#endif
