/* icongen: bytes, files and the two image formats it writes (imagefile.h). */
#include "imagefile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"

/* ------------------------------------------------------------------------------------------------
 * Byte buffer with little- and big-endian writers (ICO is little-endian, PNG big-endian).
 */
void put(buf *b, const void *data, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

void put8(buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    put(b, &c, 1);
}

void put16le(buf *b, unsigned v)
{
    put8(b, v & 0xFFu), put8(b, (v >> 8) & 0xFFu);
}

void put32le(buf *b, uint32_t v)
{
    put16le(b, v & 0xFFFFu), put16le(b, (v >> 16) & 0xFFFFu);
}

void put32be(buf *b, uint32_t v)
{
    put8(b, (v >> 24) & 0xFFu), put8(b, (v >> 16) & 0xFFu), put8(b, (v >> 8) & 0xFFu), put8(b, v & 0xFFu);
}

unsigned get16le(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

uint32_t get32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t get32be(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int write_file(const char *path, const buf *b)
{
    if (b->failed) {
        fprintf(stderr, "icongen: out of memory building %s\n", path);
        return -1;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "icongen: cannot create %s\n", path);
        return -1;
    }
    size_t n = fwrite(b->p, 1, b->len, fp);
    int bad = n != b->len;
    bad |= fclose(fp) != 0;
    if (bad) {
        fprintf(stderr, "icongen: cannot write %s\n", path);
        remove(path);
        return -1;
    }
    return 0;
}

/* Reads a whole file; returns NULL (and says why) on failure. */
unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "icongen: cannot open %s\n", path);
        return NULL;
    }
    buf b = {0};
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        put(&b, chunk, n);
    int err = ferror(fp);
    fclose(fp);
    if (err || b.failed) {
        fprintf(stderr, "icongen: cannot read %s\n", path);
        free(b.p);
        return NULL;
    }
    *len = b.len;
    if (!b.p)
        b.p = malloc(1);
    return b.p;
}

/* ------------------------------------------------------------------------------------------------
 * ICO: ICONDIR, one 16-byte ICONDIRENTRY per size, then per size a BITMAPINFOHEADER (height doubled:
 * colour + mask), bottom-up 32-bit BGRA with straight alpha, and a 1-bit AND mask (rows padded to 32
 * bits) whose bit is set where the pixel is fully transparent, for programs that ignore alpha.
 */
uint32_t mask_stride(int size)
{
    return (uint32_t)((size + 31) / 32) * 4u;
}

uint32_t dib_bytes(int size)
{
    return BIH_SIZE + (uint32_t)size * (uint32_t)size * 4u + mask_stride(size) * (uint32_t)size;
}

