/* Test support: an in-memory of_fs with fault injection and crash simulation.
 *
 * It follows the Windows rules the real implementation will meet, so tests
 * catch code that only works on a forgiving file system:
 *   - one writer per file (a second open_write fails with OF_FS_ERR_ACCESS),
 *     readers are always allowed;
 *   - replace, rename_aside and remove fail with OF_FS_ERR_ACCESS while either
 *     file is open.
 * Every byte a write accepted counts as on disk (crash tests cut writes at
 * every byte instead of modelling a cache). */
#ifndef OFNOTIFY_TEST_MEMFS_H
#define OFNOTIFY_TEST_MEMFS_H

#include <stddef.h>

#include "ofnotify/fs.h"

typedef struct memfs memfs;

typedef enum memfs_op {
    MEMFS_OPEN_READ,
    MEMFS_READ,
    MEMFS_OPEN_WRITE,
    MEMFS_WRITE,
    MEMFS_SYNC,
    MEMFS_TRUNCATE,
    MEMFS_CLOSE,
    MEMFS_REPLACE,
    MEMFS_RENAME_ASIDE,
    MEMFS_REMOVE,
    MEMFS_OP_COUNT
} memfs_op;

memfs *memfs_new(void);   /* NULL when out of memory */
void memfs_free(memfs *m); /* also frees handles a test left open */
const of_fs *memfs_fs(memfs *m);

/* A new memfs holding copies of the files only (no handles, no faults):
 * the disk as a reboot after a crash would find it. NULL when out of memory. */
memfs *memfs_clone(const memfs *m);

/* Files, by path. put creates or overwrites (0, or -1 when out of memory or
 * the file is open). get returns NULL when missing; the pointer is valid until
 * the next change. */
int memfs_put(memfs *m, const char *path, const void *data, size_t len);
const unsigned char *memfs_get(const memfs *m, const char *path, size_t *len);
int memfs_exists(const memfs *m, const char *path);
size_t memfs_file_count(const memfs *m);
const char *memfs_file_path(const memfs *m, size_t index); /* NULL when out of range */
size_t memfs_open_handles(const memfs *m);

/* Fault injection; each counts calls from the moment it is set. */
/* The nth call (1 = the next one) of op fails with err and has no effect.
 * nth 0 cancels. One pending fault per op. */
void memfs_fail(memfs *m, memfs_op op, unsigned long nth, of_fs_err err);
/* The nth write stores all but the last k bytes and still returns OF_FS_OK. */
void memfs_short_write(memfs *m, unsigned long nth, size_t k);
/* After bytes more bytes, writes store what fits and fail with NO_SPACE. */
void memfs_disk_full_after(memfs *m, size_t bytes);
/* Power cut after bytes more bytes: the write that reaches the limit stores
 * bytes up to it and fails, and every later call fails with OF_FS_ERR_IO and
 * changes nothing (close still frees the handle). */
void memfs_crash_after(memfs *m, size_t bytes);
int memfs_crashed(const memfs *m);
/* Ends all faults, the crash state and the read chunk limit. */
void memfs_clear_faults(memfs *m);
/* Reads return at most chunk bytes per call (0: no limit). */
void memfs_set_read_chunk(memfs *m, size_t chunk);

/* Calls of op so far, failed ones included. */
unsigned long memfs_calls(const memfs *m, memfs_op op);

#endif
