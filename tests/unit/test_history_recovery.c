/* Tests for core/history's recovery: torn tails and crashes, what is kept
 * of the bytes cut, numbers never given twice, records out of order carried
 * over, and a search through damage that stays linear. Quarantine of damaged
 * and foreign files: test_history_quarantine.c. */
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

/* ---- torn tails and crashes ------------------------------------------------- */

/* A last frame with only cut bytes: read-only opens see the records before
 * it and change nothing; a writer keeps the cut bytes in PATH.cut-<NOW>, then
 * cuts them. Once the frame's seq field is whole (12 bytes), that number is
 * never given again, also after a restart: the header promises the next. */
static void test_torn_tail_at_every_byte_is_cut(void **state)
{
    (void)state;
    const size_t k = 5;
    memfs *base = fs_with(k);
    size_t full;
    unsigned char *img = snapshot(base, PATH, &full);
    char cut_path[256];
    cut_name(cut_path, sizeof cut_path, "");
    for (size_t cut = 1; cut < FRAME; cut++) {
        size_t len = full - FRAME + cut; /* the last frame has only cut bytes */
        int has_seq = cut >= 12;
        uint64_t next = has_seq ? k + 1 : k;
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, img, len), 0);

        of_history_report rep;
        of_history *ro = open_ro(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_false(rep.torn_cut);
        assert_false(rep.cut_kept);
        assert_int_equal(rep.cut_seq, has_seq ? k : 0);
        assert_int_equal(of_history_next_seq(ro), next);
        assert_seqs(ro, 1, k - 1);
        assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
        assert_file_is(m, PATH, img, len);
        assert_int_equal(memfs_file_count(m), 1);

        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_true(rep.torn_cut);
        assert_false(rep.moved_aside);
        assert_true(rep.cut_kept);
        assert_string_equal(rep.cut_to, cut_path);
        assert_file_is(m, cut_path, img + full - FRAME, cut);
        assert_int_equal(rep.dropped_bytes, cut);
        assert_int_equal(rep.cut_seq, has_seq ? k : 0);
        assert_int_equal(rep.records, k - 1);
        assert_seqs(h, 1, k - 1);
        if (has_seq) {
            unsigned char *want = malloc(full - FRAME);
            memcpy(want, img, full - FRAME);
            t_header(want, 1, MINOR, HDR, k + 1);
            assert_file_is(m, PATH, want, full - FRAME);
            free(want);
        } else {
            /* The number never reached the disk whole: it is given again. */
            assert_file_is(m, PATH, img, full - FRAME);
        }
        append_ok(h, next);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        assert_int_equal(memfs_file_count(m), 2);

        h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_int_equal(of_history_count(h), k);
        assert_int_equal(of_history_get(h, k - 1)->seq, next);
        assert_int_equal(of_history_next_seq(h), next + 1);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
    free(img);
    memfs_free(base);
}

static void test_crash_at_every_byte_of_an_append(void **state)
{
    (void)state;
    const size_t k = 4;
    for (size_t n = 0; n <= FRAME; n++) {
        memfs *m = fs_with(k);
        of_history *h = open_w(m, NULL);
        memfs_crash_after(m, n);
        of_record r = rec_of(k + 1);
        assert_int_not_equal(of_history_append(h, &r), OF_HISTORY_OK);
        assert_int_equal(r.seq, 0);
        assert_int_equal(of_history_count(h), k);
        assert_true(memfs_crashed(m));
        (void)of_history_close(h);

        memfs *after = memfs_clone(m); /* the disk the next start finds */
        of_history_report rep;
        h = open_w(after, &rep);
        if (n == 0) {
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
            assert_seqs(h, 1, k);
        } else if (n < FRAME) {
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
            assert_true(rep.torn_cut);
            assert_true(rep.cut_kept);
            assert_seqs(h, 1, k);
        } else {
            /* The whole frame reached the disk before the power went. */
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
            assert_seqs(h, 1, k + 1);
        }
        /* k + 1 is used once its frame held the whole seq field. */
        uint64_t next = n < 12 ? k + 1 : k + 2;
        append_ok(h, next);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        h = open_ro(after, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_int_equal(of_history_count(h), n < FRAME ? k + 1 : k + 2);
        assert_int_equal(of_history_get(h, of_history_count(h) - 1)->seq, next);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(after);
        memfs_free(m);
    }
}

static void test_zero_filled_tail_is_cut(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    unsigned char *big = calloc(1, len + 200);
    memcpy(big, img, len);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, big, len + 200), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_int_equal(rep.dropped_bytes, 200);
    assert_seqs(h, 1, 3);
    assert_true(rep.migrated); /* a 1.0 file: cut, then migrated */
    t_migrated(img);
    assert_file_is(m, PATH, img, len);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    free(big);
    free(img);
    memfs_free(m);
}

