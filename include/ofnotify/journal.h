/* ofnotify: the spill journal: where records go while the history cannot
 * take them (core/journal).
 *
 * When the history file cannot be opened or appended to (a newer version's
 * file, access denied, disk full, numbers run out), the app appends each
 * record here instead, durably, and merges the journal into the history once
 * the history takes records again. Nothing in a journal is ever dropped.
 * Like the history, all file access goes through of_fs and no clock is read.
 *
 * ON-DISK FORMAT, version 1.0. Integers little-endian.
 *   Header, 20 bytes:
 *     0  8  magic "OFNJRNL\0"
 *     8  u16 major, 10 u16 minor
 *    12  u32 header_len (20)
 *    16  u32 CRC of the 16 bytes before it
 *   Then frames exactly as in the history (history.h: u32 len, payload,
 *   u32 CRC), one per record, oldest first, a Sync now record with its
 *   origin (history format 1.2). The seq field holds the
 *   record's place in the journal (1, 2, 3 ... strictly increasing); the
 *   history gives it its own seq when it is merged.
 *
 * WRITING. The file is created whole with its header (temporary file
 * path + ".tmp", sync, atomic replace). Each append is one write of one
 * frame, then sync, before success is returned; a failed append's bytes are
 * cut off again (or by the next append or open).
 *
 * OPENING loads the file as defensively as the history loader:
 *   - no file: an empty journal (created by the first append).
 *   - a torn tail (bytes after the last good frame that hold no frame that
 *     verifies, at most one largest frame long): the bytes are kept in
 *     path + ".cut-<now_ms>" (-2, -3 ...) and then cut off.
 *   - anything else wrong (foreign or damaged header, damage before the
 *     end): the file is moved aside to path + ".corrupt-<now_ms>" (-2 ...)
 *     and a new journal holding every frame that still verifies, in file
 *     order, takes its place.
 *   - a newer major version: nothing is touched; open fails with
 *     OF_HISTORY_E_NEWER_VERSION.
 *
 * MERGING appends the records, in order, to the history (each gets the
 * history's next seq, durably, as any record), and only then removes the
 * journal. A crash (or a failed append) in between leaves the journal whole
 * and the history ending with the first k of its records. So a merge first
 * looks for the largest k such that the history's last k records equal
 * (every field but seq) the journal's first k, and appends only the rest.
 * This is safe because a pass is recorded once: two ended passes never
 * share start, end, duration, flags, status, reason and origin. */
#ifndef OFNOTIFY_JOURNAL_H
#define OFNOTIFY_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/history.h"
#include "ofnotify/record.h"

#define OF_JOURNAL_FORMAT_MAJOR 1
#define OF_JOURNAL_FORMAT_MINOR 0
#define OF_JOURNAL_HEADER_SIZE 20u

typedef struct of_journal of_journal;

/* What of_journal_open found and did (filled also when it fails). */
typedef struct of_journal_report {
    int no_file;            /* there was no journal */
    int cut_kept;           /* a torn tail was kept in cut_to, then cut off */
    char cut_to[OF_HISTORY_REPORT_PATH_CAP];
    int moved_aside;        /* a damaged journal was moved to moved_to */
    char moved_to[OF_HISTORY_REPORT_PATH_CAP];
    uint64_t records;       /* records loaded */
    uint64_t dropped_bytes; /* bytes not loaded (kept in cut_to or moved_to) */
} of_journal_report;

/* Loads (and repairs, as above) the journal at path. fs is copied; its ctx
 * must outlive the journal. now_ms only names kept copies. report may be
 * NULL. On failure *out is NULL and nothing is left open; a journal that
 * exists but cannot be read is never written over. */
of_history_err of_journal_open(of_journal **out, const of_fs *fs, const char *path, int64_t now_ms,
                               of_journal_report *report);

/* Writes rec durably as the journal's newest record (creating the file if
 * there is none). On failure nothing was added. */
of_history_err of_journal_append(of_journal *j, const of_record *rec);

size_t of_journal_count(const of_journal *j);

/* Record index (0 = oldest; seq is its place in the journal), or NULL. */
const of_record *of_journal_get(const of_journal *j, size_t index);

const char *of_journal_path(const of_journal *j);

/* Appends the records to h as described above, then removes the journal
 * file; the journal is empty afterwards. *merged (may be NULL) gets the
 * number appended now (records found already in h are not counted). On
 * failure the journal is unchanged (on disk and in memory) and the records
 * appended so far stand in h, so a later merge does not repeat them. */
of_history_err of_journal_merge(of_journal *j, of_history *h, size_t *merged);

/* Frees the journal and closes its file. j may be NULL. */
void of_journal_close(of_journal *j);

/* The name of the journal in the temporary folder for a data folder that is
 * itself unusable: temp_dir + sep + "ofnotify-<16 hex digits>.journal", the
 * digits a hash (64-bit FNV-1a) of data_dir with ASCII letters folded to
 * lower case, so each data folder has its own. 0, or -1 if cap is too
 * small. */
int of_journal_temp_name(char *buf, size_t cap, const char *temp_dir, char sep, const char *data_dir);

#endif
