/* Tests for core/format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ofnotify/format.h"
#include "support/strings_en.h"

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

static int utf8_ok(const char *s)
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

/* Formatting callback used by the truncation checker. */
typedef size_t (*fmt_fn)(const void *ctx, char *buf, size_t cap);

/* For every cap 0..len+1: the same return value, NUL-terminated, a prefix of
 * the full text cut at a character boundary (at most 3 bytes short), and
 * nothing written at or past cap. */
static void check_truncation(fmt_fn fn, const void *ctx)
{
    char full[2048];
    size_t len = fn(ctx, full, sizeof full);

    assert_true(len < sizeof full);
    assert_int_equal(strlen(full), len);
    assert_true(utf8_ok(full));
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
        assert_true(utf8_ok(buf));
        for (size_t i = cap; i < sizeof buf; i++)
            assert_int_equal(buf[i], '#');
    }
}

static of_record rec(uint8_t status, uint8_t reason, uint32_t flags, uint64_t duration_ms)
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
    assert_int_equal(OF_TEXT_COUNT, 53);

    assert_int_equal(of_text_arg_count(OF_TEXT_DIR_TWO_WAY), 0);
    assert_int_equal(of_text_arg_count(OF_TEXT_DURATION_S), 1);
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
        assert_true(utf8_ok(a));
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
    of_record r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12000);
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
        of_record r = rec(cases[i].status, cases[i].reason, 0x6, 1000);
        assert_int_equal(of_format_status_label(&s, &r, buf, sizeof buf), strlen(cases[i].want));
        assert_string_equal(buf, cases[i].want);
    }
    {
        of_record r = rec(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x6, 1000);
        of_format_status_label(&g, &r, buf, sizeof buf);
        assert_string_equal(buf, "Unterbrochen (Dienst wurde beendet)");
        of_format_status_label(NULL, &r, buf, sizeof buf);
        assert_string_equal(buf, "interrupted (service-lost)");
        r.status = OF_STATUS_COUNT;
        strcpy(buf, "x");
        assert_int_equal(of_format_status_label(&s, &r, buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(of_format_status_label(&s, NULL, buf, sizeof buf), 0);
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

    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12345);
    expect_balloon(&s, &r, "Background sync completed", "Two-way, took 12 s");
    expect_balloon(&g, &r, "Hintergrundsynchronisierung abgeschlossen",
                   "Nach 12 s abgeschlossen: Zwei-Wege-Synchronisierung");
    expect_balloon(NULL, &r, "ofnotify", "two-way " MIDDOT " 12 s");

    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010004u, 125000);
    expect_balloon(&s, &r, "Background sync completed", "To server, took 2 min 5 s");
    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x0001000Bu, 300);
    expect_balloon(&s, &r, "Background sync completed", "From server, took < 1 s");
    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, OF_SYNC_FLAG_FILLSPARSE, 3780000);
    expect_balloon(&s, &r, "Background sync completed", "Fill sparse, took 1 h 3 min");
    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0, 1000);
    expect_balloon(&s, &r, "Background sync completed", "Other, took 1 s");

    r = rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010006u, 0);
    expect_balloon(&s, &r, "Background sync completed", "Two-way, ended");

    r = rec(OF_STATUS_INTERRUPTED, OF_REASON_DATALOST, 0x00010006u, 5000);
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

static void test_balloon_bad_and_truncated(void **state)
{
    of_strings s = en();
    of_record r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x6, 12000);
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

    recs[0] = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010006u, 12000);
    recs[1] = rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010004u, 0);
    recs[2] = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00010004u, 65000);
    recs[3] = rec(OF_STATUS_INTERRUPTED, OF_REASON_TIMEOUT, 0x00010002u, 0);

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

    recs[2] = rec(OF_STATUS_INTERRUPTED, OF_REASON_DATALOST, 0x6u, 0);
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

/* ---- machine formats ------------------------------------------------------ */

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
    of_record r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x00012007u, 12345);
    const char *want =
        "{\"seq\":7,\"started\":\"2026-11-24T13:01:52.778Z\",\"completed\":\"2026-11-24T13:02:05.123Z\","
        "\"duration_ms\":12345,\"direction\":\"two-way\",\"flags\":\"0x00012007\","
        "\"flags_text\":\"FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_SKIPSUSPENDEDDIRS|FLAG_BACKGROUND\","
        "\"status\":\"completed\",\"reason\":null,\"begin_flags\":\"0x00012007\"}\n";
    (void)state;

    assert_int_equal(of_format_jsonl(&r, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, want);

    r = rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0x00010004u, 0);
    of_format_jsonl(&r, buf, sizeof buf);
    assert_string_equal(buf, "{\"seq\":7,\"started\":null,\"completed\":\"2026-11-24T13:02:05.123Z\","
                             "\"duration_ms\":0,\"direction\":\"to-server\",\"flags\":\"0x00010004\","
                             "\"flags_text\":\"FLAG_SYNCOUT|FLAG_BACKGROUND\",\"status\":\"unpaired\","
                             "\"reason\":null,\"begin_flags\":\"0x00010004\"}\n");

    {
        static const char *const reasons[] = {"null",        "\"datalost\"", "\"service-lost\"", "\"shutdown\"",
                                              "\"timeout\"", "\"failed\"",   "\"unknown\""};
        for (unsigned i = 0; i < 7; i++) {
            char want_part[64];
            r = rec(OF_STATUS_INTERRUPTED, (uint8_t)(i < 6 ? i : 99), 0x0001000Bu, 3000);
            r.begin_flags = 0x0001000Au;
            of_format_jsonl(&r, buf, sizeof buf);
            snprintf(want_part, sizeof want_part, "\"status\":\"interrupted\",\"reason\":%s,", reasons[i]);
            assert_non_null(strstr(buf, want_part));
            assert_non_null(strstr(buf, "\"direction\":\"from-server\""));
            assert_non_null(strstr(buf, "\"begin_flags\":\"0x0001000A\"}\n"));
        }
    }

    /* times outside the range become null, the line stays valid */
    r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0xFFFFFFFFu, UINT64_MAX);
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
    r.status = OF_STATUS_COUNT;
    assert_int_equal(of_format_jsonl(&r, buf, sizeof buf), 0);
}

