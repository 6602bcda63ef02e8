/* ofnotify: file steps the stores share. See storefile.h. */
#include "storefile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A store sets a file aside under at most this many names for one instant. */
#define MAX_ASIDE_TRIES 1000u
/* Reads grow the buffer by at least this much. */
#define READ_CHUNK (64u * 1024u)

of_history_err storefile_fs_err(of_fs_err e, of_history_err other)
{
    switch (e) {
    case OF_FS_ERR_ACCESS: return OF_HISTORY_E_ACCESS;
    case OF_FS_ERR_NO_SPACE: return OF_HISTORY_E_DISK_FULL;
    case OF_FS_ERR_NO_MEMORY: return OF_HISTORY_E_NO_MEMORY;
    default: return other;
    }
}

char *storefile_concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SIZE_MAX - lb - 1)
        return NULL;
    char *s = malloc(la + lb + 1);
    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

of_history_err storefile_write_all(const of_fs *fs, of_fs_file *f, const void *buf, size_t len)
{
    size_t written = 0;
    of_fs_err fe = fs->write(fs->ctx, f, buf, len, &written);
    if (fe != OF_FS_OK)
        return storefile_fs_err(fe, OF_HISTORY_E_WRITE);
    return written == len ? OF_HISTORY_OK : OF_HISTORY_E_WRITE;
}

of_history_err storefile_write_tmp(const of_fs *fs, const char *tmp_path, const void *buf, size_t len)
{
    of_fs_file *f = NULL;
    of_fs_err fe = fs->open_write(fs->ctx, tmp_path, OF_FS_CREATE, &f);
    if (fe != OF_FS_OK)
        return storefile_fs_err(fe, OF_HISTORY_E_OPEN);
    of_history_err err = storefile_write_all(fs, f, buf, len);
    if (err == OF_HISTORY_OK && fs->sync(fs->ctx, f) != OF_FS_OK)
        err = OF_HISTORY_E_SYNC;
    if (fs->close(fs->ctx, f) != OF_FS_OK && err == OF_HISTORY_OK)
        err = OF_HISTORY_E_CLOSE;
    if (err != OF_HISTORY_OK)
        (void)fs->remove(fs->ctx, tmp_path);
    return err;
}

of_history_err storefile_rename_unique(const of_fs *fs, const char *path, const char *from, const char *kind,
                                       int64_t now_ms, char **new_name)
{
    size_t cap = strlen(path) + strlen(kind) + 48;
    char *name = malloc(cap);
    if (name == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    for (unsigned n = 1; n <= MAX_ASIDE_TRIES; n++) {
        if (n == 1)
            snprintf(name, cap, "%s%s-%" PRId64, path, kind, now_ms);
        else
            snprintf(name, cap, "%s%s-%" PRId64 "-%u", path, kind, now_ms, n);
        of_fs_err fe = fs->rename_aside(fs->ctx, from, name);
        if (fe == OF_FS_OK) {
            *new_name = name;
            return OF_HISTORY_OK;
        }
        if (fe != OF_FS_ERR_EXISTS)
            break;
    }
    free(name);
    return OF_HISTORY_E_RENAME;
}

of_history_err storefile_set_aside(const of_fs *fs, const char *path, const char *from, const char *kind,
                                   int64_t now_ms, char out[OF_HISTORY_REPORT_PATH_CAP])
{
    char *name = NULL;
    of_history_err err = storefile_rename_unique(fs, path, from, kind, now_ms, &name);
    if (err == OF_HISTORY_OK) {
        snprintf(out, OF_HISTORY_REPORT_PATH_CAP, "%s", name);
        free(name);
    }
    return err;
}

of_fs_err storefile_read_all(const of_fs *fs, const char *path, unsigned char **out, size_t *len)
{
    of_fs_file *f = NULL;
    unsigned char *buf = NULL;
    size_t used = 0, cap = 0;
    of_fs_err fe = fs->open_read(fs->ctx, path, &f);
    if (fe != OF_FS_OK)
        return fe;
    for (;;) {
        if (cap - used < READ_CHUNK) {
            if (cap > SIZE_MAX / 2 - READ_CHUNK) {
                fe = OF_FS_ERR_NO_MEMORY;
                break;
            }
            unsigned char *n = realloc(buf, cap * 2 + READ_CHUNK);
            if (n == NULL) {
                fe = OF_FS_ERR_NO_MEMORY;
                break;
            }
            buf = n;
            cap = cap * 2 + READ_CHUNK;
        }
        size_t got = 0;
        fe = fs->read(fs->ctx, f, buf + used, cap - used, &got);
        if (fe != OF_FS_OK || got == 0)
            break;
        used += got;
    }
    (void)fs->close(fs->ctx, f);
    if (fe != OF_FS_OK) {
        free(buf);
        return fe;
    }
    *out = buf;
    *len = used;
    return OF_FS_OK;
}
