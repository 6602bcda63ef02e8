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

typedef struct historywnd {
    HWND wnd, list, chart, filter, search, status, copy, export_button, clear;
    HWND banner;            /* the history file's problem, above the list; hidden when there is none */
    conflictlist conflicts; /* the Syncs and Conflicts tabs, and the conflicts list */
    HWND app;               /* asked to clear the history; holds the window in a property */
    const historywnd_io *io; /* NULL: the real one */
    tzcache tz;             /* shared by the cells, the view's search and the chart */
    histview view;
    UINT dpi;
    HFONT font;
    HIMAGELIST icons;
    int dir_image[OF_DIR_COUNT];
    HWND last_focus;        /* given back when the window is activated again */
    BOOL created;           /* CreateWindowExW returned: the window frees this at WM_NCDESTROY */
    BOOL shown;             /* created and shown: its layout is worth keeping */
    HHOOK hook;
} historywnd;

/* The state of a history window; NULL for any other window or NULL. */
historywnd *historywnd_state(HWND wnd);

/* The selected rows, ascending (the order LVNI_SELECTED walks), *n of them;
 * free() the result. NULL when none is selected or memory ran out. */
size_t *historywnd_selected_rows(const historywnd *w, size_t *n);

#endif
