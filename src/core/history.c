/* ofnotify: the durable history store. Format and guarantees: history.h. */
#include "ofnotify/history.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histframe.h"
#include "histload.h"
#include "storefile.h"

#define IO_BUF_SIZE (64u * 1024u) /* holds many frames */
#define MS_PER_DAY INT64_C(86400000)

struct of_history {
    of_fs fs;
    char *path;
    char *tmp_path;
    int readonly;
    of_fs_file *file;   /* append handle; NULL when read-only or to be reopened */
    uint64_t file_size; /* end of the last good frame: where the next one goes */
    int tail_dirty;     /* a failed append may have left bytes after file_size */
    uint16_t file_minor; /* the minor in the file's header: which fields its frames may carry */
    uint64_t next_seq;
    of_record *recs;    /* oldest first */
    size_t count;
    size_t cap;
    of_histrenum *renum; /* the renumbered records, by seq */
    size_t renum_count;
    size_t renum_cap;
};

/* ---- errors -------------------------------------------------------------- */

static of_history_err map_open_err(of_fs_err e)
{
    switch (e) {
    case OF_FS_ERR_ACCESS: return OF_HISTORY_E_ACCESS;
    case OF_FS_ERR_NO_SPACE: return OF_HISTORY_E_DISK_FULL;
    case OF_FS_ERR_NO_MEMORY: return OF_HISTORY_E_NO_MEMORY;
    default: return OF_HISTORY_E_OPEN;
    }
}

static of_history_err map_write_err(of_fs_err e)
{
    switch (e) {
    case OF_FS_ERR_NO_SPACE: return OF_HISTORY_E_DISK_FULL;
    case OF_FS_ERR_NO_MEMORY: return OF_HISTORY_E_NO_MEMORY;
    default: return OF_HISTORY_E_WRITE;
    }
}

const char *of_history_error_text(of_history_err err)
{
    switch (err) {
    case OF_HISTORY_OK: return "success";
    case OF_HISTORY_E_INVALID: return "invalid argument";
    case OF_HISTORY_E_NO_MEMORY: return "out of memory";
    case OF_HISTORY_E_OPEN: return "could not open or create the history file";
    case OF_HISTORY_E_ACCESS: return "history file in use or access denied";
    case OF_HISTORY_E_READ: return "could not read the history file";
    case OF_HISTORY_E_WRITE: return "could not write the history file";
    case OF_HISTORY_E_DISK_FULL: return "disk full";
    case OF_HISTORY_E_SYNC: return "could not flush the history file to disk";
    case OF_HISTORY_E_TRUNCATE: return "could not cut an unfinished record off the history file";
    case OF_HISTORY_E_CLOSE: return "could not close a history file";
    case OF_HISTORY_E_RENAME: return "could not rename or replace the history file";
    case OF_HISTORY_E_NEWER_VERSION: return "history file was written by a newer version; left unchanged";
    case OF_HISTORY_E_READONLY: return "history opened read-only";
    case OF_HISTORY_E_FULL: return "history cannot hold more records in memory";
    case OF_HISTORY_E_SEQ_LIMIT: return "history has used up its record numbers";
    case OF_HISTORY_E_COUNT: break;
    }
    return "unknown error";
}

const char *of_history_issue_text(of_history_issue issue)
{
    switch (issue) {
    case OF_HISTORY_ISSUE_NONE: return "no problem";
    case OF_HISTORY_ISSUE_TORN_TAIL: return "the last record was unfinished";
    case OF_HISTORY_ISSUE_NOT_HISTORY: return "the file is not a history file";
    case OF_HISTORY_ISSUE_BAD_HEADER: return "the file header is damaged";
    case OF_HISTORY_ISSUE_BAD_RECORDS: return "records in the file are damaged";
    case OF_HISTORY_ISSUE_NEWER_VERSION: return "the file has a newer format version";
    case OF_HISTORY_ISSUE_COUNT: break;
    }
    return "unknown issue";
}

/* ---- in-memory records ---------------------------------------------------- */

