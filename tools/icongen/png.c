/* icongen: PNG encoder and decoder (png.h). Chunk checksums are core's CRC-32 (src/core/crc32.c), the
 * one PNG specifies; deflate and inflate are zlib's, a build-host library only: nothing of it reaches
 * the program, which embeds the finished files. */
#include "png.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ofnotify/crc32.h"

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

enum { F_NONE, F_SUB, F_UP, F_AVG, F_PAETH, F_COUNT };

static unsigned paeth(unsigned a, unsigned b, unsigned c)
{
    int p = (int)a + (int)b - (int)c;
    int pa = abs(p - (int)a), pb = abs(p - (int)b), pc = abs(p - (int)c);
    if (pa <= pb && pa <= pc)
        return a;
    return pb <= pc ? b : c;
}

/* The predictor of byte i of a row for filter f: a is the byte one pixel left, b the one above, c the
 * one above-left (0 outside the image), as the PNG specification defines them. */
static unsigned predict(int f, const unsigned char *row, const unsigned char *prev, size_t i, size_t bpp)
{
    unsigned a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0, c = prev && i >= bpp ? prev[i - bpp] : 0;
    switch (f) {
    case F_SUB:
        return a;
    case F_UP:
        return b;
    case F_AVG:
        return (a + b) / 2;
    case F_PAETH:
        return paeth(a, b, c);
    default:
        return 0;
    }
}

/* Each row takes the filter whose output has the smallest sum of absolute (signed) values, the
 * heuristic the PNG specification recommends: it is what lets deflate find the icon's smooth areas. */
