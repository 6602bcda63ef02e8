/* ofnotify: loading and searching a history file. See histload.h; the format
 * and the guarantees are in history.h. */
#include "histload.h"

#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"

#include "crcspan.h"

#define IO_BUF_SIZE (64u * 1024u) /* holds many frames and always one whole frame */
/* How far past the expected number a damaged last frame's seq may read and
 * still count as the number it carried (a larger one is taken for damage). */
#define CUT_SEQ_WINDOW 65536u

/* ---- growing arrays ---------------------------------------------------------- */

static of_history_err grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return OF_HISTORY_OK;
    size_t ncap = *cap ? *cap : 1024;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return OF_HISTORY_E_FULL;
        ncap *= 2;
    }
    void *n = realloc(*items, ncap * size);
    if (n == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    *items = n;
    *cap = ncap;
    return OF_HISTORY_OK;
}

of_history_err of_histload_reserve(of_record **recs, size_t *cap, size_t need)
{
    void *p = *recs;
    of_history_err err = grow(&p, cap, need, sizeof **recs);
    *recs = p;
    return err;
}

static of_history_err add_renum(of_histload *l, uint64_t seq, uint64_t orig_seq)
{
    void *p = l->renum;
    of_history_err err = grow(&p, &l->renum_cap, l->renum_count + 1, sizeof *l->renum);
    l->renum = p;
    if (err == OF_HISTORY_OK)
        l->renum[l->renum_count++] = (of_histrenum){seq, orig_seq};
    return err;
}

/* Records that verify but do not continue the seq order, as found. */
typedef struct stray {
    of_record rec;
    uint64_t orig_seq; /* the number it had first */
    size_t frame_len;  /* its bytes in the file, counted as dropped if it finds no number */
} stray;

typedef struct strays {
    stray *items;
    size_t count;
    size_t cap;
} strays;

/* ---- reading --------------------------------------------------------------- */

typedef struct reader {
    const of_fs *fs;
    of_fs_file *f;
    unsigned char *buf;
    size_t pos;    /* next byte to look at */
    size_t fill;   /* bytes valid in buf */
    uint64_t base; /* file offset of buf[0] */
    int eof;
} reader;

static uint64_t reader_offset(const reader *r)
{
    return r->base + r->pos;
}

/* Makes at least want bytes available at pos unless the file ends first. */
static of_history_err reader_fill(reader *r, size_t want, size_t *avail)
{
    if (r->fill - r->pos < want && !r->eof) {
        memmove(r->buf, r->buf + r->pos, r->fill - r->pos);
        r->base += r->pos;
        r->fill -= r->pos;
        r->pos = 0;
        while (r->fill < IO_BUF_SIZE && !r->eof) {
            size_t got = 0;
            size_t room = IO_BUF_SIZE - r->fill;
            if (r->fs->read(r->fs->ctx, r->f, r->buf + r->fill, room, &got) != OF_FS_OK || got > room)
                return OF_HISTORY_E_READ;
            if (got == 0)
                r->eof = 1;
            r->fill += got;
        }
    }
    *avail = r->fill - r->pos;
    return OF_HISTORY_OK;
}

/* ---- parsing ----------------------------------------------------------------- */

typedef struct parse {
    of_histload *l;
    reader *r;
    of_crcspan *span;  /* made when the first damage is met */
    strays strays;
    int header_ok;
    uint64_t header_next_seq;
    uint64_t last_seq;
    int scanning;
    uint64_t bad_start;
    int stretch_has_seq; /* the damaged stretch began where a frame should, with a whole seq field */
    uint64_t stretch_seq;
} parse;

static void begin_damage(parse *ps, const unsigned char *p, size_t avail, int at_frame)
{
    of_histload *l = ps->l;
    ps->scanning = 1;
    ps->bad_start = reader_offset(ps->r);
    ps->stretch_has_seq = at_frame && avail >= OF_HISTFRAME_SEQ_END;
    if (ps->stretch_has_seq)
        ps->stretch_seq = of_histframe_seq_field(p);
    /* The first damage of an otherwise clean file may turn out to be a torn
     * tail (no more than one frame to the end): keep its bytes to save them. */
    if (at_frame && l->bad_regions == 0 && l->issue == OF_HISTORY_ISSUE_NONE) {
        l->tail_len = avail < OF_HISTFRAME_MAX ? avail : OF_HISTFRAME_MAX;
        memcpy(l->tail, p, l->tail_len);
    }
}

static void end_damage(parse *ps)
{
    ps->scanning = 0;
    ps->l->bad_regions++;
    ps->l->dropped_bytes += reader_offset(ps->r) - ps->bad_start;
}

/* Does the frame of flen bytes at the reader's position verify? Outside
 * damage the CRC is computed directly (every byte once); inside, where a
 * candidate may start at every offset, through the prefix CRCs. */
