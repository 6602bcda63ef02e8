/* Tests for core/syncflags. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ofnotify/syncflags.h"

/* Every modifier bit: the direction must ignore all of them. */
static const uint32_t all_modifiers =
    OF_SYNC_FLAG_PINNEWFILES | OF_SYNC_FLAG_PINLINKTARGETS | OF_SYNC_FLAG_PINFORUSER |
    OF_SYNC_FLAG_PINFORUSER_POLICY | OF_SYNC_FLAG_PINFORALL | OF_SYNC_FLAG_PINFORREDIR |
    OF_SYNC_FLAG_LOWPRIORITY | OF_SYNC_FLAG_ASYNCPROGRESS | OF_SYNC_FLAG_INTERACTIVE |
    OF_SYNC_FLAG_CONSOLE | OF_SYNC_FLAG_SKIPSUSPENDEDDIRS | OF_SYNC_FLAG_BACKGROUND |
    OF_SYNC_FLAG_NONEWFILESOUT;

static const uint32_t single_flags[] = {
    OF_SYNC_FLAG_FILLSPARSE, OF_SYNC_FLAG_SYNCIN, OF_SYNC_FLAG_SYNCOUT,
    OF_SYNC_FLAG_PINNEWFILES, OF_SYNC_FLAG_PINLINKTARGETS, OF_SYNC_FLAG_PINFORUSER,
    OF_SYNC_FLAG_PINFORUSER_POLICY, OF_SYNC_FLAG_PINFORALL, OF_SYNC_FLAG_PINFORREDIR,
    OF_SYNC_FLAG_LOWPRIORITY, OF_SYNC_FLAG_ASYNCPROGRESS, OF_SYNC_FLAG_INTERACTIVE,
    OF_SYNC_FLAG_CONSOLE, OF_SYNC_FLAG_SKIPSUSPENDEDDIRS, OF_SYNC_FLAG_BACKGROUND,
    OF_SYNC_FLAG_NONEWFILESOUT,
};
#define N_SINGLE (sizeof single_flags / sizeof single_flags[0])

/* Fixed-seed xorshift32, so failures reproduce. */
static uint32_t rng_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static void test_constants(void **state)
{
    uint32_t all = 0;
    (void)state;
    for (size_t i = 0; i < N_SINGLE; i++) {
        /* each constant is one bit, and no two overlap */
        assert_int_equal(single_flags[i] & (single_flags[i] - 1), 0);
        assert_int_equal(all & single_flags[i], 0);
        all |= single_flags[i];
    }
    assert_int_equal(all | OF_SYNC_CR_KEEPLATEST, OF_SYNC_VALID_FLAGS);
    assert_int_equal(OF_SYNC_VALID_FLAGS, 0x30033FFFu);
    assert_int_equal(OF_SYNC_CR_MASK, 0xF0000000u);
    assert_int_equal(OF_SYNC_CR_KEEPLATEST, OF_SYNC_CR_KEEPLOCAL | OF_SYNC_CR_KEEPREMOTE);
    assert_int_equal(OF_SYNC_FLAG_SYNCIN, 0x2u);
    assert_int_equal(OF_SYNC_FLAG_BACKGROUND, 0x10000u);
    assert_int_equal(OF_SYNC_FLAG_NONEWFILESOUT, 0x20000u);
}

/* The table in reference §3, each row with no extras, with every modifier,
 * with each CR value, and with undefined bits. */
