/* ofnotify: the open sync conflicts and their log file. Format and
 * guarantees: conflicts.h. */
#include "ofnotify/conflicts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "crcspan.h"
#include "storefile.h"

#define MAGIC "OFNCONF" /* 7 characters + the NUL = the 8 magic bytes */
#define MAGIC_LEN 8u
#define FIXED_PAYLOAD 23u
#define FRAME_MAX OF_CONFLICT_FRAME_SIZE(OF_CONFLICT_PATH_MAX)
/* Compaction once the log holds this many frames and four times the set. */
#define COMPACT_MIN_FRAMES 64u

enum { OP_PUT = 1, OP_REMOVE = 2 };

typedef struct entry {
    char *path;
    int64_t time_ms;
    uint32_t state;
} entry;

struct of_conflicts {
    of_fs fs;
    char *path;
    char *tmp_path;
    of_fs_file *file;   /* append handle; NULL until an append needs it */
    int on_disk;        /* the file exists with a good header */
    uint64_t file_size; /* end of the last good frame */
    int tail_dirty;     /* a failed append may have left bytes after file_size */
    uint64_t last_seq;
    uint64_t frames;
    entry *set; /* in the order first logged */
    of_conflict *view;
    size_t count, cap;
};

/* One decoded frame; path points into the buffer it came from. */
typedef struct op {
    uint64_t seq;
    unsigned kind;
    uint32_t state;
    int64_t time_ms;
    const char *path;
    size_t path_len;
} op;

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

static void encode_header(unsigned char out[OF_CONFLICTS_HEADER_SIZE])
{
    memcpy(out, MAGIC, MAGIC_LEN);
    put_le(out + 8, OF_CONFLICTS_FORMAT_MAJOR, 2);
    put_le(out + 10, OF_CONFLICTS_FORMAT_MINOR, 2);
    put_le(out + 12, OF_CONFLICTS_HEADER_SIZE, 4);
    put_le(out + 16, of_crc32(out, 16), 4);
}

typedef enum header_kind { HEADER_BAD, HEADER_OK, HEADER_NEWER } header_kind;

static header_kind check_header(const unsigned char *p, size_t avail, size_t *len)
{
    if (avail < OF_CONFLICTS_HEADER_SIZE || memcmp(p, MAGIC, MAGIC_LEN) != 0)
        return HEADER_BAD;
    uint64_t hlen = get_le(p + 12, 4);
    if (hlen < OF_CONFLICTS_HEADER_SIZE || hlen > OF_HISTORY_MAX_HEADER || hlen > avail
        || of_crc32(p, (size_t)hlen - 4) != (uint32_t)get_le(p + hlen - 4, 4))
        return HEADER_BAD;
    if (get_le(p + 8, 2) > OF_CONFLICTS_FORMAT_MAJOR)
        return HEADER_NEWER;
    *len = (size_t)hlen;
    return HEADER_OK;
}

static size_t encode_frame(unsigned char *out, uint64_t seq, unsigned kind, const char *path, int64_t time_ms,
                           uint32_t state)
{
    size_t pl = strlen(path);
    put_le(out, FIXED_PAYLOAD + pl, 4);
    put_le(out + 4, seq, 8);
    out[12] = (unsigned char)kind;
    put_le(out + 13, state, 4);
    put_le(out + 17, (uint64_t)time_ms, 8);
    put_le(out + 25, pl, 2);
    memcpy(out + 27, path, pl);
    put_le(out + 27 + pl, of_crc32(out, 27 + pl), 4);
    return OF_CONFLICT_FRAME_SIZE(pl);
}

/* The size of a frame at p that verifies and holds an operation this
 * version knows, else 0. span (may be NULL) computes CRCs of stretches of
 * buf, which p lies in, in constant time for the salvage scan. */
