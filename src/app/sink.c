/* ofnotify: the Offline Files event sink. See sink.h. */
#include "sink.h"

#include "messages.h"
#include "postkey.h"
#include "offlinefiles.h"

typedef struct sink {
    IOfflineFilesEvents4 events_iface;
    IOfflineFilesEventsFilter filter_iface;
    LONG refs;
    LONG lost;
    HWND target; /* NULL once detached */
} sink;

static sink *impl_from_events(IOfflineFilesEvents4 *iface)
{
    return CONTAINING_RECORD(iface, sink, events_iface);
}

static sink *impl_from_filter(IOfflineFilesEventsFilter *iface)
{
    return CONTAINING_RECORD(iface, sink, filter_iface);
}

/* The events the app acts on, by event number: the conflicts Sync Center
 * logs, sees again and clears (app_conflicts.c); a background pass's Begin
 * and End (app_records.c); the network and the items going offline and
 * back, and the service's attempts to reconnect (app_offline.c). DataLost,
 * which it also acts on, and Ping come whatever the filter says. The
 * service registers a sink for an event only when this list names it, so
 * every other method here is called only by a service that ignores the
 * filter. */
static const int wanted_events[] = {
    OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED,
    OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED,
    OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED,
    OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN,
    OFFLINEFILES_EVENT_BACKGROUNDSYNCEND,
    OFFLINEFILES_EVENT_NETTRANSPORTARRIVED,
    OFFLINEFILES_EVENT_NONETTRANSPORTS,
    OFFLINEFILES_EVENT_ITEMDISCONNECTED,
    OFFLINEFILES_EVENT_ITEMRECONNECTED,
    OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN,
    OFFLINEFILES_EVENT_ITEMRECONNECTEND,
};

const int *sink_wanted_events(ULONG *count)
{
    if (count)
        *count = ARRAYSIZE(wanted_events);
    return wanted_events;
}

/* FALSE: the event could not be posted (detached, or the queue is full). */
static BOOL post(sink *s, sink_event_kind kind, LPARAM lp)
{
    HWND target = (HWND)InterlockedCompareExchangePointer((void **)&s->target, NULL, NULL);
    if (!target || !PostMessageW(target, WM_OFN_SINK_EVENT, postkey_wrap(kind), lp)) {
        InterlockedIncrement(&s->lost);
        if (kind != SINK_BACKGROUND_SYNC_BEGIN && kind != SINK_BACKGROUND_SYNC_END)
            sink_event_free((sink_event *)lp);
        return FALSE;
    }
    return TRUE;
}

/* Copies the arguments of an event that has more than flags. On allocation
 * failure the event is still posted, without details, and counted as lost. */
static void post_details(sink *s, sink_event_kind kind, const GUID *sync_id, HRESULT hr,
                         LPCWSTR path, DWORD flags, DWORD conflict_state, const FILETIME *when)
{
    size_t len = path ? wcslen(path) : 0;
    sink_event *ev = HeapAlloc(GetProcessHeap(), 0, sizeof(*ev) + (len + 1) * sizeof(WCHAR));
    if (!ev) {
        /* Posted without details; the lost count tells the app. */
        HWND target = (HWND)InterlockedCompareExchangePointer((void **)&s->target, NULL, NULL);
        InterlockedIncrement(&s->lost);
        if (target)
            PostMessageW(target, WM_OFN_SINK_EVENT, postkey_wrap(kind), 0);
        return;
    }
    ev->flags = flags;
    ev->hr = hr;
    ev->sync_id = sync_id ? *sync_id : GUID_NULL;
    ev->conflict_state = conflict_state;
    if (when)
        ev->when = *when;
    else
        ev->when.dwLowDateTime = ev->when.dwHighDateTime = 0;
    if (len)
        memcpy(ev->path, path, len * sizeof(WCHAR));
    ev->path[len] = 0;
    post(s, kind, (LPARAM)ev);
}

void sink_event_free(sink_event *ev)
{
    if (ev)
        HeapFree(GetProcessHeap(), 0, ev);
}

/* ---- IUnknown, shared by both interfaces ---- */

static HRESULT query_interface(sink *s, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesEvents) ||
        IsEqualIID(riid, &IID_IOfflineFilesEvents2) || IsEqualIID(riid, &IID_IOfflineFilesEvents3) ||
        IsEqualIID(riid, &IID_IOfflineFilesEvents4)) {
        *out = &s->events_iface;
    } else if (IsEqualIID(riid, &IID_IOfflineFilesEventsFilter)) {
        *out = &s->filter_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&s->refs);
    return S_OK;
}

static ULONG add_ref(sink *s)
{
    return (ULONG)InterlockedIncrement(&s->refs);
}

