/* ofnotify: dwSyncControlFlags decoding, text form and parsing. */
#include "ofnotify/syncflags.h"

#include <string.h>

#define SYNC_PREFIX "OFFLINEFILES_SYNC_CONTROL_"

typedef struct flag_name {
    uint32_t value;
    const char *name;
} flag_name;

/* Single bits in ascending order: describe() prints them in this order. */
static const flag_name flag_names[] = {
    {OF_SYNC_FLAG_FILLSPARSE, "FLAG_FILLSPARSE"},
    {OF_SYNC_FLAG_SYNCIN, "FLAG_SYNCIN"},
    {OF_SYNC_FLAG_SYNCOUT, "FLAG_SYNCOUT"},
    {OF_SYNC_FLAG_PINNEWFILES, "FLAG_PINNEWFILES"},
    {OF_SYNC_FLAG_PINLINKTARGETS, "FLAG_PINLINKTARGETS"},
    {OF_SYNC_FLAG_PINFORUSER, "FLAG_PINFORUSER"},
    {OF_SYNC_FLAG_PINFORUSER_POLICY, "FLAG_PINFORUSER_POLICY"},
    {OF_SYNC_FLAG_PINFORALL, "FLAG_PINFORALL"},
    {OF_SYNC_FLAG_PINFORREDIR, "FLAG_PINFORREDIR"},
    {OF_SYNC_FLAG_LOWPRIORITY, "FLAG_LOWPRIORITY"},
    {OF_SYNC_FLAG_ASYNCPROGRESS, "FLAG_ASYNCPROGRESS"},
    {OF_SYNC_FLAG_INTERACTIVE, "FLAG_INTERACTIVE"},
    {OF_SYNC_FLAG_CONSOLE, "FLAG_CONSOLE"},
    {OF_SYNC_FLAG_SKIPSUSPENDEDDIRS, "FLAG_SKIPSUSPENDEDDIRS"},
    {OF_SYNC_FLAG_BACKGROUND, "FLAG_BACKGROUND"},
    {OF_SYNC_FLAG_NONEWFILESOUT, "FLAG_NONEWFILESOUT"},
};

/* Values of the CR field (not bits). */
static const flag_name cr_names[] = {
    {OF_SYNC_CR_DEFAULT, "CR_DEFAULT"},
    {OF_SYNC_CR_KEEPLOCAL, "CR_KEEPLOCAL"},
    {OF_SYNC_CR_KEEPREMOTE, "CR_KEEPREMOTE"},
    {OF_SYNC_CR_KEEPLATEST, "CR_KEEPLATEST"},
};

#define N_FLAG_NAMES (sizeof flag_names / sizeof flag_names[0])
#define N_CR_NAMES (sizeof cr_names / sizeof cr_names[0])

/* Bits named by flag_names; the CR field is handled separately. */
#define NAMED_BITS (OF_SYNC_VALID_FLAGS & ~OF_SYNC_CR_MASK)

of_direction of_syncflags_direction(uint32_t flags)
{
    int in = (flags & OF_SYNC_FLAG_SYNCIN) != 0;
    int out = (flags & OF_SYNC_FLAG_SYNCOUT) != 0;
    int fill = (flags & OF_SYNC_FLAG_FILLSPARSE) != 0;

    if (in && out)
        return OF_DIR_TWO_WAY;
    if (in)
        return OF_DIR_FROM_SERVER;
    if (out)
        return OF_DIR_TO_SERVER;
    if (fill)
        return OF_DIR_FILL_SPARSE;
    return OF_DIR_UNSPECIFIED;
}

static const char *const direction_words[OF_DIR_COUNT] = {
    [OF_DIR_UNSPECIFIED] = "unspecified",
    [OF_DIR_TWO_WAY] = "two-way",
    [OF_DIR_TO_SERVER] = "to-server",
    [OF_DIR_FROM_SERVER] = "from-server",
    [OF_DIR_FILL_SPARSE] = "fill-sparse",
};

const char *of_direction_word(of_direction d)
{
    /* Compare as unsigned so a negative value from a bad cast is caught too. */
    if ((unsigned)d >= (unsigned)OF_DIR_COUNT)
        return direction_words[OF_DIR_UNSPECIFIED];
    return direction_words[d];
}

int of_direction_from_word(const char *w, of_direction *out)
{
    if (w == NULL || out == NULL)
        return -1;
    for (unsigned i = 0; i < (unsigned)OF_DIR_COUNT; i++) {
        if (strcmp(w, direction_words[i]) == 0) {
            *out = (of_direction)i;
            return 0;
        }
    }
    return -1;
}

const char *of_syncflags_name(uint32_t value)
{
    for (size_t i = 0; i < N_FLAG_NAMES; i++)
        if (flag_names[i].value == value)
            return flag_names[i].name;
    for (size_t i = 0; i < N_CR_NAMES; i++)
        if (cr_names[i].value == value)
            return cr_names[i].name;
    return NULL;
}

