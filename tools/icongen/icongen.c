/*
 * icongen: draws every ofnotify icon in code and writes the .ico files that res/app.rc embeds, plus
 * preview.png, one sheet with every icon at 1:1 and enlarged, so a person can judge them.
 *
 *   icongen OUTDIR            write OUTDIR/<name>.ico for every icon, and OUTDIR/preview.png
 *   icongen --verify OUTDIR   re-read those files and check headers, sizes, offsets and checksums
 *
 * It runs on the build host (Linux, or MSYS2 on Windows), so it is portable C11 plus <math.h> and
 * core's CRC-32; the icons are generated at build time and nothing binary is committed.
 *
 *   raster.c     the drawing model: shapes, figures, coverage, painting
 *   glyphs.c     the icons themselves and the table of them
 *   imagefile.c  bytes and files, the ICO and PNG encoders
 *   preview.c    preview.png
 *   verify.c     --verify
 */
#include <stdio.h>
#include <string.h>

#include "glyphs.h"
#include "imagefile.h"
#include "preview.h"
#include "verify.h"

static int generate(const char *dir)
{
    static canvas *imgs[NICONS][MAX_SIZES];
    char path[1024];
    int rc = 0;
    for (int i = 0; i < NICONS && rc == 0; i++) {
        for (int j = 0; j < icons[i].nsizes; j++) {
            imgs[i][j] = canvas_new(icons[i].sizes[j]);
            if (!imgs[i][j]) {
                fprintf(stderr, "icongen: out of memory\n");
                rc = -1;
                break;
            }
            icons[i].draw(imgs[i][j], icons[i].arg);
        }
        if (rc == 0 && fig_overflowed()) {
            fprintf(stderr, "icongen: %s: a figure has too many shapes (raise MAX_SHAPES)\n", icons[i].name);
            rc = -1;
        }
        if (rc == 0 && (join_path(path, sizeof path, dir, icons[i].name, ".ico") != 0 ||
                        write_ico(path, imgs[i], icons[i].nsizes) != 0))
            rc = -1;
    }
    if (rc == 0 && (join_path(path, sizeof path, dir, "preview", ".png") != 0 || write_preview(path, imgs) != 0))
        rc = -1;
    for (int i = 0; i < NICONS; i++)
        for (int j = 0; j < MAX_SIZES; j++)
            canvas_free(imgs[i][j]);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && argv[1][0] != '-')
        return generate(argv[1]);
    if (argc == 3 && strcmp(argv[1], "--verify") == 0)
        return verify_all(argv[2]);
    fprintf(stderr, "usage: icongen OUTDIR | icongen --verify OUTDIR\n");
    return 2;
}
