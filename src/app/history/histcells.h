/* ofnotify: the texts of the history list's cells (app/history/histcells).
 *
 * One place decides what each column shows for a record, so that the list,
 * Ctrl+C and the search all see the same words: times in the user's locale
 * and local time (with the time-zone rules of the record's date, through
 * tzcache), everything else from core/format with the STRINGTABLE's words. */
#ifndef OFNOTIFY_HISTCELLS_H
#define OFNOTIFY_HISTCELLS_H

#include <stddef.h>

#include <windows.h>

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

/* One cell of r into buf (cap >= 1); "" for a column out of range. The
 * Started and Duration cells of an unpaired record are empty (its start is
 * not known). */
void histcells_text(tzcache *tz, const of_record *r, hist_col col, WCHAR *buf, size_t cap);

/* The two halves of a time cell, which is "<date> <time>": the local date as
 * the locale writes it short, and the local time with seconds. "" on failure. */
void histcells_date(const SYSTEMTIME *local, WCHAR *buf, size_t cap);
void histcells_time(const SYSTEMTIME *local, WCHAR *buf, size_t cap);

/* The direction label core/format gives ("Two-way"), as UTF-16. */
void histcells_direction_label(of_direction d, WCHAR *buf, size_t cap);

#endif
