/* Unit tests of core/pass: pairing BackgroundSyncBegin/End into records. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/pass.h"
#include "ofnotify/syncflags.h"

/* dwSyncControlFlags bits used below (reference sheet §3). */
#define FILLSPARSE 0x00000001u
#define SYNCIN 0x00000002u
#define SYNCOUT 0x00000004u
#define PINNEWFILES 0x00000008u
#define SKIPSUSPENDEDDIRS 0x00002000u
#define BACKGROUND 0x00010000u
#define CR_KEEPLATEST 0x30000000u

#define TWO_WAY (SYNCIN | SYNCOUT | FILLSPARSE | BACKGROUND)
#define TO_SERVER (SYNCOUT | BACKGROUND)
#define FROM_SERVER (SYNCIN | FILLSPARSE | BACKGROUND)

#define HOUR_MS ((uint64_t)60 * 60 * 1000)
#define TIMEOUT_MS ((uint64_t)10000)
/* 2023-11-14T22:13:20Z: an ordinary wall clock reading. */
#define WALL0 ((int64_t)1700000000000)

#define SINK_CAP 64

/* Collects emitted records in order. */
typedef struct sink {
    of_record recs[SINK_CAP];
    size_t n;
} sink;

static void collect(void *ctx, const of_record *rec)
{
    sink *s = ctx;
    assert_non_null(rec);
    assert_true(s->n < SINK_CAP);
    s->recs[s->n++] = *rec;
}

static void begin_ok(of_pass_tracker *t, uint32_t flags, uint64_t mono, int64_t wall, sink *s)
{
    assert_int_equal(of_pass_begin(t, flags, mono, wall, collect, s), 0);
}

static of_record end_rec(of_pass_tracker *t, uint32_t flags, uint64_t mono, int64_t wall)
{
    of_record r;
    memset(&r, 0xAB, sizeof r);
    assert_int_equal(of_pass_end(t, flags, mono, wall, &r), OF_PASS_OK);
    return r;
}

static void assert_completed(const of_record *r, uint32_t flags, uint32_t begin_flags,
                             uint64_t duration, int64_t completed)
{
    assert_int_equal(r->status, OF_STATUS_COMPLETED);
    assert_int_equal(r->reason, OF_REASON_NONE);
    assert_int_equal(r->flags, flags);
    assert_int_equal(r->begin_flags, begin_flags);
    assert_int_equal(r->duration_ms, duration);
    assert_int_equal(r->completed_ms, completed);
    assert_int_equal(r->started_ms, completed - (int64_t)duration);
    assert_int_equal(r->seq, 0);
}

static void assert_interrupted(const of_record *r, uint32_t flags, of_reason reason,
                               uint64_t duration, int64_t completed)
{
    assert_int_equal(r->status, OF_STATUS_INTERRUPTED);
    assert_int_equal(r->reason, reason);
    assert_int_equal(r->flags, flags);
    assert_int_equal(r->begin_flags, flags);
    assert_int_equal(r->duration_ms, duration);
    assert_int_equal(r->completed_ms, completed);
    assert_int_equal(r->started_ms, completed - (int64_t)duration);
    assert_int_equal(r->seq, 0);
}

static void assert_unpaired(const of_record *r, uint32_t flags, int64_t completed)
{
    assert_int_equal(r->status, OF_STATUS_UNPAIRED);
    assert_int_equal(r->reason, OF_REASON_NONE);
    assert_int_equal(r->flags, flags);
    assert_int_equal(r->begin_flags, flags);
    assert_int_equal(r->duration_ms, 0);
    assert_true(r->started_ms == OF_TIME_UNKNOWN);
    assert_int_equal(r->completed_ms, completed);
    assert_int_equal(r->seq, 0);
}

static uint32_t open_flags(const of_pass_tracker *t, size_t index)
{
    of_pass_info info;
    assert_int_equal(of_pass_open_get(t, index, &info), OF_PASS_OK);
    return info.flags;
}

/* ---- pairing --------------------------------------------------------------------------------- */

