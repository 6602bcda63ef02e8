/* ofnotify: an append-only file of checked frames behind a versioned header,
 * private to core: what the spill journal (journal.c) and the conflicts log
 * (conflicts.c) are both built on. Their headers (journal.h, conflicts.h)
 * document the formats and the repair rules this module carries out.
 *
 *   Header, FRAMELOG_HEADER_SIZE bytes: 8 magic bytes, u16 major, u16 minor,
 *   u32 header length, u32 CRC of the bytes before it. A longer header (a
 *   newer minor's) is accepted up to OF_HISTORY_MAX_HEADER.
 *   Frames: u32 payload length, the payload (its first 8 bytes the frame's
 *   seq, strictly increasing through the file), u32 CRC of the length and
 *   the payload. Integers little-endian.
 *
 * The log keeps no frames itself: its owner holds what they mean in memory
 * (records, a set), takes each frame that verifies while loading, and writes
 * every frame again, numbered from 1, when the file is rewritten. All file
 * access goes through of_fs. */
#ifndef OFNOTIFY_FRAMELOG_H
#define OFNOTIFY_FRAMELOG_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/history.h"

#define FRAMELOG_HEADER_SIZE 20u
#define FRAMELOG_MAGIC_LEN 8u

typedef struct framelog framelog;

/* One kind of log: its header and frames, and its owner's part. Every
 * callback gets the owner pointer given to framelog_new. */
typedef struct framelog_kind {
    char magic[FRAMELOG_MAGIC_LEN];
    uint16_t major, minor;
    /* The payload lengths a frame of any minor may have. */
    uint32_t payload_min, payload_max;
    /* 1 when a frame whose CRC verified holds what this version can take. */
    int (*known)(const unsigned char *frame, size_t len);
    /* Takes a known frame into memory, in file order, while loading. */
    of_history_err (*take)(void *owner, const unsigned char *frame, size_t len);
    /* The most bytes the frames of a rewrite can take (SIZE_MAX: too many);
     * 0 when memory holds nothing, so a damaged file is only set aside. */
    size_t (*rewrite_cap)(const void *owner);
    /* Writes every frame memory holds, numbered 1, 2, ... *count; returns
     * the bytes written (at most what rewrite_cap said). */
    size_t (*rewrite)(void *owner, unsigned char *out, uint64_t *count);
} framelog_kind;

/* What framelog_load found and did; each pointer into the owner's report. */
typedef struct framelog_report {
    int *no_file;
    int *cut_kept;
    char *cut_to; /* OF_HISTORY_REPORT_PATH_CAP bytes */
    int *moved_aside;
    char *moved_to; /* OF_HISTORY_REPORT_PATH_CAP bytes */
    uint64_t *dropped_bytes;
} framelog_report;

/* A log at path (its temporary file path + ".tmp"), not yet read. fs is
 * copied; kind must outlive the log. */
of_history_err framelog_new(framelog **out, const of_fs *fs, const char *path, const framelog_kind *kind,
                            void *owner);

/* Reads the file and gives the owner every frame that verifies, in order.
 * A torn tail (no frame that verifies in it, at most one largest frame
 * long) is kept in path + ".cut-<now_ms>" and cut off; any other damage sets
 * the file aside as path + ".corrupt-<now_ms>" whole, and a rewrite of what
 * the owner salvaged takes its place. A newer major version: nothing is
 * touched, OF_HISTORY_E_NEWER_VERSION. Call once, before anything else. */
of_history_err framelog_load(framelog *fl, int64_t now_ms, const framelog_report *rep);

/* Gets the file ready for one frame (written whole from memory if it is not
 * on disk, a failed append's bytes cut off); *seq is the seq that frame must
 * carry. */
of_history_err framelog_ready(framelog *fl, uint64_t *seq);

/* Writes the frame framelog_ready numbered at the end, synced. On failure
 * the file ends where it did (or is cut back by the next append). */
of_history_err framelog_append(framelog *fl, const unsigned char *frame, size_t len);

/* Writes the file whole from memory through the temporary file and puts it
 * in place atomically. On failure the file is what it was. */
of_history_err framelog_rewrite(framelog *fl);

/* Removes the file; the next append creates it again. */
of_history_err framelog_remove(framelog *fl);

/* The frames of the file as far as the log knows: those loaded in order,
 * then one more per append; a rewrite starts again from its count. */
uint64_t framelog_frames(const framelog *fl);

const char *framelog_path(const framelog *fl);

/* Closes the file (every frame in it was synced) and frees the log. fl may
 * be NULL. */
void framelog_free(framelog *fl);

#endif
