/* ofnotify: the history list's view model. See histview.h. */
#include "histview.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/syncflags.h"

#define MATCH_FIRST_CAP 1024

/* The column that shows completion order (Completed): the default sort and
 * the one to fall back to when sorting is not possible. */
static int completion_col(void)
{
    for (int col = 0; col < HIST_COL_COUNT; col++)
        if (hist_columns[col].sort == HIST_SORT_COMPLETION)
            return col;
    return 0;
}

BOOL histview_init(histview *v, tzcache *tz)
{
    memset(v, 0, sizeof(*v));
    v->tz = tz;
    v->dir_filter = HISTVIEW_ALL_DIRECTIONS;
    v->origin_filter = HISTVIEW_ALL_ORIGINS;
    v->sort_col = completion_col();
    v->ascending = FALSE; /* newest first */
    v->search = histsearch_new();
    return v->search != NULL;
}

static void drop_match(histview *v)
{
    free(v->match);
    v->match = NULL;
    v->match_count = v->match_cap = 0;
}

static void drop_order(histview *v)
{
    free(v->order);
    v->order = NULL;
    v->order_cap = 0;
}

void histview_free(histview *v)
{
    drop_order(v);
    drop_match(v);
    histsearch_free(v->search);
    v->search = NULL;
}

/* ---- rows ↔ record indexes ---- */

/* Position k in completion order (0 = oldest shown) → record index. */
static size_t nth_record(const histview *v, size_t k)
{
    return v->match ? v->match[k] : k;
}

size_t histview_row_index(const histview *v, size_t row)
{
    if (v->order)
        return v->order[row];
    return nth_record(v, v->ascending ? row : v->count - 1 - row);
}

const of_record *histview_row_record(const histview *v, size_t row)
{
    if (!v->hist || row >= v->count)
        return NULL;
    return of_history_get(v->hist, histview_row_index(v, row));
}

const of_record *histview_nth(const histview *v, size_t k)
{
    if (!v->hist || k >= v->count)
        return NULL;
    return of_history_get(v->hist, nth_record(v, k));
}

long long histview_index_row(const histview *v, size_t index)
{
    size_t k;
    if (v->order) {
        for (size_t row = 0; row < v->count; row++)
            if (v->order[row] == index)
                return (long long)row;
        return -1;
    }
    if (v->match) {
        size_t lo = 0, hi = v->match_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (v->match[mid] < index)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == v->match_count || v->match[lo] != index)
            return -1;
        k = lo;
    } else {
        if (index >= v->count)
            return -1;
        k = index;
    }
    return (long long)(v->ascending ? k : v->count - 1 - k);
}

size_t histview_find_seq(const of_history *h, uint64_t seq)
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

/* ---- filter and search ---- */

void histview_set_filter(histview *v, int direction, const WCHAR *text)
{
    v->dir_filter = direction;
    if (v->search)
        histsearch_set_text(v->search, text);
}

void histview_set_origin(histview *v, int origin)
{
    v->origin_filter = origin;
}

static BOOL filtering(const histview *v)
{
    return v->dir_filter != HISTVIEW_ALL_DIRECTIONS || v->origin_filter != HISTVIEW_ALL_ORIGINS ||
           (v->search && !histsearch_is_empty(v->search));
}

BOOL histview_filtered(const histview *v)
{
    return v->match != NULL;
}

static BOOL passes_filter(histview *v, const of_record *r)
{
    if (!r)
        return FALSE;
    if (v->dir_filter != HISTVIEW_ALL_DIRECTIONS && of_syncflags_direction(r->flags) != (of_direction)v->dir_filter)
        return FALSE;
    if (v->origin_filter != HISTVIEW_ALL_ORIGINS && r->origin != (unsigned)v->origin_filter)
        return FALSE;
    return !v->search || histsearch_match(v->search, v->tz, r);
}

/* Appends the matching records among from..to-1 to the match array. */
static BOOL collect_matches(histview *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (!passes_filter(v, of_history_get(v->hist, i)))
            continue;
        if (v->match_count == v->match_cap) {
            size_t cap = v->match_cap ? v->match_cap * 2 : MATCH_FIRST_CAP;
            uint32_t *grown = realloc(v->match, cap * sizeof(*grown));
            if (!grown)
                return FALSE;
            v->match = grown;
            v->match_cap = cap;
        }
        v->match[v->match_count++] = (uint32_t)i;
    }
    return TRUE;
}

/* Rebuilds the match array from the whole history. Out of memory (or more
 * records than 32-bit indexes) shows everything rather than nothing. */
