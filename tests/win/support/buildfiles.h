/* Test support: files of the build the tests read, found from the test
 * program's own path (build/win/wintests/x.exe and build/win/bench/x.exe are
 * three folders below build/). */
#ifndef OFNOTIFY_TEST_BUILDFILES_H
#define OFNOTIFY_TEST_BUILDFILES_H

#include <windows.h>

/* The file build/<name> ("ofnotify.exe", "e2e\\ofnps.dll"), found from this
 * test's own path, three folders below build/ (build/win/wintests/x.exe).
 * FALSE if the path does not fit in cap. */
BOOL build_file(const WCHAR *name, WCHAR *out, DWORD cap);

/* The shipped program loaded as a data file (nothing of it runs):
 * build/ofnotify.exe, or the file OFNOTIFY_EXE names. NULL, with the path
 * tried in path, when it cannot be loaded. */
HMODULE shipped_exe_load(WCHAR *path, DWORD cap);

#endif
