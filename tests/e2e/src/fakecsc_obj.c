/* e2e: the COM objects of the fake Offline Files service.
 *
 * One cache object per process, like the real service: every client that
 * creates CLSID_OfflineFilesCache gets the same object, so every sink sees
 * the same events. It answers IOfflineFilesCache (Synchronize is
 * fakecsc_sync.c's, the other methods E_NOTIMPL), IOfflineFilesItemContainer
 * (EnumItems lists the servers, fakecsc_items.c) and
 * IConnectionPointContainer with one connection point per
 * IOfflineFilesEventsN (or only the first, to play an old service). Advise
 * follows cscobj.dll's CConnectionPoint::Advise and cscsvc.dll's
 * EventDispatcher_RegisterConnection (reference §5.1); delivery is
 * fakecsc_fire.c's. The objects are static and live as long as the process:
 * reference counts are kept only so clients behave as with a real object.
 * The class object is tests/fakecom's, shared with the Windows tests. */
#include "fakecsc.h"
#include "fakecom.h"

#include <stdio.h>
#include <string.h>

static DWORD class_cookie;
/* The highest connection point level this process offers (FK_OFFER_KEY). */
static int highest_offered = FK_LEVELS;

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

/* One per IOfflineFilesEventsN, like cscobj.dll's CConnectionPoint. */
typedef struct fake_cp {
    IConnectionPoint IConnectionPoint_iface;
    LONG refs;
    int level;
} fake_cp;

static fake_cache the_cache;
static fake_cp the_cps[FK_LEVELS];

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
    const char *name = "?";
    int level;
    (void)iface;
    if (!ppCP)
        return E_POINTER;
    *ppCP = NULL;
    if (!riid)
        return E_POINTER;
    StringFromGUID2(riid, iid, 40);
    fk_utf8(iid, iid8, sizeof iid8);
    for (level = 1; level <= FK_LEVELS; level++) {
        if (!IsEqualIID(riid, fk_level_iid(level)))
            continue;
        name = fk_level_name(level);
        if (level > highest_offered)
            break; /* a service older than this interface */
        *ppCP = &the_cps[level - 1].IConnectionPoint_iface;
        IConnectionPoint_AddRef(*ppCP);
        fk_log("incoming FindConnectionPoint(%s %s) -> S_OK", name, iid8);
        return S_OK;
    }
    fk_log("incoming FindConnectionPoint(%s %s) -> CONNECT_E_NOCONNECTION", name, iid8);
    return CONNECT_E_NOCONNECTION;
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
    if (!pIID)
        return E_POINTER;
    *pIID = *fk_level_iid(impl_from_IConnectionPoint(iface)->level);
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

/* One event list of the filter into bits[]. S_OK with the list, S_FALSE for
 * "no list" (E_NOTIMPL, as the docs allow), or the failure that fails Advise. */
static HRESULT read_event_list(IOfflineFilesEventsFilter *filter, BOOL included, DWORD cookie, BYTE *bits)
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
    if (hr == E_NOTIMPL) {
        fk_log("call cookie=%lu %s(%d) hr=E_NOTIMPL list=none", (unsigned long)cookie, method,
               (int)OFFLINEFILES_NUM_EVENTS);
        return S_FALSE;
    }
    if (SUCCEEDED(hr) && count > OFFLINEFILES_NUM_EVENTS)
        hr = E_INVALIDARG; /* more events than it was given room for */
    if (FAILED(hr)) {
        fk_log("call cookie=%lu %s(%d) hr=%s count=%lu: the filter failed", (unsigned long)cookie, method,
               (int)OFFLINEFILES_NUM_EVENTS, hr_text(hr, hrbuf, sizeof hrbuf), (unsigned long)count);
        return hr;
    }
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
    return S_OK;
}

