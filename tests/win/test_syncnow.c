/* Sync now (src/app/syncnow.c) under Wine, against the real Win32 and COM.
 *
 * The progress object as the service sees it: COM identity and reference
 * counts, every slot called by number with its real signature, the state
 * machine (Begin once, End once, End without Begin, abort, detach) and what
 * each step posts to the app window, also when called from another thread.
 *
 * syncnow_start against an in-process stand-in for the Offline Files cache
 * (registered for CLSID_OfflineFilesCache in this process only): which
 * shares (one level below each server) are passed to Synchronize and how,
 * that a credential prompt gets the owner passed in, one sync at a time,
 * each way listing or starting can fail, and the report the app gets from
 * the posted Begin and End. The stand-in fills only the slots Sync now may call: a call
 * to any other slot would crash the test, which fails it too.
 *
 * The words: every Sync now string in English and German in the shipped
 * build/ofnotify.exe (read as a data file, as test_strings.c does). */
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
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../../res/resource.h"
#include "../../src/app/messages.h"
#include "../../src/app/syncnow.h"
#include "fakecom.h"
#include "offlinefiles.h"
#include "support/apartment.h"
#include "support/buildfiles.h"
#include "support/heapuse.h"
#include "support/rcstrings.h"

#define CANCELLED HRESULT_FROM_WIN32(ERROR_CANCELLED)

/* ---- the app window's side: what was posted ----------------------------------- */

typedef struct posted {
    UINT count;
    WPARAM wp[32];
    LPARAM lp[32];
} posted;

static void collect(HWND hwnd, posted *p)
{
    MSG msg;
    while (PeekMessageW(&msg, hwnd, 0, 0, PM_REMOVE)) {
        if (msg.message != WM_OFN_SYNC_PROGRESS) {
            DispatchMessageW(&msg);
            continue;
        }
        if (p->count < ARRAYSIZE(p->wp)) {
            p->wp[p->count] = msg.wParam;
            p->lp[p->count] = msg.lParam;
        }
        p->count++;
    }
}

/* ---- the progress object, slot by slot ------------------------------------------ */

typedef void (*slot_fn)(void);
typedef HRESULT(STDMETHODCALLTYPE *fn_qi)(void *, REFIID, void **);
typedef ULONG(STDMETHODCALLTYPE *fn_ref)(void *);
typedef HRESULT(STDMETHODCALLTYPE *fn_pbool)(void *, BOOL *);
typedef HRESULT(STDMETHODCALLTYPE *fn_hr)(void *, HRESULT);
typedef HRESULT(STDMETHODCALLTYPE *fn_item_begin)(void *, LPCWSTR, OFFLINEFILES_OP_RESPONSE *);
typedef HRESULT(STDMETHODCALLTYPE *fn_item_result)(void *, LPCWSTR, HRESULT, IOfflineFilesSyncErrorInfo *,
                                                   OFFLINEFILES_OP_RESPONSE *);

static slot_fn slot(void *iface, unsigned n)
{
    return (*(const slot_fn *const *)iface)[n];
}

/* By slot number, from the facts sheet (§2.6), not from the header. */
static ULONG addref_3rd(void *p) { return ((fn_ref)slot(p, 1))(p); }
static ULONG release_3rd(void *p) { return ((fn_ref)slot(p, 2))(p); }
static HRESULT begin_at3(void *p, BOOL *abort) { return ((fn_pbool)slot(p, 3))(p, abort); }
static HRESULT query_abort_at4(void *p, BOOL *abort) { return ((fn_pbool)slot(p, 4))(p, abort); }
static HRESULT end_at5(void *p, HRESULT hr) { return ((fn_hr)slot(p, 5))(p, hr); }
static HRESULT item_begin_at6(void *p, LPCWSTR f, OFFLINEFILES_OP_RESPONSE *r)
{
    return ((fn_item_begin)slot(p, 6))(p, f, r);
}
static HRESULT item_result_at7(void *p, LPCWSTR f, HRESULT hr, OFFLINEFILES_OP_RESPONSE *r)
{
    return ((fn_item_result)slot(p, 7))(p, f, hr, NULL, r);
}

typedef struct pfixture {
    HWND hwnd;
    IOfflineFilesSyncProgress *p;
    posted got;
} pfixture;

