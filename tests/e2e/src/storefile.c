/* storefile: writes and reads the files of tests/e2e/store-faults byte by
 * byte, as history.h and journal.h document them (host tool, built with core).
 *
 *   storefile history FILE MAJOR NEXT_SEQ FIRST_SEQ COUNT
 *       a history file with COUNT records numbered FIRST_SEQ.., the header
 *       saying MAJOR and NEXT_SEQ; record i has flags 0x00010006 | i << 18 and
 *       ended yesterday
 *   storefile tempname TEMPDIR DATADIR
 *       the journal the app uses in the temporary folder for DATADIR
 *   storefile flags FILE
 *       the flags of every record of a history or journal file, one a line
 *       (0x%08X); exit code 1 if any frame does not verify or bytes are left */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofnotify/crc32.h"
#include "ofnotify/journal.h"

static void le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static int write_history(const char *path, unsigned major, uint64_t next_seq, uint64_t first, unsigned count)
{
    unsigned char hdr[28], fr[50];
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    memset(hdr, 0, sizeof(hdr));
    memcpy(hdr, "OFNHIST", 8);
    le(hdr + 8, major, 2);
    le(hdr + 10, 0, 2);
    le(hdr + 12, 28, 4);
    le(hdr + 16, next_seq, 8);
    le(hdr + 24, of_crc32(hdr, 24), 4);
    fwrite(hdr, 1, sizeof(hdr), f);
    for (unsigned i = 0; i < count; i++) {
        /* Yesterday, one a minute: inside any retention the app applies. */
        int64_t start = ((int64_t)time(NULL) - 86400) * 1000 + (int64_t)i * 60000;
        le(fr, 42, 4);
        le(fr + 4, first + i, 8);
        le(fr + 12, (uint64_t)start, 8);
        le(fr + 20, (uint64_t)(start + 1500), 8);
        le(fr + 28, 1500, 8);
        le(fr + 36, 0x00010006u | ((uint32_t)i << 18), 4);
        le(fr + 40, 0x00010006u | ((uint32_t)i << 18), 4);
        fr[44] = 0; /* completed */
        fr[45] = 0;
        le(fr + 46, of_crc32(fr, 46), 4);
        fwrite(fr, 1, sizeof(fr), f);
    }
    return fclose(f) != 0;
}

static int print_flags(const char *path)
{
    static unsigned char buf[1 << 24];
    FILE *f = fopen(path, "rb");
    size_t len, at;
    if (!f)
        return 1;
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (len >= 28 && !memcmp(buf, "OFNHIST", 8))
        at = (size_t)get(buf + 12, 4);
    else if (len >= 20 && !memcmp(buf, "OFNJRNL", 8))
        at = (size_t)get(buf + 12, 4);
    else
        return 1;
    while (at + 8 <= len) {
        size_t plen = (size_t)get(buf + at, 4);
        if (plen < 42 || at + 8 + plen > len || of_crc32(buf + at, 4 + plen) != get(buf + at + 4 + plen, 4))
            return 1;
        printf("0x%08" PRIX32 "\n", (uint32_t)get(buf + at + 4 + 32, 4));
        at += 8 + plen;
    }
    return at != len;
}

int main(int argc, char **argv)
{
    if (argc == 7 && !strcmp(argv[1], "history"))
        return write_history(argv[2], (unsigned)strtoul(argv[3], NULL, 0), strtoull(argv[4], NULL, 0),
                             strtoull(argv[5], NULL, 0), (unsigned)strtoul(argv[6], NULL, 0));
    if (argc == 4 && !strcmp(argv[1], "tempname")) {
        static char name[4096];
        if (of_journal_temp_name(name, sizeof(name), argv[2], '\\', argv[3]) != 0)
            return 1;
        printf("%s\n", name);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "flags"))
        return print_flags(argv[2]);
    fprintf(stderr, "usage: storefile history FILE MAJOR NEXT_SEQ FIRST_SEQ COUNT | tempname TEMPDIR DATADIR | "
                    "flags FILE\n");
    return 2;
}
