/* Test support: history records as the history window's tests and its
 * benchmark write them: one at a time, or a whole file of many. */
#ifndef OFNOTIFY_TEST_RECORDS_H
#define OFNOTIFY_TEST_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"

/* A pass completed at completed (UTC ms) after duration ms, begun and ended
 * with flags; an unpaired one has no start and no duration. */
of_record rec(int64_t completed, uint64_t duration, uint32_t flags, of_status status, of_reason reason);

/* A history file of n completed passes written directly in the 1.0 format
 * (far faster than n appends, each synced), *size bytes to free(): one a
 * minute, the last a minute before end_ms. Index 0, the oldest, is a
 * fill-sparse pass of 1 h 2 min; pass i > 0 has flags[i % n_flags] and
 * lasts (i % 100000) * 10 ms. NULL without memory. */
unsigned char *history_file_of(size_t n, int64_t end_ms, const uint32_t *flags, size_t n_flags, size_t *size);

#endif
