/* ofnotify: an append-only file of checked frames. See framelog.h. */
#include "framelog.h"

#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "crcspan.h"
#include "lebytes.h"
#include "storefile.h"

struct framelog {
    of_fs fs;
    const framelog_kind *kind;
    void *owner;
    char *path;
    char *tmp_path;
    of_fs_file *file;   /* append handle; NULL until an append needs it */
    int on_disk;        /* the file exists with a good header */
    int tail_dirty;     /* a failed append may have left bytes after file_size */
    uint64_t file_size; /* end of the last good frame */
    uint64_t last_seq;
    uint64_t frames;
};

/* ---- bytes ---------------------------------------------------------------- */

static void encode_header(const framelog_kind *k, unsigned char out[FRAMELOG_HEADER_SIZE])
{
    memcpy(out, k->magic, FRAMELOG_MAGIC_LEN);
    put_le(out + 8, k->major, 2);
    put_le(out + 10, k->minor, 2);
    put_le(out + 12, FRAMELOG_HEADER_SIZE, 4);
    put_le(out + 16, of_crc32(out, 16), 4);
}

typedef enum header_kind { HEADER_BAD, HEADER_OK, HEADER_NEWER } header_kind;

/* *len gets where the first frame starts when the header is good. */
static header_kind check_header(const framelog_kind *k, const unsigned char *p, size_t avail, size_t *len)
{
    if (avail < FRAMELOG_HEADER_SIZE || memcmp(p, k->magic, FRAMELOG_MAGIC_LEN) != 0)
        return HEADER_BAD;
    uint64_t hlen = get_le(p + 12, 4);
    if (hlen < FRAMELOG_HEADER_SIZE || hlen > OF_HISTORY_MAX_HEADER || hlen > avail
        || of_crc32(p, (size_t)hlen - 4) != (uint32_t)get_le(p + hlen - 4, 4))
        return HEADER_BAD;
    if (get_le(p + 8, 2) > k->major)
        return HEADER_NEWER;
    *len = (size_t)hlen;
    return HEADER_OK;
}

static size_t frame_max(const framelog_kind *k)
{
    return 8u + (size_t)k->payload_max;
}

/* The size of a frame at buf + at that verifies and that this version
 * knows, else 0. span (may be NULL) computes CRCs of stretches of buf in
 * constant time, for the salvage scan. */
static size_t good_frame(const framelog_kind *k, const unsigned char *buf, size_t at, size_t len,
                         of_crcspan *span)
{
    const unsigned char *p = buf + at;
    size_t avail = len - at;
    if (avail < 4)
        return 0;
    uint64_t pay = get_le(p, 4);
    if (pay < k->payload_min || pay > k->payload_max || pay + 8 > avail)
        return 0;
    size_t frame = (size_t)pay + 8;
    uint32_t crc = span != NULL ? of_crcspan_crc(span, buf, 0, at, at + frame - 4) : of_crc32(p, frame - 4);
    if (crc != (uint32_t)get_le(p + frame - 4, 4))
        return 0;
    return k->known(p, frame) ? frame : 0;
}

/* ---- the file --------------------------------------------------------------- */

static void report_name(char dst[OF_HISTORY_REPORT_PATH_CAP], const char *name)
{
    memcpy(dst, name, strlen(name) + 1);
}

static void close_file(framelog *fl)
{
    if (fl->file != NULL) {
        /* Every frame behind this handle was synced. */
        (void)fl->fs.close(fl->fs.ctx, fl->file);
        fl->file = NULL;
    }
}

static of_history_err cut_tail(framelog *fl)
{
    if (fl->fs.truncate(fl->fs.ctx, fl->file, fl->file_size) != OF_FS_OK) {
        fl->tail_dirty = 1;
        return OF_HISTORY_E_TRUNCATE;
    }
    fl->tail_dirty = 0;
    return OF_HISTORY_OK;
}

static of_history_err open_append(framelog *fl)
{
    of_fs_err fe = fl->fs.open_write(fl->fs.ctx, fl->path, OF_FS_APPEND, &fl->file);
    if (fe != OF_FS_OK) {
        fl->file = NULL;
        if (fe == OF_FS_ERR_NOT_FOUND)
            fl->on_disk = 0; /* removed behind our back: written again from memory */
        return storefile_fs_err(fe, OF_HISTORY_E_OPEN);
    }
    if (fl->tail_dirty) {
        of_history_err err = cut_tail(fl);
        if (err != OF_HISTORY_OK) {
            close_file(fl);
            return err;
        }
    }
    return OF_HISTORY_OK;
}

