/* icongen: bytes, files and the two image formats it writes (imagefile.h). */
#include "imagefile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png.h"

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

int write_file(const char *path, const buf *b)
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
 * ICO: ICONDIR, one 16-byte ICONDIRENTRY per size, then the images in the same order, each a PNG (RGBA,
 * straight alpha). Windows reads PNG frames of any size since Vista and makes the AND mask from the
 * alpha channel itself; the whole icon set is 27 KB where 32-bit DIBs with masks took 394 KB of the
 * program (the 256-px app frame alone 270 KB).
 */
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

static int put_png(buf *b, const canvas *c)
{
    int s = c->size;
    unsigned char *pixels = malloc((size_t)s * (size_t)s * 4u);
    if (!pixels) {
        fprintf(stderr, "icongen: out of memory\n");
        return -1;
    }
    for (int y = 0; y < s; y++)
        for (int x = 0; x < s; x++) {
            unsigned char *px = pixels + 4 * ((size_t)y * (size_t)s + (size_t)x), bgra[4];
            pixel_bgra(c, x, y, bgra);
            px[0] = bgra[2], px[1] = bgra[1], px[2] = bgra[0], px[3] = bgra[3];
        }
    int rc = png_encode(b, pixels, s, s, 4);
    free(pixels);
    return rc;
}

int write_ico(const char *path, canvas *const *img, int n)
{
    buf b = {0}, images[MAX_ICO_IMAGES] = {{0}};
    int rc = -1;
    if (n > MAX_ICO_IMAGES) {
        fprintf(stderr, "icongen: %s: too many images\n", path);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (put_png(&images[i], img[i]) != 0)
            goto done;
        if (images[i].failed) {
            fprintf(stderr, "icongen: out of memory building %s\n", path);
            goto done;
        }
    }
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
        put32le(&b, (uint32_t)images[i].len);
        put32le(&b, offset);
        offset += (uint32_t)images[i].len;
    }
    for (int i = 0; i < n; i++)
        put(&b, images[i].p, images[i].len);
    rc = write_file(path, &b);
done:
    for (int i = 0; i < n; i++)
        free(images[i].p);
    free(b.p);
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
