/* Tests for core/format: the text people read. The machine formats are in
 * test_recordexport.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/format.h"
#include "support/strings_en.h"
#include "support/textcheck.h"

#define MIDDOT "\xC2\xB7"
#define FFFD "\xEF\xBF\xBD"

/* ---- helpers ----------------------------------------------------------- */

/* A table that answers from an array and says NULL for the rest. */
typedef struct table {
    const char *const *texts; /* OF_TEXT_COUNT entries, NULL = missing */
} table;

static const char *table_get(void *ctx, of_text_id id)
{
    const table *t = ctx;
    if ((unsigned)id >= (unsigned)OF_TEXT_COUNT)
        return NULL;
    return t->texts[id];
}

/* English with a few ids replaced. */
static const char *patched_texts[OF_TEXT_COUNT];

static of_strings patched(void)
{
    static table t = {patched_texts};
    of_strings s = {table_get, &t};
    for (int i = 0; i < OF_TEXT_COUNT; i++)
        patched_texts[i] = of_test_strings_en_get(NULL, (of_text_id)i);
    return s;
}

/* German, with a different word order, to show reordering works. */
static const char *de_get(void *ctx, of_text_id id)
{
    (void)ctx;
    switch (id) {
    case OF_TEXT_DIR_TWO_WAY:
        return "Zwei-Wege";
    case OF_TEXT_BALLOON_TITLE_COMPLETED:
        return "Hintergrundsynchronisierung abgeschlossen";
    case OF_TEXT_BALLOON_BODY_COMPLETED:
        return "Nach {2} abgeschlossen: {1}-Synchronisierung";
    case OF_TEXT_DURATION_MIN_S:
        return "{1} Min. {2} s";
    case OF_TEXT_DURATION_S:
        return "{1} s";
    case OF_TEXT_REASON_SERVICE_LOST:
        return "Dienst wurde beendet";
    case OF_TEXT_STATUS_INTERRUPTED_REASON:
        return "Unterbrochen ({1})";
    case OF_TEXT_SUMMARY_TITLE_MIXED:
        return "{2} von {1} Hintergrundsynchronisierungen unterbrochen";
    case OF_TEXT_SUMMARY_BODY:
        return "Zuletzt: {1}";
    case OF_TEXT_LIST_SEPARATOR:
        return "; ";
    case OF_TEXT_FLAG_SYNCIN:
        return "Eingehend";
    case OF_TEXT_FLAG_SYNCOUT:
        return "Ausgehend";
    case OF_TEXT_DETAILS_WITH_RULE:
        return "Konflikte: {2} \xE2\x80\x93 {1}";
    case OF_TEXT_RULE_KEEPLATEST:
        return "neueste behalten";
    default:
        return of_test_strings_en_get(NULL, id);
    }
}

static of_strings de(void)
{
    of_strings s = {de_get, NULL};
    return s;
}

static of_strings en(void)
{
    return of_test_strings_en();
}

/* ---- string table ------------------------------------------------------ */

static void test_text_ids(void **state)
{
    of_strings s = en();
    (void)state;
    /* stable values the resource file depends on */
    assert_int_equal(OF_TEXT_DIR_UNSPECIFIED, 0);
    assert_int_equal(OF_TEXT_REASON_DATALOST, 9);
    assert_int_equal(OF_TEXT_BALLOON_TITLE_COMPLETED, 21);
    assert_int_equal(OF_TEXT_FLAG_FILLSPARSE, 33);
    assert_int_equal(OF_TEXT_RULE_KEEPLATEST, 51);
    assert_int_equal(OF_TEXT_REASON_FAILED, 52);
    assert_int_equal(OF_TEXT_STATUS_UNKNOWN, 53);
    assert_int_equal(OF_TEXT_BALLOON_TITLE_SYNC_NOW_COMPLETED, 54);
    assert_int_equal(OF_TEXT_COUNT, 56);

    assert_int_equal(of_text_arg_count(OF_TEXT_DIR_TWO_WAY), 0);
    assert_int_equal(of_text_arg_count(OF_TEXT_DURATION_S), 1);
    assert_int_equal(of_text_arg_count(OF_TEXT_STATUS_UNKNOWN), 1);
    assert_int_equal(of_text_arg_count(OF_TEXT_DURATION_D_H), 2);
    assert_int_equal(of_text_arg_count(OF_TEXT_BALLOON_BODY_COMPLETED), 2);
    assert_int_equal(of_text_arg_count(OF_TEXT_COUNT), -1);
    assert_int_equal(of_text_arg_count((of_text_id)-1), -1);

    /* every English template exists and is usable */
    for (int i = 0; i < OF_TEXT_COUNT; i++) {
        const char *t = s.get(s.ctx, (of_text_id)i);
        assert_non_null(t);
        if (!of_format_template_ok((of_text_id)i, t))
            fail_msg("English template %d \"%s\" rejected", i, t);
    }
}

