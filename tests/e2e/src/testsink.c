/* e2e: testsink, a small subscriber that proves the fake service on its
 * own, without ofnotify: an STA with a message loop that advises a sink and
 * writes every call it receives to a file, one line each.
 *
 *   testsink --out=FILE [--name=ID] [--level=1..4] [--lack=1..4] [--cp=1..4]
 *            [--no-filter] [--include=LIST] [--exclude=LIST] [--path=UNC --match=0..4]
 *            [--filter-fails=HRESULT] [--fail-event=CODE:HRESULT]...
 *            [--resubscribe] [--timeout=MS]
 *   testsink --quit=ID          make the running testsink --name=ID exit
 *   testsink --probe [--offered=1..4]
 *                               check the fake's connection points and error
 *                               answers (it offers levels 1..offered, default 4);
 *                               exit 0 if all right
 *
 * LIST is comma-separated OFFLINEFILES_EVENTS codes, or "empty" for a list
 * with nothing in it; without --include/--exclude the filter answers
 * E_NOTIMPL ("no list"). --level says up to which IOfflineFilesEventsN the
 * sink answers QueryInterface, --lack one level it never answers, and --cp
 * on which connection point it advises (default: its level).
 * --filter-fails makes every filter method return HRESULT; --fail-event
 * makes the method of event CODE return HRESULT (HRESULTs as in scripts:
 * hex, decimal or a name such as E_FAIL or RPC_E_DISCONNECTED).
 * --resubscribe watches CscService with
 * NotifyServiceStatusChangeW and advises again when it comes back, the way
 * ofnotify does. Output lines: "advised cookie=N", "BackgroundSyncBegin
 * 0x00012007", "ItemModified \\s\p", ..., "service-stopped", "unadvise hr=...". */
#include "fakecsc.h"
#include "fakecom.h"
#include "proto.h"
#include "scn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct options {
    const WCHAR *out;
    const WCHAR *name;
    int level;           /* answers IOfflineFilesEvents..IOfflineFilesEventsN */
    int lack;            /* but never this one (0: none) */
    int cp;              /* the connection point it advises on (0: its level) */
    BOOL filter_fails;   /* every filter method returns filter_hr */
    HRESULT filter_hr;
    BOOL has_fail[OFFLINEFILES_NUM_EVENTS]; /* the event's method returns fail_hr */
    HRESULT fail_hr[OFFLINEFILES_NUM_EVENTS];
    BOOL filter;
    BOOL has_include, has_exclude;
    OFFLINEFILES_EVENTS include[OFFLINEFILES_NUM_EVENTS], exclude[OFFLINEFILES_NUM_EVENTS];
    ULONG n_include, n_exclude;
    const WCHAR *path;
    int match;
    BOOL resubscribe;
    DWORD timeout_ms;
} options;

static options opt = {.level = 4, .filter = TRUE, .timeout_ms = 120000};
static const IID *const levels[] = {&IID_IOfflineFilesEvents, &IID_IOfflineFilesEvents2, &IID_IOfflineFilesEvents3,
                                    &IID_IOfflineFilesEvents4};
static HANDLE out_file = INVALID_HANDLE_VALUE;