static void test_simple_pair(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);

    begin_ok(&t, TWO_WAY, 1000, WALL0, &s);
    assert_int_equal(of_pass_open_count(&t), 1);

    of_record r = end_rec(&t, TWO_WAY, 1500, WALL0 + 500);
    assert_completed(&r, TWO_WAY, TWO_WAY, 500, WALL0 + 500);
    assert_int_equal(r.started_ms, WALL0);
    assert_int_equal(of_pass_open_count(&t), 0);
    assert_int_equal(s.n, 0);
}

static void test_each_direction_pairs(void **state)
{
    (void)state;
    static const uint32_t dirs[] = {
        SYNCIN | SYNCOUT, SYNCIN | SYNCOUT | FILLSPARSE, SYNCOUT, SYNCOUT | FILLSPARSE,
        SYNCIN, SYNCIN | FILLSPARSE, FILLSPARSE, 0,
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        of_pass_tracker t;
        sink s = {0};
        uint32_t f = dirs[i] | BACKGROUND;
        of_pass_init(&t, TIMEOUT_MS);
        begin_ok(&t, f, 100, WALL0, &s);
        of_record r = end_rec(&t, f, 100 + i, WALL0 + 7);
        assert_completed(&r, f, f, i, WALL0 + 7);
        assert_int_equal(of_pass_open_count(&t), 0);
    }
}

/* Every direction open at once; each End (with other modifier bits) finds its own. */
static void test_directions_kept_apart(void **state)
{
    (void)state;
    static const uint32_t dirs[] = {
        SYNCIN | SYNCOUT | FILLSPARSE, SYNCOUT, SYNCIN | FILLSPARSE, FILLSPARSE, 0,
    };
    const size_t n = sizeof dirs / sizeof dirs[0];
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    for (size_t i = 0; i < n; i++)
        begin_ok(&t, dirs[i] | BACKGROUND, i * 10, WALL0, &s);

    for (size_t k = 0; k < n; k++) {
        size_t i = n - 1 - k;
        uint32_t end_flags = dirs[i] | SKIPSUSPENDEDDIRS;
        of_record r = end_rec(&t, end_flags, 1000, WALL0 + 1000);
        assert_completed(&r, end_flags, dirs[i] | BACKGROUND, 1000 - i * 10, WALL0 + 1000);
    }
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_overlap_ends_in_begin_order(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    begin_ok(&t, TO_SERVER, 100, WALL0 + 100, &s);

    of_record a = end_rec(&t, TWO_WAY, 300, WALL0 + 300);
    assert_completed(&a, TWO_WAY, TWO_WAY, 300, WALL0 + 300);
    of_record b = end_rec(&t, TO_SERVER, 400, WALL0 + 400);
    assert_completed(&b, TO_SERVER, TO_SERVER, 300, WALL0 + 400);
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_overlap_ends_in_reverse_order(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    begin_ok(&t, TO_SERVER, 100, WALL0 + 100, &s);

    of_record b = end_rec(&t, TO_SERVER, 250, WALL0 + 250);
    assert_completed(&b, TO_SERVER, TO_SERVER, 150, WALL0 + 250);
    assert_int_equal(of_pass_open_count(&t), 1);
    assert_int_equal(open_flags(&t, 0), TWO_WAY);

    of_record a = end_rec(&t, TWO_WAY, 400, WALL0 + 400);
    assert_completed(&a, TWO_WAY, TWO_WAY, 400, WALL0 + 400);
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_identical_overlap_is_fifo(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    begin_ok(&t, TWO_WAY, 100, WALL0 + 100, &s);

    of_record first = end_rec(&t, TWO_WAY, 500, WALL0 + 500);
    assert_completed(&first, TWO_WAY, TWO_WAY, 500, WALL0 + 500);
    of_record second = end_rec(&t, TWO_WAY, 700, WALL0 + 700);
    assert_completed(&second, TWO_WAY, TWO_WAY, 600, WALL0 + 700);
}

static void test_end_with_other_modifiers_pairs_by_direction(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);

    const uint32_t end_flags = SYNCIN | SYNCOUT | FILLSPARSE | SKIPSUSPENDEDDIRS | CR_KEEPLATEST;
    of_record r = end_rec(&t, end_flags, 250, WALL0 + 250);
    assert_completed(&r, end_flags, TWO_WAY, 250, WALL0 + 250);
    assert_int_equal(of_pass_open_count(&t), 0);
}

/* SYNCIN implies FILLSPARSE: an End that names it when the Begin did not (or
 * the other way round) is still the same from-server pass. */
static void test_fillsparse_does_not_change_direction(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, SYNCIN | BACKGROUND, 0, WALL0, &s);
    of_record r = end_rec(&t, SYNCIN | FILLSPARSE | BACKGROUND, 90, WALL0 + 90);
    assert_completed(&r, SYNCIN | FILLSPARSE | BACKGROUND, SYNCIN | BACKGROUND, 90, WALL0 + 90);
    assert_int_equal(of_pass_open_count(&t), 0);
}

/* An exact flags match wins over an older pass that only shares the direction. */
static void test_identical_flags_beat_older_same_direction(void **state)
{
    (void)state;
    const uint32_t a = TWO_WAY;
    const uint32_t b = TWO_WAY | CR_KEEPLATEST;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, a, 0, WALL0, &s);
    begin_ok(&t, b, 100, WALL0 + 100, &s);

    of_record rb = end_rec(&t, b, 300, WALL0 + 300);
    assert_completed(&rb, b, b, 200, WALL0 + 300);
    of_record ra = end_rec(&t, a, 400, WALL0 + 400);
    assert_completed(&ra, a, a, 400, WALL0 + 400);
}

