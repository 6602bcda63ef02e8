/* The Offline Files event sink (src/app/sink.c) as the service sees it:
 * COM identity and reference counts, every one of the 42 vtable slots called
 * by number with its real signature, what each call posts to the app window
 * (kind, payload, nothing for the events ofnotify ignores), what happens when
 * posting is impossible, the event filter, and a call that crosses
 * apartments through real COM marshalling (see "across apartments" for
 * the proxy/stub it needs).
 *
 * The service reaches the sink only through its vtables, so the tests do the
 * same, by slot number wherever the slot matters: a method in the wrong slot
 * would be called for the wrong event with no error at run time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <windows.h>
#include <objbase.h>
#include <ocidl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../../src/app/messages.h"
#include "../../src/app/postkey.h"
#include "offlinefiles.h"
#include "../../src/app/sink.h"
#include "support/apartment.h"
#include "support/heapuse.h"
#include "support/pump.h"
#include "support/buildfiles.h"

#define EVENTS_SLOTS 42 /* IOfflineFilesEvents4: 3 of IUnknown + 39 event methods */
#define FILTER_SLOTS 6

/* {6F0E1C2D-3B4A-4596-8778-9AABBCCDDEEF}: an arbitrary sync id. */
static const GUID test_sync_id = {0x6f0e1c2d, 0x3b4a, 0x4596, {0x87, 0x78, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef}};

/* ---- a window that collects what the sink posts ---------------------------- */

typedef struct posted {
    UINT count;        /* WM_OFN_SINK_EVENT messages seen */
    UINT other;        /* any other message posted to the window */
    WPARAM kind[64];
    LPARAM lp[64];
} posted;

static int kind_has_details(WPARAM kind)
{
    return kind == SINK_SYNC_BEGIN || kind == SINK_SYNC_FILE_RESULT || kind == SINK_SYNC_END ||
           kind == SINK_SYNC_CONFLICT || kind == SINK_ITEM_DISCONNECTED || kind == SINK_ITEM_RECONNECTED;
}

/* The kind a posted WM_OFN_SINK_EVENT names, or (WPARAM)-1 when it lacks the
 * process's key (postkey.h): the app would drop it. */
static WPARAM posted_kind(WPARAM wp)
{
    DWORD kind;
    return postkey_unwrap(wp, &kind) ? kind : (WPARAM)-1;
}

/* Takes every message waiting for hwnd off the queue. Messages for other
 * windows (COM's own, during the marshalling test) are left alone. */
static void collect(HWND hwnd, posted *p)
{
    MSG msg;
    while (PeekMessageW(&msg, hwnd, 0, 0, PM_REMOVE)) {
        if (msg.message == WM_OFN_SINK_EVENT) {
            if (p->count < ARRAYSIZE(p->kind)) {
                p->kind[p->count] = posted_kind(msg.wParam);
                p->lp[p->count] = msg.lParam;
            } else if (kind_has_details(posted_kind(msg.wParam))) {
                sink_event_free((sink_event *)msg.lParam);
            }
            p->count++;
        } else {
            p->other++;
            DispatchMessageW(&msg);
        }
    }
}

static void free_posted(posted *p)
{
    for (UINT i = 0; i < p->count && i < ARRAYSIZE(p->kind); i++) {
        if (kind_has_details(p->kind[i]))
            sink_event_free((sink_event *)p->lp[i]);
        p->lp[i] = 0;
    }
    p->count = 0;
}

/* ---- per-test fixture: a fresh window and a fresh sink posting to it -------- */

typedef struct fixture {
    HWND hwnd;
    IUnknown *unk;
    IOfflineFilesEvents4 *ev; /* the same pointer as unk, typed */
    posted got;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    *state = NULL; /* cmocka starts each test's state as the group's */
    if (!f)
        return -1;
    f->hwnd = sta_target_window();
    if (sink_create(f->hwnd, &f->unk) != S_OK || !f->unk) {
        DestroyWindow(f->hwnd);
        free(f);
        return -1;
    }
    f->ev = (IOfflineFilesEvents4 *)f->unk;
    *state = f;
    return 0;
}

/* Every test ends holding exactly the one reference sink_create gave it: the
 * final Release must answer 0 (the object frees itself). */
static int teardown(void **state)
{
    fixture *f = *state;
    ULONG left;
    if (!f)
        return 0;
    collect(f->hwnd, &f->got);
    free_posted(&f->got);
    left = IUnknown_Release(f->unk);
    DestroyWindow(f->hwnd);
    free(f);
    assert_int_equal(left, 0);
    return 0;
}

/* ---- the 42 slots, called by number ------------------------------------------ */

typedef void (*slot_fn)(void);

static const slot_fn *slots_of(void *iface)
{
    return *(const slot_fn *const *)iface;
}

typedef HRESULT(STDMETHODCALLTYPE *fn_none)(IOfflineFilesEvents4 *);
typedef HRESULT(STDMETHODCALLTYPE *fn_str2)(IOfflineFilesEvents4 *, LPCWSTR, LPCWSTR);
typedef HRESULT(STDMETHODCALLTYPE *fn_bool)(IOfflineFilesEvents4 *, BOOL);
typedef HRESULT(STDMETHODCALLTYPE *fn_bool4)(IOfflineFilesEvents4 *, BOOL, BOOL, BOOL, BOOL);
typedef HRESULT(STDMETHODCALLTYPE *fn_guid)(IOfflineFilesEvents4 *, REFGUID);
typedef HRESULT(STDMETHODCALLTYPE *fn_guid_str_hr)(IOfflineFilesEvents4 *, REFGUID, LPCWSTR, HRESULT);
typedef HRESULT(STDMETHODCALLTYPE *fn_conflict)(IOfflineFilesEvents4 *, LPCWSTR, const FILETIME *,
                                                OFFLINEFILES_SYNC_STATE);
typedef HRESULT(STDMETHODCALLTYPE *fn_guid_hr)(IOfflineFilesEvents4 *, REFGUID, HRESULT);
typedef HRESULT(STDMETHODCALLTYPE *fn_item)(IOfflineFilesEvents4 *, LPCWSTR, OFFLINEFILES_ITEM_TYPE);
typedef HRESULT(STDMETHODCALLTYPE *fn_modified)(IOfflineFilesEvents4 *, LPCWSTR, OFFLINEFILES_ITEM_TYPE, BOOL,
                                                BOOL);
typedef HRESULT(STDMETHODCALLTYPE *fn_renamed)(IOfflineFilesEvents4 *, LPCWSTR, LPCWSTR, OFFLINEFILES_ITEM_TYPE);
typedef HRESULT(STDMETHODCALLTYPE *fn_dword)(IOfflineFilesEvents4 *, DWORD);
typedef HRESULT(STDMETHODCALLTYPE *fn_transparent)(IOfflineFilesEvents4 *, LPCWSTR, OFFLINEFILES_EVENTS,
                                                   OFFLINEFILES_ITEM_TYPE, BOOL, BOOL, LPCWSTR);
typedef HRESULT(STDMETHODCALLTYPE *fn_str)(IOfflineFilesEvents4 *, LPCWSTR);
typedef HRESULT(STDMETHODCALLTYPE *fn_str_hr)(IOfflineFilesEvents4 *, LPCWSTR, HRESULT);
typedef HRESULT(STDMETHODCALLTYPE *fn_close_end)(IOfflineFilesEvents4 *, DWORD, DWORD, HRESULT);

