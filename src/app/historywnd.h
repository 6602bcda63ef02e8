/* ofnotify: the history window (app/historywnd).
 *
 * One top-level window with an owner-data list view of the history, newest
 * first. It keeps no copy of the records: every cell is formatted from
 * of_history_get() when the list view asks for it, so a history of a million
 * records opens as fast as one of five. Sorting by another column keeps only
 * an array of record indexes.
 *
 * The window reads the history the app owns, so the app must tell it about
 * every change: historywnd_records_changed() after appends (the list grows in
 * place and keeps the selection), historywnd_set_history() when the store is
 * opened, replaced, compacted, cleared or closed. Main thread only. */
#ifndef OFNOTIFY_HISTORYWND_H
#define OFNOTIFY_HISTORYWND_H

#include <stddef.h>

#include <windows.h>

#include "ofnotify/history.h"

/* Shows the window over h (NULL: an empty list), creating it or bringing the
 * existing one to the front (if h differs from the one shown, the list is
 * reloaded from h). Returns the window, or NULL if it could not be created. */
HWND historywnd_open(HINSTANCE inst, const of_history *h);

/* Records were appended to the history shown: the new rows appear, the
 * selected and focused records stay selected and focused, a list scrolled
 * away from the top keeps showing the same records. Fewer records than
 * before (compact, clear) reloads the whole list. Nothing when the window is
 * closed. */
void historywnd_records_changed(void);

/* The history the window reads from now on (NULL when the app closed it);
 * reloads the list. The window must never outlive the store it reads, so the
 * app calls this (or historywnd_close) before of_history_close. */
void historywnd_set_history(const of_history *h);

/* Destroys the window if it is open. */
void historywnd_close(void);

/* One record as Ctrl+C copies it: the six cells as the list shows them
 * (Completed, Direction, Duration, Started, Status, Details), separated by
 * TAB, ending in CRLF; tabs and line breaks inside a cell become spaces.
 * Like snprintf: returns the length the whole line needs without the NUL;
 * writes at most cap characters including the NUL, always NUL-terminates when
 * cap > 0 (buf may be NULL when cap == 0); cut when the result >= cap.
 * 0 for a NULL record. */
size_t historywnd_row_text(const of_record *r, WCHAR *buf, size_t cap);

/* What Ctrl+C puts on the clipboard: historywnd_row_text of every selected
 * row, in the order the list shows them. Returns a NUL-terminated text the
 * caller frees with free(), and its length in *len (len may be NULL); NULL
 * when the window is closed, nothing is selected, or memory ran out. */
WCHAR *historywnd_selection_text(size_t *len);

/* Ctrl+C: the selection onto the clipboard as CF_UNICODETEXT. FALSE if there
 * was nothing to copy or the clipboard could not be set. */
BOOL historywnd_copy(void);

#endif
