/* make bench: one background pass through ofnotify in process, from the
 * sink's method to the record on disk.
 *
 * The real app (app_run) runs on a thread of its own with a fresh data folder
 * and no Offline Files service, as in test_endsession. A sink made by
 * sink_create for the app's window (the same code as the one the app advises;
 * that one is only reachable through the service) is called through its
 * IOfflineFilesEvents2 vtable on the app's thread, as the service's calls
 * arrive there: a WH_GETMESSAGE hook on that thread makes the calls when it
 * sees this program's messages come out of the app's queue.
 *
 * One pass: BackgroundSyncBegin is called, then a marker is posted behind
 * what it posted; when the app takes the marker from its queue, the Begin has
 * been handled. Then BackgroundSyncEnd is called and timed: on the app's
 * thread the sink records the pass before it returns, so the call holds the
 * sink's copy and post, taking that message back from the queue, pairing the
 * End with its Begin, queueing the Event Log's report of the pass, appending
 * the record to history.dat with its flush to disk (one FlushFileBuffers per
 * record), the balloon policy's decision, and the tray icon's tooltip and
 * state update. That the record is on disk when the call returns is checked
 * for every measured pass (the file has grown). A second marker then times
 * the End to the app's next turn of its loop, and the Begin's own interval
 * is printed too. PASSES passes after WARMUP unmeasured ones (the history is
 * opened from the message loop after start-up); at the end the history file
 * must hold every one of them.
 *
 * Two lines say what part of that is the platform's: a marker alone, posted
 * and taken from the app's queue (the message loop's own round trip, which
 * every event pays), and of_history_append alone on a file of its own in the
 * same folder, through the app's file system (fs_win32: write and flush).
 * Nothing is asserted about speed: the figures are for people. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <objbase.h>

#include "../../src/app/app.h"
#include "../../src/app/fs_win32.h"
#include "../../src/app/instance.h"
#include "../../src/app/paths.h"
#include "../../src/app/sink.h"
#include "ofnotify/history.h"
#include "offlinefiles.h"
#include "support/apartment.h"

#define PASSES 10000
#define WARMUP 100
#define WAIT_MS 10000
#define PASS_FLAGS (OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT)

enum { MARK_BEGUN = 1, MARK_ENDED = 2, MARK_ALONE = 3 };

typedef struct run {
    WCHAR dir[MAX_PATH];
    cli_options opts;
    int rc;
} run;

/* Everything below the hook touches runs on the app's thread. */
static struct {
    HWND wnd;
    UINT go, mark;
    IUnknown *sink;
    IOfflineFilesEvents2 *events;
    LARGE_INTEGER t0;
    int done;  /* passes finished, warm-up included */
    int alone; /* markers alone taken */
    double *begin_us, *end_us, *end_loop_us, *alone_us;
    const WCHAR *history;
    LONGLONG history_size; /* the file's size after the last End */
    int not_on_disk;       /* measured Ends that returned before their record was in the file */
    HANDLE finished;
    HRESULT failed;
} b;

static LARGE_INTEGER freq;

static double us_since(LARGE_INTEGER t0)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)(t.QuadPart - t0.QuadPart) * 1e6 / (double)freq.QuadPart;
}

static void stop(HRESULT hr)
{
    b.failed = hr;
    SetEvent(b.finished);
}

static void post_alone(void);

static void start_pass(void)
{
    HRESULT hr;
    QueryPerformanceCounter(&b.t0);
    hr = b.events->lpVtbl->BackgroundSyncBegin(b.events, PASS_FLAGS);
    if (FAILED(hr) || !PostMessageW(b.wnd, b.mark, MARK_BEGUN, 0))
        stop(FAILED(hr) ? hr : E_FAIL);
}

static LONGLONG file_size(const WCHAR *path)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &a))
        return -1;
    return (LONGLONG)a.nFileSizeHigh << 32 | a.nFileSizeLow;
}

static void on_begun(void)
{
    HRESULT hr;
    LONGLONG size;
    double call_us;
    if (b.done >= WARMUP)
        b.begin_us[b.done - WARMUP] = us_since(b.t0);
    QueryPerformanceCounter(&b.t0);
    hr = b.events->lpVtbl->BackgroundSyncEnd(b.events, PASS_FLAGS);
    call_us = us_since(b.t0);
    size = file_size(b.history);
    if (b.done >= WARMUP) {
        b.end_us[b.done - WARMUP] = call_us;
        if (size <= b.history_size)
            b.not_on_disk++;
    }
    b.history_size = size;
    if (FAILED(hr) || !PostMessageW(b.wnd, b.mark, MARK_ENDED, 0))
        stop(FAILED(hr) ? hr : E_FAIL);
}