static void build_match(histview *v)
{
    v->match_count = 0;
    if (!filtering(v) || v->total > UINT32_MAX) {
        drop_match(v);
        return;
    }
    if (!v->match) {
        v->match = malloc(MATCH_FIRST_CAP * sizeof(*v->match));
        v->match_cap = v->match ? MATCH_FIRST_CAP : 0;
    }
    if (!v->match || !collect_matches(v, 0, v->total))
        drop_match(v);
}

static size_t view_size(const histview *v)
{
    return v->match ? v->match_count : v->total;
}

/* ---- sorting ---- */

/* The sort key of one record for the current column; equal keys fall back
 * to completion order. */
static int64_t sort_key(const histview *v, const of_record *r)
{
    const hist_column *c = &hist_columns[v->sort_col];
    int64_t key = c->key(r);
    if (c->sort != HIST_SORT_LABEL)
        return key;
    return key >= 0 && key < c->labels && key < HIST_LABELS_MAX ? v->rank[key] : HIST_LABELS_MAX;
}

/* -1, 0, 1: record index a before, same as, after b in the current order. */
static int compare_indexes(const histview *v, uint32_t a, uint32_t b)
{
    const of_record *ra = of_history_get(v->hist, a), *rb = of_history_get(v->hist, b);
    int64_t ka = ra ? sort_key(v, ra) : INT64_MIN, kb = rb ? sort_key(v, rb) : INT64_MIN;
    int c = ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    return v->ascending ? c : -c;
}

/* A label column sorts by the words people see, in their language: rank[k]
 * is the place of label k among the column's labels. They are a handful. */
static void rank_labels(histview *v)
{
    const hist_column *c = &hist_columns[v->sort_col];
    WCHAR labels[HIST_LABELS_MAX][64];
    int n = c->labels < HIST_LABELS_MAX ? c->labels : HIST_LABELS_MAX;
    if (c->sort != HIST_SORT_LABEL)
        return;
    for (int k = 0; k < n; k++)
        c->label(k, labels[k], ARRAYSIZE(labels[0]));
    for (int i = 0; i < n; i++) {
        v->rank[i] = 0;
        for (int j = 0; j < n; j++) {
            int cmp = CompareStringEx(LOCALE_NAME_USER_DEFAULT, LINGUISTIC_IGNORECASE, labels[j], -1, labels[i], -1,
                                      NULL, NULL, 0);
            if (cmp == CSTR_LESS_THAN || (cmp == CSTR_EQUAL && j < i))
                v->rank[i]++;
        }
    }
}

/* A row to sort: its key and its record. Sorting these pairs reads one
 * array in order and needs no context. */
typedef struct sort_item {
    int64_t key;
    uint32_t index;
} sort_item;

#define SORT_RUN 32

static BOOL item_before(const sort_item *a, const sort_item *b)
{
    return a->key < b->key || (a->key == b->key && a->index < b->index);
}

/* Sorts items[0..n) by key, then record, with tmp (n items) to merge into:
 * runs of SORT_RUN by insertion, then merged in passes. Not qsort: it calls
 * back for every comparison and moves elements through generic code, which
 * made sorting a million pairs about twice as slow (make bench). */
static void sort_items(sort_item *items, sort_item *tmp, size_t n)
{
    sort_item *src = items, *dst = tmp, *t;
    for (size_t lo = 0; lo < n; lo += SORT_RUN) {
        size_t hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;
        for (size_t i = lo + 1; i < hi; i++) {
            sort_item x = items[i];
            size_t j = i;
            for (; j > lo && item_before(&x, &items[j - 1]); j--)
                items[j] = items[j - 1];
            items[j] = x;
        }
    }
    for (size_t width = SORT_RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            if (mid == hi || !item_before(&src[mid], &src[mid - 1])) { /* in order already */
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof(*src));
                continue;
            }
            while (i < mid && j < hi)
                dst[k++] = item_before(&src[j], &src[i]) ? src[j++] : src[i++];
            memcpy(dst + k, src + i, (mid - i) * sizeof(*src));
            k += mid - i;
            memcpy(dst + k, src + j, (hi - j) * sizeof(*src));
        }
        t = src;
        src = dst;
        dst = t;
    }
    if (src != items)
        memcpy(items, src, n * sizeof(*items));
}

/* Builds the row order for a column that is not in completion order. FALSE
 * when it cannot (out of memory, more records than 32-bit indexes): the
 * caller falls back to completion order. */
