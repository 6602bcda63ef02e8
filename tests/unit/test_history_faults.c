/* Tests for core/history: failing appends, opens and compactions through
 * memfs fault injection and simulated crashes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ofnotify/history.h"
#include "support/histtest.h"
#include "support/memfs.h"

/* ---- append failures ---------------------------------------------------------- */

/* After a failed append the file is exactly as before, memory too, and the
 * next append gets the same seq. */
static void check_append_failure(memfs *m, of_history *h, size_t k, of_history_err expect)
{
    size_t len;
    unsigned char *before = snapshot(m, PATH, &len);
    of_record r = rec_of(k + 1);
    assert_int_equal(of_history_append(h, &r), expect);
    assert_int_equal(r.seq, 0);
    assert_int_equal(of_history_count(h), k);
    assert_int_equal(of_history_next_seq(h), k + 1);
    assert_file_is(m, PATH, before, len);
    free(before);
    memfs_clear_faults(m);
    append_ok(h, k + 1);
}

static void test_append_failures_leave_the_file_valid(void **state)
{
    (void)state;
    memfs *m = fs_with(2);
    of_history *h = open_w(m, NULL);
    size_t k = 2;

    for (size_t short_by = 1; short_by <= FRAME; short_by++) {
        memfs_short_write(m, 1, short_by);
        check_append_failure(m, h, k++, OF_HISTORY_E_WRITE);
    }
    memfs_fail(m, MEMFS_WRITE, 1, OF_FS_ERR_IO);
    check_append_failure(m, h, k++, OF_HISTORY_E_WRITE);
    memfs_fail(m, MEMFS_WRITE, 1, OF_FS_ERR_NO_SPACE);
    check_append_failure(m, h, k++, OF_HISTORY_E_DISK_FULL);
    memfs_fail(m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    check_append_failure(m, h, k++, OF_HISTORY_E_SYNC);
    for (size_t room = 0; room < FRAME; room++) {
        memfs_disk_full_after(m, room);
        check_append_failure(m, h, k++, OF_HISTORY_E_DISK_FULL);
    }
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    of_history_report rep;
    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seqs(h, 1, k);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_failed_cleanup_is_retried_or_recovered(void **state)
{
    (void)state;
    /* Sync fails and so does the cut: the whole frame stays on disk but is
     * not claimed; the next append cuts it first, so seq 4 is never doubled. */
    memfs *m = fs_with(3);
    of_history *h = open_w(m, NULL);
    memfs_fail(m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    memfs_fail(m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    of_record r = rec_of(4);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_SYNC);
    assert_int_equal(of_history_count(h), 3);
    /* The retry of the cut fails too: nothing is written after the leftover. */
    memfs_fail(m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    unsigned long writes = memfs_calls(m, MEMFS_WRITE);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_TRUNCATE);
    assert_int_equal(memfs_calls(m, MEMFS_WRITE), writes);
    append_ok(h, 4);
    append_ok(h, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    of_history_report rep;
    h = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seqs(h, 1, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);

    /* Short write, failed cut, then the app exits: the next start finds a
     * torn tail, keeps its bytes and cuts it. The frame carried seq 4, so
     * the next record gets 5. */
    m = fs_with(3);
    h = open_w(m, NULL);
    memfs_short_write(m, 1, 7);
    memfs_fail(m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_WRITE);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_int_equal(rep.dropped_bytes, FRAME - 7);
    assert_true(rep.cut_kept);
    assert_int_equal(rep.cut_seq, 4);
    assert_seqs(h, 1, 3);
    append_ok(h, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_open_failures_are_reported(void **state)
{
    (void)state;
    struct {
        memfs_op op;
        of_fs_err err;
        of_history_err expect;
    } cases[] = {
        {MEMFS_OPEN_WRITE, OF_FS_ERR_ACCESS, OF_HISTORY_E_ACCESS},
        {MEMFS_OPEN_WRITE, OF_FS_ERR_IO, OF_HISTORY_E_OPEN},
        {MEMFS_OPEN_READ, OF_FS_ERR_IO, OF_HISTORY_E_OPEN},
        {MEMFS_READ, OF_FS_ERR_IO, OF_HISTORY_E_READ},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memfs *m = fs_with(2);
        size_t len;
        unsigned char *before = snapshot(m, PATH, &len);
        memfs_fail(m, cases[i].op, 1, cases[i].err);
        of_history *h = NULL;
        assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, NULL), cases[i].expect);
        assert_null(h);
        assert_int_equal(memfs_open_handles(m), 0);
        assert_file_is(m, PATH, before, len);
        free(before);
        memfs_free(m);
    }
    /* Creating the first file fails at each step: nothing half-made remains. */
    const memfs_op steps[] = {MEMFS_OPEN_WRITE, MEMFS_WRITE, MEMFS_SYNC, MEMFS_REPLACE};
    const unsigned long nth[] = {2, 1, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        memfs *m = memfs_new();
        memfs_fail(m, steps[i], nth[i], OF_FS_ERR_NO_SPACE);
        of_history *h = NULL;
        assert_int_not_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, NULL), OF_HISTORY_OK);
        assert_null(h);
        assert_int_equal(memfs_file_count(m), 0);
        assert_int_equal(memfs_open_handles(m), 0);
        memfs_free(m);
    }
}

/* Keeping and cutting a torn tail fails at each step: open fails, no byte is
 * lost, and the next start does it. Two tails: 8 bytes (no whole seq: cut in
 * place) and 45 bytes (seq 2: rewritten with the header's next_seq past it). */
static void test_torn_tail_keep_and_cut_failures(void **state)
{
    (void)state;
    memfs *base = fs_with(2);
    size_t full;
    unsigned char *img = snapshot(base, PATH, &full);
    struct {
        size_t tail;
        memfs_op op;
        unsigned long nth;
        of_history_err expect;
        int kept;     /* the cut bytes were kept before the failure */
        int file_cut; /* and the history already lost them */
    } cases[] = {
        {8, MEMFS_OPEN_WRITE, 2, OF_HISTORY_E_OPEN, 0, 0},   /* the copy's temporary file */
        {8, MEMFS_WRITE, 1, OF_HISTORY_E_WRITE, 0, 0},
        {8, MEMFS_SYNC, 1, OF_HISTORY_E_SYNC, 0, 0},
        {8, MEMFS_CLOSE, 2, OF_HISTORY_E_CLOSE, 0, 0},       /* after the reader's */
        {8, MEMFS_RENAME_ASIDE, 1, OF_HISTORY_E_RENAME, 0, 0},
        {8, MEMFS_TRUNCATE, 1, OF_HISTORY_E_TRUNCATE, 1, 0},
        {8, MEMFS_SYNC, 2, OF_HISTORY_E_SYNC, 1, 1},
        {FRAME - 5, MEMFS_RENAME_ASIDE, 1, OF_HISTORY_E_RENAME, 0, 0},
        {FRAME - 5, MEMFS_OPEN_WRITE, 3, OF_HISTORY_E_OPEN, 1, 0}, /* the rewrite's temporary file */
        {FRAME - 5, MEMFS_WRITE, 2, OF_HISTORY_E_WRITE, 1, 0},
        {FRAME - 5, MEMFS_SYNC, 2, OF_HISTORY_E_SYNC, 1, 0},
        {FRAME - 5, MEMFS_REPLACE, 1, OF_HISTORY_E_RENAME, 1, 0},
    };
    char cut[256];
    cut_name(cut, sizeof cut, "");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = full - FRAME + cases[i].tail;
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, img, len), 0);
        memfs_fail(m, cases[i].op, cases[i].nth, OF_FS_ERR_IO);
        of_history *h = NULL;
        assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, NULL), cases[i].expect);
        assert_null(h);
        assert_int_equal(memfs_open_handles(m), 0);
        assert_false(memfs_exists(m, TMP_PATH));
        if (cases[i].kept)
            assert_file_is(m, cut, img + full - FRAME, cases[i].tail);
        else
            assert_false(memfs_exists(m, cut));
        assert_file_is(m, PATH, img, cases[i].file_cut ? full - FRAME : len);

        memfs_clear_faults(m);
        of_history_report rep;
        h = open_w(m, &rep);
        assert_int_equal(rep.issue, cases[i].file_cut ? OF_HISTORY_ISSUE_NONE : OF_HISTORY_ISSUE_TORN_TAIL);
        assert_seqs(h, 1, 1);
        assert_int_equal(of_history_next_seq(h), cases[i].tail >= 12 ? 3 : 2);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
    free(img);
    memfs_free(base);
}

