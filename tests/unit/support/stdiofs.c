/* Test support: of_fs on C stdio. See stdiofs.h. */
#include "support/stdiofs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct of_fs_file {
    FILE *fp;
    char *path; /* kept for truncate, which reopens the file */
    int writable;
};

static of_fs_err from_errno(int e, of_fs_err fallback)
{
#ifdef ENOENT
    if (e == ENOENT)
        return OF_FS_ERR_NOT_FOUND;
#endif
#ifdef ENOSPC
    if (e == ENOSPC)
        return OF_FS_ERR_NO_SPACE;
#endif
#ifdef EACCES
    if (e == EACCES)
        return OF_FS_ERR_ACCESS;
#endif
#ifdef EEXIST
    if (e == EEXIST)
        return OF_FS_ERR_EXISTS;
#endif
    return fallback;
}

static int file_exists(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return 0;
    fclose(fp);
    return 1;
}

static of_fs_err open_file(const char *path, const char *mode, int writable, of_fs_file **out)
{
    size_t len = strlen(path) + 1;
    of_fs_file *f = calloc(1, sizeof *f);
    char *p = malloc(len);
    if (f == NULL || p == NULL) {
        free(f);
        free(p);
        return OF_FS_ERR_NO_MEMORY;
    }
    memcpy(p, path, len);
    errno = 0;
    f->fp = fopen(path, mode);
    if (f->fp == NULL) {
        of_fs_err e = from_errno(errno, OF_FS_ERR_IO);
        free(f);
        free(p);
        return e;
    }
    f->path = p;
    f->writable = writable;
    *out = f;
    return OF_FS_OK;
}

static of_fs_err s_open_read(void *ctx, const char *path, of_fs_file **out)
{
    (void)ctx;
    of_fs_err e = open_file(path, "rb", 0, out);
    /* Not every C runtime sets errno on fopen; a missing file is the usual cause. */
    if (e == OF_FS_ERR_IO && !file_exists(path))
        e = OF_FS_ERR_NOT_FOUND;
    return e;
}

static of_fs_err s_read(void *ctx, of_fs_file *f, void *buf, size_t cap, size_t *got)
{
    (void)ctx;
    *got = fread(buf, 1, cap, f->fp);
    return ferror(f->fp) ? OF_FS_ERR_IO : OF_FS_OK;
}

static of_fs_err s_open_write(void *ctx, const char *path, of_fs_mode mode, of_fs_file **out)
{
    (void)ctx;
    if (mode == OF_FS_APPEND && !file_exists(path))
        return OF_FS_ERR_NOT_FOUND;
    return open_file(path, mode == OF_FS_APPEND ? "ab" : "wb", 1, out);
}

static of_fs_err s_write(void *ctx, of_fs_file *f, const void *buf, size_t len, size_t *written)
{
    (void)ctx;
    *written = 0;
    if (f->fp == NULL)
        return OF_FS_ERR_IO; /* a failed truncate could not reopen the file */
    errno = 0;
    *written = fwrite(buf, 1, len, f->fp);
    if (*written == len)
        return OF_FS_OK;
    return from_errno(errno, OF_FS_ERR_IO);
}

static of_fs_err s_sync(void *ctx, of_fs_file *f)
{
    (void)ctx;
    if (f->fp == NULL)
        return OF_FS_ERR_IO;
    errno = 0;
    return fflush(f->fp) == 0 ? OF_FS_OK : from_errno(errno, OF_FS_ERR_IO);
}

/* C stdio cannot shorten a file: read the prefix, rewrite the file with it,
 * and reopen for appending. */
static of_fs_err s_truncate(void *ctx, of_fs_file *f, uint64_t size)
{
    (void)ctx;
    if (size > SIZE_MAX)
        return OF_FS_ERR_NO_SPACE;
    int close_bad = f->fp != NULL && fclose(f->fp) != 0;
    f->fp = NULL;
    size_t want = (size_t)size;
    unsigned char *data = malloc(want > 0 ? want : 1);
    if (data == NULL) {
        f->fp = fopen(f->path, "ab");
        return OF_FS_ERR_NO_MEMORY;
    }
    size_t have = 0;
    FILE *in = fopen(f->path, "rb");
    if (in != NULL) {
        have = fread(data, 1, want, in);
        fclose(in);
    }
    if (have < want)
        memset(data + have, 0, want - have); /* extending pads with zeros */
    of_fs_err e = OF_FS_OK;
    FILE *out = fopen(f->path, "wb");
    if (out == NULL) {
        e = OF_FS_ERR_IO;
    } else {
        if (fwrite(data, 1, want, out) != want)
            e = OF_FS_ERR_IO;
        if (fclose(out) != 0)
            e = OF_FS_ERR_IO;
    }
    free(data);
    f->fp = fopen(f->path, "ab");
    if (f->fp == NULL || close_bad)
        e = OF_FS_ERR_IO;
    return e;
}

static of_fs_err s_close(void *ctx, of_fs_file *f)
{
    (void)ctx;
    int bad = f->fp != NULL && fclose(f->fp) != 0;
    free(f->path);
    free(f);
    return bad ? OF_FS_ERR_IO : OF_FS_OK;
}

static of_fs_err s_replace(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    if (rename(from, to) == 0)
        return OF_FS_OK;
    if (!file_exists(from))
        return OF_FS_ERR_NOT_FOUND;
    /* Windows C runtimes refuse to rename over an existing file. */
    if (file_exists(to) && remove(to) == 0 && rename(from, to) == 0)
        return OF_FS_OK;
    return OF_FS_ERR_IO;
}

static of_fs_err s_rename_aside(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    if (file_exists(to))
        return OF_FS_ERR_EXISTS;
    if (rename(from, to) == 0)
        return OF_FS_OK;
    return file_exists(from) ? OF_FS_ERR_IO : OF_FS_ERR_NOT_FOUND;
}

static of_fs_err s_remove(void *ctx, const char *path)
{
    (void)ctx;
    if (remove(path) == 0)
        return OF_FS_OK;
    return file_exists(path) ? OF_FS_ERR_IO : OF_FS_ERR_NOT_FOUND;
}

static const of_fs stdio_table = {
    .ctx = NULL,
    .open_read = s_open_read,
    .read = s_read,
    .open_write = s_open_write,
    .write = s_write,
    .sync = s_sync,
    .truncate = s_truncate,
    .close = s_close,
    .replace = s_replace,
    .rename_aside = s_rename_aside,
    .remove = s_remove,
};

const of_fs *stdiofs_fs(void)
{
    return &stdio_table;
}
