/* Tests for the history window's chart: the day bucketing
 * (src/app/history/chartdays, pure), the fast local-time conversion it relies
 * on (src/app/history/tzcache) in a time zone with summer time, and the chart
 * control itself inside the real history window (src/app/history/chart) under
 * Wine. Linked with the app's resources,
 * like test_historywnd. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <commctrl.h>

#include "chart.h"
#include "chartdays.h"
#include "historywnd.h"
#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
#include "support/memfs.h"
#include "support/pump.h"
#include "tzcache.h"
#include "winplace.h"

#define MS_PER_MIN INT64_C(60000)
#define MS_PER_HOUR (60 * MS_PER_MIN)
#define MS_PER_DAY (24 * MS_PER_HOUR)
#define FILETIME_EPOCH_MS INT64_C(-11644473600000)

static const uint32_t TWO_WAY = OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT;

/* ---- helpers ---------------------------------------------------------------- */

/* A UTC calendar time as ms since 1970. */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s)
{
    SYSTEMTIME st = {.wYear = (WORD)y, .wMonth = (WORD)mo, .wDay = (WORD)d, .wHour = (WORD)h,
                     .wMinute = (WORD)mi, .wSecond = (WORD)s};
    FILETIME ft;
    ULARGE_INTEGER t;
    assert_true(SystemTimeToFileTime(&st, &ft));
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    return (int64_t)(t.QuadPart / 10000) + FILETIME_EPOCH_MS;
}

/* The local day number of a calendar date (no zone: a date is a date). */
static int64_t day_of(int y, int mo, int d)
{
    return utc_ms(y, mo, d, 0, 0, 0) / MS_PER_DAY;
}

/* Central European Time: UTC+1, summer time UTC+2 from the last Sunday of
 * March 02:00 to the last Sunday of October 03:00 (local). In 2026: 29 March
 * and 25 October, both at 01:00 UTC. */
static TIME_ZONE_INFORMATION cet(void)
{
    TIME_ZONE_INFORMATION tz;
    memset(&tz, 0, sizeof(tz));
    tz.Bias = -60;
    tz.StandardDate = (SYSTEMTIME){.wMonth = 10, .wDayOfWeek = 0, .wDay = 5, .wHour = 3};
    tz.DaylightDate = (SYSTEMTIME){.wMonth = 3, .wDayOfWeek = 0, .wDay = 5, .wHour = 2};
    tz.DaylightBias = -60;
    return tz;
}

static of_record rec_at(int64_t completed, uint32_t flags, of_status status)
{
    of_record r;
    memset(&r, 0, sizeof(r));
    r.completed_ms = completed;
    r.started_ms = completed - 1000;
    r.duration_ms = 1000;
    r.flags = r.begin_flags = flags;
    r.status = (uint8_t)status;
    return r;
}

/* ---- chartdays ----------------------------------------------------------------- */

static void test_local_day(void **state)
{
    (void)state;
    assert_int_equal(chartdays_local_day(0, 0), 0);
    assert_int_equal(chartdays_local_day(MS_PER_DAY - 1, 0), 0);
    assert_int_equal(chartdays_local_day(MS_PER_DAY, 0), 1);
    /* Before 1970 days are negative, rounded down, not toward zero. */
    assert_int_equal(chartdays_local_day(-1, 0), -1);
    assert_int_equal(chartdays_local_day(-MS_PER_DAY, 0), -1);
    assert_int_equal(chartdays_local_day(-MS_PER_DAY - 1, 0), -2);
    /* The offset moves the moment across midnight both ways. */
    assert_int_equal(chartdays_local_day(MS_PER_DAY - 30 * MS_PER_MIN, 60), 1);
    assert_int_equal(chartdays_local_day(MS_PER_DAY + 30 * MS_PER_MIN, -60), 0);
    assert_int_equal(chartdays_local_day(utc_ms(2026, 11, 24, 23, 30, 0), 60), day_of(2026, 11, 25));
}

