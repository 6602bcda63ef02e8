/* Tests for core/journal: durable appends, defensive loading, merging into
 * the history without loss or duplicates, through memfs fault injection and
 * simulated crashes. Journal record i is rec_of(i), so after a merge into a
 * history of records 1..n the history must hold exactly 1..n+k (assert_seqs). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/journal.h"
#include "support/histtest.h"
#include "support/memfs.h"

#define JPATH "h.dat.journal"
#define JHDR OF_JOURNAL_HEADER_SIZE

static of_journal *open_j(memfs *m, of_journal_report *rep)
{
    of_journal *j = NULL;
    assert_int_equal(of_journal_open(&j, memfs_fs(m), JPATH, NOW, rep), OF_HISTORY_OK);
    assert_non_null(j);
    return j;
}

static void jappend_ok(of_journal *j, uint64_t i)
{
    of_record r = rec_of(i);
    r.seq = 0;
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_OK);
}

/* The journal holds rec_of(first..first+n-1), numbered 1..n. */
static void assert_journal(const of_journal *j, uint64_t first, size_t n)
{
    assert_int_equal(of_journal_count(j), n);
    for (size_t i = 0; i < n; i++) {
        of_record got = *of_journal_get(j, i);
        assert_int_equal(got.seq, i + 1);
        got.seq = first + i;
        assert_rec(&got, first + i);
    }
    assert_null(of_journal_get(j, n));
}

/* A memfs with a journal of rec_of(first..first+n-1) and, if hist, a history of 1..first-1. */
static memfs *fs_with_journal(uint64_t first, size_t n, int hist)
{
    memfs *m = hist ? fs_with((size_t)first - 1) : memfs_new();
    assert_non_null(m);
    of_journal *j = open_j(m, NULL);
    for (size_t i = 0; i < n; i++)
        jappend_ok(j, first + i);
    of_journal_close(j);
    assert_int_equal(memfs_open_handles(m), 0);
    return m;
}

/* ---- writing ------------------------------------------------------------------ */

static void test_append_is_one_write_and_one_sync(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_journal_report rep;
    of_journal *j = open_j(m, &rep);
    assert_true(rep.no_file);
    assert_false(memfs_exists(m, JPATH)); /* created only when a record needs it */
    jappend_ok(j, 1);
    for (uint64_t i = 2; i <= 5; i++) {
        unsigned long w = memfs_calls(m, MEMFS_WRITE), s = memfs_calls(m, MEMFS_SYNC);
        jappend_ok(j, i);
        assert_int_equal(memfs_calls(m, MEMFS_WRITE), w + 1);
        assert_int_equal(memfs_calls(m, MEMFS_SYNC), s + 1);
    }
    size_t len;
    const unsigned char *p = memfs_get(m, JPATH, &len);
    assert_int_equal(len, JHDR + 5 * FRAME);
    assert_memory_equal(p, "OFNJRNL\0", 8);
    assert_int_equal(p[8], OF_JOURNAL_FORMAT_MAJOR);
    /* The frames are the history's: the first one's seq field is its place. */
    assert_int_equal(p[JHDR], 42);
    assert_int_equal(p[JHDR + 4], 1);
    assert_journal(j, 1, 5);
    of_journal_close(j);
    assert_int_equal(memfs_open_handles(m), 0);

    j = open_j(m, &rep);
    assert_false(rep.no_file);
    assert_int_equal(rep.records, 5);
    assert_journal(j, 1, 5);
    jappend_ok(j, 6);
    assert_journal(j, 1, 6);
    of_journal_close(j);
    memfs_free(m);
}

