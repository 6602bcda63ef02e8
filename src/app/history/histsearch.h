/* ofnotify: the history window's text search (app/history/histsearch).
 *
 * A record matches when the search text occurs, ignoring case, in any of
 * its cells as the list shows them (histcols). Formatting six cells of a
 * million records for every keystroke would take seconds, so a match is
 * decided from small per-search caches instead, chosen by each column's
 * search rule in the column table: by flag value, by status, by whole second
 * of the duration, and for time cells ("<date> <time>") by local day and by
 * second of the day, including texts that span the date and the time. The
 * result is exactly that of searching the formatted cells. UI thread only. */
#ifndef OFNOTIFY_HISTSEARCH_H
#define OFNOTIFY_HISTSEARCH_H

#include <windows.h>

#include "ofnotify/record.h"
#include "tzcache.h"

/* Longest search text, in characters; longer texts are cut to this. */
#define HISTSEARCH_MAX 63

typedef struct histsearch histsearch;

/* NULL when out of memory. */
histsearch *histsearch_new(void);
void histsearch_free(histsearch *s);

/* The text to look for (NULL or "" matches every record), and forgets what
 * the caches knew. Call again with the same text after the locale or the
 * time zone changed. */
void histsearch_set_text(histsearch *s, const WCHAR *text);

/* TRUE when there is no text, so every record matches. */
BOOL histsearch_is_empty(const histsearch *s);

/* Whether r matches. */
BOOL histsearch_match(histsearch *s, tzcache *tz, const of_record *r);

#endif
