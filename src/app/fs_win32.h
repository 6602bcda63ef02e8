/* ofnotify: the history store's file access (of_fs, see ofnotify/fs.h) on Win32.
 *
 * Paths arrive as UTF-8 (the form core uses) and are converted with
 * MB_ERR_INVALID_CHARS: a path that is not valid UTF-8 fails with
 * ERROR_NO_UNICODE_TRANSLATION (OF_FS_ERR_IO) instead of naming some other
 * file. Every path is made absolute with GetFullPathNameW; one of 248 UTF-16
 * units or more (the CreateDirectoryW limit, a little below MAX_PATH) is then
 * given the \\?\ (or \\?\UNC\) prefix, so a deep %LOCALAPPDATA% or a
 * redirected profile on a share still works without a longPathAware manifest.
 * A path that already starts with \\?\ or \\.\ is used as given.
 *
 * Sharing, as fs.h asks:
 *   open_read            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE:
 *                        `--export` never disturbs the running app's writer,
 *                        nor its compaction where the file system allows a
 *                        replace over an open file.
 *   open_write (both)    FILE_SHARE_READ only: a second writer (another
 *                        ofnotify, or a second store in this process) gets a
 *                        sharing violation (OF_FS_ERR_ACCESS), so the handle
 *                        is the single-writer lock.
 * Writes always go to the current end of the file (the pointer is moved there
 * before each write), also after truncate.
 *
 * Not thread-safe per file: one of_fs_file is used by one thread at a time
 * (the store's owner). The last error is kept per thread. */
#ifndef OFNOTIFY_FS_WIN32_H
#define OFNOTIFY_FS_WIN32_H

#include <windows.h>

#include "ofnotify/fs.h"

/* The table (static, ctx unused); valid for the life of the process. */
const of_fs *fs_win32(void);

/* The Win32 error of the most recent fs_win32 operation on this thread that
 * failed (ERROR_SUCCESS if none since the last clear), for a FormatMessageW
 * text next to the store's own error. A failing cleanup step inside the
 * store can overwrite the cause, so clear before the operation whose cause
 * is wanted. */
DWORD fs_win32_last_error(void);
void fs_win32_clear_last_error(void);

/* How a Win32 error is reported as an of_fs_err: not found (file or path),
 * exists, no space (disk full, quota), access (denied, sharing or lock
 * violation), no memory; everything else OF_FS_ERR_IO. ERROR_SUCCESS gives
 * OF_FS_OK. Public so the app classifies errors from its own file calls the
 * same way. */
of_fs_err fs_win32_map_error(DWORD err);

/* The UTF-16 path fs_win32 hands to Windows for a UTF-8 path (absolute,
 * \\?\-prefixed when long), for Win32 calls the app makes on the same files
 * (e.g. a moved-aside history named in of_history_report). Writes at most
 * cap units including the NUL. Returns 0, ERROR_INVALID_PARAMETER (NULL out
 * or cap 0), ERROR_NO_UNICODE_TRANSLATION (invalid UTF-8; out is ""),
 * ERROR_INSUFFICIENT_BUFFER (out holds a NUL-ended prefix that must not be
 * used as a path), or another Win32 error. */
DWORD fs_win32_path(const char *utf8, wchar_t *out, size_t cap);

/* Creates dir and every missing parent (for %LOCALAPPDATA%\ofnotify and a
 * configured data folder). Returns 0 when dir exists as a directory
 * afterwards (also when it already did), else the Win32 error:
 * ERROR_INVALID_PARAMETER for NULL or "", ERROR_DIRECTORY when dir or one of
 * its parents is a file. Long paths are handled as above. */
int fs_win32_ensure_dir(const wchar_t *dir);

#endif