static int psetup(void **state)
{
    pfixture *f = calloc(1, sizeof(*f));
    *state = NULL;
    if (!f)
        return -1;
    f->hwnd = sta_target_window();
    if (syncnow_progress_create(f->hwnd, 7, &f->p) != S_OK || !f->p) {
        DestroyWindow(f->hwnd);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Each test ends holding only the reference create gave it. */
static int pteardown(void **state)
{
    pfixture *f = *state;
    ULONG left;
    if (!f)
        return 0;
    left = release_3rd(f->p);
    DestroyWindow(f->hwnd);
    free(f);
    assert_int_equal(left, 0);
    return 0;
}

static void test_progress_identity(void **state)
{
    pfixture *f = *state;
    static const IID *const mine[] = {&IID_IUnknown, &IID_IOfflineFilesProgress, &IID_IOfflineFilesSyncProgress};
    static const IID *const others[] = {&IID_IOfflineFilesEvents, &IID_IOfflineFilesSimpleProgress,
                                        &IID_IOfflineFilesSyncConflictHandler, &IID_IMarshal, &IID_IDispatch};
    void *out;
    for (size_t i = 0; i < ARRAYSIZE(mine); i++) {
        out = NULL;
        assert_int_equal(((fn_qi)slot(f->p, 0))(f->p, mine[i], &out), S_OK);
        assert_ptr_equal(out, f->p);
        assert_int_equal(release_3rd(out), 1);
    }
    for (size_t i = 0; i < ARRAYSIZE(others); i++) {
        out = (void *)1;
        assert_int_equal(((fn_qi)slot(f->p, 0))(f->p, others[i], &out), E_NOINTERFACE);
        assert_null(out);
    }
    assert_int_equal(((fn_qi)slot(f->p, 0))(f->p, &IID_IUnknown, NULL), E_POINTER);
}

static void test_progress_refcount_and_free(void **state)
{
    heap_use before, after;
    IOfflineFilesSyncProgress *p = NULL;
    HWND hwnd = sta_target_window();
    (void)state;
    before = heap_in_use();
    assert_int_equal(syncnow_progress_create(hwnd, 1, &p), S_OK);
    assert_int_equal(addref_3rd(p), 2);
    assert_int_equal(addref_3rd(p), 3);
    assert_int_equal(release_3rd(p), 2);
    assert_int_equal(release_3rd(p), 1);
    assert_int_equal(release_3rd(p), 0);
    after = heap_in_use(); /* the progress object lives on the process heap */
    assert_heap_equal(after, before);
    assert_int_equal(syncnow_progress_create(hwnd, 1, NULL), E_POINTER);
    DestroyWindow(hwnd);
}

static void test_progress_slots_are_the_sdks(void **state)
{
    pfixture *f = *state;
    const IOfflineFilesSyncProgressVtbl *vt = f->p->lpVtbl;
    (void)state;
    /* Every slot filled, and the C names agree with the numbers used above. */
    for (unsigned i = 0; i < 8; i++)
        assert_non_null(slot(f->p, i));
    assert_ptr_equal((void *)vt->Begin, (void *)slot(f->p, 3));
    assert_ptr_equal((void *)vt->QueryAbort, (void *)slot(f->p, 4));
    assert_ptr_equal((void *)vt->End, (void *)slot(f->p, 5));
    assert_ptr_equal((void *)vt->SyncItemBegin, (void *)slot(f->p, 6));
    assert_ptr_equal((void *)vt->SyncItemResult, (void *)slot(f->p, 7));
}

static void test_progress_begin_then_end_post_once_each(void **state)
{
    pfixture *f = *state;
    BOOL abort = TRUE;
    OFFLINEFILES_OP_RESPONSE r = OFFLINEFILES_OP_RETRY;
    syncnow_progress_counts c;

    assert_int_equal(begin_at3(f->p, &abort), S_OK);
    assert_false(abort);
    abort = TRUE;
    assert_int_equal(begin_at3(f->p, &abort), E_UNEXPECTED); /* a second Begin is not acted on */
    assert_false(abort);
    assert_int_equal(query_abort_at4(f->p, &abort), S_OK);
    assert_false(abort);
    assert_int_equal(item_begin_at6(f->p, L"\\\\fs01\\a.docx", &r), S_OK);
    assert_int_equal(r, OFFLINEFILES_OP_CONTINUE);
    r = OFFLINEFILES_OP_RETRY;
    assert_int_equal(item_result_at7(f->p, L"\\\\fs01\\a.docx", S_OK, &r), S_OK);
    assert_int_equal(r, OFFLINEFILES_OP_CONTINUE);
    assert_int_equal(item_result_at7(f->p, L"\\\\fs01\\b.docx", E_ACCESSDENIED, &r), S_OK);
    assert_int_equal(end_at5(f->p, E_FAIL), S_OK);
    assert_int_equal(end_at5(f->p, S_OK), E_UNEXPECTED); /* a second End neither */
    assert_int_equal(begin_at3(f->p, &abort), E_UNEXPECTED);

    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 2);
    assert_int_equal(SYNCNOW_WPARAM_STEP(f->got.wp[0]), SYNCNOW_STEP_BEGAN);
    assert_int_equal(SYNCNOW_WPARAM_GENERATION(f->got.wp[0]), 7);
    assert_int_equal(SYNCNOW_WPARAM_STEP(f->got.wp[1]), SYNCNOW_STEP_ENDED);
    assert_int_equal(SYNCNOW_WPARAM_GENERATION(f->got.wp[1]), 7);
    assert_int_equal((HRESULT)f->got.lp[1], E_FAIL);

    syncnow_progress_get_counts(f->p, &c);
    assert_int_equal(c.items, 2);
    assert_int_equal(c.failed_items, 1);
    assert_int_equal(c.abort_queries, 1);
}

static void test_progress_end_without_begin_still_ends(void **state)
{
    pfixture *f = *state;
    BOOL abort = TRUE;
    assert_int_equal(end_at5(f->p, CANCELLED), S_OK);
    assert_int_equal(begin_at3(f->p, &abort), E_UNEXPECTED); /* too late */
    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 1);
    assert_int_equal(SYNCNOW_WPARAM_STEP(f->got.wp[0]), SYNCNOW_STEP_ENDED);
    assert_int_equal((HRESULT)f->got.lp[0], CANCELLED);
}

static void test_progress_abort_is_answered_everywhere(void **state)
{
    pfixture *f = *state;
    BOOL abort = FALSE;
    OFFLINEFILES_OP_RESPONSE r = OFFLINEFILES_OP_CONTINUE;
    syncnow_progress_abort(f->p);
    assert_int_equal(begin_at3(f->p, &abort), S_OK); /* aborted before it began */
    assert_true(abort);
    abort = FALSE;
    assert_int_equal(query_abort_at4(f->p, &abort), S_OK);
    assert_true(abort);
    assert_int_equal(item_begin_at6(f->p, L"\\\\fs01\\a", &r), S_OK);
    assert_int_equal(r, OFFLINEFILES_OP_ABORT);
    r = OFFLINEFILES_OP_CONTINUE;
    assert_int_equal(item_result_at7(f->p, L"\\\\fs01\\a", S_OK, &r), S_OK);
    assert_int_equal(r, OFFLINEFILES_OP_ABORT);
}

static void test_progress_null_out_parameters(void **state)
{
    pfixture *f = *state;
    syncnow_progress_counts c;
    assert_int_equal(query_abort_at4(f->p, NULL), E_POINTER);
    assert_int_equal(item_begin_at6(f->p, NULL, NULL), E_POINTER);
    assert_int_equal(item_result_at7(f->p, NULL, E_FAIL, NULL), E_POINTER);
    /* Begin with no out parameter still begins: the sync is real either way. */
    assert_int_equal(begin_at3(f->p, NULL), E_POINTER);
    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 1);
    syncnow_progress_get_counts(f->p, &c);
    assert_int_equal(c.items, 1);
    assert_int_equal(c.failed_items, 1);
}

