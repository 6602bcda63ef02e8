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
    EXIT_NOT_SUBSCRIBED = 6,/* --status: ofnotify runs but hears of no background sync */
};

/* --status: what the running instance says about itself. Sent back to the
 * asker as WM_COPYDATA; `size` is checked, so both sides must be the same
 * version of ofnotify to understand each other. */
typedef struct instance_status {
    DWORD size;            /* sizeof(instance_status) */
    DWORD pid;
    DWORD csc_state;       /* cscsvc.h's csc_state */
    DWORD level;           /* of the connection point advised on; 0 while not subscribed */
    ULONGLONG since;       /* FILETIME (UTC) of that Advise; 0 while not subscribed */
    ULONGLONG events;      /* bit n set: the event filter asks for OFFLINEFILES_EVENTS n */
    WCHAR history_path[MAX_PATH * 2];
    DWORD store_problem;   /* app_store.h's store_problem; 0: the history takes records */
    DWORD store_where;     /* store_where: where records that are not in the history wait */
    ULONGLONG store_waiting; /* how many wait */
    ULONGLONG store_lost;  /* records not even memory could keep */
    WCHAR journal_path[MAX_PATH * 2]; /* the journal they wait in; "" in memory or none */
} instance_status;

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

/* --status: ask the running instance about itself and wait up to
 * timeout_ms. EXIT_OK with *out filled, EXIT_NOT_RUNNING, EXIT_TIMEOUT (it
 * is hung or too busy: SendMessageTimeout gives up rather than hang), or
 * EXIT_ERROR. */
int instance_query_status(DWORD timeout_ms, instance_status *out);

/* The app window's answer to WM_OFN_IDLE_PROBE. */
void instance_answer_idle_probe(WPARAM wp, LPARAM lp);

/* The app window's answer to WM_OFN_STATUS_QUERY (wp as it came): sends
 * *st to the asker. Returns the value WM_OFN_STATUS_QUERY returns. */
LRESULT instance_answer_status(HWND self, WPARAM wp, const instance_status *st);

#endif
