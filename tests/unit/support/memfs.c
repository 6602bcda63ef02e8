/* Test support: in-memory of_fs with faults. See memfs.h. */
#include "support/memfs.h"

#include <stdlib.h>
#include <string.h>

typedef struct node {
    char *path;
    unsigned char *data;
    size_t len;
    size_t cap;
    int readers;
    int writers;
} node;

struct of_fs_file {
    memfs *m;
    node *n;
    int writable;
    size_t rpos;
    struct of_fs_file *prev;
    struct of_fs_file *next;
};

typedef struct fault {
    unsigned long at; /* call number that fails; 0 = none */
    of_fs_err err;
} fault;

struct memfs {
    of_fs fs;
    node **files;
    size_t nfiles;
    size_t cap;
    of_fs_file *handles; /* all open handles, to free leftovers */
    size_t nhandles;
    unsigned long calls[MEMFS_OP_COUNT];
    fault faults[MEMFS_OP_COUNT];
    unsigned long short_at;
    size_t short_by;
    int full_on;
    size_t full_left;
    int crash_on;
    size_t crash_left;
    int crashed;
    size_t read_chunk;
};

static char *dup_string(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d != NULL)
        memcpy(d, s, len);
    return d;
}

static node *find(const memfs *m, const char *path, size_t *index)
{
    for (size_t i = 0; i < m->nfiles; i++) {
        if (strcmp(m->files[i]->path, path) == 0) {
            if (index != NULL)
                *index = i;
            return m->files[i];
        }
    }
    return NULL;
}

static void free_node(node *n)
{
    free(n->path);
    free(n->data);
    free(n);
}

static node *add_node(memfs *m, const char *path)
{
    if (m->nfiles == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 8;
        node **nf = realloc(m->files, ncap * sizeof *nf);
        if (nf == NULL)
            return NULL;
        m->files = nf;
        m->cap = ncap;
    }
    node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return NULL;
    n->path = dup_string(path);
    if (n->path == NULL) {
        free(n);
        return NULL;
    }
    m->files[m->nfiles++] = n;
    return n;
}

static void drop_node(memfs *m, size_t index)
{
    free_node(m->files[index]);
    m->files[index] = m->files[--m->nfiles];
}

static int ensure_cap(node *n, size_t need)
{
    if (need <= n->cap)
        return 0;
    size_t ncap = n->cap ? n->cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    unsigned char *d = realloc(n->data, ncap);
    if (d == NULL)
        return -1;
    n->data = d;
    n->cap = ncap;
    return 0;
}

/* Counts the call and tells whether it must fail (and with what). */
static of_fs_err enter(memfs *m, memfs_op op)
{
    m->calls[op]++;
    if (m->crashed)
        return OF_FS_ERR_IO;
    if (m->faults[op].at != 0 && m->calls[op] == m->faults[op].at) {
        m->faults[op].at = 0;
        return m->faults[op].err;
    }
    return OF_FS_OK;
}

static of_fs_file *new_handle(memfs *m, node *n, int writable)
{
    of_fs_file *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->m = m;
    f->n = n;
    f->writable = writable;
    f->next = m->handles;
    if (m->handles != NULL)
        m->handles->prev = f;
    m->handles = f;
    m->nhandles++;
    if (writable)
        n->writers++;
    else
        n->readers++;
    return f;
}

static void free_handle(memfs *m, of_fs_file *f)
{
    if (f->prev != NULL)
        f->prev->next = f->next;
    else
        m->handles = f->next;
    if (f->next != NULL)
        f->next->prev = f->prev;
    if (f->writable)
        f->n->writers--;
    else
        f->n->readers--;
    m->nhandles--;
    free(f);
}

static int in_use(const node *n)
{
    return n->readers > 0 || n->writers > 0;
}

/* ---- the of_fs functions --------------------------------------------------- */

static of_fs_err m_open_read(void *ctx, const char *path, of_fs_file **out)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_OPEN_READ);
    if (e != OF_FS_OK)
        return e;
    node *n = find(m, path, NULL);
    if (n == NULL)
        return OF_FS_ERR_NOT_FOUND;
    *out = new_handle(m, n, 0);
    return *out != NULL ? OF_FS_OK : OF_FS_ERR_NO_MEMORY;
}

