/* ofnotify: one tray instance per sign-in session, and the small protocol by
 * which other ofnotify processes (a second start, --exit, --wait-idle,
 * --sync-now) reach it. */
#ifndef OFNOTIFY_INSTANCE_H
#define OFNOTIFY_INSTANCE_H

#include <windows.h>

#define APP_WINDOW_CLASS L"ofnotify.AppWindow"

/* Exit codes shared by every command-line mode (README and --help say the same). */
enum {
    EXIT_OK = 0,
    EXIT_ERROR = 1,
    EXIT_USAGE = 2,
    EXIT_NOT_RUNNING = 3,
    EXIT_TIMEOUT = 4,
    EXIT_BUSY = 5,          /* --sync-now: a sync started from ofnotify still runs */
};

/* Claims the session-wide instance mutex. Returns the handle to keep for the
 * process's life, or NULL when another instance holds it. */
HANDLE instance_claim(void);

/* A second start: ask the running instance to show its history window. */
int instance_show_history(void);

/* --exit: ask the running instance to exit cleanly and wait up to timeout_ms. */
int instance_request_exit(DWORD timeout_ms);

/* --wait-idle: return once the running instance has handled every message
 * queued before this call (events the sink received included). */
int instance_wait_idle(DWORD timeout_ms);

/* --sync-now: ask the running instance to start a Sync now and wait up to
 * timeout_ms for its answer, a syncnow_result in *result and an HRESULT in
 * *hr (both left alone unless EXIT_OK is returned). The running instance
 * posts the answer back to this thread (WM_OFN_SYNC_NOW_REPLY): it cannot
 * answer a sent message, because starting a sync makes COM calls, which COM
 * refuses inside an inter-process SendMessage. */
int instance_request_sync_now(DWORD timeout_ms, int *result, HRESULT *hr);

/* The app window's answer to WM_OFN_IDLE_PROBE. */
void instance_answer_idle_probe(WPARAM wp, LPARAM lp);

#endif
