/* ofnotify: the spill journal. Format and guarantees: journal.h. */
#include "ofnotify/journal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "histframe.h"
#include "storefile.h"

#define MAGIC "OFNJRNL" /* 7 characters + the NUL = the 8 magic bytes */
#define MAGIC_LEN 8u

struct of_journal {
    of_fs fs;
    char *path;
    char *tmp_path;
    of_fs_file *file;   /* append handle; NULL until an append needs it */
    int on_disk;        /* the file exists with a good header */
    uint64_t file_size; /* end of the last good frame */
    int tail_dirty;     /* a failed append may have left bytes after file_size */
    of_record *recs;    /* oldest first; seq is the place in the journal */
    size_t count;
    size_t cap;
};

/* ---- bytes ---------------------------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xFFu);
}

static uint64_t get_le(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static void encode_header(unsigned char out[OF_JOURNAL_HEADER_SIZE])
{
    memcpy(out, MAGIC, MAGIC_LEN);
    put_le(out + 8, OF_JOURNAL_FORMAT_MAJOR, 2);
    put_le(out + 10, OF_JOURNAL_FORMAT_MINOR, 2);
    put_le(out + 12, OF_JOURNAL_HEADER_SIZE, 4);
    put_le(out + 16, of_crc32(out, 16), 4);
}

typedef enum header_kind { HEADER_BAD, HEADER_OK, HEADER_NEWER } header_kind;

/* *len gets where the first frame starts when the header is good. */
static header_kind check_header(const unsigned char *p, size_t avail, size_t *len)
{
    if (avail < OF_JOURNAL_HEADER_SIZE || memcmp(p, MAGIC, MAGIC_LEN) != 0)
        return HEADER_BAD;
    uint64_t hlen = get_le(p + 12, 4);
    if (hlen < OF_JOURNAL_HEADER_SIZE || hlen > OF_HISTORY_MAX_HEADER || hlen > avail
        || of_crc32(p, (size_t)hlen - 4) != (uint32_t)get_le(p + hlen - 4, 4))
        return HEADER_BAD;
    if (get_le(p + 8, 2) > OF_JOURNAL_FORMAT_MAJOR)
        return HEADER_NEWER;
    *len = (size_t)hlen;
    return HEADER_OK;
}

/* The size of a frame at p that verifies and holds a record this version can
 * merge, else 0. */
static size_t good_frame(const unsigned char *p, size_t avail, of_record *rec)
{
    size_t span = of_histframe_span(p, avail);
    uint64_t orig_seq;
    if (span == 0 || of_crc32(p, span - 4) != of_histframe_stored_crc(p, span))
        return 0;
    of_histframe_decode(p, span, rec, &orig_seq);
    if (rec->status >= OF_STATUS_COUNT || rec->reason >= OF_REASON_COUNT || rec->origin >= OF_ORIGIN_COUNT)
        return 0;
    return span;
}

static int same_record(const of_record *a, const of_record *b)
{
    return a->started_ms == b->started_ms && a->completed_ms == b->completed_ms
           && a->duration_ms == b->duration_ms && a->flags == b->flags && a->begin_flags == b->begin_flags
           && a->status == b->status && a->reason == b->reason && a->origin == b->origin;
}

/* ---- errors and small helpers ---------------------------------------------- */

static void report_name(char dst[OF_HISTORY_REPORT_PATH_CAP], const char *name)
{
    snprintf(dst, OF_HISTORY_REPORT_PATH_CAP, "%s", name);
}

static of_history_err reserve(of_journal *j, size_t need)
{
    if (need <= j->cap)
        return OF_HISTORY_OK;
    size_t cap = j->cap ? j->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / sizeof(of_record))
            return OF_HISTORY_E_NO_MEMORY;
        cap *= 2;
    }
    of_record *n = realloc(j->recs, cap * sizeof(of_record));
    if (n == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    j->recs = n;
    j->cap = cap;
    return OF_HISTORY_OK;
}

static of_history_err push(of_journal *j, const of_record *rec)
{
    of_history_err err = reserve(j, j->count + 1);
    if (err == OF_HISTORY_OK)
        j->recs[j->count++] = *rec;
    return err;
}

static void close_file(of_journal *j)
{
    if (j->file != NULL) {
        /* Every frame behind this handle was synced. */
        (void)j->fs.close(j->fs.ctx, j->file);
        j->file = NULL;
    }
}

static of_history_err cut_tail(of_journal *j)
{
    if (j->fs.truncate(j->fs.ctx, j->file, j->file_size) != OF_FS_OK) {
        j->tail_dirty = 1;
        return OF_HISTORY_E_TRUNCATE;
    }
    j->tail_dirty = 0;
    return OF_HISTORY_OK;
}

