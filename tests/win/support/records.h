/* Test support: history records as the history window's tests write them. */
#ifndef OFNOTIFY_TEST_RECORDS_H
#define OFNOTIFY_TEST_RECORDS_H

#include <stdint.h>

#include "ofnotify/record.h"

/* A pass completed at completed (UTC ms) after duration ms, begun and ended
 * with flags; an unpaired one has no start and no duration. */
of_record rec(int64_t completed, uint64_t duration, uint32_t flags, of_status status, of_reason reason);

#endif