static void test_slots_and_counts(void **state)
{
    chartdays c;
    of_record r;
    int64_t today = day_of(2026, 11, 24);
    (void)state;
    chartdays_reset(&c, today);
    assert_int_equal(chartdays_slot(&c, today), CHARTDAYS_DAYS - 1);
    assert_int_equal(chartdays_slot(&c, today - 1), CHARTDAYS_DAYS - 2);
    assert_int_equal(chartdays_slot(&c, today - (CHARTDAYS_DAYS - 1)), 0);
    assert_int_equal(chartdays_slot(&c, today - CHARTDAYS_DAYS), -1);
    assert_int_equal(chartdays_slot(&c, today + 1), -1);

    assert_int_equal(chartdays_series(OF_DIR_TWO_WAY), CHART_TWO_WAY);
    assert_int_equal(chartdays_series(OF_DIR_TO_SERVER), CHART_TO_SERVER);
    assert_int_equal(chartdays_series(OF_DIR_FROM_SERVER), CHART_FROM_SERVER);
    assert_int_equal(chartdays_series(OF_DIR_FILL_SPARSE), CHART_OTHER);
    assert_int_equal(chartdays_series(OF_DIR_UNSPECIFIED), CHART_OTHER);

    r = rec_at(0, TWO_WAY, OF_STATUS_COMPLETED);
    assert_int_equal(chartdays_add(&c, today, &r), CHARTDAYS_DAYS - 1);
    assert_int_equal(chartdays_add(&c, today, &r), CHARTDAYS_DAYS - 1);
    r = rec_at(0, OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_COMPLETED);
    assert_int_equal(chartdays_add(&c, today, &r), CHARTDAYS_DAYS - 1);
    r = rec_at(0, OF_SYNC_FLAG_SYNCIN, OF_STATUS_UNPAIRED); /* an End: counted */
    assert_int_equal(chartdays_add(&c, today - 3, &r), CHARTDAYS_DAYS - 4);
    r = rec_at(0, OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_COMPLETED);
    assert_int_equal(chartdays_add(&c, today - 29, &r), 0);
    r = rec_at(0, TWO_WAY, OF_STATUS_INTERRUPTED); /* never finished: not counted */
    assert_int_equal(chartdays_add(&c, today, &r), -1);
    r = rec_at(0, TWO_WAY, OF_STATUS_COUNT); /* a newer version's status */
    assert_int_equal(chartdays_add(&c, today, &r), -1);
    r = rec_at(0, TWO_WAY, OF_STATUS_COMPLETED);
    assert_int_equal(chartdays_add(&c, today - 30, &r), -1);
    assert_int_equal(chartdays_add(&c, today + 1, &r), -1);
    assert_int_equal(chartdays_add(&c, today, NULL), -1);

    assert_int_equal(c.count[CHARTDAYS_DAYS - 1][CHART_TWO_WAY], 2);
    assert_int_equal(c.count[CHARTDAYS_DAYS - 1][CHART_TO_SERVER], 1);
    assert_int_equal(c.count[CHARTDAYS_DAYS - 4][CHART_FROM_SERVER], 1);
    assert_int_equal(c.count[0][CHART_OTHER], 1);
    assert_int_equal(chartdays_total(&c, CHARTDAYS_DAYS - 1), 3);
    assert_int_equal(chartdays_total(&c, 1), 0);
    assert_int_equal(chartdays_total(&c, -1), 0);
    assert_int_equal(chartdays_total(&c, CHARTDAYS_DAYS), 0);
    assert_int_equal(chartdays_max_total(&c), 3);
    chartdays_reset(&c, today + 1);
    assert_int_equal(chartdays_max_total(&c), 0);
}

/* ---- tzcache across summer time ---------------------------------------------------- */