typedef enum signature {
    SIG_NONE,
    SIG_STR2,
    SIG_BOOL,
    SIG_BOOL4,
    SIG_GUID,
    SIG_GUID_STR_HR,
    SIG_CONFLICT,
    SIG_GUID_HR,
    SIG_ITEM,
    SIG_MODIFIED,
    SIG_RENAMED,
    SIG_DWORD,
    SIG_TRANSPARENT,
    SIG_STR,
    SIG_STR_HR,
    SIG_CLOSE_END
} signature;

/* Slot, signature and what the sink posts (0: nothing), from the facts
 * sheet's tables (§2.1-2.4), not from sink.c. */
typedef struct slot_info {
    unsigned slot;
    const char *name;
    signature sig;
    sink_event_kind posts;
} slot_info;

static const slot_info event_slots[] = {
    {3, "CacheMoved", SIG_STR2, 0},
    {4, "CacheIsFull", SIG_NONE, 0},
    {5, "CacheIsCorrupted", SIG_NONE, 0},
    {6, "Enabled", SIG_BOOL, 0},
    {7, "EncryptionChanged", SIG_BOOL4, 0},
    {8, "SyncBegin", SIG_GUID, SINK_SYNC_BEGIN},
    {9, "SyncFileResult", SIG_GUID_STR_HR, SINK_SYNC_FILE_RESULT},
    {10, "SyncConflictRecAdded", SIG_CONFLICT, SINK_SYNC_CONFLICT},
    {11, "SyncConflictRecUpdated", SIG_CONFLICT, SINK_SYNC_CONFLICT},
    {12, "SyncConflictRecRemoved", SIG_CONFLICT, SINK_SYNC_CONFLICT},
    {13, "SyncEnd", SIG_GUID_HR, SINK_SYNC_END},
    {14, "NetTransportArrived", SIG_NONE, SINK_NET_ARRIVED},
    {15, "NoNetTransports", SIG_NONE, SINK_NO_NET},
    {16, "ItemDisconnected", SIG_ITEM, SINK_ITEM_DISCONNECTED},
    {17, "ItemReconnected", SIG_ITEM, SINK_ITEM_RECONNECTED},
    {18, "ItemAvailableOffline", SIG_ITEM, 0},
    {19, "ItemNotAvailableOffline", SIG_ITEM, 0},
    {20, "ItemPinned", SIG_ITEM, 0},
    {21, "ItemNotPinned", SIG_ITEM, 0},
    {22, "ItemModified", SIG_MODIFIED, 0},
    {23, "ItemAddedToCache", SIG_ITEM, 0},
    {24, "ItemDeletedFromCache", SIG_ITEM, 0},
    {25, "ItemRenamed", SIG_RENAMED, 0},
    {26, "DataLost", SIG_NONE, SINK_DATA_LOST},
    {27, "Ping", SIG_NONE, SINK_PING},
    {28, "ItemReconnectBegin", SIG_NONE, SINK_RECONNECT_BEGIN},
    {29, "ItemReconnectEnd", SIG_NONE, SINK_RECONNECT_END},
    {30, "CacheEvictBegin", SIG_NONE, 0},
    {31, "CacheEvictEnd", SIG_NONE, 0},
    {32, "BackgroundSyncBegin", SIG_DWORD, SINK_BACKGROUND_SYNC_BEGIN},
    {33, "BackgroundSyncEnd", SIG_DWORD, SINK_BACKGROUND_SYNC_END},
    {34, "PolicyChangeDetected", SIG_NONE, SINK_SETTINGS_CHANGED},
    {35, "PreferenceChangeDetected", SIG_NONE, SINK_SETTINGS_CHANGED},
    {36, "SettingsChangesApplied", SIG_NONE, SINK_SETTINGS_CHANGED},
    {37, "TransparentCacheItemNotify", SIG_TRANSPARENT, 0},
    {38, "PrefetchFileBegin", SIG_STR, 0},
    {39, "PrefetchFileEnd", SIG_STR_HR, 0},
    {40, "PrefetchCloseHandleBegin", SIG_NONE, 0},
    {41, "PrefetchCloseHandleEnd", SIG_CLOSE_END, 0},
};

static const WCHAR some_path[] = L"\\\\server\\share\\folder\\file.txt";
static const WCHAR other_path[] = L"\\\\server\\share\\folder\\renamed.txt";
#define SOME_FLAGS 0x30010006u /* SYNCIN | SYNCOUT | BACKGROUND | CR_KEEPLATEST */

/* Calls slot info->slot of iface's vtable with that slot's real signature. */
static HRESULT call_slot(IOfflineFilesEvents4 *iface, const slot_info *info)
{
    slot_fn fn = slots_of(iface)[info->slot];
    FILETIME when = {0x12345678, 0x01d00000};
    switch (info->sig) {
    case SIG_NONE:
        return ((fn_none)fn)(iface);
    case SIG_STR2:
        return ((fn_str2)fn)(iface, some_path, other_path);
    case SIG_BOOL:
        return ((fn_bool)fn)(iface, TRUE);
    case SIG_BOOL4:
        return ((fn_bool4)fn)(iface, FALSE, FALSE, TRUE, TRUE);
    case SIG_GUID:
        return ((fn_guid)fn)(iface, &test_sync_id);
    case SIG_GUID_STR_HR:
        return ((fn_guid_str_hr)fn)(iface, &test_sync_id, some_path, E_ACCESSDENIED);
    case SIG_CONFLICT:
        return ((fn_conflict)fn)(iface, some_path, &when,
                                 OFFLINEFILES_SYNC_STATE_FileChangedOnClient_ChangedOnServer);
    case SIG_GUID_HR:
        return ((fn_guid_hr)fn)(iface, &test_sync_id, S_FALSE);
    case SIG_ITEM:
        return ((fn_item)fn)(iface, some_path, OFFLINEFILES_ITEM_TYPE_FILE);
    case SIG_MODIFIED:
        return ((fn_modified)fn)(iface, some_path, OFFLINEFILES_ITEM_TYPE_FILE, TRUE, FALSE);
    case SIG_RENAMED:
        return ((fn_renamed)fn)(iface, some_path, other_path, OFFLINEFILES_ITEM_TYPE_FILE);
    case SIG_DWORD:
        return ((fn_dword)fn)(iface, SOME_FLAGS);
    case SIG_TRANSPARENT:
        return ((fn_transparent)fn)(iface, some_path, OFFLINEFILES_EVENT_ITEMRENAMED, OFFLINEFILES_ITEM_TYPE_FILE,
                                    FALSE, FALSE, other_path);
    case SIG_STR:
        return ((fn_str)fn)(iface, some_path);
    case SIG_STR_HR:
        return ((fn_str_hr)fn)(iface, some_path, S_OK);
    case SIG_CLOSE_END:
        return ((fn_close_end)fn)(iface, 3, 1, S_OK);
    }
    return E_UNEXPECTED;
}

static const slot_info *slot_named(unsigned slot)
{
    for (size_t i = 0; i < ARRAYSIZE(event_slots); i++)
        if (event_slots[i].slot == slot)
            return &event_slots[i];
    fail_msg("no slot %u in the table", slot);
    return NULL;
}

/* ---- QueryInterface and reference counts -------------------------------------- */