/* With no exact match, the oldest pass of the same direction is taken. */
static void test_direction_fallback_takes_oldest(void **state)
{
    (void)state;
    const uint32_t a = TWO_WAY;
    const uint32_t b = TWO_WAY | PINNEWFILES;
    const uint32_t end_flags = SYNCIN | SYNCOUT | FILLSPARSE | SKIPSUSPENDEDDIRS;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, a, 0, WALL0, &s);
    begin_ok(&t, b, 100, WALL0 + 100, &s);

    of_record r = end_rec(&t, end_flags, 300, WALL0 + 300);
    assert_completed(&r, end_flags, a, 300, WALL0 + 300);
    assert_int_equal(of_pass_open_count(&t), 1);
    assert_int_equal(open_flags(&t, 0), b);
}

static void test_end_of_other_direction_is_unpaired(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TO_SERVER, 0, WALL0, &s);

    of_record r = end_rec(&t, FROM_SERVER, 300, WALL0 + 300);
    assert_unpaired(&r, FROM_SERVER, WALL0 + 300);
    assert_int_equal(of_pass_open_count(&t), 1);
    assert_int_equal(open_flags(&t, 0), TO_SERVER);
}

static void test_end_without_begin_is_unpaired(void **state)
{
    (void)state;
    of_pass_tracker t;
    of_pass_init(&t, TIMEOUT_MS);

    of_record r = end_rec(&t, TWO_WAY, 5000, WALL0);
    assert_unpaired(&r, TWO_WAY, WALL0);
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_end_after_interrupt_all_is_unpaired(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_DATALOST, 100, WALL0 + 100, collect, &s),
                     1);

    of_record r = end_rec(&t, TWO_WAY, 200, WALL0 + 200);
    assert_unpaired(&r, TWO_WAY, WALL0 + 200);
    assert_int_equal(s.n, 1);
}

/* ---- interrupting ---------------------------------------------------------------------------- */

static const of_reason interrupt_reasons[] = {
    OF_REASON_DATALOST,
    OF_REASON_SERVICE_LOST,
    OF_REASON_SHUTDOWN,
    OF_REASON_FAILED,
};
#define N_REASONS (sizeof interrupt_reasons / sizeof interrupt_reasons[0])

