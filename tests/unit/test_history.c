/* Tests for core/history: format, append, recovery, quarantine, retention,
 * fault handling; through memfs (faults, crashes) and stdiofs (real files). */
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

#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "support/memfs.h"
#include "support/stdiofs.h"

#define PATH "h.dat"
#define TMP_PATH "h.dat.tmp"
#define NOW INT64_C(1700000000000)
#define DAY INT64_C(86400000)
#define HDR OF_HISTORY_HEADER_SIZE
#define FRAME OF_HISTORY_FRAME_SIZE

/* ---- an independent encoder of the documented format ------------------------ */

static void le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A header of hlen bytes (extra fields zero) with a correct CRC. */
static size_t t_header(unsigned char *p, uint16_t major, uint16_t minor, uint32_t hlen, uint64_t next_seq)
{
    memset(p, 0, hlen);
    memcpy(p, "OFNHIST\0", 8);
    le(p + 8, major, 2);
    le(p + 10, minor, 2);
    le(p + 12, hlen, 4);
    le(p + 16, next_seq, 8);
    le(p + hlen - 4, of_crc32(p, hlen - 4), 4);
    return hlen;
}

/* A frame whose payload has extra unknown bytes after the 1.0 fields. */
static size_t t_frame(unsigned char *p, const of_record *r, size_t extra)
{
    size_t len = 42 + extra;
    le(p, len, 4);
    unsigned char *q = p + 4;
    le(q, r->seq, 8);
    le(q + 8, (uint64_t)r->started_ms, 8);
    le(q + 16, (uint64_t)r->completed_ms, 8);
    le(q + 24, r->duration_ms, 8);
    le(q + 32, r->flags, 4);
    le(q + 36, r->begin_flags, 4);
    q[40] = r->status;
    q[41] = r->reason;
    memset(q + 42, 0xA5, extra);
    le(p + 4 + len, of_crc32(p, 4 + len), 4);
    return 8 + len;
}

/* Record i of the test data; every field differs from record to record. */
static of_record rec_of(uint64_t i)
{
    of_record r;
    memset(&r, 0, sizeof r);
    r.started_ms = NOW - 400 * DAY + (int64_t)i * 60000;
    r.completed_ms = r.started_ms + 1000 + (int64_t)i;
    r.duration_ms = 1000 + i;
    r.flags = 0x10000000u | (uint32_t)i;
    r.begin_flags = (uint32_t)i * 3u;
    r.status = (uint8_t)(i % 3);
    r.reason = r.status == OF_STATUS_INTERRUPTED ? (uint8_t)(1 + i % 4) : 0;
    return r;
}

static void assert_rec(const of_record *got, uint64_t seq)
{
    assert_non_null(got);
    of_record want = rec_of(seq);
    assert_int_equal(got->seq, seq);
    assert_true(got->started_ms == want.started_ms);
    assert_true(got->completed_ms == want.completed_ms);
    assert_int_equal(got->duration_ms, want.duration_ms);
    assert_int_equal(got->flags, want.flags);
    assert_int_equal(got->begin_flags, want.begin_flags);
    assert_int_equal(got->status, want.status);
    assert_int_equal(got->reason, want.reason);
}

/* The store holds exactly the records with these seqs, in order. */
static void assert_seqs(const of_history *h, uint64_t first, size_t n)
{
    assert_int_equal(of_history_count(h), n);
    for (size_t i = 0; i < n; i++)
        assert_rec(of_history_get(h, i), first + i);
    assert_null(of_history_get(h, n));
}

/* A file image holding records first..first+n-1. Caller frees. */
static unsigned char *t_image(uint64_t first, size_t n, size_t *len)
{
    unsigned char *buf = malloc(HDR + n * FRAME);
    assert_non_null(buf);
    size_t at = t_header(buf, 1, 0, HDR, first + n);
    for (size_t i = 0; i < n; i++) {
        of_record r = rec_of(first + i);
        r.seq = first + i;
        at += t_frame(buf + at, &r, 0);
    }
    *len = at;
    return buf;
}

static of_history *open_w(memfs *m, of_history_report *rep)
{
    of_history *h = NULL;
    assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, rep), OF_HISTORY_OK);
    assert_non_null(h);
    return h;
}

static of_history *open_ro(memfs *m, of_history_report *rep)
{
    of_history *h = NULL;
    assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, OF_HISTORY_READONLY, NOW, rep),
                     OF_HISTORY_OK);
    assert_non_null(h);
    return h;
}

static void append_ok(of_history *h, uint64_t expect_seq)
{
    of_record r = rec_of(expect_seq);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, expect_seq);
}