static void test_progress_detached_posts_nothing(void **state)
{
    pfixture *f = *state;
    BOOL abort = TRUE;
    syncnow_progress_detach(f->p);
    assert_int_equal(begin_at3(f->p, &abort), S_OK);
    assert_false(abort);
    assert_int_equal(end_at5(f->p, S_OK), S_OK);
    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 0);
}

/* The service may call from one of its own threads (syncnow.c says why). */
typedef struct from_thread {
    IOfflineFilesSyncProgress *p;
    HRESULT begin, end;
    BOOL abort;
} from_thread;

static DWORD WINAPI call_from_thread(void *arg)
{
    from_thread *t = arg;
    t->begin = begin_at3(t->p, &t->abort);
    for (int i = 0; i < 1000; i++) {
        OFFLINEFILES_OP_RESPONSE r;
        item_result_at7(t->p, L"\\\\fs01\\x", i % 10 ? S_OK : E_FAIL, &r);
    }
    t->end = end_at5(t->p, S_OK);
    return 0;
}

static void test_progress_calls_from_other_threads(void **state)
{
    pfixture *f = *state;
    from_thread t[4];
    HANDLE h[4];
    syncnow_progress_counts c;
    int began = 0, ended = 0;
    for (int i = 0; i < 4; i++) {
        t[i] = (from_thread){.p = f->p, .abort = TRUE};
        h[i] = CreateThread(NULL, 0, call_from_thread, &t[i], 0, NULL);
        assert_non_null(h[i]);
    }
    assert_int_equal(WaitForMultipleObjects(4, h, TRUE, 20000), WAIT_OBJECT_0);
    for (int i = 0; i < 4; i++) {
        CloseHandle(h[i]);
        began += t[i].begin == S_OK;
        ended += t[i].end == S_OK;
        assert_false(t[i].abort);
    }
    /* Racing threads: still exactly one Begin and one End took effect. */
    assert_int_equal(began, 1);
    assert_int_equal(ended, 1);
    syncnow_progress_get_counts(f->p, &c);
    assert_int_equal(c.items, 4000);
    assert_int_equal(c.failed_items, 400);
    collect(f->hwnd, &f->got);
    assert_int_equal(f->got.count, 2);
    assert_int_equal(SYNCNOW_WPARAM_STEP(f->got.wp[0]), SYNCNOW_STEP_BEGAN);
    assert_int_equal(SYNCNOW_WPARAM_STEP(f->got.wp[1]), SYNCNOW_STEP_ENDED);
}

static void test_reason_of_an_end(void **state)
{
    (void)state;
    assert_int_equal(syncnow_reason(S_OK, FALSE), OF_REASON_NONE);
    assert_int_equal(syncnow_reason(S_FALSE, TRUE), OF_REASON_NONE);
    assert_int_equal(syncnow_reason(CANCELLED, TRUE), OF_REASON_SHUTDOWN);
    assert_int_equal(syncnow_reason(CANCELLED, FALSE), OF_REASON_FAILED);
    assert_int_equal(syncnow_reason(E_FAIL, TRUE), OF_REASON_FAILED);
    assert_int_equal(syncnow_reason(HRESULT_FROM_WIN32(ERROR_BAD_NETPATH), FALSE), OF_REASON_FAILED);
}

/* ---- a stand-in for the Offline Files cache ---------------------------------------- */

#define MAX_FAKE_SERVERS 8
#define MAX_FAKE_SHARES 8

typedef struct fake_cache {
    IOfflineFilesCache cache_iface;
    IOfflineFilesItemContainer container_iface;
    LONG refs;
    /* what it answers: the cache lists the servers, each server lists
     * server\share for every share name, then the extra children as they are */
    const WCHAR *servers[MAX_FAKE_SERVERS];
    ULONG n_servers;
    const WCHAR *shares[MAX_FAKE_SHARES];
    ULONG n_shares;
    const WCHAR *extra_children[MAX_FAKE_SHARES];
    ULONG n_extra_children;
    BOOL endless;          /* the cache's enumerator never says S_FALSE */
    BOOL endless_shares;   /* nor do the servers' enumerators */
    BOOL no_container;     /* QueryInterface(IOfflineFilesItemContainer) on the cache fails */
    BOOL server_no_container; /* ... on a server item fails */
    HRESULT enum_hr;       /* EnumItems' answer on the cache */
    HRESULT server_enum_hr; /* EnumItems' answer on a server */
    HRESULT sync_hr;       /* Synchronize's answer */
    /* what it was asked */
    LONG next_calls;
    LONG sync_calls;
    WCHAR paths[SYNCNOW_MAX_PATHS + 1][64];
    ULONG n_paths;
    HWND hwnd;
    BOOL async;
    DWORD flags;
    BOOL had_handler, had_sync_id;
    IOfflineFilesSyncProgress *progress; /* AddRef'd, as the service does */
    LONG live_objects;                   /* enumerators and items not yet released */
} fake_cache;

static fake_cache the_fake;

/* A server or a share. A server answers IOfflineFilesItemContainer too. */
typedef struct fake_item {
    IOfflineFilesItem iface;
    IOfflineFilesItemContainer container_iface;
    LONG refs;
    BOOL is_server;
    WCHAR path[64];
} fake_item;

/* Lists the servers (parent "") or the children of one server. */
typedef struct fake_enum {
    IEnumOfflineFilesItems iface;
    LONG refs;
    WCHAR parent[64];
    ULONG next;
} fake_enum;

static const IOfflineFilesItemContainerVtbl server_container_vtbl;

