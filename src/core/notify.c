/* ofnotify: core/notify, the balloon policy.
 * The contract, with every rule, is in include/ofnotify/notify.h. */
#include "ofnotify/notify.h"
#include "ofnotify/syncflags.h"

#include <string.h>

/* Marks a policy set up by of_notify_init ("ofNt"). */
#define NOTIFY_MAGIC 0x6F664E74u

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sub_sat(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

static int is_ready(const of_notify *n)
{
    return n != NULL && n->magic == NOTIFY_MAGIC;
}

static int minute_ok(int minute)
{
    return minute >= 0 && minute < OF_NOTIFY_MINUTES_PER_DAY;
}

static int config_ok(const of_notify_config *cfg)
{
    return (int)cfg->mode >= 0 && (int)cfg->mode < (int)OF_NOTIFY_MODE_COUNT &&
           minute_ok(cfg->quiet_start_minute) && minute_ok(cfg->quiet_end_minute);
}

/* [start, end) of the day, wrapping midnight when start > end. */
static int in_quiet_hours(const of_notify_config *cfg, int minute)
{
    int s = cfg->quiet_start_minute;
    int e = cfg->quiet_end_minute;
    if (s == e)
        return 0;
    if (s < e)
        return minute >= s && minute < e;
    return minute >= s || minute < e;
}

static int is_two_way(const of_record *r)
{
    return of_syncflags_direction(r->flags) == OF_DIR_TWO_WAY;
}

static int is_interrupted(const of_record *r)
{
    return r->status == OF_STATUS_INTERRUPTED;
}

/* Whether mode announces r (rule 2; rule 1 is checked before). */
static int mode_announces(of_notify_mode mode, const of_record *r)
{
    switch (mode) {
    case OF_NOTIFY_ALL:
        return 1;
    case OF_NOTIFY_TWO_WAY_ONLY:
        return is_two_way(r);
    default:
        return 0;
    }
}

static int batch_pending(const of_notify *n)
{
    return n->batch.count > 0;
}

static void batch_clear(of_notify *n)
{
    memset(&n->batch, 0, sizeof n->batch);
    memset(n->counted, 0, sizeof n->counted);
    n->batch_first_ms = 0;
}

/* Brings the stored times in line with the clock reading now. When the
 * clock stepped back, every stored time moves back by the same step, so
 * every remaining wait keeps its length. */
static void clock_seen(of_notify *n, uint64_t now)
{
    if (now < n->latest_ms) {
        uint64_t back = n->latest_ms - now;
        n->start_ms = sub_sat(n->start_ms, back);
        n->last_shown_ms = sub_sat(n->last_shown_ms, back);
        n->batch_first_ms = sub_sat(n->batch_first_ms, back);
    }
    n->latest_ms = now;
    if (!n->startup_over && now - n->start_ms >= n->cfg.startup_quiet_ms)
        n->startup_over = 1;
}

static uint64_t due_time(const of_notify *n)
{
    uint64_t due = add_sat(n->batch_first_ms, n->cfg.coalesce_ms);
    if (n->shown) {
        uint64_t gap_end = add_sat(n->last_shown_ms, n->cfg.min_gap_ms);
        if (gap_end > due)
            due = gap_end;
    }
    return due;
}

static void batch_add(of_notify *n, const of_record *r, uint64_t now)
{
    of_notify_batch *b = &n->batch;
    if (b->count == 0)
        n->batch_first_ms = now;
    if (b->count < OF_NOTIFY_BATCH_MAX) {
        b->recs[b->count++] = *r;
        return;
    }
    /* Full: the previous latest record is only counted from now on, and r
     * takes the last slot so the summary still names the latest pass. */
    const of_record *old = &b->recs[OF_NOTIFY_BATCH_MAX - 1];
    n->counted[is_two_way(old)][is_interrupted(old)]++;
    b->recs[OF_NOTIFY_BATCH_MAX - 1] = *r;
}

/* Drops the pending records that mode does not announce (kept order). The
 * counted ones are split by direction, so they can be dropped too. */
static void batch_refilter(of_notify *n, of_notify_mode mode)
{
    of_notify_batch *b = &n->batch;
    size_t kept = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (mode_announces(mode, &b->recs[i]))
            b->recs[kept++] = b->recs[i];
    }
    for (size_t i = kept; i < b->count; i++)
        memset(&b->recs[i], 0, sizeof b->recs[i]);
    b->count = kept;
    if (mode != OF_NOTIFY_ALL) {
        n->counted[0][0] = n->counted[0][1] = 0;
        if (mode != OF_NOTIFY_TWO_WAY_ONLY)
            n->counted[1][0] = n->counted[1][1] = 0;
    }
    if (kept == 0)
        batch_clear(n);
}

