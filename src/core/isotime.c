/* ofnotify: times as ISO 8601 UTC, written and read, counted with the
 * Gregorian calendar's own cycles, so the result does not depend on the C
 * library's time functions or on the time zone. */
#include "isotime.h"

#include "ofnotify/civiltime.h"
#include "ofnotify/export.h"

#define MS_PER_DAY INT64_C(86400000)
/* 1601-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in Unix ms. */
#define MIN_UNIX_MS INT64_C(-11644473600000)
#define MAX_UNIX_MS INT64_C(253402300799999)

/* Days in the Gregorian 400-, 100-, 4- and 1-year cycles. 1601 starts a
 * 400-year cycle, so counting from it needs no offsets. */
#define DAYS_400Y 146097
#define DAYS_100Y 36524
#define DAYS_4Y 1461
#define DAYS_1Y 365

static int is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static unsigned days_in_month(unsigned year, unsigned month)
{
    return month_days[month - 1] + (month == 2 && is_leap(year) ? 1u : 0u);
}

int of_isotime_in_range(int64_t unix_ms)
{
    return unix_ms >= MIN_UNIX_MS && unix_ms <= MAX_UNIX_MS;
}

void textbuf_iso8601(textbuf *o, int64_t unix_ms)
{
    int64_t t = unix_ms - MIN_UNIX_MS; /* >= 0: checked by the caller */
    int64_t days = t / MS_PER_DAY;
    int64_t msday = t % MS_PER_DAY;
    int64_t n400, n100, n4, n1;
    unsigned year, month = 0, mday;

    n400 = days / DAYS_400Y;
    days %= DAYS_400Y;
    n100 = days / DAYS_100Y;
    if (n100 == 4) /* 31 December of a year divisible by 400 */
        n100 = 3;
    days -= n100 * DAYS_100Y;
    n4 = days / DAYS_4Y;
    days %= DAYS_4Y;
    n1 = days / DAYS_1Y;
    if (n1 == 4) /* 31 December of a leap year */
        n1 = 3;
    days -= n1 * DAYS_1Y;
    year = (unsigned)(1601 + 400 * n400 + 100 * n100 + 4 * n4 + n1);

    for (;;) {
        unsigned len = days_in_month(year, month + 1);
        if (days < (int64_t)len)
            break;
        days -= len;
        month++;
    }
    mday = (unsigned)days + 1;

    textbuf_dec_fixed(o, year, 4);
    textbuf_byte(o, '-');
    textbuf_dec_fixed(o, month + 1, 2);
    textbuf_byte(o, '-');
    textbuf_dec_fixed(o, mday, 2);
    textbuf_byte(o, 'T');
    textbuf_dec_fixed(o, (unsigned)(msday / 3600000), 2);
    textbuf_byte(o, ':');
    textbuf_dec_fixed(o, (unsigned)(msday / 60000 % 60), 2);
    textbuf_byte(o, ':');
    textbuf_dec_fixed(o, (unsigned)(msday / 1000 % 60), 2);
    textbuf_byte(o, '.');
    textbuf_dec_fixed(o, (unsigned)(msday % 1000), 3);
    textbuf_byte(o, 'Z');
}

size_t of_format_iso8601_utc(int64_t unix_ms, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);

    if (!of_isotime_in_range(unix_ms))
        return textbuf_fail(buf, cap);
    textbuf_iso8601(&o, unix_ms);
    return textbuf_finish(&o);
}

/* n ASCII digits at p as a number, or -1. Stops at the first non-digit, so
 * it never reads past a string's NUL. */
static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int of_civil_parse(const char *text, of_civil_time *t)
{
    of_civil_time r = {0};
    const char *p = text;

    r.year = digits(p, 4);
    if (r.year < 0 || p[4] != '-')
        return -1;
    r.month = digits(p + 5, 2);
    if (r.month < 0 || p[7] != '-')
        return -1;
    r.day = digits(p + 8, 2);
    if (r.day < 0)
        return -1;
    p += 10;
    if (*p == 'T') {
        r.hour = digits(p + 1, 2);
        if (r.hour < 0 || p[3] != ':')
            return -1;
        r.minute = digits(p + 4, 2);
        if (r.minute < 0)
            return -1;
        p += 6;
        if (*p == ':') {
            r.second = digits(p + 1, 2);
            if (r.second < 0)
                return -1;
            p += 3;
        }
        if (*p == 'Z') {
            r.utc = 1;
            p++;
        }
    }
    if (*p != '\0' || r.year < 1601 || r.month < 1 || r.month > 12 || r.day < 1 ||
        (unsigned)r.day > days_in_month((unsigned)r.year, (unsigned)r.month) || r.hour > 23 || r.minute > 59 ||
        r.second > 59)
        return -1;
    *t = r;
    return 0;
}

int64_t of_civil_to_unix_ms(const of_civil_time *t)
{
    /* Days from 1601-01-01 to 1 January of the year: 1601 starts a 400-year
     * cycle, so the leap days are the multiples of 4, less those of 100,
     * plus those of 400, among the years 1601..year-1. */
    int64_t y = t->year, days = 365 * (y - 1601) + ((y - 1) / 4 - 400) - ((y - 1) / 100 - 16) + ((y - 1) / 400 - 4);
    for (int m = 1; m < t->month; m++)
        days += days_in_month((unsigned)t->year, (unsigned)m);
    days += t->day - 1;
    return MIN_UNIX_MS + days * MS_PER_DAY + ((int64_t)t->hour * 3600 + t->minute * 60 + t->second) * 1000;
}
