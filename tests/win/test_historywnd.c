/* Tests for src/app/history/historywnd: the real window and its controls under Wine
 * (or Windows), over histories held in memory (tests/unit/support/memfs) or
 * in real files (fs_win32).
 *
 * This program is linked with the app's resources (see the Makefile), so the
 * cells, headers and buttons carry the English STRINGTABLE texts, as they
 * ship. Times are shown in local time, so date cells are checked against the
 * list view and for their year, not against a fixed text. The window saves
 * its placement in HKCU of the test prefix; every fixture starts without it. */
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

#include "cli.h"
#include "exportfile.h"
#include "fs_win32.h"
#include "histlayout.h"
#include "historywnd.h"
#include "instance.h"
#include "messages.h"
#include "ofnotify/conflicts.h"
#include "ofnotify/history.h"
#include "ofnotify/record.h"
#include "ofnotify/syncflags.h"
#include "resource.h"
#include "support/memfs.h"
#include "support/pump.h"
#include "support/rcstrings.h"
#include "support/records.h"
#include "winplace.h"

#define BASE_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define NOW_MS (BASE_MS + 86400000)
#define CELL 1024
#define BIG_COUNT 1000000u

enum { C_COMPLETED, C_DIRECTION, C_DURATION, C_STARTED, C_STATUS, C_DETAILS, C_COUNT };

/* Control IDs of the window. */
enum {
    ID_LIST = HISTLAYOUT_ID_LIST,
    ID_CHART = HISTLAYOUT_ID_CHART,
    ID_FILTER_LABEL = HISTLAYOUT_ID_FILTER_LABEL,
    ID_FILTER = HISTLAYOUT_ID_FILTER,
    ID_SEARCH_LABEL = HISTLAYOUT_ID_SEARCH_LABEL,
    ID_SEARCH = HISTLAYOUT_ID_SEARCH,
    ID_STATUS = HISTLAYOUT_ID_STATUS,
    ID_COPY = HISTLAYOUT_ID_COPY,
    ID_EXPORT = HISTLAYOUT_ID_EXPORT,
    ID_CLEAR = HISTLAYOUT_ID_CLEAR,
    ID_BANNER = HISTLAYOUT_ID_BANNER,
    ID_TABS = HISTLAYOUT_ID_TABS,
    ID_CONFLICTS = HISTLAYOUT_ID_CONFLICTS,
};
#define TIMER_SEARCH 1

typedef struct fixture {
    memfs *fs;
    of_history *h;
    HWND app;        /* stands in for the app window (make_fake_app) */
    HWND wnd, list;  /* the history window the app opened, its list */
} fixture;

/* ---- helpers ---------------------------------------------------------------- */

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

/* Stands in for the app window: clears the store as app.c does. */
static int clear_requests;
static of_history *clear_store;

static LRESULT CALLBACK fake_app_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_OFN_CLEAR_HISTORY) {
        of_history_err err;
        clear_requests++;
        /* Sent on this thread, naming the store the window showed. */
        assert_false(InSendMessage());
        assert_ptr_equal((const of_history *)lp, clear_store);
        err = of_history_clear(clear_store);
        historywnd_set_history(wnd, clear_store);
        return err;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static HWND make_fake_app(void)
{
    WNDCLASSEXW wc = {.cbSize = sizeof(wc), .lpfnWndProc = fake_app_proc, .hInstance = GetModuleHandleW(NULL),
                      .lpszClassName = L"ofnotify.TestApp"};
    HWND app;
    RegisterClassExW(&wc);
    app = CreateWindowExW(0, wc.lpszClassName, L"ofnotify", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                          GetModuleHandleW(NULL), NULL);
    assert_non_null(app);
    return app;
}

/* ---- five records ------------------------------------------------------------- */

/* Index 0 is the oldest; the list shows index 4 on top. */
static void forget_placement(void)
{
    RegDeleteTreeW(HKEY_CURRENT_USER, WINPLACE_HISTORY_KEY);
}

static int setup_five(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    forget_placement();
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
    f->app = make_fake_app();
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
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
    historywnd_close(f->app);
    pump();
    assert_false(IsWindow(f->wnd));
    DestroyWindow(f->app);
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
    assert_cell(f->list, 0, C_DIRECTION, L"Two-way");
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
    cell(f->list, 0, C_STARTED, got);
    assert_non_null(wcsstr(got, L"2026"));
    assert_cell(f->list, 0, C_STATUS, L"Completed");
    assert_cell(f->list, 0, C_DETAILS, L"Sync in, Sync out, Background \u00B7 keep latest");
    assert_int_equal(sort_arrow(f->list, C_COMPLETED), HDF_SORTDOWN);

    /* Further down, older records; the unpaired one has no start or duration. */
    assert_cell(f->list, 1, C_STATUS, L"Interrupted (service stopped)");
    assert_cell(f->list, 1, C_DIRECTION, L"Fill sparse");
    assert_cell(f->list, 3, C_STATUS, L"Unpaired");
    assert_cell(f->list, 3, C_DURATION, L"");
    assert_cell(f->list, 3, C_STARTED, L"");
    assert_cell(f->list, 3, C_DIRECTION, L"From server");
    assert_cell(f->list, 4, C_DURATION, L"12 s");

    /* A second open brings the same window back. */
    assert_ptr_equal(historywnd_open(GetModuleHandleW(NULL), f->app, f->h), f->wnd);
}

/* Each app window has a history window of its own, which the functions
 * given that app window reach, and only that one. */
static void test_one_window_per_app(void **state)
{
    fixture *f = *state;
    HWND other_app = make_fake_app(), other;
    other = historywnd_open(GetModuleHandleW(NULL), other_app, f->h);
    assert_non_null(other);
    assert_true(other != f->wnd);
    assert_ptr_equal(historywnd_open(GetModuleHandleW(NULL), other_app, f->h), other);
    assert_ptr_equal(historywnd_open(GetModuleHandleW(NULL), f->app, f->h), f->wnd);

    append(f, rec(BASE_MS + 6000, 60000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(other_app);
    assert_int_equal(ListView_GetItemCount(find_list(other)), 6);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    historywnd_set_history(other_app, NULL);
    assert_int_equal(ListView_GetItemCount(find_list(other)), 0);
    assert_int_equal(ListView_GetItemCount(f->list), 5);

    historywnd_close(other_app);
    pump();
    assert_false(IsWindow(other));
    assert_true(IsWindow(f->wnd));
    DestroyWindow(other_app);

    /* The commands act on history windows only; no window, nothing. */
    assert_null(historywnd_selection_text(f->app, NULL));
    assert_false(historywnd_copy(f->app));
    assert_false(historywnd_export(f->app));
    assert_false(historywnd_clear(f->app));
    historywnd_records_changed(NULL);
    historywnd_set_history(NULL, f->h);
    historywnd_close(NULL);
    assert_true(IsWindow(f->wnd));
    assert_int_equal(ListView_GetItemCount(f->list), 5);
}

/* historywnd_shown: the app's window while it can be seen (Sync now's
 * credential prompt is owned by it), NULL while it is minimized, hidden or
 * closed, and for any window that is not an app with a history window. */
static void test_shown_only_while_in_sight(void **state)
{
    fixture *f = *state;
    HWND other_app = make_fake_app();
    assert_ptr_equal(historywnd_shown(f->app), f->wnd);
    assert_null(historywnd_shown(other_app));
    assert_null(historywnd_shown(f->wnd));
    assert_null(historywnd_shown(NULL));

    ShowWindow(f->wnd, SW_MINIMIZE);
    pump();
    assert_null(historywnd_shown(f->app));
    ShowWindow(f->wnd, SW_RESTORE);
    pump();
    assert_ptr_equal(historywnd_shown(f->app), f->wnd);
    ShowWindow(f->wnd, SW_HIDE);
    pump();
    assert_null(historywnd_shown(f->app));
    ShowWindow(f->wnd, SW_SHOW);
    pump();
    assert_ptr_equal(historywnd_shown(f->app), f->wnd);

    historywnd_close(f->app);
    pump();
    assert_null(historywnd_shown(f->app));
    DestroyWindow(other_app);
}

/* The history file's problem shows above the list, which moves down for it,
 * and goes again when the problem does; a window opened later shows it too. */
static void test_banner(void **state)
{
    fixture *f = *state;
    HWND banner = GetDlgItem(f->wnd, ID_BANNER), list = find_list(f->wnd);
    WCHAR got[256];
    RECT before, with, after;
    assert_non_null(banner);
    assert_false(IsWindowVisible(banner));
    GetWindowRect(list, &before);

    historywnd_set_banner(f->app, L"History file C:\\x\\history.dat is from a newer version of ofnotify.");
    pump();
    assert_true(IsWindowVisible(banner));
    GetWindowTextW(banner, got, ARRAYSIZE(got));
    assert_true(wcsstr(got, L"newer version") != NULL);
    GetWindowRect(list, &with);
    assert_true(with.top > before.top);

    historywnd_set_banner(f->app, NULL);
    pump();
    assert_false(IsWindowVisible(banner));
    GetWindowRect(list, &after);
    assert_int_equal(after.top, before.top);

    historywnd_set_banner(f->app, L"kept for later");
    historywnd_close(f->app);
    pump();
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
    f->list = find_list(f->wnd);
    pump();
    banner = GetDlgItem(f->wnd, ID_BANNER);
    assert_true(IsWindowVisible(banner));
    GetWindowTextW(banner, got, ARRAYSIZE(got));
    assert_true(wcscmp(got, L"kept for later") == 0);
    historywnd_set_banner(f->app, L"");
}

static void test_records_changed_grows_and_keeps_selection(void **state)
{
    fixture *f = *state;
    const int sel[] = {1};
    select_only(f->list, sel, 1); /* the interrupted record */
    ListView_SetItemState(f->list, 1, LVIS_FOCUSED, LVIS_FOCUSED);
    append(f, rec(BASE_MS + 6000, 60000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(f->app);
    assert_int_equal(ListView_GetItemCount(f->list), 6);
    assert_cell(f->list, 0, C_DURATION, L"1 min");
    assert_cell(f->list, 0, C_DIRECTION, L"To server");
    assert_int_equal(ListView_GetSelectedCount(f->list), 1);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), 2);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 2);
    assert_cell(f->list, 2, C_STATUS, L"Interrupted (service stopped)");

    /* Nothing new: nothing changes. */
    historywnd_records_changed(f->app);
    assert_int_equal(ListView_GetItemCount(f->list), 6);
}

/* Oldest first the new records are the last rows: the rows before them,
 * the selection and the focus stay where they were. */
static void test_records_changed_at_the_end(void **state)
{
    fixture *f = *state;
    const int sel[] = {1, 3};
    click_column(f->wnd, f->list, C_COMPLETED); /* oldest first */
    assert_cell(f->list, 0, C_DURATION, L"12 s");
    select_only(f->list, sel, 2);
    ListView_SetItemState(f->list, 3, LVIS_FOCUSED, LVIS_FOCUSED);
    append(f, rec(BASE_MS + 6000, 60000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 7000, 7000, OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(f->app);
    assert_int_equal(ListView_GetItemCount(f->list), 7);
    assert_cell(f->list, 0, C_DURATION, L"12 s");
    assert_cell(f->list, 5, C_DURATION, L"1 min");
    assert_cell(f->list, 6, C_DURATION, L"7 s");
    assert_int_equal(ListView_GetSelectedCount(f->list), 2);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), 1);
    assert_int_equal(ListView_GetNextItem(f->list, 1, LVNI_SELECTED), 3);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 3);
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
    historywnd_records_changed(f->app);
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
    assert_cell(f->list, 0, C_STATUS, L"Completed");
    assert_cell(f->list, 4, C_STATUS, L"Interrupted (service stopped)");
    assert_cell(f->list, 5, C_STATUS, L"Unpaired");
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
    assert_true(wcscmp(fields[C_DIRECTION], L"Two-way") == 0);
    assert_true(wcscmp(fields[C_DURATION], L"< 1 s") == 0);
    cell(f->list, 0, C_STARTED, shown);
    assert_true(wcscmp(fields[C_STARTED], shown) == 0);
    assert_true(wcscmp(fields[C_STATUS], L"Completed") == 0);
    assert_true(wcscmp(fields[C_DETAILS], L"Sync in, Sync out, Background \u00B7 keep latest") == 0);

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
        clip = historywnd_selection_text(f->wnd, &len);
        assert_non_null(clip);
        assert_int_equal(len, wcslen(want));
        assert_true(wcscmp(clip, want) == 0);
        free(clip);

        /* Ctrl+C: the same text on the clipboard as CF_UNICODETEXT. */
        assert_true(historywnd_copy(f->wnd));
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
    assert_null(historywnd_selection_text(f->wnd, &len));
    assert_int_equal(len, 0);
    assert_false(historywnd_copy(f->wnd));
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
    historywnd_records_changed(f->app);
    assert_null(historywnd_selection_text(f->wnd, NULL));
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
    assert_non_null(f->wnd);
    assert_int_equal(ListView_GetItemCount(find_list(f->wnd)), 6);
}

static void test_set_history_and_dpi(void **state)
{
    fixture *f = *state;
    RECT rc = {10, 10, 1010, 610};
    int before = ListView_GetColumnWidth(f->list, C_DETAILS);
    historywnd_set_history(f->app, NULL);
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    historywnd_set_history(f->app, f->h);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    /* Moving to a 192 DPI monitor: the suggested rectangle, columns twice as wide. */
    SendMessageW(f->wnd, WM_DPICHANGED, MAKEWPARAM(GetDpiForWindow(f->wnd) * 2, GetDpiForWindow(f->wnd) * 2),
                 (LPARAM)&rc);
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, 1000);
    assert_int_equal(ListView_GetColumnWidth(f->list, C_DETAILS), before * 2);
}

