/* ofnotify fuzzing: the loader's model. See histmodel.h. */
#include "histmodel.h"

#include <stdlib.h>
#include <string.h>

#include "fuzzcheck.h"
#include "ofnotify/crc32.h"

/* How far past the next number a damaged last frame's seq may read and still
 * be the number it carried (history.h: "up to 65536 past it"). */
#define CUT_SEQ_WINDOW UINT64_C(65536)
/* The largest frame: a longer torn tail is damage, not an unfinished append. */
#define MAX_FRAME (8u + OF_HISTORY_MAX_PAYLOAD)

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64_at(const uint8_t *p)
{
    return (uint64_t)u32_at(p) | (uint64_t)u32_at(p + 4) << 32;
}

static uint64_t plus_one(uint64_t seq)
{
    return seq == UINT64_MAX ? UINT64_MAX : seq + 1;
}

/* CRC-32 is linear: the CRC of d[a..b) follows from the CRCs of the
 * prefixes d[0..a) and d[0..b) by shifting the first over b - a bytes
 * (multiplying by x^(8(b-a)) modulo the polynomial), so a frame can be
 * checked at every offset in constant time whatever its length. */
#define CRC_POLY 0xEDB88320u /* reflected: bit 31 is x^0 */

static uint32_t mul_mod(uint32_t a, uint32_t b)
{
    uint32_t prod = 0;
    for (uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
        if (a & bit)
            prod ^= b;
        b = b & 1 ? (b >> 1) ^ CRC_POLY : b >> 1;
    }
    return prod;
}

/* x^(8 * bytes) mod the polynomial, for the lengths a frame's CRC covers. */
static uint32_t shift_of(size_t bytes)
{
    static uint32_t table[4 + OF_HISTORY_MAX_PAYLOAD + 1];
    FZ_CHECK(bytes < sizeof table / sizeof table[0]);
    if (table[bytes] == 0) {
        uint32_t x8 = 1u << 23; /* x^8 */
        uint32_t p = 1u << 31;  /* x^0 */
        for (size_t i = 0; i < bytes; i++)
            p = mul_mod(p, x8);
        table[bytes] = p;
    }
    return table[bytes];
}

/* prefix[i]: the CRC of d[0..i). */
static uint32_t crc_between(const uint32_t *prefix, size_t a, size_t b)
{
    return prefix[b] ^ mul_mod(shift_of(b - a), prefix[a]);
}

/* Length of the frame at d[pos] if its length is in bounds, it is whole and
 * its CRC matches, else 0. */
static size_t frame_at(const uint8_t *d, size_t n, const uint32_t *prefix, size_t pos)
{
    if (n - pos < 4)
        return 0;
    uint32_t len = u32_at(d + pos);
    if (len < OF_HISTORY_PAYLOAD_SIZE || len > OF_HISTORY_MAX_PAYLOAD || n - pos < 8u + (size_t)len)
        return 0;
    if (crc_between(prefix, pos, pos + 4u + len) != u32_at(d + pos + 4 + len))
        return 0;
    return 8u + len;
}

/* A frame that verified: its record (with the origin of 1.2), the orig_seq
 * field of 1.1 (each present only when the payload is long enough), and its
 * size. */
typedef struct found {
    of_record rec;
    uint64_t orig_seq;
    size_t len;
} found;

typedef struct founds {
    found *items;
    size_t count;
} founds;

static void push(founds *f, const found *x)
{
    /* Room doubles at every power of two. */
    if ((f->count & (f->count - 1)) == 0) {
        f->items = realloc(f->items, (f->count ? 2 * f->count : 1) * sizeof *f->items);
        FZ_CHECK(f->items != NULL);
    }
    f->items[f->count++] = *x;
}

static found decode(const uint8_t *frame, size_t len)
{
    const uint8_t *p = frame + 4;
    found x = {.len = len};
    x.rec.seq = u64_at(p);
    x.rec.started_ms = (int64_t)u64_at(p + 8);
    x.rec.completed_ms = (int64_t)u64_at(p + 16);
    x.rec.duration_ms = u64_at(p + 24);
    x.rec.flags = u32_at(p + 32);
    x.rec.begin_flags = u32_at(p + 36);
    x.rec.status = p[40];
    x.rec.reason = p[41];
    x.orig_seq = len - 8u >= OF_HISTORY_RENUMBERED_PAYLOAD_SIZE ? u64_at(p + 42) : 0;
    /* 1.2: a frame too short for the origin byte is a background pass. */
    x.rec.origin = len - 8u >= OF_HISTORY_ORIGIN_PAYLOAD_SIZE ? p[50] : OF_ORIGIN_BACKGROUND;
    return x;
}

