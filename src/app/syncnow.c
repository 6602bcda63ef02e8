/* ofnotify: "Sync now". See syncnow.h.
 *
 * Which thread calls the progress object is not documented. With the cache as
 * a local server (the e2e fake) the calls are marshalled into the main
 * thread's apartment and arrive through its message loop. On Windows the
 * cache is the in-process cscobj.dll and Synchronize queues the work "on a
 * separate thread in the system thread pool"; whether cscobj marshals the
 * progress pointer to that thread or calls it directly is not documented.
 * So the progress object is written to be correct either way: its methods
 * use interlocked fields and PostMessageW only, and everything else happens
 * when the main thread handles the posted message. */
#include "syncnow.h"

#include <objbase.h>
#include <wchar.h>

#include "messages.h"
#include "postkey.h"
#include "resource.h"
#include "winutil.h"

/* How many items one IEnumOfflineFilesItems::Next asks for. */
#define LIST_BATCH 16

/* Next calls one listing may make in all (servers and their shares). */
#define LIST_MAX_CALLS (4 * SYNCNOW_MAX_PATHS)

/* ---- the progress object ---- */

enum { PROGRESS_CREATED, PROGRESS_BEGUN, PROGRESS_ENDED };

typedef struct sync_progress {
    IOfflineFilesSyncProgress iface;
    LONG refs;
    LONG state;  /* PROGRESS_*: Begin moves CREATED to BEGUN, End anything else to ENDED */
    LONG abort;  /* non-zero: ask the service to stop */
    LONG items, failed_items, abort_queries;
    HWND target; /* NULL once detached */
    UINT generation;
} sync_progress;

static sync_progress *impl_from_iface(IOfflineFilesSyncProgress *iface)
{
    return CONTAINING_RECORD(iface, sync_progress, iface);
}

static void post(sync_progress *p, syncnow_step step, HRESULT hr)
{
    HWND target = (HWND)InterlockedCompareExchangePointer((void **)&p->target, NULL, NULL);
    if (target)
        PostMessageW(target, WM_OFN_SYNC_PROGRESS, postkey_wrap((DWORD)SYNCNOW_WPARAM(step, p->generation)), (LPARAM)hr);
}

static BOOL abort_wanted(sync_progress *p)
{
    return InterlockedCompareExchange(&p->abort, 0, 0) != 0;
}

