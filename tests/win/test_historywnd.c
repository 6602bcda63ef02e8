/* Tests for src/app/historywnd: the real window and list view under Wine
 * (or Windows), over histories held in memory (tests/unit/support/memfs).
 *
 * This program has no resources, so app_strings() finds no STRINGTABLE and
 * core/format uses its language-neutral stand-ins ("two-way", "completed");
 * the expected cell texts below are those. Times are shown in local time, so
 * date cells are checked against the list view and for their year, not
 * against a fixed text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <commctrl.h>

#include "historywnd.h"
#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "ofnotify/record.h"
#include "ofnotify/syncflags.h"
#include "support/memfs.h"

#define BASE_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define NOW_MS (BASE_MS + 86400000)
#define CELL 1024
#define BIG_COUNT 1000000u

enum { C_COMPLETED, C_DIRECTION, C_DURATION, C_STARTED, C_STATUS, C_DETAILS, C_COUNT };

typedef struct fixture {
    memfs *fs;
    of_history *h;
    HWND wnd, list;
} fixture;

/* ---- helpers ---------------------------------------------------------------- */

static void pump(void)
{
    MSG msg;
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

static of_record rec(int64_t completed, uint64_t duration, uint32_t flags, of_status status, of_reason reason)
{
    of_record r;
    memset(&r, 0, sizeof(r));
    r.completed_ms = completed;
    r.started_ms = status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : completed - (int64_t)duration;
    r.duration_ms = status == OF_STATUS_UNPAIRED ? 0 : duration;
    r.flags = flags;
    r.begin_flags = flags;
    r.status = (uint8_t)status;
    r.reason = (uint8_t)reason;
    return r;
}

static void append(fixture *f, of_record r)
{
    assert_int_equal(of_history_append(f->h, &r), OF_HISTORY_OK);
}

static HWND find_list(HWND wnd)
{
    return FindWindowExW(wnd, NULL, WC_LISTVIEWW, NULL);
}

static void cell(HWND list, int row, int col, WCHAR *out)
{
    out[0] = 0;
    ListView_GetItemText(list, row, col, out, CELL);
}

static void assert_cell(HWND list, int row, int col, const WCHAR *want)
{
    WCHAR got[CELL];
    cell(list, row, col, got);
    if (wcscmp(got, want) != 0) {
        print_error("row %d col %d: got \"%ls\", want \"%ls\"\n", row, col, got, want);
        fail();
    }
}

static void click_column(HWND wnd, HWND list, int col)
{
    NMLISTVIEW nm;
    memset(&nm, 0, sizeof(nm));
    nm.hdr.hwndFrom = list;
    nm.hdr.idFrom = (UINT_PTR)GetDlgCtrlID(list);
    nm.hdr.code = LVN_COLUMNCLICK;
    nm.iItem = -1;
    nm.iSubItem = col;
    SendMessageW(wnd, WM_NOTIFY, nm.hdr.idFrom, (LPARAM)&nm);
}

static int sort_arrow(HWND list, int col)
{
    HDITEMW item = {.mask = HDI_FORMAT};
    assert_true(Header_GetItem(ListView_GetHeader(list), col, &item));
    return item.fmt & (HDF_SORTUP | HDF_SORTDOWN);
}

static void select_only(HWND list, const int *rows, size_t n)
{
    ListView_SetItemState(list, -1, 0, LVIS_SELECTED);
    for (size_t i = 0; i < n; i++)
        ListView_SetItemState(list, rows[i], LVIS_SELECTED, LVIS_SELECTED);
}

/* The one row of `line` as its TAB-separated fields (line is modified). */
static int split_row(WCHAR *line, WCHAR **fields, int max)
{
    int n = 0;
    size_t len = wcslen(line);
    if (len < 2 || wcscmp(line + len - 2, L"\r\n") != 0)
        return -1;
    line[len - 2] = 0;
    fields[n++] = line;
    for (WCHAR *p = line; *p; p++) {
        if (*p == L'\t') {
            *p = 0;
            if (n == max)
                return -1;
            fields[n++] = p + 1;
        }
    }
    return n;
}

/* ---- five records ------------------------------------------------------------- */

/* Index 0 is the oldest; the list shows index 4 on top. */
static int setup_five(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->fs = memfs_new();
    assert_non_null(f->fs);
    assert_int_equal(of_history_open(&f->h, memfs_fs(f->fs), "history.dat", 0, NOW_MS, NULL), OF_HISTORY_OK);
    append(f, rec(BASE_MS + 1000, 12000, OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                  OF_REASON_NONE));
    append(f, rec(BASE_MS + 2000, 0, OF_SYNC_FLAG_SYNCIN, OF_STATUS_UNPAIRED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 3000, 125000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 4000, 3000, OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST));
    append(f, rec(BASE_MS + 5000, 500,
                  OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND | OF_SYNC_CR_KEEPLATEST,
                  OF_STATUS_COMPLETED, OF_REASON_NONE));
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->h);
    assert_non_null(f->wnd);
    f->list = find_list(f->wnd);
    assert_non_null(f->list);
    pump();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    historywnd_close();
    pump();
    of_history_close(f->h);
    memfs_free(f->fs);
    free(f);
    return 0;
}

