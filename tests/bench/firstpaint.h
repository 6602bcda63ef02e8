/* make bench: when a window's first list view finishes its first WM_PAINT.
 *
 * A CBT hook sees every window the thread creates; the first list view is
 * subclassed as it is created and its first WM_PAINT, once done, is the
 * moment. Only window creation passes through the hook, and the subclass
 * removes itself, so the timing costs the window next to nothing (a hook on
 * every message would: under Wine each call of such a hook goes to the
 * server, which tripled what was measured). Shared by bench_historywnd.c and
 * its floor, bench_listfloor.c, so both are timed the same way. */
#ifndef OFNOTIFY_BENCH_FIRSTPAINT_H
#define OFNOTIFY_BENCH_FIRSTPAINT_H

#include <windows.h>

/* Starts watching the calling thread for the next list view's first paint. */
BOOL firstpaint_start(void);

/* Stops watching. TRUE with *at (QueryPerformanceCounter) if a list view
 * painted since firstpaint_start. */
BOOL firstpaint_stop(LARGE_INTEGER *at);

#endif
