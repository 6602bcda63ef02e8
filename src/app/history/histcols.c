/* ofnotify: the history list's columns. See histcols.h. */
#include "histcols.h"

#include <limits.h>
#include <string.h>

#include "../coretext.h"
#include "../winutil.h"
#include "ofnotify/format.h"
#include "resource.h"

#define CELL_UTF8_CAP 1024

void histcols_date(const SYSTEMTIME *local, WCHAR *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, DATE_SHORTDATE, local, NULL, buf, (int)min(cap, (size_t)INT_MAX),
                        NULL) <= 0)
        buf[0] = 0;
}

void histcols_time(const SYSTEMTIME *local, WCHAR *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, 0, local, NULL, buf, (int)min(cap, (size_t)INT_MAX)) <= 0)
        buf[0] = 0;
}

int hist_status_key(const of_record *r)
{
    if (r->status >= OF_STATUS_COUNT || r->reason >= OF_REASON_COUNT)
        return HIST_STATUS_KEYS - 1;
    return r->status * OF_REASON_COUNT + r->reason;
}

/* core/format's UTF-8 into a cell. */
static void put_utf8(const char *text, WCHAR *buf, size_t cap)
{
    WCHAR wide[HIST_CELL_CAP];
    /* text is under CELL_UTF8_CAP bytes, so it fits HIST_CELL_CAP UTF-16 units. */
    winutil_utf8_to_wide(text, wide, ARRAYSIZE(wide));
    lstrcpynW(buf, wide, (int)min(cap, (size_t)INT_MAX));
}

/* ms since 1970 (UTC) → "<date> <time>" in local time; "" for no time. */
static void time_text(tzcache *tz, int64_t ms, WCHAR *buf, size_t cap)
{
    SYSTEMTIME local;
    size_t d;
    buf[0] = 0;
    if (cap < 2 || !tzcache_to_local(tz, ms, &local))
        return;
    histcols_date(&local, buf, cap);
    d = wcslen(buf);
    if (!d || d + 2 >= cap)
        return;
    buf[d] = L' ';
    histcols_time(&local, buf + d + 1, cap - d - 1);
    if (!buf[d + 1])
        buf[d] = 0; /* the date alone */
}

void histcols_direction_label(of_direction d, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP];
    of_format_direction_label(coretext_strings(), d, text, sizeof(text));
    winutil_utf8_to_wide(text, buf, cap);
}

/* ---- Completed ---- */

static int64_t completed_key(const of_record *r)
{
    return r->completed_ms;
}

static void completed_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    time_text(tz, completed_key(r), buf, cap);
}

/* ---- Direction ---- */

static int64_t direction_key(const of_record *r)
{
    return of_syncflags_direction(r->flags);
}

static void direction_label(int key, WCHAR *buf, size_t cap)
{
    histcols_direction_label((of_direction)key, buf, cap);
}

static void direction_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP];
    (void)tz;
    of_format_direction_label(coretext_strings(), (of_direction)direction_key(r), text, sizeof(text));
    put_utf8(text, buf, cap);
}

/* ---- Duration ---- */

/* An unpaired pass has no known start, so no duration: before every real one. */
static int64_t duration_key(const of_record *r)
{
    return r->status == OF_STATUS_UNPAIRED ? -1 : (int64_t)min(r->duration_ms, (uint64_t)INT64_MAX);
}

static void duration_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP] = "";
    (void)tz;
    if (r->status != OF_STATUS_UNPAIRED)
        of_format_duration(coretext_strings(), r->duration_ms, text, sizeof(text));
    put_utf8(text, buf, cap);
}

/* ---- Started ---- */

static int64_t started_key(const of_record *r)
{
    return r->status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : r->started_ms;
}

static void started_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    time_text(tz, started_key(r), buf, cap);
}

/* ---- Status ---- */

static int64_t status_key(const of_record *r)
{
    return hist_status_key(r);
}

static void status_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP] = "";
    (void)tz;
    of_format_status_label(coretext_strings(), r, text, sizeof(text));
    put_utf8(text, buf, cap);
}

/* The label of a status key: the cell of a record with that status. */
static void status_label(int key, WCHAR *buf, size_t cap)
{
    of_record r;
    memset(&r, 0, sizeof(r));
    r.status = key == HIST_STATUS_KEYS - 1 ? OF_STATUS_COUNT : (uint8_t)(key / OF_REASON_COUNT);
    r.reason = key == HIST_STATUS_KEYS - 1 ? OF_REASON_NONE : (uint8_t)(key % OF_REASON_COUNT);
    status_text(NULL, &r, buf, cap);
}

/* ---- Details ---- */

/* By flag value, which keeps equal details together without formatting a
 * million texts. */
static int64_t details_key(const of_record *r)
{
    return r->flags;
}

static void details_text(tzcache *tz, const of_record *r, WCHAR *buf, size_t cap)
{
    char text[CELL_UTF8_CAP] = "";
    (void)tz;
    of_format_details(coretext_strings(), r->flags, text, sizeof(text));
    put_utf8(text, buf, cap);
}

/* Completed's width also holds the space the list view keeps for an item icon. */
const hist_column hist_columns[HIST_COL_COUNT] = {
    [HIST_COL_COMPLETED] = {.title = IDS_HIST_COL_COMPLETED, .width_96 = 175, .align = LVCFMT_LEFT,
                            .text = completed_text, .key = completed_key, .sort = HIST_SORT_COMPLETION,
                            .search = HIST_SEARCH_TIME},
    [HIST_COL_DIRECTION] = {.title = IDS_HIST_COL_DIRECTION, .width_96 = 115, .align = LVCFMT_LEFT,
                            .direction_icon = TRUE, .text = direction_text, .key = direction_key,
                            .sort = HIST_SORT_LABEL, .labels = OF_DIR_COUNT, .label = direction_label,
                            .search = HIST_SEARCH_FLAGS},
    [HIST_COL_DURATION] = {.title = IDS_HIST_COL_DURATION, .width_96 = 95, .align = LVCFMT_RIGHT,
                           .text = duration_text, .key = duration_key, .sort = HIST_SORT_VALUE,
                           .search = HIST_SEARCH_DURATION},
    [HIST_COL_STARTED] = {.title = IDS_HIST_COL_STARTED, .width_96 = 160, .align = LVCFMT_LEFT,
                          .text = started_text, .key = started_key, .sort = HIST_SORT_VALUE,
                          .search = HIST_SEARCH_TIME},
    [HIST_COL_STATUS] = {.title = IDS_HIST_COL_STATUS, .width_96 = 185, .align = LVCFMT_LEFT,
                         .text = status_text, .key = status_key, .sort = HIST_SORT_LABEL,
                         .labels = HIST_STATUS_KEYS, .label = status_label, .search = HIST_SEARCH_STATUS},
    [HIST_COL_DETAILS] = {.title = IDS_HIST_COL_DETAILS, .width_96 = 320, .align = LVCFMT_LEFT,
                          .text = details_text, .key = details_key, .sort = HIST_SORT_VALUE,
                          .search = HIST_SEARCH_FLAGS},
};

void histcols_text(tzcache *tz, const of_record *r, int col, WCHAR *buf, size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = 0;
    if (col < 0 || col >= HIST_COL_COUNT)
        return;
    hist_columns[col].text(tz, r, buf, cap);
}
