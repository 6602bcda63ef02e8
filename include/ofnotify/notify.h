/* ofnotify: core/notify, whether and when a finished pass gets a balloon.
 *
 * Every record that core/pass produces is stored, but only some are worth
 * interrupting the user for, and a burst of passes should not become a
 * burst of balloons. This module decides; the tray shows. It never calls
 * Shell APIs and never reads a clock: the caller passes a monotonic clock in
 * ms (for every period below) and the local wall-clock minute of the day
 * (0..1439, for quiet hours).
 *
 * Rules, applied by of_notify_offer in this order (the first that applies
 * is the verdict):
 *   1. Kind. Unpaired records never get a balloon: the duration and the
 *      start are unknown, so there is nothing useful to say. Interrupted
 *      records with OF_REASON_SHUTDOWN never do either: ofnotify itself is
 *      exiting. Other interrupted records do: people want to know when a
 *      sync did NOT finish.
 *   2. Mode. OF_NOTIFY_ALL announces completed and interrupted passes;
 *      OF_NOTIFY_TWO_WAY_ONLY only those whose direction
 *      (of_syncflags_direction(r->flags), the direction the balloon names)
 *      is two-way; OF_NOTIFY_OFF nothing.
 *   3. Quiet period after start. Nothing is announced while
 *      mono_ms - start_mono_ms < startup_quiet_ms: at sign-in the service
 *      often runs a burst of passes, which are recorded but not announced.
 *      Once over, it stays over (a clock that steps back cannot revive it).
 *      A pass the user started with Sync now (origin) is announced even
 *      then: the user asked for it and is waiting for the answer.
 *   4. Quiet hours. When start_minute != end_minute, nothing is announced
 *      while the local minute is in [start_minute, end_minute), a window
 *      that may wrap midnight (22:00-07:00 is 1320..420). Such records are
 *      dropped, not saved up for the morning: a pile of old news at 07:00
 *      helps nobody. start_minute == end_minute turns quiet hours off.
 *   Otherwise the record joins the pending batch.
 *
 * Batches (coalescing). The first record of a batch starts it at time T;
 * the batch becomes due at
 *     max(T + coalesce_ms, time of the last balloon + min_gap_ms)
 * and every record offered before the poll that emits it joins it. So
 * passes that end close together make one summary balloon, and a steady
 * trickle waits out the minimum gap and arrives as one batch instead of
 * nagging. of_notify_poll emits the batch when it is due, except during
 * quiet hours: a batch that falls due inside them is dropped (rule 4).
 * A batch keeps at most OF_NOTIFY_BATCH_MAX records and counts the rest.
 *
 * The app's whole part:
 *     record ended:  of_notify_offer(...);  rearm();
 *     timer fired:   if (of_notify_poll(..., &batch) == 1) show(&batch);  rearm();
 *     rearm():       if (of_notify_next_due(n, &due) == 1) set one timer for
 *                    due - now (at least 1 ms; 0 if due <= now), else kill it.
 * A timer that fires early is harmless: poll returns 0 and rearm() sets it
 * again.
 *
 * A monotonic clock that steps backwards (it should not, but a virtual
 * machine or a buggy driver can) never wedges the policy: on any call whose
 * mono_ms is below the latest seen, every stored time moves back by the same
 * step, so every wait left keeps its length and none can exceed the
 * configured period. Sums saturate at UINT64_MAX instead of wrapping.
 *
 * Not thread-safe: ofnotify drives it from its main thread only. */
#ifndef OFNOTIFY_NOTIFY_H
#define OFNOTIFY_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"

/* Defaults of of_notify_config_default. */
#define OF_NOTIFY_DEFAULT_STARTUP_QUIET_MS 60000u
#define OF_NOTIFY_DEFAULT_COALESCE_MS 3000u
#define OF_NOTIFY_DEFAULT_MIN_GAP_MS 10000u

/* Records kept per balloon. A summary names the count and the latest pass,
 * so more would only cost memory; the rest are counted in total. */
#define OF_NOTIFY_BATCH_MAX 64

/* Local minutes of the day are 0 .. OF_NOTIFY_MINUTES_PER_DAY - 1. */
#define OF_NOTIFY_MINUTES_PER_DAY 1440

/* What to announce. The numeric values are stable: the settings store
 * them. */
typedef enum of_notify_mode {
    OF_NOTIFY_ALL = 0,          /* completed and interrupted passes */
    OF_NOTIFY_TWO_WAY_ONLY = 1, /* only passes whose direction is two-way */
    OF_NOTIFY_OFF = 2,          /* nothing */
    OF_NOTIFY_MODE_COUNT
} of_notify_mode;

typedef struct of_notify_config {
    of_notify_mode mode;
    uint32_t startup_quiet_ms; /* quiet period after start; 0: none */
    uint32_t coalesce_ms;      /* how long a batch collects; 0: due at once */
    uint32_t min_gap_ms;       /* least time between two balloons; 0: none */
    int quiet_start_minute;    /* quiet hours [start, end), local minutes */
    int quiet_end_minute;      /* 0..1439 each; equal: no quiet hours */
} of_notify_config;

