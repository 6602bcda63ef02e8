/* ofnotify: the history window's commands: Copy, Export… and Clear history…
 * (app/history/histcmds), with the questions they ask. See historywnd.h. */
#include "historywnd_private.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <shobjidl.h>

#include "../messages.h"
#include "../winutil.h"
#include "histcols.h"
#include "resource.h"

/* ---- Copy ---- */

static void sanitize(WCHAR *s)
{
    for (; *s; s++)
        if (*s == L'\t' || *s == L'\r' || *s == L'\n')
            *s = L' ';
}

/* Appends s to (buf, cap) at *len, counting what does not fit. */
static void append(WCHAR *buf, size_t cap, size_t *len, const WCHAR *s)
{
    size_t n = wcslen(s);
    if (cap > 0 && *len < cap - 1) {
        size_t room = cap - 1 - *len, k = n < room ? n : room;
        memcpy(buf + *len, s, k * sizeof(WCHAR));
        buf[*len + k] = 0;
    }
    *len += n;
}

/* One record as Ctrl+C copies it (historywnd_row_text), through tz. */
static size_t format_row(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    WCHAR cell[HIST_CELL_CAP];
    size_t len = 0;
    if (!buf)
        cap = 0;
    if (cap > 0)
        buf[0] = 0;
    if (!r)
        return 0;
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        histcols_text(tz, r, col, cell, ARRAYSIZE(cell));
        sanitize(cell);
        if (col > 0)
            append(buf, cap, &len, L"\t");
        append(buf, cap, &len, cell);
    }
    append(buf, cap, &len, L"\r\n");
    return len;
}

size_t historywnd_row_text(const of_record *r, WCHAR *buf, size_t cap)
{
    /* Without a window: a cache of its own, which starts empty. */
    tzcache tz;
    tzcache_init(&tz, NULL);
    return format_row(&tz, r, buf, cap);
}

WCHAR *historywnd_selection_text(HWND wnd, size_t *len)
{
    historywnd *w = historywnd_state(wnd);
    size_t n_sel = 0, used = 0, cap = 0;
    size_t *sel;
    WCHAR *text = NULL;
    if (len)
        *len = 0;
    if (!w)
        return NULL;
    sel = historywnd_selected_rows(w, &n_sel);
    for (size_t i = 0; i < n_sel; i++) {
        const of_record *r = histview_row_record(&w->view, sel[i]);
        size_t need = format_row(&w->tz, r, NULL, 0);
        if (!r)
            continue;
        if (used + need + 1 > cap) {
            size_t grown_cap = (cap ? cap * 2 : 256) + need + 1;
            WCHAR *grown = realloc(text, grown_cap * sizeof(WCHAR));
            if (!grown) {
                free(text);
                free(sel);
                return NULL;
            }
            text = grown;
            cap = grown_cap;
        }
        used += format_row(&w->tz, r, text + used, cap - used);
    }
    free(sel);
    if (text && len)
        *len = used;
    return text;
}

BOOL historywnd_copy(HWND wnd)
{
    size_t len = 0;
    WCHAR *text = historywnd_selection_text(wnd, &len);
    HGLOBAL mem = NULL;
    BOOL ok = FALSE;
    if (!text)
        return FALSE;
    mem = GlobalAlloc(GMEM_MOVEABLE, (len + 1) * sizeof(WCHAR));
    if (!mem)
        goto done;
    {
        WCHAR *dst = GlobalLock(mem);
        if (!dst)
            goto done;
        memcpy(dst, text, (len + 1) * sizeof(WCHAR));
        GlobalUnlock(mem);
    }
    if (!OpenClipboard(wnd))
        goto done;
    if (EmptyClipboard() && SetClipboardData(CF_UNICODETEXT, mem)) {
        mem = NULL; /* the clipboard owns it now */
        ok = TRUE;
    }
    CloseClipboard();
done:
    if (mem)
        GlobalFree(mem);
    free(text);
    return ok;
}

/* ---- the real questions ---- */

static BOOL real_confirm_clear(HWND owner, size_t count)
{
    WCHAR n[32], text[512], caption[64];
    winutil_format_count(count, n, ARRAYSIZE(n));
    winutil_load_message(IDS_HIST_CLEAR_ASK, text, ARRAYSIZE(text), n);
    winutil_load_string(IDS_HIST_CLEAR_CAPTION, caption, ARRAYSIZE(caption));
    return MessageBoxW(owner, text, caption, MB_YESNO | MB_DEFBUTTON2 | MB_ICONWARNING) == IDYES;
}

static void real_error(HWND owner, const WCHAR *text)
{
    WCHAR caption[64];
    winutil_load_string(IDS_HIST_TITLE, caption, ARRAYSIZE(caption));
    MessageBoxW(owner, text, caption, MB_OK | MB_ICONERROR);
}

/* The format from the name the user typed, else from the chosen type. */
static export_format format_for(const WCHAR *path, UINT type_index)
{
    const WCHAR *dot = wcsrchr(path, L'.');
    if (dot && !wcschr(dot, L'\\')) {
        if (!lstrcmpiW(dot, L".csv"))
            return EXPORT_CSV;
        if (!lstrcmpiW(dot, L".jsonl") || !lstrcmpiW(dot, L".json") || !lstrcmpiW(dot, L".ndjson"))
            return EXPORT_JSONL;
    }
    return type_index == 2 ? EXPORT_JSONL : EXPORT_CSV;
}

