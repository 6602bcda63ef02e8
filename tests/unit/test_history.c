/* Tests for core/history: format, append, retention, scale; through memfs
 * and stdiofs (real files). Damaged files: test_history_recovery.c; faults:
 * test_history_faults.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofnotify/history.h"
#include "support/histtest.h"
#include "support/memfs.h"
#include "support/stdiofs.h"

/* ---- format and basic operation ------------------------------------------------- */

static void test_new_file_is_created_whole(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_true(rep.no_file);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_next_seq(h), 1);
    unsigned char want[HDR];
    t_header(want, 1, MINOR, HDR, 1);
    assert_file_is(m, PATH, want, HDR);
    assert_false(memfs_exists(m, TMP_PATH));
    assert_int_equal(memfs_file_count(m), 1);
    /* Created through the temporary file, never written in place. */
    assert_int_equal(memfs_calls(m, MEMFS_REPLACE), 1);
    assert_int_equal(memfs_open_handles(m), 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_open_handles(m), 0);
    memfs_free(m);
}

static void test_on_disk_bytes_match_documented_format(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    of_record r = {.seq = 999, /* ignored: the store numbers records */
                   .started_ms = OF_TIME_UNKNOWN,
                   .completed_ms = INT64_C(-5),
                   .duration_ms = UINT64_MAX,
                   .flags = 0xDEADBEEFu,
                   .begin_flags = 0x01020304u,
                   .status = OF_STATUS_UNPAIRED,
                   .reason = OF_REASON_NONE};
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, 1);
    unsigned char want[HDR + FRAME];
    t_header(want, 1, MINOR, HDR, 1);
    t_frame(want + HDR, &r, 0);
    assert_file_is(m, PATH, want, sizeof want);
    /* Spot-check the byte order by hand, independent of le(). */
    assert_int_equal(want[10], 2); /* written as 1.2 */
    assert_int_equal(want[HDR + 0], 42); /* an ordinary record is a 1.0-sized frame */
    assert_int_equal(want[HDR + 4], 1);
    assert_int_equal(want[HDR + 4 + 32], 0xEF);
    assert_int_equal(want[HDR + 4 + 35], 0xDE);
    assert_int_equal(want[HDR + 4 + 15], 0x80); /* INT64_MIN's top byte */
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    of_history *ro = open_ro(m, NULL);
    const of_record *g = of_history_get(ro, 0);
    assert_true(g->started_ms == OF_TIME_UNKNOWN);
    assert_true(g->completed_ms == -5);
    assert_true(g->duration_ms == UINT64_MAX);
    assert_int_equal(g->flags, 0xDEADBEEFu);
    assert_int_equal(g->begin_flags, 0x01020304u);
    assert_int_equal(g->status, OF_STATUS_UNPAIRED);
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_append_and_reload(void **state)
{
    (void)state;
    memfs *m = fs_with(10);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_false(rep.no_file);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(rep.records, 10);
    assert_int_equal(rep.file_major, 1);
    assert_seqs(h, 1, 10);
    append_ok(h, 11);
    assert_seqs(h, 1, 11);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    size_t len;
    memfs_get(m, PATH, &len);
    assert_int_equal(len, HDR + 11 * FRAME);
    h = open_ro(m, &rep);
    assert_seqs(h, 1, 11);
    assert_int_equal(of_history_next_seq(h), 12);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* Every reason this version knows, the newest (FAILED, "Sync now" that did
 * not finish) included, is accepted by append and comes back on reload. */
static void test_every_reason_round_trips(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    for (unsigned reason = OF_REASON_DATALOST; reason < OF_REASON_COUNT; reason++) {
        of_record r = rec_of(reason);
        r.status = OF_STATUS_INTERRUPTED;
        r.reason = (uint8_t)reason;
        assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    }
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    h = open_ro(m, NULL);
    assert_int_equal(of_history_count(h), OF_REASON_COUNT - 1);
    for (unsigned reason = OF_REASON_DATALOST; reason < OF_REASON_COUNT; reason++) {
        const of_record *g = of_history_get(h, reason - 1);
        assert_int_equal(g->status, OF_STATUS_INTERRUPTED);
        assert_int_equal(g->reason, reason);
    }
    assert_int_equal(of_history_get(h, OF_REASON_COUNT - 2)->reason, OF_REASON_FAILED);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_reads_in_small_pieces(void **state)
{
    (void)state;
    memfs *m = fs_with(40);
    memfs_set_read_chunk(m, 7);
    of_history *h = open_w(m, NULL);
    assert_seqs(h, 1, 40);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_set_read_chunk(m, 1);
    h = open_ro(m, NULL);
    assert_seqs(h, 1, 40);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    memfs *m = fs_with(1);
    of_history *h = NULL;
    of_history_report rep;
    assert_int_equal(of_history_open(NULL, memfs_fs(m), PATH, 0, NOW, &rep), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_open(&h, NULL, PATH, 0, NOW, &rep), OF_HISTORY_E_INVALID);
    assert_null(h);
    assert_int_equal(of_history_open(&h, memfs_fs(m), NULL, 0, NOW, &rep), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_open(&h, memfs_fs(m), "", 0, NOW, &rep), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0x80, NOW, &rep), OF_HISTORY_E_INVALID);
    of_fs partial = *memfs_fs(m);
    partial.remove = NULL;
    assert_int_equal(of_history_open(&h, &partial, PATH, 0, NOW, &rep), OF_HISTORY_E_INVALID);
    assert_null(h);

    h = open_w(m, NULL);
    of_record r = rec_of(2);
    assert_int_equal(of_history_append(h, NULL), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_append(NULL, &r), OF_HISTORY_E_INVALID);
    r.status = OF_STATUS_COUNT;
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_INVALID);
    r = rec_of(2);
    r.reason = OF_REASON_COUNT;
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_count(h), 1);
    assert_int_equal(of_history_compact(NULL, 1, 0, NOW, NULL), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_clear(NULL), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_count(NULL), 0);
    assert_null(of_history_get(NULL, 0));
    assert_int_equal(of_history_close(NULL), OF_HISTORY_OK);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_open_handles(m), 0);
    memfs_free(m);
}

