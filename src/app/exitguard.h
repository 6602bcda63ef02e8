/* ofnotify: a bound on the time the process takes to end once nothing is
 * left to save.
 *
 * After the subscription is dropped and the history, the journals and the
 * conflicts file are closed, what remains of an exit is the icon and the
 * window going, COM's shutdown (releasing proxies to the service, waiting
 * for its RPC threads) and the process's own end. None of it keeps
 * anything, but each waits on something outside ofnotify: a service or
 * shell that does not answer, or a lock held by a thread ExitProcess ended.
 * A sign-out, an installer's Restart Manager or a user's Exit must not find
 * the process still there, so the guard ends it if it is. */
#ifndef OFNOTIFY_EXITGUARD_H
#define OFNOTIFY_EXITGUARD_H

#include <windows.h>

/* The process's entry point allows the guard to end the process, with exit
 * code code. Without this, exitguard_arm does nothing: code that runs the
 * app inside another program (the tests) is never ended by it. */
void exitguard_allow(UINT code);

/* If allowed and the process still runs ms from now, it is ended. The
 * first call arms the guard; later calls change nothing. FALSE if it is not
 * allowed or could not be started (the exit is then unbounded). */
BOOL exitguard_arm(DWORD ms);

#endif
