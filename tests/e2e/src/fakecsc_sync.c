/* e2e: IOfflineFilesCache::Synchronize of the fake Offline Files service.
 *
 * What the docs describe, played with a small made-up cache: every path must
 * be a "fully qualified UNC path" of a file or directory, so at least
 * \\server\share (a bare \\server is refused with E_INVALIDARG, logged);
 * each path holds `files` files (sync-files). With bAsync the call returns at
 * once and the work runs on another thread; the caller's
 * IOfflineFilesSyncProgress gets Begin, then per file SyncItemBegin and
 * SyncItemResult, with QueryAbort before each file and every QUERY_EVERY_MS
 * while a file takes its time, then End with the result
 * (HRESULT_FROM_WIN32(ERROR_CANCELLED) when the caller asked to abort, by
 * QueryAbort or by answering OFFLINEFILES_OP_ABORT, "stop processing now"). The
 * subscribers get SyncBegin, SyncFileResult per file and SyncEnd, with the
 * caller's sync id, and never BackgroundSync* (that is for the service's own
 * passes). The progress object is AddRef'd for the duration, as the docs say.
 *
 * The worker threads are in the MTA, like the service's thread pool, so the
 * caller's progress proxy may be used on them directly. Every call is logged:
 * "incoming Synchronize(...)", "progress <Method>(...) hr=... <answer>" and
 * "sync #N start/end". */
#include "fakecsc.h"

#include <stdio.h>
#include <string.h>

#include "ofnotify/syncflags.h"

/* While a file is worked on, the caller is asked this often whether to stop. */
#define QUERY_EVERY_MS 100

static CRITICAL_SECTION config_lock;
static INIT_ONCE config_once = INIT_ONCE_STATIC_INIT;
static fk_sync_config config = {2, 3, 20, S_OK};
static LONG running;      /* syncs whose worker has not finished */
static LONG sync_counter; /* numbers the syncs in the log */
static HANDLE idle_event; /* set while no sync runs */

static BOOL CALLBACK init_once(INIT_ONCE *once, void *param, void **ctx)
{
    (void)once, (void)param, (void)ctx;
    InitializeCriticalSection(&config_lock);
    idle_event = CreateEventW(NULL, TRUE, TRUE, NULL);
    return idle_event != NULL;
}

static void init(void)
{
    InitOnceExecuteOnce(&config_once, init_once, NULL, NULL);
}

fk_sync_config fk_sync_get_config(void)
{
    fk_sync_config c;
    init();
    EnterCriticalSection(&config_lock);
    c = config;
    LeaveCriticalSection(&config_lock);
    return c;
}

void fk_sync_configure(scn_op op, uint32_t value)
{
    init();
    EnterCriticalSection(&config_lock);
    switch (op) {
    case SCN_SYNC_SERVERS:
        config.servers = value;
        break;
    case SCN_SYNC_FILES:
        config.files = value;
        break;
    case SCN_SYNC_DELAY:
        config.delay_ms = value;
        break;
    case SCN_SYNC_FAIL:
        config.fail_hr = (HRESULT)value;
        break;
    default:
        break;
    }
    fk_log("sync config servers=%u files=%u delay=%u fail=0x%08lX", config.servers, config.files, config.delay_ms,
           (unsigned long)config.fail_hr);
    LeaveCriticalSection(&config_lock);
}

BOOL fk_sync_wait(DWORD ms)
{
    ULONGLONG t0 = GetTickCount64();
    BOOL idle;
    init();
    idle = WaitForSingleObject(idle_event, ms) == WAIT_OBJECT_0;
    fk_log("sync-wait %s after %llu ms", idle ? "idle" : "TIMEOUT: a sync still runs", GetTickCount64() - t0);
    return idle;
}

void fk_sync_server_path(unsigned i, WCHAR *out, size_t cap)
{
    _snwprintf(out, cap, L"\\\\fs%02u", i + 1);
    out[cap - 1] = 0;
}