static void test_failed_appends_add_nothing(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 2, 0);
    of_journal *j = open_j(m, NULL);
    uint64_t next = 3;
    for (size_t short_by = 1; short_by <= FRAME; short_by += 7) {
        memfs_short_write(m, 1, short_by);
        of_record r = rec_of(99);
        assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_WRITE);
        memfs_clear_faults(m);
        jappend_ok(j, next++);
    }
    memfs_fail(m, MEMFS_WRITE, 1, OF_FS_ERR_NO_SPACE);
    of_record r = rec_of(99);
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_DISK_FULL);
    memfs_fail(m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_SYNC);
    memfs_fail(m, MEMFS_OPEN_WRITE, 1, OF_FS_ERR_ACCESS);
    of_journal_close(j);
    j = open_j(m, NULL);
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_ACCESS);
    memfs_clear_faults(m);
    jappend_ok(j, next++);
    assert_journal(j, 1, (size_t)next - 1);
    of_journal_close(j);

    of_journal_report rep;
    j = open_j(m, &rep);
    assert_false(rep.cut_kept || rep.moved_aside);
    assert_journal(j, 1, (size_t)next - 1);
    of_journal_close(j);
    memfs_free(m);
}

/* A journal that cannot be created (the folder is unusable) fails and
 * leaves nothing behind; a later append creates it. */
static void test_create_failure(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_journal *j = open_j(m, NULL);
    memfs_fail(m, MEMFS_OPEN_WRITE, 1, OF_FS_ERR_ACCESS);
    of_record r = rec_of(1);
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_ACCESS);
    assert_int_equal(of_journal_count(j), 0);
    assert_int_equal(memfs_file_count(m), 0);
    memfs_disk_full_after(m, 3);
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_DISK_FULL);
    assert_int_equal(memfs_file_count(m), 0);
    memfs_clear_faults(m);
    jappend_ok(j, 1);
    assert_journal(j, 1, 1);
    of_journal_close(j);
    memfs_free(m);
}

/* A power cut at every byte of an append: after the reboot the journal holds
 * the records before it, and the torn frame's bytes are kept, never lost. */
static void test_crash_during_append(void **state)
{
    (void)state;
    for (size_t b = 0; b < FRAME; b++) {
        memfs *m = fs_with_journal(1, 3, 0);
        of_journal *j = open_j(m, NULL);
        memfs_crash_after(m, b);
        of_record r = rec_of(4);
        assert_int_not_equal(of_journal_append(j, &r), OF_HISTORY_OK);
        of_journal_close(j);
        memfs *after = memfs_clone(m);
        memfs_free(m);

        of_journal_report rep;
        j = open_j(after, &rep);
        assert_journal(j, 1, 3);
        assert_int_equal(rep.cut_kept, b > 0);
        assert_int_equal(rep.dropped_bytes, b);
        if (b > 0) {
            size_t len;
            assert_non_null(memfs_get(after, rep.cut_to, &len));
            assert_int_equal(len, b);
        }
        jappend_ok(j, 4);
        assert_journal(j, 1, 4);
        of_journal_close(j);
        memfs_free(after);
    }
}

/* ---- loading damaged journals --------------------------------------------------- */

static void test_torn_tail_is_kept_and_cut(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 4, 0);
    size_t len;
    unsigned char *img = snapshot(m, JPATH, &len);
    /* The last frame's CRC is damaged: its whole frame is the tail. */
    img[len - 1] ^= 0x40;
    assert_int_equal(memfs_put(m, JPATH, img, len), 0);
    of_journal_report rep;
    of_journal *j = open_j(m, &rep);
    assert_journal(j, 1, 3);
    assert_true(rep.cut_kept);
    assert_false(rep.moved_aside);
    assert_string_equal(rep.cut_to, JPATH ".cut-1700000000000");
    size_t cut_len;
    const unsigned char *cut = memfs_get(m, rep.cut_to, &cut_len);
    assert_int_equal(cut_len, FRAME);
    assert_memory_equal(cut, img + len - FRAME, FRAME);
    assert_int_equal(memfs_get(m, JPATH, &cut_len) != NULL, 1);
    assert_int_equal(cut_len, len - FRAME);
    of_journal_close(j);
    free(img);
    memfs_free(m);
}