/* What of_notify_offer did with a record (>= 0), or OF_NOTIFY_EINVAL. */
typedef enum of_notify_verdict {
    OF_NOTIFY_QUEUED = 0,           /* joined the pending batch */
    OF_NOTIFY_SKIP_KIND = 1,        /* unpaired, or interrupted by ofnotify's exit */
    OF_NOTIFY_SKIP_MODE = 2,        /* the mode does not announce it */
    OF_NOTIFY_SKIP_STARTUP = 3,     /* inside the quiet period after start */
    OF_NOTIFY_SKIP_QUIET_HOURS = 4, /* inside quiet hours: dropped */
    OF_NOTIFY_EINVAL = -1           /* bad argument; nothing changed */
} of_notify_verdict;

/* One balloon's worth of records. When total <= OF_NOTIFY_BATCH_MAX, recs
 * holds every record in the order offered. Beyond that recs holds the
 * first OF_NOTIFY_BATCH_MAX - 1 records and, in the last slot, the latest
 * one, because the summary text describes the latest pass; the records in
 * between are only counted. */
typedef struct of_notify_batch {
    of_record recs[OF_NOTIFY_BATCH_MAX];
    size_t count;         /* records in recs: 1 .. OF_NOTIFY_BATCH_MAX */
    uint64_t total;       /* records in the batch, kept or counted: >= count */
    uint64_t interrupted; /* how many of total are interrupted (the rest completed) */
} of_notify_batch;

/* The policy's state. Declared here so the app can own it without malloc;
 * treat the members as private and use the functions below. */
typedef struct of_notify {
    uint32_t magic;          /* set by of_notify_init; other values: not set up */
    of_notify_config cfg;
    uint64_t start_ms;       /* monotonic time the app started */
    uint64_t latest_ms;      /* highest monotonic time seen (for steps back) */
    int startup_over;        /* the quiet period after start has passed */
    int shown;               /* a balloon was emitted; last_shown_ms is valid */
    uint64_t last_shown_ms;  /* monotonic time of the last emitted balloon */
    uint64_t batch_first_ms; /* monotonic time the pending batch started */
    of_notify_batch batch;   /* pending when batch.count > 0 */
    uint64_t counted[2][2];  /* records counted beyond recs: [two-way][interrupted] */
} of_notify;

/* Fills *cfg with OF_NOTIFY_ALL, the default periods and no quiet hours.
 * NULL cfg is ignored. */
void of_notify_config_default(of_notify_config *cfg);

/* Sets up n with cfg (NULL cfg: the defaults) for an app that started at
 * start_mono_ms. Returns 0, or OF_NOTIFY_EINVAL if n is NULL or cfg is not
 * valid (mode out of range, a quiet-hours minute outside 0..1439); n is
 * then left not set up, and every other call on it returns
 * OF_NOTIFY_EINVAL. */
int of_notify_init(of_notify *n, const of_notify_config *cfg, uint64_t start_mono_ms);

/* Replaces the configuration at once (the tray menu and settings changes).
 * A pending batch loses the records the new mode does not announce, all of
 * them when the mode is OFF. New periods apply to the pending batch's due
 * time too; a quiet period that is over stays over. Returns 0, or
 * OF_NOTIFY_EINVAL (n NULL or not set up, cfg NULL or not valid; nothing
 * changed). */
int of_notify_set_config(of_notify *n, const of_notify_config *cfg);

/* The configuration in use. Returns 0, or OF_NOTIFY_EINVAL if n is NULL or
 * not set up or out is NULL. */
int of_notify_get_config(const of_notify *n, of_notify_config *out);

/* A record ended (completed, unpaired or interrupted): applies the rules
 * above and returns the verdict. The record is copied. Returns
 * OF_NOTIFY_EINVAL (nothing changed) if n is NULL or not set up, r is NULL,
 * r->status is out of range, or local_minute is outside 0..1439. Call
 * of_notify_next_due afterwards to (re)arm the timer. */
int of_notify_offer(of_notify *n, const of_record *r, uint64_t mono_ms, int local_minute);

/* The timer fired (or any other moment). Returns 1 and fills *out when the
 * pending batch is due (mono_ms >= due time) and local_minute is outside
 * quiet hours; the batch is then no longer pending and the minimum gap
 * starts at mono_ms. Returns 0 (*out untouched) when nothing is due yet or
 * nothing is pending, and also when a due batch was dropped for quiet
 * hours. OF_NOTIFY_EINVAL (nothing changed) if n is NULL or not set up,
 * out is NULL, or local_minute is outside 0..1439. */
int of_notify_poll(of_notify *n, uint64_t mono_ms, int local_minute, of_notify_batch *out);

/* When of_notify_poll next has work: returns 1 and sets *due_mono_ms to the
 * pending batch's due time, or returns 0 (*due_mono_ms untouched) when
 * nothing is pending. OF_NOTIFY_EINVAL if n is NULL or not set up or
 * due_mono_ms is NULL. */
int of_notify_next_due(const of_notify *n, uint64_t *due_mono_ms);

#endif
