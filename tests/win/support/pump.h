/* Test support: running the calling thread's message queue, as the app's
 * message loop does, without blocking when it is empty. */
#ifndef OFNOTIFY_TEST_PUMP_H
#define OFNOTIFY_TEST_PUMP_H

#include <windows.h>

/* Takes a message before it is dispatched: TRUE when it is handled (it is
 * then neither translated nor dispatched). */
typedef BOOL (*pump_filter)(MSG *msg, void *ctx);

/* Every message now waiting: translated and dispatched. */
void pump(void);

/* The same, each message offered to take first (take may be NULL). */
void pump_with(pump_filter take, void *ctx);

/* Pumps (as pump_with) until handle is signalled or ms have passed
 * (INFINITE: no limit). TRUE if it was signalled. */
BOOL pump_until(HANDLE handle, DWORD ms, pump_filter take, void *ctx);

#endif