/* ---- filter and search ----------------------------------------------------------- */

static void choose_direction(fixture *f, int item)
{
    HWND combo = GetDlgItem(f->wnd, ID_FILTER);
    SendMessageW(combo, CB_SETCURSEL, (WPARAM)item, 0);
    SendMessageW(f->wnd, WM_COMMAND, MAKEWPARAM(ID_FILTER, CBN_SELCHANGE), (LPARAM)combo);
}

/* Types the search text and lets the debounce timer fire at once. */
static void search_for(fixture *f, const WCHAR *text)
{
    SetWindowTextW(GetDlgItem(f->wnd, ID_SEARCH), text);
    SendMessageW(f->wnd, WM_TIMER, TIMER_SEARCH, 0);
}

static void assert_status(fixture *f, const WCHAR *want)
{
    WCHAR got[128];
    GetWindowTextW(GetDlgItem(f->wnd, ID_STATUS), got, ARRAYSIZE(got));
    if (wcscmp(got, want) != 0) {
        print_error("status: got \"%ls\", want \"%ls\"\n", got, want);
        fail();
    }
}

static void test_filter_by_direction(void **state)
{
    fixture *f = *state;
    HWND combo = GetDlgItem(f->wnd, ID_FILTER);
    WCHAR item[64];
    assert_int_equal(SendMessageW(combo, CB_GETCOUNT, 0, 0), 8); /* all, 5 directions, 2 origins */
    SendMessageW(combo, CB_GETLBTEXT, 0, (LPARAM)item);
    assert_true(wcscmp(item, L"All directions") == 0);
    SendMessageW(combo, CB_GETLBTEXT, 6, (LPARAM)item);
    assert_true(wcscmp(item, L"Started with Sync now") == 0);
    SendMessageW(combo, CB_GETLBTEXT, 7, (LPARAM)item);
    assert_true(wcscmp(item, L"Background syncs") == 0);
    assert_status(f, L"5 syncs");

    choose_direction(f, 1); /* Two-way */
    assert_int_equal(ListView_GetItemCount(f->list), 2);
    for (int row = 0; row < 2; row++)
        assert_cell(f->list, row, C_DIRECTION, L"Two-way");
    assert_cell(f->list, 0, C_DURATION, L"< 1 s"); /* still newest first */
    assert_cell(f->list, 1, C_DURATION, L"12 s");
    assert_status(f, L"2 of 5 syncs");

    choose_direction(f, 2); /* To server */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_cell(f->list, 0, C_DIRECTION, L"To server");
    choose_direction(f, 3); /* From server: the unpaired record */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_cell(f->list, 0, C_STATUS, L"Unpaired");
    choose_direction(f, 4); /* Fill sparse */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    choose_direction(f, 5); /* Unspecified: none */
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    assert_status(f, L"0 of 5 syncs");

    /* Sorted and filtered together. */
    choose_direction(f, 1);
    click_column(f->wnd, f->list, C_DURATION);
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
    assert_cell(f->list, 1, C_DURATION, L"12 s");
    click_column(f->wnd, f->list, C_DURATION);
    assert_cell(f->list, 0, C_DURATION, L"12 s");

    /* Who started them: all five are background passes. */
    choose_direction(f, 6);
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    assert_status(f, L"0 of 5 syncs");
    choose_direction(f, 7);
    assert_int_equal(ListView_GetItemCount(f->list), 5);

    choose_direction(f, 0);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    assert_status(f, L"5 syncs");
}

