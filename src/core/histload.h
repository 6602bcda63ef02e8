/* ofnotify: reading a history file into memory, and finding in it what a
 * damaged file still holds; private to core. What to do about the damage
 * (cut, keep, quarantine) is history.c's. */
#ifndef OFNOTIFY_HISTLOAD_H
#define OFNOTIFY_HISTLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/fs.h"
#include "ofnotify/history.h"

#include "histframe.h"

/* A record that was renumbered (by this load or an earlier recovery), by its
 * present seq. Kept in seq order, like the records. */
typedef struct of_histrenum {
    uint64_t seq;
    uint64_t orig_seq;
} of_histrenum;

typedef struct of_histload {
    /* The records, oldest first; the caller takes both arrays over. */
    of_record *recs;
    size_t count;
    size_t cap;
    of_histrenum *renum;
    size_t renum_count;
    size_t renum_cap;

    int missing;            /* there is no file */
    of_history_issue issue;
    uint16_t major, minor;  /* when the header was readable */
    uint64_t next_seq;      /* past every number the file used or promised */
    uint64_t good_end;      /* end of the last frame before any damage */
    uint64_t bad_regions;
    uint64_t dropped_bytes;
    uint64_t renumbered;    /* out-of-order records carried over by this load */
    uint64_t crc_bytes;     /* bytes run through the CRC */
    uint64_t cut_seq;       /* the seq field of a damaged last frame, when plausible; else 0 */
    /* TORN_TAIL: the bytes after good_end, to be kept before they are cut. */
    unsigned char tail[OF_HISTFRAME_MAX];
    size_t tail_len;
} of_histload;

/* Reads path into *l (zeroed first) as history.h describes. Out-of-order
 * records that verify are carried over with numbers after everything else;
 * the next_seq of a load counts them. */
of_history_err of_histload_run(of_histload *l, const of_fs *fs, const char *path);

/* Frees what the caller did not take over (NULL arrays are fine). */
void of_histload_free(of_histload *l);

/* Makes room for need records in *recs (capacity *cap). */
of_history_err of_histload_reserve(of_record **recs, size_t *cap, size_t need);

#endif