/* A fully qualified UNC path of a file or directory: \\server\share with
 * both names non-empty, perhaps with more below. */
static BOOL is_file_or_directory_path(const WCHAR *path)
{
    const WCHAR *share;
    if (!path || path[0] != L'\\' || path[1] != L'\\' || !path[2] || path[2] == L'\\')
        return FALSE;
    share = wcschr(path + 2, L'\\');
    return share && share[1] && share[1] != L'\\';
}

/* ------------------------------------------------------------------ a sync */

typedef struct job {
    long number;
    IOfflineFilesSyncProgress *progress; /* AddRef'd; NULL for a synchronous call without one */
    GUID sync_id;
    DWORD flags;
    fk_sync_config cfg;
    ULONG n_paths;
    WCHAR paths[FK_MAX_SINKS][FK_PATH_MAX]; /* the first FK_MAX_SINKS paths are plenty for a test */
} job;

typedef struct job_state {
    job *j;
    HRESULT result;   /* the sync's result so far */
    BOOL gone;        /* the caller's process is unreachable: no more progress calls */
    unsigned long files;
    fk_fire_stats stats;
} job_state;

static const char *hr_name(HRESULT hr, char *buf, size_t cap)
{
    if (hr == S_OK)
        return "S_OK";
    if (hr == HRESULT_FROM_WIN32(ERROR_CANCELLED))
        return "ERROR_CANCELLED";
    snprintf(buf, cap, "0x%08lX", (unsigned long)hr);
    return buf;
}

/* After every progress call: a failure that says the caller is gone ends
 * the sync (the real service drops dead clients the same way, §5.3). */
static void check_call(job_state *st, const char *method, HRESULT hr)
{
    if (fk_peer_is_gone(hr)) {
        fk_log("sync #%ld progress %s failed 0x%08lX: the caller is gone; the sync stops", st->j->number, method,
               (unsigned long)hr);
        st->gone = TRUE;
        if (SUCCEEDED(st->result))
            st->result = HRESULT_FROM_WIN32(ERROR_CANCELLED);
    }
}

static void fire(job_state *st, OFFLINEFILES_EVENTS code, const WCHAR *path, HRESULT hr)
{
    fk_event ev = {.code = code, .path = path, .hr = hr, .sync_id = &st->j->sync_id};
    fk_fire(&ev, &st->stats);
}

/* QueryAbort; FALSE when the sync must stop (the caller said abort, or is gone). */
static BOOL still_wanted(job_state *st)
{
    BOOL abort = FALSE;
    HRESULT hr;
    if (!st->j->progress)
        return TRUE;
    hr = IOfflineFilesSyncProgress_QueryAbort(st->j->progress, &abort);
    fk_log("sync #%ld progress QueryAbort() hr=0x%08lX abort=%d", st->j->number, (unsigned long)hr, abort);
    check_call(st, "QueryAbort", hr);
    if (st->gone)
        return FALSE;
    if (SUCCEEDED(hr) && abort) {
        st->result = HRESULT_FROM_WIN32(ERROR_CANCELLED);
        return FALSE;
    }
    return TRUE;
}

/* The time a file takes, asking now and then whether to go on. */
static BOOL work(job_state *st)
{
    unsigned left = st->j->cfg.delay_ms;
    while (left > 0) {
        unsigned slice = left < QUERY_EVERY_MS ? left : QUERY_EVERY_MS;
        Sleep(slice);
        left -= slice;
        if (!still_wanted(st))
            return FALSE;
    }
    return TRUE;
}

/* One file: QueryAbort, SyncItemBegin, the work, SyncItemResult, the event.
 * Returns FALSE when the sync must stop. */