static of_history_err reserve(of_history *h, size_t need)
{
    return of_histload_reserve(&h->recs, &h->cap, need);
}

/* Which records a rewrite keeps: those completed at or after cutoff, minus the
 * first drop_first of them (the oldest). Walked in order, so the same walk
 * selects the records written to the new file and later those kept in memory,
 * without a side array. */
typedef struct retention {
    int64_t cutoff;
    size_t drop_first;
    size_t seen;
} retention;

static int retention_keeps(retention *rt, const of_record *r)
{
    if (r->completed_ms < rt->cutoff)
        return 0;
    if (rt->seen < rt->drop_first) {
        rt->seen++;
        return 0;
    }
    return 1;
}

/* ---- renumbered records ------------------------------------------------------ */

/* The original seq of the record numbered seq (0: never renumbered), for
 * walks through the records in order: *k is the walk's place in renum. */
static uint64_t renum_walk(const of_history *h, size_t *k, uint64_t seq)
{
    while (*k < h->renum_count && h->renum[*k].seq < seq)
        (*k)++;
    return *k < h->renum_count && h->renum[*k].seq == seq ? h->renum[*k].orig_seq : 0;
}

/* Forgets the renumbered records that are no longer held. */
static void renum_prune(of_history *h)
{
    size_t kept = 0, k = 0;
    for (size_t i = 0; i < h->count && k < h->renum_count; i++) {
        uint64_t orig_seq = renum_walk(h, &k, h->recs[i].seq);
        if (orig_seq != 0)
            h->renum[kept++] = (of_histrenum){h->recs[i].seq, orig_seq};
    }
    h->renum_count = kept;
}

/* ---- writing ------------------------------------------------------------- */

static of_history_err write_all(of_history *h, of_fs_file *f, const unsigned char *buf, size_t len)
{
    size_t written = 0;
    of_fs_err fe = h->fs.write(h->fs.ctx, f, buf, len, &written);
    if (fe != OF_FS_OK)
        return map_write_err(fe);
    return written == len ? OF_HISTORY_OK : OF_HISTORY_E_WRITE;
}

/* Writes a complete history (header with next_seq, then the records rt
 * keeps) to the temporary file and syncs it. On failure the temporary file
 * is removed and nothing else was touched. */
static of_history_err write_tmp(of_history *h, retention rt, uint64_t *size)
{
    of_fs_file *f = NULL;
    of_fs_err fe = h->fs.open_write(h->fs.ctx, h->tmp_path, OF_FS_CREATE, &f);
    if (fe != OF_FS_OK)
        return map_open_err(fe);

    of_history_err err = OF_HISTORY_OK;
    unsigned char *buf = malloc(IO_BUF_SIZE);
    size_t used = OF_HISTORY_HEADER_SIZE;
    uint64_t total = 0;
    if (buf == NULL) {
        err = OF_HISTORY_E_NO_MEMORY;
        goto done;
    }
    of_histframe_encode_header(buf, h->next_seq);
    for (size_t i = 0, k = 0; i < h->count; i++) {
        uint64_t orig_seq = renum_walk(h, &k, h->recs[i].seq);
        if (!retention_keeps(&rt, &h->recs[i]))
            continue;
        if (IO_BUF_SIZE - used < OF_HISTFRAME_WRITE_MAX) {
            if ((err = write_all(h, f, buf, used)) != OF_HISTORY_OK)
                goto done;
            total += used;
            used = 0;
        }
        used += of_histframe_encode(buf + used, &h->recs[i], orig_seq);
    }
    if ((err = write_all(h, f, buf, used)) != OF_HISTORY_OK)
        goto done;
    total += used;
    if (h->fs.sync(h->fs.ctx, f) != OF_FS_OK)
        err = OF_HISTORY_E_SYNC;
done:
    free(buf);
    /* Some file systems report delayed write errors only at close. */
    if (h->fs.close(h->fs.ctx, f) != OF_FS_OK && err == OF_HISTORY_OK)
        err = OF_HISTORY_E_CLOSE;
    if (err != OF_HISTORY_OK)
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
    else
        *size = total;
    return err;
}

