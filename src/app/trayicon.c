/* ofnotify: the tray icon's size for a DPI. See trayicon.h. */
#include "trayicon.h"

typedef UINT(WINAPI *dpi_for_window_fn)(HWND);
typedef int(WINAPI *metrics_for_dpi_fn)(int, UINT);
typedef HRESULT(WINAPI *scale_down_fn)(HINSTANCE, PCWSTR, int, int, HICON *);

/* ofnotify links user32 and comctl32 (the manifest's version 6), so both are
 * loaded: the lookup needs no LoadLibrary and nothing to free. MinGW's
 * comctl32 import library lacks LoadIconWithScaleDown, hence it too. */
static FARPROC module_proc(const WCHAR *module, const char *name)
{
    HMODULE m = GetModuleHandleW(module);
    return m ? GetProcAddress(m, name) : NULL;
}

static FARPROC user32_proc(const char *name)
{
    return module_proc(L"user32.dll", name);
}

static UINT system_dpi(void)
{
    HDC screen = GetDC(NULL);
    int dpi = screen ? GetDeviceCaps(screen, LOGPIXELSX) : 0;
    if (screen)
        ReleaseDC(NULL, screen);
    return dpi > 0 ? (UINT)dpi : USER_DEFAULT_SCREEN_DPI;
}

UINT trayicon_dpi(HWND wnd)
{
    dpi_for_window_fn dpi_for_window = (dpi_for_window_fn)(void (*)(void))user32_proc("GetDpiForWindow");
    UINT dpi = dpi_for_window && wnd ? dpi_for_window(wnd) : 0;
    return dpi ? dpi : system_dpi();
}

int trayicon_size_for_dpi(UINT dpi)
{
    metrics_for_dpi_fn metrics_for_dpi =
        (metrics_for_dpi_fn)(void (*)(void))user32_proc("GetSystemMetricsForDpi");
    int size = metrics_for_dpi ? metrics_for_dpi(SM_CXSMICON, dpi) : 0;
    if (size > 0)
        return size;
    /* Without it Windows draws at the system DPI, which GetSystemMetrics
     * already reflects; another DPI is scaled from that. */
    size = GetSystemMetrics(SM_CXSMICON);
    if (size <= 0)
        size = 16;
    return MulDiv(size, (int)dpi, (int)system_dpi());
}

HICON trayicon_load(HINSTANCE inst, LPCWSTR name, UINT dpi)
{
    int size = trayicon_size_for_dpi(dpi ? dpi : USER_DEFAULT_SCREEN_DPI);
    scale_down_fn scale_down = (scale_down_fn)(void (*)(void))module_proc(L"comctl32.dll", "LoadIconWithScaleDown");
    HICON icon = NULL;
    if (scale_down && SUCCEEDED(scale_down(inst, name, size, size, &icon)) && icon)
        return icon;
    /* Not LR_SHARED: the caller destroys what it gets. */
    return (HICON)LoadImageW(inst, name, IMAGE_ICON, size, size, 0);
}
