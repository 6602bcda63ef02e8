/* ofnotify: the history window. See historywnd.h. */
#include "historywnd.h"
#include "wallclock.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <commctrl.h>

#include "ofnotify/format.h"
#include "ofnotify/syncflags.h"
#include "resource.h"
#include "strings.h"

/* ---- every text this window shows ----
 * Literals for now, all in this one table so that moving them to the
 * STRINGTABLE (res/strings_*.rc) is mechanical: one IDS_ per entry, and
 * ui_text() becomes a LoadStringW. Cell contents come from core/format. */
enum {
    TXT_TITLE,
    TXT_COL_COMPLETED,
    TXT_COL_DIRECTION,
    TXT_COL_DURATION,
    TXT_COL_STARTED,
    TXT_COL_STATUS,
    TXT_COL_DETAILS,
    TXT_COUNT
};

static const WCHAR *const ui_texts[TXT_COUNT] = {
    [TXT_TITLE] = L"ofnotify \u2014 Sync history",
    [TXT_COL_COMPLETED] = L"Completed",
    [TXT_COL_DIRECTION] = L"Direction",
    [TXT_COL_DURATION] = L"Duration",
    [TXT_COL_STARTED] = L"Started",
    [TXT_COL_STATUS] = L"Status",
    [TXT_COL_DETAILS] = L"Details",
};

static const WCHAR *ui_text(int id)
{
    return ui_texts[id];
}

#define CLASS_NAME L"ofnotify.HistoryWindow"
#define LIST_ID 1

/* Columns, in the order shown and copied. */
enum { COL_COMPLETED, COL_DIRECTION, COL_DURATION, COL_STARTED, COL_STATUS, COL_DETAILS, COL_COUNT };

/* Widths at 96 DPI. */
static const int col_width_96[COL_COUNT] = {150, 90, 80, 150, 150, 360};

#define WINDOW_W_96 900
#define WINDOW_H_96 480

/* Longest cell: the Details of a value with every flag, in a long language. */
#define CELL_UTF8_CAP 1024
#define CELL_CAP 1024

/* Status sorting ranks statuses by their label; interrupted labels differ by
 * reason, so the key is status and reason together (plus one for values
 * from a newer version). */
#define STATUS_KEYS (OF_STATUS_COUNT * OF_REASON_COUNT + 1)

typedef struct historywnd {
    HWND wnd, list;
    const of_history *hist;
    size_t count;    /* rows the list view has been told about */
    int sort_col;    /* COL_* */
    BOOL ascending;
    uint32_t *order; /* view row → record index; NULL in completion order */
    size_t order_cap;
    /* Every record's key, only while qsort runs: one array read per compare
     * instead of two of_history_get calls sorts a million several times
     * faster. */
    const int64_t *sort_keys;
    UINT dpi;
    HFONT font;
    int dir_rank[OF_DIR_COUNT];
    int status_rank[STATUS_KEYS];
} historywnd;

/* The one history window. Its procedure receives it through lpCreateParams;
 * the public functions, which have no window handle, use it directly. */
static historywnd the_window;

/* ---- cells ---- */

static void sanitize(WCHAR *s)
{
    for (; *s; s++)
        if (*s == L'\t' || *s == L'\r' || *s == L'\n')
            *s = L' ';
}

/* ms since 1970 (UTC) → local date and time as the user's locale writes them. */
static void time_text(int64_t ms, WCHAR *buf, size_t cap)
{
    SYSTEMTIME local;
    int d;
    buf[0] = 0;
    if (cap < 2 || !wallclock_to_local(ms, &local))
        return;
    d = GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, DATE_SHORTDATE, &local, NULL, buf, (int)cap, NULL);
    if (d <= 0 || (size_t)d >= cap) {
        buf[0] = 0;
        return;
    }
    buf[d - 1] = L' ';
    if (GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, 0, &local, NULL, buf + d, (int)(cap - (size_t)d)) <= 0)
        buf[d - 1] = 0; /* the date alone */
}