static void test_damage_in_the_middle_is_moved_aside(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 6, 0);
    size_t len;
    unsigned char *img = snapshot(m, JPATH, &len);
    img[JHDR + 2 * FRAME + 10] ^= 0xFF; /* record 3 */
    assert_int_equal(memfs_put(m, JPATH, img, len), 0);
    of_journal_report rep;
    of_journal *j = open_j(m, &rep);
    assert_true(rep.moved_aside);
    assert_false(rep.cut_kept);
    assert_int_equal(rep.records, 5);
    assert_int_equal(rep.dropped_bytes, FRAME);
    assert_string_equal(rep.moved_to, JPATH ".corrupt-1700000000000");
    assert_file_is(m, rep.moved_to, img, len);
    static const uint64_t want[] = {1, 2, 4, 5, 6};
    for (size_t i = 0; i < 5; i++) {
        of_record got = *of_journal_get(j, i);
        assert_int_equal(got.seq, i + 1);
        got.seq = want[i];
        assert_rec(&got, want[i]);
    }
    of_journal_close(j);
    /* The new journal is clean. */
    j = open_j(m, &rep);
    assert_false(rep.moved_aside || rep.cut_kept);
    assert_int_equal(of_journal_count(j), 5);
    of_journal_close(j);
    free(img);
    memfs_free(m);
}

static void test_damaged_header_is_salvaged(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 3, 0);
    size_t len;
    unsigned char *img = snapshot(m, JPATH, &len);
    img[17] ^= 1; /* header CRC */
    assert_int_equal(memfs_put(m, JPATH, img, len), 0);
    of_journal_report rep;
    of_journal *j = open_j(m, &rep);
    assert_true(rep.moved_aside);
    assert_journal(j, 1, 3);
    assert_file_is(m, rep.moved_to, img, len);
    of_journal_close(j);
    free(img);
    memfs_free(m);
}

static void test_newer_version_is_left_alone(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 2, 0);
    size_t len;
    unsigned char *img = snapshot(m, JPATH, &len);
    img[8] = OF_JOURNAL_FORMAT_MAJOR + 1;
    le(img + 16, 0, 4);
    /* A correct CRC for the changed header, computed independently of core. */
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 16; i++) {
        crc ^= img[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    le(img + 16, crc ^ 0xFFFFFFFFu, 4);
    assert_int_equal(memfs_put(m, JPATH, img, len), 0);
    of_journal *j = (of_journal *)1;
    assert_int_equal(of_journal_open(&j, memfs_fs(m), JPATH, NOW, NULL), OF_HISTORY_E_NEWER_VERSION);
    assert_null(j);
    assert_int_equal(memfs_file_count(m), 1);
    assert_file_is(m, JPATH, img, len);
    free(img);
    memfs_free(m);
}

static void test_unreadable_journal_fails_open(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(1, 2, 0);
    memfs_fail(m, MEMFS_OPEN_READ, 1, OF_FS_ERR_ACCESS);
    of_journal *j = NULL;
    assert_int_equal(of_journal_open(&j, memfs_fs(m), JPATH, NOW, NULL), OF_HISTORY_E_ACCESS);
    assert_null(j);
    memfs_clear_faults(m);
    j = open_j(m, NULL);
    assert_journal(j, 1, 2);
    of_journal_close(j);
    memfs_free(m);
}

/* ---- merging ------------------------------------------------------------------------ */

static void test_merge_appends_in_order_then_removes(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(4, 5, 1);
    of_history *h = open_w(m, NULL);
    of_journal *j = open_j(m, NULL);
    size_t merged = 99;
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_OK);
    assert_int_equal(merged, 5);
    assert_seqs(h, 1, 8);
    assert_int_equal(of_journal_count(j), 0);
    assert_false(memfs_exists(m, JPATH));
    /* The journal can be used again. */
    jappend_ok(j, 9);
    assert_true(memfs_exists(m, JPATH));
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_OK);
    assert_int_equal(merged, 1);
    assert_seqs(h, 1, 9);
    of_journal_close(j);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_w(m, NULL);
    assert_seqs(h, 1, 9);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* A Sync now record keeps its origin through the journal, into a history
 * still in format 1.1 whose migration failed at open: the merge migrates
 * it. An origin this version does not know is refused. */
