/* Unit tests of core/notify: whether and when a finished pass gets a balloon. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/notify.h"
#include "ofnotify/syncflags.h"

/* Flag sets, one per direction (reference sheet §3). */
#define TWO_WAY (OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_FILLSPARSE | OF_SYNC_FLAG_BACKGROUND)
#define TO_SERVER (OF_SYNC_FLAG_SYNCOUT | OF_SYNC_FLAG_BACKGROUND)
#define FROM_SERVER (OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_FILLSPARSE | OF_SYNC_FLAG_BACKGROUND)
#define FILL_SPARSE (OF_SYNC_FLAG_FILLSPARSE)
#define UNSPECIFIED (OF_SYNC_FLAG_BACKGROUND)

/* The app started at START; the default quiet period ends at AWAKE. */
#define START ((uint64_t)5000000)
#define AWAKE (START + OF_NOTIFY_DEFAULT_STARTUP_QUIET_MS)
#define WINDOW ((uint64_t)OF_NOTIFY_DEFAULT_COALESCE_MS)
#define GAP ((uint64_t)OF_NOTIFY_DEFAULT_MIN_GAP_MS)
#define NOON 720

static const uint32_t one_way_flags[] = {TO_SERVER, FROM_SERVER, FILL_SPARSE, UNSPECIFIED};
#define N_ONE_WAY (sizeof one_way_flags / sizeof one_way_flags[0])

static of_record rec(of_status status, of_reason reason, uint32_t flags, uint64_t seq)
{
    of_record r;
    memset(&r, 0, sizeof r);
    r.seq = seq;
    r.started_ms = 1700000000000;
    r.completed_ms = 1700000012000;
    r.duration_ms = 12000;
    r.flags = flags;
    r.begin_flags = flags;
    r.status = (uint8_t)status;
    r.reason = (uint8_t)reason;
    if (status == OF_STATUS_UNPAIRED) {
        r.started_ms = OF_TIME_UNKNOWN;
        r.duration_ms = 0;
    }
    return r;
}

static of_record completed(uint32_t flags, uint64_t seq)
{
    return rec(OF_STATUS_COMPLETED, OF_REASON_NONE, flags, seq);
}

static of_record interrupted(uint32_t flags, of_reason reason, uint64_t seq)
{
    return rec(OF_STATUS_INTERRUPTED, reason, flags, seq);
}

static void setup_cfg(of_notify *n, const of_notify_config *cfg)
{
    assert_int_equal(of_notify_init(n, cfg, START), 0);
}

static void setup_mode(of_notify *n, of_notify_mode mode)
{
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    cfg.mode = mode;
    setup_cfg(n, &cfg);
}

static void setup_quiet_hours(of_notify *n, int start_minute, int end_minute)
{
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    cfg.quiet_start_minute = start_minute;
    cfg.quiet_end_minute = end_minute;
    setup_cfg(n, &cfg);
}

static int offer(of_notify *n, of_record r, uint64_t mono)
{
    return of_notify_offer(n, &r, mono, NOON);
}

static uint64_t due_of(const of_notify *n)
{
    uint64_t due = 0;
    assert_int_equal(of_notify_next_due(n, &due), 1);
    return due;
}

static void assert_nothing_pending(const of_notify *n)
{
    uint64_t due = 12345;
    assert_int_equal(of_notify_next_due(n, &due), 0);
    assert_int_equal(due, 12345);
}

/* ---- mode x status x direction ----------------------------------------- */

static void all_mode_queues_completed_of_every_direction(void **state)
{
    (void)state;
    uint32_t flags[] = {TWO_WAY, TO_SERVER, FROM_SERVER, FILL_SPARSE, UNSPECIFIED};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        of_notify n;
        setup_mode(&n, OF_NOTIFY_ALL);
        assert_int_equal(offer(&n, completed(flags[i], 1), AWAKE), OF_NOTIFY_QUEUED);
        assert_int_equal(due_of(&n), AWAKE + WINDOW);
    }
}

static void all_mode_queues_interrupted_for_every_reason_but_shutdown(void **state)
{
    (void)state;
    /* OF_REASON_COUNT: a reason this version does not know is still news. */
    of_reason reasons[] = {OF_REASON_DATALOST, OF_REASON_SERVICE_LOST, OF_REASON_TIMEOUT,
                           OF_REASON_NONE, OF_REASON_COUNT};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        of_notify n;
        setup_mode(&n, OF_NOTIFY_ALL);
        assert_int_equal(offer(&n, interrupted(TO_SERVER, reasons[i], 1), AWAKE), OF_NOTIFY_QUEUED);
    }
}

