/* ofnotify: the open sync conflicts (core/conflicts).
 *
 * The Offline Files service tells its subscribers when it logs a conflict
 * for Sync Center, when it sees a logged one again, and when the conflict is
 * gone (resolved in Sync Center, or the item synced). This store keeps the
 * set of conflicts that are open, with the time the service gave and the
 * item's sync state, so the tray and the history window can show them after
 * a restart. All file access goes through of_fs; no clock is read.
 *
 * Paths are UTF-8, compared with ASCII letters folded to lower case (UNC
 * paths are case-insensitive; the service sends each one spelled the same
 * way every time, so folding beyond ASCII is not needed to match them).
 *
 * ON-DISK FORMAT, version 1.0. Integers little-endian.
 *   Header, 20 bytes:
 *     0  8  magic "OFNCONF\0"
 *     8  u16 major, 10 u16 minor
 *    12  u32 header_len (20)
 *    16  u32 CRC of the 16 bytes before it
 *   Then one frame per operation, oldest first:
 *     0  u32 payload length (23 + path length)
 *     4  payload: u64 seq (strictly increasing), u8 op (1 put, 2 remove),
 *        u32 sync state, i64 time (ms since 1970, UTC), u16 path length,
 *        the path's bytes (no NUL, 1..OF_CONFLICT_PATH_MAX)
 *     .  u32 CRC of the length field and the payload
 *   A newer minor may add fields after the path inside the payload; they are
 *   skipped (the path length says where the path ends).
 *
 * WRITING. Each put or remove is one frame appended with one write, then a
 * sync, before success is returned; a failed append's bytes are cut off
 * again. When the log holds many more frames than open conflicts it is
 * compacted: the set is written whole to path + ".tmp", synced, and put in
 * the log's place atomically (a failed compaction leaves the log as it was).
 *
 * OPENING replays the log, as defensively as the history loader:
 *   - no file: an empty set (the file is created by the first change).
 *   - a torn tail (bytes after the last good frame that hold no frame that
 *     verifies, at most one largest frame long): the bytes are kept in
 *     path + ".cut-<now_ms>" (-2, -3 ...) and then cut off.
 *   - anything else wrong (foreign or damaged header, damage before the
 *     end): the file is moved aside to path + ".corrupt-<now_ms>" (-2 ...)
 *     and a new file holding the set that the frames which still verify
 *     give, replayed in file order, takes its place.
 *   - a newer major version: nothing is touched; open fails with
 *     OF_HISTORY_E_NEWER_VERSION. */
#ifndef OFNOTIFY_CONFLICTS_H
#define OFNOTIFY_CONFLICTS_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/history.h"

#define OF_CONFLICTS_FORMAT_MAJOR 1
#define OF_CONFLICTS_FORMAT_MINOR 0
#define OF_CONFLICTS_HEADER_SIZE 20u
/* The longest path kept, in UTF-8 bytes: longer ones are refused. */
#define OF_CONFLICT_PATH_MAX 4096u
/* The most open conflicts kept: a bound on memory and on the file. */
#define OF_CONFLICTS_MAX 10000u
/* Frame size for a path of n bytes. */
#define OF_CONFLICT_FRAME_SIZE(n) (4u + 23u + (n) + 4u)

/* OFFLINEFILES_SYNC_STATE: 0 (Stable) .. 53; the SDK's NUMSTATES. */
#define OF_SYNC_STATE_COUNT 54u

typedef struct of_conflict {
    const char *path; /* UTF-8, valid until the conflict is removed or the set closed */
    int64_t time_ms;  /* when the service last logged it, ms since 1970 UTC */
    uint32_t state;   /* OFFLINEFILES_SYNC_STATE */
} of_conflict;

typedef struct of_conflicts of_conflicts;

/* What of_conflicts_open found and did (filled also when it fails). */
typedef struct of_conflicts_report {
    int no_file;
    int cut_kept;
    char cut_to[OF_HISTORY_REPORT_PATH_CAP];
    int moved_aside;
    char moved_to[OF_HISTORY_REPORT_PATH_CAP];
    uint64_t frames;        /* frames replayed */
    uint64_t dropped_bytes; /* bytes not replayed (kept in cut_to or moved_to) */
} of_conflicts_report;

/* Loads (and repairs, as above) the set at path. fs is copied; its ctx must
 * outlive the set. now_ms only names kept copies. report may be NULL. On
 * failure *out is NULL and nothing is left open. */
of_history_err of_conflicts_open(of_conflicts **out, const of_fs *fs, const char *path, int64_t now_ms,
                                 of_conflicts_report *report);

/* Adds the conflict, or updates the time and state of the one with this
 * path (it keeps its place). *added (may be NULL) is 1 when it was new. On
 * failure nothing changed. OF_HISTORY_E_INVALID for an empty path, one
 * longer than OF_CONFLICT_PATH_MAX, or a new one beyond OF_CONFLICTS_MAX. */
of_history_err of_conflicts_put(of_conflicts *c, const char *path, int64_t time_ms, uint32_t state, int *added);

/* Removes the conflict with this path. *removed (may be NULL) is 1 when there
 * was one; removing a path that is not there writes nothing and succeeds. */
of_history_err of_conflicts_remove(of_conflicts *c, const char *path, int *removed);

size_t of_conflicts_count(const of_conflicts *c);

/* Conflict index (0 = the one first logged), or NULL. */
const of_conflict *of_conflicts_get(const of_conflicts *c, size_t index);

/* Frames in the file now: the open conflicts plus the operations a
 * compaction has not folded yet. */
uint64_t of_conflicts_log_frames(const of_conflicts *c);

/* Frees the set and closes its file. c may be NULL. */
void of_conflicts_close(of_conflicts *c);

/* The sync state as the two sides see it: what this computer has, and what
 * the server has. Each is one of the enums below; NONE when the state says
 * nothing about that side. A state beyond the table gives NONE, NONE. */
typedef enum of_conflict_local {
    OF_CL_NONE,
    OF_CL_FILE,
    OF_CL_DIR,
    OF_CL_FILE_CREATED,
    OF_CL_FILE_CHANGED,
    OF_CL_FILE_SPARSE,
    OF_CL_FILE_RENAMED,
    OF_CL_FILE_REPLACED_DELETED,
    OF_CL_DIR_CREATED,
    OF_CL_DIR_CHANGED,
    OF_CL_DIR_SPARSE,
    OF_CL_DIR_RENAMED,
    OF_CL_NO_COPY,
    OF_CL_DELETED,
    OF_CL_COUNT
} of_conflict_local;

typedef enum of_conflict_remote {
    OF_CR_NONE,
    OF_CR_FILE,
    OF_CR_DIR,
    OF_CR_NO_COPY,
    OF_CR_CHANGED,
    OF_CR_FILE_CHANGED,
    OF_CR_DIR_CHANGED,
    OF_CR_DELETED,
    OF_CR_FILE_RENAMED,
    OF_CR_FILE_DELETED,
    OF_CR_DIR_RENAMED,
    OF_CR_DIR_DELETED,
    OF_CR_COUNT
} of_conflict_remote;

void of_conflict_state_sides(uint32_t state, of_conflict_local *local, of_conflict_remote *remote);

/* Each side in English words, for exports and logs ("file changed on this
 * computer", "changed on the server"); "" for NONE. Static storage. */
const char *of_conflict_local_words(of_conflict_local l);
const char *of_conflict_remote_words(of_conflict_remote r);

#endif