static void test_origin_survives_the_journal(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 2, &len);
    (void)t_header(img, 1, 1, HDR, 3);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    of_journal *j = open_j(m, NULL);
    of_record r = rec_of(3);
    r.origin = OF_ORIGIN_COUNT;
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_E_INVALID);
    r.origin = OF_ORIGIN_SYNC_NOW;
    assert_int_equal(of_journal_append(j, &r), OF_HISTORY_OK);
    of_journal_close(j);

    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_false(rep.migrated);
    j = open_j(m, NULL);
    assert_int_equal(of_journal_get(j, 0)->origin, OF_ORIGIN_SYNC_NOW);
    size_t merged = 0;
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_OK);
    assert_int_equal(merged, 1);
    of_journal_close(j);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, &rep);
    assert_int_equal(rep.file_minor, OF_HISTORY_FORMAT_MINOR);
    assert_seqs(h, 1, 3);
    assert_int_equal(of_history_get(h, 2)->origin, OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_get(h, 1)->origin, OF_ORIGIN_BACKGROUND);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    free(img);
    memfs_free(m);
}

/* The history fails part way (disk full): what was merged stands, the journal
 * is whole, and the next merge appends only the rest. */
static void test_failed_merge_resumes_without_duplicates(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(3, 6, 1);
    of_history *h = open_w(m, NULL);
    of_journal *j = open_j(m, NULL);
    memfs_fail(m, MEMFS_WRITE, 4, OF_FS_ERR_NO_SPACE);
    size_t merged = 99;
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_E_DISK_FULL);
    assert_int_equal(merged, 3);
    assert_seqs(h, 1, 5);
    assert_journal(j, 3, 6);
    assert_true(memfs_exists(m, JPATH));
    memfs_clear_faults(m);
    /* A record that came meanwhile goes behind the others. */
    jappend_ok(j, 9);
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_OK);
    assert_int_equal(merged, 4);
    assert_seqs(h, 1, 9);
    assert_false(memfs_exists(m, JPATH));
    of_journal_close(j);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* The journal cannot be removed after the merge: nothing is merged twice. */