static void test_interrupt_with_none_open(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_REASONS; k++) {
        of_pass_tracker t;
        sink s = {0};
        of_pass_init(&t, TIMEOUT_MS);
        assert_int_equal(
            of_pass_interrupt_all(&t, interrupt_reasons[k], 100, WALL0, collect, &s), 0);
        assert_int_equal(s.n, 0);
        assert_int_equal(of_pass_open_count(&t), 0);
    }
}

static void test_interrupt_with_one_open(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_REASONS; k++) {
        of_pass_tracker t;
        sink s = {0};
        of_pass_init(&t, TIMEOUT_MS);
        begin_ok(&t, TO_SERVER, 1000, WALL0, &s);
        assert_int_equal(
            of_pass_interrupt_all(&t, interrupt_reasons[k], 1750, WALL0 + 750, collect, &s), 1);
        assert_int_equal(s.n, 1);
        assert_interrupted(&s.recs[0], TO_SERVER, interrupt_reasons[k], 750, WALL0 + 750);
        assert_int_equal(of_pass_open_count(&t), 0);
    }
}

static void test_interrupt_with_three_open_oldest_first(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_REASONS; k++) {
        of_pass_tracker t;
        sink s = {0};
        of_pass_init(&t, TIMEOUT_MS);
        begin_ok(&t, TWO_WAY, 0, WALL0, &s);
        begin_ok(&t, TO_SERVER, 10, WALL0 + 10, &s);
        begin_ok(&t, FROM_SERVER, 20, WALL0 + 20, &s);
        assert_int_equal(
            of_pass_interrupt_all(&t, interrupt_reasons[k], 100, WALL0 + 100, collect, &s), 3);
        assert_int_equal(s.n, 3);
        assert_interrupted(&s.recs[0], TWO_WAY, interrupt_reasons[k], 100, WALL0 + 100);
        assert_interrupted(&s.recs[1], TO_SERVER, interrupt_reasons[k], 90, WALL0 + 100);
        assert_interrupted(&s.recs[2], FROM_SERVER, interrupt_reasons[k], 80, WALL0 + 100);
        assert_int_equal(of_pass_open_count(&t), 0);
    }
}

static void test_interrupt_rejects_non_interrupt_reason(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_NONE, 10, WALL0, collect, &s),
                     OF_PASS_EINVAL);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_COUNT, 10, WALL0, collect, &s),
                     OF_PASS_EINVAL);
    assert_int_equal(s.n, 0);
    assert_int_equal(of_pass_open_count(&t), 1);
}

/* ---- timeouts -------------------------------------------------------------------------------- */

static void test_expire_just_before_timeout_keeps_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 1000, WALL0, &s);
    assert_int_equal(of_pass_expire(&t, 1000 + TIMEOUT_MS - 1, WALL0, collect, &s), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(of_pass_open_count(&t), 1);
}

static void test_expire_at_timeout_gives_up_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 1000, WALL0, &s);
    assert_int_equal(of_pass_expire(&t, 1000 + TIMEOUT_MS, WALL0 + 10000, collect, &s), 1);
    assert_int_equal(s.n, 1);
    assert_interrupted(&s.recs[0], TWO_WAY, OF_REASON_TIMEOUT, TIMEOUT_MS, WALL0 + 10000);
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_expire_after_timeout_gives_up_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 1000, WALL0, &s);
    assert_int_equal(of_pass_expire(&t, 1000 + TIMEOUT_MS + 1, WALL0 + 10001, collect, &s), 1);
    assert_int_equal(s.n, 1);
    assert_interrupted(&s.recs[0], TWO_WAY, OF_REASON_TIMEOUT, TIMEOUT_MS + 1, WALL0 + 10001);
    assert_int_equal(of_pass_open_count(&t), 0);
}

static void test_expire_only_due_passes_oldest_first(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    begin_ok(&t, TO_SERVER, 5000, WALL0, &s);
    begin_ok(&t, FROM_SERVER, 9000, WALL0, &s);

    assert_int_equal(of_pass_expire(&t, 15000, WALL0 + 15000, collect, &s), 2);
    assert_int_equal(s.n, 2);
    assert_interrupted(&s.recs[0], TWO_WAY, OF_REASON_TIMEOUT, 15000, WALL0 + 15000);
    assert_interrupted(&s.recs[1], TO_SERVER, OF_REASON_TIMEOUT, 10000, WALL0 + 15000);
    assert_int_equal(of_pass_open_count(&t), 1);
    assert_int_equal(open_flags(&t, 0), FROM_SERVER);
}

