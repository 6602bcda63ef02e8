/* ofnotify tests: shared helpers of the core/history tests. See histtest.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "support/histtest.h"

void le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A header of hlen bytes (extra fields zero) with a correct CRC. */
size_t t_header(unsigned char *p, uint16_t major, uint16_t minor, uint32_t hlen, uint64_t next_seq)
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
size_t t_frame(unsigned char *p, const of_record *r, size_t extra)
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
of_record rec_of(uint64_t i)
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

void assert_rec(const of_record *got, uint64_t seq)
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
void assert_seqs(const of_history *h, uint64_t first, size_t n)
{
    assert_int_equal(of_history_count(h), n);
    for (size_t i = 0; i < n; i++)
        assert_rec(of_history_get(h, i), first + i);
    assert_null(of_history_get(h, n));
}

/* A file image holding records first..first+n-1. Caller frees. */
unsigned char *t_image(uint64_t first, size_t n, size_t *len)
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

void t_migrated(unsigned char *img)
{
    le(img + 10, MINOR, 2);
    le(img + HDR - 4, of_crc32(img, HDR - 4), 4);
}

of_history *open_w(memfs *m, of_history_report *rep)
{
    of_history *h = NULL;
    assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, rep), OF_HISTORY_OK);
    assert_non_null(h);
    return h;
}

of_history *open_ro(memfs *m, of_history_report *rep)
{
    of_history *h = NULL;
    assert_int_equal(of_history_open(&h, memfs_fs(m), PATH, OF_HISTORY_READONLY, NOW, rep),
                     OF_HISTORY_OK);
    assert_non_null(h);
    return h;
}

void append_ok(of_history *h, uint64_t expect_seq)
{
    of_record r = rec_of(expect_seq);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, expect_seq);
}

/* A memfs with a history of n records written by the store itself. */
memfs *fs_with(size_t n)
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
unsigned char *snapshot(const memfs *m, const char *path, size_t *len)
{
    const unsigned char *d = memfs_get(m, path, len);
    assert_non_null(d);
    unsigned char *c = malloc(*len + 1);
    assert_non_null(c);
    memcpy(c, d, *len);
    return c;
}

void assert_file_is(const memfs *m, const char *path, const unsigned char *want, size_t len)
{
    size_t got_len = 0;
    const unsigned char *got = memfs_get(m, path, &got_len);
    assert_non_null(got);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, want, len);
}

void corrupt_name(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s.corrupt-%" PRId64 "%s", PATH, NOW, suffix);
}


void cut_name(char *buf, size_t cap, const char *suffix)
{
    snprintf(buf, cap, "%s.cut-%" PRId64 "%s", PATH, NOW, suffix);
}

void assert_seq_range(const of_history *h, uint64_t first, size_t n)
{
    assert_int_equal(of_history_count(h), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(of_history_get(h, i)->seq, first + i);
}

/* The file was moved aside unchanged and a clean history with the
 * surviving records took its place. */
void assert_quarantined(memfs *m, const of_history_report *rep, const unsigned char *orig, size_t orig_len,
                        const char *suffix)
{
    char name[256];
    corrupt_name(name, sizeof name, suffix);
    assert_true(rep->moved_aside);
    assert_false(rep->moved_to_truncated);
    assert_string_equal(rep->moved_to, name);
    assert_file_is(m, name, orig, orig_len);
    assert_false(memfs_exists(m, TMP_PATH));
}
