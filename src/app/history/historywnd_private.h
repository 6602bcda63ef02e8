/* ofnotify: the history window's state, shared by the window itself
 * (historywnd.c) and its commands (histcmds.c); nothing else includes it.
 * Each window's state is allocated when it opens, hangs off its HWND
 * (GWLP_USERDATA, set at WM_NCCREATE) and is freed at WM_NCDESTROY. */
#ifndef OFNOTIFY_HISTORYWND_PRIVATE_H
#define OFNOTIFY_HISTORYWND_PRIVATE_H

#include <stddef.h>

#include <windows.h>
#include <commctrl.h>

#include "conflictlist.h"
#include "historywnd.h"
#include "histview.h"
#include "ofnotify/syncflags.h"
#include "tzcache.h"

/* The history window's private messages. */
enum {
    /* From the export's worker thread, its last act: lParam = its histexport. */
    WM_HISTWND_EXPORT_DONE = WM_APP + 1,
};

/* Timers of the history window itself (its chart has its own). */
enum { HISTWND_TIMER_SEARCH = 1 };

typedef struct histexport histexport;

typedef struct historywnd {
    HWND wnd, list, chart, filter, search, status, copy, export_button, clear;
    HWND banner;            /* the history file's problem, above the list; hidden when there is none */
    HWND offline;           /* "Working offline: ...", above the list; hidden while everything is online */
    conflictlist conflicts; /* the Syncs and Conflicts tabs, and the conflicts list */
    HWND app;               /* asked to clear the history; holds the window in a property */
    const historywnd_io *io; /* NULL: the real one */
    tzcache tz;             /* shared by the cells, the view's search and the chart */
    histview view;
    UINT dpi;
    HFONT font;             /* the controls' font, kept for the process (histlayout.c): not owned */
    int dir_image[OF_DIR_COUNT];
    HWND last_focus;        /* given back when the window is activated again */
    BOOL created;           /* CreateWindowExW returned: the window frees this at WM_NCDESTROY */
    BOOL shown;             /* created and shown: its layout is worth keeping */
    SIZE arranged;          /* the client size the controls were last arranged for */
    HHOOK hook;
    histexport *export;     /* the export running on a worker thread, if any (histexport.c) */
} historywnd;

/* The state of a history window; NULL for any other window or NULL. */
historywnd *historywnd_state(HWND wnd);

/* The selected rows, ascending (the order LVNI_SELECTED walks), *n of them;
 * free() the result. NULL when none is selected or memory ran out. */
size_t *historywnd_selected_rows(const historywnd *w, size_t *n);

/* The window's io: the test's, or the real one (histcmds.c). */
const historywnd_io *historywnd_io_of(const historywnd *w);

/* histexport.c: Export… on a worker thread.
 * histexport_start copies the first min(limit, shown) records the list shows (oldest first), creates
 * path and starts writing it; FALSE with *error (a Win32 code) when the file cannot be created or
 * memory runs out, nothing left behind. WM_HISTWND_EXPORT_DONE calls histexport_done, which
 * reports a failure; WM_DESTROY calls histexport_abort, which cancels, waits for the worker and
 * deletes the partial file. */
BOOL histexport_start(historywnd *w, size_t limit, const WCHAR *path, export_format format, export_write_fn write,
                      DWORD *error);
void histexport_done(historywnd *w, histexport *job);
void histexport_abort(historywnd *w);

#endif
