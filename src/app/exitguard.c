/* ofnotify: the bound on the exit. See exitguard.h. */
#include "exitguard.h"

static BOOL allowed;
static UINT guard_code;
static LONG armed;
static volatile LONG64 deadline; /* GetTickCount64 ms; only ever brought forward */
static HANDLE wake;               /* auto-reset: the deadline moved */

void exitguard_allow(UINT code)
{
    guard_code = code;
    allowed = TRUE;
}

/* Runs while the exit may be stuck on a lock: no allocation, no formatting,
 * nothing but a fixed line for a debugger and the end. */
static DWORD WINAPI guard(void *param)
{
    (void)param;
    for (;;) {
        ULONGLONG now = GetTickCount64(), due = (ULONGLONG)InterlockedCompareExchange64(&deadline, 0, 0);
        if (now >= due)
            break;
        WaitForSingleObject(wake, due - now < INFINITE ? (DWORD)(due - now) : INFINITE - 1);
    }
    OutputDebugStringA("ofnotify: exit: not finished in time; ending the process\n");
    TerminateProcess(GetCurrentProcess(), guard_code);
    return 0;
}

BOOL exitguard_arm(DWORD ms)
{
    LONG64 due = (LONG64)(GetTickCount64() + ms), cur;
    HANDLE thread;
    if (!allowed)
        return FALSE;
    if (InterlockedCompareExchange(&armed, 1, 0) != 0) {
        /* Armed: an earlier time takes over, a later one changes nothing. */
        while ((cur = InterlockedCompareExchange64(&deadline, 0, 0)) > due)
            if (InterlockedCompareExchange64(&deadline, due, cur) == cur) {
                SetEvent(wake);
                break;
            }
        return TRUE;
    }
    InterlockedExchange64(&deadline, due);
    wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    thread = wake ? CreateThread(NULL, 0, guard, NULL, 0, NULL) : NULL;
    if (!thread) {
        if (wake)
            CloseHandle(wake);
        wake = NULL;
        InterlockedExchange(&armed, 0);
        return FALSE;
    }
    CloseHandle(thread);
    return TRUE;
}