static void test_direction_table(void **state)
{
    static const struct {
        uint32_t bits;
        of_direction want;
    } rows[] = {
        {OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT, OF_DIR_TWO_WAY},
        {OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_FILLSPARSE, OF_DIR_TWO_WAY},
        {OF_SYNC_FLAG_SYNCIN, OF_DIR_FROM_SERVER},
        {OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_FILLSPARSE, OF_DIR_FROM_SERVER},
        {OF_SYNC_FLAG_SYNCOUT, OF_DIR_TO_SERVER},
        {OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_FILLSPARSE, OF_DIR_TO_SERVER},
        {OF_SYNC_FLAG_FILLSPARSE, OF_DIR_FILL_SPARSE},
        {0, OF_DIR_UNSPECIFIED},
    };
    const uint32_t extras[] = {0, all_modifiers, 0x00400000u, 0x0FFCC000u, all_modifiers | 0x0FFCC000u};
    (void)state;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        for (size_t e = 0; e < sizeof extras / sizeof extras[0]; e++) {
            for (uint32_t cr = 0; cr < 16; cr++) {
                uint32_t f = rows[r].bits | extras[e] | (cr << 28);
                assert_int_equal(of_syncflags_direction(f), rows[r].want);
            }
        }
        for (size_t m = 0; m < N_SINGLE; m++) {
            uint32_t mod = single_flags[m];
            if (mod & (OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_FILLSPARSE))
                continue;
            assert_int_equal(of_syncflags_direction(rows[r].bits | mod), rows[r].want);
        }
    }
    /* the scenario's examples */
    assert_int_equal(of_syncflags_direction(0x00012007u), OF_DIR_TWO_WAY);
    assert_int_equal(of_syncflags_direction(0x00010004u), OF_DIR_TO_SERVER);
    assert_int_equal(of_syncflags_direction(0x0001000Bu), OF_DIR_FROM_SERVER);
    assert_int_equal(of_syncflags_direction(0xFFFFFFFFu), OF_DIR_TWO_WAY);
}

static void test_direction_words(void **state)
{
    static const char *const words[OF_DIR_COUNT] = {
        "unspecified", "two-way", "to-server", "from-server", "fill-sparse",
    };
    of_direction d;
    (void)state;
    for (int i = 0; i < OF_DIR_COUNT; i++) {
        assert_string_equal(of_direction_word((of_direction)i), words[i]);
        d = OF_DIR_COUNT;
        assert_int_equal(of_direction_from_word(words[i], &d), 0);
        assert_int_equal(d, i);
    }
    assert_string_equal(of_direction_word(OF_DIR_COUNT), "unspecified");
    assert_string_equal(of_direction_word((of_direction)-1), "unspecified");
    assert_string_equal(of_direction_word((of_direction)1000), "unspecified");

    d = OF_DIR_TWO_WAY;
    assert_int_equal(of_direction_from_word("Two-way", &d), -1);
    assert_int_equal(of_direction_from_word("two-way ", &d), -1);
    assert_int_equal(of_direction_from_word("", &d), -1);
    assert_int_equal(of_direction_from_word("two", &d), -1);
    assert_int_equal(of_direction_from_word(NULL, &d), -1);
    assert_int_equal(d, OF_DIR_TWO_WAY); /* untouched on failure */
    assert_int_equal(of_direction_from_word("two-way", NULL), -1);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(of_syncflags_name(OF_SYNC_FLAG_SYNCIN), "FLAG_SYNCIN");
    assert_string_equal(of_syncflags_name(OF_SYNC_FLAG_PINFORUSER_POLICY), "FLAG_PINFORUSER_POLICY");
    assert_string_equal(of_syncflags_name(OF_SYNC_FLAG_PINLINKTARGETS), "FLAG_PINLINKTARGETS");
    assert_string_equal(of_syncflags_name(OF_SYNC_CR_DEFAULT), "CR_DEFAULT");
    assert_string_equal(of_syncflags_name(OF_SYNC_CR_KEEPLOCAL), "CR_KEEPLOCAL");
    assert_string_equal(of_syncflags_name(OF_SYNC_CR_KEEPREMOTE), "CR_KEEPREMOTE");
    assert_string_equal(of_syncflags_name(OF_SYNC_CR_KEEPLATEST), "CR_KEEPLATEST");
    assert_null(of_syncflags_name(0x40000000u));
    assert_null(of_syncflags_name(0x00004000u));
    assert_null(of_syncflags_name(OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT));
    for (size_t i = 0; i < N_SINGLE; i++)
        assert_non_null(of_syncflags_name(single_flags[i]));
}