static HRESULT STDMETHODCALLTYPE item_qi(IOfflineFilesItem *iface, REFIID riid, void **out)
{
    fake_item *it = CONTAINING_RECORD(iface, fake_item, iface);
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesItem) ||
        (it->is_server && IsEqualIID(riid, &IID_IOfflineFilesServerItem))) {
        *out = iface;
    } else if (it->is_server && IsEqualIID(riid, &IID_IOfflineFilesItemContainer) && !the_fake.server_no_container) {
        *out = &it->container_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IOfflineFilesItem_AddRef(iface);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE item_addref(IOfflineFilesItem *iface)
{
    return (ULONG)InterlockedIncrement(&CONTAINING_RECORD(iface, fake_item, iface)->refs);
}

static ULONG STDMETHODCALLTYPE item_release(IOfflineFilesItem *iface)
{
    fake_item *it = CONTAINING_RECORD(iface, fake_item, iface);
    LONG refs = InterlockedDecrement(&it->refs);
    if (!refs) {
        InterlockedDecrement(&the_fake.live_objects);
        free(it);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE item_get_path(IOfflineFilesItem *iface, LPWSTR *path)
{
    return fakecom_strdup(CONTAINING_RECORD(iface, fake_item, iface)->path, path);
}

static const IOfflineFilesItemVtbl item_vtbl = {
    .QueryInterface = item_qi,
    .AddRef = item_addref,
    .Release = item_release,
    .GetPath = item_get_path,
};

static IOfflineFilesItem *new_item(const WCHAR *path, BOOL is_server)
{
    fake_item *it = calloc(1, sizeof(*it));
    assert_non_null(it);
    it->iface.lpVtbl = (IOfflineFilesItemVtbl *)&item_vtbl;
    it->container_iface.lpVtbl = (IOfflineFilesItemContainerVtbl *)&server_container_vtbl;
    it->refs = 1;
    it->is_server = is_server;
    wcsncpy(it->path, path, ARRAYSIZE(it->path) - 1);
    InterlockedIncrement(&the_fake.live_objects);
    return &it->iface;
}

static HRESULT STDMETHODCALLTYPE enum_qi(IEnumOfflineFilesItems *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumOfflineFilesItems)) {
        *out = iface;
        IEnumOfflineFilesItems_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE enum_addref(IEnumOfflineFilesItems *iface)
{
    return (ULONG)InterlockedIncrement(&CONTAINING_RECORD(iface, fake_enum, iface)->refs);
}

static ULONG STDMETHODCALLTYPE enum_release(IEnumOfflineFilesItems *iface)
{
    fake_enum *e = CONTAINING_RECORD(iface, fake_enum, iface);
    LONG refs = InterlockedDecrement(&e->refs);
    if (!refs) {
        InterlockedDecrement(&the_fake.live_objects);
        free(e);
    }
    return (ULONG)refs;
}

/* The path of child i of a server, or FALSE past the last one. */
static BOOL child_path(const fake_enum *e, ULONG i, WCHAR *out, size_t cap)
{
    if (the_fake.endless_shares)
        _snwprintf(out, cap, L"%ls\\s%lu", e->parent, (unsigned long)i);
    else if (i < the_fake.n_shares)
        _snwprintf(out, cap, L"%ls\\%ls", e->parent, the_fake.shares[i]);
    else if (i - the_fake.n_shares < the_fake.n_extra_children)
        _snwprintf(out, cap, L"%ls", the_fake.extra_children[i - the_fake.n_shares]);
    else
        return FALSE;
    out[cap - 1] = 0;
    return TRUE;
}

/* Hands out at most three at a time, S_FALSE when fewer than asked for
 * (which is not yet the end: Sync now must ask again); or, endless, made-up
 * servers or shares for ever. */
static HRESULT STDMETHODCALLTYPE enum_next(IEnumOfflineFilesItems *iface, ULONG celt, IOfflineFilesItem **items,
                                           ULONG *fetched)
{
    fake_enum *e = CONTAINING_RECORD(iface, fake_enum, iface);
    BOOL servers = !e->parent[0];
    ULONG n = 0;
    InterlockedIncrement(&the_fake.next_calls);
    while (n < celt && ((servers ? the_fake.endless : the_fake.endless_shares) || n < 3)) {
        WCHAR path[64];
        if (servers && the_fake.endless) {
            _snwprintf(path, ARRAYSIZE(path), L"\\\\srv%lu", (unsigned long)e->next++);
            path[ARRAYSIZE(path) - 1] = 0;
        } else if (servers && e->next < the_fake.n_servers) {
            wcsncpy(path, the_fake.servers[e->next++], ARRAYSIZE(path) - 1);
            path[ARRAYSIZE(path) - 1] = 0;
        } else if (!servers && child_path(e, e->next, path, ARRAYSIZE(path))) {
            e->next++;
        } else {
            break;
        }
        items[n++] = new_item(path, servers);
    }
    *fetched = n;
    return n == celt ? S_OK : S_FALSE;
}

static const IEnumOfflineFilesItemsVtbl enum_vtbl = {
    .QueryInterface = enum_qi,
    .AddRef = enum_addref,
    .Release = enum_release,
    .Next = enum_next,
};

static IEnumOfflineFilesItems *new_enum(const WCHAR *parent)
{
    fake_enum *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->iface.lpVtbl = (IEnumOfflineFilesItemsVtbl *)&enum_vtbl;
    e->refs = 1;
    wcsncpy(e->parent, parent, ARRAYSIZE(e->parent) - 1);
    InterlockedIncrement(&the_fake.live_objects);
    return &e->iface;
}

static HRESULT STDMETHODCALLTYPE server_container_qi(IOfflineFilesItemContainer *iface, REFIID riid, void **out)
{
    return item_qi(&CONTAINING_RECORD(iface, fake_item, container_iface)->iface, riid, out);
}

static ULONG STDMETHODCALLTYPE server_container_addref(IOfflineFilesItemContainer *iface)
{
    return item_addref(&CONTAINING_RECORD(iface, fake_item, container_iface)->iface);
}

static ULONG STDMETHODCALLTYPE server_container_release(IOfflineFilesItemContainer *iface)
{
    return item_release(&CONTAINING_RECORD(iface, fake_item, container_iface)->iface);
}

static HRESULT STDMETHODCALLTYPE server_container_enum_items(IOfflineFilesItemContainer *iface, DWORD query,
                                                             IEnumOfflineFilesItems **out)
{
    (void)query;
    *out = NULL;
    if (FAILED(the_fake.server_enum_hr))
        return the_fake.server_enum_hr;
    *out = new_enum(CONTAINING_RECORD(iface, fake_item, container_iface)->path);
    return S_OK;
}

static const IOfflineFilesItemContainerVtbl server_container_vtbl = {
    .QueryInterface = server_container_qi,
    .AddRef = server_container_addref,
    .Release = server_container_release,
    .EnumItems = server_container_enum_items,
};

static HRESULT STDMETHODCALLTYPE cache_qi(IOfflineFilesCache *iface, REFIID riid, void **out)
{
    fake_cache *c = CONTAINING_RECORD(iface, fake_cache, cache_iface);
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IOfflineFilesCache)) {
        *out = &c->cache_iface;
    } else if (IsEqualIID(riid, &IID_IOfflineFilesItemContainer) && !c->no_container) {
        *out = &c->container_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&c->refs);
    return S_OK;
}

static ULONG STDMETHODCALLTYPE cache_addref(IOfflineFilesCache *iface)
{
    return (ULONG)InterlockedIncrement(&CONTAINING_RECORD(iface, fake_cache, cache_iface)->refs);
}

static ULONG STDMETHODCALLTYPE cache_release(IOfflineFilesCache *iface)
{
    return (ULONG)InterlockedDecrement(&CONTAINING_RECORD(iface, fake_cache, cache_iface)->refs);
}

static HRESULT STDMETHODCALLTYPE cache_synchronize(IOfflineFilesCache *iface, HWND hwnd, LPCWSTR *paths,
                                                   ULONG n, BOOL async, DWORD flags,
                                                   IOfflineFilesSyncConflictHandler *handler,
                                                   IOfflineFilesSyncProgress *progress, GUID *sync_id)
{
    fake_cache *c = CONTAINING_RECORD(iface, fake_cache, cache_iface);
    c->sync_calls++;
    c->hwnd = hwnd;
    c->async = async;
    c->flags = flags;
    c->had_handler = handler != NULL;
    c->had_sync_id = sync_id != NULL && !IsEqualGUID(sync_id, &GUID_NULL);
    c->n_paths = n;
    for (ULONG i = 0; i < n && i < ARRAYSIZE(c->paths); i++)
        wcsncpy(c->paths[i], paths[i], ARRAYSIZE(c->paths[i]) - 1);
    if (FAILED(c->sync_hr))
        return c->sync_hr;
    c->progress = progress;
    IOfflineFilesSyncProgress_AddRef(progress);
    return S_OK;
}

static const IOfflineFilesCacheVtbl cache_vtbl = {
    .QueryInterface = cache_qi,
    .AddRef = cache_addref,
    .Release = cache_release,
    .Synchronize = cache_synchronize,
};

static HRESULT STDMETHODCALLTYPE container_qi(IOfflineFilesItemContainer *iface, REFIID riid, void **out)
{
    return cache_qi(&CONTAINING_RECORD(iface, fake_cache, container_iface)->cache_iface, riid, out);
}

static ULONG STDMETHODCALLTYPE container_addref(IOfflineFilesItemContainer *iface)
{
    return cache_addref(&CONTAINING_RECORD(iface, fake_cache, container_iface)->cache_iface);
}

static ULONG STDMETHODCALLTYPE container_release(IOfflineFilesItemContainer *iface)
{
    return cache_release(&CONTAINING_RECORD(iface, fake_cache, container_iface)->cache_iface);
}

static HRESULT STDMETHODCALLTYPE container_enum_items(IOfflineFilesItemContainer *iface, DWORD query,
                                                      IEnumOfflineFilesItems **out)
{
    (void)iface, (void)query;
    *out = NULL;
    if (FAILED(the_fake.enum_hr))
        return the_fake.enum_hr;
    *out = new_enum(L"");
    return S_OK;
}

static const IOfflineFilesItemContainerVtbl container_vtbl = {
    .QueryInterface = container_qi,
    .AddRef = container_addref,
    .Release = container_release,
    .EnumItems = container_enum_items,
};

typedef struct sfixture {
    HWND hwnd;
    syncnow *s;
    fakecom_factory factory; /* every CreateInstance hands out the one stand-in */
    DWORD class_cookie;
    posted got;
} sfixture;

static int ssetup(void **state)
{
    sfixture *f = calloc(1, sizeof(*f));
    *state = NULL;
    if (!f)
        return -1;
    memset(&the_fake, 0, sizeof(the_fake));
    the_fake.cache_iface.lpVtbl = (IOfflineFilesCacheVtbl *)&cache_vtbl;
    the_fake.container_iface.lpVtbl = (IOfflineFilesItemContainerVtbl *)&container_vtbl;
    the_fake.servers[0] = L"\\\\fs01";
    the_fake.servers[1] = L"\\\\fs02";
    the_fake.n_servers = 2;
    the_fake.shares[0] = L"projects";
    the_fake.shares[1] = L"home";
    the_fake.n_shares = 2;
    f->hwnd = sta_target_window();
    f->s = syncnow_create(f->hwnd);
    fakecom_factory_init(&f->factory, (IUnknown *)&the_fake.cache_iface, NULL);
    if (!f->s || FAILED(fakecom_factory_register(&f->factory, &CLSID_OfflineFilesCache, CLSCTX_INPROC_SERVER,
                                                 &f->class_cookie))) {
        syncnow_free(f->s);
        DestroyWindow(f->hwnd);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* After every test: syncnow gave back every reference it took (the cache's
 * count is back to 0 and no enumerator or item is left), and freeing it is
 * clean. */
static int steardown(void **state)
{
    sfixture *f = *state;
    if (!f)
        return 0;
    syncnow_free(f->s);
    CoRevokeClassObject(f->class_cookie);
    if (the_fake.progress)
        IOfflineFilesSyncProgress_Release(the_fake.progress);
    collect(f->hwnd, &f->got);
    DestroyWindow(f->hwnd);
    free(f);
    assert_int_equal(the_fake.refs, 0);
    assert_int_equal(the_fake.live_objects, 0);
    return 0;
}

/* What the app window would do with the posted messages. */
static int pump_reports(sfixture *f, syncnow_report *reports, int cap)
{
    posted got = {0};
    int n = 0;
    collect(f->hwnd, &got);
    for (UINT i = 0; i < got.count && i < ARRAYSIZE(got.wp); i++)
        if (syncnow_on_progress(f->s, got.wp[i], got.lp[i], &reports[n < cap ? n : cap - 1]) && n < cap)
            n++;
    return n;
}

static void test_start_syncs_every_share_two_way_async(void **state)
{
    sfixture *f = *state;
    HRESULT hr = E_FAIL;
    the_fake.servers[2] = L"\\\\FS01";    /* the same server again: its shares are passed once */
    the_fake.servers[3] = L"\\\\fs03";
    the_fake.n_servers = 4;
    the_fake.extra_children[0] = L"\\\\fs09";       /* a bare server is no share: left out */
    the_fake.extra_children[1] = L"\\\\fs09\\";     /* nor is a server with an empty share name */
    the_fake.extra_children[2] = L"C:\\not-unc";    /* nor a path that is not UNC */
    the_fake.extra_children[3] = L"\\\\\\fs09\\x";  /* nor one with an empty server name */
    the_fake.extra_children[4] = L"\\\\fs09\\d\\e"; /* a directory below a share is a path Synchronize takes */
    the_fake.n_extra_children = 5;
    assert_false(syncnow_active(f->s));
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    assert_int_equal(hr, S_OK);
    assert_true(syncnow_active(f->s));
    assert_int_equal(the_fake.sync_calls, 1);
    assert_int_equal(the_fake.n_paths, 7);
    assert_true(!wcscmp(the_fake.paths[0], L"\\\\fs01\\projects"));
    assert_true(!wcscmp(the_fake.paths[1], L"\\\\fs01\\home"));
    assert_true(!wcscmp(the_fake.paths[2], L"\\\\fs09\\d\\e"));
    assert_true(!wcscmp(the_fake.paths[3], L"\\\\fs02\\projects"));
    assert_true(!wcscmp(the_fake.paths[4], L"\\\\fs02\\home"));
    assert_true(!wcscmp(the_fake.paths[5], L"\\\\fs03\\projects"));
    assert_true(!wcscmp(the_fake.paths[6], L"\\\\fs03\\home"));
    assert_true(the_fake.async);
    assert_int_equal(the_fake.flags, SYNCNOW_FLAGS);
    assert_int_equal(the_fake.flags & (OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT),
                     OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT);
    assert_int_equal(the_fake.flags & OFFLINEFILES_SYNC_CONTROL_CR_MASK, 0);
    assert_false(the_fake.flags & OFFLINEFILES_SYNC_CONTROL_FLAG_BACKGROUND);
    assert_false(the_fake.flags & OFFLINEFILES_SYNC_CONTROL_FLAG_SKIPSUSPENDEDDIRS);
    /* No owner passed: the credential prompt has none, and is never owned by
     * the hidden app window. */
    assert_null(the_fake.hwnd);
    assert_false(the_fake.had_handler);
    assert_true(the_fake.had_sync_id);
    assert_non_null(the_fake.progress);
}

/* The credential prompt belongs to the window the app passes (its history
 * window while shown and not minimized: historywnd_shown, tested with the
 * window), or to none when it passes none. */
static void test_credential_prompt_owner_is_the_window_passed_in(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[2];
    HRESULT hr;
    HWND owners[2] = {NULL, NULL};

    owners[0] = CreateWindowExW(0, STA_TARGET_CLASS, L"history", WS_OVERLAPPEDWINDOW | WS_VISIBLE, 0, 0, 200, 100, NULL,
                                NULL, GetModuleHandleW(NULL), NULL);
    assert_non_null(owners[0]);
    for (size_t i = 0; i < ARRAYSIZE(owners); i++) {
        the_fake.hwnd = (HWND)1;
        assert_int_equal(syncnow_start(f->s, owners[i], &hr), SYNCNOW_STARTED);
        assert_ptr_equal(the_fake.hwnd, owners[i]);
        IOfflineFilesSyncProgress_End(the_fake.progress, S_OK);
        assert_int_equal(pump_reports(f, rep, 2), 1);
        IOfflineFilesSyncProgress_Release(the_fake.progress);
        the_fake.progress = NULL;
    }
    DestroyWindow(owners[0]);
    collect(f->hwnd, &f->got);
}

static void test_second_start_while_one_runs_is_busy(void **state)
{
    sfixture *f = *state;
    HRESULT hr;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_BUSY);
    assert_int_equal(hr, S_OK);
    assert_int_equal(the_fake.sync_calls, 1);
}

static void test_begin_and_end_report_a_completed_sync(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[4], r;
    posted got = {0};
    HRESULT hr;
    BOOL abort = TRUE;
    IOfflineFilesSyncProgress *first;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    first = the_fake.progress;
    /* The service's side, through the pointer it was given. */
    assert_int_equal(IOfflineFilesSyncProgress_Begin(first, &abort), S_OK);
    assert_false(abort);
    assert_int_equal(pump_reports(f, rep, 4), 1);
    assert_int_equal(rep[0].step, SYNCNOW_STEP_BEGAN);
    assert_true(syncnow_active(f->s));
    assert_int_equal(IOfflineFilesSyncProgress_End(first, S_OK), S_OK);
    collect(f->hwnd, &got);
    assert_int_equal(got.count, 1);
    assert_true(syncnow_on_progress(f->s, got.wp[0], got.lp[0], &r));
    assert_int_equal(r.step, SYNCNOW_STEP_ENDED);
    assert_int_equal(r.hr, S_OK);
    assert_int_equal(r.reason, OF_REASON_NONE);
    assert_false(syncnow_active(f->s));
    /* Handled once: the same message again is nothing. */
    assert_false(syncnow_on_progress(f->s, got.wp[0], got.lp[0], &r));
    /* The cache was held while the sync ran and is given back now. */
    assert_int_equal(the_fake.refs, 0);

    /* The next one starts, and a message left from the first is ignored. */
    the_fake.progress = NULL;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    assert_int_equal(the_fake.sync_calls, 2);
    assert_ptr_not_equal(the_fake.progress, NULL);
    assert_false(syncnow_on_progress(f->s, got.wp[0], got.lp[0], &r));
    assert_int_equal(r.step, SYNCNOW_STEP_NONE);
    assert_false(syncnow_on_progress(f->s, SYNCNOW_WPARAM(9, SYNCNOW_WPARAM_GENERATION(got.wp[0]) + 1), S_OK, &r));
    assert_true(syncnow_active(f->s));
    IOfflineFilesSyncProgress_Release(first);
}

static void test_failed_end_reports_failed(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[2];
    HRESULT hr;
    OFFLINEFILES_OP_RESPONSE r;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    IOfflineFilesSyncProgress_SyncItemResult(the_fake.progress, L"\\\\fs01\\a", S_OK, NULL, &r);
    IOfflineFilesSyncProgress_SyncItemResult(the_fake.progress, L"\\\\fs01\\b", E_ACCESSDENIED, NULL, &r);
    IOfflineFilesSyncProgress_End(the_fake.progress, HRESULT_FROM_WIN32(ERROR_BAD_NETPATH));
    assert_int_equal(pump_reports(f, rep, 2), 1);
    assert_int_equal(rep[0].step, SYNCNOW_STEP_ENDED);
    assert_int_equal(rep[0].hr, HRESULT_FROM_WIN32(ERROR_BAD_NETPATH));
    assert_int_equal(rep[0].reason, OF_REASON_FAILED);
    assert_int_equal(rep[0].items, 2);
    assert_int_equal(rep[0].failed_items, 1);
    assert_false(syncnow_active(f->s));
}

static void test_abort_makes_the_service_stop_and_counts_as_shutdown(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[2];
    HRESULT hr;
    BOOL abort = FALSE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    IOfflineFilesSyncProgress_Begin(the_fake.progress, &abort);
    assert_false(abort);
    syncnow_abort(f->s);
    IOfflineFilesSyncProgress_QueryAbort(the_fake.progress, &abort);
    assert_true(abort);
    IOfflineFilesSyncProgress_End(the_fake.progress, CANCELLED);
    assert_int_equal(pump_reports(f, rep, 2), 2);
    assert_int_equal(rep[1].step, SYNCNOW_STEP_ENDED);
    assert_int_equal(rep[1].reason, OF_REASON_SHUTDOWN);
}

static void test_forget_drops_a_sync_whose_service_is_gone(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[2];
    HRESULT hr;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    syncnow_forget(f->s);
    assert_false(syncnow_active(f->s));
    assert_int_equal(the_fake.refs, 0);
    /* A late End is not posted any more. */
    IOfflineFilesSyncProgress_End(the_fake.progress, S_OK);
    assert_int_equal(pump_reports(f, rep, 2), 0);
    /* And a new sync may start. */
    IOfflineFilesSyncProgress_Release(the_fake.progress);
    the_fake.progress = NULL;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
}

static void test_close_aborts_and_refuses_more(void **state)
{
    sfixture *f = *state;
    HRESULT hr;
    BOOL abort = FALSE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    syncnow_close(f->s);
    syncnow_close(f->s);
    IOfflineFilesSyncProgress_QueryAbort(the_fake.progress, &abort);
    assert_true(abort);
    assert_false(syncnow_active(f->s));
    assert_int_equal(the_fake.refs, 0);
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_BUSY);
    assert_int_equal(the_fake.sync_calls, 1);
}

static void test_no_shares_is_said_and_nothing_starts(void **state)
{
    sfixture *f = *state;
    HRESULT hr = E_FAIL;
    the_fake.n_shares = 0; /* servers without shares */
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_NO_SERVERS);
    assert_int_equal(hr, S_OK);
    the_fake.extra_children[0] = L"relative";
    the_fake.extra_children[1] = L"\\\\fs01";
    the_fake.n_extra_children = 2; /* nothing usable either */
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_NO_SERVERS);
    the_fake.n_servers = 0;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_NO_SERVERS);
    assert_int_equal(the_fake.sync_calls, 0);
    assert_false(syncnow_active(f->s));
}