/* How many records a plain search of their formatted cells finds: the
 * definition the window's fast search must agree with. */
static int brute_force_count(fixture *f, const WCHAR *query)
{
    WCHAR line[4 * CELL], q[128];
    int n = 0;
    wcscpy(q, query);
    CharLowerW(q);
    for (size_t i = 0; i < of_history_count(f->h); i++) {
        WCHAR *fields[8];
        historywnd_row_text(of_history_get(f->h, i), line, ARRAYSIZE(line));
        CharLowerW(line);
        assert_int_equal(split_row(line, fields, 8), C_COUNT);
        for (int c = 0; c < C_COUNT; c++) {
            if (wcsstr(fields[c], q)) {
                n++;
                break;
            }
        }
    }
    return n;
}

static void test_search(void **state)
{
    fixture *f = *state;
    WCHAR completed[CELL], query[CELL];
    int tried = 0;

    search_for(f, L"keep LATEST"); /* case does not matter */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
    assert_status(f, L"1 of 5 syncs");
    search_for(f, L"sync out"); /* Details of the two-way and to-server passes */
    assert_int_equal(ListView_GetItemCount(f->list), 3);
    search_for(f, L"stopped"); /* Status */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_cell(f->list, 0, C_DIRECTION, L"Fill sparse");
    search_for(f, L"2 min 5"); /* Duration */
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    search_for(f, L"2026"); /* every date */
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    search_for(f, L"no such text");
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    assert_status(f, L"0 of 5 syncs");

    /* The whole Completed cell of the fill-sparse pass (13:00:04): it and the
     * pass that started at 13:00:04.5. */
    search_for(f, L"");
    cell(f->list, 1, C_COMPLETED, completed);
    search_for(f, completed);
    assert_int_equal(ListView_GetItemCount(f->list), 2);

    /* Every piece of every cell, spanning date and time too, finds exactly
     * what searching the formatted cells finds. */
    search_for(f, L"");
    for (int row = 0; row < 5; row++) {
        for (int c = 0; c < C_COUNT; c++) {
            size_t len;
            cell(f->list, row, c, completed);
            len = wcslen(completed);
            for (size_t start = 0; start < len; start += 3) {
                for (size_t n = 1; n <= 12 && start + n <= len; n += 2) {
                    wcsncpy(query, completed + start, n);
                    query[n] = 0;
                    search_for(f, query);
                    if (ListView_GetItemCount(f->list) != brute_force_count(f, query)) {
                        print_error("search \"%ls\": window %d, cells %d\n", query, ListView_GetItemCount(f->list),
                                    brute_force_count(f, query));
                        fail();
                    }
                    tried++;
                }
            }
        }
    }
    assert_true(tried > 100);

    /* Search and direction together. */
    search_for(f, L"sync out");
    choose_direction(f, 2);
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_status(f, L"1 of 5 syncs");
}

static void test_live_append_while_filtered(void **state)
{
    fixture *f = *state;
    const int sel[] = {1};
    choose_direction(f, 1); /* Two-way: rows 0 (< 1 s) and 1 (12 s) */
    select_only(f->list, sel, 1);
    ListView_SetItemState(f->list, 1, LVIS_FOCUSED, LVIS_FOCUSED);
    append(f, rec(BASE_MS + 6000, 4000, OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                  OF_REASON_NONE));
    append(f, rec(BASE_MS + 7000, 9000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(f->app);
    /* The two-way pass joins at the top, the to-server one stays hidden. */
    assert_int_equal(ListView_GetItemCount(f->list), 3);
    assert_cell(f->list, 0, C_DURATION, L"4 s");
    assert_status(f, L"3 of 7 syncs");
    assert_int_equal(ListView_GetSelectedCount(f->list), 1);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), 2);
    assert_cell(f->list, 2, C_DURATION, L"12 s");

    /* Only a hidden record: nothing moves, the total counts it. */
    append(f, rec(BASE_MS + 8000, 1000, OF_SYNC_FLAG_SYNCIN, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(f->app);
    assert_int_equal(ListView_GetItemCount(f->list), 3);
    assert_status(f, L"3 of 8 syncs");

    /* Sorted by duration and searched: the new match goes to its place. */
    search_for(f, L"two");
    click_column(f->wnd, f->list, C_DURATION);
    append(f, rec(BASE_MS + 9000, 7000, OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                  OF_REASON_NONE));
    historywnd_records_changed(f->app);
    assert_int_equal(ListView_GetItemCount(f->list), 4);
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");
    assert_cell(f->list, 1, C_DURATION, L"4 s");
    assert_cell(f->list, 2, C_DURATION, L"7 s");
    assert_cell(f->list, 3, C_DURATION, L"12 s");
}

/* ---- open at a record -------------------------------------------------------------- */

static void assert_selected_is(fixture *f, size_t index)
{
    WCHAR want[CELL], *got;
    size_t len = 0;
    int row = ListView_GetNextItem(f->list, -1, LVNI_FOCUSED);
    assert_true(row >= 0);
    assert_int_equal(ListView_GetSelectedCount(f->list), 1);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_SELECTED), row);
    historywnd_row_text(of_history_get(f->h, index), want, ARRAYSIZE(want));
    got = historywnd_selection_text(f->wnd, &len);
    assert_non_null(got);
    assert_true(wcscmp(got, want) == 0);
    free(got);
    /* In view. */
    assert_true(row >= ListView_GetTopIndex(f->list));
    assert_true(row < ListView_GetTopIndex(f->list) + ListView_GetCountPerPage(f->list));
}

static void test_open_at(void **state)
{
    fixture *f = *state;
    uint64_t seq_interrupted = of_history_get(f->h, 3)->seq, seq_oldest = of_history_get(f->h, 0)->seq;

    assert_ptr_equal(historywnd_open_at(GetModuleHandleW(NULL), f->app, f->h, seq_interrupted), f->wnd);
    assert_selected_is(f, 3);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 1);
    assert_ptr_equal(GetFocus(), f->list);

    /* Sorted by duration: the same record, wherever its row is now. */
    click_column(f->wnd, f->list, C_DURATION);
    historywnd_open_at(GetModuleHandleW(NULL), f->app, f->h, seq_oldest);
    assert_selected_is(f, 0);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 3); /* 12 s is the 4th shortest */

    /* Hidden by the filter and the search: both are cleared. */
    choose_direction(f, 2);
    search_for(f, L"To server");
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    historywnd_open_at(GetModuleHandleW(NULL), f->app, f->h, seq_interrupted);
    assert_int_equal(ListView_GetItemCount(f->list), 5);
    assert_int_equal(SendMessageW(GetDlgItem(f->wnd, ID_FILTER), CB_GETCURSEL, 0, 0), 0);
    assert_int_equal(GetWindowTextLengthW(GetDlgItem(f->wnd, ID_SEARCH)), 0);
    assert_selected_is(f, 3);

    /* A seq that is not there opens the window and changes nothing. */
    assert_ptr_equal(historywnd_open_at(GetModuleHandleW(NULL), f->app, f->h, 999), f->wnd);
    assert_selected_is(f, 3);

    /* A closed window opens at the record. */
    historywnd_close(f->app);
    pump();
    f->wnd = historywnd_open_at(GetModuleHandleW(NULL), f->app, f->h, seq_oldest);
    assert_non_null(f->wnd);
    f->list = find_list(f->wnd);
    assert_selected_is(f, 0);
    assert_int_equal(ListView_GetNextItem(f->list, -1, LVNI_FOCUSED), 4);
}

/* ---- clear history ------------------------------------------------------------------- */

typedef struct prompt_log {
    int confirms, errors, targets;
    size_t confirm_count, target_count;
    BOOL answer;
    WCHAR target[MAX_PATH];
    export_format format;
    WCHAR error[1024];
} prompt_log;

static prompt_log prompted;

static BOOL fake_confirm(HWND owner, size_t count)
{
    assert_non_null(owner);
    prompted.confirms++;
    prompted.confirm_count = count;
    return prompted.answer;
}

static BOOL fake_target(HWND owner, size_t count, WCHAR *path, size_t cap, export_format *format)
{
    assert_non_null(owner);
    prompted.targets++;
    prompted.target_count = count;
    if (!prompted.target[0] || wcslen(prompted.target) >= cap)
        return FALSE;
    wcscpy(path, prompted.target);
    *format = prompted.format;
    return TRUE;
}

