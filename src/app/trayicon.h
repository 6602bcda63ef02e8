/* ofnotify: the size of the notification-area icon and loading it at that
 * size (app/tray draws with it).
 *
 * The shell shows a tray icon at the small-icon size of the DPI it draws
 * at: 16 pixels at 100 %, 24 at 150 %, 32 at 200 %. An icon loaded once at
 * start (or at the system DPI of the sign-in) turns blurry after the user
 * changes the scaling, so the tray loads it again, at the size for the app
 * window's DPI now, every time it adds or changes the icon: when the shell
 * sends TaskbarCreated (it does after a scaling change) and when the window
 * gets WM_DPICHANGED.
 *
 * GetDpiForWindow and GetSystemMetricsForDpi came with Windows 10 1607; they
 * are looked up at run time, and without them the system DPI and
 * GetSystemMetrics are used, which is what those Windows versions draw with. */
#ifndef OFNOTIFY_TRAYICON_H
#define OFNOTIFY_TRAYICON_H

#include <windows.h>

/* The DPI the window is drawn at (the system DPI where Windows cannot say
 * per window; 96 if even that fails). */
UINT trayicon_dpi(HWND wnd);

/* The small-icon size (SM_CXSMICON) in pixels at that DPI. */
int trayicon_size_for_dpi(UINT dpi);

/* Icon resource `name` of `inst` (NULL: a system icon such as IDI_APPLICATION)
 * as a square icon of the small-icon size at `dpi`, scaled down from the
 * nearest larger image (LoadIconWithScaleDown), else as LoadImage makes it
 * at that size. The caller destroys it. NULL if it cannot be loaded. */
HICON trayicon_load(HINSTANCE inst, LPCWSTR name, UINT dpi);

#endif
