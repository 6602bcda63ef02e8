/* ofnotify: fast UTC → local conversions. See tzcache.h. */
#include "tzcache.h"

#define MS_PER_MIN INT64_C(60000)
#define MS_PER_QUARTER (15 * MS_PER_MIN)
#define MS_PER_DAY INT64_C(86400000)
#define TZCACHE_MIXED INT32_MIN
/* FILETIME counts 100 ns from 1601; SYSTEMTIME ends with the year 9999. */
#define FILETIME_EPOCH_MS INT64_C(-11644473600000)
#define SYSTEMTIME_MAX_MS INT64_C(253402300799999)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static BOOL in_range(int64_t ms)
{
    return ms >= FILETIME_EPOCH_MS && ms <= SYSTEMTIME_MAX_MS;
}

static BOOL ms_to_systemtime(int64_t ms, SYSTEMTIME *st)
{
    ULARGE_INTEGER ticks;
    FILETIME ft;
    if (!in_range(ms))
        return FALSE;
    ticks.QuadPart = (ULONGLONG)(ms - FILETIME_EPOCH_MS) * 10000u;
    ft.dwLowDateTime = ticks.LowPart;
    ft.dwHighDateTime = ticks.HighPart;
    return FileTimeToSystemTime(&ft, st);
}

static int64_t systemtime_to_ms(const SYSTEMTIME *st, BOOL *ok)
{
    FILETIME ft;
    ULARGE_INTEGER ticks;
    *ok = SystemTimeToFileTime(st, &ft);
    if (!*ok)
        return 0;
    ticks.LowPart = ft.dwLowDateTime;
    ticks.HighPart = ft.dwHighDateTime;
    return (int64_t)(ticks.QuadPart / 10000u) + FILETIME_EPOCH_MS;
}

/* The one slow path: Windows' own conversion of one instant. */
static BOOL ask_windows(const tzcache *c, int64_t utc_ms, int32_t *offset_min)
{
    SYSTEMTIME utc, local;
    BOOL ok;
    int64_t local_ms;
    utc_ms -= utc_ms % 1000; /* whole seconds: SYSTEMTIME keeps ms, but be exact */
    if (!ms_to_systemtime(utc_ms, &utc) ||
        !SystemTimeToTzSpecificLocalTime(c->use_tz ? &c->tz : NULL, &utc, &local))
        return FALSE;
    local_ms = systemtime_to_ms(&local, &ok);
    if (!ok)
        return FALSE;
    *offset_min = (int32_t)floor_div(local_ms - utc_ms, MS_PER_MIN);
    return TRUE;
}

void tzcache_reset(tzcache *c)
{
    for (size_t i = 0; i < TZCACHE_SLOTS; i++) {
        c->days[i].day = INT64_MIN;
        c->days[i].offset = 0;
    }
}

void tzcache_init(tzcache *c, const TIME_ZONE_INFORMATION *tz)
{
    c->use_tz = tz != NULL;
    if (tz)
        c->tz = *tz;
    else
        ZeroMemory(&c->tz, sizeof(c->tz));
    tzcache_reset(c);
}

BOOL tzcache_offset(tzcache *c, int64_t utc_ms, int32_t *offset_min)
{
    int64_t day;
    tzcache_day *slot;
    if (!in_range(utc_ms))
        return FALSE;
    day = floor_div(utc_ms, MS_PER_DAY);
    slot = &c->days[(uint64_t)day % TZCACHE_SLOTS];
    if (slot->day != day) {
        int32_t first, last;
        /* Transitions are months apart, so equal offsets at both ends of a
         * day mean none happened in it. */
        if (!ask_windows(c, day * MS_PER_DAY, &first) || !ask_windows(c, (day + 1) * MS_PER_DAY - 1, &last))
            return ask_windows(c, utc_ms, offset_min); /* the edges of the range */
        slot->day = day;
        slot->offset = first == last ? first : TZCACHE_MIXED;
    }
    if (slot->offset != TZCACHE_MIXED) {
        *offset_min = slot->offset;
        return TRUE;
    }
    /* The day of a transition: the offset of this quarter hour. */
    return ask_windows(c, floor_div(utc_ms, MS_PER_QUARTER) * MS_PER_QUARTER, offset_min);
}

BOOL tzcache_to_local(tzcache *c, int64_t utc_ms, SYSTEMTIME *local)
{
    int32_t offset;
    if (!tzcache_offset(c, utc_ms, &offset))
        return FALSE;
    return ms_to_systemtime(utc_ms + offset * MS_PER_MIN, local);
}

int64_t tzcache_local_midnight_utc(tzcache *c, int64_t local_day)
{
    int64_t local_ms = local_day * MS_PER_DAY, guess = local_ms;
    int32_t offset;
    /* utc = local - offset(utc): two rounds settle it except in the gap of a
     * spring-forward, where no UTC time has this local time. */
    for (int round = 0; round < 2; round++) {
        if (!tzcache_offset(c, guess, &offset))
            return local_ms;
        guess = local_ms - offset * MS_PER_MIN;
    }
    if (tzcache_offset(c, guess, &offset) && floor_div(guess + offset * MS_PER_MIN, MS_PER_DAY) < local_day) {
        /* Midnight was skipped: walk forward to the first instant of the day. */
        while (tzcache_offset(c, guess, &offset) && floor_div(guess + offset * MS_PER_MIN, MS_PER_DAY) < local_day)
            guess += MS_PER_QUARTER - ((guess % MS_PER_QUARTER) + MS_PER_QUARTER) % MS_PER_QUARTER;
    }
    return guess;
}
