/* make bench: the first painted list view. See firstpaint.h. */
#include "firstpaint.h"

#include <wchar.h>

#include <commctrl.h>

#define SUBCLASS_ID 1

static HHOOK hook;
static BOOL watching, painted;
static LARGE_INTEGER painted_at;

static LRESULT CALLBACK list_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id, DWORD_PTR data)
{
    LRESULT r = DefSubclassProc(wnd, msg, wp, lp);
    (void)data;
    if (msg == WM_PAINT && !painted) {
        QueryPerformanceCounter(&painted_at);
        painted = TRUE;
    }
    if (msg == WM_PAINT || msg == WM_NCDESTROY)
        RemoveWindowSubclass(wnd, list_proc, id);
    return r;
}

static LRESULT CALLBACK cbt_hook(int code, WPARAM wp, LPARAM lp)
{
    WCHAR name[32];
    if (code == HCBT_CREATEWND && watching && GetClassNameW((HWND)wp, name, ARRAYSIZE(name)) &&
        !wcscmp(name, WC_LISTVIEWW) && SetWindowSubclass((HWND)wp, list_proc, SUBCLASS_ID, 0))
        watching = FALSE; /* the first list view only */
    return CallNextHookEx(NULL, code, wp, lp);
}

BOOL firstpaint_start(void)
{
    painted = FALSE;
    watching = TRUE;
    hook = SetWindowsHookExW(WH_CBT, cbt_hook, NULL, GetCurrentThreadId());
    return hook != NULL;
}

BOOL firstpaint_stop(LARGE_INTEGER *at)
{
    if (hook)
        UnhookWindowsHookEx(hook);
    hook = NULL;
    watching = FALSE;
    if (painted)
        *at = painted_at;
    return painted;
}
