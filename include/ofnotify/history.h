/* ofnotify: the durable history of sync passes (core/history).
 *
 * Every ended pass (of_record) is appended to one file and kept in memory as a
 * plain array, oldest first, so the history window can show any row by index
 * without copying. All file access goes through of_fs (fs.h); the store reads
 * no clock: callers pass the current time where one is needed.
 *
 * ON-DISK FORMAT, version 1.2. All integers little-endian, written byte by
 * byte (independent of struct layout and host byte order). CRC is CRC-32
 * (crc32.h).
 *
 *   File header, header_len bytes (28 since 1.0):
 *     0  8  magic "OFNHIST\0"
 *     8  u16 major      readers refuse a major they do not know
 *    10  u16 minor      additions that older readers can skip
 *    12  u32 header_len whole header including its CRC; 28..4096
 *    16  u64 next_seq   the lowest seq the file has not used or promised: the
 *                       writer never gives a record a lower one (keeps numbering
 *                       going after clear, and past a cut record)
 *    ..  (later minors may add fields here; readers skip them)
 *   header_len-4  u32 CRC of the header bytes before it
 *   Bytes 0..15 (magic, major, minor, header_len) and "the CRC is the last 4
 *   bytes" stay the same in every future major, so any reader can tell a newer
 *   file from a damaged one.
 *
 *   Then frames, back to back until the end of the file:
 *     u32 len           payload length, 42..OF_HISTORY_MAX_PAYLOAD
 *     len bytes         payload
 *     u32 CRC           over the 4 length bytes and the payload
 *
 *   Payload (42 bytes since 1.0): u64 seq, i64 started_ms, i64 completed_ms,
 *   u64 duration_ms, u32 flags, u32 begin_flags, u8 status, u8 reason.
 *   Added in 1.1, only in the frames of renumbered records (50 bytes):
 *   u64 orig_seq, the seq the record had before recovery renumbered it
 *   (0: never renumbered; 1.0 readers skip it). Every other record is
 *   written as in 1.0, so a file without renumbered records is a valid 1.0
 *   file apart from the minor in its header.
 *   Added in 1.2, only in the frames of records the user started with Sync
 *   now (51 bytes): u64 orig_seq as in 1.1 (0 when never renumbered), then
 *   u8 origin (of_origin: 0 background, 1 sync-now). A frame without it is a
 *   background pass. So every background record is written as in 1.1, and
 *   a 1.1 (or 1.0) reader reads a 1.2 file whole: it takes a Sync now pass
 *   for a background one and skips the origin byte.
 *   A newer minor may append fields; a reader uses the fields it knows and
 *   skips the rest of len. Records written by an older minor are simply
 *   shorter, so fields added later need a default. A rewrite (retention,
 *   clear, recovery) writes only the fields this version knows.
 *   seq is 1 or more and strictly increasing through the file. status,
 *   reason and origin are stored as given and loaded as found (readers
 *   must cope with values from a newer version).
 *
 * MINOR VERSIONS ON OPEN. The header's minor names the newest fields the
 * file's frames may carry, so a reader can tell a file where origin was
 * recorded from one written before it (where every pass reads as
 * background because nobody recorded otherwise). An older file (1.0, 1.1)
 * opened for writing is therefore migrated first: rewritten whole through
 * the atomic rewrite below with a 1.2 header (its frames keep their bytes;
 * a 1.1 frame is a valid 1.2 frame), report.migrated. Appending 1.2 frames
 * under an older header would be readable (frames are decoded by their
 * length) but would make the header's minor untrue, so it is not done: if
 * the migration fails (disk full...), the file stays as it was, the store
 * opens all the same, background records are appended as before, and the
 * first Sync now record tries the migration again and fails with its error
 * if it cannot. A read-only open never migrates. A file with a newer minor
 * than this version's is neither migrated nor marked down: its header keeps
 * its minor until a rewrite (retention, clear, recovery), which writes this
 * version's header and only the fields this version knows (a newer minor's
 * extra fields are lost then, as the rule above says). A crash during a
 * migration leaves the old file whole (the replace is atomic); the next open
 * migrates again.
 * An older ofnotify (1.1) with a 1.2 file reads every record, a Sync now
 * pass as a background one, and appends 1.0-sized frames to it; only its
 * rewrites (retention, clear, recovery) drop the origins and write a 1.1
 * header, which this version migrates again at its next open.
 *
 * WRITING. One append = one write call of one whole frame, then sync, before
 * success is returned. Nothing else is ever written in place: retention,
 * clear and recovery build a complete new file next to the history
 * (path + ".tmp"), sync it, and replace the history with it atomically.
 * A crash therefore loses at most the frame being appended (and its bytes
 * are kept by the next open, below).
 *
 * OPENING FOR WRITING checks the whole file, in time linear in its size
 * whatever its bytes (see crcspan.h), and never drops a byte it cannot
 * load: every byte cut goes to a kept copy the report names.
 *   - no file: a new empty history is created (report.no_file).
 *   - torn tail: the bytes after the last good frame hold no frame that
 *     verifies and are no longer than the largest frame (what an interrupted
 *     append leaves, including a zero-filled end, or a damaged last frame).
 *     They are first kept in path + ".cut-<now_ms>" (or ".cut-<now_ms>-2",
 *     -3 ...; report.cut_kept, cut_to), then cut off the file
 *     (report.torn_cut, dropped_bytes). When they hold a whole seq field
 *     that reads as the next number (up to 65536 past it), that number is
 *     never given again (report.cut_seq): the file is rewritten with the
 *     header's next_seq past it instead of being cut in place.
 *   - anything else wrong (not our magic, shorter than a header, bad header,
 *     a bad frame followed by good ones or by more than one frame of bytes,
 *     records out of order):
 *     the file is moved aside to path + ".corrupt-<now_ms>" (or
 *     ".corrupt-<now_ms>-2", -3 ...; an existing file is never overwritten and
 *     nothing is deleted), and a new history is started in its place holding
 *     every frame that still verifies, found by trying every offset after
 *     each damaged stretch. A frame that verifies but does not continue the
 *     seq order (two files glued together, an old copy) is carried over too,
 *     after all the others, with a new seq and its old one kept in orig_seq
 *     (report.renumbered; of_history_original_seq). Files without our magic
 *     are not searched. Numbering continues after the header's next_seq,
 *     the highest seq salvaged and a damaged last frame's seq as above
 *     (after a damaged header: without the header).
 *   - a newer major version: nothing is touched; open fails with
 *     OF_HISTORY_E_NEWER_VERSION (the file belongs to a newer ofnotify).
 * OPENING READ-ONLY (for --export while the app appends) changes nothing:
 * a torn tail ends the read, frames that verify after a bad stretch are still
 * returned (out-of-order ones last, numbered as a writer would number them),
 * a missing file or one that is not a history reads as empty;
 * report says which. Only a newer major version is an error.
 *
 * NUMBERS RUN OUT only with a seq near 2^64 (in practice a damaged or crafted
 * file): append then fails with OF_HISTORY_E_SEQ_LIMIT and nothing wraps;
 * of_history_renumber starts the numbers again, keeping the old ones. */
