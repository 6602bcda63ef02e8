/* Test support: history records (records.h). */
#include <string.h>

#include "support/records.h"

of_record rec(int64_t completed, uint64_t duration, uint32_t flags, of_status status, of_reason reason)
{
    of_record r;
    memset(&r, 0, sizeof(r));
    r.completed_ms = completed;
    r.started_ms = status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : completed - (int64_t)duration;
    r.duration_ms = status == OF_STATUS_UNPAIRED ? 0 : duration;
    r.flags = flags;
    r.begin_flags = flags;
    r.status = (uint8_t)status;
    r.reason = (uint8_t)reason;
    return r;
}
