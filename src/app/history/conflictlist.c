/* ofnotify: the history window's tabs and its list of open conflicts. See
 * conflictlist.h. */
#include "conflictlist.h"

#include <stdio.h>
#include <wchar.h>

#include <commctrl.h>

#include "../wallclock.h"
#include "../winutil.h"
#include "resource.h"

#define COL_FILE_W_96 360
#define COL_TIME_W_96 140
#define COL_STATE_W_96 380

static HWND make(HWND parent, const WCHAR *cls, DWORD style, DWORD ex_style, int id)
{
    return CreateWindowExW(ex_style, cls, L"", WS_CHILD | style, 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id,
                           (HINSTANCE)GetWindowLongPtrW(parent, GWLP_HINSTANCE), NULL);
}

static void set_tab_text(conflictlist *c, int index, const WCHAR *text)
{
    TCITEMW item = {.mask = TCIF_TEXT, .pszText = (WCHAR *)text};
    if (TabCtrl_GetItemCount(c->tabs) > index)
        TabCtrl_SetItem(c->tabs, index, &item);
    else
        TabCtrl_InsertItem(c->tabs, index, &item);
}

BOOL conflictlist_create_tabs(conflictlist *c, HWND parent, int tabs_id, int list_id)
{
    WCHAR text[64];
    c->tab = CONFLICTLIST_TAB_SYNCS;
    c->list_id = list_id;
    /* Not a tab stop: Ctrl+Tab switches tabs from anywhere in the window. */
    c->tabs = make(parent, WC_TABCONTROLW, WS_VISIBLE | WS_CLIPSIBLINGS, 0, tabs_id);
    if (!c->tabs)
        return FALSE;
    winutil_load_string(IDS_CONFLICTS_TAB_SYNCS, text, ARRAYSIZE(text));
    set_tab_text(c, CONFLICTLIST_TAB_SYNCS, text);
    winutil_load_message(IDS_CONFLICTS_TAB, text, ARRAYSIZE(text), 0u);
    set_tab_text(c, CONFLICTLIST_TAB_CONFLICTS, text);
    return TRUE;
}

static BOOL add_columns(HWND list, UINT dpi)
{
    static const UINT titles[] = {IDS_CONFLICTS_COL_FILE, IDS_CONFLICTS_COL_TIME, IDS_CONFLICTS_COL_STATE};
    static const int widths[] = {COL_FILE_W_96, COL_TIME_W_96, COL_STATE_W_96};
    for (int col = 0; col < (int)ARRAYSIZE(titles); col++) {
        WCHAR title[64];
        LVCOLUMNW lc = {.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM, .cx = MulDiv(widths[col], (int)dpi, 96),
                        .pszText = title, .iSubItem = col};
        winutil_load_string(titles[col], title, ARRAYSIZE(title));
        if (ListView_InsertColumn(list, col, &lc) != col)
            return FALSE;
    }
    return TRUE;
}

/* The list, hidden, with the strip's font and its columns at the window's DPI. */
static HWND create_list(const conflictlist *c)
{
    const DWORD ex = LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_INFOTIP | LVS_EX_LABELTIP;
    HWND parent = GetParent(c->tabs);
    UINT dpi = GetDpiForWindow(parent);
    HWND list = make(parent, WC_LISTVIEWW, WS_TABSTOP | LVS_REPORT | LVS_SHOWSELALWAYS, WS_EX_CLIENTEDGE, c->list_id);
    if (!list)
        return NULL;
    ListView_SetExtendedListViewStyleEx(list, ex, ex);
    SendMessageW(list, WM_SETFONT, (WPARAM)SendMessageW(c->tabs, WM_GETFONT, 0, 0), FALSE);
    if (!add_columns(list, dpi ? dpi : 96)) {
        DestroyWindow(list);
        return NULL;
    }
    return list;
}

