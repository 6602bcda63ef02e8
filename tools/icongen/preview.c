/* icongen: preview.png (preview.h). */
#include "preview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imagefile.h"
#include "png.h"

/* ------------------------------------------------------------------------------------------------
 * Preview sheet: each icon at 1:1 and enlarged (nearest neighbour, so pixels stay honest) on the
 * backgrounds it will meet, with a label. Laid out twice: once to measure, once to draw.
 */
typedef struct {
    int w, h;
    unsigned char *p; /* NULL while measuring */
} sheet;

#define SHEET_W 1400
#define BG_LIGHT 0xF3F3F3u /* Windows 11 light taskbar / window */
#define BG_DARK 0x202020u  /* Windows 11 dark taskbar */
#define LABEL_SCALE 2

static void sheet_fill(sheet *sh, int x0, int y0, int w, int h, unsigned rgb)
{
    if (!sh->p)
        return;
    for (int y = y0; y < y0 + h && y < sh->h; y++)
        for (int x = x0; x < x0 + w && x < sh->w; x++) {
            if (x < 0 || y < 0)
                continue;
            unsigned char *d = &sh->p[3 * ((size_t)y * (size_t)sh->w + (size_t)x)];
            d[0] = (unsigned char)(rgb >> 16), d[1] = (unsigned char)(rgb >> 8), d[2] = (unsigned char)rgb;
        }
}

/* The icon's own 8-bit pixels composited over the sheet, so the preview shows what the .ico holds. */
static void sheet_icon(sheet *sh, int x0, int y0, const canvas *c, int k)
{
    if (!sh->p)
        return;
    for (int y = 0; y < c->size * k; y++)
        for (int x = 0; x < c->size * k; x++) {
            int X = x0 + x, Y = y0 + y;
            if (X < 0 || Y < 0 || X >= sh->w || Y >= sh->h)
                continue;
            unsigned char px[4];
            pixel_bgra(c, x / k, y / k, px);
            unsigned char *d = &sh->p[3 * ((size_t)Y * (size_t)sh->w + (size_t)X)];
            for (int i = 0; i < 3; i++)
                d[i] = (unsigned char)((px[2 - i] * px[3] + d[i] * (255 - px[3]) + 127) / 255);
        }
}

/* A 5x7 font for labels: one byte per row, bit 4 is the leftmost column. */
static const char font_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:";
static const unsigned char font_rows[][7] = {
    {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}, {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E},
    {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}, {0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E},
    {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}, {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10},
    {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}, {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11},
    {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}, {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C},
    {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}, {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F},
    {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}, {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11},
    {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10},
    {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}, {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11},
    {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}, {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04},
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04},
    {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}, {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11},
    {0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F},
    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}, {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},
    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}, {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},
    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}, {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},
    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}, {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},
    {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}, {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C},
    {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00},
};

static void sheet_text(sheet *sh, int x, int y, const char *text, unsigned rgb)
{
    for (; *text; text++, x += 6 * LABEL_SCALE) {
        char ch = *text;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        const char *at = strchr(font_chars, ch);
        if (!at || ch == '\0')
            continue;
        const unsigned char *rows = font_rows[at - font_chars];
        for (int r = 0; r < 7; r++)
            for (int col = 0; col < 5; col++)
                if (rows[r] & (0x10u >> col))
                    sheet_fill(sh, x + col * LABEL_SCALE, y + r * LABEL_SCALE, LABEL_SCALE, LABEL_SCALE, rgb);
    }
}

/* Enlargement factor: about 128 px on screen for the small sizes, 1:1 for the 256 px image. */
static int zoom_for(int size)
{
    if (size >= 128)
        return 1;
    return size >= 48 ? 3 : 128 / size;
}

/* One panel: label, the sizes at 1:1, then each size enlarged. Returns its width; height in *ph. */
static int panel(sheet *sh, int x0, int y0, canvas *const *img, int n, unsigned bg, const char *label, int *ph)
{
    const int pad = 12, gap = 14;
    int w = pad, h = 0;
    for (int i = 0; i < n; i++)
        if (img[i]->size < 128) {
            w += img[i]->size + 6;
            h = h > img[i]->size ? h : img[i]->size;
        }
    w += gap;
    for (int i = 0; i < n; i++) {
        int z = img[i]->size * zoom_for(img[i]->size);
        w += z + gap;
        h = h > z ? h : z;
    }
    w += pad - gap;
    int label_h = 7 * LABEL_SCALE + 10;
    int lw = pad + (int)strlen(label) * 6 * LABEL_SCALE + pad;
    w = w > lw ? w : lw;
    int total_h = pad + label_h + h + pad;
    sheet_fill(sh, x0, y0, w, total_h, bg);
    unsigned fg = bg == BG_DARK ? 0xC8C8C8u : 0x404040u;
    sheet_text(sh, x0 + pad, y0 + pad, label, fg);
    int x = x0 + pad, y = y0 + pad + label_h;
    for (int i = 0; i < n; i++)
        if (img[i]->size < 128) {
            sheet_icon(sh, x, y + h - img[i]->size, img[i], 1);
            x += img[i]->size + 6;
        }
    x += gap;
    for (int i = 0; i < n; i++) {
        int k = zoom_for(img[i]->size);
        sheet_icon(sh, x, y + h - img[i]->size * k, img[i], k);
        x += img[i]->size * k + gap;
    }
    *ph = total_h;
    return w;
}

static int layout_preview(sheet *sh, canvas *(*imgs)[MAX_SIZES])
{
    sheet measure = {sh->w, 0, NULL};
    int x = 0, y = 0, row_h = 0;
    for (int i = 0; i < NICONS; i++) {
        const icon_spec *ic = &icons[i];
        char label[64];
        snprintf(label, sizeof label, "%s.ico", ic->name);
        /* Tray icons appear on their own taskbar colour; the others on both a light and a dark window. */
        for (int pass = 0; pass < (ic->bd == BD_BOTH ? 2 : 1); pass++) {
            unsigned bg = (ic->bd == BD_DARK || pass == 1) ? BG_DARK : BG_LIGHT;
            int h = 0, w = panel(&measure, 0, 0, imgs[i], ic->nsizes, bg, label, &h);
            /* Each icon starts a row; a dark tray variant joins its light twin's row. */
            if (x > 0 && (x + w > sh->w || (pass == 0 && ic->bd != BD_DARK))) {
                y += row_h;
                x = 0, row_h = 0;
            }
            panel(sh, x, y, imgs[i], ic->nsizes, bg, label, &h);
            x += w;
            row_h = row_h > h ? row_h : h;
        }
    }
    return y + row_h;
}

int write_preview(const char *path, canvas *(*imgs)[MAX_SIZES])
{
    sheet sh = {SHEET_W, 0, NULL};
    int h = layout_preview(&sh, imgs);
    sh.h = h;
    sh.p = malloc((size_t)SHEET_W * (size_t)h * 3u);
    if (!sh.p) {
        fprintf(stderr, "icongen: out of memory for the preview\n");
        return -1;
    }
    memset(sh.p, 0x80, (size_t)SHEET_W * (size_t)h * 3u); /* mid grey where no panel reaches */
    layout_preview(&sh, imgs);
    int rc = write_png(path, sh.p, sh.w, sh.h);
    free(sh.p);
    return rc;
}