/* With no table at all, every id still gives a non-empty, valid text. */
static void test_stand_ins(void **state)
{
    const char *args[2] = {"A", "B"};
    of_strings nothing = {NULL, NULL};
    of_strings all_null = patched();
    (void)state;
    for (int i = 0; i < OF_TEXT_COUNT; i++)
        patched_texts[i] = NULL;
    for (int i = 0; i < OF_TEXT_COUNT; i++) {
        char a[256], b[256], c[256];
        size_t n = (size_t)of_text_arg_count((of_text_id)i);
        size_t la = of_format_text(NULL, (of_text_id)i, args, n, a, sizeof a);
        size_t lb = of_format_text(&nothing, (of_text_id)i, args, n, b, sizeof b);
        size_t lc = of_format_text(&all_null, (of_text_id)i, args, n, c, sizeof c);
        assert_true(la > 0 && la < sizeof a);
        assert_true(of_test_utf8_ok(a));
        assert_int_equal(la, lb);
        assert_int_equal(la, lc);
        assert_string_equal(a, b);
        assert_string_equal(a, c);
        /* the stand-in uses every argument */
        if (n >= 1)
            assert_non_null(strchr(a, 'A'));
        if (n >= 2)
            assert_non_null(strchr(a, 'B'));
    }
    {
        char buf[64];
        of_format_text(NULL, OF_TEXT_DIR_TWO_WAY, NULL, 0, buf, sizeof buf);
        assert_string_equal(buf, "two-way");
        of_format_text(NULL, OF_TEXT_REASON_SERVICE_LOST, NULL, 0, buf, sizeof buf);
        assert_string_equal(buf, "service-lost");
        of_format_text(NULL, OF_TEXT_FLAG_PINFORUSER_POLICY, NULL, 0, buf, sizeof buf);
        assert_string_equal(buf, "FLAG_PINFORUSER_POLICY");
        of_format_text(NULL, OF_TEXT_DURATION_MIN_S, args, 2, buf, sizeof buf);
        assert_string_equal(buf, "A min B s");
    }
}

static void test_template_rules(void **state)
{
    (void)state;
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{1} min {2} s"));
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{2}{1}"));
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{1}{1}"));
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "no args at all"));
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{{1} } {1}}"));
    assert_true(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "Zwei-Wege \xE2\x87\x84"));
    assert_true(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "}"));

    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, NULL));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, ""));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{1"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{0}"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{3}"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{10}"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{x}"));
    assert_false(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "{ 1}"));
    /* printf syntax is just literal text */
    assert_true(of_format_template_ok(OF_TEXT_DURATION_MIN_S, "%u min"));
    assert_false(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "{1}"));
    assert_false(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "bad \xC3"));
    assert_false(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "bad \xC0\xAF"));
    assert_false(of_format_template_ok(OF_TEXT_DIR_TWO_WAY, "bad \xED\xA0\x80"));
    assert_false(of_format_template_ok(OF_TEXT_COUNT, "x"));
}