static void test_qi_events_iids_give_one_pointer(void **state)
{
    fixture *f = *state;
    const IID *iids[] = {&IID_IUnknown, &IID_IOfflineFilesEvents, &IID_IOfflineFilesEvents2,
                         &IID_IOfflineFilesEvents3, &IID_IOfflineFilesEvents4};
    for (size_t i = 0; i < ARRAYSIZE(iids); i++) {
        void *out = (void *)0x1;
        assert_int_equal(IUnknown_QueryInterface(f->unk, iids[i], &out), S_OK);
        assert_ptr_equal(out, f->unk);
        /* the same answer asked through the typed interface */
        void *again = NULL;
        assert_int_equal(IOfflineFilesEvents4_QueryInterface(f->ev, iids[i], &again), S_OK);
        assert_ptr_equal(again, f->unk);
        assert_int_equal(IUnknown_Release((IUnknown *)again), 2);
        assert_int_equal(IUnknown_Release((IUnknown *)out), 1);
    }
}

static void test_qi_filter_is_another_pointer_with_the_same_identity(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = NULL;
    IUnknown *identity = NULL;
    void *events = NULL, *filter_again = NULL;

    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEventsFilter, (void **)&filter), S_OK);
    assert_non_null(filter);
    assert_ptr_not_equal(filter, f->unk);
    assert_non_null(filter->lpVtbl);

    /* COM identity: IUnknown from any interface is the same pointer. */
    assert_int_equal(IOfflineFilesEventsFilter_QueryInterface(filter, &IID_IUnknown, (void **)&identity), S_OK);
    assert_ptr_equal(identity, f->unk);
    /* Symmetric and transitive: the filter reaches the events and itself. */
    assert_int_equal(IOfflineFilesEventsFilter_QueryInterface(filter, &IID_IOfflineFilesEvents2, &events), S_OK);
    assert_ptr_equal(events, f->unk);
    assert_int_equal(IOfflineFilesEventsFilter_QueryInterface(filter, &IID_IOfflineFilesEventsFilter, &filter_again),
                     S_OK);
    assert_ptr_equal(filter_again, filter);

    /* All four references are on the one object. */
    assert_int_equal(IOfflineFilesEventsFilter_Release((IOfflineFilesEventsFilter *)filter_again), 4);
    assert_int_equal(IUnknown_Release((IUnknown *)events), 3);
    assert_int_equal(IUnknown_Release(identity), 2);
    assert_int_equal(IOfflineFilesEventsFilter_Release(filter), 1);
}

static void test_qi_unknown_iid_and_null_out(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = NULL;
    const IID *foreign[] = {&IID_IDispatch, &IID_IConnectionPoint, &IID_IOfflineFilesCache,
                            &IID_IOfflineFilesProgress, &IID_IMarshal, &IID_IClassFactory};

    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEventsFilter, (void **)&filter), S_OK);
    for (size_t i = 0; i < ARRAYSIZE(foreign); i++) {
        void *out = (void *)0x1;
        assert_int_equal(IUnknown_QueryInterface(f->unk, foreign[i], &out), E_NOINTERFACE);
        assert_null(out);
        out = (void *)0x1;
        assert_int_equal(IOfflineFilesEventsFilter_QueryInterface(filter, foreign[i], &out), E_NOINTERFACE);
        assert_null(out);
    }
    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEvents2, NULL), E_POINTER);
    assert_int_equal(IOfflineFilesEventsFilter_QueryInterface(filter, &IID_IUnknown, NULL), E_POINTER);
    /* Failed calls took no reference: the filter's plus ours. */
    assert_int_equal(IUnknown_AddRef(f->unk), 3);
    assert_int_equal(IUnknown_Release(f->unk), 2);
    assert_int_equal(IOfflineFilesEventsFilter_Release(filter), 1);
}

static void test_addref_release_count(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = NULL;
    assert_int_equal(IUnknown_AddRef(f->unk), 2);
    assert_int_equal(IOfflineFilesEvents4_AddRef(f->ev), 3);
    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEventsFilter, (void **)&filter), S_OK);
    assert_int_equal(IOfflineFilesEventsFilter_AddRef(filter), 5);
    /* Releases through either interface count down the same total. */
    assert_int_equal(IOfflineFilesEventsFilter_Release(filter), 4);
    assert_int_equal(IOfflineFilesEventsFilter_Release(filter), 3);
    assert_int_equal(IOfflineFilesEvents4_Release(f->ev), 2);
    assert_int_equal(IUnknown_Release(f->unk), 1);
    /* the fixture's teardown checks that the last Release answers 0 */
}

static void test_last_release_frees_the_object(void **state)
{
    (void)state;
    HWND hwnd = sta_target_window();
    IUnknown *unk = NULL;
    heap_use before, alive, after;

    before = heap_in_use();
    assert_int_equal(sink_create(hwnd, &unk), S_OK);
    alive = heap_in_use();
    assert_true(alive.blocks == before.blocks + 1);
    assert_true(alive.bytes >= before.bytes + 2 * sizeof(void *));
    assert_int_equal(IUnknown_AddRef(unk), 2);
    assert_int_equal(IUnknown_Release(unk), 1);
    assert_int_equal(IUnknown_Release(unk), 0);
    after = heap_in_use();
    assert_heap_equal(after, before);
    DestroyWindow(hwnd);
}

static void test_create_rejects_null_out(void **state)
{
    (void)state;
    assert_int_equal(sink_create(NULL, NULL), E_POINTER);
}

/* ---- the vtables --------------------------------------------------------------- */

static void test_every_slot_is_filled(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = NULL;
    const slot_fn *slots = slots_of(f->ev);
    for (unsigned n = 0; n < EVENTS_SLOTS; n++)
        if (!slots[n])
            fail_msg("events slot %u is NULL", n);
    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEventsFilter, (void **)&filter), S_OK);
    slots = slots_of(filter);
    for (unsigned n = 0; n < FILTER_SLOTS; n++)
        if (!slots[n])
            fail_msg("filter slot %u is NULL", n);
    IOfflineFilesEventsFilter_Release(filter);
    /* The table above covers every event slot exactly once. */
    assert_int_equal(ARRAYSIZE(event_slots), EVENTS_SLOTS - 3);
    for (unsigned n = 3; n < EVENTS_SLOTS; n++)
        assert_int_equal(slot_named(n)->slot, n);
}

/* The slots the app depends on, by number, as the service would call them. */
static void test_important_slots_by_number(void **state)
{
    fixture *f = *state;
    const slot_fn *slots = slots_of(f->ev);
    sink_event *ev;

    assert_int_equal(((fn_dword)slots[32])(f->ev, 0x00010006), S_OK); /* BackgroundSyncBegin */
    assert_int_equal(((fn_dword)slots[33])(f->ev, 0x00010004), S_OK); /* BackgroundSyncEnd */
    assert_int_equal(((fn_none)slots[26])(f->ev), S_OK);              /* DataLost */
    assert_int_equal(((fn_none)slots[27])(f->ev), S_OK);              /* Ping */
    assert_int_equal(((fn_guid_str_hr)slots[9])(f->ev, &test_sync_id, some_path, S_OK), S_OK); /* SyncFileResult */

    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 5);
    assert_int_equal(f->got.kind[0], SINK_BACKGROUND_SYNC_BEGIN);
    assert_int_equal(f->got.lp[0], 0x00010006);
    assert_int_equal(f->got.kind[1], SINK_BACKGROUND_SYNC_END);
    assert_int_equal(f->got.lp[1], 0x00010004);
    assert_int_equal(f->got.kind[2], SINK_DATA_LOST);
    assert_int_equal(f->got.lp[2], 0);
    assert_int_equal(f->got.kind[3], SINK_PING);
    assert_int_equal(f->got.lp[3], 0);
    assert_int_equal(f->got.kind[4], SINK_SYNC_FILE_RESULT);
    ev = (sink_event *)f->got.lp[4];
    assert_non_null(ev);
    assert_true(wcscmp(ev->path, some_path) == 0);
    assert_int_equal(sink_take_lost(f->unk), 0);
}

