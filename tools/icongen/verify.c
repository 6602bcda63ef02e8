/* icongen --verify (verify.h). */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/crc32.h"

#include "glyphs.h"
#include "imagefile.h"

/* ------------------------------------------------------------------------------------------------
 * --verify: re-reads what was written. It checks structure, not looks: the preview is for the eyes.
 */
static int verify_fail(const char *path, const char *what)
{
    fprintf(stderr, "icongen: %s: %s\n", path, what);
    return -1;
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
        if (bytes != dib_bytes(s)) {
            verify_fail(path, "an entry's byte count does not match its size");
            goto out;
        }
        /* Images are laid out in order right after the directory: no gaps, no overlap, nothing past the end. */
        if (off != covered || (size_t)bytes > len - covered) {
            verify_fail(path, "an entry's offset is not where the previous image ends, or runs past the end");
            goto out;
        }
        const unsigned char *d = p + off;
        if (get32le(d) != BIH_SIZE || get32le(d + 4) != (uint32_t)s || get32le(d + 8) != (uint32_t)s * 2u ||
            get16le(d + 12) != 1 || get16le(d + 14) != 32 || get32le(d + 16) != 0) {
            verify_fail(path, "a BITMAPINFOHEADER does not describe a 32-bit BI_RGB image of twice the height");
            goto out;
        }
        const unsigned char *px = d + BIH_SIZE, *mask = px + (size_t)s * (size_t)s * 4u;
        int visible = 0;
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                unsigned a = px[4 * (y * s + x) + 3];
                int bit = (mask[y * (int)mask_stride(s) + x / 8] >> (7 - x % 8)) & 1;
                if (bit != (a == 0)) {
                    verify_fail(path, "the AND mask disagrees with the alpha channel");
                    goto out;
                }
                visible += a > 0;
            }
        if (visible < s * s / 20) {
            verify_fail(path, "an image is (nearly) empty");
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
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    int rc = -1, seen_end = 0;
    uint32_t w = 0, h = 0;
    buf z = {0}, raw = {0};
    if (len < 8 || memcmp(p, sig, 8) != 0) {
        verify_fail(path, "no PNG signature");
        goto out;
    }
    for (size_t pos = 8; pos < len;) {
        if (len - pos < 12) {
            verify_fail(path, "truncated chunk");
            goto out;
        }
        uint32_t n = get32be(p + pos);
        if (n > len - pos - 12) {
            verify_fail(path, "chunk runs past the end");
            goto out;
        }
        const unsigned char *type = p + pos + 4, *data = type + 4;
        if (of_crc32(type, (size_t)n + 4) != get32be(data + n)) {
            verify_fail(path, "chunk CRC mismatch");
            goto out;
        }
        if (memcmp(type, "IHDR", 4) == 0 && n == 13) {
            w = get32be(data), h = get32be(data + 4);
            if (data[8] != 8 || data[9] != 2) {
                verify_fail(path, "not 8-bit RGB");
                goto out;
            }
        } else if (memcmp(type, "IDAT", 4) == 0) {
            put(&z, data, n);
        } else if (memcmp(type, "IEND", 4) == 0) {
            seen_end = pos + 12 + n == len;
        }
        pos += 12 + (size_t)n;
    }
    if (!seen_end || w == 0 || h == 0 || z.failed || z.len < 6) {
        verify_fail(path, "missing IHDR/IDAT/IEND");
        goto out;
    }
    if ((z.p[0] * 256u + z.p[1]) % 31u != 0 || (z.p[0] & 0x0Fu) != 8) {
        verify_fail(path, "bad zlib header");
        goto out;
    }
    for (size_t pos = 2;;) {
        if (z.len - pos < 5 + 4) {
            verify_fail(path, "truncated deflate block");
            goto out;
        }
        unsigned hdr = z.p[pos], n = get16le(z.p + pos + 1), nn = get16le(z.p + pos + 3);
        if ((hdr & 6u) != 0 || (n ^ nn) != 0xFFFFu || n > z.len - pos - 5 - 4) {
            verify_fail(path, "bad stored deflate block");
            goto out;
        }
        put(&raw, z.p + pos + 5, n);
        pos += 5 + n;
        if (hdr & 1u) {
            if (pos + 4 != z.len || raw.failed || get32be(z.p + pos) != adler32_of(raw.p, raw.len)) {
                verify_fail(path, "Adler-32 mismatch or data after the last block");
                goto out;
            }
            break;
        }
    }
    if (raw.len != (size_t)h * ((size_t)w * 3u + 1u)) {
        verify_fail(path, "image data has the wrong length");
        goto out;
    }
    rc = 0;
out:
    free(z.p), free(raw.p), free(p);
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
