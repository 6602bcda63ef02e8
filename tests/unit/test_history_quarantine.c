/* Tests for core/history: damage in the middle, foreign, newer and
 * read-only files; the quarantine that keeps a damaged file aside. */
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

/* ---- damage in the middle, foreign files: quarantine ---------------------------- */

static void test_bit_flip_in_a_middle_record_quarantines_and_salvages(void **state)
{
    (void)state;
    const size_t k = 7, bad = 3; /* seq 4 */
    size_t len;
    unsigned char *img = t_image(1, k, &len);
    for (size_t b = 0; b < FRAME; b++) {
        for (int bit = 0; bit < 8; bit++) {
            size_t at = HDR + bad * FRAME + b;
            img[at] ^= (unsigned char)(1u << bit);
            memfs *m = memfs_new();
            assert_int_equal(memfs_put(m, PATH, img, len), 0);

            of_history_report rep;
            of_history *ro = open_ro(m, &rep);
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
            assert_int_equal(of_history_count(ro), k - 1);
            assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
            assert_int_equal(memfs_file_count(m), 1);

            of_history *h = open_w(m, &rep);
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
            assert_int_equal(rep.bad_regions, 1);
            assert_int_equal(rep.dropped_bytes, FRAME);
            assert_int_equal(rep.records, k - 1);
            assert_quarantined(m, &rep, img, len, "");
            assert_int_equal(of_history_count(h), k - 1);
            for (size_t i = 0; i < k - 1; i++)
                assert_rec(of_history_get(h, i), i < bad ? i + 1 : i + 2);
            append_ok(h, k + 1);
            assert_int_equal(of_history_close(h), OF_HISTORY_OK);

            h = open_w(m, &rep);
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
            assert_int_equal(of_history_count(h), k);
            assert_int_equal(of_history_close(h), OF_HISTORY_OK);
            assert_int_equal(memfs_file_count(m), 2);
            memfs_free(m);
            img[at] ^= (unsigned char)(1u << bit);
        }
    }
    free(img);
}

static void test_bit_flip_in_first_and_last_record(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 5, &len);
    of_history_report rep;

    /* First record: damage followed by good frames. */
    img[HDR + 10] ^= 0x40;
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_quarantined(m, &rep, img, len, "");
    assert_seqs(h, 2, 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    img[HDR + 10] ^= 0x40;

    /* Last record: indistinguishable from a torn append; its bytes are
     * kept, then cut, not moved; its seq (5) is not given again (this
     * file's header already promises 6, so the cut changes nothing there). */
    img[len - 3] ^= 0x01;
    m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_false(rep.moved_aside);
    assert_true(rep.cut_kept);
    char cut[256];
    cut_name(cut, sizeof cut, "");
    assert_file_is(m, cut, img + len - FRAME, FRAME);
    assert_int_equal(rep.cut_seq, 0);
    assert_seqs(h, 1, 4);
    assert_int_equal(memfs_file_count(m), 2);
    append_ok(h, 6);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    free(img);
}

static void test_length_out_of_bounds_in_the_middle(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 4, &len);
    const uint32_t lens[] = {0, 41, OF_HISTORY_MAX_PAYLOAD + 1, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        unsigned char *c = malloc(len);
        memcpy(c, img, len);
        le(c + HDR + FRAME, lens[i], 4); /* frame of seq 2 */
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, c, len), 0);
        of_history_report rep;
        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
        assert_quarantined(m, &rep, c, len, "");
        assert_int_equal(of_history_count(h), 3);
        assert_rec(of_history_get(h, 0), 1);
        assert_rec(of_history_get(h, 1), 3);
        assert_rec(of_history_get(h, 2), 4);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
        free(c);
    }
    free(img);
}

static void test_garbage_after_records_is_not_a_torn_tail(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 3, &len);
    size_t extra = OF_HISTORY_MAX_PAYLOAD + 100; /* more than one frame could leave */
    unsigned char *c = malloc(len + extra);
    memcpy(c, img, len);
    for (size_t i = 0; i < extra; i++)
        c[len + i] = (unsigned char)(i * 131u + 7u);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, c, len + extra), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_int_equal(rep.dropped_bytes, extra);
    assert_quarantined(m, &rep, c, len + extra, "");
    assert_seqs(h, 1, 3);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    free(c);
    free(img);
}