/* A memfs with a history of n records written by the store itself. */
static memfs *fs_with(size_t n)
{
    memfs *m = memfs_new();
    assert_non_null(m);
    of_history *h = open_w(m, NULL);
    for (size_t i = 1; i <= n; i++)
        append_ok(h, i);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(memfs_open_handles(m), 0);
    return m;
}

/* Copy of a file's bytes (memfs pointers change with the file). */
static unsigned char *snapshot(const memfs *m, const char *path, size_t *len)
{
    const unsigned char *d = memfs_get(m, path, len);
    assert_non_null(d);
    unsigned char *c = malloc(*len + 1);
    assert_non_null(c);
    memcpy(c, d, *len);
    return c;
}

static void assert_file_is(const memfs *m, const char *path, const unsigned char *want, size_t len)
{
    size_t got_len = 0;
    const unsigned char *got = memfs_get(m, path, &got_len);
    assert_non_null(got);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, want, len);
}

static void corrupt_name(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s.corrupt-%" PRId64 "%s", PATH, NOW, suffix);
}

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
    t_header(want, 1, 0, HDR, 1);
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
    t_header(want, 1, 0, HDR, 1);
    t_frame(want + HDR, &r, 0);
    assert_file_is(m, PATH, want, sizeof want);
    /* Spot-check the byte order by hand, independent of le(). */
    assert_int_equal(want[HDR + 0], 42);
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

/* ---- torn tails and crashes ------------------------------------------------- */

static void test_torn_tail_at_every_byte_is_cut(void **state)
{
    (void)state;
    const size_t k = 5;
    memfs *base = fs_with(k);
    size_t full;
    unsigned char *img = snapshot(base, PATH, &full);
    for (size_t cut = 1; cut < FRAME; cut++) {
        size_t len = full - FRAME + cut; /* the last frame has only cut bytes */
        memfs *m = memfs_new();
        assert_int_equal(memfs_put(m, PATH, img, len), 0);

        of_history_report rep;
        of_history *ro = open_ro(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_false(rep.torn_cut);
        assert_seqs(ro, 1, k - 1);
        assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
        assert_file_is(m, PATH, img, len);

        of_history *h = open_w(m, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
        assert_true(rep.torn_cut);
        assert_false(rep.moved_aside);
        assert_int_equal(rep.dropped_bytes, cut);
        assert_int_equal(rep.records, k - 1);
        assert_seqs(h, 1, k - 1);
        assert_file_is(m, PATH, img, full - FRAME);
        /* The lost record's number was never durable; it is given again. */
        append_ok(h, k);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        assert_file_is(m, PATH, img, full);
        assert_int_equal(memfs_file_count(m), 1);
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
            assert_seqs(h, 1, k);
        } else {
            /* The whole frame reached the disk before the power went. */
            assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
            assert_seqs(h, 1, k + 1);
        }
        append_ok(h, of_history_count(h) + 1);
        assert_int_equal(of_history_close(h), OF_HISTORY_OK);
        h = open_ro(after, &rep);
        assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
        assert_seqs(h, 1, n < FRAME ? k + 1 : k + 2);
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
    assert_file_is(m, PATH, img, len);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    free(big);
    free(img);
    memfs_free(m);
}

/* ---- damage in the middle, foreign files: quarantine ---------------------------- */

/* The file was moved aside unchanged and a clean history with the
 * surviving records took its place. */
static void assert_quarantined(memfs *m, const of_history_report *rep, const unsigned char *orig,
                               size_t orig_len, const char *suffix)
{
    char name[256];
    corrupt_name(name, sizeof name, suffix);
    assert_true(rep->moved_aside);
    assert_false(rep->moved_to_truncated);
    assert_string_equal(rep->moved_to, name);
    assert_file_is(m, name, orig, orig_len);
    assert_false(memfs_exists(m, TMP_PATH));
}

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

    /* Last record: indistinguishable from a torn append; cut, not moved. */
    img[len - 3] ^= 0x01;
    m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, img, len), 0);
    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_false(rep.moved_aside);
    assert_seqs(h, 1, 4);
    assert_int_equal(memfs_file_count(m), 1);
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