static BOOL sync_file(job_state *st, const WCHAR *file, BOOL first_file)
{
    IOfflineFilesSyncProgress *p = st->j->progress;
    OFFLINEFILES_OP_RESPONSE response = OFFLINEFILES_OP_CONTINUE;
    char f8[FK_PATH_BYTES], hb[16];
    HRESULT hr, item_hr = S_OK;

    fk_utf8(file, f8, sizeof f8);
    if (!still_wanted(st))
        return FALSE;
    if (p) {
        hr = IOfflineFilesSyncProgress_SyncItemBegin(p, file, &response);
        fk_log("sync #%ld progress SyncItemBegin(%s) hr=0x%08lX response=%d", st->j->number, f8, (unsigned long)hr,
               (int)response);
        check_call(st, "SyncItemBegin", hr);
        if (st->gone)
            return FALSE;
        if (SUCCEEDED(hr) && response == OFFLINEFILES_OP_ABORT) {
            st->result = HRESULT_FROM_WIN32(ERROR_CANCELLED);
            return FALSE;
        }
    }
    if (!work(st))
        return FALSE;
    if (first_file && FAILED(st->j->cfg.fail_hr))
        item_hr = st->j->cfg.fail_hr;
    st->files++;
    if (p) {
        response = OFFLINEFILES_OP_CONTINUE;
        hr = IOfflineFilesSyncProgress_SyncItemResult(p, file, item_hr, NULL, &response);
        fk_log("sync #%ld progress SyncItemResult(%s, %s) hr=0x%08lX response=%d", st->j->number, f8,
               hr_name(item_hr, hb, sizeof hb), (unsigned long)hr, (int)response);
        check_call(st, "SyncItemResult", hr);
    }
    fire(st, OFFLINEFILES_EVENT_SYNCFILERESULT, file, item_hr);
    if (FAILED(item_hr)) {
        /* The configured failure ends the whole sync, like a lost server. */
        st->result = item_hr;
        return FALSE;
    }
    if (st->gone)
        return FALSE;
    if (p && response == OFFLINEFILES_OP_ABORT) {
        st->result = HRESULT_FROM_WIN32(ERROR_CANCELLED);
        return FALSE;
    }
    return TRUE;
}

static HRESULT run_job(job *j)
{
    job_state st = {.j = j, .result = S_OK};
    char hb[16];
    BOOL abort = FALSE, first = TRUE;
    HRESULT hr;
    WCHAR file[FK_PATH_MAX];

    fk_log("sync #%ld start paths=%lu files=%u delay=%u fail=0x%08lX", j->number, (unsigned long)j->n_paths,
           j->cfg.files, j->cfg.delay_ms, (unsigned long)j->cfg.fail_hr);
    fire(&st, OFFLINEFILES_EVENT_SYNCBEGIN, NULL, S_OK);
    if (j->progress) {
        hr = IOfflineFilesSyncProgress_Begin(j->progress, &abort);
        fk_log("sync #%ld progress Begin() hr=0x%08lX abort=%d", j->number, (unsigned long)hr, abort);
        check_call(&st, "Begin", hr);
        if (SUCCEEDED(hr) && abort)
            st.result = HRESULT_FROM_WIN32(ERROR_CANCELLED);
    }
    for (ULONG i = 0; i < j->n_paths && st.result == S_OK && !st.gone; i++) {
        for (unsigned f = 0; f < j->cfg.files; f++) {
            _snwprintf(file, ARRAYSIZE(file), L"%s\\file%u.docx", j->paths[i], f + 1);
            file[ARRAYSIZE(file) - 1] = 0;
            if (!sync_file(&st, file, first))
                break;
            first = FALSE;
        }
    }
    fire(&st, OFFLINEFILES_EVENT_SYNCEND, NULL, st.result);
    if (j->progress && !st.gone) {
        hr = IOfflineFilesSyncProgress_End(j->progress, st.result);
        fk_log("sync #%ld progress End(%s) hr=0x%08lX", j->number, hr_name(st.result, hb, sizeof hb),
               (unsigned long)hr);
    }
    fk_log("sync #%ld end hr=%s files=%lu events=%lu", j->number, hr_name(st.result, hb, sizeof hb), st.files,
           st.stats.calls);
    return st.result;
}

