/* icongen: the PNG encoder (8-bit RGB or RGBA, filtered per row, deflated by zlib) and the decoder
 * --verify reads them back with (png.c). Every icon image is a PNG, as Windows allows since Vista. */
#ifndef ICONGEN_PNG_H
#define ICONGEN_PNG_H

#include <stddef.h>

#include "imagefile.h"

/* Appends the PNG of px (w*h*channels bytes, top row first, channels 3 = RGB or 4 = RGBA with straight
 * alpha) to out; 0, or -1 after saying why on stderr. */
int png_encode(buf *out, const unsigned char *px, int w, int h, int channels);

/* An 8-bit RGB PNG file of rgb (w*h*3 bytes, top row first); 0 or -1. */
int write_png(const char *path, const unsigned char *rgb, int w, int h);

/* The pixels of the PNG p[0..len) (8-bit RGB or RGBA, not interlaced), top row first, which the caller
 * frees; NULL with *why set when anything is wrong: signature, chunk CRCs, chunk order, zlib stream,
 * filter types, length. */
unsigned char *png_decode(const unsigned char *p, size_t len, int *w, int *h, int *channels, const char **why);

#endif
