/* ofnotify: core/pass, pairing BackgroundSyncBegin/End into records.
 * The contract, including the pairing rule and the time rules, is in
 * include/ofnotify/pass.h. */
#include "ofnotify/pass.h"
#include "ofnotify/syncflags.h"

#include <string.h>

/* The smallest wall time a record may hold: INT64_MIN is OF_TIME_UNKNOWN. */
#define WALL_MIN (INT64_MIN + 1)

/* Monotonic time between two readings; 0 if the clock went backwards. */
static uint64_t elapsed_ms(uint64_t from, uint64_t to)
{
    return to >= from ? to - from : 0;
}

/* A wall reading usable as completed_ms: never OF_TIME_UNKNOWN. */
static int64_t known_wall(int64_t wall_ms)
{
    return wall_ms < WALL_MIN ? WALL_MIN : wall_ms;
}

/* completed_ms - duration_ms without signed overflow, saturating at WALL_MIN. */
static int64_t started_from(int64_t completed_ms, uint64_t duration_ms)
{
    /* completed_ms >= WALL_MIN, so this difference is exact in uint64_t. */
    uint64_t room = (uint64_t)completed_ms - (uint64_t)WALL_MIN;
    if (duration_ms > room)
        return WALL_MIN;
    return (int64_t)((uint64_t)completed_ms - duration_ms);
}

/* The record for a pass that began (completed or interrupted). */
static of_record record_from_pass(const of_pass_info *p, uint32_t flags, of_status status,
                                  of_reason reason, uint64_t mono_ms, int64_t wall_ms)
{
    of_record r;
    memset(&r, 0, sizeof r);
    r.duration_ms = elapsed_ms(p->begun_mono_ms, mono_ms);
    r.completed_ms = known_wall(wall_ms);
    r.started_ms = started_from(r.completed_ms, r.duration_ms);
    r.flags = flags;
    r.begin_flags = p->flags;
    r.status = (uint8_t)status;
    r.reason = (uint8_t)reason;
    return r;
}

static void remove_at(of_pass_tracker *t, size_t index)
{
    memmove(&t->open[index], &t->open[index + 1], (t->count - index - 1) * sizeof t->open[0]);
    t->count--;
}

/* Index of the oldest open pass whose Begin flags, masked, equal want. */
/* The oldest open pass with exactly these flags, or else with the same
 * direction; t->count if none. */
static size_t find_match(const of_pass_tracker *t, uint32_t flags)
{
    of_direction dir = of_syncflags_direction(flags);
    size_t same_direction = t->count;
    for (size_t i = 0; i < t->count; i++) {
        if (t->open[i].flags == flags)
            return i;
        if (same_direction == t->count && of_syncflags_direction(t->open[i].flags) == dir)
            same_direction = i;
    }
    return same_direction;
}

static int is_expired(const of_pass_tracker *t, const of_pass_info *p, uint64_t mono_ms)
{
    return elapsed_ms(p->begun_mono_ms, mono_ms) >= t->timeout_ms;
}

void of_pass_init(of_pass_tracker *t, uint64_t timeout_ms)
{
    if (t == NULL)
        return;
    memset(t, 0, sizeof *t);
    t->timeout_ms = timeout_ms;
}

int of_pass_begin(of_pass_tracker *t, uint32_t flags, uint64_t mono_ms, int64_t wall_ms,
                  of_pass_emit_fn emit, void *ctx)
{
    if (t == NULL || emit == NULL || t->count > OF_PASS_MAX_OPEN)
        return OF_PASS_EINVAL;

    int evicted = 0;
    of_record given_up = {0};
    if (t->count == OF_PASS_MAX_OPEN) {
        given_up = record_from_pass(&t->open[0], t->open[0].flags, OF_STATUS_INTERRUPTED,
                                    OF_REASON_TIMEOUT, mono_ms, wall_ms);
        remove_at(t, 0);
        evicted = 1;
    }

    of_pass_info *p = &t->open[t->count++];
    p->flags = flags;
    p->begun_mono_ms = mono_ms;
    p->begun_wall_ms = wall_ms;

    if (evicted)
        emit(ctx, &given_up);
    return evicted;
}

