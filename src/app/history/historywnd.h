/* ofnotify: the history window (app/history/historywnd).
 *
 * One top-level window: the 30-day chart strip (chart.h), a direction filter
 * and a text search, an owner-data list view of the history (newest first,
 * sortable by any column, a small icon beside each direction), a count of
 * the syncs shown, and Copy, Export… and Clear history… buttons. It keeps no
 * copy of the records: every cell is formatted from of_history_get() when
 * the list view asks for it, so a history of a million records opens as fast
 * as one of five. What the list shows is the view model's (histview.h); the
 * columns are the column table's (histcols.h). Placement and column widths
 * are remembered (winplace.h).
 *
 * Keyboard: Tab moves filter → search → list → buttons; Alt+D, Alt+S and the
 * buttons' underlined letters; Ctrl+F search, Ctrl+S export, Ctrl+C copy,
 * Ctrl+A select all, F5 reload, Esc close; Ctrl+Tab switches between the
 * Syncs and Conflicts tabs (conflictlist.h). The dialog keys work through a
 * thread message hook that the window installs while it is open, so the
 * app's message loop needs nothing for them.
 *
 * The app opens the window with its own window, `app`, which the functions
 * below take to find it again: an app has at most one history window. The
 * window reads the history the app owns, so the app must tell it about every
 * change: historywnd_records_changed() after appends (the list grows in place
 * and keeps the selection), historywnd_set_history() when the store is
 * opened, replaced, compacted, cleared or closed.
 *
 * Clear history… does not clear anything itself: after the user confirmed,
 * it sends WM_OFN_CLEAR_HISTORY (messages.h, lParam = the history shown) to
 * app, which clears the store, calls historywnd_set_history() and returns
 * the of_history_err.
 * Main thread only. */
#ifndef OFNOTIFY_HISTORYWND_H
#define OFNOTIFY_HISTORYWND_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#include "chart.h"
#include "exportfile.h"
#include "ofnotify/conflicts.h"
#include "ofnotify/history.h"

/* Shows app's history window over h (NULL: an empty list), creating it or
 * bringing the existing one to the front (if h differs from the one shown,
 * the list is reloaded from h). Returns the window, or NULL if it could not
 * be created. */
HWND historywnd_open(HINSTANCE inst, HWND app, const of_history *h);

/* historywnd_open, then the record with this seq selected, focused and
 * scrolled into view, the filter and search cleared first if they hide it.
 * A seq that is not in h just opens the window. */
HWND historywnd_open_at(HINSTANCE inst, HWND app, const of_history *h, uint64_t seq);

/* Records were appended to the history shown: the new rows appear (those the
 * filter lets through), the selected and focused records stay selected and
 * focused, a list scrolled away from the top keeps showing the same records,
 * the chart counts them. Fewer records than before (compact, clear) reloads
 * the whole list. Nothing when app's window is closed. */
void historywnd_records_changed(HWND app);

/* The history app's window reads from now on (NULL when the app closed it);
 * reloads the list. The window must never outlive the store it reads, so the
 * app calls this (or historywnd_close) before of_history_close. */
void historywnd_set_history(HWND app, const of_history *h);

/* A line above the list about the history file's health (app_store.h): the
 * text, or NULL or "" to hide it. Kept for a window opened later. */
void historywnd_set_banner(HWND app, const WCHAR *text);

/* Working offline (app_offline.c): a line above the list (NULL or "": none,
 * and it is hidden) and the offline periods the chart strip draws; both are
 * kept for a window opened later. */
void historywnd_set_offline(HWND app, const WCHAR *line, const chart_period *periods, size_t count);

/* The open sync conflicts the Conflicts tab lists (NULL: none); the app
 * calls it whenever the set changes, and with NULL before closing it. Kept
 * for a window opened later. */
void historywnd_set_conflicts(HWND app, const of_conflicts *set);

/* Destroys app's history window if it is open. */
void historywnd_close(HWND app);

/* app's history window while it is shown and not minimized, else NULL: the
 * owner of a prompt that must stay in sight (a prompt owned by a hidden or
 * minimized window would be hidden with it). */
HWND historywnd_shown(HWND app);

/* One record as Ctrl+C copies it: the cells as the list shows them
 * (Completed, Direction, Duration, Started, Status, Details), separated by
 * TAB, ending in CRLF; tabs and line breaks inside a cell become spaces.
 * Like snprintf: returns the length the whole line needs without the NUL;
 * writes at most cap characters including the NUL, always NUL-terminates when
 * cap > 0 (buf may be NULL when cap == 0); cut when the result >= cap.
 * 0 for a NULL record. */
size_t historywnd_row_text(const of_record *r, WCHAR *buf, size_t cap);

/* What Ctrl+C puts on the clipboard: historywnd_row_text of every selected
 * row of the history window wnd, in the order the list shows them. Returns a
 * NUL-terminated text the caller frees with free(), and its length in *len
 * (len may be NULL); NULL when wnd is not a history window, nothing is
 * selected, or memory ran out. */
WCHAR *historywnd_selection_text(HWND wnd, size_t *len);

/* Ctrl+C: the selection onto the clipboard as CF_UNICODETEXT. FALSE if there
 * was nothing to copy or the clipboard could not be set. */
BOOL historywnd_copy(HWND wnd);

/* What the window asks people and how its export writes. The real ones are
 * message boxes, the common Save dialog and WriteFile; tests put their own
 * here. */
typedef struct historywnd_io {
    /* Clear history…: TRUE to delete `count` records. */
    BOOL (*confirm_clear)(HWND owner, size_t count);
    /* Export…: TRUE with the file to write (path, cap characters) and its
     * format, for `count` records. */
    BOOL (*export_target)(HWND owner, size_t count, WCHAR *path, size_t cap, export_format *format);
    /* Something went wrong; text says what. */
    void (*error)(HWND owner, const WCHAR *text);
    /* The export's writes; NULL: WriteFile. */
    export_write_fn write;
} historywnd_io;

/* Replaces the history window wnd's io (NULL: the real one again). */
void historywnd_set_io(HWND wnd, const historywnd_io *io);

/* Export…, as the button and Ctrl+S do: the records the list shows (filter
 * and search applied) in the order they happened, oldest first, which is the
 * order of --export. The file is created at once and written on a worker
 * thread from a copy of those records, with a progress dialog and Cancel when
 * it takes a while; the window stays responsive. TRUE if the export started;
 * FALSE if nothing was started (cancelled, an export already running, or an
 * error the user was told about). A write that fails later is reported to the
 * user when the worker ends, and the partial file deleted. */
BOOL historywnd_export(HWND wnd);

/* TRUE while an export of window wnd runs (until its end has been handled). */
BOOL historywnd_exporting(HWND wnd);

/* Clear history…, as the button does: asks, then asks the app to clear.
 * TRUE if the app cleared the history. */
BOOL historywnd_clear(HWND wnd);

#endif