static void fake_error(HWND owner, const WCHAR *text)
{
    assert_non_null(owner);
    prompted.errors++;
    lstrcpynW(prompted.error, text, ARRAYSIZE(prompted.error));
}

static const historywnd_io fake_io = {fake_confirm, fake_target, fake_error, NULL};

static void test_clear_asks_first(void **state)
{
    fixture *f = *state;
    memset(&prompted, 0, sizeof(prompted));
    clear_requests = 0;
    clear_store = f->h;
    historywnd_set_io(f->wnd, &fake_io);
    assert_true(IsWindowEnabled(GetDlgItem(f->wnd, ID_CLEAR)));

    /* No: nothing is sent, nothing goes. */
    prompted.answer = FALSE;
    SendMessageW(f->wnd, WM_COMMAND, MAKEWPARAM(ID_CLEAR, BN_CLICKED), (LPARAM)GetDlgItem(f->wnd, ID_CLEAR));
    assert_int_equal(prompted.confirms, 1);
    assert_int_equal(prompted.confirm_count, 5);
    assert_int_equal(clear_requests, 0);
    assert_int_equal(of_history_count(f->h), 5);
    assert_int_equal(ListView_GetItemCount(f->list), 5);

    /* Yes: one request to the app, which clears and reloads the window. */
    prompted.answer = TRUE;
    assert_true(historywnd_clear(f->wnd));
    assert_int_equal(prompted.confirms, 2);
    assert_int_equal(clear_requests, 1);
    assert_int_equal(of_history_count(f->h), 0);
    assert_int_equal(ListView_GetItemCount(f->list), 0);
    assert_status(f, L"0 syncs");
    assert_int_equal(prompted.errors, 0);
    /* Nothing left to clear: the button is off and nobody is asked. */
    assert_false(IsWindowEnabled(GetDlgItem(f->wnd, ID_CLEAR)));
    assert_false(historywnd_clear(f->wnd));
    assert_int_equal(prompted.confirms, 2);

    /* No app window: the user is told, nothing is cleared. */
    append(f, rec(BASE_MS + 6000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    historywnd_records_changed(f->app);
    DestroyWindow(f->app);
    assert_false(historywnd_clear(f->wnd));
    assert_int_equal(clear_requests, 1);
    assert_int_equal(prompted.errors, 1);
    assert_non_null(wcsstr(prompted.error, L"could not be cleared"));
    assert_int_equal(of_history_count(f->h), 1);
    /* Closed by the user, as the app that opened it is gone. */
    DestroyWindow(f->wnd);
}

/* ---- export ----------------------------------------------------------------------------- */

typedef struct file_fixture {
    fixture base;
    WCHAR dir[MAX_PATH];
} file_fixture;

/* A real history file in a fresh folder, written through fs_win32 as the app
 * does, shown in the window. */
static int setup_file(void **state)
{
    file_fixture *ff = calloc(1, sizeof(*ff));
    WCHAR tmp[MAX_PATH];
    char path[MAX_PATH * 4];
    assert_non_null(ff);
    forget_placement();
    GetTempPathW(ARRAYSIZE(tmp), tmp);
    swprintf(ff->dir, ARRAYSIZE(ff->dir), L"%lsofnotify-hist-%lu", tmp, GetCurrentProcessId());
    CreateDirectoryW(ff->dir, NULL);
    WideCharToMultiByte(CP_UTF8, 0, ff->dir, -1, path, sizeof(path), NULL, NULL);
    strcat(path, "\\history.dat");
    DeleteFileA(path);
    assert_int_equal(of_history_open(&ff->base.h, fs_win32(), path, 0, NOW_MS, NULL), OF_HISTORY_OK);
    append(&ff->base, rec(BASE_MS + 1000, 12000, OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                          OF_REASON_NONE));
    append(&ff->base, rec(BASE_MS + 2000, 0, OF_SYNC_FLAG_SYNCIN, OF_STATUS_UNPAIRED, OF_REASON_NONE));
    append(&ff->base, rec(BASE_MS + 3000, 125000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(&ff->base, rec(BASE_MS + 4000, 3000, OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_INTERRUPTED, OF_REASON_DATALOST));
    ff->base.app = make_fake_app();
    ff->base.wnd = historywnd_open(GetModuleHandleW(NULL), ff->base.app, ff->base.h);
    assert_non_null(ff->base.wnd);
    ff->base.list = find_list(ff->base.wnd);
    pump();
    memset(&prompted, 0, sizeof(prompted));
    historywnd_set_io(ff->base.wnd, &fake_io);
    *state = ff;
    return 0;
}

static int teardown_file(void **state)
{
    file_fixture *ff = *state;
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    historywnd_close(ff->base.app);
    pump();
    DestroyWindow(ff->base.app);
    of_history_close(ff->base.h);
    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", ff->dir);
    find = FindFirstFileW(pattern, &fd);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            swprintf(path, ARRAYSIZE(path), L"%ls\\%ls", ff->dir, fd.cFileName);
            SetFileAttributesW(path, FILE_ATTRIBUTE_NORMAL);
            DeleteFileW(path);
        } while (FindNextFileW(find, &fd));
        FindClose(find);
    }
    RemoveDirectoryW(ff->dir);
    free(ff);
    return 0;
}

static char *read_all(const WCHAR *path, size_t *size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER len;
    char *data;
    DWORD got = 0;
    if (file == INVALID_HANDLE_VALUE)
        return NULL;
    assert_true(GetFileSizeEx(file, &len));
    data = malloc((size_t)len.QuadPart + 1);
    assert_non_null(data);
    assert_true(ReadFile(file, data, (DWORD)len.QuadPart, &got, NULL));
    CloseHandle(file);
    data[got] = 0;
    *size = got;
    return data;
}

/* ofnotify --export=FORMAT --data-dir=DIR --out=OUT, in this process. */
static void cli_export(const WCHAR *dir, const WCHAR *format, const WCHAR *out)
{
    WCHAR a1[64], a2[MAX_PATH + 16], a3[MAX_PATH + 16];
    WCHAR *argv[] = {L"ofnotify.exe", a1, a2, a3};
    cli_options o;
    swprintf(a1, ARRAYSIZE(a1), L"--export=%ls", format);
    swprintf(a2, ARRAYSIZE(a2), L"--data-dir=%ls", dir);
    swprintf(a3, ARRAYSIZE(a3), L"--out=%ls", out);
    assert_int_equal(cli_parse(4, argv, &o), EXIT_OK);
    assert_int_equal(cli_run(&o), EXIT_OK);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Export…, then the message loop until its worker has ended and the window has handled its end. */
static BOOL export_and_wait(HWND wnd)
{
    BOOL started = historywnd_export(wnd);
    for (int i = 0; i < 2000 && historywnd_exporting(wnd); i++) {
        pump();
        Sleep(5);
    }
    assert_false(historywnd_exporting(wnd));
    return started;
}

static void test_export_same_bytes_as_cli(void **state)
{
    file_fixture *ff = *state;
    static const struct {
        export_format format;
        const WCHAR *word, *ext;
    } kinds[] = {{EXPORT_CSV, L"csv", L"csv"}, {EXPORT_JSONL, L"jsonl", L"jsonl"}};
    /* --export refuses to write into the data folder: its file goes beside it. */
    WCHAR cli_dir[MAX_PATH];
    swprintf(cli_dir, ARRAYSIZE(cli_dir), L"%ls.cli", ff->dir);
    assert_true(CreateDirectoryW(cli_dir, NULL));
    for (size_t k = 0; k < ARRAYSIZE(kinds); k++) {
        WCHAR mine[MAX_PATH], theirs[MAX_PATH];
        char *a, *b;
        size_t na = 0, nb = 0;
        swprintf(mine, ARRAYSIZE(mine), L"%ls\\window.%ls", ff->dir, kinds[k].ext);
        swprintf(theirs, ARRAYSIZE(theirs), L"%ls\\cli.%ls", cli_dir, kinds[k].ext);
        wcscpy(prompted.target, mine);
        prompted.format = kinds[k].format;
        /* Newest first on screen, sorted by duration even: the file is in
         * the order the passes happened, as --export writes it. */
        click_column(ff->base.wnd, ff->base.list, C_DURATION);
        assert_true(export_and_wait(ff->base.wnd));
        assert_int_equal(prompted.target_count, 4);
        cli_export(ff->dir, kinds[k].word, theirs);
        a = read_all(mine, &na);
        b = read_all(theirs, &nb);
        assert_non_null(a);
        assert_non_null(b);
        assert_true(na > 100);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        free(a);
        free(b);
        assert_true(DeleteFileW(theirs));
    }
    assert_true(RemoveDirectoryW(cli_dir));
    assert_int_equal(prompted.errors, 0);

    /* The filter applies: only the to-server pass (plus the CSV header). */
    choose_direction(&ff->base, 2);
    swprintf(prompted.target, ARRAYSIZE(prompted.target), L"%ls\\shown.csv", ff->dir);
    prompted.format = EXPORT_CSV;
    assert_true(export_and_wait(ff->base.wnd));
    assert_int_equal(prompted.target_count, 1);
    {
        size_t n = 0;
        char *text = read_all(prompted.target, &n);
        assert_non_null(text);
        assert_int_equal(count_lines(text), 2);
        assert_non_null(strstr(text, "to-server"));
        assert_null(strstr(text, "two-way"));
        free(text);
    }

    /* Cancelled: nothing written, nobody told. */
    prompted.target[0] = 0;
    assert_false(export_and_wait(ff->base.wnd));
    assert_int_equal(prompted.errors, 0);
}

/* Writes the first chunk, then fails the way a full disk does. */
static int writes_before_full;

static BOOL disk_fills_up(HANDLE file, const void *data, DWORD len, DWORD *written)
{
    if (writes_before_full-- > 0)
        return WriteFile(file, data, len, written, NULL);
    *written = 0;
    SetLastError(ERROR_DISK_FULL);
    return FALSE;
}

static void test_export_errors(void **state)
{
    file_fixture *ff = *state;
    WCHAR path[MAX_PATH];
    char *text;
    size_t n;

    /* A folder that does not exist: told, nothing made. */
    swprintf(prompted.target, ARRAYSIZE(prompted.target), L"%ls\\missing\\out.csv", ff->dir);
    prompted.format = EXPORT_CSV;
    assert_false(export_and_wait(ff->base.wnd));
    assert_int_equal(prompted.errors, 1);
    assert_non_null(wcsstr(prompted.error, prompted.target));
    assert_int_equal(GetFileAttributesW(prompted.target), INVALID_FILE_ATTRIBUTES);

    /* A folder of that name: access denied, and the folder stays. */
    swprintf(path, ARRAYSIZE(path), L"%ls\\folder.csv", ff->dir);
    assert_true(CreateDirectoryW(path, NULL));
    wcscpy(prompted.target, path);
    assert_false(export_and_wait(ff->base.wnd));
    assert_int_equal(prompted.errors, 2);
    assert_true(GetFileAttributesW(path) & FILE_ATTRIBUTE_DIRECTORY);
    RemoveDirectoryW(path);

    /* A file another program holds open: not touched. */
    swprintf(path, ARRAYSIZE(path), L"%ls\\locked.csv", ff->dir);
    {
        HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        DWORD done;
        assert_true(file != INVALID_HANDLE_VALUE);
        WriteFile(file, "keep", 4, &done, NULL);
        wcscpy(prompted.target, path);
        assert_false(export_and_wait(ff->base.wnd));
        assert_int_equal(prompted.errors, 3);
        CloseHandle(file);
    }
    text = read_all(path, &n);
    assert_non_null(text);
    assert_int_equal(n, 4);
    free(text);

    /* The disk fills up halfway: the export started (the file could be made),
     * then the user is told when the worker ends, and the partial file is
     * gone. Enough records that the export takes several writes. */
    for (int i = 0; i < 400; i++)
        append(&ff->base, rec(BASE_MS + 10000 + i * 1000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                              OF_REASON_NONE));
    historywnd_records_changed(ff->base.app);
    swprintf(prompted.target, ARRAYSIZE(prompted.target), L"%ls\\full.jsonl", ff->dir);
    prompted.format = EXPORT_JSONL;
    writes_before_full = 1;
    {
        historywnd_io full = fake_io;
        full.write = disk_fills_up;
        historywnd_set_io(ff->base.wnd, &full);
        assert_true(export_and_wait(ff->base.wnd));
        historywnd_set_io(ff->base.wnd, &fake_io);
    }
    assert_true(writes_before_full < 0); /* it did write before failing */
    assert_int_equal(prompted.errors, 4);
    assert_non_null(wcsstr(prompted.error, prompted.target));
    assert_int_equal(GetFileAttributesW(prompted.target), INVALID_FILE_ATTRIBUTES);
}

static const of_record *snapshot_of_nothing(void *ctx, size_t i)
{
    (void)ctx, (void)i;
    return NULL;
}

/* Writes slowly, from whichever thread, and remembers which. */
static volatile LONG slow_writes;
static DWORD writer_thread;

static BOOL slow_write(HANDLE file, const void *data, DWORD len, DWORD *written)
{
    InterlockedIncrement(&slow_writes);
    writer_thread = GetCurrentThreadId();
    Sleep(30);
    return WriteFile(file, data, len, written, NULL);
}

static const historywnd_io slow_io = {fake_confirm, fake_target, fake_error, slow_write};

/* Enough records for several 64 KiB writes. */
static void add_many(file_fixture *ff, int n)
{
    for (int i = 0; i < n; i++)
        append(&ff->base, rec(BASE_MS + 10000 + i * 1000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED,
                              OF_REASON_NONE));
    historywnd_records_changed(ff->base.app);
}

static void test_export_writes_a_snapshot_on_a_worker(void **state)
{
    file_fixture *ff = *state;
    char *text;
    size_t n = 0;
    add_many(ff, 3000);
    slow_writes = 0;
    historywnd_set_io(ff->base.wnd, &slow_io);
    swprintf(prompted.target, ARRAYSIZE(prompted.target), L"%ls\\snapshot.csv", ff->dir);
    prompted.format = EXPORT_CSV;
    assert_true(historywnd_export(ff->base.wnd));
    /* It returned with the writing still to do, which is not on this thread. */
    assert_true(historywnd_exporting(ff->base.wnd));
    /* One export at a time: a second is refused without asking for a file. */
    assert_false(historywnd_export(ff->base.wnd));
    assert_int_equal(prompted.targets, 1);
    /* Meanwhile the window takes in new passes and the user clears the history. */
    add_many(ff, 10);
    clear_store = ff->base.h;
    prompted.answer = TRUE;
    assert_true(historywnd_clear(ff->base.wnd));
    assert_int_equal(of_history_count(ff->base.h), 0);
    assert_true(export_and_wait(ff->base.wnd) == FALSE); /* the second call: refused, nothing started */
    assert_true(slow_writes > 1);
    assert_int_not_equal(writer_thread, GetCurrentThreadId());
    /* The file has what the list showed when Export… was chosen: the header and 4 + 3000 records. */
    text = read_all(prompted.target, &n);
    assert_non_null(text);
    assert_int_equal(count_lines(text), 1 + 4 + 3000);
    free(text);
    assert_int_equal(prompted.errors, 0);
}

static void test_export_stops_when_the_window_closes(void **state)
{
    file_fixture *ff = *state;
    export_progress progress = {0};
    HANDLE file;
    add_many(ff, 3000);
    historywnd_set_io(ff->base.wnd, &slow_io);
    swprintf(prompted.target, ARRAYSIZE(prompted.target), L"%ls\\closed.jsonl", ff->dir);
    prompted.format = EXPORT_JSONL;
    /* Hidden first: Wine's X11 driver may wait up to 2 s for a window manager to unmap a shown
     * window, long enough for the export to end before the window has begun to close. */
    ShowWindow(ff->base.wnd, SW_HIDE);
    pump();
    slow_writes = 0;
    assert_true(historywnd_export(ff->base.wnd));
    assert_true(historywnd_exporting(ff->base.wnd));
    assert_int_not_equal(GetFileAttributesW(prompted.target), INVALID_FILE_ATTRIBUTES);
    /* Closed halfway: the worker is stopped and waited for, the partial file deleted, nobody told. */
    historywnd_close(ff->base.app);
    pump();
    assert_false(IsWindow(ff->base.wnd));
    /* Stopped before the end: 3004 records take more writes than this. */
    assert_true(slow_writes < 5);
    assert_int_equal(GetFileAttributesW(prompted.target), INVALID_FILE_ATTRIBUTES);
    assert_int_equal(prompted.errors, 0);

    /* Cancel as the progress dialog's button sets it: nothing is left either. */
    file = CreateFileW(prompted.target, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    InterlockedExchange(&progress.cancel, 1);
    assert_int_equal(export_to_file(file, prompted.target, EXPORT_CSV, snapshot_of_nothing, NULL, 10, NULL,
                                    &progress, NULL),
                     EXPORT_E_CANCELLED);
    assert_int_equal(GetFileAttributesW(prompted.target), INVALID_FILE_ATTRIBUTES);
}

/* ---- placement and columns ---------------------------------------------------------------- */

static void reopen(fixture *f)
{
    historywnd_close(f->app);
    pump();
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
    assert_non_null(f->wnd);
    f->list = find_list(f->wnd);
    pump();
}

static void test_placement_round_trip(void **state)
{
    fixture *f = *state;
    RECT rc, mon_rc;
    int order[C_COUNT], want_order[C_COUNT] = {0, 2, 1, 3, 4, 5};
    SetWindowPos(f->wnd, NULL, 40, 50, 700, 500, SWP_NOZORDER);
    ListView_SetColumnWidth(f->list, C_DETAILS, 222);
    ListView_SetColumnOrderArray(f->list, C_COUNT, want_order);
    reopen(f);
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.left, 40);
    assert_int_equal(rc.top, 50);
    assert_int_equal(rc.right - rc.left, 700);
    assert_int_equal(rc.bottom - rc.top, 500);
    assert_int_equal(ListView_GetColumnWidth(f->list, C_DETAILS), 222);
    assert_true(ListView_GetColumnOrderArray(f->list, C_COUNT, order));
    assert_memory_equal(order, want_order, sizeof(order));

    /* Saved on a monitor that is gone: it comes back on this one. */
    {
        WINDOWPLACEMENT wp = {.length = sizeof(wp)};
        HKEY k;
        GetWindowPlacement(f->wnd, &wp);
        wp.rcNormalPosition = (RECT){9000, 7000, 9700, 7500};
        assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, WINPLACE_HISTORY_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL,
                                         &k, NULL),
                         ERROR_SUCCESS);
        historywnd_close(f->app);
        pump();
        RegSetValueExW(k, L"Placement", 0, REG_BINARY, (const BYTE *)&wp, sizeof(wp));
        RegCloseKey(k);
        f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
        f->list = find_list(f->wnd);
    }
    GetWindowRect(f->wnd, &rc);
    {
        MONITORINFO mi = {.cbSize = sizeof(mi)};
        GetMonitorInfoW(MonitorFromWindow(f->wnd, MONITOR_DEFAULTTONEAREST), &mi);
        mon_rc = mi.rcWork;
    }
    /* What winplace reads back is on screen already, whatever Windows would do. */
    {
        WINDOWPLACEMENT got;
        assert_true(winplace_load(WINPLACE_HISTORY_KEY, &got));
        assert_true(got.rcNormalPosition.left >= mon_rc.left && got.rcNormalPosition.right <= mon_rc.right);
        assert_true(got.rcNormalPosition.top >= mon_rc.top && got.rcNormalPosition.bottom <= mon_rc.bottom);
    }
    assert_true(rc.left >= mon_rc.left && rc.top >= mon_rc.top);
    assert_true(rc.right <= mon_rc.right && rc.bottom <= mon_rc.bottom);
    assert_int_equal(rc.right - rc.left, 700);
}

static void put_value(const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    HKEY k;
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, WINPLACE_HISTORY_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &k,
                                     NULL),
                     ERROR_SUCCESS);
    assert_int_equal(RegSetValueExW(k, name, 0, type, data, size), ERROR_SUCCESS);
    RegCloseKey(k);
}

