/* ofnotify: a bound on the time the process takes to end once nothing is
 * left to save.
 *
 * After the subscription is dropped and the history, the journals and the
 * conflicts file are closed, what remains of an exit is the window going,
 * COM's shutdown (releasing proxies to the service, waiting for its RPC
 * threads) and the process's own end. None of it keeps anything, but each
 * waits on something outside ofnotify: a service or shell that does not
 * answer, or a lock held by a thread ExitProcess ended. A sign-out, an
 * installer's Restart Manager or a user's Exit must not find the process
 * still there, so the guard ends it if it is. */
#ifndef OFNOTIFY_EXITGUARD_H
#define OFNOTIFY_EXITGUARD_H

#include <windows.h>

/* If the process still runs ms from now, it is ended with exit code code.
 * The first call arms the guard; later calls change nothing. FALSE if no
 * guard could be started (the exit is then unbounded, as before). */
BOOL exitguard_arm(DWORD ms, UINT code);

#endif
