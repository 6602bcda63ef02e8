/* e2e: the items of the fake Offline Files cache.
 *
 * The real cache answers IOfflineFilesItemContainer, and EnumItems on it
 * lists the server entries of the cache (docs of EnumItems); "server, share,
 * and directory entries" answer IOfflineFilesItemContainer too, and list
 * their immediate children. The fake lists the servers of its configuration
 * (sync-servers N: \\fs01 ...), each server the shares \projects and \home,
 * and a share nothing (the fake keeps no directories). Every item answers
 * IOfflineFilesItem and the interface of its type (IOfflineFilesServerItem,
 * IOfflineFilesShareItem).
 * Enumerators and items are heap objects with real reference counts: they
 * cross to the app through marshalling and the app releases them there.
 * Every call a client makes on them is logged ("incoming ..."). */
#include "fakecsc.h"
#include "fakecom.h"

#include <stdio.h>
#include <string.h>

/* The shares every server of the fake has, in the order EnumItems lists them. */
static const WCHAR *const share_names[] = {L"projects", L"home"};

/* ---------------------------------------------------------------- item */

typedef struct fake_item {
    IOfflineFilesItem IOfflineFilesItem_iface;
    IOfflineFilesItemContainer IOfflineFilesItemContainer_iface;
    LONG refs;
    OFFLINEFILES_ITEM_TYPE type; /* SERVER or SHARE */
    unsigned server;             /* 0-based number of the server (of the share's server) */
    WCHAR path[FK_PATH_MAX];
} fake_item;

static HRESULT new_item(OFFLINEFILES_ITEM_TYPE type, unsigned server, unsigned share, IOfflineFilesItem **out);
static HRESULT new_enum(OFFLINEFILES_ITEM_TYPE kind, unsigned server, unsigned count, unsigned next,
                        IEnumOfflineFilesItems **out);

static const char *type_name(OFFLINEFILES_ITEM_TYPE type)
{
    return type == OFFLINEFILES_ITEM_TYPE_SERVER ? "SERVER" : "SHARE";
}

static fake_item *impl_from_IOfflineFilesItem(IOfflineFilesItem *iface)
{
    return CONTAINING_RECORD(iface, fake_item, IOfflineFilesItem_iface);
}

static fake_item *impl_from_IOfflineFilesItemContainer(IOfflineFilesItemContainer *iface)
{
    return CONTAINING_RECORD(iface, fake_item, IOfflineFilesItemContainer_iface);
}

static HRESULT STDMETHODCALLTYPE item_QueryInterface(IOfflineFilesItem *iface, REFIID riid, void **ppv)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesItem) ||
        (This->type == OFFLINEFILES_ITEM_TYPE_SERVER && IsEqualIID(riid, &IID_IOfflineFilesServerItem)) ||
        (This->type == OFFLINEFILES_ITEM_TYPE_SHARE && IsEqualIID(riid, &IID_IOfflineFilesShareItem))) {
        *ppv = iface;
    } else if (IsEqualIID(riid, &IID_IOfflineFilesItemContainer)) {
        *ppv = &This->IOfflineFilesItemContainer_iface;
    } else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    IOfflineFilesItem_AddRef(iface);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE item_AddRef(IOfflineFilesItem *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IOfflineFilesItem(iface)->refs);
}

static ULONG STDMETHODCALLTYPE item_Release(IOfflineFilesItem *iface)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    LONG refs = InterlockedDecrement(&This->refs);
    if (refs == 0)
        HeapFree(GetProcessHeap(), 0, This);
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE item_GetItemType(IOfflineFilesItem *iface, OFFLINEFILES_ITEM_TYPE *type)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    char p8[FK_PATH_BYTES];
    if (!type)
        return E_POINTER;
    *type = This->type;
    fk_log("incoming GetItemType(%s) -> %s", fk_utf8(This->path, p8, sizeof p8), type_name(This->type));
    return S_OK;
}

/* The path is allocated with CoTaskMemAlloc: the caller frees it. */
static HRESULT STDMETHODCALLTYPE item_GetPath(IOfflineFilesItem *iface, LPWSTR *path)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    char p8[FK_PATH_BYTES];
    HRESULT hr = fakecom_strdup(This->path, path);
    if (FAILED(hr))
        return hr;
    fk_log("incoming GetPath -> %s", fk_utf8(This->path, p8, sizeof p8));
    return S_OK;
}

/* A server is the top of the cache: it has no parent; a share's is its server. */
static HRESULT STDMETHODCALLTYPE item_GetParentItem(IOfflineFilesItem *iface, IOfflineFilesItem **parent)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    HRESULT hr;
    if (!parent)
        return E_POINTER;
    *parent = NULL;
    if (This->type == OFFLINEFILES_ITEM_TYPE_SERVER) {
        fk_log("incoming GetParentItem -> S_FALSE (a server has none)");
        return S_FALSE;
    }
    hr = new_item(OFFLINEFILES_ITEM_TYPE_SERVER, This->server, 0, parent);
    fk_log("incoming GetParentItem -> 0x%08lX (the share's server)", (unsigned long)hr);
    return hr;
}