static void test_read_only_refuses_changes(void **state)
{
    (void)state;
    memfs *m = fs_with(3);
    size_t len;
    unsigned char *before = snapshot(m, PATH, &len);
    unsigned long opens = memfs_calls(m, MEMFS_OPEN_WRITE);
    of_history *h = open_ro(m, NULL);
    of_record r = rec_of(4);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_READONLY);
    assert_int_equal(of_history_compact(h, 1, 0, NOW, NULL), OF_HISTORY_E_READONLY);
    assert_int_equal(of_history_clear(h), OF_HISTORY_E_READONLY);
    assert_int_equal(memfs_open_handles(m), 0); /* read-only keeps nothing open */
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_file_is(m, PATH, before, len);
    assert_int_equal(memfs_calls(m, MEMFS_OPEN_WRITE), opens);
    free(before);
    memfs_free(m);
}

static void test_single_writer_but_readers_allowed(void **state)
{
    (void)state;
    memfs *m = fs_with(2);
    of_history *w = open_w(m, NULL);
    of_history *w2 = NULL;
    assert_int_equal(of_history_open(&w2, memfs_fs(m), PATH, 0, NOW, NULL), OF_HISTORY_E_ACCESS);
    assert_null(w2);
    append_ok(w, 3);
    of_history *ro = open_ro(m, NULL);
    assert_seqs(ro, 1, 3);
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    assert_int_equal(of_history_close(w), OF_HISTORY_OK);
    assert_int_equal(memfs_open_handles(m), 0);
    memfs_free(m);
}

static void test_error_texts(void **state)
{
    (void)state;
    for (int i = 0; i < OF_HISTORY_E_COUNT; i++) {
        const char *t = of_history_error_text((of_history_err)i);
        assert_non_null(t);
        assert_true(strlen(t) > 3);
        assert_string_not_equal(t, "unknown error");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(t, of_history_error_text((of_history_err)j));
    }
    assert_string_equal(of_history_error_text(OF_HISTORY_E_COUNT), "unknown error");
    assert_string_equal(of_history_error_text((of_history_err)-1), "unknown error");
    for (int i = 0; i < OF_HISTORY_ISSUE_COUNT; i++) {
        const char *t = of_history_issue_text((of_history_issue)i);
        assert_string_not_equal(t, "unknown issue");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(t, of_history_issue_text((of_history_issue)j));
    }
    assert_string_equal(of_history_issue_text(OF_HISTORY_ISSUE_COUNT), "unknown issue");
}

/* ---- retention and clear ---------------------------------------------------------- */

/* n records; record i completed i days before NOW (record n: today). */
static memfs *fs_with_ages(size_t n)
{
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    for (size_t i = 1; i <= n; i++) {
        of_record r = rec_of(i);
        r.completed_ms = NOW - (int64_t)(n - i) * DAY;
        assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    }
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    return m;
}