/* Every event slot returns S_OK and posts exactly what the table says. */
static void test_every_event_slot_posts_its_kind_or_nothing(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < ARRAYSIZE(event_slots); i++) {
        const slot_info *info = &event_slots[i];
        posted got = {0};
        HRESULT hr = call_slot(f->ev, info);
        if (hr != S_OK)
            fail_msg("slot %u (%s) returned 0x%08lx", info->slot, info->name, (unsigned long)hr);
        collect(f->hwnd, &got);
        if (info->posts == 0 && got.count != 0)
            fail_msg("slot %u (%s) posted %u messages, expected none", info->slot, info->name, got.count);
        if (info->posts != 0 && (got.count != 1 || got.kind[0] != (WPARAM)info->posts))
            fail_msg("slot %u (%s) posted %u messages (first kind %u), expected one of kind %d", info->slot,
                     info->name, got.count, got.count ? (unsigned)got.kind[0] : 0u, (int)info->posts);
        if (kind_has_details(info->posts) && !got.lp[0])
            fail_msg("slot %u (%s) posted no details", info->slot, info->name);
        if (info->posts == SINK_BACKGROUND_SYNC_BEGIN || info->posts == SINK_BACKGROUND_SYNC_END)
            assert_int_equal(got.lp[0], (LPARAM)SOME_FLAGS);
        assert_int_equal(got.other, 0);
        free_posted(&got);
    }
    assert_int_equal(sink_take_lost(f->unk), 0);
}

/* ---- payloads ------------------------------------------------------------------ */

static sink_event *take_one(fixture *f, sink_event_kind kind)
{
    posted got = {0};
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 1);
    assert_int_equal(got.kind[0], kind);
    assert_true(got.lp[0] != 0);
    return (sink_event *)got.lp[0];
}

static WCHAR *heap_wcsdup(const WCHAR *s)
{
    size_t n = wcslen(s) + 1;
    WCHAR *copy = HeapAlloc(GetProcessHeap(), 0, n * sizeof(WCHAR));
    assert_non_null(copy);
    memcpy(copy, s, n * sizeof(WCHAR));
    return copy;
}

/* The caller's strings are only valid during the call: the posted copy must
 * not point into them. */
static void test_file_result_copy_outlives_the_callers_string(void **state)
{
    fixture *f = *state;
    WCHAR *path = heap_wcsdup(some_path);
    GUID id = test_sync_id;
    sink_event *ev;

    assert_int_equal(IOfflineFilesEvents4_SyncFileResult(f->ev, &id, path, E_ACCESSDENIED), S_OK);
    wmemset(path, L'X', wcslen(path));
    HeapFree(GetProcessHeap(), 0, path);
    memset(&id, 0xAB, sizeof(id));

    ev = take_one(f, SINK_SYNC_FILE_RESULT);
    assert_true(wcscmp(ev->path, some_path) == 0);
    assert_true(IsEqualGUID(&ev->sync_id, &test_sync_id));
    assert_int_equal(ev->hr, E_ACCESSDENIED);
    sink_event_free(ev);
}

static void test_sync_begin_and_end_carry_id_and_result(void **state)
{
    fixture *f = *state;
    sink_event *ev;

    assert_int_equal(IOfflineFilesEvents4_SyncBegin(f->ev, &test_sync_id), S_OK);
    ev = take_one(f, SINK_SYNC_BEGIN);
    assert_true(IsEqualGUID(&ev->sync_id, &test_sync_id));
    assert_int_equal(ev->hr, S_OK);
    assert_int_equal(ev->path[0], 0);
    sink_event_free(ev);

    assert_int_equal(IOfflineFilesEvents4_SyncEnd(f->ev, &GUID_NULL, HRESULT_FROM_WIN32(ERROR_CANCELLED)), S_OK);
    ev = take_one(f, SINK_SYNC_END);
    assert_true(IsEqualGUID(&ev->sync_id, &GUID_NULL));
    assert_int_equal(ev->hr, HRESULT_FROM_WIN32(ERROR_CANCELLED));
    assert_int_equal(ev->path[0], 0);
    sink_event_free(ev);
}

static void test_conflicts_carry_path_state_and_what(void **state)
{
    fixture *f = *state;
    FILETIME when = {1, 2};
    HRESULT (STDMETHODCALLTYPE *const calls[3])(IOfflineFilesEvents4 *, LPCWSTR, const FILETIME *,
                                               OFFLINEFILES_SYNC_STATE) = {
        f->ev->lpVtbl->SyncConflictRecAdded, f->ev->lpVtbl->SyncConflictRecUpdated,
        f->ev->lpVtbl->SyncConflictRecRemoved};
    for (DWORD what = 0; what < 3; what++) {
        WCHAR *path = heap_wcsdup(other_path);
        sink_event *ev;
        assert_int_equal(calls[what](f->ev, path, &when, OFFLINEFILES_SYNC_STATE_FileDeletedOnServer), S_OK);
        HeapFree(GetProcessHeap(), 0, path);
        ev = take_one(f, SINK_SYNC_CONFLICT);
        assert_int_equal(ev->flags, what); /* 0 added, 1 updated, 2 removed */
        assert_int_equal(ev->conflict_state, OFFLINEFILES_SYNC_STATE_FileDeletedOnServer);
        assert_int_equal(ev->when.dwLowDateTime, 1);
        assert_int_equal(ev->when.dwHighDateTime, 2);
        assert_true(wcscmp(ev->path, other_path) == 0);
        sink_event_free(ev);
    }
}

/* ItemDisconnected/Reconnected carry the path, copied, and the item type as it came. */
static void test_items_carry_path_and_type(void **state)
{
    fixture *f = *state;
    static const OFFLINEFILES_ITEM_TYPE types[] = {OFFLINEFILES_ITEM_TYPE_SHARE, OFFLINEFILES_ITEM_TYPE_SERVER,
                                                   OFFLINEFILES_ITEM_TYPE_DIRECTORY, OFFLINEFILES_ITEM_TYPE_FILE};
    for (size_t i = 0; i < ARRAYSIZE(types); i++) {
        WCHAR *path = heap_wcsdup(other_path);
        sink_event *ev;
        assert_int_equal(IOfflineFilesEvents4_ItemDisconnected(f->ev, path, types[i]), S_OK);
        ev = take_one(f, SINK_ITEM_DISCONNECTED);
        assert_int_equal(ev->flags, (DWORD)types[i]);
        assert_true(wcscmp(ev->path, other_path) == 0);
        sink_event_free(ev);
        assert_int_equal(IOfflineFilesEvents4_ItemReconnected(f->ev, path, types[i]), S_OK);
        HeapFree(GetProcessHeap(), 0, path);
        ev = take_one(f, SINK_ITEM_RECONNECTED);
        assert_int_equal(ev->flags, (DWORD)types[i]);
        assert_true(wcscmp(ev->path, other_path) == 0);
        sink_event_free(ev);
    }
}

