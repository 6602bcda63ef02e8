/* ofnotify fuzzing: the conflicts file's loader and repair, and changes
 * after it (core/conflicts).
 *
 * The input is conflicts.dat, put into the in-memory file system. It is
 * opened (which repairs it); nothing it held may be lost: an untouched file
 * is byte for byte the input, a cut torn tail is kept in a file of its own
 * and the log is the rest, a file moved aside is the input. The set it
 * loaded must open again cleanly, the same; a put and a remove must be there
 * after another open, and the set must survive a compaction. */
#include "fuzzcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/conflicts.h"
#include "fuzzstore.h"

#define CPATH "data/conflicts.dat"
#define NOW INT64_C(1800000000000)

/* Both sets hold the same conflicts, in the same order. */
static void same_set(const of_conflicts *a, const of_conflicts *b)
{
    FZ_CHECK(of_conflicts_count(a) == of_conflicts_count(b));
    for (size_t i = 0; i < of_conflicts_count(a); i++) {
        const of_conflict *x = of_conflicts_get(a, i), *y = of_conflicts_get(b, i);
        FZ_CHECK(strcmp(x->path, y->path) == 0 && x->time_ms == y->time_ms && x->state == y->state);
    }
}

static of_conflicts *reopen_clean(memfs *m)
{
    of_conflicts *c = NULL;
    of_conflicts_report rep;
    FZ_CHECK(of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, &rep) == OF_HISTORY_OK);
    FZ_CHECK(!rep.cut_kept && !rep.moved_aside && rep.dropped_bytes == 0);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memfs *m = fz_fs_with(CPATH, data, size);
    of_conflicts *c = NULL, *again;
    of_conflicts_report rep;

    of_history_err err = of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, &rep);
    const fz_kept kept = {rep.cut_kept, rep.cut_to, rep.moved_aside, rep.moved_to, rep.dropped_bytes};
    if (!fz_check_opened(m, CPATH, data, size, err, c != NULL, &kept)) {
        memfs_free(m);
        return 0;
    }
    size_t n = of_conflicts_count(c);
    FZ_CHECK(n <= OF_CONFLICTS_MAX);
    for (size_t i = 0; i < n; i++) {
        const of_conflict *x = of_conflicts_get(c, i);
        FZ_CHECK(x != NULL && x->path[0] != '\0' && strlen(x->path) <= OF_CONFLICT_PATH_MAX);
    }
    of_conflicts_close(c);
    FZ_CHECK(memfs_open_handles(m) == 0);

    /* What the repair left opens cleanly, the same, twice. */
    c = reopen_clean(m);
    again = reopen_clean(m);
    same_set(c, again);
    of_conflicts_close(again);

    /* A new conflict and the removal of the first one stand after a reopen. */
    int added = 0, removed = 0;
    FZ_CHECK(of_conflicts_put(c, "\\\\fuzz\\share\\new.txt", NOW, 12, &added) == OF_HISTORY_OK);
    if (n > 0) {
        char first[OF_CONFLICT_PATH_MAX + 1];
        snprintf(first, sizeof first, "%s", of_conflicts_get(c, 0)->path);
        FZ_CHECK(of_conflicts_remove(c, first, &removed) == OF_HISTORY_OK && removed);
    }
    size_t want = of_conflicts_count(c);
    FZ_CHECK(want == n + (size_t)added - (size_t)removed);
    again = reopen_clean(m);
    same_set(c, again);
    of_conflicts_close(again);

    /* Enough changes for a compaction: the set survives it. */
    for (int i = 0; i < 80; i++) {
        FZ_CHECK(of_conflicts_put(c, "\\\\fuzz\\share\\churn.txt", NOW + i, 39, NULL) == OF_HISTORY_OK);
        FZ_CHECK(of_conflicts_remove(c, "\\\\fuzz\\share\\churn.txt", NULL) == OF_HISTORY_OK);
    }
    FZ_CHECK(of_conflicts_count(c) == want);
    FZ_CHECK(of_conflicts_log_frames(c) < 64 + want);
    again = reopen_clean(m);
    same_set(c, again);
    of_conflicts_close(again);

    of_conflicts_close(c);
    FZ_CHECK(memfs_open_handles(m) == 0);
    memfs_free(m);
    return 0;
}
