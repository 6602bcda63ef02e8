/* ofnotify fuzzing: writes the history fuzzer's seed files.
 *
 *   mkseeds DIR
 *
 * Each seed is a history file as the store writes it (through the store
 * itself, on the in-memory file system), then damaged the way the loader
 * must cope with: a torn append, a zero-filled end, a flipped byte, a
 * broken header, a newer version, records out of order, seq numbers at the
 * limit, a longer header and payload from a newer minor, Sync now records
 * (1.2) and an older minor to migrate, a foreign file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histframe.h"
#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "history.dat"
#define NOW INT64_C(1800000000000)

static const char *out_dir;

static void die(const char *what)
{
    fprintf(stderr, "mkseeds: %s\n", what);
    exit(1);
}

static void save(const char *name, const unsigned char *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die(path);
}

/* A history of n records written by the store: varied flags, statuses,
 * reasons and times. Returns a copy of the file. */
static unsigned char *store_file(size_t n, size_t *len)
{
    memfs *m = memfs_new();
    of_history *h = NULL;
    if (m == NULL || of_history_open(&h, memfs_fs(m), PATH, 0, NOW, NULL) != OF_HISTORY_OK)
        die("cannot create a history");
    for (size_t i = 0; i < n; i++) {
        uint8_t status = (uint8_t)(i % OF_STATUS_COUNT);
        of_record r = {
            .started_ms = status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : NOW - 86400000 * (int64_t)(n - i),
            .completed_ms = NOW - 86400000 * (int64_t)(n - i) + 1500 * (int64_t)i,
            .duration_ms = status == OF_STATUS_UNPAIRED ? 0 : 1500 * (uint64_t)i,
            .flags = i % 2 ? 0x00010006u : 0x30010003u,
            .begin_flags = i % 2 ? 0x00010006u : 0x30010003u,
            .status = status,
            .reason = status == OF_STATUS_INTERRUPTED ? (uint8_t)(1 + i % (OF_REASON_COUNT - 1)) : 0,
            .origin = i % 4 == 3 ? OF_ORIGIN_SYNC_NOW : OF_ORIGIN_BACKGROUND,
        };
        if (of_history_append(h, &r) != OF_HISTORY_OK)
            die("cannot append");
    }
    of_history_close(h);
    const unsigned char *d = memfs_get(m, PATH, len);
    unsigned char *copy = malloc(*len + OF_HISTFRAME_MAX);
    if (d == NULL || copy == NULL)
        die("no file");
    memcpy(copy, d, *len);
    memfs_free(m);
    return copy;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Recomputes the CRC of the header (len bytes) after an edit. */
static void seal_header(unsigned char *p, uint32_t len)
{
    put_u32(p + 12, len);
    put_u32(p + len - 4, of_crc32(p, len - 4));
}

static void frame(unsigned char *out, uint64_t seq)
{
    of_record r = {.seq = seq, .started_ms = NOW - 2000, .completed_ms = NOW, .duration_ms = 2000,
                   .flags = 0x6, .begin_flags = 0x6};
    (void)of_histframe_encode(out, &r, 0);
}

int main(int argc, char **argv)
{
    size_t len;
    unsigned char *d;
    if (argc != 2)
        die("usage: mkseeds DIR");
    out_dir = argv[1];

    d = store_file(0, &len);
    save("empty", d, len);
    free(d);

    d = store_file(6, &len);
    save("six", d, len);
    /* An append cut short, and the zeros a crash can leave instead. */
    save("torn", d, len - 17);
    memset(d + len - OF_HISTORY_FRAME_SIZE, 0, OF_HISTORY_FRAME_SIZE);
    save("zero-tail", d, len);
    free(d);

    d = store_file(5, &len);
    d[OF_HISTORY_HEADER_SIZE + OF_HISTORY_FRAME_SIZE + 9] ^= 0x40; /* record 2's payload */
    save("damaged-middle", d, len);
    d[OF_HISTORY_HEADER_SIZE + OF_HISTORY_FRAME_SIZE + 9] ^= 0x40;
    d[20] ^= 0x01; /* the header's next_seq, so its CRC fails */
    save("bad-header", d, len);
    d[20] ^= 0x01;
    d[8] = 2; /* major 2 */
    seal_header(d, OF_HISTORY_HEADER_SIZE);
    save("newer-major", d, len);
    free(d);

    /* A copy of an old record between good ones. */
    d = store_file(3, &len);
    memcpy(d + len, d + OF_HISTORY_HEADER_SIZE + OF_HISTORY_FRAME_SIZE, OF_HISTORY_FRAME_SIZE);
    len += OF_HISTORY_FRAME_SIZE;
    frame(d + len, 4);
    len += OF_HISTORY_FRAME_SIZE;
    save("out-of-order", d, len);
    free(d);

    /* Numbering at its end: the store must refuse to go on, not wrap. */
    d = store_file(1, &len);
    frame(d + len, UINT64_MAX - 1);
    save("seq-near-limit", d, len + OF_HISTORY_FRAME_SIZE);
    frame(d + len, UINT64_MAX);
    save("seq-limit", d, len + OF_HISTORY_FRAME_SIZE);
    free(d);

    /* A newer minor: a longer header and a longer payload, to be skipped. */
    {
        unsigned char f[OF_HISTORY_HEADER_SIZE + 8 + 8 + OF_HISTORY_PAYLOAD_SIZE + 6 + 4];
        unsigned char *p = f + OF_HISTORY_HEADER_SIZE + 8;
        uint32_t plen = OF_HISTORY_PAYLOAD_SIZE + 6;
        of_histframe_encode_header(f, 9);
        memmove(f + 24 + 8, f + 24, 4);
        memset(f + 24, 0xEE, 8);
        f[10] = 3; /* minor 3 */
        seal_header(f, OF_HISTORY_HEADER_SIZE + 8);
        frame(p, 7);
        put_u32(p, plen);
        memset(p + 4 + OF_HISTORY_PAYLOAD_SIZE, 0x5A, 6);
        put_u32(p + 4 + plen, of_crc32(p, 4 + plen));
        save("newer-minor", f, sizeof f);
    }

    /* 1.2: Sync now records among background ones, and the same file as an
     * older minor (1.1) would hold it, which a writer migrates. */
    d = store_file(8, &len);
    save("sync-now", d, len);
    d[10] = 1;
    seal_header(d, OF_HISTORY_HEADER_SIZE);
    save("older-minor", d, len);
    free(d);

    save("foreign", (const unsigned char *)"date,direction\r\n", 16);
    save("magic-only", (const unsigned char *)"OFNHIST", 8);
    return 0;
}