void of_notify_config_default(of_notify_config *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->mode = OF_NOTIFY_ALL;
    cfg->startup_quiet_ms = OF_NOTIFY_DEFAULT_STARTUP_QUIET_MS;
    cfg->coalesce_ms = OF_NOTIFY_DEFAULT_COALESCE_MS;
    cfg->min_gap_ms = OF_NOTIFY_DEFAULT_MIN_GAP_MS;
    cfg->quiet_start_minute = 0;
    cfg->quiet_end_minute = 0;
}

int of_notify_init(of_notify *n, const of_notify_config *cfg, uint64_t start_mono_ms)
{
    of_notify_config def;
    if (n == NULL)
        return OF_NOTIFY_EINVAL;
    memset(n, 0, sizeof *n);
    if (cfg == NULL) {
        of_notify_config_default(&def);
        cfg = &def;
    }
    if (!config_ok(cfg))
        return OF_NOTIFY_EINVAL;
    n->cfg = *cfg;
    n->start_ms = start_mono_ms;
    n->latest_ms = start_mono_ms;
    n->startup_over = cfg->startup_quiet_ms == 0;
    n->magic = NOTIFY_MAGIC;
    return 0;
}

int of_notify_set_config(of_notify *n, const of_notify_config *cfg)
{
    if (!is_ready(n) || cfg == NULL || !config_ok(cfg))
        return OF_NOTIFY_EINVAL;
    n->cfg = *cfg;
    if (batch_pending(n))
        batch_refilter(n, cfg->mode);
    return 0;
}

int of_notify_get_config(const of_notify *n, of_notify_config *out)
{
    if (!is_ready(n) || out == NULL)
        return OF_NOTIFY_EINVAL;
    *out = n->cfg;
    return 0;
}

int of_notify_offer(of_notify *n, const of_record *r, uint64_t mono_ms, int local_minute)
{
    if (!is_ready(n) || r == NULL || r->status >= OF_STATUS_COUNT || !minute_ok(local_minute))
        return OF_NOTIFY_EINVAL;
    clock_seen(n, mono_ms);

    if (r->status == OF_STATUS_UNPAIRED ||
        (r->status == OF_STATUS_INTERRUPTED && r->reason == OF_REASON_SHUTDOWN))
        return OF_NOTIFY_SKIP_KIND;
    if (!mode_announces(n->cfg.mode, r))
        return OF_NOTIFY_SKIP_MODE;
    if (!n->startup_over && r->origin != OF_ORIGIN_SYNC_NOW)
        return OF_NOTIFY_SKIP_STARTUP;
    if (in_quiet_hours(&n->cfg, local_minute))
        return OF_NOTIFY_SKIP_QUIET_HOURS;

    batch_add(n, r, mono_ms);
    return OF_NOTIFY_QUEUED;
}

int of_notify_poll(of_notify *n, uint64_t mono_ms, int local_minute, of_notify_batch *out)
{
    if (!is_ready(n) || out == NULL || !minute_ok(local_minute))
        return OF_NOTIFY_EINVAL;
    clock_seen(n, mono_ms);

    if (!batch_pending(n) || mono_ms < due_time(n))
        return 0;
    if (in_quiet_hours(&n->cfg, local_minute)) {
        batch_clear(n);
        return 0;
    }

    of_notify_batch *b = &n->batch;
    uint64_t counted = 0;
    uint64_t interrupted = 0;
    for (size_t i = 0; i < b->count; i++)
        interrupted += (uint64_t)is_interrupted(&b->recs[i]);
    for (int two_way = 0; two_way < 2; two_way++) {
        counted += n->counted[two_way][0] + n->counted[two_way][1];
        interrupted += n->counted[two_way][1];
    }
    b->total = (uint64_t)b->count + counted;
    b->interrupted = interrupted;
    *out = *b;

    batch_clear(n);
    n->shown = 1;
    n->last_shown_ms = mono_ms;
    return 1;
}

int of_notify_next_due(const of_notify *n, uint64_t *due_mono_ms)
{
    if (!is_ready(n) || due_mono_ms == NULL)
        return OF_NOTIFY_EINVAL;
    if (!batch_pending(n))
        return 0;
    *due_mono_ms = due_time(n);
    return 1;
}