static HRESULT STDMETHODCALLTYPE progress_QueryInterface(IOfflineFilesSyncProgress *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesProgress) ||
        IsEqualIID(riid, &IID_IOfflineFilesSyncProgress)) {
        *out = iface;
        InterlockedIncrement(&impl_from_iface(iface)->refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE progress_AddRef(IOfflineFilesSyncProgress *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_iface(iface)->refs);
}

static ULONG STDMETHODCALLTYPE progress_Release(IOfflineFilesSyncProgress *iface)
{
    sync_progress *p = impl_from_iface(iface);
    LONG refs = InterlockedDecrement(&p->refs);
    if (refs == 0)
        HeapFree(GetProcessHeap(), 0, p);
    return (ULONG)refs;
}

/* The docs say Begin's return value is ignored; E_UNEXPECTED only tells a
 * test (or a debugger) that a second Begin was not acted on. */
static HRESULT STDMETHODCALLTYPE progress_Begin(IOfflineFilesSyncProgress *iface, BOOL *abort)
{
    sync_progress *p = impl_from_iface(iface);
    BOOL first = InterlockedCompareExchange(&p->state, PROGRESS_BEGUN, PROGRESS_CREATED) == PROGRESS_CREATED;
    if (abort)
        *abort = abort_wanted(p);
    if (!first)
        return E_UNEXPECTED;
    post(p, SYNCNOW_STEP_BEGAN, S_OK);
    return abort ? S_OK : E_POINTER;
}

static HRESULT STDMETHODCALLTYPE progress_QueryAbort(IOfflineFilesSyncProgress *iface, BOOL *abort)
{
    sync_progress *p = impl_from_iface(iface);
    if (!abort)
        return E_POINTER;
    InterlockedIncrement(&p->abort_queries);
    *abort = abort_wanted(p);
    return S_OK;
}

/* End is posted even without a Begin (a sync that failed before it began),
 * so that every started sync ends in a record; a second End is ignored. */
static HRESULT STDMETHODCALLTYPE progress_End(IOfflineFilesSyncProgress *iface, HRESULT result)
{
    sync_progress *p = impl_from_iface(iface);
    if (InterlockedExchange(&p->state, PROGRESS_ENDED) == PROGRESS_ENDED)
        return E_UNEXPECTED;
    post(p, SYNCNOW_STEP_ENDED, result);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE progress_SyncItemBegin(IOfflineFilesSyncProgress *iface, LPCWSTR file,
                                                        OFFLINEFILES_OP_RESPONSE *response)
{
    (void)file;
    if (!response)
        return E_POINTER;
    *response = abort_wanted(impl_from_iface(iface)) ? OFFLINEFILES_OP_ABORT : OFFLINEFILES_OP_CONTINUE;
    return S_OK;
}

/* Per-file results are only counted: the history records passes, and a
 * failed file is already in Sync Center. An error info is not kept. */
static HRESULT STDMETHODCALLTYPE progress_SyncItemResult(IOfflineFilesSyncProgress *iface, LPCWSTR file,
                                                         HRESULT result, IOfflineFilesSyncErrorInfo *error_info,
                                                         OFFLINEFILES_OP_RESPONSE *response)
{
    sync_progress *p = impl_from_iface(iface);
    (void)file, (void)error_info;
    InterlockedIncrement(&p->items);
    if (FAILED(result))
        InterlockedIncrement(&p->failed_items);
    if (!response)
        return E_POINTER;
    *response = abort_wanted(p) ? OFFLINEFILES_OP_ABORT : OFFLINEFILES_OP_CONTINUE;
    return S_OK;
}

/* Slot order is the SDK's; tests/win/test_syncnow.c calls every slot by number. */
static const IOfflineFilesSyncProgressVtbl progress_vtbl = {
    .QueryInterface = progress_QueryInterface,
    .AddRef = progress_AddRef,
    .Release = progress_Release,
    .Begin = progress_Begin,
    .QueryAbort = progress_QueryAbort,
    .End = progress_End,
    .SyncItemBegin = progress_SyncItemBegin,
    .SyncItemResult = progress_SyncItemResult,
};

HRESULT syncnow_progress_create(HWND target, UINT generation, IOfflineFilesSyncProgress **out)
{
    sync_progress *p;
    if (!out)
        return E_POINTER;
    *out = NULL;
    p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p));
    if (!p)
        return E_OUTOFMEMORY;
    p->iface.lpVtbl = (IOfflineFilesSyncProgressVtbl *)&progress_vtbl;
    p->refs = 1;
    p->state = PROGRESS_CREATED;
    p->target = target;
    p->generation = generation;
    *out = &p->iface;
    return S_OK;
}

void syncnow_progress_abort(IOfflineFilesSyncProgress *iface)
{
    if (iface)
        InterlockedExchange(&impl_from_iface(iface)->abort, 1);
}

void syncnow_progress_detach(IOfflineFilesSyncProgress *iface)
{
    if (iface)
        InterlockedExchangePointer((void **)&impl_from_iface(iface)->target, NULL);
}

void syncnow_progress_get_counts(IOfflineFilesSyncProgress *iface, syncnow_progress_counts *out)
{
    sync_progress *p = impl_from_iface(iface);
    out->items = InterlockedCompareExchange(&p->items, 0, 0);
    out->failed_items = InterlockedCompareExchange(&p->failed_items, 0, 0);
    out->abort_queries = InterlockedCompareExchange(&p->abort_queries, 0, 0);
}

/* ---- Sync now ---- */

