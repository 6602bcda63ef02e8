/* Tests for core/history: the origin of a pass (format 1.2), older files
 * read and migrated, and what a 1.1 reader finds in a 1.2 file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "support/histtest.h"
#include "support/memfs.h"

static uint64_t u64_at(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t u32_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A record of test data started by Sync now. */
static of_record syncnow_rec(uint64_t i)
{
    of_record r = rec_of(i);
    r.origin = OF_ORIGIN_SYNC_NOW;
    return r;
}

static void append_origin(of_history *h, uint64_t seq, of_origin origin)
{
    of_record r = rec_of(seq);
    r.origin = (uint8_t)origin;
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, seq);
}

static void assert_origin(const of_history *h, size_t index, uint64_t seq, of_origin origin)
{
    const of_record *r = of_history_get(h, index);
    assert_rec(r, seq);
    assert_int_equal(r->origin, origin);
}

/* A Sync now record is a 51-byte payload: the 1.1 orig_seq (0) and the
 * origin byte; a background record stays a 1.0-sized frame. */
static void test_syncnow_frame_bytes(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    append_origin(h, 1, OF_ORIGIN_BACKGROUND);
    append_origin(h, 2, OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    size_t len = 0;
    const unsigned char *d = memfs_get(m, PATH, &len);
    assert_int_equal(len, HDR + FRAME + OF_HISTORY_ORIGIN_FRAME_SIZE);
    assert_int_equal(d[10], 2); /* minor 2 */
    const unsigned char *f = d + HDR + FRAME;
    assert_int_equal(f[0], 51);
    assert_int_equal(u64_at(f + 4), 2);         /* seq */
    assert_int_equal(u64_at(f + 4 + 42), 0);    /* orig_seq: never renumbered */
    assert_int_equal(f[4 + 50], 1);             /* origin: sync-now */
    assert_int_equal(u32_at(f + 55), of_crc32(f, 55));

    h = open_ro(m, NULL);
    assert_int_equal(of_history_count(h), 2);
    assert_origin(h, 0, 1, OF_ORIGIN_BACKGROUND);
    assert_origin(h, 1, 2, OF_ORIGIN_SYNC_NOW);
    assert_false(of_history_original_seq(h, 1, NULL));
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* Origin survives every rewrite: retention keeps it, and a renumbered Sync
 * now record carries both its old seq and its origin. */
static void test_origin_survives_rewrites(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    for (uint64_t s = 1; s <= 4; s++)
        append_origin(h, s, s % 2 == 0 ? OF_ORIGIN_SYNC_NOW : OF_ORIGIN_BACKGROUND);
    uint64_t removed = 0;
    assert_int_equal(of_history_compact(h, 3, 0, NOW, &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(of_history_renumber(h), OF_HISTORY_OK);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    h = open_ro(m, NULL);
    assert_int_equal(of_history_count(h), 3);
    const uint64_t was[3] = {2, 3, 4};
    for (size_t i = 0; i < 3; i++) {
        const of_record *r = of_history_get(h, i);
        uint64_t orig = 0;
        assert_int_equal(r->seq, i + 1);
        assert_true(of_history_original_seq(h, i, &orig));
        assert_int_equal(orig, was[i]);
        assert_int_equal(r->origin, was[i] % 2 == 0 ? OF_ORIGIN_SYNC_NOW : OF_ORIGIN_BACKGROUND);
    }
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_unknown_origin_is_refused(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    of_record r = rec_of(1);
    r.origin = OF_ORIGIN_COUNT;
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_INVALID);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

/* A 1.1 file is read as it is (every pass background) and, opened for
 * writing, migrated: the same frames under a 1.2 header. Read-only leaves
 * it alone. */
static void migrates_minor(uint16_t minor)
{
    size_t len;
    unsigned char *img = t_image(1, 5, &len);
    (void)t_header(img, 1, minor, HDR, 6);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);

    of_history_report rep;
    of_history *h = open_ro(m, &rep);
    assert_int_equal(rep.file_minor, minor);
    assert_false(rep.migrated);
    for (size_t i = 0; i < 5; i++)
        assert_origin(h, i, i + 1, OF_ORIGIN_BACKGROUND);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_file_is(m, PATH, img, len);

    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(rep.file_minor, minor);
    assert_true(rep.migrated);
    assert_int_equal(rep.records, 5);
    t_migrated(img);
    assert_file_is(m, PATH, img, len);
    assert_false(memfs_exists(m, TMP_PATH));
    append_origin(h, 6, OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    /* Once migrated, the next open has nothing to do. */
    h = open_w(m, &rep);
    assert_int_equal(rep.file_minor, 2);
    assert_false(rep.migrated);
    for (size_t i = 0; i < 5; i++)
        assert_origin(h, i, i + 1, OF_ORIGIN_BACKGROUND);
    assert_origin(h, 5, 6, OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    free(img);
    memfs_free(m);
}

static void test_older_files_are_read_and_migrated(void **state)
{
    (void)state;
    migrates_minor(0);
    migrates_minor(1);
}

/* A migration that fails (the replace is refused) leaves the 1.1 file as it
 * was and the store open: background records go on being appended to it as
 * 1.1 frames, a Sync now record tries the migration again and fails with its
 * error, and succeeds once the replace works. */
static void test_failed_migration_is_retried_by_syncnow(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    (void)t_header(img, 1, 1, HDR, 4);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);

    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_false(rep.migrated);
    assert_seqs(h, 1, 3);
    assert_file_is(m, PATH, img, len);
    assert_false(memfs_exists(m, TMP_PATH));

    append_ok(h, 4); /* background: a valid 1.1 frame, no migration needed */
    size_t got = 0;
    const unsigned char *d = memfs_get(m, PATH, &got);
    assert_int_equal(got, len + FRAME);
    assert_int_equal(d[10], 1);

    memfs_fail(m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    of_record r = syncnow_rec(5);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_RENAME);
    assert_int_equal(of_history_count(h), 4);
    d = memfs_get(m, PATH, &got);
    assert_int_equal(got, len + FRAME);
    assert_int_equal(d[10], 1);

    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    d = memfs_get(m, PATH, &got);
    assert_int_equal(got, len + FRAME + OF_HISTORY_ORIGIN_FRAME_SIZE);
    assert_int_equal(d[10], 2);
    h = open_ro(m, &rep);
    assert_int_equal(of_history_count(h), 5);
    assert_origin(h, 3, 4, OF_ORIGIN_BACKGROUND);
    assert_origin(h, 4, 5, OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    free(img);
    memfs_free(m);
}

/* What a 1.1 ofnotify reads from a 1.2 file, decoded here by the 1.1 rules
 * exactly as they are written in the 1.1 history.h: frames of 42..4096
 * bytes, the 1.0 fields first, orig_seq when the payload has 50 bytes or
 * more, the rest of len skipped. Every record must come out whole, Sync now
 * passes as background ones and none taken for renumbered. */
static void test_a_11_reader_reads_a_12_file(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    of_history *h = open_w(m, NULL);
    for (uint64_t s = 1; s <= 6; s++)
        append_origin(h, s, s % 3 == 0 ? OF_ORIGIN_BACKGROUND : OF_ORIGIN_SYNC_NOW);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    size_t len = 0;
    const unsigned char *d = memfs_get(m, PATH, &len);
    assert_int_equal(u32_at(d + 8) & 0xFFFFu, 1); /* major 1: a 1.1 reader goes on */
    uint32_t hlen = u32_at(d + 12);
    size_t at = hlen;
    uint64_t n = 0;
    while (at < len) {
        uint32_t plen = u32_at(d + at);
        assert_true(plen >= 42 && plen <= OF_HISTORY_MAX_PAYLOAD && at + 8 + plen <= len);
        assert_int_equal(u32_at(d + at + 4 + plen), of_crc32(d + at, 4 + plen));
        const unsigned char *q = d + at + 4;
        of_record r = {0};
        r.seq = u64_at(q);
        r.started_ms = (int64_t)u64_at(q + 8);
        r.completed_ms = (int64_t)u64_at(q + 16);
        r.duration_ms = u64_at(q + 24);
        r.flags = u32_at(q + 32);
        r.begin_flags = u32_at(q + 36);
        r.status = q[40];
        r.reason = q[41];
        uint64_t orig_seq = plen >= 50 ? u64_at(q + 42) : 0;
        n++;
        assert_rec(&r, n);
        assert_int_equal(orig_seq, 0);
        at += 8 + plen;
    }
    assert_int_equal(n, 6);
    memfs_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syncnow_frame_bytes),
        cmocka_unit_test(test_origin_survives_rewrites),
        cmocka_unit_test(test_unknown_origin_is_refused),
        cmocka_unit_test(test_older_files_are_read_and_migrated),
        cmocka_unit_test(test_failed_migration_is_retried_by_syncnow),
        cmocka_unit_test(test_a_11_reader_reads_a_12_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
