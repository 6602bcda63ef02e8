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
    of_record *recs; /* malloc'ed; free it */
    size_t count;
    uint64_t next_seq;
    uint64_t bad_regions;
    uint64_t dropped_bytes;
} hist_model;

void hist_model_load(const uint8_t *d, size_t n, hist_model *m);

#endif
