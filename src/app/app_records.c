/* ofnotify: from the sink to the disk: sink events and the service link
 * become passes, ended passes records in the history file. See
 * app_private.h. */
#include "app_private.h"

#include <inttypes.h>

#include "eventlog.h"
#include "fs_win32.h"
#include "history/historywnd.h"
#include "messages.h"
#include "timers.h"
#include "wallclock.h"

/* ---- the history file ---- */

BOOL app_open_history(app *a)
{
    of_history_report report;
    of_history_err err;
    if (a->history)
        return TRUE;
    if (a->history_deferred)
        return FALSE;
    err = of_history_open(&a->history, fs_win32(), a->history_path, 0, wallclock_now_ms(), &report);
    if (err != OF_HISTORY_OK) {
        a->history = NULL;
        app_log("ofnotify: cannot open %s: %s\n", a->history_path, of_history_error_text(err));
        app_store_history_failed(a, err);
        return FALSE;
    }
    app_store_history_opened(a, &report);
    historywnd_set_history(a->wnd, a->history);
    if (report.moved_aside)
        eventlog_store_problem(EVENTLOG_STORE_DAMAGED, a->history_path, 0, report.moved_to,
                               of_history_issue_text(report.issue));
    if (report.issue != OF_HISTORY_ISSUE_NONE)
        app_log("ofnotify: history %s: %s%s%s\n", a->history_path, of_history_issue_text(report.issue),
                report.moved_aside ? "; the damaged file was kept as " : "",
                report.moved_aside ? report.moved_to : "");
    return TRUE;
}

void app_defer_history_open(app *a)
{
    a->history_deferred = TRUE;
    /* Posted, not a timer: WM_TIMER waits until the queue is empty, which a
     * burst of sink events could put off; a posted message comes before
     * every event posted after it. */
    if (!PostMessageW(a->wnd, WM_OFN_OPEN_HISTORY, 0, 0))
        a->history_deferred = FALSE; /* the first record opens it */
}

void app_on_history_retry(app *a)
{
    if (a->history_deferred) {
        a->history_deferred = FALSE;
        if (app_open_history(a)) /* a failure is retried when a record needs it */
            app_apply_retention(a);
    }
    app_store_drain(a);
}

/* The retention settings, applied when the app starts: older and surplus
 * records go, through core/history's safe rewrite. */
void app_apply_retention(app *a)
{
    uint64_t removed = 0;
    of_history_err err = of_history_compact(a->history, a->settings.retention_count, a->settings.retention_days,
                                            wallclock_now_ms(), &removed);
    if (err != OF_HISTORY_OK)
        app_log("ofnotify: the history could not be trimmed: %s\n", of_history_error_text(err));
    else if (removed)
        app_log("ofnotify: %" PRIu64 " old records removed (retention)\n", (uint64_t)removed);
    if (removed)
        historywnd_set_history(a->wnd, a->history);
}

/* Every ended pass comes through here: durably on disk (the history, or a
 * journal while the history cannot take it) before anything else (balloons,
 * the history window) acts on it. */
void app_record_pass(app *a, const of_record *rec)
{
    /* The Event Log hears of every pass, whether or not the history can take it now. */
    eventlog_pass(rec);
    app_store_record(a, rec);
}

void app_on_pass_record(void *ctx, const of_record *rec)
{
    app_record_pass(ctx, rec);
}

/* ---- passes ---- */

static void schedule_expiry(app *a)
{
    uint64_t due = 0;
    int pending = of_pass_next_expiry(&a->passes, &due) > 0;
    app_set_timer_until(a->wnd, TIMER_PASS_EXPIRY, pending, due);
}

void app_interrupt_passes(app *a, of_reason reason)
{
    of_pass_interrupt_all(&a->passes, reason, app_mono_now(), wallclock_now_ms(), app_on_pass_record, a);
    schedule_expiry(a);
}

void app_on_pass_expiry(app *a)
{
    of_pass_expire(&a->passes, app_mono_now(), wallclock_now_ms(), app_on_pass_record, a);
    schedule_expiry(a);
}

static void handle_sink_event(app *a, sink_event_kind kind, LPARAM lp)
{
    of_record rec;
    /* Events the sink could not post are lost like DataLost's. */
    if (a->sink && sink_take_lost(a->sink) > 0)
        app_interrupt_passes(a, OF_REASON_DATALOST);
    switch (kind) {
    case SINK_BACKGROUND_SYNC_BEGIN:
        of_pass_begin(&a->passes, (uint32_t)lp, app_mono_now(), wallclock_now_ms(), app_on_pass_record, a);
        schedule_expiry(a);
        return;
    case SINK_BACKGROUND_SYNC_END:
        if (of_pass_end(&a->passes, (uint32_t)lp, app_mono_now(), wallclock_now_ms(), &rec) == OF_PASS_OK)
            app_record_pass(a, &rec);
        schedule_expiry(a);
        return;
    case SINK_DATA_LOST:
        app_interrupt_passes(a, OF_REASON_DATALOST);
        return;
    case SINK_ITEM_DISCONNECTED:
    case SINK_ITEM_RECONNECTED:
    case SINK_NET_ARRIVED:
    case SINK_NO_NET:
    case SINK_RECONNECT_BEGIN:
    case SINK_RECONNECT_END:
        app_offline_event(a, kind, lp);
        return;
    case SINK_SYNC_BEGIN:
    case SINK_SYNC_FILE_RESULT:
    case SINK_SYNC_END:
        sink_event_free((sink_event *)lp);
        return;
    case SINK_SYNC_CONFLICT:
        app_on_conflict_event(a, (sink_event *)lp);
        return;
    default:
        return;
    }
}

void app_on_sink_event(app *a, sink_event_kind kind, LPARAM lp)
{
    BOOL was_syncing = of_pass_open_count(&a->passes) > 0;
    handle_sink_event(a, kind, lp);
    if (was_syncing != (of_pass_open_count(&a->passes) > 0) || kind == SINK_BACKGROUND_SYNC_END)
        app_refresh_tray(a);
}

/* The subscription went, or a new one replaces it: passes begun before can
 * no longer end, and what the service said about offline scopes no longer
 * holds. */
static void service_replaced(app *a)
{
    app_interrupt_passes(a, OF_REASON_SERVICE_LOST);
    app_sync_now_lost(a, OF_REASON_SERVICE_LOST);
    app_offline_service_lost(a);
}

void app_on_csc_call_event(app *a)
{
    if (a->csc_call_heard)
        return;
    a->csc_call_heard = TRUE;
    service_replaced(a);
}

void app_on_csc_change(app *a, csc_change change)
{
    /* A new subscription whose End came during the call was dealt with
     * then; what the sink handled since belongs to it. */
    BOOL replaced = a->csc_call_heard;
    a->csc_call_heard = FALSE;
    if (change == CSC_LOST || (change == CSC_SUBSCRIBED && !replaced))
        service_replaced(a);
    if (a->csc)
        eventlog_service(cscsvc_state(a->csc), cscsvc_level(a->csc), cscsvc_last_error(a->csc));
    app_refresh_tray(a);
}