struct syncnow {
    HWND wnd;
    BOOL starting;                       /* syncnow_start is on the stack */
    BOOL closed;                         /* syncnow_close was called */
    BOOL aborted;                        /* syncnow_abort was called for the running sync */
    UINT generation;                     /* of the running (or last) sync */
    IOfflineFilesCache *cache;           /* held while a sync runs */
    IOfflineFilesSyncProgress *progress; /* non-NULL while a sync runs */
};

typedef struct path_list {
    LPWSTR paths[SYNCNOW_MAX_PATHS]; /* CoTaskMemAlloc'd by the service */
    ULONG count;
    ULONG calls_left; /* Next calls the whole listing may still make */
} path_list;

static void free_paths(path_list *list)
{
    for (ULONG i = 0; i < list->count; i++)
        CoTaskMemFree(list->paths[i]);
    list->count = 0;
}

/* \\server\share, perhaps with more below: what Synchronize accepts. */
static BOOL is_share_path(const WCHAR *path)
{
    const WCHAR *share;
    if (path[0] != L'\\' || path[1] != L'\\' || !path[2] || path[2] == L'\\')
        return FALSE;
    share = wcschr(path + 2, L'\\');
    return share && share[1] && share[1] != L'\\';
}

/* Keeps the item's path if it names a share not seen yet. */
static HRESULT add_share(path_list *list, IOfflineFilesItem *item)
{
    LPWSTR path = NULL;
    if (FAILED(IOfflineFilesItem_GetPath(item, &path)) || !path)
        return S_OK;
    if (list->count < ARRAYSIZE(list->paths) && is_share_path(path)) {
        ULONG i;
        for (i = 0; i < list->count && lstrcmpiW(list->paths[i], path) != 0; i++)
            ;
        if (i == list->count) {
            list->paths[list->count++] = path;
            return S_OK;
        }
    }
    CoTaskMemFree(path);
    return S_OK;
}

/* Calls `each` for every child of `parent` (the cache, or one of its items:
 * "Server, share, and directory entries in the Offline Files cache implement
 * [EnumItems] to expose the enumeration of their immediate children"), or
 * returns the first error. Until a Next call fetches nothing: S_FALSE only
 * says a call fetched fewer than asked, which an enumerator may do before its
 * end. The list's room and one budget of Next calls for the whole listing
 * bound it, so an enumerator that never ends (or repeats itself) cannot keep
 * the main thread here. */
static HRESULT for_each_child(IUnknown *parent, path_list *list, HRESULT (*each)(path_list *, IOfflineFilesItem *))
{
    IOfflineFilesItemContainer *container = NULL;
    IEnumOfflineFilesItems *items = NULL;
    HRESULT hr = IUnknown_QueryInterface(parent, &IID_IOfflineFilesItemContainer, (void **)&container);
    if (SUCCEEDED(hr) && !container)
        hr = E_POINTER;
    /* 0: none of the extra queries (connection state, dirty byte counts);
     * only the paths are needed. */
    if (SUCCEEDED(hr))
        hr = IOfflineFilesItemContainer_EnumItems(container, 0, &items);
    if (FAILED(hr))
        goto done;
    if (!items) {
        hr = E_POINTER;
        goto done;
    }
    while (list->calls_left > 0 && list->count < ARRAYSIZE(list->paths)) {
        IOfflineFilesItem *batch[LIST_BATCH] = {0};
        ULONG got = 0;
        list->calls_left--;
        hr = IEnumOfflineFilesItems_Next(items, LIST_BATCH, batch, &got);
        for (ULONG i = 0; i < got && i < LIST_BATCH; i++) {
            if (batch[i]) {
                if (SUCCEEDED(hr))
                    hr = each(list, batch[i]);
                IOfflineFilesItem_Release(batch[i]);
            }
        }
        if (FAILED(hr))
            goto done;
        if (got == 0)
            break;
    }
    hr = S_OK;
done:
    if (items)
        IEnumOfflineFilesItems_Release(items);
    if (container)
        IOfflineFilesItemContainer_Release(container);
    return hr;
}

