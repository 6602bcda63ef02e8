/* Tests for core/framelog: the append-only file of checked frames under the
 * spill journal and the conflicts log, with a small owner of its own (each
 * frame holds one value byte) and frames encoded here from framelog.h's
 * layout, through memfs fault injection: a torn append, a failed sync, a
 * damaged middle, a damaged header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"
#include "framelog.h"
#include "support/memfs.h"

#define LPATH "t.log"
#define NOW INT64_C(1700000000000)
#define HDR FRAMELOG_HEADER_SIZE
#define FRAME 17u   /* u32 length, u64 seq, one value byte, u32 CRC */
#define UNKNOWN 0xFF /* a value this version does not know */
#define MAX_VALUES 64

typedef struct owner {
    unsigned char values[MAX_VALUES];
    size_t count;
    int fail_take; /* take fails with OF_HISTORY_E_NO_MEMORY */
} owner;

static void le(unsigned char *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static size_t t_frame(unsigned char *p, uint64_t seq, unsigned char value)
{
    le(p, 9, 4);
    le(p + 4, seq, 8);
    p[12] = value;
    le(p + 13, of_crc32(p, 13), 4);
    return FRAME;
}

static size_t t_header(unsigned char *p, uint16_t major)
{
    memcpy(p, "OFNTEST", 8);
    le(p + 8, major, 2);
    le(p + 10, 0, 2);
    le(p + 12, HDR, 4);
    le(p + 16, of_crc32(p, 16), 4);
    return HDR;
}

/* A file of frames seq 1..n holding the values 10, 11, ... */
static size_t t_image(unsigned char *p, size_t n)
{
    size_t len = t_header(p, 1);
    for (size_t i = 0; i < n; i++)
        len += t_frame(p + len, i + 1, (unsigned char)(10 + i));
    return len;
}

static int known(const unsigned char *frame, size_t len)
{
    return len == FRAME && frame[12] != UNKNOWN;
}

static of_history_err take(void *ctx, const unsigned char *frame, size_t len)
{
    owner *o = ctx;
    assert_int_equal(len, FRAME);
    if (o->fail_take)
        return OF_HISTORY_E_NO_MEMORY;
    assert_true(o->count < MAX_VALUES);
    o->values[o->count++] = frame[12];
    return OF_HISTORY_OK;
}

static size_t rewrite_cap(const void *ctx)
{
    const owner *o = ctx;
    return o->count * FRAME;
}

static size_t rewrite(void *ctx, unsigned char *out, uint64_t *count)
{
    owner *o = ctx;
    for (size_t i = 0; i < o->count; i++)
        t_frame(out + i * FRAME, i + 1, o->values[i]);
    *count = o->count;
    return o->count * FRAME;
}

static const framelog_kind KIND = {
    .magic = "OFNTEST",
    .major = 1,
    .minor = 0,
    .payload_min = 9,
    .payload_max = 9 + 64,
    .known = known,
    .take = take,
    .rewrite_cap = rewrite_cap,
    .rewrite = rewrite,
};

typedef struct found {
    int no_file, cut_kept, moved_aside;
    char cut_to[OF_HISTORY_REPORT_PATH_CAP], moved_to[OF_HISTORY_REPORT_PATH_CAP];
    uint64_t dropped;
} found;

/* A log, its owner and what its load found, on a memfs; img is the file as
 * the test wrote it. */
typedef struct fixture {
    memfs *m;
    owner o;
    found f;
    framelog *fl;
    unsigned char img[HDR + 8 * FRAME];
    size_t len;
} fixture;

static fixture *new_fixture(void)
{
    fixture *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    assert_non_null(t->m = memfs_new());
    return t;
}

/* Loads the file into an empty owner. */
static of_history_err load(fixture *t)
{
    framelog_free(t->fl);
    t->o.count = 0;
    memset(&t->f, 0, sizeof(t->f));
    found *f = &t->f;
    const framelog_report rep = {&f->no_file, &f->cut_kept, f->cut_to, &f->moved_aside, f->moved_to, &f->dropped};
    assert_int_equal(framelog_new(&t->fl, memfs_fs(t->m), LPATH, &KIND, &t->o), OF_HISTORY_OK);
    return framelog_load(t->fl, NOW, &rep);
}

/* t->img (t->len bytes) as the file, loaded. */
static void load_img(fixture *t)
{
    assert_int_equal(memfs_put(t->m, LPATH, t->img, t->len), 0);
    assert_int_equal(load(t), OF_HISTORY_OK);
}

/* A log on a clean file of frames 1..n holding the values 10, 11, ... */
static fixture *with_image(size_t n)
{
    fixture *t = new_fixture();
    t->len = t_image(t->img, n);
    load_img(t);
    return t;
}

static void end(fixture *t)
{
    framelog_free(t->fl);
    assert_int_equal(memfs_open_handles(t->m), 0);
    memfs_free(t->m);
    free(t);
}

static of_history_err append(fixture *t, unsigned char value)
{
    uint64_t seq = 0;
    unsigned char frame[FRAME];
    of_history_err err = framelog_ready(t->fl, &seq);
    if (err == OF_HISTORY_OK)
        err = framelog_append(t->fl, frame, t_frame(frame, seq, value));
    if (err == OF_HISTORY_OK)
        t->o.values[t->o.count++] = value;
    return err;
}

static void assert_file(const memfs *m, const char *path, const unsigned char *want, size_t len)
{
    size_t got_len = 0;
    const unsigned char *got = memfs_get(m, path, &got_len);
    assert_non_null(got);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, want, len);
}

