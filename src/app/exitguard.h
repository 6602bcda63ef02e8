/* ofnotify: a bound on the time the process takes to end.
 *
 * Every pass whose End was answered is on disk before the exit starts, so
 * what the exit still writes (passes given up as interrupted, the Event
 * Log) is worth a few seconds, not a process that never ends. The exit is
 * bounded twice: as a whole, from its start, and more tightly once
 * everything is saved, when what remains (the icon and the window going,
 * COM's shutdown releasing proxies to the service and waiting for its RPC
 * threads, the process's own end) keeps nothing but waits on others: a
 * service or shell that does not answer, or a lock held by a thread
 * ExitProcess ended. A sign-out, an installer's Restart Manager or a user's
 * Exit must not find the process still there, so the guard ends it if it
 * is. */
#ifndef OFNOTIFY_EXITGUARD_H
#define OFNOTIFY_EXITGUARD_H

#include <windows.h>

/* The process's entry point allows the guard to end the process, with exit
 * code code. Without this, exitguard_arm does nothing: code that runs the
 * app inside another program (the tests) is never ended by it. */
void exitguard_allow(UINT code);

/* If allowed and the process still runs ms from now, it is ended. The
 * first call arms the guard; a later call may bring the time forward, never
 * put it off. FALSE if it is not allowed or could not be started (the exit
 * is then unbounded). For the main thread. */
BOOL exitguard_arm(DWORD ms);

#endif