static void test_open_shows_newest_first(void **state)
{
    fixture *f = *state;
    WCHAR title[128], got[CELL];
    DWORD style = (DWORD)GetWindowLongPtrW(f->list, GWL_STYLE);
    assert_true(IsWindowVisible(f->wnd));
    GetWindowTextW(f->wnd, title, ARRAYSIZE(title));
    assert_true(wcscmp(title, L"ofnotify \u2014 Sync history") == 0);
    assert_true((style & LVS_TYPEMASK) == LVS_REPORT);
    assert_true(style & LVS_OWNERDATA);
    assert_true(style & LVS_SHOWSELALWAYS);
    assert_true(ListView_GetExtendedListViewStyle(f->list) & LVS_EX_FULLROWSELECT);
    assert_true(ListView_GetExtendedListViewStyle(f->list) & LVS_EX_DOUBLEBUFFER);
    assert_int_equal(Header_GetItemCount(ListView_GetHeader(f->list)), C_COUNT);
    assert_int_equal(ListView_GetItemCount(f->list), 5);

    /* Row 0: the newest record. */
    cell(f->list, 0, C_COMPLETED, got);
    assert_non_null(wcsstr(got, L"2026"));
    assert_cell(f->list, 0, C_DIRECTION, L"two-way");
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
    cell(f->list, 0, C_STARTED, got);
    assert_non_null(wcsstr(got, L"2026"));
    assert_cell(f->list, 0, C_STATUS, L"completed");
    assert_cell(f->list, 0, C_DETAILS, L"FLAG_SYNCIN, FLAG_SYNCOUT, FLAG_BACKGROUND \u00B7 CR_KEEPLATEST");
    assert_int_equal(sort_arrow(f->list, C_COMPLETED), HDF_SORTDOWN);

    /* Further down, older records; the unpaired one has no start or duration. */
    assert_cell(f->list, 1, C_STATUS, L"interrupted (service-lost)");
    assert_cell(f->list, 1, C_DIRECTION, L"fill-sparse");
    assert_cell(f->list, 3, C_STATUS, L"unpaired");
    assert_cell(f->list, 3, C_DURATION, L"");
    assert_cell(f->list, 3, C_STARTED, L"");
    assert_cell(f->list, 3, C_DIRECTION, L"from-server");
    assert_cell(f->list, 4, C_DURATION, L"12 s");

    /* A second open brings the same window back. */
    assert_ptr_equal(historywnd_open(GetModuleHandleW(NULL), f->h), f->wnd);
}

