/* ofnotify: private window messages of the app window, one contiguous range.
 *
 * Other threads, APCs and other ofnotify processes talk to the app window only
 * through these; everything after the post runs on the main thread, in order. */
#ifndef OFNOTIFY_MESSAGES_H
#define OFNOTIFY_MESSAGES_H

#include <windows.h>

enum {
    /* From the sink: wParam = sink_event_kind, lParam as sink.h describes. */
    WM_OFN_SINK_EVENT = WM_APP + 1,
    /* From the CscService watcher's APC: wParam = SERVICE_STATUS dwCurrentState. */
    WM_OFN_SERVICE_STATE,
    /* From another ofnotify process (instance.c). */
    WM_OFN_SHOW_HISTORY,   /* a second start: show the history window */
    WM_OFN_EXIT_REQUEST,   /* --exit */
    WM_OFN_IDLE_PROBE,     /* --wait-idle: wParam = caller's process id, lParam = token */
    /* From the notification-area icon (NOTIFYICON_VERSION_4 layout). */
    WM_OFN_TRAY,
    /* From the history window's Clear history…, sent (never posted) on the
     * main thread after the user confirmed; lParam = the of_history * the
     * window showed, so only the store the user saw is cleared. Returns the
     * of_history_err. */
    WM_OFN_CLEAR_HISTORY,
    /* From the Sync now progress object (syncnow.h): wParam = SYNCNOW_WPARAM,
     * lParam = End's HRESULT. */
    WM_OFN_SYNC_PROGRESS,
    /* From another ofnotify process (--sync-now): wParam = the asker's thread
     * id, which gets WM_OFN_SYNC_NOW_REPLY (wParam = syncnow_result,
     * lParam = HRESULT) as a thread message. */
    WM_OFN_SYNC_NOW_REQUEST,
    WM_OFN_SYNC_NOW_REPLY,
    /* From another ofnotify process (--status), sent with SendMessageTimeout:
     * wParam = the asker's window, which gets an instance_status as
     * WM_COPYDATA before this returns TRUE (instance.h). */
    WM_OFN_STATUS_QUERY,
    WM_OFN_OPEN_HISTORY,   /* after start-up: open (and recover) the history file */
    /* From the sink's BackgroundSyncEnd, sent (never posted) on the main
     * thread before it answers the service: handle the queued sink events
     * now, so the pass is on disk before the service hears S_OK. */
    WM_OFN_SINK_FLUSH,
    WM_OFN_LAST
};

#endif