static int cr_is_known(uint32_t cr_field)
{
    return cr_field <= OF_SYNC_CR_KEEPLATEST;
}

uint32_t of_syncflags_unknown(uint32_t flags)
{
    uint32_t unknown = flags & ~(NAMED_BITS | OF_SYNC_CR_MASK);
    uint32_t cr = flags & OF_SYNC_CR_MASK;

    if (!cr_is_known(cr))
        unknown |= cr;
    return unknown;
}

/* snprintf-like sink: counts every byte, stores what fits before the NUL. */
typedef struct text_out {
    char *buf;
    size_t cap;
    size_t len;
} text_out;

static void out_str(text_out *o, const char *s)
{
    for (; *s != '\0'; s++) {
        if (o->len + 1 < o->cap)
            o->buf[o->len] = *s;
        o->len++;
    }
}

static void out_term(text_out *o, const char *s)
{
    if (o->len > 0)
        out_str(o, "|");
    out_str(o, s);
}

static size_t out_finish(text_out *o)
{
    if (o->cap > 0)
        o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
    return o->len;
}

size_t of_syncflags_describe(uint32_t flags, char *buf, size_t cap)
{
    static const char hexdigits[] = "0123456789ABCDEF";
    text_out o = {buf, buf != NULL ? cap : 0, 0};
    uint32_t cr = flags & OF_SYNC_CR_MASK;
    uint32_t unknown = of_syncflags_unknown(flags);

    if (flags == 0) {
        out_str(&o, "0");
        return out_finish(&o);
    }
    for (size_t i = 0; i < N_FLAG_NAMES; i++)
        if (flags & flag_names[i].value)
            out_term(&o, flag_names[i].name);
    if (cr != OF_SYNC_CR_DEFAULT && cr_is_known(cr))
        out_term(&o, of_syncflags_name(cr));
    if (unknown != 0) {
        char hex[11] = "0x";
        for (int i = 0; i < 8; i++)
            hex[2 + i] = hexdigits[(unknown >> (28 - 4 * i)) & 0xFu];
        hex[10] = '\0';
        out_term(&o, hex);
    }
    return out_finish(&o);
}

/* ---- parsing ------------------------------------------------------------ */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* s[0..n) is a trimmed, non-empty term that starts with a digit. */
static int parse_number(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    unsigned base = 10;

    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
        if (n == 2)
            return -1;
    }
    for (; i < n; i++) {
        int d = hex_value(s[i]);
        if (d < 0 || (unsigned)d >= base)
            return -1;
        v = v * base + (unsigned)d;
        if (v > UINT32_MAX)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* s[0..n) is a trimmed, non-empty name term. Sets *is_cr for CR_* names. */
static int parse_name(const char *s, size_t n, uint32_t *out, int *is_cr)
{
    size_t plen = sizeof SYNC_PREFIX - 1;

    if (n > plen && memcmp(s, SYNC_PREFIX, plen) == 0) {
        s += plen;
        n -= plen;
    }
    for (size_t i = 0; i < N_FLAG_NAMES; i++) {
        if (strlen(flag_names[i].name) == n && memcmp(s, flag_names[i].name, n) == 0) {
            *out = flag_names[i].value;
            *is_cr = 0;
            return 0;
        }
    }
    for (size_t i = 0; i < N_CR_NAMES; i++) {
        if (strlen(cr_names[i].name) == n && memcmp(s, cr_names[i].name, n) == 0) {
            *out = cr_names[i].value;
            *is_cr = 1;
            return 0;
        }
    }
    return -1;
}

int of_syncflags_parse(const char *text, uint32_t *out)
{
    uint32_t named = 0;    /* OR of name terms */
    uint32_t numbers = 0;  /* OR of numeric terms */
    int cr_terms = 0;
    const char *p = text;

    if (text == NULL || out == NULL)
        return -1;
    for (;;) {
        const char *start;
        const char *end;
        uint32_t v;

        while (is_blank(*p))
            p++;
        start = p;
        while (*p != '\0' && *p != '|')
            p++;
        end = p;
        while (end > start && is_blank(end[-1]))
            end--;
        if (end == start)
            return -1; /* empty text or empty term */

        if (*start >= '0' && *start <= '9') {
            if (parse_number(start, (size_t)(end - start), &v) != 0)
                return -1;
            numbers |= v;
        } else {
            int is_cr = 0;
            if (parse_name(start, (size_t)(end - start), &v, &is_cr) != 0)
                return -1;
            if (is_cr && ++cr_terms > 1)
                return -1;
            named |= v;
        }
        if (*p == '\0')
            break;
        p++; /* skip '|' */
    }
    if (cr_terms > 0 && (numbers & OF_SYNC_CR_MASK) != 0)
        return -1;
    *out = named | numbers;
    return 0;
}
