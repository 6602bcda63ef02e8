/* uiprobe: looks at ofnotify's windows from outside, the way a user's tools
 * (and screen readers) see them, for the e2e tests and the demo.
 *
 *   uiprobe windows               every window of the desktop, as a tree
 *   uiprobe find CLASS            title, visibility and rectangle of the
 *                                 first top-level window of CLASS
 *   uiprobe list-count CLASS      items of the first list view inside the
 *                                 top-level window of CLASS
 *   uiprobe broadcast MESSAGE     posts the registered window message
 *                                 MESSAGE (e.g. TaskbarCreated) to every
 *                                 top-level window, as Explorer does
 *   uiprobe tray-delete CLASS ID  removes the notification-area icon ID of
 *                                 the top-level window of CLASS, as a
 *                                 restarting Explorer loses every icon
 *
 * Output is UTF-8 on stdout. Exit codes: 0 done, 1 not found, 2 bad usage. */
#include <stdio.h>
#include <string.h>

#include <windows.h>

#include <commctrl.h>
#include <shellapi.h>

static void put_wide(const WCHAR *s)
{
    char utf8[1024];
    if (!WideCharToMultiByte(CP_UTF8, 0, s, -1, utf8, sizeof(utf8), NULL, NULL))
        strcpy(utf8, "?");
    fputs(utf8, stdout);
}

static void describe(HWND wnd, int depth)
{
    WCHAR cls[256], title[256];
    RECT rc;
    DWORD pid = 0;
    if (!GetClassNameW(wnd, cls, ARRAYSIZE(cls)))
        cls[0] = 0;
    if (!GetWindowTextW(wnd, title, ARRAYSIZE(title)))
        title[0] = 0;
    GetWindowRect(wnd, &rc);
    GetWindowThreadProcessId(wnd, &pid);
    printf("%*s", depth * 2, "");
    put_wide(cls);
    printf(" \"");
    put_wide(title);
    printf("\" %s %ld,%ld %ldx%ld pid=%lu\n", IsWindowVisible(wnd) ? "visible" : "hidden", rc.left, rc.top,
           rc.right - rc.left, rc.bottom - rc.top, (unsigned long)pid);
}

static void print_tree(HWND parent, int depth)
{
    HWND child = GetWindow(parent, GW_CHILD);
    for (; child; child = GetWindow(child, GW_HWNDNEXT)) {
        describe(child, depth);
        print_tree(child, depth + 1);
    }
}

static int cmd_windows(void)
{
    HWND top = GetWindow(GetDesktopWindow(), GW_CHILD);
    for (; top; top = GetWindow(top, GW_HWNDNEXT)) {
        describe(top, 0);
        print_tree(top, 1);
    }
    return 0;
}

static int cmd_find(const WCHAR *cls)
{
    HWND wnd = FindWindowW(cls, NULL);
    if (!wnd)
        return 1;
    describe(wnd, 0);
    return 0;
}

/* The list view may sit under a container; search the whole subtree. */
static HWND find_list(HWND parent)
{
    HWND child = GetWindow(parent, GW_CHILD), found;
    WCHAR cls[64];
    for (; child; child = GetWindow(child, GW_HWNDNEXT)) {
        if (GetClassNameW(child, cls, ARRAYSIZE(cls)) && !lstrcmpiW(cls, WC_LISTVIEWW))
            return child;
        if ((found = find_list(child)) != NULL)
            return found;
    }
    return NULL;
}

static int cmd_list_count(const WCHAR *cls)
{
    HWND wnd = FindWindowW(cls, NULL), list;
    DWORD_PTR count = 0;
    if (!wnd || !(list = find_list(wnd)))
        return 1;
    /* A count carries no pointer, so it crosses processes unmarshalled. */
    if (!SendMessageTimeoutW(list, LVM_GETITEMCOUNT, 0, 0, SMTO_ABORTIFHUNG, 5000, &count))
        return 1;
    printf("%lu\n", (unsigned long)count);
    return 0;
}

static int cmd_broadcast(const WCHAR *name)
{
    UINT msg = RegisterWindowMessageW(name);
    if (!msg || !PostMessageW(HWND_BROADCAST, msg, 0, 0))
        return 1;
    return 0;
}

static int cmd_tray_delete(const WCHAR *cls, const WCHAR *id)
{
    NOTIFYICONDATAW nid = {.cbSize = sizeof(nid)};
    nid.hWnd = FindWindowW(cls, NULL);
    nid.uID = (UINT)wcstoul(id, NULL, 10);
    if (!nid.hWnd || !Shell_NotifyIconW(NIM_DELETE, &nid))
        return 1;
    return 0;
}

int wmain(int argc, WCHAR **argv);
int wmain(int argc, WCHAR **argv)
{
    if (argc == 2 && !wcscmp(argv[1], L"windows"))
        return cmd_windows();
    if (argc == 3 && !wcscmp(argv[1], L"find"))
        return cmd_find(argv[2]);
    if (argc == 3 && !wcscmp(argv[1], L"list-count"))
        return cmd_list_count(argv[2]);
    if (argc == 3 && !wcscmp(argv[1], L"broadcast"))
        return cmd_broadcast(argv[2]);
    if (argc == 4 && !wcscmp(argv[1], L"tray-delete"))
        return cmd_tray_delete(argv[2], argv[3]);
    fputs("usage: uiprobe windows | find CLASS | list-count CLASS | broadcast MESSAGE | tray-delete CLASS ID\n",
          stderr);
    return 2;
}