static void test_listing_failures_are_reported_not_guessed(void **state)
{
    sfixture *f = *state;
    HRESULT hr;
    the_fake.enum_hr = HRESULT_FROM_WIN32(ERROR_NOT_READY);
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_LIST_FAILED);
    assert_int_equal(hr, HRESULT_FROM_WIN32(ERROR_NOT_READY));
    the_fake.enum_hr = S_OK;
    the_fake.no_container = TRUE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_LIST_FAILED);
    assert_int_equal(hr, E_NOINTERFACE);
    the_fake.no_container = FALSE;
    /* A server whose shares cannot be listed fails the list too: syncing
     * only the other servers would look like a full sync. */
    the_fake.server_enum_hr = HRESULT_FROM_WIN32(ERROR_NOT_READY);
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_LIST_FAILED);
    assert_int_equal(hr, HRESULT_FROM_WIN32(ERROR_NOT_READY));
    the_fake.server_enum_hr = S_OK;
    the_fake.server_no_container = TRUE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_LIST_FAILED);
    assert_int_equal(hr, E_NOINTERFACE);
    assert_int_equal(the_fake.sync_calls, 0);
    assert_false(syncnow_active(f->s));
}

static void test_synchronize_refusal_is_reported(void **state)
{
    sfixture *f = *state;
    syncnow_report rep[2];
    HRESULT hr;
    the_fake.sync_hr = E_ACCESSDENIED;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_START_FAILED);
    assert_int_equal(hr, E_ACCESSDENIED);
    assert_false(syncnow_active(f->s));
    assert_int_equal(pump_reports(f, rep, 2), 0);
    the_fake.sync_hr = S_OK;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
}

