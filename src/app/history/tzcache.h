/* ofnotify: UTC → local time, fast enough for a million records (app/history/tzcache).
 *
 * SystemTimeToTzSpecificLocalTime costs microseconds a call; the history
 * window converts two times per row, the chart and the search one or two per
 * record. The offset from UTC changes at most twice a year, so this cache
 * keeps one offset per UTC day and asks Windows only for days it has not seen
 * (and, on the rare day with a transition, for each quarter hour: every time
 * zone offset and transition lies on a quarter hour).
 *
 * The results are those of SystemTimeToTzSpecificLocalTime with the same time
 * zone. Not thread-safe: one cache per thread (the UI thread uses one). */
#ifndef OFNOTIFY_TZCACHE_H
#define OFNOTIFY_TZCACHE_H

#include <stdint.h>

#include <windows.h>

#define TZCACHE_SLOTS 1024

typedef struct tzcache_day {
    int64_t day;    /* UTC day number (days since 1970), or INT64_MIN: empty */
    int32_t offset; /* minutes east of UTC for the whole day, or TZCACHE_MIXED */
} tzcache_day;

typedef struct tzcache {
    BOOL use_tz;               /* FALSE: the system's current time zone */
    TIME_ZONE_INFORMATION tz;
    tzcache_day days[TZCACHE_SLOTS];
} tzcache;

/* An empty cache for tz, or for the system's time zone when tz is NULL. */
void tzcache_init(tzcache *c, const TIME_ZONE_INFORMATION *tz);

/* Forgets every offset (the user changed the time zone). */
void tzcache_reset(tzcache *c);

/* The local offset in minutes (local = UTC + offset) at utc_ms. FALSE for
 * times SYSTEMTIME cannot hold (OF_TIME_UNKNOWN, before 1601, after 9999). */
BOOL tzcache_offset(tzcache *c, int64_t utc_ms, int32_t *offset_min);

/* utc_ms (ms since 1970) as local time. FALSE as above. */
BOOL tzcache_to_local(tzcache *c, int64_t utc_ms, SYSTEMTIME *local);

/* The UTC time of local midnight starting the local day `local_day` (days
 * since 1970-01-01 in local time). When midnight does not exist (a zone that
 * springs forward at midnight), the first local minute after it. */
int64_t tzcache_local_midnight_utc(tzcache *c, int64_t local_day);

#endif
