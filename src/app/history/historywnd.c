/* ofnotify: the history window. See historywnd.h. */
#include "historywnd.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <commctrl.h>
#include <shobjidl.h>

#include "chart.h"
#include "histcells.h"
#include "histsearch.h"
#include "../instance.h"
#include "../messages.h"
#include "ofnotify/syncflags.h"
#include "resource.h"
#include "../strings.h"
#include "tzcache.h"
#include "winplace.h"

#define CLASS_NAME L"ofnotify.HistoryWindow"

/* Child controls, in tab order (creation order is the tab order). */
enum {
    ID_LIST = 1,
    ID_CHART,
    ID_FILTER_LABEL,
    ID_FILTER,
    ID_SEARCH_LABEL,
    ID_SEARCH,
    ID_STATUS,
    ID_COPY,
    ID_EXPORT,
    ID_CLEAR,
};

/* Typing pauses this long before the search runs. */
#define TIMER_SEARCH 1
#define SEARCH_DEBOUNCE_MS 250

/* Sizes at 96 DPI. */
/* Completed also holds the space the list view keeps for an item icon. */
static const int col_width_96[HIST_COL_COUNT] = {175, 115, 95, 160, 185, 320};
#define WINDOW_W_96 900
#define WINDOW_H_96 560
#define MIN_W_96 480
#define MIN_H_96 280
#define PAD_96 8
#define GAP_96 6
#define COMBO_W_96 170
#define SEARCH_W_96 240
#define BUTTON_H_96 25
#define BUTTON_MIN_W_96 88

/* Status sorting ranks statuses by their label; interrupted labels differ by
 * reason, so the key is status and reason together (plus one for values
 * from a newer version). */
#define STATUS_KEYS (OF_STATUS_COUNT * OF_REASON_COUNT + 1)

/* The directions the filter offers, after "All directions". */
static const of_direction filter_dirs[] = {OF_DIR_TWO_WAY, OF_DIR_TO_SERVER, OF_DIR_FROM_SERVER, OF_DIR_FILL_SPARSE,
                                           OF_DIR_UNSPECIFIED};
#define FILTER_ALL (-1)

typedef struct historywnd {
    HWND wnd, list, chart, filter, search, status, copy, export_button, clear;
    const of_history *hist;
    size_t total;     /* records of hist the view has taken in */
    /* The records the filter lets through, ascending record indexes; NULL
     * when nothing is filtered (every record). */
    uint32_t *match;
    size_t match_count, match_cap;
    size_t count;     /* rows the list view has been told about */
    int sort_col;     /* hist_col */
    BOOL ascending;
    uint32_t *order;  /* view row → record index; NULL in completion order */
    size_t order_cap;
    /* Every record's key, only while qsort runs: one array read per compare
     * instead of two of_history_get calls sorts a million several times
     * faster. */
    const int64_t *sort_keys;
    int dir_filter;   /* FILTER_ALL or an of_direction */
    histsearch *search_state;
    tzcache tz;
    UINT dpi;
    HFONT font;
    HIMAGELIST icons;
    int dir_image[OF_DIR_COUNT];
    int dir_rank[OF_DIR_COUNT];
    int status_rank[STATUS_KEYS];
    HWND last_focus;  /* given back when the window is activated again */
    BOOL shown;       /* created and shown: its layout is worth keeping */
    HHOOK hook;
} historywnd;

/* The one history window. Its procedure receives it through lpCreateParams;
 * the public functions, which have no window handle, use it directly. */
static historywnd the_window;

static void on_command(historywnd *w, int id, int code);

/* ---- texts ---- */

static void load_text(UINT id, WCHAR *buf, int cap)
{
    if (LoadStringW(GetModuleHandleW(NULL), id, buf, cap) <= 0)
        buf[0] = 0;
}

/* n with the user's digit grouping: "1,000,000", "1.000.000". */
static void format_count(size_t n, WCHAR *buf, size_t cap)
{
    WCHAR digits[32], dec[8], thousand[8], grouping[16];
    NUMBERFMTW fmt = {0};
    UINT group = 0;
    size_t len;
    swprintf(digits, ARRAYSIZE(digits), L"%llu", (unsigned long long)n);
    if (!GetLocaleInfoEx(LOCALE_NAME_USER_DEFAULT, LOCALE_SDECIMAL, dec, ARRAYSIZE(dec)) ||
        !GetLocaleInfoEx(LOCALE_NAME_USER_DEFAULT, LOCALE_STHOUSAND, thousand, ARRAYSIZE(thousand)) ||
        !GetLocaleInfoEx(LOCALE_NAME_USER_DEFAULT, LOCALE_SGROUPING, grouping, ARRAYSIZE(grouping)))
        goto plain;
    /* "3;0" → 3 (threes throughout), "3;2;0" → 32, "3" → 30 (one group). */
    len = wcslen(grouping);
    for (size_t i = 0; i < len; i++)
        if (grouping[i] >= L'0' && grouping[i] <= L'9')
            group = group * 10 + (UINT)(grouping[i] - L'0');
    if (len >= 2 && wcscmp(grouping + len - 2, L";0") == 0)
        group /= 10;
    else
        group *= 10;
    fmt.NumDigits = 0;
    fmt.LeadingZero = 1; /* else 0 comes out empty */
    fmt.Grouping = group;
    fmt.lpDecimalSep = dec;
    fmt.lpThousandSep = thousand;
    fmt.NegativeOrder = 1;
    if (GetNumberFormatEx(LOCALE_NAME_USER_DEFAULT, 0, digits, &fmt, buf, (int)cap) > 0)
        return;
plain:
    lstrcpynW(buf, digits, (int)cap);
}

static void sanitize(WCHAR *s)
{
    for (; *s; s++)
        if (*s == L'\t' || *s == L'\r' || *s == L'\n')
            *s = L' ';
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

static size_t row_text(historywnd *w, const of_record *r, WCHAR *buf, size_t cap)
{
    WCHAR cell[HIST_CELL_CAP];
    size_t len = 0;
    if (!buf)
        cap = 0;
    if (cap > 0)
        buf[0] = 0;
    if (!r)
        return 0;
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        histcells_text(&w->tz, r, col, cell, ARRAYSIZE(cell));
        sanitize(cell);
        if (col > 0)
            append(buf, cap, &len, L"\t");
        append(buf, cap, &len, cell);
    }
    append(buf, cap, &len, L"\r\n");
    return len;
}