static of_history_err frame_verifies(parse *ps, size_t flen, int *ok)
{
    reader *r = ps->r;
    const unsigned char *p = r->buf + r->pos;
    uint32_t crc;
    if (!ps->scanning) {
        crc = of_crc32(p, flen - 4);
        ps->l->crc_bytes += flen - 4;
    } else {
        if (ps->span == NULL && (ps->span = of_crcspan_new(IO_BUF_SIZE, OF_HISTFRAME_MAX)) == NULL)
            return OF_HISTORY_E_NO_MEMORY;
        crc = of_crcspan_crc(ps->span, r->buf, r->base, r->pos, r->pos + flen - 4);
    }
    *ok = crc == of_histframe_stored_crc(p, flen);
    return OF_HISTORY_OK;
}

static of_history_err take_frame(parse *ps, const unsigned char *p, size_t flen, int *stray_found)
{
    of_histload *l = ps->l;
    of_record rec;
    uint64_t orig_seq;
    of_history_err err;
    of_histframe_decode(p, flen, &rec, &orig_seq);
    if (rec.seq == 0 || rec.seq <= ps->last_seq) {
        /* Verifies, but out of order (two files glued together, an old copy
         * of a frame): carried over, numbered at the end (finish). */
        void *items = ps->strays.items;
        err = grow(&items, &ps->strays.cap, ps->strays.count + 1, sizeof *ps->strays.items);
        ps->strays.items = items;
        if (err != OF_HISTORY_OK)
            return err;
        ps->strays.items[ps->strays.count++] = (stray){rec, orig_seq != 0 ? orig_seq : rec.seq, flen};
        *stray_found = 1;
        return OF_HISTORY_OK;
    }
    if ((err = of_histload_reserve(&l->recs, &l->cap, l->count + 1)) != OF_HISTORY_OK)
        return err;
    if (orig_seq != 0 && (err = add_renum(l, rec.seq, orig_seq)) != OF_HISTORY_OK)
        return err;
    l->recs[l->count++] = rec;
    ps->last_seq = rec.seq;
    return OF_HISTORY_OK;
}

/* Reads frames to the end of the file. With scanning set it starts inside
 * damage (after a bad header). Inside damage every offset is tried, and the
 * first frame that verifies ends the damaged stretch, so garbage is accepted
 * only with a CRC collision. */
static of_history_err parse_frames(parse *ps)
{
    of_histload *l = ps->l;
    reader *r = ps->r;
    int stray_found = 0;
    of_history_err err;

    for (;;) {
        size_t avail;
        if ((err = reader_fill(r, OF_HISTFRAME_MAX, &avail)) != OF_HISTORY_OK)
            return err;
        if (avail == 0)
            break;
        const unsigned char *p = r->buf + r->pos;
        size_t flen = of_histframe_span(p, avail);
        int ok = 0;
        if (flen != 0 && (err = frame_verifies(ps, flen, &ok)) != OF_HISTORY_OK)
            return err;
        if (!ok) {
            if (!ps->scanning)
                begin_damage(ps, p, avail, 1);
            r->pos++;
            continue;
        }
        if (ps->scanning)
            end_damage(ps);
        if ((err = take_frame(ps, p, flen, &stray_found)) != OF_HISTORY_OK)
            return err;
        r->pos += flen;
        if (l->bad_regions == 0 && !stray_found)
            l->good_end = reader_offset(r);
    }
    if (ps->scanning) {
        uint64_t tail = reader_offset(r) - ps->bad_start;
        l->dropped_bytes += tail;
        /* What an interrupted append leaves: less than one frame, at the end,
         * after an otherwise clean file. */
        if (l->issue == OF_HISTORY_ISSUE_NONE && l->bad_regions == 0 && !stray_found && tail <= OF_HISTFRAME_MAX) {
            l->issue = OF_HISTORY_ISSUE_TORN_TAIL;
            l->tail_len = (size_t)tail;
            return OF_HISTORY_OK;
        }
        l->bad_regions++;
    } else {
        ps->stretch_has_seq = 0; /* the file ends with a good frame */
    }
    if ((l->bad_regions > 0 || stray_found) && l->issue == OF_HISTORY_ISSUE_NONE)
        l->issue = OF_HISTORY_ISSUE_BAD_RECORDS;
    return OF_HISTORY_OK;
}

