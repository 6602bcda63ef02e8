/* ofnotify fuzzing: shared checks. See fuzzcheck.h. */
#include "fuzzcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

static void *fz_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    FZ_CHECK(p != NULL);
    return p;
}

/* ---- the input ------------------------------------------------------------- */

fz_input fz_input_make(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    return in;
}

uint8_t fz_u8(fz_input *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

uint32_t fz_u32(fz_input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)fz_u8(in) << (8 * i);
    return v;
}

uint64_t fz_u64(fz_input *in)
{
    uint64_t lo = fz_u32(in);
    return lo | (uint64_t)fz_u32(in) << 32;
}

static char *take(fz_input *in, size_t n, size_t skip)
{
    char *s = fz_alloc(n + 1);
    memcpy(s, in->p, n);
    s[n] = '\0';
    in->p += n + skip;
    in->left -= n + skip;
    return s;
}

char *fz_line(fz_input *in)
{
    const uint8_t *nl = in->left ? memchr(in->p, '\n', in->left) : NULL;
    if (nl == NULL)
        return take(in, in->left, 0);
    return take(in, (size_t)(nl - in->p), 1);
}

char *fz_rest(fz_input *in)
{
    return take(in, in->left, 0);
}

/* ---- UTF-8 ------------------------------------------------------------------ */

/* How many continuation bytes lead byte c wants (-1: c cannot lead), and the
 * range of the first one. */
static int utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 0;
    if (c < 0xC2)
        return -1;
    if (c < 0xE0)
        return 1;
    if (c < 0xF0) {
        if (c == 0xE0)
            *lo = 0xA0;
        if (c == 0xED)
            *hi = 0x9F;
        return 2;
    }
    if (c < 0xF5) {
        if (c == 0xF0)
            *lo = 0x90;
        if (c == 0xF4)
            *hi = 0x8F;
        return 3;
    }
    return -1;
}

/* Length of the well-formed character at s, or 0 with *bad set to the
 * length of the maximal subpart to replace. */
static size_t utf8_char(const unsigned char *s, size_t *bad)
{
    unsigned char lo, hi;
    int more = utf8_lead(s[0], &lo, &hi);
    if (more < 0) {
        *bad = 1;
        return 0;
    }
    for (int i = 1; i <= more; i++) {
        if (s[i] < lo || s[i] > hi) {
            *bad = (size_t)i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return (size_t)more + 1;
}

int fz_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t bad = 0, n = utf8_char(p, &bad);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

char *fz_utf8_repair(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out = fz_alloc(3 * strlen(s) + 1);
    size_t o = 0;
    while (*p) {
        size_t bad = 0, n = utf8_char(p, &bad);
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p += bad;
        } else {
            memcpy(out + o, p, n);
            o += n;
            p += n;
        }
    }
    out[o] = '\0';
    return out;
}

/* ---- the output convention --------------------------------------------------- */

#define GUARD 16
#define GUARD_BYTE 0xA5

static void check_cap(fz_text_fn fn, const void *ctx, const char *full, size_t len, size_t cap)
{
    unsigned char *buf = fz_alloc(cap + GUARD);
    memset(buf, GUARD_BYTE, cap + GUARD);
    FZ_CHECK(fn(ctx, (char *)buf, cap) == len);
    for (size_t i = cap; i < cap + GUARD; i++)
        FZ_CHECK(buf[i] == GUARD_BYTE); /* nothing at or past cap */
    if (cap > 0) {
        const unsigned char *nul = memchr(buf, '\0', cap);
        FZ_CHECK(nul != NULL); /* NUL-terminated inside cap */
        size_t got = (size_t)(nul - buf);
        FZ_CHECK(memcmp(buf, full, got) == 0);
        if (len < cap)
            FZ_CHECK(got == len);
        else
            FZ_CHECK(got <= cap - 1 && cap - 1 - got <= 3);
        /* A cut falls between characters. */
        FZ_CHECK(got == len || ((unsigned char)full[got] & 0xC0u) != 0x80u);
    }
    free(buf);
}

char *fz_check_text(fz_text_fn fn, const void *ctx, int utf8)
{
    size_t len = fn(ctx, NULL, 0);
    FZ_CHECK(fn(ctx, NULL, 5) == len); /* a NULL buffer only measures */
    char *full = fz_alloc(len + 1);
    FZ_CHECK(fn(ctx, full, len + 1) == len);
    FZ_CHECK(strlen(full) == len);
    if (utf8)
        FZ_CHECK(fz_utf8_ok(full));
    if (len <= 64) {
        for (size_t cap = 0; cap <= len + 1; cap++)
            check_cap(fn, ctx, full, len, cap);
    } else {
        for (size_t k = 0; k <= 5; k++) {
            check_cap(fn, ctx, full, len, k);
            check_cap(fn, ctx, full, len, len + 1 - k);
        }
        for (size_t cap = 7; cap < len; cap += len / 7 + 1)
            check_cap(fn, ctx, full, len, cap);
    }
    return full;
}

/* ---- ISO 8601 ------------------------------------------------------------------ */

#define MS_PER_DAY INT64_C(86400000)
#define FIRST_MS INT64_C(-11644473600000)  /* 1601-01-01T00:00:00.000Z */
#define LAST_MS INT64_C(253402300799999)   /* 9999-12-31T23:59:59.999Z */

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1601-01-01 to 1 January of year y (y >= 1601). */
static int64_t days_before_year(int64_t y)
{
    int64_t p = y - 1;
    return 365 * (y - 1601) + (p / 4 - p / 100 + p / 400) - (1600 / 4 - 1600 / 100 + 1600 / 400);
}

int fz_iso8601(int64_t unix_ms, char out[25])
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (unix_ms < FIRST_MS || unix_ms > LAST_MS)
        return 0;
    int64_t t = unix_ms - FIRST_MS;
    int64_t day = t / MS_PER_DAY, ms = t % MS_PER_DAY;
    int64_t y = 1601 + day / 366; /* never past the year */
    while (days_before_year(y + 1) <= day)
        y++;
    day -= days_before_year(y);
    int m = 0;
    while (day >= mdays[m] + (m == 1 && leap(y))) {
        day -= mdays[m] + (m == 1 && leap(y));
        m++;
    }
    snprintf(out, 25, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, m + 1, (int)day + 1,
             (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000));
    return 1;
}