static void test_tzcache_offsets_cet(void **state)
{
    TIME_ZONE_INFORMATION tz = cet();
    tzcache c;
    int32_t off = 0;
    (void)state;
    tzcache_init(&c, &tz);
    assert_true(tzcache_offset(&c, utc_ms(2026, 1, 15, 12, 0, 0), &off));
    assert_int_equal(off, 60);
    assert_true(tzcache_offset(&c, utc_ms(2026, 7, 15, 12, 0, 0), &off));
    assert_int_equal(off, 120);
    /* The spring change, to the second, on a day the cache marks mixed. */
    assert_true(tzcache_offset(&c, utc_ms(2026, 3, 29, 0, 59, 59), &off));
    assert_int_equal(off, 60);
    assert_true(tzcache_offset(&c, utc_ms(2026, 3, 29, 1, 0, 0), &off));
    assert_int_equal(off, 120);
    assert_true(tzcache_offset(&c, utc_ms(2026, 10, 25, 0, 59, 59), &off));
    assert_int_equal(off, 120);
    assert_true(tzcache_offset(&c, utc_ms(2026, 10, 25, 1, 0, 0), &off));
    assert_int_equal(off, 60);
    /* Times SYSTEMTIME cannot hold. */
    assert_false(tzcache_offset(&c, OF_TIME_UNKNOWN, &off));
    assert_false(tzcache_offset(&c, INT64_MAX, &off));
}

static void test_tzcache_agrees_with_windows(void **state)
{
    TIME_ZONE_INFORMATION tz = cet();
    static const int days[][3] = {{2026, 3, 28}, {2026, 10, 24}, {2026, 6, 30}, {2027, 3, 27}};
    tzcache c;
    int checked = 0;
    (void)state;
    tzcache_init(&c, &tz);
    for (size_t d = 0; d < ARRAYSIZE(days); d++) {
        int64_t from = utc_ms(days[d][0], days[d][1], days[d][2], 0, 0, 0);
        /* Three days in 7-minute steps (and odd seconds), through both changes. */
        for (int64_t t = from; t < from + 3 * MS_PER_DAY; t += 7 * MS_PER_MIN + 1013) {
            SYSTEMTIME fast, slow, utc;
            FILETIME ft;
            ULARGE_INTEGER ticks;
            ticks.QuadPart = (ULONGLONG)(t - FILETIME_EPOCH_MS) * 10000u;
            ft.dwLowDateTime = ticks.LowPart;
            ft.dwHighDateTime = ticks.HighPart;
            assert_true(FileTimeToSystemTime(&ft, &utc));
            assert_true(SystemTimeToTzSpecificLocalTime(&tz, &utc, &slow));
            assert_true(tzcache_to_local(&c, t, &fast));
            if (memcmp(&fast, &slow, sizeof(fast)) != 0) {
                print_error("%lld: fast %02u:%02u, Windows %02u:%02u\n", (long long)t, fast.wHour, fast.wMinute,
                            slow.wHour, slow.wMinute);
                fail();
            }
            checked++;
        }
    }
    assert_true(checked > 2000);
}

static void test_local_midnight(void **state)
{
    TIME_ZONE_INFORMATION tz = cet();
    tzcache c;
    (void)state;
    tzcache_init(&c, &tz);
    assert_int_equal(tzcache_local_midnight_utc(&c, day_of(2026, 3, 29)), utc_ms(2026, 3, 28, 23, 0, 0));
    assert_int_equal(tzcache_local_midnight_utc(&c, day_of(2026, 3, 30)), utc_ms(2026, 3, 29, 22, 0, 0));
    assert_int_equal(tzcache_local_midnight_utc(&c, day_of(2026, 10, 25)), utc_ms(2026, 10, 24, 22, 0, 0));
    assert_int_equal(tzcache_local_midnight_utc(&c, day_of(2026, 10, 26)), utc_ms(2026, 10, 25, 23, 0, 0));
}

/* Records around midnight and the changes land on the day a person in that
 * zone would say. */
