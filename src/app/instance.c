/* ofnotify: single instance and the requests other processes make. See instance.h. */
#include "instance.h"

#include <stdio.h>

#include "messages.h"

#define MUTEX_NAME L"Local\\ofnotify.instance"

HANDLE instance_claim(void)
{
    HANDLE mutex = CreateMutexW(NULL, TRUE, MUTEX_NAME);
    if (mutex && GetLastError() == ERROR_ALREADY_EXISTS) {
        CloseHandle(mutex);
        return NULL;
    }
    return mutex;
}

/* The running instance's window. It may not exist yet if that instance is
 * still starting, so wait briefly for it. */
static HWND find_app_window(DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    for (;;) {
        HWND wnd = FindWindowW(APP_WINDOW_CLASS, NULL);
        if (wnd || GetTickCount64() >= until)
            return wnd;
        Sleep(50);
    }
}

int instance_show_history(void)
{
    DWORD pid = 0;
    HWND wnd = find_app_window(5000);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* Let the running instance bring its window to the front. */
    GetWindowThreadProcessId(wnd, &pid);
    AllowSetForegroundWindow(pid);
    return PostMessageW(wnd, WM_OFN_SHOW_HISTORY, 0, 0) ? EXIT_OK : EXIT_ERROR;
}

int instance_request_exit(DWORD timeout_ms)
{
    DWORD pid = 0, wait;
    HANDLE process;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    GetWindowThreadProcessId(wnd, &pid);
    process = OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (!PostMessageW(wnd, WM_OFN_EXIT_REQUEST, 0, 0)) {
        if (process)
            CloseHandle(process);
        return EXIT_ERROR;
    }
    if (!process)
        return EXIT_OK; /* asked; cannot watch it go */
    wait = WaitForSingleObject(process, timeout_ms);
    CloseHandle(process);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

int instance_request_sync_now(DWORD timeout_ms, int *result, HRESULT *hr)
{
    ULONGLONG until = GetTickCount64() + timeout_ms;
    MSG msg;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* The reply is a thread message: this thread needs its queue first. */
    PeekMessageW(&msg, NULL, WM_USER, WM_USER, PM_NOREMOVE);
    if (!PostMessageW(wnd, WM_OFN_SYNC_NOW_REQUEST, (WPARAM)GetCurrentThreadId(), 0))
        return EXIT_ERROR;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            if (msg.message == WM_OFN_SYNC_NOW_REPLY && msg.hwnd == NULL) {
                *result = (int)msg.wParam;
                *hr = (HRESULT)msg.lParam;
                return EXIT_OK;
            }
        }
        if (now >= until)
            return EXIT_TIMEOUT;
        MsgWaitForMultipleObjects(0, NULL, FALSE, (DWORD)(until - now), QS_POSTMESSAGE);
    }
}

static void probe_event_name(DWORD pid, DWORD token, WCHAR *name, size_t cap)
{
    _snwprintf(name, cap, L"Local\\ofnotify.idle.%lu.%lu", (unsigned long)pid, (unsigned long)token);
    name[cap - 1] = 0;
}

/* Posted messages are handled in the order they were posted, so when the
 * probe is handled, every event the sink posted before it has been too. */
int instance_wait_idle(DWORD timeout_ms)
{
    WCHAR name[64];
    DWORD token = GetTickCount();
    HANDLE done;
    DWORD wait;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    probe_event_name(GetCurrentProcessId(), token, name, ARRAYSIZE(name));
    done = CreateEventW(NULL, TRUE, FALSE, name);
    if (!done)
        return EXIT_ERROR;
    if (!PostMessageW(wnd, WM_OFN_IDLE_PROBE, (WPARAM)GetCurrentProcessId(), (LPARAM)token)) {
        CloseHandle(done);
        return EXIT_ERROR;
    }
    wait = WaitForSingleObject(done, timeout_ms);
    CloseHandle(done);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

void instance_answer_idle_probe(WPARAM wp, LPARAM lp)
{
    WCHAR name[64];
    HANDLE done;
    probe_event_name((DWORD)wp, (DWORD)lp, name, ARRAYSIZE(name));
    done = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
    if (done) {
        SetEvent(done);
        CloseHandle(done);
    }
}