static void test_timeout_zero_never_expires(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    uint64_t due = 42;
    of_pass_init(&t, 0);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    assert_int_equal(of_pass_expire(&t, UINT64_MAX, WALL0, collect, &s), 0);
    assert_int_equal(of_pass_next_expiry(&t, &due), 0);
    assert_int_equal(due, 42);
    assert_int_equal(s.n, 0);
    assert_int_equal(of_pass_open_count(&t), 1);
}

static void test_next_expiry_tracks_earliest_open_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    uint64_t due = 42;
    of_pass_init(&t, TIMEOUT_MS);
    assert_int_equal(of_pass_next_expiry(&t, &due), 0);
    assert_int_equal(due, 42);

    begin_ok(&t, TWO_WAY, 1000, WALL0, &s);
    begin_ok(&t, TO_SERVER, 3000, WALL0, &s);
    assert_int_equal(of_pass_next_expiry(&t, &due), 1);
    assert_int_equal(due, 1000 + TIMEOUT_MS);

    of_record r = end_rec(&t, TWO_WAY, 4000, WALL0);
    assert_int_equal(r.status, OF_STATUS_COMPLETED);
    assert_int_equal(of_pass_next_expiry(&t, &due), 1);
    assert_int_equal(due, 3000 + TIMEOUT_MS);

    /* Expiring at exactly the reported time gives that pass up. */
    assert_int_equal(of_pass_expire(&t, due - 1, WALL0, collect, &s), 0);
    assert_int_equal(of_pass_expire(&t, due, WALL0, collect, &s), 1);
    assert_int_equal(of_pass_next_expiry(&t, &due), 0);
}

/* The earliest due pass is not always the oldest one if the clock stepped back. */
static void test_next_expiry_uses_earliest_clock_reading(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    uint64_t due = 0;
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 5000, WALL0, &s);
    begin_ok(&t, TO_SERVER, 2000, WALL0, &s);
    assert_int_equal(of_pass_next_expiry(&t, &due), 1);
    assert_int_equal(due, 2000 + TIMEOUT_MS);
}

static void test_next_expiry_saturates(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    uint64_t due = 0;
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, UINT64_MAX - 5, WALL0, &s);
    assert_int_equal(of_pass_next_expiry(&t, &due), 1);
    assert_true(due == UINT64_MAX);
    assert_int_equal(of_pass_expire(&t, UINT64_MAX, WALL0, collect, &s), 0);
    assert_int_equal(of_pass_open_count(&t), 1);
}

/* ---- capacity -------------------------------------------------------------------------------- */

static void test_capacity_overflow_gives_up_oldest(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    for (uint32_t i = 0; i < OF_PASS_MAX_OPEN; i++)
        begin_ok(&t, BACKGROUND | (i << 8), (uint64_t)i * 10, WALL0 + i, &s);
    assert_int_equal(of_pass_open_count(&t), OF_PASS_MAX_OPEN);

    const uint32_t newest = TWO_WAY | CR_KEEPLATEST;
    assert_int_equal(of_pass_begin(&t, newest, 500, WALL0 + 500, collect, &s), 1);
    assert_int_equal(s.n, 1);
    assert_interrupted(&s.recs[0], BACKGROUND, OF_REASON_TIMEOUT, 500, WALL0 + 500);
    assert_int_equal(of_pass_open_count(&t), OF_PASS_MAX_OPEN);
    assert_int_equal(open_flags(&t, 0), BACKGROUND | (1u << 8));
    assert_int_equal(open_flags(&t, OF_PASS_MAX_OPEN - 1), newest);
}

/* ---- clocks ---------------------------------------------------------------------------------- */

