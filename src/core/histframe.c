/* ofnotify: the bytes of the history file. See histframe.h; the layout is
 * documented in history.h. */
#include "histframe.h"

#include <string.h>

#include "ofnotify/crc32.h"

#define MAGIC "OFNHIST" /* 7 characters + the NUL = the 8 magic bytes */
#define MAGIC_LEN 8u

/* ---- little-endian encoding ------------------------------------------------ */

static void put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v & 0xFFu);
    p[1] = (unsigned char)(v >> 8);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xFFu);
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xFFu);
}

static uint16_t get_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Two's complement both ways, without implementation-defined conversions. */
static uint64_t i64_to_u64(int64_t v)
{
    return v < 0 ? (uint64_t)(-(v + 1)) ^ UINT64_MAX : (uint64_t)v;
}

static int64_t u64_to_i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? -(int64_t)(v ^ UINT64_MAX) - 1 : (int64_t)v;
}

void of_histframe_encode_header(unsigned char out[OF_HISTORY_HEADER_SIZE], uint64_t next_seq)
{
    memcpy(out, MAGIC, MAGIC_LEN);
    put_u16(out + 8, OF_HISTORY_FORMAT_MAJOR);
    put_u16(out + 10, OF_HISTORY_FORMAT_MINOR);
    put_u32(out + 12, OF_HISTORY_HEADER_SIZE);
    put_u64(out + 16, next_seq);
    put_u32(out + 24, of_crc32(out, 24));
}

size_t of_histframe_encode(unsigned char out[OF_HISTFRAME_WRITE_MAX], const of_record *r, uint64_t orig_seq)
{
    uint32_t len = r->origin != OF_ORIGIN_BACKGROUND ? OF_HISTORY_ORIGIN_PAYLOAD_SIZE
                   : orig_seq != 0                 ? OF_HISTORY_RENUMBERED_PAYLOAD_SIZE
                                                   : OF_HISTORY_PAYLOAD_SIZE;
    unsigned char *p = out + 4;
    put_u32(out, len);
    put_u64(p + 0, r->seq);
    put_u64(p + 8, i64_to_u64(r->started_ms));
    put_u64(p + 16, i64_to_u64(r->completed_ms));
    put_u64(p + 24, r->duration_ms);
    put_u32(p + 32, r->flags);
    put_u32(p + 36, r->begin_flags);
    p[40] = r->status;
    p[41] = r->reason;
    if (len >= OF_HISTORY_RENUMBERED_PAYLOAD_SIZE)
        put_u64(p + 42, orig_seq);
    if (len >= OF_HISTORY_ORIGIN_PAYLOAD_SIZE)
        p[50] = r->origin;
    put_u32(out + 4 + len, of_crc32(out, 4 + len));
    return 8u + len;
}

of_header_check of_histframe_check_header(const unsigned char *p, size_t avail, of_histheader *hd)
{
    if (avail < MAGIC_LEN || memcmp(p, MAGIC, MAGIC_LEN) != 0)
        return OF_HEADER_FOREIGN;
    uint32_t len = avail >= OF_HISTFRAME_HEADER_PREFIX ? get_u32(p + 12) : 0;
    if (len < OF_HISTORY_HEADER_SIZE || len > OF_HISTORY_MAX_HEADER || avail < len
        || of_crc32(p, len - 4u) != get_u32(p + len - 4u) || get_u16(p + 8) == 0)
        return OF_HEADER_DAMAGED;
    hd->major = get_u16(p + 8);
    hd->minor = get_u16(p + 10);
    hd->len = len;
    hd->next_seq = get_u64(p + 16);
    return OF_HEADER_OK;
}

size_t of_histframe_span(const unsigned char *p, size_t avail)
{
    if (avail < 4)
        return 0;
    uint32_t len = get_u32(p);
    if (len < OF_HISTORY_PAYLOAD_SIZE || len > OF_HISTORY_MAX_PAYLOAD || avail < 8u + (size_t)len)
        return 0;
    return 8u + (size_t)len;
}

uint32_t of_histframe_stored_crc(const unsigned char *p, size_t frame_len)
{
    return get_u32(p + frame_len - 4);
}

uint64_t of_histframe_seq_field(const unsigned char *p)
{
    return get_u64(p + OF_HISTFRAME_SEQ_AT);
}

void of_histframe_decode(const unsigned char *p, size_t frame_len, of_record *rec, uint64_t *orig_seq)
{
    const unsigned char *q = p + 4;
    size_t len = frame_len - 8;
    rec->seq = get_u64(q);
    rec->started_ms = u64_to_i64(get_u64(q + 8));
    rec->completed_ms = u64_to_i64(get_u64(q + 16));
    rec->duration_ms = get_u64(q + 24);
    rec->flags = get_u32(q + 32);
    rec->begin_flags = get_u32(q + 36);
    rec->status = q[40];
    rec->reason = q[41];
    *orig_seq = len >= OF_HISTORY_RENUMBERED_PAYLOAD_SIZE ? get_u64(q + 42) : 0;
    rec->origin = len >= OF_HISTORY_ORIGIN_PAYLOAD_SIZE ? q[50] : OF_ORIGIN_BACKGROUND;
}
