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

/* The data folder as paths_data_dir gives it, checked before it is used:
 * its history file's path must fit, and what is there must be a folder.
 * Returns 0, ERROR_FILENAME_EXCED_RANGE (too long), ERROR_DIRECTORY (a file
 * is in the way), ERROR_PATH_NOT_FOUND (missing while must_exist) or another
 * Win32 error. A missing folder is fine otherwise: the tray app creates it. */
DWORD paths_check_data_dir(const WCHAR *override, BOOL must_exist, WCHAR *out, size_t cap);

/* TRUE when writing to `target` would touch what the store in `data_dir`
 * owns: target is the history file (the same file by volume serial and file
 * ID, however either path is spelled: case, "..", short names, another drive
 * letter or a UNC alias), or target, or a folder it lies in, is the data
 * folder itself. */
BOOL paths_in_store(const WCHAR *target, const WCHAR *data_dir);

#endif