int of_pass_end(of_pass_tracker *t, uint32_t flags, uint64_t mono_ms, int64_t wall_ms,
                of_record *out)
{
    if (t == NULL || out == NULL || t->count > OF_PASS_MAX_OPEN)
        return OF_PASS_EINVAL;

    size_t i = find_match(t, flags);

    if (i < t->count) {
        *out = record_from_pass(&t->open[i], flags, OF_STATUS_COMPLETED, OF_REASON_NONE, mono_ms,
                                wall_ms);
        remove_at(t, i);
        return OF_PASS_OK;
    }

    memset(out, 0, sizeof *out);
    out->started_ms = OF_TIME_UNKNOWN;
    out->completed_ms = known_wall(wall_ms);
    out->duration_ms = 0;
    out->flags = flags;
    out->begin_flags = flags;
    out->status = (uint8_t)OF_STATUS_UNPAIRED;
    out->reason = (uint8_t)OF_REASON_NONE;
    return OF_PASS_OK;
}

int of_pass_interrupt_all(of_pass_tracker *t, of_reason reason, uint64_t mono_ms,
                          int64_t wall_ms, of_pass_emit_fn emit, void *ctx)
{
    if (t == NULL || emit == NULL || t->count > OF_PASS_MAX_OPEN)
        return OF_PASS_EINVAL;
    switch (reason) {
    case OF_REASON_DATALOST:
    case OF_REASON_SERVICE_LOST:
    case OF_REASON_SHUTDOWN:
    case OF_REASON_TIMEOUT:
    case OF_REASON_FAILED:
        break;
    default:
        return OF_PASS_EINVAL;
    }

    of_record recs[OF_PASS_MAX_OPEN];
    size_t n = t->count;
    for (size_t i = 0; i < n; i++)
        recs[i] = record_from_pass(&t->open[i], t->open[i].flags, OF_STATUS_INTERRUPTED, reason,
                                   mono_ms, wall_ms);
    t->count = 0;

    for (size_t i = 0; i < n; i++)
        emit(ctx, &recs[i]);
    return (int)n;
}

int of_pass_expire(of_pass_tracker *t, uint64_t mono_ms, int64_t wall_ms, of_pass_emit_fn emit,
                   void *ctx)
{
    if (t == NULL || emit == NULL || t->count > OF_PASS_MAX_OPEN)
        return OF_PASS_EINVAL;
    if (t->timeout_ms == 0)
        return 0;

    of_record recs[OF_PASS_MAX_OPEN];
    size_t n = 0;
    size_t kept = 0;
    for (size_t i = 0; i < t->count; i++) {
        const of_pass_info *p = &t->open[i];
        if (is_expired(t, p, mono_ms))
            recs[n++] = record_from_pass(p, p->flags, OF_STATUS_INTERRUPTED, OF_REASON_TIMEOUT,
                                         mono_ms, wall_ms);
        else
            t->open[kept++] = *p;
    }
    t->count = kept;

    for (size_t i = 0; i < n; i++)
        emit(ctx, &recs[i]);
    return (int)n;
}

int of_pass_next_expiry(const of_pass_tracker *t, uint64_t *due_mono_ms)
{
    if (t == NULL || due_mono_ms == NULL || t->count > OF_PASS_MAX_OPEN)
        return OF_PASS_EINVAL;
    if (t->timeout_ms == 0 || t->count == 0)
        return 0;

    uint64_t earliest = UINT64_MAX;
    for (size_t i = 0; i < t->count; i++) {
        uint64_t begun = t->open[i].begun_mono_ms;
        uint64_t due = begun > UINT64_MAX - t->timeout_ms ? UINT64_MAX : begun + t->timeout_ms;
        if (due < earliest)
            earliest = due;
    }
    *due_mono_ms = earliest;
    return 1;
}

size_t of_pass_open_count(const of_pass_tracker *t)
{
    if (t == NULL || t->count > OF_PASS_MAX_OPEN)
        return 0;
    return t->count;
}

int of_pass_open_get(const of_pass_tracker *t, size_t index, of_pass_info *out)
{
    if (t == NULL || out == NULL || index >= of_pass_open_count(t))
        return OF_PASS_EINVAL;
    *out = t->open[index];
    return OF_PASS_OK;
}
