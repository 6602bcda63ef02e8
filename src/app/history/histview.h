/* ofnotify: what the history list shows, without the list (app/history/histview).
 *
 * The view model of the history window: which records pass the direction
 * filter and the search, in which order, and which row shows which record.
 * It keeps no copy of the records, only arrays of record indexes (32-bit,
 * so histories beyond 4 billion records show unfiltered in completion
 * order), and knows no window: tests drive it directly. Row 0 is the top of
 * the list. Sorting and labels follow the column table (histcols.h).
 *
 * "Completion order" is the order of the history itself (record index),
 * the order passes ended in. */
#ifndef OFNOTIFY_HISTVIEW_H
#define OFNOTIFY_HISTVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#include "histcols.h"
#include "histsearch.h"
#include "ofnotify/history.h"
#include "tzcache.h"

/* No direction filter; no origin filter. */
#define HISTVIEW_ALL_DIRECTIONS (-1)
#define HISTVIEW_ALL_ORIGINS (-1)

typedef struct histview {
    const of_history *hist; /* NULL: no records */
    tzcache *tz;            /* not owned: the window's, shared with its cells */
    histsearch *search;
    int dir_filter;         /* HISTVIEW_ALL_DIRECTIONS or an of_direction */
    int origin_filter;      /* HISTVIEW_ALL_ORIGINS or an of_origin */
    int sort_col;           /* hist_col */
    BOOL ascending;
    size_t total;           /* records of hist the view has taken in */
    size_t count;           /* rows */
    /* The records the filter lets through, ascending record indexes; NULL
     * when nothing is filtered (every record). */
    uint32_t *match;
    size_t match_count, match_cap;
    uint32_t *order;        /* row → record index; NULL in completion order */
    size_t order_cap;
    int rank[HIST_LABELS_MAX]; /* a HIST_SORT_LABEL column's label → its place */
    size_t first_new_row;   /* after HISTVIEW_GREW: the first row the new records took; rows
                               above it show what they showed before */
} histview;

/* An empty view over tz, newest first; FALSE when out of memory. */
BOOL histview_init(histview *v, tzcache *tz);
void histview_free(histview *v);

/* Filters and sorts the whole history h again (also after the clock, the
 * time zone or the locale changed, when the search was given its text again). */
void histview_load(histview *v, const of_history *h);

/* The direction filter (HISTVIEW_ALL_DIRECTIONS or an of_direction) and the
 * search text (NULL or "": none) for the next histview_load. */
void histview_set_filter(histview *v, int direction, const WCHAR *text);

/* The origin filter (HISTVIEW_ALL_ORIGINS or an of_origin: who started the
 * pass) for the next histview_load. */
void histview_set_origin(histview *v, int origin);

/* A click on the column's header, for the next histview_load: the sorted
 * column again reverses the order; another column sorts ascending, except a
 * completion-order column (Completed), which starts newest first. */
void histview_sort_by(histview *v, int col);

/* What histview_grow did. */
typedef enum histview_growth {
    HISTVIEW_SAME_ROWS, /* the new records are all filtered out: only total grew */
    HISTVIEW_GREW,      /* rows were added; histview_map_rows says where old rows went */
    HISTVIEW_RELOADED,  /* it could not grow in place and loaded everything again */
} histview_growth;

/* The history now has new_total records, more than v->total: takes in the
 * new ones, into their place in the current order. */
histview_growth histview_grow(histview *v, size_t new_total);

/* After HISTVIEW_GREW from a view of old_rows rows: TRUE when every new row
 * came after the old ones (the order puts the new records last), so the old
 * rows, and what is selected and in view, kept their places. */
BOOL histview_grew_at_end(const histview *v, size_t old_rows);

/* After HISTVIEW_GREW from a view of old_rows rows over old_total records:
 * the rows where the records of old rows[0..n) are now. rows must be
 * ascending; mapped in place. */
void histview_map_rows(const histview *v, size_t old_rows, size_t old_total, size_t *rows, size_t n);

/* TRUE when a filter or search hides records (the count is "12 of 1,000"). */
BOOL histview_filtered(const histview *v);

/* Row → record index (row < v->count). */
size_t histview_row_index(const histview *v, size_t row);

/* The record a row shows; NULL for a row out of range. */
const of_record *histview_row_record(const histview *v, size_t row);

/* The row showing record index, or -1 when the view does not show it. */
long long histview_index_row(const histview *v, size_t index);

/* The k-th record the view shows in completion order (k < v->count), for
 * export, which writes the order passes happened in. */
const of_record *histview_nth(const histview *v, size_t k);

/* The record index of seq in h, or SIZE_MAX: seqs increase through a history. */
size_t histview_find_seq(const of_history *h, uint64_t seq);

#endif
