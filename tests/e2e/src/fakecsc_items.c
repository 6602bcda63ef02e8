/* e2e: the items of the fake Offline Files cache.
 *
 * The real cache answers IOfflineFilesItemContainer, and EnumItems on it
 * lists the server entries of the cache (docs of EnumItems), each an
 * IOfflineFilesItem that also answers IOfflineFilesServerItem. The fake
 * lists the servers of its configuration (sync-servers N: \\fs01 ...).
 * Enumerators and items are heap objects with real reference counts: they
 * cross to the app through marshalling and the app releases them there.
 * Every call a client makes on them is logged ("incoming ..."). */
#include "fakecsc.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- item */

typedef struct fake_item {
    IOfflineFilesItem IOfflineFilesItem_iface;
    LONG refs;
    WCHAR path[FK_PATH_MAX];
} fake_item;

static fake_item *impl_from_IOfflineFilesItem(IOfflineFilesItem *iface)
{
    return CONTAINING_RECORD(iface, fake_item, IOfflineFilesItem_iface);
}

static HRESULT STDMETHODCALLTYPE item_QueryInterface(IOfflineFilesItem *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesItem) ||
        IsEqualIID(riid, &IID_IOfflineFilesServerItem)) {
        *ppv = iface;
        IOfflineFilesItem_AddRef(iface);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
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
    char p8[FK_PATH_BYTES];
    if (!type)
        return E_POINTER;
    *type = OFFLINEFILES_ITEM_TYPE_SERVER;
    fk_log("incoming GetItemType(%s) -> SERVER", fk_utf8(impl_from_IOfflineFilesItem(iface)->path, p8, sizeof p8));
    return S_OK;
}

/* The path is allocated with CoTaskMemAlloc: the caller frees it. */
static HRESULT STDMETHODCALLTYPE item_GetPath(IOfflineFilesItem *iface, LPWSTR *path)
{
    fake_item *This = impl_from_IOfflineFilesItem(iface);
    size_t bytes = (wcslen(This->path) + 1) * sizeof(WCHAR);
    char p8[FK_PATH_BYTES];
    if (!path)
        return E_POINTER;
    *path = CoTaskMemAlloc(bytes);
    if (!*path)
        return E_OUTOFMEMORY;
    memcpy(*path, This->path, bytes);
    fk_log("incoming GetPath -> %s", fk_utf8(This->path, p8, sizeof p8));
    return S_OK;
}

/* A server is the top of the cache: it has no parent. */
static HRESULT STDMETHODCALLTYPE item_GetParentItem(IOfflineFilesItem *iface, IOfflineFilesItem **parent)
{
    (void)iface;
    if (!parent)
        return E_POINTER;
    *parent = NULL;
    fk_log("incoming GetParentItem -> S_FALSE (a server has none)");
    return S_FALSE;
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

static IOfflineFilesItem *new_server_item(unsigned i)
{
    fake_item *item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*item));
    if (!item)
        return NULL;
    item->IOfflineFilesItem_iface.lpVtbl = (IOfflineFilesItemVtbl *)&item_vtbl;
    item->refs = 1;
    fk_sync_server_path(i, item->path, ARRAYSIZE(item->path));
    return &item->IOfflineFilesItem_iface;
}

/* ---------------------------------------------------------- enumerator */

typedef struct fake_enum {
    IEnumOfflineFilesItems IEnumOfflineFilesItems_iface;
    LONG refs;
    CRITICAL_SECTION lock; /* Next may come on any RPC thread */
    unsigned count;        /* servers listed, fixed when the enumerator was made */
    unsigned next;
} fake_enum;

static fake_enum *impl_from_IEnumOfflineFilesItems(IEnumOfflineFilesItems *iface)
{
    return CONTAINING_RECORD(iface, fake_enum, IEnumOfflineFilesItems_iface);
}

static HRESULT new_enum(unsigned count, unsigned next, IEnumOfflineFilesItems **out);

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
        DeleteCriticalSection(&This->lock);
        HeapFree(GetProcessHeap(), 0, This);
        fk_log("incoming Release of the server enumerator: freed");
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
        items[n] = new_server_item(This->next);
        if (!items[n])
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
    return new_enum(This->count, next, out);
}

static const IEnumOfflineFilesItemsVtbl enum_vtbl = {
    enum_QueryInterface, enum_AddRef, enum_Release, enum_Next, enum_Skip, enum_Reset, enum_Clone,
};

static HRESULT new_enum(unsigned count, unsigned next, IEnumOfflineFilesItems **out)
{
    fake_enum *e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e));
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumOfflineFilesItems_iface.lpVtbl = (IEnumOfflineFilesItemsVtbl *)&enum_vtbl;
    e->refs = 1;
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
    hr = new_enum(cfg.servers, 0, out);
    fk_log("incoming EnumItems(0x%08lX) -> 0x%08lX servers=%u", (unsigned long)query_flags, (unsigned long)hr,
           cfg.servers);
    return hr;
}
