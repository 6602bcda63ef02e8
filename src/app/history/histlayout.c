/* ofnotify: the history window's controls and layout. See histlayout.h. */
#include "histlayout.h"

#include <string.h>

#include "../winutil.h"
#include "chart.h"
#include "histcols.h"
#include "resource.h"
#include "winplace.h"

/* Sizes at 96 DPI. */
#define WINDOW_W_96 900
#define WINDOW_H_96 560
#define MIN_W_96 480
#define MIN_H_96 280
#define PAD_96 8
#define GAP_96 6
#define COMBO_W_96 170
#define SEARCH_W_96 240
#define BUTTON_H_96 25
#define BUTTON_MIN_W_96 88
#define BANNER_H_96 32
#define OFFLINE_H_96 16

int histlayout_window_width(UINT dpi)
{
    return MulDiv(WINDOW_W_96, (int)dpi, 96);
}

int histlayout_window_height(UINT dpi)
{
    return MulDiv(WINDOW_H_96, (int)dpi, 96);
}

static int scale(const historywnd *w, int px96)
{
    return MulDiv(px96, (int)w->dpi, 96);
}

static HWND child(const historywnd *w, int id)
{
    return GetDlgItem(w->wnd, id);
}

static HWND make_control(historywnd *w, const WCHAR *cls, UINT text_id, DWORD style, DWORD ex_style, int id)
{
    WCHAR text[128] = L"";
    if (text_id)
        winutil_load_string(text_id, text, ARRAYSIZE(text));
    return CreateWindowExW(ex_style, cls, text, WS_CHILD | WS_VISIBLE | style, 0, 0, 0, 0, w->wnd,
                           (HMENU)(INT_PTR)id, (HINSTANCE)GetWindowLongPtrW(w->wnd, GWLP_HINSTANCE), NULL);
}

BOOL histlayout_create_controls(historywnd *w)
{
    const DWORD list_ex = LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_HEADERDRAGDROP | LVS_EX_SUBITEMIMAGES |
                          LVS_EX_INFOTIP;
    /* Creation order is the tab order: filter, search, list, buttons (the tab strip is no tab stop). */
    if (!conflictlist_create_tabs(&w->conflicts, w->wnd, HISTLAYOUT_ID_TABS, HISTLAYOUT_ID_CONFLICTS))
        return FALSE;
    w->chart = chart_create(w->wnd, HISTLAYOUT_ID_CHART, &w->tz);
    make_control(w, WC_STATICW, IDS_HIST_FILTER_LABEL, 0, 0, HISTLAYOUT_ID_FILTER_LABEL);
    w->filter = make_control(w, WC_COMBOBOXW, 0, WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWNLIST, 0, HISTLAYOUT_ID_FILTER);
    make_control(w, WC_STATICW, IDS_HIST_SEARCH_LABEL, 0, 0, HISTLAYOUT_ID_SEARCH_LABEL);
    w->search = make_control(w, WC_EDITW, 0, WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, HISTLAYOUT_ID_SEARCH);
    w->list = make_control(w, WC_LISTVIEWW, 0,
                           WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS | LVS_SHAREIMAGELISTS,
                           WS_EX_CLIENTEDGE, HISTLAYOUT_ID_LIST);
    w->status = make_control(w, WC_STATICW, 0, SS_LEFT | SS_NOPREFIX | SS_ENDELLIPSIS, 0, HISTLAYOUT_ID_STATUS);
    w->copy = make_control(w, WC_BUTTONW, IDS_HIST_COPY, WS_TABSTOP | BS_PUSHBUTTON, 0, HISTLAYOUT_ID_COPY);
    w->export_button = make_control(w, WC_BUTTONW, IDS_HIST_EXPORT, WS_TABSTOP | BS_PUSHBUTTON, 0,
                                    HISTLAYOUT_ID_EXPORT);
    w->clear = make_control(w, WC_BUTTONW, IDS_HIST_CLEAR, WS_TABSTOP | BS_PUSHBUTTON, 0, HISTLAYOUT_ID_CLEAR);
    /* Not a tab stop; shown by historywnd_set_banner. */
    w->banner = make_control(w, WC_STATICW, 0, SS_LEFT | SS_NOPREFIX, 0, HISTLAYOUT_ID_BANNER);
    ShowWindow(w->banner, SW_HIDE);
    /* The same, for historywnd_set_offline. */
    w->offline = make_control(w, WC_STATICW, 0, SS_LEFT | SS_NOPREFIX | SS_ENDELLIPSIS, 0, HISTLAYOUT_ID_OFFLINE);
    ShowWindow(w->offline, SW_HIDE);
    if (!w->chart || !w->filter || !w->search || !w->list || !w->status || !w->copy || !w->export_button ||
        !w->clear || !w->banner || !w->offline)
        return FALSE;
    ListView_SetExtendedListViewStyleEx(w->list, list_ex, list_ex);
    return TRUE;
}