static void test_failed_remove_does_not_duplicate(void **state)
{
    (void)state;
    memfs *m = fs_with_journal(3, 2, 1);
    of_history *h = open_w(m, NULL);
    of_journal *j = open_j(m, NULL);
    memfs_fail(m, MEMFS_REMOVE, 1, OF_FS_ERR_ACCESS);
    assert_int_equal(of_journal_merge(j, h, NULL), OF_HISTORY_E_ACCESS);
    assert_seqs(h, 1, 4);
    assert_journal(j, 3, 2);
    memfs_clear_faults(m);
    size_t merged = 99;
    assert_int_equal(of_journal_merge(j, h, &merged), OF_HISTORY_OK);
    assert_int_equal(merged, 0);
    assert_seqs(h, 1, 4);
    of_journal_close(j);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* A power cut at every byte of a merge (history appends, then the journal's
 * removal): after the reboot, opening both and merging again leaves every
 * record in the history exactly once, in order, and no journal. */
static void test_crash_during_merge(void **state)
{
    (void)state;
    const size_t hist = 3, jn = 4;
    size_t total = jn * FRAME + 1;
    for (size_t b = 0; b <= total; b++) {
        memfs *m = fs_with_journal(hist + 1, jn, 1);
        of_history *h = open_w(m, NULL);
        of_journal *j = open_j(m, NULL);
        memfs_crash_after(m, b);
        of_history_err err = of_journal_merge(j, h, NULL);
        int crashed = memfs_crashed(m);
        assert_true(err == OF_HISTORY_OK || crashed);
        of_journal_close(j);
        (void)of_history_close(h);
        memfs *after = memfs_clone(m);
        memfs_free(m);

        h = open_w(after, NULL);
        j = open_j(after, NULL);
        assert_int_equal(of_journal_merge(j, h, NULL), OF_HISTORY_OK);
        /* A torn history frame may have used up a number; contents and order must hold. */
        size_t n = of_history_count(h);
        assert_int_equal(n, hist + jn);
        for (size_t i = 0; i < n; i++) {
            of_record got = *of_history_get(h, i);
            assert_true(i == 0 || got.seq > of_history_get(h, i - 1)->seq);
            got.seq = i + 1;
            assert_rec(&got, i + 1);
        }
        assert_false(memfs_exists(after, JPATH));
        of_journal_close(j);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(after);
    }
}

/* Numbers run out in the history: the merge stops, the journal stays whole. */
static void test_merge_into_history_at_seq_limit(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    unsigned char img[HDR + FRAME];
    of_record r = rec_of(1);
    r.seq = UINT64_MAX - 1;
    size_t at = t_header(img, 1, 0, HDR, UINT64_MAX);
    at += t_frame(img + at, &r, 0);
    assert_int_equal(memfs_put(m, PATH, img, at), 0);
    of_journal *j = open_j(m, NULL);
    jappend_ok(j, 2);
    of_history *h = open_w(m, NULL);
    assert_int_equal(of_journal_merge(j, h, NULL), OF_HISTORY_E_SEQ_LIMIT);
    assert_journal(j, 2, 1);
    assert_int_equal(of_history_renumber(h), OF_HISTORY_OK);
    assert_int_equal(of_journal_merge(j, h, NULL), OF_HISTORY_OK);
    assert_seqs(h, 1, 2);
    of_journal_close(j);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* ---- the name in the temporary folder ----------------------------------------------- */

static void test_temp_name(void **state)
{
    (void)state;
    char a[128], b[128], c[128];
    assert_int_equal(of_journal_temp_name(a, sizeof a, "C:\\Temp", '\\', "C:\\Users\\A\\AppData\\ofnotify"), 0);
    assert_int_equal(of_journal_temp_name(b, sizeof b, "C:\\Temp\\", '\\', "c:\\users\\a\\appdata\\OFNOTIFY"), 0);
    assert_int_equal(of_journal_temp_name(c, sizeof c, "C:\\Temp", '\\', "C:\\Users\\B\\AppData\\ofnotify"), 0);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strncmp(a, "C:\\Temp\\ofnotify-", 17), 0);
    assert_int_equal(strlen(a), 17 + 16 + 8);
    assert_string_equal(a + 33, ".journal");
    /* FNV-1a 64 of "a": af63dc4c8601ec8c. */
    assert_int_equal(of_journal_temp_name(a, sizeof a, "/t", '/', "A"), 0);
    assert_string_equal(a, "/t/ofnotify-af63dc4c8601ec8c.journal");
    assert_int_equal(of_journal_temp_name(a, 20, "/t", '/', "A"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_is_one_write_and_one_sync),
        cmocka_unit_test(test_failed_appends_add_nothing),
        cmocka_unit_test(test_create_failure),
        cmocka_unit_test(test_crash_during_append),
        cmocka_unit_test(test_torn_tail_is_kept_and_cut),
        cmocka_unit_test(test_damage_in_the_middle_is_moved_aside),
        cmocka_unit_test(test_damaged_header_is_salvaged),
        cmocka_unit_test(test_newer_version_is_left_alone),
        cmocka_unit_test(test_unreadable_journal_fails_open),
        cmocka_unit_test(test_merge_appends_in_order_then_removes),
        cmocka_unit_test(test_origin_survives_the_journal),
        cmocka_unit_test(test_failed_merge_resumes_without_duplicates),
        cmocka_unit_test(test_failed_remove_does_not_duplicate),
        cmocka_unit_test(test_crash_during_merge),
        cmocka_unit_test(test_merge_into_history_at_seq_limit),
        cmocka_unit_test(test_temp_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
