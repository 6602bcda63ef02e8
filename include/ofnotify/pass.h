/* ofnotify: core/pass, turning BackgroundSyncBegin/End events into records.
 *
 * The service sends BackgroundSyncBegin(flags) and BackgroundSyncEnd(flags)
 * with no sync id, and nothing promises strict pairing, no overlap, or that
 * an End repeats its Begin's flags. Events can also be lost (DataLost), the
 * service can die mid-pass and ofnotify can exit mid-pass. The tracker keeps
 * the passes that have begun and not ended ("open" passes) and produces one
 * of_record for every pass that ends or is given up, so nothing is ever
 * silently dropped.
 *
 * Pairing rule, applied by of_pass_end:
 *   1. the OLDEST open pass whose Begin flags equal the End flags; failing
 *      that,
 *   2. the OLDEST open pass with the End's direction (core/syncflags), so an
 *      End whose modifier bits differ from its Begin's still finds it;
 *      failing that,
 *   3. no pass: the End is recorded as unpaired.
 * Oldest means earliest Begin call (call order, not clock values), which
 * makes two overlapping identical passes close first in, first out.
 *
 * Time is injected, never read here. mono_ms is a monotonic clock and is the
 * only source of durations; should it ever go backwards, a duration is
 * clamped to 0 instead of wrapping. wall_ms is the wall clock (ms since
 * 1970-01-01 UTC) and may jump when the user or time sync changes it.
 *
 * Records produced (seq is left 0: the history store assigns it):
 *   completed:   flags = End's flags, begin_flags = Begin's flags,
 *                duration_ms = mono at End - mono at Begin,
 *                completed_ms = wall at End,
 *                started_ms = completed_ms - duration_ms.
 *   unpaired:    flags = begin_flags = End's flags, duration_ms = 0,
 *                started_ms = OF_TIME_UNKNOWN, completed_ms = wall at End.
 *   interrupted: flags = begin_flags = Begin's flags,
 *                duration_ms = mono when given up - mono at Begin,
 *                completed_ms = wall when given up,
 *                started_ms = completed_ms - duration_ms, reason as given.
 * started_ms is derived instead of taken from the wall clock at Begin so a
 * record stays self-consistent (started <= completed, and their difference
 * is the duration) whatever the wall clock did in between. The wall clock at
 * Begin is kept only for showing open passes. For absurd wall values where
 * the subtraction would overflow, started_ms saturates at INT64_MIN + 1
 * (never OF_TIME_UNKNOWN).
 *
 * Records go out through an of_pass_emit_fn callback, always oldest pass
 * first. Every function updates the tracker BEFORE calling the callback, so
 * the callback sees the tracker's new state and may even call back into it.
 *
 * Not thread-safe: ofnotify drives it from its main thread only. */
#ifndef OFNOTIFY_PASS_H
#define OFNOTIFY_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"

/* How many passes may be open at once. Real passes hardly overlap, so more
 * than this means Ends are being lost; the oldest open pass is then given up
 * as interrupted (OF_REASON_TIMEOUT: it is the stalest one) to make room. */
#define OF_PASS_MAX_OPEN 16

/* A generous default for of_pass_init: a pass open this long is assumed to
 * have lost its End. Background passes over slow links can take a while,
 * so it is hours, not minutes. */
#define OF_PASS_DEFAULT_TIMEOUT_MS ((uint64_t)4 * 60 * 60 * 1000)

/* Results. Functions that emit records return how many they emitted (>= 0);
 * every function returns a negative of_pass_error when it did nothing. */
typedef enum of_pass_error {
    OF_PASS_OK = 0,
    OF_PASS_EINVAL = -1, /* NULL pointer, index or reason out of range, or a tracker
                          * not set up by of_pass_init; nothing changed */
} of_pass_error;

/* Receives each produced record; the record is only valid during the call. */
typedef void (*of_pass_emit_fn)(void *ctx, const of_record *rec);

