/* ofnotify: the wall clock as core sees it (ms since 1970-01-01 UTC) and
 * back to the user's local time for display. */
#ifndef OFNOTIFY_WALLCLOCK_H
#define OFNOTIFY_WALLCLOCK_H

#include <stdint.h>
#include <windows.h>

int64_t wallclock_now_ms(void);

/* ms since 1970 (UTC) → local time with the time-zone rules of that date.
 * FALSE for OF_TIME_UNKNOWN and anything outside 1601..9999. */
BOOL wallclock_to_local(int64_t ms, SYSTEMTIME *local);

#endif