static ULONG release(sink *s)
{
    LONG refs = InterlockedDecrement(&s->refs);
    if (refs == 0)
        HeapFree(GetProcessHeap(), 0, s);
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE ev_QueryInterface(IOfflineFilesEvents4 *iface, REFIID riid, void **out)
{
    return query_interface(impl_from_events(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE ev_AddRef(IOfflineFilesEvents4 *iface)
{
    return add_ref(impl_from_events(iface));
}

static ULONG STDMETHODCALLTYPE ev_Release(IOfflineFilesEvents4 *iface)
{
    return release(impl_from_events(iface));
}

/* ---- IOfflineFilesEvents ---- */

/* Every event's answer. Once detached, RPC_E_DISCONNECTED: the service drops
 * a subscription at once on that answer, where S_OK would keep it calling a
 * sink nobody listens to until the app's Unadvise reaches it. */
static HRESULT answer(IOfflineFilesEvents4 *iface)
{
    sink *s = impl_from_events(iface);
    return InterlockedCompareExchangePointer((void **)&s->target, NULL, NULL) ? S_OK : RPC_E_DISCONNECTED;
}

/* Reserved events, and item events the filter keeps away: nothing to do. */
static HRESULT STDMETHODCALLTYPE ev_CacheMoved(IOfflineFilesEvents4 *iface, LPCWSTR old_path, LPCWSTR new_path)
{
    (void)old_path, (void)new_path;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_NoArgs(IOfflineFilesEvents4 *iface)
{
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_Enabled(IOfflineFilesEvents4 *iface, BOOL enabled)
{
    (void)enabled;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_EncryptionChanged(IOfflineFilesEvents4 *iface, BOOL was_encrypted,
                                                      BOOL was_partial, BOOL is_encrypted, BOOL is_partial)
{
    (void)was_encrypted, (void)was_partial, (void)is_encrypted, (void)is_partial;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SyncBegin(IOfflineFilesEvents4 *iface, REFGUID sync_id)
{
    post_details(impl_from_events(iface), SINK_SYNC_BEGIN, sync_id, S_OK, NULL, 0, 0, NULL);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SyncFileResult(IOfflineFilesEvents4 *iface, REFGUID sync_id, LPCWSTR file,
                                                   HRESULT result)
{
    post_details(impl_from_events(iface), SINK_SYNC_FILE_RESULT, sync_id, result, file, 0, 0, NULL);
    return answer(iface);
}

static void conflict(IOfflineFilesEvents4 *iface, DWORD what, LPCWSTR path, const FILETIME *when,
                     OFFLINEFILES_SYNC_STATE state)
{
    post_details(impl_from_events(iface), SINK_SYNC_CONFLICT, NULL, S_OK, path, what, (DWORD)state, when);
}

static HRESULT STDMETHODCALLTYPE ev_SyncConflictRecAdded(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                         const FILETIME *when, OFFLINEFILES_SYNC_STATE state)
{
    conflict(iface, 0, path, when, state);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SyncConflictRecUpdated(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                           const FILETIME *when, OFFLINEFILES_SYNC_STATE state)
{
    conflict(iface, 1, path, when, state);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SyncConflictRecRemoved(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                           const FILETIME *when, OFFLINEFILES_SYNC_STATE state)
{
    conflict(iface, 2, path, when, state);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SyncEnd(IOfflineFilesEvents4 *iface, REFGUID sync_id, HRESULT result)
{
    post_details(impl_from_events(iface), SINK_SYNC_END, sync_id, result, NULL, 0, 0, NULL);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_Item(IOfflineFilesEvents4 *iface, LPCWSTR path, OFFLINEFILES_ITEM_TYPE type)
{
    (void)path, (void)type;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_ItemDisconnected(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                     OFFLINEFILES_ITEM_TYPE type)
{
    post_details(impl_from_events(iface), SINK_ITEM_DISCONNECTED, NULL, S_OK, path, (DWORD)type, 0, NULL);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_ItemReconnected(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                    OFFLINEFILES_ITEM_TYPE type)
{
    post_details(impl_from_events(iface), SINK_ITEM_RECONNECTED, NULL, S_OK, path, (DWORD)type, 0, NULL);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_NetTransportArrived(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_NET_ARRIVED, 0);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_NoNetTransports(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_NO_NET, 0);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_ItemModified(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                 OFFLINEFILES_ITEM_TYPE type, BOOL data, BOOL attributes)
{
    (void)path, (void)type, (void)data, (void)attributes;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_ItemRenamed(IOfflineFilesEvents4 *iface, LPCWSTR old_path, LPCWSTR new_path,
                                                OFFLINEFILES_ITEM_TYPE type)
{
    (void)old_path, (void)new_path, (void)type;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_DataLost(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_DATA_LOST, 0);
    return answer(iface);
}

/* The service's liveness check: answering is all it needs. Posting it too lets
 * the app see that the subscription is alive. */
static HRESULT STDMETHODCALLTYPE ev_Ping(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_PING, 0);
    return answer(iface);
}

/* ---- IOfflineFilesEvents2 ---- */

static HRESULT STDMETHODCALLTYPE ev_ItemReconnectBegin(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_RECONNECT_BEGIN, 0);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_ItemReconnectEnd(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_RECONNECT_END, 0);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_BackgroundSyncBegin(IOfflineFilesEvents4 *iface, DWORD flags)
{
    post(impl_from_events(iface), SINK_BACKGROUND_SYNC_BEGIN, (LPARAM)flags);
    return answer(iface);
}

/* S_OK tells the service the pass was taken: the app records it before the
 * answer leaves, so a process ended right after answering (TerminateProcess,
 * a crash) has lost no pass it acknowledged. An End that cannot be posted is
 * not taken and not answered S_OK: detached, it is a call that was already
 * under way when Unadvise returned (the service drops an event that fails). Only when called on the
 * window's own thread, as the service's calls are (STA): a send from
 * another thread would wait for the main thread. */
static void flush(sink *s)
{
    HWND target = (HWND)InterlockedCompareExchangePointer((void **)&s->target, NULL, NULL);
    if (target && GetWindowThreadProcessId(target, NULL) == GetCurrentThreadId())
        SendMessageW(target, WM_OFN_SINK_FLUSH, 0, 0);
}

static HRESULT STDMETHODCALLTYPE ev_BackgroundSyncEnd(IOfflineFilesEvents4 *iface, DWORD flags)
{
    sink *s = impl_from_events(iface);
    /* An End that could not be posted was not taken, and says so: detached,
     * RPC_E_DISCONNECTED (a call already under way when Unadvise returned);
     * a full queue, E_FAIL. The service drops an event whose call fails. */
    if (!post(s, SINK_BACKGROUND_SYNC_END, (LPARAM)flags))
        return answer(iface) == S_OK ? E_FAIL : RPC_E_DISCONNECTED;
    flush(s);
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_SettingsChanged(IOfflineFilesEvents4 *iface)
{
    post(impl_from_events(iface), SINK_SETTINGS_CHANGED, 0);
    return answer(iface);
}

/* ---- IOfflineFilesEvents3 and 4: not used by ofnotify ---- */

static HRESULT STDMETHODCALLTYPE ev_TransparentCacheItemNotify(IOfflineFilesEvents4 *iface, LPCWSTR path,
                                                               OFFLINEFILES_EVENTS event,
                                                               OFFLINEFILES_ITEM_TYPE type, BOOL data,
                                                               BOOL attributes, LPCWSTR old_path)
{
    (void)path, (void)event, (void)type, (void)data, (void)attributes, (void)old_path;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_PrefetchFileBegin(IOfflineFilesEvents4 *iface, LPCWSTR path)
{
    (void)path;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_PrefetchFileEnd(IOfflineFilesEvents4 *iface, LPCWSTR path, HRESULT result)
{
    (void)path, (void)result;
    return answer(iface);
}

static HRESULT STDMETHODCALLTYPE ev_PrefetchCloseHandleEnd(IOfflineFilesEvents4 *iface, DWORD closed,
                                                           DWORD open, HRESULT result)
{
    (void)closed, (void)open, (void)result;
    return answer(iface);
}

/* Slot order is the SDK's: the designated initialisers follow the generated
 * header, and tests/win/test_idl.c and test_sink.c check the slots by number. */
static const IOfflineFilesEvents4Vtbl events_vtbl = {
    .QueryInterface = ev_QueryInterface,
    .AddRef = ev_AddRef,
    .Release = ev_Release,
    .CacheMoved = ev_CacheMoved,
    .CacheIsFull = ev_NoArgs,
    .CacheIsCorrupted = ev_NoArgs,
    .Enabled = ev_Enabled,
    .EncryptionChanged = ev_EncryptionChanged,
    .SyncBegin = ev_SyncBegin,
    .SyncFileResult = ev_SyncFileResult,
    .SyncConflictRecAdded = ev_SyncConflictRecAdded,
    .SyncConflictRecUpdated = ev_SyncConflictRecUpdated,
    .SyncConflictRecRemoved = ev_SyncConflictRecRemoved,
    .SyncEnd = ev_SyncEnd,
    .NetTransportArrived = ev_NetTransportArrived,
    .NoNetTransports = ev_NoNetTransports,
    .ItemDisconnected = ev_ItemDisconnected,
    .ItemReconnected = ev_ItemReconnected,
    .ItemAvailableOffline = ev_Item,
    .ItemNotAvailableOffline = ev_Item,
    .ItemPinned = ev_Item,
    .ItemNotPinned = ev_Item,
    .ItemModified = ev_ItemModified,
    .ItemAddedToCache = ev_Item,
    .ItemDeletedFromCache = ev_Item,
    .ItemRenamed = ev_ItemRenamed,
    .DataLost = ev_DataLost,
    .Ping = ev_Ping,
    .ItemReconnectBegin = ev_ItemReconnectBegin,
    .ItemReconnectEnd = ev_ItemReconnectEnd,
    .CacheEvictBegin = ev_NoArgs,
    .CacheEvictEnd = ev_NoArgs,
    .BackgroundSyncBegin = ev_BackgroundSyncBegin,
    .BackgroundSyncEnd = ev_BackgroundSyncEnd,
    .PolicyChangeDetected = ev_SettingsChanged,
    .PreferenceChangeDetected = ev_SettingsChanged,
    .SettingsChangesApplied = ev_SettingsChanged,
    .TransparentCacheItemNotify = ev_TransparentCacheItemNotify,
    .PrefetchFileBegin = ev_PrefetchFileBegin,
    .PrefetchFileEnd = ev_PrefetchFileEnd,
    .PrefetchCloseHandleBegin = ev_NoArgs,
    .PrefetchCloseHandleEnd = ev_PrefetchCloseHandleEnd,
};

/* ---- IOfflineFilesEventsFilter ---- */

static HRESULT STDMETHODCALLTYPE filter_QueryInterface(IOfflineFilesEventsFilter *iface, REFIID riid, void **out)
{
    return query_interface(impl_from_filter(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE filter_AddRef(IOfflineFilesEventsFilter *iface)
{
    return add_ref(impl_from_filter(iface));
}

static ULONG STDMETHODCALLTYPE filter_Release(IOfflineFilesEventsFilter *iface)
{
    return release(impl_from_filter(iface));
}

/* Every path: background syncs are not about one path. */
static HRESULT STDMETHODCALLTYPE filter_GetPathFilter(IOfflineFilesEventsFilter *iface, LPWSTR *filter,
                                                      OFFLINEFILES_PATHFILTER_MATCH *match)
{
    (void)iface;
    if (filter)
        *filter = NULL;
    if (match)
        *match = OFFLINEFILES_PATHFILTER_SELF;
    return E_NOTIMPL;
}

/* The docs allow S_OK (the list) or E_NOTIMPL (no list: every event), and
 * the service fails Advise on anything else. So whatever cannot be answered
 * with the whole list, a buffer too small included (a list cut short would
 * silently lose events), is "no list": the sink takes the extra events and
 * does nothing with them. */
static HRESULT STDMETHODCALLTYPE filter_GetIncludedEvents(IOfflineFilesEventsFilter *iface, ULONG capacity,
                                                          OFFLINEFILES_EVENTS *events, ULONG *count)
{
    (void)iface;
    if (count)
        *count = 0;
    if (!events || !count || capacity < ARRAYSIZE(wanted_events))
        return E_NOTIMPL;
    for (ULONG i = 0; i < ARRAYSIZE(wanted_events); i++)
        events[i] = (OFFLINEFILES_EVENTS)wanted_events[i];
    *count = ARRAYSIZE(wanted_events);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE filter_GetExcludedEvents(IOfflineFilesEventsFilter *iface, ULONG capacity,
                                                          OFFLINEFILES_EVENTS *events, ULONG *count)
{
    (void)iface, (void)capacity, (void)events;
    if (count)
        *count = 0;
    return E_NOTIMPL;
}

static const IOfflineFilesEventsFilterVtbl filter_vtbl = {
    .QueryInterface = filter_QueryInterface,
    .AddRef = filter_AddRef,
    .Release = filter_Release,
    .GetPathFilter = filter_GetPathFilter,
    .GetIncludedEvents = filter_GetIncludedEvents,
    .GetExcludedEvents = filter_GetExcludedEvents,
};

/* ---- creation ---- */

HRESULT sink_create(HWND target, IUnknown **out)
{
    sink *s;
    if (!out)
        return E_POINTER;
    *out = NULL;
    s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        return E_OUTOFMEMORY;
    s->events_iface.lpVtbl = (IOfflineFilesEvents4Vtbl *)&events_vtbl;
    s->filter_iface.lpVtbl = (IOfflineFilesEventsFilterVtbl *)&filter_vtbl;
    s->refs = 1;
    s->target = target;
    *out = (IUnknown *)&s->events_iface;
    return S_OK;
}

static sink *impl_from_unknown(IUnknown *unk)
{
    return impl_from_events((IOfflineFilesEvents4 *)unk);
}

LONG sink_take_lost(IUnknown *unk)
{
    return unk ? InterlockedExchange(&impl_from_unknown(unk)->lost, 0) : 0;
}

void sink_detach(IUnknown *unk)
{
    if (unk)
        InterlockedExchangePointer((void **)&impl_from_unknown(unk)->target, NULL);
}