/* A server's children are its shares. */
static HRESULT add_shares_of(path_list *list, IOfflineFilesItem *server)
{
    return for_each_child((IUnknown *)server, list, add_share);
}

/* The cache's top-level entries are its servers (EnumItems docs: "to start a
 * top-down enumeration of the entire cache ... obtain an enumerator of the
 * server entries"), and one level below each are its shares. Any error is
 * returned: the user is told the list could not be read instead of syncing a
 * guess. */
static HRESULT list_shares(IOfflineFilesCache *cache, path_list *list)
{
    HRESULT hr;
    list->calls_left = LIST_MAX_CALLS;
    hr = for_each_child((IUnknown *)cache, list, add_shares_of);
    if (FAILED(hr))
        free_paths(list);
    return hr;
}

/* Ends this sync's ties: no more posts from its progress object, and the
 * references the sync held are given back. */
static void let_go(syncnow *s)
{
    if (s->progress) {
        syncnow_progress_detach(s->progress);
        IOfflineFilesSyncProgress_Release(s->progress);
        s->progress = NULL;
    }
    if (s->cache) {
        IOfflineFilesCache_Release(s->cache);
        s->cache = NULL;
    }
    s->aborted = FALSE;
}

syncnow *syncnow_create(HWND wnd)
{
    syncnow *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (s)
        s->wnd = wnd;
    return s;
}

BOOL syncnow_active(const syncnow *s)
{
    return s && (s->starting || s->progress);
}

syncnow_result syncnow_start(syncnow *s, HWND prompt_owner, HRESULT *hr_out)
{
    static path_list list; /* large; one start at a time on the main thread */
    IOfflineFilesCache *cache = NULL;
    IOfflineFilesSyncProgress *progress = NULL;
    syncnow_result result;
    GUID sync_id;
    HRESULT hr = S_OK;

    *hr_out = S_OK;
    if (!s || s->closed || syncnow_active(s))
        return SYNCNOW_BUSY;
    s->starting = TRUE;
    /* The same activation as the subscription (cscsvc.c): in-process on
     * Windows, a local server where only the service provides the class. */
    hr = CoCreateInstance(&CLSID_OfflineFilesCache, NULL, CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER,
                          &IID_IOfflineFilesCache, (void **)&cache);
    if (SUCCEEDED(hr) && !cache)
        hr = E_POINTER;
    if (SUCCEEDED(hr))
        hr = list_shares(cache, &list);
    if (FAILED(hr)) {
        result = SYNCNOW_LIST_FAILED;
        goto done;
    }
    if (s->closed) {
        result = SYNCNOW_BUSY;
        goto done;
    }
    if (list.count == 0) {
        result = SYNCNOW_NO_SERVERS;
        goto done;
    }
    hr = syncnow_progress_create(s->wnd, s->generation + 1, &progress);
    if (FAILED(hr)) {
        result = SYNCNOW_START_FAILED;
        goto done;
    }
    if (FAILED(CoCreateGuid(&sync_id)))
        ZeroMemory(&sync_id, sizeof(sync_id));
    /* Running from here on, before the call: the service may call Begin (and
     * even End) while Synchronize has not returned yet, and COM dispatches the
     * posted messages meanwhile; they must find the sync they belong to. The
     * locals keep their own references for the call itself. */
    s->generation++;
    s->progress = progress;
    IOfflineFilesSyncProgress_AddRef(progress);
    s->cache = cache;
    IOfflineFilesCache_AddRef(cache);
    s->aborted = FALSE;
    /* The sync id comes back in the SyncBegin/SyncFileResult/SyncEnd events,
     * which lets a log tie them to this request. */
    hr = IOfflineFilesCache_Synchronize(cache, prompt_owner, (LPCWSTR *)list.paths, list.count, TRUE, SYNCNOW_FLAGS,
                                        NULL, progress, &sync_id);
    if (FAILED(hr)) {
        if (s->progress == progress)
            let_go(s);
        result = SYNCNOW_START_FAILED;
        goto done;
    }
    result = SYNCNOW_STARTED;
done:
    free_paths(&list);
    if (progress) {
        if (result != SYNCNOW_STARTED)
            syncnow_progress_detach(progress);
        IOfflineFilesSyncProgress_Release(progress);
    }
    if (cache)
        IOfflineFilesCache_Release(cache);
    s->starting = FALSE;
    if (s->closed) {
        /* Closed while the calls above ran: stop what was just started. */
        syncnow_abort(s);
        let_go(s);
    }
    *hr_out = result == SYNCNOW_LIST_FAILED || result == SYNCNOW_START_FAILED ? hr : S_OK;
    return result;
}

