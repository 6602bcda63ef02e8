/* ofnotify: the output buffer of every text core writes, and UTF-8. */
#include "textbuf.h"

textbuf textbuf_make(char *buf, size_t cap)
{
    textbuf o = {buf, buf != NULL ? cap : 0, 0};
    return o;
}

void textbuf_raw(textbuf *o, const char *s)
{
    for (; *s != '\0'; s++)
        textbuf_byte(o, (unsigned char)*s);
}

size_t textbuf_finish(textbuf *o)
{
    if (o->cap == 0)
        return o->len;
    if (o->len < o->cap) {
        o->buf[o->len] = '\0';
    } else {
        size_t p = o->cap - 1;
        /* buf[p] is the first byte that does not fit; if it continues a
         * character, drop the whole character. */
        while (p > 0 && ((unsigned char)o->buf[p] & 0xC0u) == 0x80u)
            p--;
        o->buf[p] = '\0';
    }
    return o->len;
}

size_t textbuf_fail(char *buf, size_t cap)
{
    if (buf != NULL && cap > 0)
        buf[0] = '\0';
    return 0;
}

void textbuf_u64(textbuf *o, uint64_t v)
{
    char tmp[21];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        textbuf_byte(o, (unsigned char)tmp[--n]);
}

void textbuf_dec_fixed(textbuf *o, unsigned v, int width)
{
    char tmp[8];
    for (int i = width - 1; i >= 0; i--) {
        tmp[i] = (char)('0' + v % 10);
        v /= 10;
    }
    for (int i = 0; i < width; i++)
        textbuf_byte(o, (unsigned char)tmp[i]);
}

void textbuf_hex32(textbuf *o, uint32_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    textbuf_raw(o, "0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        textbuf_byte(o, (unsigned char)digits[(v >> shift) & 0xFu]);
}

/* ---- UTF-8 ----------------------------------------------------------------- */

/* The well-formed sequences of the Unicode standard (table 3-7), by lead
 * byte: how many continuation bytes follow, the bits the lead contributes,
 * and the range of the first continuation byte, narrower after the leads
 * where a wider one would allow an overlong form, a surrogate or a value
 * above U+10FFFF. Later continuation bytes are always 0x80..0xBF. */
static const struct utf8_lead {
    unsigned char first, last;
    unsigned char more, bits;
    unsigned char lo, hi;
} utf8_leads[] = {
    {0xC2, 0xDF, 1, 0x1F, 0x80, 0xBF},
    {0xE0, 0xE0, 2, 0x0F, 0xA0, 0xBF}, /* overlong below */
    {0xE1, 0xEC, 2, 0x0F, 0x80, 0xBF},
    {0xED, 0xED, 2, 0x0F, 0x80, 0x9F}, /* surrogates above */
    {0xEE, 0xEF, 2, 0x0F, 0x80, 0xBF},
    {0xF0, 0xF0, 3, 0x07, 0x90, 0xBF}, /* overlong below */
    {0xF1, 0xF3, 3, 0x07, 0x80, 0xBF},
    {0xF4, 0xF4, 3, 0x07, 0x80, 0x8F}, /* > U+10FFFF above */
};

size_t of_utf8_decode(const unsigned char *s, uint32_t *cp)
{
    const struct utf8_lead *lead = NULL;
    unsigned char lo, hi;
    uint32_t v;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    for (size_t i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0]; i++)
        if (s[0] >= utf8_leads[i].first && s[0] <= utf8_leads[i].last)
            lead = &utf8_leads[i];
    if (lead == NULL) {
        *cp = OF_UTF8_INVALID;
        return 1;
    }
    v = s[0] & lead->bits;
    lo = lead->lo;
    hi = lead->hi;
    for (size_t i = 1; i <= lead->more; i++) {
        unsigned char b = s[i];
        if (b < lo || b > hi) { /* also stops at the NUL */
            *cp = OF_UTF8_INVALID;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (b & 0x3Fu);
    }
    *cp = v;
    return (size_t)lead->more + 1;
}

/* U+FFFD, what every broken UTF-8 sequence becomes. */
static void textbuf_replacement(textbuf *o)
{
    textbuf_byte(o, 0xEF);
    textbuf_byte(o, 0xBF);
    textbuf_byte(o, 0xBD);
}

void textbuf_text_escaped(textbuf *o, const char *s, textbuf_escape_fn escape)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        uint32_t cp;
        size_t n = of_utf8_decode(p, &cp);
        if (cp == OF_UTF8_INVALID) {
            textbuf_replacement(o);
        } else if (escape == NULL || !escape(o, cp)) {
            for (size_t i = 0; i < n; i++)
                textbuf_byte(o, p[i]);
        }
        p += n;
    }
}

void textbuf_text(textbuf *o, const char *s)
{
    textbuf_text_escaped(o, s, NULL);
}

int of_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        uint32_t cp;
        p += of_utf8_decode(p, &cp);
        if (cp == OF_UTF8_INVALID)
            return 0;
    }
    return 1;
}
