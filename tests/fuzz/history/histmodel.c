/* ofnotify fuzzing: the loader's model. See histmodel.h. */
#include "histmodel.h"

#include <stdlib.h>
#include <string.h>

#include "fuzzcheck.h"
#include "ofnotify/crc32.h"

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64_at(const uint8_t *p)
{
    return (uint64_t)u32_at(p) | (uint64_t)u32_at(p + 4) << 32;
}

/* Length of the frame at d[pos] if its length is in bounds, it is whole and
 * its CRC matches, else 0. */
static size_t frame_at(const uint8_t *d, size_t n, size_t pos)
{
    if (n - pos < 4)
        return 0;
    uint32_t len = u32_at(d + pos);
    if (len < OF_HISTORY_PAYLOAD_SIZE || len > OF_HISTORY_MAX_PAYLOAD || n - pos < 8u + (size_t)len)
        return 0;
    if (of_crc32(d + pos, 4u + len) != u32_at(d + pos + 4 + len))
        return 0;
    return 8u + len;
}

static void add_record(hist_model *m, const uint8_t *p)
{
    /* Room doubles at every power of two. */
    if ((m->count & (m->count - 1)) == 0) {
        m->recs = realloc(m->recs, (m->count ? 2 * m->count : 1) * sizeof *m->recs);
        FZ_CHECK(m->recs != NULL);
    }
    of_record *r = &m->recs[m->count++];
    r->seq = u64_at(p);
    r->started_ms = (int64_t)u64_at(p + 8);
    r->completed_ms = (int64_t)u64_at(p + 16);
    r->duration_ms = u64_at(p + 24);
    r->flags = u32_at(p + 32);
    r->begin_flags = u32_at(p + 36);
    r->status = p[40];
    r->reason = p[41];
}

void hist_model_load(const uint8_t *d, size_t n, hist_model *m)
{
    memset(m, 0, sizeof *m);
    m->next_seq = 1;
    if (n < 8 || memcmp(d, "OFNHIST", 8) != 0) {
        m->issue = OF_HISTORY_ISSUE_NOT_HISTORY;
        return;
    }

    size_t pos;
    uint32_t hlen = n >= 16 ? u32_at(d + 12) : 0;
    int header_ok = hlen >= OF_HISTORY_HEADER_SIZE && hlen <= OF_HISTORY_MAX_HEADER && n >= hlen &&
                    of_crc32(d, hlen - 4u) == u32_at(d + hlen - 4u) && (d[8] | d[9] << 8) != 0;
    if (header_ok) {
        if ((d[8] | d[9] << 8) > OF_HISTORY_FORMAT_MAJOR) {
            m->issue = OF_HISTORY_ISSUE_NEWER_VERSION;
            return;
        }
        uint64_t promised = u64_at(d + 16);
        if (promised > m->next_seq)
            m->next_seq = promised;
        pos = hlen;
    } else {
        m->issue = OF_HISTORY_ISSUE_BAD_HEADER;
        pos = n < 16 ? n : 16;
    }

    /* Frames in order; after anything else, the next frame that verifies
     * and continues the order, searched byte by byte. */
    int damaged = !header_ok, stray = 0;
    size_t bad_start = pos;
    uint64_t last = 0;
    while (pos < n) {
        size_t flen = frame_at(d, n, pos);
        uint64_t seq = flen ? u64_at(d + pos + 4) : 0;
        if (flen && seq > last) {
            if (damaged) {
                m->bad_regions++;
                m->dropped_bytes += pos - bad_start;
                damaged = 0;
            }
            add_record(m, d + pos + 4);
            last = seq;
            pos += flen;
            continue;
        }
        if (!damaged) {
            damaged = 1;
            bad_start = pos;
        }
        stray |= flen != 0;
        pos += flen ? flen : 1;
    }
    if (damaged) {
        m->dropped_bytes += n - bad_start;
        /* An unfinished append: a short stretch of no frame at the end of an
         * otherwise clean file. */
        if (m->issue == OF_HISTORY_ISSUE_NONE && m->bad_regions == 0 && !stray &&
            n - bad_start <= 8u + OF_HISTORY_MAX_PAYLOAD)
            m->issue = OF_HISTORY_ISSUE_TORN_TAIL;
        else
            m->bad_regions++;
    }
    if (m->issue == OF_HISTORY_ISSUE_NONE && m->bad_regions > 0)
        m->issue = OF_HISTORY_ISSUE_BAD_RECORDS;
    if (last >= m->next_seq)
        m->next_seq = last == UINT64_MAX ? UINT64_MAX : last + 1;
}