static HRESULT STDMETHODCALLTYPE item_Refresh(IOfflineFilesItem *iface, DWORD query_flags)
{
    (void)iface;
    fk_log("incoming Refresh(0x%08lX) -> S_OK", (unsigned long)query_flags);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE item_IsMarkedForDeletion(IOfflineFilesItem *iface, BOOL *marked)
{
    (void)iface;
    if (!marked)
        return E_POINTER;
    *marked = FALSE;
    return S_OK;
}

static const IOfflineFilesItemVtbl item_vtbl = {
    item_QueryInterface, item_AddRef, item_Release, item_GetItemType,
    item_GetPath,        item_GetParentItem, item_Refresh, item_IsMarkedForDeletion,
};

static HRESULT STDMETHODCALLTYPE container_QueryInterface(IOfflineFilesItemContainer *iface, REFIID riid,
                                                          void **ppv)
{
    return item_QueryInterface(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesItem_iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE container_AddRef(IOfflineFilesItemContainer *iface)
{
    return item_AddRef(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesItem_iface);
}

static ULONG STDMETHODCALLTYPE container_Release(IOfflineFilesItemContainer *iface)
{
    return item_Release(&impl_from_IOfflineFilesItemContainer(iface)->IOfflineFilesItem_iface);
}

/* A server's children are its shares; a share of the fake has none. */
static HRESULT STDMETHODCALLTYPE container_EnumItems(IOfflineFilesItemContainer *iface, DWORD query_flags,
                                                     IEnumOfflineFilesItems **out)
{
    fake_item *This = impl_from_IOfflineFilesItemContainer(iface);
    unsigned count = This->type == OFFLINEFILES_ITEM_TYPE_SERVER ? ARRAYSIZE(share_names) : 0;
    char p8[FK_PATH_BYTES];
    HRESULT hr;
    if (!out)
        return E_POINTER;
    hr = new_enum(OFFLINEFILES_ITEM_TYPE_SHARE, This->server, count, 0, out);
    fk_log("incoming EnumItems(0x%08lX) on %s -> 0x%08lX children=%u", (unsigned long)query_flags,
           fk_utf8(This->path, p8, sizeof p8), (unsigned long)hr, count);
    return hr;
}

static HRESULT STDMETHODCALLTYPE container_EnumItemsEx(IOfflineFilesItemContainer *iface,
                                                       IOfflineFilesItemFilter *include_files,
                                                       IOfflineFilesItemFilter *include_dirs,
                                                       IOfflineFilesItemFilter *exclude_files,
                                                       IOfflineFilesItemFilter *exclude_dirs, DWORD enum_flags,
                                                       DWORD query_flags, IEnumOfflineFilesItems **out)
{
    (void)iface, (void)include_files, (void)include_dirs, (void)exclude_files, (void)exclude_dirs;
    (void)enum_flags, (void)query_flags;
    if (out)
        *out = NULL;
    fk_log("incoming EnumItemsEx -> E_NOTIMPL");
    return E_NOTIMPL;
}

static const IOfflineFilesItemContainerVtbl container_vtbl = {
    container_QueryInterface, container_AddRef,      container_Release,
    container_EnumItems,      container_EnumItemsEx,
};

static HRESULT new_item(OFFLINEFILES_ITEM_TYPE type, unsigned server, unsigned share, IOfflineFilesItem **out)
{
    fake_item *item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*item));
    *out = NULL;
    if (!item)
        return E_OUTOFMEMORY;
    item->IOfflineFilesItem_iface.lpVtbl = (IOfflineFilesItemVtbl *)&item_vtbl;
    item->IOfflineFilesItemContainer_iface.lpVtbl = (IOfflineFilesItemContainerVtbl *)&container_vtbl;
    item->refs = 1;
    item->type = type;
    item->server = server;
    fk_sync_server_path(server, item->path, ARRAYSIZE(item->path));
    if (type == OFFLINEFILES_ITEM_TYPE_SHARE) {
        size_t used = wcslen(item->path);
        _snwprintf(item->path + used, ARRAYSIZE(item->path) - used, L"\\%s", share_names[share]);
        item->path[ARRAYSIZE(item->path) - 1] = 0;
    }
    *out = &item->IOfflineFilesItem_iface;
    return S_OK;
}

/* ---------------------------------------------------------- enumerator */

typedef struct fake_enum {
    IEnumOfflineFilesItems IEnumOfflineFilesItems_iface;
    LONG refs;
    CRITICAL_SECTION lock;       /* Next may come on any RPC thread */
    OFFLINEFILES_ITEM_TYPE kind; /* SERVER: the cache's servers; SHARE: one server's shares */
    unsigned server;             /* SHARE: whose */
    unsigned count;              /* items listed, fixed when the enumerator was made */
    unsigned next;
} fake_enum;

static fake_enum *impl_from_IEnumOfflineFilesItems(IEnumOfflineFilesItems *iface)
{
    return CONTAINING_RECORD(iface, fake_enum, IEnumOfflineFilesItems_iface);
}

static HRESULT STDMETHODCALLTYPE enum_QueryInterface(IEnumOfflineFilesItems *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumOfflineFilesItems)) {
        *ppv = iface;
        IEnumOfflineFilesItems_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enum_AddRef(IEnumOfflineFilesItems *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IEnumOfflineFilesItems(iface)->refs);
}