static void test_mono_backwards_clamps_duration(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 5000, WALL0, &s);
    of_record r = end_rec(&t, TWO_WAY, 4000, WALL0 + 100);
    assert_completed(&r, TWO_WAY, TWO_WAY, 0, WALL0 + 100);
    assert_int_equal(r.started_ms, r.completed_ms);
}

static void test_mono_backwards_interrupt_duration_zero(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 5000, WALL0, &s);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_SHUTDOWN, 10, WALL0, collect, &s), 1);
    assert_interrupted(&s.recs[0], TWO_WAY, OF_REASON_SHUTDOWN, 0, WALL0);
}

static void test_mono_backwards_does_not_expire(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 50000, WALL0, &s);
    assert_int_equal(of_pass_expire(&t, 0, WALL0, collect, &s), 0);
    assert_int_equal(of_pass_open_count(&t), 1);
}

static void test_wall_clock_set_back_mid_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    const int64_t end_wall = WALL0 - (int64_t)HOUR_MS + 60000;
    of_record r = end_rec(&t, TWO_WAY, 60000, end_wall);
    assert_completed(&r, TWO_WAY, TWO_WAY, 60000, end_wall);
    assert_true(r.started_ms <= r.completed_ms);
}

static void test_wall_clock_set_forward_mid_pass(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    const int64_t end_wall = WALL0 + 24 * (int64_t)HOUR_MS;
    of_record r = end_rec(&t, TWO_WAY, 60000, end_wall);
    assert_completed(&r, TWO_WAY, TWO_WAY, 60000, end_wall);
    assert_int_equal(r.started_ms, end_wall - 60000);
}

/* Nonsense wall readings saturate instead of overflowing or faking OF_TIME_UNKNOWN. */
static void test_extreme_wall_clock_saturates(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, INT64_MAX, &s);
    of_record r = end_rec(&t, TWO_WAY, UINT64_MAX, INT64_MIN);
    assert_int_equal(r.status, OF_STATUS_COMPLETED);
    assert_true(r.duration_ms == UINT64_MAX);
    assert_true(r.completed_ms == INT64_MIN + 1);
    assert_true(r.started_ms == INT64_MIN + 1);

    of_record u = end_rec(&t, TWO_WAY, 0, INT64_MIN);
    assert_int_equal(u.status, OF_STATUS_UNPAIRED);
    assert_true(u.completed_ms == INT64_MIN + 1);
}

/* ---- API misuse ------------------------------------------------------------------------------ */

static void test_bad_arguments_are_rejected(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_record r;
    of_pass_info info;
    uint64_t due;
    of_pass_init(NULL, TIMEOUT_MS);
    of_pass_init(&t, TIMEOUT_MS);

    assert_int_equal(of_pass_begin(NULL, TWO_WAY, 0, WALL0, collect, &s), OF_PASS_EINVAL);
    assert_int_equal(of_pass_begin(&t, TWO_WAY, 0, WALL0, NULL, &s), OF_PASS_EINVAL);
    assert_int_equal(of_pass_open_count(&t), 0);
    assert_int_equal(of_pass_end(NULL, TWO_WAY, 0, WALL0, &r), OF_PASS_EINVAL);
    assert_int_equal(of_pass_end(&t, TWO_WAY, 0, WALL0, NULL), OF_PASS_EINVAL);
    assert_int_equal(of_pass_interrupt_all(NULL, OF_REASON_DATALOST, 0, WALL0, collect, &s),
                     OF_PASS_EINVAL);
    assert_int_equal(of_pass_expire(NULL, 0, WALL0, collect, &s), OF_PASS_EINVAL);
    assert_int_equal(of_pass_next_expiry(NULL, &due), OF_PASS_EINVAL);
    assert_int_equal(of_pass_next_expiry(&t, NULL), OF_PASS_EINVAL);
    assert_int_equal(of_pass_open_count(NULL), 0);
    assert_int_equal(of_pass_open_get(NULL, 0, &info), OF_PASS_EINVAL);

    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_DATALOST, 0, WALL0, NULL, &s),
                     OF_PASS_EINVAL);
    assert_int_equal(of_pass_expire(&t, UINT64_MAX, WALL0, NULL, &s), OF_PASS_EINVAL);
    assert_int_equal(of_pass_open_get(&t, 0, NULL), OF_PASS_EINVAL);
    assert_int_equal(of_pass_open_get(&t, 1, &info), OF_PASS_EINVAL);
    assert_int_equal(of_pass_open_count(&t), 1);
    assert_int_equal(s.n, 0);
}

