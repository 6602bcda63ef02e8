/* ofnotify: "Sync now", a two-way sync of every share in the Offline Files
 * cache that the user asks for (tray menu, or ofnotify --sync-now).
 *
 * Owns the list of cached shares (IOfflineFilesItemContainer::EnumItems on
 * the cache object lists its servers, the same on each server item lists
 * that server's shares), the call to IOfflineFilesCache::Synchronize, the
 * progress object the service reports to (IOfflineFilesSyncProgress in plain
 * C), and the rule of one sync of ours at a time. The window a credential
 * prompt belongs to is the app's to choose (historywnd_shown).
 *
 * Why shares and not servers: Synchronize wants "fully qualified UNC paths"
 * of files or directories; a bare \\server names neither. A share
 * (\\server\share) is the top directory the cache holds, so the shares
 * cover every cached item and nothing else.
 *
 * Synchronize runs with bAsync = TRUE: it returns at once and the service does
 * the work on its own threads, so the main thread never waits for a sync. The
 * progress methods copy what they get, post WM_OFN_SYNC_PROGRESS to the app
 * window and return; they may be called on any thread (the docs do not say
 * which one, see syncnow.c), so they touch nothing but interlocked fields.
 * The app turns the posted Begin and End into a history record through
 * syncnow_on_progress. The service also announces the sync to subscribers
 * with SyncBegin/SyncEnd (never BackgroundSync*), which the app ignores, so a
 * sync is recorded once.
 *
 * Everything but the progress methods runs on the main thread. Listing the
 * shares is a few quick calls to the cache; while they run, COM dispatches
 * other messages, so syncnow_start may be re-entered (it answers BUSY) and
 * syncnow_close may be called (the start then stops and cleans up). */
#ifndef OFNOTIFY_SYNCNOW_H
#define OFNOTIFY_SYNCNOW_H

#include <windows.h>

#include "offlinefiles.h"
#include "ofnotify/record.h"

/* The dwSyncControl of a Sync now, and the flags its history record carries.
 * Why each flag (the Synchronize docs):
 *   SYNCIN | SYNCOUT   two-way: server changes in, local changes out; SYNCIN
 *                      implies FILLSPARSE, which is set too so the record
 *                      shows what the service is asked to do.
 *   PINNEWFILES | PINFORUSER
 *                      new server files inside folders the user made
 *                      "always available offline" become available too, as
 *                      the user expects after a full sync; PINFORUSER is "the
 *                      flag typically set for a caller of this function".
 *   INTERACTIVE        the user asked for it, so the service may ask for
 *                      credentials (owned by syncnow_start's prompt_owner).
 * Left out on purpose: SKIPSUSPENDEDDIRS (recommended only when the user did
 * not start the sync), BACKGROUND ("primarily used by the Offline Files
 * service"), ASYNCPROGRESS (progress in step with the work, so QueryAbort
 * cancels promptly), NONEWFILESOUT, and any CR_ rule: with no conflict handler
 * and no rule the service keeps conflicts for Sync Center, and ofnotify does
 * not decide the user's conflicts. */
#define SYNCNOW_FLAGS                                                                                   \
    (OFFLINEFILES_SYNC_CONTROL_FLAG_FILLSPARSE | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN |                \
     OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT | OFFLINEFILES_SYNC_CONTROL_FLAG_PINNEWFILES |              \
     OFFLINEFILES_SYNC_CONTROL_FLAG_PINFORUSER | OFFLINEFILES_SYNC_CONTROL_FLAG_INTERACTIVE)

/* Most shares one Sync now passes to Synchronize; more are left out. */
#define SYNCNOW_MAX_PATHS 256

/* The answer to a request. Also the wParam of WM_OFN_SYNC_NOW_REPLY and the
 * meaning of ofnotify --sync-now's exit code, so the values are fixed. */
typedef enum syncnow_result {
    SYNCNOW_STARTED = 0,      /* Synchronize accepted it */
    SYNCNOW_BUSY = 1,         /* a sync of ours runs (or ofnotify is exiting): ignored */
    SYNCNOW_NO_SERVICE = 2,   /* Offline Files is not running (decided by the app) */
    SYNCNOW_NO_SERVERS = 3,   /* the cache lists no share: nothing to sync */
    SYNCNOW_LIST_FAILED = 4,  /* the shares could not be listed; hr says why */
    SYNCNOW_START_FAILED = 5, /* Synchronize refused; hr says why */
} syncnow_result;