static void on_ended(void)
{
    if (b.done >= WARMUP)
        b.end_loop_us[b.done - WARMUP] = us_since(b.t0);
    if (++b.done < WARMUP + PASSES)
        start_pass();
    else
        post_alone();
}

static void post_alone(void)
{
    QueryPerformanceCounter(&b.t0);
    if (!PostMessageW(b.wnd, b.mark, MARK_ALONE, 0))
        stop(E_FAIL);
}

static void on_alone(void)
{
    b.alone_us[b.alone] = us_since(b.t0);
    if (++b.alone == PASSES)
        SetEvent(b.finished);
    else
        post_alone();
}

static LRESULT CALLBACK queue_hook(int code, WPARAM wp, LPARAM lp)
{
    const MSG *m = (const MSG *)lp;
    if (code == HC_ACTION && wp == PM_REMOVE && m->hwnd == b.wnd) {
        if (m->message == b.go) {
            HRESULT hr = sink_create(b.wnd, &b.sink);
            if (SUCCEEDED(hr))
                hr = IUnknown_QueryInterface(b.sink, &IID_IOfflineFilesEvents2, (void **)&b.events);
            if (FAILED(hr))
                stop(hr);
            else
                start_pass();
        } else if (m->message == b.mark && m->wParam == MARK_BEGUN) {
            on_begun();
        } else if (m->message == b.mark && m->wParam == MARK_ENDED) {
            on_ended();
        } else if (m->message == b.mark && m->wParam == MARK_ALONE) {
            on_alone();
        }
    }
    return CallNextHookEx(NULL, code, wp, lp);
}

static void app_thread(void *param)
{
    run *r = param;
    r->rc = app_run(GetModuleHandleW(NULL), &r->opts);
}

static int cmp_double(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return p < q ? -1 : p > q;
}

static double percentile(const double *sorted, int n, int q)
{
    int i = (int)((int64_t)n * q / 100);
    return sorted[i < n ? i : n - 1];
}

static void print_line(const char *name, double *v)
{
    qsort(v, PASSES, sizeof(*v), cmp_double);
    printf("%-44s %10.1f %10.1f %10.1f\n", name, percentile(v, PASSES, 50), percentile(v, PASSES, 99), v[PASSES - 1]);
}

static size_t records_in(const WCHAR *dir)
{
    char path[MAX_PATH * 8];
    of_history *h = NULL;
    of_history_report report;
    size_t n;
    if (paths_history_utf8(dir, path, sizeof(path)) != 0 ||
        of_history_open(&h, fs_win32(), path, OF_HISTORY_READONLY, 0, &report) != OF_HISTORY_OK)
        return 0;
    n = of_history_count(h);
    of_history_close(h);
    return n;
}

#define ALONE_FILE L"append-alone.dat"

/* PASSES appends to a new file of its own in dir; 0, or -1. */
static int append_alone(const WCHAR *dir, double *us)
{
    WCHAR wide[MAX_PATH * 2];
    char path[MAX_PATH * 8];
    of_history *h = NULL;
    int rc = 0;
    _snwprintf(wide, ARRAYSIZE(wide), L"%ls\\" ALONE_FILE, dir);
    wide[ARRAYSIZE(wide) - 1] = 0;
    if (!WideCharToMultiByte(CP_UTF8, 0, wide, -1, path, sizeof(path), NULL, NULL) ||
        of_history_open(&h, fs_win32(), path, 0, 0, NULL) != OF_HISTORY_OK)
        return -1;
    for (int i = 0; i < PASSES && rc == 0; i++) {
        of_record r = {.started_ms = 1795525200000 + i * 60000, .completed_ms = 1795525200000 + i * 60000 + 1000,
                       .duration_ms = 1000, .flags = PASS_FLAGS, .begin_flags = PASS_FLAGS,
                       .status = OF_STATUS_COMPLETED};
        LARGE_INTEGER t0;
        QueryPerformanceCounter(&t0);
        if (of_history_append(h, &r) != OF_HISTORY_OK)
            rc = -1;
        us[i] = us_since(t0);
    }
    of_history_close(h);
    return rc;
}

static void remove_data_dir(const WCHAR *dir)
{
    static const WCHAR *const names[] = {HISTORY_FILE_NAME, ALONE_FILE};
    WCHAR file[MAX_PATH * 2];
    for (size_t i = 0; i < ARRAYSIZE(names); i++) {
        _snwprintf(file, ARRAYSIZE(file), L"%ls\\%ls", dir, names[i]);
        file[ARRAYSIZE(file) - 1] = 0;
        DeleteFileW(file);
    }
    RemoveDirectoryW(dir);
}