static void all_mode_skips_unpaired(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, TWO_WAY, 1), AWAKE),
                     OF_NOTIFY_SKIP_KIND);
    assert_nothing_pending(&n);
}

static void shutdown_interrupted_never_shown_in_any_mode(void **state)
{
    (void)state;
    of_notify_mode modes[] = {OF_NOTIFY_ALL, OF_NOTIFY_TWO_WAY_ONLY, OF_NOTIFY_OFF};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        of_notify n;
        setup_mode(&n, modes[i]);
        assert_int_equal(offer(&n, interrupted(TWO_WAY, OF_REASON_SHUTDOWN, 1), AWAKE),
                         OF_NOTIFY_SKIP_KIND);
        assert_nothing_pending(&n);
    }
}

static void two_way_mode_queues_completed_two_way(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
    /* The conflict rule and modifier bits do not change the direction. */
    assert_int_equal(offer(&n, completed(TWO_WAY | OF_SYNC_CR_KEEPLATEST, 1), AWAKE),
                     OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), AWAKE + WINDOW);
}

static void two_way_mode_skips_completed_one_way(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ONE_WAY; i++) {
        of_notify n;
        setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
        assert_int_equal(offer(&n, completed(one_way_flags[i], 1), AWAKE), OF_NOTIFY_SKIP_MODE);
        assert_nothing_pending(&n);
    }
}

static void two_way_mode_queues_interrupted_two_way(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(offer(&n, interrupted(TWO_WAY, OF_REASON_SERVICE_LOST, 1), AWAKE),
                     OF_NOTIFY_QUEUED);
}

static void two_way_mode_skips_interrupted_one_way(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ONE_WAY; i++) {
        of_notify n;
        setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
        assert_int_equal(offer(&n, interrupted(one_way_flags[i], OF_REASON_DATALOST, 1), AWAKE),
                         OF_NOTIFY_SKIP_MODE);
        assert_nothing_pending(&n);
    }
}

static void two_way_mode_skips_unpaired_two_way(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(offer(&n, rec(OF_STATUS_UNPAIRED, OF_REASON_NONE, TWO_WAY, 1), AWAKE),
                     OF_NOTIFY_SKIP_KIND);
}

static void two_way_mode_judges_the_flags_the_balloon_names(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_TWO_WAY_ONLY);
    /* The balloon names the direction of flags (the End's), not begin_flags. */
    of_record r = completed(TWO_WAY, 1);
    r.begin_flags = TO_SERVER;
    assert_int_equal(offer(&n, r, AWAKE), OF_NOTIFY_QUEUED);
    r = completed(TO_SERVER, 2);
    r.begin_flags = TWO_WAY;
    assert_int_equal(offer(&n, r, AWAKE), OF_NOTIFY_SKIP_MODE);
}

static void off_mode_skips_completed_and_interrupted(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_OFF);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_SKIP_MODE);
    assert_int_equal(offer(&n, completed(TO_SERVER, 2), AWAKE), OF_NOTIFY_SKIP_MODE);
    assert_int_equal(offer(&n, interrupted(TWO_WAY, OF_REASON_DATALOST, 3), AWAKE),
                     OF_NOTIFY_SKIP_MODE);
    assert_nothing_pending(&n);
}

/* ---- quiet period after start -------------------------------------------- */

static void startup_quiet_period_boundary(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), START), OF_NOTIFY_SKIP_STARTUP);
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), AWAKE - 1), OF_NOTIFY_SKIP_STARTUP);
    assert_nothing_pending(&n);
    assert_int_equal(offer(&n, completed(TWO_WAY, 3), AWAKE), OF_NOTIFY_QUEUED);
}

/* The user's own Sync now is announced during the quiet period; every other
 * rule still applies to it. */
static void startup_quiet_period_spares_sync_now(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_ALL);
    of_record r = completed(TWO_WAY, 1);
    r.origin = OF_ORIGIN_SYNC_NOW;
    assert_int_equal(offer(&n, r, START), OF_NOTIFY_QUEUED);
    setup_mode(&n, OF_NOTIFY_OFF);
    assert_int_equal(offer(&n, r, START), OF_NOTIFY_SKIP_MODE);
}