static void test_placement_corrupt_ignored(void **state)
{
    fixture *f = *state;
    RECT fresh, rc;
    int fresh_width = ListView_GetColumnWidth(f->list, C_DETAILS);
    WINDOWPLACEMENT wp = {.length = sizeof(wp)};
    uint32_t cols[3 + 2 * WINPLACE_MAX_COLUMNS] = {1, 96, C_COUNT};
    GetWindowRect(f->wnd, &fresh);
    GetWindowPlacement(f->wnd, &wp);
    historywnd_close(f->app);
    pump();

    /* Each of these is ignored: the window opens as it would without them. */
    static const BYTE garbage[7] = {1, 2, 3, 4, 5, 6, 7};
    put_value(L"Placement", REG_BINARY, garbage, sizeof(garbage));
    put_value(L"Columns", REG_SZ, L"wide", 10);
    reopen(f);
    assert_true(IsWindowVisible(f->wnd));
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, fresh.right - fresh.left);
    assert_int_equal(rc.bottom - rc.top, fresh.bottom - fresh.top);
    assert_int_equal(ListView_GetColumnWidth(f->list, C_DETAILS), fresh_width);
    historywnd_close(f->app);
    pump();

    wp.length = 12; /* wrong length field */
    wp.rcNormalPosition = (RECT){10, 10, 710, 510};
    put_value(L"Placement", REG_BINARY, &wp, sizeof(wp));
    {
        WINDOWPLACEMENT got;
        assert_false(winplace_load(WINPLACE_HISTORY_KEY, &got));
    }
    /* Columns whose order is not a permutation, with absurd widths. */
    for (int i = 0; i < C_COUNT; i++) {
        cols[3 + i] = 100000;
        cols[3 + WINPLACE_MAX_COLUMNS + i] = 1;
    }
    put_value(L"Columns", REG_BINARY, cols, sizeof(cols));
    {
        int widths[C_COUNT], order[C_COUNT];
        assert_false(winplace_load_columns(WINPLACE_HISTORY_KEY, C_COUNT, 96, widths, order));
        cols[3 + WINPLACE_MAX_COLUMNS + 1] = 0; /* a permutation now, the widths still absurd */
        for (int i = 0; i < C_COUNT; i++)
            cols[3 + WINPLACE_MAX_COLUMNS + i] = (uint32_t)i;
        put_value(L"Columns", REG_BINARY, cols, sizeof(cols));
        assert_false(winplace_load_columns(WINPLACE_HISTORY_KEY, C_COUNT, 96, widths, order));
        cols[3 + C_DETAILS] = 50; /* fixed: then it is taken */
        for (int i = 0; i < C_COUNT; i++)
            cols[3 + i] = 50;
        put_value(L"Columns", REG_BINARY, cols, sizeof(cols));
        assert_true(winplace_load_columns(WINPLACE_HISTORY_KEY, C_COUNT, 96, widths, order));
        for (int i = 0; i < C_COUNT; i++)
            cols[3 + WINPLACE_MAX_COLUMNS + i] = 1; /* broken again for the window below */
        cols[3 + C_DETAILS] = 100000;
        put_value(L"Columns", REG_BINARY, cols, sizeof(cols));
    }
    reopen(f);
    assert_true(IsWindowVisible(f->wnd));
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, fresh.right - fresh.left);
    assert_int_equal(ListView_GetColumnWidth(f->list, C_DETAILS), fresh_width);
    historywnd_close(f->app);
    pump();

    /* A rectangle of no size, and one of absurd size. */
    wp.length = sizeof(wp);
    wp.rcNormalPosition = (RECT){10, 10, 10, 10};
    put_value(L"Placement", REG_BINARY, &wp, sizeof(wp));
    reopen(f);
    assert_true(IsWindowVisible(f->wnd));
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, fresh.right - fresh.left);
    historywnd_close(f->app);
    pump();
    wp.rcNormalPosition = (RECT){-2000000000, 0, 2000000000, 500};
    put_value(L"Placement", REG_BINARY, &wp, sizeof(wp));
    reopen(f);
    assert_true(IsWindowVisible(f->wnd));
    GetWindowRect(f->wnd, &rc);
    assert_int_equal(rc.right - rc.left, fresh.right - fresh.left);

    /* Minimized never comes back minimized. */
    historywnd_close(f->app);
    pump();
    wp.rcNormalPosition = (RECT){20, 20, 720, 520};
    wp.showCmd = SW_SHOWMINIMIZED;
    put_value(L"Placement", REG_BINARY, &wp, sizeof(wp));
    reopen(f);
    assert_false(IsIconic(f->wnd));
    assert_true(IsWindowVisible(f->wnd));
}

