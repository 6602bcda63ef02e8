/* make bench: how long the history window takes with a million records.
 *
 * Builds histories of 1,000 and 1,000,000 records in memory (the 1.0 file
 * format, read through core/history like the app's own file), opens the real
 * window under Wine for each, and prints the time from historywnd_open to the
 * first painted list view (firstpaint.h; the first window of the process also
 * on its own, and bench_listfloor.c times a bare list the same way), then
 * sorting, filtering by direction and searching, each the median of a few
 * runs, and the cost of one new record appended while the window is open (the
 * app's records_changed, per record, as passes end), and Export… of
 * everything shown (written on a worker thread: how long Export… itself
 * takes, the longest the window's message loop is kept busy meanwhile, the
 * time to the written file), with the ratio of the two sizes. A ratio near 1
 * means the step does not grow with the history. Nothing is asserted: the
 * numbers are for people (tests check behaviour, not speed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <commctrl.h>

#include "firstpaint.h"
#include "historywnd.h"
#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
#include "support/memfs.h"
#include "support/pump.h"
#include "support/records.h"

#define BASE_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define RUNS 5
#define APPENDS 50 /* records appended per run, while the window is open */

/* Control IDs (histlayout.h) and the search timer of historywnd.c. */
enum { ID_FILTER = 4, ID_SEARCH = 6 };
#define TIMER_SEARCH 1
#define COL_DURATION 2
#define COL_COMPLETED 0

static LARGE_INTEGER freq;
/* The first opening of the process: it pays for what Wine sets up at first use. */
static double first_open = -1;

static double ms_between(LARGE_INTEGER a, LARGE_INTEGER b)
{
    return (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)freq.QuadPart;
}

static LARGE_INTEGER now(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return t;
}

/* n records one minute apart, ending now-ish, mixed directions; record 0 is
 * the only fill-sparse pass and the only one of "1 h 2 min". */
static const uint32_t dirs[] = {OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND,
                                OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND,
                                OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_BACKGROUND};

/* Writable: the append step adds records as the app does. */
static of_history *make_history(memfs *fs, size_t n)
{
    size_t size;
    unsigned char *file = history_file_of(n, BASE_MS, dirs, ARRAYSIZE(dirs), &size);
    of_history *h = NULL;
    if (!file)
        return NULL;
    if (memfs_put(fs, "bench.dat", file, size) != 0 ||
        of_history_open(&h, memfs_fs(fs), "bench.dat", 0, BASE_MS, NULL) != OF_HISTORY_OK)
        h = NULL;
    free(file);
    return h;
}

static HWND list_of(HWND wnd)
{
    return FindWindowExW(wnd, NULL, WC_LISTVIEWW, NULL);
}

static void click_column(HWND wnd, int col)
{
    HWND list = list_of(wnd);
    NMLISTVIEW nm = {.hdr = {.hwndFrom = list, .idFrom = (UINT_PTR)GetDlgCtrlID(list), .code = LVN_COLUMNCLICK},
                     .iItem = -1, .iSubItem = col};
    SendMessageW(wnd, WM_NOTIFY, nm.hdr.idFrom, (LPARAM)&nm);
    UpdateWindow(list);
}

static void choose_direction(HWND wnd, int item)
{
    HWND combo = GetDlgItem(wnd, ID_FILTER);
    SendMessageW(combo, CB_SETCURSEL, (WPARAM)item, 0);
    SendMessageW(wnd, WM_COMMAND, MAKEWPARAM(ID_FILTER, CBN_SELCHANGE), (LPARAM)combo);
    UpdateWindow(list_of(wnd));
}

