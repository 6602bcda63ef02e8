/* ofnotify: timer IDs of the app window, one per owner. */
#ifndef OFNOTIFY_TIMERS_H
#define OFNOTIFY_TIMERS_H

enum {
    TIMER_CSC_RETRY = 1,   /* cscsvc: subscribe again after a failed attempt */
    TIMER_PASS_EXPIRY,     /* app: give up passes whose End never came */
    TIMER_HISTORY_RETRY,   /* app: write records that could not be written yet */
    TIMER_TRAY_RETRY,      /* app: add the tray icon once the shell is up */
    TIMER_TRAY_REFRESH,    /* app: show gathered changes on the tray icon */
    TIMER_NOTIFY,          /* app: a balloon decided by core/notify is due */
    TIMER_SYNC_NOW_EXIT,   /* app: Exit stops waiting for a Sync now to end */
    TIMER_OFFLINE,         /* app: a scope's grace period before the offline balloon is over */
    TIMER_CONFLICT_BALLOON, /* app: tell of the conflicts a pass has just logged */
};

#endif