static of_history_err open_append(of_journal *j)
{
    of_fs_err fe = j->fs.open_write(j->fs.ctx, j->path, OF_FS_APPEND, &j->file);
    if (fe != OF_FS_OK) {
        j->file = NULL;
        if (fe == OF_FS_ERR_NOT_FOUND)
            j->on_disk = 0; /* removed behind our back: created again with the records in memory */
        return storefile_fs_err(fe, OF_HISTORY_E_OPEN);
    }
    if (j->tail_dirty) {
        of_history_err err = cut_tail(j);
        if (err != OF_HISTORY_OK) {
            close_file(j);
            return err;
        }
    }
    return OF_HISTORY_OK;
}

/* The whole journal as it is in memory: header + every record, numbered
 * 1..count again. Caller frees *out. */
static of_history_err encode_all(of_journal *j, unsigned char **out, size_t *out_len)
{
    size_t len = OF_JOURNAL_HEADER_SIZE;
    if (j->count > (SIZE_MAX - len) / OF_HISTFRAME_WRITE_MAX)
        return OF_HISTORY_E_NO_MEMORY;
    unsigned char *buf = malloc(len + j->count * OF_HISTFRAME_WRITE_MAX);
    if (buf == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    encode_header(buf);
    for (size_t i = 0; i < j->count; i++) {
        j->recs[i].seq = i + 1;
        len += of_histframe_encode(buf + len, &j->recs[i], 0);
    }
    *out = buf;
    *out_len = len;
    return OF_HISTORY_OK;
}

/* The journal as memory holds it, written through the temporary file and
 * put in place (a new journal's header, or one removed behind our back). */
static of_history_err write_whole(of_journal *j)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    of_history_err err = encode_all(j, &buf, &len);
    if (err != OF_HISTORY_OK)
        return err;
    err = storefile_write_tmp(&j->fs, j->tmp_path, buf, len);
    free(buf);
    if (err != OF_HISTORY_OK)
        return err;
    close_file(j);
    if (j->fs.replace(j->fs.ctx, j->tmp_path, j->path) != OF_FS_OK) {
        (void)j->fs.remove(j->fs.ctx, j->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    j->on_disk = 1;
    j->file_size = len;
    j->tail_dirty = 0;
    return OF_HISTORY_OK;
}

/* ---- loading ---------------------------------------------------------------- */

/* Any frame that verifies at or after from? */
static int frame_after(const unsigned char *buf, size_t len, size_t from)
{
    of_record r;
    for (size_t at = from; at < len; at++) {
        if (good_frame(buf + at, len - at, &r) != 0)
            return 1;
    }
    return 0;
}

/* Keeps the bytes after the last good frame in path.cut-<now_ms>, then cuts
 * them off the journal. */
static of_history_err cut_torn_tail(of_journal *j, const unsigned char *tail, size_t tail_len, int64_t now_ms,
                                    of_journal_report *rep)
{
    of_history_err err = storefile_write_tmp(&j->fs, j->tmp_path, tail, tail_len);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&j->fs, j->path, j->tmp_path, ".cut", now_ms, rep->cut_to)) != OF_HISTORY_OK) {
        (void)j->fs.remove(j->fs.ctx, j->tmp_path);
        return err;
    }
    rep->cut_kept = 1;
    if ((err = open_append(j)) != OF_HISTORY_OK)
        return err;
    if ((err = cut_tail(j)) != OF_HISTORY_OK)
        return err;
    return j->fs.sync(j->fs.ctx, j->file) == OF_FS_OK ? OF_HISTORY_OK : OF_HISTORY_E_SYNC;
}

/* The damaged journal goes aside whole; a new one holding every record that
 * still verifies (in j->recs) takes its place. The new file is complete before
 * the old one moves; if the replace fails, the old one is put back. */
