/* Tests for core's export formats: ISO 8601 times, JSON Lines and CSV lines,
 * and their escaping (ofnotify/export.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ofnotify/export.h"
#include "support/textcheck.h"

#define FFFD "\xEF\xBF\xBD"

/* Checks a JSON string body (between the quotes): no raw controls, only
 * valid escapes, valid UTF-8, no unescaped quote. */
static int json_string_body_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"')
            return 0;
        if (c == '\\') {
            char e = s[++i];
            if (e == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", s[i + k]) || s[i + k] == '\0')
                        return 0;
                i += 4;
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return 0;
            }
        }
    }
    return 1;
}

/* ---- times and lines ------------------------------------------------------ */

static void expect_iso(int64_t ms, const char *want)
{
    char buf[32];
    size_t n = of_format_iso8601_utc(ms, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    if (n != 0)
        assert_int_equal(n, OF_FORMAT_ISO8601_LEN);
}

static void test_iso8601(void **state)
{
    (void)state;
    expect_iso(0, "1970-01-01T00:00:00.000Z");
    expect_iso(INT64_C(1795525325123), "2026-11-24T13:02:05.123Z");
    expect_iso(-1, "1969-12-31T23:59:59.999Z");
    expect_iso(-1000, "1969-12-31T23:59:59.000Z");
    expect_iso(-1001, "1969-12-31T23:59:58.999Z");
    expect_iso(-86400000, "1969-12-31T00:00:00.000Z");
    expect_iso(INT64_C(951782400000), "2000-02-29T00:00:00.000Z");
    expect_iso(INT64_C(978307200000) - 1, "2000-12-31T23:59:59.999Z");
    expect_iso(INT64_C(-2203891200000), "1900-03-01T00:00:00.000Z"); /* 1900 is no leap year */
    expect_iso(INT64_C(4107542400000), "2100-03-01T00:00:00.000Z");
    expect_iso(INT64_C(-11644473600000), "1601-01-01T00:00:00.000Z");
    expect_iso(INT64_C(-11644473600001), "");
    expect_iso(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
    expect_iso(INT64_C(253402300800000), "");
    expect_iso(OF_TIME_UNKNOWN, "");
    expect_iso(INT64_MAX, "");
    expect_iso(INT64_MIN + 1, "");
    {
        char buf[4] = "xyz";
        assert_int_equal(of_format_iso8601_utc(OF_TIME_UNKNOWN, buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(of_format_iso8601_utc(0, buf, sizeof buf), 24);
        assert_string_equal(buf, "197");
    }
}

/* Walk every day from 1601 to 9999 with a plain calendar counter and compare. */
static void test_iso8601_every_day(void **state)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t ms = INT64_C(-11644473600000);
    int y = 1601, m = 1, d = 1;
    uint32_t seed = 12345;
    (void)state;
    while (y <= 9999) {
        char want[64], got[32];
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int64_t in_day;
        seed = seed * 1103515245u + 12345u;
        in_day = (int64_t)(seed % 86400000u);
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
                 (int)(in_day / 3600000), (int)(in_day / 60000 % 60), (int)(in_day / 1000 % 60),
                 (int)(in_day % 1000));
        of_format_iso8601_utc(ms + in_day, got, sizeof got);
        if (strcmp(want, got) != 0)
            fail_msg("%" PRId64 ": want %s got %s", ms + in_day, want, got);
        ms += 86400000;
        if (++d > mdays[m - 1] + (m == 2 && leap)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(ms, INT64_C(253402300800000));
}

static void test_jsonl(void **state)
{
    char buf[OF_FORMAT_LINE_MAX];
    of_record r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00012007u, 12345);
    const char *want =
        "{\"seq\":7,\"started\":\"2026-11-24T13:01:52.778Z\",\"completed\":\"2026-11-24T13:02:05.123Z\","
        "\"duration_ms\":12345,\"direction\":\"two-way\",\"flags\":\"0x00012007\","
        "\"flags_text\":\"FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_SKIPSUSPENDEDDIRS|FLAG_BACKGROUND\","
        "\"status\":\"completed\",\"reason\":null,\"begin_flags\":\"0x00012007\",\"origin\":\"background\"}\n";
    (void)state;

    assert_int_equal(of_format_jsonl(&r, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, want);

    r = of_test_record(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010004u, 0);
    of_format_jsonl(&r, buf, sizeof buf);
    assert_string_equal(buf, "{\"seq\":7,\"started\":null,\"completed\":\"2026-11-24T13:02:05.123Z\","
                             "\"duration_ms\":0,\"direction\":\"to-server\",\"flags\":\"0x00010004\","
                             "\"flags_text\":\"FLAG_SYNCOUT|FLAG_BACKGROUND\",\"status\":\"unpaired\","
                             "\"reason\":null,\"begin_flags\":\"0x00010004\",\"origin\":\"background\"}\n");

    {
        static const char *const reasons[] = {"null",        "\"datalost\"", "\"service-lost\"", "\"shutdown\"",
                                              "\"timeout\"", "\"failed\"",   "\"unknown\""};
        for (unsigned i = 0; i < 7; i++) {
            char want_part[64];
            r = of_test_record(OF_STATUS_INTERRUPTED, (uint8_t)(i < 6 ? i : 99), 0x0001000Bu, 3000);
            r.begin_flags = 0x0001000Au;
            of_format_jsonl(&r, buf, sizeof buf);
            snprintf(want_part, sizeof want_part, "\"status\":\"interrupted\",\"reason\":%s,", reasons[i]);
            assert_non_null(strstr(buf, want_part));
            assert_non_null(strstr(buf, "\"direction\":\"from-server\""));
            assert_non_null(strstr(buf, "\"begin_flags\":\"0x0001000A\",\"origin\":\"background\"}\n"));
        }
    }

    /* times outside the range become null, the line stays valid */
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0xFFFFFFFFu, UINT64_MAX);
    r.seq = UINT64_MAX;
    r.started_ms = INT64_MIN + 5;
    r.completed_ms = INT64_MAX;
    r.begin_flags = 0xFFFFFFFFu;
    {
        size_t n = of_format_jsonl(&r, buf, sizeof buf);
        assert_true(n < sizeof buf);
        assert_non_null(strstr(buf, "\"seq\":18446744073709551615,\"started\":null,\"completed\":null,"
                                    "\"duration_ms\":18446744073709551615,"));
        assert_non_null(strstr(buf, "NONEWFILESOUT|0xFFFCC000\""));
    }

    /* bad records */
    strcpy(buf, "x");
    assert_int_equal(of_format_jsonl(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");

    /* A status this version does not know is exported, and says so. */
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010004u, 0);
    r.status = OF_STATUS_COUNT;
    {
        size_t n = of_format_jsonl(&r, buf, sizeof buf);
        assert_int_equal(n, strlen(buf));
    }
    assert_non_null(strstr(buf, "\"status\":\"unknown-3\",\"reason\":null,"));
    r.status = 255;
    r.reason = 200;
    of_format_jsonl(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"status\":\"unknown-255\",\"reason\":\"unknown\","));
    assert_non_null(strstr(buf, "\"begin_flags\":\"0x00010004\",\"origin\":\"background\"}\n"));

    /* Who started the pass; an origin from a newer version says it is unknown. */
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x0000082Fu, 1000);
    r.origin = OF_ORIGIN_SYNC_NOW;
    of_format_jsonl(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"begin_flags\":\"0x0000082F\",\"origin\":\"sync-now\"}\n"));
    r.origin = 7;
    of_format_jsonl(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",\"origin\":\"unknown\"}\n"));
}