static of_history_err parse_file(parse *ps)
{
    of_histload *l = ps->l;
    reader *r = ps->r;
    size_t avail;
    of_history_err err = reader_fill(r, OF_HISTORY_MAX_HEADER, &avail);
    if (err != OF_HISTORY_OK)
        return err;
    of_histheader hd;
    switch (of_histframe_check_header(r->buf, avail, &hd)) {
    case OF_HEADER_FOREIGN:
        /* Not ours: not worth searching for frames in someone else's file. */
        l->issue = OF_HISTORY_ISSUE_NOT_HISTORY;
        return OF_HISTORY_OK;
    case OF_HEADER_DAMAGED:
        /* Our file with a damaged header: the frames may still be fine. */
        l->issue = OF_HISTORY_ISSUE_BAD_HEADER;
        r->pos = avail < OF_HISTFRAME_HEADER_PREFIX ? avail : OF_HISTFRAME_HEADER_PREFIX;
        begin_damage(ps, r->buf + r->pos, avail - r->pos, 0);
        return parse_frames(ps);
    case OF_HEADER_OK:
        break;
    }
    l->major = hd.major;
    l->minor = hd.minor;
    if (l->major > OF_HISTORY_FORMAT_MAJOR) {
        l->issue = OF_HISTORY_ISSUE_NEWER_VERSION;
        return OF_HISTORY_OK;
    }
    ps->header_ok = 1;
    ps->header_next_seq = hd.next_seq;
    r->pos = hd.len;
    l->good_end = hd.len;
    return parse_frames(ps);
}

static uint64_t after(uint64_t seq)
{
    return seq == UINT64_MAX ? UINT64_MAX : seq + 1;
}

/* Numbering past everything the file used: the header's promise, the last
 * record, the number a damaged last frame carried; then the out-of-order
 * records, in the order found. Numbers never wrap: strays that find none
 * left stay only in the kept copy of the file. */
static of_history_err finish(parse *ps)
{
    of_histload *l = ps->l;
    uint64_t next = 1;
    if (ps->header_ok && ps->header_next_seq > next)
        next = ps->header_next_seq;
    if (ps->last_seq >= next)
        next = after(ps->last_seq);
    if (ps->stretch_has_seq && ps->stretch_seq >= next && ps->stretch_seq - next <= CUT_SEQ_WINDOW) {
        l->cut_seq = ps->stretch_seq;
        next = after(ps->stretch_seq);
    }
    of_history_err err = of_histload_reserve(&l->recs, &l->cap, l->count + ps->strays.count);
    for (size_t i = 0; err == OF_HISTORY_OK && i < ps->strays.count; i++) {
        if (next == UINT64_MAX) {
            for (; i < ps->strays.count; i++)
                l->dropped_bytes += ps->strays.items[i].frame_len;
            break;
        }
        of_record rec = ps->strays.items[i].rec;
        rec.seq = next++;
        /* 0 is no number: a record that had it keeps no original. */
        if (ps->strays.items[i].orig_seq != 0)
            err = add_renum(l, rec.seq, ps->strays.items[i].orig_seq);
        if (err == OF_HISTORY_OK) {
            l->recs[l->count++] = rec;
            l->renumbered++;
        }
    }
    l->next_seq = next;
    return err;
}

of_history_err of_histload_run(of_histload *l, const of_fs *fs, const char *path)
{
    memset(l, 0, sizeof *l);
    l->next_seq = 1;
    of_fs_file *f = NULL;
    of_fs_err fe = fs->open_read(fs->ctx, path, &f);
    if (fe == OF_FS_ERR_NOT_FOUND) {
        l->missing = 1;
        return OF_HISTORY_OK;
    }
    if (fe != OF_FS_OK) {
        switch (fe) {
        case OF_FS_ERR_ACCESS: return OF_HISTORY_E_ACCESS;
        case OF_FS_ERR_NO_MEMORY: return OF_HISTORY_E_NO_MEMORY;
        default: return OF_HISTORY_E_OPEN;
        }
    }
    reader r = {.fs = fs, .f = f, .buf = malloc(IO_BUF_SIZE)};
    parse ps = {.l = l, .r = &r};
    of_history_err err = OF_HISTORY_E_NO_MEMORY;
    if (r.buf != NULL)
        err = parse_file(&ps);
    if (err == OF_HISTORY_OK && l->issue != OF_HISTORY_ISSUE_NEWER_VERSION
        && l->issue != OF_HISTORY_ISSUE_NOT_HISTORY)
        err = finish(&ps);
    l->crc_bytes += of_crcspan_bytes(ps.span);
    of_crcspan_free(ps.span);
    free(ps.strays.items);
    free(r.buf);
    /* Nothing was written through this handle, so its close cannot lose data. */
    (void)fs->close(fs->ctx, f);
    if (err != OF_HISTORY_OK)
        of_histload_free(l);
    return err;
}

void of_histload_free(of_histload *l)
{
    free(l->recs);
    free(l->renum);
    l->recs = NULL;
    l->renum = NULL;
    l->count = l->cap = l->renum_count = l->renum_cap = 0;
}
