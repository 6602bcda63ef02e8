/* ofnotify tests: checks shared by the tests of core's text and export formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "textcheck.h"

int of_test_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (*p < 0x80) {
            p++;
            continue;
        }
        if (*p >= 0xC2 && *p <= 0xDF)
            n = 1;
        else if (*p >= 0xE0 && *p <= 0xEF)
            n = 2, lo = *p == 0xE0 ? 0xA0 : 0x80, hi = *p == 0xED ? 0x9F : 0xBF;
        else if (*p >= 0xF0 && *p <= 0xF4)
            n = 3, lo = *p == 0xF0 ? 0x90 : 0x80, hi = *p == 0xF4 ? 0x8F : 0xBF;
        else
            return 0;
        for (size_t i = 1; i <= n; i++) {
            if (p[i] < lo || p[i] > hi)
                return 0;
            lo = 0x80, hi = 0xBF;
        }
        p += n + 1;
    }
    return 1;
}

void of_test_check_truncation(of_test_fmt_fn fn, const void *ctx)
{
    char full[2048];
    size_t len = fn(ctx, full, sizeof full);

    assert_true(len < sizeof full);
    assert_int_equal(strlen(full), len);
    assert_true(of_test_utf8_ok(full));
    assert_int_equal(fn(ctx, NULL, 0), len);
    assert_int_equal(fn(ctx, NULL, 10), len);
    for (size_t cap = 0; cap <= len + 1; cap++) {
        char buf[2048 + 8];
        memset(buf, '#', sizeof buf);
        assert_int_equal(fn(ctx, buf, cap), len);
        if (cap == 0) {
            assert_int_equal(buf[0], '#');
            continue;
        }
        size_t kept = strlen(buf);
        size_t want = cap - 1 < len ? cap - 1 : len;
        assert_true(kept <= want && kept + 3 >= want);
        assert_memory_equal(buf, full, kept);
        assert_true(of_test_utf8_ok(buf));
        for (size_t i = cap; i < sizeof buf; i++)
            assert_int_equal(buf[i], '#');
    }
}

of_record of_test_record(uint8_t status, uint8_t reason, uint32_t flags, uint64_t duration_ms)
{
    of_record r;
    memset(&r, 0, sizeof r);
    r.seq = 7;
    r.started_ms = INT64_C(1795525325123) - (int64_t)duration_ms;
    r.completed_ms = INT64_C(1795525325123); /* 2026-11-24T13:02:05.123Z */
    r.duration_ms = duration_ms;
    r.flags = flags;
    r.begin_flags = flags;
    r.status = status;
    r.reason = reason;
    if (status == OF_STATUS_UNPAIRED) {
        r.started_ms = OF_TIME_UNKNOWN;
        r.duration_ms = 0;
    }
    return r;
}
