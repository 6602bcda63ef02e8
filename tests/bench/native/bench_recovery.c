/* make bench: how long opening the history takes, for a clean file and for
 * the worst damage a crafted file can hold.
 *
 * Native (no Wine): the store's loading and recovery are portable core code.
 * Files are built in memory (tests/unit/support/memfs) in the documented
 * format and opened read-only (what --export does) and for writing (what the
 * app does at start-up: recovery included, the rewrite goes to memory):
 *   - clean: 1,000,000 records;
 *   - crafted: 100 records, then a damaged stretch repeating 00 10 00 00 (a
 *     frame length of 4096 every 4 bytes, the costliest bytes for a search
 *     that checks each offset), then 100 more records, 8 MB and 32 MB in all.
 * Each figure is the best of a few runs in CPU time (the machine may be busy
 * with other work); the 32 MB : 8 MB ratio near 4 means
 * the cost grows linearly with the file. Nothing is asserted: the numbers are
 * for people (tests check behaviour, not speed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchhist.h"
#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "history.dat"
#define EDGE_RECORDS 100u

static unsigned char *crafted_file(size_t size, size_t *len)
{
    unsigned char *f = malloc(size);
    if (f == NULL)
        return NULL;
    size_t at = bench_header(f, 0, 2 * EDGE_RECORDS + 1);
    for (uint64_t i = 1; i <= EDGE_RECORDS; i++)
        at += bench_frame(f + at, i, 0x3u);
    size_t damage_end = size - EDGE_RECORDS * OF_HISTORY_FRAME_SIZE;
    static const unsigned char pattern[4] = {0x00, 0x10, 0x00, 0x00};
    for (size_t k = 0; at < damage_end; k++)
        f[at++] = pattern[k % 4];
    for (uint64_t i = EDGE_RECORDS + 1; i <= 2 * EDGE_RECORDS; i++)
        at += bench_frame(f + at, i, 0x3u);
    *len = at;
    return f;
}

/* Best time of runs opens of the file; records loaded in *records. */
static double time_open(const unsigned char *file, size_t len, unsigned flags, int runs, size_t *records)
{
    double best = -1.0;
    for (int i = 0; i < runs; i++) {
        memfs *m = memfs_new();
        if (m == NULL || memfs_put(m, PATH, file, len) != 0) {
            memfs_free(m);
            return -1.0;
        }
        of_history *h = NULL;
        of_history_report rep;
        double t0 = bench_cpu_ms();
        of_history_err err = of_history_open(&h, memfs_fs(m), PATH, flags, BENCH_NOW_MS, &rep);
        double t = bench_cpu_ms() - t0;
        *records = err == OF_HISTORY_OK ? of_history_count(h) : 0;
        of_history_close(h);
        memfs_free(m);
        if (err != OF_HISTORY_OK)
            return -1.0;
        if (best < 0 || t < best)
            best = t;
        if (t > 5000.0) /* one run of something this slow says enough */
            break;
    }
    return best;
}

static void row(const char *what, const unsigned char *file, size_t len, int runs, double out[2])
{
    size_t ro_records = 0, rw_records = 0;
    out[0] = time_open(file, len, OF_HISTORY_READONLY, runs, &ro_records);
    out[1] = time_open(file, len, 0, runs, &rw_records);
    printf("  %-34s %6.1f MB %10.1f ms %10.1f ms %9zu\n", what, (double)len / MB, out[0], out[1], rw_records);
}

int main(void)
{
    size_t len;
    double clean[2], small[2], big[2];

    printf("history open (native, CPU time, best of a few runs)\n");
    printf("  %-34s %9s %13s %13s %9s\n", "file", "size", "read-only", "for writing", "records");

    unsigned char *f = bench_history(0, 1000000, 0x3u, &len);
    if (f == NULL)
        return 1;
    row("clean, 1,000,000 records", f, len, 5, clean);
    free(f);

    f = crafted_file(8 * MB, &len);
    if (f == NULL)
        return 1;
    row("crafted damage (00 10 00 00), 8 MB", f, len, 3, small);
    free(f);

    f = crafted_file(32 * MB, &len);
    if (f == NULL)
        return 1;
    row("crafted damage (00 10 00 00), 32 MB", f, len, 3, big);
    free(f);

    if (small[0] > 0 && small[1] > 0)
        printf("  32 MB : 8 MB ratio %.2f (read-only), %.2f (for writing); 4 is linear\n", big[0] / small[0],
               big[1] / small[1]);
    printf("  crafted 8 MB per MB: %.1f ms (read-only)\n", small[0] / 8.0);
    return 0;
}
