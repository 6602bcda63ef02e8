/* ofnotify: Sync now as a pass of ours, and the Exit that waits for a running
 * one. See app_private.h and syncnow.h. */
#include "app_private.h"

#include "history/historywnd.h"
#include "messages.h"
#include "resource.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

/* How long Exit waits for a running Sync now to end after asking it to stop. */
#define SYNC_NOW_EXIT_GRACE_MS 5000

/* Offered when the service runs and no Sync now of ours does. */
BOOL app_sync_now_available(const app *a)
{
    return a->sync && !a->exit_pending && !syncnow_active(a->sync) && a->csc &&
           cscsvc_state(a->csc) == CSC_STATE_RUNNING;
}

/* The tray menu's Sync now and --sync-now. Returns what happened; the user
 * is told in a balloon when it could not start. */
syncnow_result app_sync_now(app *a, HRESULT *hr)
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
        app_refresh_tray(a);
    syncnow_result_text(result, *hr, text, ARRAYSIZE(text));
    if (text[0] && a->tray_shown && !a->shut_down) {
        winutil_load_message(IDS_SYNC_NOW_TITLE, title, ARRAYSIZE(title));
        tray_balloon(a->wnd, title, text);
        a->balloon_conflicts = FALSE;
    }
    if (result == SYNCNOW_LIST_FAILED || result == SYNCNOW_START_FAILED)
        app_log("ofnotify: Sync now did not start (%d): 0x%08lX\n", (int)result, (unsigned long)*hr);
    /* Exit was asked for while the cache was being called. */
    if (a->exit_pending && !a->shut_down)
        app_request_exit(a);
    return result;
}

/* --sync-now from another process: the answer goes back to its thread. */
void app_on_sync_now_request(app *a, DWORD asker_thread)
{
    HRESULT hr = S_OK;
    syncnow_result result = a->shut_down ? SYNCNOW_BUSY : app_sync_now(a, &hr);
    PostThreadMessageW(asker_thread, WM_OFN_SYNC_NOW_REPLY, (WPARAM)result, (LPARAM)hr);
}

/* Every record of our own tracker is a pass the user started. */
static void record_own_pass(app *a, const of_record *rec)
{
    of_record r = *rec;
    r.origin = OF_ORIGIN_SYNC_NOW;
    app_record_pass(a, &r);
}

static void on_own_pass_record(void *ctx, const of_record *rec)
{
    record_own_pass(ctx, rec);
}

/* The progress object's Begin and End become a pass like a background one,
 * recorded as started by Sync now. */
void app_on_sync_progress(app *a, WPARAM wp, LPARAM lp)
{
    syncnow_report report;
    of_record rec;
    if (!syncnow_on_progress(a->sync, wp, lp, &report))
        return;
    /* Begin opens the pass; an End without a Begin still ends in a record
     * (of no duration). */
    if (!of_pass_open_count(&a->own))
        of_pass_begin(&a->own, SYNCNOW_FLAGS, app_mono_now(), wallclock_now_ms(), on_own_pass_record, a);
    if (report.step == SYNCNOW_STEP_ENDED) {
        app_log("ofnotify: Sync now ended: 0x%08lX, %ld items, %ld failed\n", (unsigned long)report.hr,
                report.items, report.failed_items);
        if (report.reason == OF_REASON_NONE) {
            if (of_pass_end(&a->own, SYNCNOW_FLAGS, app_mono_now(), wallclock_now_ms(), &rec) == OF_PASS_OK)
                record_own_pass(a, &rec);
        } else {
            of_pass_interrupt_all(&a->own, report.reason, app_mono_now(), wallclock_now_ms(), on_own_pass_record,
                                  a);
        }
        if (a->exit_pending) {
            DestroyWindow(a->wnd); /* Exit waited for this End */
            return;
        }
    }
    app_refresh_tray(a);
}

/* A running Sync now will never end (the service went away, or ofnotify
 * exits): its pass is given up for `reason`. */
void app_sync_now_lost(app *a, of_reason reason)
{
    if (reason == OF_REASON_SHUTDOWN)
        syncnow_close(a->sync);
    else
        syncnow_forget(a->sync);
    of_pass_interrupt_all(&a->own, reason, app_mono_now(), wallclock_now_ms(), on_own_pass_record, a);
}

/* Exit (menu or --exit). A running Sync now is asked to stop first, so the
 * service is not left syncing for an app that is gone; the app goes when it
 * has ended or after SYNC_NOW_EXIT_GRACE_MS, whichever is first. */
void app_request_exit(app *a)
{
    a->exit_pending = TRUE;
    if (syncnow_active(a->sync)) {
        syncnow_abort(a->sync);
        SetTimer(a->wnd, TIMER_SYNC_NOW_EXIT, SYNC_NOW_EXIT_GRACE_MS, NULL);
        return;
    }
    DestroyWindow(a->wnd);
}