/* What a WM_OFN_SYNC_PROGRESS meant. */
typedef enum syncnow_step {
    SYNCNOW_STEP_NONE = 0, /* stale (an earlier sync) or out of order: nothing to do */
    SYNCNOW_STEP_BEGAN,    /* the service called Begin */
    SYNCNOW_STEP_ENDED,    /* the service called End; the sync is over */
} syncnow_step;

typedef struct syncnow_report {
    syncnow_step step;
    HRESULT hr;       /* ENDED: End's result */
    of_reason reason; /* ENDED: OF_REASON_NONE when it completed, else why not */
    LONG items;       /* ENDED: SyncItemResult calls, and how many said failure */
    LONG failed_items;
} syncnow_report;

typedef struct syncnow syncnow;

/* `wnd` (the hidden app window) receives WM_OFN_SYNC_PROGRESS; it never
 * owns a credential prompt. NULL on out of memory. */
syncnow *syncnow_create(HWND wnd);

/* Lists the cached shares and starts the sync. prompt_owner is the window
 * the service's credential prompt belongs to: one the user sees (the app
 * passes its history window while shown and not minimized), or NULL for a
 * top-level prompt of its own; never the hidden app window. *hr gets the
 * failure for LIST_FAILED and START_FAILED (S_OK otherwise). Never returns
 * NO_SERVICE. */
syncnow_result syncnow_start(syncnow *s, HWND prompt_owner, HRESULT *hr);

/* A sync of ours is being started or runs: another request would be BUSY. */
BOOL syncnow_active(const syncnow *s);

/* From now on the progress object asks the service to stop (QueryAbort,
 * Begin and the item responses say abort). An End with
 * HRESULT_FROM_WIN32(ERROR_CANCELLED) then counts as OF_REASON_SHUTDOWN. */
void syncnow_abort(syncnow *s);

/* Handles WM_OFN_SYNC_PROGRESS. After ENDED the sync is over and another may
 * start. Returns FALSE (and step NONE) for a message to ignore. */
BOOL syncnow_on_progress(syncnow *s, WPARAM wp, LPARAM lp, syncnow_report *out);

/* The service went away: this sync will never end. Stops listening to it (a
 * late End is ignored) and lets a new one start. */
void syncnow_forget(syncnow *s);

/* ofnotify is exiting: abort, stop listening, release the cache. Safe while
 * syncnow_start is on the stack and safe to call twice. */
void syncnow_close(syncnow *s);

/* Frees what syncnow_create made; call after the message loop ended. */
void syncnow_free(syncnow *s);

/* Why a sync that ended with `hr` did not complete: OF_REASON_NONE when it
 * completed (a success code), SHUTDOWN when it was cancelled because ofnotify
 * asked (`aborted`), FAILED for any other error (including a cancel nobody
 * here asked for). */
of_reason syncnow_reason(HRESULT hr, BOOL aborted);

/* The words for a result that needs some (NO_SERVICE, NO_SERVERS,
 * LIST_FAILED and START_FAILED, the last two with the system's text for hr),
 * from the STRINGTABLE; empty for the others. */
void syncnow_result_text(syncnow_result result, HRESULT hr, WCHAR *text, size_t cap);

/* ---- the progress object on its own (the tests reach it this way) ---- */

/* WM_OFN_SYNC_PROGRESS's payload (the lower 32 bits of wParam; postkey.h
 * keys the upper half): the step and the low 28 bits of the generation of
 * the sync (so a message from an earlier sync is told apart); lParam: End's
 * HRESULT. */
#define SYNCNOW_GENERATION_MASK 0x0FFFFFFFu
#define SYNCNOW_WPARAM(step, generation) \
    ((WPARAM)((((DWORD)(generation) & SYNCNOW_GENERATION_MASK) << 4) | (DWORD)(step)))
#define SYNCNOW_WPARAM_STEP(wp) ((syncnow_step)((wp)&0xF))
#define SYNCNOW_WPARAM_GENERATION(wp) ((UINT)(((wp) >> 4) & SYNCNOW_GENERATION_MASK))

/* A progress object that posts to `target` with `generation`. *out holds
 * one reference. */
HRESULT syncnow_progress_create(HWND target, UINT generation, IOfflineFilesSyncProgress **out);

/* The abort flag, as syncnow_abort sets it. */
void syncnow_progress_abort(IOfflineFilesSyncProgress *p);

/* Stops posting; the object lives on until the service releases it. */
void syncnow_progress_detach(IOfflineFilesSyncProgress *p);

typedef struct syncnow_progress_counts {
    LONG items, failed_items, abort_queries;
} syncnow_progress_counts;

void syncnow_progress_get_counts(IOfflineFilesSyncProgress *p, syncnow_progress_counts *out);

#endif