/* The header and every frame memory holds, synced in the temporary file. */
static of_history_err write_tmp(framelog *fl, uint64_t *count, size_t *len)
{
    size_t cap = fl->kind->rewrite_cap(fl->owner);
    if (cap > SIZE_MAX - FRAMELOG_HEADER_SIZE)
        return OF_HISTORY_E_NO_MEMORY;
    unsigned char *buf = malloc(FRAMELOG_HEADER_SIZE + cap);
    if (buf == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    encode_header(fl->kind, buf);
    *len = FRAMELOG_HEADER_SIZE + fl->kind->rewrite(fl->owner, buf + FRAMELOG_HEADER_SIZE, count);
    of_history_err err = storefile_write_tmp(&fl->fs, fl->tmp_path, buf, *len);
    free(buf);
    return err;
}

static void rewritten(framelog *fl, uint64_t count, size_t len)
{
    fl->on_disk = 1;
    fl->file_size = len;
    fl->tail_dirty = 0;
    fl->last_seq = count;
    fl->frames = count;
}

of_history_err framelog_rewrite(framelog *fl)
{
    uint64_t count = 0;
    size_t len = 0;
    of_history_err err = write_tmp(fl, &count, &len);
    if (err != OF_HISTORY_OK)
        return err;
    close_file(fl);
    if (fl->fs.replace(fl->fs.ctx, fl->tmp_path, fl->path) != OF_FS_OK) {
        (void)fl->fs.remove(fl->fs.ctx, fl->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    rewritten(fl, count, len);
    return OF_HISTORY_OK;
}

/* ---- loading ---------------------------------------------------------------- */

/* Any frame that verifies at or after from? */
static int frame_after(const framelog_kind *k, const unsigned char *buf, size_t len, size_t from)
{
    for (size_t at = from; at < len; at++) {
        if (good_frame(k, buf, at, len, NULL) != 0)
            return 1;
    }
    return 0;
}

/* Keeps the bytes after the last good frame in path.cut-<now_ms>, then cuts
 * them off the file. */
static of_history_err cut_torn_tail(framelog *fl, const unsigned char *tail, size_t tail_len, int64_t now_ms,
                                    const framelog_report *rep)
{
    of_history_err err = storefile_write_tmp(&fl->fs, fl->tmp_path, tail, tail_len);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&fl->fs, fl->path, fl->tmp_path, ".cut", now_ms, rep->cut_to))
        != OF_HISTORY_OK) {
        (void)fl->fs.remove(fl->fs.ctx, fl->tmp_path);
        return err;
    }
    *rep->cut_kept = 1;
    if ((err = open_append(fl)) != OF_HISTORY_OK)
        return err;
    if ((err = cut_tail(fl)) != OF_HISTORY_OK)
        return err;
    return fl->fs.sync(fl->fs.ctx, fl->file) == OF_FS_OK ? OF_HISTORY_OK : OF_HISTORY_E_SYNC;
}

/* The damaged file goes aside whole; a new one holding what the owner
 * salvaged takes its place. The new file is complete before the old one
 * moves; if the replace fails, the old one is put back. */
