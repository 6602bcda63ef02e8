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

DWORD paths_check_data_dir(const WCHAR *override, BOOL must_exist, WCHAR *out, size_t cap)
{
    char history[MAX_PATH * 8];
    DWORD attrs, err = paths_data_dir(override, out, cap);
    if (!err)
        err = paths_history_utf8(out, history, sizeof(history));
    if (err)
        return err;
    attrs = GetFileAttributesW(out);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        err = GetLastError();
        if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
            return must_exist ? ERROR_PATH_NOT_FOUND : 0;
        return err;
    }
    return attrs & FILE_ATTRIBUTE_DIRECTORY ? 0 : ERROR_DIRECTORY;
}

/* What tells two names of one file apart from two files. */
typedef struct file_id {
    DWORD volume, high, low;
} file_id;

static BOOL get_file_id(const WCHAR *path, file_id *id)
{
    BY_HANDLE_FILE_INFORMATION info;
    BOOL ok;
    /* Attributes only, every sharing mode and folders too: asking must not
     * disturb a running ofnotify that holds the history open. */
    HANDLE h = CreateFileW(path, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    ok = GetFileInformationByHandle(h, &info);
    CloseHandle(h);
    if (!ok)
        return FALSE;
    id->volume = info.dwVolumeSerialNumber;
    id->high = info.nFileIndexHigh;
    id->low = info.nFileIndexLow;
    return TRUE;
}

static BOOL same_id(const file_id *a, const file_id *b)
{
    return a->volume == b->volume && a->high == b->high && a->low == b->low;
}

/* Cuts the last component off a full path ("C:\a\b" -> "C:\a" -> "C:\");
 * FALSE at the root. */
static BOOL to_parent(WCHAR *path)
{
    WCHAR *cut = wcsrchr(path, L'\\');
    if (!cut || !cut[1])
        return FALSE;
    if (cut == path || cut[-1] == L':' || cut[-1] == L'\\')
        cut++; /* keep the root's own backslash */
    *cut = 0;
    return TRUE;
}

BOOL paths_in_store(const WCHAR *target, const WCHAR *data_dir)
{
    WCHAR path[MAX_PATH * 4];
    file_id dir_id, id;
    DWORD n;
    int depth = 0;
    if (!get_file_id(data_dir, &dir_id))
        return FALSE; /* no folder, so nothing in it to overwrite */
    n = GetFullPathNameW(target, ARRAYSIZE(path), path, NULL);
    if (!n || n >= ARRAYSIZE(path))
        return FALSE;
    if (get_file_id(path, &id)) {
        WCHAR history[MAX_PATH * 4];
        file_id history_id;
        int len = _snwprintf(history, ARRAYSIZE(history), L"%ls\\" HISTORY_FILE_NAME, data_dir);
        /* A hard link to the history elsewhere is the history too. */
        if (len > 0 && (size_t)len < ARRAYSIZE(history) && get_file_id(history, &history_id) &&
            same_id(&id, &history_id))
            return TRUE;
    }
    /* The target or a folder above it that exists: a new file's folder, or
     * a deeper one, must not be the data folder. */
    do {
        if (get_file_id(path, &id) && same_id(&id, &dir_id))
            return TRUE;
    } while (++depth < 1024 && to_parent(path));
    return FALSE;
}