static void test_retention_by_count_age_and_both(void **state)
{
    (void)state;
    struct {
        uint64_t max_count;
        uint32_t max_age_days;
        uint64_t first_kept;
    } cases[] = {
        {4, 0, 7},   /* newest 4 of 10 */
        {0, 3, 7},   /* completed within 3 days: ages 0..3 (exactly 3 days is kept) */
        {2, 3, 9},   /* both: the stricter wins */
        {6, 1, 9},
        {1, 0, 10},
        {100, 100, 1}, /* nothing to drop: file untouched */
        {0, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memfs *m = fs_with_ages(10);
        of_history *h = open_w(m, NULL);
        unsigned long replaces = memfs_calls(m, MEMFS_REPLACE);
        uint64_t removed = 99;
        assert_int_equal(of_history_compact(h, cases[i].max_count, cases[i].max_age_days, NOW, &removed),
                         OF_HISTORY_OK);
        size_t kept = (size_t)(11 - cases[i].first_kept);
        assert_int_equal(removed, 10 - kept);
        assert_seq_range(h, cases[i].first_kept, kept);
        assert_int_equal(memfs_calls(m, MEMFS_REPLACE), replaces + (kept < 10 ? 1 : 0));
        assert_int_equal(of_history_next_seq(h), 11);
        of_record r = rec_of(11);
        assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
        assert_int_equal(r.seq, 11);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);

        of_history_report rep;
        h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_int_equal(of_history_count(h), kept + 1);
        assert_int_equal(of_history_get(h, 0)->seq, cases[i].first_kept);
        assert_int_equal(of_history_get(h, kept)->seq, 11);
        assert_rec(of_history_get(h, kept), 11);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        assert_false(memfs_exists(m, TMP_PATH));
        assert_int_equal(memfs_file_count(m), 1);
        memfs_free(m);
    }
}

