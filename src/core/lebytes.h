/* ofnotify: little-endian integers of n bytes (n <= 8) in the store files'
 * frames and headers, private to core. */
#ifndef OFNOTIFY_LEBYTES_H
#define OFNOTIFY_LEBYTES_H

#include <stdint.h>

static inline void put_le(unsigned char *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xFFu);
}

static inline uint64_t get_le(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

#endif
