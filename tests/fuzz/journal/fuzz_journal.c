/* ofnotify fuzzing: the spill journal's loader and repair, append and merge
 * (core/journal).
 *
 * The input is the journal file, put into the in-memory file system. It is
 * opened (which repairs it); nothing it held may be lost: an untouched file
 * is byte for byte the input, a cut torn tail is kept in a file of its own
 * and the journal is the rest, a file moved aside is the input. What the
 * journal loaded must open again cleanly, the same; a record appended must
 * be there after another open; a merge into an empty history must put every
 * record there, in order, and remove the journal; a second merge of the same
 * records (as after a crash before the removal) must add nothing. */
#include "fuzzcheck.h"

#include <stdlib.h>

#include "ofnotify/history.h"
#include "ofnotify/journal.h"
#include "fuzzstore.h"

#define JPATH "data/history.dat.journal"
#define HPATH "data/history.dat"
#define NOW INT64_C(1800000000000)

static int same_fields(const of_record *a, const of_record *b)
{
    return a->started_ms == b->started_ms && a->completed_ms == b->completed_ms && a->duration_ms == b->duration_ms &&
           a->flags == b->flags && a->begin_flags == b->begin_flags && a->status == b->status &&
           a->reason == b->reason;
}

/* The journal's records, copied. */
static of_record *take(const of_journal *j, size_t *n)
{
    *n = of_journal_count(j);
    of_record *recs = malloc((*n ? *n : 1) * sizeof *recs);
    FZ_CHECK(recs != NULL);
    for (size_t i = 0; i < *n; i++) {
        recs[i] = *of_journal_get(j, i);
        FZ_CHECK(recs[i].status < OF_STATUS_COUNT && recs[i].reason < OF_REASON_COUNT);
        FZ_CHECK(i == 0 || recs[i].seq > recs[i - 1].seq);
    }
    return recs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memfs *m = fz_fs_with(JPATH, data, size);
    of_journal *j = NULL;
    of_journal_report rep;

    of_history_err err = of_journal_open(&j, memfs_fs(m), JPATH, NOW, &rep);
    const fz_kept kept = {rep.cut_kept, rep.cut_to, rep.moved_aside, rep.moved_to, rep.dropped_bytes};
    if (!fz_check_opened(m, JPATH, data, size, err, j != NULL, &kept)) {
        memfs_free(m);
        return 0;
    }

    size_t n = 0, n2 = 0;
    of_record *recs = take(j, &n);
    FZ_CHECK(rep.records == n);
    of_journal_close(j);
    FZ_CHECK(memfs_open_handles(m) == 0);

    /* What the repair left opens cleanly, the same. */
    j = NULL;
    FZ_CHECK(of_journal_open(&j, memfs_fs(m), JPATH, NOW, &rep) == OF_HISTORY_OK);
    FZ_CHECK(!rep.cut_kept && !rep.moved_aside && rep.dropped_bytes == 0);
    of_record *again = take(j, &n2);
    FZ_CHECK(n2 == n);
    for (size_t i = 0; i < n; i++)
        FZ_CHECK(same_fields(&recs[i], &again[i]));
    free(again);

    /* One more record, there after another open. */
    of_record extra = {.started_ms = NOW - 5000, .completed_ms = NOW, .duration_ms = 5000, .flags = 0x00010006u,
                       .begin_flags = 0x00010006u};
    FZ_CHECK(of_journal_append(j, &extra) == OF_HISTORY_OK);
    of_journal_close(j);
    j = NULL;
    FZ_CHECK(of_journal_open(&j, memfs_fs(m), JPATH, NOW, &rep) == OF_HISTORY_OK);
    FZ_CHECK(!rep.cut_kept && !rep.moved_aside && of_journal_count(j) == n + 1);
    FZ_CHECK(same_fields(of_journal_get(j, n), &extra));

    /* Merged into an empty history: every record, in order; the journal gone. */
    of_history *h = NULL;
    FZ_CHECK(of_history_open(&h, memfs_fs(m), HPATH, 0, NOW, NULL) == OF_HISTORY_OK);
    size_t merged = 0;
    FZ_CHECK(of_journal_merge(j, h, &merged) == OF_HISTORY_OK);
    FZ_CHECK(merged == n + 1 && of_history_count(h) == n + 1 && of_journal_count(j) == 0);
    FZ_CHECK(!memfs_exists(m, JPATH));
    for (size_t i = 0; i < n; i++)
        FZ_CHECK(same_fields(of_history_get(h, i), &recs[i]));
    FZ_CHECK(same_fields(of_history_get(h, n), &extra));
    of_journal_close(j);

    /* The same journal once more, as a crash before its removal leaves it:
     * nothing is added twice. */
    j = NULL;
    FZ_CHECK(of_journal_open(&j, memfs_fs(m), JPATH, NOW, NULL) == OF_HISTORY_OK);
    for (size_t i = 0; i < n; i++)
        FZ_CHECK(of_journal_append(j, &recs[i]) == OF_HISTORY_OK);
    FZ_CHECK(of_journal_append(j, &extra) == OF_HISTORY_OK);
    FZ_CHECK(of_journal_merge(j, h, &merged) == OF_HISTORY_OK);
    FZ_CHECK(merged == 0 && of_history_count(h) == n + 1);

    of_journal_close(j);
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);
    FZ_CHECK(memfs_open_handles(m) == 0);
    free(recs);
    memfs_free(m);
    return 0;
}