/* ---- icons and keys ------------------------------------------------------------------------- */

static void test_direction_icons(void **state)
{
    fixture *f = *state;
    HIMAGELIST icons = ListView_GetImageList(f->list, LVSIL_SMALL);
    int cx = 0, cy = 0;
    LVITEMW item = {.mask = LVIF_IMAGE, .iItem = 0, .iSubItem = C_DIRECTION};
    assert_non_null(icons);
    assert_int_equal(ImageList_GetImageCount(icons), OF_DIR_COUNT);
    assert_true(ImageList_GetIconSize(icons, &cx, &cy));
    assert_int_equal(cx, GetSystemMetricsForDpi(SM_CXSMICON, GetDpiForWindow(f->wnd)));
    assert_int_equal(cy, GetSystemMetricsForDpi(SM_CYSMICON, GetDpiForWindow(f->wnd)));
    assert_true(ListView_GetExtendedListViewStyle(f->list) & LVS_EX_SUBITEMIMAGES);
    /* Row 0 two-way, row 1 fill-sparse, row 3 from-server, row 2 to-server. */
    assert_true(ListView_GetItem(f->list, &item));
    assert_int_equal(item.iImage, OF_DIR_TWO_WAY);
    item.iItem = 1;
    assert_true(ListView_GetItem(f->list, &item));
    assert_int_equal(item.iImage, OF_DIR_FILL_SPARSE);
    item.iItem = 2;
    assert_true(ListView_GetItem(f->list, &item));
    assert_int_equal(item.iImage, OF_DIR_TO_SERVER);
    item.iItem = 3;
    assert_true(ListView_GetItem(f->list, &item));
    assert_int_equal(item.iImage, OF_DIR_FROM_SERVER);
    /* No icon in the other columns. */
    item.iSubItem = C_DURATION;
    assert_true(ListView_GetItem(f->list, &item));
    assert_int_equal(item.iImage, I_IMAGENONE);

    /* A row's tooltip gives the raw flags behind the Details. */
    {
        WCHAR text[512] = L"label";
        NMLVGETINFOTIPW tip = {.hdr = {.hwndFrom = f->list, .idFrom = ID_LIST, .code = LVN_GETINFOTIPW},
                               .pszText = text, .cchTextMax = ARRAYSIZE(text), .iItem = 0};
        assert_true(ListView_GetExtendedListViewStyle(f->list) & LVS_EX_INFOTIP);
        SendMessageW(f->wnd, WM_NOTIFY, ID_LIST, (LPARAM)&tip);
        assert_true(wcscmp(text, L"dwSyncControlFlags 0x30010006: FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_BACKGROUND|CR_KEEPLATEST") == 0);
    }

    /* Twice the DPI: twice the size. */
    {
        RECT rc = {10, 10, 1010, 710};
        UINT dpi = GetDpiForWindow(f->wnd) * 2;
        SendMessageW(f->wnd, WM_DPICHANGED, MAKEWPARAM(dpi, dpi), (LPARAM)&rc);
        icons = ListView_GetImageList(f->list, LVSIL_SMALL);
        assert_true(ImageList_GetIconSize(icons, &cx, &cy));
        assert_int_equal(cx, GetSystemMetricsForDpi(SM_CXSMICON, dpi));
    }
}