/* ---- compaction faults -------------------------------------------------------- */

/* Runs a compaction (keep newest 3 of 10) with op failing at its nth call. */
static void compact_with_fault(memfs_op op, unsigned long nth)
{
    memfs *m = fs_with(10);
    size_t len;
    unsigned char *orig = snapshot(m, PATH, &len);
    of_history *h = open_w(m, NULL);
    memfs_fail(m, op, nth, OF_FS_ERR_IO);
    uint64_t removed = 99;
    of_history_err err = of_history_compact(h, 3, 0, NOW, &removed);
    memfs_clear_faults(m);
    assert_false(memfs_exists(m, TMP_PATH));
    if (err != OF_HISTORY_OK) {
        assert_int_equal(removed, 0);
        assert_file_is(m, PATH, orig, len);
        assert_seqs(h, 1, 10);
    } else {
        /* Only steps after the atomic replace may fail without failing the
         * compaction (closing the old handle, reopening the new file). */
        assert_true(op == MEMFS_CLOSE || op == MEMFS_OPEN_WRITE);
        assert_int_equal(removed, 7);
        assert_seqs(h, 8, 3);
    }
    append_ok(h, 11);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_open_handles(m), 0);
    of_history_report rep;
    h = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    if (err != OF_HISTORY_OK)
        assert_seqs(h, 1, 11);
    else
        assert_seqs(h, 8, 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_file_count(m), 1);
    free(orig);
    memfs_free(m);
}