static void startup_quiet_period_zero_means_none(void **state)
{
    (void)state;
    of_notify n;
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    cfg.startup_quiet_ms = 0;
    setup_cfg(&n, &cfg);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), START), OF_NOTIFY_QUEUED);
}

static void startup_quiet_period_does_not_return_when_clock_steps_back(void **state)
{
    (void)state;
    of_notify n;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE + 1000), OF_NOTIFY_QUEUED);
    /* Far back, even before the start. */
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), 10), OF_NOTIFY_QUEUED);
}

static void startup_quiet_period_keeps_remaining_length_when_clock_steps_back(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    /* 30 s in, the clock steps back 20 s: 30 s of quiet are still ahead. */
    assert_int_equal(of_notify_poll(&n, START + 30000, NOON, &b), 0);
    const uint64_t now = START + 10000;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), now), OF_NOTIFY_SKIP_STARTUP);
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), now + 29999), OF_NOTIFY_SKIP_STARTUP);
    assert_int_equal(offer(&n, completed(TWO_WAY, 3), now + 30000), OF_NOTIFY_QUEUED);
}

/* ---- coalescing ------------------------------------------------------------ */

static void single_record_gives_single_balloon_after_window(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    of_record r = completed(FROM_SERVER, 7);
    assert_int_equal(offer(&n, r, AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), AWAKE + WINDOW);

    of_notify_batch before;
    memset(&b, 0x5A, sizeof b);
    before = b;
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW - 1, NOON, &b), 0);
    assert_memory_equal(&b, &before, sizeof b); /* untouched */

    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 1);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.total, 1);
    assert_int_equal(b.interrupted, 0);
    assert_memory_equal(&b.recs[0], &r, sizeof r);
    assert_nothing_pending(&n);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW + 1, NOON, &b), 0);
}

static void three_records_in_window_make_one_batch(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, interrupted(TO_SERVER, OF_REASON_TIMEOUT, 2), AWAKE + 1000),
                     OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(FROM_SERVER, 3), AWAKE + WINDOW - 1), OF_NOTIFY_QUEUED);
    /* Later records do not push the batch back. */
    assert_int_equal(due_of(&n), AWAKE + WINDOW);

    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 1);
    assert_int_equal(b.count, 3);
    assert_int_equal(b.total, 3);
    assert_int_equal(b.interrupted, 1);
    assert_int_equal(b.recs[0].seq, 1);
    assert_int_equal(b.recs[1].seq, 2);
    assert_int_equal(b.recs[2].seq, 3);
    assert_int_equal(b.recs[1].status, OF_STATUS_INTERRUPTED);
}

static void record_just_after_window_waits_for_min_gap(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    const uint64_t shown = AWAKE + WINDOW;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, shown, NOON, &b), 1);

    assert_int_equal(offer(&n, completed(TWO_WAY, 2), shown + 1), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), shown + GAP);
    assert_int_equal(of_notify_poll(&n, shown + GAP - 1, NOON, &b), 0);
    assert_int_equal(of_notify_poll(&n, shown + GAP, NOON, &b), 1);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.recs[0].seq, 2);
}

static void records_during_gap_join_one_batch(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    const uint64_t shown = AWAKE + WINDOW;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, shown, NOON, &b), 1);

    assert_int_equal(offer(&n, completed(TWO_WAY, 2), shown + 100), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(TO_SERVER, 3), shown + 5000), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(FROM_SERVER, 4), shown + GAP - 1), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, shown + GAP, NOON, &b), 1);
    assert_int_equal(b.count, 3);
    assert_int_equal(b.recs[0].seq, 2);
    assert_int_equal(b.recs[2].seq, 4);
}

static void record_after_gap_waits_only_the_window(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    const uint64_t shown = AWAKE + WINDOW;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, shown, NOON, &b), 1);

    /* The gap ends at shown + GAP; this batch's window ends later. */
    const uint64_t t = shown + GAP - 1000;
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), t), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), t + WINDOW);
}