/* The font and the direction icons are kept for the process, made by the first window that needs
 * them and used by every later one: the icons are decoded from PNG, milliseconds each under Wine,
 * and nothing in them changes between two openings. At most one set of each is kept; a window at
 * another DPI, or a message font changed in the settings, replaces it. */
static struct {
    LOGFONTW logfont;
    HFONT font;
    int icon_cx, icon_cy;
    HIMAGELIST icons;
    int dir_image[OF_DIR_COUNT];
} kept;

/* The direction icons at the small-icon size of the window's DPI. */
static void update_icons(historywnd *w)
{
    HINSTANCE inst = GetModuleHandleW(NULL);
    int cx = GetSystemMetricsForDpi(SM_CXSMICON, w->dpi), cy = GetSystemMetricsForDpi(SM_CYSMICON, w->dpi);
    if (!kept.icons || kept.icon_cx != cx || kept.icon_cy != cy) {
        HIMAGELIST list = ImageList_Create(cx, cy, ILC_COLOR32 | ILC_MASK, OF_DIR_COUNT, 0);
        for (int d = 0; d < OF_DIR_COUNT; d++) {
            HICON icon = list ? LoadImageW(inst, MAKEINTRESOURCEW(IDI_DIR_FIRST + d), IMAGE_ICON, cx, cy, 0) : NULL;
            kept.dir_image[d] = icon ? ImageList_AddIcon(list, icon) : -1;
            if (icon)
                DestroyIcon(icon);
        }
        /* The list view shares it (LVS_SHAREIMAGELISTS): it never destroys it. The one kept until
         * now was made for another DPI, for this window (one history window at a time). */
        ListView_SetImageList(w->list, list, LVSIL_SMALL);
        if (kept.icons)
            ImageList_Destroy(kept.icons);
        kept.icons = list;
        kept.icon_cx = cx;
        kept.icon_cy = cy;
    }
    memcpy(w->dir_image, kept.dir_image, sizeof(w->dir_image));
    ListView_SetImageList(w->list, kept.icons, LVSIL_SMALL);
}

/* The message font at the window's DPI, for every control; the controls do
 * not follow DPI changes by themselves. */
static void update_font(historywnd *w)
{
    NONCLIENTMETRICSW ncm = {.cbSize = sizeof(ncm)};
    HFONT font = (HFONT)GetStockObject(DEFAULT_GUI_FONT);
    HWND c;
    if (SystemParametersInfoForDpi(SPI_GETNONCLIENTMETRICS, sizeof(ncm), &ncm, 0, w->dpi)) {
        if (kept.font && memcmp(&kept.logfont, &ncm.lfMessageFont, sizeof(kept.logfont)) != 0) {
            DeleteObject(kept.font);
            kept.font = NULL;
        }
        if (!kept.font && (kept.font = CreateFontIndirectW(&ncm.lfMessageFont)) != NULL)
            kept.logfont = ncm.lfMessageFont;
        if (kept.font)
            font = kept.font;
    }
    for (c = GetWindow(w->wnd, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT))
        SendMessageW(c, WM_SETFONT, (WPARAM)font, TRUE);
    w->font = font;
}

static BOOL create_columns(historywnd *w)
{
    int widths[HIST_COL_COUNT], order[HIST_COL_COUNT];
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        WCHAR title[64];
        LVCOLUMNW c = {
            .mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT,
            .fmt = hist_columns[col].align,
            .cx = scale(w, hist_columns[col].width_96),
            .pszText = title,
            .iSubItem = col,
        };
        winutil_load_string(hist_columns[col].title, title, ARRAYSIZE(title));
        if (ListView_InsertColumn(w->list, col, &c) != col)
            return FALSE;
    }
    if (winplace_load_columns(WINPLACE_HISTORY_KEY, HIST_COL_COUNT, w->dpi, widths, order)) {
        for (int col = 0; col < HIST_COL_COUNT; col++)
            ListView_SetColumnWidth(w->list, col, widths[col]);
        ListView_SetColumnOrderArray(w->list, HIST_COL_COUNT, order);
    }
    return TRUE;
}

BOOL histlayout_fit(historywnd *w)
{
    update_font(w);
    update_icons(w);
    if (!create_columns(w))
        return FALSE;
    histlayout_arrange(w);
    return TRUE;
}