static void test_format_text(void **state)
{
    of_strings s = patched();
    char buf[128];
    const char *args[2] = {"first", "second"};
    (void)state;

    patched_texts[OF_TEXT_BALLOON_BODY_COMPLETED] = "{2} then {1}, again {2}; {{literal} }";
    assert_int_equal(of_format_text(&s, OF_TEXT_BALLOON_BODY_COMPLETED, args, 2, buf, sizeof buf),
                     strlen("second then first, again second; {literal} }"));
    assert_string_equal(buf, "second then first, again second; {literal} }");

    /* placeholders inside arguments stay as they are */
    args[0] = "{2}";
    args[1] = "{{";
    of_format_text(&s, OF_TEXT_BALLOON_BODY_COMPLETED, args, 2, buf, sizeof buf);
    assert_string_equal(buf, "{{ then {2}, again {{; {literal} }");

    /* invalid UTF-8 in an argument is replaced, NULL is empty */
    args[0] = "a\xFF" "b";
    args[1] = NULL;
    of_format_text(&s, OF_TEXT_BALLOON_BODY_COMPLETED, args, 2, buf, sizeof buf);
    assert_string_equal(buf, " then a" FFFD "b, again ; {literal} }");

    /* wrong argument count, bad id */
    strcpy(buf, "xx");
    assert_int_equal(of_format_text(&s, OF_TEXT_BALLOON_BODY_COMPLETED, args, 1, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    strcpy(buf, "xx");
    assert_int_equal(of_format_text(&s, OF_TEXT_BALLOON_BODY_COMPLETED, NULL, 2, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(of_format_text(&s, OF_TEXT_COUNT, NULL, 0, buf, sizeof buf), 0);
    assert_int_equal(of_format_text(&s, (of_text_id)-5, NULL, 0, buf, sizeof buf), 0);
}

/* A malformed or missing template falls back to the stand-in, and only for
 * that id. */
static void test_malformed_templates(void **state)
{
    static const char *const broken[] = {
        NULL, "", "{", "{3} in {1}", "{0}", "{1", "{9}", "abc{", "\xC3(", "{1} in {2}\xF5",
    };
    of_record r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12000);
    (void)state;
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        of_strings s = patched();
        char title[128], body[128];
        patched_texts[OF_TEXT_BALLOON_BODY_COMPLETED] = broken[i];
        assert_int_equal(of_format_balloon(&s, &r, title, sizeof title, body, sizeof body), OF_FORMAT_OK);
        assert_string_equal(title, "Background sync completed");
        /* the stand-in body, still with English arguments */
        assert_string_equal(body, "Two-way " MIDDOT " 12 s");
    }
    {
        of_strings s = patched();
        char buf[64];
        patched_texts[OF_TEXT_DURATION_MIN_S] = "{1} min {3} s";
        of_format_duration(&s, 125000, buf, sizeof buf);
        assert_string_equal(buf, "2 min 5 s"); /* stand-in, same as English here */
        patched_texts[OF_TEXT_DURATION_MIN_S] = "{2}:{1}";
        of_format_duration(&s, 125000, buf, sizeof buf);
        assert_string_equal(buf, "5:2");
        patched_texts[OF_TEXT_DIR_TWO_WAY] = "";
        of_format_direction_label(&s, OF_DIR_TWO_WAY, buf, sizeof buf);
        assert_string_equal(buf, "two-way");
    }
}

/* ---- durations and labels ---------------------------------------------- */

static void expect_duration(uint64_t ms, const char *want)
{
    of_strings s = en();
    char buf[64];
    size_t n = of_format_duration(&s, ms, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_duration(void **state)
{
    (void)state;
    expect_duration(0, "< 1 s");
    expect_duration(999, "< 1 s");
    expect_duration(1000, "1 s");
    expect_duration(4999, "4 s");
    expect_duration(12000, "12 s");
    expect_duration(59999, "59 s");
    expect_duration(60000, "1 min");
    expect_duration(120999, "2 min");
    expect_duration(125000, "2 min 5 s");
    expect_duration(3599999, "59 min 59 s");
    expect_duration(3600000, "1 h");
    expect_duration(3659000, "1 h");
    expect_duration(3780000, "1 h 3 min");
    expect_duration(86399999, "23 h 59 min");
    expect_duration(86400000, "1 d");
    expect_duration(2 * 86400000ull + 4 * 3600000ull + 59 * 60000ull, "2 d 4 h");
    expect_duration(400 * 86400000ull, "400 d");
    expect_duration(UINT64_MAX, "213503982334 d 14 h");
}

static void test_duration_translated(void **state)
{
    of_strings s = de();
    char buf[64];
    (void)state;
    of_format_duration(&s, 125000, buf, sizeof buf);
    assert_string_equal(buf, "2 Min. 5 s");
    of_format_duration(NULL, 2 * 86400000ull + 4 * 3600000ull, buf, sizeof buf);
    assert_string_equal(buf, "2 d 4 h");
}

static void test_direction_label(void **state)
{
    static const char *const want[OF_DIR_COUNT] = {
        "Other", "Two-way", "To server", "From server", "Fill sparse",
    };
    of_strings s = en();
    char buf[64];
    (void)state;
    for (int d = 0; d < OF_DIR_COUNT; d++) {
        assert_int_equal(of_format_direction_label(&s, (of_direction)d, buf, sizeof buf), strlen(want[d]));
        assert_string_equal(buf, want[d]);
    }
    of_format_direction_label(&s, OF_DIR_COUNT, buf, sizeof buf);
    assert_string_equal(buf, "Other");
    of_format_direction_label(&s, (of_direction)-1, buf, sizeof buf);
    assert_string_equal(buf, "Other");
    of_format_direction_label(NULL, OF_DIR_FROM_SERVER, buf, sizeof buf);
    assert_string_equal(buf, "from-server");
}

static void test_status_label(void **state)
{
    static const struct {
        uint8_t status, reason;
        const char *want;
    } cases[] = {
        {OF_STATUS_COMPLETED, OF_REASON_NONE, "Completed"},
        {OF_STATUS_UNPAIRED, OF_REASON_NONE, "Unpaired"},
        {OF_STATUS_INTERRUPTED, OF_REASON_DATALOST, "Interrupted (events were lost)"},
        {OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, "Interrupted (service stopped)"},
        {OF_STATUS_INTERRUPTED, OF_REASON_SHUTDOWN, "Interrupted (ofnotify exited)"},
        {OF_STATUS_INTERRUPTED, OF_REASON_TIMEOUT, "Interrupted (timed out)"},
        {OF_STATUS_INTERRUPTED, OF_REASON_FAILED, "Interrupted (sync failed)"},
        {OF_STATUS_INTERRUPTED, OF_REASON_FAILED + 1, "Interrupted"},
        {OF_STATUS_INTERRUPTED, OF_REASON_NONE, "Interrupted"},
        {OF_STATUS_INTERRUPTED, 200, "Interrupted"},
    };
    of_strings s = en();
    of_strings g = de();
    char buf[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        of_record r = of_test_record(cases[i].status, cases[i].reason, 0x6, 1000);
        assert_int_equal(of_format_status_label(&s, &r, buf, sizeof buf), strlen(cases[i].want));
        assert_string_equal(buf, cases[i].want);
    }
    {
        of_record r = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x6, 1000);
        of_format_status_label(&g, &r, buf, sizeof buf);
        assert_string_equal(buf, "Unterbrochen (Dienst wurde beendet)");
        of_format_status_label(NULL, &r, buf, sizeof buf);
        assert_string_equal(buf, "interrupted (service-lost)");
        /* A status a newer ofnotify may write is shown with its number. */
        r.status = OF_STATUS_COUNT;
        assert_int_equal(of_format_status_label(&s, &r, buf, sizeof buf), strlen("Unknown (3)"));
        assert_string_equal(buf, "Unknown (3)");
        r.status = 200;
        of_format_status_label(&g, &r, buf, sizeof buf);
        assert_string_equal(buf, "Unknown (200)");
        of_format_status_label(NULL, &r, buf, sizeof buf);
        assert_string_equal(buf, "unknown (200)");
        strcpy(buf, "x");
        assert_int_equal(of_format_status_label(&s, NULL, buf, sizeof buf), 0);
        assert_string_equal(buf, "");
    }
}

static void expect_details(const of_strings *s, uint32_t flags, const char *want)
{
    char buf[512];
    size_t n = of_format_details(s, flags, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_details(void **state)
{
    of_strings s = en();
    of_strings g = de();
    (void)state;
    expect_details(&s, 0x30010007u, "Fill sparse, Sync in, Sync out, Background " MIDDOT " keep latest");
    expect_details(&s, 0x00012007u, "Fill sparse, Sync in, Sync out, Skip suspended folders, Background");
    expect_details(&s, 0, "No flags");
    expect_details(&s, OF_SYNC_CR_KEEPLOCAL, "keep local");
    expect_details(&s, OF_SYNC_CR_KEEPREMOTE | OF_SYNC_FLAG_SYNCIN, "Sync in " MIDDOT " keep remote");
    expect_details(&s, 0x00400000u, "0x00400000");
    expect_details(&s, 0x00400002u, "Sync in, 0x00400000");
    expect_details(&s, 0x40000000u, "0x40000000");              /* unknown rule */
    expect_details(&s, 0x50000004u | 0x8000u, "Sync out, 0x50008000");
    expect_details(&s, 0x10400000u, "0x00400000 " MIDDOT " keep local");
    expect_details(&s, 0xFFFFFFFFu,
                   "Fill sparse, Sync in, Sync out, Pin new files, Pin link targets, Pin for user, "
                   "Pin for user (policy), Pin for all users, Pin for Folder Redirection, Low priority, "
                   "Async progress, Interactive, Console, Skip suspended folders, Background, "
                   "No new files out, 0xFFFCC000");
    /* translated: other separator, rule first */
    expect_details(&g, 0x30000006u, "Konflikte: neueste behalten \xE2\x80\x93 Eingehend; Ausgehend");
    /* no table */
    expect_details(NULL, 0x30000006u, "FLAG_SYNCIN, FLAG_SYNCOUT " MIDDOT " CR_KEEPLATEST");
    expect_details(NULL, 0, "0");
    /* every single named bit has its own label */
    for (int b = 0; b < 32; b++) {
        char buf[128];
        uint32_t f = 1u << b;
        of_format_details(&s, f, buf, sizeof buf);
        if ((f & OF_SYNC_VALID_FLAGS & ~OF_SYNC_CR_MASK) != 0)
            assert_true(strncmp(buf, "0x", 2) != 0);
        else if (f != OF_SYNC_CR_KEEPLOCAL && f != OF_SYNC_CR_KEEPREMOTE)
            assert_true(strncmp(buf, "0x", 2) == 0);
    }
}

/* ---- balloons ------------------------------------------------------------ */

static void expect_balloon(const of_strings *s, const of_record *r, const char *title, const char *body)
{
    char t[256], b[256];
    assert_int_equal(of_format_balloon(s, r, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
    assert_string_equal(t, title);
    assert_string_equal(b, body);
}

static void test_balloon(void **state)
{
    of_strings s = en();
    of_strings g = de();
    of_record r;
    (void)state;

    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12345);
    expect_balloon(&s, &r, "Background sync completed", "Two-way, took 12 s");
    expect_balloon(&g, &r, "Hintergrundsynchronisierung abgeschlossen",
                   "Nach 12 s abgeschlossen: Zwei-Wege-Synchronisierung");
    expect_balloon(NULL, &r, "ofnotify", "two-way " MIDDOT " 12 s");

    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010004u, 125000);
    expect_balloon(&s, &r, "Background sync completed", "To server, took 2 min 5 s");
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x0001000Bu, 300);
    expect_balloon(&s, &r, "Background sync completed", "From server, took < 1 s");
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, OF_SYNC_FLAG_FILLSPARSE, 3780000);
    expect_balloon(&s, &r, "Background sync completed", "Fill sparse, took 1 h 3 min");
    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0, 1000);
    expect_balloon(&s, &r, "Background sync completed", "Other, took 1 s");

    r = of_test_record(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010006u, 0);
    expect_balloon(&s, &r, "Background sync completed", "Two-way, ended");

    r = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_DATALOST, 0x00010006u, 5000);
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: events were lost");
    r.reason = OF_REASON_SERVICE_LOST;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: service stopped");
    expect_balloon(NULL, &r, "ofnotify", "two-way " MIDDOT " service-lost");
    r.reason = OF_REASON_SHUTDOWN;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: ofnotify exited");
    r.reason = OF_REASON_TIMEOUT;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: timed out");
    r.reason = OF_REASON_FAILED;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: sync failed");
    expect_balloon(NULL, &r, "ofnotify", "two-way " MIDDOT " failed");
    r.reason = 77;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: Interrupted");
}

/* A pass the user started names Sync now in its title; the body is the
 * same as a background pass's, and an origin from a newer version reads as
 * background. */
static void test_balloon_sync_now(void **state)
{
    of_strings s = en();
    of_record r;
    char t[256], b[256];
    (void)state;

    r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x0000082Fu, 12345);
    r.origin = OF_ORIGIN_SYNC_NOW;
    expect_balloon(&s, &r, "Sync now completed", "Two-way, took 12 s");
    expect_balloon(NULL, &r, "ofnotify " MIDDOT " sync-now", "two-way " MIDDOT " 12 s");
    assert_int_equal(of_format_balloon_summary(&s, &r, 1, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
    assert_string_equal(t, "Sync now completed");

    r = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_FAILED, 0x0000082Fu, 5000);
    r.origin = OF_ORIGIN_SYNC_NOW;
    expect_balloon(&s, &r, "Sync now did not finish", "Two-way, did not finish: sync failed");

    r.origin = OF_ORIGIN_COUNT;
    expect_balloon(&s, &r, "Background sync interrupted", "Two-way, did not finish: sync failed");
}

static void test_balloon_bad_and_truncated(void **state)
{
    of_strings s = en();
    of_record r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x6, 12000);
    char t[16], b[16];
    (void)state;

    memset(t, 'x', sizeof t);
    memset(b, 'x', sizeof b);
    assert_int_equal(of_format_balloon(&s, NULL, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    assert_string_equal(t, "");
    assert_string_equal(b, "");
    r.status = 3;
    assert_int_equal(of_format_balloon(&s, &r, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    r.status = 255;
    assert_int_equal(of_format_balloon(&s, &r, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    r.status = OF_STATUS_COMPLETED;

    assert_int_equal(of_format_balloon(&s, &r, t, sizeof t, b, sizeof b), OF_FORMAT_TRUNCATED);
    assert_string_equal(t, "Background sync");
    assert_string_equal(b, "Two-way, took 1");
    {
        char big_t[64], big_b[64];
        assert_int_equal(of_format_balloon(&s, &r, big_t, sizeof big_t, b, sizeof b), OF_FORMAT_TRUNCATED);
        assert_int_equal(of_format_balloon(&s, &r, t, sizeof t, big_b, sizeof big_b), OF_FORMAT_TRUNCATED);
        assert_int_equal(of_format_balloon(&s, &r, big_t, sizeof big_t, big_b, sizeof big_b), OF_FORMAT_OK);
        assert_int_equal(of_format_balloon(&s, &r, NULL, 0, big_b, sizeof big_b), OF_FORMAT_TRUNCATED);
        assert_string_equal(big_b, "Two-way, took 12 s");
        /* exactly fits: "Two-way, took 12 s" is 18 bytes */
        assert_int_equal(of_format_balloon(&s, &r, big_t, sizeof big_t, big_b, 19), OF_FORMAT_OK);
        assert_int_equal(of_format_balloon(&s, &r, big_t, sizeof big_t, big_b, 18), OF_FORMAT_TRUNCATED);
        assert_string_equal(big_b, "Two-way, took 12 ");
    }
}

static void test_summary(void **state)
{
    of_strings s = en();
    of_strings g = de();
    of_record recs[4];
    char t[128], b[128];
    (void)state;

    recs[0] = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12000);
    recs[1] = of_test_record(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010004u, 0);
    recs[2] = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010004u, 65000);
    recs[3] = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_TIMEOUT, 0x00010002u, 0);

    assert_int_equal(of_format_balloon_summary(&s, recs, 3, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
    assert_string_equal(t, "3 background syncs completed");
    assert_string_equal(b, "Latest: To server, took 1 min 5 s");

    assert_int_equal(of_format_balloon_summary(&s, recs, 4, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
    assert_string_equal(t, "4 background syncs, 1 interrupted");
    assert_string_equal(b, "Latest: From server, did not finish: timed out");
    of_format_balloon_summary(&g, recs, 4, t, sizeof t, b, sizeof b);
    assert_string_equal(t, "1 von 4 Hintergrundsynchronisierungen unterbrochen");
    assert_string_equal(b, "Zuletzt: From server, did not finish: timed out");
    of_format_balloon_summary(NULL, recs, 4, t, sizeof t, b, sizeof b);
    assert_string_equal(t, "ofnotify " MIDDOT " 4 " MIDDOT " 1 interrupted");
    assert_string_equal(b, "from-server " MIDDOT " timeout");

    recs[2] = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_DATALOST, 0x6u, 0);
    assert_int_equal(of_format_balloon_summary(&s, recs + 2, 2, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
    assert_string_equal(t, "2 background syncs interrupted");
    assert_string_equal(b, "Latest: From server, did not finish: timed out");

    /* n == 1 is the single balloon */
    {
        char t1[128], b1[128];
        assert_int_equal(of_format_balloon_summary(&s, recs, 1, t, sizeof t, b, sizeof b), OF_FORMAT_OK);
        of_format_balloon(&s, recs, t1, sizeof t1, b1, sizeof b1);
        assert_string_equal(t, t1);
        assert_string_equal(b, b1);
        assert_string_equal(t, "Background sync completed");
    }

    /* bad input */
    strcpy(t, "x");
    strcpy(b, "x");
    assert_int_equal(of_format_balloon_summary(&s, recs, 0, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    assert_string_equal(t, "");
    assert_string_equal(b, "");
    assert_int_equal(of_format_balloon_summary(&s, NULL, 3, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    recs[1].status = 9;
    assert_int_equal(of_format_balloon_summary(&s, recs, 4, t, sizeof t, b, sizeof b), OF_FORMAT_BAD_ARG);
    recs[1].status = OF_STATUS_UNPAIRED;

    /* truncated */
    assert_int_equal(of_format_balloon_summary(&s, recs, 4, t, 8, b, sizeof b), OF_FORMAT_TRUNCATED);
    assert_string_equal(t, "4 backg");
}

/* ---- truncation of every function ---------------------------------------- */

typedef struct trunc_case {
    int kind;
    of_strings strings;
    of_record rec;
    const char *text;
    uint32_t flags;
    uint64_t num;
} trunc_case;

enum { TRUNC_DURATION, TRUNC_DETAILS, TRUNC_TEXT, TRUNC_STATUS, TRUNC_DIRECTION, TRUNC_KINDS };

static size_t trunc_fmt(const void *ctx, char *buf, size_t cap)
{
    const trunc_case *c = ctx;
    const char *args[2] = {c->text, "\xE2\x82\xAC"};
    switch (c->kind) {
    case TRUNC_DURATION:
        return of_format_duration(&c->strings, c->num, buf, cap);
    case TRUNC_DETAILS:
        return of_format_details(&c->strings, c->flags, buf, cap);
    case TRUNC_TEXT:
        return of_format_text(&c->strings, OF_TEXT_BALLOON_BODY_COMPLETED, args, 2, buf, cap);
    case TRUNC_STATUS:
        return of_format_status_label(&c->strings, &c->rec, buf, cap);
    default:
        return of_format_direction_label(&c->strings, (of_direction)c->num, buf, cap);
    }
}

static void test_truncation_everywhere(void **state)
{
    const char *odd = "\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\"\\,\n=\x01\xFF" "end";
    of_strings strs[3];
    (void)state;
    strs[0] = en();
    strs[1] = de();
    strs[2].get = NULL;
    strs[2].ctx = NULL;
    for (int st = 0; st < 3; st++) {
        for (int kind = 0; kind < TRUNC_KINDS; kind++) {
            trunc_case c;
            memset(&c, 0, sizeof c);
            c.kind = kind;
            c.strings = strs[st];
            c.rec = of_test_record(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x30012007u, 3780000);
            c.text = odd;
            c.flags = 0xFFFFFFFFu;
            c.num = kind == TRUNC_DIRECTION ? 1 : 2 * 86400000ull + 7200000;
            of_test_check_truncation(trunc_fmt, &c);
            c.flags = 0x30000006u;
            c.rec.status = OF_STATUS_COMPLETED;
            c.text = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";
            of_test_check_truncation(trunc_fmt, &c);
        }
    }
}

/* A balloon cut inside a multi-byte character drops the whole character. */
static void test_cut_at_character(void **state)
{
    of_strings s = patched();
    of_record r = of_test_record(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x6, 1000);
    char t[8], b[64];
    (void)state;
    patched_texts[OF_TEXT_BALLOON_TITLE_COMPLETED] = "abcde\xE2\x82\xAC" "f"; /* € at bytes 5..7 */
    assert_int_equal(of_format_balloon(&s, &r, t, 7, b, sizeof b), OF_FORMAT_TRUNCATED);
    assert_string_equal(t, "abcde");
    assert_int_equal(of_format_balloon(&s, &r, t, 8, b, sizeof b), OF_FORMAT_TRUNCATED);
    assert_string_equal(t, "abcde");
    patched_texts[OF_TEXT_BALLOON_TITLE_COMPLETED] = "abcdef\xE2\x82\xAC";
    assert_int_equal(of_format_balloon(&s, &r, t, 8, b, sizeof b), OF_FORMAT_TRUNCATED);
    assert_string_equal(t, "abcdef");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_ids),
        cmocka_unit_test(test_stand_ins),
        cmocka_unit_test(test_template_rules),
        cmocka_unit_test(test_format_text),
        cmocka_unit_test(test_malformed_templates),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_duration_translated),
        cmocka_unit_test(test_direction_label),
        cmocka_unit_test(test_status_label),
        cmocka_unit_test(test_details),
        cmocka_unit_test(test_balloon),
        cmocka_unit_test(test_balloon_sync_now),
        cmocka_unit_test(test_balloon_bad_and_truncated),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_truncation_everywhere),
        cmocka_unit_test(test_cut_at_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