static void zero_window_and_gap_make_batches_due_at_once(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    cfg.coalesce_ms = 0;
    cfg.min_gap_ms = 0;
    setup_cfg(&n, &cfg);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), AWAKE);
    assert_int_equal(of_notify_poll(&n, AWAKE, NOON, &b), 1);
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, AWAKE, NOON, &b), 1);
    assert_int_equal(b.recs[0].seq, 2);
}

static void batch_overflow_is_counted_and_keeps_latest(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    const uint64_t total = OF_NOTIFY_BATCH_MAX + 6;
    for (uint64_t i = 1; i <= total; i++) {
        /* Every 5th record is interrupted: 14 of 70. */
        of_record r = i % 5 == 0 ? interrupted(TO_SERVER, OF_REASON_DATALOST, i)
                                 : completed(TWO_WAY, i);
        assert_int_equal(offer(&n, r, AWAKE + i), OF_NOTIFY_QUEUED);
    }
    assert_int_equal(of_notify_poll(&n, AWAKE + 1 + WINDOW, NOON, &b), 1);
    assert_int_equal(b.count, OF_NOTIFY_BATCH_MAX);
    assert_int_equal(b.total, total);
    assert_int_equal(b.interrupted, total / 5);
    for (size_t i = 0; i < OF_NOTIFY_BATCH_MAX - 1; i++)
        assert_int_equal(b.recs[i].seq, i + 1);
    assert_int_equal(b.recs[OF_NOTIFY_BATCH_MAX - 1].seq, total);
    assert_nothing_pending(&n);
}

/* ---- quiet hours ----------------------------------------------------------- */

static void quiet_hours_plain_window_boundaries(void **state)
{
    (void)state;
    of_notify n;
    setup_quiet_hours(&n, 13 * 60, 14 * 60);
    of_record r = completed(TWO_WAY, 1);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 13 * 60 - 1), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 13 * 60), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 14 * 60 - 1), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 14 * 60), OF_NOTIFY_QUEUED);
}

static void quiet_hours_wrapping_midnight_boundaries(void **state)
{
    (void)state;
    of_notify n;
    setup_quiet_hours(&n, 22 * 60, 7 * 60);
    of_record r = completed(TWO_WAY, 1);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 22 * 60 - 1), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 22 * 60), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 1439), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 0), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 7 * 60 - 1), OF_NOTIFY_SKIP_QUIET_HOURS);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 7 * 60), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, NOON), OF_NOTIFY_QUEUED);
}

static void quiet_hours_start_equal_end_disabled(void **state)
{
    (void)state;
    of_notify n;
    setup_quiet_hours(&n, 300, 300);
    of_record r = completed(TWO_WAY, 1);
    int minutes[] = {0, 299, 300, 301, 1439};
    for (size_t i = 0; i < sizeof minutes / sizeof minutes[0]; i++)
        assert_int_equal(of_notify_offer(&n, &r, AWAKE, minutes[i]), OF_NOTIFY_QUEUED);
}

static void quiet_hours_drop_batch_due_inside_them(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_quiet_hours(&n, 22 * 60, 7 * 60);
    of_record r = completed(TWO_WAY, 1);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 22 * 60 - 1), OF_NOTIFY_QUEUED);
    /* The window ends after 22:00: dropped, not saved for the morning. */
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, 22 * 60, &b), 0);
    assert_nothing_pending(&n);
    assert_int_equal(of_notify_poll(&n, AWAKE + 9 * 3600 * 1000ull, 7 * 60, &b), 0);
}

static void quiet_hours_drop_does_not_start_gap(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_quiet_hours(&n, 22 * 60, 7 * 60);
    of_record r = completed(TWO_WAY, 1);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, 22 * 60 - 1), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, 22 * 60, &b), 0);
    /* Nothing was shown, so the next batch waits only its window. */
    const uint64_t t = AWAKE + WINDOW + 1;
    assert_int_equal(of_notify_offer(&n, &r, t, 7 * 60), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), t + WINDOW);
}

/* ---- configuration changes ------------------------------------------------ */

static void switching_to_off_drops_pending_batch(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(TO_SERVER, 2), AWAKE + 1), OF_NOTIFY_QUEUED);

    assert_int_equal(of_notify_get_config(&n, &cfg), 0);
    cfg.mode = OF_NOTIFY_OFF;
    assert_int_equal(of_notify_set_config(&n, &cfg), 0);
    assert_nothing_pending(&n);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 0);
    assert_int_equal(offer(&n, completed(TWO_WAY, 3), AWAKE + WINDOW), OF_NOTIFY_SKIP_MODE);

    /* Back on: announced again. */
    cfg.mode = OF_NOTIFY_ALL;
    assert_int_equal(of_notify_set_config(&n, &cfg), 0);
    assert_int_equal(offer(&n, completed(TO_SERVER, 4), AWAKE + WINDOW), OF_NOTIFY_QUEUED);
}