static void test_bucketing_across_dst_and_midnight(void **state)
{
    TIME_ZONE_INFORMATION tz = cet();
    static const struct {
        int y, mo, d, h, mi, s; /* UTC */
        int ly, lmo, ld;        /* the local day it belongs to */
    } cases[] = {
        {2026, 3, 28, 22, 59, 59, 2026, 3, 28}, /* 23:59:59 CET */
        {2026, 3, 28, 23, 0, 0, 2026, 3, 29},   /* 00:00 CET */
        {2026, 3, 29, 0, 30, 0, 2026, 3, 29},   /* 01:30 CET, before the change */
        {2026, 3, 29, 1, 30, 0, 2026, 3, 29},   /* 03:30 CEST, after it */
        {2026, 3, 29, 21, 59, 59, 2026, 3, 29}, /* 23:59:59 CEST: a 23-hour day */
        {2026, 3, 29, 22, 0, 0, 2026, 3, 30},
        {2026, 10, 24, 21, 59, 59, 2026, 10, 24},
        {2026, 10, 24, 22, 0, 0, 2026, 10, 25}, /* 00:00 CEST */
        {2026, 10, 25, 0, 30, 0, 2026, 10, 25}, /* 02:30 CEST, the first time */
        {2026, 10, 25, 1, 30, 0, 2026, 10, 25}, /* 02:30 CET, the second time */
        {2026, 10, 25, 22, 59, 59, 2026, 10, 25}, /* 23:59:59 CET: a 25-hour day */
        {2026, 10, 25, 23, 0, 0, 2026, 10, 26},
    };
    tzcache c;
    chartdays days;
    of_record r = rec_at(0, TWO_WAY, OF_STATUS_COMPLETED);
    (void)state;
    tzcache_init(&c, &tz);
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        int64_t t = utc_ms(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, cases[i].s);
        int64_t want = day_of(cases[i].ly, cases[i].lmo, cases[i].ld);
        int32_t off;
        assert_true(tzcache_offset(&c, t, &off));
        if (chartdays_local_day(t, off) != want) {
            print_error("case %d: day %lld, want %lld\n", (int)i, (long long)chartdays_local_day(t, off),
                        (long long)want);
            fail();
        }
        /* Counted into the bar of that day. */
        chartdays_reset(&days, day_of(2026, 10, 31));
        if (want > days.today - CHARTDAYS_DAYS)
            assert_int_equal(chartdays_add(&days, chartdays_local_day(t, off), &r),
                             CHARTDAYS_DAYS - 1 - (int)(days.today - want));
    }
}

/* ---- the chart in the window -------------------------------------------------------- */

typedef struct fixture {
    memfs *fs;
    of_history *h;
    HWND app;           /* stands in for the app window, which the history window belongs to */
    HWND wnd, chart;
    int64_t today_noon; /* local noon today, as UTC ms */
} fixture;

/* Noon today in the system's zone, as UTC ms: days later or earlier are
 * whole days away from it (summer time moves noon by an hour at most). */
static int64_t local_noon_today(void)
{
    SYSTEMTIME local, utc;
    FILETIME ft;
    ULARGE_INTEGER t;
    GetLocalTime(&local);
    local.wHour = 12;
    local.wMinute = local.wSecond = local.wMilliseconds = 0;
    assert_true(TzSpecificLocalTimeToSystemTime(NULL, &local, &utc));
    assert_true(SystemTimeToFileTime(&utc, &ft));
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    return (int64_t)(t.QuadPart / 10000) + FILETIME_EPOCH_MS;
}

static void add(fixture *f, int days_ago, uint32_t flags, of_status status)
{
    of_record r = rec_at(f->today_noon - days_ago * MS_PER_DAY, flags, status);
    assert_int_equal(of_history_append(f->h, &r), OF_HISTORY_OK);
}

static int setup_window(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    RegDeleteTreeW(HKEY_CURRENT_USER, WINPLACE_HISTORY_KEY);
    f->fs = memfs_new();
    f->today_noon = local_noon_today();
    assert_int_equal(of_history_open(&f->h, memfs_fs(f->fs), "h.dat", 0, f->today_noon, NULL), OF_HISTORY_OK);
    add(f, 40, TWO_WAY, OF_STATUS_COMPLETED); /* before the 30 days */
    add(f, 30, TWO_WAY, OF_STATUS_COMPLETED); /* just before */
    add(f, 29, OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_COMPLETED);
    add(f, 2, OF_SYNC_FLAG_SYNCIN, OF_STATUS_UNPAIRED);
    add(f, 0, TWO_WAY, OF_STATUS_COMPLETED);
    add(f, 0, TWO_WAY | OF_SYNC_FLAG_BACKGROUND, OF_STATUS_COMPLETED);
    add(f, 0, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED);
    add(f, 0, TWO_WAY, OF_STATUS_INTERRUPTED); /* did not finish */
    f->app = CreateWindowExW(0, WC_STATICW, L"", WS_POPUP, 0, 0, 0, 0, NULL, NULL, GetModuleHandleW(NULL), NULL);
    assert_non_null(f->app);
    f->wnd = historywnd_open(GetModuleHandleW(NULL), f->app, f->h);
    assert_non_null(f->wnd);
    f->chart = FindWindowExW(f->wnd, NULL, L"ofnotify.HistoryChart", NULL);
    assert_non_null(f->chart);
    pump();
    *state = f;
    return 0;
}

