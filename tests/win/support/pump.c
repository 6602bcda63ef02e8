/* Test support: running the message queue (pump.h). */
#include <windows.h>

#include "support/pump.h"

void pump_with(pump_filter take, void *ctx)
{
    MSG msg;
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        if (take && take(&msg, ctx))
            continue;
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

void pump(void)
{
    pump_with(NULL, NULL);
}

/* Waits in slices of at most 100 ms, so a limit is kept however many
 * messages come. */
BOOL pump_until(HANDLE handle, DWORD ms, pump_filter take, void *ctx)
{
    DWORD start = GetTickCount();
    for (;;) {
        DWORD waited = GetTickCount() - start, slice = 100;
        if (ms != INFINITE) {
            if (waited >= ms)
                return WaitForSingleObject(handle, 0) == WAIT_OBJECT_0;
            if (ms - waited < slice)
                slice = ms - waited;
        }
        if (MsgWaitForMultipleObjects(1, &handle, FALSE, slice, QS_ALLINPUT) == WAIT_OBJECT_0)
            return TRUE;
        pump_with(take, ctx);
    }
}
