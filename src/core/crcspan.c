/* ofnotify: CRC-32 of any stretch from prefix CRCs. See crcspan.h.
 *
 * The arithmetic, in the reflected bit order of crc32.c (bit 31 is x^0):
 * let R(s, X) be the CRC register after feeding bytes X starting from
 * register s, with no final inversion. Each byte step is linear in the
 * register, so R(s, X) = R(0, X) ^ s * x^(8|X|) mod P. With
 * P[i] = R(0xFFFFFFFF, buf[0..i)), the stretch Y = buf[a..b) gives
 * P[b] = R(P[a], Y), hence
 *   CRC(Y) = R(0xFFFFFFFF, Y) ^ 0xFFFFFFFF
 *          = ~P[b] ^ ~P[a] * x^(8(b-a)) mod P. */
#include "crcspan.h"

#include <stdlib.h>

#define POLY 0xEDB88320u
#define X0 0x80000000u /* the polynomial 1 */

struct of_crcspan {
    uint32_t table[256];  /* one byte step of the register, from 0 */
    uint32_t *prefix;     /* prefix[i] = P[i] for i < valid */
    size_t valid;
    size_t buf_cap;
    uint64_t base;
    uint32_t *power;      /* power[n] = x^(8n) mod P, n <= max_span */
    size_t max_span;
    uint64_t bytes;
};

/* v * x mod P. */
static uint32_t times_x(uint32_t v)
{
    return (v >> 1) ^ (POLY & (0u - (v & 1u)));
}

/* a * b mod P: b * x^i summed over the powers i that a holds. */
static uint32_t multiply(uint32_t a, uint32_t b)
{
    uint32_t product = 0;
    for (int i = 0; i < 32; i++) {
        product ^= b & (0u - ((a >> (31 - i)) & 1u));
        b = times_x(b);
    }
    return product;
}

of_crcspan *of_crcspan_new(size_t buf_cap, size_t max_span)
{
    of_crcspan *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->prefix = malloc((buf_cap + 1) * sizeof *s->prefix);
    s->power = malloc((max_span + 1) * sizeof *s->power);
    if (s->prefix == NULL || s->power == NULL) {
        of_crcspan_free(s);
        return NULL;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = times_x(c);
        s->table[n] = c;
    }
    s->power[0] = X0;
    for (size_t n = 1; n <= max_span; n++) {
        uint32_t p = s->power[n - 1];
        for (int k = 0; k < 8; k++)
            p = times_x(p);
        s->power[n] = p;
    }
    s->buf_cap = buf_cap;
    s->max_span = max_span;
    return s;
}

void of_crcspan_free(of_crcspan *s)
{
    if (s == NULL)
        return;
    free(s->prefix);
    free(s->power);
    free(s);
}

uint32_t of_crcspan_crc(of_crcspan *s, const unsigned char *buf, uint64_t base, size_t a, size_t b)
{
    if (s->valid == 0 || base != s->base) {
        s->base = base;
        s->prefix[0] = 0xFFFFFFFFu;
        s->valid = 1;
    }
    while (s->valid <= b) {
        uint32_t c = s->prefix[s->valid - 1];
        s->prefix[s->valid] = s->table[(c ^ buf[s->valid - 1]) & 0xFFu] ^ (c >> 8);
        s->valid++;
        s->bytes++;
    }
    return ~s->prefix[b] ^ multiply(~s->prefix[a], s->power[b - a]);
}

uint64_t of_crcspan_bytes(const of_crcspan *s)
{
    return s != NULL ? s->bytes : 0;
}
