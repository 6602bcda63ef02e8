/* ofnotify: the history list's cell texts. See histcells.h. */
#include "histcells.h"

#include <limits.h>

#include "ofnotify/format.h"
#include "ofnotify/syncflags.h"
#include "../strings.h"

#define CELL_UTF8_CAP 1024

void histcells_date(const SYSTEMTIME *local, WCHAR *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, DATE_SHORTDATE, local, NULL, buf, (int)min(cap, (size_t)INT_MAX),
                        NULL) <= 0)
        buf[0] = 0;
}

void histcells_time(const SYSTEMTIME *local, WCHAR *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, 0, local, NULL, buf, (int)min(cap, (size_t)INT_MAX)) <= 0)
        buf[0] = 0;
}

/* ms since 1970 (UTC) → "<date> <time>" in local time. */
static void time_text(tzcache *tz, int64_t ms, WCHAR *buf, size_t cap)
{
    SYSTEMTIME local;
    size_t d;
    buf[0] = 0;
    if (cap < 2 || !tzcache_to_local(tz, ms, &local))
        return;
    histcells_date(&local, buf, cap);
    d = wcslen(buf);
    if (!d || d + 2 >= cap)
        return;
    buf[d] = L' ';
    histcells_time(&local, buf + d + 1, cap - d - 1);
    if (!buf[d + 1])
        buf[d] = 0; /* the date alone */
}

void histcells_direction_label(of_direction d, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP];
    of_format_direction_label(app_strings(), d, text, sizeof(text));
    utf8_to_wide(text, buf, cap);
}

void histcells_text(tzcache *tz, const of_record *r, hist_col col, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP];
    WCHAR wide[HIST_CELL_CAP];
    const of_strings *s = app_strings();
    if (cap == 0)
        return;
    text[0] = 0;
    buf[0] = 0;
    switch (col) {
    case HIST_COL_COMPLETED:
        time_text(tz, r->completed_ms, buf, cap);
        return;
    case HIST_COL_STARTED:
        time_text(tz, r->status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : r->started_ms, buf, cap);
        return;
    case HIST_COL_DIRECTION:
        of_format_direction_label(s, of_syncflags_direction(r->flags), text, sizeof(text));
        break;
    case HIST_COL_DURATION:
        /* An unpaired pass has no known start, so no duration. */
        if (r->status != OF_STATUS_UNPAIRED)
            of_format_duration(s, r->duration_ms, text, sizeof(text));
        break;
    case HIST_COL_STATUS:
        of_format_status_label(s, r, text, sizeof(text));
        break;
    case HIST_COL_DETAILS:
        of_format_details(s, r->flags, text, sizeof(text));
        break;
    default:
        return;
    }
    /* text is under CELL_UTF8_CAP bytes, so it fits HIST_CELL_CAP UTF-16 units. */
    utf8_to_wide(text, wide, ARRAYSIZE(wide));
    lstrcpynW(buf, wide, (int)min(cap, (size_t)INT_MAX));
}