void hist_model_free(hist_model *m)
{
    free(m->recs);
    free(m->orig_seqs);
    m->recs = NULL;
    m->orig_seqs = NULL;
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
    uint64_t next = 1;
    if (header_ok) {
        if ((d[8] | d[9] << 8) > OF_HISTORY_FORMAT_MAJOR) {
            m->issue = OF_HISTORY_ISSUE_NEWER_VERSION;
            return;
        }
        if (u64_at(d + 16) > next)
            next = u64_at(d + 16);
        pos = hlen;
    } else {
        m->issue = OF_HISTORY_ISSUE_BAD_HEADER;
        pos = n < 16 ? n : 16;
    }

    /* Every frame that verifies, at every offset after a damaged stretch: in
     * seq order it is kept where it is, out of order (an old copy, another
     * file glued on) it is set aside for the end. A damaged stretch that
     * begins where a frame should begin remembers that, for its seq field. */
    uint32_t *prefix = malloc((n + 1) * sizeof *prefix);
    FZ_CHECK(prefix != NULL);
    prefix[0] = 0;
    for (size_t i = 0; i < n; i++)
        prefix[i + 1] = of_crc32_update(prefix[i], d + i, 1);
    founds kept = {0}, strays = {0};
    int damaged = !header_ok, at_frame = 0;
    size_t bad_start = pos;
    uint64_t last = 0;
    while (pos < n) {
        size_t flen = frame_at(d, n, prefix, pos);
        if (flen == 0) {
            if (!damaged) {
                damaged = 1;
                at_frame = 1;
                bad_start = pos;
            }
            pos++;
            continue;
        }
        if (damaged) {
            m->bad_regions++;
            m->dropped_bytes += pos - bad_start;
            damaged = 0;
        }
        found x = decode(d + pos, flen);
        if (x.rec.seq > last) {
            push(&kept, &x);
            last = x.rec.seq;
        } else {
            push(&strays, &x);
        }
        pos += flen;
    }
    if (damaged) {
        size_t tail = n - bad_start;
        m->dropped_bytes += tail;
        /* An unfinished append: at most one frame of no frame at the end of
         * an otherwise clean file. */
        if (m->issue == OF_HISTORY_ISSUE_NONE && m->bad_regions == 0 && strays.count == 0 && tail <= MAX_FRAME) {
            m->issue = OF_HISTORY_ISSUE_TORN_TAIL;
            m->good_end = bad_start;
        } else {
            m->bad_regions++;
        }
    }
    if (m->issue == OF_HISTORY_ISSUE_NONE && (m->bad_regions > 0 || strays.count > 0))
        m->issue = OF_HISTORY_ISSUE_BAD_RECORDS;

    /* Numbering goes past the header's promise, the last record in order,
     * and the seq a damaged last frame carried when it reads as the next
     * number or a little past it. */
    if (last >= next)
        next = plus_one(last);
    if (damaged && at_frame && n - bad_start >= 12) {
        uint64_t seq = u64_at(d + bad_start + 4);
        if (seq >= next && seq - next <= CUT_SEQ_WINDOW) {
            m->cut_seq = seq;
            next = plus_one(seq);
        }
    }

    /* The out-of-order records follow, numbered on; each keeps the first seq
     * it had (seq 0 is no number to keep). When the numbers run out, the
     * rest is not loaded (it stays in the file moved aside). */
    size_t total = kept.count + strays.count;
    m->recs = malloc((total ? total : 1) * sizeof *m->recs);
    m->orig_seqs = malloc((total ? total : 1) * sizeof *m->orig_seqs);
    FZ_CHECK(m->recs != NULL && m->orig_seqs != NULL);
    for (size_t i = 0; i < kept.count; i++) {
        m->recs[m->count] = kept.items[i].rec;
        m->orig_seqs[m->count++] = kept.items[i].orig_seq;
    }
    for (size_t i = 0; i < strays.count; i++) {
        const found *x = &strays.items[i];
        if (next == UINT64_MAX) {
            m->dropped_bytes += x->len;
            continue;
        }
        m->recs[m->count] = x->rec;
        m->recs[m->count].seq = next++;
        m->orig_seqs[m->count++] = x->orig_seq != 0 ? x->orig_seq : x->rec.seq;
        m->renumbered++;
    }
    m->next_seq = next;
    free(prefix);
    free(kept.items);
    free(strays.items);
}