int main(void)
{
    static run r;
    WCHAR tmp[MAX_PATH], history[MAX_PATH * 2];
    DWORD_PTR answer = 0;
    HANDLE thread;
    HHOOK hook;
    size_t records;
    int rc = 1;

    QueryPerformanceFrequency(&freq);
    b.begin_us = calloc(PASSES, sizeof(double));
    b.end_us = calloc(PASSES, sizeof(double));
    b.end_loop_us = calloc(PASSES, sizeof(double));
    b.alone_us = calloc(PASSES, sizeof(double));
    double *append_us = calloc(PASSES, sizeof(double));
    b.finished = CreateEventW(NULL, TRUE, FALSE, NULL);
    b.go = RegisterWindowMessageW(L"ofnotify.bench.eventpath.go");
    b.mark = RegisterWindowMessageW(L"ofnotify.bench.eventpath.mark");
    if (!b.begin_us || !b.end_us || !b.end_loop_us || !b.alone_us || !append_us || !b.finished || !b.go || !b.mark)
        return 1;

    GetTempPathW(ARRAYSIZE(tmp), tmp);
    _snwprintf(r.dir, ARRAYSIZE(r.dir), L"%lsofnotify-bench-eventpath-%lu", tmp, GetCurrentProcessId());
    r.dir[ARRAYSIZE(r.dir) - 1] = 0;
    r.opts.mode = CLI_TRAY;
    r.opts.data_dir = r.dir;
    r.rc = -1;
    _snwprintf(history, ARRAYSIZE(history), L"%ls\\%ls", r.dir, HISTORY_FILE_NAME);
    history[ARRAYSIZE(history) - 1] = 0;
    b.history = history;
    thread = apartment_thread(COINIT_APARTMENTTHREADED, app_thread, &r);
    b.wnd = thread ? apartment_wait_window(APP_WINDOW_CLASS, WAIT_MS) : NULL;
    if (!b.wnd) {
        fprintf(stderr, "bench: the app window did not appear\n");
        return 1;
    }
    hook = SetWindowsHookExW(WH_GETMESSAGE, queue_hook, NULL, GetWindowThreadProcessId(b.wnd, NULL));
    if (!hook || !PostMessageW(b.wnd, b.go, 0, 0)) {
        fprintf(stderr, "bench: cannot reach the app's thread\n");
        return 1;
    }
    if (WaitForSingleObject(b.finished, 600000) != WAIT_OBJECT_0 || FAILED(b.failed)) {
        fprintf(stderr, "bench: the passes did not finish (0x%08lX, %d done)\n", (unsigned long)b.failed, b.done);
        return 1;
    }
    UnhookWindowsHookEx(hook);

    /* The app ends as at a Restart Manager close. The sink is a plain object
     * that nothing calls any more; it is released here afterwards. */
    SendMessageTimeoutW(b.wnd, WM_ENDSESSION, TRUE, ENDSESSION_CLOSEAPP, SMTO_NORMAL, WAIT_MS, &answer);
    if (WaitForSingleObject(thread, WAIT_MS) != WAIT_OBJECT_0) {
        fprintf(stderr, "bench: the app did not end\n");
        return 1;
    }
    b.events->lpVtbl->Release(b.events);
    IUnknown_Release(b.sink);

    records = records_in(r.dir);
    if (append_alone(r.dir, append_us) != 0) {
        fprintf(stderr, "bench: of_history_append failed on a file of its own\n");
        rc = 2;
    }
    printf("in-process event path, %d passes after %d unmeasured (us)\n", PASSES, WARMUP);
    printf("%-44s %10s %10s %10s\n", "step", "p50", "p99", "max");
    print_line("BackgroundSyncBegin -> handled", b.begin_us);
    print_line("BackgroundSyncEnd call: on disk, balloon decided", b.end_us);
    print_line("End, then the app's loop to a marker", b.end_loop_us);
    print_line("a marker alone through the app's queue", b.alone_us);
    if (rc != 2)
        print_line("of_history_append alone (write, flush)", append_us);
    printf("records in the history: %zu of %d\n", records, WARMUP + PASSES);
    printf("measured Ends that returned before their record was in the file: %d\n", b.not_on_disk);
    if (records == (size_t)(WARMUP + PASSES) && r.rc == 0 && rc != 2 && !b.not_on_disk)
        rc = 0;
    else if (rc != 2)
        fprintf(stderr, "bench: the history holds %zu records, %d expected; app_run returned %d\n", records,
                WARMUP + PASSES, r.rc);
    remove_data_dir(r.dir);
    CloseHandle(thread);
    return rc;
}
