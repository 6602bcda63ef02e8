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
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "history.dat"
#define NOW_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define MB (1024u * 1024u)
#define RECORDS 1000000u
#define RUNS 3

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static size_t put_header(unsigned char *p, uint16_t minor, uint64_t next_seq)
{
    memcpy(p, "OFNHIST\0", 8);
    put_le(p + 8, 1, 2);
    put_le(p + 10, minor, 2);
    put_le(p + 12, OF_HISTORY_HEADER_SIZE, 4);
    put_le(p + 16, next_seq, 8);
    put_le(p + 24, of_crc32(p, 24), 4);
    return OF_HISTORY_HEADER_SIZE;
}

/* A background record's frame (the same in 1.0, 1.1 and 1.2), one minute
 * after the one before. */
static size_t put_frame(unsigned char *p, uint64_t seq)
{
    int64_t done = NOW_MS - INT64_C(60000) * 2000000 + (int64_t)seq * 60000;
    put_le(p, OF_HISTORY_PAYLOAD_SIZE, 4);
    put_le(p + 4, seq, 8);
    put_le(p + 12, (uint64_t)(done - 1500), 8);
    put_le(p + 20, (uint64_t)done, 8);
    put_le(p + 28, 1500, 8);
    put_le(p + 36, 0x10006u, 4);
    put_le(p + 40, 0x10006u, 4);
    p[44] = 0;
    p[45] = 0;
    put_le(p + 46, of_crc32(p, 46), 4);
    return OF_HISTORY_FRAME_SIZE;
}

static unsigned char *file_of(uint16_t minor, size_t n, size_t *len)
{
    unsigned char *f = malloc(OF_HISTORY_HEADER_SIZE + n * OF_HISTORY_FRAME_SIZE);
    if (f == NULL)
        return NULL;
    size_t at = put_header(f, minor, n + 1);
    for (size_t i = 1; i <= n; i++)
        at += put_frame(f + at, i);
    *len = at;
    return f;
}

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
        double t0 = cpu_ms();
        of_history_err err = of_history_open(&h, memfs_fs(m), PATH, 0, NOW_MS, &rep);
        double t1 = cpu_ms();
        of_record r = {.started_ms = NOW_MS - 1000, .completed_ms = NOW_MS, .duration_ms = 1000,
                       .flags = 0x82Fu, .begin_flags = 0x82Fu, .origin = OF_ORIGIN_SYNC_NOW};
        if (err == OF_HISTORY_OK)
            err = of_history_append(h, &r);
        double t2 = cpu_ms();
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
    unsigned char *f11 = file_of(1, RECORDS, &len11);
    unsigned char *f12 = file_of(2, RECORDS, &len12);
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