static void test_foreign_files_are_moved_aside(void **state)
{
    (void)state;
    unsigned char random[4096];
    uint32_t x = 12345u;
    for (size_t i = 0; i < sizeof random; i++) {
        x = x * 1103515245u + 12345u;
        random[i] = (unsigned char)(x >> 16);
    }
    struct {
        const unsigned char *data;
        size_t len;
        of_history_issue issue;
    } cases[] = {
        {random, sizeof random, OF_HISTORY_ISSUE_NOT_HISTORY},
        {(const unsigned char *)"", 0, OF_HISTORY_ISSUE_NOT_HISTORY},
        {(const unsigned char *)"OFN", 3, OF_HISTORY_ISSUE_NOT_HISTORY},
        {(const unsigned char *)"OFNHIST\0", 8, OF_HISTORY_ISSUE_BAD_HEADER},
        {(const unsigned char *)"OFNHIST\0\1\0\0\0\x1c\0\0\0", 16, OF_HISTORY_ISSUE_BAD_HEADER},
        {(const unsigned char *)"ofnhist\0 lowercase is someone else", 35, OF_HISTORY_ISSUE_NOT_HISTORY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, cases[i].data, cases[i].len), 0);
        of_history_report rep;

        of_history *ro = open_ro(m, &rep);
        assert_int_equal(rep.issue, cases[i].issue);
        assert_int_equal(of_history_count(ro), 0);
        assert_int_equal(of_history_close(ro), OF_HISTORY_OK);

        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, cases[i].issue);
        assert_false(rep.no_file);
        assert_quarantined(m, &rep, cases[i].data, cases[i].len, "");
        assert_int_equal(of_history_count(h), 0);
        append_ok(h, 1);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        assert_int_equal(memfs_file_count(m), 2);
        assert_int_equal(memfs_open_handles(m), 0);
        memfs_free(m);
    }
}

static void test_bad_headers_keep_their_frames(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 4, &len);
    /* Damage one header field at a time: CRC, next_seq, major (to 0 with a
     * right CRC), header_len out of range. */
    for (int variant = 0; variant < 4; variant++) {
        unsigned char *c = malloc(len);
        memcpy(c, img, len);
        switch (variant) {
        case 0: c[HDR - 1] ^= 0x10; break;
        case 1: c[17] ^= 0x01; break;
        case 2: t_header(c, 0, 0, HDR, 5); break;
        default: le(c + 12, 8192, 4); break;
        }
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, c, len), 0);
        of_history_report rep;
        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_HEADER);
        assert_quarantined(m, &rep, c, len, "");
        assert_seqs(h, 1, 4);
        append_ok(h, 5);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
        free(c);
    }
    free(img);
}

static void test_header_only_file_is_a_valid_empty_history(void **state)
{
    (void)state;
    unsigned char hdr[HDR];
    t_header(hdr, 1, 0, HDR, 42);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, hdr, HDR), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_false(rep.moved_aside);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_next_seq(h), 42);
    of_record r = rec_of(42);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, 42);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_newer_major_is_left_alone(void **state)
{
    (void)state;
    /* A version-2 file may have any layout after its header. */
    unsigned char img[HDR + 64];
    t_header(img, 2, 3, HDR, 7);
    for (size_t i = HDR; i < sizeof img; i++)
        img[i] = (unsigned char)i;
    for (int ro = 0; ro <= 1; ro++) {
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, img, sizeof img), 0);
        of_history *h = (of_history *)&img; /* must be reset to NULL */
        of_history_report rep;
        assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, ro ? OF_HISTORY_READONLY : 0, NOW, &rep),
                         OF_HISTORY_E_NEWER_VERSION);
        assert_null(h);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NEWER_VERSION);
        assert_int_equal(rep.file_major, 2);
        assert_int_equal(rep.file_minor, 3);
        assert_false(rep.moved_aside);
        assert_file_is(m, PATH, img, sizeof img);
        assert_int_equal(memfs_file_count(m), 1);
        assert_int_equal(memfs_open_handles(m), 0);
        assert_int_equal(memfs_calls(m, MEMFS_WRITE) + memfs_calls(m, MEMFS_TRUNCATE)
                             + memfs_calls(m, MEMFS_RENAME_ASIDE) + memfs_calls(m, MEMFS_REPLACE),
                         0);
        memfs_free(m);
    }
}