/* The icons and the font are made once and kept: a window opened again uses the same ones, and
 * closing the first one did not destroy them. */
static void test_reopen_keeps_icons_and_font(void **state)
{
    fixture *f = *state;
    HIMAGELIST icons = ListView_GetImageList(f->list, LVSIL_SMALL);
    HFONT font = (HFONT)SendMessageW(f->list, WM_GETFONT, 0, 0);
    LOGFONTW lf;
    assert_non_null(icons);
    assert_non_null(font);
    reopen(f);
    assert_ptr_equal(ListView_GetImageList(f->list, LVSIL_SMALL), icons);
    assert_int_equal(ImageList_GetImageCount(icons), OF_DIR_COUNT);
    assert_ptr_equal((HFONT)SendMessageW(f->list, WM_GETFONT, 0, 0), font);
    assert_int_equal(GetObjectW(font, sizeof(lf), &lf), sizeof(lf));
    assert_ptr_equal((HFONT)SendMessageW(GetDlgItem(f->wnd, ID_FILTER), WM_GETFONT, 0, 0), font);
}

/* Posts a key to the focused control and lets the thread's queue deliver it,
 * the way the app's message loop would. */
static void press(UINT vk, BOOL ctrl)
{
    BYTE keys[256];
    HWND target = GetFocus();
    GetKeyboardState(keys);
    keys[VK_CONTROL] = ctrl ? 0x80 : 0;
    SetKeyboardState(keys);
    PostMessageW(target, WM_KEYDOWN, vk, 1);
    PostMessageW(target, WM_KEYUP, vk, 1 | (1u << 30) | (1u << 31));
    pump();
    keys[VK_CONTROL] = 0;
    SetKeyboardState(keys);
}

static void alt_letter(WCHAR letter)
{
    PostMessageW(GetFocus(), WM_SYSCHAR, letter, 1 | (1u << 29));
    pump();
}

static void test_keyboard(void **state)
{
    fixture *f = *state;
    HWND filter = GetDlgItem(f->wnd, ID_FILTER), search = GetDlgItem(f->wnd, ID_SEARCH);
    HWND copy = GetDlgItem(f->wnd, ID_COPY), export_button = GetDlgItem(f->wnd, ID_EXPORT);
    HWND clear = GetDlgItem(f->wnd, ID_CLEAR);

    /* The tab order: filter, search, list, the buttons, round again. */
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, filter, FALSE), search);
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, search, FALSE), f->list);
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, f->list, FALSE), copy);
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, copy, FALSE), export_button);
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, export_button, FALSE), clear);
    assert_ptr_equal(GetNextDlgTabItem(f->wnd, clear, FALSE), filter);

    /* Tab goes through the app's kind of message loop. */
    SetForegroundWindow(f->wnd);
    SetFocus(filter);
    assert_ptr_equal(GetFocus(), filter);
    press(VK_TAB, FALSE);
    assert_ptr_equal(GetFocus(), search);
    press(VK_TAB, FALSE);
    assert_ptr_equal(GetFocus(), f->list);

    /* Ctrl+F from the list: the search. Alt+D: the filter. */
    press('F', TRUE);
    assert_ptr_equal(GetFocus(), search);
    alt_letter(L'd');
    assert_ptr_equal(GetFocus(), filter);
    alt_letter(L's');
    assert_ptr_equal(GetFocus(), search);

    /* Ctrl+S from the search box: Export (cancelled here). */
    memset(&prompted, 0, sizeof(prompted));
    historywnd_set_io(f->wnd, &fake_io);
    press('S', TRUE);
    assert_int_equal(prompted.targets, 1);
    assert_int_equal(prompted.target_count, 5);
    historywnd_set_io(f->wnd, NULL);

    /* Esc closes. */
    press(VK_ESCAPE, FALSE);
    assert_false(IsWindow(f->wnd));
}

/* ---- the window's strings ------------------------------------------------------------- */

static void test_strings_in_both_languages(void **state)
{
    static const UINT ids[] = {
        IDS_HIST_TITLE, IDS_HIST_COL_COMPLETED, IDS_HIST_COL_DIRECTION, IDS_HIST_COL_DURATION, IDS_HIST_COL_STARTED,
        IDS_HIST_COL_STATUS, IDS_HIST_COL_DETAILS, IDS_HIST_FILTER_LABEL, IDS_HIST_FILTER_ALL, IDS_HIST_SEARCH_LABEL,
        IDS_HIST_SEARCH_CUE, IDS_HIST_COUNT_ALL, IDS_HIST_COUNT_ONE, IDS_HIST_COUNT_SOME, IDS_HIST_FLAGS_TIP,
        IDS_HIST_COPY,
        IDS_HIST_EXPORT, IDS_HIST_CLEAR, IDS_HIST_EXPORT_TITLE, IDS_HIST_EXPORT_CSV, IDS_HIST_EXPORT_JSONL,
        IDS_HIST_EXPORT_NAME, IDS_HIST_EXPORT_FAILED, IDS_HIST_EXPORT_NOT_MADE, IDS_HIST_CLEAR_ASK,
        IDS_HIST_CLEAR_FAILED, IDS_HIST_CLEAR_CAPTION, IDS_CHART_CAPTION, IDS_CHART_OTHER, IDS_CHART_TIP_DATE,
        IDS_CHART_LABEL_DATE, IDS_CHART_TIP, IDS_CHART_TIP_NONE, IDS_CHART_N_TWO_WAY, IDS_CHART_N_TO_SERVER,
        IDS_CHART_N_FROM_SERVER, IDS_CHART_N_OTHER, IDS_CHART_NAME, IDS_CHART_SEPARATOR,
    };
    const LANGID en = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), de = MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN);
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(ids); i++) {
        WCHAR e[1024], g[1024];
        assert_true(ids[i] >= 1200 && ids[i] <= 1299);
        if (rc_string_copy(NULL, ids[i], en, e, ARRAYSIZE(e)) <= 0 || rc_string_copy(NULL, ids[i], de, g, ARRAYSIZE(g)) <= 0) {
            print_error("string %u missing in English or German\n", ids[i]);
            fail();
        }
        /* The same inserts in both, so FormatMessage never reads a missing argument. */
        if (rc_inserts(e) != rc_inserts(g)) {
            print_error("string %u: \"%ls\" and \"%ls\" use different inserts\n", ids[i], e, g);
            fail();
        }
    }
    /* Mnemonics the keyboard test relies on. */
    {
        WCHAR t[64];
        rc_string_copy(NULL, IDS_HIST_FILTER_LABEL, en, t, ARRAYSIZE(t));
        assert_non_null(wcsstr(t, L"&D"));
        rc_string_copy(NULL, IDS_HIST_SEARCH_LABEL, en, t, ARRAYSIZE(t));
        assert_non_null(wcsstr(t, L"&S"));
    }
}

