/* ofnotify: counting syncs per local day for the history chart (app/history/chartdays).
 *
 * Pure C, no Windows: the caller turns each record's completion time into a
 * local day number (days since 1970-01-01 in local time, tzcache does it
 * with the time-zone rules of that date) and this module keeps the counts of
 * the last CHARTDAYS_DAYS local days ending with "today", per series. Only
 * syncs that ended are counted: completed and unpaired records (an unpaired
 * record is an End whose Begin was missed); interrupted ones are not. */
#ifndef OFNOTIFY_CHARTDAYS_H
#define OFNOTIFY_CHARTDAYS_H

#include <stdint.h>

#include "ofnotify/record.h"
#include "ofnotify/syncflags.h"

#define CHARTDAYS_DAYS 30

/* The chart's colours: fill-sparse and unspecified passes share "other". */
typedef enum chart_series {
    CHART_TWO_WAY,
    CHART_TO_SERVER,
    CHART_FROM_SERVER,
    CHART_OTHER,
    CHART_SERIES_COUNT
} chart_series;

typedef struct chartdays {
    int64_t today;                                       /* local day number of the last bar */
    uint32_t count[CHARTDAYS_DAYS][CHART_SERIES_COUNT];  /* [0] is the oldest day, [DAYS-1] today */
} chartdays;

/* The local day that holds local time utc_ms + offset_min minutes. */
int64_t chartdays_local_day(int64_t utc_ms, int32_t offset_min);

/* The series a direction is drawn in. */
chart_series chartdays_series(of_direction d);

/* Empty counts for the CHARTDAYS_DAYS days ending with `today`. */
void chartdays_reset(chartdays *c, int64_t today);

/* The bar of local_day: 0 (oldest) .. CHARTDAYS_DAYS - 1 (today), or -1 when
 * the day is outside the window (older, or in the future). */
int chartdays_slot(const chartdays *c, int64_t local_day);

/* Counts one record that ended on local_day. Returns the slot it went to, or
 * -1 when it was not counted (outside the window, interrupted, status unknown). */
int chartdays_add(chartdays *c, int64_t local_day, const of_record *r);

/* All series of one slot added up; 0 for a slot out of range. */
uint32_t chartdays_total(const chartdays *c, int slot);

/* The largest total of any slot (0 for no syncs at all). */
uint32_t chartdays_max_total(const chartdays *c);

#endif
