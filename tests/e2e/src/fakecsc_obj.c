/* e2e: the COM objects of the fake Offline Files service.
 *
 * One cache object per process, like the real service: every client that
 * creates CLSID_OfflineFilesCache gets the same object, so every sink sees
 * the same events. It answers IOfflineFilesCache (Synchronize is
 * fakecsc_sync.c's, the other methods E_NOTIMPL), IOfflineFilesItemContainer
 * (EnumItems lists the servers, fakecsc_items.c) and
 * IConnectionPointContainer; its one connection point is for
 * IID_IOfflineFilesEvents, and Advise records, per sink, which
 * IOfflineFilesEventsN it answers and what its IOfflineFilesEventsFilter
 * asks for. The objects are static and live as long as the process:
 * reference counts are kept only so clients behave as with a real object. */
#include "fakecsc.h"

#include <stdio.h>
#include <string.h>



static CRITICAL_SECTION sinks_lock;
static fk_sink_view sinks[FK_MAX_SINKS]; /* cookie 0 = free slot; holds one reference */
static DWORD next_cookie = 1;
static HANDLE advise_event;
static DWORD class_cookie;

static const char *hr_text(HRESULT hr, char *buf, size_t cap)
{
    snprintf(buf, cap, "0x%08lX", (unsigned long)hr);
    return buf;
}

/* ---------------------------------------------------------------- cache */

typedef struct fake_cache {
    IOfflineFilesCache IOfflineFilesCache_iface;
    IConnectionPointContainer IConnectionPointContainer_iface;
    IOfflineFilesItemContainer IOfflineFilesItemContainer_iface;
    LONG refs;
} fake_cache;

typedef struct fake_cp {
    IConnectionPoint IConnectionPoint_iface;
    LONG refs;
} fake_cp;

static fake_cache the_cache;
static fake_cp the_cp;

static fake_cache *impl_from_IOfflineFilesCache(IOfflineFilesCache *iface)
{
    return CONTAINING_RECORD(iface, fake_cache, IOfflineFilesCache_iface);
}

static fake_cache *impl_from_IConnectionPointContainer(IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, fake_cache, IConnectionPointContainer_iface);
}

static HRESULT STDMETHODCALLTYPE cache_QueryInterface(IOfflineFilesCache *iface, REFIID riid, void **ppv)
{
    fake_cache *This = impl_from_IOfflineFilesCache(iface);
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesCache))
        *ppv = &This->IOfflineFilesCache_iface;
    else if (IsEqualIID(riid, &IID_IConnectionPointContainer))
        *ppv = &This->IConnectionPointContainer_iface;
    else if (IsEqualIID(riid, &IID_IOfflineFilesItemContainer))
        *ppv = &This->IOfflineFilesItemContainer_iface;
    else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*ppv);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE cache_AddRef(IOfflineFilesCache *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IOfflineFilesCache(iface)->refs);
}

static ULONG STDMETHODCALLTYPE cache_Release(IOfflineFilesCache *iface)
{
    /* Static object: never freed, the count only mirrors what clients do. */
    return (ULONG)InterlockedDecrement(&impl_from_IOfflineFilesCache(iface)->refs);
}

/* The cache methods ofnotify does not call. Each says so in the log, so a
 * test can tell "not called" from "called and failed". */