static BOOL build_order(histview *v)
{
    size_t n = view_size(v), cap = n ? n : 1;
    sort_item *items;
    if (v->total > UINT32_MAX)
        return FALSE;
    if (v->order_cap < cap) {
        uint32_t *grown = realloc(v->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        v->order = grown;
        v->order_cap = cap;
    }
    items = malloc(2 * cap * sizeof(*items));
    if (!items)
        return FALSE;
    rank_labels(v);
    for (size_t k = 0; k < n; k++) {
        size_t i = nth_record(v, k);
        const of_record *r = of_history_get(v->hist, i);
        items[k].key = r ? sort_key(v, r) : INT64_MIN;
        items[k].index = (uint32_t)i;
    }
    sort_items(items, items + cap, n);
    /* Keys and indexes are unique pairs, so descending is ascending read
     * backwards: equal keys then come newest first, as compare_indexes has it. */
    for (size_t k = 0; k < n; k++)
        v->order[k] = items[v->ascending ? k : n - 1 - k].index;
    free(items);
    return TRUE;
}

/* Inserts the view's records from position `from` on into the sort order. */
static BOOL extend_order(histview *v, size_t from)
{
    size_t n = view_size(v);
    if (v->order_cap < n) {
        size_t cap = v->order_cap * 2 > n ? v->order_cap * 2 : n;
        uint32_t *grown = realloc(v->order, cap * sizeof(*grown));
        if (!grown)
            return FALSE;
        v->order = grown;
        v->order_cap = cap;
    }
    for (size_t k = from; k < n; k++) {
        uint32_t i = (uint32_t)nth_record(v, k);
        size_t lo = 0, hi = k;
        /* A new record mostly sorts last (by completion, oldest first):
         * then it is placed without a search or a move. */
        if (k && compare_indexes(v, v->order[k - 1], i) <= 0)
            lo = hi;
        while (lo < hi) { /* first row that sorts after record i */
            size_t mid = lo + (hi - lo) / 2;
            if (compare_indexes(v, v->order[mid], i) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(v->order + lo + 1, v->order + lo, (k - lo) * sizeof(*v->order));
        v->order[lo] = i;
        if (lo < v->first_new_row)
            v->first_new_row = lo;
    }
    return TRUE;
}

void histview_sort_by(histview *v, int col)
{
    if (col < 0 || col >= HIST_COL_COUNT)
        return;
    if (col == v->sort_col) {
        v->ascending = !v->ascending;
    } else {
        v->sort_col = col;
        v->ascending = hist_columns[col].sort != HIST_SORT_COMPLETION;
    }
}

/* ---- loading and growing ---- */

void histview_load(histview *v, const of_history *h)
{
    v->hist = h;
    v->total = h ? of_history_count(h) : 0;
    build_match(v);
    v->count = view_size(v);
    if (hist_columns[v->sort_col].sort == HIST_SORT_COMPLETION || !build_order(v)) {
        drop_order(v);
        v->sort_col = completion_col();
    }
}

histview_growth histview_grow(histview *v, size_t new_total)
{
    size_t old_total = v->total, old_rows = v->count;
    if (new_total > UINT32_MAX)
        goto reload;
    v->total = new_total;
    if (v->match && !collect_matches(v, old_total, new_total))
        goto reload;
    if (view_size(v) == old_rows)
        return HISTVIEW_SAME_ROWS;
    v->count = view_size(v);
    /* Without an order array the new records, the newest, are the last
     * rows oldest first and the top rows newest first. */
    v->first_new_row = v->order || v->ascending ? old_rows : 0;
    if (v->order && !extend_order(v, old_rows))
        goto reload;
    return HISTVIEW_GREW;
reload:
    histview_load(v, v->hist);
    return HISTVIEW_RELOADED;
}

BOOL histview_grew_at_end(const histview *v, size_t old_rows)
{
    return v->first_new_row >= old_rows;
}

void histview_map_rows(const histview *v, size_t old_rows, size_t old_total, size_t *rows, size_t n)
{
    size_t added = v->count - old_rows, old_row = 0, k = 0;
    if (!v->order) {
        if (!v->ascending) /* newest first: the new rows are on top */
            for (size_t i = 0; i < n; i++)
                rows[i] += added;
        return;
    }
    /* Old row j is the j-th row that holds an old record. */
    for (size_t row = 0; row < v->count && k < n; row++) {
        if (v->order[row] >= old_total)
            continue;
        while (k < n && rows[k] == old_row)
            rows[k++] = row;
        old_row++;
    }
}