static int text_width(const historywnd *w, HWND ctl)
{
    WCHAR text[128];
    HDC dc = GetDC(ctl);
    HGDIOBJ old = SelectObject(dc, w->font ? (HGDIOBJ)w->font : GetStockObject(DEFAULT_GUI_FONT));
    RECT rc = {0, 0, 0, 0};
    GetWindowTextW(ctl, text, ARRAYSIZE(text));
    DrawTextW(dc, text, -1, &rc, DT_CALCRECT | DT_SINGLELINE);
    SelectObject(dc, old);
    ReleaseDC(ctl, dc);
    return rc.right - rc.left;
}

void histlayout_resized(historywnd *w)
{
    RECT rc;
    GetClientRect(w->wnd, &rc);
    if (rc.right != w->arranged.cx || rc.bottom != w->arranged.cy)
        histlayout_arrange(w);
}

void histlayout_arrange(historywnd *w)
{
    RECT rc;
    HDWP dwp;
    int pad = scale(w, PAD_96), gap = scale(w, GAP_96), x, y, row_h, bottom, button_h = scale(w, BUTTON_H_96);
    int chart_h = chart_height(w->dpi), label_w, combo_h, tabs_h;
    static const int buttons[] = {HISTLAYOUT_ID_COPY, HISTLAYOUT_ID_EXPORT, HISTLAYOUT_ID_CLEAR};
    RECT combo_rc;
    GetClientRect(w->wnd, &rc);
    w->arranged.cx = rc.right;
    w->arranged.cy = rc.bottom;
    GetWindowRect(w->filter, &combo_rc);
    combo_h = combo_rc.bottom - combo_rc.top;
    row_h = max(combo_h, scale(w, 23));
    dwp = BeginDeferWindowPos(15);
    y = pad;
    tabs_h = conflictlist_tabs_height(&w->conflicts, w->dpi);
    dwp = DeferWindowPos(dwp, w->conflicts.tabs, NULL, pad, y, max(rc.right - 2 * pad, 0), tabs_h, SWP_NOZORDER);
    y += tabs_h + gap;
    if (w->conflicts.tab == CONFLICTLIST_TAB_CONFLICTS) {
        if (GetWindowLongPtrW(w->banner, GWL_STYLE) & WS_VISIBLE) {
            dwp = DeferWindowPos(dwp, w->banner, NULL, pad, y, max(rc.right - 2 * pad, 0), scale(w, BANNER_H_96),
                                 SWP_NOZORDER);
            y += scale(w, BANNER_H_96) + gap;
        }
        if (w->conflicts.list)
            dwp = DeferWindowPos(dwp, w->conflicts.list, NULL, pad, y, max(rc.right - 2 * pad, 0),
                                 max(rc.bottom - pad - y, 0), SWP_NOZORDER);
        if (dwp)
            EndDeferWindowPos(dwp);
        return;
    }
    dwp = DeferWindowPos(dwp, w->chart, NULL, pad, y, max(rc.right - 2 * pad, 0), chart_h, SWP_NOZORDER);
    y += chart_h + pad;
    x = pad;
    label_w = text_width(w, child(w, HISTLAYOUT_ID_FILTER_LABEL));
    dwp = DeferWindowPos(dwp, child(w, HISTLAYOUT_ID_FILTER_LABEL), NULL, x, y + (row_h - combo_h) / 2 + scale(w, 3),
                         label_w, combo_h, SWP_NOZORDER);
    x += label_w + gap;
    /* A drop-down list's height includes the list it drops. */
    dwp = DeferWindowPos(dwp, w->filter, NULL, x, y, scale(w, COMBO_W_96), scale(w, 200), SWP_NOZORDER);
    x += scale(w, COMBO_W_96) + 3 * gap;
    label_w = text_width(w, child(w, HISTLAYOUT_ID_SEARCH_LABEL));
    dwp = DeferWindowPos(dwp, child(w, HISTLAYOUT_ID_SEARCH_LABEL), NULL, x, y + (row_h - combo_h) / 2 + scale(w, 3),
                         label_w, combo_h, SWP_NOZORDER);
    x += label_w + gap;
    dwp = DeferWindowPos(dwp, w->search, NULL, x, y, max(min(scale(w, SEARCH_W_96), rc.right - pad - x), 0), combo_h,
                         SWP_NOZORDER);
    y += row_h + pad;
    /* Its own style, not IsWindowVisible: the window itself may not be shown yet. */
    if (GetWindowLongPtrW(w->banner, GWL_STYLE) & WS_VISIBLE) {
        /* Two lines: the file, the reason, and what ofnotify does about it. */
        int banner_h = scale(w, BANNER_H_96);
        dwp = DeferWindowPos(dwp, w->banner, NULL, pad, y, max(rc.right - 2 * pad, 0), banner_h, SWP_NOZORDER);
        y += banner_h + gap;
    }
    if (GetWindowLongPtrW(w->offline, GWL_STYLE) & WS_VISIBLE) {
        int line_h = scale(w, OFFLINE_H_96);
        dwp = DeferWindowPos(dwp, w->offline, NULL, pad, y, max(rc.right - 2 * pad, 0), line_h, SWP_NOZORDER);
        y += line_h + gap;
    }
    bottom = rc.bottom - pad - button_h;
    x = rc.right - pad;
    for (int i = (int)ARRAYSIZE(buttons) - 1; i >= 0; i--) {
        HWND b = child(w, buttons[i]);
        int bw = max(scale(w, BUTTON_MIN_W_96), text_width(w, b) + scale(w, 24));
        x -= bw;
        dwp = DeferWindowPos(dwp, b, NULL, x, bottom, bw, button_h, SWP_NOZORDER);
        x -= gap;
    }
    dwp = DeferWindowPos(dwp, w->status, NULL, pad, bottom + (button_h - scale(w, 16)) / 2, max(x - 2 * pad, 0),
                         scale(w, 18), SWP_NOZORDER);
    dwp = DeferWindowPos(dwp, w->list, NULL, pad, y, max(rc.right - 2 * pad, 0), max(bottom - pad - y, 0),
                         SWP_NOZORDER);
    if (dwp)
        EndDeferWindowPos(dwp);
}

