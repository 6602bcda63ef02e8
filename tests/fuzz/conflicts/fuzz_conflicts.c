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
#include "support/memfs.h"

#define CPATH "data/conflicts.dat"
#define NOW INT64_C(1800000000000)

static int file_is(const memfs *m, const char *path, const uint8_t *want, size_t len)
{
    size_t got_len = 0;
    const unsigned char *got = memfs_get(m, path, &got_len);
    return got != NULL && got_len == len && (len == 0 || memcmp(got, want, len) == 0);
}

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
    memfs *m = memfs_new();
    of_conflicts *c = NULL, *again;
    of_conflicts_report rep;
    FZ_CHECK(m != NULL);
    FZ_CHECK(memfs_put(m, CPATH, data, size) == 0);

    of_history_err err = of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, &rep);
    if (err == OF_HISTORY_E_NEWER_VERSION) {
        FZ_CHECK(c == NULL && memfs_file_count(m) == 1 && file_is(m, CPATH, data, size));
        memfs_free(m);
        return 0;
    }
    FZ_CHECK(err == OF_HISTORY_OK && c != NULL);
    FZ_CHECK(memfs_open_handles(m) <= 1);
    FZ_CHECK(!(rep.cut_kept && rep.moved_aside));
    if (rep.moved_aside) {
        FZ_CHECK(file_is(m, rep.moved_to, data, size));
    } else if (rep.cut_kept) {
        size_t cut_len = 0;
        FZ_CHECK(memfs_get(m, rep.cut_to, &cut_len) != NULL && cut_len <= size);
        FZ_CHECK(file_is(m, rep.cut_to, data + size - cut_len, cut_len));
        FZ_CHECK(file_is(m, CPATH, data, size - cut_len));
        FZ_CHECK(rep.dropped_bytes == cut_len);
    } else {
        FZ_CHECK(file_is(m, CPATH, data, size));
        FZ_CHECK(rep.dropped_bytes == 0);
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