/* The path filter into spec; S_OK (with or without a path) or the failure. */
static HRESULT read_path_filter(IOfflineFilesEventsFilter *filter, fk_conn_spec *spec)
{
    LPWSTR path = NULL;
    OFFLINEFILES_PATHFILTER_MATCH match = OFFLINEFILES_PATHFILTER_SELF;
    HRESULT hr = IOfflineFilesEventsFilter_GetPathFilter(filter, &path, &match);
    unsigned long cookie = spec->cookie;
    char p8[FK_PATH_BYTES], hrbuf[16];

    spec->has_path = FALSE;
    if (SUCCEEDED(hr) && path && path[0] && (int)match >= 0 && match <= OFFLINEFILES_PATHFILTER_SELFORDESCENDENT &&
        wcslen(path) < ARRAYSIZE(spec->path)) {
        size_t n = wcslen(path);
        wcscpy(spec->path, path);
        /* "\\srv\share\" and "\\srv\share" name the same folder. */
        while (n > 1 && spec->path[n - 1] == L'\\')
            spec->path[--n] = L'\0';
        spec->match = match;
        spec->has_path = TRUE;
        fk_log("call cookie=%lu GetPathFilter hr=%s path=%s match=%d", cookie, hr_text(hr, hrbuf, sizeof hrbuf),
               fk_utf8(spec->path, p8, sizeof p8), (int)match);
    } else if (SUCCEEDED(hr)) {
        fk_log("call cookie=%lu GetPathFilter hr=%s path=none (ignored: path '%s', match %d; "
               "empty, too long or an unknown match)",
               cookie, hr_text(hr, hrbuf, sizeof hrbuf), fk_utf8(path, p8, 200), (int)match);
    } else if (hr == E_NOTIMPL) {
        fk_log("call cookie=%lu GetPathFilter hr=E_NOTIMPL path=none", cookie);
        hr = S_OK;
    } else {
        fk_log("call cookie=%lu GetPathFilter hr=%s: the filter failed", cookie, hr_text(hr, hrbuf, sizeof hrbuf));
    }
    if (path)
        CoTaskMemFree(path);
    return hr;
}

/* EventDispatcher_GetEventFilters and what RegisterConnection makes of it:
 * which events the subscription gets, and why not the others. */
static HRESULT register_events(IUnknown *sink, fk_conn_spec *spec, char *summary, size_t cap)
{
    IOfflineFilesEventsFilter *filter = NULL;
    BYTE include[OFFLINEFILES_NUM_EVENTS] = {0}, exclude[OFFLINEFILES_NUM_EVENTS] = {0};
    HRESULT hr, inc = S_FALSE, exc = S_FALSE;
    char hrbuf[16];
    size_t used = 0;
    int code;

    hr = IUnknown_QueryInterface(sink, &IID_IOfflineFilesEventsFilter, (void **)&filter);
    fk_log("call cookie=%lu QueryInterface(IOfflineFilesEventsFilter) hr=%s", (unsigned long)spec->cookie,
           hr_text(hr, hrbuf, sizeof hrbuf));
    if (SUCCEEDED(hr) && filter) {
        /* A sink without a filter gets everything; one whose filter fails, nothing. */
        inc = read_event_list(filter, TRUE, spec->cookie, include);
        exc = SUCCEEDED(inc) ? read_event_list(filter, FALSE, spec->cookie, exclude) : S_OK;
        hr = SUCCEEDED(inc) && SUCCEEDED(exc) ? read_path_filter(filter, spec) : S_OK;
        IOfflineFilesEventsFilter_Release(filter);
        if (FAILED(inc))
            return inc;
        if (FAILED(exc))
            return exc;
        if (FAILED(hr))
            return hr;
    }
    summary[0] = '\0';
    for (code = 0; code < OFFLINEFILES_NUM_EVENTS; code++) {
        BOOL always = code == OFFLINEFILES_EVENT_DATALOST || code == OFFLINEFILES_EVENT_PING;
        if (!always && exc == S_OK && exclude[code])
            spec->decline[code] = FK_DECLINE_EXCLUDED;
        else if (!always && inc == S_OK && !include[code])
            spec->decline[code] = FK_DECLINE_NOT_INCLUDED;
        else if (fk_event_level(code) > spec->level)
            spec->decline[code] = FK_DECLINE_LEVEL;
        else {
            int w;
            spec->decline[code] = FK_DELIVER;
            w = snprintf(summary + used, cap - used, "%s%d", used ? "," : "", code);
            if (w > 0 && (size_t)w < cap - used)
                used += (size_t)w;
        }
    }
    return S_OK;
}

/* EventDispatcher_RegisterEventSink: the sink's IOfflineFilesEvents, and
 * ...2 to ...N up to the connection point's level; each one must be there. */
