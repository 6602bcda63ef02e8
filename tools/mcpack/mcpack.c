/*
 * mcpack: stores each text of a compiled message table that is plain ASCII in one byte per character.
 *
 *   mcpack FILE...   rewrite each FILE (windmc's MSGxxxxx.bin) in place
 *
 * windmc -U writes every text of the Event Log's message table (res/messages.mc) as UTF-16, two bytes a
 * character. A MESSAGETABLE entry says per text whether it is UTF-16 (MESSAGE_RESOURCE_UNICODE) or in the
 * ANSI code page; every ANSI code page Windows has keeps ASCII as it is, so a text of ASCII characters
 * only reads the same from either form, on every system, and takes half the room in the form without the
 * flag. Texts with any other character (the German umlauts) stay UTF-16. Entries already in one byte
 * per character are kept as they are, so running it twice changes nothing.
 *
 * The layout (winnt.h): MESSAGE_RESOURCE_DATA is a DWORD count of blocks, then per block DWORDs LowId,
 * HighId and the offset of its first entry; each entry is a WORD length (of the whole entry, a multiple
 * of 4), a WORD of flags and the NUL-terminated text, padded with NULs. Everything is little-endian.
 *
 * It runs on the build host (Linux, or MSYS2 on Windows): portable C11, no Windows headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_UNICODE 0x0001u
#define BLOCKS_MAX 4096u
#define FILE_MAX (16u * 1024u * 1024u)

typedef struct bytes {
    unsigned char *p;
    size_t len, cap;
} bytes;

static uint32_t get16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return get16(p) | get16(p + 2) << 16;
}

static void set32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static int put(bytes *b, const void *src, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        unsigned char *p;
        while (cap < b->len + n)
            cap *= 2;
        if (!(p = realloc(b->p, cap)))
            return -1;
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, src, n);
    b->len += n;
    return 0;
}

static int put16(bytes *b, uint32_t v)
{
    unsigned char le[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    return put(b, le, 2);
}

/* The characters of a UTF-16 entry's text, before its NUL; -1 when one is not ASCII. */
static long ascii_chars(const unsigned char *text, size_t cap)
{
    size_t n = 0;
    for (; n + 1 < cap; n += 2) {
        uint32_t c = get16(text + n);
        if (c == 0)
            return (long)(n / 2);
        if (c >= 0x80)
            return -1;
    }
    return -1; /* no NUL: kept as it is */
}

/* Appends one entry to out, in one byte per character when its text allows. */
static int pack_entry(bytes *out, const unsigned char *entry, uint32_t length)
{
    uint32_t flags = get16(entry + 2);
    long chars = flags & FLAG_UNICODE ? ascii_chars(entry + 4, length - 4) : -1;
    static const unsigned char zeros[4];
    uint32_t packed;
    if (chars < 0)
        return put(out, entry, length);
    packed = (4u + (uint32_t)chars + 1u + 3u) & ~3u;
    if (put16(out, packed) || put16(out, flags & ~FLAG_UNICODE))
        return -1;
    for (long i = 0; i < chars; i++) {
        unsigned char c = entry[4 + 2 * i];
        if (put(out, &c, 1))
            return -1;
    }
    return put(out, zeros, packed - 4u - (uint32_t)chars);
}

/* in → out, or a reason. Blocks are rewritten in their order; their entries follow the block table. */
static const char *pack(const unsigned char *in, size_t len, bytes *out)
{
    uint32_t blocks;
    size_t table;
    if (len < 4 || (blocks = get32(in)) == 0 || blocks > BLOCKS_MAX || len < 4 + 12 * (size_t)blocks)
        return "not a message table (block count)";
    table = 4 + 12 * (size_t)blocks;
    if (put(out, in, table))
        return "out of memory";
    for (uint32_t b = 0; b < blocks; b++) {
        const unsigned char *blk = in + 4 + 12 * b;
        uint32_t low = get32(blk), high = get32(blk + 4);
        size_t at = get32(blk + 8);
        if (high < low || high - low >= 65536)
            return "a block's IDs are out of order";
        set32(out->p + 4 + 12 * b + 8, (uint32_t)out->len);
        for (uint32_t id = low;; id++) {
            uint32_t length;
            if (at > len || len - at < 4)
                return "an entry lies outside the file";
            length = get16(in + at);
            if (length < 4 || length % 4 || length > len - at)
                return "an entry's length is wrong";
            if (pack_entry(out, in + at, length))
                return "out of memory";
            at += length;
            if (id == high)
                break;
        }
    }
    return NULL;
}

static int read_file(const char *path, bytes *b)
{
    FILE *f = fopen(path, "rb");
    unsigned char chunk[4096];
    size_t n;
    int rc = f ? 0 : -1;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = b->len + n > FILE_MAX ? -1 : put(b, chunk, n);
    if (f && ferror(f))
        rc = -1;
    if (f)
        fclose(f);
    return rc;
}

/* Through a temporary file beside it, so a failure never leaves half a table. */
static int write_file(const char *path, const bytes *b)
{
    char tmp[4096];
    FILE *f;
    int ok;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp || !(f = fopen(tmp, "wb")))
        return -1;
    ok = fwrite(b->p, 1, b->len, f) == b->len;
    ok = fclose(f) == 0 && ok;
    remove(path); /* rename does not replace a file on Windows */
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

static int pack_file(const char *path)
{
    bytes in = {0}, out = {0};
    const char *why = read_file(path, &in) == 0 ? pack(in.p, in.len, &out) : "cannot be read";
    if (!why && write_file(path, &out) != 0)
        why = "cannot be written";
    if (why)
        fprintf(stderr, "mcpack: %s: %s\n", path, why);
    free(in.p);
    free(out.p);
    return why ? 1 : 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: mcpack FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        rc |= pack_file(argv[i]);
    return rc;
}
