/* ofnotify: app/eventlog, every sync pass and every change an administrator
 * cares about, in the Windows Event Log (Application log, source "ofnotify"),
 * where Windows Event Forwarding collects it fleet-wide.
 *
 * One event per recorded pass, its ID from status and direction (1100 +
 * 10 * status + direction), its insertion strings the record's fields; events
 * for the Offline Files service (1200..1204), the history file (1300..1303)
 * and events this module had to drop (1400). res/messages.mc holds the texts
 * and the table of IDs; the types are information for completed passes, the
 * service available and records written again, warning for unpaired and
 * interrupted passes and the service gone, error for history trouble.
 *
 * Writing never holds up the caller: the calls below copy the event into a
 * bounded queue (EVENTLOG_QUEUE_CAP) and a writer thread registers the
 * source and calls ReportEventW, so a hung eventlog service stalls only that
 * thread. The writer runs only while there is something to write and ends
 * after EVENTLOG_LINGER_MS without an event: a thread costs memory, and an
 * idle ofnotify keeps none waiting here. A full queue drops the event and counts it; the count is written
 * as event 1400 once the writer catches up. If the log cannot be written
 * (RegisterEventSourceW or ReportEventW fails) ofnotify goes on; the first
 * error is kept for the About dialog (eventlog_get_status). Without the
 * per-machine installer the source is not registered: Windows still stores
 * the events and shows their insertion strings without the texts.
 *
 * Every write is also a line for a debugger ("ofnotify: event 1101 ..."),
 * which the end-to-end tests count.
 *
 * The queueing calls and eventlog_start/stop are for the main thread. */
#ifndef OFNOTIFY_EVENTLOG_H
#define OFNOTIFY_EVENTLOG_H

#include <stdint.h>

#include <windows.h>

#include "cscsvc.h"
#include "ofnotify/record.h"

#define EVENTLOG_SOURCE L"ofnotify"
#define EVENTLOG_QUEUE_CAP 256
/* How long a writer waits for the next event before it ends: a burst
 * (a pass and its service changes) is written by one thread. */
#define EVENTLOG_LINGER_MS 2000
/* Insertion strings per event, at most. */
#define EVENTLOG_STRINGS_MAX 8

/* The advapi32 calls the writer makes: a seam, so tests see every call. */
typedef struct eventlog_api {
    HANDLE(WINAPI *register_source)(LPCWSTR server, LPCWSTR source);
    BOOL(WINAPI *report)(HANDLE log, WORD type, WORD category, DWORD id, PSID user, WORD nstrings, DWORD data_size,
                         LPCWSTR *strings, LPVOID data);
    BOOL(WINAPI *deregister)(HANDLE log);
} eventlog_api;

/* Replaces the calls (NULL: advapi32's own). Only while stopped. */
void eventlog_set_api(const eventlog_api *api);

/* Makes ready the queue; `enabled` is the EventLog setting. FALSE (logged)
 * if it cannot: events are then not written, and nothing else changes. A
 * writer that cannot be made when an event comes is tried again with the
 * next, and the failure is kept (eventlog_get_status). */
BOOL eventlog_start(BOOL enabled);

/* The EventLog setting changed (a policy arrived). Off: nothing more is
 * queued; what already waits is still written. */
void eventlog_set_enabled(BOOL enabled);

/* Writes what waits for up to wait_ms, then stops the writer and
 * deregisters the source. A writer stuck in the log after wait_ms is left
 * to the process's end. */
void eventlog_stop(DWORD wait_ms);

/* TRUE once everything queued so far is written (or failed), within
 * wait_ms. */
BOOL eventlog_wait_idle(DWORD wait_ms);

/* One recorded pass. */
void eventlog_pass(const of_record *rec);

/* The service link as the app sees it after each change; only a state (or
 * level) other than the last one written becomes an event. level: the
 * subscription's 2..4 while running. last_error: cscsvc_last_error. */
void eventlog_service(csc_state state, int level, HRESULT last_error);

/* History file trouble, for the history store to report. */
typedef enum eventlog_store_event {
    EVENTLOG_STORE_DAMAGED = 0, /* 1300 error: the damaged file was kept as `kept_as`; `why` the issue */
    EVENTLOG_STORE_WAITING,     /* 1301 error: the file cannot be written; `records` wait (`why`: the error and where) */
    EVENTLOG_STORE_WRITTEN,     /* 1302 information: the history takes records again; `records` were merged */
    EVENTLOG_STORE_LOST,        /* 1303 error: ofnotify ended holding `records` no file could take */
    EVENTLOG_STORE_COUNT
} eventlog_store_event;

/* history_path, kept_as and why are UTF-8 (NULL: empty); kept_as is used
 * by EVENTLOG_STORE_DAMAGED only, records by the others. */
void eventlog_store_problem(eventlog_store_event what, const char *history_path, uint64_t records,
                            const char *kept_as, const char *why);

/* What the About dialog says. */
typedef struct eventlog_status {
    BOOL enabled;     /* the EventLog setting */
    DWORD error;      /* the first failure to register or report, 0 if none */
    uint64_t written; /* events ReportEventW accepted */
    uint64_t dropped; /* events lost to a full queue or a failed write */
} eventlog_status;

void eventlog_get_status(eventlog_status *out);

#endif