size_t histlayout_sync_controls(const historywnd *w, HWND *out, size_t cap)
{
    static const int ids[] = {HISTLAYOUT_ID_CHART, HISTLAYOUT_ID_FILTER_LABEL, HISTLAYOUT_ID_FILTER,
                              HISTLAYOUT_ID_SEARCH_LABEL, HISTLAYOUT_ID_SEARCH, HISTLAYOUT_ID_LIST,
                              HISTLAYOUT_ID_STATUS, HISTLAYOUT_ID_COPY, HISTLAYOUT_ID_EXPORT, HISTLAYOUT_ID_CLEAR};
    size_t n = 0;
    for (size_t i = 0; i < ARRAYSIZE(ids) && n < cap; i++)
        out[n++] = child(w, ids[i]);
    return n;
}

void histlayout_min_size(const historywnd *w, MINMAXINFO *mm)
{
    UINT dpi = w->dpi ? w->dpi : 96;
    mm->ptMinTrackSize.x = MulDiv(MIN_W_96, (int)dpi, 96);
    mm->ptMinTrackSize.y = MulDiv(MIN_H_96, (int)dpi, 96);
}

void histlayout_dpi_changed(historywnd *w, UINT dpi, const RECT *suggested)
{
    UINT old = w->dpi;
    w->dpi = dpi ? dpi : 96;
    update_font(w);
    update_icons(w);
    for (int col = 0; col < HIST_COL_COUNT; col++)
        ListView_SetColumnWidth(w->list, col, MulDiv(ListView_GetColumnWidth(w->list, col), (int)w->dpi, (int)old));
    SetWindowPos(w->wnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    histlayout_arrange(w);
}

void histlayout_show(historywnd *w)
{
    WINDOWPLACEMENT wp;
    UINT show = SW_SHOWNORMAL;
    /* Placed while still hidden: the controls are arranged for its size before anything is drawn,
     * and showing it moves nothing (moving a shown window's controls redraws them). */
    if (winplace_load(WINPLACE_HISTORY_KEY, &wp)) {
        show = wp.showCmd;
        wp.showCmd = SW_HIDE;
        SetWindowPlacement(w->wnd, &wp);
    }
    ShowWindow(w->wnd, show);
}

void histlayout_save(historywnd *w)
{
    int widths[HIST_COL_COUNT], order[HIST_COL_COUNT];
    winplace_save(WINPLACE_HISTORY_KEY, w->wnd);
    for (int col = 0; col < HIST_COL_COUNT; col++)
        widths[col] = ListView_GetColumnWidth(w->list, col);
    if (ListView_GetColumnOrderArray(w->list, HIST_COL_COUNT, order))
        winplace_save_columns(WINPLACE_HISTORY_KEY, HIST_COL_COUNT, w->dpi, widths, order);
}