static void switching_to_two_way_filters_pending_batch(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TO_SERVER, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), AWAKE + 1), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(FROM_SERVER, 3), AWAKE + 2), OF_NOTIFY_QUEUED);

    of_notify_config_default(&cfg);
    cfg.mode = OF_NOTIFY_TWO_WAY_ONLY;
    assert_int_equal(of_notify_set_config(&n, &cfg), 0);
    assert_int_equal(due_of(&n), AWAKE + WINDOW);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 1);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.total, 1);
    assert_int_equal(b.recs[0].seq, 2);
}

static void switching_to_two_way_filters_counted_overflow(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    setup_mode(&n, OF_NOTIFY_ALL);
    /* 64 two-way records, then 10 to-server ones that overflow. */
    for (uint64_t i = 1; i <= OF_NOTIFY_BATCH_MAX + 10; i++) {
        uint32_t f = i <= OF_NOTIFY_BATCH_MAX ? TWO_WAY : TO_SERVER;
        assert_int_equal(offer(&n, completed(f, i), AWAKE), OF_NOTIFY_QUEUED);
    }
    of_notify_config_default(&cfg);
    cfg.mode = OF_NOTIFY_TWO_WAY_ONLY;
    assert_int_equal(of_notify_set_config(&n, &cfg), 0);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 1);
    /* The 64th two-way record had been moved to the counted ones. */
    assert_int_equal(b.count, OF_NOTIFY_BATCH_MAX - 1);
    assert_int_equal(b.total, OF_NOTIFY_BATCH_MAX);
}

static void changing_window_moves_due_time(void **state)
{
    (void)state;
    of_notify n;
    of_notify_config cfg;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    of_notify_config_default(&cfg);
    cfg.coalesce_ms = 500;
    assert_int_equal(of_notify_set_config(&n, &cfg), 0);
    assert_int_equal(due_of(&n), AWAKE + 500);
}

static void invalid_config_rejected_and_nothing_changed(void **state)
{
    (void)state;
    of_notify n;
    of_notify_config cfg, bad, got;
    of_notify_config_default(&cfg);
    setup_cfg(&n, &cfg);

    bad = cfg;
    bad.mode = OF_NOTIFY_MODE_COUNT;
    assert_int_equal(of_notify_set_config(&n, &bad), OF_NOTIFY_EINVAL);
    bad = cfg;
    bad.quiet_start_minute = OF_NOTIFY_MINUTES_PER_DAY;
    assert_int_equal(of_notify_set_config(&n, &bad), OF_NOTIFY_EINVAL);
    bad = cfg;
    bad.quiet_end_minute = -1;
    assert_int_equal(of_notify_set_config(&n, &bad), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_set_config(&n, NULL), OF_NOTIFY_EINVAL);

    assert_int_equal(of_notify_get_config(&n, &got), 0);
    assert_memory_equal(&got, &cfg, sizeof cfg);
}

static void init_with_null_config_uses_defaults(void **state)
{
    (void)state;
    of_notify n;
    of_notify_config def, got;
    of_notify_config_default(&def);
    assert_int_equal(def.mode, OF_NOTIFY_ALL);
    assert_int_equal(def.startup_quiet_ms, 60000);
    assert_int_equal(def.coalesce_ms, 3000);
    assert_int_equal(def.min_gap_ms, 10000);
    assert_int_equal(def.quiet_start_minute, def.quiet_end_minute);
    assert_int_equal(of_notify_init(&n, NULL, START), 0);
    assert_int_equal(of_notify_get_config(&n, &got), 0);
    assert_memory_equal(&got, &def, sizeof def);
}

/* ---- next_due ----------------------------------------------------------------- */

