/* Tests for core/conflicts: the open conflicts survive a reopen, each change
 * is one durable frame, failures change nothing, the log is compacted, and a
 * torn or damaged file is repaired as the history is (kept copies, nothing
 * that verifies lost), through memfs fault injection and simulated crashes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/conflicts.h"
#include "support/histtest.h"
#include "support/memfs.h"

#define CPATH "conflicts.dat"
#define CHDR OF_CONFLICTS_HEADER_SIZE

static of_conflicts *open_c(memfs *m, of_conflicts_report *rep)
{
    of_conflicts *c = NULL;
    assert_int_equal(of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, rep), OF_HISTORY_OK);
    assert_non_null(c);
    return c;
}

/* Conflict i's path: the same length for every i < 1000, so frames are. */
static const char *path_of(unsigned i)
{
    static char buf[64];
    snprintf(buf, sizeof(buf), "\\\\srv\\share\\doc%03u.txt", i);
    return buf;
}

#define PFRAME OF_CONFLICT_FRAME_SIZE(strlen(path_of(0)))

static void put_ok(of_conflicts *c, unsigned i, int want_added)
{
    int added = -1;
    assert_int_equal(of_conflicts_put(c, path_of(i), NOW + i, 12u + i % 3u, &added), OF_HISTORY_OK);
    assert_int_equal(added, want_added);
}

/* The set holds exactly conflicts ids[0..n), in that order, as put_ok made them. */
static void assert_set(const of_conflicts *c, const unsigned *ids, size_t n)
{
    assert_int_equal(of_conflicts_count(c), n);
    for (size_t k = 0; k < n; k++) {
        const of_conflict *got = of_conflicts_get(c, k);
        assert_non_null(got);
        assert_string_equal(got->path, path_of(ids[k]));
        assert_int_equal(got->time_ms, NOW + ids[k]);
        assert_int_equal(got->state, 12u + ids[k] % 3u);
    }
    assert_null(of_conflicts_get(c, n));
}

static memfs *fs_with_conflicts(unsigned n)
{
    memfs *m = memfs_new();
    assert_non_null(m);
    of_conflicts *c = open_c(m, NULL);
    for (unsigned i = 0; i < n; i++)
        put_ok(c, i, 1);
    of_conflicts_close(c);
    assert_int_equal(memfs_open_handles(m), 0);
    return m;
}

/* ---- the set -------------------------------------------------------------------- */

