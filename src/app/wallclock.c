/* ofnotify: wall-clock conversions. See wallclock.h. */
#include "wallclock.h"

/* FILETIME counts 100 ns from 1601; SYSTEMTIME ends with the year 9999. */
#define FILETIME_EPOCH_MS (-11644473600000LL)
#define SYSTEMTIME_MAX_MS 253402300799999LL

int64_t wallclock_now_ms(void)
{
    FILETIME ft;
    ULARGE_INTEGER t;
    GetSystemTimePreciseAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    return (int64_t)(t.QuadPart / 10000) + FILETIME_EPOCH_MS;
}

BOOL wallclock_to_local(int64_t ms, SYSTEMTIME *local)
{
    ULARGE_INTEGER ticks;
    FILETIME ft;
    SYSTEMTIME utc;
    /* Also rejects OF_TIME_UNKNOWN (INT64_MIN). */
    if (ms < FILETIME_EPOCH_MS || ms > SYSTEMTIME_MAX_MS)
        return FALSE;
    ticks.QuadPart = (ULONGLONG)(ms - FILETIME_EPOCH_MS) * 10000u;
    ft.dwLowDateTime = ticks.LowPart;
    ft.dwHighDateTime = ticks.HighPart;
    return FileTimeToSystemTime(&ft, &utc) && SystemTimeToTzSpecificLocalTime(NULL, &utc, local);
}