static void next_due_values(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_nothing_pending(&n);
    /* A skipped record does not arm anything. */
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), START), OF_NOTIFY_SKIP_STARTUP);
    assert_nothing_pending(&n);

    assert_int_equal(offer(&n, completed(TWO_WAY, 2), AWAKE + 7), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), AWAKE + 7 + WINDOW);
    /* An early poll changes nothing. */
    assert_int_equal(of_notify_poll(&n, AWAKE + 8, NOON, &b), 0);
    assert_int_equal(due_of(&n), AWAKE + 7 + WINDOW);
    assert_int_equal(of_notify_poll(&n, AWAKE + 7 + WINDOW + 50, NOON, &b), 1);
    assert_nothing_pending(&n);
    /* The gap counts from the poll that emitted, not from the due time. */
    assert_int_equal(offer(&n, completed(TWO_WAY, 3), AWAKE + 7 + WINDOW + 60), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), AWAKE + 7 + WINDOW + 50 + GAP);
}

/* ---- the clock ------------------------------------------------------------------ */

static void clock_back_with_pending_batch_keeps_remaining_wait(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, AWAKE + 1000, NOON, &b), 0);
    /* 1 s into the window, the clock steps back by 1000 000 ms. */
    const uint64_t now = AWAKE + 1000 - 1000000;
    assert_int_equal(of_notify_poll(&n, now, NOON, &b), 0);
    assert_int_equal(due_of(&n), now + WINDOW - 1000);
    assert_int_equal(of_notify_poll(&n, now + WINDOW - 1000, NOON, &b), 1);
    assert_int_equal(b.recs[0].seq, 1);
}

static void clock_back_after_balloon_keeps_gap_bounded(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    const uint64_t shown = AWAKE + WINDOW;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(&n, shown, NOON, &b), 1);
    /* Right after the balloon the clock jumps back to 100: the whole gap
     * is still ahead, and no more than that. */
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), 100), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), 100 + GAP);
    assert_int_equal(of_notify_poll(&n, 100 + GAP - 1, NOON, &b), 0);
    assert_int_equal(of_notify_poll(&n, 100 + GAP, NOON, &b), 1);
}

static void clock_back_past_stored_times_still_bounded(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), AWAKE), OF_NOTIFY_QUEUED);
    assert_int_equal(offer(&n, completed(TWO_WAY, 2), AWAKE + 2000), OF_NOTIFY_QUEUED);
    /* Back to 0: the stored start of the batch saturates at 0. */
    assert_int_equal(of_notify_poll(&n, 0, NOON, &b), 0);
    assert_true(due_of(&n) <= WINDOW);
    assert_int_equal(of_notify_poll(&n, WINDOW, NOON, &b), 1);
    assert_int_equal(b.count, 2);
}

static void clock_near_max_saturates(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    assert_int_equal(of_notify_init(&n, NULL, UINT64_MAX - 70000), 0);
    const uint64_t t = UINT64_MAX - 1000;
    assert_int_equal(offer(&n, completed(TWO_WAY, 1), t), OF_NOTIFY_QUEUED);
    assert_int_equal(due_of(&n), UINT64_MAX);
    assert_int_equal(of_notify_poll(&n, UINT64_MAX - 1, NOON, &b), 0);
    assert_int_equal(of_notify_poll(&n, UINT64_MAX, NOON, &b), 1);
}

/* ---- bad input -------------------------------------------------------------------- */

static void bad_arguments_rejected(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    uint64_t due;
    of_record r = completed(TWO_WAY, 1);

    assert_int_equal(of_notify_init(NULL, NULL, 0), OF_NOTIFY_EINVAL);
    of_notify_config_default(NULL);
    setup_mode(&n, OF_NOTIFY_ALL);
    assert_int_equal(of_notify_offer(NULL, &r, AWAKE, NOON), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_offer(&n, NULL, AWAKE, NOON), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, -1), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, OF_NOTIFY_MINUTES_PER_DAY), OF_NOTIFY_EINVAL);
    r.status = OF_STATUS_COUNT;
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, NOON), OF_NOTIFY_EINVAL);
    assert_nothing_pending(&n);

    r = completed(TWO_WAY, 1);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, NOON), OF_NOTIFY_QUEUED);
    assert_int_equal(of_notify_poll(NULL, AWAKE + WINDOW, NOON, &b), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, NULL), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, 1440, &b), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_next_due(NULL, &due), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_next_due(&n, NULL), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_get_config(NULL, &cfg), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_get_config(&n, NULL), OF_NOTIFY_EINVAL);
    /* The rejected calls left the batch alone. */
    assert_int_equal(of_notify_poll(&n, AWAKE + WINDOW, NOON, &b), 1);
}

