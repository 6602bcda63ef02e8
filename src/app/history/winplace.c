/* ofnotify: saved placement and columns. See winplace.h. */
#include "winplace.h"

#include <stdint.h>

#define VALUE_PLACEMENT L"Placement"
#define VALUE_COLUMNS L"Columns"
#define COLUMNS_VERSION 1u
#define MIN_W 200
#define MIN_H 150
#define MAX_EXTENT 32000
#define MAX_COLUMN_96 4000
/* The part of the window that must be on a screen to count as visible: a
 * stretch of its caption a mouse can grab. */
#define GRAB_W 64
#define GRAB_H 24

typedef struct columns_blob {
    uint32_t version, dpi, count;
    int32_t widths[WINPLACE_MAX_COLUMNS];
    int32_t order[WINPLACE_MAX_COLUMNS];
} columns_blob;

static BOOL read_binary(const WCHAR *key, const WCHAR *value, void *buf, DWORD size)
{
    DWORD got = size, type = 0;
    HKEY k;
    LSTATUS st;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_QUERY_VALUE, &k) != ERROR_SUCCESS)
        return FALSE;
    st = RegQueryValueExW(k, value, NULL, &type, buf, &got);
    RegCloseKey(k);
    /* Exactly the size written: a shorter or longer value is someone else's. */
    return st == ERROR_SUCCESS && type == REG_BINARY && got == size;
}

static BOOL write_binary(const WCHAR *key, const WCHAR *value, const void *buf, DWORD size)
{
    HKEY k;
    LSTATUS st;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_SET_VALUE, NULL, &k, NULL) != ERROR_SUCCESS)
        return FALSE;
    st = RegSetValueExW(k, value, 0, REG_BINARY, buf, size);
    RegCloseKey(k);
    return st == ERROR_SUCCESS;
}

BOOL winplace_fit(RECT *rc)
{
    HMONITOR mon = MonitorFromRect(rc, MONITOR_DEFAULTTONEAREST);
    MONITORINFO mi = {.cbSize = sizeof(mi)};
    RECT grab, seen;
    int w = rc->right - rc->left, h = rc->bottom - rc->top, work_w, work_h;
    if (!mon || !GetMonitorInfoW(mon, &mi))
        return FALSE;
    grab = (RECT){rc->left, rc->top, rc->right, rc->top + min(GRAB_H, h)};
    if (IntersectRect(&seen, &grab, &mi.rcWork) && seen.right - seen.left >= min(GRAB_W, w))
        return FALSE;
    work_w = mi.rcWork.right - mi.rcWork.left;
    work_h = mi.rcWork.bottom - mi.rcWork.top;
    if (w > work_w)
        w = work_w;
    if (h > work_h)
        h = work_h;
    rc->left = max(mi.rcWork.left, min(rc->left, mi.rcWork.right - w));
    rc->top = max(mi.rcWork.top, min(rc->top, mi.rcWork.bottom - h));
    rc->right = rc->left + w;
    rc->bottom = rc->top + h;
    return TRUE;
}

static BOOL sane_rect(const RECT *r)
{
    LONG w = r->right - r->left, h = r->bottom - r->top;
    return r->left > -MAX_EXTENT && r->top > -MAX_EXTENT && r->right < MAX_EXTENT && r->bottom < MAX_EXTENT &&
           w >= MIN_W && h >= MIN_H;
}

BOOL winplace_load(const WCHAR *key, WINDOWPLACEMENT *wp)
{
    WINDOWPLACEMENT p;
    if (!read_binary(key, VALUE_PLACEMENT, &p, sizeof(p)) || p.length != sizeof(p) || !sane_rect(&p.rcNormalPosition))
        return FALSE;
    /* A window never comes back minimized; maximized it may. */
    p.showCmd = p.showCmd == SW_SHOWMAXIMIZED ? SW_SHOWMAXIMIZED : SW_SHOWNORMAL;
    p.flags = 0;
    /* Let Windows choose where minimized and maximized windows go. */
    p.ptMinPosition = (POINT){-1, -1};
    p.ptMaxPosition = (POINT){-1, -1};
    winplace_fit(&p.rcNormalPosition);
    *wp = p;
    return TRUE;
}

BOOL winplace_save(const WCHAR *key, HWND wnd)
{
    WINDOWPLACEMENT p = {.length = sizeof(p)};
    if (!GetWindowPlacement(wnd, &p))
        return FALSE;
    if (p.showCmd != SW_SHOWMAXIMIZED)
        p.showCmd = SW_SHOWNORMAL;
    return write_binary(key, VALUE_PLACEMENT, &p, sizeof(p));
}

BOOL winplace_load_columns(const WCHAR *key, int n, UINT dpi, int *widths, int *order)
{
    columns_blob b;
    BOOL seen[WINPLACE_MAX_COLUMNS] = {0};
    if (n <= 0 || n > WINPLACE_MAX_COLUMNS || !read_binary(key, VALUE_COLUMNS, &b, sizeof(b)))
        return FALSE;
    if (b.version != COLUMNS_VERSION || b.count != (uint32_t)n || b.dpi < 48 || b.dpi > 960)
        return FALSE;
    for (int i = 0; i < n; i++) {
        if (b.widths[i] < 0 || b.widths[i] > MulDiv(MAX_COLUMN_96, (int)b.dpi, 96))
            return FALSE;
        if (b.order[i] < 0 || b.order[i] >= n || seen[b.order[i]])
            return FALSE;
        seen[b.order[i]] = TRUE;
    }
    for (int i = 0; i < n; i++) {
        widths[i] = MulDiv(b.widths[i], dpi ? (int)dpi : 96, (int)b.dpi);
        order[i] = b.order[i];
    }
    return TRUE;
}

BOOL winplace_save_columns(const WCHAR *key, int n, UINT dpi, const int *widths, const int *order)
{
    columns_blob b;
    if (n <= 0 || n > WINPLACE_MAX_COLUMNS)
        return FALSE;
    ZeroMemory(&b, sizeof(b));
    b.version = COLUMNS_VERSION;
    b.dpi = dpi ? dpi : 96;
    b.count = (uint32_t)n;
    for (int i = 0; i < n; i++) {
        b.widths[i] = widths[i];
        b.order[i] = order[i];
    }
    return write_binary(key, VALUE_COLUMNS, &b, sizeof(b));
}