static void test_endless_enumerators_are_cut_at_the_limit(void **state)
{
    sfixture *f = *state;
    HRESULT hr;
    syncnow_report rep[2];
    /* Servers for ever, two shares each: the list fills up. */
    the_fake.endless = TRUE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    assert_int_equal(the_fake.n_paths, SYNCNOW_MAX_PATHS);
    assert_true(!wcscmp(the_fake.paths[SYNCNOW_MAX_PATHS - 1], L"\\\\srv127\\home"));
    IOfflineFilesSyncProgress_End(the_fake.progress, S_OK);
    assert_int_equal(pump_reports(f, rep, 2), 1);
    IOfflineFilesSyncProgress_Release(the_fake.progress);
    the_fake.progress = NULL;

    /* One server with shares for ever: the same. */
    the_fake.endless = FALSE;
    the_fake.endless_shares = TRUE;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_STARTED);
    assert_int_equal(the_fake.n_paths, SYNCNOW_MAX_PATHS);
    assert_true(!wcscmp(the_fake.paths[SYNCNOW_MAX_PATHS - 1], L"\\\\fs01\\s255"));
    IOfflineFilesSyncProgress_End(the_fake.progress, S_OK);
    assert_int_equal(pump_reports(f, rep, 2), 1);
    IOfflineFilesSyncProgress_Release(the_fake.progress);
    the_fake.progress = NULL;

    /* Servers for ever and none has a share: the list never fills, and the
     * listing still ends after a bounded number of calls. */
    the_fake.endless = TRUE;
    the_fake.endless_shares = FALSE;
    the_fake.n_shares = 0;
    the_fake.next_calls = 0;
    assert_int_equal(syncnow_start(f->s, NULL, &hr), SYNCNOW_NO_SERVERS);
    assert_in_range(the_fake.next_calls, 2, 4 * SYNCNOW_MAX_PATHS);
    assert_int_equal(the_fake.sync_calls, 2);
}