static int teardown_window(void **state)
{
    fixture *f = *state;
    historywnd_close(f->app);
    pump();
    assert_false(IsWindow(f->wnd));
    DestroyWindow(f->app);
    of_history_close(f->h);
    memfs_free(f->fs);
    free(f);
    return 0;
}

static void date_text(const WCHAR *picture, int days_ago, WCHAR *out, int cap)
{
    SYSTEMTIME st;
    GetLocalTime(&st);
    {
        FILETIME ft;
        ULARGE_INTEGER t;
        st.wHour = 12;
        SystemTimeToFileTime(&st, &ft);
        t.LowPart = ft.dwLowDateTime;
        t.HighPart = ft.dwHighDateTime;
        t.QuadPart -= (ULONGLONG)days_ago * 864000000000ull;
        ft.dwLowDateTime = t.LowPart;
        ft.dwHighDateTime = t.HighPart;
        FileTimeToSystemTime(&ft, &st);
    }
    assert_true(GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, 0, &st, picture, out, cap, NULL) > 0);
}

/* The chart's tooltip: a popup made with a child as parent is owned by its top-level window. */
static HWND chart_tooltip(const fixture *f)
{
    HWND tip = NULL;
    while ((tip = FindWindowExW(NULL, tip, TOOLTIPS_CLASSW, NULL))) {
        TTTOOLINFOW ti = {.cbSize = sizeof(ti)};
        if (GetWindow(tip, GW_OWNER) == f->wnd && SendMessageW(tip, TTM_ENUMTOOLSW, 0, (LPARAM)&ti) &&
            ti.hwnd == f->chart)
            return tip;
    }
    return NULL;
}

static void test_chart_counts_and_texts(void **state)
{
    fixture *f = *state;
    const chartdays *d = chart_days(f->chart);
    WCHAR text[512], want[512], date[64];
    assert_non_null(d);
    assert_int_equal(d->count[CHARTDAYS_DAYS - 1][CHART_TWO_WAY], 2);
    assert_int_equal(d->count[CHARTDAYS_DAYS - 1][CHART_TO_SERVER], 1);
    assert_int_equal(chartdays_total(d, CHARTDAYS_DAYS - 1), 3);
    assert_int_equal(d->count[CHARTDAYS_DAYS - 3][CHART_FROM_SERVER], 1);
    assert_int_equal(d->count[0][CHART_OTHER], 1);
    {
        uint32_t all = 0;
        for (int s = 0; s < CHARTDAYS_DAYS; s++)
            all += chartdays_total(d, s);
        assert_int_equal(all, 5);
    }

    /* Each bar's text, as its tooltip shows it. */
    chart_day_text(f->chart, CHARTDAYS_DAYS - 1, text, ARRAYSIZE(text));
    date_text(L"ddd d MMM", 0, date, ARRAYSIZE(date));
    swprintf(want, ARRAYSIZE(want), L"%ls: 2 two-way, 1 to server", date);
    if (wcscmp(text, want) != 0) {
        print_error("got \"%ls\", want \"%ls\"\n", text, want);
        fail();
    }
    chart_day_text(f->chart, CHARTDAYS_DAYS - 2, text, ARRAYSIZE(text));
    date_text(L"ddd d MMM", 1, date, ARRAYSIZE(date));
    swprintf(want, ARRAYSIZE(want), L"%ls: no syncs", date);
    assert_true(wcscmp(text, want) == 0);
    chart_day_text(f->chart, 0, text, ARRAYSIZE(text));
    assert_non_null(wcsstr(text, L": 1 other"));
    chart_day_text(f->chart, CHARTDAYS_DAYS, text, ARRAYSIZE(text));
    assert_int_equal(text[0], 0);

    /* Its accessible name counts them. */
    GetWindowTextW(f->chart, text, ARRAYSIZE(text));
    assert_true(wcscmp(text, L"Syncs per day in the last 30 days: 5 in all") == 0);

    /* A tooltip tool per bar, each over its bar, made when the mouse first moves over the chart. */
    {
        HWND tip;
        RECT a, b;
        TTTOOLINFOW ti = {.cbSize = sizeof(ti), .hwnd = f->chart, .uId = 1};
        assert_null(chart_tooltip(f));
        SendMessageW(f->chart, WM_MOUSEMOVE, 0, MAKELPARAM(1, 1));
        tip = chart_tooltip(f);
        assert_non_null(tip);
        assert_int_equal(SendMessageW(tip, TTM_GETTOOLCOUNT, 0, 0), CHARTDAYS_DAYS);
        assert_true(chart_slot_rect(f->chart, 0, &a));
        assert_true(chart_slot_rect(f->chart, 1, &b));
        assert_true(a.right <= b.left);
        assert_true(a.right > a.left);
        assert_true(SendMessageW(tip, TTM_GETTOOLINFOW, 0, (LPARAM)&ti));
        assert_true(EqualRect(&ti.rect, &b));
    }
}

