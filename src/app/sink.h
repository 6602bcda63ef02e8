/* ofnotify: the Offline Files event sink (a COM object in plain C).
 *
 * One object answers IUnknown, IOfflineFilesEvents, ...2, ...3 and ...4 with
 * one 42-slot vtable, and IOfflineFilesEventsFilter with a second one. The
 * service calls it on the main thread's message loop (STA). Every method copies
 * what ofnotify uses, posts one WM_OFN_SINK_EVENT to the target window and
 * returns S_OK at once: a slow sink makes the service drop events. The one
 * exception is BackgroundSyncEnd on the window's thread: it then sends
 * WM_OFN_SINK_FLUSH, so the pass is recorded before S_OK tells the service
 * it was taken (one flushed append to the history file, or to its journal
 * while the history is not open yet or cannot be written); an End it could
 * not post (a full queue) it answers E_FAIL. Once detached, every event
 * method returns RPC_E_DISCONNECTED instead, which makes the service drop
 * the subscription. */
#ifndef OFNOTIFY_SINK_H
#define OFNOTIFY_SINK_H

#include <windows.h>
#include <unknwn.h>

typedef enum sink_event_kind {
    SINK_BACKGROUND_SYNC_BEGIN = 1, /* flags */
    SINK_BACKGROUND_SYNC_END,       /* flags */
    SINK_SYNC_BEGIN,                /* sync_id */
    SINK_SYNC_FILE_RESULT,          /* sync_id, hr, path */
    SINK_SYNC_END,                  /* sync_id, hr */
    SINK_SYNC_CONFLICT,             /* path, when, conflict_state; flags = 0 added, 1 updated, 2 removed */
    SINK_RECONNECT_BEGIN,
    SINK_RECONNECT_END,
    SINK_SETTINGS_CHANGED,          /* policy or preference changed, or changes applied */
    SINK_DATA_LOST,
    SINK_PING,
    SINK_ITEM_DISCONNECTED,         /* path; flags = OFFLINEFILES_ITEM_TYPE */
    SINK_ITEM_RECONNECTED,          /* path; flags = OFFLINEFILES_ITEM_TYPE */
    SINK_NET_ARRIVED,
    SINK_NO_NET
} sink_event_kind;

/* WM_OFN_SINK_EVENT's lParam: the flags for the two background sync kinds
 * (no allocation on the path that matters most), a sink_event* for the
 * SYNC_*, CONFLICT and ITEM_* kinds (NULL when memory ran out; that is also
 * counted as lost), 0 for the rest. */

/* What a method call carried, copied: its arguments are only valid during the call. */
typedef struct sink_event {
    DWORD flags;
    HRESULT hr;
    GUID sync_id;
    DWORD conflict_state;
    FILETIME when; /* conflicts: when the service logged it (UTC); zero when it gave none */
    WCHAR path[]; /* NUL-terminated; empty when the event has no path */
} sink_event;

/* Creates a sink that posts to `target`. *out holds one reference. */
HRESULT sink_create(HWND target, IUnknown **out);

/* `sink` below is always the pointer sink_create returned. */

/* How many events could not be posted since the last call (the queue was full
 * or memory ran out); the app treats a non-zero answer like DataLost. */
LONG sink_take_lost(IUnknown *sink);

/* Stops posting (the target window is going away); the object lives on until
 * the service releases its last reference, answering RPC_E_DISCONNECTED. */
void sink_detach(IUnknown *sink);

/* The events the filter asks the service for, and how many there are. */
const int *sink_wanted_events(ULONG *count);

void sink_event_free(sink_event *ev);

#endif