/* ---- a million records ---------------------------------------------------------- */

/* The history file of a million records: the oldest a fill-sparse pass of 1 h
 * 2 min, all others two-way. */
static int setup_million(void **state)
{
    static const uint32_t two_way = OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT;
    forget_placement();
    const size_t n = BIG_COUNT;
    size_t size;
    fixture *f = calloc(1, sizeof(*f));
    unsigned char *file = history_file_of(n, BASE_MS, &two_way, 1, &size);
    assert_non_null(f);
    assert_non_null(file);
    f->fs = memfs_new();
    assert_non_null(f->fs);
    assert_int_equal(memfs_put(f->fs, "big.dat", file, size), 0);
    free(file);
    assert_int_equal(of_history_open(&f->h, memfs_fs(f->fs), "big.dat", OF_HISTORY_READONLY, NOW_MS, NULL),
                     OF_HISTORY_OK);
    assert_int_equal(of_history_count(f->h), n);
    f->app = make_fake_app();
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
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
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
    assert_cell(f->list, last, C_DIRECTION, L"Fill sparse");
    assert_cell(f->list, last, C_DURATION, L"1 h 2 min");
    assert_cell(f->list, last, C_DETAILS, L"Fill sparse");

    /* Sorting a million by duration: the longest (the oldest record) is last. */
    QueryPerformanceCounter(&t0);
    click_column(f->wnd, f->list, C_DURATION);
    sort_ms = ms_since(t0);
    printf("historywnd: sort %u records by duration: %.1f ms\n", BIG_COUNT, sort_ms);
    assert_cell(f->list, last, C_DURATION, L"1 h 2 min");
    assert_cell(f->list, 0, C_DURATION, L"< 1 s");

    /* Filtering and searching a million: the one fill-sparse pass. */
    QueryPerformanceCounter(&t0);
    choose_direction(f, 4);
    printf("historywnd: filter %u records by direction: %.1f ms\n", BIG_COUNT, ms_since(t0));
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_status(f, L"1 of 1,000,000 syncs");
    choose_direction(f, 0);
    click_column(f->wnd, f->list, C_COMPLETED);
    QueryPerformanceCounter(&t0);
    search_for(f, L"1 H 2 MIN");
    printf("historywnd: search %u records: %.1f ms\n", BIG_COUNT, ms_since(t0));
    assert_int_equal(ListView_GetItemCount(f->list), 1);
    assert_cell(f->list, 0, C_DIRECTION, L"Fill sparse");
    /* A new record while searching: it joins if it matches. */
    search_for(f, L"16 min 39 s");
    assert_int_equal(ListView_GetItemCount(f->list), 1000);
}

/* The Conflicts tab lists the set the app hands over, newest first, with the
 * sync state in words, counts it in the tab's name, follows changes, and
 * Ctrl+Tab switches between it and the syncs. The list is made when its tab
 * is first shown. */
static void test_conflicts_tab(void **state)
{
    fixture *f = *state;
    HWND tabs = GetDlgItem(f->wnd, ID_TABS), conflicts;
    of_conflicts *set = NULL;
    WCHAR text[64];
    TCITEMW item = {.mask = TCIF_TEXT, .pszText = text, .cchTextMax = ARRAYSIZE(text)};
    assert_non_null(tabs);
    assert_null(GetDlgItem(f->wnd, ID_CONFLICTS));
    assert_int_equal(TabCtrl_GetItemCount(tabs), 2);
    assert_true(TabCtrl_GetItem(tabs, 1, &item));
    assert_true(wcscmp(text, L"Conflicts (0)") == 0);

    assert_int_equal(of_conflicts_open(&set, memfs_fs(f->fs), "conflicts.dat", NOW_MS, NULL), OF_HISTORY_OK);
    assert_int_equal(of_conflicts_put(set, "\\\\fs01\\home$\\budget.xlsx", BASE_MS, 12, NULL), OF_HISTORY_OK);
    assert_int_equal(of_conflicts_put(set, "\\\\fs02\\projects\\plan.docx", BASE_MS + 60000, 46, NULL),
                     OF_HISTORY_OK);
    historywnd_set_conflicts(f->app, set);
    assert_true(TabCtrl_GetItem(tabs, 1, &item));
    assert_true(wcscmp(text, L"Conflicts (2)") == 0);
    assert_null(GetDlgItem(f->wnd, ID_CONFLICTS));

    /* Ctrl+Tab: the conflicts instead of the syncs, and back. */
    SetForegroundWindow(f->wnd);
    SetFocus(f->list);
    press(VK_TAB, TRUE);
    assert_int_equal(TabCtrl_GetCurSel(tabs), 1);
    conflicts = GetDlgItem(f->wnd, ID_CONFLICTS);
    assert_non_null(conflicts);
    assert_int_equal(ListView_GetItemCount(conflicts), 2);
    assert_cell(conflicts, 0, 0, L"\\\\fs02\\projects\\plan.docx");
    assert_cell(conflicts, 0, 2, L"file deleted on the server");
    assert_cell(conflicts, 1, 0, L"\\\\fs01\\home$\\budget.xlsx");
    assert_cell(conflicts, 1, 2, L"file changed on this computer; changed on the server");
    assert_true(IsWindowVisible(conflicts));
    assert_false(IsWindowVisible(f->list));
    assert_false(IsWindowVisible(GetDlgItem(f->wnd, ID_FILTER)));
    assert_ptr_equal(GetFocus(), conflicts);
    press(VK_TAB, TRUE);
    assert_int_equal(TabCtrl_GetCurSel(tabs), 0);
    assert_false(IsWindowVisible(conflicts));
    assert_true(IsWindowVisible(f->list));

    /* Resolved in Sync Center: it leaves the list. */
    assert_int_equal(of_conflicts_remove(set, "\\\\fs02\\projects\\plan.docx", NULL), OF_HISTORY_OK);
    historywnd_set_conflicts(f->app, set);
    assert_int_equal(ListView_GetItemCount(conflicts), 1);
    assert_cell(conflicts, 0, 0, L"\\\\fs01\\home$\\budget.xlsx");
    assert_true(TabCtrl_GetItem(tabs, 1, &item));
    assert_true(wcscmp(text, L"Conflicts (1)") == 0);

    historywnd_set_conflicts(f->app, NULL);
    assert_int_equal(ListView_GetItemCount(conflicts), 0);
    of_conflicts_close(set);
}

int main(void)
{
    const char *only = getenv("OFN_TEST_FILTER"); /* e.g. OFN_TEST_FILTER=test_search */
    /* The English texts, whatever the prefix's language. */
    SetThreadUILanguage(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    if (only && *only)
        cmocka_set_test_filter(only);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_shows_newest_first, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_one_window_per_app, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_shown_only_while_in_sight, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_banner, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_records_changed_grows_and_keeps_selection, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_records_changed_at_the_end, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_sort_by_duration, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_row_text_and_copy, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_keys, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_set_history_and_dpi, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_filter_by_direction, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_live_append_while_filtered, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_open_at, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_clear_asks_first, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_export_same_bytes_as_cli, setup_file, teardown_file),
        cmocka_unit_test_setup_teardown(test_export_errors, setup_file, teardown_file),
        cmocka_unit_test_setup_teardown(test_export_writes_a_snapshot_on_a_worker, setup_file, teardown_file),
        cmocka_unit_test_setup_teardown(test_export_stops_when_the_window_closes, setup_file, teardown_file),
        cmocka_unit_test_setup_teardown(test_placement_round_trip, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_placement_corrupt_ignored, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_direction_icons, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_icons_and_font, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_conflicts_tab, setup_five, teardown),
        cmocka_unit_test(test_strings_in_both_languages),
        cmocka_unit_test_setup_teardown(test_million_records, setup_million, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
