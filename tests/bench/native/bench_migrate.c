/* make bench: how long migrating a history of 1,000,000 records from format
 * 1.1 to 1.2 takes (history.h: MINOR VERSIONS ON OPEN).
 *
 * Native (no Wine): the store is portable core code. The file is built in
 * memory (tests/unit/support/memfs) in the documented 1.1 format and opened
 * for writing, as the app does at start-up: the whole file is read and
 * checked, then rewritten with a 1.2 header through the temporary file and
 * the atomic replace. The same file already in 1.2 is opened as well, so
 * the difference is what the migration itself adds (paid once: the next
 * open finds 1.2). Then one Sync now record is appended to the migrated
 * file, the frame a 1.1 file may not take.
 * Each figure is the best of a few runs in CPU time (the machine may be busy
 * with other work). On a disk the rewrite also writes the file's size once
 * and syncs it. Nothing is asserted: the numbers are for people. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchhist.h"
#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "history.dat"
#define RECORDS 1000000u
#define RUNS 3

typedef struct result {
    double open_ms;   /* of_history_open for writing, best of RUNS */
    double append_ms; /* the Sync now append after it */
    int migrated;
    unsigned minor_after;
    size_t records;
} result;

static int run(const unsigned char *file, size_t len, result *out)
{
    memset(out, 0, sizeof *out);
    out->open_ms = -1.0;
    for (int i = 0; i < RUNS; i++) {
        memfs *m = memfs_new();
        if (m == NULL || memfs_put(m, PATH, file, len) != 0) {
            memfs_free(m);
            return -1;
        }
        of_history *h = NULL;
        of_history_report rep;
        double t0 = bench_cpu_ms();
        of_history_err err = of_history_open(&h, memfs_fs(m), PATH, 0, BENCH_NOW_MS, &rep);
        double t1 = bench_cpu_ms();
        of_record r = {.started_ms = BENCH_NOW_MS - 1000, .completed_ms = BENCH_NOW_MS, .duration_ms = 1000,
                       .flags = 0x82Fu, .begin_flags = 0x82Fu, .origin = OF_ORIGIN_SYNC_NOW};
        if (err == OF_HISTORY_OK)
            err = of_history_append(h, &r);
        double t2 = bench_cpu_ms();
        size_t got = 0;
        const unsigned char *d = memfs_get(m, PATH, &got);
        out->minor_after = d != NULL && got > 11 ? (unsigned)(d[10] | d[11] << 8) : 0;
        out->records = err == OF_HISTORY_OK ? of_history_count(h) : 0;
        out->migrated = rep.migrated;
        of_history_close(h);
        memfs_free(m);
        if (err != OF_HISTORY_OK)
            return -1;
        if (out->open_ms < 0 || t1 - t0 < out->open_ms) {
            out->open_ms = t1 - t0;
            out->append_ms = t2 - t1;
        }
    }
    return 0;
}

int main(void)
{
    size_t len11 = 0, len12 = 0;
    unsigned char *f11 = bench_history(1, RECORDS, 0x10006u, &len11);
    unsigned char *f12 = bench_history(2, RECORDS, 0x10006u, &len12);
    result r11, r12;
    if (f11 == NULL || f12 == NULL || run(f11, len11, &r11) != 0 || run(f12, len12, &r12) != 0) {
        fprintf(stderr, "bench_migrate: could not build or open the histories\n");
        free(f11);
        free(f12);
        return 1;
    }
    printf("History format migration 1.1 -> 1.2, %u records (%.1f MB), CPU ms, best of %d:\n", RECORDS,
           (double)len11 / MB, RUNS);
    printf("  %-40s %10s %12s %9s %6s\n", "file", "open (w)", "+ Sync now", "records", "minor");
    printf("  %-40s %10.1f %12.3f %9zu %6u%s\n", "1.1: read, checked and migrated", r11.open_ms, r11.append_ms,
           r11.records, r11.minor_after, r11.migrated ? "" : "  (NOT migrated)");
    printf("  %-40s %10.1f %12.3f %9zu %6u%s\n", "1.2: read and checked (nothing to do)", r12.open_ms, r12.append_ms,
           r12.records, r12.minor_after, r12.migrated ? "  (migrated?)" : "");
    printf("  the migration itself: %.1f ms, once\n", r11.open_ms - r12.open_ms);
    free(f11);
    free(f12);
    return 0;
}