static void assert_values(const owner *o, const unsigned char *want, size_t n)
{
    assert_int_equal(o->count, n);
    assert_memory_equal(o->values, want, n);
}

/* The file holds the values 10, 11, ... numbered 1..n: loaded again, it
 * gives them all and repairs nothing. Ends the fixture. */
static void end_clean(fixture *t, size_t n)
{
    unsigned char want[HDR + 8 * FRAME];
    assert_file(t->m, LPATH, want, t_image(want, n));
    assert_int_equal(load(t), OF_HISTORY_OK);
    assert_false(t->f.cut_kept || t->f.moved_aside || t->f.no_file);
    assert_int_equal(t->f.dropped, 0);
    assert_int_equal(framelog_frames(t->fl), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t->o.values[i], 10 + i);
    end(t);
}

/* ---- writing ------------------------------------------------------------------ */

static void test_first_append_creates_the_file(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    assert_int_equal(load(t), OF_HISTORY_OK);
    assert_true(t->f.no_file);
    assert_false(memfs_exists(t->m, LPATH));
    for (unsigned char v = 10; v < 13; v++)
        assert_int_equal(append(t, v), OF_HISTORY_OK);
    assert_int_equal(framelog_frames(t->fl), 3);
    assert_string_equal(framelog_path(t->fl), LPATH);
    end_clean(t, 3);
}

static void test_torn_append_is_cut_off(void **state)
{
    (void)state;
    fixture *t = with_image(2);
    memfs_short_write(t->m, 1, 5);
    assert_int_equal(append(t, 12), OF_HISTORY_E_WRITE);
    assert_file(t->m, LPATH, t->img, t->len);
    assert_int_equal(framelog_frames(t->fl), 2);
    /* The next append takes the seq the torn one did not get. */
    assert_int_equal(append(t, 12), OF_HISTORY_OK);
    end_clean(t, 3);
}

