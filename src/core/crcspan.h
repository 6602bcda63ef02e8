/* ofnotify: the CRC-32 (crc32.h) of any stretch of a buffer in constant time,
 * private to core.
 *
 * Recovery searches damaged history bytes for frames that still verify, at
 * every offset. Computing each candidate's CRC afresh costs its length (up to
 * 4 KB) per offset, and crafted bytes can make every other offset a candidate.
 * Instead, the CRC register is kept for every prefix of the buffer (one table
 * step per byte), and the CRC of any stretch follows from the prefixes at its
 * two ends and one carry-less multiplication by a precomputed power of x:
 * linear in the bytes searched, whatever they hold, and exactly the value the
 * direct computation gives. */
#ifndef OFNOTIFY_CRCSPAN_H
#define OFNOTIFY_CRCSPAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct of_crcspan of_crcspan;

/* For buffers of up to buf_cap bytes and stretches of up to max_span bytes.
 * NULL when out of memory. */
of_crcspan *of_crcspan_new(size_t buf_cap, size_t max_span);
void of_crcspan_free(of_crcspan *s);

/* The CRC-32 of buf[a..b), a <= b <= buf_cap, b - a <= max_span. base names
 * the buffer's contents (the reader's file offset of buf[0]): while it stays
 * the same, the bytes already asked about must not change (more may be added
 * after them); a new base starts the prefixes afresh. */
uint32_t of_crcspan_crc(of_crcspan *s, const unsigned char *buf, uint64_t base, size_t a, size_t b);

/* Bytes run through the CRC table so far: the work done, for the report. */
uint64_t of_crcspan_bytes(const of_crcspan *s);

#endif
