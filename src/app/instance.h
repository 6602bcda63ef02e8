/* ofnotify: one tray instance per user and sign-in session, and the small
 * protocol by which other ofnotify processes of the same user (a second
 * start, --exit, --wait-idle, --sync-now, --status) reach it. */
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

/* instance_claim's answers. */
enum { INSTANCE_FIRST, INSTANCE_RUNNING };

/* Claims this user's instance mutex for the session. INSTANCE_FIRST with
 * *mutex the handle to keep for the process's life (NULL when another user
 * holds the name: see instance.c), or INSTANCE_RUNNING when this user's
 * instance runs already. */
int instance_claim(HANDLE *mutex);

/* TRUE when wnd is a window of a process of this user; its process and
 * thread ids then go to *pid and *thread (either may be NULL). */
BOOL instance_window_of_user(HWND wnd, DWORD *pid, DWORD *thread);

/* A second start: ask the running instance to show its history window;
 * returns once it has (or after 5 s, when it is slow to). */
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

/* ---- the running instance's side ----
 * Every request above reaches the app window as a WM_COPYDATA sent from a
 * window of the asking process (wParam). */

typedef enum instance_command {
    INSTANCE_SHOW_HISTORY = 1, /* a second start */
    INSTANCE_EXIT,             /* --exit */
    INSTANCE_IDLE_PROBE,       /* --wait-idle */
    INSTANCE_SYNC_NOW,         /* --sync-now */
    INSTANCE_STATUS,           /* --status */
} instance_command;

typedef struct instance_request {
    instance_command command;
    HWND asker;   /* the window that asked */
    DWORD pid;    /* its process */
    DWORD thread; /* and thread: INSTANCE_SYNC_NOW's answer goes there */
    DWORD token;  /* INSTANCE_IDLE_PROBE: names the asker's event */
} instance_request;

/* The app window's (self's) WM_COPYDATA: TRUE with *req filled for a
 * well-formed request from a window of a process of this user that confirms
 * it sent it; FALSE (which WM_COPYDATA then returns) for anything else, with
 * a line for the debugger when the asker is refused. */
BOOL instance_read_request(HWND self, WPARAM wp, LPARAM lp, instance_request *req);

/* Queues *req and posts WM_OFN_REQUEST to self, so the request is handled in
 * turn after the messages already posted (and, for a Sync now, outside the
 * sent message). FALSE if it could not be queued. */
BOOL instance_defer(HWND self, const instance_request *req);

/* WM_OFN_REQUEST: the oldest queued request; FALSE when none is left (a
 * WM_OFN_REQUEST posted by anyone but instance_defer finds none to take). */
BOOL instance_next_deferred(instance_request *req);

/* INSTANCE_IDLE_PROBE, handled: sets the asker's event. */
void instance_answer_idle_probe(const instance_request *req);

/* INSTANCE_STATUS: sends *st to the asker's window. Returns the value the
 * request's WM_COPYDATA returns. */
LRESULT instance_answer_status(HWND self, HWND asker, const instance_status *st);

#endif
