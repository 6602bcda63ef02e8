/* ofnotify: the bound on the exit's last steps. See exitguard.h. */
#include "exitguard.h"

static BOOL allowed;
static UINT guard_code;
static DWORD guard_ms;
static LONG armed;

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
    Sleep(guard_ms);
    OutputDebugStringA("ofnotify: exit: not finished in time after everything was saved; ending the process\n");
    TerminateProcess(GetCurrentProcess(), guard_code);
    return 0;
}

BOOL exitguard_arm(DWORD ms)
{
    HANDLE thread;
    if (!allowed)
        return FALSE;
    if (InterlockedCompareExchange(&armed, 1, 0) != 0)
        return TRUE;
    guard_ms = ms;
    thread = CreateThread(NULL, 0, guard, NULL, 0, NULL);
    if (!thread) {
        InterlockedExchange(&armed, 0);
        return FALSE;
    }
    CloseHandle(thread);
    return TRUE;
}