static void test_out_of_order_seq_is_damage(void **state)
{
    (void)state;
    /* Two valid histories glued together: seq goes 1,2,3,1,2. */
    size_t la, lb;
    unsigned char *a = t_image(1, 3, &la);
    unsigned char *b = t_image(1, 2, &lb);
    unsigned char *c = malloc(la + lb - HDR);
    memcpy(c, a, la);
    memcpy(c + la, b + HDR, lb - HDR);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, c, la + lb - HDR), 0);
    of_history_report rep;
    of_history *h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_BAD_RECORDS);
    assert_true(rep.moved_aside);
    assert_seqs(h, 1, 3);
    append_ok(h, 4);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    memfs_free(m);
    free(a);
    free(b);
    free(c);
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
     * torn tail and cuts it. */
    m = fs_with(3);
    h = open_w(m, NULL);
    memfs_short_write(m, 1, 7);
    memfs_fail(m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_WRITE);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_w(m, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_int_equal(rep.dropped_bytes, FRAME - 7);
    assert_seqs(h, 1, 3);
    append_ok(h, 4);
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
    /* Cutting a torn tail fails: open fails, the file is as it was. */
    memfs *m = fs_with(2);
    size_t len;
    unsigned char *img = snapshot(m, PATH, &len);
    assert_int_equal(memfs_put(m, PATH, img, len - 5), 0);
    for (int step = 0; step < 2; step++) {
        memfs_fail(m, step == 0 ? MEMFS_TRUNCATE : MEMFS_SYNC, 1, OF_FS_ERR_IO);
        of_history *h = NULL;
        assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, NULL),
                         step == 0 ? OF_HISTORY_E_TRUNCATE : OF_HISTORY_E_SYNC);
        assert_int_equal(memfs_open_handles(m), 0);
        if (step == 0)
            assert_file_is(m, PATH, img, len - 5);
    }
    free(img);
    memfs_free(m);
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

static void assert_seq_range(const of_history *h, uint64_t first, size_t n)
{
    assert_int_equal(of_history_count(h), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(of_history_get(h, i)->seq, first + i);
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

static void test_seq_exhaustion_is_an_error(void **state)
{
    (void)state;
    unsigned char hdr[HDR];
    t_header(hdr, 1, 0, HDR, UINT64_MAX);
    memfs *m = memfs_new();
    assert_int_equal(memfs_put(m, PATH, hdr, HDR), 0);
    of_history *h = open_w(m, NULL);
    of_record r = rec_of(1);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_E_FULL);
    assert_int_equal(of_history_count(h), 0);
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
    char path[512], tmp[560], aside[600];
    real_path(path, sizeof path, ".dat");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(aside, sizeof aside, "%s.corrupt-%" PRId64, path, NOW);
    remove(path);
    remove(aside);

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
    assert_seqs(h, 1, 4);
    assert_int_equal(real_size(path), (long)(HDR + 4 * FRAME));
    append_ok(h, 5);
    append_ok(h, 6);
    assert_int_equal(of_history_compact(h, 3, 0, NOW, NULL), OF_HISTORY_OK);
    assert_seq_range(h, 4, 3);
    append_ok(h, 7);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(real_size(path), (long)(HDR + 4 * FRAME));
    assert_int_equal(real_size(tmp), -1);

    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, &rep), OF_HISTORY_OK);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_seq_range(h, 4, 4);
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
        cmocka_unit_test(test_torn_tail_at_every_byte_is_cut),
        cmocka_unit_test(test_crash_at_every_byte_of_an_append),
        cmocka_unit_test(test_zero_filled_tail_is_cut),
        cmocka_unit_test(test_bit_flip_in_a_middle_record_quarantines_and_salvages),
        cmocka_unit_test(test_bit_flip_in_first_and_last_record),
        cmocka_unit_test(test_length_out_of_bounds_in_the_middle),
        cmocka_unit_test(test_garbage_after_records_is_not_a_torn_tail),
        cmocka_unit_test(test_out_of_order_seq_is_damage),
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
        cmocka_unit_test(test_append_failures_leave_the_file_valid),
        cmocka_unit_test(test_failed_cleanup_is_retried_or_recovered),
        cmocka_unit_test(test_open_failures_are_reported),
        cmocka_unit_test(test_retention_by_count_age_and_both),
        cmocka_unit_test(test_age_cutoff_does_not_overflow),
        cmocka_unit_test(test_seq_continues_across_clear_compaction_and_reopen),
        cmocka_unit_test(test_stale_temporary_file_is_harmless),
        cmocka_unit_test(test_compaction_failing_at_every_step),
        cmocka_unit_test(test_crash_at_every_byte_of_a_compaction),
        cmocka_unit_test(test_lost_append_handle_is_reopened),
        cmocka_unit_test(test_seq_exhaustion_is_an_error),
        cmocka_unit_test(test_100k_appends_and_reload),
        cmocka_unit_test(test_one_million_records_load),
        cmocka_unit_test(test_real_files_through_stdio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