static void close_append(of_history *h)
{
    if (h->file != NULL) {
        /* Every frame behind this handle was synced; a close error loses nothing. */
        (void)h->fs.close(h->fs.ctx, h->file);
        h->file = NULL;
    }
}

/* Cuts whatever a failed append left after the last good frame. */
static of_history_err cut_tail(of_history *h)
{
    if (h->fs.truncate(h->fs.ctx, h->file, h->file_size) != OF_FS_OK) {
        h->tail_dirty = 1;
        return OF_HISTORY_E_TRUNCATE;
    }
    h->tail_dirty = 0;
    return OF_HISTORY_OK;
}

static of_history_err open_append(of_history *h)
{
    of_fs_err fe = h->fs.open_write(h->fs.ctx, h->path, OF_FS_APPEND, &h->file);
    if (fe != OF_FS_OK) {
        h->file = NULL;
        return map_open_err(fe);
    }
    if (h->tail_dirty) {
        of_history_err err = cut_tail(h);
        if (err != OF_HISTORY_OK) {
            close_append(h);
            return err;
        }
    }
    return OF_HISTORY_OK;
}

/* Replaces the history with a rewritten copy holding what rt keeps. Steps:
 * temp file + sync, close the append handle (Windows cannot replace an open
 * file), atomic replace, reopen. Until the replace succeeds the old file is
 * untouched and the records in memory are unchanged. */
static of_history_err rewrite(of_history *h, retention rt, uint64_t *removed)
{
    uint64_t new_size = 0;
    of_history_err err = write_tmp(h, rt, &new_size);
    if (err != OF_HISTORY_OK)
        return err;
    close_append(h);
    if (h->fs.replace(h->fs.ctx, h->tmp_path, h->path) != OF_FS_OK) {
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
        /* If this fails too, the next append opens the file again. */
        (void)open_append(h);
        return OF_HISTORY_E_RENAME;
    }
    size_t kept = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (retention_keeps(&rt, &h->recs[i]))
            h->recs[kept++] = h->recs[i];
    }
    if (removed != NULL)
        *removed = (uint64_t)(h->count - kept);
    h->count = kept;
    renum_prune(h);
    h->file_size = new_size;
    h->file_minor = OF_HISTORY_FORMAT_MINOR;
    h->tail_dirty = 0;
    /* The new file is in place and complete; if it cannot be opened now, the
     * next append tries again and reports the error. */
    (void)open_append(h);
    return OF_HISTORY_OK;
}

/* ---- opening ------------------------------------------------------------- */

/* Copies a file name into a report field, cut to fit (a NUL-ended prefix). */
static void report_name(char dst[OF_HISTORY_REPORT_PATH_CAP], int *truncated, const char *name)
{
    size_t len = strlen(name);
    *truncated = len >= OF_HISTORY_REPORT_PATH_CAP;
    if (*truncated)
        len = OF_HISTORY_REPORT_PATH_CAP - 1;
    memcpy(dst, name, len);
    dst[len] = '\0';
}

static void report_moved(of_history_report *rep, const char *name)
{
    rep->moved_aside = 1;
    report_name(rep->moved_to, &rep->moved_to_truncated, name);
}

/* Sets the damaged file aside and puts a clean history holding the salvaged
 * records (all of h->recs) in its place. The new file is complete before the
 * old one moves, so a crash in between leaves either the old file in place
 * (the next open does this again) or no file (the next open starts empty;
 * the moved-aside file still holds everything). */