static void test_newer_minor_fields_are_skipped(void **state)
{
    (void)state;
    /* Minor 5: a 40-byte header and 16 unknown bytes after each payload. */
    unsigned char img[40 + 3 * (FRAME + 16)];
    size_t at = t_header(img, 1, 5, 40, 4);
    for (uint64_t s = 1; s <= 3; s++) {
        of_record r = rec_of(s);
        r.seq = s;
        at += t_frame(img + at, &r, 16);
    }
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, at), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(rep.file_minor, 5);
    assert_seqs(h, 1, 3);
    append_ok(h, 4); /* a shorter 1.0 frame after the longer ones */
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seqs(h, 1, 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    size_t len;
    const unsigned char *d = memfs_get(m, PATH, &len);
    assert_int_equal(len, at + FRAME);
    assert_memory_equal(d, img, at); /* appending never rewrites the header */
    memfs_free(m);
}

static void test_quarantine_never_overwrites_an_earlier_one(void **state)
{
    (void)state;
    memfs *m = memfs_new();
    char n1[256], n2[256];
    corrupt_name(n1, sizeof n1, "");
    corrupt_name(n2, sizeof n2, "-2");
    assert_int_equal(memfs_put(m, n1, "first", 5), 0);
    assert_int_equal(memfs_put(m, n2, "second", 6), 0);
    assert_int_equal(memfs_put(m, PATH, "third", 5), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_quarantined(m, &rep, (const unsigned char *)"third", 5, "-3");
    assert_file_is(m, n1, (const unsigned char *)"first", 5);
    assert_file_is(m, n2, (const unsigned char *)"second", 6);
    assert_int_equal(memfs_file_count(m), 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
}

static void test_long_path_in_report_is_truncated_safely(void **state)
{
    (void)state;
    size_t plen = OF_HISTORY_REPORT_PATH_CAP + 100;
    char *path = malloc(plen + 1);
    memset(path, 'p', plen);
    path[plen] = '\0';
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, path, "junk", 4), 0);
    of_history *h = NULL;
    of_history_report rep;
    assert_int_equal(of_history_open(&h, memfs_fs(m), path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_true(rep.moved_aside);
    assert_true(rep.moved_to_truncated);
    assert_int_equal(strlen(rep.moved_to), OF_HISTORY_REPORT_PATH_CAP - 1);
    assert_memory_equal(rep.moved_to, path, OF_HISTORY_REPORT_PATH_CAP - 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_file_count(m), 2);
    free(path);
    memfs_free(m);
}

static void test_quarantine_failures_leave_the_file_in_place(void **state)
{
    (void)state;
    const unsigned char junk[] = "definitely not a history file";
    struct {
        memfs_op op;
        unsigned long nth;
        of_history_err expect;
    } cases[] = {
        {MEMFS_OPEN_WRITE, 2, OF_HISTORY_E_OPEN},  /* the temporary file */
        {MEMFS_WRITE, 1, OF_HISTORY_E_WRITE},
        {MEMFS_SYNC, 1, OF_HISTORY_E_SYNC},
        {MEMFS_CLOSE, 3, OF_HISTORY_E_CLOSE}, /* append, reader, then temp file */
        {MEMFS_RENAME_ASIDE, 1, OF_HISTORY_E_RENAME},
        {MEMFS_REPLACE, 1, OF_HISTORY_E_RENAME},
        {MEMFS_OPEN_WRITE, 3, OF_HISTORY_E_OPEN}, /* reopening the new file */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, junk, sizeof junk), 0);
        memfs_fail(m, cases[i].op, cases[i].nth, OF_FS_ERR_IO);
        of_history *h = NULL;
        of_history_report rep;
        assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, &rep), cases[i].expect);
        assert_null(h);
        assert_int_equal(memfs_open_handles(m), 0);
        assert_false(memfs_exists(m, TMP_PATH));
        if (cases[i].op == MEMFS_OPEN_WRITE && cases[i].nth == 3) {
            /* The swap was done; only the reopen failed. */
            assert_true(rep.moved_aside);
            assert_int_equal(memfs_file_count(m), 2);
        } else {
            assert_false(rep.moved_aside);
            assert_file_is(m, PATH, junk, sizeof junk);
            assert_int_equal(memfs_file_count(m), 1);
        }
        /* A later start without faults succeeds. */
        h = open_w(m, &rep);
        assert_int_equal(of_history_count(h), 0);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        memfs_free(m);
    }
}

