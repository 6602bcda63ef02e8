/* icongen --verify (verify.h). */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyphs.h"
#include "imagefile.h"
#include "png.h"

/* ------------------------------------------------------------------------------------------------
 * --verify: re-reads what was written. It checks structure, not looks: the preview is for the eyes.
 */
static int verify_fail(const char *path, const char *what)
{
    fprintf(stderr, "icongen: %s: %s\n", path, what);
    return -1;
}

/* What an s-px image takes as a 32-bit DIB with its header and 1-bit AND mask (rows padded to 32 bits). */
static uint32_t dib_bytes(int s)
{
    return 40u + (uint32_t)s * (uint32_t)s * 4u + (uint32_t)((s + 31) / 32) * 4u * (uint32_t)s;
}

/* NULL when d[0..bytes) is a sound s-px RGBA PNG that is smaller than the same image as a DIB (the
 * point of storing it so), else what is wrong. */
static const char *verify_png_frame(const unsigned char *d, uint32_t bytes, int s)
{
    int w = 0, h = 0, channels = 0;
    const char *why = NULL;
    unsigned char *px = png_decode(d, bytes, &w, &h, &channels, &why);
    if (!px)
        return why;
    int visible = 0;
    if (w != s || h != s || channels != 4) {
        why = "a PNG entry is not an RGBA image of the entry's size";
    } else if (bytes >= dib_bytes(s)) {
        why = "a PNG entry is no smaller than the same image as a DIB";
    } else {
        for (size_t i = 0; i < (size_t)s * (size_t)s; i++)
            visible += px[4 * i + 3] > 0;
        if (visible < s * s / 20)
            why = "an image is (nearly) empty";
    }
    free(px);
    return why;
}

static int verify_ico(const char *path, const icon_spec *ic)
{
    size_t len = 0;
    unsigned char *p = read_file(path, &len);
    if (!p)
        return -1;
    int rc = -1;
    if (len < ICONDIR_SIZE) {
        verify_fail(path, "shorter than an ICONDIR");
        goto out;
    }
    if (get16le(p) != 0 || get16le(p + 2) != 1) {
        verify_fail(path, "ICONDIR reserved/type is not 0/1");
        goto out;
    }
    unsigned count = get16le(p + 4);
    if (count != (unsigned)ic->nsizes) {
        verify_fail(path, "wrong number of images");
        goto out;
    }
    size_t end_dir = ICONDIR_SIZE + (size_t)ICONENTRY_SIZE * count;
    if (len < end_dir) {
        verify_fail(path, "directory runs past the end of the file");
        goto out;
    }
    size_t covered = end_dir;
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *e = p + ICONDIR_SIZE + ICONENTRY_SIZE * i;
        int s = ic->sizes[i];
        unsigned ew = e[0] ? e[0] : 256u, eh = e[1] ? e[1] : 256u;
        uint32_t bytes = get32le(e + 8), off = get32le(e + 12);
        if (ew != (unsigned)s || eh != (unsigned)s) {
            verify_fail(path, "an entry's width/height is not the expected size");
            goto out;
        }
        if (e[2] != 0 || e[3] != 0 || get16le(e + 4) != 1 || get16le(e + 6) != 32) {
            verify_fail(path, "an entry is not 32-bit, 1 plane, no palette");
            goto out;
        }
        /* Images are laid out in order right after the directory: no gaps, no overlap, nothing past the end. */
        if (off != covered || (size_t)bytes > len - covered) {
            verify_fail(path, "an entry's offset is not where the previous image ends, or runs past the end");
            goto out;
        }
        const char *why = verify_png_frame(p + off, bytes, s);
        if (why) {
            verify_fail(path, why);
            goto out;
        }
        covered += bytes;
    }
    if (covered != len) {
        verify_fail(path, "trailing bytes after the last image");
        goto out;
    }
    rc = 0;
out:
    free(p);
    return rc;
}

static int verify_png(const char *path)
{
    size_t len = 0;
    unsigned char *p = read_file(path, &len);
    if (!p)
        return -1;
    int w = 0, h = 0, channels = 0, rc = -1;
    const char *why = NULL;
    unsigned char *px = png_decode(p, len, &w, &h, &channels, &why);
    if (!px)
        verify_fail(path, why);
    else if (channels != 3)
        verify_fail(path, "not 8-bit RGB");
    else
        rc = 0;
    free(px), free(p);
    return rc;
}

int verify_all(const char *dir)
{
    char path[1024];
    int bad = 0, images = 0;
    for (int i = 0; i < NICONS; i++) {
        if (join_path(path, sizeof path, dir, icons[i].name, ".ico") != 0 || verify_ico(path, &icons[i]) != 0)
            bad++;
        else
            images += icons[i].nsizes;
    }
    if (join_path(path, sizeof path, dir, "preview", ".png") != 0 || verify_png(path) != 0)
        bad++;
    if (bad) {
        fprintf(stderr, "icongen: %d file(s) failed verification\n", bad);
        return 1;
    }
    printf("icongen: %d icon files (%d images) and preview.png verified\n", NICONS, images);
    return 0;
}