static void test_records_changed_grows_and_keeps_selection(void **state)
{
    fixture *f = *state;
    const int sel[] = {1};
    select_only(f->list, sel, 1); /* the interrupted record */
    ListView_SetItemState(f->list, 1, LVIS_FOCUSED, LVIS_FOCUSED);
    append(f, rec(BASE_MS + 6000, 60000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed();
    assert_int_equal(ListView_GetItemCount(f->list), 6);
    assert_cell(f->list, 0, C_DURATION, L"1 min");
    assert_cell(f->list, 0, C_DIRECTION, L"to-server");
    assert_int_equal(ListView_GetSelectedCount(f->list), 1);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), 2);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 2);
    assert_cell(f->list, 2, C_STATUS, L"interrupted (service-lost)");

    /* Nothing new: nothing changes. */
    historywnd_records_changed();
    assert_int_equal(ListView_GetItemCount(f->list), 6);
}

static void test_sort_by_duration(void **state)
{
    fixture *f = *state;
    static const WCHAR *const up[] = {L"", L"< 1 s", L"3 s", L"12 s", L"2 min 5 s"};
    static const WCHAR *const up7[] = {L"", L"< 1 s", L"3 s", L"7 s", L"12 s", L"2 min 5 s"};
    const int sel[] = {3}; /* "12 s" in ascending order */

    click_column(f->wnd, f->list, C_DURATION);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    for (int row = 0; row < 5; row++)
        assert_cell(f->list, row, C_DURATION, up[row]);
    assert_int_equal(sort_arrow(f->list, C_DURATION), HDF_SORTUP);
    assert_int_equal(sort_arrow(f->list, C_COMPLETED), 0);

    click_column(f->wnd, f->list, C_DURATION);
    for (int row = 0; row < 5; row++)
        assert_cell(f->list, row, C_DURATION, up[4 - row]);
    assert_int_equal(sort_arrow(f->list, C_DURATION), HDF_SORTDOWN);

    /* A new record joins the sorted list in its place; the selection follows its record. */
    click_column(f->wnd, f->list, C_DURATION);
    select_only(f->list, sel, 1);
    append(f, rec(BASE_MS + 6000, 7000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed();
    assert_int_equal(ListView_GetItemCount(f->list), 6);
    for (int row = 0; row < 6; row++)
        assert_cell(f->list, row, C_DURATION, up7[row]);
    assert_int_equal(ListView_GetSelectedCount(f->list), 1);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), 4);

    /* Back to completion order, newest first, then oldest first. */
    click_column(f->wnd, f->list, C_COMPLETED);
    assert_cell(f->list, 0, C_DURATION, L"7 s");
    assert_cell(f->list, 5, C_DURATION, L"12 s");
    assert_int_equal(sort_arrow(f->list, C_COMPLETED), HDF_SORTDOWN);
    click_column(f->wnd, f->list, C_COMPLETED);
    assert_cell(f->list, 0, C_DURATION, L"12 s");
    assert_int_equal(sort_arrow(f->list, C_COMPLETED), HDF_SORTUP);

    /* Status sorts by its words: completed < interrupted < unpaired. */
    click_column(f->wnd, f->list, C_STATUS);
    assert_cell(f->list, 0, C_STATUS, L"completed");
    assert_cell(f->list, 4, C_STATUS, L"interrupted (service-lost)");
    assert_cell(f->list, 5, C_STATUS, L"unpaired");
}