static HRESULT take_interfaces(IUnknown *sink, fk_conn_spec *spec, int *missing)
{
    char hrbuf[16];
    int level;
    for (level = 1; level <= spec->level; level++) {
        HRESULT hr = IUnknown_QueryInterface(sink, fk_level_iid(level), (void **)&spec->iface[level - 1]);
        fk_log("call cookie=%lu QueryInterface(%s) hr=%s", (unsigned long)spec->cookie, fk_level_name(level),
               hr_text(hr, hrbuf, sizeof hrbuf));
        if (FAILED(hr) || !spec->iface[level - 1]) {
            spec->iface[level - 1] = NULL;
            *missing = level;
            return FAILED(hr) ? hr : E_POINTER;
        }
    }
    return S_OK;
}

static void release_interfaces(fk_conn_spec *spec)
{
    int i;
    for (i = 0; i < FK_LEVELS; i++) {
        if (spec->iface[i])
            IOfflineFilesEvents_Release(spec->iface[i]);
        spec->iface[i] = NULL;
    }
}

static DWORD read_dword(const WCHAR *name)
{
    DWORD value = 0, size = sizeof value;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, FK_OFFER_KEY, name, RRF_RT_REG_DWORD, NULL, &value, &size) != ERROR_SUCCESS)
        return 0;
    return value;
}

/* fakectl advise-pass (fakecsc.h): a whole pass to the new subscription
 * while its Advise has not yet returned, then the return held back. */
static void advise_pass(DWORD cookie)
{
    DWORD flags = read_dword(FK_ADVISE_PASS_VALUE), hold = read_dword(FK_ADVISE_HOLD_VALUE);
    fk_event ev = {.code = OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN, .flags = flags};
    fk_fire_stats stats = {0};
    if (!flags)
        return;
    if (hold > SCN_SLEEP_MAX_MS)
        hold = SCN_SLEEP_MAX_MS;
    fk_log("advise cookie=%lu delivers pass 0x%08lX before it returns, then holds %lu ms", (unsigned long)cookie,
           (unsigned long)flags, (unsigned long)hold);
    fk_fire(&ev, &stats);
    ev.code = OFFLINEFILES_EVENT_BACKGROUNDSYNCEND;
    fk_fire(&ev, &stats);
    Sleep(hold);
    fk_log("advise cookie=%lu returns", (unsigned long)cookie);
}

/* CConnectionPoint::Advise, then EventDispatcher_RegisterConnection, in
 * their order: the sink must answer this point's IID; its filter is read
 * (a failure fails Advise); it is asked for every level up to this one;
 * then it is registered for the events its filter includes and this level
 * carries, and gets a cookie even if that is none but Ping and DataLost. */