static void job_done(job *j)
{
    if (j->progress)
        IOfflineFilesSyncProgress_Release(j->progress);
    HeapFree(GetProcessHeap(), 0, j);
    if (InterlockedDecrement(&running) == 0)
        SetEvent(idle_event);
}

static DWORD WINAPI job_thread(void *arg)
{
    HRESULT init_hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    run_job(arg);
    job_done(arg);
    if (SUCCEEDED(init_hr))
        CoUninitialize();
    return 0;
}

HRESULT fk_sync_synchronize(HWND hwnd, LPCWSTR *paths, ULONG n, BOOL async, DWORD flags,
                            IOfflineFilesSyncConflictHandler *handler, IOfflineFilesSyncProgress *progress,
                            const GUID *sync_id)
{
    char list[1024] = "", p8[FK_PATH_BYTES], flags8[512], id8[40] = "none";
    WCHAR id[40];
    size_t used = 0;
    job *j;
    HANDLE thread;
    HRESULT hr;
    long number;

    init();
    for (ULONG i = 0; paths && i < n; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? "," : "", fk_utf8(paths[i], p8, sizeof p8));
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    of_syncflags_describe(flags, flags8, sizeof flags8);
    if (sync_id && StringFromGUID2(sync_id, id, 40))
        fk_utf8(id, id8, sizeof id8);
    fk_log("incoming Synchronize(hwnd=%s, paths=[%s], n=%lu, async=%d, flags=0x%08lX %s, handler=%s, "
           "progress=%s, id=%s)",
           hwnd ? "set" : "NULL", list, (unsigned long)n, async, (unsigned long)flags, flags8,
           handler ? "set" : "NULL", progress ? "set" : "NULL", id8);

    /* What the docs require: some paths, and a progress object when async. */
    if (!paths || n == 0 || (async && !progress)) {
        fk_log("incoming Synchronize -> E_INVALIDARG");
        return E_INVALIDARG;
    }
    for (ULONG i = 0; i < n; i++) {
        if (!is_file_or_directory_path(paths[i])) {
            fk_log("incoming Synchronize -> E_INVALIDARG (path %lu, %s, is not \\\\server\\share or below)",
                   (unsigned long)i, fk_utf8(paths[i], p8, sizeof p8));
            return E_INVALIDARG;
        }
    }
    j = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*j));
    if (!j)
        return E_OUTOFMEMORY;
    j->number = InterlockedIncrement(&sync_counter);
    j->progress = progress;
    if (progress)
        IOfflineFilesSyncProgress_AddRef(progress);
    if (sync_id)
        j->sync_id = *sync_id;
    j->flags = flags;
    j->cfg = fk_sync_get_config();
    j->n_paths = n < ARRAYSIZE(j->paths) ? n : ARRAYSIZE(j->paths);
    for (ULONG i = 0; i < j->n_paths; i++)
        lstrcpynW(j->paths[i], paths[i], FK_PATH_MAX);

    if (InterlockedIncrement(&running) == 1)
        ResetEvent(idle_event);
    if (!async) {
        hr = run_job(j);
        job_done(j);
        fk_log("incoming Synchronize -> 0x%08lX (synchronous)", (unsigned long)hr);
        return hr;
    }
    number = j->number; /* the worker frees j when it is done */
    thread = CreateThread(NULL, 0, job_thread, j, 0, NULL);
    if (!thread) {
        hr = HRESULT_FROM_WIN32(GetLastError());
        job_done(j);
        fk_log("incoming Synchronize -> 0x%08lX (no worker thread)", (unsigned long)hr);
        return hr;
    }
    CloseHandle(thread);
    fk_log("incoming Synchronize -> S_OK (sync #%ld runs on a worker thread)", number);
    return S_OK;
}
