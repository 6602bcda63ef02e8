/* ofnotify: the history window. See historywnd.h. */
#include "historywnd_private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../messages.h"
#include "../winutil.h"
#include "chart.h"
#include "histcols.h"
#include "histlayout.h"
#include "histsearch.h"
#include "ofnotify/syncflags.h"
#include "resource.h"

#define CLASS_NAME L"ofnotify.HistoryWindow"
/* On the app's window: its history window, so the app needs no handle of it. */
#define APP_PROP L"ofnotify.HistoryWindow"

/* Typing pauses this long before the search runs. */
#define SEARCH_DEBOUNCE_MS 250

/* The directions the filter offers, after "All directions". */
static const of_direction filter_dirs[] = {OF_DIR_TWO_WAY, OF_DIR_TO_SERVER, OF_DIR_FROM_SERVER, OF_DIR_FILL_SPARSE,
                                           OF_DIR_UNSPECIFIED};
/* Then who started the passes, and their labels. */
static const struct {
    of_origin origin;
    UINT label;
} filter_origins[] = {{OF_ORIGIN_SYNC_NOW, IDS_HIST_FILTER_SYNC_NOW}, {OF_ORIGIN_BACKGROUND, IDS_HIST_FILTER_BACKGROUND}};

historywnd *historywnd_state(HWND wnd)
{
    WCHAR name[64];
    if (!wnd || !GetClassNameW(wnd, name, ARRAYSIZE(name)) || wcscmp(name, CLASS_NAME) != 0)
        return NULL;
    return (historywnd *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
}

/* The history window the app opened, if it is open. */
static historywnd *of_app(HWND app)
{
    return app ? historywnd_state((HWND)GetPropW(app, APP_PROP)) : NULL;
}

/* ---- the list view over the view model ---- */

/* Only the columns whose arrow changes are set: each change redraws the header and tells the list. */
static void show_sort_arrow(const historywnd *w)
{
    HWND header = ListView_GetHeader(w->list);
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        HDITEMW item = {.mask = HDI_FORMAT};
        int fmt;
        if (!Header_GetItem(header, col, &item))
            continue;
        fmt = item.fmt & ~(HDF_SORTUP | HDF_SORTDOWN);
        if (col == w->view.sort_col)
            fmt |= w->view.ascending ? HDF_SORTUP : HDF_SORTDOWN;
        if (fmt != item.fmt) {
            item.fmt = fmt;
            Header_SetItem(header, col, &item);
        }
    }
}

/* Tells the list view the row count, dropping every selection and the
 * focus. Clearing them with LVM_SETITEMSTATE on "all rows" makes Wine's
 * list view visit (and notify about) every row: seconds for a million. An
 * empty list first drops them in one step, on Windows too. */