static size_t good_frame(const unsigned char *buf, size_t at, size_t len, of_crcspan *span, op *o)
{
    const unsigned char *p = buf + at;
    size_t avail = len - at;
    if (avail < OF_CONFLICT_FRAME_SIZE(1))
        return 0;
    uint64_t pay = get_le(p, 4);
    if (pay < FIXED_PAYLOAD + 1 || pay > FIXED_PAYLOAD + OF_CONFLICT_PATH_MAX || pay + 8 > avail)
        return 0;
    size_t frame = (size_t)pay + 8;
    uint32_t crc = span != NULL ? of_crcspan_crc(span, buf, 0, at, at + frame - 4) : of_crc32(p, frame - 4);
    if (crc != (uint32_t)get_le(p + frame - 4, 4))
        return 0;
    size_t pl = (size_t)get_le(p + 25, 2);
    if (pl == 0 || pl > OF_CONFLICT_PATH_MAX || FIXED_PAYLOAD + pl > pay || memchr(p + 27, 0, pl) != NULL)
        return 0;
    o->seq = get_le(p + 4, 8);
    o->kind = p[12];
    o->state = (uint32_t)get_le(p + 13, 4);
    o->time_ms = (int64_t)get_le(p + 17, 8);
    o->path = (const char *)(p + 27);
    o->path_len = pl;
    return o->kind == OP_PUT || o->kind == OP_REMOVE ? frame : 0;
}

/* ---- the set in memory ------------------------------------------------------ */