static void test_open_get_reports_begin(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    of_pass_info info;
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TO_SERVER, 1234, WALL0 - 5, &s);
    assert_int_equal(of_pass_open_get(&t, 0, &info), OF_PASS_OK);
    assert_int_equal(info.flags, TO_SERVER);
    assert_int_equal(info.begun_mono_ms, 1234);
    assert_int_equal(info.begun_wall_ms, WALL0 - 5);
}

/* The callback sees the tracker already updated, so it may call back into it. */
typedef struct reentry {
    of_pass_tracker *t;
    size_t open_seen;
    size_t calls;
} reentry;

static void reenter(void *ctx, const of_record *rec)
{
    reentry *e = ctx;
    (void)rec;
    e->open_seen = of_pass_open_count(e->t);
    e->calls++;
}

static void test_emit_sees_updated_tracker(void **state)
{
    (void)state;
    of_pass_tracker t;
    sink s = {0};
    reentry e = {&t, 99, 0};
    of_pass_init(&t, TIMEOUT_MS);
    begin_ok(&t, TWO_WAY, 0, WALL0, &s);
    begin_ok(&t, TO_SERVER, 0, WALL0, &s);
    assert_int_equal(of_pass_interrupt_all(&t, OF_REASON_DATALOST, 5, WALL0, reenter, &e), 2);
    assert_int_equal(e.calls, 2);
    assert_int_equal(e.open_seen, 0);
}

/* ---- the workday scenario (../shared/scenarios/workday.scn beside the project) --------------- */

static const char *direction_word(uint32_t flags)
{
    return of_direction_word(of_syncflags_direction(flags));
}

static const char *status_word(uint8_t status)
{
    switch (status) {
    case OF_STATUS_COMPLETED: return "completed";
    case OF_STATUS_UNPAIRED: return "unpaired";
    case OF_STATUS_INTERRUPTED: return "interrupted";
    default: return "?";
    }
}

static void workday_end(of_pass_tracker *t, uint32_t flags, uint64_t mono, sink *s)
{
    of_record r = end_rec(t, flags, mono, WALL0 + (int64_t)mono);
    collect(s, &r);
}