static of_history_err quarantine(framelog *fl, int64_t now_ms, const framelog_report *rep)
{
    char moved[OF_HISTORY_REPORT_PATH_CAP];
    of_history_err err = OF_HISTORY_OK;
    if (fl->kind->rewrite_cap(fl->owner) == 0) {
        /* Nothing to salvage: moving the file aside is all there is to do. */
        err = storefile_set_aside(&fl->fs, fl->path, fl->path, ".corrupt", now_ms, moved);
        if (err == OF_HISTORY_OK) {
            *rep->moved_aside = 1;
            report_name(rep->moved_to, moved);
            fl->on_disk = 0;
        }
        return err;
    }
    uint64_t count = 0;
    size_t len = 0;
    if ((err = write_tmp(fl, &count, &len)) != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&fl->fs, fl->path, fl->path, ".corrupt", now_ms, moved)) != OF_HISTORY_OK) {
        (void)fl->fs.remove(fl->fs.ctx, fl->tmp_path);
        return err;
    }
    if (fl->fs.replace(fl->fs.ctx, fl->tmp_path, fl->path) != OF_FS_OK) {
        if (fl->fs.rename_aside(fl->fs.ctx, moved, fl->path) != OF_FS_OK) {
            *rep->moved_aside = 1;
            report_name(rep->moved_to, moved);
        }
        (void)fl->fs.remove(fl->fs.ctx, fl->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    *rep->moved_aside = 1;
    report_name(rep->moved_to, moved);
    rewritten(fl, count, len);
    return OF_HISTORY_OK;
}

/* Gives the owner every frame that verifies from from on, in file order. */
static of_history_err salvage(framelog *fl, const unsigned char *buf, size_t len, size_t from, uint64_t *taken)
{
    of_crcspan *span = of_crcspan_new(len, frame_max(fl->kind));
    if (span == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    of_history_err err = OF_HISTORY_OK;
    size_t at = from;
    while (at < len && err == OF_HISTORY_OK) {
        size_t frame = good_frame(fl->kind, buf, at, len, span);
        if (frame == 0) {
            at++;
            continue;
        }
        err = fl->kind->take(fl->owner, buf + at, frame);
        *taken += frame;
        at += frame;
    }
    of_crcspan_free(span);
    return err;
}

/* Everything that verifies from `from` on goes to the owner, then the file
 * is set aside and replaced by what the owner holds. */
static of_history_err salvage_aside(framelog *fl, const unsigned char *buf, size_t len, size_t from,
                                    int64_t now_ms, const framelog_report *rep)
{
    uint64_t taken = 0;
    of_history_err err = salvage(fl, buf, len, from, &taken);
    if (err != OF_HISTORY_OK)
        return err;
    *rep->dropped_bytes -= taken;
    return quarantine(fl, now_ms, rep);
}

of_history_err framelog_load(framelog *fl, int64_t now_ms, const framelog_report *rep)
{
    unsigned char *buf = NULL;
    size_t len = 0, at = 0;
    of_fs_err fe = storefile_read_all(&fl->fs, fl->path, &buf, &len);
    if (fe == OF_FS_ERR_NOT_FOUND) {
        *rep->no_file = 1;
        return OF_HISTORY_OK;
    }
    if (fe != OF_FS_OK)
        return storefile_fs_err(fe, OF_HISTORY_E_READ);

    of_history_err err = OF_HISTORY_OK;
    header_kind hk = check_header(fl->kind, buf, len, &at);
    fl->on_disk = 1;
    if (hk == HEADER_NEWER) {
        err = OF_HISTORY_E_NEWER_VERSION;
    } else if (hk == HEADER_BAD) {
        /* The frames may still be there behind a damaged header. */
        int ours = len >= FRAMELOG_MAGIC_LEN && memcmp(buf, fl->kind->magic, FRAMELOG_MAGIC_LEN) == 0;
        *rep->dropped_bytes = len;
        err = salvage_aside(fl, buf, len, ours ? FRAMELOG_MAGIC_LEN : len, now_ms, rep);
    } else {
        for (size_t frame; (frame = good_frame(fl->kind, buf, at, len, NULL)) != 0
                           && get_le(buf + at + 4, 8) > fl->last_seq;
             at += frame) {
            if ((err = fl->kind->take(fl->owner, buf + at, frame)) != OF_HISTORY_OK)
                break;
            fl->last_seq = get_le(buf + at + 4, 8);
            fl->frames++;
        }
        fl->file_size = at;
        if (err == OF_HISTORY_OK && at < len) {
            *rep->dropped_bytes = len - at;
            if (len - at <= frame_max(fl->kind) && !frame_after(fl->kind, buf, len, at + 1))
                err = cut_torn_tail(fl, buf + at, len - at, now_ms, rep);
            else
                err = salvage_aside(fl, buf, len, at, now_ms, rep);
        }
    }
    free(buf);
    return err;
}

/* ---- appending ------------------------------------------------------------- */

of_history_err framelog_ready(framelog *fl, uint64_t *seq)
{
    of_history_err err = OF_HISTORY_OK;
    if (!fl->on_disk)
        err = framelog_rewrite(fl);
    if (err == OF_HISTORY_OK && fl->file == NULL)
        err = open_append(fl);
    else if (err == OF_HISTORY_OK && fl->tail_dirty)
        err = cut_tail(fl);
    *seq = fl->last_seq + 1;
    return err;
}

of_history_err framelog_append(framelog *fl, const unsigned char *frame, size_t len)
{
    of_history_err err = storefile_write_all(&fl->fs, fl->file, frame, len);
    if (err != OF_HISTORY_OK) {
        (void)cut_tail(fl);
        return err;
    }
    if (fl->fs.sync(fl->fs.ctx, fl->file) != OF_FS_OK) {
        (void)cut_tail(fl);
        return OF_HISTORY_E_SYNC;
    }
    fl->last_seq++;
    fl->frames++;
    fl->file_size += len;
    return OF_HISTORY_OK;
}

of_history_err framelog_remove(framelog *fl)
{
    close_file(fl);
    if (fl->on_disk) {
        of_fs_err fe = fl->fs.remove(fl->fs.ctx, fl->path);
        if (fe != OF_FS_OK && fe != OF_FS_ERR_NOT_FOUND)
            return storefile_fs_err(fe, OF_HISTORY_E_RENAME);
    }
    fl->on_disk = 0;
    fl->file_size = 0;
    fl->tail_dirty = 0;
    fl->last_seq = 0;
    fl->frames = 0;
    return OF_HISTORY_OK;
}

/* ---- the log ---------------------------------------------------------------- */

of_history_err framelog_new(framelog **out, const of_fs *fs, const char *path, const framelog_kind *kind,
                            void *owner)
{
    framelog *fl = calloc(1, sizeof(*fl));
    *out = NULL;
    if (fl == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    fl->fs = *fs;
    fl->kind = kind;
    fl->owner = owner;
    fl->path = storefile_concat(path, "");
    fl->tmp_path = storefile_concat(path, ".tmp");
    if (fl->path == NULL || fl->tmp_path == NULL) {
        framelog_free(fl);
        return OF_HISTORY_E_NO_MEMORY;
    }
    *out = fl;
    return OF_HISTORY_OK;
}

uint64_t framelog_frames(const framelog *fl)
{
    return fl != NULL ? fl->frames : 0;
}

const char *framelog_path(const framelog *fl)
{
    return fl != NULL ? fl->path : NULL;
}

void framelog_free(framelog *fl)
{
    if (fl == NULL)
        return;
    close_file(fl);
    free(fl->path);
    free(fl->tmp_path);
    free(fl);
}