size_t historywnd_row_text(const of_record *r, WCHAR *buf, size_t cap)
{
    /* Usable with the window closed: the cache then starts empty. */
    if (!the_window.wnd)
        tzcache_init(&the_window.tz, NULL);
    return row_text(&the_window, r, buf, cap);
}

/* ---- the view: rows ↔ record indexes ---- */

/* Position k in completion order (0 = oldest shown) → record index. */
static size_t nth_record(const historywnd *w, size_t k)
{
    return w->match ? w->match[k] : k;
}

static size_t row_to_index(const historywnd *w, size_t row)
{
    if (w->order)
        return w->order[row];
    return nth_record(w, w->ascending ? row : w->count - 1 - row);
}

static const of_record *row_record(const historywnd *w, size_t row)
{
    if (!w->hist || row >= w->count)
        return NULL;
    return of_history_get(w->hist, row_to_index(w, row));
}

/* The row showing record index, or -1 when the view does not show it. */
static long long index_to_row(const historywnd *w, size_t index)
{
    size_t k;
    if (w->order) {
        for (size_t row = 0; row < w->count; row++)
            if (w->order[row] == index)
                return (long long)row;
        return -1;
    }
    if (w->match) {
        size_t lo = 0, hi = w->match_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (w->match[mid] < index)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == w->match_count || w->match[lo] != index)
            return -1;
        k = lo;
    } else {
        if (index >= w->count)
            return -1;
        k = index;
    }
    return (long long)(w->ascending ? k : w->count - 1 - k);
}

static BOOL filtering(const historywnd *w)
{
    return w->dir_filter != FILTER_ALL || (w->search_state && !histsearch_is_empty(w->search_state));
}

static BOOL passes_filter(historywnd *w, const of_record *r)
{
    if (!r)
        return FALSE;
    if (w->dir_filter != FILTER_ALL && of_syncflags_direction(r->flags) != (of_direction)w->dir_filter)
        return FALSE;
    return !w->search_state || histsearch_match(w->search_state, &w->tz, r);
}

/* Appends the matching records among from..to-1 to the match array. */
static BOOL collect_matches(historywnd *w, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (!passes_filter(w, of_history_get(w->hist, i)))
            continue;
        if (w->match_count == w->match_cap) {
            size_t cap = w->match_cap ? w->match_cap * 2 : 1024;
            uint32_t *grown = realloc(w->match, cap * sizeof(*grown));
            if (!grown)
                return FALSE;
            w->match = grown;
            w->match_cap = cap;
        }
        w->match[w->match_count++] = (uint32_t)i;
    }
    return TRUE;
}

static void drop_match(historywnd *w)
{
    free(w->match);
    w->match = NULL;
    w->match_count = w->match_cap = 0;
}

/* Rebuilds the match array from the whole history. Out of memory (or more
 * records than 32-bit indexes) shows everything rather than nothing. */
static void build_match(historywnd *w)
{
    w->match_count = 0;
    if (!filtering(w) || w->total > UINT32_MAX) {
        drop_match(w);
        return;
    }
    if (!w->match) {
        w->match = malloc(1024 * sizeof(*w->match));
        w->match_cap = w->match ? 1024 : 0;
    }
    if (!w->match || !collect_matches(w, 0, w->total))
        drop_match(w);
}

static size_t view_size(const historywnd *w)
{
    return w->match ? w->match_count : w->total;
}

/* ---- sorting ---- */

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
    case HIST_COL_DIRECTION:
        return w->dir_rank[of_syncflags_direction(r->flags)];
    case HIST_COL_DURATION:
        /* Unpaired (no duration, shown empty) before every real duration. */
        return r->status == OF_STATUS_UNPAIRED ? -1 : (int64_t)min(r->duration_ms, (uint64_t)INT64_MAX);
    case HIST_COL_STARTED:
        return r->status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : r->started_ms;
    case HIST_COL_STATUS:
        return w->status_rank[status_key(r)];
    case HIST_COL_DETAILS:
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
    for (int d = 0; d < OF_DIR_COUNT; d++)
        histcells_direction_label(d, labels[d], ARRAYSIZE(labels[0]));
    rank_labels(labels, OF_DIR_COUNT, w->dir_rank);
    for (int k = 0; k < STATUS_KEYS; k++) {
        memset(&r, 0, sizeof(r));
        r.status = k == STATUS_KEYS - 1 ? OF_STATUS_COUNT : (uint8_t)(k / OF_REASON_COUNT);
        r.reason = k == STATUS_KEYS - 1 ? OF_REASON_NONE : (uint8_t)(k % OF_REASON_COUNT);
        histcells_text(&w->tz, &r, HIST_COL_STATUS, labels[k], ARRAYSIZE(labels[0]));
    }
    rank_labels(labels, STATUS_KEYS, w->status_rank);
}

/* Builds the index array of the view for a column other than Completed.
 * FALSE when it cannot (out of memory, more records than 32-bit indexes):
 * the caller falls back to completion order. */
static BOOL build_order(historywnd *w)
{
    size_t n = view_size(w), cap = n ? n : 1;
    int64_t *keys;
    if (w->total > UINT32_MAX)
        return FALSE;
    if (w->order_cap < cap) {
        uint32_t *grown = realloc(w->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        w->order = grown;
        w->order_cap = cap;
    }
    /* Keys by record index, so qsort reads one array. */
    keys = malloc((w->total ? w->total : 1) * sizeof(*keys));
    if (!keys)
        return FALSE;
    build_ranks(w);
    for (size_t k = 0; k < n; k++) {
        size_t i = nth_record(w, k);
        const of_record *r = of_history_get(w->hist, i);
        w->order[k] = (uint32_t)i;
        keys[i] = r ? sort_key(w, r) : INT64_MIN;
    }
    w->sort_keys = keys;
    qsort(w->order, n, sizeof(*w->order), qsort_compare);
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
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        HDITEMW item = {.mask = HDI_FORMAT};
        if (!Header_GetItem(header, col, &item))
            continue;
        item.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (col == w->sort_col)
            item.fmt |= w->ascending ? HDF_SORTUP : HDF_SORTDOWN;
        Header_SetItem(header, col, &item);
    }
}

/* Tells the list view the row count, dropping every selection and the
 * focus. Clearing them with LVM_SETITEMSTATE on "all rows" makes Wine's
 * list view visit (and notify about) every row: seconds for a million. An
 * empty list first drops them in one step, on Windows too. */