/* ---- records out of order --------------------------------------------------- */

/* Two valid histories glued together: seq goes 1,2,3,1,2. Every record
 * verifies, so every one is carried over: the last two after the others,
 * numbered 4 and 5, with 1 and 2 kept as their original numbers (in the file
 * too, a 1.1 field); the file as it was is kept aside. */
static void test_out_of_order_records_are_carried_over_renumbered(void **state)
{
    (void)state;
    size_t la, lb;
    unsigned char *a = t_image(1, 3, &la);
    unsigned char *b = t_image(1, 2, &lb);
    size_t len = la + lb - HDR;
    unsigned char *c = malloc(len);
    memcpy(c, a, la);
    memcpy(c + la, b + HDR, lb - HDR);
    for (int ro = 1; ro >= 0; ro--) {
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, c, len), 0);
        of_history_report rep;
        of_history *h = ro ? open_ro(m, &rep) : open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
        assert_int_equal(rep.renumbered, 2);
        assert_int_equal(rep.dropped_bytes, 0);
        assert_int_equal(rep.records, 5);
        assert_int_equal(of_history_count(h), 5);
        for (size_t i = 0; i < 5; i++) {
            const of_record *g = of_history_get(h, i);
            uint64_t orig = 99;
            assert_int_equal(g->seq, i + 1);
            if (i < 3) {
                assert_rec(g, i + 1);
                assert_false(of_history_original_seq(h, i, &orig));
                assert_int_equal(orig, 99);
            } else {
                of_record want = rec_of(i - 2);
                assert_true(g->completed_ms == want.completed_ms);
                assert_int_equal(g->flags, want.flags);
                assert_true(of_history_original_seq(h, i, &orig));
                assert_int_equal(orig, i - 2);
            }
        }
        assert_false(of_history_original_seq(h, 5, NULL));
        assert_int_equal(of_history_next_seq(h), 6);
        if (ro) {
            assert_int_equal(of_history_close(h), OF_HISTORY_OK);
            assert_file_is(m, PATH, c, len);
            memfs_free(m);
            continue;
        }
        assert_quarantined(m, &rep, c, len, "");
        append_ok(h, 6);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);

        /* The new file: 1.0-sized frames, then two 1.1 frames with orig_seq. */
        size_t nlen;
        const unsigned char *d = memfs_get(m, PATH, &nlen);
        assert_int_equal(nlen, HDR + 4 * FRAME + 2 * OF_HISTORY_RENUMBERED_FRAME_SIZE);
        assert_int_equal(d[HDR + 3 * FRAME], OF_HISTORY_RENUMBERED_PAYLOAD_SIZE);
        assert_int_equal(d[HDR + 3 * FRAME + 4], 4);      /* seq */
        assert_int_equal(d[HDR + 3 * FRAME + 4 + 42], 1); /* orig_seq */
        h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_int_equal(rep.renumbered, 0);
        assert_int_equal(of_history_count(h), 6);
        uint64_t orig = 0;
        assert_true(of_history_original_seq(h, 4, &orig));
        assert_int_equal(orig, 2);
        assert_false(of_history_original_seq(h, 5, &orig));
        /* Retention keeps the original numbers of what it keeps. */
        assert_int_equal(of_history_compact(h, 2, 0, NOW, NULL), OF_HISTORY_OK);
        assert_true(of_history_original_seq(h, 0, &orig));
        assert_int_equal(orig, 2);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        h = open_ro(m, &rep);
        assert_int_equal(of_history_count(h), 2);
        assert_true(of_history_original_seq(h, 0, &orig));
        assert_false(of_history_original_seq(h, 1, &orig));
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
    free(a);
    free(b);
    free(c);
}