static of_fs_err m_read(void *ctx, of_fs_file *f, void *buf, size_t cap, size_t *got)
{
    memfs *m = ctx;
    *got = 0;
    of_fs_err e = enter(m, MEMFS_READ);
    if (e != OF_FS_OK)
        return e;
    if (f->writable)
        return OF_FS_ERR_ACCESS;
    size_t left = f->rpos < f->n->len ? f->n->len - f->rpos : 0;
    size_t n = cap < left ? cap : left;
    if (m->read_chunk != 0 && n > m->read_chunk)
        n = m->read_chunk;
    if (n > 0)
        memcpy(buf, f->n->data + f->rpos, n);
    f->rpos += n;
    *got = n;
    return OF_FS_OK;
}

static of_fs_err m_open_write(void *ctx, const char *path, of_fs_mode mode, of_fs_file **out)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_OPEN_WRITE);
    if (e != OF_FS_OK)
        return e;
    node *n = find(m, path, NULL);
    if (n == NULL) {
        if (mode != OF_FS_CREATE)
            return OF_FS_ERR_NOT_FOUND;
        n = add_node(m, path);
        if (n == NULL)
            return OF_FS_ERR_NO_MEMORY;
    } else if (n->writers > 0) {
        return OF_FS_ERR_ACCESS;
    } else if (mode == OF_FS_CREATE) {
        n->len = 0;
    }
    *out = new_handle(m, n, 1);
    return *out != NULL ? OF_FS_OK : OF_FS_ERR_NO_MEMORY;
}

static of_fs_err m_write(void *ctx, of_fs_file *f, const void *buf, size_t len, size_t *written)
{
    memfs *m = ctx;
    *written = 0;
    of_fs_err e = enter(m, MEMFS_WRITE);
    if (e != OF_FS_OK)
        return e;
    if (!f->writable)
        return OF_FS_ERR_ACCESS;
    size_t n = len;
    if (m->short_at != 0 && m->calls[MEMFS_WRITE] == m->short_at) {
        m->short_at = 0;
        n = len > m->short_by ? len - m->short_by : 0;
    }
    if (m->full_on) {
        if (n > m->full_left) {
            n = m->full_left;
            e = OF_FS_ERR_NO_SPACE;
        }
        m->full_left -= n;
    }
    if (m->crash_on && n >= m->crash_left) {
        n = m->crash_left;
        m->crashed = 1;
        e = OF_FS_ERR_IO;
    } else if (m->crash_on) {
        m->crash_left -= n;
    }
    if (n > 0) {
        if (ensure_cap(f->n, f->n->len + n) != 0)
            return OF_FS_ERR_NO_MEMORY;
        memcpy(f->n->data + f->n->len, buf, n);
        f->n->len += n;
    }
    *written = n;
    return e;
}

static of_fs_err m_sync(void *ctx, of_fs_file *f)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_SYNC);
    if (e != OF_FS_OK)
        return e;
    return f->writable ? OF_FS_OK : OF_FS_ERR_ACCESS;
}

static of_fs_err m_truncate(void *ctx, of_fs_file *f, uint64_t size)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_TRUNCATE);
    if (e != OF_FS_OK)
        return e;
    if (!f->writable)
        return OF_FS_ERR_ACCESS;
    if (size > SIZE_MAX)
        return OF_FS_ERR_NO_SPACE;
    size_t s = (size_t)size;
    if (s > f->n->len) {
        if (ensure_cap(f->n, s) != 0)
            return OF_FS_ERR_NO_MEMORY;
        memset(f->n->data + f->n->len, 0, s - f->n->len);
    }
    f->n->len = s;
    return OF_FS_OK;
}

static of_fs_err m_close(void *ctx, of_fs_file *f)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_CLOSE);
    free_handle(m, f);
    return e;
}

static of_fs_err m_replace(void *ctx, const char *from, const char *to)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_REPLACE);
    if (e != OF_FS_OK)
        return e;
    size_t fi, ti;
    node *src = find(m, from, &fi);
    if (src == NULL)
        return OF_FS_ERR_NOT_FOUND;
    node *dst = find(m, to, &ti);
    if (in_use(src) || (dst != NULL && in_use(dst)))
        return OF_FS_ERR_ACCESS;
    char *name = dup_string(to);
    if (name == NULL)
        return OF_FS_ERR_NO_MEMORY;
    free(src->path);
    src->path = name;
    if (dst != NULL)
        drop_node(m, ti);
    return OF_FS_OK;
}

