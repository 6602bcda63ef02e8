/* ofnotify: the file access that core/history needs, and nothing more.
 *
 * The history store never calls the C library or Windows for files itself; it
 * goes through this table of functions so that
 *   - src/app can implement it with Win32 (CreateFileW, WriteFile,
 *     FlushFileBuffers, SetEndOfFile, MoveFileExW, DeleteFileW),
 *   - tests can use an in-memory implementation that injects faults and
 *     simulates crashes (tests/unit/support/memfs.h), and one on plain C stdio
 *     (tests/unit/support/stdiofs.h).
 *
 * Paths are UTF-8 strings; a Win32 implementation converts them to UTF-16.
 * Every function returns OF_FS_OK or an of_fs_err; out-parameters are only
 * meaningful on OF_FS_OK unless stated. ctx is the implementation's own state,
 * passed back unchanged. */
#ifndef OFNOTIFY_FS_H
#define OFNOTIFY_FS_H

#include <stddef.h>
#include <stdint.h>

/* An open file. Each implementation defines the struct; callers only hold it. */
typedef struct of_fs_file of_fs_file;

typedef enum of_fs_err {
    OF_FS_OK = 0,
    OF_FS_ERR_NOT_FOUND = 1, /* the file (or its folder) does not exist */
    OF_FS_ERR_EXISTS = 2,    /* rename_aside: the new name is taken */
    OF_FS_ERR_NO_SPACE = 3,  /* disk full or quota exceeded */
    OF_FS_ERR_ACCESS = 4,    /* permission denied, or in use (Win32 sharing violation) */
    OF_FS_ERR_IO = 5,        /* anything else */
    OF_FS_ERR_NO_MEMORY = 6  /* the implementation could not allocate */
} of_fs_err;

typedef enum of_fs_mode {
    /* Open an existing file for writing at its end; OF_FS_ERR_NOT_FOUND if it
     * does not exist. Other processes may still open it for reading (Win32:
     * FILE_SHARE_READ), but not for writing: that keeps a single writer. */
    OF_FS_APPEND = 0,
    /* Create the file, or empty it if it exists. Used for the temporary file
     * of a rewrite, never for the history file itself. */
    OF_FS_CREATE = 1
} of_fs_mode;

typedef struct of_fs {
    void *ctx;

    /* Open for reading from the start. Readers must not stop a writer that
     * already has the file open (Win32: FILE_SHARE_READ | FILE_SHARE_WRITE),
     * because `--export` reads while the running app appends. */
    of_fs_err (*open_read)(void *ctx, const char *path, of_fs_file **out);

    /* Read up to cap bytes at the current position. *got is set on every
     * return; *got == 0 with OF_FS_OK means end of file. A read may return
     * fewer bytes than asked without being at the end. */
    of_fs_err (*read)(void *ctx, of_fs_file *f, void *buf, size_t cap, size_t *got);

    of_fs_err (*open_write)(void *ctx, const char *path, of_fs_mode mode, of_fs_file **out);

    /* Write len bytes at the end of the file. *written is set on every return
     * (also on errors: bytes that did reach the file). A result with
     * *written < len is a failure even if OF_FS_OK is returned. */
    of_fs_err (*write)(void *ctx, of_fs_file *f, const void *buf, size_t len, size_t *written);

    /* Make everything written so far durable (Win32: FlushFileBuffers). */
    of_fs_err (*sync)(void *ctx, of_fs_file *f);

    /* Cut (or extend) a file opened for writing to size bytes; later writes
     * go to the new end (Win32: SetFilePointerEx + SetEndOfFile). */
    of_fs_err (*truncate)(void *ctx, of_fs_file *f, uint64_t size);

    /* Close a file. The handle is gone afterwards even if an error is
     * returned (an error means data not yet synced may be lost). */
    of_fs_err (*close)(void *ctx, of_fs_file *f);

    /* Atomically put from in the place of to, replacing to if it exists
     * (Win32: MoveFileExW with MOVEFILE_REPLACE_EXISTING |
     * MOVEFILE_WRITE_THROUGH). Either to is the old file or the new one,
     * never a mix or missing. The store has closed both files; it may still
     * fail while another process reads to (Windows), and the store then
     * keeps the old file and reports the error. */
    of_fs_err (*replace)(void *ctx, const char *from, const char *to);

    /* Rename from to to, failing with OF_FS_ERR_EXISTS if to exists (Win32:
     * MoveFileExW without MOVEFILE_REPLACE_EXISTING). Used to move a bad
     * file out of the way without ever overwriting an earlier one. */
    of_fs_err (*rename_aside)(void *ctx, const char *from, const char *to);

    /* Delete a file (only the store's own temporary file is ever deleted). */
    of_fs_err (*remove)(void *ctx, const char *path);
} of_fs;

#endif