static int same_path(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static size_t find(const of_conflicts *c, const char *path, size_t len)
{
    for (size_t i = 0; i < c->count; i++) {
        if (same_path(path, len, c->set[i].path))
            return i;
    }
    return SIZE_MAX;
}

static of_history_err reserve(of_conflicts *c, size_t need)
{
    if (need <= c->cap)
        return OF_HISTORY_OK;
    size_t cap = c->cap ? c->cap * 2 : 16;
    if (cap < need)
        cap = need;
    entry *n = realloc(c->set, cap * sizeof(entry));
    if (n == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    c->set = n;
    of_conflict *v = realloc(c->view, cap * sizeof(of_conflict));
    if (v == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    c->view = v;
    c->cap = cap;
    return OF_HISTORY_OK;
}

static void set_view(of_conflicts *c, size_t i)
{
    c->view[i] = (of_conflict){c->set[i].path, c->set[i].time_ms, c->set[i].state};
}

static void drop(of_conflicts *c, size_t i)
{
    free(c->set[i].path);
    memmove(c->set + i, c->set + i + 1, (c->count - i - 1) * sizeof(entry));
    c->count--;
    for (size_t k = i; k < c->count; k++)
        set_view(c, k);
}

/* Applies a verified operation while loading. */
static of_history_err apply(of_conflicts *c, const op *o)
{
    size_t i = find(c, o->path, o->path_len);
    if (o->kind == OP_REMOVE) {
        if (i != SIZE_MAX)
            drop(c, i);
        return OF_HISTORY_OK;
    }
    if (i != SIZE_MAX) {
        c->set[i].time_ms = o->time_ms;
        c->set[i].state = o->state;
        set_view(c, i);
        return OF_HISTORY_OK;
    }
    if (c->count >= OF_CONFLICTS_MAX)
        return OF_HISTORY_OK; /* a file beyond the bound: the newest are not kept */
    of_history_err err = reserve(c, c->count + 1);
    if (err != OF_HISTORY_OK)
        return err;
    char *s = malloc(o->path_len + 1);
    if (s == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    memcpy(s, o->path, o->path_len);
    s[o->path_len] = '\0';
    c->set[c->count] = (entry){s, o->time_ms, o->state};
    set_view(c, c->count);
    c->count++;
    return OF_HISTORY_OK;
}

/* ---- errors and file helpers ---------------------------------------------- */

static void close_file(of_conflicts *c)
{
    if (c->file != NULL) {
        /* Every frame behind this handle was synced. */
        (void)c->fs.close(c->fs.ctx, c->file);
        c->file = NULL;
    }
}

static of_history_err cut_tail(of_conflicts *c)
{
    if (c->fs.truncate(c->fs.ctx, c->file, c->file_size) != OF_FS_OK) {
        c->tail_dirty = 1;
        return OF_HISTORY_E_TRUNCATE;
    }
    c->tail_dirty = 0;
    return OF_HISTORY_OK;
}

static of_history_err open_append(of_conflicts *c)
{
    of_fs_err fe = c->fs.open_write(c->fs.ctx, c->path, OF_FS_APPEND, &c->file);
    if (fe != OF_FS_OK) {
        c->file = NULL;
        if (fe == OF_FS_ERR_NOT_FOUND)
            c->on_disk = 0; /* removed behind our back: written again from memory */
        return storefile_fs_err(fe, OF_HISTORY_E_OPEN);
    }
    if (c->tail_dirty) {
        of_history_err err = cut_tail(c);
        if (err != OF_HISTORY_OK) {
            close_file(c);
            return err;
        }
    }
    return OF_HISTORY_OK;
}

/* The header and one put per open conflict, numbered 1..count. */
static of_history_err encode_all(of_conflicts *c, unsigned char **out, size_t *out_len)
{
    size_t len = OF_CONFLICTS_HEADER_SIZE;
    for (size_t i = 0; i < c->count; i++)
        len += OF_CONFLICT_FRAME_SIZE(strlen(c->set[i].path));
    unsigned char *buf = malloc(len);
    if (buf == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    encode_header(buf);
    size_t at = OF_CONFLICTS_HEADER_SIZE;
    for (size_t i = 0; i < c->count; i++)
        at += encode_frame(buf + at, i + 1, OP_PUT, c->set[i].path, c->set[i].time_ms, c->set[i].state);
    *out = buf;
    *out_len = len;
    return OF_HISTORY_OK;
}

/* The set as memory holds it, through the temporary file, in the log's
 * place. On failure the log on disk is what it was. */
static of_history_err write_whole(of_conflicts *c)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    of_history_err err = encode_all(c, &buf, &len);
    if (err != OF_HISTORY_OK)
        return err;
    err = storefile_write_tmp(&c->fs, c->tmp_path, buf, len);
    free(buf);
    if (err != OF_HISTORY_OK)
        return err;
    close_file(c);
    if (c->fs.replace(c->fs.ctx, c->tmp_path, c->path) != OF_FS_OK) {
        (void)c->fs.remove(c->fs.ctx, c->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    c->on_disk = 1;
    c->file_size = len;
    c->tail_dirty = 0;
    c->last_seq = c->count;
    c->frames = c->count;
    return OF_HISTORY_OK;
}

/* ---- loading ---------------------------------------------------------------- */

static of_history_err cut_torn_tail(of_conflicts *c, const unsigned char *tail, size_t tail_len, int64_t now_ms,
                                    of_conflicts_report *rep)
{
    of_history_err err = storefile_write_tmp(&c->fs, c->tmp_path, tail, tail_len);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&c->fs, c->path, c->tmp_path, ".cut", now_ms, rep->cut_to)) != OF_HISTORY_OK) {
        (void)c->fs.remove(c->fs.ctx, c->tmp_path);
        return err;
    }
    rep->cut_kept = 1;
    if ((err = open_append(c)) != OF_HISTORY_OK)
        return err;
    if ((err = cut_tail(c)) != OF_HISTORY_OK)
        return err;
    return c->fs.sync(c->fs.ctx, c->file) == OF_FS_OK ? OF_HISTORY_OK : OF_HISTORY_E_SYNC;
}

/* The damaged file goes aside whole; a new one holding the set salvaged
 * into memory takes its place. The new file is complete before the old one
 * moves; if the replace fails, the old one is put back. */
static of_history_err quarantine(of_conflicts *c, int64_t now_ms, of_conflicts_report *rep)
{
    char moved[OF_HISTORY_REPORT_PATH_CAP];
    of_history_err err = OF_HISTORY_OK;
    if (c->count == 0) {
        err = storefile_set_aside(&c->fs, c->path, c->path, ".corrupt", now_ms, moved);
        if (err == OF_HISTORY_OK) {
            rep->moved_aside = 1;
            snprintf(rep->moved_to, sizeof(rep->moved_to), "%s", moved);
            c->on_disk = 0;
        }
        return err;
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    if ((err = encode_all(c, &buf, &len)) != OF_HISTORY_OK)
        return err;
    err = storefile_write_tmp(&c->fs, c->tmp_path, buf, len);
    free(buf);
    if (err != OF_HISTORY_OK)
        return err;
    if ((err = storefile_set_aside(&c->fs, c->path, c->path, ".corrupt", now_ms, moved)) != OF_HISTORY_OK) {
        (void)c->fs.remove(c->fs.ctx, c->tmp_path);
        return err;
    }
    if (c->fs.replace(c->fs.ctx, c->tmp_path, c->path) != OF_FS_OK) {
        if (c->fs.rename_aside(c->fs.ctx, moved, c->path) != OF_FS_OK) {
            rep->moved_aside = 1;
            snprintf(rep->moved_to, sizeof(rep->moved_to), "%s", moved);
        }
        (void)c->fs.remove(c->fs.ctx, c->tmp_path);
        return OF_HISTORY_E_RENAME;
    }
    rep->moved_aside = 1;
    snprintf(rep->moved_to, sizeof(rep->moved_to), "%s", moved);
    c->on_disk = 1;
    c->file_size = len;
    c->last_seq = c->count;
    c->frames = c->count;
    return OF_HISTORY_OK;
}

/* Replays every frame that verifies from from on, in file order. */
static of_history_err salvage(of_conflicts *c, const unsigned char *buf, size_t len, size_t from,
                              uint64_t *taken)
{
    of_crcspan *span = of_crcspan_new(len, FRAME_MAX);
    if (span == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    of_history_err err = OF_HISTORY_OK;
    size_t at = from;
    while (at < len && err == OF_HISTORY_OK) {
        op o;
        size_t fl = good_frame(buf, at, len, span, &o);
        if (fl == 0) {
            at++;
            continue;
        }
        err = apply(c, &o);
        *taken += fl;
        at += fl;
    }
    of_crcspan_free(span);
    return err;
}

/* Any frame that verifies at or after from? */
static int frame_after(const unsigned char *buf, size_t len, size_t from)
{
    for (size_t at = from; at < len; at++) {
        op o;
        if (good_frame(buf, at, len, NULL, &o) != 0)
            return 1;
    }
    return 0;
}

static of_history_err load(of_conflicts *c, int64_t now_ms, of_conflicts_report *rep)
{
    unsigned char *buf = NULL;
    size_t len = 0, at = 0;
    of_fs_err fe = storefile_read_all(&c->fs, c->path, &buf, &len);
    if (fe == OF_FS_ERR_NOT_FOUND) {
        rep->no_file = 1;
        return OF_HISTORY_OK;
    }
    if (fe != OF_FS_OK)
        return storefile_fs_err(fe, OF_HISTORY_E_READ);

    of_history_err err = OF_HISTORY_OK;
    header_kind hk = check_header(buf, len, &at);
    c->on_disk = 1;
    if (hk == HEADER_NEWER) {
        err = OF_HISTORY_E_NEWER_VERSION;
        goto done;
    }
    if (hk == HEADER_BAD) {
        size_t from = len >= MAGIC_LEN && memcmp(buf, MAGIC, MAGIC_LEN) == 0 ? MAGIC_LEN : len;
        uint64_t taken = 0;
        if ((err = salvage(c, buf, len, from, &taken)) == OF_HISTORY_OK) {
            rep->dropped_bytes = len - taken;
            err = quarantine(c, now_ms, rep);
        }
        goto done;
    }
    while (at < len) {
        op o;
        size_t fl = good_frame(buf, at, len, NULL, &o);
        if (fl == 0 || o.seq <= c->last_seq)
            break;
        if ((err = apply(c, &o)) != OF_HISTORY_OK)
            goto done;
        c->last_seq = o.seq;
        c->frames++;
        at += fl;
    }
    c->file_size = at;
    if (at == len)
        goto done;
    rep->dropped_bytes = len - at;
    uint64_t taken = 0;
    if (len - at <= FRAME_MAX && !frame_after(buf, len, at + 1))
        err = cut_torn_tail(c, buf + at, len - at, now_ms, rep);
    else if ((err = salvage(c, buf, len, at, &taken)) == OF_HISTORY_OK) {
        rep->dropped_bytes -= taken;
        err = quarantine(c, now_ms, rep);
    }
done:
    free(buf);
    rep->frames = c->frames;
    return err;
}

/* ---- the interface ------------------------------------------------------------ */

static void destroy(of_conflicts *c)
{
    if (c == NULL)
        return;
    close_file(c);
    for (size_t i = 0; i < c->count; i++)
        free(c->set[i].path);
    free(c->set);
    free(c->view);
    free(c->path);
    free(c->tmp_path);
    free(c);
}

of_history_err of_conflicts_open(of_conflicts **out, const of_fs *fs, const char *path, int64_t now_ms,
                                 of_conflicts_report *report)
{
    of_conflicts_report local;
    of_conflicts_report *rep = report != NULL ? report : &local;
    memset(rep, 0, sizeof(*rep));
    if (out == NULL)
        return OF_HISTORY_E_INVALID;
    *out = NULL;
    if (fs == NULL || path == NULL)
        return OF_HISTORY_E_INVALID;
    of_conflicts *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    c->fs = *fs;
    c->path = storefile_concat(path, "");
    c->tmp_path = storefile_concat(path, ".tmp");
    of_history_err err = c->path && c->tmp_path ? load(c, now_ms, rep) : OF_HISTORY_E_NO_MEMORY;
    if (err != OF_HISTORY_OK) {
        destroy(c);
        return err;
    }
    *out = c;
    return OF_HISTORY_OK;
}

/* Folds the log into the set once it has grown well past it. A failure
 * leaves the log as it was, which holds the same set. */
static void maybe_compact(of_conflicts *c)
{
    if (c->frames >= COMPACT_MIN_FRAMES && c->frames / 4 >= c->count)
        (void)write_whole(c);
}

/* Appends one frame durably; on failure the file ends where it did. */
static of_history_err append(of_conflicts *c, unsigned kind, const char *path, int64_t time_ms, uint32_t state)
{
    of_history_err err = OF_HISTORY_OK;
    if (!c->on_disk)
        err = write_whole(c);
    if (err == OF_HISTORY_OK && c->file == NULL)
        err = open_append(c);
    else if (err == OF_HISTORY_OK && c->tail_dirty)
        err = cut_tail(c);
    if (err != OF_HISTORY_OK)
        return err;
    unsigned char frame[FRAME_MAX];
    size_t fl = encode_frame(frame, c->last_seq + 1, kind, path, time_ms, state);
    if ((err = storefile_write_all(&c->fs, c->file, frame, fl)) != OF_HISTORY_OK) {
        (void)cut_tail(c);
        return err;
    }
    if (c->fs.sync(c->fs.ctx, c->file) != OF_FS_OK) {
        (void)cut_tail(c);
        return OF_HISTORY_E_SYNC;
    }
    c->last_seq++;
    c->frames++;
    c->file_size += fl;
    return OF_HISTORY_OK;
}

of_history_err of_conflicts_put(of_conflicts *c, const char *path, int64_t time_ms, uint32_t state, int *added)
{
    if (added != NULL)
        *added = 0;
    if (c == NULL || path == NULL || path[0] == '\0' || strlen(path) > OF_CONFLICT_PATH_MAX)
        return OF_HISTORY_E_INVALID;
    size_t len = strlen(path);
    size_t i = find(c, path, len);
    char *copy = NULL;
    if (i == SIZE_MAX) {
        /* Room in memory first: once the frame is on disk, nothing may fail. */
        if (c->count >= OF_CONFLICTS_MAX)
            return OF_HISTORY_E_INVALID;
        of_history_err err = reserve(c, c->count + 1);
        if (err != OF_HISTORY_OK)
            return err;
        if ((copy = storefile_concat(path, "")) == NULL)
            return OF_HISTORY_E_NO_MEMORY;
    }
    of_history_err err = append(c, OP_PUT, path, time_ms, state);
    if (err != OF_HISTORY_OK) {
        free(copy);
        return err;
    }
    if (i == SIZE_MAX) {
        i = c->count++;
        c->set[i].path = copy;
        if (added != NULL)
            *added = 1;
    }
    c->set[i].time_ms = time_ms;
    c->set[i].state = state;
    set_view(c, i);
    maybe_compact(c);
    return OF_HISTORY_OK;
}

of_history_err of_conflicts_remove(of_conflicts *c, const char *path, int *removed)
{
    if (removed != NULL)
        *removed = 0;
    if (c == NULL || path == NULL)
        return OF_HISTORY_E_INVALID;
    size_t i = find(c, path, strlen(path));
    if (i == SIZE_MAX)
        return OF_HISTORY_OK;
    of_history_err err = append(c, OP_REMOVE, c->set[i].path, c->set[i].time_ms, c->set[i].state);
    if (err != OF_HISTORY_OK)
        return err;
    drop(c, i);
    if (removed != NULL)
        *removed = 1;
    maybe_compact(c);
    return OF_HISTORY_OK;
}

size_t of_conflicts_count(const of_conflicts *c)
{
    return c != NULL ? c->count : 0;
}

const of_conflict *of_conflicts_get(const of_conflicts *c, size_t index)
{
    return c != NULL && index < c->count ? &c->view[index] : NULL;
}

uint64_t of_conflicts_log_frames(const of_conflicts *c)
{
    return c != NULL ? c->frames : 0;
}

void of_conflicts_close(of_conflicts *c)
{
    destroy(c);
}