/* ---- linear recovery, kept bytes, numbers past a cut frame ------------------- */

/* 10 records, a damaged stretch of about 8 MB repeating 00 10 00 00 (a frame
 * length of 4096 at every fourth offset: computing each candidate's CRC
 * afresh would cost 4 KB per offset, some 8 GB here), then 10 records. The
 * work is counted, not timed: the CRC runs over about each byte once. */
static void test_crafted_damage_is_searched_in_linear_work(void **state)
{
    (void)state;
    const size_t damage = 8u * 1024u * 1024u;
    size_t la, lb;
    unsigned char *a = t_image(1, 10, &la);
    unsigned char *b = t_image(11, 10, &lb);
    size_t len = la + damage + lb - HDR;
    unsigned char *c = malloc(len);
    assert_non_null(c);
    memcpy(c, a, la);
    static const unsigned char pattern[4] = {0x00, 0x10, 0x00, 0x00};
    for (size_t i = 0; i < damage; i++)
        c[la + i] = pattern[i % 4];
    memcpy(c + la + damage, b + HDR, lb - HDR);
    for (int ro = 1; ro >= 0; ro--) {
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, c, len), 0);
        of_history_report rep;
        of_history *h = ro ? open_ro(m, &rep) : open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
        assert_int_equal(rep.bad_regions, 1);
        assert_int_equal(rep.dropped_bytes, damage);
        assert_seqs(h, 1, 20);
        assert_true(rep.crc_bytes >= len - HDR - damage);
        assert_true(rep.crc_bytes <= 2 * (uint64_t)len);
        if (!ro)
            assert_quarantined(m, &rep, c, len, "");
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
    free(a);
    free(b);
    free(c);
}

/* Frames of every size a newer minor may write (payload 42..4096), each
 * after junk of a different length, across many read buffers: the search
 * finds every one that verifies, at any offset. */
static void test_search_finds_frames_of_every_size_at_any_offset(void **state)
{
    (void)state;
    static const size_t extras[] = {0, 1, 7, 8, 100, 1000, OF_HISTORY_MAX_PAYLOAD - 42};
    const size_t n = 40;
    unsigned char *c = malloc(HDR + n * (9000 + OF_HISTORY_MAX_PAYLOAD + 8));
    assert_non_null(c);
    size_t len = t_header(c, 1, 5, HDR, 1);
    uint32_t x = 99u;
    for (size_t i = 0; i < n; i++) {
        size_t junk = 1 + (i * 2311u) % 9000u;
        for (size_t j = 0; j < junk; j++) {
            x = x * 1103515245u + 12345u;
            c[len++] = (unsigned char)(x >> 16);
        }
        of_record r = rec_of(i + 1);
        r.seq = i + 1;
        len += t_frame(c + len, &r, extras[i % (sizeof extras / sizeof extras[0])]);
    }
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, c, len), 0);
    memfs_set_read_chunk(m, 777); /* reads in odd pieces too */
    of_history_report rep;
    of_history *h = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_int_equal(rep.bad_regions, n);
    assert_seqs(h, 1, n);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    free(c);
}

/* A junk tail no longer than a frame (3 KB here) is a torn tail: cut, but
 * kept first, byte for byte; a second cut on the same millisecond gets its
 * own name. */
