/* ofnotify: CRC-32 for the history file's integrity checks.
 *
 * The standard reflected CRC-32 (polynomial 0xEDB88320, initial value and
 * final XOR 0xFFFFFFFF), the same one zlib and PNG use, so a history file can
 * be checked with common tools. The check value of "123456789" is 0xCBF43926. */
#ifndef OFNOTIFY_CRC32_H
#define OFNOTIFY_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC over more bytes: start with crc = 0 and pass each result
 * back in, so data read in pieces gives the same value as data read at once.
 * The pre- and post-inversion happen inside; callers never see them.
 * data may be NULL only when len is 0 (a NULL with a length adds nothing). */
uint32_t of_crc32_update(uint32_t crc, const void *data, size_t len);

/* The CRC-32 of one buffer; same as of_crc32_update(0, data, len). */
uint32_t of_crc32(const void *data, size_t len);

#endif