static void test_chart_live_and_clear(void **state)
{
    fixture *f = *state;
    const chartdays *d = chart_days(f->chart);
    WCHAR text[256];
    add(f, 0, OF_SYNC_FLAG_SYNCIN, OF_STATUS_COMPLETED);
    add(f, 5, TWO_WAY, OF_STATUS_COMPLETED);
    add(f, 1, TWO_WAY, OF_STATUS_INTERRUPTED);
    historywnd_records_changed(f->app);
    assert_int_equal(d->count[CHARTDAYS_DAYS - 1][CHART_FROM_SERVER], 1);
    assert_int_equal(d->count[CHARTDAYS_DAYS - 6][CHART_TWO_WAY], 1);
    assert_int_equal(chartdays_total(d, CHARTDAYS_DAYS - 2), 0);
    GetWindowTextW(f->chart, text, ARRAYSIZE(text));
    assert_non_null(wcsstr(text, L": 7 in all"));

    /* Cleared: the chart is empty again. */
    assert_int_equal(of_history_clear(f->h), OF_HISTORY_OK);
    historywnd_set_history(f->app, f->h);
    assert_int_equal(chartdays_max_total(chart_days(f->chart)), 0);
    GetWindowTextW(f->chart, text, ARRAYSIZE(text));
    assert_non_null(wcsstr(text, L": 0 in all"));
}

static void test_chart_paints_without_erasing(void **state)
{
    fixture *f = *state;
    RECT rc;
    HDC dc;
    /* The background is painted with the bars, off screen: no erase, no flicker. */
    dc = GetDC(f->chart);
    assert_int_equal(SendMessageW(f->chart, WM_ERASEBKGND, (WPARAM)dc, 0), 1);
    ReleaseDC(f->chart, dc);
    GetClientRect(f->chart, &rc);
    assert_true(rc.right > 300);
    assert_int_equal(rc.bottom, chart_height(GetDpiForWindow(f->chart)));
    /* Painting at any size, even none, is safe. */
    SetWindowPos(f->chart, NULL, 0, 0, 0, 0, SWP_NOMOVE | SWP_NOZORDER);
    UpdateWindow(f->chart);
    SetWindowPos(f->chart, NULL, 0, 0, 3, 3, SWP_NOMOVE | SWP_NOZORDER);
    InvalidateRect(f->chart, NULL, FALSE);
    UpdateWindow(f->chart);
    assert_true(IsWindow(f->chart));
    /* Not a chart: nothing happens. */
    assert_null(chart_days(f->wnd));
    chart_records_changed(f->wnd);
}