/* Paths of any length, and none at all (a misbehaving caller), are copied whole. */
static void test_long_and_missing_paths(void **state)
{
    fixture *f = *state;
    enum { LONG_LEN = 32767 };
    WCHAR *path = HeapAlloc(GetProcessHeap(), 0, (LONG_LEN + 1) * sizeof(WCHAR));
    sink_event *ev;
    assert_non_null(path);
    for (size_t i = 0; i < LONG_LEN; i++)
        path[i] = (WCHAR)(L'a' + i % 26);
    path[LONG_LEN] = 0;

    assert_int_equal(IOfflineFilesEvents4_SyncFileResult(f->ev, &test_sync_id, path, S_OK), S_OK);
    ev = take_one(f, SINK_SYNC_FILE_RESULT);
    assert_int_equal(wcslen(ev->path), LONG_LEN);
    assert_true(wmemcmp(ev->path, path, LONG_LEN) == 0);
    sink_event_free(ev);
    HeapFree(GetProcessHeap(), 0, path);

    assert_int_equal(IOfflineFilesEvents4_SyncFileResult(f->ev, &test_sync_id, NULL, E_FAIL), S_OK);
    ev = take_one(f, SINK_SYNC_FILE_RESULT);
    assert_int_equal(ev->path[0], 0);
    assert_int_equal(ev->hr, E_FAIL);
    sink_event_free(ev);
}

/* The flags travel in lParam unchanged, the high conflict-rule bits too. */
static void test_background_flags_in_lparam(void **state)
{
    fixture *f = *state;
    const DWORD values[] = {0, 0x00000006, 0x30010006, 0x80000000, 0xFFFFFFFF};
    for (size_t i = 0; i < ARRAYSIZE(values); i++) {
        posted got = {0};
        assert_int_equal(IOfflineFilesEvents4_BackgroundSyncBegin(f->ev, values[i]), S_OK);
        assert_int_equal(IOfflineFilesEvents4_BackgroundSyncEnd(f->ev, values[i]), S_OK);
        collect(f->hwnd, &got);
        assert_int_equal(got.count, 2);
        assert_int_equal(got.kind[0], SINK_BACKGROUND_SYNC_BEGIN);
        assert_int_equal(got.kind[1], SINK_BACKGROUND_SYNC_END);
        assert_int_equal((DWORD)got.lp[0], values[i]);
        assert_int_equal((DWORD)got.lp[1], values[i]);
        assert_int_equal(got.lp[1], (LPARAM)values[i]); /* zero-extended, never sign-extended */
    }
}

/* Events arrive in the order they were called. */
static void test_events_keep_their_order(void **state)
{
    fixture *f = *state;
    posted got = {0};
    for (DWORD i = 0; i < 20; i++) {
        IOfflineFilesEvents4_BackgroundSyncBegin(f->ev, i);
        IOfflineFilesEvents4_BackgroundSyncEnd(f->ev, i);
    }
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 40);
    for (UINT i = 0; i < 40; i++) {
        assert_int_equal(got.kind[i], i % 2 ? SINK_BACKGROUND_SYNC_END : SINK_BACKGROUND_SYNC_BEGIN);
        assert_int_equal(got.lp[i], (LPARAM)(i / 2));
    }
}

/* ---- an End is on the window's side before it is answered ------------------------ */

/* What the window saw when the sink sent WM_OFN_SINK_FLUSH: the sink events
 * queued at that moment, taken off the queue as the app takes them. */
static posted at_flush;
static UINT flushes;
static WNDPROC plain_proc;

static LRESULT CALLBACK flush_spy(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_OFN_SINK_FLUSH) {
        MSG m;
        flushes++;
        while (PeekMessageW(&m, wnd, WM_OFN_SINK_EVENT, WM_OFN_SINK_EVENT, PM_REMOVE) &&
               at_flush.count < ARRAYSIZE(at_flush.kind)) {
            at_flush.kind[at_flush.count] = posted_kind(m.wParam);
            at_flush.lp[at_flush.count++] = m.lParam;
        }
        return 0;
    }
    return CallWindowProcW(plain_proc, wnd, msg, wp, lp);
}

static DWORD WINAPI end_from_another_thread(void *param)
{
    return (DWORD)IOfflineFilesEvents4_BackgroundSyncEnd((IOfflineFilesEvents4 *)param, SOME_FLAGS);
}

/* On the window's thread (the service's calls arrive there), BackgroundSyncEnd
 * sends WM_OFN_SINK_FLUSH after posting, so the app has handled the End before
 * S_OK goes back; Begin does not. From another thread it only posts: a send
 * would wait for a thread that may be waiting for it. */
static void test_end_is_flushed_before_it_is_answered(void **state)
{
    fixture *f = *state;
    posted got = {0};
    HANDLE thread;
    DWORD rc = 0;
    memset(&at_flush, 0, sizeof(at_flush));
    flushes = 0;
    plain_proc = (WNDPROC)SetWindowLongPtrW(f->hwnd, GWLP_WNDPROC, (LONG_PTR)flush_spy);
    assert_non_null(plain_proc);

    assert_int_equal(IOfflineFilesEvents4_BackgroundSyncBegin(f->ev, SOME_FLAGS), S_OK);
    assert_int_equal(flushes, 0);
    assert_int_equal(IOfflineFilesEvents4_BackgroundSyncEnd(f->ev, SOME_FLAGS), S_OK);
    assert_int_equal(flushes, 1);
    assert_int_equal(at_flush.count, 2);
    assert_int_equal(at_flush.kind[0], SINK_BACKGROUND_SYNC_BEGIN);
    assert_int_equal(at_flush.kind[1], SINK_BACKGROUND_SYNC_END);
    assert_int_equal(at_flush.lp[1], (LPARAM)SOME_FLAGS);
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 0);

    thread = CreateThread(NULL, 0, end_from_another_thread, f->ev, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0); /* no pumping here */
    assert_true(GetExitCodeThread(thread, &rc));
    assert_int_equal(rc, S_OK);
    CloseHandle(thread);
    assert_int_equal(flushes, 1);
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 1);
    assert_int_equal(got.kind[0], SINK_BACKGROUND_SYNC_END);
    SetWindowLongPtrW(f->hwnd, GWLP_WNDPROC, (LONG_PTR)plain_proc);
}

/* ---- when posting is impossible ------------------------------------------------- */

/* Detached, every event is answered RPC_E_DISCONNECTED, on which the service
 * drops the subscription at once (reference §5.3). */
static void test_detached_posts_nothing_and_counts(void **state)
{
    fixture *f = *state;
    heap_use before, after;
    posted got = {0};

    assert_int_equal(sink_take_lost(f->unk), 0);
    assert_int_equal(IOfflineFilesEvents4_Ping(f->ev), S_OK);
    collect(f->hwnd, &got);
    got.count = 0;
    sink_detach(f->unk);
    before = heap_in_use();
    assert_int_equal(IOfflineFilesEvents4_BackgroundSyncBegin(f->ev, SOME_FLAGS), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_BackgroundSyncEnd(f->ev, SOME_FLAGS), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_SyncFileResult(f->ev, &test_sync_id, some_path, S_OK), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_SyncConflictRecAdded(f->ev, some_path, NULL,
                                                               OFFLINEFILES_SYNC_STATE_Stable), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_DataLost(f->ev), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_Ping(f->ev), RPC_E_DISCONNECTED);
    /* ignored events are not "lost": nothing was to be posted */
    assert_int_equal(IOfflineFilesEvents4_ItemModified(f->ev, some_path, OFFLINEFILES_ITEM_TYPE_FILE, TRUE, TRUE),
                     RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_CacheIsFull(f->ev), RPC_E_DISCONNECTED);
    assert_int_equal(IOfflineFilesEvents4_PolicyChangeDetected(f->ev), RPC_E_DISCONNECTED);
    after = heap_in_use();
    assert_heap_equal(after, before); /* the copies made for the window were freed */

    collect(f->hwnd, &got);
    assert_int_equal(got.count, 0);
    assert_int_equal(sink_take_lost(f->unk), 7);
    assert_int_equal(sink_take_lost(f->unk), 0); /* taking resets */
    /* Detached, the object still answers COM normally. */
    assert_int_equal(IUnknown_AddRef(f->unk), 2);
    assert_int_equal(IUnknown_Release(f->unk), 1);
}