static void test_row_text_and_copy(void **state)
{
    fixture *f = *state;
    const int rows[] = {0, 2};
    WCHAR line[CELL], shown[CELL], *fields[8] = {0}, *clip;
    size_t len = 0, n;
    const of_record *newest = of_history_get(f->h, 4), *middle = of_history_get(f->h, 2);

    /* One row: the cells as shown, TAB-separated, CRLF. */
    n = historywnd_row_text(newest, line, ARRAYSIZE(line));
    assert_int_equal(n, wcslen(line));
    assert_int_equal(split_row(line, fields, 8), C_COUNT);
    cell(f->list, 0, C_COMPLETED, shown);
    assert_true(wcscmp(fields[C_COMPLETED], shown) == 0);
    assert_true(wcscmp(fields[C_DIRECTION], L"two-way") == 0);
    assert_true(wcscmp(fields[C_DURATION], L"< 1 s") == 0);
    cell(f->list, 0, C_STARTED, shown);
    assert_true(wcscmp(fields[C_STARTED], shown) == 0);
    assert_true(wcscmp(fields[C_STATUS], L"completed") == 0);
    assert_true(wcscmp(fields[C_DETAILS], L"FLAG_SYNCIN, FLAG_SYNCOUT, FLAG_BACKGROUND \u00B7 CR_KEEPLATEST") == 0);

    /* Bounded: cut, NUL-terminated, full length reported. */
    {
        WCHAR small[8];
        size_t full = historywnd_row_text(middle, NULL, 0);
        assert_true(full > 20);
        assert_int_equal(historywnd_row_text(middle, small, ARRAYSIZE(small)), full);
        assert_int_equal(wcslen(small), ARRAYSIZE(small) - 1);
        assert_int_equal(historywnd_row_text(NULL, small, ARRAYSIZE(small)), 0);
        assert_int_equal(small[0], 0);
    }

    /* Two selected rows, in list order. */
    select_only(f->list, rows, 2);
    {
        WCHAR want[2 * CELL];
        size_t a = historywnd_row_text(newest, want, ARRAYSIZE(want));
        historywnd_row_text(middle, want + a, ARRAYSIZE(want) - a);
        clip = historywnd_selection_text(&len);
        assert_non_null(clip);
        assert_int_equal(len, wcslen(want));
        assert_true(wcscmp(clip, want) == 0);
        free(clip);

        /* Ctrl+C: the same text on the clipboard as CF_UNICODETEXT. */
        assert_true(historywnd_copy());
        assert_true(OpenClipboard(NULL));
        {
            HANDLE mem = GetClipboardData(CF_UNICODETEXT);
            const WCHAR *text = mem ? GlobalLock(mem) : NULL;
            assert_non_null(text);
            assert_true(wcscmp(text, want) == 0);
            GlobalUnlock(mem);
        }
        CloseClipboard();
    }

    /* Nothing selected: nothing to copy. */
    select_only(f->list, rows, 0);
    assert_null(historywnd_selection_text(&len));
    assert_int_equal(len, 0);
    assert_false(historywnd_copy());
}

static void test_keys(void **state)
{
    fixture *f = *state;
    /* F5 reloads: a record appended without telling the window shows up. */
    append(f, rec(BASE_MS + 6000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    SendMessageW(f->list, WM_KEYDOWN, VK_F5, 0);
    assert_int_equal(ListView_GetItemCount(f->list), 6);
    /* Esc closes; a later records_changed is harmless; open makes a new window. */
    SendMessageW(f->list, WM_KEYDOWN, VK_ESCAPE, 0);
    pump();
    assert_false(IsWindow(f->wnd));
    historywnd_records_changed();
    assert_null(historywnd_selection_text(NULL));
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->h);
    assert_non_null(f->wnd);
    assert_int_equal(ListView_GetItemCount(find_list(f->wnd)), 6);
}

static void test_set_history_and_dpi(void **state)
{
    fixture *f = *state;
    RECT rc = {10, 10, 1010, 610};
    int before = ListView_GetColumnWidth(f->list, C_DETAILS);
    historywnd_set_history(NULL);
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    historywnd_set_history(f->h);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    /* Moving to a 192 DPI monitor: the suggested rectangle, columns twice as wide. */
    SendMessageW(f->wnd, WM_DPICHANGED, MAKEWPARAM(GetDpiForWindow(f->wnd) * 2, GetDpiForWindow(f->wnd) * 2),
                 (LPARAM)&rc);
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, 1000);
    assert_int_equal(ListView_GetColumnWidth(f->list, C_DETAILS), before * 2);
}

/* ---- a million records ---------------------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The history file of n records written directly in the 1.0 format (far
 * faster than n appends, each synced): index 0, the oldest, is a fill-sparse
 * pass of 1 h 2 min; all others are two-way. */
