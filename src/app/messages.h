/* ofnotify: private window messages of the app window, one contiguous range.
 *
 * Other threads and APCs talk to the app window only through these;
 * everything after the post runs on the main thread, in order. Other ofnotify
 * processes send WM_COPYDATA requests instead (instance.h), which say who
 * asks. */
#ifndef OFNOTIFY_MESSAGES_H
#define OFNOTIFY_MESSAGES_H

#include <windows.h>

enum {
    /* From the sink: wParam = postkey_wrap(sink_event_kind) (postkey.h),
     * lParam as sink.h describes. */
    WM_OFN_SINK_EVENT = WM_APP + 1,
    /* From the CscService watcher's APC: wParam = postkey_wrap(SERVICE_STATUS
     * dwCurrentState). */
    WM_OFN_SERVICE_STATE,
    /* Posted to itself by instance_defer: a request from another ofnotify
     * process, accepted and queued (instance.h), is due. */
    WM_OFN_REQUEST,
    /* From the notification-area icon (NOTIFYICON_VERSION_4 layout). */
    WM_OFN_TRAY,
    /* From the history window's Clear history…, sent (never posted) on the
     * main thread after the user confirmed; lParam = the of_history * the
     * window showed, so only the store the user saw is cleared. Returns the
     * of_history_err. */
    WM_OFN_CLEAR_HISTORY,
    /* From the Sync now progress object (syncnow.h): wParam =
     * postkey_wrap(SYNCNOW_WPARAM), lParam = End's HRESULT. */
    WM_OFN_SYNC_PROGRESS,
    /* To the thread of another ofnotify process that asked for a Sync now
     * (instance.h): wParam = syncnow_result, lParam = HRESULT. */
    WM_OFN_SYNC_NOW_REPLY,
    WM_OFN_OPEN_HISTORY,   /* after start-up: open (and recover) the history file */
    /* From the sink's BackgroundSyncEnd, sent (never posted) on the main
     * thread before it answers the service: handle the queued sink events
     * now, so the pass is on disk before the service hears S_OK. */
    WM_OFN_SINK_FLUSH,
    WM_OFN_LAST
};

#endif
