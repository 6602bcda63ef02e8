/* ofnotify benchmarks: history files and the clock. See benchhist.h. */
#define _POSIX_C_SOURCE 200809L
#include "benchhist.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofnotify/crc32.h"
#include "ofnotify/history.h"

double bench_cpu_ms(void)
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

size_t bench_header(unsigned char *p, uint16_t minor, uint64_t next_seq)
{
    memcpy(p, "OFNHIST\0", 8);
    put_le(p + 8, 1, 2);
    put_le(p + 10, minor, 2);
    put_le(p + 12, OF_HISTORY_HEADER_SIZE, 4);
    put_le(p + 16, next_seq, 8);
    put_le(p + 24, of_crc32(p, 24), 4);
    return OF_HISTORY_HEADER_SIZE;
}

size_t bench_frame(unsigned char *p, uint64_t seq, uint32_t flags)
{
    int64_t done = BENCH_NOW_MS - INT64_C(60000) * 2000000 + (int64_t)seq * 60000;
    put_le(p, OF_HISTORY_PAYLOAD_SIZE, 4);
    put_le(p + 4, seq, 8);
    put_le(p + 12, (uint64_t)(done - 1500), 8);
    put_le(p + 20, (uint64_t)done, 8);
    put_le(p + 28, 1500, 8);
    put_le(p + 36, flags, 4);
    put_le(p + 40, flags, 4);
    p[44] = 0;
    p[45] = 0;
    put_le(p + 46, of_crc32(p, 46), 4);
    return OF_HISTORY_FRAME_SIZE;
}

unsigned char *bench_history(uint16_t minor, size_t n, uint32_t flags, size_t *len)
{
    unsigned char *f = malloc(OF_HISTORY_HEADER_SIZE + n * OF_HISTORY_FRAME_SIZE);
    if (f == NULL)
        return NULL;
    size_t at = bench_header(f, minor, n + 1);
    for (size_t i = 1; i <= n; i++)
        at += bench_frame(f + at, i, flags);
    *len = at;
    return f;
}
