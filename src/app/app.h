/* ofnotify: the tray application: its hidden top-level window (which gets
 * the session's broadcasts: WM_QUERYENDSESSION, WM_ENDSESSION, TaskbarCreated)
 * and the state behind it. Every event, from the sink, the service watch,
 * timers or other ofnotify processes, arrives here as a window message and is
 * handled on the main thread, in order. */
#ifndef OFNOTIFY_APP_H
#define OFNOTIFY_APP_H

#include <windows.h>

#include "cli.h"

/* Runs the tray application until it exits; returns the process exit code.
 * The caller has initialised COM as a single-threaded apartment. */
int app_run(HINSTANCE instance, const cli_options *opts);

#endif