void syncnow_abort(syncnow *s)
{
    if (s && s->progress) {
        s->aborted = TRUE;
        syncnow_progress_abort(s->progress);
    }
}

of_reason syncnow_reason(HRESULT hr, BOOL aborted)
{
    if (SUCCEEDED(hr))
        return OF_REASON_NONE;
    if (aborted && hr == HRESULT_FROM_WIN32(ERROR_CANCELLED))
        return OF_REASON_SHUTDOWN;
    return OF_REASON_FAILED;
}

BOOL syncnow_on_progress(syncnow *s, WPARAM wp, LPARAM lp, syncnow_report *out)
{
    syncnow_step step = SYNCNOW_WPARAM_STEP(wp);
    syncnow_progress_counts counts;
    ZeroMemory(out, sizeof(*out));
    out->step = SYNCNOW_STEP_NONE;
    /* Only the running sync's messages count: one from a sync that was
     * forgotten or closed, or made up by another program, is dropped. */
    if (!s || !s->progress || SYNCNOW_WPARAM_GENERATION(wp) != (s->generation & SYNCNOW_GENERATION_MASK))
        return FALSE;
    if (step == SYNCNOW_STEP_BEGAN) {
        out->step = step;
        return TRUE;
    }
    if (step != SYNCNOW_STEP_ENDED)
        return FALSE;
    syncnow_progress_get_counts(s->progress, &counts);
    out->step = step;
    out->hr = (HRESULT)lp;
    out->reason = syncnow_reason(out->hr, s->aborted);
    out->items = counts.items;
    out->failed_items = counts.failed_items;
    let_go(s);
    return TRUE;
}

void syncnow_forget(syncnow *s)
{
    if (s && !s->starting)
        let_go(s);
}

void syncnow_close(syncnow *s)
{
    if (!s || s->closed)
        return;
    s->closed = TRUE;
    /* Asked to stop, then no longer listened to: ofnotify records the pass
     * as interrupted by its exit itself. */
    syncnow_abort(s);
    if (!s->starting)
        let_go(s);
}

void syncnow_result_text(syncnow_result result, HRESULT hr, WCHAR *text, size_t cap)
{
    static const UINT result_text[] = {
        [SYNCNOW_NO_SERVICE] = IDS_SYNC_NOW_NO_SERVICE,
        [SYNCNOW_NO_SERVERS] = IDS_SYNC_NOW_NO_SERVERS,
        [SYNCNOW_LIST_FAILED] = IDS_SYNC_NOW_LIST_FAILED,
        [SYNCNOW_START_FAILED] = IDS_SYNC_NOW_START_FAILED,
    };
    WCHAR why[256] = L"";
    if (!text || !cap)
        return;
    text[0] = 0;
    if ((unsigned)result >= ARRAYSIZE(result_text) || !result_text[result])
        return;
    /* The failures say why in the system's words (%1); the others take no insert. */
    if (result == SYNCNOW_LIST_FAILED || result == SYNCNOW_START_FAILED)
        winutil_error_text((DWORD)hr, why, ARRAYSIZE(why));
    winutil_load_message(result_text[result], text, cap, why);
}

void syncnow_free(syncnow *s)
{
    if (!s)
        return;
    syncnow_close(s);
    HeapFree(GetProcessHeap(), 0, s);
}