static void test_csv(void **state)
{
    char buf[OF_FORMAT_LINE_MAX];
    of_record r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x30010003u, 12345);
    size_t n;
    (void)state;

    n = of_format_csv_header(buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "seq,started,completed,duration_ms,direction,flags,flags_text,status,"
                             "reason,begin_flags,origin\r\n");

    n = of_format_csv_row(&r, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "7,2026-11-24T13:01:52.778Z,2026-11-24T13:02:05.123Z,12345,from-server,"
                             "0x30010003,FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_BACKGROUND|CR_KEEPLATEST,"
                             "completed,,0x30010003,background\r\n");

    r = of_test_record(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0, 0);
    of_format_csv_row(&r, buf, sizeof buf);
    assert_string_equal(buf, "7,,2026-11-24T13:02:05.123Z,0,unspecified,0x00000000,0,unpaired,,0x00000000,background\r\n");

    r = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x6, 0);
    of_format_csv_row(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",interrupted,service-lost,0x00000006,background\r\n"));
    r.reason = 42;
    of_format_csv_row(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",interrupted,unknown,0x00000006,background\r\n"));

    strcpy(buf, "x");
    assert_int_equal(of_format_csv_row(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    r.status = 200;
    n = of_format_csv_row(&r, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_non_null(strstr(buf, ",unknown-200,unknown,0x00000006,background\r\n"));
    r.origin = OF_ORIGIN_SYNC_NOW;
    of_format_csv_row(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",0x00000006,sync-now\r\n"));
}

/* ---- escaping ---------------------------------------------------------------- */

static void expect_json_escape(const char *in, const char *want)
{
    char buf[512];
    size_t n = of_json_escape(in, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    assert_true(json_string_body_ok(buf, n));
    assert_true(of_test_utf8_ok(buf));
}

static void test_json_escape(void **state)
{
    (void)state;
    expect_json_escape("", "");
    expect_json_escape(NULL, "");
    expect_json_escape("plain text", "plain text");
    expect_json_escape("say \"hi\"", "say \\\"hi\\\"");
    expect_json_escape("C:\\Users\\alice", "C:\\\\Users\\\\alice");
    expect_json_escape("\\\\fs01\\home$", "\\\\\\\\fs01\\\\home$");
    expect_json_escape("a\nb\rc\td\be\ff", "a\\nb\\rc\\td\\be\\ff");
    expect_json_escape("\x01\x1f\x7f", "\\u0001\\u001f\\u007f");
    expect_json_escape("/ stays", "/ stays");
    expect_json_escape("B\xC3\xBCro \xE2\x82\xAC \xF0\x9F\x98\x80", "B\xC3\xBCro \xE2\x82\xAC \xF0\x9F\x98\x80");
    expect_json_escape("line\xE2\x80\xA8sep\xE2\x80\xA9", "line\\u2028sep\\u2029");
    expect_json_escape("\xEF\xBF\xBD kept", FFFD " kept");
    /* invalid UTF-8: one U+FFFD per broken sequence */
    expect_json_escape("\x80", FFFD);
    expect_json_escape("a\xFF" "b", "a" FFFD "b");
    expect_json_escape("\xC0\xAF", FFFD FFFD);              /* overlong lead, stray continuation */
    expect_json_escape("\xE0\x80\xAF", FFFD FFFD FFFD);      /* overlong 3-byte */
    expect_json_escape("\xED\xA0\x80", FFFD FFFD FFFD);      /* surrogate */
    expect_json_escape("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* > U+10FFFF */
    expect_json_escape("\xF5", FFFD);
    expect_json_escape("end\xE2\x82", "end" FFFD);            /* cut at the end */
    expect_json_escape("\xE2\x82\"", FFFD "\\\"");            /* cut before a quote */
    expect_json_escape("\xF0\x9F\x98", FFFD);
    {
        /* every control character */
        char in[32], out[256];
        for (int c = 1; c < 32; c++)
            in[c - 1] = (char)c;
        in[31] = '\0';
        size_t n = of_json_escape(in, out, sizeof out);
        assert_true(json_string_body_ok(out, n));
        for (size_t i = 0; i < n; i++)
            assert_true((unsigned char)out[i] >= 0x20);
    }
}

static void expect_csv(const char *in, const char *want)
{
    char buf[256];
    size_t n = of_csv_field(in, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_csv_field(void **state)
{
    (void)state;
    expect_csv(NULL, "");
    expect_csv("", "");
    expect_csv("plain", "plain");
    expect_csv("a,b", "\"a,b\"");
    expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_csv("\"", "\"\"\"\"");
    expect_csv("two\nlines", "\"two\nlines\"");
    expect_csv("cr\rhere", "\"cr\rhere\"");
    expect_csv("B\xC3\xBCro", "B\xC3\xBCro");
    expect_csv("bad\xFF", "bad" FFFD);
    expect_csv("x=1", "x=1");
    expect_csv("x-1", "x-1");
    /* formula injection */
    expect_csv("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect_csv("+1", "\"'+1\"");
    expect_csv("-1", "\"'-1\"");
    expect_csv("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_csv("\tx", "\"'\tx\"");
    expect_csv("\rx", "\"'\rx\"");
    expect_csv("=a,b", "\"'=a,b\"");
}

/* ---- truncation of every function ---------------------------------------- */

typedef struct trunc_case {
    int kind;
    of_record rec;
    const char *text;
    uint64_t num;
} trunc_case;

enum { TRUNC_JSONL, TRUNC_CSV_ROW, TRUNC_JSON_ESCAPE, TRUNC_CSV_FIELD, TRUNC_ISO8601, TRUNC_CSV_HEADER, TRUNC_KINDS };

static size_t trunc_fmt(const void *ctx, char *buf, size_t cap)
{
    const trunc_case *c = ctx;
    switch (c->kind) {
    case TRUNC_JSONL:
        return of_format_jsonl(&c->rec, buf, cap);
    case TRUNC_CSV_ROW:
        return of_format_csv_row(&c->rec, buf, cap);
    case TRUNC_JSON_ESCAPE:
        return of_json_escape(c->text, buf, cap);
    case TRUNC_CSV_FIELD:
        return of_csv_field(c->text, buf, cap);
    case TRUNC_ISO8601:
        return of_format_iso8601_utc((int64_t)c->num, buf, cap);
    default:
        return of_format_csv_header(buf, cap);
    }
}

/* The machine formats take no string table, so each case runs once. */
static void test_truncation_everywhere(void **state)
{
    const char *odd = "\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\"\\,\n=\x01\xFF" "end";
    (void)state;
    for (int kind = 0; kind < TRUNC_KINDS; kind++) {
        trunc_case c;
        memset(&c, 0, sizeof c);
        c.kind = kind;
        c.rec = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x30012007u, 3780000);
        c.text = odd;
        c.num = (uint64_t)INT64_C(1795525325123);
        of_test_check_truncation(trunc_fmt, &c);
        c.rec.status = OF_STATUS_COMPLETED;
        c.text = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";
        of_test_check_truncation(trunc_fmt, &c);
        c.rec.status = 77; /* "unknown-77" */
        of_test_check_truncation(trunc_fmt, &c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_iso8601_every_day),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_truncation_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