/* One line to the output file, written at once (tests read it while we run). */
static void record(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
static void record(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    int n;
    DWORD written;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    WriteFile(out_file, line, (DWORD)n, &written, NULL);
}

/* ---------------------------------------------------------------- sink */

/* What an event method returns after recording the call. */
static HRESULT result_of(OFFLINEFILES_EVENTS code)
{
    return opt.has_fail[code] ? opt.fail_hr[code] : S_OK;
}

typedef struct test_sink {
    IOfflineFilesEvents4 IOfflineFilesEvents4_iface;
    IOfflineFilesEventsFilter IOfflineFilesEventsFilter_iface;
    LONG refs;
} test_sink;

static test_sink *impl_from_events(IOfflineFilesEvents4 *iface)
{
    return CONTAINING_RECORD(iface, test_sink, IOfflineFilesEvents4_iface);
}

static test_sink *impl_from_filter(IOfflineFilesEventsFilter *iface)
{
    return CONTAINING_RECORD(iface, test_sink, IOfflineFilesEventsFilter_iface);
}

static HRESULT STDMETHODCALLTYPE sink_QueryInterface(IOfflineFilesEvents4 *iface, REFIID riid, void **ppv)
{
    test_sink *This = impl_from_events(iface);
    int i;
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (IsEqualIID(riid, &IID_IUnknown))
        *ppv = &This->IOfflineFilesEvents4_iface;
    for (i = 0; i < opt.level; i++)
        if (i + 1 != opt.lack && IsEqualIID(riid, levels[i]))
            *ppv = &This->IOfflineFilesEvents4_iface;
    if (opt.filter && IsEqualIID(riid, &IID_IOfflineFilesEventsFilter))
        *ppv = &This->IOfflineFilesEventsFilter_iface;
    if (!*ppv)
        return E_NOINTERFACE;
    IUnknown_AddRef((IUnknown *)*ppv);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE sink_AddRef(IOfflineFilesEvents4 *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_events(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sink_Release(IOfflineFilesEvents4 *iface)
{
    /* Static object: the count only mirrors what the service does. */
    return (ULONG)InterlockedDecrement(&impl_from_events(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE sink_CacheMoved(IOfflineFilesEvents4 *iface, LPCWSTR pszOldPath,
                                                 LPCWSTR pszNewPath)
{
    char a[1600], b[1600];
    (void)iface;
    record("CacheMoved %s %s", fk_utf8(pszOldPath, a, sizeof a), fk_utf8(pszNewPath, b, sizeof b));
    return result_of(OFFLINEFILES_EVENT_CACHEMOVED);
}

static HRESULT STDMETHODCALLTYPE sink_CacheIsFull(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("CacheIsFull");
    return result_of(OFFLINEFILES_EVENT_CACHEISFULL);
}

static HRESULT STDMETHODCALLTYPE sink_CacheIsCorrupted(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("CacheIsCorrupted");
    return result_of(OFFLINEFILES_EVENT_CACHEISCORRUPTED);
}

static HRESULT STDMETHODCALLTYPE sink_Enabled(IOfflineFilesEvents4 *iface, BOOL bEnabled)
{
    (void)iface;
    record("Enabled %d", bEnabled);
    return result_of(OFFLINEFILES_EVENT_ENABLED);
}

static HRESULT STDMETHODCALLTYPE sink_EncryptionChanged(IOfflineFilesEvents4 *iface, BOOL bWasEncrypted,
                                                        BOOL bWasPartial, BOOL bIsEncrypted, BOOL bIsPartial)
{
    (void)iface;
    record("EncryptionChanged %d %d %d %d", bWasEncrypted, bWasPartial, bIsEncrypted, bIsPartial);
    return result_of(OFFLINEFILES_EVENT_ENCRYPTIONCHANGED);
}

static HRESULT STDMETHODCALLTYPE sink_SyncBegin(IOfflineFilesEvents4 *iface, REFGUID rSyncId)
{
    (void)iface;
    record("SyncBegin %s", IsEqualGUID(rSyncId, &GUID_NULL) ? "GUID_NULL" : "other");
    return result_of(OFFLINEFILES_EVENT_SYNCBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_SyncFileResult(IOfflineFilesEvents4 *iface, REFGUID rSyncId,
                                                     LPCWSTR pszFile, HRESULT hrResult)
{
    char a[1600];
    (void)iface;
    record("SyncFileResult %s %s 0x%08lX", IsEqualGUID(rSyncId, &GUID_NULL) ? "GUID_NULL" : "other",
           fk_utf8(pszFile, a, sizeof a), (unsigned long)hrResult);
    return result_of(OFFLINEFILES_EVENT_SYNCFILERESULT);
}

static void record_conflict(const char *what, LPCWSTR path, const FILETIME *when, OFFLINEFILES_SYNC_STATE state)
{
    char a[1600];
    BOOL has_time = when && (when->dwHighDateTime || when->dwLowDateTime);
    record("%s %s %s %d", what, fk_utf8(path, a, sizeof a), has_time ? "time" : "notime", (int)state);
}

static HRESULT STDMETHODCALLTYPE sink_SyncConflictRecAdded(IOfflineFilesEvents4 *iface, LPCWSTR pszConflictPath,
                                                           const FILETIME *pftConflictDateTime,
                                                           OFFLINEFILES_SYNC_STATE ConflictSyncState)
{
    (void)iface;
    record_conflict("SyncConflictRecAdded", pszConflictPath, pftConflictDateTime, ConflictSyncState);
    return result_of(OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED);
}

static HRESULT STDMETHODCALLTYPE sink_SyncConflictRecUpdated(IOfflineFilesEvents4 *iface, LPCWSTR pszConflictPath,
                                                             const FILETIME *pftConflictDateTime,
                                                             OFFLINEFILES_SYNC_STATE ConflictSyncState)
{
    (void)iface;
    record_conflict("SyncConflictRecUpdated", pszConflictPath, pftConflictDateTime, ConflictSyncState);
    return result_of(OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED);
}

static HRESULT STDMETHODCALLTYPE sink_SyncConflictRecRemoved(IOfflineFilesEvents4 *iface, LPCWSTR pszConflictPath,
                                                             const FILETIME *pftConflictDateTime,
                                                             OFFLINEFILES_SYNC_STATE ConflictSyncState)
{
    (void)iface;
    record_conflict("SyncConflictRecRemoved", pszConflictPath, pftConflictDateTime, ConflictSyncState);
    return result_of(OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED);
}

static HRESULT STDMETHODCALLTYPE sink_SyncEnd(IOfflineFilesEvents4 *iface, REFGUID rSyncId, HRESULT hrResult)
{
    (void)iface;
    record("SyncEnd %s 0x%08lX", IsEqualGUID(rSyncId, &GUID_NULL) ? "GUID_NULL" : "other",
           (unsigned long)hrResult);
    return result_of(OFFLINEFILES_EVENT_SYNCEND);
}

static HRESULT STDMETHODCALLTYPE sink_NetTransportArrived(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("NetTransportArrived");
    return result_of(OFFLINEFILES_EVENT_NETTRANSPORTARRIVED);
}

static HRESULT STDMETHODCALLTYPE sink_NoNetTransports(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("NoNetTransports");
    return result_of(OFFLINEFILES_EVENT_NONETTRANSPORTS);
}

static void record_item(const char *what, LPCWSTR path, OFFLINEFILES_ITEM_TYPE type)
{
    char a[1600];
    record("%s %s %d", what, fk_utf8(path, a, sizeof a), (int)type);
}

static HRESULT STDMETHODCALLTYPE sink_ItemDisconnected(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                       OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemDisconnected", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMDISCONNECTED);
}

static HRESULT STDMETHODCALLTYPE sink_ItemReconnected(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                      OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemReconnected", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMRECONNECTED);
}

static HRESULT STDMETHODCALLTYPE sink_ItemAvailableOffline(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                           OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemAvailableOffline", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMAVAILABLEOFFLINE);
}

static HRESULT STDMETHODCALLTYPE sink_ItemNotAvailableOffline(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                              OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemNotAvailableOffline", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMNOTAVAILABLEOFFLINE);
}

static HRESULT STDMETHODCALLTYPE sink_ItemPinned(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                 OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemPinned", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMPINNED);
}

static HRESULT STDMETHODCALLTYPE sink_ItemNotPinned(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                    OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemNotPinned", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMNOTPINNED);
}

static HRESULT STDMETHODCALLTYPE sink_ItemModified(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                   OFFLINEFILES_ITEM_TYPE ItemType, BOOL bModifiedData,
                                                   BOOL bModifiedAttributes)
{
    char a[1600];
    (void)iface;
    record("ItemModified %s %d %d %d", fk_utf8(pszPath, a, sizeof a), (int)ItemType, bModifiedData,
           bModifiedAttributes);
    return result_of(OFFLINEFILES_EVENT_ITEMMODIFIED);
}

static HRESULT STDMETHODCALLTYPE sink_ItemAddedToCache(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                       OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemAddedToCache", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMADDEDTOCACHE);
}

static HRESULT STDMETHODCALLTYPE sink_ItemDeletedFromCache(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                           OFFLINEFILES_ITEM_TYPE ItemType)
{
    (void)iface;
    record_item("ItemDeletedFromCache", pszPath, ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMDELETEDFROMCACHE);
}

static HRESULT STDMETHODCALLTYPE sink_ItemRenamed(IOfflineFilesEvents4 *iface, LPCWSTR pszOldPath,
                                                  LPCWSTR pszNewPath, OFFLINEFILES_ITEM_TYPE ItemType)
{
    char a[1600], b[1600];
    (void)iface;
    record("ItemRenamed %s %s %d", fk_utf8(pszOldPath, a, sizeof a), fk_utf8(pszNewPath, b, sizeof b), (int)ItemType);
    return result_of(OFFLINEFILES_EVENT_ITEMRENAMED);
}

static HRESULT STDMETHODCALLTYPE sink_DataLost(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("DataLost");
    return result_of(OFFLINEFILES_EVENT_DATALOST);
}

static HRESULT STDMETHODCALLTYPE sink_Ping(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("Ping");
    return result_of(OFFLINEFILES_EVENT_PING);
}

static HRESULT STDMETHODCALLTYPE sink_ItemReconnectBegin(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("ItemReconnectBegin");
    return result_of(OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_ItemReconnectEnd(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("ItemReconnectEnd");
    return result_of(OFFLINEFILES_EVENT_ITEMRECONNECTEND);
}

static HRESULT STDMETHODCALLTYPE sink_CacheEvictBegin(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("CacheEvictBegin");
    return result_of(OFFLINEFILES_EVENT_CACHEEVICTBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_CacheEvictEnd(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("CacheEvictEnd");
    return result_of(OFFLINEFILES_EVENT_CACHEEVICTEND);
}

static HRESULT STDMETHODCALLTYPE sink_BackgroundSyncBegin(IOfflineFilesEvents4 *iface, DWORD dwSyncControlFlags)
{
    (void)iface;
    record("BackgroundSyncBegin 0x%08lX", (unsigned long)dwSyncControlFlags);
    return result_of(OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_BackgroundSyncEnd(IOfflineFilesEvents4 *iface, DWORD dwSyncControlFlags)
{
    (void)iface;
    record("BackgroundSyncEnd 0x%08lX", (unsigned long)dwSyncControlFlags);
    return result_of(OFFLINEFILES_EVENT_BACKGROUNDSYNCEND);
}

static HRESULT STDMETHODCALLTYPE sink_PolicyChangeDetected(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("PolicyChangeDetected");
    return result_of(OFFLINEFILES_EVENT_POLICYCHANGEDETECTED);
}

static HRESULT STDMETHODCALLTYPE sink_PreferenceChangeDetected(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("PreferenceChangeDetected");
    return result_of(OFFLINEFILES_EVENT_PREFERENCECHANGEDETECTED);
}

static HRESULT STDMETHODCALLTYPE sink_SettingsChangesApplied(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("SettingsChangesApplied");
    return result_of(OFFLINEFILES_EVENT_SETTINGSCHANGESAPPLIED);
}

static HRESULT STDMETHODCALLTYPE sink_TransparentCacheItemNotify(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                                 OFFLINEFILES_EVENTS EventType,
                                                                 OFFLINEFILES_ITEM_TYPE ItemType,
                                                                 BOOL bModifiedData, BOOL bModifiedAttributes,
                                                                 LPCWSTR pzsOldPath)
{
    char a[1600], b[1600];
    (void)iface;
    record("TransparentCacheItemNotify %s %d %d %d %d %s", fk_utf8(pszPath, a, sizeof a), (int)EventType,
           (int)ItemType, bModifiedData, bModifiedAttributes, fk_utf8(pzsOldPath, b, sizeof b));
    return result_of(OFFLINEFILES_EVENT_TRANSPARENTCACHEITEMNOTIFY);
}

static HRESULT STDMETHODCALLTYPE sink_PrefetchFileBegin(IOfflineFilesEvents4 *iface, LPCWSTR pszPath)
{
    char a[1600];
    (void)iface;
    record("PrefetchFileBegin %s", fk_utf8(pszPath, a, sizeof a));
    return result_of(OFFLINEFILES_EVENT_PREFETCHFILEBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_PrefetchFileEnd(IOfflineFilesEvents4 *iface, LPCWSTR pszPath,
                                                      HRESULT hrResult)
{
    char a[1600];
    (void)iface;
    record("PrefetchFileEnd %s 0x%08lX", fk_utf8(pszPath, a, sizeof a), (unsigned long)hrResult);
    return result_of(OFFLINEFILES_EVENT_PREFETCHFILEEND);
}

static HRESULT STDMETHODCALLTYPE sink_PrefetchCloseHandleBegin(IOfflineFilesEvents4 *iface)
{
    (void)iface;
    record("PrefetchCloseHandleBegin");
    return result_of(OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEBEGIN);
}

static HRESULT STDMETHODCALLTYPE sink_PrefetchCloseHandleEnd(IOfflineFilesEvents4 *iface,
                                                             DWORD dwClosedHandleCount, DWORD dwOpenHandleCount,
                                                             HRESULT hrResult)
{
    (void)iface;
    record("PrefetchCloseHandleEnd %lu %lu 0x%08lX", (unsigned long)dwClosedHandleCount,
           (unsigned long)dwOpenHandleCount, (unsigned long)hrResult);
    return result_of(OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEEND);
}

static const IOfflineFilesEvents4Vtbl sink_vtbl = {
    sink_QueryInterface,
    sink_AddRef,
    sink_Release,
    sink_CacheMoved,
    sink_CacheIsFull,
    sink_CacheIsCorrupted,
    sink_Enabled,
    sink_EncryptionChanged,
    sink_SyncBegin,
    sink_SyncFileResult,
    sink_SyncConflictRecAdded,
    sink_SyncConflictRecUpdated,
    sink_SyncConflictRecRemoved,
    sink_SyncEnd,
    sink_NetTransportArrived,
    sink_NoNetTransports,
    sink_ItemDisconnected,
    sink_ItemReconnected,
    sink_ItemAvailableOffline,
    sink_ItemNotAvailableOffline,
    sink_ItemPinned,
    sink_ItemNotPinned,
    sink_ItemModified,
    sink_ItemAddedToCache,
    sink_ItemDeletedFromCache,
    sink_ItemRenamed,
    sink_DataLost,
    sink_Ping,
    sink_ItemReconnectBegin,
    sink_ItemReconnectEnd,
    sink_CacheEvictBegin,
    sink_CacheEvictEnd,
    sink_BackgroundSyncBegin,
    sink_BackgroundSyncEnd,
    sink_PolicyChangeDetected,
    sink_PreferenceChangeDetected,
    sink_SettingsChangesApplied,
    sink_TransparentCacheItemNotify,
    sink_PrefetchFileBegin,
    sink_PrefetchFileEnd,
    sink_PrefetchCloseHandleBegin,
    sink_PrefetchCloseHandleEnd,
};

/* -------------------------------------------------------------- filter */

static HRESULT STDMETHODCALLTYPE filter_QueryInterface(IOfflineFilesEventsFilter *iface, REFIID riid, void **ppv)
{
    return sink_QueryInterface(&impl_from_filter(iface)->IOfflineFilesEvents4_iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE filter_AddRef(IOfflineFilesEventsFilter *iface)
{
    return sink_AddRef(&impl_from_filter(iface)->IOfflineFilesEvents4_iface);
}

static ULONG STDMETHODCALLTYPE filter_Release(IOfflineFilesEventsFilter *iface)
{
    return sink_Release(&impl_from_filter(iface)->IOfflineFilesEvents4_iface);
}

static HRESULT STDMETHODCALLTYPE filter_GetPathFilter(IOfflineFilesEventsFilter *iface, LPWSTR *ppszFilter,
                                                      OFFLINEFILES_PATHFILTER_MATCH *pMatch)
{
    HRESULT hr;
    (void)iface;
    if (!ppszFilter || !pMatch)
        return E_POINTER;
    *ppszFilter = NULL;
    if (opt.filter_fails)
        return opt.filter_hr;
    if (!opt.path)
        return E_NOTIMPL;
    hr = fakecom_strdup(opt.path, ppszFilter);
    if (FAILED(hr))
        return hr;
    *pMatch = (OFFLINEFILES_PATHFILTER_MATCH)opt.match;
    return S_OK;
}

static HRESULT copy_list(BOOL has, const OFFLINEFILES_EVENTS *list, ULONG n, ULONG cap, OFFLINEFILES_EVENTS *out,
                         ULONG *count)
{
    if (!count || (cap && !out))
        return E_POINTER;
    *count = 0;
    if (opt.filter_fails)
        return opt.filter_hr;
    if (!has)
        return E_NOTIMPL;
    if (n > cap)
        return E_INVALIDARG;
    memcpy(out, list, n * sizeof *list);
    *count = n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE filter_GetIncludedEvents(IOfflineFilesEventsFilter *iface, ULONG cElements,
                                                          OFFLINEFILES_EVENTS *prgEvents, ULONG *pcEvents)
{
    (void)iface;
    return copy_list(opt.has_include, opt.include, opt.n_include, cElements, prgEvents, pcEvents);
}

static HRESULT STDMETHODCALLTYPE filter_GetExcludedEvents(IOfflineFilesEventsFilter *iface, ULONG cElements,
                                                          OFFLINEFILES_EVENTS *prgEvents, ULONG *pcEvents)
{
    (void)iface;
    return copy_list(opt.has_exclude, opt.exclude, opt.n_exclude, cElements, prgEvents, pcEvents);
}

static const IOfflineFilesEventsFilterVtbl filter_vtbl = {
    filter_QueryInterface, filter_AddRef,           filter_Release,
    filter_GetPathFilter,  filter_GetIncludedEvents, filter_GetExcludedEvents,
};

static test_sink the_sink = {{&sink_vtbl}, {&filter_vtbl}, 1};

/* ------------------------------------------------------- subscription */

typedef struct subscription {
    IConnectionPoint *cp;
    DWORD cookie;
} subscription;

static HRESULT subscribe(subscription *sub)
{
    IOfflineFilesCache *cache = NULL;
    IConnectionPointContainer *cpc = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_OfflineFilesCache, NULL, CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER,
                          &IID_IOfflineFilesCache, (void **)&cache);
    if (SUCCEEDED(hr))
        hr = IOfflineFilesCache_QueryInterface(cache, &IID_IConnectionPointContainer, (void **)&cpc);
    if (SUCCEEDED(hr))
        hr = IConnectionPointContainer_FindConnectionPoint(cpc, levels[opt.cp - 1], &sub->cp);
    if (SUCCEEDED(hr)) {
        hr = IConnectionPoint_Advise(sub->cp, (IUnknown *)&the_sink.IOfflineFilesEvents4_iface, &sub->cookie);
        if (FAILED(hr)) {
            IConnectionPoint_Release(sub->cp);
            sub->cp = NULL;
        }
    }
    if (cpc)
        IConnectionPointContainer_Release(cpc);
    if (cache)
        IOfflineFilesCache_Release(cache);
    if (SUCCEEDED(hr))
        record("advised cookie=%lu", (unsigned long)sub->cookie);
    else
        record("advise-failed hr=0x%08lX", (unsigned long)hr);
    return hr;
}

static void unsubscribe(subscription *sub, BOOL service_alive)
{
    if (!sub->cp)
        return;
    if (service_alive) {
        HRESULT hr = IConnectionPoint_Unadvise(sub->cp, sub->cookie);
        record("unadvise hr=0x%08lX", (unsigned long)hr);
    }
    IConnectionPoint_Release(sub->cp);
    sub->cp = NULL;
}

/* ------------------------------------------------------ service watch */

static SERVICE_NOTIFYW notify;
static volatile LONG notified = -1; /* state from the last notification; -1 none */

static void CALLBACK on_service_status(void *param)
{
    SERVICE_NOTIFYW *n = param;
    InterlockedExchange(&notified, (LONG)n->ServiceStatus.dwCurrentState);
}

static BOOL watch(SC_HANDLE svc, DWORD mask)
{
    DWORD err;
    memset(&notify, 0, sizeof notify);
    notify.dwVersion = SERVICE_NOTIFY_STATUS_CHANGE;
    notify.pfnNotifyCallback = on_service_status;
    err = NotifyServiceStatusChangeW(svc, mask, &notify);
    if (err != ERROR_SUCCESS)
        record("watch-failed error=%lu", (unsigned long)err);
    return err == ERROR_SUCCESS;
}

/* ---------------------------------------------------------------- main */

static BOOL parse_list(const WCHAR *text, OFFLINEFILES_EVENTS *list, ULONG *n)
{
    const WCHAR *p = text;
    *n = 0;
    if (wcscmp(text, L"empty") == 0)
        return TRUE;
    while (*p) {
        WCHAR *end;
        long v = wcstol(p, &end, 10);
        if (end == p || v < 0 || v >= 64 || *n >= OFFLINEFILES_NUM_EVENTS)
            return FALSE;
        list[(*n)++] = (OFFLINEFILES_EVENTS)v;
        p = end;
        if (*p == L',')
            p++;
        else if (*p)
            return FALSE;
    }
    return TRUE;
}

/* An HRESULT as the scripts write it (scn_parse_hresult). */
static BOOL parse_hresult(const WCHAR *text, HRESULT *out)
{
    char a[64];
    uint32_t v;
    if (!WideCharToMultiByte(CP_UTF8, 0, text, -1, a, sizeof a, NULL, NULL) || scn_parse_hresult(a, &v) != 0)
        return FALSE;
    *out = (HRESULT)v;
    return TRUE;
}

/* CODE:HRESULT: the method of event CODE returns HRESULT (after recording the call). */
static BOOL parse_fail_event(const WCHAR *text)
{
    WCHAR *end;
    long code = wcstol(text, &end, 10);
    if (end == text || *end != L':' || code < 0 || code >= OFFLINEFILES_NUM_EVENTS)
        return FALSE;
    opt.has_fail[code] = TRUE;
    return parse_hresult(end + 1, &opt.fail_hr[code]);
}

static const WCHAR *arg_value(const WCHAR *arg, const WCHAR *name)
{
    size_t n = wcslen(name);
    return wcsncmp(arg, name, n) == 0 ? arg + n : NULL;
}

static HANDLE quit_event_for(const WCHAR *name, BOOL create)
{
    WCHAR ev[128];
    _snwprintf(ev, ARRAYSIZE(ev), L"Local\\ofnotify-e2e-testsink-%.60ls", name ? name : L"default");
    ev[ARRAYSIZE(ev) - 1] = 0;
    return create ? CreateEventW(NULL, TRUE, FALSE, ev) : OpenEventW(EVENT_MODIFY_STATE, FALSE, ev);
}

/* One connection point per level up to offered, each naming its own IID
 * and its container; none for other IIDs; and the fake's answers to a
 * client that does things wrong. */
static int probe(int offered)
{
    IOfflineFilesCache *cache = NULL;
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cps[4] = {NULL, NULL, NULL, NULL}, *bad = (IConnectionPoint *)1;
    IUnknown *plain = NULL, *self = NULL;
    DWORD cookie = 0;
    LPWSTR location = (LPWSTR)1;
    HRESULT hr;
    int failures = 0, i;
    char what[64];

#define EXPECT(what, got, want)                                                                    \
    do {                                                                                          \
        HRESULT got_ = (got);                                                                     \
        printf("%s hr=0x%08lX %s\n", what, (unsigned long)got_, got_ == (want) ? "ok" : "WRONG"); \
        failures += got_ != (want);                                                               \
    } while (0)
#define CHECK(what, cond)                                         \
    do {                                                          \
        printf("%s %s\n", what, (cond) ? "ok" : "WRONG");         \
        failures += !(cond);                                      \
    } while (0)

    hr = CoCreateInstance(&CLSID_OfflineFilesCache, NULL, CLSCTX_LOCAL_SERVER, &IID_IOfflineFilesCache,
                          (void **)&cache);
    EXPECT("create", hr, S_OK);
    if (FAILED(hr))
        return 1;
    EXPECT("qi-cpc", IOfflineFilesCache_QueryInterface(cache, &IID_IConnectionPointContainer, (void **)&cpc), S_OK);
    if (!cpc)
        return 1;
    IConnectionPointContainer_QueryInterface(cpc, &IID_IUnknown, (void **)&self);
    CreateBindCtx(0, (IBindCtx **)&plain); /* an object that is no IOfflineFilesEvents at all */

    for (i = 0; i < 4; i++) {
        IConnectionPoint *cp = (IConnectionPoint *)1;
        snprintf(what, sizeof what, "find-events%d", i + 1);
        if (i >= offered) {
            EXPECT(what, IConnectionPointContainer_FindConnectionPoint(cpc, levels[i], &cp), CONNECT_E_NOCONNECTION);
            CHECK("  out=NULL", cp == NULL);
            continue;
        }
        EXPECT(what, IConnectionPointContainer_FindConnectionPoint(cpc, levels[i], &cp), S_OK);
        if (!cp || cp == (IConnectionPoint *)1) {
            failures++;
            continue;
        }
        cps[i] = cp;
        {
            IID iid;
            IConnectionPointContainer *back = NULL;
            IUnknown *back_unk = NULL;
            EXPECT("  interface", IConnectionPoint_GetConnectionInterface(cp, &iid), S_OK);
            CHECK("  interface is its own IID", IsEqualIID(&iid, levels[i]));
            EXPECT("  container", IConnectionPoint_GetConnectionPointContainer(cp, &back), S_OK);
            if (back) {
                IConnectionPointContainer_QueryInterface(back, &IID_IUnknown, (void **)&back_unk);
                CHECK("  container is the cache", back_unk && back_unk == self);
                if (back_unk)
                    IUnknown_Release(back_unk);
                IConnectionPointContainer_Release(back);
            }
        }
        EXPECT("  unadvise-unknown-cookie", IConnectionPoint_Unadvise(cp, 4242), CONNECT_E_NOCONNECTION);
        EXPECT("  advise-non-sink", IConnectionPoint_Advise(cp, plain, &cookie), CONNECT_E_CANNOTCONNECT);
    }
    EXPECT("find-filter-iid", IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IOfflineFilesEventsFilter, &bad),
           CONNECT_E_NOCONNECTION);
    CHECK("  out=NULL", bad == NULL);
    if (offered == 4 && cps[3] && cps[1]) {
        /* A cookie belongs to the point that gave it. */
        EXPECT("advise-events4", IConnectionPoint_Advise(cps[3], (IUnknown *)&the_sink.IOfflineFilesEvents4_iface,
                                                        &cookie), S_OK);
        EXPECT("  unadvise-on-events2", IConnectionPoint_Unadvise(cps[1], cookie), CONNECT_E_NOCONNECTION);
        EXPECT("  unadvise-on-events4", IConnectionPoint_Unadvise(cps[3], cookie), S_OK);
    }
    EXPECT("getlocation", IOfflineFilesCache_GetLocation(cache, &location), E_NOTIMPL);
    for (i = 0; i < 4; i++)
        if (cps[i])
            IConnectionPoint_Release(cps[i]);
    if (plain)
        IUnknown_Release(plain);
    if (self)
        IUnknown_Release(self);
    IConnectionPointContainer_Release(cpc);
    IOfflineFilesCache_Release(cache);
#undef EXPECT
#undef CHECK
    printf("probe: %d wrong\n", failures);
    return failures ? 1 : 0;
}

int wmain(int argc, WCHAR **argv);
int wmain(int argc, WCHAR **argv)
{
    subscription sub = {0};
    SC_HANDLE scm = NULL, svc = NULL;
    HANDLE quit;
    ULONGLONG deadline;
    BOOL probing = FALSE, service_alive = TRUE;
    const WCHAR *v;
    int i, rc = 0, offered = 4;

    for (i = 1; i < argc; i++) {
        if ((v = arg_value(argv[i], L"--out=")))
            opt.out = v;
        else if ((v = arg_value(argv[i], L"--name=")))
            opt.name = v;
        else if ((v = arg_value(argv[i], L"--level=")))
            opt.level = _wtoi(v);
        else if ((v = arg_value(argv[i], L"--lack=")))
            opt.lack = _wtoi(v);
        else if ((v = arg_value(argv[i], L"--cp=")))
            opt.cp = _wtoi(v);
        else if ((v = arg_value(argv[i], L"--offered=")))
            offered = _wtoi(v);
        else if ((v = arg_value(argv[i], L"--filter-fails="))) {
            opt.filter_fails = TRUE;
            if (!parse_hresult(v, &opt.filter_hr))
                rc = 2;
        } else if ((v = arg_value(argv[i], L"--fail-event="))) {
            if (!parse_fail_event(v))
                rc = 2;
        }
        else if (wcscmp(argv[i], L"--no-filter") == 0)
            opt.filter = FALSE;
        else if ((v = arg_value(argv[i], L"--include="))) {
            opt.has_include = TRUE;
            if (!parse_list(v, opt.include, &opt.n_include))
                rc = 2;
        } else if ((v = arg_value(argv[i], L"--exclude="))) {
            opt.has_exclude = TRUE;
            if (!parse_list(v, opt.exclude, &opt.n_exclude))
                rc = 2;
        }
        else if ((v = arg_value(argv[i], L"--path=")))
            opt.path = v;
        else if ((v = arg_value(argv[i], L"--match=")))
            opt.match = _wtoi(v);
        else if (wcscmp(argv[i], L"--resubscribe") == 0)
            opt.resubscribe = TRUE;
        else if ((v = arg_value(argv[i], L"--timeout=")))
            opt.timeout_ms = (DWORD)wcstoul(v, NULL, 10);
        else if ((v = arg_value(argv[i], L"--quit="))) {
            HANDLE h = quit_event_for(v, FALSE);
            if (!h)
                return 1; /* not running */
            SetEvent(h);
            CloseHandle(h);
            return 0;
        } else if (wcscmp(argv[i], L"--probe") == 0)
            probing = TRUE;
        else
            rc = 2;
    }
    if (opt.cp == 0)
        opt.cp = opt.level;
    if (rc == 2 || opt.level < 1 || opt.level > 4 || opt.cp < 1 || opt.cp > 4 || opt.lack < 0 || opt.lack > 4 ||
        offered < 1 || offered > 4 || (!probing && !opt.out)) {
        fprintf(stderr, "usage: see the comment at the top of tests/e2e/src/testsink.c\n");
        return 2;
    }

    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED))) {
        fprintf(stderr, "testsink: CoInitializeEx failed\n");
        return 1;
    }
    if (probing) {
        rc = probe(offered);
        CoUninitialize();
        return rc;
    }

    out_file = CreateFileW(opt.out, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    quit = quit_event_for(opt.name, TRUE);
    if (out_file == INVALID_HANDLE_VALUE || !quit) {
        fprintf(stderr, "testsink: cannot open the output file or the quit event\n");
        return 1;
    }
    if (FAILED(subscribe(&sub)))
        rc = 1;
    if (opt.resubscribe) {
        scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
        svc = scm ? OpenServiceW(scm, FK_SERVICE_NAME, SERVICE_QUERY_STATUS) : NULL;
        if (!svc || !watch(svc, SERVICE_NOTIFY_STOPPED))
            rc = 1;
    }

    deadline = GetTickCount64() + opt.timeout_ms;
    while (rc == 0) {
        ULONGLONG now = GetTickCount64();
        DWORD w;
        MSG msg;
        LONG state;
        if (now >= deadline) {
            record("timeout");
            break;
        }
        /* Alertable, so the service watch's APC runs here. */
        w = MsgWaitForMultipleObjectsEx(1, &quit, (DWORD)(deadline - now), QS_ALLINPUT,
                                        MWMO_ALERTABLE | MWMO_INPUTAVAILABLE);
        if (w == WAIT_OBJECT_0)
            break;
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        state = InterlockedExchange(&notified, -1);
        if (state == SERVICE_STOPPED) {
            record("service-stopped");
            service_alive = FALSE;
            unsubscribe(&sub, FALSE);
            watch(svc, SERVICE_NOTIFY_RUNNING);
        } else if (state == SERVICE_RUNNING) {
            record("service-running");
            service_alive = TRUE;
            if (FAILED(subscribe(&sub)))
                rc = 1;
            watch(svc, SERVICE_NOTIFY_STOPPED);
        }
    }
    unsubscribe(&sub, service_alive);
    record("exit");
    if (svc)
        CloseServiceHandle(svc);
    if (scm)
        CloseServiceHandle(scm);
    CloseHandle(out_file);
    CoUninitialize();
    return rc;
}