static void search_for(HWND wnd, const WCHAR *text)
{
    SetWindowTextW(GetDlgItem(wnd, ID_SEARCH), text);
    SendMessageW(wnd, WM_TIMER, TIMER_SEARCH, 0);
    UpdateWindow(list_of(wnd));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

enum { STEP_OPEN, STEP_SORT, STEP_SORT_BACK, STEP_FILTER, STEP_UNFILTER, STEP_SEARCH, STEP_UNSEARCH,
       STEP_APPEND, STEP_APPEND_PAINTED, STEP_APPEND_SELECTED, STEP_APPEND_SORTED, STEP_EXPORT_START,
       STEP_EXPORT_BLOCK, STEP_EXPORT_DONE, STEP_COUNT };
static const char *const step_names[STEP_COUNT] = {
    "open -> first painted list", "sort by duration", "sort by completion again", "filter by direction",
    "filter off", "search \"1 h 2 min\"", "search cleared", "append: take in (each)",
    "append: take in and paint", "append: a row selected", "append: sorted by duration",
    "export: Export... returns", "export: longest UI block", "export: file written",
};

/* Export… writes the CSV here; the dialog is not asked. */
static WCHAR export_path[MAX_PATH];

static BOOL bench_target(HWND owner, size_t count, WCHAR *path, size_t cap, export_format *format)
{
    (void)owner, (void)count;
    if (wcslen(export_path) >= cap)
        return FALSE;
    wcscpy(path, export_path);
    *format = EXPORT_CSV;
    return TRUE;
}

static void bench_error(HWND owner, const WCHAR *text)
{
    (void)owner;
    fprintf(stderr, "bench: export failed: %ls\n", text);
}

static const historywnd_io bench_io = {NULL, bench_target, bench_error, NULL};

/* Export… of everything the window shows, as the user starts it, then the window's message loop
 * until the worker has written the file: how long Export… itself took (the copy of the records is
 * made there), the longest any one message kept the loop busy meanwhile (the progress dialog's
 * updates among them), and the time until the file was written. */
static int measure_export(HWND wnd, double *out)
{
    double longest = 0;
    LARGE_INTEGER t0, t1;
    historywnd_set_io(wnd, &bench_io);
    t0 = now();
    if (!historywnd_export(wnd))
        return -1;
    t1 = now();
    out[STEP_EXPORT_START] = ms_between(t0, t1);
    while (historywnd_exporting(wnd)) {
        MSG m;
        MsgWaitForMultipleObjectsEx(0, NULL, 20, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
        while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
            LARGE_INTEGER a = now();
            TranslateMessage(&m);
            DispatchMessageW(&m);
            double d = ms_between(a, now());
            longest = d > longest ? d : longest;
        }
    }
    out[STEP_EXPORT_DONE] = ms_between(t0, now());
    out[STEP_EXPORT_BLOCK] = longest > out[STEP_EXPORT_START] ? longest : out[STEP_EXPORT_START];
    historywnd_set_io(wnd, NULL);
    return GetFileAttributesW(export_path) == INVALID_FILE_ATTRIBUTES ? -1 : 0;
}

static void select_row(HWND wnd, int row)
{
    ListView_SetItemState(list_of(wnd), row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
}

/* ms per record for the window to take in a record just appended (the
 * app's historywnd_records_changed), as when a pass ends; with repaint
 * also the paint it asks for. The append to the file is not counted. */
static double append_each(HWND app, of_history *h, BOOL repaint)
{
    double total = 0;
    size_t n = of_history_count(h);
    for (size_t k = 0; k < APPENDS; k++) {
        of_record r = rec(BASE_MS + (int64_t)(n + k) * 1000, 1000, dirs[(n + k) % ARRAYSIZE(dirs)],
                          OF_STATUS_COMPLETED, OF_REASON_NONE);
        LARGE_INTEGER t0;
        if (of_history_append(h, &r) != OF_HISTORY_OK)
            return -1;
        t0 = now();
        historywnd_records_changed(app);
        if (repaint)
            pump();
        total += ms_between(t0, now());
        if (!repaint)
            pump();
    }
    return total / APPENDS;
}

static int measure(size_t n, double *out)
{
    memfs *fs = memfs_new();
    of_history *h = fs ? make_history(fs, n) : NULL;
    /* Stands in for the app window, which the history window belongs to. */
    HWND app = CreateWindowExW(0, WC_STATICW, L"", WS_POPUP, 0, 0, 0, 0, NULL, NULL, GetModuleHandleW(NULL), NULL);
    double t[STEP_COUNT][RUNS];
    if (!h || !app) {
        fprintf(stderr, "bench: could not build a history of %zu records\n", n);
        return -1;
    }
    for (int run = 0; run < RUNS; run++) {
        LARGE_INTEGER t0, painted_at;
        HWND wnd;
        BOOL painted = firstpaint_start();
        t0 = now();
        wnd = historywnd_open(GetModuleHandleW(NULL), app, h);
        painted = firstpaint_stop(&painted_at) && painted;
        if (!wnd || !painted) {
            fprintf(stderr, "bench: the window did not open and paint\n");
            return -1;
        }
        t[STEP_OPEN][run] = ms_between(t0, painted_at);
        if (first_open < 0)
            first_open = t[STEP_OPEN][run];
        pump();
        t0 = now();
        click_column(wnd, COL_DURATION);
        t[STEP_SORT][run] = ms_between(t0, now());
        t0 = now();
        click_column(wnd, COL_COMPLETED);
        t[STEP_SORT_BACK][run] = ms_between(t0, now());
        t0 = now();
        choose_direction(wnd, 4);
        t[STEP_FILTER][run] = ms_between(t0, now());
        t0 = now();
        choose_direction(wnd, 0);
        t[STEP_UNFILTER][run] = ms_between(t0, now());
        t0 = now();
        search_for(wnd, L"1 h 2 min");
        t[STEP_SEARCH][run] = ms_between(t0, now());
        t0 = now();
        search_for(wnd, L"");
        t[STEP_UNSEARCH][run] = ms_between(t0, now());
        t[STEP_APPEND][run] = append_each(app, h, FALSE);
        t[STEP_APPEND_PAINTED][run] = append_each(app, h, TRUE);
        select_row(wnd, 10);
        t[STEP_APPEND_SELECTED][run] = append_each(app, h, FALSE);
        click_column(wnd, COL_DURATION);
        t[STEP_APPEND_SORTED][run] = append_each(app, h, FALSE);
        for (int s = STEP_APPEND; s <= STEP_APPEND_SORTED; s++)
            if (t[s][run] < 0) {
                fprintf(stderr, "bench: a record could not be appended\n");
                return -1;
            }
        if (run == RUNS - 1) {
            /* Once, the last run: a million records take seconds to write. */
            click_column(wnd, COL_COMPLETED);
            if (measure_export(wnd, out) != 0) {
                fprintf(stderr, "bench: the export did not write its file\n");
                return -1;
            }
            DeleteFileW(export_path);
        }
        historywnd_close(app);
        pump();
    }
    for (int s = 0; s < STEP_EXPORT_START; s++)
        out[s] = median(t[s], RUNS);
    DestroyWindow(app);
    of_history_close(h);
    memfs_free(fs);
    return 0;
}

int main(void)
{
    double small[STEP_COUNT], big[STEP_COUNT];
    QueryPerformanceFrequency(&freq);
    GetTempPathW(ARRAYSIZE(export_path), export_path);
    wcscat(export_path, L"ofnotify-bench-export.csv");
    /* The window remembers its placement; start from none. */
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ofnotify\\HistoryWindow");
    if (measure(1000, small) || measure(1000000, big))
        return 1;
    printf("history window, median of %d runs (ms; the export once)\n", RUNS);
    printf("%-30s %12s %12s %8s\n", "step", "1,000", "1,000,000", "ratio");
    for (int s = 0; s < STEP_COUNT; s++)
        printf("%-30s %12.1f %12.1f %8.1f\n", step_names[s], small[s], big[s], small[s] > 0 ? big[s] / small[s] : 0);
    printf("open -> first painted list, first window %8.1f\n", first_open);
    return 0;
}