static HRESULT not_implemented(const char *method)
{
    fk_log("incoming %s -> E_NOTIMPL", method);
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE cache_Synchronize(IOfflineFilesCache *iface, HWND hwndParent,
                                                   LPCWSTR *rgpszPaths, ULONG cPaths, BOOL bAsync,
                                                   DWORD dwSyncControl,
                                                   IOfflineFilesSyncConflictHandler *pISyncConflictHandler,
                                                   IOfflineFilesSyncProgress *pIProgress, GUID *pSyncId)
{
    (void)iface;
    return fk_sync_synchronize(hwndParent, rgpszPaths, cPaths, bAsync, dwSyncControl, pISyncConflictHandler,
                               pIProgress, pSyncId);
}

static HRESULT STDMETHODCALLTYPE cache_DeleteItems(IOfflineFilesCache *iface, LPCWSTR *rgpszPaths, ULONG cPaths,
                                                   DWORD dwFlags, BOOL bAsync,
                                                   IOfflineFilesSimpleProgress *pIProgress)
{
    (void)iface, (void)rgpszPaths, (void)cPaths, (void)dwFlags, (void)bAsync, (void)pIProgress;
    return not_implemented("DeleteItems");
}

static HRESULT STDMETHODCALLTYPE cache_DeleteItemsForUser(IOfflineFilesCache *iface, LPCWSTR pszUser,
                                                          LPCWSTR *rgpszPaths, ULONG cPaths, DWORD dwFlags,
                                                          BOOL bAsync, IOfflineFilesSimpleProgress *pIProgress)
{
    (void)iface, (void)pszUser, (void)rgpszPaths, (void)cPaths, (void)dwFlags, (void)bAsync, (void)pIProgress;
    return not_implemented("DeleteItemsForUser");
}

static HRESULT STDMETHODCALLTYPE cache_Pin(IOfflineFilesCache *iface, HWND hwndParent, LPCWSTR *rgpszPaths,
                                           ULONG cPaths, BOOL bDeep, BOOL bAsync, DWORD dwPinControlFlags,
                                           IOfflineFilesSyncProgress *pIProgress)
{
    (void)iface, (void)hwndParent, (void)rgpszPaths, (void)cPaths, (void)bDeep, (void)bAsync;
    (void)dwPinControlFlags, (void)pIProgress;
    return not_implemented("Pin");
}

static HRESULT STDMETHODCALLTYPE cache_Unpin(IOfflineFilesCache *iface, HWND hwndParent, LPCWSTR *rgpszPaths,
                                             ULONG cPaths, BOOL bDeep, BOOL bAsync, DWORD dwPinControlFlags,
                                             IOfflineFilesSyncProgress *pIProgress)
{
    (void)iface, (void)hwndParent, (void)rgpszPaths, (void)cPaths, (void)bDeep, (void)bAsync;
    (void)dwPinControlFlags, (void)pIProgress;
    return not_implemented("Unpin");
}

static HRESULT STDMETHODCALLTYPE cache_GetEncryptionStatus(IOfflineFilesCache *iface, BOOL *pbEncrypted,
                                                           BOOL *pbPartial)
{
    (void)iface, (void)pbEncrypted, (void)pbPartial;
    return not_implemented("GetEncryptionStatus");
}

static HRESULT STDMETHODCALLTYPE cache_Encrypt(IOfflineFilesCache *iface, HWND hwndParent, BOOL bEncrypt,
                                               DWORD dwEncryptionControlFlags, BOOL bAsync,
                                               IOfflineFilesSyncProgress *pIProgress)
{
    (void)iface, (void)hwndParent, (void)bEncrypt, (void)dwEncryptionControlFlags, (void)bAsync;
    (void)pIProgress;
    return not_implemented("Encrypt");
}

static HRESULT STDMETHODCALLTYPE cache_FindItem(IOfflineFilesCache *iface, LPCWSTR pszPath, DWORD dwQueryFlags,
                                                IOfflineFilesItem **ppItem)
{
    (void)iface, (void)pszPath, (void)dwQueryFlags;
    if (ppItem)
        *ppItem = NULL;
    return not_implemented("FindItem");
}

static HRESULT STDMETHODCALLTYPE cache_FindItemEx(IOfflineFilesCache *iface, LPCWSTR pszPath,
                                                  IOfflineFilesItemFilter *pIncludeFileFilter,
                                                  IOfflineFilesItemFilter *pIncludeDirFilter,
                                                  IOfflineFilesItemFilter *pExcludeFileFilter,
                                                  IOfflineFilesItemFilter *pExcludeDirFilter, DWORD dwQueryFlags,
                                                  IOfflineFilesItem **ppItem)
{
    (void)iface, (void)pszPath, (void)pIncludeFileFilter, (void)pIncludeDirFilter, (void)pExcludeFileFilter;
    (void)pExcludeDirFilter, (void)dwQueryFlags;
    if (ppItem)
        *ppItem = NULL;
    return not_implemented("FindItemEx");
}

static HRESULT STDMETHODCALLTYPE cache_RenameItem(IOfflineFilesCache *iface, LPCWSTR pszPathOriginal,
                                                  LPCWSTR pszPathNew, BOOL bReplaceIfExists)
{
    (void)iface, (void)pszPathOriginal, (void)pszPathNew, (void)bReplaceIfExists;
    return not_implemented("RenameItem");
}

static HRESULT STDMETHODCALLTYPE cache_GetLocation(IOfflineFilesCache *iface, LPWSTR *ppszPath)
{
    (void)iface;
    if (ppszPath)
        *ppszPath = NULL;
    return not_implemented("GetLocation");
}

static HRESULT STDMETHODCALLTYPE cache_GetDiskSpaceInformation(IOfflineFilesCache *iface,
                                                               ULONGLONG *pcbVolumeTotal, ULONGLONG *pcbLimit,
                                                               ULONGLONG *pcbUsed, ULONGLONG *pcbUnpinnedLimit,
                                                               ULONGLONG *pcbUnpinnedUsed)
{
    (void)iface, (void)pcbVolumeTotal, (void)pcbLimit, (void)pcbUsed, (void)pcbUnpinnedLimit;
    (void)pcbUnpinnedUsed;
    return not_implemented("GetDiskSpaceInformation");
}

static HRESULT STDMETHODCALLTYPE cache_SetDiskSpaceLimits(IOfflineFilesCache *iface, ULONGLONG cbLimit,
                                                          ULONGLONG cbUnpinnedLimit)
{
    (void)iface, (void)cbLimit, (void)cbUnpinnedLimit;
    return not_implemented("SetDiskSpaceLimits");
}

static HRESULT STDMETHODCALLTYPE cache_ProcessAdminPinPolicy(IOfflineFilesCache *iface,
                                                             IOfflineFilesSyncProgress *pPinProgress,
                                                             IOfflineFilesSyncProgress *pUnpinProgress)
{
    (void)iface, (void)pPinProgress, (void)pUnpinProgress;
    return not_implemented("ProcessAdminPinPolicy");
}

static HRESULT STDMETHODCALLTYPE cache_GetSettingObject(IOfflineFilesCache *iface, LPCWSTR pszSettingName,
                                                        IOfflineFilesSetting **ppSetting)
{
    (void)iface, (void)pszSettingName;
    if (ppSetting)
        *ppSetting = NULL;
    return not_implemented("GetSettingObject");
}

static HRESULT STDMETHODCALLTYPE cache_EnumSettingObjects(IOfflineFilesCache *iface,
                                                          IEnumOfflineFilesSettings **ppEnum)
{
    (void)iface;
    if (ppEnum)
        *ppEnum = NULL;
    return not_implemented("EnumSettingObjects");
}

static HRESULT STDMETHODCALLTYPE cache_IsPathCacheable(IOfflineFilesCache *iface, LPCWSTR pszPath,
                                                       BOOL *pbCacheable,
                                                       OFFLINEFILES_CACHING_MODE *pShareCachingMode)
{
    (void)iface, (void)pszPath, (void)pbCacheable, (void)pShareCachingMode;
    return not_implemented("IsPathCacheable");
}

static const IOfflineFilesCacheVtbl cache_vtbl = {
    cache_QueryInterface,
    cache_AddRef,
    cache_Release,
    cache_Synchronize,
    cache_DeleteItems,
    cache_DeleteItemsForUser,
    cache_Pin,
    cache_Unpin,
    cache_GetEncryptionStatus,
    cache_Encrypt,
    cache_FindItem,
    cache_FindItemEx,
    cache_RenameItem,
    cache_GetLocation,
    cache_GetDiskSpaceInformation,
    cache_SetDiskSpaceLimits,
    cache_ProcessAdminPinPolicy,
    cache_GetSettingObject,
    cache_EnumSettingObjects,
    cache_IsPathCacheable,
};

/* ------------------------------------------- IConnectionPointContainer */

static HRESULT STDMETHODCALLTYPE cpc_QueryInterface(IConnectionPointContainer *iface, REFIID riid, void **ppv)
{
    return cache_QueryInterface(&impl_from_IConnectionPointContainer(iface)->IOfflineFilesCache_iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE cpc_AddRef(IConnectionPointContainer *iface)
{
    return cache_AddRef(&impl_from_IConnectionPointContainer(iface)->IOfflineFilesCache_iface);
}

static ULONG STDMETHODCALLTYPE cpc_Release(IConnectionPointContainer *iface)
{
    return cache_Release(&impl_from_IConnectionPointContainer(iface)->IOfflineFilesCache_iface);
}

static HRESULT STDMETHODCALLTYPE cpc_EnumConnectionPoints(IConnectionPointContainer *iface,
                                                          IEnumConnectionPoints **ppEnum)
{
    (void)iface;
    if (ppEnum)
        *ppEnum = NULL;
    return not_implemented("EnumConnectionPoints");
}

static HRESULT STDMETHODCALLTYPE cpc_FindConnectionPoint(IConnectionPointContainer *iface, REFIID riid,
                                                         IConnectionPoint **ppCP)
{
    WCHAR iid[40] = L"?";
    char iid8[40];
    (void)iface;
    if (!ppCP)
        return E_POINTER;
    if (riid)
        StringFromGUID2(riid, iid, 40);
    if (!riid || !IsEqualIID(riid, &IID_IOfflineFilesEvents)) {
        /* One connection point only, as far as anyone knows (reference §5.1). */
        *ppCP = NULL;
        fk_log("incoming FindConnectionPoint(%s) -> CONNECT_E_NOCONNECTION", fk_utf8(iid, iid8, sizeof iid8));
        return CONNECT_E_NOCONNECTION;
    }
    *ppCP = &the_cp.IConnectionPoint_iface;
    IConnectionPoint_AddRef(*ppCP);
    fk_log("incoming FindConnectionPoint(IOfflineFilesEvents) -> S_OK");
    return S_OK;
}

static const IConnectionPointContainerVtbl cpc_vtbl = {
    cpc_QueryInterface,
    cpc_AddRef,
    cpc_Release,
    cpc_EnumConnectionPoints,
    cpc_FindConnectionPoint,
};

/* ------------------------------------------- IOfflineFilesItemContainer */

static fake_cache *impl_from_IOfflineFilesItemContainer(IOfflineFilesItemContainer *iface)
{
    return CONTAINING_RECORD(iface, fake_cache, IOfflineFilesItemContainer_iface);
}

static HRESULT STDMETHODCALLTYPE container_QueryInterface(IOfflineFilesItemContainer *iface, REFIID riid,
                                                          void **ppv)
{
    return cache_QueryInterface(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesCache_iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE container_AddRef(IOfflineFilesItemContainer *iface)
{
    return cache_AddRef(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesCache_iface);
}

static ULONG STDMETHODCALLTYPE container_Release(IOfflineFilesItemContainer *iface)
{
    return cache_Release(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesCache_iface);
}

static HRESULT STDMETHODCALLTYPE container_EnumItems(IOfflineFilesItemContainer *iface, DWORD dwQueryFlags,
                                                     IEnumOfflineFilesItems **ppenum)
{
    (void)iface;
    return fk_items_enum_servers(dwQueryFlags, ppenum);
}

static HRESULT STDMETHODCALLTYPE container_EnumItemsEx(IOfflineFilesItemContainer *iface,
                                                       IOfflineFilesItemFilter *pIncludeFileFilter,
                                                       IOfflineFilesItemFilter *pIncludeDirFilter,
                                                       IOfflineFilesItemFilter *pExcludeFileFilter,
                                                       IOfflineFilesItemFilter *pExcludeDirFilter, DWORD dwEnumFlags,
                                                       DWORD dwQueryFlags, IEnumOfflineFilesItems **ppenum)
{
    (void)iface, (void)pIncludeFileFilter, (void)pIncludeDirFilter, (void)pExcludeFileFilter;
    (void)pExcludeDirFilter, (void)dwEnumFlags, (void)dwQueryFlags;
    if (ppenum)
        *ppenum = NULL;
    return not_implemented("EnumItemsEx");
}

static const IOfflineFilesItemContainerVtbl container_vtbl = {
    container_QueryInterface, container_AddRef,    container_Release,
    container_EnumItems,      container_EnumItemsEx,
};

/* ------------------------------------------------------ IConnectionPoint */

static fake_cp *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, fake_cp, IConnectionPoint_iface);
}

static HRESULT STDMETHODCALLTYPE cp_QueryInterface(IConnectionPoint *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IConnectionPoint)) {
        *ppv = iface;
        IConnectionPoint_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cp_AddRef(IConnectionPoint *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IConnectionPoint(iface)->refs);
}

static ULONG STDMETHODCALLTYPE cp_Release(IConnectionPoint *iface)
{
    return (ULONG)InterlockedDecrement(&impl_from_IConnectionPoint(iface)->refs);
}

static HRESULT STDMETHODCALLTYPE cp_GetConnectionInterface(IConnectionPoint *iface, IID *pIID)
{
    (void)iface;
    if (!pIID)
        return E_POINTER;
    *pIID = IID_IOfflineFilesEvents;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cp_GetConnectionPointContainer(IConnectionPoint *iface,
                                                                IConnectionPointContainer **ppCPC)
{
    (void)iface;
    if (!ppCPC)
        return E_POINTER;
    *ppCPC = &the_cache.IConnectionPointContainer_iface;
    IConnectionPointContainer_AddRef(*ppCPC);
    return S_OK;
}

/* Sets bits[code] for each valid code the sink returned; logs the call. */
static void read_event_list(IOfflineFilesEventsFilter *filter, BOOL included, DWORD cookie, BYTE *bits,
                            BOOL *has_list)
{
    OFFLINEFILES_EVENTS codes[OFFLINEFILES_NUM_EVENTS];
    ULONG count = 0, i;
    HRESULT hr;
    char list[OFFLINEFILES_NUM_EVENTS * 4 + 16] = "", hrbuf[16];
    size_t used = 0;
    const char *method = included ? "GetIncludedEvents" : "GetExcludedEvents";

    memset(codes, 0, sizeof codes);
    hr = included ? IOfflineFilesEventsFilter_GetIncludedEvents(filter, OFFLINEFILES_NUM_EVENTS, codes, &count)
                  : IOfflineFilesEventsFilter_GetExcludedEvents(filter, OFFLINEFILES_NUM_EVENTS, codes, &count);
    *has_list = FALSE;
    if (hr == E_NOTIMPL) {
        /* The documented way to say "no list". */
        fk_log("call cookie=%lu %s(%d) hr=E_NOTIMPL list=none", (unsigned long)cookie, method,
               (int)OFFLINEFILES_NUM_EVENTS);
        return;
    }
    if (FAILED(hr) || count > OFFLINEFILES_NUM_EVENTS) {
        fk_log("call cookie=%lu %s(%d) hr=%s count=%lu list=none (failed or count too big: no list)",
               (unsigned long)cookie, method, (int)OFFLINEFILES_NUM_EVENTS, hr_text(hr, hrbuf, sizeof hrbuf),
               (unsigned long)count);
        return;
    }
    *has_list = TRUE;
    for (i = 0; i < count; i++) {
        int c = (int)codes[i];
        int w;
        if (c < 0 || c >= OFFLINEFILES_NUM_EVENTS) {
            fk_log("cookie=%lu %s: ignored out-of-range event code %d", (unsigned long)cookie, method, c);
            continue;
        }
        bits[c] = 1;
        w = snprintf(list + used, sizeof list - used, "%s%d", used ? "," : "", c);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
    }
    fk_log("call cookie=%lu %s(%d) hr=%s count=%lu list=%s", (unsigned long)cookie, method,
           (int)OFFLINEFILES_NUM_EVENTS, hr_text(hr, hrbuf, sizeof hrbuf), (unsigned long)count,
           used ? list : "empty");
}

static void read_path_filter(IOfflineFilesEventsFilter *filter, DWORD cookie, fk_sink_view *v)
{
    LPWSTR path = NULL;
    OFFLINEFILES_PATHFILTER_MATCH match = OFFLINEFILES_PATHFILTER_SELF;
    HRESULT hr = IOfflineFilesEventsFilter_GetPathFilter(filter, &path, &match);
    char p8[FK_PATH_BYTES], hrbuf[16];

    v->has_path = FALSE;
    if (SUCCEEDED(hr) && path && path[0] && (int)match >= 0 && match <= OFFLINEFILES_PATHFILTER_SELFORDESCENDENT &&
        wcslen(path) < ARRAYSIZE(v->path)) {
        size_t n = wcslen(path);
        wcscpy(v->path, path);
        /* "\\srv\share\" and "\\srv\share" name the same folder. */
        while (n > 1 && v->path[n - 1] == L'\\')
            v->path[--n] = L'\0';
        v->match = match;
        v->has_path = TRUE;
        fk_log("call cookie=%lu GetPathFilter hr=%s path=%s match=%d", (unsigned long)cookie,
               hr_text(hr, hrbuf, sizeof hrbuf), fk_utf8(v->path, p8, sizeof p8), (int)match);
    } else if (SUCCEEDED(hr)) {
        fk_log("call cookie=%lu GetPathFilter hr=%s path=none (ignored: path '%s', match %d; "
               "empty, too long or an unknown match)",
               (unsigned long)cookie, hr_text(hr, hrbuf, sizeof hrbuf), fk_utf8(path, p8, 200), (int)match);
    } else {
        fk_log("call cookie=%lu GetPathFilter hr=%s path=none", (unsigned long)cookie,
               hr == E_NOTIMPL ? "E_NOTIMPL" : hr_text(hr, hrbuf, sizeof hrbuf));
    }
    if (path)
        CoTaskMemFree(path);
}

static HRESULT STDMETHODCALLTYPE cp_Advise(IConnectionPoint *iface, IUnknown *pUnkSink, DWORD *pdwCookie)
{
    static const IID *const levels[] = {&IID_IOfflineFilesEvents, &IID_IOfflineFilesEvents2,
                                        &IID_IOfflineFilesEvents3, &IID_IOfflineFilesEvents4};
    static const char *const level_names[] = {"IOfflineFilesEvents", "IOfflineFilesEvents2",
                                              "IOfflineFilesEvents3", "IOfflineFilesEvents4"};
    fk_sink_view v;
    IUnknown *best = NULL;
    IOfflineFilesEventsFilter *filter = NULL;
    HRESULT hr;
    DWORD cookie;
    char hrbuf[16];
    int i, slot = -1;

    (void)iface;
    if (!pdwCookie)
        return E_POINTER;
    *pdwCookie = 0;
    if (!pUnkSink)
        return E_POINTER;

    EnterCriticalSection(&sinks_lock);
    cookie = next_cookie++;
    LeaveCriticalSection(&sinks_lock);

    memset(&v, 0, sizeof v);
    v.cookie = cookie;
    fk_log("incoming Advise cookie=%lu", (unsigned long)cookie);

    /* Which methods may be called on this sink: never one of an interface
     * the sink did not answer. */
    for (i = 0; i < 4; i++) {
        IUnknown *unk = NULL;
        hr = IUnknown_QueryInterface(pUnkSink, levels[i], (void **)&unk);
        fk_log("call cookie=%lu QueryInterface(%s) hr=%s", (unsigned long)cookie, level_names[i],
               hr_text(hr, hrbuf, sizeof hrbuf));
        if (SUCCEEDED(hr) && unk) {
            if (best)
                IUnknown_Release(best);
            best = unk;
            v.level = i + 1;
        }
    }
    if (!best) {
        fk_log("advise cookie=%lu refused: sink lacks IOfflineFilesEvents -> CONNECT_E_CANNOTCONNECT",
               (unsigned long)cookie);
        return CONNECT_E_CANNOTCONNECT;
    }
    v.events = (IOfflineFilesEvents *)best; /* every level starts with the IOfflineFilesEvents slots */

    hr = IUnknown_QueryInterface(pUnkSink, &IID_IOfflineFilesEventsFilter, (void **)&filter);
    fk_log("call cookie=%lu QueryInterface(IOfflineFilesEventsFilter) hr=%s", (unsigned long)cookie,
           hr_text(hr, hrbuf, sizeof hrbuf));
    if (SUCCEEDED(hr) && filter) {
        read_event_list(filter, TRUE, cookie, v.include, &v.has_include);
        read_event_list(filter, FALSE, cookie, v.exclude, &v.has_exclude);
        read_path_filter(filter, cookie, &v);
        IOfflineFilesEventsFilter_Release(filter);
    }

    EnterCriticalSection(&sinks_lock);
    for (i = 0; i < FK_MAX_SINKS; i++) {
        if (sinks[i].cookie == 0) {
            slot = i;
            sinks[i] = v;
            break;
        }
    }
    LeaveCriticalSection(&sinks_lock);
    if (slot < 0) {
        IUnknown_Release(best);
        fk_log("advise cookie=%lu refused: %d sinks already -> CONNECT_E_ADVISELIMIT", (unsigned long)cookie,
               FK_MAX_SINKS);
        return CONNECT_E_ADVISELIMIT;
    }
    *pdwCookie = cookie;
    fk_log("advise cookie=%lu level=%d include=%s exclude=%s path=%s sinks=%ld", (unsigned long)cookie, v.level,
           v.has_include ? "list" : "none", v.has_exclude ? "list" : "none", v.has_path ? "yes" : "none",
           fk_obj_sink_count());
    SetEvent(advise_event);
    return S_OK;
}

/* Takes the sink out of the table; returns its interface (to release outside the lock) or NULL. */
static IOfflineFilesEvents *remove_sink(DWORD cookie)
{
    IOfflineFilesEvents *events = NULL;
    int i;
    EnterCriticalSection(&sinks_lock);
    for (i = 0; i < FK_MAX_SINKS; i++) {
        if (cookie != 0 && sinks[i].cookie == cookie) {
            events = sinks[i].events;
            memset(&sinks[i], 0, sizeof sinks[i]);
            break;
        }
    }
    LeaveCriticalSection(&sinks_lock);
    return events;
}

static HRESULT STDMETHODCALLTYPE cp_Unadvise(IConnectionPoint *iface, DWORD dwCookie)
{
    IOfflineFilesEvents *events = remove_sink(dwCookie);
    (void)iface;
    if (!events) {
        fk_log("incoming Unadvise cookie=%lu -> CONNECT_E_NOCONNECTION", (unsigned long)dwCookie);
        return CONNECT_E_NOCONNECTION;
    }
    IOfflineFilesEvents_Release(events);
    fk_log("incoming Unadvise cookie=%lu -> S_OK sinks=%ld", (unsigned long)dwCookie, fk_obj_sink_count());
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cp_EnumConnections(IConnectionPoint *iface, IEnumConnections **ppEnum)
{
    (void)iface;
    if (ppEnum)
        *ppEnum = NULL;
    return not_implemented("EnumConnections");
}

static const IConnectionPointVtbl cp_vtbl = {
    cp_QueryInterface,
    cp_AddRef,
    cp_Release,
    cp_GetConnectionInterface,
    cp_GetConnectionPointContainer,
    cp_Advise,
    cp_Unadvise,
    cp_EnumConnections,
};

/* ------------------------------------------------------- class factory */

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = iface;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *iface)
{
    (void)iface;
    return 2;
}

static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *iface)
{
    (void)iface;
    return 1;
}

static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **ppv)
{
    HRESULT hr;
    (void)iface;
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    hr = cache_QueryInterface(&the_cache.IOfflineFilesCache_iface, riid, ppv);
    fk_log("incoming CreateInstance -> 0x%08lX", (unsigned long)hr);
    return hr;
}

static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface, (void)lock;
    return S_OK;
}

