/* ofnotify: the notification-area icon. See tray.h. */
#include "tray.h"

#include <commctrl.h>
#include <shellapi.h>

#include "messages.h"
#include "resource.h"
#include "trayicon.h"

/* One icon per ofnotify: the window plus a fixed ID identify it. */
#define TRAY_ID 1

static const WORD state_icon[] = {
    [TRAY_IDLE] = IDI_TRAY_IDLE,
    [TRAY_SYNCING] = IDI_TRAY_SYNCING,
    [TRAY_OFF] = IDI_TRAY_OFF,
    [TRAY_RECONNECTING] = IDI_TRAY_RECONNECTING,
    [TRAY_OFFLINE] = IDI_TRAY_OFF,
};

/* Windows 10 and 11 draw the taskbar light or dark; the glyph must contrast
 * with it. No value (older Windows): the taskbar is dark. */
static BOOL taskbar_is_light(void)
{
    DWORD light = 0, size = sizeof(light);
    if (RegGetValueW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                     L"SystemUsesLightTheme", RRF_RT_REG_DWORD, NULL, &light, &size) != ERROR_SUCCESS)
        return FALSE;
    return light != 0;
}

/* Loaded again on every add and change, at the size for the window's DPI
 * now (trayicon.h says why). */
static HICON load_small_icon(HWND wnd, WORD id)
{
    UINT dpi = trayicon_dpi(wnd);
    HICON icon = trayicon_load(GetModuleHandleW(NULL), MAKEINTRESOURCEW(id), dpi);
    return icon ? icon : trayicon_load(NULL, (LPCWSTR)IDI_APPLICATION, dpi);
}

static void init_data(NOTIFYICONDATAW *nid, HWND wnd)
{
    ZeroMemory(nid, sizeof(*nid));
    nid->cbSize = sizeof(*nid);
    nid->hWnd = wnd;
    nid->uID = TRAY_ID;
}

static void set_icon_and_tip(NOTIFYICONDATAW *nid, tray_state state, const WCHAR *tip)
{
    nid->uFlags |= NIF_ICON | NIF_TIP | NIF_SHOWTIP;
    nid->hIcon = load_small_icon(nid->hWnd, state_icon[state] + (taskbar_is_light() ? IDI_TRAY_LIGHT_OFFSET : 0));
    lstrcpynW(nid->szTip, tip ? tip : L"ofnotify", ARRAYSIZE(nid->szTip));
}

UINT tray_taskbar_created_message(HWND wnd)
{
    UINT msg = RegisterWindowMessageW(L"TaskbarCreated");
    /* Explorer runs at medium integrity; without this an elevated ofnotify
     * would never hear that the taskbar came back. */
    if (msg)
        ChangeWindowMessageFilterEx(wnd, msg, MSGFLT_ALLOW, NULL);
    return msg;
}

BOOL tray_add(HWND wnd, tray_state state, const WCHAR *tip)
{
    NOTIFYICONDATAW nid;
    BOOL ok;
    init_data(&nid, wnd);
    nid.uFlags = NIF_MESSAGE;
    nid.uCallbackMessage = WM_OFN_TRAY;
    set_icon_and_tip(&nid, state, tip);
    /* An icon left over from a crashed run (same window class, new window)
     * is not ours to update, so a fresh add is always tried. The shell also
     * sends TaskbarCreated when only the DPI or theme changed and our icon
     * is still there: then the add fails and a modify, which also brings
     * the icon drawn for the new size, is what succeeds. */
    ok = Shell_NotifyIconW(NIM_ADD, &nid) || Shell_NotifyIconW(NIM_MODIFY, &nid);
    if (nid.hIcon)
        DestroyIcon(nid.hIcon);
    if (!ok)
        return FALSE;
    nid.uVersion = NOTIFYICON_VERSION_4;
    Shell_NotifyIconW(NIM_SETVERSION, &nid);
    return TRUE;
}

void tray_update(HWND wnd, tray_state state, const WCHAR *tip)
{
    NOTIFYICONDATAW nid;
    init_data(&nid, wnd);
    set_icon_and_tip(&nid, state, tip);
    Shell_NotifyIconW(NIM_MODIFY, &nid);
    if (nid.hIcon)
        DestroyIcon(nid.hIcon);
}

void tray_balloon(HWND wnd, const WCHAR *title, const WCHAR *body)
{
    NOTIFYICONDATAW nid;
    HICON large = NULL;
    init_data(&nid, wnd);
    nid.uFlags = NIF_INFO;
    nid.dwInfoFlags = NIIF_USER | NIIF_LARGE_ICON | NIIF_RESPECT_QUIET_TIME;
    if (FAILED(LoadIconMetric(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDI_APP), LIM_LARGE, &large)))
        large = NULL;
    nid.hBalloonIcon = large;
    if (!large)
        nid.dwInfoFlags = NIIF_INFO | NIIF_RESPECT_QUIET_TIME;
    lstrcpynW(nid.szInfoTitle, title, ARRAYSIZE(nid.szInfoTitle));
    lstrcpynW(nid.szInfo, body, ARRAYSIZE(nid.szInfo));
    Shell_NotifyIconW(NIM_MODIFY, &nid);
    if (large)
        DestroyIcon(large);
}

/* The removal's own thread owns its copy of the request. */
static DWORD WINAPI remove_icon(void *param)
{
    NOTIFYICONDATAW *nid = param;
    Shell_NotifyIconW(NIM_DELETE, nid);
    HeapFree(GetProcessHeap(), 0, nid);
    return 0;
}

BOOL tray_remove(HWND wnd, DWORD wait_ms)
{
    NOTIFYICONDATAW *nid = HeapAlloc(GetProcessHeap(), 0, sizeof(*nid));
    HANDLE thread;
    BOOL done;
    if (!nid)
        return FALSE;
    init_data(nid, wnd);
    thread = CreateThread(NULL, 0, remove_icon, nid, 0, NULL);
    if (!thread) {
        HeapFree(GetProcessHeap(), 0, nid);
        return FALSE;
    }
    done = WaitForSingleObject(thread, wait_ms) == WAIT_OBJECT_0;
    CloseHandle(thread);
    return done;
}

UINT tray_menu(HWND wnd, POINT pt, const UINT *checked, size_t n_checked, const UINT *disabled,
               size_t n_disabled)
{
    HMENU root = LoadMenuW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDR_TRAY_MENU));
    HMENU menu = root ? GetSubMenu(root, 0) : NULL;
    UINT cmd = 0;
    if (!menu)
        goto done;
    for (size_t i = 0; i < n_checked; i++)
        CheckMenuItem(menu, checked[i], MF_BYCOMMAND | MF_CHECKED);
    for (size_t i = 0; i < n_disabled; i++)
        EnableMenuItem(menu, disabled[i], MF_BYCOMMAND | MF_GRAYED);
    SetMenuDefaultItem(menu, IDM_OPEN_HISTORY, FALSE);
    /* Without this the menu stays open when the user clicks elsewhere. */
    SetForegroundWindow(wnd);
    cmd = (UINT)TrackPopupMenuEx(menu,
                                 TPM_RETURNCMD | TPM_RIGHTBUTTON | TPM_NONOTIFY |
                                     (GetSystemMetrics(SM_MENUDROPALIGNMENT) ? TPM_RIGHTALIGN : TPM_LEFTALIGN),
                                 pt.x, pt.y, wnd, NULL);
    PostMessageW(wnd, WM_NULL, 0, 0);
done:
    if (root)
        DestroyMenu(root);
    return cmd;
}