#ifndef OFNOTIFY_HISTORY_H
#define OFNOTIFY_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/record.h"

#define OF_HISTORY_FORMAT_MAJOR 1
#define OF_HISTORY_FORMAT_MINOR 2
#define OF_HISTORY_HEADER_SIZE 28u    /* header_len written by 1.0, 1.1 and 1.2 */
#define OF_HISTORY_PAYLOAD_SIZE 42u   /* payload of a record (1.0; 1.1 and 1.2 unless renumbered or Sync now) */
#define OF_HISTORY_FRAME_SIZE 50u     /* its frame: 4 + 42 + 4 */
#define OF_HISTORY_RENUMBERED_PAYLOAD_SIZE 50u /* 1.1: + u64 orig_seq */
#define OF_HISTORY_RENUMBERED_FRAME_SIZE 58u
#define OF_HISTORY_ORIGIN_PAYLOAD_SIZE 51u /* 1.2: + u64 orig_seq + u8 origin */
#define OF_HISTORY_ORIGIN_FRAME_SIZE 59u
#define OF_HISTORY_MAX_PAYLOAD 4096u  /* a larger length is corruption */
#define OF_HISTORY_MAX_HEADER 4096u

/* Flags for of_history_open. */
#define OF_HISTORY_READONLY 0x1u