static void test_failed_sync_takes_the_frame_back(void **state)
{
    (void)state;
    fixture *t = with_image(2);
    memfs_fail(t->m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    assert_int_equal(append(t, 12), OF_HISTORY_E_SYNC);
    assert_file(t->m, LPATH, t->img, t->len);
    /* Neither the sync nor the cut: the next append cuts first. */
    memfs_fail(t->m, MEMFS_SYNC, 1, OF_FS_ERR_IO);
    memfs_fail(t->m, MEMFS_TRUNCATE, 1, OF_FS_ERR_IO);
    assert_int_equal(append(t, 12), OF_HISTORY_E_SYNC);
    assert_int_equal(append(t, 12), OF_HISTORY_OK);
    end_clean(t, 3);
}

static void test_failed_rewrite_leaves_the_file(void **state)
{
    (void)state;
    fixture *t = with_image(3);
    t->o.count = 1; /* a smaller set, as after a compaction's removals */
    memfs_fail(t->m, MEMFS_REPLACE, 1, OF_FS_ERR_ACCESS);
    assert_int_equal(framelog_rewrite(t->fl), OF_HISTORY_E_RENAME);
    assert_file(t->m, LPATH, t->img, t->len);
    assert_int_equal(memfs_file_count(t->m), 1);
    assert_int_equal(framelog_frames(t->fl), 3);
    assert_int_equal(framelog_rewrite(t->fl), OF_HISTORY_OK);
    assert_int_equal(framelog_frames(t->fl), 1);
    assert_int_equal(append(t, 11), OF_HISTORY_OK);
    end_clean(t, 2);
}

static void test_remove_then_append_starts_again(void **state)
{
    (void)state;
    fixture *t = with_image(3);
    memfs_fail(t->m, MEMFS_REMOVE, 1, OF_FS_ERR_ACCESS);
    assert_int_equal(framelog_remove(t->fl), OF_HISTORY_E_ACCESS);
    assert_file(t->m, LPATH, t->img, t->len);
    assert_int_equal(framelog_remove(t->fl), OF_HISTORY_OK);
    assert_false(memfs_exists(t->m, LPATH));
    assert_int_equal(framelog_frames(t->fl), 0);
    t->o.count = 0;
    assert_int_equal(append(t, 10), OF_HISTORY_OK);
    end_clean(t, 1);
}

/* ---- loading ---------------------------------------------------------------- */

static void test_crash_mid_append_leaves_a_torn_tail(void **state)
{
    (void)state;
    fixture *t = with_image(2);
    memfs_crash_after(t->m, 7);
    assert_int_not_equal(append(t, 12), OF_HISTORY_OK);
    framelog_free(t->fl);
    t->fl = NULL;
    memfs *after = memfs_clone(t->m);
    memfs_free(t->m);
    t->m = after;

    assert_int_equal(load(t), OF_HISTORY_OK);
    assert_true(t->f.cut_kept);
    assert_false(t->f.moved_aside);
    assert_string_equal(t->f.cut_to, LPATH ".cut-1700000000000");
    assert_int_equal(t->f.dropped, 7);
    unsigned char torn[FRAME];
    t_frame(torn, 3, 12);
    assert_file(t->m, t->f.cut_to, torn, 7);
    assert_file(t->m, LPATH, t->img, t->len);
    assert_values(&t->o, (const unsigned char[]){10, 11}, 2);
    assert_int_equal(append(t, 12), OF_HISTORY_OK);
    end_clean(t, 3);
}

static void test_damaged_middle_is_set_aside(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = t_image(t->img, 5);
    t->img[HDR + 2 * FRAME + 12] ^= 0x40; /* the third frame's value: its CRC fails */
    load_img(t);
    assert_true(t->f.moved_aside);
    assert_false(t->f.cut_kept);
    assert_string_equal(t->f.moved_to, LPATH ".corrupt-1700000000000");
    assert_int_equal(t->f.dropped, FRAME);
    assert_file(t->m, t->f.moved_to, t->img, t->len);
    assert_values(&t->o, (const unsigned char[]){10, 11, 13, 14}, 4);
    /* The new file holds what verified, numbered 1..4. */
    unsigned char want[HDR + 4 * FRAME];
    size_t at = t_header(want, 1);
    for (size_t i = 0; i < 4; i++)
        at += t_frame(want + at, i + 1, t->o.values[i]);
    assert_file(t->m, LPATH, want, at);
    assert_int_equal(framelog_frames(t->fl), 4);
    end(t);
}

static void test_unknown_frame_is_damage(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = t_image(t->img, 2);
    t->len += t_frame(t->img + t->len, 3, UNKNOWN);
    t->len += t_frame(t->img + t->len, 4, 13);
    load_img(t);
    assert_true(t->f.moved_aside);
    assert_int_equal(t->f.dropped, FRAME);
    assert_values(&t->o, (const unsigned char[]){10, 11, 13}, 3);
    end(t);
}

static void test_damaged_header_salvages_every_frame(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = t_image(t->img, 3);
    t->img[10] ^= 1; /* the minor: the header's CRC fails */
    load_img(t);
    assert_true(t->f.moved_aside);
    assert_int_equal(t->f.dropped, HDR);
    assert_file(t->m, t->f.moved_to, t->img, t->len);
    end_clean(t, 3);
}

static void test_nothing_to_salvage_only_moves_aside(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = 40;
    memcpy(t->img, "not a frame log, nor any frames", 32);
    load_img(t);
    assert_true(t->f.moved_aside);
    assert_int_equal(t->f.dropped, 40);
    assert_false(memfs_exists(t->m, LPATH));
    assert_file(t->m, t->f.moved_to, t->img, t->len);
    assert_int_equal(append(t, 10), OF_HISTORY_OK);
    end_clean(t, 1);
}

static void test_newer_major_is_left_alone(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = t_header(t->img, 2);
    t->len += t_frame(t->img + t->len, 1, 10);
    assert_int_equal(memfs_put(t->m, LPATH, t->img, t->len), 0);
    assert_int_equal(load(t), OF_HISTORY_E_NEWER_VERSION);
    assert_int_equal(t->o.count, 0);
    assert_file(t->m, LPATH, t->img, t->len);
    assert_int_equal(memfs_file_count(t->m), 1);
    end(t);
}

static void test_owner_failure_ends_the_load(void **state)
{
    (void)state;
    fixture *t = new_fixture();
    t->len = t_image(t->img, 2);
    assert_int_equal(memfs_put(t->m, LPATH, t->img, t->len), 0);
    t->o.fail_take = 1;
    assert_int_equal(load(t), OF_HISTORY_E_NO_MEMORY);
    assert_int_equal(framelog_frames(t->fl), 0);
    assert_file(t->m, LPATH, t->img, t->len);
    end(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_append_creates_the_file),
        cmocka_unit_test(test_torn_append_is_cut_off),
        cmocka_unit_test(test_failed_sync_takes_the_frame_back),
        cmocka_unit_test(test_failed_rewrite_leaves_the_file),
        cmocka_unit_test(test_remove_then_append_starts_again),
        cmocka_unit_test(test_crash_mid_append_leaves_a_torn_tail),
        cmocka_unit_test(test_damaged_middle_is_set_aside),
        cmocka_unit_test(test_unknown_frame_is_damage),
        cmocka_unit_test(test_damaged_header_salvages_every_frame),
        cmocka_unit_test(test_nothing_to_salvage_only_moves_aside),
        cmocka_unit_test(test_newer_major_is_left_alone),
        cmocka_unit_test(test_owner_failure_ends_the_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