static void test_workday_scenario(void **state)
{
    (void)state;
    static const struct {
        const char *direction;
        const char *status;
        uint32_t flags;
    } expect[] = {
        {"two-way", "completed", 0x00012007},
        {"to-server", "completed", 0x00010004},
        {"from-server", "completed", 0x0001000B},
        {"two-way", "interrupted", 0x00010006},
        {"two-way", "completed", 0x00010006},
    };
    of_pass_tracker t;
    sink s = {0};
    uint64_t now = 0;
    of_pass_init(&t, OF_PASS_DEFAULT_TIMEOUT_MS);

    /* net-arrived, item-modified, ping and conflict do not reach the tracker. */
    begin_ok(&t, SYNCIN | SYNCOUT | FILLSPARSE | BACKGROUND | SKIPSUSPENDEDDIRS, now, WALL0, &s);
    now += 300;
    workday_end(&t, SYNCIN | SYNCOUT | FILLSPARSE | BACKGROUND | SKIPSUSPENDEDDIRS, now, &s);
    now += 200;
    begin_ok(&t, SYNCOUT | BACKGROUND, now, WALL0 + (int64_t)now, &s);
    now += 150;
    workday_end(&t, SYNCOUT | BACKGROUND, now, &s);
    begin_ok(&t, SYNCIN | FILLSPARSE | PINNEWFILES | BACKGROUND, now, WALL0 + (int64_t)now, &s);
    now += 100;
    workday_end(&t, SYNCIN | FILLSPARSE | PINNEWFILES | BACKGROUND, now, &s);
    begin_ok(&t, 0x00010006, now, WALL0 + (int64_t)now, &s);
    /* restart: the service process died, its open pass will never end. */
    assert_int_equal(
        of_pass_interrupt_all(&t, OF_REASON_SERVICE_LOST, now, WALL0 + (int64_t)now, collect, &s),
        1);
    now += 2000;
    begin_ok(&t, 0x00010006, now, WALL0 + (int64_t)now, &s);
    now += 120;
    workday_end(&t, 0x00010006, now, &s);
    assert_int_equal(of_pass_expire(&t, now, WALL0 + (int64_t)now, collect, &s), 0);

    assert_int_equal(s.n, sizeof expect / sizeof expect[0]);
    for (size_t i = 0; i < s.n; i++) {
        assert_string_equal(direction_word(s.recs[i].flags), expect[i].direction);
        assert_string_equal(status_word(s.recs[i].status), expect[i].status);
        assert_int_equal(s.recs[i].flags, expect[i].flags);
    }
    static const uint64_t durations[] = {300, 150, 100, 0, 120};
    for (size_t i = 0; i < s.n; i++)
        assert_int_equal(s.recs[i].duration_ms, durations[i]);
    assert_int_equal(s.recs[3].reason, OF_REASON_SERVICE_LOST);
    assert_int_equal(of_pass_open_count(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_pair),
        cmocka_unit_test(test_each_direction_pairs),
        cmocka_unit_test(test_directions_kept_apart),
        cmocka_unit_test(test_overlap_ends_in_begin_order),
        cmocka_unit_test(test_overlap_ends_in_reverse_order),
        cmocka_unit_test(test_identical_overlap_is_fifo),
        cmocka_unit_test(test_end_with_other_modifiers_pairs_by_direction),
        cmocka_unit_test(test_fillsparse_does_not_change_direction),
        cmocka_unit_test(test_identical_flags_beat_older_same_direction),
        cmocka_unit_test(test_direction_fallback_takes_oldest),
        cmocka_unit_test(test_end_of_other_direction_is_unpaired),
        cmocka_unit_test(test_end_without_begin_is_unpaired),
        cmocka_unit_test(test_end_after_interrupt_all_is_unpaired),
        cmocka_unit_test(test_interrupt_with_none_open),
        cmocka_unit_test(test_interrupt_with_one_open),
        cmocka_unit_test(test_interrupt_with_three_open_oldest_first),
        cmocka_unit_test(test_interrupt_rejects_non_interrupt_reason),
        cmocka_unit_test(test_expire_just_before_timeout_keeps_pass),
        cmocka_unit_test(test_expire_at_timeout_gives_up_pass),
        cmocka_unit_test(test_expire_after_timeout_gives_up_pass),
        cmocka_unit_test(test_expire_only_due_passes_oldest_first),
        cmocka_unit_test(test_timeout_zero_never_expires),
        cmocka_unit_test(test_next_expiry_tracks_earliest_open_pass),
        cmocka_unit_test(test_next_expiry_uses_earliest_clock_reading),
        cmocka_unit_test(test_next_expiry_saturates),
        cmocka_unit_test(test_capacity_overflow_gives_up_oldest),
        cmocka_unit_test(test_mono_backwards_clamps_duration),
        cmocka_unit_test(test_mono_backwards_interrupt_duration_zero),
        cmocka_unit_test(test_mono_backwards_does_not_expire),
        cmocka_unit_test(test_wall_clock_set_back_mid_pass),
        cmocka_unit_test(test_wall_clock_set_forward_mid_pass),
        cmocka_unit_test(test_extreme_wall_clock_saturates),
        cmocka_unit_test(test_bad_arguments_are_rejected),
        cmocka_unit_test(test_open_get_reports_begin),
        cmocka_unit_test(test_emit_sees_updated_tracker),
        cmocka_unit_test(test_workday_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