/* One cell of r into buf (cap >= 1): the text the list shows. */
static void cell_text(const of_record *r, int col, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP];
    WCHAR wide[CELL_CAP];
    const of_strings *s = app_strings();
    text[0] = 0;
    buf[0] = 0;
    switch (col) {
    case COL_COMPLETED:
        time_text(r->completed_ms, buf, cap);
        return;
    case COL_STARTED:
        time_text(r->status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : r->started_ms, buf, cap);
        return;
    case COL_DIRECTION:
        of_format_direction_label(s, of_syncflags_direction(r->flags), text, sizeof(text));
        break;
    case COL_DURATION:
        /* An unpaired pass has no known start, so no duration. */
        if (r->status != OF_STATUS_UNPAIRED)
            of_format_duration(s, r->duration_ms, text, sizeof(text));
        break;
    case COL_STATUS:
        of_format_status_label(s, r, text, sizeof(text));
        break;
    case COL_DETAILS:
        of_format_details(s, r->flags, text, sizeof(text));
        break;
    default:
        return;
    }
    /* text is under CELL_UTF8_CAP bytes, so it fits CELL_CAP UTF-16 units. */
    utf8_to_wide(text, wide, ARRAYSIZE(wide));
    lstrcpynW(buf, wide, (int)min(cap, (size_t)INT_MAX));
}

/* Appends s to (buf, cap) at *len, counting what does not fit. */
static void append(WCHAR *buf, size_t cap, size_t *len, const WCHAR *s)
{
    size_t n = wcslen(s);
    if (cap > 0 && *len < cap - 1) {
        size_t room = cap - 1 - *len, k = n < room ? n : room;
        memcpy(buf + *len, s, k * sizeof(WCHAR));
        buf[*len + k] = 0;
    }
    *len += n;
}

size_t historywnd_row_text(const of_record *r, WCHAR *buf, size_t cap)
{
    WCHAR cell[CELL_CAP];
    size_t len = 0;
    if (!buf)
        cap = 0;
    if (cap > 0)
        buf[0] = 0;
    if (!r)
        return 0;
    for (int col = 0; col < COL_COUNT; col++) {
        cell_text(r, col, cell, ARRAYSIZE(cell));
        sanitize(cell);
        if (col > 0)
            append(buf, cap, &len, L"\t");
        append(buf, cap, &len, cell);
    }
    append(buf, cap, &len, L"\r\n");
    return len;
}

/* ---- the rows: view order ↔ record index ---- */

static size_t row_to_index(const historywnd *w, size_t row)
{
    if (w->order)
        return w->order[row];
    return w->ascending ? row : w->count - 1 - row;
}

static const of_record *row_record(const historywnd *w, size_t row)
{
    if (!w->hist || row >= w->count)
        return NULL;
    return of_history_get(w->hist, row_to_index(w, row));
}

static int status_key(const of_record *r)
{
    if (r->status >= OF_STATUS_COUNT || r->reason >= OF_REASON_COUNT)
        return STATUS_KEYS - 1;
    return r->status * OF_REASON_COUNT + r->reason;
}

/* The sort key of one record for the current column; equal keys fall back to
 * completion order. Details sort by the flag value, which keeps equal details
 * together without formatting a million texts. */
static int64_t sort_key(const historywnd *w, const of_record *r)
{
    switch (w->sort_col) {
    case COL_DIRECTION:
        return w->dir_rank[of_syncflags_direction(r->flags)];
    case COL_DURATION:
        /* Unpaired (no duration, shown empty) before every real duration. */
        return r->status == OF_STATUS_UNPAIRED ? -1 : (int64_t)min(r->duration_ms, (uint64_t)INT64_MAX);
    case COL_STARTED:
        return r->status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : r->started_ms;
    case COL_STATUS:
        return w->status_rank[status_key(r)];
    case COL_DETAILS:
        return r->flags;
    default:
        return r->completed_ms;
    }
}

/* -1, 0, 1: record index a before, same as, after b in the current order. */
static int compare_indexes(const historywnd *w, uint32_t a, uint32_t b)
{
    const of_record *ra = of_history_get(w->hist, a), *rb = of_history_get(w->hist, b);
    int64_t ka = ra ? sort_key(w, ra) : INT64_MIN, kb = rb ? sort_key(w, rb) : INT64_MIN;
    int c = ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    return w->ascending ? c : -c;
}

