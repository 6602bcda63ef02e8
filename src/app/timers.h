/* ofnotify: timer IDs of the app window, one per owner. */
#ifndef OFNOTIFY_TIMERS_H
#define OFNOTIFY_TIMERS_H

enum {
    TIMER_CSC_RETRY = 1,   /* cscsvc: subscribe again after a failed attempt */
    TIMER_PASS_EXPIRY,     /* app: give up passes whose End never came */
    TIMER_HISTORY_RETRY,   /* app: write records that could not be written yet */
};

#endif
