/* ofnotify: the history window's 30-day chart strip (app/history/chart).
 *
 * A child control that draws one bar per local day for the last 30 days,
 * stacked by direction (chartdays), with a legend and day labels. It counts
 * the history once when given it and then only what is appended; at local
 * midnight (and when told the clock or time zone changed) it counts again.
 * Drawn with GDI into a memory bitmap (no flicker); in high contrast it uses
 * the system colours and tells the series apart by hatching. Its text
 * equivalent: a tooltip per bar ("Tue 17 Nov: 4 two-way, 1 to server"),
 * made when the mouse first moves over the chart, and a window text that
 * screen readers announce as its name. Main thread only. */
#ifndef OFNOTIFY_CHART_H
#define OFNOTIFY_CHART_H

#include <stddef.h>

#include <windows.h>

#include "chartdays.h"
#include "ofnotify/history.h"
#include "tzcache.h"

/* Creates the chart as a child of parent. tz converts times and must
 * outlive the chart. NULL on failure. */
HWND chart_create(HWND parent, UINT id, tzcache *tz);

/* The history to count (NULL: none); counts all of it again. Also after the
 * clock or the time zone changed. */
void chart_set_history(HWND chart, const of_history *h);

/* Records were appended to the history: counts the new ones. Fewer records
 * than counted (cleared, compacted) counts everything again. */
void chart_records_changed(HWND chart);

/* The counts drawn now; NULL if chart is not a chart. */
const chartdays *chart_days(HWND chart);

/* The text of one bar, slot 0 (oldest) .. CHARTDAYS_DAYS - 1 (today), as
 * its tooltip shows it. "" for a slot out of range. */
void chart_day_text(HWND chart, int slot, WCHAR *buf, size_t cap);

/* The screen rectangle of one bar's column, in the chart's client
 * coordinates (FALSE for a slot out of range). */
BOOL chart_slot_rect(HWND chart, int slot, RECT *rc);

/* A time span drawn under the bars (working offline), wall clock ms UTC. */
typedef struct chart_period {
    int64_t from_ms;
    int64_t to_ms; /* CHART_PERIOD_ONGOING: until now, whenever the chart is drawn */
} chart_period;
#define CHART_PERIOD_ONGOING INT64_MAX
#define CHART_MAX_PERIODS 128

/* The periods to draw (copied; at most CHART_MAX_PERIODS, the newest kept). */
void chart_set_offline(HWND chart, const chart_period *periods, size_t count);

/* The periods drawn now, and how many; NULL if chart is not a chart. */
const chart_period *chart_offline(HWND chart, size_t *count);

/* The height the chart wants at dpi. */
int chart_height(UINT dpi);

#endif