/* Every one of the 39 event slots, detached: RPC_E_DISCONNECTED, nothing posted. */
static void test_detached_every_slot_disconnects(void **state)
{
    fixture *f = *state;
    posted got = {0};
    sink_detach(f->unk);
    for (size_t i = 0; i < ARRAYSIZE(event_slots); i++) {
        HRESULT hr = call_slot(f->ev, &event_slots[i]);
        if (hr != RPC_E_DISCONNECTED)
            fail_msg("%s answered 0x%08lX detached", event_slots[i].name, (unsigned long)hr);
    }
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 0);
}

static void test_destroyed_window_counts_lost_without_leak(void **state)
{
    (void)state;
    HWND hwnd = sta_target_window();
    IUnknown *unk = NULL;
    IOfflineFilesEvents4 *ev;
    heap_use before, after;

    assert_int_equal(sink_create(hwnd, &unk), S_OK);
    ev = (IOfflineFilesEvents4 *)unk;
    assert_true(DestroyWindow(hwnd));

    before = heap_in_use();
    assert_int_equal(IOfflineFilesEvents4_BackgroundSyncEnd(ev, SOME_FLAGS), E_FAIL); /* not taken */
    assert_int_equal(IOfflineFilesEvents4_SyncFileResult(ev, &test_sync_id, some_path, E_FAIL), S_OK);
    assert_int_equal(IOfflineFilesEvents4_SyncEnd(ev, &test_sync_id, S_OK), S_OK);
    assert_int_equal(IOfflineFilesEvents4_SyncConflictRecRemoved(ev, some_path, NULL,
                                                                 OFFLINEFILES_SYNC_STATE_Stable), S_OK);
    assert_int_equal(IOfflineFilesEvents4_Ping(ev), S_OK);
    after = heap_in_use();
    assert_heap_equal(after, before);

    assert_int_equal(sink_take_lost(unk), 5);
    assert_int_equal(IUnknown_Release(unk), 0);
}

/* ---- the event filter ----------------------------------------------------------- */

static IOfflineFilesEventsFilter *filter_of(fixture *f)
{
    IOfflineFilesEventsFilter *filter = NULL;
    assert_int_equal(IUnknown_QueryInterface(f->unk, &IID_IOfflineFilesEventsFilter, (void **)&filter), S_OK);
    return filter;
}

static int contains(const OFFLINEFILES_EVENTS *events, ULONG n, OFFLINEFILES_EVENTS e)
{
    for (ULONG i = 0; i < n; i++)
        if (events[i] == e)
            return 1;
    return 0;
}

typedef HRESULT(STDMETHODCALLTYPE *fn_events_list)(IOfflineFilesEventsFilter *, ULONG, OFFLINEFILES_EVENTS *,
                                                   ULONG *);
typedef HRESULT(STDMETHODCALLTYPE *fn_path_filter)(IOfflineFilesEventsFilter *, LPWSTR *,
                                                   OFFLINEFILES_PATHFILTER_MATCH *);

static void test_filter_included_events(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = filter_of(f);
    OFFLINEFILES_EVENTS events[OFFLINEFILES_NUM_EVENTS + 4];
    ULONG count = 12345, wanted_n = 0;
    const int *wanted = sink_wanted_events(&wanted_n);
    /* Slot 4, as the service calls it. */
    fn_events_list get_included = (fn_events_list)slots_of(filter)[4];

    assert_non_null(wanted);
    assert_true(wanted_n > 0 && wanted_n <= OFFLINEFILES_NUM_EVENTS);
    assert_int_equal(get_included(filter, ARRAYSIZE(events), events, &count), S_OK);
    assert_int_equal(count, wanted_n);
    for (ULONG i = 0; i < count; i++) {
        assert_int_equal(events[i], wanted[i]);
        assert_in_range(events[i], 0, OFFLINEFILES_NUM_EVENTS - 1);
        for (ULONG j = 0; j < i; j++)
            assert_int_not_equal(events[i], events[j]); /* no duplicates */
    }
    /* Exactly the events the app acts on: a background pass's Begin and End,
     * the three conflict events and the working-offline state's six. The
     * service registers the sink for nothing else, so a missing one would
     * never arrive and an extra one would be posted for nothing. In event
     * order, so a merge sees each line. */
    assert_int_equal(count, 11);
    assert_true(contains(events, count, OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_BACKGROUNDSYNCEND));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_NETTRANSPORTARRIVED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_NONETTRANSPORTS));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_ITEMDISCONNECTED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_ITEMRECONNECTED));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN));
    assert_true(contains(events, count, OFFLINEFILES_EVENT_ITEMRECONNECTEND));
    for (ULONG i = 1; i < count; i++)
        assert_true(events[i - 1] < events[i]);
    assert_false(contains(events, count, OFFLINEFILES_EVENT_SYNCBEGIN));
    assert_false(contains(events, count, OFFLINEFILES_EVENT_SYNCEND));
    /* The other item events are the flood the filter exists to stop. */
    for (int e = OFFLINEFILES_EVENT_ITEMAVAILABLEOFFLINE; e <= OFFLINEFILES_EVENT_ITEMRENAMED; e++)
        if (contains(events, count, (OFFLINEFILES_EVENTS)e))
            fail_msg("the filter asks for item event %d", e);
    assert_false(contains(events, count, OFFLINEFILES_EVENT_TRANSPARENTCACHEITEMNOTIFY));
    assert_false(contains(events, count, OFFLINEFILES_EVENT_PREFETCHFILEBEGIN));
    assert_false(contains(events, count, OFFLINEFILES_EVENT_PREFETCHFILEEND));
    /* DataLost and Ping come anyway; asking for them would be noise. */
    assert_false(contains(events, count, OFFLINEFILES_EVENT_DATALOST));
    assert_false(contains(events, count, OFFLINEFILES_EVENT_PING));

    /* Exactly enough room is enough. */
    count = 12345;
    assert_int_equal(get_included(filter, wanted_n, events, &count), S_OK);
    assert_int_equal(count, wanted_n);
    IOfflineFilesEventsFilter_Release(filter);
}

static void test_filter_included_events_too_little_room(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = filter_of(f);
    OFFLINEFILES_EVENTS events[OFFLINEFILES_NUM_EVENTS];
    ULONG count = 12345, wanted_n = 0;
    sink_wanted_events(&wanted_n);

    for (size_t i = 0; i < ARRAYSIZE(events); i++)
        events[i] = (OFFLINEFILES_EVENTS)0x7777;
    /* E_NOTIMPL ("no list": every event) is the one failure the service
     * accepts; any other would make Advise fail. */
    assert_int_equal(IOfflineFilesEventsFilter_GetIncludedEvents(filter, wanted_n - 1, events, &count), E_NOTIMPL);
    assert_int_equal(count, 0);
    /* nothing written past the capacity given */
    for (size_t i = wanted_n - 1; i < ARRAYSIZE(events); i++)
        assert_int_equal(events[i], 0x7777);

    count = 12345;
    assert_int_equal(IOfflineFilesEventsFilter_GetIncludedEvents(filter, 0, events, &count), E_NOTIMPL);
    assert_int_equal(count, 0);
    IOfflineFilesEventsFilter_Release(filter);
}

