/* ofnotify: the history window's controls and where they go (app/history/histlayout).
 *
 * Creates the child controls, sizes them for the window's DPI (font, icons,
 * column widths from the column table), lays them out, follows a move to a
 * monitor of another DPI, and restores and saves the placement and columns
 * (winplace.h). Part of the window (historywnd_private.h). */
#ifndef OFNOTIFY_HISTLAYOUT_H
#define OFNOTIFY_HISTLAYOUT_H

#include "historywnd_private.h"

/* Child control IDs. The tab order is the creation order (histlayout.c). */
enum {
    HISTLAYOUT_ID_LIST = 1,
    HISTLAYOUT_ID_CHART,
    HISTLAYOUT_ID_FILTER_LABEL,
    HISTLAYOUT_ID_FILTER,
    HISTLAYOUT_ID_SEARCH_LABEL,
    HISTLAYOUT_ID_SEARCH,
    HISTLAYOUT_ID_STATUS,
    HISTLAYOUT_ID_COPY,
    HISTLAYOUT_ID_EXPORT,
    HISTLAYOUT_ID_CLEAR,
    HISTLAYOUT_ID_BANNER,
    HISTLAYOUT_ID_OFFLINE,
    HISTLAYOUT_ID_TABS,
    HISTLAYOUT_ID_CONFLICTS,
};

/* The controls of the Syncs tab, hidden while Conflicts is shown. */
size_t histlayout_sync_controls(const historywnd *w, HWND *out, size_t cap);

/* The window's first size at dpi, before any saved placement. */
int histlayout_window_width(UINT dpi);
int histlayout_window_height(UINT dpi);

/* WM_CREATE, first half: every child control, empty. FALSE if one could not
 * be made. */
BOOL histlayout_create_controls(historywnd *w);

/* WM_CREATE, second half, once the controls hold their items: font, icons
 * and columns at the window's DPI (saved column widths and order if any),
 * then the layout. */
BOOL histlayout_fit(historywnd *w);

/* The controls placed for the client area. */
void histlayout_arrange(historywnd *w);

/* WM_SIZE: histlayout_arrange, unless they are placed for this size already
 * (showing the window, its first WM_SIZE, does not change it). */
void histlayout_resized(historywnd *w);

/* The smallest size the window takes (WM_GETMINMAXINFO). */
void histlayout_min_size(const historywnd *w, MINMAXINFO *mm);

/* WM_DPICHANGED: everything at dpi, the window at the suggested rectangle. */
void histlayout_dpi_changed(historywnd *w, UINT dpi, const RECT *suggested);

/* Shows the window where it was saved (normal or maximized), else as it is;
 * the controls are arranged for the saved size before it is shown. */
void histlayout_show(historywnd *w);

/* Saves the placement and the columns' widths and order. */
void histlayout_save(historywnd *w);

#endif
