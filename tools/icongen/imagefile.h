/* icongen: a growing byte buffer with little- and big-endian writers, whole-file reads and writes,
 * and the ICO encoder (imagefile.c). Every failure is reported on stderr where it happens. */
#ifndef ICONGEN_IMAGEFILE_H
#define ICONGEN_IMAGEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "raster.h"

typedef struct {
    unsigned char *p;
    size_t len, cap;
    int failed;
} buf;

/* Appends n bytes; on a failed allocation the buffer only remembers that it failed. */
void put(buf *b, const void *data, size_t n);
void put8(buf *b, unsigned v);
void put16le(buf *b, unsigned v);
void put32le(buf *b, uint32_t v);
void put32be(buf *b, uint32_t v);
unsigned get16le(const unsigned char *p);
uint32_t get32le(const unsigned char *p);
uint32_t get32be(const unsigned char *p);

/* Writes b to path (removing a partial file); 0, or -1 after saying why. */
int write_file(const char *path, const buf *b);

/* The whole file, or NULL; the caller frees it. */
unsigned char *read_file(const char *path, size_t *len);

/* dir/name ext into out; -1 when it does not fit. */
int join_path(char *out, size_t cap, const char *dir, const char *name, const char *ext);

#define ICONDIR_SIZE 6u
#define ICONENTRY_SIZE 16u

/* At most this many images per .ico. */
#define MAX_ICO_IMAGES 16

/* The pixel as the .ico stores it: straight-alpha 8-bit BGRA. */
void pixel_bgra(const canvas *c, int x, int y, unsigned char out[4]);

/* One .ico holding img[0..n), in that order, each a PNG; 0 or -1. */
int write_ico(const char *path, canvas *const *img, int n);

#endif
