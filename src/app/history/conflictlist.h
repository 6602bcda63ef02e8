/* ofnotify: the history window's tabs, Syncs and Conflicts, and the list of
 * open sync conflicts behind the second (app/history/conflictlist).
 *
 * The tab control is a strip above the window's content; the window lays
 * its own controls out below it. While Conflicts is selected, the window's
 * sync controls are hidden and the conflicts list takes their place. The
 * list is filled from core/conflicts whenever the app says the set changed
 * (a handful of rows, so no owner data): path, when the service logged the
 * conflict (local time) and the sync state in words. The list is made the
 * first time its tab is shown: the window opens on Syncs, and its first
 * paint should not wait for a list it does not show. Part of the window
 * (historywnd_private.h). */
#ifndef OFNOTIFY_CONFLICTLIST_H
#define OFNOTIFY_CONFLICTLIST_H

#include <stddef.h>

#include <windows.h>

#include "ofnotify/conflicts.h"

typedef enum conflictlist_tab { CONFLICTLIST_TAB_SYNCS = 0, CONFLICTLIST_TAB_CONFLICTS = 1 } conflictlist_tab;

typedef struct conflictlist {
    HWND tabs;
    HWND list;                /* NULL until the Conflicts tab is first shown */
    int list_id;
    const of_conflicts *set;  /* what the list shows, the app's (NULL: none) */
    conflictlist_tab tab;
} conflictlist;

/* The tab strip (call first: it is first in the tab order); the list, when
 * it is made, gets list_id. FALSE if the strip could not be made. */
BOOL conflictlist_create_tabs(conflictlist *c, HWND parent, int tabs_id, int list_id);

/* The tab's count from set (NULL: none), and the rows if the list is made;
 * set must stay valid until the next call (the list is filled from it when
 * it is made). */
void conflictlist_fill(conflictlist *c, const of_conflicts *set);

/* The strip's height at dpi, with the font it has. */
int conflictlist_tabs_height(const conflictlist *c, UINT dpi);

/* Shows the tab (and its list, or not), hiding or showing the n sync
 * controls. The list is made the first time, with the strip's font and
 * the window's DPI. */
void conflictlist_show(conflictlist *c, conflictlist_tab tab, const HWND *sync_controls, size_t n);

/* One conflict's cells: 0 the path, 1 the time, 2 the state in words. */
void conflictlist_cell(const of_conflict *conf, int col, WCHAR *buf, size_t cap);

#endif