typedef enum of_history_err {
    OF_HISTORY_OK = 0,
    OF_HISTORY_E_INVALID,        /* bad argument (NULL, unknown status/reason...) */
    OF_HISTORY_E_NO_MEMORY,
    OF_HISTORY_E_OPEN,           /* could not open or create a file */
    OF_HISTORY_E_ACCESS,         /* file in use (another writer) or access denied */
    OF_HISTORY_E_READ,
    OF_HISTORY_E_WRITE,          /* write failed or wrote fewer bytes than asked */
    OF_HISTORY_E_DISK_FULL,
    OF_HISTORY_E_SYNC,           /* flush to disk failed */
    OF_HISTORY_E_TRUNCATE,       /* could not cut a torn or failed frame off */
    OF_HISTORY_E_CLOSE,
    OF_HISTORY_E_RENAME,         /* replace or move-aside failed */
    OF_HISTORY_E_NEWER_VERSION,  /* file has a newer major format; left alone */
    OF_HISTORY_E_READONLY,       /* the store was opened read-only */
    OF_HISTORY_E_FULL,           /* memory indexes exhausted */
    OF_HISTORY_E_SEQ_LIMIT,      /* the next seq would pass 2^64 - 1; nothing was written */
    OF_HISTORY_E_COUNT
} of_history_err;

/* What open found wrong with the file (the outcome is in the error code and
 * report.moved_aside). */
typedef enum of_history_issue {
    OF_HISTORY_ISSUE_NONE = 0,
    OF_HISTORY_ISSUE_TORN_TAIL,     /* an unfinished or damaged last frame */
    OF_HISTORY_ISSUE_NOT_HISTORY,   /* not our magic, or shorter than it (empty) */
    OF_HISTORY_ISSUE_BAD_HEADER,    /* our magic, but a short or damaged header */
    OF_HISTORY_ISSUE_BAD_RECORDS,   /* damaged frames before the end, or records out of order */
    OF_HISTORY_ISSUE_NEWER_VERSION, /* a major version this build cannot read */
    OF_HISTORY_ISSUE_COUNT
} of_history_issue;

#define OF_HISTORY_REPORT_PATH_CAP 1024

/* Filled by of_history_open (also when it fails) so the app can tell the
 * user what happened to their history. */
typedef struct of_history_report {
    of_history_issue issue;
    int no_file;            /* there was no history file (writer: created one) */
    int torn_cut;           /* writer: the torn tail was cut off the file */
    int cut_kept;           /* writer: the torn tail's bytes were kept in cut_to first */
    int cut_to_truncated;   /* cut_to did not fit; it holds a NUL-ended prefix */
    char cut_to[OF_HISTORY_REPORT_PATH_CAP];
    int moved_aside;        /* the file was renamed to moved_to */
    int moved_to_truncated; /* moved_to did not fit; it holds a NUL-ended prefix */
    char moved_to[OF_HISTORY_REPORT_PATH_CAP];
    uint64_t records;       /* records loaded (salvaged and renumbered ones included) */
    uint64_t bad_regions;   /* damaged stretches skipped (BAD_RECORDS) */
    uint64_t dropped_bytes; /* bytes not loaded: torn tail or damaged stretches (kept in
                             * cut_to or moved_to by a writer) */
    uint64_t renumbered;    /* records out of order, carried over with new numbers */
    uint64_t cut_seq;       /* the seq a cut last frame carried, never given again; 0: none */
    uint64_t crc_bytes;     /* bytes run through the CRC while loading: the work done,
                             * about the file's size however damaged it is */
    uint16_t file_major;    /* version in the header, when the header was readable */
    uint16_t file_minor;    /* (before a migration) */
    int migrated;           /* writer: an older minor's file was rewritten as this version's */
} of_history_report;