static const IClassFactoryVtbl cf_vtbl = {
    cf_QueryInterface, cf_AddRef, cf_Release, cf_CreateInstance, cf_LockServer,
};

static IClassFactory the_factory = {&cf_vtbl};
static fake_cache the_cache = {{&cache_vtbl}, {&cpc_vtbl}, {&container_vtbl}, 1};
static fake_cp the_cp = {{&cp_vtbl}, 1};

/* ------------------------------------------------------------ exported */

HRESULT fk_obj_register(void)
{
    HRESULT hr;
    InitializeCriticalSection(&sinks_lock);
    advise_event = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (!advise_event)
        return HRESULT_FROM_WIN32(GetLastError());
    hr = CoRegisterClassObject(&CLSID_OfflineFilesCache, (IUnknown *)&the_factory, CLSCTX_LOCAL_SERVER,
                               REGCLS_MULTIPLEUSE, &class_cookie);
    return hr;
}

void fk_obj_revoke(void)
{
    if (class_cookie)
        CoRevokeClassObject(class_cookie);
    class_cookie = 0;
}

LONG fk_obj_sink_count(void)
{
    LONG n = 0;
    int i;
    EnterCriticalSection(&sinks_lock);
    for (i = 0; i < FK_MAX_SINKS; i++)
        n += sinks[i].cookie != 0;
    LeaveCriticalSection(&sinks_lock);
    return n;
}