static void test_without_the_class_the_list_fails(void **state)
{
    HWND hwnd = sta_target_window();
    syncnow *s = syncnow_create(hwnd);
    HRESULT hr = S_OK;
    (void)state;
    assert_non_null(s);
    assert_int_equal(syncnow_start(s, NULL, &hr), SYNCNOW_LIST_FAILED);
    assert_true(FAILED(hr));
    assert_false(syncnow_active(s));
    assert_int_equal(syncnow_start(NULL, NULL, &hr), SYNCNOW_BUSY);
    assert_false(syncnow_active(NULL));
    syncnow_free(s);
    DestroyWindow(hwnd);
}

/* ---- the strings in the shipped program ------------------------------------------ */

static void test_strings_in_both_languages(void **state)
{
    static const struct {
        UINT id;
        unsigned inserts; /* exactly these; any other '%' fails */
    } ids[] = {
        {IDS_SYNC_NOW_TITLE, 0},
        {IDS_SYNC_NOW_NO_SERVICE, 0},
        {IDS_SYNC_NOW_NO_SERVERS, 0},
        {IDS_SYNC_NOW_LIST_FAILED, RC_INSERT(1)},
        {IDS_SYNC_NOW_START_FAILED, RC_INSERT(1)},
        {IDS_SYNC_NOW_BUSY, 0},
        {IDS_SYNC_NOW_CLI_FAILED, RC_INSERT(1)},
        {IDS_TIP_SYNC_NOW, RC_INSERT(1)},
    };
    static const LANGID langs[] = {MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                                   MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN)};
    WCHAR path[MAX_PATH * 2], en[1024], text[4096];
    HMODULE exe;
    (void)state;
    exe = shipped_exe_load(path, ARRAYSIZE(path));
    if (!exe)
        fail_msg("cannot load %ls as data (error %lu)", path, (unsigned long)GetLastError());
    for (size_t i = 0; i < ARRAYSIZE(ids); i++) {
        rc_string_copy(exe, ids[i].id, langs[0], en, ARRAYSIZE(en));
        for (size_t l = 0; l < ARRAYSIZE(langs); l++) {
            rc_string_copy(exe, ids[i].id, langs[l], text, ARRAYSIZE(text));
            if (!text[0])
                fail_msg("string %u missing in language 0x%04x", ids[i].id, langs[l]);
            if (rc_inserts(text) != ids[i].inserts)
                fail_msg("string %u (0x%04x) \"%ls\": inserts 0x%x, want 0x%x", ids[i].id, langs[l], text,
                         rc_inserts(text), ids[i].inserts);
            /* Translated: only the bare "ofnotify: %1" may read the same. */
            if (l > 0 && ids[i].id != IDS_SYNC_NOW_CLI_FAILED && !wcscmp(text, en))
                fail_msg("string %u is not translated: \"%ls\"", ids[i].id, text);
        }
    }
    /* --help names the switch in both languages. */
    for (size_t l = 0; l < ARRAYSIZE(langs); l++) {
        rc_string_copy(exe, IDS_USAGE, langs[l], text, ARRAYSIZE(text));
        assert_non_null(wcsstr(text, L"--sync-now"));
        assert_non_null(wcsstr(text, L"5 "));
    }
    FreeLibrary(exe);
}