/* One pixel as straight-alpha 8-bit BGRA. */
void pixel_bgra(const canvas *c, int x, int y, unsigned char out[4])
{
    const float *p = &c->p[4 * (y * c->size + x)];
    float a = p[3] > 1 ? 1 : p[3];
    unsigned a8 = (unsigned)lrintf(a * 255.0f);
    if (a8 == 0) {
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    for (int i = 0; i < 3; i++) {
        float v = p[2 - i] / a;
        v = v < 0 ? 0 : (v > 1 ? 1 : v);
        out[i] = (unsigned char)lrintf(v * 255.0f);
    }
    out[3] = (unsigned char)a8;
}

int write_ico(const char *path, canvas *const *img, int n)
{
    buf b = {0};
    put16le(&b, 0); /* reserved */
    put16le(&b, 1); /* type: icon */
    put16le(&b, (unsigned)n);
    uint32_t offset = ICONDIR_SIZE + ICONENTRY_SIZE * (uint32_t)n;
    for (int i = 0; i < n; i++) {
        int s = img[i]->size;
        put8(&b, s >= 256 ? 0 : (unsigned)s); /* 0 means 256 */
        put8(&b, s >= 256 ? 0 : (unsigned)s);
        put8(&b, 0); /* no palette */
        put8(&b, 0);
        put16le(&b, 1);  /* planes */
        put16le(&b, 32); /* bits per pixel */
        put32le(&b, dib_bytes(s));
        put32le(&b, offset);
        offset += dib_bytes(s);
    }
    for (int i = 0; i < n; i++) {
        const canvas *c = img[i];
        int s = c->size;
        put32le(&b, BIH_SIZE);
        put32le(&b, (uint32_t)s);
        put32le(&b, (uint32_t)s * 2u);
        put16le(&b, 1);
        put16le(&b, 32);
        put32le(&b, 0); /* BI_RGB */
        put32le(&b, dib_bytes(s) - BIH_SIZE);
        put32le(&b, 0), put32le(&b, 0), put32le(&b, 0), put32le(&b, 0);
        for (int y = s - 1; y >= 0; y--)
            for (int x = 0; x < s; x++) {
                unsigned char px[4];
                pixel_bgra(c, x, y, px);
                put(&b, px, 4);
            }
        for (int y = s - 1; y >= 0; y--) {
            unsigned char row[MAX_PX / 8 + 4] = {0};
            for (int x = 0; x < s; x++) {
                unsigned char px[4];
                pixel_bgra(c, x, y, px);
                if (px[3] == 0)
                    row[x / 8] |= (unsigned char)(0x80u >> (x % 8));
            }
            put(&b, row, mask_stride(s));
        }
    }
    int rc = write_file(path, &b);
    free(b.p);
    return rc;
}

/* ------------------------------------------------------------------------------------------------
 * PNG with stored (uncompressed) deflate blocks: no compressor needed, the preview is only for people.
 * Chunk checksums are core's CRC-32 (src/core/crc32.c), the one PNG specifies.
 */
uint32_t adler32_of(const unsigned char *p, size_t n)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return b << 16 | a;
}

static void png_chunk(buf *out, const char type[4], const unsigned char *data, size_t n)
{
    put32be(out, (uint32_t)n);
    size_t start = out->len;
    put(out, type, 4);
    if (n)
        put(out, data, n);
    if (!out->failed)
        put32be(out, of_crc32(out->p + start, n + 4));
}

/* rgb: w*h*3 bytes, top row first. */
int write_png(const char *path, const unsigned char *rgb, int w, int h)
{
    buf raw = {0}, z = {0}, ihdr = {0}, out = {0};
    for (int y = 0; y < h; y++) {
        put8(&raw, 0); /* filter: none */
        put(&raw, rgb + (size_t)y * (size_t)w * 3u, (size_t)w * 3u);
    }
    put8(&z, 0x78), put8(&z, 0x01); /* zlib: deflate, 32K window, check bits */
    size_t pos = 0;
    do {
        size_t n = raw.len - pos > 65535u ? 65535u : raw.len - pos;
        put8(&z, pos + n == raw.len ? 1u : 0u); /* BFINAL, BTYPE 00 = stored */
        put16le(&z, (unsigned)n), put16le(&z, (unsigned)(~n & 0xFFFFu));
        if (n)
            put(&z, raw.p + pos, n);
        pos += n;
    } while (pos < raw.len);
    put32be(&z, adler32_of(raw.p, raw.len));
    put32be(&ihdr, (uint32_t)w), put32be(&ihdr, (uint32_t)h);
    put8(&ihdr, 8), put8(&ihdr, 2), put8(&ihdr, 0), put8(&ihdr, 0), put8(&ihdr, 0); /* 8-bit RGB */
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    put(&out, sig, 8);
    int rc = -1;
    if (!raw.failed && !z.failed && !ihdr.failed) {
        png_chunk(&out, "IHDR", ihdr.p, ihdr.len);
        png_chunk(&out, "IDAT", z.p, z.len);
        png_chunk(&out, "IEND", NULL, 0);
        rc = write_file(path, &out);
    } else {
        fprintf(stderr, "icongen: out of memory building %s\n", path);
    }
    free(raw.p), free(z.p), free(ihdr.p), free(out.p);
    return rc;
}

int join_path(char *out, size_t cap, const char *dir, const char *name, const char *ext)
{
    int n = snprintf(out, cap, "%s/%s%s", dir, name, ext);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "icongen: path too long: %s/%s%s\n", dir, name, ext);
        return -1;
    }
    return 0;
}
