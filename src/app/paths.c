/* ofnotify: where ofnotify keeps its files. See paths.h. */
#include "paths.h"

#include <knownfolders.h>
#include <shlobj.h>
#include <stdio.h>

DWORD paths_data_dir(const WCHAR *override, WCHAR *out, size_t cap)
{
    if (override) {
        DWORD n = GetFullPathNameW(override, (DWORD)cap, out, NULL);
        if (n == 0)
            return GetLastError();
        if (n >= cap)
            return ERROR_FILENAME_EXCED_RANGE;
        return 0;
    }
    PWSTR base = NULL;
    HRESULT hr = SHGetKnownFolderPath(&FOLDERID_LocalAppData, KF_FLAG_DEFAULT, NULL, &base);
    if (FAILED(hr))
        return (DWORD)hr;
    int n = _snwprintf(out, cap, L"%ls\\ofnotify", base);
    CoTaskMemFree(base);
    if (n < 0 || (size_t)n >= cap)
        return ERROR_FILENAME_EXCED_RANGE;
    return 0;
}

DWORD paths_history_utf8(const WCHAR *dir, char *out, size_t cap)
{
    WCHAR path[MAX_PATH * 4];
    int n = _snwprintf(path, ARRAYSIZE(path), L"%ls\\" HISTORY_FILE_NAME, dir);
    if (n < 0 || (size_t)n >= ARRAYSIZE(path))
        return ERROR_FILENAME_EXCED_RANGE;
    if (!WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, path, -1, out, (int)cap, NULL, NULL))
        return GetLastError();
    return 0;
}