static HRESULT STDMETHODCALLTYPE cp_Advise(IConnectionPoint *iface, IUnknown *pUnkSink, DWORD *pdwCookie)
{
    fake_cp *This = impl_from_IConnectionPoint(iface);
    fk_conn_spec spec;
    IUnknown *unk = NULL;
    WCHAR iid[40];
    char iid8[40], hrbuf[16], summary[OFFLINEFILES_NUM_EVENTS * 4 + 8];
    int missing = 0;
    HRESULT hr;

    if (!pdwCookie)
        return E_POINTER;
    *pdwCookie = 0;
    if (!pUnkSink)
        return E_POINTER;

    memset(&spec, 0, sizeof spec);
    spec.cookie = fk_conn_new_cookie();
    spec.level = This->level;
    StringFromGUID2(fk_level_iid(This->level), iid, ARRAYSIZE(iid));
    fk_log("incoming Advise cp=%s %s cookie=%lu", fk_level_name(This->level), fk_utf8(iid, iid8, sizeof iid8),
           (unsigned long)spec.cookie);

    hr = IUnknown_QueryInterface(pUnkSink, fk_level_iid(This->level), (void **)&unk);
    fk_log("call cookie=%lu QueryInterface(%s) hr=%s", (unsigned long)spec.cookie, fk_level_name(This->level),
           hr_text(hr, hrbuf, sizeof hrbuf));
    if (unk)
        IUnknown_Release(unk);
    if (FAILED(hr)) {
        if (hr == E_NOINTERFACE)
            hr = CONNECT_E_CANNOTCONNECT;
        fk_log("advise cookie=%lu refused: the sink does not answer %s -> %s", (unsigned long)spec.cookie,
               fk_level_name(This->level), hr_text(hr, hrbuf, sizeof hrbuf));
        return hr;
    }

    hr = register_events(pUnkSink, &spec, summary, sizeof summary);
    if (FAILED(hr)) {
        fk_log("advise cookie=%lu refused: its event filter failed -> %s", (unsigned long)spec.cookie,
               hr_text(hr, hrbuf, sizeof hrbuf));
        return hr;
    }
    hr = take_interfaces(pUnkSink, &spec, &missing);
    if (FAILED(hr)) {
        release_interfaces(&spec);
        fk_log("advise cookie=%lu refused: the sink lacks %s -> %s", (unsigned long)spec.cookie,
               fk_level_name(missing), hr_text(hr, hrbuf, sizeof hrbuf));
        return hr;
    }
    hr = fk_conn_add(&spec);
    if (FAILED(hr)) {
        fk_log("advise cookie=%lu refused: %s -> %s", (unsigned long)spec.cookie,
               hr == CONNECT_E_ADVISELIMIT ? "too many subscriptions" : "no delivery thread",
               hr_text(hr, hrbuf, sizeof hrbuf));
        return hr;
    }
    *pdwCookie = spec.cookie;
    fk_log("advise cookie=%lu level=%d cp=%s path=%s registered=%s sinks=%ld", (unsigned long)spec.cookie,
           spec.level, fk_level_name(spec.level), spec.has_path ? "yes" : "none", summary, fk_conn_count());
    /* Only now: a waiter (fakectl's restart) logs at once, and two processes
     * appending to the log at the same instant can lose a line under Wine. */
    SetEvent(fk_conn_advise_event());
    advise_pass(spec.cookie);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE cp_Unadvise(IConnectionPoint *iface, DWORD dwCookie)
{
    fake_cp *This = impl_from_IConnectionPoint(iface);
    if (!fk_conn_remove(dwCookie, This->level)) {
        fk_log("incoming Unadvise cookie=%lu -> CONNECT_E_NOCONNECTION (cp=%s)", (unsigned long)dwCookie,
               fk_level_name(This->level));
        return CONNECT_E_NOCONNECTION;
    }
    fk_log("incoming Unadvise cookie=%lu -> S_OK sinks=%ld (cp=%s)", (unsigned long)dwCookie, fk_conn_count(),
           fk_level_name(This->level));
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

static void log_created(HRESULT hr)
{
    fk_log("incoming CreateInstance -> 0x%08lX", (unsigned long)hr);
}

static fakecom_factory the_factory;
static fake_cache the_cache = {{&cache_vtbl}, {&cpc_vtbl}, {&container_vtbl}, 1};
static fake_cp the_cps[FK_LEVELS] = {
    {{&cp_vtbl}, 1, 1},
    {{&cp_vtbl}, 1, 2},
    {{&cp_vtbl}, 1, 3},
    {{&cp_vtbl}, 1, 4},
};

/* ------------------------------------------------------------ exported */

/* fakectl's word on which points this process offers; all four without it. */
static int read_highest_offered(void)
{
    DWORD value = FK_LEVELS, size = sizeof value;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, FK_OFFER_KEY, FK_OFFER_VALUE, RRF_RT_REG_DWORD, NULL, &value, &size) !=
            ERROR_SUCCESS ||
        value < 1 || value > FK_LEVELS)
        value = FK_LEVELS;
    return (int)value;
}

HRESULT fk_obj_register(void)
{
    highest_offered = read_highest_offered();
    fk_log("start: connection points offered: %s up to %s", fk_level_name(1), fk_level_name(highest_offered));
    fakecom_factory_init(&the_factory, (IUnknown *)&the_cache.IOfflineFilesCache_iface, log_created);
    return fakecom_factory_register(&the_factory, &CLSID_OfflineFilesCache, CLSCTX_LOCAL_SERVER, &class_cookie);
}

void fk_obj_revoke(void)
{
    if (class_cookie)
        CoRevokeClassObject(class_cookie);
    class_cookie = 0;
}
