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
#include <stdio.h>

#include <windows.h>

#include "app_store.h"
#include "cscsvc.h"
#include "ofnotify/conflicts.h"
#include "ofnotify/history.h"
#include "ofnotify/notify.h"
#include "ofnotify/offline.h"
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
    cscsvc *csc_left;        /* shut down inside a call into it: the call's caller frees it */
    of_pass_tracker passes;
    of_history *history;     /* NULL while the file cannot be opened */
    char history_path[MAX_PATH * 8];
    app_store store;         /* where records wait while the history cannot take them */
    of_notify notify;
    of_offline offline;      /* which servers and shares are offline (app_offline.c) */
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
    BOOL in_csc_call;        /* a call into cscsvc runs: it may be making a new subscription */
    BOOL csc_call_heard;     /* an End came during that call: what began before it is given up */
    BOOL stopping;           /* shut_down has begun: only sink events are still handled */
    BOOL shut_down;          /* shut_down has recorded what was open: nothing more is */
    of_conflicts *conflicts; /* the open sync conflicts; NULL if their file cannot be opened */
    BOOL balloon_conflicts;  /* the last balloon was about conflicts: a click opens Sync Center */
    WCHAR conflict_balloon_first[MAX_PATH]; /* the file name of the first conflict added since the last balloon */
} app;

/* ---- app.c: clocks, timers, the debug log ---- */

/* Core reads no clock: the app passes its monotonic time (ms) in. */
uint64_t app_mono_now(void);

/* Core says when it next has work (a monotonic time) instead of being
 * polled: one timer per owner, set to that moment or killed. */
void app_set_timer_until(HWND wnd, UINT_PTR id, int pending, uint64_t due_mono_ms);

/* A line for a debugger (OutputDebugString), printf-style: msvcrt's formats,
 * checked by the compiler (see WIN_STDIO in the Makefile). */
void app_log(const char *fmt, ...) __attribute__((format(__MINGW_PRINTF_FORMAT, 1, 2)));

/* ---- app_records.c: sink events and the service link → passes → the history file ---- */

/* Opens the history file if it is not open; FALSE (logged, and told to
 * app_store) if it cannot be, or while start-up has not opened it yet. */
BOOL app_open_history(app *a);

/* Start-up: the history is opened (and recovered, and trimmed) from the
 * message loop, after the icon and the subscription. */
void app_defer_history_open(app *a);

/* TIMER_HISTORY_RETRY, and WM_OFN_OPEN_HISTORY from app_defer_history_open. */
void app_on_history_retry(app *a);

/* The retention settings, applied when the app starts. */
void app_apply_retention(app *a);

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

/* An End during a call to cscsvc, before it is handled: cscsvc subscribes
 * only when it holds no subscription, so the End came through the one the
 * call is making, and the passes begun before it are given up now (once a
 * call), not when the call returns. */
void app_on_csc_call_event(app *a);

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

/* ---- app_offline.c: working offline: core/offline's state, its tooltip line, balloons and history line ---- */

/* core/offline from the start, with the grace period of the settings. */
void app_offline_start(app *a);

/* The settings were read again: the grace period may have changed. */
void app_offline_settings_changed(app *a);

/* SINK_ITEM_DISCONNECTED / RECONNECTED (their sink_event is freed here),
 * SINK_NO_NET, SINK_NET_ARRIVED, SINK_RECONNECT_BEGIN / END. */
void app_offline_event(app *a, sink_event_kind kind, LPARAM lp);

/* TIMER_OFFLINE: a grace period is over. */
void app_offline_on_timer(app *a);

/* The service is gone or back: what it said about offline scopes no longer holds. */
void app_offline_service_lost(app *a);

/* Whether any scope is offline (the tray icon shows it). */
BOOL app_offline_active(const app *a);

/* The tooltip's "Working offline: \\srv\projects since 09:12"; FALSE when nothing is offline. */
BOOL app_offline_tip_line(const app *a, WCHAR *line, size_t cap);

/* ---- app_conflicts.c: the open sync conflicts, kept in conflicts.dat ---- */

/* Opens (and repairs) the conflicts file in the data folder; logged if it cannot be. */
void app_open_conflicts(app *a);

void app_close_conflicts(app *a);

/* A SINK_SYNC_CONFLICT event (freed here): added, updated or removed. */
void app_on_conflict_event(app *a, sink_event *ev);

/* TIMER_CONFLICT_BALLOON: the balloon for the conflicts added since the last one. */
void app_show_conflict_balloon(app *a);

/* The balloon's title and text: the file name first added, and how many more are open. */
void app_conflict_balloon_text(const WCHAR *first, size_t open, WCHAR *title, size_t title_cap, WCHAR *body,
                               size_t body_cap);

/* The tooltip's line while conflicts are open; FALSE when there are none. */
BOOL app_conflicts_tip_line(const app *a, WCHAR *line, size_t cap);

/* The menu item and a click on the conflict balloon. */
void app_open_sync_center_conflicts(app *a);

/* ---- app_syncnow.c: Sync now as a pass of ours, and the Exit that waits for it ---- */

/* Offered when the service runs and no Sync now of ours does. */
BOOL app_sync_now_available(const app *a);

/* The tray menu's Sync now and --sync-now. */
syncnow_result app_sync_now(app *a, HRESULT *hr);

/* INSTANCE_SYNC_NOW: --sync-now from another process (of this user); the
 * answer goes to asker_thread as WM_OFN_SYNC_NOW_REPLY. */
void app_on_sync_now_request(app *a, DWORD asker_thread);

/* WM_OFN_SYNC_PROGRESS. */
void app_on_sync_progress(app *a, WPARAM wp, LPARAM lp);

/* A running Sync now will never end: its pass is given up for reason. */
void app_sync_now_lost(app *a, of_reason reason);

/* Exit (menu or --exit), after a running Sync now stopped. */
void app_request_exit(app *a);

#endif