static void test_age_cutoff_does_not_overflow(void **state)
{
    (void)state;
    memfs *m = fs_with(3);
    of_history *h = open_w(m, NULL);
    uint64_t removed = 7;
    /* now far in the past: the cutoff saturates and nothing is dropped. */
    assert_int_equal(of_history_compact(h, 0, UINT32_MAX, INT64_MIN + 5, &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 0);
    /* now far in the future: everything is older than a day. */
    assert_int_equal(of_history_compact(h, 0, 1, INT64_MAX, &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_seq_continues_across_clear_compaction_and_reopen(void **state)
{
    (void)state;
    memfs *m = fs_with(5);
    of_history *h = open_w(m, NULL);
    assert_int_equal(of_history_clear(h), OF_HISTORY_OK);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_next_seq(h), 6);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    size_t len;
    memfs_get(m, PATH, &len);
    assert_int_equal(len, HDR);
    h = open_w(m, NULL);
    assert_int_equal(of_history_next_seq(h), 6); /* from the header */
    append_ok(h, 6);
    append_ok(h, 7);
    assert_int_equal(of_history_compact(h, 1, 0, NOW, NULL), OF_HISTORY_OK);
    assert_seq_range(h, 7, 1);
    assert_int_equal(of_history_clear(h), OF_HISTORY_OK);
    assert_int_equal(of_history_clear(h), OF_HISTORY_OK); /* empty: no-op */
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, NULL);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_next_seq(h), 8);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_w(m, NULL);
    append_ok(h, 8);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_stale_temporary_file_is_harmless(void **state)
{
    (void)state;
    memfs *m = fs_with(4);
    assert_int_equal(memfs_put(m, TMP_PATH, "leftover of a crash", 19), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seqs(h, 1, 4);
    assert_int_equal(of_history_compact(h, 2, 0, NOW, NULL), OF_HISTORY_OK);
    assert_false(memfs_exists(m, TMP_PATH));
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, NULL);
    assert_seq_range(h, 3, 2);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_seq_limit_is_an_error_until_renumbered(void **state)
{
    (void)state;
    unsigned char hdr[HDR];
    t_header(hdr, 1, 0, HDR, UINT64_MAX);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, hdr, HDR), 0);
    of_history *h = open_w(m, NULL);
    of_record r = rec_of(1);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_SEQ_LIMIT);
    assert_int_equal(r.seq, 0);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_next_seq(h), UINT64_MAX);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);

    /* A valid record numbered just below the limit: one more fits, then the
     * numbers are used up, nothing wraps and nothing more is written. */
    unsigned char img[HDR + 2 * FRAME];
    of_record near = rec_of(3);
    near.seq = UINT64_MAX - 2;
    size_t len = t_header(img, 1, 0, HDR, 5);
    len += t_frame(img + len, &near, 0);
    m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    h = open_w(m, NULL);
    assert_int_equal(of_history_next_seq(h), UINT64_MAX - 1);
    r = rec_of(4);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_true(r.seq == UINT64_MAX - 1);
    size_t before;
    unsigned char *full = snapshot(m, PATH, &before);
    r = rec_of(5);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_SEQ_LIMIT);
    assert_int_equal(r.seq, 0);
    assert_file_is(m, PATH, full, before);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_w(m, NULL);
    assert_int_equal(of_history_count(h), 2);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_SEQ_LIMIT);

    /* Renumbering starts again at 1 and keeps the old numbers; if it fails,
     * nothing changed. */
    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    assert_int_equal(of_history_renumber(h), OF_HISTORY_E_RENAME);
    assert_true(of_history_get(h, 1)->seq == UINT64_MAX - 1);
    assert_false(of_history_original_seq(h, 1, NULL));
    assert_int_equal(of_history_next_seq(h), UINT64_MAX);
    assert_file_is(m, PATH, full, before);
    assert_int_equal(of_history_renumber(h), OF_HISTORY_OK);
    uint64_t orig = 0;
    assert_seq_range(h, 1, 2);
    assert_true(of_history_original_seq(h, 0, &orig));
    assert_true(orig == UINT64_MAX - 2);
    assert_true(of_history_original_seq(h, 1, &orig));
    assert_true(orig == UINT64_MAX - 1);
    assert_true(of_history_get(h, 1)->completed_ms == rec_of(4).completed_ms);
    append_ok(h, 3);
    assert_false(of_history_original_seq(h, 2, NULL));
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, NULL);
    assert_seq_range(h, 1, 3);
    assert_true(of_history_original_seq(h, 0, &orig));
    assert_true(orig == UINT64_MAX - 2);
    assert_int_equal(of_history_next_seq(h), 4);
    assert_int_equal(of_history_renumber(h), OF_HISTORY_E_READONLY);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(of_history_renumber(NULL), OF_HISTORY_E_INVALID);
    free(full);
    memfs_free(m);

    /* A record numbered 2^64 - 1 loads; the store is full at once. */
    near.seq = UINT64_MAX;
    len = t_header(img, 1, 0, HDR, 5);
    len += t_frame(img + len, &near, 0);
    m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    h = open_w(m, NULL);
    assert_int_equal(of_history_count(h), 1);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_SEQ_LIMIT);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* ---- scale --------------------------------------------------------------------- */

static void test_100k_appends_and_reload(void **state)
{
    (void)state;
    const size_t n = 100000;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    for (size_t i = 1; i <= n; i++) {
        of_record r = rec_of(i);
        assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    }
    assert_int_equal(memfs_calls(m, MEMFS_WRITE), n + 1); /* one write per record (+ header) */
    assert_int_equal(memfs_calls(m, MEMFS_SYNC), n + 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    unsigned long reads = memfs_calls(m, MEMFS_READ);
    of_history_report rep;
    h = open_w(m, &rep);
    assert_int_equal(rep.records, n);
    /* One pass in large reads. */
    assert_true(memfs_calls(m, MEMFS_READ) - reads < (HDR + n * FRAME) / 16384 + 4);
    for (size_t i = 0; i < n; i += 997)
        assert_rec(of_history_get(h, i), i + 1);
    assert_rec(of_history_get(h, n - 1), n);
    append_ok(h, n + 1);
    assert_int_equal(of_history_compact(h, 1000, 0, NOW, NULL), OF_HISTORY_OK);
    assert_seq_range(h, n + 1 - 999, 1000);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_one_million_records_load(void **state)
{
    (void)state;
    const size_t n = 1000000;
    size_t len;
    unsigned char *img = t_image(1, n, &len);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    free(img);
    clock_t t0 = clock();
    of_history *h = open_ro(m, NULL);
    clock_t t1 = clock();
    assert_int_equal(of_history_count(h), n);
    assert_rec(of_history_get(h, 0), 1);
    assert_rec(of_history_get(h, 123456), 123457);
    assert_rec(of_history_get(h, n - 1), n);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    print_message("    1,000,000 records (%lu bytes) loaded in %.0f ms\n", (unsigned long)len,
                  (double)(t1 - t0) * 1000.0 / CLOCKS_PER_SEC);
    memfs_free(m);
}

/* ---- real files through stdiofs ------------------------------------------------ */

static void real_path(char *buf, size_t cap, const char *suffix)
{
    const char *dir = getenv("TEMP"); /* Windows first: TMPDIR may hold a Unix path under Wine */
    if (dir == NULL || dir[0] == '\0')
        dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = ".";
    snprintf(buf, cap, "%s/ofnotify-test-history-%lu%s", dir, (unsigned long)time(NULL), suffix);
}

static long real_size(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return -1;
    long n = 0;
    while (fgetc(fp) != EOF)
        n++;
    fclose(fp);
    return n;
}

static void real_cut(const char *path, long keep)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *buf = malloc((size_t)keep);
    assert_int_equal(fread(buf, 1, (size_t)keep, fp), (size_t)keep);
    fclose(fp);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, (size_t)keep, fp), (size_t)keep);
    fclose(fp);
    free(buf);
}

