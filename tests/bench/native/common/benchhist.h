/* ofnotify benchmarks: what the native history benchmarks share: a CPU
 * clock, and history files built byte by byte in the documented format
 * (history.h), apart from core's own writer. */
#ifndef OFNOTIFY_BENCHHIST_H
#define OFNOTIFY_BENCHHIST_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_NOW_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define MB (1024u * 1024u)

/* CPU time of this process, in ms. */
double bench_cpu_ms(void);

/* A major 1 header of this minor with next_seq; returns its size. */
size_t bench_header(unsigned char *p, uint16_t minor, uint64_t next_seq);

/* A background record's frame (the same in 1.0, 1.1 and 1.2) for record
 * seq with these flags, one minute after the one before; returns its size. */
size_t bench_frame(unsigned char *p, uint64_t seq, uint32_t flags);

/* A history of records 1..n in a new buffer (free() it), NULL when out of
 * memory. */
unsigned char *bench_history(uint16_t minor, size_t n, uint32_t flags, size_t *len);

#endif