static int setup_million(void **state)
{
    const size_t n = BIG_COUNT, size = OF_HISTORY_HEADER_SIZE + n * OF_HISTORY_FRAME_SIZE;
    fixture *f = calloc(1, sizeof(*f));
    unsigned char *file = malloc(size), *p;
    assert_non_null(f);
    assert_non_null(file);
    memcpy(file, "OFNHIST\0", 8);
    put_le(file + 8, OF_HISTORY_FORMAT_MAJOR, 2);
    put_le(file + 10, OF_HISTORY_FORMAT_MINOR, 2);
    put_le(file + 12, OF_HISTORY_HEADER_SIZE, 4);
    put_le(file + 16, n + 1, 8);
    put_le(file + 24, of_crc32(file, 24), 4);
    p = file + OF_HISTORY_HEADER_SIZE;
    for (size_t i = 0; i < n; i++, p += OF_HISTORY_FRAME_SIZE) {
        uint64_t dur = i == 0 ? 3723000 : (uint64_t)(i % 100000) * 10;
        int64_t done = BASE_MS - (int64_t)(n - i) * 60000;
        uint32_t flags = i == 0 ? OF_SYNC_FLAG_FILLSPARSE : OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT;
        put_le(p, OF_HISTORY_PAYLOAD_SIZE, 4);
        put_le(p + 4, i + 1, 8);
        put_le(p + 12, (uint64_t)(done - (int64_t)dur), 8);
        put_le(p + 20, (uint64_t)done, 8);
        put_le(p + 28, dur, 8);
        put_le(p + 36, flags, 4);
        put_le(p + 40, flags, 4);
        p[44] = OF_STATUS_COMPLETED;
        p[45] = OF_REASON_NONE;
        put_le(p + 46, of_crc32(p, 46), 4);
    }
    f->fs = memfs_new();
    assert_non_null(f->fs);
    assert_int_equal(memfs_put(f->fs, "big.dat", file, size), 0);
    free(file);
    assert_int_equal(of_history_open(&f->h, memfs_fs(f->fs), "big.dat", OF_HISTORY_READONLY, NOW_MS, NULL),
                     OF_HISTORY_OK);
    assert_int_equal(of_history_count(f->h), n);
    *state = f;
    return 0;
}

static double ms_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, freq;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&freq);
    return (double)(now.QuadPart - start.QuadPart) * 1000.0 / (double)freq.QuadPart;
}

static void test_million_records(void **state)
{
    fixture *f = *state;
    LARGE_INTEGER t0;
    double open_ms, sort_ms;
    int last = (int)BIG_COUNT - 1, top, page;

    /* historywnd_open returns after the window is shown and painted. */
    QueryPerformanceCounter(&t0);
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->h);
    open_ms = ms_since(t0);
    assert_non_null(f->wnd);
    f->list = find_list(f->wnd);
    assert_non_null(f->list);
    printf("historywnd: open with %u records, shown and painted: %.1f ms\n", BIG_COUNT, open_ms);
    assert_true(IsWindowVisible(f->wnd));
    assert_int_equal(ListView_GetItemCount(f->list), BIG_COUNT);
    assert_cell(f->list, 0, C_DURATION, L"16 min 39 s"); /* newest: (999999 % 100000) * 10 ms */

    /* The end of the list is the oldest record. */
    assert_true(ListView_EnsureVisible(f->list, last, FALSE));
    UpdateWindow(f->list);
    top = ListView_GetTopIndex(f->list);
    page = ListView_GetCountPerPage(f->list);
    assert_true(top > 0 && top <= last && top + page >= last);
    assert_cell(f->list, last, C_DIRECTION, L"fill-sparse");
    assert_cell(f->list, last, C_DURATION, L"1 h 2 min");
    assert_cell(f->list, last, C_DETAILS, L"FLAG_FILLSPARSE");

    /* Sorting a million by duration: the longest (the oldest record) is last. */
    QueryPerformanceCounter(&t0);
    click_column(f->wnd, f->list, C_DURATION);
    sort_ms = ms_since(t0);
    printf("historywnd: sort %u records by duration: %.1f ms\n", BIG_COUNT, sort_ms);
    assert_cell(f->list, last, C_DURATION, L"1 h 2 min");
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_shows_newest_first, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_records_changed_grows_and_keeps_selection, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_sort_by_duration, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_row_text_and_copy, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_keys, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_set_history_and_dpi, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_million_records, setup_million, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