static void state_text(uint32_t state, WCHAR *buf, size_t cap)
{
    of_conflict_local local;
    of_conflict_remote remote;
    WCHAR l[96] = L"", r[96] = L"";
    of_conflict_state_sides(state, &local, &remote);
    if (local != OF_CL_NONE)
        winutil_load_string(IDS_CONFLICT_LOCAL_BASE + (UINT)local, l, ARRAYSIZE(l));
    if (remote != OF_CR_NONE)
        winutil_load_string(IDS_CONFLICT_REMOTE_BASE + (UINT)remote, r, ARRAYSIZE(r));
    if (l[0] && r[0])
        winutil_load_message(IDS_CONFLICT_STATE_JOIN, buf, cap, l, r);
    else if (l[0] || r[0])
        lstrcpynW(buf, l[0] ? l : r, (int)cap);
    else if (state == 0)
        winutil_load_string(IDS_CONFLICT_STATE_SYNCED, buf, cap);
    else
        _snwprintf(buf, cap, L"%lu", (unsigned long)state); /* a state newer than this table */
    buf[cap - 1] = 0;
}

void conflictlist_cell(const of_conflict *conf, int col, WCHAR *buf, size_t cap)
{
    SYSTEMTIME st;
    WCHAR date[64], time[32];
    buf[0] = 0;
    if (col == 0) {
        winutil_utf8_to_wide(conf->path, buf, cap);
    } else if (col == 1) {
        if (wallclock_to_local(conf->time_ms, &st) &&
            GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, DATE_SHORTDATE, &st, NULL, date, ARRAYSIZE(date), NULL) &&
            GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, time, ARRAYSIZE(time)))
            _snwprintf(buf, cap, L"%ls %ls", date, time);
        buf[cap - 1] = 0;
    } else {
        state_text(conf->state, buf, cap);
    }
}

static void fill_rows(const conflictlist *c)
{
    WCHAR text[OF_CONFLICT_PATH_MAX + 1];
    size_t n = of_conflicts_count(c->set);
    SendMessageW(c->list, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(c->list);
    /* The newest first, as the syncs are listed. */
    for (size_t i = 0; i < n; i++) {
        const of_conflict *conf = of_conflicts_get(c->set, n - 1 - i);
        LVITEMW item = {.mask = LVIF_TEXT, .iItem = (int)i, .pszText = text};
        conflictlist_cell(conf, 0, text, ARRAYSIZE(text));
        if (ListView_InsertItem(c->list, &item) < 0)
            break;
        for (int col = 1; col < 3; col++) {
            conflictlist_cell(conf, col, text, ARRAYSIZE(text));
            ListView_SetItemText(c->list, (int)i, col, text);
        }
    }
    SendMessageW(c->list, WM_SETREDRAW, TRUE, 0);
}

void conflictlist_fill(conflictlist *c, const of_conflicts *set)
{
    WCHAR text[64];
    c->set = set;
    if (c->list)
        fill_rows(c);
    winutil_load_message(IDS_CONFLICTS_TAB, text, ARRAYSIZE(text), (unsigned)of_conflicts_count(set));
    set_tab_text(c, CONFLICTLIST_TAB_CONFLICTS, text);
}

int conflictlist_tabs_height(const conflictlist *c, UINT dpi)
{
    RECT rc = {0, 0, 400, 0};
    TabCtrl_AdjustRect(c->tabs, TRUE, &rc);
    /* The strip only: what AdjustRect adds above an empty display area. */
    return max(-rc.top, MulDiv(24, (int)dpi, 96));
}

void conflictlist_show(conflictlist *c, conflictlist_tab tab, const HWND *sync_controls, size_t n)
{
    BOOL conflicts = tab == CONFLICTLIST_TAB_CONFLICTS;
    if (conflicts && !c->list && (c->list = create_list(c)) != NULL)
        fill_rows(c);
    c->tab = tab;
    if (TabCtrl_GetCurSel(c->tabs) != (int)tab)
        TabCtrl_SetCurSel(c->tabs, (int)tab);
    for (size_t i = 0; i < n; i++)
        ShowWindow(sync_controls[i], conflicts ? SW_HIDE : SW_SHOWNA);
    ShowWindow(c->list, conflicts ? SW_SHOWNA : SW_HIDE);
}