static void test_filter_null_arguments(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = filter_of(f);
    OFFLINEFILES_EVENTS events[OFFLINEFILES_NUM_EVENTS];
    ULONG count = 12345;

    /* Only S_OK or E_NOTIMPL, as the docs allow: E_POINTER would fail Advise. */
    assert_int_equal(IOfflineFilesEventsFilter_GetIncludedEvents(filter, ARRAYSIZE(events), NULL, &count),
                     E_NOTIMPL);
    assert_int_equal(count, 0);
    assert_int_equal(IOfflineFilesEventsFilter_GetIncludedEvents(filter, ARRAYSIZE(events), events, NULL),
                     E_NOTIMPL);
    assert_int_equal(IOfflineFilesEventsFilter_GetIncludedEvents(filter, 0, NULL, NULL), E_NOTIMPL);
    /* the unimplemented ones must not crash on NULL either */
    assert_int_equal(IOfflineFilesEventsFilter_GetExcludedEvents(filter, ARRAYSIZE(events), NULL, NULL),
                     E_NOTIMPL);
    assert_int_equal(IOfflineFilesEventsFilter_GetPathFilter(filter, NULL, NULL), E_NOTIMPL);
    IOfflineFilesEventsFilter_Release(filter);
}

/* Every capacity from none to more than enough: the answer is the whole list
 * (S_OK) or no list (E_NOTIMPL, count 0), never a partial list or another
 * code. */
static void test_filter_answers_only_s_ok_or_e_notimpl(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = filter_of(f);
    OFFLINEFILES_EVENTS events[OFFLINEFILES_NUM_EVENTS + 4];
    ULONG wanted_n = 0;
    sink_wanted_events(&wanted_n);

    for (ULONG capacity = 0; capacity <= ARRAYSIZE(events); capacity++) {
        ULONG count = 12345;
        HRESULT hr = IOfflineFilesEventsFilter_GetIncludedEvents(filter, capacity, events, &count);
        if (capacity < wanted_n) {
            assert_int_equal(hr, E_NOTIMPL);
            assert_int_equal(count, 0);
        } else {
            assert_int_equal(hr, S_OK);
            assert_int_equal(count, wanted_n);
        }
        count = 12345;
        assert_int_equal(IOfflineFilesEventsFilter_GetExcludedEvents(filter, capacity, events, &count), E_NOTIMPL);
        assert_int_equal(count, 0);
    }
    IOfflineFilesEventsFilter_Release(filter);
}

static void test_filter_excluded_and_path_not_implemented(void **state)
{
    fixture *f = *state;
    IOfflineFilesEventsFilter *filter = filter_of(f);
    OFFLINEFILES_EVENTS events[OFFLINEFILES_NUM_EVENTS];
    ULONG count = 12345;
    LPWSTR path = (LPWSTR)L"sentinel";
    OFFLINEFILES_PATHFILTER_MATCH match = (OFFLINEFILES_PATHFILTER_MATCH)0x7777;
    const slot_fn *slots = slots_of(filter);

    /* Slot 5: GetExcludedEvents, slot 3: GetPathFilter. */
    assert_int_equal(((fn_events_list)slots[5])(filter, ARRAYSIZE(events), events, &count), E_NOTIMPL);
    assert_int_equal(count, 0);
    assert_int_equal(((fn_path_filter)slots[3])(filter, &path, &match), E_NOTIMPL);
    /* A [out, string] pointer is marshalled back even on failure: it must be NULL. */
    assert_null(path);
    assert_in_range(match, OFFLINEFILES_PATHFILTER_SELF, OFFLINEFILES_PATHFILTER_SELFORDESCENDENT);
    IOfflineFilesEventsFilter_Release(filter);
}

/* ---- across apartments ------------------------------------------------------------ */

/* Windows ships proxy/stubs for the Offline Files interfaces; Wine has none.
 * When the end-to-end tests have built theirs (build/e2e/ofnps.dll, from our
 * IDL), this test uses it, registered only inside this process
 * (CoRegisterClassObject + CoRegisterPSClsid, no registry), so a real
 * BackgroundSyncEnd crosses apartments. Without it only IUnknown can be
 * marshalled, and the test checks that much. */
typedef HRESULT(WINAPI *get_class_object_fn)(REFCLSID, REFIID, void **);

typedef struct ps_dll {
    IUnknown *factory; /* NULL: no proxy/stub available */
    CLSID clsid;
} ps_dll;

static const IID *const sink_iids[] = {&IID_IOfflineFilesEvents, &IID_IOfflineFilesEvents2,
                                       &IID_IOfflineFilesEvents3, &IID_IOfflineFilesEvents4,
                                       &IID_IOfflineFilesEventsFilter};

/* The DLL stays loaded for the life of the process: COM may hold its code. */
static void ps_load(ps_dll *ps)
{
    /* widl names the factory after one of the file's interfaces; which one
     * depends on widl, so ask for each. */
    const IID *candidates[] = {&IID_IOfflineFilesCache, &IID_IOfflineFilesCache2, &IID_IOfflineFilesItem,
                               &IID_IOfflineFilesItemFilter, &IID_IOfflineFilesSetting,
                               &IID_IEnumOfflineFilesSettings, &IID_IOfflineFilesSimpleProgress,
                               &IID_IOfflineFilesSyncErrorInfo, &IID_IOfflineFilesEvents,
                               &IID_IOfflineFilesEvents2, &IID_IOfflineFilesEvents3, &IID_IOfflineFilesEvents4,
                               &IID_IOfflineFilesEventsFilter, &IID_IOfflineFilesProgress,
                               &IID_IOfflineFilesSyncProgress, &IID_IOfflineFilesSyncConflictHandler};
    WCHAR path[MAX_PATH + 32];
    HMODULE dll;
    get_class_object_fn get;

    ps->factory = NULL;
    if (!build_file(L"e2e\\ofnps.dll", path, ARRAYSIZE(path)) || GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES)
        return;
    dll = LoadLibraryW(path);
    if (!dll)
        return;
    get = (get_class_object_fn)(void (*)(void))GetProcAddress(dll, "DllGetClassObject");
    for (size_t i = 0; get && i < ARRAYSIZE(candidates); i++) {
        if (SUCCEEDED(get(candidates[i], &IID_IUnknown, (void **)&ps->factory))) {
            ps->clsid = *candidates[i];
            return;
        }
    }
    ps->factory = NULL;
}

/* Makes the proxy/stub known to the calling thread's apartment (Wine keeps
 * these registrations per apartment). Returns the class cookie, 0 on failure. */
static DWORD ps_register(const ps_dll *ps)
{
    DWORD cookie = 0;
    if (FAILED(CoRegisterClassObject(&ps->clsid, ps->factory, CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &cookie)))
        return 0;
    for (size_t i = 0; i < ARRAYSIZE(sink_iids); i++) {
        if (FAILED(CoRegisterPSClsid(sink_iids[i], &ps->clsid))) {
            CoRevokeClassObject(cookie);
            return 0;
        }
    }
    return cookie;
}

typedef struct mta_call {
    IStream *stream;       /* the marshalled sink, consumed by the thread */
    const IID *iid;        /* what was marshalled */
    const ps_dll *ps;      /* the proxy/stub to register in the MTA, or NULL */
    HRESULT init_hr, unmarshal_hr, call_hr, qi_events2_hr;
    void *proxy;           /* what the thread got (compared, never used here) */
    DWORD thread_id;
} mta_call;

