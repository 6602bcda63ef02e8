/* ofnotify: syncs per local day. See chartdays.h. */
#include "chartdays.h"

#include <string.h>

#define MS_PER_MIN INT64_C(60000)
#define MS_PER_DAY INT64_C(86400000)

int64_t chartdays_local_day(int64_t utc_ms, int32_t offset_min)
{
    int64_t local = utc_ms + offset_min * MS_PER_MIN, q = local / MS_PER_DAY;
    /* Floor, not truncation: times before 1970 belong to negative days. */
    return (local % MS_PER_DAY != 0 && local < 0) ? q - 1 : q;
}

chart_series chartdays_series(of_direction d)
{
    switch (d) {
    case OF_DIR_TWO_WAY:
        return CHART_TWO_WAY;
    case OF_DIR_TO_SERVER:
        return CHART_TO_SERVER;
    case OF_DIR_FROM_SERVER:
        return CHART_FROM_SERVER;
    default:
        return CHART_OTHER;
    }
}

void chartdays_reset(chartdays *c, int64_t today)
{
    memset(c->count, 0, sizeof(c->count));
    c->today = today;
}

int chartdays_slot(const chartdays *c, int64_t local_day)
{
    int64_t back;
    if (local_day > c->today)
        return -1;
    back = c->today - local_day;
    return back < CHARTDAYS_DAYS ? (int)(CHARTDAYS_DAYS - 1 - back) : -1;
}

int chartdays_add(chartdays *c, int64_t local_day, const of_record *r)
{
    int slot;
    if (!r || (r->status != OF_STATUS_COMPLETED && r->status != OF_STATUS_UNPAIRED))
        return -1;
    slot = chartdays_slot(c, local_day);
    if (slot < 0)
        return -1;
    c->count[slot][chartdays_series(of_syncflags_direction(r->flags))]++;
    return slot;
}

uint32_t chartdays_total(const chartdays *c, int slot)
{
    uint32_t sum = 0;
    if (slot < 0 || slot >= CHARTDAYS_DAYS)
        return 0;
    for (int s = 0; s < CHART_SERIES_COUNT; s++)
        sum += c->count[slot][s];
    return sum;
}

uint32_t chartdays_max_total(const chartdays *c)
{
    uint32_t best = 0;
    for (int slot = 0; slot < CHARTDAYS_DAYS; slot++) {
        uint32_t t = chartdays_total(c, slot);
        if (t > best)
            best = t;
    }
    return best;
}