static of_history_err quarantine(of_history *h, int64_t now_ms, of_history_report *rep)
{
    retention all = {.cutoff = INT64_MIN};
    uint64_t size = 0;
    char *moved = NULL;

    close_append(h);
    of_history_err err = write_tmp(h, all, &size);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_rename_unique(&h->fs, h->path, h->path, ".corrupt", now_ms, &moved)) != OF_HISTORY_OK) {
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
        return err;
    }
    if (h->fs.replace(h->fs.ctx, h->tmp_path, h->path) != OF_FS_OK) {
        /* Put the old file back so the next open finds the same situation. */
        if (h->fs.rename_aside(h->fs.ctx, moved, h->path) != OF_FS_OK)
            report_moved(rep, moved);
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
        free(moved);
        return OF_HISTORY_E_RENAME;
    }
    report_moved(rep, moved);
    free(moved);
    h->file_size = size;
    h->file_minor = OF_HISTORY_FORMAT_MINOR;
    return open_append(h);
}

/* A new, empty history, created whole through the temporary file so that a
 * crash never leaves a history file without a complete header. */
static of_history_err create_new(of_history *h)
{
    retention none = {.cutoff = INT64_MIN};
    uint64_t size = 0;
    of_history_err err = write_tmp(h, none, &size);
    if (err != OF_HISTORY_OK)
        return err;
    if (h->fs.replace(h->fs.ctx, h->tmp_path, h->path) != OF_FS_OK) {
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    h->file_size = size;
    h->file_minor = OF_HISTORY_FORMAT_MINOR;
    return open_append(h);
}

/* Keeps the bytes a torn tail cut takes in path.cut-<now_ms>[-n]: written
 * whole through the temporary file and renamed, never over an existing
 * file. Until the cut, a crash only means the next open keeps them again. */
static of_history_err keep_cut_bytes(of_history *h, const of_histload *l, int64_t now_ms,
                                     of_history_report *rep)
{
    of_fs_file *f = NULL;
    char *name = NULL;
    of_fs_err fe = h->fs.open_write(h->fs.ctx, h->tmp_path, OF_FS_CREATE, &f);
    if (fe != OF_FS_OK)
        return map_open_err(fe);
    of_history_err err = write_all(h, f, l->tail, l->tail_len);
    if (err == OF_HISTORY_OK && h->fs.sync(h->fs.ctx, f) != OF_FS_OK)
        err = OF_HISTORY_E_SYNC;
    if (h->fs.close(h->fs.ctx, f) != OF_FS_OK && err == OF_HISTORY_OK)
        err = OF_HISTORY_E_CLOSE;
    if (err == OF_HISTORY_OK)
        err = storefile_rename_unique(&h->fs, h->path, h->tmp_path, ".cut", now_ms, &name);
    if (err != OF_HISTORY_OK) {
        (void)h->fs.remove(h->fs.ctx, h->tmp_path);
        return err;
    }
    rep->cut_kept = 1;
    report_name(rep->cut_to, &rep->cut_to_truncated, name);
    free(name);
    return OF_HISTORY_OK;
}

/* An unfinished or damaged last frame: its bytes are kept aside, then cut
 * off. When it carried a seq, the next record must not get that number again,
 * also after a restart, so the header's promise moves past it: the file is
 * rewritten whole (temporary file, atomic replace) instead of cut in place. */
static of_history_err cut_torn_tail(of_history *h, const of_histload *l, int64_t now_ms,
                                    of_history_report *rep)
{
    of_history_err err = keep_cut_bytes(h, l, now_ms, rep);
    if (err != OF_HISTORY_OK)
        return err;
    h->file_size = l->good_end;
    if (l->cut_seq != 0) {
        retention all = {.cutoff = INT64_MIN};
        if ((err = rewrite(h, all, NULL)) != OF_HISTORY_OK)
            return err;
        if (h->file == NULL && (err = open_append(h)) != OF_HISTORY_OK)
            return err;
    } else {
        if ((err = cut_tail(h)) != OF_HISTORY_OK)
            return err;
        if (h->fs.sync(h->fs.ctx, h->file) != OF_FS_OK)
            return OF_HISTORY_E_SYNC;
    }
    rep->torn_cut = 1;
    return OF_HISTORY_OK;
}

/* Takes the loaded records over, and tells the caller what the load found. */
static void take_load(of_history *h, of_histload *l, of_history_report *rep)
{
    h->recs = l->recs;
    h->count = l->count;
    h->cap = l->cap;
    h->renum = l->renum;
    h->renum_count = l->renum_count;
    h->renum_cap = l->renum_cap;
    l->recs = NULL;
    l->renum = NULL;
    h->next_seq = l->next_seq;
    h->file_minor = l->minor;
    rep->issue = l->issue;
    rep->bad_regions = l->bad_regions;
    rep->dropped_bytes = l->dropped_bytes;
    rep->renumbered = l->renumbered;
    rep->cut_seq = l->cut_seq;
    rep->crc_bytes = l->crc_bytes;
    rep->file_major = l->major;
    rep->file_minor = l->minor;
}

/* A file in an older minor is rewritten whole as this version's (history.h:
 * MINOR VERSIONS ON OPEN), so that its header announces the fields the
 * frames appended from now on carry. */
static of_history_err migrate(of_history *h)
{
    if (h->file_minor >= OF_HISTORY_FORMAT_MINOR)
        return OF_HISTORY_OK;
    retention all = {.cutoff = INT64_MIN};
    of_history_err err = rewrite(h, all, NULL);
    if (err == OF_HISTORY_OK && h->file == NULL)
        err = open_append(h);
    return err;
}

/* After the file was checked (and repaired): an older minor's file is
 * migrated. If that fails, the file stays as it was and open still
 * succeeds; appending a Sync now record tries again. */
static void migrate_after_open(of_history *h, of_history_report *rep)
{
    if (h->file_minor < OF_HISTORY_FORMAT_MINOR && migrate(h) == OF_HISTORY_OK)
        rep->migrated = 1;
}

/* Opens for writing first: the handle keeps a second writer out while the
 * file is checked and repaired. */
static of_history_err open_writer(of_history *h, int64_t now_ms, of_history_report *rep)
{
    of_fs_err fe = h->fs.open_write(h->fs.ctx, h->path, OF_FS_APPEND, &h->file);
    if (fe == OF_FS_ERR_NOT_FOUND) {
        h->file = NULL;
        rep->no_file = 1;
        return create_new(h);
    }
    if (fe != OF_FS_OK) {
        h->file = NULL;
        return map_open_err(fe);
    }

    of_histload l;
    of_history_err err = of_histload_run(&l, &h->fs, h->path);
    if (err == OF_HISTORY_OK && l.missing)
        err = OF_HISTORY_E_OPEN; /* vanished while we hold it open */
    if (err != OF_HISTORY_OK) {
        of_histload_free(&l);
        return err;
    }
    take_load(h, &l, rep);

    switch (l.issue) {
    case OF_HISTORY_ISSUE_NONE:
        h->file_size = l.good_end;
        migrate_after_open(h, rep);
        return OF_HISTORY_OK;
    case OF_HISTORY_ISSUE_TORN_TAIL:
        if ((err = cut_torn_tail(h, &l, now_ms, rep)) == OF_HISTORY_OK)
            migrate_after_open(h, rep);
        return err;
    case OF_HISTORY_ISSUE_NEWER_VERSION:
        return OF_HISTORY_E_NEWER_VERSION;
    default:
        return quarantine(h, now_ms, rep);
    }
}

static of_history_err open_reader(of_history *h, of_history_report *rep)
{
    of_histload l;
    of_history_err err = of_histload_run(&l, &h->fs, h->path);
    if (err != OF_HISTORY_OK)
        return err;
    rep->no_file = l.missing;
    take_load(h, &l, rep);
    return l.issue == OF_HISTORY_ISSUE_NEWER_VERSION ? OF_HISTORY_E_NEWER_VERSION : OF_HISTORY_OK;
}

static void destroy(of_history *h)
{
    free(h->recs);
    free(h->renum);
    free(h->path);
    free(h->tmp_path);
    free(h);
}

of_history_err of_history_open(of_history **out, const of_fs *fs, const char *path,
                               unsigned flags, int64_t now_ms, of_history_report *report)
{
    of_history_report scratch;
    of_history_report *rep = report != NULL ? report : &scratch;
    memset(rep, 0, sizeof *rep);
    if (out != NULL)
        *out = NULL;
    if (out == NULL || fs == NULL || path == NULL || path[0] == '\0' || (flags & ~OF_HISTORY_READONLY)
        || !fs->open_read || !fs->read || !fs->open_write || !fs->write || !fs->sync
        || !fs->truncate || !fs->close || !fs->replace || !fs->rename_aside || !fs->remove)
        return OF_HISTORY_E_INVALID;

    of_history *h = calloc(1, sizeof *h);
    if (h == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    h->fs = *fs;
    h->readonly = (flags & OF_HISTORY_READONLY) != 0;
    h->next_seq = 1;
    h->path = storefile_concat(path, "");
    h->tmp_path = storefile_concat(path, ".tmp");
    if (h->path == NULL || h->tmp_path == NULL) {
        destroy(h);
        return OF_HISTORY_E_NO_MEMORY;
    }

    of_history_err err = h->readonly ? open_reader(h, rep) : open_writer(h, now_ms, rep);
    if (err != OF_HISTORY_OK) {
        close_append(h);
        rep->records = 0;
        destroy(h);
        return err;
    }
    rep->records = h->count;
    *out = h;
    return OF_HISTORY_OK;
}

/* ---- operations ------------------------------------------------------------ */

/* What every changing operation checks first. */
static of_history_err writable(const of_history *h)
{
    if (h == NULL)
        return OF_HISTORY_E_INVALID;
    return h->readonly ? OF_HISTORY_E_READONLY : OF_HISTORY_OK;
}

of_history_err of_history_append(of_history *h, of_record *rec)
{
    if (rec == NULL || rec->status >= OF_STATUS_COUNT || rec->reason >= OF_REASON_COUNT
        || rec->origin >= OF_ORIGIN_COUNT)
        return OF_HISTORY_E_INVALID;
    of_history_err err = writable(h);
    if (err != OF_HISTORY_OK)
        return err;
    if (h->next_seq == UINT64_MAX)
        return OF_HISTORY_E_SEQ_LIMIT;
    /* Room in memory first: once the frame is on disk, nothing may fail. */
    err = reserve(h, h->count + 1);
    if (err != OF_HISTORY_OK)
        return err;
    if (h->file == NULL)
        err = open_append(h);
    else if (h->tail_dirty)
        err = cut_tail(h);
    /* Only a background frame is valid under an older minor's header. */
    if (err == OF_HISTORY_OK && rec->origin != OF_ORIGIN_BACKGROUND)
        err = migrate(h);
    if (err != OF_HISTORY_OK)
        return err;

    of_record r = *rec;
    r.seq = h->next_seq;
    unsigned char frame[OF_HISTFRAME_WRITE_MAX];
    size_t frame_len = of_histframe_encode(frame, &r, 0);

    size_t written = 0;
    of_fs_err fe = h->fs.write(h->fs.ctx, h->file, frame, frame_len, &written);
    if (fe != OF_FS_OK || written != frame_len) {
        err = fe != OF_FS_OK ? map_write_err(fe) : OF_HISTORY_E_WRITE;
        (void)cut_tail(h);
        return err;
    }
    if (h->fs.sync(h->fs.ctx, h->file) != OF_FS_OK) {
        /* Not known to be durable: take it back so memory never claims it. */
        (void)cut_tail(h);
        return OF_HISTORY_E_SYNC;
    }
    h->recs[h->count++] = r;
    h->file_size += frame_len;
    h->next_seq++;
    rec->seq = r.seq;
    return OF_HISTORY_OK;
}

size_t of_history_count(const of_history *h)
{
    return h != NULL ? h->count : 0;
}

const of_record *of_history_get(const of_history *h, size_t index)
{
    return h != NULL && index < h->count ? &h->recs[index] : NULL;
}

int of_history_original_seq(const of_history *h, size_t index, uint64_t *orig_seq)
{
    if (h == NULL || index >= h->count)
        return 0;
    uint64_t seq = h->recs[index].seq;
    size_t lo = 0, hi = h->renum_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->renum[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == h->renum_count || h->renum[lo].seq != seq)
        return 0;
    if (orig_seq != NULL)
        *orig_seq = h->renum[lo].orig_seq;
    return 1;
}

uint64_t of_history_next_seq(const of_history *h)
{
    return h != NULL ? h->next_seq : 0;
}

of_history_err of_history_compact(of_history *h, uint64_t max_count, uint32_t max_age_days,
                                  int64_t now_ms, uint64_t *removed)
{
    if (removed != NULL)
        *removed = 0;
    of_history_err err = writable(h);
    if (err != OF_HISTORY_OK)
        return err;

    retention rt = {.cutoff = INT64_MIN};
    if (max_age_days > 0) {
        int64_t span = (int64_t)max_age_days * MS_PER_DAY; /* < 2^32 * 2^27: fits */
        rt.cutoff = now_ms < INT64_MIN + span ? INT64_MIN : now_ms - span;
    }
    size_t young = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (h->recs[i].completed_ms >= rt.cutoff)
            young++;
    }
    if (max_count > 0 && (uint64_t)young > max_count)
        rt.drop_first = young - (size_t)max_count;
    if (young == h->count && rt.drop_first == 0)
        return OF_HISTORY_OK;
    return rewrite(h, rt, removed);
}

of_history_err of_history_clear(of_history *h)
{
    of_history_err err = writable(h);
    if (err != OF_HISTORY_OK)
        return err;
    if (h->count == 0)
        return OF_HISTORY_OK;
    retention none = {.cutoff = INT64_MIN, .drop_first = h->count};
    return rewrite(h, none, NULL);
}

of_history_err of_history_renumber(of_history *h)
{
    of_history_err err = writable(h);
    if (err != OF_HISTORY_OK)
        return err;
    size_t n = h->count;
    /* The new numbering is built aside, so that a failure changes nothing. */
    of_record *recs = malloc((n ? n : 1) * sizeof *recs);
    of_histrenum *renum = malloc((n ? n : 1) * sizeof *renum);
    if (recs == NULL || renum == NULL) {
        free(recs);
        free(renum);
        return OF_HISTORY_E_NO_MEMORY;
    }
    size_t renumbered = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        uint64_t orig_seq = renum_walk(h, &k, h->recs[i].seq);
        recs[i] = h->recs[i];
        recs[i].seq = (uint64_t)i + 1;
        if (orig_seq == 0 && h->recs[i].seq != recs[i].seq)
            orig_seq = h->recs[i].seq;
        if (orig_seq != 0)
            renum[renumbered++] = (of_histrenum){recs[i].seq, orig_seq};
    }
    of_record *old_recs = h->recs;
    of_histrenum *old_renum = h->renum;
    size_t old_renum_count = h->renum_count, old_cap = h->cap, old_renum_cap = h->renum_cap;
    uint64_t old_next = h->next_seq;
    h->recs = recs;
    h->cap = n ? n : 1;
    h->renum = renum;
    h->renum_count = renumbered;
    h->renum_cap = n ? n : 1;
    h->next_seq = (uint64_t)n + 1;
    retention all = {.cutoff = INT64_MIN};
    err = rewrite(h, all, NULL);
    if (err != OF_HISTORY_OK) {
        h->recs = old_recs;
        h->cap = old_cap;
        h->renum = old_renum;
        h->renum_count = old_renum_count;
        h->renum_cap = old_renum_cap;
        h->next_seq = old_next;
        old_recs = recs;
        old_renum = renum;
    }
    free(old_recs);
    free(old_renum);
    return err;
}

of_history_err of_history_close(of_history *h)
{
    if (h == NULL)
        return OF_HISTORY_OK;
    of_history_err err = OF_HISTORY_OK;
    if (h->file != NULL && h->fs.close(h->fs.ctx, h->file) != OF_FS_OK)
        err = OF_HISTORY_E_CLOSE;
    h->file = NULL;
    destroy(h);
    return err;
}