/* On a thread of the multithreaded apartment, like the service's RPC
 * threads: it unmarshals the sink and calls it. With the custom interface it
 * fires BackgroundSyncEnd; with plain IUnknown it can only prove the object
 * is reachable (QueryInterface through IRemUnknown). */
static void mta_call_run(void *arg)
{
    mta_call *c = arg;
    void *obj = NULL;
    DWORD cookie = 0;
    c->thread_id = GetCurrentThreadId();
    if (c->ps)
        cookie = ps_register(c->ps);
    c->unmarshal_hr = CoGetInterfaceAndReleaseStream(c->stream, c->iid, &obj);
    c->stream = NULL;
    if (SUCCEEDED(c->unmarshal_hr)) {
        c->proxy = obj;
        if (IsEqualIID(c->iid, &IID_IOfflineFilesEvents2)) {
            c->call_hr = IOfflineFilesEvents2_BackgroundSyncEnd((IOfflineFilesEvents2 *)obj, SOME_FLAGS);
        } else {
            IUnknown *again = NULL;
            void *events2 = NULL;
            c->call_hr = IUnknown_QueryInterface((IUnknown *)obj, &IID_IUnknown, (void **)&again);
            if (SUCCEEDED(c->call_hr))
                IUnknown_Release(again);
            c->qi_events2_hr = IUnknown_QueryInterface((IUnknown *)obj, &IID_IOfflineFilesEvents2, &events2);
            if (SUCCEEDED(c->qi_events2_hr)) {
                c->call_hr = IOfflineFilesEvents2_BackgroundSyncEnd((IOfflineFilesEvents2 *)events2, SOME_FLAGS);
                IUnknown_Release((IUnknown *)events2);
            }
        }
        IUnknown_Release((IUnknown *)obj);
    }
    if (cookie)
        CoRevokeClassObject(cookie);
}

/* What the sink posts to the fixture's window is kept, not dispatched. */
static BOOL take_sink_event(MSG *msg, void *ctx)
{
    fixture *f = ctx;
    if (msg->hwnd != f->hwnd || msg->message != WM_OFN_SINK_EVENT)
        return FALSE;
    if (f->got.count < ARRAYSIZE(f->got.kind)) {
        f->got.kind[f->got.count] = posted_kind(msg->wParam);
        f->got.lp[f->got.count] = msg->lParam;
    }
    f->got.count++;
    return TRUE;
}

/* Runs mta_call_run while this (STA) thread pumps its messages, as the app's
 * message loop does; COM dispatches the incoming calls here. Returns 0 if the
 * thread did not finish in time (then it may still use c: the caller must
 * leave c alone). */
static int run_mta_call(fixture *f, mta_call *c)
{
    HANDLE thread = apartment_thread(COINIT_MULTITHREADED, mta_call_run, c);
    DWORD init_hr = (DWORD)E_UNEXPECTED;
    BOOL done;
    assert_non_null(thread);
    done = pump_until(thread, 20000, take_sink_event, f);
    if (done && GetExitCodeThread(thread, &init_hr))
        c->init_hr = (HRESULT)init_hr;
    CloseHandle(thread);
    collect(f->hwnd, &f->got);
    return done;
}

static void test_marshalled_call_arrives_on_the_sta(void **state)
{
    fixture *f = *state;
    /* On the heap: if the thread hangs, it keeps using these after the test fails. */
    mta_call *c = calloc(1, sizeof(*c));
    ps_dll *ps = calloc(1, sizeof(*ps));
    DWORD cookie = 0;
    HRESULT hr;
    assert_non_null(c);
    assert_non_null(ps);
    c->iid = &IID_IOfflineFilesEvents2;
    c->init_hr = c->unmarshal_hr = c->call_hr = c->qi_events2_hr = E_UNEXPECTED;

    ps_load(ps);
    if (ps->factory) {
        cookie = ps_register(ps);
        assert_int_not_equal(cookie, 0);
        c->ps = ps;
        print_message("note: using build/e2e/ofnps.dll, registered in this process only\n");
    }
    hr = CoMarshalInterThreadInterfaceInStream(&IID_IOfflineFilesEvents2, f->unk, &c->stream);
    if (ps->factory)
        assert_int_equal(hr, S_OK);
    if (FAILED(hr)) {
        print_message("note: no proxy/stub for IOfflineFilesEvents2 (0x%08lx; build the e2e tests for one): "
                      "testing the IUnknown path only\n",
                      (unsigned long)hr);
        c->iid = &IID_IUnknown;
        assert_int_equal(CoMarshalInterThreadInterfaceInStream(&IID_IUnknown, f->unk, &c->stream), S_OK);
    }
    if (!run_mta_call(f, c))
        fail_msg("the MTA thread did not finish within 20 s");

    assert_int_equal(c->init_hr, S_OK);
    assert_int_equal(c->unmarshal_hr, S_OK);
    assert_non_null(c->proxy);
    assert_ptr_not_equal(c->proxy, f->unk); /* a proxy, not the object: the call crossed apartments */
    assert_int_not_equal(c->thread_id, GetCurrentThreadId());
    assert_int_equal(c->call_hr, S_OK);
    if (IsEqualIID(c->iid, &IID_IOfflineFilesEvents2) || SUCCEEDED(c->qi_events2_hr)) {
        /* Posted while COM dispatched the call on this thread, to this thread's queue. */
        assert_int_equal(f->got.count, 1);
        assert_int_equal(f->got.kind[0], SINK_BACKGROUND_SYNC_END);
        assert_int_equal(f->got.lp[0], (LPARAM)SOME_FLAGS);
    } else {
        assert_int_equal(f->got.count, 0);
    }
    free(c);

    /* Drop the stub's references; ours is then the only one left. */
    assert_int_equal(CoDisconnectObject(f->unk, 0), S_OK);
    assert_int_equal(IUnknown_AddRef(f->unk), 2);
    assert_int_equal(IUnknown_Release(f->unk), 1);
    assert_int_equal(sink_take_lost(f->unk), 0);
    if (cookie)
        CoRevokeClassObject(cookie);
    if (ps->factory)
        IUnknown_Release(ps->factory);
    free(ps);
}

/* ---- main ------------------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_qi_events_iids_give_one_pointer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qi_filter_is_another_pointer_with_the_same_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qi_unknown_iid_and_null_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addref_release_count, setup, teardown),
        cmocka_unit_test(test_last_release_frees_the_object),
        cmocka_unit_test(test_create_rejects_null_out),
        cmocka_unit_test_setup_teardown(test_every_slot_is_filled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_important_slots_by_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_event_slot_posts_its_kind_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_result_copy_outlives_the_callers_string, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_begin_and_end_carry_id_and_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflicts_carry_path_state_and_what, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_carry_path_and_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_and_missing_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_background_flags_in_lparam, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_keep_their_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_is_flushed_before_it_is_answered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detached_posts_nothing_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detached_every_slot_disconnects, setup, teardown),
        cmocka_unit_test(test_destroyed_window_counts_lost_without_leak),
        cmocka_unit_test_setup_teardown(test_filter_included_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_included_events_too_little_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_null_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_answers_only_s_ok_or_e_notimpl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_excluded_and_path_not_implemented, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marshalled_call_arrives_on_the_sta, setup, teardown),
    };
    return cmocka_run_group_tests(tests, sta_group_setup, sta_group_teardown);
}