HANDLE fk_obj_advise_event(void)
{
    return advise_event;
}

int fk_obj_get(fk_sink_view *out, int cap)
{
    int i, n = 0;
    EnterCriticalSection(&sinks_lock);
    for (i = 0; i < FK_MAX_SINKS && n < cap; i++) {
        if (sinks[i].cookie != 0) {
            out[n] = sinks[i];
            IOfflineFilesEvents_AddRef(out[n].events);
            n++;
        }
    }
    LeaveCriticalSection(&sinks_lock);
    /* Slots are reused, so sort by cookie to deliver in subscription order. */
    for (i = 1; i < n; i++) {
        fk_sink_view t = out[i];
        int j = i;
        while (j > 0 && out[j - 1].cookie > t.cookie) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = t;
    }
    return n;
}

void fk_obj_put(fk_sink_view *views, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        IOfflineFilesEvents_Release(views[i].events);
        views[i].events = NULL;
    }
}

void fk_obj_drop(DWORD cookie, HRESULT why)
{
    IOfflineFilesEvents *events = remove_sink(cookie);
    if (!events)
        return;
    fk_log("drop cookie=%lu hr=0x%08lX (sink unreachable) sinks=%ld", (unsigned long)cookie, (unsigned long)why,
           fk_obj_sink_count());
    IOfflineFilesEvents_Release(events);
}
