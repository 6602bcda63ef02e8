/* ofnotify fuzzing: what loading a history file must give, worked out from
 * the format and the recovery rules of history.h on the whole file at once
 * (the store reads it in a stream), to compare with the store. */
#ifndef OFNOTIFY_FUZZ_HISTMODEL_H
#define OFNOTIFY_FUZZ_HISTMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/history.h"

typedef struct hist_model {
    of_history_issue issue;
    of_record *recs;     /* malloc'ed, oldest first; free it */
    uint64_t *orig_seqs; /* malloc'ed, one a record: the seq it had before a renumbering, 0: none */
    size_t count;
    uint64_t next_seq;
    uint64_t bad_regions;
    uint64_t dropped_bytes;
    uint64_t renumbered; /* out-of-order records carried over with new seqs */
    uint64_t cut_seq;    /* the seq the damaged last frame carried, never given again; 0: none */
    size_t good_end;     /* TORN_TAIL: where the torn tail starts */
} hist_model;

void hist_model_load(const uint8_t *d, size_t n, hist_model *m);
void hist_model_free(hist_model *m);

#endif