static void test_unknown(void **state)
{
    (void)state;
    assert_int_equal(of_syncflags_unknown(0), 0);
    assert_int_equal(of_syncflags_unknown(OF_SYNC_VALID_FLAGS), 0);
    assert_int_equal(of_syncflags_unknown(0x00400000u | OF_SYNC_FLAG_SYNCIN), 0x00400000u);
    for (uint32_t cr = 0; cr < 16; cr++)
        assert_int_equal(of_syncflags_unknown(cr << 28), cr <= 3 ? 0 : cr << 28);
    assert_int_equal(of_syncflags_unknown(0xFFFFFFFFu), 0xFFFFFFFFu & ~(OF_SYNC_VALID_FLAGS & 0x0FFFFFFFu));
}

static void expect_describe(uint32_t flags, const char *want)
{
    char buf[OF_SYNCFLAGS_TEXT_MAX + 1];
    size_t n = of_syncflags_describe(flags, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_describe_examples(void **state)
{
    (void)state;
    expect_describe(0, "0");
    expect_describe(0x30010003u, "FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_BACKGROUND|CR_KEEPLATEST");
    expect_describe(0x00012007u,
                    "FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_SKIPSUSPENDEDDIRS|FLAG_BACKGROUND");
    expect_describe(0x0001000Bu, "FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_PINNEWFILES|FLAG_BACKGROUND");
    expect_describe(0x00400000u, "0x00400000");
    expect_describe(0x00400002u, "FLAG_SYNCIN|0x00400000");
    expect_describe(OF_SYNC_CR_KEEPLOCAL, "CR_KEEPLOCAL");
    expect_describe(OF_SYNC_CR_KEEPREMOTE, "CR_KEEPREMOTE");
    expect_describe(OF_SYNC_CR_KEEPLATEST, "CR_KEEPLATEST");
    expect_describe(OF_SYNC_CR_KEEPLATEST | OF_SYNC_FLAG_NONEWFILESOUT, "FLAG_NONEWFILESOUT|CR_KEEPLATEST");
    /* unknown CR values go into the hex term, merged with other unknown bits */
    expect_describe(0x40000000u, "0x40000000");
    expect_describe(0xF0000004u, "FLAG_SYNCOUT|0xF0000000");
    expect_describe(0x50800001u, "FLAG_FILLSPARSE|0x50800000");
    expect_describe(0xFFFFFFFFu,
                    "FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_PINNEWFILES|FLAG_PINLINKTARGETS|"
                    "FLAG_PINFORUSER|FLAG_PINFORUSER_POLICY|FLAG_PINFORALL|FLAG_PINFORREDIR|"
                    "FLAG_LOWPRIORITY|FLAG_ASYNCPROGRESS|FLAG_INTERACTIVE|FLAG_CONSOLE|"
                    "FLAG_SKIPSUSPENDEDDIRS|FLAG_BACKGROUND|FLAG_NONEWFILESOUT|0xFFFCC000");
}

static void test_describe_each_bit(void **state)
{
    char buf[OF_SYNCFLAGS_TEXT_MAX + 1];
    char want[32];
    (void)state;
    for (int b = 0; b < 32; b++) {
        uint32_t f = 1u << b;
        const char *name = of_syncflags_name(f);
        if (b >= 28) {
            /* CR bits alone: 1 and 2 are named rules, 4 and 8 unknown */
            if (f == OF_SYNC_CR_KEEPLOCAL || f == OF_SYNC_CR_KEEPREMOTE)
                assert_non_null(name);
            else
                assert_null(name);
        }
        if (name == NULL) {
            snprintf(want, sizeof want, "0x%08X", (unsigned)f);
            name = want;
        }
        assert_int_equal(of_syncflags_describe(f, buf, sizeof buf), strlen(name));
        assert_string_equal(buf, name);
        assert_int_equal((f & OF_SYNC_VALID_FLAGS) != 0, name != want);
    }
}

static void test_describe_each_cr(void **state)
{
    char buf[OF_SYNCFLAGS_TEXT_MAX + 1];
    char want[64];
    (void)state;
    for (uint32_t cr = 0; cr < 16; cr++) {
        uint32_t f = (cr << 28) | OF_SYNC_FLAG_SYNCIN;
        if (cr == 0)
            snprintf(want, sizeof want, "FLAG_SYNCIN");
        else if (cr <= 3)
            snprintf(want, sizeof want, "FLAG_SYNCIN|%s", of_syncflags_name(cr << 28));
        else
            snprintf(want, sizeof want, "FLAG_SYNCIN|0x%08X", (unsigned)(cr << 28));
        of_syncflags_describe(f, buf, sizeof buf);
        assert_string_equal(buf, want);
    }
    assert_string_equal((of_syncflags_describe(0x20000000u, buf, sizeof buf), buf), "CR_KEEPREMOTE");
}

/* Truncation at every cap: the prefix is right, NUL is always there, the
 * return value never changes, and nothing past cap is written. */
static void test_describe_truncation(void **state)
{
    const uint32_t values[] = {0, 0x00400000u, 0x30010003u, 0xFFFFFFFFu, 0xF0000004u};
    (void)state;
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        char full[OF_SYNCFLAGS_TEXT_MAX + 1];
        size_t len = of_syncflags_describe(values[v], full, sizeof full);
        assert_int_equal(len, strlen(full));
        assert_int_equal(of_syncflags_describe(values[v], NULL, 0), len);
        for (size_t cap = 0; cap <= len + 1; cap++) {
            char buf[OF_SYNCFLAGS_TEXT_MAX + 8];
            memset(buf, '#', sizeof buf);
            assert_int_equal(of_syncflags_describe(values[v], buf, cap), len);
            if (cap == 0) {
                assert_int_equal(buf[0], '#');
                continue;
            }
            size_t kept = cap - 1 < len ? cap - 1 : len;
            assert_int_equal(buf[kept], '\0');
            assert_memory_equal(buf, full, kept);
            for (size_t i = cap; i < sizeof buf; i++)
                assert_int_equal(buf[i], '#');
        }
    }
}

/* The longest text fits OF_SYNCFLAGS_TEXT_MAX. */
static void test_describe_max(void **state)
{
    size_t longest = 0;
    (void)state;
    for (uint32_t cr = 0; cr < 16; cr++) {
        /* all named bits, every CR, every undefined bit: the longest texts */
        uint32_t f = 0x0FFFFFFFu | (cr << 28);
        size_t n = of_syncflags_describe(f, NULL, 0);
        if (n > longest)
            longest = n;
    }
    assert_true(longest <= OF_SYNCFLAGS_TEXT_MAX);
    assert_true(longest > 250); /* the limit is not silly-large either */
}

static void expect_parse(const char *text, uint32_t want)
{
    uint32_t got = 0xDEADBEEFu;
    if (of_syncflags_parse(text, &got) != 0)
        fail_msg("parse failed: \"%s\"", text);
    assert_int_equal(got, want);
}

static void test_parse_forms(void **state)
{
    (void)state;
    expect_parse("0", 0);
    expect_parse("0x0", 0);
    expect_parse("0x00010006", 0x00010006u);
    expect_parse("0X00010006", 0x00010006u);
    expect_parse("0xabcdef12", 0xABCDEF12u);
    expect_parse("0xFFFFFFFF", 0xFFFFFFFFu);
    expect_parse("0x000000000001", 1);
    expect_parse("65542", 65542u);
    expect_parse("4294967295", 0xFFFFFFFFu);
    expect_parse("007", 7);
    expect_parse("FLAG_SYNCIN", OF_SYNC_FLAG_SYNCIN);
    expect_parse("OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN", OF_SYNC_FLAG_SYNCIN);
    expect_parse("FLAG_SYNCIN|FLAG_SYNCOUT|CR_KEEPLATEST", 0x30000006u);
    expect_parse("  FLAG_SYNCIN |\tFLAG_SYNCOUT\t| CR_KEEPLATEST  ", 0x30000006u);
    expect_parse("OFFLINEFILES_SYNC_CONTROL_CR_KEEPLOCAL|FLAG_BACKGROUND", 0x10010000u);
    expect_parse("CR_DEFAULT", 0);
    expect_parse("FLAG_SYNCIN|CR_DEFAULT", OF_SYNC_FLAG_SYNCIN);
    expect_parse("FLAG_PINFORUSER_POLICY", OF_SYNC_FLAG_PINFORUSER_POLICY);
    expect_parse("FLAG_PINFORUSER", OF_SYNC_FLAG_PINFORUSER);
    expect_parse("FLAG_SYNCIN|FLAG_SYNCIN", OF_SYNC_FLAG_SYNCIN);
    expect_parse("FLAG_SYNCIN|0x00400000", 0x00400002u);
    expect_parse("FLAG_SYNCIN|0xF0000000", 0xF0000002u);
    expect_parse("0x10000000|0x20000000", 0x30000000u);
    expect_parse("FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_FILLSPARSE|FLAG_BACKGROUND|FLAG_SKIPSUSPENDEDDIRS", 0x00012007u);
    expect_parse("FLAG_SYNCIN|FLAG_FILLSPARSE|FLAG_PINNEWFILES|FLAG_BACKGROUND", 0x0001000Bu);
}

static void test_parse_errors(void **state)
{
    static const char *const bad[] = {
        "", " ", "\t", "|", "||", "FLAG_SYNCIN|", "|FLAG_SYNCIN", "FLAG_SYNCIN||FLAG_SYNCOUT",
        "FLAG_SYNCIN| |FLAG_SYNCOUT", "FLAG_NOPE", "flag_syncin", "Flag_SyncIn", "SYNCIN",
        "OFFLINEFILES_SYNC_CONTROL_", "OFFLINEFILES_SYNC_CONTROL_SYNCIN",
        "OFFLINEFILES_SYNC_CONTROL_OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN", "FLAG_SYNCIN FLAG_SYNCOUT",
        "0x", "0X", "0x|FLAG_SYNCIN", "0x1FFFFFFFF", "0x100000000", "99999999999", "4294967296",
        "18446744073709551617", "0xFFFFFFFFFFFFFFFFF", "-1", "+1", "1.0", "0x12G", "12a", "0b101",
        "0 x1", "CR_KEEPLOCAL|CR_KEEPREMOTE", "CR_KEEPLATEST|CR_KEEPLATEST", "CR_DEFAULT|CR_KEEPLOCAL",
        "CR_KEEPLOCAL|0x20000000", "0x10000000|CR_DEFAULT", "FLAG_SYNCIN\n", "FLAG_SYNCIN,FLAG_SYNCOUT",
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t out = 0x12345678u;
        if (of_syncflags_parse(bad[i], &out) != -1)
            fail_msg("parse accepted \"%s\"", bad[i]);
        assert_int_equal(out, 0x12345678u);
    }
    assert_int_equal(of_syncflags_parse(NULL, &(uint32_t){0}), -1);
    assert_int_equal(of_syncflags_parse("0x1", NULL), -1);
}

static void expect_round_trip(uint32_t f)
{
    char buf[OF_SYNCFLAGS_TEXT_MAX + 1];
    uint32_t back = ~f;
    size_t n = of_syncflags_describe(f, buf, sizeof buf);
    assert_true(n < sizeof buf);
    if (of_syncflags_parse(buf, &back) != 0)
        fail_msg("describe(0x%08X) = \"%s\" does not parse", (unsigned)f, buf);
    assert_int_equal(back, f);
}

static void test_round_trip(void **state)
{
    uint32_t seed = 0x2545F491u;
    (void)state;
    expect_round_trip(0);
    expect_round_trip(0xFFFFFFFFu);
    for (int b = 0; b < 32; b++) {
        expect_round_trip(1u << b);
        expect_round_trip(~(1u << b));
    }
    for (uint32_t cr = 0; cr < 16; cr++) {
        expect_round_trip(cr << 28);
        expect_round_trip((cr << 28) | OF_SYNC_VALID_FLAGS);
        expect_round_trip((cr << 28) | 0x00400006u);
    }
    /* every combination of the low 18 bits (all named bits and the gap) */
    for (uint32_t f = 0; f < (1u << 18); f++)
        expect_round_trip(f);
    for (int i = 0; i < 200000; i++) {
        uint32_t r = rng_next(&seed);
        expect_round_trip(r);
        expect_round_trip(r & OF_SYNC_VALID_FLAGS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_direction_table),
        cmocka_unit_test(test_direction_words),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_describe_examples),
        cmocka_unit_test(test_describe_each_bit),
        cmocka_unit_test(test_describe_each_cr),
        cmocka_unit_test(test_describe_truncation),
        cmocka_unit_test(test_describe_max),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
