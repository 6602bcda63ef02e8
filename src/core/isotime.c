/* ofnotify: times as ISO 8601 UTC, counted with the Gregorian calendar's
 * own cycles, so the result does not depend on the C library's time
 * functions or on the time zone. */
#include "isotime.h"

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

int of_isotime_in_range(int64_t unix_ms)
{
    return unix_ms >= MIN_UNIX_MS && unix_ms <= MAX_UNIX_MS;
}

void textbuf_iso8601(textbuf *o, int64_t unix_ms)
{
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
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
        unsigned len = month_days[month] + (month == 1 && is_leap(year) ? 1u : 0u);
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
