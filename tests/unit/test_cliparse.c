/* Tests for core/cliparse and the TIME form of core/isotime (civiltime.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/civiltime.h"
#include "ofnotify/cliparse.h"

/* A stand-in time zone: local time is UTC+1 h, and the year 1999 cannot be
 * converted (the caller's conversion failing). */
#define LOCAL_OFFSET_MS INT64_C(3600000)
static int local_calls;

static int local_plus_one(void *ctx, const of_civil_time *t, int64_t *ms)
{
    (void)ctx;
    local_calls++;
    assert_int_equal(t->utc, 0);
    if (t->year == 1999)
        return -1;
    *ms = of_civil_to_unix_ms(t) - LOCAL_OFFSET_MS;
    return 0;
}

static of_cli_options opts;
static of_cli_error err;

/* Parses the NULL-terminated arguments (after the program's name). */
static of_cli_err parse(const char *first, ...)
{
    const char *argv[16] = {"ofnotify.exe"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
        argv[argc++] = a;
    va_end(ap);
    memset(&err, 0xAB, sizeof err);
    of_cli_err rc = of_cli_parse(argc, argv, local_plus_one, NULL, &opts, &err);
    assert_int_equal(rc, err.code);
    return rc;
}

static void assert_name(const char *got, const char *want)
{
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* ---- TIME ---- */

static void expect_time(const char *text, int y, int mo, int d, int h, int mi, int s, int utc)
{
    of_civil_time t;
    memset(&t, 0x55, sizeof t);
    if (of_civil_parse(text, &t) != 0)
        fail_msg("\"%s\" refused", text);
    assert_int_equal(t.year, y);
    assert_int_equal(t.month, mo);
    assert_int_equal(t.day, d);
    assert_int_equal(t.hour, h);
    assert_int_equal(t.minute, mi);
    assert_int_equal(t.second, s);
    assert_int_equal(t.utc, utc);
}

static void test_time_forms(void **state)
{
    (void)state;
    expect_time("2026-12-01", 2026, 12, 1, 0, 0, 0, 0);
    expect_time("2026-12-01T08:00", 2026, 12, 1, 8, 0, 0, 0);
    expect_time("2026-12-01T08:05:09", 2026, 12, 1, 8, 5, 9, 0);
    expect_time("2026-12-01T08:00Z", 2026, 12, 1, 8, 0, 0, 1);
    expect_time("2026-12-01T23:59:59Z", 2026, 12, 1, 23, 59, 59, 1);
    expect_time("2024-02-29", 2024, 2, 29, 0, 0, 0, 0);
    expect_time("2000-02-29", 2000, 2, 29, 0, 0, 0, 0);
    expect_time("1601-01-01T00:00Z", 1601, 1, 1, 0, 0, 0, 1);
    expect_time("9999-12-31T23:59:59Z", 9999, 12, 31, 23, 59, 59, 1);
}

static void test_time_refused(void **state)
{
    static const char *const bad[] = {
        "", "2026", "2026-12", "2026-12-1", "2026-1-01", "26-12-01", "2026/12/01", "2026-12-01T",
        "2026-12-01T8:00", "2026-12-01T08", "2026-12-01T08:0", "2026-12-01T08:00:", "2026-12-01T08:00:0",
        "2026-12-01t08:00", "2026-12-01T08:00z", "2026-12-01Z", "2026-12-01 08:00", " 2026-12-01",
        "2026-12-01 ", "2026-12-01T08:00:00.000", "2026-12-01T08:00:00+01:00", "2026-12-01T08:00ZZ",
        "2026-13-01", "2026-00-01", "2026-12-00", "2026-12-32", "2026-04-31", "2026-02-29", "1900-02-29",
        "2026-12-01T24:00", "2026-12-01T23:60", "2026-12-01T23:59:60", "1600-12-31", "0000-01-01",
        "+2026-12-01", "2026-12-01\n", "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-12-01", /* fullwidth digits */
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        of_civil_time t = {.year = 7};
        if (of_civil_parse(bad[i], &t) == 0)
            fail_msg("\"%s\" accepted", bad[i]);
        assert_int_equal(t.year, 7); /* untouched */
    }
}

static void test_time_to_unix_ms(void **state)
{
    static const struct {
        const char *text;
        int64_t ms;
    } cases[] = {
        {"1970-01-01T00:00Z", 0},
        {"1970-01-02", 86400000},
        {"1969-12-31T23:59:59Z", -1000},
        {"2026-11-24T13:02:05Z", INT64_C(1795525325000)},
        {"2000-03-01", INT64_C(951868800000)},
        {"1601-01-01T00:00Z", INT64_C(-11644473600000)},
        {"9999-12-31T23:59:59Z", INT64_C(253402300799000)},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        of_civil_time t;
        assert_int_equal(of_civil_parse(cases[i].text, &t), 0);
        if (of_civil_to_unix_ms(&t) != cases[i].ms)
            fail_msg("%s: %lld, not %lld", cases[i].text, (long long)of_civil_to_unix_ms(&t),
                     (long long)cases[i].ms);
    }
}

/* ---- the command line ---- */

static void test_no_option_is_the_tray(void **state)
{
    (void)state;
    assert_int_equal(parse(NULL), OF_CLI_OK);
    assert_int_equal(opts.mode, OF_CLI_TRAY);
    assert_int_equal(opts.background, 0);
    assert_int_equal(opts.data_dir, 0);
    assert_int_equal(opts.out, 0);
    assert_int_equal(opts.timeout_ms, OF_CLI_DEFAULT_TIMEOUT_MS);
    assert_int_equal(opts.has_since | opts.has_until, 0);
    assert_int_equal(err.arg, 0);
    assert_null(err.name);
}

static void test_modes_and_options(void **state)
{
    (void)state;
    assert_int_equal(parse("--data-dir=D:\\x", "--export=csv", "--out=y.csv", NULL), OF_CLI_OK);
    assert_int_equal(opts.mode, OF_CLI_EXPORT);
    assert_int_equal(opts.format, OF_CLI_CSV);
    assert_int_equal(opts.data_dir, 1);
    assert_int_equal(opts.out, 3);
    assert_int_equal(parse("--export=jsonl", NULL), OF_CLI_OK);
    assert_int_equal(opts.format, OF_CLI_JSONL);
    assert_int_equal(parse("--background", "--data-dir=a", NULL), OF_CLI_OK);
    assert_int_equal(opts.mode, OF_CLI_TRAY);
    assert_int_equal(opts.background, 1);
    assert_int_equal(parse("--wait-idle=250", NULL), OF_CLI_OK);
    assert_int_equal(opts.mode, OF_CLI_WAIT_IDLE);
    assert_int_equal(opts.timeout_ms, 250);
    assert_int_equal(parse("--wait-idle=0", NULL), OF_CLI_OK);
    assert_int_equal(opts.timeout_ms, 0);
    assert_int_equal(parse("--wait-idle=86400000", NULL), OF_CLI_OK);
    assert_int_equal(opts.timeout_ms, 86400000u);
    assert_int_equal(parse("--wait-idle", NULL), OF_CLI_OK);
    assert_int_equal(opts.timeout_ms, OF_CLI_DEFAULT_TIMEOUT_MS);
    static const struct {
        const char *word;
        of_cli_mode mode;
    } words[] = {{"--exit", OF_CLI_EXIT},     {"--sync-now", OF_CLI_SYNC_NOW}, {"--status", OF_CLI_STATUS},
                 {"--help", OF_CLI_HELP},     {"-h", OF_CLI_HELP},             {"/?", OF_CLI_HELP},
                 {"--version", OF_CLI_VERSION}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        assert_int_equal(parse(words[i].word, NULL), OF_CLI_OK);
        assert_int_equal(opts.mode, words[i].mode);
    }
}

static void test_bad_options(void **state)
{
    static const char *const bad[] = {"--exporter=csv", "--data-dir", "--data-dir=", "--out=", "--wait-idle=x",
                                      "--wait-idle=-1", "--wait-idle=+5", "--wait-idle= 5", "--wait-idle=86400001",
                                      "--wait-idle=99999999999999999999", "--EXIT", "-exit", "", "/h",
                                      "--sync-now=1", "--background=1"};
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse("--data-dir=ok", bad[i], NULL) != OF_CLI_E_BAD_OPTION)
            fail_msg("\"%s\" not refused as a bad option (%d)", bad[i], err.code);
        assert_int_equal(err.arg, 2);
    }
}

