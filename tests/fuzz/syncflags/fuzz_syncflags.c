/* ofnotify fuzzing: the dwSyncControlFlags text form (core/syncflags).
 *
 * The input is parsed as flags text (as scenario scripts and the command
 * line give it): accepted and rejected exactly as a reading of syncflags.h's
 * grammar here says, and whatever parses must describe and parse back to
 * the same value. The first four bytes are also taken as a flags value:
 * describe, the direction and its word, and the names must all read back. */
#include "fuzzcheck.h"

#include <stdlib.h>
#include <string.h>

#include "ofnotify/syncflags.h"

static uint32_t describe_value;

static size_t describe(const void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    return of_syncflags_describe(describe_value, buf, cap);
}

/* describe(x), its convention and parse(describe(x)) == x. */
static void round_trip(uint32_t x)
{
    describe_value = x;
    char *text = fz_check_text(describe, NULL, 1);
    FZ_CHECK(strlen(text) >= 1 && strlen(text) <= OF_SYNCFLAGS_TEXT_MAX);
    uint32_t back = ~x;
    FZ_CHECK(of_syncflags_parse(text, &back) == 0);
    FZ_CHECK(back == x);
    free(text);
}

static void value_checks(uint32_t x)
{
    round_trip(x);

    uint32_t unknown = of_syncflags_unknown(x);
    FZ_CHECK((unknown & ~x) == 0);
    FZ_CHECK((unknown & OF_SYNC_VALID_FLAGS & ~OF_SYNC_CR_MASK) == 0);

    of_direction d = of_syncflags_direction(x);
    FZ_CHECK((unsigned)d < (unsigned)OF_DIR_COUNT);
    /* Only SYNCIN, SYNCOUT and FILLSPARSE decide the direction. */
    FZ_CHECK(of_syncflags_direction(x & 0x7u) == d);
    of_direction back = OF_DIR_COUNT;
    FZ_CHECK(of_direction_from_word(of_direction_word(d), &back) == 0 && back == d);

    const char *name = of_syncflags_name(x);
    if (name != NULL) {
        uint32_t v = ~x;
        FZ_CHECK(of_syncflags_parse(name, &v) == 0 && v == x);
    }
}

#define PREFIX "OFFLINEFILES_SYNC_CONTROL_"

/* The value of one name (with or without the prefix), or -1. */
static int64_t name_value(const char *s, size_t n, int *is_cr)
{
    size_t plen = strlen(PREFIX);
    if (n > plen && memcmp(s, PREFIX, plen) == 0)
        s += plen, n -= plen;
    for (int i = 0; i < 32; i++) {
        const char *name = of_syncflags_name(UINT32_C(1) << i);
        if (name != NULL && strncmp(name, "FLAG_", 5) == 0 && strlen(name) == n && memcmp(s, name, n) == 0) {
            *is_cr = 0;
            return (int64_t)1 << i;
        }
    }
    for (uint32_t k = 0; k < 16; k++) {
        const char *name = of_syncflags_name(k << 28);
        if (name != NULL && strncmp(name, "CR_", 3) == 0 && strlen(name) == n && memcmp(s, name, n) == 0) {
            *is_cr = 1;
            return (int64_t)(k << 28);
        }
    }
    return -1;
}

/* The value of a number term ("0x" hex or decimal, up to 32 bits), or -1. */
static int64_t number_value(const char *s, size_t n)
{
    int hex = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    size_t i = hex ? 2 : 0;
    uint64_t v = 0;
    if (i == n)
        return -1;
    for (; i < n; i++) {
        const char *digits = hex ? "0123456789abcdef" : "0123456789";
        char c = (char)(s[i] >= 'A' && s[i] <= 'F' && hex ? s[i] - 'A' + 'a' : s[i]);
        const char *d = c ? strchr(digits, c) : NULL;
        if (d == NULL)
            return -1;
        v = v * (hex ? 16u : 10u) + (uint64_t)(d - digits);
        if (v > UINT32_MAX)
            return -1;
    }
    return (int64_t)v;
}

/* The grammar of of_syncflags_parse, read independently: terms joined by
 * '|', blanks around them, at most one CR name and none with CR bits set by
 * a number. Returns the value or -1. */
static int64_t model_parse(const char *text)
{
    uint32_t named = 0, numbers = 0;
    int crs = 0;
    const char *p = text;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        while (n > 0 && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0)
            return -1;
        int is_cr = 0;
        int64_t v = *p >= '0' && *p <= '9' ? number_value(p, n) : name_value(p, n, &is_cr);
        if (v < 0)
            return -1;
        if (*p >= '0' && *p <= '9')
            numbers |= (uint32_t)v;
        else
            named |= (uint32_t)v;
        crs += is_cr;
        if (bar == NULL)
            break;
        p = bar + 1;
    }
    if (crs > 1 || (crs == 1 && (numbers & OF_SYNC_CR_MASK) != 0))
        return -1;
    return named | numbers;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    if (size >= 4)
        value_checks(fz_u32(&in));

    char *text = fz_rest(&(fz_input){data, size});
    uint32_t v = 0xDEADBEEFu;
    int64_t want = model_parse(text);
    if (of_syncflags_parse(text, &v) == 0) {
        FZ_CHECK(want >= 0 && v == (uint32_t)want);
        round_trip(v);
    } else {
        FZ_CHECK(want < 0);
        FZ_CHECK(v == 0xDEADBEEFu); /* untouched on failure */
    }

    of_direction d = OF_DIR_COUNT;
    if (of_direction_from_word(text, &d) == 0)
        FZ_CHECK(strcmp(of_direction_word(d), text) == 0);
    else
        FZ_CHECK(d == OF_DIR_COUNT);
    free(text);
    return 0;
}
