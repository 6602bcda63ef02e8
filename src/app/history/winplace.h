/* ofnotify: a window's saved placement and list columns (app/history/winplace).
 *
 * Kept under HKCU\Software\ofnotify\<name> as two REG_BINARY values:
 * "Placement" (a WINDOWPLACEMENT) and "Columns" (version, the DPI they were
 * measured at, the count, then the widths and the display order). What is
 * read back is checked: a value of the wrong size, version or shape, an
 * absurd size, or a column order that is not a permutation is ignored, never
 * trusted; a window that would open on a monitor that is gone, or mostly off
 * the screen, is moved onto the nearest monitor's work area. */
#ifndef OFNOTIFY_WINPLACE_H
#define OFNOTIFY_WINPLACE_H

#include <windows.h>

#define WINPLACE_MAX_COLUMNS 16

/* The registry key the history window uses, under HKEY_CURRENT_USER. */
#define WINPLACE_HISTORY_KEY L"Software\\ofnotify\\HistoryWindow"

/* Reads the placement under key. TRUE with *wp valid to pass to
 * SetWindowPlacement (normal or maximized, never minimized, on a screen);
 * FALSE when there is none usable. */
BOOL winplace_load(const WCHAR *key, WINDOWPLACEMENT *wp);

/* Saves wnd's current placement under key. FALSE if the registry refused. */
BOOL winplace_save(const WCHAR *key, HWND wnd);

/* Moves and if need be shrinks rc (screen coordinates) so that it lies on
 * the work area of the monitor nearest to it, unless enough of it is
 * visible already (its top strip, where the caption is, on some monitor).
 * Returns TRUE if rc was changed. */
BOOL winplace_fit(RECT *rc);

/* Column widths (pixels at dpi) and display order of n columns.
 * load: FALSE and nothing written unless a valid record for exactly n
 * columns is stored; the widths come back scaled to dpi. */
BOOL winplace_load_columns(const WCHAR *key, int n, UINT dpi, int *widths, int *order);
BOOL winplace_save_columns(const WCHAR *key, int n, UINT dpi, const int *widths, const int *order);

#endif