static void test_junk_tail_is_kept_before_it_is_cut(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    const size_t junk = 3000;
    unsigned char *c = malloc(len + junk);
    memcpy(c, img, len);
    for (size_t i = 0; i < junk; i++)
        c[len + i] = (unsigned char)(i * 37u + 1u);
    c[len] = 0xFF; /* a length no frame has; the seq field reads far past 4 */
    memfs *m = memfs_new();
    char first[256], second[256];
    cut_name(first, sizeof first, "");
    cut_name(second, sizeof second, "-2");
    for (int round = 0; round < 2; round++) {
        assert_int_equal(memfs_put(m, PATH, c, len + junk), 0);
        of_history_report rep;
        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_int_equal(rep.dropped_bytes, junk);
        assert_true(rep.cut_kept);
        assert_string_equal(rep.cut_to, round == 0 ? first : second);
        assert_file_is(m, round == 0 ? first : second, c + len, junk);
        t_migrated(img); /* a 1.0 file: cut, then migrated */
        assert_file_is(m, PATH, img, len);
        assert_seqs(h, 1, 3);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        assert_int_equal(memfs_file_count(m), (size_t)round + 2);
    }
    assert_file_is(m, first, c + len, junk);
    memfs_free(m);
    free(c);
    free(img);
}

/* The seq of a cut last frame counts only when it reads as the next number
 * (up to 65536 past it); a larger one is damage and moves nothing. */
static void test_cut_seq_must_read_plausibly(void **state)
{
    (void)state;
    const uint64_t next = 4; /* t_image(1, 3): the header promises 4 */
    const struct {
        uint64_t seq;
        uint64_t cut_seq;
    } cases[] = {
        {next, next},
        {next + 65536, next + 65536},
        {next + 65537, 0},
        {next - 1, 0}, /* already used */
        {UINT64_MAX, 0},
    };
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    unsigned char *c = malloc(len + FRAME);
    memcpy(c, img, len);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        of_record r = rec_of(4);
        r.seq = cases[i].seq;
        t_frame(c + len, &r, 0);
        c[len + FRAME - 1] ^= 0x80; /* a bad CRC */
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, c, len + FRAME), 0);
        of_history_report rep;
        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_int_equal(rep.cut_seq, cases[i].cut_seq);
        uint64_t want = cases[i].cut_seq ? cases[i].cut_seq + 1 : next;
        assert_int_equal(of_history_next_seq(h), want);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        h = open_ro(m, &rep); /* durable: the header says so now */
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_int_equal(of_history_next_seq(h), want);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
    free(c);
    free(img);
}

/* A damaged stretch at the end that is too long for a torn tail: the file
 * is quarantined whole, and the seq its first frame carried is not given
 * again either. */
static void test_long_damaged_tail_keeps_its_number(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    const size_t extra = OF_HISTORY_MAX_PAYLOAD + 100;
    unsigned char *c = calloc(1, len + extra);
    memcpy(c, img, len);
    of_record r = rec_of(4);
    r.seq = 4;
    t_frame(c + len, &r, 0);
    c[len + 20] ^= 0x01; /* its CRC fails; zeros follow */
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, c, len + extra), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_quarantined(m, &rep, c, len + extra, "");
    assert_int_equal(rep.cut_seq, 4);
    assert_seqs(h, 1, 3);
    append_ok(h, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    free(c);
    free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_torn_tail_at_every_byte_is_cut),
        cmocka_unit_test(test_crash_at_every_byte_of_an_append),
        cmocka_unit_test(test_zero_filled_tail_is_cut),
        cmocka_unit_test(test_out_of_order_records_are_carried_over_renumbered),
        cmocka_unit_test(test_crafted_damage_is_searched_in_linear_work),
        cmocka_unit_test(test_search_finds_frames_of_every_size_at_any_offset),
        cmocka_unit_test(test_junk_tail_is_kept_before_it_is_cut),
        cmocka_unit_test(test_cut_seq_must_read_plausibly),
        cmocka_unit_test(test_long_damaged_tail_keeps_its_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