static void not_set_up_rejected(void **state)
{
    (void)state;
    of_notify n;
    of_notify_batch b;
    of_notify_config cfg;
    uint64_t due;
    of_record r = completed(TWO_WAY, 1);

    memset(&n, 0, sizeof n);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, NOON), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_poll(&n, AWAKE, NOON, &b), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_next_due(&n, &due), OF_NOTIFY_EINVAL);
    of_notify_config_default(&cfg);
    assert_int_equal(of_notify_set_config(&n, &cfg), OF_NOTIFY_EINVAL);

    /* A failed init leaves it not set up. */
    cfg.mode = (of_notify_mode)7;
    assert_int_equal(of_notify_init(&n, &cfg, START), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_offer(&n, &r, AWAKE, NOON), OF_NOTIFY_EINVAL);
    of_notify_config_default(&cfg);
    cfg.quiet_start_minute = 2000;
    assert_int_equal(of_notify_init(&n, &cfg, START), OF_NOTIFY_EINVAL);
    assert_int_equal(of_notify_get_config(&n, &cfg), OF_NOTIFY_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_mode_queues_completed_of_every_direction),
        cmocka_unit_test(all_mode_queues_interrupted_for_every_reason_but_shutdown),
        cmocka_unit_test(all_mode_skips_unpaired),
        cmocka_unit_test(shutdown_interrupted_never_shown_in_any_mode),
        cmocka_unit_test(two_way_mode_queues_completed_two_way),
        cmocka_unit_test(two_way_mode_skips_completed_one_way),
        cmocka_unit_test(two_way_mode_queues_interrupted_two_way),
        cmocka_unit_test(two_way_mode_skips_interrupted_one_way),
        cmocka_unit_test(two_way_mode_skips_unpaired_two_way),
        cmocka_unit_test(two_way_mode_judges_the_flags_the_balloon_names),
        cmocka_unit_test(off_mode_skips_completed_and_interrupted),
        cmocka_unit_test(startup_quiet_period_boundary),
        cmocka_unit_test(startup_quiet_period_spares_sync_now),
        cmocka_unit_test(startup_quiet_period_zero_means_none),
        cmocka_unit_test(startup_quiet_period_does_not_return_when_clock_steps_back),
        cmocka_unit_test(startup_quiet_period_keeps_remaining_length_when_clock_steps_back),
        cmocka_unit_test(single_record_gives_single_balloon_after_window),
        cmocka_unit_test(three_records_in_window_make_one_batch),
        cmocka_unit_test(record_just_after_window_waits_for_min_gap),
        cmocka_unit_test(records_during_gap_join_one_batch),
        cmocka_unit_test(record_after_gap_waits_only_the_window),
        cmocka_unit_test(zero_window_and_gap_make_batches_due_at_once),
        cmocka_unit_test(batch_overflow_is_counted_and_keeps_latest),
        cmocka_unit_test(quiet_hours_plain_window_boundaries),
        cmocka_unit_test(quiet_hours_wrapping_midnight_boundaries),
        cmocka_unit_test(quiet_hours_start_equal_end_disabled),
        cmocka_unit_test(quiet_hours_drop_batch_due_inside_them),
        cmocka_unit_test(quiet_hours_drop_does_not_start_gap),
        cmocka_unit_test(switching_to_off_drops_pending_batch),
        cmocka_unit_test(switching_to_two_way_filters_pending_batch),
        cmocka_unit_test(switching_to_two_way_filters_counted_overflow),
        cmocka_unit_test(changing_window_moves_due_time),
        cmocka_unit_test(invalid_config_rejected_and_nothing_changed),
        cmocka_unit_test(init_with_null_config_uses_defaults),
        cmocka_unit_test(next_due_values),
        cmocka_unit_test(clock_back_with_pending_batch_keeps_remaining_wait),
        cmocka_unit_test(clock_back_after_balloon_keeps_gap_bounded),
        cmocka_unit_test(clock_back_past_stored_times_still_bounded),
        cmocka_unit_test(clock_near_max_saturates),
        cmocka_unit_test(bad_arguments_rejected),
        cmocka_unit_test(not_set_up_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