static void test_compaction_failing_at_every_step(void **state)
{
    (void)state;
    /* Count the calls of a clean compaction, then fail each one in turn. */
    memfs *m = fs_with(10);
    of_history *h = open_w(m, NULL);
    unsigned long before[MEMFS_OP_COUNT];
    for (int op = 0; op < MEMFS_OP_COUNT; op++)
        before[op] = memfs_calls(m, (memfs_op)op);
    assert_int_equal(of_history_compact(h, 3, 0, NOW, NULL), OF_HISTORY_OK);
    unsigned long total = 0;
    for (int op = 0; op < MEMFS_OP_COUNT; op++) {
        unsigned long calls = memfs_calls(m, (memfs_op)op) - before[op];
        total += calls;
        for (unsigned long nth = 1; nth <= calls; nth++)
            compact_with_fault((memfs_op)op, nth);
    }
    assert_true(total >= 6); /* open tmp, write, sync, close x2, replace, reopen */
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_crash_at_every_byte_of_a_compaction(void **state)
{
    (void)state;
    const size_t k = 6;
    size_t tmp_size = HDR + 2 * FRAME;
    for (size_t n = 0; n <= tmp_size; n++) {
        memfs *m = fs_with(k);
        size_t len;
        unsigned char *orig = snapshot(m, PATH, &len);
        of_history *h = open_w(m, NULL);
        memfs_crash_after(m, n);
        assert_int_not_equal(of_history_compact(h, 2, 0, NOW, NULL), OF_HISTORY_OK);
        (void)of_history_close(h);
        memfs *after = memfs_clone(m);
        assert_file_is(after, PATH, orig, len);
        h = open_w(after, NULL);
        assert_seqs(h, 1, k);
        assert_int_equal(of_history_compact(h, 2, 0, NOW, NULL), OF_HISTORY_OK);
        assert_seq_range(h, k - 1, 2);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        free(orig);
        memfs_free(after);
        memfs_free(m);
    }
}

static void test_lost_append_handle_is_reopened(void **state)
{
    (void)state;
    /* The replace fails and so does reopening the old file: the store has no
     * handle; the next append opens the file again. */
    memfs *m = fs_with(5);
    of_history *h = open_w(m, NULL);
    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    memfs_fail(m, MEMFS_OPEN_WRITE, 2, OF_FS_ERR_IO);
    assert_int_equal(of_history_compact(h, 1, 0, NOW, NULL), OF_HISTORY_E_RENAME);
    assert_int_equal(memfs_open_handles(m), 0);
    memfs_fail(m, MEMFS_OPEN_WRITE, 1, OF_FS_ERR_ACCESS);
    of_record r = rec_of(6);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_ACCESS);
    assert_int_equal(of_history_count(h), 5);
    append_ok(h, 6);
    assert_int_equal(memfs_open_handles(m), 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, NULL);
    assert_seqs(h, 1, 6);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_failures_leave_the_file_valid),
        cmocka_unit_test(test_failed_cleanup_is_retried_or_recovered),
        cmocka_unit_test(test_open_failures_are_reported),
        cmocka_unit_test(test_torn_tail_keep_and_cut_failures),
        cmocka_unit_test(test_compaction_failing_at_every_step),
        cmocka_unit_test(test_crash_at_every_byte_of_a_compaction),
        cmocka_unit_test(test_lost_append_handle_is_reopened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
