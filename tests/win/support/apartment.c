/* Test support: COM apartments (apartment.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <objbase.h>
#include <stdlib.h>

#include "support/apartment.h"

static BOOL register_target_class(void)
{
    const WNDCLASSEXW wc = {
        .cbSize = sizeof(wc),
        .lpfnWndProc = DefWindowProcW,
        .hInstance = GetModuleHandleW(NULL),
        .lpszClassName = STA_TARGET_CLASS,
    };
    return RegisterClassExW(&wc) != 0;
}

int sta_group_setup(void **state)
{
    *state = NULL;
    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)))
        return -1;
    if (!register_target_class()) {
        CoUninitialize();
        return -1;
    }
    *state = (void *)STA_TARGET_CLASS; /* anything but NULL: set up */
    return 0;
}

/* cmocka calls this after a failed setup too, with no state. */
int sta_group_teardown(void **state)
{
    if (!*state)
        return 0;
    UnregisterClassW(STA_TARGET_CLASS, GetModuleHandleW(NULL));
    CoUninitialize();
    return 0;
}

HWND sta_target_window(void)
{
    HWND hwnd = CreateWindowExW(0, STA_TARGET_CLASS, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, GetModuleHandleW(NULL),
                                NULL);
    assert_non_null(hwnd);
    return hwnd;
}

typedef struct apartment_start {
    DWORD coinit;
    void (*fn)(void *arg);
    void *arg;
} apartment_start;

static DWORD WINAPI apartment_main(void *param)
{
    apartment_start start = *(apartment_start *)param;
    HRESULT hr;
    free(param);
    hr = CoInitializeEx(NULL, start.coinit);
    if (FAILED(hr))
        return (DWORD)hr;
    start.fn(start.arg);
    CoUninitialize();
    return (DWORD)hr;
}

HANDLE apartment_thread(DWORD coinit, void (*fn)(void *arg), void *arg)
{
    apartment_start *start = malloc(sizeof(*start));
    HANDLE thread;
    if (!start)
        return NULL;
    *start = (apartment_start){.coinit = coinit, .fn = fn, .arg = arg};
    thread = CreateThread(NULL, 0, apartment_main, start, 0, NULL);
    if (!thread)
        free(start);
    return thread;
}

HWND apartment_wait_window(const WCHAR *cls, DWORD wait_ms)
{
    for (DWORD waited = 0;; waited += 20) {
        HWND wnd = FindWindowW(cls, NULL);
        if (wnd || waited >= wait_ms)
            return wnd;
        Sleep(20);
    }
}