static ULONG STDMETHODCALLTYPE enum_Release(IEnumOfflineFilesItems *iface)
{
    fake_enum *This = impl_from_IEnumOfflineFilesItems(iface);
    LONG refs = InterlockedDecrement(&This->refs);
    if (refs == 0) {
        fk_log("incoming Release of the %s enumerator: freed",
               This->kind == OFFLINEFILES_ITEM_TYPE_SERVER ? "server" : "share");
        DeleteCriticalSection(&This->lock);
        HeapFree(GetProcessHeap(), 0, This);
    }
    return (ULONG)refs;
}

/* S_OK when celt items came, S_FALSE when fewer (the end), as the docs say. */
static HRESULT STDMETHODCALLTYPE enum_Next(IEnumOfflineFilesItems *iface, ULONG celt, IOfflineFilesItem **items,
                                           ULONG *fetched)
{
    fake_enum *This = impl_from_IEnumOfflineFilesItems(iface);
    ULONG n = 0;
    HRESULT hr;
    if (!items || (!fetched && celt != 1))
        return E_POINTER;
    EnterCriticalSection(&This->lock);
    while (n < celt && This->next < This->count) {
        BOOL servers = This->kind == OFFLINEFILES_ITEM_TYPE_SERVER;
        if (FAILED(new_item(This->kind, servers ? This->next : This->server, servers ? 0 : This->next, &items[n])))
            break;
        n++;
        This->next++;
    }
    LeaveCriticalSection(&This->lock);
    if (fetched)
        *fetched = n;
    hr = n == celt ? S_OK : S_FALSE;
    fk_log("incoming Next(%lu) -> %s fetched=%lu", (unsigned long)celt, hr == S_OK ? "S_OK" : "S_FALSE",
           (unsigned long)n);
    return hr;
}

static HRESULT STDMETHODCALLTYPE enum_Skip(IEnumOfflineFilesItems *iface, ULONG celt)
{
    fake_enum *This = impl_from_IEnumOfflineFilesItems(iface);
    HRESULT hr;
    EnterCriticalSection(&This->lock);
    hr = This->count - This->next >= celt ? S_OK : S_FALSE;
    This->next = hr == S_OK ? This->next + (unsigned)celt : This->count;
    LeaveCriticalSection(&This->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE enum_Reset(IEnumOfflineFilesItems *iface)
{
    fake_enum *This = impl_from_IEnumOfflineFilesItems(iface);
    EnterCriticalSection(&This->lock);
    This->next = 0;
    LeaveCriticalSection(&This->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE enum_Clone(IEnumOfflineFilesItems *iface, IEnumOfflineFilesItems **out)
{
    fake_enum *This = impl_from_IEnumOfflineFilesItems(iface);
    unsigned next;
    if (!out)
        return E_POINTER;
    EnterCriticalSection(&This->lock);
    next = This->next;
    LeaveCriticalSection(&This->lock);
    return new_enum(This->kind, This->server, This->count, next, out);
}

static const IEnumOfflineFilesItemsVtbl enum_vtbl = {
    enum_QueryInterface, enum_AddRef, enum_Release, enum_Next, enum_Skip, enum_Reset, enum_Clone,
};

static HRESULT new_enum(OFFLINEFILES_ITEM_TYPE kind, unsigned server, unsigned count, unsigned next,
                        IEnumOfflineFilesItems **out)
{
    fake_enum *e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e));
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumOfflineFilesItems_iface.lpVtbl = (IEnumOfflineFilesItemsVtbl *)&enum_vtbl;
    e->refs = 1;
    e->kind = kind;
    e->server = server;
    e->count = count;
    e->next = next;
    InitializeCriticalSection(&e->lock);
    *out = &e->IEnumOfflineFilesItems_iface;
    return S_OK;
}

HRESULT fk_items_enum_servers(DWORD query_flags, IEnumOfflineFilesItems **out)
{
    fk_sync_config cfg = fk_sync_get_config();
    HRESULT hr;
    if (!out)
        return E_POINTER;
    hr = new_enum(OFFLINEFILES_ITEM_TYPE_SERVER, 0, cfg.servers, 0, out);
    fk_log("incoming EnumItems(0x%08lX) -> 0x%08lX servers=%u", (unsigned long)query_flags, (unsigned long)hr,
           cfg.servers);
    return hr;
}