static of_history_err quarantine(of_journal *j, int64_t now_ms, of_journal_report *rep)
{
    char moved[OF_HISTORY_REPORT_PATH_CAP];
    of_history_err err = OF_HISTORY_OK;
    if (j->count == 0) {
        /* Nothing to salvage: moving the file aside is all there is to do. */
        err = storefile_set_aside(&j->fs, j->path, j->path, ".corrupt", now_ms, moved);
        if (err == OF_HISTORY_OK) {
            rep->moved_aside = 1;
            report_name(rep->moved_to, moved);
            j->on_disk = 0;
        }
        return err;
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    if ((err = encode_all(j, &buf, &len)) != OF_HISTORY_OK)
        return err;
    err = storefile_write_tmp(&j->fs, j->tmp_path, buf, len);
    free(buf);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&j->fs, j->path, j->path, ".corrupt", now_ms, moved)) != OF_HISTORY_OK) {
        (void)j->fs.remove(j->fs.ctx, j->tmp_path);
        return err;
    }
    if (j->fs.replace(j->fs.ctx, j->tmp_path, j->path) != OF_FS_OK) {
        if (j->fs.rename_aside(j->fs.ctx, moved, j->path) != OF_FS_OK) {
            rep->moved_aside = 1;
            report_name(rep->moved_to, moved);
        }
        (void)j->fs.remove(j->fs.ctx, j->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    rep->moved_aside = 1;
    report_name(rep->moved_to, moved);
    j->on_disk = 1;
    j->file_size = len;
    return OF_HISTORY_OK;
}

/* Every frame that verifies from from on, in file order. */
static of_history_err salvage(of_journal *j, const unsigned char *buf, size_t len, size_t from,
                              uint64_t *taken)
{
    of_record r;
    size_t at = from;
    while (at < len) {
        size_t span = good_frame(buf + at, len - at, &r);
        if (span == 0) {
            at++;
            continue;
        }
        of_history_err err = push(j, &r);
        if (err != OF_HISTORY_OK)
            return err;
        *taken += span;
        at += span;
    }
    return OF_HISTORY_OK;
}

static of_history_err load(of_journal *j, int64_t now_ms, of_journal_report *rep)
{
    unsigned char *buf = NULL;
    size_t len = 0, at = 0;
    of_fs_err fe = storefile_read_all(&j->fs, j->path, &buf, &len);
    if (fe == OF_FS_ERR_NOT_FOUND) {
        rep->no_file = 1;
        return OF_HISTORY_OK;
    }
    if (fe != OF_FS_OK)
        return storefile_fs_err(fe, OF_HISTORY_E_READ);

    of_history_err err = OF_HISTORY_OK;
    header_kind hk = check_header(buf, len, &at);
    j->on_disk = 1;
    if (hk == HEADER_NEWER) {
        err = OF_HISTORY_E_NEWER_VERSION;
        goto done;
    }
    if (hk == HEADER_BAD) {
        /* Our frames may still be there behind a damaged header. */
        size_t from = len >= MAGIC_LEN && memcmp(buf, MAGIC, MAGIC_LEN) == 0 ? MAGIC_LEN : len;
        uint64_t taken = 0;
        if ((err = salvage(j, buf, len, from, &taken)) == OF_HISTORY_OK) {
            rep->dropped_bytes = len - taken;
            err = quarantine(j, now_ms, rep);
        }
        goto done;
    }
    uint64_t last_seq = 0;
    while (at < len) {
        of_record r;
        size_t span = good_frame(buf + at, len - at, &r);
        if (span == 0 || r.seq <= last_seq)
            break;
        if ((err = push(j, &r)) != OF_HISTORY_OK)
            goto done;
        last_seq = r.seq;
        at += span;
    }
    j->file_size = at;
    if (at == len)
        goto done;
    rep->dropped_bytes = len - at;
    uint64_t taken = 0;
    if (len - at <= OF_HISTFRAME_MAX && !frame_after(buf, len, at + 1))
        err = cut_torn_tail(j, buf + at, len - at, now_ms, rep);
    else if ((err = salvage(j, buf, len, at, &taken)) == OF_HISTORY_OK) {
        rep->dropped_bytes -= taken;
        err = quarantine(j, now_ms, rep);
    }
done:
    free(buf);
    rep->records = j->count;
    return err;
}

/* ---- the interface ------------------------------------------------------------ */

static void destroy(of_journal *j)
{
    if (j == NULL)
        return;
    close_file(j);
    free(j->recs);
    free(j->path);
    free(j->tmp_path);
    free(j);
}

of_history_err of_journal_open(of_journal **out, const of_fs *fs, const char *path, int64_t now_ms,
                               of_journal_report *report)
{
    of_journal_report local;
    of_journal_report *rep = report != NULL ? report : &local;
    memset(rep, 0, sizeof(*rep));
    if (out == NULL)
        return OF_HISTORY_E_INVALID;
    *out = NULL;
    if (fs == NULL || path == NULL)
        return OF_HISTORY_E_INVALID;
    of_journal *j = calloc(1, sizeof(*j));
    if (j == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    j->fs = *fs;
    j->path = storefile_concat(path, "");
    j->tmp_path = storefile_concat(path, ".tmp");
    of_history_err err = j->path && j->tmp_path ? load(j, now_ms, rep) : OF_HISTORY_E_NO_MEMORY;
    if (err != OF_HISTORY_OK) {
        destroy(j);
        return err;
    }
    *out = j;
    return OF_HISTORY_OK;
}

of_history_err of_journal_append(of_journal *j, const of_record *rec)
{
    if (j == NULL || rec == NULL || rec->status >= OF_STATUS_COUNT || rec->reason >= OF_REASON_COUNT
        || rec->origin >= OF_ORIGIN_COUNT)
        return OF_HISTORY_E_INVALID;
    /* Room in memory first: once the frame is on disk, nothing may fail. */
    of_history_err err = reserve(j, j->count + 1);
    if (err != OF_HISTORY_OK)
        return err;
    if (!j->on_disk)
        err = write_whole(j); /* the header, and whatever memory holds */
    if (err == OF_HISTORY_OK && j->file == NULL)
        err = open_append(j);
    else if (err == OF_HISTORY_OK && j->tail_dirty)
        err = cut_tail(j);
    if (err != OF_HISTORY_OK)
        return err;

    of_record r = *rec;
    r.seq = j->count != 0 ? j->recs[j->count - 1].seq + 1 : 1;
    unsigned char frame[OF_HISTFRAME_WRITE_MAX];
    size_t frame_len = of_histframe_encode(frame, &r, 0);
    if ((err = storefile_write_all(&j->fs, j->file, frame, frame_len)) != OF_HISTORY_OK) {
        (void)cut_tail(j);
        return err;
    }
    if (j->fs.sync(j->fs.ctx, j->file) != OF_FS_OK) {
        (void)cut_tail(j);
        return OF_HISTORY_E_SYNC;
    }
    j->recs[j->count++] = r;
    j->file_size += frame_len;
    return OF_HISTORY_OK;
}

size_t of_journal_count(const of_journal *j)
{
    return j != NULL ? j->count : 0;
}

const of_record *of_journal_get(const of_journal *j, size_t index)
{
    return j != NULL && index < j->count ? &j->recs[index] : NULL;
}

const char *of_journal_path(const of_journal *j)
{
    return j != NULL ? j->path : NULL;
}

/* How many of the journal's first records already end the history: the
 * largest k with the history's last k equal to the journal's first k. */
static size_t already_merged(const of_journal *j, const of_history *h)
{
    size_t n = of_history_count(h);
    size_t k = j->count < n ? j->count : n;
    for (; k > 0; k--) {
        size_t t = 0;
        while (t < k && same_record(of_history_get(h, n - k + t), &j->recs[t]))
            t++;
        if (t == k)
            return k;
    }
    return 0;
}

of_history_err of_journal_merge(of_journal *j, of_history *h, size_t *merged)
{
    size_t done = 0;
    if (merged != NULL)
        *merged = 0;
    if (j == NULL || h == NULL)
        return OF_HISTORY_E_INVALID;
    for (size_t i = already_merged(j, h); i < j->count; i++) {
        of_record r = j->recs[i];
        of_history_err err = of_history_append(h, &r);
        if (err != OF_HISTORY_OK) {
            if (merged != NULL)
                *merged = done;
            return err;
        }
        done++;
    }
    if (merged != NULL)
        *merged = done;
    /* Every record stands, synced, in the history: only now may the journal go. */
    close_file(j);
    if (j->on_disk) {
        of_fs_err fe = j->fs.remove(j->fs.ctx, j->path);
        if (fe != OF_FS_OK && fe != OF_FS_ERR_NOT_FOUND)
            return storefile_fs_err(fe, OF_HISTORY_E_RENAME);
    }
    j->on_disk = 0;
    j->count = 0;
    j->file_size = 0;
    j->tail_dirty = 0;
    return OF_HISTORY_OK;
}

void of_journal_close(of_journal *j)
{
    destroy(j);
}

int of_journal_temp_name(char *buf, size_t cap, const char *temp_dir, char sep, const char *data_dir)
{
    uint64_t hash = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)data_dir; *p; p++) {
        unsigned char c = *p >= 'A' && *p <= 'Z' ? (unsigned char)(*p - 'A' + 'a') : *p;
        hash = (hash ^ c) * UINT64_C(1099511628211);
    }
    size_t tl = strlen(temp_dir);
    int need_sep = tl > 0 && temp_dir[tl - 1] != sep;
    int n = snprintf(buf, cap, "%s%s%s%016" PRIx64 ".journal", temp_dir, need_sep ? (char[]){sep, 0} : "",
                     "ofnotify-", hash);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}
