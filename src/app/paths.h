/* ofnotify: where ofnotify keeps its files. */
#ifndef OFNOTIFY_PATHS_H
#define OFNOTIFY_PATHS_H

#include <windows.h>

#define HISTORY_FILE_NAME L"history.dat"

/* The data folder: `override` made absolute, or %LOCALAPPDATA%\ofnotify.
 * Returns 0 or a Win32 error code. The folder may not exist yet. */
DWORD paths_data_dir(const WCHAR *override, WCHAR *out, size_t cap);

/* DIR\history.dat as UTF-8, the form core/history takes. Returns 0 or a Win32 error. */
DWORD paths_history_utf8(const WCHAR *dir, char *out, size_t cap);

#endif
