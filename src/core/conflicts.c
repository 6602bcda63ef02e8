/* ofnotify: the open sync conflicts and their log file. Format and
 * guarantees: conflicts.h. */
#include "ofnotify/conflicts.h"

#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "framelog.h"
#include "lebytes.h"
#include "storefile.h"

_Static_assert(OF_CONFLICTS_HEADER_SIZE == FRAMELOG_HEADER_SIZE, "the conflicts log's header is a frame log's");

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
    framelog *log;
    entry *set; /* in the order first logged */
    of_conflict *view;
    size_t count, cap;
};

/* One decoded frame; path points into the buffer it came from. */
typedef struct op {
    unsigned kind;
    uint32_t state;
    int64_t time_ms;
    const char *path;
    size_t path_len;
} op;

/* ---- bytes ---------------------------------------------------------------- */

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

/* A frame whose CRC verified, decoded; 0 when it holds no operation this
 * version knows. */
static int decode(const unsigned char *p, size_t len, op *o)
{
    size_t pl = (size_t)get_le(p + 25, 2);
    if (pl == 0 || pl > OF_CONFLICT_PATH_MAX || FIXED_PAYLOAD + pl > len - 8 || memchr(p + 27, 0, pl) != NULL)
        return 0;
    o->kind = p[12];
    o->state = (uint32_t)get_le(p + 13, 4);
    o->time_ms = (int64_t)get_le(p + 17, 8);
    o->path = (const char *)(p + 27);
    o->path_len = pl;
    return o->kind == OP_PUT || o->kind == OP_REMOVE;
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

/* ---- the log's frames ------------------------------------------------------ */

static int frame_known(const unsigned char *frame, size_t len)
{
    op o;
    return decode(frame, len, &o);
}

static of_history_err take_frame(void *owner, const unsigned char *frame, size_t len)
{
    op o;
    (void)decode(frame, len, &o);
    return apply(owner, &o);
}

static size_t rewrite_cap(const void *owner)
{
    const of_conflicts *c = owner;
    size_t len = 0;
    for (size_t i = 0; i < c->count; i++)
        len += OF_CONFLICT_FRAME_SIZE(strlen(c->set[i].path));
    return len;
}

/* One put per open conflict, numbered 1..count. */
static size_t rewrite(void *owner, unsigned char *out, uint64_t *count)
{
    const of_conflicts *c = owner;
    size_t len = 0;
    for (size_t i = 0; i < c->count; i++)
        len += encode_frame(out + len, i + 1, OP_PUT, c->set[i].path, c->set[i].time_ms, c->set[i].state);
    *count = c->count;
    return len;
}

static const framelog_kind CONFLICTS = {
    .magic = "OFNCONF", /* 7 characters + the NUL = the 8 magic bytes */
    .major = OF_CONFLICTS_FORMAT_MAJOR,
    .minor = OF_CONFLICTS_FORMAT_MINOR,
    .payload_min = FIXED_PAYLOAD + 1,
    .payload_max = FIXED_PAYLOAD + OF_CONFLICT_PATH_MAX,
    .known = frame_known,
    .take = take_frame,
    .rewrite_cap = rewrite_cap,
    .rewrite = rewrite,
};

/* ---- the interface ------------------------------------------------------------ */

static void destroy(of_conflicts *c)
{
    if (c == NULL)
        return;
    framelog_free(c->log);
    for (size_t i = 0; i < c->count; i++)
        free(c->set[i].path);
    free(c->set);
    free(c->view);
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
    const framelog_report found = {&rep->no_file,     &rep->cut_kept, rep->cut_to,
                                   &rep->moved_aside, rep->moved_to,  &rep->dropped_bytes};
    of_history_err err = framelog_new(&c->log, fs, path, &CONFLICTS, c);
    if (err == OF_HISTORY_OK)
        err = framelog_load(c->log, now_ms, &found);
    rep->frames = framelog_frames(c->log);
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
    uint64_t frames = framelog_frames(c->log);
    if (frames >= COMPACT_MIN_FRAMES && frames / 4 >= c->count)
        (void)framelog_rewrite(c->log);
}

/* Appends one frame durably; on failure the file ends where it did. */
static of_history_err append(of_conflicts *c, unsigned kind, const char *path, int64_t time_ms, uint32_t state)
{
    uint64_t seq = 0;
    of_history_err err = framelog_ready(c->log, &seq);
    if (err != OF_HISTORY_OK)
        return err;
    unsigned char frame[FRAME_MAX];
    return framelog_append(c->log, frame, encode_frame(frame, seq, kind, path, time_ms, state));
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
    return c != NULL ? framelog_frames(c->log) : 0;
}

void of_conflicts_close(of_conflicts *c)
{
    destroy(c);
}
