/* ofnotify: the bound on the exit's last steps. See exitguard.h. */
#include "exitguard.h"

static LONG armed;
static DWORD guard_ms;
static UINT guard_code;

/* Runs while the exit may be stuck on a lock: no allocation, no formatting,
 * nothing but a fixed line for a debugger and the end. */
static DWORD WINAPI guard(void *param)
{
    (void)param;
    Sleep(guard_ms);
    OutputDebugStringA("ofnotify: the exit did not finish in time after everything was saved; ending the process\n");
    TerminateProcess(GetCurrentProcess(), guard_code);
    return 0;
}

BOOL exitguard_arm(DWORD ms, UINT code)
{
    HANDLE thread;
    if (InterlockedCompareExchange(&armed, 1, 0) != 0)
        return TRUE;
    guard_ms = ms;
    guard_code = code;
    thread = CreateThread(NULL, 0, guard, NULL, 0, NULL);
    if (!thread) {
        InterlockedExchange(&armed, 0);
        return FALSE;
    }
    CloseHandle(thread);
    return TRUE;
}
