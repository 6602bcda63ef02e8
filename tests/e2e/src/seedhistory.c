/* seedhistory: writes a history file with four weeks of made-up background
 * syncs before today, so that `make demo` shows the history window's 30-day
 * chart as a user sees it after a month. A host tool built from core/history
 * and the stdio file system of the unit tests; the same file the app writes.
 *
 *   seedhistory FILE NOW_MS      FILE must not exist; NOW_MS is the wall
 *                                clock (ms since 1970) that "today" means
 *
 * The pattern is fixed (a fixed pseudo-random sequence), plausible rather
 * than measured: working days have a morning catch-up in both directions,
 * uploads through the day and a few downloads; weekends are quiet; one pass
 * a week is cut short by the service going away. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
#include "support/stdiofs.h"

#define DAYS 28
#define BG OF_SYNC_FLAG_BACKGROUND

static uint32_t rng_state = 0x2545F491u;

static uint32_t rng(uint32_t below)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state % below;
}

/* Midnight, local time, of the day `days_back` before the day of now. */
static int64_t local_midnight_ms(int64_t now_ms, int days_back, int *weekday)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm = *localtime(&t);
    tm.tm_mday -= days_back;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    *weekday = tm.tm_wday;
    return (int64_t)t * 1000;
}

/* One day's passes, gathered first: the store keeps the order passes ended. */
typedef struct day_plan {
    of_record recs[64];
    int n;
} day_plan;

static void add(day_plan *d, int64_t day_ms, int minute, uint32_t flags, uint64_t duration_ms, int interrupted)
{
    of_record *r;
    if (d->n == (int)(sizeof(d->recs) / sizeof(d->recs[0])))
        return;
    r = &d->recs[d->n++];
    *r = (of_record){0};
    r->started_ms = day_ms + (int64_t)minute * 60000 + rng(60000);
    r->duration_ms = duration_ms;
    r->completed_ms = r->started_ms + (int64_t)duration_ms;
    r->flags = r->begin_flags = flags;
    r->status = interrupted ? OF_STATUS_INTERRUPTED : OF_STATUS_COMPLETED;
    r->reason = interrupted ? OF_REASON_SERVICE_LOST : OF_REASON_NONE;
}

static void plan_day(day_plan *d, int64_t day_ms, int weekday)
{
    const uint32_t two_way = OF_SYNC_FLAG_FILLSPARSE | OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT | BG;
    const uint32_t up = OF_SYNC_FLAG_SYNCOUT | BG;
    const uint32_t down = OF_SYNC_FLAG_FILLSPARSE | OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_PINNEWFILES | BG;
    int i, minute;
    d->n = 0;
    if (weekday == 0 || weekday == 6) {
        for (i = (int)rng(3); i > 0; i--)
            add(d, day_ms, 600 + (int)rng(480), two_way, 4000 + rng(20000), 0);
        return;
    }
    /* Sign-in: the catch-up pass both ways. */
    add(d, day_ms, 480 + (int)rng(60), two_way | OF_SYNC_FLAG_SKIPSUSPENDEDDIRS, 20000 + rng(90000), 0);
    for (minute = 560 + (int)rng(40); minute < 1080; minute += 45 + (int)rng(80))
        add(d, day_ms, minute, up, 1500 + rng(12000), 0);
    for (i = 1 + (int)rng(3); i > 0; i--)
        add(d, day_ms, 600 + (int)rng(420), down, 3000 + rng(40000), 0);
    if (rng(5) == 0)
        add(d, day_ms, 700 + (int)rng(300), two_way, 2000 + rng(8000), 1);
    add(d, day_ms, 1080 + (int)rng(60), two_way | OF_SYNC_CR_KEEPLATEST, 10000 + rng(50000), 0);
}

static int by_completed(const void *pa, const void *pb)
{
    const of_record *a = pa, *b = pb;
    return (a->completed_ms > b->completed_ms) - (a->completed_ms < b->completed_ms);
}

int main(int argc, char **argv)
{
    of_history *h = NULL;
    of_history_report report;
    int64_t now_ms;
    int day, weekday, rc = 0;
    FILE *exists;
    if (argc != 3) {
        fputs("usage: seedhistory FILE NOW_MS\n", stderr);
        return 2;
    }
    if ((exists = fopen(argv[1], "rb")) != NULL) {
        fclose(exists);
        fprintf(stderr, "seedhistory: %s exists; a seed is only written anew\n", argv[1]);
        return 1;
    }
    now_ms = strtoll(argv[2], NULL, 10);
    if (of_history_open(&h, stdiofs_fs(), argv[1], 0, now_ms, &report) != OF_HISTORY_OK) {
        fprintf(stderr, "seedhistory: cannot create %s\n", argv[1]);
        return 1;
    }
    for (day = DAYS; day >= 1 && rc == 0; day--) {
        static day_plan plan;
        int64_t midnight = local_midnight_ms(now_ms, day, &weekday);
        int i;
        plan_day(&plan, midnight, weekday);
        qsort(plan.recs, (size_t)plan.n, sizeof(plan.recs[0]), by_completed);
        for (i = 0; i < plan.n && rc == 0; i++)
            rc = of_history_append(h, &plan.recs[i]) == OF_HISTORY_OK ? 0 : -1;
    }
    of_history_close(h);
    if (rc) {
        fprintf(stderr, "seedhistory: could not write %s\n", argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