/* qsort has no context argument; the one window is the context. */
static int qsort_compare(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    int64_t ka = the_window.sort_keys[a], kb = the_window.sort_keys[b];
    int c = ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    return the_window.ascending ? c : -c;
}

/* Ranks labels[0..n) in the user's collation: rank[i] is the position of
 * labels[i] among them. n is small (a handful of labels). */
static void rank_labels(WCHAR (*labels)[64], int n, int *rank)
{
    for (int i = 0; i < n; i++) {
        rank[i] = 0;
        for (int j = 0; j < n; j++) {
            int c = CompareStringEx(LOCALE_NAME_USER_DEFAULT, LINGUISTIC_IGNORECASE, labels[j], -1, labels[i], -1,
                                    NULL, NULL, 0);
            if (c == CSTR_LESS_THAN || (c == CSTR_EQUAL && j < i))
                rank[i]++;
        }
    }
}

/* Direction and status sort by the words people see, in their language. */
static void build_ranks(historywnd *w)
{
    WCHAR labels[STATUS_KEYS][64];
    of_record r;
    for (int d = 0; d < OF_DIR_COUNT; d++) {
        memset(&r, 0, sizeof(r));
        r.flags = d == OF_DIR_TWO_WAY       ? OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT
                  : d == OF_DIR_TO_SERVER   ? OF_SYNC_FLAG_SYNCOUT
                  : d == OF_DIR_FROM_SERVER ? OF_SYNC_FLAG_SYNCIN
                  : d == OF_DIR_FILL_SPARSE ? OF_SYNC_FLAG_FILLSPARSE
                                            : 0;
        cell_text(&r, COL_DIRECTION, labels[of_syncflags_direction(r.flags)], ARRAYSIZE(labels[0]));
    }
    rank_labels(labels, OF_DIR_COUNT, w->dir_rank);
    for (int k = 0; k < STATUS_KEYS; k++) {
        memset(&r, 0, sizeof(r));
        r.status = k == STATUS_KEYS - 1 ? OF_STATUS_COUNT : (uint8_t)(k / OF_REASON_COUNT);
        r.reason = k == STATUS_KEYS - 1 ? OF_REASON_NONE : (uint8_t)(k % OF_REASON_COUNT);
        cell_text(&r, COL_STATUS, labels[k], ARRAYSIZE(labels[0]));
    }
    rank_labels(labels, STATUS_KEYS, w->status_rank);
}

/* Builds the index array for a column other than Completed. FALSE when it
 * cannot (out of memory, more records than 32-bit indexes): the caller falls
 * back to completion order. */