static void test_put_update_remove_survive_reopen(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_conflicts_report rep;
    of_conflicts *c = open_c(m, &rep);
    assert_true(rep.no_file);
    assert_false(memfs_exists(m, CPATH));
    put_ok(c, 0, 1);
    put_ok(c, 1, 1);
    put_ok(c, 2, 1);
    /* Seen again with another spelling of the case: an update in place. */
    int added = -1;
    assert_int_equal(of_conflicts_put(c, "\\\\SRV\\share\\DOC000.txt", NOW + 50, 7, &added), OF_HISTORY_OK);
    assert_int_equal(added, 0);
    assert_int_equal(of_conflicts_count(c), 3);
    assert_string_equal(of_conflicts_get(c, 0)->path, path_of(0));
    assert_int_equal(of_conflicts_get(c, 0)->time_ms, NOW + 50);
    assert_int_equal(of_conflicts_get(c, 0)->state, 7);
    int removed = -1;
    assert_int_equal(of_conflicts_remove(c, path_of(1), &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 1);
    unsigned long w = memfs_calls(m, MEMFS_WRITE);
    assert_int_equal(of_conflicts_remove(c, path_of(1), &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(memfs_calls(m, MEMFS_WRITE), w); /* nothing to remove: nothing written */
    of_conflicts_close(c);

    size_t len;
    const unsigned char *p = memfs_get(m, CPATH, &len);
    assert_non_null(p);
    assert_memory_equal(p, "OFNCONF\0", 8);
    assert_int_equal(len, CHDR + 5 * PFRAME);

    c = open_c(m, &rep);
    assert_false(rep.no_file || rep.cut_kept || rep.moved_aside);
    assert_int_equal(rep.frames, 5);
    assert_int_equal(of_conflicts_count(c), 2);
    assert_int_equal(of_conflicts_get(c, 0)->time_ms, NOW + 50);
    assert_int_equal(of_conflicts_get(c, 0)->state, 7);
    assert_string_equal(of_conflicts_get(c, 1)->path, path_of(2));
    of_conflicts_close(c);
    memfs_free(m);
}

static void test_each_change_is_one_write_and_one_sync(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(1);
    of_conflicts *c = open_c(m, NULL);
    for (unsigned i = 1; i < 5; i++) {
        unsigned long w = memfs_calls(m, MEMFS_WRITE), s = memfs_calls(m, MEMFS_SYNC);
        put_ok(c, i, 1);
        assert_int_equal(memfs_calls(m, MEMFS_WRITE), w + 1);
        assert_int_equal(memfs_calls(m, MEMFS_SYNC), s + 1);
    }
    of_conflicts_close(c);
    memfs_free(m);
}

static void test_invalid_paths_are_refused(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_conflicts *c = open_c(m, NULL);
    assert_int_equal(of_conflicts_put(c, "", NOW, 0, NULL), OF_HISTORY_E_INVALID);
    char *longp = malloc(OF_CONFLICT_PATH_MAX + 2);
    memset(longp, 'a', OF_CONFLICT_PATH_MAX + 1);
    longp[OF_CONFLICT_PATH_MAX + 1] = '\0';
    assert_int_equal(of_conflicts_put(c, longp, NOW, 0, NULL), OF_HISTORY_E_INVALID);
    longp[OF_CONFLICT_PATH_MAX] = '\0';
    assert_int_equal(of_conflicts_put(c, longp, NOW, 0, NULL), OF_HISTORY_OK);
    assert_int_equal(memfs_file_count(m), 1);
    of_conflicts_close(c);
    c = open_c(m, NULL);
    assert_int_equal(of_conflicts_count(c), 1);
    assert_int_equal(strlen(of_conflicts_get(c, 0)->path), OF_CONFLICT_PATH_MAX);
    of_conflicts_close(c);
    free(longp);
    memfs_free(m);
}

static void test_failed_changes_change_nothing(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(2);
    of_conflicts *c = open_c(m, NULL);
    static const unsigned two[] = {0, 1};
    for (size_t short_by = 1; short_by <= PFRAME; short_by += 5) {
        memfs_short_write(m, 1, short_by);
        assert_int_equal(of_conflicts_put(c, path_of(9), NOW, 1, NULL), OF_HISTORY_E_WRITE);
        memfs_clear_faults(m);
        assert_set(c, two, 2);
    }
    memfs_fail(m, MEMFS_WRITE, 1, OF_FS_ERR_NO_SPACE);
    assert_int_equal(of_conflicts_remove(c, path_of(0), NULL), OF_HISTORY_E_DISK_FULL);
    memfs_fail(m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    assert_int_equal(of_conflicts_put(c, path_of(0), NOW - 1, 1, NULL), OF_HISTORY_E_SYNC);
    assert_set(c, two, 2);
    of_conflicts_close(c);
    memfs_fail(m, MEMFS_OPEN_WRITE, 1, OF_FS_ERR_ACCESS);
    c = open_c(m, NULL);
    assert_int_equal(of_conflicts_put(c, path_of(2), NOW, 1, NULL), OF_HISTORY_E_ACCESS);
    memfs_clear_faults(m);
    put_ok(c, 2, 1);
    of_conflicts_close(c);

    of_conflicts_report rep;
    c = open_c(m, &rep);
    assert_false(rep.cut_kept || rep.moved_aside);
    static const unsigned three[] = {0, 1, 2};
    assert_set(c, three, 3);
    of_conflicts_close(c);
    memfs_free(m);
}

/* A power cut at every byte of a change: after the reboot the set is what it
 * was before, and the torn frame's bytes are kept. */
static void test_crash_during_change(void **state)
{
    (void)state;
    for (size_t b = 0; b < PFRAME; b++) {
        memfs *m = fs_with_conflicts(3);
        of_conflicts *c = open_c(m, NULL);
        memfs_crash_after(m, b);
        assert_int_not_equal(of_conflicts_remove(c, path_of(1), NULL), OF_HISTORY_OK);
        of_conflicts_close(c);
        memfs *after = memfs_clone(m);
        memfs_free(m);

        of_conflicts_report rep;
        c = open_c(after, &rep);
        static const unsigned three[] = {0, 1, 2};
        assert_set(c, three, 3);
        assert_int_equal(rep.cut_kept, b > 0);
        assert_int_equal(rep.dropped_bytes, b);
        if (b > 0) {
            size_t len;
            assert_non_null(memfs_get(after, rep.cut_to, &len));
            assert_int_equal(len, b);
        }
        assert_int_equal(of_conflicts_remove(c, path_of(1), NULL), OF_HISTORY_OK);
        of_conflicts_close(c);
        c = open_c(after, &rep);
        static const unsigned two[] = {0, 2};
        assert_set(c, two, 2);
        of_conflicts_close(c);
        memfs_free(after);
    }
}

/* ---- compaction -------------------------------------------------------------------- */

static void test_log_is_compacted(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_conflicts *c = open_c(m, NULL);
    put_ok(c, 500, 1);
    uint64_t most = 0;
    for (unsigned round = 0; round < 100; round++) {
        put_ok(c, round, 1);
        assert_int_equal(of_conflicts_remove(c, path_of(round), NULL), OF_HISTORY_OK);
        if (of_conflicts_log_frames(c) > most)
            most = of_conflicts_log_frames(c);
    }
    /* 201 operations, never more than the threshold in the file. */
    assert_true(most < 64 + 2);
    assert_true(of_conflicts_log_frames(c) < 64);
    assert_false(memfs_exists(m, CPATH ".tmp"));
    size_t len;
    assert_non_null(memfs_get(m, CPATH, &len));
    assert_int_equal(len, CHDR + of_conflicts_log_frames(c) * PFRAME);
    of_conflicts_close(c);
    c = open_c(m, NULL);
    static const unsigned one[] = {500};
    assert_set(c, one, 1);
    of_conflicts_close(c);
    memfs_free(m);
}

/* A compaction that fails keeps the log, which holds the same set. */
static void test_failed_compaction_keeps_the_log(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_conflicts *c = open_c(m, NULL);
    put_ok(c, 500, 1);
    unsigned long replaced = memfs_calls(m, MEMFS_REPLACE);
    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    unsigned round = 0;
    for (; round < 40; round++) {
        put_ok(c, round, 1);
        assert_int_equal(of_conflicts_remove(c, path_of(round), NULL), OF_HISTORY_OK);
    }
    assert_int_equal(memfs_calls(m, MEMFS_REPLACE), replaced + 2); /* the failed one, then one that worked */
    assert_false(memfs_exists(m, CPATH ".tmp"));
    of_conflicts_close(c);
    c = open_c(m, NULL);
    static const unsigned one[] = {500};
    assert_set(c, one, 1);
    of_conflicts_close(c);
    memfs_free(m);
}

/* ---- damaged files ------------------------------------------------------------------ */

static void test_torn_tail_is_kept_and_cut(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(4);
    size_t len;
    unsigned char *img = snapshot(m, CPATH, &len);
    img[len - 1] ^= 0x40;
    assert_int_equal(memfs_put(m, CPATH, img, len), 0);
    of_conflicts_report rep;
    of_conflicts *c = open_c(m, &rep);
    static const unsigned three[] = {0, 1, 2};
    assert_set(c, three, 3);
    assert_true(rep.cut_kept);
    assert_false(rep.moved_aside);
    assert_string_equal(rep.cut_to, CPATH ".cut-1700000000000");
    assert_file_is(m, rep.cut_to, img + len - PFRAME, PFRAME);
    size_t now_len;
    assert_non_null(memfs_get(m, CPATH, &now_len));
    assert_int_equal(now_len, len - PFRAME);
    put_ok(c, 3, 1);
    of_conflicts_close(c);
    free(img);
    memfs_free(m);
}

static void test_damage_in_the_middle_is_moved_aside(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(5);
    size_t len;
    unsigned char *img = snapshot(m, CPATH, &len);
    img[CHDR + 1 * PFRAME + 30] ^= 0xFF; /* the frame that put conflict 1 */
    assert_int_equal(memfs_put(m, CPATH, img, len), 0);
    of_conflicts_report rep;
    of_conflicts *c = open_c(m, &rep);
    assert_true(rep.moved_aside);
    assert_false(rep.cut_kept);
    assert_int_equal(rep.dropped_bytes, PFRAME);
    assert_string_equal(rep.moved_to, CPATH ".corrupt-1700000000000");
    assert_file_is(m, rep.moved_to, img, len);
    static const unsigned four[] = {0, 2, 3, 4};
    assert_set(c, four, 4);
    of_conflicts_close(c);
    c = open_c(m, &rep);
    assert_false(rep.moved_aside || rep.cut_kept);
    assert_set(c, four, 4);
    of_conflicts_close(c);
    free(img);
    memfs_free(m);
}

static void test_damaged_header_is_salvaged(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(3);
    size_t len;
    unsigned char *img = snapshot(m, CPATH, &len);
    img[17] ^= 1;
    assert_int_equal(memfs_put(m, CPATH, img, len), 0);
    of_conflicts_report rep;
    of_conflicts *c = open_c(m, &rep);
    assert_true(rep.moved_aside);
    static const unsigned three[] = {0, 1, 2};
    assert_set(c, three, 3);
    assert_file_is(m, rep.moved_to, img, len);
    of_conflicts_close(c);
    free(img);
    memfs_free(m);
}

static void test_foreign_file_is_moved_aside(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    static const char junk[] = "not a conflicts file at all";
    assert_int_equal(memfs_put(m, CPATH, junk, sizeof(junk)), 0);
    of_conflicts_report rep;
    of_conflicts *c = open_c(m, &rep);
    assert_true(rep.moved_aside);
    assert_int_equal(of_conflicts_count(c), 0);
    assert_false(memfs_exists(m, CPATH));
    assert_file_is(m, rep.moved_to, (const unsigned char *)junk, sizeof(junk));
    put_ok(c, 0, 1);
    of_conflicts_close(c);
    memfs_free(m);
}

static void test_newer_version_is_left_alone(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(2);
    size_t len;
    unsigned char *img = snapshot(m, CPATH, &len);
    img[8] = OF_CONFLICTS_FORMAT_MAJOR + 1;
    /* A correct CRC for the changed header, computed independently of core. */
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 16; i++) {
        crc ^= img[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    le(img + 16, crc ^ 0xFFFFFFFFu, 4);
    assert_int_equal(memfs_put(m, CPATH, img, len), 0);
    of_conflicts *c = (of_conflicts *)1;
    assert_int_equal(of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, NULL), OF_HISTORY_E_NEWER_VERSION);
    assert_null(c);
    assert_int_equal(memfs_file_count(m), 1);
    assert_file_is(m, CPATH, img, len);
    free(img);
    memfs_free(m);
}

static void test_unreadable_file_fails_open(void **state)
{
    (void)state;
    memfs *m = fs_with_conflicts(2);
    memfs_fail(m, MEMFS_OPEN_READ, 1, OF_FS_ERR_ACCESS);
    of_conflicts *c = (of_conflicts *)1;
    assert_int_equal(of_conflicts_open(&c, memfs_fs(m), CPATH, NOW, NULL), OF_HISTORY_E_ACCESS);
    assert_null(c);
    assert_int_equal(memfs_file_count(m), 1);
    memfs_free(m);
}

/* ---- sync states in words ------------------------------------------------------------- */

static void test_state_sides(void **state)
{
    (void)state;
    of_conflict_local l;
    of_conflict_remote r;
    of_conflict_state_sides(12, &l, &r); /* FileChangedOnClient_ChangedOnServer */
    assert_string_equal(of_conflict_local_words(l), "file changed on this computer");
    assert_string_equal(of_conflict_remote_words(r), "changed on the server");
    of_conflict_state_sides(34, &l, &r); /* DeletedOnClient_FileOnServer */
    assert_int_equal(l, OF_CL_DELETED);
    assert_int_equal(r, OF_CR_FILE);
    of_conflict_state_sides(46, &l, &r); /* FileDeletedOnServer */
    assert_int_equal(l, OF_CL_NONE);
    assert_int_equal(r, OF_CR_FILE_DELETED);
    of_conflict_state_sides(53, &l, &r); /* FileReplacedAndDeletedOnClient_DirChangedOnServer */
    assert_int_equal(l, OF_CL_FILE_REPLACED_DELETED);
    assert_int_equal(r, OF_CR_DIR_CHANGED);
    of_conflict_state_sides(0, &l, &r);
    assert_int_equal(l, OF_CL_NONE);
    assert_int_equal(r, OF_CR_NONE);
    of_conflict_state_sides(OF_SYNC_STATE_COUNT, &l, &r);
    assert_int_equal(l, OF_CL_NONE);
    assert_int_equal(r, OF_CR_NONE);
    /* Every state but Stable says something about at least one side. */
    for (uint32_t s = 1; s < OF_SYNC_STATE_COUNT; s++) {
        of_conflict_state_sides(s, &l, &r);
        assert_true(l != OF_CL_NONE || r != OF_CR_NONE);
        assert_true(l < OF_CL_COUNT && r < OF_CR_COUNT);
    }
    for (int k = 1; k < OF_CL_COUNT; k++)
        assert_true(strlen(of_conflict_local_words((of_conflict_local)k)) > 0);
    for (int k = 1; k < OF_CR_COUNT; k++)
        assert_true(strlen(of_conflict_remote_words((of_conflict_remote)k)) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_update_remove_survive_reopen),
        cmocka_unit_test(test_each_change_is_one_write_and_one_sync),
        cmocka_unit_test(test_invalid_paths_are_refused),
        cmocka_unit_test(test_failed_changes_change_nothing),
        cmocka_unit_test(test_crash_during_change),
        cmocka_unit_test(test_log_is_compacted),
        cmocka_unit_test(test_failed_compaction_keeps_the_log),
        cmocka_unit_test(test_torn_tail_is_kept_and_cut),
        cmocka_unit_test(test_damage_in_the_middle_is_moved_aside),
        cmocka_unit_test(test_damaged_header_is_salvaged),
        cmocka_unit_test(test_foreign_file_is_moved_aside),
        cmocka_unit_test(test_newer_version_is_left_alone),
        cmocka_unit_test(test_unreadable_file_fails_open),
        cmocka_unit_test(test_state_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