typedef struct of_history of_history;

/* Opens (flags 0: for appending, creating the file if needed) or reads
 * (OF_HISTORY_READONLY) the history at path, as described above. fs is
 * copied; its ctx must outlive the store. now_ms (wall clock, ms since 1970)
 * only names a moved-aside file. report may be NULL. On failure *out is NULL
 * and nothing is left open. */
of_history_err of_history_open(of_history **out, const of_fs *fs, const char *path,
                               unsigned flags, int64_t now_ms, of_history_report *report);

/* Writes rec durably as the newest record. A record of an origin other
 * than background first migrates a file still in an older minor (see MINOR
 * VERSIONS ON OPEN) and fails with that rewrite's error if it cannot. On
 * success rec->seq is set to the assigned number (the next_seq). OF_HISTORY_E_SEQ_LIMIT when the numbers
 * have run out (next_seq is 2^64 - 1). On failure nothing was added in memory, the
 * partial frame has been cut off the file if possible (if not, the next
 * append or open cuts it), and rec->seq is unchanged. */
of_history_err of_history_append(of_history *h, of_record *rec);

size_t of_history_count(const of_history *h);

/* Record index (0 = oldest), or NULL when out of range. The pointer stays
 * valid until the next append, compact, clear or close. */
const of_record *of_history_get(const of_history *h, size_t index);

/* Whether the record at index was renumbered by a recovery (this open's or
 * an earlier one); if so, *orig_seq (may be NULL) gets the seq it had. */
int of_history_original_seq(const of_history *h, size_t index, uint64_t *orig_seq);

/* The seq the next append will get. */
uint64_t of_history_next_seq(const of_history *h);

/* Retention. Keeps the newest max_count records (0: no limit) among those
 * completed at or after now_ms - max_age_days days (0: no limit), by
 * rewriting the file (tmp + sync + atomic replace). If nothing would be
 * dropped the file is left as it is. On any failure the file and the records
 * in memory are as before and appending still works (if even the old file
 * cannot be reopened, the next append reopens it or reports why). Success
 * means the new file is in place. *removed (may be NULL) gets the number of
 * records dropped. */
of_history_err of_history_compact(of_history *h, uint64_t max_count, uint32_t max_age_days,
                                  int64_t now_ms, uint64_t *removed);

/* Drops every record (same rewrite and guarantees as compact); numbering
 * continues, the next record is not seq 1 again. */
of_history_err of_history_clear(of_history *h);

/* Numbers the records 1, 2, 3 ... again, in order, each whose number
 * changes keeping the seq it had as its original (of_history_original_seq;
 * one renumbered before keeps its first; one whose number stays the same
 * gets none), and continues after them; same rewrite and guarantees as
 * compact. Only for a history whose numbers ran out (OF_HISTORY_E_SEQ_LIMIT):
 * numbers that records removed earlier had are given again, so the app
 * tells the user. */
of_history_err of_history_renumber(of_history *h);

/* Frees the store and closes its file. Returns a close error for information
 * only: every appended record was already synced. h may be NULL. */
of_history_err of_history_close(of_history *h);

/* English developer text for logs; the app maps codes to translated text. */
const char *of_history_error_text(of_history_err err);
const char *of_history_issue_text(of_history_issue issue);

#endif