static void test_real_files_through_stdio(void **state)
{
    (void)state;
    char path[512], tmp[560], aside[600], cut[600];
    real_path(path, sizeof path, ".dat");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(aside, sizeof aside, "%s.corrupt-%" PRId64, path, NOW);
    snprintf(cut, sizeof cut, "%s.cut-%" PRId64, path, NOW);
    remove(path);
    remove(aside);
    remove(cut);

    const of_fs *fs = stdiofs_fs();
    of_history *h = NULL;
    of_history_report rep;
    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_true(rep.no_file);
    for (uint64_t i = 1; i <= 5; i++)
        append_ok(h, i);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)(HDR + 5 * FRAME));

    /* A torn last record, made by cutting the real file. */
    real_cut(path, (long)(HDR + 5 * FRAME - 11));
    assert_int_equal(of_history_open(&h, fs, path, OF_HISTORY_READONLY, NOW, &rep), OF_HISTORY_OK);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_seqs(h, 1, 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)(HDR + 5 * FRAME - 11));

    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_true(rep.torn_cut);
    assert_true(rep.cut_kept);
    assert_string_equal(rep.cut_to, cut);
    assert_int_equal(real_size(cut), (long)(FRAME - 11)); /* the cut bytes, kept */
    assert_int_equal(rep.cut_seq, 5);                     /* and their number is not given again */
    assert_seqs(h, 1, 4);
    assert_int_equal(real_size(path), (long)(HDR + 4 * FRAME));
    append_ok(h, 6);
    append_ok(h, 7);
    assert_int_equal(of_history_compact(h, 3, 0, NOW, NULL), OF_HISTORY_OK);
    assert_int_equal(of_history_count(h), 3);
    assert_int_equal(of_history_get(h, 0)->seq, 4);
    assert_int_equal(of_history_get(h, 1)->seq, 6);
    append_ok(h, 8);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)(HDR + 4 * FRAME));
    assert_int_equal(real_size(tmp), -1);

    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(of_history_count(h), 4);
    assert_int_equal(of_history_get(h, 3)->seq, 8);
    assert_int_equal(of_history_clear(h), OF_HISTORY_OK);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)HDR);

    /* Not a history: moved aside on the real file system. */
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("hello, I am a text file\n", fp);
    fclose(fp);
    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NOT_HISTORY);
    assert_string_equal(rep.moved_to, aside);
    assert_int_equal(real_size(aside), 24);
    assert_int_equal(of_history_next_seq(h), 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)HDR);

    assert_int_equal(remove(path), 0);
    assert_int_equal(remove(aside), 0);
    assert_int_equal(remove(cut), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_file_is_created_whole),
        cmocka_unit_test(test_on_disk_bytes_match_documented_format),
        cmocka_unit_test(test_append_and_reload),
        cmocka_unit_test(test_every_reason_round_trips),
        cmocka_unit_test(test_reads_in_small_pieces),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_read_only_refuses_changes),
        cmocka_unit_test(test_single_writer_but_readers_allowed),
        cmocka_unit_test(test_error_texts),
        cmocka_unit_test(test_retention_by_count_age_and_both),
        cmocka_unit_test(test_age_cutoff_does_not_overflow),
        cmocka_unit_test(test_seq_continues_across_clear_compaction_and_reopen),
        cmocka_unit_test(test_stale_temporary_file_is_harmless),
        cmocka_unit_test(test_seq_limit_is_an_error_until_renumbered),
        cmocka_unit_test(test_100k_appends_and_reload),
        cmocka_unit_test(test_one_million_records_load),
        cmocka_unit_test(test_real_files_through_stdio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