static void set_count_unselected(historywnd *w, DWORD flags)
{
    ListView_SetItemCountEx(w->list, 0, LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    ListView_SetItemCountEx(w->list, (int)min(w->count, (size_t)INT_MAX), flags);
}

/* "12 of 1,000,000 syncs", or "1,000,000 syncs" when nothing is filtered. */
static void update_status(historywnd *w)
{
    WCHAR shown[32], all[32], text[128];
    format_count(w->count, shown, ARRAYSIZE(shown));
    format_count(w->total, all, ARRAYSIZE(all));
    if (w->match)
        load_message(IDS_HIST_COUNT_SOME, text, ARRAYSIZE(text), shown, all);
    else if (w->total == 1)
        load_message(IDS_HIST_COUNT_ONE, text, ARRAYSIZE(text));
    else
        load_message(IDS_HIST_COUNT_ALL, text, ARRAYSIZE(text), all);
    SetWindowTextW(w->status, text);
    EnableWindow(w->clear, w->total > 0);
}

/* The view again from the history: filter, then sort. Selection is cleared. */
static void reload(historywnd *w)
{
    w->total = w->hist ? of_history_count(w->hist) : 0;
    build_match(w);
    w->count = view_size(w);
    if (w->sort_col == HIST_COL_COMPLETED || !build_order(w)) {
        drop_order(w);
        w->sort_col = HIST_COL_COMPLETED;
    }
    show_sort_arrow(w);
    /* Owner data: the count is all the list view keeps, whatever the size. */
    set_count_unselected(w, LVSICF_NOINVALIDATEALL);
    InvalidateRect(w->list, NULL, FALSE);
    update_status(w);
}

/* Selects, focuses and shows one row. */
static void select_row(historywnd *w, int row)
{
    set_count_unselected(w, LVSICF_NOINVALIDATEALL);
    ListView_SetItemState(w->list, row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(w->list, row, FALSE);
}

/* reload(), keeping the focused record selected and in view if it stays. */
static void reload_keeping_focus(historywnd *w)
{
    int focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
    size_t focus_index = focus >= 0 && (size_t)focus < w->count ? row_to_index(w, (size_t)focus) : SIZE_MAX;
    reload(w);
    if (focus_index != SIZE_MAX) {
        long long row = index_to_row(w, focus_index);
        if (row >= 0)
            select_row(w, (int)row);
    }
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

/* Where old rows are after new records (indexes >= old_total) joined the
 * view, which had old_rows rows. rows must be ascending; mapped in place. */
static void map_rows(const historywnd *w, size_t old_rows, size_t old_total, size_t *rows, size_t n)
{
    size_t added = w->count - old_rows;
    if (!w->order) {
        if (!w->ascending) /* newest first: the new rows are on top */
            for (size_t i = 0; i < n; i++)
                rows[i] += added;
        return;
    }
    /* Old row j is the j-th row that holds an old record. */
    size_t old_row = 0, k = 0;
    for (size_t row = 0; row < w->count && k < n; row++) {
        if (w->order[row] >= old_total)
            continue;
        while (k < n && rows[k] == old_row)
            rows[k++] = row;
        old_row++;
    }
}

/* Inserts the view's records from position `from` on into the sort order. */
static BOOL extend_order(historywnd *w, size_t from)
{
    size_t n = view_size(w);
    if (w->order_cap < n) {
        size_t cap = w->order_cap * 2 > n ? w->order_cap * 2 : n;
        uint32_t *grown = realloc(w->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        w->order = grown;
        w->order_cap = cap;
    }
    for (size_t k = from; k < n; k++) {
        uint32_t i = (uint32_t)nth_record(w, k);
        size_t lo = 0, hi = k;
        while (lo < hi) { /* first row that sorts after record i */
            size_t mid = lo + (hi - lo) / 2;
            if (compare_indexes(w, w->order[mid], i) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(w->order + lo + 1, w->order + lo, (k - lo) * sizeof(*w->order));
        w->order[lo] = i;
    }
    return TRUE;
}

static void grow(historywnd *w, size_t new_total)
{
    size_t old_total = w->total, old_rows = w->count, n_sel = 0, keep[2];
    size_t *sel;
    int focus, top;
    if (new_total > UINT32_MAX) {
        reload(w);
        return;
    }
    w->total = new_total;
    if (w->match && !collect_matches(w, old_total, new_total)) {
        reload(w);
        return;
    }
    if (view_size(w) == old_rows) {
        update_status(w); /* the total grew; no row changed */
        return;
    }
    sel = selected_rows(w, &n_sel);
    focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
    top = ListView_GetTopIndex(w->list);
    w->count = view_size(w);
    if (w->order && !extend_order(w, old_rows)) {
        free(sel);
        reload(w);
        return;
    }
    if (sel)
        map_rows(w, old_rows, old_total, sel, n_sel);
    keep[0] = focus >= 0 ? (size_t)focus : 0;
    map_rows(w, old_rows, old_total, &keep[0], 1);
    keep[1] = (size_t)(top > 0 ? top : 0);
    map_rows(w, old_rows, old_total, &keep[1], 1);

    set_count_unselected(w, LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
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
    update_status(w);
    free(sel);
}

/* ---- filter and search ---- */

static void read_filter(historywnd *w)
{
    WCHAR text[HISTSEARCH_MAX + 1];
    int sel = (int)SendMessageW(w->filter, CB_GETCURSEL, 0, 0);
    w->dir_filter = sel > 0 && (size_t)sel <= ARRAYSIZE(filter_dirs) ? (int)filter_dirs[sel - 1] : FILTER_ALL;
    GetWindowTextW(w->search, text, ARRAYSIZE(text));
    if (w->search_state)
        histsearch_set_text(w->search_state, text);
}

static void apply_filter(historywnd *w)
{
    KillTimer(w->wnd, TIMER_SEARCH);
    read_filter(w);
    reload_keeping_focus(w);
}

/* Both back to "everything". */
static void clear_filter(historywnd *w)
{
    SendMessageW(w->filter, CB_SETCURSEL, 0, 0);
    SetWindowTextW(w->search, L"");
    apply_filter(w);
}

/* ---- commands ---- */

static HWND find_app_window_cb_result;

static BOOL CALLBACK find_app_window_cb(HWND wnd, LPARAM lp)
{
    WCHAR name[64];
    (void)lp;
    if (GetClassNameW(wnd, name, ARRAYSIZE(name)) && !wcscmp(name, APP_WINDOW_CLASS)) {
        find_app_window_cb_result = wnd;
        return FALSE;
    }
    return TRUE;
}

/* The app window: the one of its class on this thread (see historywnd.h). */
static HWND find_app_window(void)
{
    find_app_window_cb_result = NULL;
    EnumThreadWindows(GetCurrentThreadId(), find_app_window_cb, 0);
    return find_app_window_cb_result;
}

static BOOL real_confirm_clear(HWND owner, size_t count)
{
    WCHAR n[32], text[512], caption[64];
    format_count(count, n, ARRAYSIZE(n));
    load_message(IDS_HIST_CLEAR_ASK, text, ARRAYSIZE(text), n);
    load_text(IDS_HIST_CLEAR_CAPTION, caption, ARRAYSIZE(caption));
    return MessageBoxW(owner, text, caption, MB_YESNO | MB_DEFBUTTON2 | MB_ICONWARNING) == IDYES;
}

static void real_error(HWND owner, const WCHAR *text)
{
    WCHAR caption[64];
    load_text(IDS_HIST_TITLE, caption, ARRAYSIZE(caption));
    MessageBoxW(owner, text, caption, MB_OK | MB_ICONERROR);
}

/* The format from the name the user typed, else from the chosen type. */
static export_format format_for(const WCHAR *path, UINT type_index)
{
    const WCHAR *dot = wcsrchr(path, L'.');
    if (dot && !wcschr(dot, L'\\')) {
        if (!lstrcmpiW(dot, L".csv"))
            return EXPORT_CSV;
        if (!lstrcmpiW(dot, L".jsonl") || !lstrcmpiW(dot, L".json") || !lstrcmpiW(dot, L".ndjson"))
            return EXPORT_JSONL;
    }
    return type_index == 2 ? EXPORT_JSONL : EXPORT_CSV;
}

static BOOL real_export_target(HWND owner, size_t count, WCHAR *path, size_t cap, export_format *format)
{
    WCHAR n[32], title[256], csv[96], jsonl[96], name[64];
    COMDLG_FILTERSPEC types[2];
    IFileSaveDialog *dlg = NULL;
    IShellItem *item = NULL;
    WCHAR *chosen = NULL;
    UINT type_index = 1;
    FILEOPENDIALOGOPTIONS options = 0;
    BOOL ok = FALSE;
    HRESULT hr;
    format_count(count, n, ARRAYSIZE(n));
    load_message(IDS_HIST_EXPORT_TITLE, title, ARRAYSIZE(title), n);
    load_text(IDS_HIST_EXPORT_CSV, csv, ARRAYSIZE(csv));
    load_text(IDS_HIST_EXPORT_JSONL, jsonl, ARRAYSIZE(jsonl));
    load_text(IDS_HIST_EXPORT_NAME, name, ARRAYSIZE(name));
    types[0] = (COMDLG_FILTERSPEC){csv, L"*.csv"};
    types[1] = (COMDLG_FILTERSPEC){jsonl, L"*.jsonl"};
    hr = CoCreateInstance(&CLSID_FileSaveDialog, NULL, CLSCTX_INPROC_SERVER, &IID_IFileSaveDialog, (void **)&dlg);
    if (FAILED(hr))
        goto done;
    IFileSaveDialog_SetFileTypes(dlg, ARRAYSIZE(types), types);
    IFileSaveDialog_SetFileTypeIndex(dlg, 1);
    /* Follows the chosen type: .csv or .jsonl is added to a bare name. */
    IFileSaveDialog_SetDefaultExtension(dlg, L"csv");
    IFileSaveDialog_SetFileName(dlg, name);
    IFileSaveDialog_SetTitle(dlg, title);
    if (SUCCEEDED(IFileSaveDialog_GetOptions(dlg, &options)))
        IFileSaveDialog_SetOptions(dlg, options | FOS_OVERWRITEPROMPT | FOS_FORCEFILESYSTEM | FOS_PATHMUSTEXIST);
    hr = IFileSaveDialog_Show(dlg, owner);
    if (FAILED(hr)) /* including HRESULT_FROM_WIN32(ERROR_CANCELLED) */
        goto done;
    IFileSaveDialog_GetFileTypeIndex(dlg, &type_index);
    if (FAILED(IFileSaveDialog_GetResult(dlg, &item)) ||
        FAILED(IShellItem_GetDisplayName(item, SIGDN_FILESYSPATH, &chosen)) || wcslen(chosen) >= cap)
        goto done;
    wcscpy(path, chosen);
    *format = format_for(chosen, type_index);
    ok = TRUE;
done:
    if (chosen)
        CoTaskMemFree(chosen);
    if (item)
        IShellItem_Release(item);
    if (dlg)
        IFileSaveDialog_Release(dlg);
    return ok;
}

static const historywnd_prompts real_prompts = {
    .confirm_clear = real_confirm_clear,
    .export_target = real_export_target,
    .error = real_error,
};
static const historywnd_prompts *prompts = &real_prompts;

void historywnd_set_prompts(const historywnd_prompts *p)
{
    prompts = p ? p : &real_prompts;
}

/* Export reads the view in completion order. */
static const of_record *view_record(void *ctx, size_t k)
{
    const historywnd *w = ctx;
    return of_history_get(w->hist, nth_record(w, k));
}

BOOL historywnd_export(void)
{
    historywnd *w = &the_window;
    WCHAR path[MAX_PATH * 2], why[512], text[1024];
    export_format format = EXPORT_CSV;
    export_result res;
    DWORD err = 0;
    size_t n;
    if (!w->wnd || !w->hist)
        return FALSE;
    n = view_size(w);
    if (!prompts->export_target(w->wnd, n, path, ARRAYSIZE(path), &format))
        return FALSE;
    res = export_to_path(path, format, view_record, w, n, &err);
    if (res == EXPORT_OK)
        return TRUE;
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err, 0, why,
                        ARRAYSIZE(why), NULL))
        swprintf(why, ARRAYSIZE(why), L"0x%08lX", (unsigned long)err);
    load_message(res == EXPORT_E_OPEN ? IDS_HIST_EXPORT_NOT_MADE : IDS_HIST_EXPORT_FAILED, text, ARRAYSIZE(text),
                 path, why);
    prompts->error(w->wnd, text);
    return FALSE;
}

BOOL historywnd_clear(void)
{
    historywnd *w = &the_window;
    WCHAR why[256], text[512];
    HWND app;
    LRESULT err;
    if (!w->wnd || !w->hist || !w->total)
        return FALSE;
    if (!prompts->confirm_clear(w->wnd, w->total))
        return FALSE;
    app = find_app_window();
    /* Sent, not posted: when it returns the app has cleared and reloaded us. */
    err = app ? SendMessageW(app, WM_OFN_CLEAR_HISTORY, 0, (LPARAM)w->hist) : OF_HISTORY_E_INVALID;
    if (err == OF_HISTORY_OK)
        return TRUE;
    MultiByteToWideChar(CP_UTF8, 0, of_history_error_text((of_history_err)err), -1, why, ARRAYSIZE(why));
    load_message(IDS_HIST_CLEAR_FAILED, text, ARRAYSIZE(text), why);
    prompts->error(w->wnd, text);
    return FALSE;
}

/* ---- the window ---- */

static int scale(const historywnd *w, int px96)
{
    return MulDiv(px96, (int)w->dpi, 96);
}

static HWND child(const historywnd *w, int id)
{
    return GetDlgItem(w->wnd, id);
}

/* The direction icons at the small-icon size of the window's DPI. */
static void update_icons(historywnd *w)
{
    HINSTANCE inst = GetModuleHandleW(NULL);
    int cx = GetSystemMetricsForDpi(SM_CXSMICON, w->dpi), cy = GetSystemMetricsForDpi(SM_CYSMICON, w->dpi);
    HIMAGELIST list = ImageList_Create(cx, cy, ILC_COLOR32 | ILC_MASK, OF_DIR_COUNT, 0);
    for (int d = 0; d < OF_DIR_COUNT; d++) {
        HICON icon = list ? LoadImageW(inst, MAKEINTRESOURCEW(IDI_DIR_FIRST + d), IMAGE_ICON, cx, cy, 0) : NULL;
        w->dir_image[d] = icon ? ImageList_AddIcon(list, icon) : -1;
        if (icon)
            DestroyIcon(icon);
    }
    ListView_SetImageList(w->list, list, LVSIL_SMALL);
    if (w->icons)
        ImageList_Destroy(w->icons);
    w->icons = list;
}

/* The message font at the window's DPI, for every control; the controls do
 * not follow DPI changes by themselves. */
static void update_font(historywnd *w)
{
    NONCLIENTMETRICSW ncm = {.cbSize = sizeof(ncm)};
    HFONT font = NULL;
    HWND c;
    if (SystemParametersInfoForDpi(SPI_GETNONCLIENTMETRICS, sizeof(ncm), &ncm, 0, w->dpi))
        font = CreateFontIndirectW(&ncm.lfMessageFont);
    for (c = GetWindow(w->wnd, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT))
        SendMessageW(c, WM_SETFONT, (WPARAM)(font ? font : GetStockObject(DEFAULT_GUI_FONT)), TRUE);
    if (w->font)
        DeleteObject(w->font);
    w->font = font;
}

static int text_width(const historywnd *w, HWND ctl)
{
    WCHAR text[128];
    HDC dc = GetDC(ctl);
    HGDIOBJ old = SelectObject(dc, w->font ? (HGDIOBJ)w->font : GetStockObject(DEFAULT_GUI_FONT));
    RECT rc = {0, 0, 0, 0};
    GetWindowTextW(ctl, text, ARRAYSIZE(text));
    DrawTextW(dc, text, -1, &rc, DT_CALCRECT | DT_SINGLELINE);
    SelectObject(dc, old);
    ReleaseDC(ctl, dc);
    return rc.right - rc.left;
}

static void layout(historywnd *w)
{
    RECT rc;
    HDWP dwp;
    int pad = scale(w, PAD_96), gap = scale(w, GAP_96), x, y, row_h, bottom, button_h = scale(w, BUTTON_H_96);
    int chart_h = chart_height(w->dpi), label_w, combo_h;
    static const int buttons[] = {ID_COPY, ID_EXPORT, ID_CLEAR};
    RECT combo_rc;
    GetClientRect(w->wnd, &rc);
    GetWindowRect(w->filter, &combo_rc);
    combo_h = combo_rc.bottom - combo_rc.top;
    row_h = max(combo_h, scale(w, 23));
    dwp = BeginDeferWindowPos(12);
    y = pad;
    dwp = DeferWindowPos(dwp, w->chart, NULL, pad, y, max(rc.right - 2 * pad, 0), chart_h, SWP_NOZORDER);
    y += chart_h + pad;
    x = pad;
    label_w = text_width(w, child(w, ID_FILTER_LABEL));
    dwp = DeferWindowPos(dwp, child(w, ID_FILTER_LABEL), NULL, x, y + (row_h - combo_h) / 2 + scale(w, 3), label_w,
                         combo_h, SWP_NOZORDER);
    x += label_w + gap;
    /* A drop-down list's height includes the list it drops. */
    dwp = DeferWindowPos(dwp, w->filter, NULL, x, y, scale(w, COMBO_W_96), scale(w, 200), SWP_NOZORDER);
    x += scale(w, COMBO_W_96) + 3 * gap;
    label_w = text_width(w, child(w, ID_SEARCH_LABEL));
    dwp = DeferWindowPos(dwp, child(w, ID_SEARCH_LABEL), NULL, x, y + (row_h - combo_h) / 2 + scale(w, 3), label_w,
                         combo_h, SWP_NOZORDER);
    x += label_w + gap;
    dwp = DeferWindowPos(dwp, w->search, NULL, x, y, max(min(scale(w, SEARCH_W_96), rc.right - pad - x), 0), combo_h,
                         SWP_NOZORDER);
    y += row_h + pad;
    bottom = rc.bottom - pad - button_h;
    x = rc.right - pad;
    for (int i = (int)ARRAYSIZE(buttons) - 1; i >= 0; i--) {
        HWND b = child(w, buttons[i]);
        int bw = max(scale(w, BUTTON_MIN_W_96), text_width(w, b) + scale(w, 24));
        x -= bw;
        dwp = DeferWindowPos(dwp, b, NULL, x, bottom, bw, button_h, SWP_NOZORDER);
        x -= gap;
    }
    dwp = DeferWindowPos(dwp, w->status, NULL, pad, bottom + (button_h - scale(w, 16)) / 2, max(x - 2 * pad, 0),
                         scale(w, 18), SWP_NOZORDER);
    dwp = DeferWindowPos(dwp, w->list, NULL, pad, y, max(rc.right - 2 * pad, 0), max(bottom - pad - y, 0),
                         SWP_NOZORDER);
    if (dwp)
        EndDeferWindowPos(dwp);
}

static HWND make_control(historywnd *w, const WCHAR *cls, UINT text_id, DWORD style, DWORD ex_style, int id)
{
    WCHAR text[128] = L"";
    if (text_id)
        load_text(text_id, text, ARRAYSIZE(text));
    return CreateWindowExW(ex_style, cls, text, WS_CHILD | WS_VISIBLE | style, 0, 0, 0, 0, w->wnd,
                           (HMENU)(INT_PTR)id, (HINSTANCE)GetWindowLongPtrW(w->wnd, GWLP_HINSTANCE), NULL);
}

static BOOL create_columns(historywnd *w)
{
    int widths[HIST_COL_COUNT], order[HIST_COL_COUNT];
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        WCHAR title[64];
        LVCOLUMNW c = {
            .mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT,
            .fmt = col == HIST_COL_DURATION ? LVCFMT_RIGHT : LVCFMT_LEFT,
            .cx = scale(w, col_width_96[col]),
            .pszText = title,
            .iSubItem = col,
        };
        load_text(IDS_HIST_COL_COMPLETED + col, title, ARRAYSIZE(title));
        if (ListView_InsertColumn(w->list, col, &c) != col)
            return FALSE;
    }
    if (winplace_load_columns(WINPLACE_HISTORY_KEY, HIST_COL_COUNT, w->dpi, widths, order)) {
        for (int col = 0; col < HIST_COL_COUNT; col++)
            ListView_SetColumnWidth(w->list, col, widths[col]);
        ListView_SetColumnOrderArray(w->list, HIST_COL_COUNT, order);
    }
    return TRUE;
}

static BOOL on_create(historywnd *w)
{
    w->dpi = GetDpiForWindow(w->wnd);
    if (!w->dpi)
        w->dpi = 96;
    tzcache_init(&w->tz, NULL);
    w->search_state = histsearch_new();
    /* Creation order is the tab order: filter, search, list, buttons. */
    w->chart = chart_create(w->wnd, ID_CHART, &w->tz);
    make_control(w, WC_STATICW, IDS_HIST_FILTER_LABEL, 0, 0, ID_FILTER_LABEL);
    w->filter = make_control(w, WC_COMBOBOXW, 0, WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST, 0, ID_FILTER);
    make_control(w, WC_STATICW, IDS_HIST_SEARCH_LABEL, 0, 0, ID_SEARCH_LABEL);
    w->search = make_control(w, WC_EDITW, 0, WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, ID_SEARCH);
    w->list = make_control(w, WC_LISTVIEWW, 0,
                           WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS, WS_EX_CLIENTEDGE, ID_LIST);
    w->status = make_control(w, WC_STATICW, 0, SS_LEFT | SS_NOPREFIX | SS_ENDELLIPSIS, 0, ID_STATUS);
    w->copy = make_control(w, WC_BUTTONW, IDS_HIST_COPY, WS_TABSTOP | BS_PUSHBUTTON, 0, ID_COPY);
    w->export_button = make_control(w, WC_BUTTONW, IDS_HIST_EXPORT, WS_TABSTOP | BS_PUSHBUTTON, 0, ID_EXPORT);
    w->clear = make_control(w, WC_BUTTONW, IDS_HIST_CLEAR, WS_TABSTOP | BS_PUSHBUTTON, 0, ID_CLEAR);
    if (!w->chart || !w->filter || !w->search || !w->list || !w->status || !w->copy || !w->export_button ||
        !w->clear || !w->search_state)
        return FALSE;
    ListView_SetExtendedListViewStyleEx(w->list,
                                        LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_HEADERDRAGDROP |
                                            LVS_EX_SUBITEMIMAGES | LVS_EX_INFOTIP,
                                        LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_HEADERDRAGDROP |
                                            LVS_EX_SUBITEMIMAGES | LVS_EX_INFOTIP);
    {
        WCHAR text[64];
        load_text(IDS_HIST_FILTER_ALL, text, ARRAYSIZE(text));
        SendMessageW(w->filter, CB_ADDSTRING, 0, (LPARAM)text);
        for (size_t i = 0; i < ARRAYSIZE(filter_dirs); i++) {
            histcells_direction_label(filter_dirs[i], text, ARRAYSIZE(text));
            SendMessageW(w->filter, CB_ADDSTRING, 0, (LPARAM)text);
        }
        SendMessageW(w->filter, CB_SETCURSEL, 0, 0);
        load_text(IDS_HIST_SEARCH_CUE, text, ARRAYSIZE(text));
        SendMessageW(w->search, EM_SETCUEBANNER, TRUE, (LPARAM)text);
        SendMessageW(w->search, EM_LIMITTEXT, HISTSEARCH_MAX, 0);
    }
    w->dir_filter = FILTER_ALL;
    update_font(w);
    update_icons(w);
    if (!create_columns(w))
        return FALSE;
    layout(w);
    return TRUE;
}

static void on_dpi_changed(historywnd *w, UINT dpi, const RECT *suggested)
{
    UINT old = w->dpi;
    w->dpi = dpi ? dpi : 96;
    update_font(w);
    update_icons(w);
    for (int col = 0; col < HIST_COL_COUNT; col++)
        ListView_SetColumnWidth(w->list, col, MulDiv(ListView_GetColumnWidth(w->list, col), (int)w->dpi, (int)old));
    SetWindowPos(w->wnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    layout(w);
}

static void on_get_dispinfo(historywnd *w, NMLVDISPINFOW *di)
{
    const of_record *r;
    if (di->item.iItem < 0 || di->item.iSubItem < 0 || di->item.iSubItem >= HIST_COL_COUNT)
        return;
    r = row_record(w, (size_t)di->item.iItem);
    if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0) {
        di->item.pszText[0] = 0;
        if (r)
            histcells_text(&w->tz, r, di->item.iSubItem, di->item.pszText, (size_t)di->item.cchTextMax);
    }
    if (di->item.mask & LVIF_IMAGE) {
        di->item.iImage = I_IMAGENONE;
        if (r && di->item.iSubItem == HIST_COL_DIRECTION)
            di->item.iImage = w->dir_image[of_syncflags_direction(r->flags)];
    }
}

/* Completed toggles between newest and oldest first without an index array;
 * any other column sorts ascending first, then toggles. The focused record
 * stays focused and in view. */
static void on_column_click(historywnd *w, int col)
{
    if (col < 0 || col >= HIST_COL_COUNT)
        return;
    if (col == w->sort_col) {
        w->ascending = !w->ascending;
    } else {
        w->sort_col = col;
        w->ascending = col != HIST_COL_COMPLETED;
    }
    reload_keeping_focus(w);
}

static void focus_search(historywnd *w)
{
    SetFocus(w->search);
    SendMessageW(w->search, EM_SETSEL, 0, -1);
}

/* Keys that work wherever the focus is in the window. */
static BOOL on_window_key(historywnd *w, UINT vk)
{
    BOOL ctrl = GetKeyState(VK_CONTROL) < 0, alt = GetKeyState(VK_MENU) < 0;
    if (alt)
        return FALSE;
    if (vk == VK_F5 && !ctrl) {
        reload_keeping_focus(w);
        chart_records_changed(w->chart);
    } else if (ctrl && vk == 'F') {
        focus_search(w);
    } else if (ctrl && vk == 'S') {
        historywnd_export();
    } else {
        return FALSE;
    }
    return TRUE;
}

/* Keys of the list: Esc closes, Ctrl+C copies, Ctrl+A selects all. */
static BOOL on_list_key(historywnd *w, UINT vk)
{
    BOOL ctrl = GetKeyState(VK_CONTROL) < 0;
    if (vk == VK_ESCAPE) {
        DestroyWindow(w->wnd);
    } else if (ctrl && vk == 'C') {
        if (!historywnd_copy())
            MessageBeep(MB_OK);
    } else if (ctrl && vk == 'A') {
        ListView_SetItemState(w->list, -1, LVIS_SELECTED, LVIS_SELECTED);
    } else {
        return on_window_key(w, vk);
    }
    return TRUE;
}

/* A row's tooltip: the raw flag value behind the decoded Details, for the
 * people who compare it with Microsoft's documentation. */
static void on_info_tip(historywnd *w, NMLVGETINFOTIPW *tip)
{
    const of_record *r;
    char names[OF_SYNCFLAGS_TEXT_MAX + 1];
    WCHAR hex[16], wide[OF_SYNCFLAGS_TEXT_MAX + 1];
    if (tip->iItem < 0 || !tip->pszText || tip->cchTextMax <= 0)
        return;
    r = row_record(w, (size_t)tip->iItem);
    if (!r)
        return;
    swprintf(hex, ARRAYSIZE(hex), L"0x%08lX", (unsigned long)r->flags);
    of_syncflags_describe(r->flags, names, sizeof(names));
    utf8_to_wide(names, wide, ARRAYSIZE(wide));
    /* Replace what the list view offers (the cut-off label), not append to it. */
    load_message(IDS_HIST_FLAGS_TIP, tip->pszText, (size_t)tip->cchTextMax, hex, wide);
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
        on_list_key(w, ((NMLVKEYDOWN *)hdr)->wVKey);
        return 0;
    case LVN_GETINFOTIPW:
        on_info_tip(w, (NMLVGETINFOTIPW *)hdr);
        return 0;
    case LVN_ODFINDITEMW:
        return -1; /* no type-to-find in a list of dates */
    }
    return 0;
}

static void on_command(historywnd *w, int id, int code)
{
    switch (id) {
    case ID_FILTER:
        if (code == CBN_SELCHANGE)
            apply_filter(w);
        break;
    case ID_SEARCH:
        if (code == EN_CHANGE)
            SetTimer(w->wnd, TIMER_SEARCH, SEARCH_DEBOUNCE_MS, NULL);
        break;
    case ID_COPY:
        if (!historywnd_copy())
            MessageBeep(MB_OK);
        break;
    case ID_EXPORT:
        historywnd_export();
        break;
    case ID_CLEAR:
        historywnd_clear();
        break;
    case IDCANCEL: /* Esc, through the dialog keys */
        DestroyWindow(w->wnd);
        break;
    }
}

/* What DefDlgProc does for IsDialogMessage (mnemonics send this): focus the
 * control wp (lp != 0) or the next or previous tab stop, with an edit's
 * text selected as a dialog would. */
static void on_next_control(historywnd *w, WPARAM wp, LPARAM lp)
{
    HWND target = LOWORD(lp) ? (HWND)wp : GetNextDlgTabItem(w->wnd, GetFocus(), wp != 0);
    if (!target || (target != w->wnd && !IsChild(w->wnd, target)))
        return;
    SetFocus(target);
    if (SendMessageW(target, WM_GETDLGCODE, 0, 0) & DLGC_HASSETSEL)
        SendMessageW(target, EM_SETSEL, 0, -1);
}

/* The clock, the time zone or the locale changed: every time text may have. */
static void on_time_change(historywnd *w)
{
    tzcache_reset(&w->tz);
    read_filter(w); /* resets the search caches too */
    reload_keeping_focus(w);
    chart_set_history(w->chart, w->hist);
}

static void save_layout(historywnd *w)
{
    int widths[HIST_COL_COUNT], order[HIST_COL_COUNT];
    winplace_save(WINPLACE_HISTORY_KEY, w->wnd);
    for (int col = 0; col < HIST_COL_COUNT; col++)
        widths[col] = ListView_GetColumnWidth(w->list, col);
    if (ListView_GetColumnOrderArray(w->list, HIST_COL_COUNT, order))
        winplace_save_columns(WINPLACE_HISTORY_KEY, HIST_COL_COUNT, w->dpi, widths, order);
}

static void on_destroy(historywnd *w)
{
    /* Not for a window whose creation failed: it was never seen. */
    if (w->shown)
        save_layout(w);
    if (w->hook)
        UnhookWindowsHookEx(w->hook);
    w->hook = NULL;
    KillTimer(w->wnd, TIMER_SEARCH);
    drop_order(w);
    drop_match(w);
    histsearch_free(w->search_state);
    w->search_state = NULL;
    if (w->font)
        DeleteObject(w->font);
    w->font = NULL;
    ListView_SetImageList(w->list, NULL, LVSIL_SMALL);
    if (w->icons)
        ImageList_Destroy(w->icons);
    w->icons = NULL;
    w->wnd = w->list = w->chart = w->filter = w->search = w->status = NULL;
    w->copy = w->export_button = w->clear = w->last_focus = NULL;
    w->shown = FALSE;
    w->count = w->total = 0;
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
        if (w->list)
            layout(w);
        return 0;
    case WM_GETMINMAXINFO: {
        MINMAXINFO *mm = (MINMAXINFO *)lp;
        UINT dpi = w->dpi ? w->dpi : 96;
        mm->ptMinTrackSize.x = MulDiv(MIN_W_96, (int)dpi, 96);
        mm->ptMinTrackSize.y = MulDiv(MIN_H_96, (int)dpi, 96);
        return 0;
    }
    case WM_ACTIVATE:
        /* Like a dialog: the control that had the focus gets it back. */
        if (LOWORD(wp) == WA_INACTIVE) {
            HWND focus = GetFocus();
            if (focus && IsChild(wnd, focus))
                w->last_focus = focus;
        } else {
            SetFocus(w->last_focus && IsWindow(w->last_focus) ? w->last_focus : w->list);
        }
        return 0;
    case WM_SETFOCUS:
        SetFocus(w->last_focus && IsWindow(w->last_focus) ? w->last_focus : w->list);
        return 0;
    case WM_NEXTDLGCTL:
        on_next_control(w, wp, lp);
        return 0;
    case WM_NOTIFY:
        return on_notify(w, (NMHDR *)lp);
    case WM_COMMAND:
        on_command(w, LOWORD(wp), HIWORD(wp));
        return 0;
    case WM_TIMER:
        if (wp == TIMER_SEARCH)
            apply_filter(w);
        return 0;
    case WM_KEYDOWN:
        if (on_window_key(w, (UINT)wp))
            return 0;
        break;
    case WM_CTLCOLORSTATIC:
        /* Labels on the window's own background, not the dialog grey. */
        SetBkColor((HDC)wp, GetSysColor(COLOR_WINDOW));
        SetTextColor((HDC)wp, GetSysColor(COLOR_WINDOWTEXT));
        return (LRESULT)GetSysColorBrush(COLOR_WINDOW);
    case WM_TIMECHANGE:
        on_time_change(w);
        return 0;
    case WM_SETTINGCHANGE:
        /* The locale (date and number formats) arrives as "intl". */
        if (lp && !lstrcmpiW((LPCWSTR)lp, L"intl"))
            on_time_change(w);
        else if (wp == SPI_SETHIGHCONTRAST)
            InvalidateRect(w->chart, NULL, FALSE);
        return 0;
    case WM_SYSCOLORCHANGE:
        /* Only top-level windows hear of it; the controls must be told. */
        SendMessageW(w->list, WM_SYSCOLORCHANGE, 0, 0);
        SendMessageW(w->chart, WM_SYSCOLORCHANGE, 0, 0);
        InvalidateRect(wnd, NULL, TRUE);
        return 0;
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

/* The app's message loop knows nothing of this window, so its dialog keys
 * (Tab, Alt+letter, Esc) and window-wide shortcuts are taken from the
 * thread's message queue here, the way a modeless dialog's loop would. */
static LRESULT CALLBACK key_hook(int code, WPARAM wp, LPARAM lp)
{
    historywnd *w = &the_window;
    MSG *msg = (MSG *)lp;
    if (code == HC_ACTION && wp == PM_REMOVE && w->wnd && msg->message >= WM_KEYFIRST &&
        msg->message <= WM_KEYLAST && (msg->hwnd == w->wnd || IsChild(w->wnd, msg->hwnd))) {
        /* A dropped-down filter list keeps its keys (Esc closes the list). */
        BOOL dropped = SendMessageW(w->filter, CB_GETDROPPEDSTATE, 0, 0) != 0;
        if (!dropped && msg->message == WM_KEYDOWN && on_window_key(w, (UINT)msg->wParam))
            msg->message = WM_NULL;
        else if (!dropped && IsDialogMessageW(w->wnd, msg))
            msg->message = WM_NULL; /* handled: the loop dispatches nothing */
    }
    return CallNextHookEx(NULL, code, wp, lp);
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
    const INITCOMMONCONTROLSEX icc = {.dwSize = sizeof(icc),
                                      .dwICC = ICC_LISTVIEW_CLASSES | ICC_STANDARD_CLASSES | ICC_TAB_CLASSES};
    WCHAR title[128];
    WINDOWPLACEMENT wp;
    UINT dpi;
    if (w->wnd) {
        if (h != w->hist)
            historywnd_set_history(h);
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
    w->sort_col = HIST_COL_COMPLETED;
    w->ascending = FALSE;
    dpi = GetDpiForSystem();
    load_text(IDS_HIST_TITLE, title, ARRAYSIZE(title));
    /* WS_EX_CONTROLPARENT: Tab walks the controls as in a dialog. */
    if (!CreateWindowExW(WS_EX_CONTROLPARENT, CLASS_NAME, title, WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN, CW_USEDEFAULT, CW_USEDEFAULT,
                         MulDiv(WINDOW_W_96, (int)dpi, 96), MulDiv(WINDOW_H_96, (int)dpi, 96), NULL, NULL, inst, w)) {
        memset(w, 0, sizeof(*w));
        return NULL;
    }
    w->hook = SetWindowsHookExW(WH_GETMESSAGE, key_hook, NULL, GetCurrentThreadId());
    reload(w);
    chart_set_history(w->chart, w->hist);
    /* SetWindowPlacement shows it, normal or maximized. */
    if (!winplace_load(WINPLACE_HISTORY_KEY, &wp) || !SetWindowPlacement(w->wnd, &wp))
        ShowWindow(w->wnd, SW_SHOWNORMAL);
    w->shown = TRUE;
    SetFocus(w->list);
    UpdateWindow(w->wnd);
    SetForegroundWindow(w->wnd);
    return w->wnd;
}

/* Record index of seq, or SIZE_MAX: seqs increase through the history. */
static size_t find_seq(const of_history *h, uint64_t seq)
{
    size_t lo = 0, hi = h ? of_history_count(h) : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const of_record *r = of_history_get(h, mid);
        if (r && r->seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (h && lo < of_history_count(h)) {
        const of_record *r = of_history_get(h, lo);
        if (r && r->seq == seq)
            return lo;
    }
    return SIZE_MAX;
}

HWND historywnd_open_at(HINSTANCE inst, const of_history *h, uint64_t seq)
{
    historywnd *w = &the_window;
    HWND wnd = historywnd_open(inst, h);
    size_t index;
    long long row;
    if (!wnd)
        return NULL;
    index = find_seq(w->hist, seq);
    if (index == SIZE_MAX)
        return wnd;
    if (index >= w->total) /* appended but not announced yet */
        historywnd_records_changed();
    row = index_to_row(w, index);
    if (row < 0) {
        clear_filter(w);
        row = index_to_row(w, index);
    }
    if (row >= 0) {
        select_row(w, (int)row);
        SetFocus(w->list);
    }
    return wnd;
}

void historywnd_records_changed(void)
{
    historywnd *w = &the_window;
    size_t n;
    if (!w->wnd)
        return;
    n = w->hist ? of_history_count(w->hist) : 0;
    if (n < w->total)
        reload(w);
    else if (n > w->total)
        grow(w, n);
    else
        InvalidateRect(w->list, NULL, FALSE);
    chart_records_changed(w->chart);
}

void historywnd_set_history(const of_history *h)
{
    historywnd *w = &the_window;
    w->hist = h;
    if (!w->wnd)
        return;
    reload(w);
    chart_set_history(w->chart, h);
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
        size_t need = row_text(w, r, NULL, 0);
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
        used += row_text(w, r, text + used, cap - used);
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
