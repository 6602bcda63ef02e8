/* Test support: files of the build (buildfiles.h). */
#include <windows.h>
#include <wchar.h>

#include "support/buildfiles.h"

BOOL build_file(const WCHAR *name, WCHAR *out, DWORD cap)
{
    DWORD n = GetModuleFileNameW(NULL, out, cap);
    if (n == 0 || n >= cap)
        return FALSE;
    for (int up = 0; up < 3; up++) {
        WCHAR *slash = wcsrchr(out, L'\\');
        WCHAR *fwd = wcsrchr(out, L'/');
        if (fwd && (!slash || fwd > slash))
            slash = fwd;
        if (!slash)
            return FALSE;
        *slash = 0;
    }
    if (wcslen(out) + 1 + wcslen(name) + 1 > cap)
        return FALSE;
    wcscat(out, L"\\");
    wcscat(out, name);
    return TRUE;
}

HMODULE shipped_exe_load(WCHAR *path, DWORD cap)
{
    DWORD n = GetEnvironmentVariableW(L"OFNOTIFY_EXE", path, cap);
    if (n == 0 || n >= cap) {
        path[0] = 0;
        if (!build_file(L"ofnotify.exe", path, cap))
            return NULL;
    }
    return LoadLibraryExW(path, NULL, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
}
