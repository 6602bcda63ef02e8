/* ofnotify: the file steps the stores in core share: the history
 * (history.c), the spill journal (journal.c) and the conflicts log
 * (conflicts.c). Internal to src/core; everything goes through of_fs. */
#ifndef OFNOTIFY_STOREFILE_H
#define OFNOTIFY_STOREFILE_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/history.h"

/* An of_fs error as the stores report it; `other` for what has no closer
 * meaning (OF_HISTORY_E_OPEN, _WRITE, ...). */
of_history_err storefile_fs_err(of_fs_err e, of_history_err other);

/* a + b in a new string (free() it); NULL when memory runs out. */
char *storefile_concat(const char *a, const char *b);

/* The whole file in a new buffer (free() it), for stores small enough to
 * hold at once (the journal, the conflicts log). */
of_fs_err storefile_read_all(const of_fs *fs, const char *path, unsigned char **out, size_t *len);

/* All len bytes, or an error: a short write is a failure. */
of_history_err storefile_write_all(const of_fs *fs, of_fs_file *f, const void *buf, size_t len);

/* Creates tmp_path holding exactly buf, synced and closed; on any failure
 * it is removed again. */
of_history_err storefile_write_tmp(const of_fs *fs, const char *tmp_path, const void *buf, size_t len);

/* Renames `from` to path + kind + "-<now_ms>" (or "-<now_ms>-2", -3 ...),
 * never over an existing file; *new_name is the name it got (free() it). */
of_history_err storefile_rename_unique(const of_fs *fs, const char *path, const char *from, const char *kind,
                                       int64_t now_ms, char **new_name);

/* The same, with the name it got copied into a report field (cut to fit). */
of_history_err storefile_set_aside(const of_fs *fs, const char *path, const char *from, const char *kind,
                                   int64_t now_ms, char out[OF_HISTORY_REPORT_PATH_CAP]);

#endif
