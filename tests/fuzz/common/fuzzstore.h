/* ofnotify fuzzing: what the fuzzers of the stores built on core/framelog
 * (the spill journal, the conflicts log) check once their input is opened:
 * nothing it held was lost. */
#ifndef OFNOTIFY_FUZZSTORE_H
#define OFNOTIFY_FUZZSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/history.h"
#include "support/memfs.h"

/* What the store's open reported. */
typedef struct fz_kept {
    int cut_kept;
    const char *cut_to;
    int moved_aside;
    const char *moved_to;
    uint64_t dropped_bytes;
} fz_kept;

/* A memfs holding the input as the file at path. */
memfs *fz_fs_with(const char *path, const uint8_t *data, size_t size);

/* The input at path was opened (err; opened: a store came back): a newer
 * version's file is untouched and 0 is returned. Otherwise the open worked
 * and lost nothing: an untouched file is byte for byte the input, a cut
 * torn tail is kept in a file of its own and the store is the rest, a file
 * moved aside is the input; 1 is returned. */
int fz_check_opened(const memfs *m, const char *path, const uint8_t *data, size_t size, of_history_err err,
                    int opened, const fz_kept *k);

#endif