static BOOL real_export_target(HWND owner, size_t count, WCHAR *path, size_t cap, export_format *format)
{
    WCHAR n[32], title[256], csv[96], jsonl[96], name[64];
    COMDLG_FILTERSPEC types[2];
    IFileSaveDialog *dlg = NULL;
    IShellItem *item = NULL;
    WCHAR *chosen = NULL;
    UINT type_index = 1;
    FILEOPENDIALOGOPTIONS options = 0;
    BOOL ok = FALSE;
    HRESULT hr;
    winutil_format_count(count, n, ARRAYSIZE(n));
    winutil_load_message(IDS_HIST_EXPORT_TITLE, title, ARRAYSIZE(title), n);
    winutil_load_string(IDS_HIST_EXPORT_CSV, csv, ARRAYSIZE(csv));
    winutil_load_string(IDS_HIST_EXPORT_JSONL, jsonl, ARRAYSIZE(jsonl));
    winutil_load_string(IDS_HIST_EXPORT_NAME, name, ARRAYSIZE(name));
    types[0] = (COMDLG_FILTERSPEC){csv, L"*.csv"};
    types[1] = (COMDLG_FILTERSPEC){jsonl, L"*.jsonl"};
    hr = CoCreateInstance(&CLSID_FileSaveDialog, NULL, CLSCTX_INPROC_SERVER, &IID_IFileSaveDialog, (void **)&dlg);
    if (FAILED(hr))
        goto done;
    IFileSaveDialog_SetFileTypes(dlg, ARRAYSIZE(types), types);
    IFileSaveDialog_SetFileTypeIndex(dlg, 1);
    /* Follows the chosen type: .csv or .jsonl is added to a bare name. */
    IFileSaveDialog_SetDefaultExtension(dlg, L"csv");
    IFileSaveDialog_SetFileName(dlg, name);
    IFileSaveDialog_SetTitle(dlg, title);
    if (SUCCEEDED(IFileSaveDialog_GetOptions(dlg, &options)))
        IFileSaveDialog_SetOptions(dlg, options | FOS_OVERWRITEPROMPT | FOS_FORCEFILESYSTEM | FOS_PATHMUSTEXIST);
    hr = IFileSaveDialog_Show(dlg, owner);
    if (FAILED(hr)) /* including HRESULT_FROM_WIN32(ERROR_CANCELLED) */
        goto done;
    IFileSaveDialog_GetFileTypeIndex(dlg, &type_index);
    if (FAILED(IFileSaveDialog_GetResult(dlg, &item)) ||
        FAILED(IShellItem_GetDisplayName(item, SIGDN_FILESYSPATH, &chosen)) || wcslen(chosen) >= cap)
        goto done;
    wcscpy(path, chosen);
    *format = format_for(chosen, type_index);
    ok = TRUE;
done:
    if (chosen)
        CoTaskMemFree(chosen);
    if (item)
        IShellItem_Release(item);
    if (dlg)
        IFileSaveDialog_Release(dlg);
    return ok;
}

static const historywnd_io real_io = {
    .confirm_clear = real_confirm_clear,
    .export_target = real_export_target,
    .error = real_error,
    .write = NULL,
};

const historywnd_io *historywnd_io_of(const historywnd *w)
{
    return w->io ? w->io : &real_io;
}

void historywnd_set_io(HWND wnd, const historywnd_io *io)
{
    historywnd *w = historywnd_state(wnd);
    if (w)
        w->io = io;
}

/* ---- Export… ---- */

BOOL historywnd_export(HWND wnd)
{
    historywnd *w = historywnd_state(wnd);
    WCHAR path[MAX_PATH * 2], why[512], text[1024];
    export_format format = EXPORT_CSV;
    DWORD err = 0;
    size_t n;
    if (!w || !w->view.hist)
        return FALSE;
    if (w->export) {
        MessageBeep(MB_OK); /* one at a time; its progress dialog is showing */
        return FALSE;
    }
    n = w->view.count;
    if (!historywnd_io_of(w)->export_target(w->wnd, n, path, ARRAYSIZE(path), &format))
        return FALSE;
    /* The dialog ran a message loop: the window may be gone, or show less. */
    w = historywnd_state(wnd);
    if (!w || !w->view.hist || w->export)
        return FALSE;
    if (histexport_start(w, n, path, format, historywnd_io_of(w)->write, &err))
        return TRUE;
    winutil_error_text(err, why, ARRAYSIZE(why));
    winutil_load_message(IDS_HIST_EXPORT_NOT_MADE, text, ARRAYSIZE(text), path, why);
    historywnd_io_of(w)->error(w->wnd, text);
    return FALSE;
}

/* ---- Clear history… ---- */

BOOL historywnd_clear(HWND wnd)
{
    historywnd *w = historywnd_state(wnd);
    WCHAR why[256], text[512];
    LRESULT err;
    if (!w || !w->view.hist || !w->view.total)
        return FALSE;
    if (!historywnd_io_of(w)->confirm_clear(w->wnd, w->view.total))
        return FALSE;
    w = historywnd_state(wnd); /* the question ran a message loop */
    if (!w || !w->view.hist)
        return FALSE;
    /* Sent, not posted: when it returns the app has cleared and reloaded us.
     * SendMessage to a window that is gone would return 0, which is "done". */
    err = w->app && IsWindow(w->app) ? SendMessageW(w->app, WM_OFN_CLEAR_HISTORY, 0, (LPARAM)w->view.hist)
                                     : OF_HISTORY_E_INVALID;
    if (err == OF_HISTORY_OK)
        return TRUE;
    w = historywnd_state(wnd);
    if (!w)
        return FALSE;
    winutil_utf8_to_wide(of_history_error_text((of_history_err)err), why, ARRAYSIZE(why));
    winutil_load_message(IDS_HIST_CLEAR_FAILED, text, ARRAYSIZE(text), why);
    historywnd_io_of(w)->error(w->wnd, text);
    return FALSE;
}