/* One open pass, as the tray shows it ("sync in progress", direction). */
typedef struct of_pass_info {
    uint32_t flags;         /* dwSyncControlFlags of the Begin */
    uint64_t begun_mono_ms; /* monotonic clock at Begin */
    int64_t begun_wall_ms;  /* wall clock at Begin; for display only */
} of_pass_info;

/* The tracker. Declared here so callers can own it without malloc; treat the
 * members as private and use the functions below. */
typedef struct of_pass_tracker {
    of_pass_info open[OF_PASS_MAX_OPEN]; /* open passes, oldest Begin first */
    size_t count;                        /* how many entries of open[] are used */
    uint64_t timeout_ms;                 /* 0: passes never time out */
} of_pass_tracker;

/* Empties the tracker. timeout_ms is how long a pass may stay open before
 * of_pass_expire gives it up; 0 turns timeouts off. NULL t is ignored. */
void of_pass_init(of_pass_tracker *t, uint64_t timeout_ms);

/* BackgroundSyncBegin(flags). Opens a pass. If OF_PASS_MAX_OPEN passes are
 * already open, the oldest is first given up as interrupted
 * (OF_REASON_TIMEOUT, at this Begin's times) and emitted. Returns the number
 * of records emitted (0 or 1), or OF_PASS_EINVAL if t or emit is NULL. */
int of_pass_begin(of_pass_tracker *t, uint32_t flags, uint64_t mono_ms, int64_t wall_ms,
                  of_pass_emit_fn emit, void *ctx);

/* BackgroundSyncEnd(flags). Always produces exactly one record in *out:
 * completed (a pass matched by the pairing rule above, which is closed) or
 * unpaired. Returns OF_PASS_OK, or OF_PASS_EINVAL if t or out is NULL. */
int of_pass_end(of_pass_tracker *t, uint32_t flags, uint64_t mono_ms, int64_t wall_ms,
                of_record *out);

/* Gives up every open pass: one interrupted record per pass with the given
 * reason, oldest first, then the tracker is empty. For DataLost (an End may
 * have been dropped), a lost service (its passes will never end) and
 * ofnotify's own shutdown. Returns the number of records emitted, or
 * OF_PASS_EINVAL if t or emit is NULL or reason is not one of those
 * interrupt reasons (DATALOST, SERVICE_LOST, SHUTDOWN, TIMEOUT, FAILED).
 * FAILED is for a pass whose End said it failed (the app's own "Sync now"). */
int of_pass_interrupt_all(of_pass_tracker *t, of_reason reason, uint64_t mono_ms,
                          int64_t wall_ms, of_pass_emit_fn emit, void *ctx);

/* Gives up (OF_REASON_TIMEOUT) every pass that has been open for at least
 * the timeout, i.e. mono_ms - begun_mono_ms >= timeout_ms, oldest first.
 * Returns the number of records emitted, or OF_PASS_EINVAL if t or emit is
 * NULL. Does nothing when timeouts are off. */
int of_pass_expire(of_pass_tracker *t, uint64_t mono_ms, int64_t wall_ms, of_pass_emit_fn emit,
                   void *ctx);

/* When of_pass_expire next has work: sets *due_mono_ms to the earliest
 * begun_mono_ms + timeout_ms of the open passes (saturating at UINT64_MAX)
 * and returns 1, so the app can arm one timer instead of polling. Returns 0
 * (and leaves *due_mono_ms alone) when no pass is open or timeouts are off,
 * OF_PASS_EINVAL if t or due_mono_ms is NULL. */
int of_pass_next_expiry(const of_pass_tracker *t, uint64_t *due_mono_ms);

/* How many passes are open (0 for NULL t). */
size_t of_pass_open_count(const of_pass_tracker *t);

/* Copies open pass number index (0 = oldest) to *out. Returns OF_PASS_OK, or
 * OF_PASS_EINVAL if t or out is NULL or index >= of_pass_open_count(t). */
int of_pass_open_get(const of_pass_tracker *t, size_t index, of_pass_info *out);

#endif