static of_fs_err m_rename_aside(void *ctx, const char *from, const char *to)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_RENAME_ASIDE);
    if (e != OF_FS_OK)
        return e;
    node *src = find(m, from, NULL);
    if (src == NULL)
        return OF_FS_ERR_NOT_FOUND;
    if (find(m, to, NULL) != NULL)
        return OF_FS_ERR_EXISTS;
    if (in_use(src))
        return OF_FS_ERR_ACCESS;
    char *name = dup_string(to);
    if (name == NULL)
        return OF_FS_ERR_NO_MEMORY;
    free(src->path);
    src->path = name;
    return OF_FS_OK;
}

static of_fs_err m_remove(void *ctx, const char *path)
{
    memfs *m = ctx;
    of_fs_err e = enter(m, MEMFS_REMOVE);
    if (e != OF_FS_OK)
        return e;
    size_t i;
    node *n = find(m, path, &i);
    if (n == NULL)
        return OF_FS_ERR_NOT_FOUND;
    if (in_use(n))
        return OF_FS_ERR_ACCESS;
    drop_node(m, i);
    return OF_FS_OK;
}

/* ---- the test-facing API --------------------------------------------------- */

memfs *memfs_new(void)
{
    memfs *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->fs = (of_fs){
        .ctx = m,
        .open_read = m_open_read,
        .read = m_read,
        .open_write = m_open_write,
        .write = m_write,
        .sync = m_sync,
        .truncate = m_truncate,
        .close = m_close,
        .replace = m_replace,
        .rename_aside = m_rename_aside,
        .remove = m_remove,
    };
    return m;
}

void memfs_free(memfs *m)
{
    if (m == NULL)
        return;
    while (m->handles != NULL)
        free_handle(m, m->handles);
    for (size_t i = 0; i < m->nfiles; i++)
        free_node(m->files[i]);
    free(m->files);
    free(m);
}

const of_fs *memfs_fs(memfs *m)
{
    return &m->fs;
}

memfs *memfs_clone(const memfs *m)
{
    memfs *c = memfs_new();
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < m->nfiles; i++) {
        const node *n = m->files[i];
        if (memfs_put(c, n->path, n->data, n->len) != 0) {
            memfs_free(c);
            return NULL;
        }
    }
    return c;
}

int memfs_put(memfs *m, const char *path, const void *data, size_t len)
{
    node *n = find(m, path, NULL);
    if (n != NULL && in_use(n))
        return -1;
    if (n == NULL && (n = add_node(m, path)) == NULL)
        return -1;
    if (ensure_cap(n, len) != 0)
        return -1;
    if (len > 0)
        memcpy(n->data, data, len);
    n->len = len;
    return 0;
}

const unsigned char *memfs_get(const memfs *m, const char *path, size_t *len)
{
    const node *n = find(m, path, NULL);
    if (n == NULL) {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = n->len;
    /* A non-NULL pointer even for an empty file, so "exists" is visible. */
    return n->data != NULL ? n->data : (const unsigned char *)"";
}

int memfs_exists(const memfs *m, const char *path)
{
    return find(m, path, NULL) != NULL;
}

size_t memfs_file_count(const memfs *m)
{
    return m->nfiles;
}

const char *memfs_file_path(const memfs *m, size_t index)
{
    return index < m->nfiles ? m->files[index]->path : NULL;
}

size_t memfs_open_handles(const memfs *m)
{
    return m->nhandles;
}

void memfs_fail(memfs *m, memfs_op op, unsigned long nth, of_fs_err err)
{
    if ((unsigned)op >= MEMFS_OP_COUNT)
        return;
    m->faults[op].at = nth == 0 ? 0 : m->calls[op] + nth;
    m->faults[op].err = err;
}

void memfs_short_write(memfs *m, unsigned long nth, size_t k)
{
    m->short_at = nth == 0 ? 0 : m->calls[MEMFS_WRITE] + nth;
    m->short_by = k;
}

void memfs_disk_full_after(memfs *m, size_t bytes)
{
    m->full_on = 1;
    m->full_left = bytes;
}

void memfs_crash_after(memfs *m, size_t bytes)
{
    m->crash_on = 1;
    m->crash_left = bytes;
}

int memfs_crashed(const memfs *m)
{
    return m->crashed;
}

void memfs_clear_faults(memfs *m)
{
    memset(m->faults, 0, sizeof m->faults);
    m->short_at = 0;
    m->full_on = 0;
    m->crash_on = 0;
    m->crashed = 0;
    m->read_chunk = 0;
}

void memfs_set_read_chunk(memfs *m, size_t chunk)
{
    m->read_chunk = chunk;
}

unsigned long memfs_calls(const memfs *m, memfs_op op)
{
    return (unsigned)op < MEMFS_OP_COUNT ? m->calls[op] : 0;
}
