/* ofnotify: the history list's columns (app/history/histcols).
 *
 * One table, hist_columns, holds every fact about a column: its header, its
 * width and alignment, the text of its cells, how it sorts and how the search
 * decides it. The list, Ctrl+C, the sort and the search all read the table,
 * so they agree; a new column is one row plus the function that writes its
 * cell (and its header string in both STRINGTABLEs).
 *
 * Cell texts: times in the user's locale and local time (with the time-zone
 * rules of the record's date, through tzcache), everything else from
 * core/format with the STRINGTABLE's words. */
#ifndef OFNOTIFY_HISTCOLS_H
#define OFNOTIFY_HISTCOLS_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>
#include <commctrl.h>

#include "ofnotify/record.h"
#include "ofnotify/syncflags.h"
#include "tzcache.h"

/* Columns, in the order the list shows and Ctrl+C copies them. */
typedef enum hist_col {
    HIST_COL_COMPLETED,
    HIST_COL_DIRECTION,
    HIST_COL_DURATION,
    HIST_COL_STARTED,
    HIST_COL_STATUS,
    HIST_COL_DETAILS,
    HIST_COL_COUNT
} hist_col;

/* Longest cell, in UTF-16 units with the NUL: the Details of a value with
 * every flag, in a long language. */
#define HIST_CELL_CAP 1024

/* How a column sorts; equal keys keep completion order. */
typedef enum hist_sort {
    HIST_SORT_COMPLETION, /* the order passes ended in: the history's own, no sorting needed */
    HIST_SORT_VALUE,      /* by key(r) */
    HIST_SORT_LABEL,      /* by the words of label(key(r)), in the user's collation */
} hist_sort;

/* What a column's cell depends on, which lets the search (histsearch.h)
 * decide a million records without formatting a million cells. */
typedef enum hist_search {
    HIST_SEARCH_TEXT,     /* anything: the cell is formatted for every record */
    HIST_SEARCH_FLAGS,    /* the flag value alone */
    HIST_SEARCH_STATUS,   /* hist_status_key alone */
    HIST_SEARCH_DURATION, /* the duration's whole seconds alone; empty for an unpaired pass */
    HIST_SEARCH_TIME,     /* "<date> <time>" of key(r) (histcols_date, histcols_time); empty if no time */
} hist_search;

typedef struct hist_column {
    UINT title;          /* STRINGTABLE id of the header */
    int width_96;        /* pixels at 96 DPI */
    int align;           /* LVCFMT_LEFT or LVCFMT_RIGHT */
    BOOL direction_icon; /* the direction's icon before the text */
    /* The cell of r (cap >= 1), "" when there is nothing to show. */
    void (*text)(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap);
    /* What the cell shows, as a number: the sort value, the label index, the
     * time (ms since 1970, OF_TIME_UNKNOWN for none). */
    int64_t (*key)(const of_record *r);
    hist_sort sort;
    int labels; /* HIST_SORT_LABEL: key(r) is 0 .. labels - 1 */
    void (*label)(int key, WCHAR *buf, size_t cap);
    hist_search search;
} hist_column;

extern const hist_column hist_columns[HIST_COL_COUNT];

/* A status and its reason as one small number: interrupted labels differ by
 * reason. Values from a newer version share the last key. */
#define HIST_STATUS_KEYS (OF_STATUS_COUNT * OF_REASON_COUNT + 1)
int hist_status_key(const of_record *r);

/* The most labels a HIST_SORT_LABEL column has. */
#define HIST_LABELS_MAX HIST_STATUS_KEYS

/* One cell of r into buf (cap >= 1); "" for a column out of range. */
void histcols_text(tzcache *tz, const of_record *r, int col, WCHAR *buf, size_t cap);

/* The two halves of a time cell, which is "<date> <time>": the local date as
 * the locale writes it short, and the local time with seconds. "" on failure. */
void histcols_date(const SYSTEMTIME *local, WCHAR *buf, size_t cap);
void histcols_time(const SYSTEMTIME *local, WCHAR *buf, size_t cap);

/* The direction label core/format gives ("Two-way"), as UTF-16. */
void histcols_direction_label(of_direction d, WCHAR *buf, size_t cap);

#endif