static void test_read_only_never_modifies(void **state)
{
    (void)state;
    size_t len;
    unsigned char *img = t_image(1, 6, &len);
    /* torn, damaged in the middle, and foreign */
    img[HDR + 2 * FRAME + 20] ^= 0x04;
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len - 9), 0);
    of_history_report rep;
    of_history *h = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_int_equal(of_history_count(h), 4); /* 1, 2, 4, 5 */
    assert_rec(of_history_get(h, 2), 4);
    assert_false(rep.moved_aside);
    assert_false(rep.torn_cut);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_file_is(m, PATH, img, len - 9);
    assert_int_equal(memfs_file_count(m), 1);
    assert_int_equal(memfs_calls(m, MEMFS_OPEN_WRITE) + memfs_calls(m, MEMFS_RENAME_ASIDE)
                         + memfs_calls(m, MEMFS_REPLACE) + memfs_calls(m, MEMFS_REMOVE),
                     0);
    memfs_free(m);

    /* Missing file: nothing created. */
    m = memfs_new();
    h = open_ro(m, &rep);
    assert_true(rep.no_file);
    assert_int_equal(of_history_count(h), 0);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_file_count(m), 0);
    memfs_free(m);
    free(img);
}

static void test_read_only_during_a_writers_failed_append(void **state)
{
    (void)state;
    memfs *m = fs_with(3);
    of_history *w = open_w(m, NULL);
    /* A short write whose cleanup also fails leaves half a frame behind. */
    memfs_short_write(m, 1, 20);
    memfs_fail(m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    of_record r = rec_of(4);
    assert_int_equal(of_history_append(w, &r), OF_HISTORY_E_WRITE);
    size_t len;
    unsigned char *before = snapshot(m, PATH, &len);
    assert_int_equal(len, HDR + 3 * FRAME + FRAME - 20);

    of_history_report rep;
    of_history *ro = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_seqs(ro, 1, 3);
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    assert_file_is(m, PATH, before, len);

    /* The writer cuts the leftover before its next append. */
    append_ok(w, 4);
    assert_int_equal(of_history_close(w), OF_HISTORY_OK);
    ro = open_ro(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seqs(ro, 1, 4);
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    free(before);
    memfs_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_flip_in_a_middle_record_quarantines_and_salvages),
        cmocka_unit_test(test_bit_flip_in_first_and_last_record),
        cmocka_unit_test(test_length_out_of_bounds_in_the_middle),
        cmocka_unit_test(test_garbage_after_records_is_not_a_torn_tail),
        cmocka_unit_test(test_foreign_files_are_moved_aside),
        cmocka_unit_test(test_bad_headers_keep_their_frames),
        cmocka_unit_test(test_header_only_file_is_a_valid_empty_history),
        cmocka_unit_test(test_newer_major_is_left_alone),
        cmocka_unit_test(test_newer_minor_fields_are_skipped),
        cmocka_unit_test(test_quarantine_never_overwrites_an_earlier_one),
        cmocka_unit_test(test_long_path_in_report_is_truncated_safely),
        cmocka_unit_test(test_quarantine_failures_leave_the_file_in_place),
        cmocka_unit_test(test_read_only_never_modifies),
        cmocka_unit_test(test_read_only_during_a_writers_failed_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