static void filter_rows(unsigned char *raw, const unsigned char *px, int w, int h, size_t bpp)
{
    size_t stride = (size_t)w * bpp;
    for (int y = 0; y < h; y++) {
        const unsigned char *row = px + (size_t)y * stride, *prev = y ? row - stride : NULL;
        unsigned char *out = raw + (size_t)y * (stride + 1);
        unsigned long best_cost = ~0ul;
        for (int f = F_NONE; f < F_COUNT; f++) {
            unsigned long cost = 0;
            for (size_t i = 0; i < stride; i++) {
                unsigned char d = (unsigned char)(row[i] - predict(f, row, prev, i, bpp));
                cost += d < 128 ? d : 256u - d;
            }
            if (cost < best_cost) {
                best_cost = cost;
                out[0] = (unsigned char)f;
            }
        }
        for (size_t i = 0; i < stride; i++)
            out[1 + i] = (unsigned char)(row[i] - predict(out[0], row, prev, i, bpp));
    }
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

int png_encode(buf *out, const unsigned char *px, int w, int h, int channels)
{
    size_t bpp = (size_t)channels, raw_len = (size_t)h * ((size_t)w * bpp + 1);
    uLongf z_len = compressBound((uLong)raw_len);
    unsigned char *raw = malloc(raw_len), *z = malloc(z_len);
    buf ihdr = {0};
    int rc = -1;
    if (!raw || !z) {
        fprintf(stderr, "icongen: out of memory encoding a PNG\n");
        goto done;
    }
    filter_rows(raw, px, w, h, bpp);
    if (compress2(z, &z_len, raw, (uLong)raw_len, Z_BEST_COMPRESSION) != Z_OK) {
        fprintf(stderr, "icongen: zlib could not deflate a PNG's image data\n");
        goto done;
    }
    put32be(&ihdr, (uint32_t)w), put32be(&ihdr, (uint32_t)h);
    put8(&ihdr, 8), put8(&ihdr, channels == 4 ? 6u : 2u); /* 8 bits per sample; RGBA or RGB */
    put8(&ihdr, 0), put8(&ihdr, 0), put8(&ihdr, 0);       /* deflate, adaptive filtering, no interlace */
    put(out, png_sig, sizeof png_sig);
    if (!ihdr.failed) {
        png_chunk(out, "IHDR", ihdr.p, ihdr.len);
        png_chunk(out, "IDAT", z, z_len);
        png_chunk(out, "IEND", NULL, 0);
    }
    if (ihdr.failed || out->failed)
        fprintf(stderr, "icongen: out of memory encoding a PNG\n");
    else
        rc = 0;
done:
    free(raw), free(z), free(ihdr.p);
    return rc;
}

int write_png(const char *path, const unsigned char *rgb, int w, int h)
{
    buf out = {0};
    int rc = png_encode(&out, rgb, w, h, 3) == 0 ? write_file(path, &out) : -1;
    free(out.p);
    return rc;
}

/* Reverses filter_rows: raw holds h rows, each a filter type byte and the filtered bytes; px gets the
 * pixels. 0, or -1 on an unknown filter type. */
static int unfilter_rows(unsigned char *px, const unsigned char *raw, int w, int h, size_t bpp)
{
    size_t stride = (size_t)w * bpp;
    for (int y = 0; y < h; y++) {
        const unsigned char *in = raw + (size_t)y * (stride + 1);
        unsigned char *row = px + (size_t)y * stride, *prev = y ? row - stride : NULL;
        if (in[0] >= F_COUNT)
            return -1;
        for (size_t i = 0; i < stride; i++)
            row[i] = (unsigned char)(in[1 + i] + predict(in[0], row, prev, i, bpp));
    }
    return 0;
}

unsigned char *png_decode(const unsigned char *p, size_t len, int *w, int *h, int *channels, const char **why)
{
    uint32_t width = 0, height = 0;
    int bpp = 0, seen_end = 0;
    buf z = {0};
    unsigned char *raw = NULL, *px = NULL;
    *why = NULL;
    if (len < sizeof png_sig || memcmp(p, png_sig, sizeof png_sig) != 0) {
        *why = "no PNG signature";
        goto done;
    }
    for (size_t pos = sizeof png_sig; pos < len && !seen_end;) {
        if (len - pos < 12) {
            *why = "truncated chunk";
            goto done;
        }
        uint32_t n = get32be(p + pos);
        if (n > len - pos - 12) {
            *why = "chunk runs past the end";
            goto done;
        }
        const unsigned char *type = p + pos + 4, *data = type + 4;
        if (of_crc32(type, (size_t)n + 4) != get32be(data + n)) {
            *why = "chunk CRC mismatch";
            goto done;
        }
        int first = pos == sizeof png_sig, is_ihdr = memcmp(type, "IHDR", 4) == 0;
        if (first != is_ihdr) {
            *why = "IHDR is not the first chunk";
            goto done;
        }
        if (is_ihdr) {
            if (n != 13 || data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[10] || data[11] || data[12]) {
                *why = "IHDR is not 8-bit RGB or RGBA, deflate, adaptive filtering, not interlaced";
                goto done;
            }
            width = get32be(data), height = get32be(data + 4), bpp = data[9] == 6 ? 4 : 3;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            put(&z, data, n);
        } else if (memcmp(type, "IEND", 4) == 0) {
            seen_end = pos + 12 + n == len;
            if (!seen_end) {
                *why = "data after IEND";
                goto done;
            }
        }
        pos += 12 + (size_t)n;
    }
    if (!seen_end || width == 0 || height == 0 || width > 65536 || height > 65536 || z.failed || z.len == 0) {
        *why = "missing IHDR, IDAT or IEND";
        goto done;
    }
    uLongf raw_len = (uLongf)height * ((uLongf)width * (uLongf)bpp + 1), got = raw_len + 1;
    /* One byte more than expected, so a stream that inflates to too much is caught, not cut short. */
    raw = malloc(got);
    px = malloc((size_t)width * height * (size_t)bpp);
    if (!raw || !px) {
        *why = "out of memory";
        goto done;
    }
    if (uncompress(raw, &got, z.p, (uLong)z.len) != Z_OK || got != raw_len) {
        *why = "image data does not inflate to exactly its rows";
        goto done;
    }
    if (unfilter_rows(px, raw, (int)width, (int)height, (size_t)bpp) != 0) {
        *why = "unknown row filter type";
        goto done;
    }
    *w = (int)width, *h = (int)height, *channels = bpp;
done:
    free(z.p), free(raw);
    if (*why) {
        free(px);
        px = NULL;
    }
    return px;
}
