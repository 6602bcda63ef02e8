/* make bench: the yardstick ofnotify is measured against, the least a tray program can be: a hidden
 * window, one icon added (tried again every 250 ms until the shell takes it), a message loop, and
 * nothing else. It says "ofnotify: tray icon added" to the debugger when the shell has taken the icon,
 * the same line ofnotify says, so both are timed by the same signal.
 *
 * Built twice: baseline.exe imports only user32 and shell32; baseline_com.exe (BASELINE_COM) also
 * enters a single-threaded COM apartment and loads the version 6 common controls (its manifest asks
 * for them, as ofnotify's does), which every program with a list view and COM pays for.
 *
 * WM_CLOSE to its window (class ofnotify.bench.baseline or ofnotify.bench.baseline_com) takes the icon
 * away and exits. */
#include <windows.h>
#include <shellapi.h>
#ifdef BASELINE_COM
#include <commctrl.h>
#include <objbase.h>
#endif

#ifdef BASELINE_COM
#define WINDOW_CLASS L"ofnotify.bench.baseline_com"
#else
#define WINDOW_CLASS L"ofnotify.bench.baseline"
#endif
#define WM_TRAY_CALLBACK (WM_APP + 1)
#define TIMER_RETRY 1
#define RETRY_MS 250

static NOTIFYICONDATAW icon_data(HWND wnd)
{
    NOTIFYICONDATAW nid = {
        .cbSize = sizeof nid,
        .hWnd = wnd,
        .uID = 1,
        .uFlags = NIF_ICON | NIF_MESSAGE | NIF_TIP,
        .uCallbackMessage = WM_TRAY_CALLBACK,
        .hIcon = LoadIconW(NULL, (LPCWSTR)IDI_APPLICATION),
        .szTip = L"baseline",
    };
    return nid;
}

static void try_add_icon(HWND wnd)
{
    NOTIFYICONDATAW nid = icon_data(wnd);
    if (Shell_NotifyIconW(NIM_ADD, &nid)) {
        KillTimer(wnd, TIMER_RETRY);
        OutputDebugStringA("ofnotify: tray icon added\n");
    } else {
        SetTimer(wnd, TIMER_RETRY, RETRY_MS, NULL);
    }
}

static LRESULT CALLBACK wndproc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_TIMER:
        if (wp == TIMER_RETRY)
            try_add_icon(wnd);
        return 0;
    case WM_DESTROY: {
        NOTIFYICONDATAW nid = icon_data(wnd);
        Shell_NotifyIconW(NIM_DELETE, &nid);
        PostQuitMessage(0);
        return 0;
    }
    default:
        return DefWindowProcW(wnd, msg, wp, lp);
    }
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE prev, PWSTR cmdline, int show)
{
    (void)prev, (void)cmdline, (void)show;
#ifdef BASELINE_COM
    INITCOMMONCONTROLSEX icc = {.dwSize = sizeof icc, .dwICC = ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES};
    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE)))
        return 1;
    if (!InitCommonControlsEx(&icc))
        return 1;
#endif
    WNDCLASSEXW wc = {.cbSize = sizeof wc, .lpfnWndProc = wndproc, .hInstance = instance,
                      .lpszClassName = WINDOW_CLASS};
    if (!RegisterClassExW(&wc))
        return 1;
    HWND wnd = CreateWindowExW(WS_EX_TOOLWINDOW, wc.lpszClassName, L"baseline", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                               instance, NULL);
    if (!wnd)
        return 1;
    try_add_icon(wnd);
    MSG m;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
#ifdef BASELINE_COM
    CoUninitialize();
#endif
    return 0;
}