/* Working offline: the line above the list and the band under the bars come
 * and go with historywnd_set_offline; the chart keeps the newest periods. */
static void test_offline_line_and_band(void **state)
{
    fixture *f = *state;
    static chart_period many[CHART_MAX_PERIODS + 5];
    int64_t now = utc_ms(2026, 12, 7, 9, 0, 0);
    chart_period two[2] = {{now - 3 * MS_PER_DAY, now - 2 * MS_PER_DAY}, {now - MS_PER_HOUR, CHART_PERIOD_ONGOING}};
    const chart_period *got;
    WCHAR text[256];
    HWND line = NULL, list = FindWindowExW(f->wnd, NULL, WC_LISTVIEWW, NULL);
    RECT bar_before, bar_with, list_before, list_with;
    size_t n = 99;

    assert_non_null(list);
    assert_non_null(chart_offline(f->chart, &n));
    assert_int_equal(n, 0);
    assert_true(chart_slot_rect(f->chart, 0, &bar_before));
    GetWindowRect(list, &list_before);

    historywnd_set_offline(f->app, L"Working offline: \\\\fs01\\projects since 09:12", two, 2);
    pump();
    got = chart_offline(f->chart, &n);
    assert_int_equal(n, 2);
    assert_true(got[1].to_ms == CHART_PERIOD_ONGOING);
    assert_true(got[0].from_ms == two[0].from_ms);
    /* The bars make room for the band; the list for the line, which says it. */
    assert_true(chart_slot_rect(f->chart, 0, &bar_with));
    assert_true(bar_with.bottom < bar_before.bottom);
    GetWindowRect(list, &list_with);
    assert_true(list_with.top > list_before.top);
    while ((line = FindWindowExW(f->wnd, line, WC_STATICW, NULL)))
        if (GetWindowTextW(line, text, ARRAYSIZE(text)) && wcsstr(text, L"Working offline"))
            break;
    assert_non_null(line);
    assert_true(IsWindowVisible(line));
    InvalidateRect(f->chart, NULL, FALSE);
    UpdateWindow(f->chart);

    /* Too many: the newest are kept. */
    for (size_t i = 0; i < ARRAYSIZE(many); i++)
        many[i] = (chart_period){now - (int64_t)(ARRAYSIZE(many) - i) * MS_PER_HOUR, now};
    historywnd_set_offline(f->app, L"Working offline: \\\\fs01", many, ARRAYSIZE(many));
    got = chart_offline(f->chart, &n);
    assert_int_equal(n, CHART_MAX_PERIODS);
    assert_true(got[CHART_MAX_PERIODS - 1].from_ms == many[ARRAYSIZE(many) - 1].from_ms);
    assert_true(got[0].from_ms == many[5].from_ms);

    /* Back online and no period left: both go, the layout is as before. */
    historywnd_set_offline(f->app, NULL, NULL, 0);
    pump();
    chart_offline(f->chart, &n);
    assert_int_equal(n, 0);
    assert_false(IsWindowVisible(line));
    assert_true(chart_slot_rect(f->chart, 0, &bar_with));
    assert_int_equal(bar_with.bottom, bar_before.bottom);
    GetWindowRect(list, &list_with);
    assert_int_equal(list_with.top, list_before.top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_slots_and_counts),
        cmocka_unit_test(test_tzcache_offsets_cet),
        cmocka_unit_test(test_tzcache_agrees_with_windows),
        cmocka_unit_test(test_local_midnight),
        cmocka_unit_test(test_bucketing_across_dst_and_midnight),
        cmocka_unit_test_setup_teardown(test_chart_counts_and_texts, setup_window, teardown_window),
        cmocka_unit_test_setup_teardown(test_chart_live_and_clear, setup_window, teardown_window),
        cmocka_unit_test_setup_teardown(test_chart_paints_without_erasing, setup_window, teardown_window),
        cmocka_unit_test_setup_teardown(test_offline_line_and_band, setup_window, teardown_window),
    };
    SetThreadUILanguage(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
