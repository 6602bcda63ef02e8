/* make bench: the Windows-side steps tests/bench/sidebyside needs from inside the Wine prefix.
 *
 *   benchtool history FILE N       writes a history file of N completed passes (one a minute up to now,
 *                                  mixed directions), the file format the app reads
 *   benchtool wait CLASS SECS      waits until a visible top-level window of CLASS is up and has painted
 *   benchtool close CLASS SECS     sends WM_CLOSE to the top-level window of CLASS, as its close box
 *                                  does, and waits until it is gone
 *
 * Exit codes: 0 done, 1 failed or timed out, 2 bad usage. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <windows.h>
#include <shellapi.h>

#include "ofnotify/syncflags.h"
#include "support/records.h"

static int write_history(const WCHAR *path, size_t n)
{
    static const uint32_t dirs[] = {OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND,
                                    OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND,
                                    OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_BACKGROUND};
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    /* FILETIME counts 100 ns from 1601; the history counts ms from 1970. */
    int64_t now_ms = (int64_t)((((uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime) - 116444736000000000ull) / 10000);
    size_t size = 0;
    unsigned char *file = history_file_of(n, now_ms, dirs, ARRAYSIZE(dirs), &size);
    if (!file)
        return 1;
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    BOOL ok = h != INVALID_HANDLE_VALUE && WriteFile(h, file, (DWORD)size, &done, NULL) && done == size;
    if (h != INVALID_HANDLE_VALUE)
        ok = CloseHandle(h) && ok;
    free(file);
    return ok ? 0 : 1;
}

static int wait_window(const WCHAR *cls, DWORD secs)
{
    for (DWORD waited = 0; waited < secs * 1000; waited += 20) {
        HWND wnd = FindWindowW(cls, NULL);
        RECT r;
        /* GetUpdateRect with nothing left to paint: the window has painted at least once. */
        if (wnd && IsWindowVisible(wnd) && !GetUpdateRect(wnd, &r, FALSE))
            return 0;
        Sleep(20);
    }
    return 1;
}

static int close_window(const WCHAR *cls, DWORD secs)
{
    HWND wnd = FindWindowW(cls, NULL);
    if (!wnd)
        return 1;
    PostMessageW(wnd, WM_CLOSE, 0, 0);
    for (DWORD waited = 0; waited < secs * 1000; waited += 20) {
        if (!IsWindow(wnd))
            return 0;
        Sleep(20);
    }
    return 1;
}

int main(void)
{
    int argc = 0;
    WCHAR **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (!argv)
        return 1;
    if (argc == 4 && !wcscmp(argv[1], L"history"))
        return write_history(argv[2], (size_t)wcstoul(argv[3], NULL, 10));
    if (argc == 4 && !wcscmp(argv[1], L"wait"))
        return wait_window(argv[2], (DWORD)wcstoul(argv[3], NULL, 10));
    if (argc == 4 && !wcscmp(argv[1], L"close"))
        return close_window(argv[2], (DWORD)wcstoul(argv[3], NULL, 10));
    fputs("usage: benchtool history FILE N | wait CLASS SECS | close CLASS SECS\n", stderr);
    return 2;
}