static void test_repeats_and_conflicts(void **state)
{
    (void)state;
    assert_int_equal(parse("--data-dir=a", "--data-dir=a", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--data-dir");
    assert_int_equal(err.arg, 2);
    assert_int_equal(parse("--export=csv", "--out=a", "--out=b", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--out");
    assert_int_equal(parse("--export=csv", "--export=jsonl", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--export");
    assert_int_equal(parse("-h", "/?", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--help");
    assert_int_equal(parse("--background", "--background", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--background");
    assert_int_equal(parse("--export=csv", "--since=2026-01-01", "--since=2026-01-02", NULL), OF_CLI_E_REPEATED);
    assert_name(err.name, "--since");
    assert_int_equal(err.arg, 3);

    assert_int_equal(parse("--export=jsonl", "--wait-idle", NULL), OF_CLI_E_CONFLICT);
    assert_name(err.name, "--export");
    assert_name(err.other, "--wait-idle");
    assert_int_equal(err.arg, 2);
    assert_int_equal(parse("--status", "-h", NULL), OF_CLI_E_CONFLICT);
    assert_name(err.name, "--status");
    assert_name(err.other, "--help");
    assert_int_equal(parse("--exit", "--background", NULL), OF_CLI_E_CONFLICT);
    assert_name(err.name, "--background");
    assert_name(err.other, "--exit");
    /* The first mistake in the arguments wins over what is checked after them. */
    assert_int_equal(parse("--background", "--exit", "--bogus", NULL), OF_CLI_E_BAD_OPTION);
    assert_int_equal(err.arg, 3);
}

static void test_export_format(void **state)
{
    (void)state;
    assert_int_equal(parse("--export=xml", NULL), OF_CLI_E_EXPORT_FORMAT);
    assert_int_equal(err.arg, 1);
    assert_int_equal(parse("--export", NULL), OF_CLI_E_EXPORT_FORMAT);
    assert_int_equal(parse("--export=CSV", NULL), OF_CLI_E_EXPORT_FORMAT);
}

static void test_since_until(void **state)
{
    (void)state;
    local_calls = 0;
    assert_int_equal(parse("--export=csv", "--since=2026-12-01T08:00Z", "--until=2026-12-02", NULL), OF_CLI_OK);
    assert_true(opts.has_since && opts.has_until);
    assert_true(opts.since_ms == INT64_C(1796112000000));
    /* Local midnight, one hour ahead of UTC: 23:00 the day before in UTC. */
    assert_true(opts.until_ms == INT64_C(1796169600000) - LOCAL_OFFSET_MS);
    assert_int_equal(local_calls, 1); /* only the local one asked the caller */

    assert_int_equal(parse("--until=2026-12-01T08:00:30Z", "--export=jsonl", NULL), OF_CLI_OK);
    assert_int_equal(opts.has_since, 0);
    assert_true(opts.until_ms == INT64_C(1796112030000));

    /* Bad values name the option and point at the argument. */
    assert_int_equal(parse("--export=csv", "--since=yesterday", NULL), OF_CLI_E_BAD_TIME);
    assert_name(err.name, "--since");
    assert_int_equal(err.arg, 2);
    assert_int_equal(parse("--export=csv", "--until=", NULL), OF_CLI_E_BAD_TIME);
    assert_name(err.name, "--until");
    assert_int_equal(parse("--export=csv", "--until", NULL), OF_CLI_E_BAD_TIME);
    assert_int_equal(parse("--export=csv", "--since=2026-02-30", NULL), OF_CLI_E_BAD_TIME);
    /* A local time the caller cannot convert; the same in UTC needs no caller. */
    assert_int_equal(parse("--export=csv", "--since=1999-06-01", NULL), OF_CLI_E_BAD_TIME);
    assert_int_equal(parse("--export=csv", "--since=1999-06-01T00:00Z", NULL), OF_CLI_OK);

    /* since must be before until, in UTC. */
    assert_int_equal(parse("--export=csv", "--since=2026-12-01", "--until=2026-12-01", NULL), OF_CLI_E_TIME_ORDER);
    assert_int_equal(parse("--export=csv", "--since=2026-12-02", "--until=2026-12-01", NULL), OF_CLI_E_TIME_ORDER);
    /* 08:00 local is 07:00Z: before 07:30Z, not before 06:30Z. */
    assert_int_equal(parse("--export=csv", "--since=2026-12-01T08:00", "--until=2026-12-01T07:30Z", NULL),
                     OF_CLI_OK);
    assert_int_equal(parse("--export=csv", "--since=2026-12-01T08:00", "--until=2026-12-01T07:00Z", NULL),
                     OF_CLI_E_TIME_ORDER);

    /* Only with --export. */
    assert_int_equal(parse("--since=2026-12-01", NULL), OF_CLI_E_NEEDS_EXPORT);
    assert_name(err.name, "--since");
    assert_int_equal(parse("--status", "--until=2026-12-01", NULL), OF_CLI_E_NEEDS_EXPORT);
    assert_name(err.name, "--until");
    assert_int_equal(parse("--out=x", NULL), OF_CLI_E_NEEDS_EXPORT);
    assert_name(err.name, "--out");
    assert_int_equal(err.arg, 1);
}

static void test_no_caller_conversion(void **state)
{
    const char *argv[] = {"ofnotify.exe", "--export=csv", "--since=2026-12-01"};
    (void)state;
    assert_int_equal(of_cli_parse(3, argv, NULL, NULL, &opts, &err), OF_CLI_E_BAD_TIME);
    argv[2] = "--since=2026-12-01T00:00Z";
    assert_int_equal(of_cli_parse(3, argv, NULL, NULL, &opts, &err), OF_CLI_OK);
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_null(of_cli_mode_name(OF_CLI_TRAY));
    assert_string_equal(of_cli_mode_name(OF_CLI_HELP), "--help");
    assert_string_equal(of_cli_mode_name(OF_CLI_VERSION), "--version");
    assert_null(of_cli_mode_name((of_cli_mode)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_forms),
        cmocka_unit_test(test_time_refused),
        cmocka_unit_test(test_time_to_unix_ms),
        cmocka_unit_test(test_no_option_is_the_tray),
        cmocka_unit_test(test_modes_and_options),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_repeats_and_conflicts),
        cmocka_unit_test(test_export_format),
        cmocka_unit_test(test_since_until),
        cmocka_unit_test(test_no_caller_conversion),
        cmocka_unit_test(test_mode_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