static void set_count_unselected(historywnd *w, DWORD flags)
{
    ListView_SetItemCountEx(w->list, 0, LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    ListView_SetItemCountEx(w->list, (int)min(w->view.count, (size_t)INT_MAX), flags);
}

/* "12 of 1,000,000 syncs", or "1,000,000 syncs" when nothing is filtered. */
static void update_status(historywnd *w)
{
    WCHAR shown[32], all[32], text[128];
    winutil_format_count(w->view.count, shown, ARRAYSIZE(shown));
    winutil_format_count(w->view.total, all, ARRAYSIZE(all));
    if (histview_filtered(&w->view))
        winutil_load_message(IDS_HIST_COUNT_SOME, text, ARRAYSIZE(text), shown, all);
    else if (w->view.total == 1)
        winutil_load_message(IDS_HIST_COUNT_ONE, text, ARRAYSIZE(text));
    else
        winutil_load_message(IDS_HIST_COUNT_ALL, text, ARRAYSIZE(text), all);
    SetWindowTextW(w->status, text);
    EnableWindow(w->clear, w->view.total > 0);
}

/* The whole view shown again; selection is cleared. */
static void show_view(historywnd *w)
{
    show_sort_arrow(w);
    /* Owner data: the count is all the list view keeps, whatever the size. */
    set_count_unselected(w, LVSICF_NOINVALIDATEALL);
    InvalidateRect(w->list, NULL, FALSE);
    update_status(w);
}

/* The view again from the history: filter, then sort. */
static void reload(historywnd *w)
{
    histview_load(&w->view, w->view.hist);
    show_view(w);
}

/* Selects, focuses and shows one row. */
static void select_row(historywnd *w, int row)
{
    set_count_unselected(w, LVSICF_NOINVALIDATEALL);
    ListView_SetItemState(w->list, row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(w->list, row, FALSE);
}

/* reload(), keeping the focused record selected and in view if it stays. */
static void reload_keeping_focus(historywnd *w)
{
    int focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
    size_t focus_index = focus >= 0 && (size_t)focus < w->view.count ? histview_row_index(&w->view, (size_t)focus)
                                                                     : SIZE_MAX;
    reload(w);
    if (focus_index != SIZE_MAX) {
        long long row = histview_index_row(&w->view, focus_index);
        if (row >= 0)
            select_row(w, (int)row);
    }
}

size_t *historywnd_selected_rows(const historywnd *w, size_t *n)
{
    size_t want = (size_t)ListView_GetSelectedCount(w->list), got = 0;
    size_t *rows;
    int i = -1;
    *n = 0;
    if (!want)
        return NULL;
    rows = malloc(want * sizeof(*rows));
    if (!rows)
        return NULL;
    while (got < want && (i = ListView_GetNextItem(w->list, i, LVNI_SELECTED)) >= 0)
        rows[got++] = (size_t)i;
    *n = got;
    return rows;
}

/* New records in the history: the list grows in place, the selection, the
 * focus and (scrolled away from the top) the records in view stay. */
static void grow(historywnd *w, size_t new_total)
{
    histview *v = &w->view;
    size_t old_total = v->total, old_rows = v->count, n_sel = 0, keep[2];
    size_t *sel;
    int focus, top;
    switch (histview_grow(v, new_total)) {
    case HISTVIEW_RELOADED:
        show_view(w);
        return;
    case HISTVIEW_SAME_ROWS:
        update_status(w); /* the total grew; no row changed */
        return;
    case HISTVIEW_GREW:
        break;
    }
    if (histview_grew_at_end(v, old_rows)) {
        /* Only rows after the old ones: the selection, the focus and the
         * scroll position stay as they are, and only the new rows are drawn. */
        ListView_SetItemCountEx(w->list, (int)min(v->count, (size_t)INT_MAX), LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
        update_status(w);
        return;
    }
    sel = historywnd_selected_rows(w, &n_sel);
    focus = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
    top = ListView_GetTopIndex(w->list);
    /* The old rows moved: the selection is moved by hand, row by row (to
     * deselect "all" visits every row), rather than through a count of 0,
     * which would take the scroll bar away and bring it back. */
    for (size_t i = 0; i < n_sel; i++)
        ListView_SetItemState(w->list, (int)sel[i], 0, LVIS_SELECTED);
    if (sel)
        histview_map_rows(v, old_rows, old_total, sel, n_sel);
    keep[0] = focus >= 0 ? (size_t)focus : 0;
    histview_map_rows(v, old_rows, old_total, &keep[0], 1);
    keep[1] = (size_t)(top > 0 ? top : 0);
    histview_map_rows(v, old_rows, old_total, &keep[1], 1);

    ListView_SetItemCountEx(w->list, (int)min(v->count, (size_t)INT_MAX), LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    for (size_t i = 0; i < n_sel; i++)
        ListView_SetItemState(w->list, (int)sel[i], LVIS_SELECTED, LVIS_SELECTED);
    if (focus >= 0)
        ListView_SetItemState(w->list, (int)keep[0], LVIS_FOCUSED, LVIS_FOCUSED);
    /* At the top, new rows come into view; scrolled away, the same records stay. */
    if (top > 0) {
        RECT rc;
        int now = ListView_GetTopIndex(w->list);
        if (ListView_GetItemRect(w->list, now, &rc, LVIR_BOUNDS))
            ListView_Scroll(w->list, 0, ((int)keep[1] - now) * (rc.bottom - rc.top));
    }
    InvalidateRect(w->list, NULL, FALSE);
    update_status(w);
    free(sel);
}

/* ---- filter and search ---- */

static void read_filter(historywnd *w)
{
    WCHAR text[HISTSEARCH_MAX + 1];
    int sel = (int)SendMessageW(w->filter, CB_GETCURSEL, 0, 0);
    size_t k = sel > 0 ? (size_t)sel - 1 : SIZE_MAX, o = k - ARRAYSIZE(filter_dirs);
    GetWindowTextW(w->search, text, ARRAYSIZE(text));
    histview_set_filter(&w->view, k < ARRAYSIZE(filter_dirs) ? (int)filter_dirs[k] : HISTVIEW_ALL_DIRECTIONS, text);
    histview_set_origin(&w->view, k >= ARRAYSIZE(filter_dirs) && o < ARRAYSIZE(filter_origins)
                                      ? (int)filter_origins[o].origin
                                      : HISTVIEW_ALL_ORIGINS);
}

static void apply_filter(historywnd *w)
{
    KillTimer(w->wnd, HISTWND_TIMER_SEARCH);
    read_filter(w);
    reload_keeping_focus(w);
}

/* Both back to "everything". */
static void clear_filter(historywnd *w)
{
    SendMessageW(w->filter, CB_SETCURSEL, 0, 0);
    SetWindowTextW(w->search, L"");
    apply_filter(w);
}

/* ---- messages ---- */

static BOOL on_create(historywnd *w)
{
    WCHAR text[64];
    w->dpi = GetDpiForWindow(w->wnd);
    if (!w->dpi)
        w->dpi = 96;
    tzcache_init(&w->tz, NULL);
    if (!histview_init(&w->view, &w->tz) || !histlayout_create_controls(w))
        return FALSE;
    winutil_load_string(IDS_HIST_FILTER_ALL, text, ARRAYSIZE(text));
    SendMessageW(w->filter, CB_ADDSTRING, 0, (LPARAM)text);
    for (size_t i = 0; i < ARRAYSIZE(filter_dirs); i++) {
        histcols_direction_label(filter_dirs[i], text, ARRAYSIZE(text));
        SendMessageW(w->filter, CB_ADDSTRING, 0, (LPARAM)text);
    }
    for (size_t i = 0; i < ARRAYSIZE(filter_origins); i++) {
        winutil_load_string(filter_origins[i].label, text, ARRAYSIZE(text));
        SendMessageW(w->filter, CB_ADDSTRING, 0, (LPARAM)text);
    }
    SendMessageW(w->filter, CB_SETCURSEL, 0, 0);
    winutil_load_string(IDS_HIST_SEARCH_CUE, text, ARRAYSIZE(text));
    SendMessageW(w->search, EM_SETCUEBANNER, TRUE, (LPARAM)text);
    SendMessageW(w->search, EM_LIMITTEXT, HISTSEARCH_MAX, 0);
    return histlayout_fit(w);
}

static void on_get_dispinfo(historywnd *w, NMLVDISPINFOW *di)
{
    const of_record *r;
    if (di->item.iItem < 0 || di->item.iSubItem < 0 || di->item.iSubItem >= HIST_COL_COUNT)
        return;
    r = histview_row_record(&w->view, (size_t)di->item.iItem);
    if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0) {
        di->item.pszText[0] = 0;
        if (r)
            histcols_text(&w->tz, r, di->item.iSubItem, di->item.pszText, (size_t)di->item.cchTextMax);
    }
    if (di->item.mask & LVIF_IMAGE) {
        di->item.iImage = I_IMAGENONE;
        if (r && hist_columns[di->item.iSubItem].direction_icon)
            di->item.iImage = w->dir_image[of_syncflags_direction(r->flags)];
    }
}

/* The sort the column table gives the column; the focused record stays
 * focused and in view. */
static void on_column_click(historywnd *w, int col)
{
    if (col < 0 || col >= HIST_COL_COUNT)
        return;
    histview_sort_by(&w->view, col);
    reload_keeping_focus(w);
}

static void focus_search(historywnd *w)
{
    SetFocus(w->search);
    SendMessageW(w->search, EM_SETSEL, 0, -1);
}

/* Keys that work wherever the focus is in the window. */
static void show_tab(historywnd *w, conflictlist_tab tab)
{
    HWND sync_controls[16];
    size_t n = histlayout_sync_controls(w, sync_controls, ARRAYSIZE(sync_controls));
    conflictlist_show(&w->conflicts, tab, sync_controls, n);
    histlayout_arrange(w);
    SetFocus(tab == CONFLICTLIST_TAB_CONFLICTS ? w->conflicts.list : w->list);
}

static BOOL on_window_key(historywnd *w, UINT vk)
{
    BOOL ctrl = GetKeyState(VK_CONTROL) < 0, alt = GetKeyState(VK_MENU) < 0;
    if (alt)
        return FALSE;
    if (vk == VK_F5 && !ctrl) {
        reload_keeping_focus(w);
        chart_records_changed(w->chart);
    } else if (ctrl && vk == 'F') {
        focus_search(w);
    } else if (ctrl && vk == 'S') {
        historywnd_export(w->wnd);
    } else if (ctrl && vk == VK_TAB) {
        show_tab(w, w->conflicts.tab == CONFLICTLIST_TAB_SYNCS ? CONFLICTLIST_TAB_CONFLICTS : CONFLICTLIST_TAB_SYNCS);
    } else {
        return FALSE;
    }
    return TRUE;
}

/* Keys of the list: Esc closes, Ctrl+C copies, Ctrl+A selects all. */
static BOOL on_list_key(historywnd *w, UINT vk)
{
    BOOL ctrl = GetKeyState(VK_CONTROL) < 0;
    if (vk == VK_ESCAPE) {
        DestroyWindow(w->wnd);
    } else if (ctrl && vk == 'C') {
        if (!historywnd_copy(w->wnd))
            MessageBeep(MB_OK);
    } else if (ctrl && vk == 'A') {
        ListView_SetItemState(w->list, -1, LVIS_SELECTED, LVIS_SELECTED);
    } else {
        return on_window_key(w, vk);
    }
    return TRUE;
}

/* A row's tooltip: the raw flag value behind the decoded Details, for the
 * people who compare it with Microsoft's documentation. */
static void on_info_tip(historywnd *w, NMLVGETINFOTIPW *tip)
{
    const of_record *r;
    char names[OF_SYNCFLAGS_TEXT_MAX + 1];
    WCHAR hex[16], wide[OF_SYNCFLAGS_TEXT_MAX + 1];
    if (tip->iItem < 0 || !tip->pszText || tip->cchTextMax <= 0)
        return;
    r = histview_row_record(&w->view, (size_t)tip->iItem);
    if (!r)
        return;
    _snwprintf(hex, ARRAYSIZE(hex), L"0x%08lX", (unsigned long)r->flags);
    of_syncflags_describe(r->flags, names, sizeof(names));
    winutil_utf8_to_wide(names, wide, ARRAYSIZE(wide));
    /* Replace what the list view offers (the cut-off label), not append to it. */
    winutil_load_message(IDS_HIST_FLAGS_TIP, tip->pszText, (size_t)tip->cchTextMax, hex, wide);
}

static LRESULT on_notify(historywnd *w, NMHDR *hdr)
{
    if (hdr->hwndFrom == w->conflicts.tabs && hdr->code == TCN_SELCHANGE) {
        show_tab(w, (conflictlist_tab)TabCtrl_GetCurSel(w->conflicts.tabs));
        return 0;
    }
    if (hdr->hwndFrom != w->list)
        return 0;
    switch (hdr->code) {
    case LVN_GETDISPINFOW:
        on_get_dispinfo(w, (NMLVDISPINFOW *)hdr);
        return 0;
    case LVN_COLUMNCLICK:
        on_column_click(w, ((NMLISTVIEW *)hdr)->iSubItem);
        return 0;
    case LVN_KEYDOWN:
        on_list_key(w, ((NMLVKEYDOWN *)hdr)->wVKey);
        return 0;
    case LVN_GETINFOTIPW:
        on_info_tip(w, (NMLVGETINFOTIPW *)hdr);
        return 0;
    case LVN_ODFINDITEMW:
        return -1; /* no type-to-find in a list of dates */
    }
    return 0;
}

static void on_command(historywnd *w, int id, int code)
{
    switch (id) {
    case HISTLAYOUT_ID_FILTER:
        if (code == CBN_SELCHANGE)
            apply_filter(w);
        break;
    case HISTLAYOUT_ID_SEARCH:
        if (code == EN_CHANGE)
            SetTimer(w->wnd, HISTWND_TIMER_SEARCH, SEARCH_DEBOUNCE_MS, NULL);
        break;
    case HISTLAYOUT_ID_COPY:
        if (!historywnd_copy(w->wnd))
            MessageBeep(MB_OK);
        break;
    case HISTLAYOUT_ID_EXPORT:
        historywnd_export(w->wnd);
        break;
    case HISTLAYOUT_ID_CLEAR:
        historywnd_clear(w->wnd);
        break;
    case IDCANCEL: /* Esc, through the dialog keys */
        DestroyWindow(w->wnd);
        break;
    }
}

/* What DefDlgProc does for IsDialogMessage (mnemonics send this): focus the
 * control wp (lp != 0) or the next or previous tab stop, with an edit's
 * text selected as a dialog would. */
static void on_next_control(historywnd *w, WPARAM wp, LPARAM lp)
{
    HWND target = LOWORD(lp) ? (HWND)wp : GetNextDlgTabItem(w->wnd, GetFocus(), wp != 0);
    if (!target || (target != w->wnd && !IsChild(w->wnd, target)))
        return;
    SetFocus(target);
    if (SendMessageW(target, WM_GETDLGCODE, 0, 0) & DLGC_HASSETSEL)
        SendMessageW(target, EM_SETSEL, 0, -1);
}

/* Like a dialog: the control that had the focus gets it back. */
static void on_activate(historywnd *w, BOOL active)
{
    if (!active) {
        HWND focus = GetFocus();
        if (focus && IsChild(w->wnd, focus))
            w->last_focus = focus;
    } else {
        SetFocus(w->last_focus && IsWindow(w->last_focus) ? w->last_focus : w->list);
    }
}

/* The clock, the time zone or the locale changed: every time text may have. */
static void on_time_change(historywnd *w)
{
    tzcache_reset(&w->tz);
    read_filter(w); /* resets the search caches too */
    reload_keeping_focus(w);
    chart_set_history(w->chart, w->view.hist);
}

static void on_setting_change(historywnd *w, WPARAM wp, const WCHAR *area)
{
    /* The locale (date and number formats) arrives as "intl". */
    if (area && !lstrcmpiW(area, L"intl"))
        on_time_change(w);
    else if (wp == SPI_SETHIGHCONTRAST)
        InvalidateRect(w->chart, NULL, FALSE);
}

static void on_destroy(historywnd *w)
{
    histexport_abort(w);
    /* Not for a window whose creation failed: it was never seen. */
    if (w->shown)
        histlayout_save(w);
    if (w->app && GetPropW(w->app, APP_PROP) == w->wnd)
        RemovePropW(w->app, APP_PROP);
    if (w->hook)
        UnhookWindowsHookEx(w->hook);
    w->hook = NULL;
    KillTimer(w->wnd, HISTWND_TIMER_SEARCH);
    histview_free(&w->view);
}

static LRESULT CALLBACK historywnd_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    historywnd *w = winutil_window_state(wnd, msg, lp);
    if (!w)
        return DefWindowProcW(wnd, msg, wp, lp);
    if (msg == WM_NCCREATE)
        w->wnd = wnd;
    switch (msg) {
    case WM_CREATE:
        return on_create(w) ? 0 : -1;
    case WM_SIZE:
        if (w->list)
            histlayout_resized(w);
        return 0;
    case WM_GETMINMAXINFO:
        histlayout_min_size(w, (MINMAXINFO *)lp);
        return 0;
    case WM_ACTIVATE:
        on_activate(w, LOWORD(wp) != WA_INACTIVE);
        return 0;
    case WM_SETFOCUS:
        SetFocus(w->last_focus && IsWindow(w->last_focus) ? w->last_focus : w->list);
        return 0;
    case WM_NEXTDLGCTL:
        on_next_control(w, wp, lp);
        return 0;
    case WM_NOTIFY:
        return on_notify(w, (NMHDR *)lp);
    case WM_COMMAND:
        on_command(w, LOWORD(wp), HIWORD(wp));
        return 0;
    case WM_TIMER:
        if (wp == HISTWND_TIMER_SEARCH)
            apply_filter(w);
        return 0;
    case WM_HISTWND_EXPORT_DONE:
        histexport_done(w, (histexport *)lp);
        return 0;
    case WM_KEYDOWN:
        if (on_window_key(w, (UINT)wp))
            return 0;
        break;
    case WM_CTLCOLORSTATIC:
        /* Labels on the window's own background, not the dialog grey. */
        SetBkColor((HDC)wp, GetSysColor(COLOR_WINDOW));
        SetTextColor((HDC)wp, GetSysColor(COLOR_WINDOWTEXT));
        return (LRESULT)GetSysColorBrush(COLOR_WINDOW);
    case WM_TIMECHANGE:
        on_time_change(w);
        return 0;
    case WM_SETTINGCHANGE:
        on_setting_change(w, wp, (const WCHAR *)lp);
        return 0;
    case WM_SYSCOLORCHANGE:
        /* Only top-level windows hear of it; the controls must be told. */
        SendMessageW(w->list, WM_SYSCOLORCHANGE, 0, 0);
        SendMessageW(w->chart, WM_SYSCOLORCHANGE, 0, 0);
        InvalidateRect(wnd, NULL, TRUE);
        return 0;
    case WM_DPICHANGED:
        histlayout_dpi_changed(w, LOWORD(wp), (const RECT *)lp);
        return 0;
    case WM_DESTROY:
        on_destroy(w);
        return 0;
    case WM_NCDESTROY:
        SetWindowLongPtrW(wnd, GWLP_USERDATA, 0);
        if (w->created)
            free(w);
        return DefWindowProcW(wnd, msg, wp, lp);
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

/* The app's message loop knows nothing of this window, so its dialog keys
 * (Tab, Alt+letter, Esc) and window-wide shortcuts are taken from the
 * thread's message queue here, the way a modeless dialog's loop would. */
static LRESULT CALLBACK key_hook(int code, WPARAM wp, LPARAM lp)
{
    MSG *msg = (MSG *)lp;
    historywnd *w;
    if (code == HC_ACTION && wp == PM_REMOVE && msg->message >= WM_KEYFIRST && msg->message <= WM_KEYLAST &&
        (w = historywnd_state(GetAncestor(msg->hwnd, GA_ROOT))) != NULL) {
        /* A dropped-down filter list keeps its keys (Esc closes the list). */
        BOOL dropped = SendMessageW(w->filter, CB_GETDROPPEDSTATE, 0, 0) != 0;
        if (!dropped && msg->message == WM_KEYDOWN && on_window_key(w, (UINT)msg->wParam))
            msg->message = WM_NULL;
        else if (!dropped && IsDialogMessageW(w->wnd, msg))
            msg->message = WM_NULL; /* handled: the loop dispatches nothing */
    }
    return CallNextHookEx(NULL, code, wp, lp);
}

static BOOL register_class(HINSTANCE inst)
{
    WNDCLASSEXW wc;
    if (GetClassInfoExW(inst, CLASS_NAME, &wc))
        return TRUE;
    wc = (WNDCLASSEXW){
        .cbSize = sizeof(wc),
        .lpfnWndProc = historywnd_proc,
        .hInstance = inst,
        .hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP)),
        .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW),
        .hbrBackground = (HBRUSH)(COLOR_WINDOW + 1),
        .lpszClassName = CLASS_NAME,
    };
    return RegisterClassExW(&wc) != 0;
}

/* ---- the app's side ---- */

static void records_changed(historywnd *w)
{
    size_t n = w->view.hist ? of_history_count(w->view.hist) : 0;
    if (n < w->view.total)
        reload(w);
    else if (n > w->view.total)
        grow(w, n);
    else
        InvalidateRect(w->list, NULL, FALSE);
    chart_records_changed(w->chart);
}

/* The open conflicts the app keeps, for a window opened later (one app per process). */
static const of_conflicts *shown_conflicts;

/* The banner's text, kept for a window opened later (one app per process). */
static WCHAR banner_text[1024];

static void show_banner(historywnd *w)
{
    BOOL show = banner_text[0] != 0;
    BOOL shown = (GetWindowLongPtrW(w->banner, GWL_STYLE) & WS_VISIBLE) != 0;
    SetWindowTextW(w->banner, banner_text);
    if (show != shown) {
        ShowWindow(w->banner, show ? SW_SHOWNA : SW_HIDE);
        histlayout_arrange(w);
    }
}

/* Working offline, kept like the banner. */
static WCHAR offline_text[1280];
static chart_period offline_periods[CHART_MAX_PERIODS];
static size_t offline_count;

static void show_offline(historywnd *w)
{
    BOOL show = offline_text[0] != 0;
    BOOL shown = (GetWindowLongPtrW(w->offline, GWL_STYLE) & WS_VISIBLE) != 0;
    SetWindowTextW(w->offline, offline_text);
    chart_set_offline(w->chart, offline_periods, offline_count);
    if (show != shown) {
        ShowWindow(w->offline, show ? SW_SHOWNA : SW_HIDE);
        histlayout_arrange(w);
    }
}

HWND historywnd_open(HINSTANCE inst, HWND app, const of_history *h)
{
    const INITCOMMONCONTROLSEX icc = {.dwSize = sizeof(icc),
                                      .dwICC = ICC_LISTVIEW_CLASSES | ICC_STANDARD_CLASSES | ICC_TAB_CLASSES};
    historywnd *w = of_app(app);
    WCHAR title[128];
    UINT dpi;
    HWND wnd;
    if (w) {
        if (h != w->view.hist)
            historywnd_set_history(app, h);
        if (IsIconic(w->wnd))
            ShowWindow(w->wnd, SW_RESTORE);
        SetForegroundWindow(w->wnd);
        return w->wnd;
    }
    InitCommonControlsEx(&icc);
    if (!register_class(inst))
        return NULL;
    w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->app = app;
    dpi = GetDpiForSystem();
    winutil_load_string(IDS_HIST_TITLE, title, ARRAYSIZE(title));
    /* WS_EX_CONTROLPARENT: Tab walks the controls as in a dialog. */
    wnd = CreateWindowExW(WS_EX_CONTROLPARENT, CLASS_NAME, title, WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN,
                          CW_USEDEFAULT, CW_USEDEFAULT, histlayout_window_width(dpi), histlayout_window_height(dpi),
                          NULL, NULL, inst, w);
    if (!wnd) {
        free(w);
        return NULL;
    }
    w->created = TRUE; /* from now on the window frees w, at WM_NCDESTROY */
    if (app)
        SetPropW(app, APP_PROP, wnd);
    w->hook = SetWindowsHookExW(WH_GETMESSAGE, key_hook, NULL, GetCurrentThreadId());
    histview_load(&w->view, h);
    show_view(w);
    chart_set_history(w->chart, h);
    show_banner(w);
    show_offline(w);
    conflictlist_fill(&w->conflicts, shown_conflicts);
    histlayout_show(w);
    w->shown = TRUE;
    SetFocus(w->list);
    UpdateWindow(w->wnd);
    SetForegroundWindow(w->wnd);
    return w->wnd;
}

HWND historywnd_open_at(HINSTANCE inst, HWND app, const of_history *h, uint64_t seq)
{
    HWND wnd = historywnd_open(inst, app, h);
    historywnd *w = historywnd_state(wnd);
    size_t index;
    long long row;
    if (!w)
        return NULL;
    index = histview_find_seq(w->view.hist, seq);
    if (index == SIZE_MAX)
        return wnd;
    if (index >= w->view.total) /* appended but not announced yet */
        records_changed(w);
    row = histview_index_row(&w->view, index);
    if (row < 0) {
        clear_filter(w);
        row = histview_index_row(&w->view, index);
    }
    if (row >= 0) {
        select_row(w, (int)row);
        SetFocus(w->list);
    }
    return wnd;
}

void historywnd_records_changed(HWND app)
{
    historywnd *w = of_app(app);
    if (w)
        records_changed(w);
}

void historywnd_set_history(HWND app, const of_history *h)
{
    historywnd *w = of_app(app);
    if (!w)
        return;
    histview_load(&w->view, h);
    show_view(w);
    chart_set_history(w->chart, h);
}

void historywnd_set_banner(HWND app, const WCHAR *text)
{
    historywnd *w = of_app(app);
    lstrcpynW(banner_text, text ? text : L"", ARRAYSIZE(banner_text));
    if (w)
        show_banner(w);
}

void historywnd_set_offline(HWND app, const WCHAR *line, const chart_period *periods, size_t count)
{
    historywnd *w = of_app(app);
    lstrcpynW(offline_text, line ? line : L"", ARRAYSIZE(offline_text));
    /* The newest periods: the chart shows the last 30 days. */
    if (count > CHART_MAX_PERIODS) {
        periods += count - CHART_MAX_PERIODS;
        count = CHART_MAX_PERIODS;
    }
    if (count)
        memcpy(offline_periods, periods, count * sizeof(*periods));
    offline_count = count;
    if (w)
        show_offline(w);
}

void historywnd_set_conflicts(HWND app, const of_conflicts *set)
{
    historywnd *w = of_app(app);
    shown_conflicts = set;
    if (w)
        conflictlist_fill(&w->conflicts, set);
}

void historywnd_close(HWND app)
{
    historywnd *w = of_app(app);
    if (w)
        DestroyWindow(w->wnd);
}

HWND historywnd_shown(HWND app)
{
    historywnd *w = of_app(app);
    return w && IsWindowVisible(w->wnd) && !IsIconic(w->wnd) ? w->wnd : NULL;
}