static void test_csv(void **state)
{
    char buf[OF_FORMAT_LINE_MAX];
    of_record r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x30010003u, 12345);
    size_t n;
    (void)state;

    n = of_format_csv_header(buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "seq,started,completed,duration_ms,direction,flags,flags_text,status,"
                             "reason,begin_flags\r\n");

    n = of_format_csv_row(&r, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "7,2026-11-24T13:01:52.778Z,2026-11-24T13:02:05.123Z,12345,from-server,"
                             "0x30010003,FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_BACKGROUND|CR_KEEPLATEST,"
                             "completed,,0x30010003\r\n");

    r = rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, 0, 0);
    of_format_csv_row(&r, buf, sizeof buf);
    assert_string_equal(buf, "7,,2026-11-24T13:02:05.123Z,0,unspecified,0x00000000,0,unpaired,,0x00000000\r\n");

    r = rec(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x6, 0);
    of_format_csv_row(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",interrupted,service-lost,0x00000006\r\n"));
    r.reason = 42;
    of_format_csv_row(&r, buf, sizeof buf);
    assert_non_null(strstr(buf, ",interrupted,unknown,0x00000006\r\n"));

    strcpy(buf, "x");
    assert_int_equal(of_format_csv_row(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    r.status = 200;
    assert_int_equal(of_format_csv_row(&r, buf, sizeof buf), 0);
}

/* ---- escaping ---------------------------------------------------------------- */

static void expect_json_escape(const char *in, const char *want)
{
    char buf[512];
    size_t n = of_json_escape(in, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    assert_true(json_string_body_ok(buf, n));
    assert_true(utf8_ok(buf));
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
    of_strings strings;
    of_record rec;
    const char *text;
    uint32_t flags;
    uint64_t num;
} trunc_case;

static size_t trunc_fmt(const void *ctx, char *buf, size_t cap)
{
    const trunc_case *c = ctx;
    const char *args[2] = {c->text, "\xE2\x82\xAC"};
    switch (c->kind) {
    case 0:
        return of_format_duration(&c->strings, c->num, buf, cap);
    case 1:
        return of_format_details(&c->strings, c->flags, buf, cap);
    case 2:
        return of_format_jsonl(&c->rec, buf, cap);
    case 3:
        return of_format_csv_row(&c->rec, buf, cap);
    case 4:
        return of_json_escape(c->text, buf, cap);
    case 5:
        return of_csv_field(c->text, buf, cap);
    case 6:
        return of_format_iso8601_utc((int64_t)c->num, buf, cap);
    case 7:
        return of_format_text(&c->strings, OF_TEXT_BALLOON_BODY_COMPLETED, args, 2, buf, cap);
    case 8:
        return of_format_status_label(&c->strings, &c->rec, buf, cap);
    case 9:
        return of_format_direction_label(&c->strings, (of_direction)c->num, buf, cap);
    default:
        return of_format_csv_header(buf, cap);
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
        for (int kind = 0; kind <= 10; kind++) {
            trunc_case c;
            memset(&c, 0, sizeof c);
            c.kind = kind;
            c.strings = strs[st];
            c.rec = rec(OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST, 0x30012007u, 3780000);
            c.text = odd;
            c.flags = 0xFFFFFFFFu;
            c.num = kind == 6 ? (uint64_t)INT64_C(1795525325123) : kind == 9 ? 1 : 2 * 86400000ull + 7200000;
            check_truncation(trunc_fmt, &c);
            c.flags = 0x30000006u;
            c.rec.status = OF_STATUS_COMPLETED;
            c.text = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";
            check_truncation(trunc_fmt, &c);
        }
    }
}

/* A balloon cut inside a multi-byte character drops the whole character. */
static void test_cut_at_character(void **state)
{
    of_strings s = patched();
    of_record r = rec(OF_STATUS_COMPLETED, OF_REASON_NONE, 0x6, 1000);
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
        cmocka_unit_test(test_balloon_bad_and_truncated),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_iso8601_every_day),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_truncation_everywhere),
        cmocka_unit_test(test_cut_at_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