static BOOL build_order(historywnd *w)
{
    size_t cap = w->count ? w->count : 1;
    int64_t *keys;
    if (w->count > UINT32_MAX)
        return FALSE;
    if (w->order_cap < cap) {
        uint32_t *grown = realloc(w->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        w->order = grown;
        w->order_cap = cap;
    }
    keys = malloc(cap * sizeof(*keys));
    if (!keys)
        return FALSE;
    build_ranks(w);
    for (size_t i = 0; i < w->count; i++) {
        const of_record *r = of_history_get(w->hist, i);
        w->order[i] = (uint32_t)i;
        keys[i] = r ? sort_key(w, r) : INT64_MIN;
    }
    w->sort_keys = keys;
    qsort(w->order, w->count, sizeof(*w->order), qsort_compare);
    w->sort_keys = NULL;
    free(keys);
    return TRUE;
}

static void drop_order(historywnd *w)
{
    free(w->order);
    w->order = NULL;
    w->order_cap = 0;
}

static void show_sort_arrow(const historywnd *w)
{
    HWND header = ListView_GetHeader(w->list);
    for (int col = 0; col < COL_COUNT; col++) {
        HDITEMW item = {.mask = HDI_FORMAT};
        if (!Header_GetItem(header, col, &item))
            continue;
        item.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (col == w->sort_col)
            item.fmt |= w->ascending ? HDF_SORTUP : HDF_SORTDOWN;
        Header_SetItem(header, col, &item);
    }
}

/* Everything from the history again, in the current sort. */
static void reload(historywnd *w)
{
    w->count = w->hist ? of_history_count(w->hist) : 0;
    if (w->sort_col == COL_COMPLETED || !build_order(w)) {
        drop_order(w);
        w->sort_col = COL_COMPLETED;
    }
    show_sort_arrow(w);
    ListView_SetItemState(w->list, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    /* Owner data: the count is all the list view keeps, whatever the size. */
    ListView_SetItemCountEx(w->list, (int)min(w->count, (size_t)INT_MAX), LVSICF_NOINVALIDATEALL);
    InvalidateRect(w->list, NULL, FALSE);
}

/* ---- growing in place ---- */

/* Selected rows, ascending (the order LVNI_SELECTED walks). */
static size_t *selected_rows(const historywnd *w, size_t *n)
{
    size_t want = (size_t)ListView_GetSelectedCount(w->list), got = 0;
    size_t *rows;
    int i = -1;
    *n = 0;
    if (!want)
        return NULL;
    rows = malloc(want * sizeof(*rows));
    if (!rows)
        return NULL;
    while (got < want && (i = ListView_GetNextItem(w->list, i, LVNI_SELECTED)) >= 0)
        rows[got++] = (size_t)i;
    *n = got;
    return rows;
}

/* Where old rows are after new records (indexes >= old_count) joined the
 * sort order. rows must be ascending; they are mapped in place. */
static void map_rows(const historywnd *w, size_t old_count, size_t *rows, size_t n)
{
    size_t added = w->count - old_count;
    if (!w->order) {
        if (!w->ascending) /* newest first: the new rows are on top */
            for (size_t i = 0; i < n; i++)
                rows[i] += added;
        return;
    }
    /* Old row j is the j-th row that holds an old record. */
    size_t old_row = 0, k = 0;
    for (size_t row = 0; row < w->count && k < n; row++) {
        if (w->order[row] >= old_count)
            continue;
        while (k < n && rows[k] == old_row)
            rows[k++] = row;
        old_row++;
    }
}

/* Inserts the records old_count..count-1 into the sort order. */
static BOOL extend_order(historywnd *w, size_t old_count)
{
    if (w->count > UINT32_MAX)
        return FALSE;
    if (w->order_cap < w->count) {
        size_t cap = w->order_cap * 2 > w->count ? w->order_cap * 2 : w->count;
        uint32_t *grown = realloc(w->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        w->order = grown;
        w->order_cap = cap;
    }
    for (size_t i = old_count; i < w->count; i++) {
        size_t lo = 0, hi = i;
        while (lo < hi) { /* first row that sorts after record i */
            size_t mid = lo + (hi - lo) / 2;
            if (compare_indexes(w, w->order[mid], (uint32_t)i) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(w->order + lo + 1, w->order + lo, (i - lo) * sizeof(*w->order));
        w->order[lo] = (uint32_t)i;
    }
    return TRUE;
}

static void grow(historywnd *w, size_t new_count)
{
    size_t old_count = w->count, n_sel = 0, keep[2];
    size_t *sel = selected_rows(w, &n_sel);
    int focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED), top = ListView_GetTopIndex(w->list);
    w->count = new_count;
    if (w->order && !extend_order(w, old_count)) {
        free(sel);
        reload(w);
        return;
    }
    if (sel)
        map_rows(w, old_count, sel, n_sel);
    keep[0] = focus >= 0 ? (size_t)focus : 0;
    map_rows(w, old_count, &keep[0], 1);
    keep[1] = (size_t)(top > 0 ? top : 0);
    map_rows(w, old_count, &keep[1], 1);

    ListView_SetItemCountEx(w->list, (int)min(w->count, (size_t)INT_MAX), LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    ListView_SetItemState(w->list, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    for (size_t i = 0; i < n_sel; i++)
        ListView_SetItemState(w->list, (int)sel[i], LVIS_SELECTED, LVIS_SELECTED);
    if (focus >= 0)
        ListView_SetItemState(w->list, (int)keep[0], LVIS_FOCUSED, LVIS_FOCUSED);
    /* At the top, new rows come into view; scrolled away, the same records stay. */
    if (top > 0) {
        RECT rc;
        int now = ListView_GetTopIndex(w->list);
        if (ListView_GetItemRect(w->list, now, &rc, LVIR_BOUNDS))
            ListView_Scroll(w->list, 0, ((int)keep[1] - now) * (rc.bottom - rc.top));
    }
    InvalidateRect(w->list, NULL, FALSE);
    free(sel);
}

/* ---- the window ---- */

static int scale(const historywnd *w, int px96)
{
    return MulDiv(px96, (int)w->dpi, 96);
}

/* The message font at the window's DPI; the list view does not follow DPI
 * changes by itself. */
static void update_font(historywnd *w)
{
    NONCLIENTMETRICSW ncm = {.cbSize = sizeof(ncm)};
    HFONT font = NULL;
    if (SystemParametersInfoForDpi(SPI_GETNONCLIENTMETRICS, sizeof(ncm), &ncm, 0, w->dpi))
        font = CreateFontIndirectW(&ncm.lfMessageFont);
    SendMessageW(w->list, WM_SETFONT, (WPARAM)(font ? font : GetStockObject(DEFAULT_GUI_FONT)), TRUE);
    if (w->font)
        DeleteObject(w->font);
    w->font = font;
}

static BOOL on_create(historywnd *w)
{
    w->dpi = GetDpiForWindow(w->wnd);
    if (!w->dpi)
        w->dpi = 96;
    w->list = CreateWindowExW(0, WC_LISTVIEWW, NULL,
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS,
                              0, 0, 0, 0, w->wnd, (HMENU)(INT_PTR)LIST_ID, (HINSTANCE)GetWindowLongPtrW(w->wnd, GWLP_HINSTANCE), NULL);
    if (!w->list)
        return FALSE;
    ListView_SetExtendedListViewStyleEx(w->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_HEADERDRAGDROP,
                                        LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_HEADERDRAGDROP);
    update_font(w);
    for (int col = 0; col < COL_COUNT; col++) {
        LVCOLUMNW c = {
            .mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT,
            .fmt = col == COL_DURATION ? LVCFMT_RIGHT : LVCFMT_LEFT,
            .cx = scale(w, col_width_96[col]),
            .pszText = (WCHAR *)ui_text(TXT_COL_COMPLETED + col),
            .iSubItem = col,
        };
        if (ListView_InsertColumn(w->list, col, &c) != col)
            return FALSE;
    }
    return TRUE;
}

static void on_size(historywnd *w, int cx, int cy)
{
    MoveWindow(w->list, 0, 0, cx, cy, TRUE);
}

static void on_dpi_changed(historywnd *w, UINT dpi, const RECT *suggested)
{
    UINT old = w->dpi;
    w->dpi = dpi ? dpi : 96;
    update_font(w);
    for (int col = 0; col < COL_COUNT; col++)
        ListView_SetColumnWidth(w->list, col, MulDiv(ListView_GetColumnWidth(w->list, col), (int)w->dpi, (int)old));
    SetWindowPos(w->wnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
}

static void on_get_dispinfo(historywnd *w, NMLVDISPINFOW *di)
{
    const of_record *r;
    if (!(di->item.mask & LVIF_TEXT) || !di->item.pszText || di->item.cchTextMax <= 0)
        return;
    di->item.pszText[0] = 0;
    if (di->item.iItem < 0 || di->item.iSubItem < 0 || di->item.iSubItem >= COL_COUNT)
        return;
    r = row_record(w, (size_t)di->item.iItem);
    if (r)
        cell_text(r, di->item.iSubItem, di->item.pszText, (size_t)di->item.cchTextMax);
}

/* Completed toggles between newest and oldest first without an index array;
 * any other column sorts ascending first, then toggles. The focused record
 * stays focused and in view. */
static void on_column_click(historywnd *w, int col)
{
    int focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
    size_t focus_index = focus >= 0 ? row_to_index(w, (size_t)focus) : SIZE_MAX;
    if (col < 0 || col >= COL_COUNT)
        return;
    if (col == w->sort_col) {
        w->ascending = !w->ascending;
    } else {
        w->sort_col = col;
        w->ascending = col != COL_COMPLETED;
    }
    reload(w);
    if (focus_index != SIZE_MAX) {
        for (size_t row = 0; row < w->count; row++) {
            if (row_to_index(w, row) == focus_index) {
                ListView_SetItemState(w->list, (int)row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
                ListView_EnsureVisible(w->list, (int)row, FALSE);
                break;
            }
        }
    }
}

/* Esc closes, Ctrl+C copies, Ctrl+A selects all, F5 reloads. */
static BOOL on_key(historywnd *w, UINT vk)
{
    BOOL ctrl = GetKeyState(VK_CONTROL) < 0;
    if (vk == VK_ESCAPE) {
        DestroyWindow(w->wnd);
    } else if (vk == VK_F5) {
        reload(w);
    } else if (ctrl && vk == 'C') {
        if (!historywnd_copy())
            MessageBeep(MB_OK);
    } else if (ctrl && vk == 'A') {
        ListView_SetItemState(w->list, -1, LVIS_SELECTED, LVIS_SELECTED);
    } else {
        return FALSE;
    }
    return TRUE;
}

static LRESULT on_notify(historywnd *w, NMHDR *hdr)
{
    if (hdr->hwndFrom != w->list)
        return 0;
    switch (hdr->code) {
    case LVN_GETDISPINFOW:
        on_get_dispinfo(w, (NMLVDISPINFOW *)hdr);
        return 0;
    case LVN_COLUMNCLICK:
        on_column_click(w, ((NMLISTVIEW *)hdr)->iSubItem);
        return 0;
    case LVN_KEYDOWN:
        on_key(w, ((NMLVKEYDOWN *)hdr)->wVKey);
        return 0;
    case LVN_ODFINDITEMW:
        return -1; /* no type-to-find in a list of dates */
    }
    return 0;
}

static void on_destroy(historywnd *w)
{
    drop_order(w);
    if (w->font)
        DeleteObject(w->font);
    w->font = NULL;
    w->wnd = NULL;
    w->list = NULL;
    w->count = 0;
}

static LRESULT CALLBACK historywnd_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    historywnd *w = (historywnd *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        w = ((CREATESTRUCTW *)lp)->lpCreateParams;
        w->wnd = wnd;
        SetWindowLongPtrW(wnd, GWLP_USERDATA, (LONG_PTR)w);
    }
    if (!w)
        return DefWindowProcW(wnd, msg, wp, lp);
    switch (msg) {
    case WM_CREATE:
        return on_create(w) ? 0 : -1;
    case WM_SIZE:
        on_size(w, (short)LOWORD(lp), (short)HIWORD(lp));
        return 0;
    case WM_SETFOCUS:
        SetFocus(w->list);
        return 0;
    case WM_NOTIFY:
        return on_notify(w, (NMHDR *)lp);
    case WM_KEYDOWN:
        if (on_key(w, (UINT)wp))
            return 0;
        break;
    case WM_DPICHANGED:
        on_dpi_changed(w, LOWORD(wp), (const RECT *)lp);
        return 0;
    case WM_DESTROY:
        on_destroy(w);
        return 0;
    case WM_NCDESTROY:
        SetWindowLongPtrW(wnd, GWLP_USERDATA, 0);
        break;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static BOOL register_class(HINSTANCE inst)
{
    WNDCLASSEXW wc;
    if (GetClassInfoExW(inst, CLASS_NAME, &wc))
        return TRUE;
    wc = (WNDCLASSEXW){
        .cbSize = sizeof(wc),
        .lpfnWndProc = historywnd_proc,
        .hInstance = inst,
        .hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP)),
        .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW),
        .hbrBackground = (HBRUSH)(COLOR_WINDOW + 1),
        .lpszClassName = CLASS_NAME,
    };
    return RegisterClassExW(&wc) != 0;
}

HWND historywnd_open(HINSTANCE inst, const of_history *h)
{
    historywnd *w = &the_window;
    const INITCOMMONCONTROLSEX icc = {.dwSize = sizeof(icc), .dwICC = ICC_LISTVIEW_CLASSES};
    UINT dpi;
    if (w->wnd) {
        if (h != w->hist) {
            w->hist = h;
            reload(w);
        }
        if (IsIconic(w->wnd))
            ShowWindow(w->wnd, SW_RESTORE);
        SetForegroundWindow(w->wnd);
        return w->wnd;
    }
    InitCommonControlsEx(&icc);
    if (!register_class(inst))
        return NULL;
    memset(w, 0, sizeof(*w));
    w->hist = h;
    w->sort_col = COL_COMPLETED;
    w->ascending = FALSE;
    dpi = GetDpiForSystem();
    if (!CreateWindowExW(0, CLASS_NAME, ui_text(TXT_TITLE), WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT,
                         MulDiv(WINDOW_W_96, (int)dpi, 96), MulDiv(WINDOW_H_96, (int)dpi, 96), NULL, NULL, inst, w)) {
        memset(w, 0, sizeof(*w));
        return NULL;
    }
    reload(w);
    ShowWindow(w->wnd, SW_SHOWNORMAL);
    UpdateWindow(w->wnd);
    SetForegroundWindow(w->wnd);
    return w->wnd;
}

void historywnd_records_changed(void)
{
    historywnd *w = &the_window;
    size_t n;
    if (!w->wnd)
        return;
    n = w->hist ? of_history_count(w->hist) : 0;
    if (n < w->count)
        reload(w);
    else if (n > w->count)
        grow(w, n);
    else
        InvalidateRect(w->list, NULL, FALSE);
}

void historywnd_set_history(const of_history *h)
{
    historywnd *w = &the_window;
    w->hist = h;
    if (w->wnd)
        reload(w);
}

void historywnd_close(void)
{
    if (the_window.wnd)
        DestroyWindow(the_window.wnd);
    the_window.hist = NULL;
}

WCHAR *historywnd_selection_text(size_t *len)
{
    historywnd *w = &the_window;
    size_t n_sel = 0, used = 0, cap = 0;
    size_t *sel;
    WCHAR *text = NULL;
    if (len)
        *len = 0;
    if (!w->wnd)
        return NULL;
    sel = selected_rows(w, &n_sel);
    for (size_t i = 0; i < n_sel; i++) {
        const of_record *r = row_record(w, sel[i]);
        size_t need = historywnd_row_text(r, NULL, 0);
        if (!r)
            continue;
        if (used + need + 1 > cap) {
            size_t grown_cap = (cap ? cap * 2 : 256) + need + 1;
            WCHAR *grown = realloc(text, grown_cap * sizeof(WCHAR));
            if (!grown) {
                free(text);
                free(sel);
                return NULL;
            }
            text = grown;
            cap = grown_cap;
        }
        used += historywnd_row_text(r, text + used, cap - used);
    }
    free(sel);
    if (text && len)
        *len = used;
    return text;
}

BOOL historywnd_copy(void)
{
    size_t len = 0;
    WCHAR *text = historywnd_selection_text(&len);
    HGLOBAL mem = NULL;
    BOOL ok = FALSE;
    if (!text)
        return FALSE;
    mem = GlobalAlloc(GMEM_MOVEABLE, (len + 1) * sizeof(WCHAR));
    if (!mem)
        goto done;
    {
        WCHAR *dst = GlobalLock(mem);
        if (!dst)
            goto done;
        memcpy(dst, text, (len + 1) * sizeof(WCHAR));
        GlobalUnlock(mem);
    }
    if (!OpenClipboard(the_window.wnd))
        goto done;
    if (EmptyClipboard() && SetClipboardData(CF_UNICODETEXT, mem)) {
        mem = NULL; /* the clipboard owns it now */
        ok = TRUE;
    }
    CloseClipboard();
done:
    if (mem)
        GlobalFree(mem);
    free(text);
    return ok;
}
