/* make bench: the floor under the history window's first paint.
 *
 * The least a window with the history's list can be: a top-level window of
 * the history window's first size, one owner-data report list view filling
 * it with the same columns (titles from ofnotify's string table, widths
 * from its column table) and a short text in every cell, nothing else.
 * Opened and timed exactly as bench_historywnd.c times the history window
 * (firstpaint.h): from the call that opens it to the end of the list view's
 * first WM_PAINT. The first window of the process is timed on its own (it
 * pays for what Wine sets up at first use), then the median of RUNS more. */
#include <stdio.h>
#include <stdlib.h>

#include <windows.h>
#include <commctrl.h>

#include "firstpaint.h"
#include "histcols.h"
#include "histlayout.h"
#include "support/pump.h"
#include "winutil.h"

#define CLASS_NAME L"ofnotify.bench.listfloor"
#define RUNS 5
#define ROWS 1000000
#define LIST_ID 1

static LARGE_INTEGER freq;

static HWND list_of(HWND wnd)
{
    return GetDlgItem(wnd, LIST_ID);
}

static BOOL create_list(HWND wnd)
{
    const DWORD ex = LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER;
    UINT dpi = GetDpiForWindow(wnd);
    HWND list = CreateWindowExW(WS_EX_CLIENTEDGE, WC_LISTVIEWW, L"", WS_CHILD | WS_VISIBLE | LVS_REPORT | LVS_OWNERDATA,
                                0, 0, 0, 0, wnd, (HMENU)(INT_PTR)LIST_ID, GetModuleHandleW(NULL), NULL);
    if (!list)
        return FALSE;
    ListView_SetExtendedListViewStyleEx(list, ex, ex);
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        WCHAR title[64];
        LVCOLUMNW c = {.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT, .fmt = hist_columns[col].align,
                       .cx = MulDiv(hist_columns[col].width_96, dpi ? (int)dpi : 96, 96), .pszText = title,
                       .iSubItem = col};
        winutil_load_string(hist_columns[col].title, title, ARRAYSIZE(title));
        if (ListView_InsertColumn(list, col, &c) != col)
            return FALSE;
    }
    ListView_SetItemCountEx(list, ROWS, LVSICF_NOINVALIDATEALL);
    return TRUE;
}

static LRESULT CALLBACK floor_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_CREATE:
        return create_list(wnd) ? 0 : -1;
    case WM_SIZE:
        MoveWindow(list_of(wnd), 0, 0, LOWORD(lp), HIWORD(lp), TRUE);
        return 0;
    case WM_NOTIFY: {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)lp;
        if (di->hdr.code == LVN_GETDISPINFOW && (di->item.mask & LVIF_TEXT) && di->item.cchTextMax > 0)
            _snwprintf(di->item.pszText, (size_t)di->item.cchTextMax, L"row %d, column %d", di->item.iItem,
                       di->item.iSubItem);
        return 0;
    }
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static HWND open_floor(void)
{
    const INITCOMMONCONTROLSEX icc = {.dwSize = sizeof(icc), .dwICC = ICC_LISTVIEW_CLASSES};
    HINSTANCE inst = GetModuleHandleW(NULL);
    WNDCLASSEXW wc;
    UINT dpi = GetDpiForSystem();
    HWND wnd;
    InitCommonControlsEx(&icc);
    if (!GetClassInfoExW(inst, CLASS_NAME, &wc)) {
        wc = (WNDCLASSEXW){.cbSize = sizeof(wc), .lpfnWndProc = floor_proc, .hInstance = inst,
                           .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW),
                           .hbrBackground = (HBRUSH)(COLOR_WINDOW + 1), .lpszClassName = CLASS_NAME};
        if (!RegisterClassExW(&wc))
            return NULL;
    }
    wnd = CreateWindowExW(0, CLASS_NAME, L"floor", WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN, CW_USEDEFAULT, CW_USEDEFAULT,
                          histlayout_window_width(dpi), histlayout_window_height(dpi), NULL, NULL, inst, NULL);
    if (!wnd)
        return NULL;
    ShowWindow(wnd, SW_SHOWNORMAL);
    UpdateWindow(wnd);
    return wnd;
}

/* ms from opening a window to its list's first paint; negative if it did not open and paint. */
static double open_once(void)
{
    LARGE_INTEGER t0, painted_at;
    HWND wnd;
    BOOL painted;
    if (!firstpaint_start())
        return -1;
    QueryPerformanceCounter(&t0);
    wnd = open_floor();
    painted = firstpaint_stop(&painted_at);
    if (!wnd)
        return -1;
    pump();
    DestroyWindow(wnd);
    pump();
    return painted ? (double)(painted_at.QuadPart - t0.QuadPart) * 1000.0 / (double)freq.QuadPart : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    double first, t[RUNS];
    /* The app's window, which exists long before the history window opens (bench_historywnd.c makes
     * the same): Wine's display driver is set up with the first window of a process. */
    HWND app = CreateWindowExW(0, WC_STATICW, L"", WS_POPUP, 0, 0, 0, 0, NULL, NULL, GetModuleHandleW(NULL), NULL);
    QueryPerformanceFrequency(&freq);
    if (!app)
        return 1;
    first = open_once();
    for (int run = 0; run < RUNS; run++)
        t[run] = open_once();
    qsort(t, RUNS, sizeof(*t), cmp_double);
    if (first < 0 || t[0] < 0) {
        fprintf(stderr, "bench: the floor's window did not open and paint\n");
        return 1;
    }
    DestroyWindow(app);
    printf("floor: a window with one owner-data list view of the history's columns (ms)\n");
    printf("%-50s %8.1f\n", "open -> first painted list, first window", first);
    printf("open -> first painted list, median of %d            %8.1f\n", RUNS, t[RUNS / 2]);
    return 0;
}
