/* Test support: history records (records.h). */
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
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

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

unsigned char *history_file_of(size_t n, int64_t end_ms, const uint32_t *flags, size_t n_flags, size_t *size)
{
    unsigned char *file, *p;
    *size = OF_HISTORY_HEADER_SIZE + n * OF_HISTORY_FRAME_SIZE;
    file = malloc(*size);
    if (!file)
        return NULL;
    memcpy(file, "OFNHIST\0", 8);
    put_le(file + 8, OF_HISTORY_FORMAT_MAJOR, 2);
    put_le(file + 10, OF_HISTORY_FORMAT_MINOR, 2);
    put_le(file + 12, OF_HISTORY_HEADER_SIZE, 4);
    put_le(file + 16, n + 1, 8);
    put_le(file + 24, of_crc32(file, 24), 4);
    p = file + OF_HISTORY_HEADER_SIZE;
    for (size_t i = 0; i < n; i++, p += OF_HISTORY_FRAME_SIZE) {
        uint64_t dur = i == 0 ? 3723000 : (uint64_t)(i % 100000) * 10;
        int64_t done = end_ms - (int64_t)(n - i) * 60000;
        uint32_t f = i == 0 ? OF_SYNC_FLAG_FILLSPARSE : flags[i % n_flags];
        put_le(p, OF_HISTORY_PAYLOAD_SIZE, 4);
        put_le(p + 4, i + 1, 8);
        put_le(p + 12, (uint64_t)(done - (int64_t)dur), 8);
        put_le(p + 20, (uint64_t)done, 8);
        put_le(p + 28, dur, 8);
        put_le(p + 36, f, 4);
        put_le(p + 40, f, 4);
        p[44] = OF_STATUS_COMPLETED;
        p[45] = OF_REASON_NONE;
        put_le(p + 46, of_crc32(p, 46), 4);
    }
    return file;
}