/* ---- main ------------------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_progress_identity, psetup, pteardown),
        cmocka_unit_test(test_progress_refcount_and_free),
        cmocka_unit_test_setup_teardown(test_progress_slots_are_the_sdks, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_begin_then_end_post_once_each, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_end_without_begin_still_ends, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_abort_is_answered_everywhere, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_null_out_parameters, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_detached_posts_nothing, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_progress_calls_from_other_threads, psetup, pteardown),
        cmocka_unit_test(test_reason_of_an_end),
        cmocka_unit_test(test_strings_in_both_languages),
        cmocka_unit_test(test_without_the_class_the_list_fails),
        cmocka_unit_test_setup_teardown(test_start_syncs_every_share_two_way_async, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_credential_prompt_owner_is_the_window_passed_in, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_second_start_while_one_runs_is_busy, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_begin_and_end_report_a_completed_sync, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_failed_end_reports_failed, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_abort_makes_the_service_stop_and_counts_as_shutdown, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_forget_drops_a_sync_whose_service_is_gone, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_close_aborts_and_refuses_more, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_no_shares_is_said_and_nothing_starts, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_listing_failures_are_reported_not_guessed, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_synchronize_refusal_is_reported, ssetup, steardown),
        cmocka_unit_test_setup_teardown(test_endless_enumerators_are_cut_at_the_limit, ssetup, steardown),
    };
    return cmocka_run_group_tests(tests, sta_group_setup, sta_group_teardown);
}
