/*
 * icongen: draws every ofnotify icon in code and writes the .ico files that res/app.rc embeds, plus
 * preview.png, one sheet with every icon at 1:1 and enlarged, so a person can judge them.
 *
 *   icongen OUTDIR            write OUTDIR/<name>.ico for every icon below, and OUTDIR/preview.png
 *   icongen --verify OUTDIR   re-read those files and check headers, sizes, offsets and checksums
 *
 * It runs on the build host (Linux, or MSYS2 on Windows), so it is portable C11 plus <math.h> only; the
 * icons are generated at build time and nothing binary is committed.
 *
 * Drawing model: every shape is a signed distance function (negative inside). A "figure" combines shapes
 * with union / subtract / intersect, and a pixel's coverage is the fraction of a regular grid of samples
 * that fall inside the figure. Combining before compositing keeps overlapping parts of one glyph free of
 * darker seams, which matters for the half-transparent "off" state. The app and tray icons have
 * hand-picked geometry per size (not a scaled copy of the big one), so strokes and arrowheads sit on the
 * pixel grid at 16..32 px; the 16 px app glyph is placed pixel by pixel.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846
#define MAX_PX 256
#define MAX_SIZES 6

/* ------------------------------------------------------------------------------------------------
 * Canvas: premultiplied RGBA floats, top row first. Premultiplied so that "over" and "erase" are
 * one multiply-add each and coverage can scale a colour directly.
 */
typedef struct {
    int size;
    float *p;
} canvas;

typedef struct {
    float r, g, b, a;
} rgba; /* straight (not premultiplied) sRGB, 0..1 */

static rgba hex(unsigned rgb, double alpha)
{
    rgba c;
    c.r = (float)((rgb >> 16) & 0xFFu) / 255.0f;
    c.g = (float)((rgb >> 8) & 0xFFu) / 255.0f;
    c.b = (float)(rgb & 0xFFu) / 255.0f;
    c.a = (float)alpha;
    return c;
}

static canvas *canvas_new(int size)
{
    canvas *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->size = size;
    c->p = calloc((size_t)size * (size_t)size * 4u, sizeof(float));
    if (!c->p) {
        free(c);
        return NULL;
    }
    return c;
}

static void canvas_free(canvas *c)
{
    if (c) {
        free(c->p);
        free(c);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Shapes and figures.
 */
enum kind { K_CIRCLE, K_BOX, K_SEG, K_ARC, K_POLY, K_HALF, K_PIXELS };
enum op { OP_ADD, OP_SUB, OP_AND };

#define MAX_POLY 8
#define MAX_SHAPES 32

typedef struct {
    enum kind kind;
    enum op op;
    /* circle: cx cy r | box: x0 y0 x1 y1 corner | seg: x0 y0 x1 y1 width (round caps)
     * arc: cx cy r a0 a1 width (radians, a0 < a1, round caps) | half-plane: nx ny d, inside nx*x+ny*y <= d
     * pixels: x y of the top-left corner; rows holds '#' for a filled pixel (grow is ignored) */
    double v[6];
    const char *const *rows;
    int n;
    double pt[2 * MAX_POLY];
    double grow; /* moves the boundary outwards (>0) or inwards (<0): margins and borders */
    double bb[4];
    int unbounded; /* half-planes: no bounding box */
} shape;

typedef struct {
    int n;
    double crisp; /* > 1 steepens the edge ramp: a light form of hinting for 16..24 px (crisp_for) */
    shape s[MAX_SHAPES];
} figure;

/* Set when a drawing asked for more shapes (or polygon points) than a figure holds: a mistake in this
 * file, so generate() fails instead of writing an icon with parts missing. */
static int g_overflow;

static shape *fig_push(figure *f, enum kind k, enum op op, double grow)
{
    if (f->n >= MAX_SHAPES) {
        g_overflow = 1;
        return NULL;
    }
    shape *s = &f->s[f->n++];
    memset(s, 0, sizeof *s);
    s->kind = k;
    s->op = op;
    s->grow = grow;
    return s;
}

/* Edge sharpening by size: the small sizes are the ones people see, and soft edges read as blur there. */
static double crisp_for(int size)
{
    return size <= 16 ? 3.0 : size <= 20 ? 1.6 : size <= 24 ? 1.3 : 0;
}

static void fig_reset(figure *f, int size)
{
    f->n = 0;
    f->crisp = crisp_for(size);
}

static void fig_circle(figure *f, enum op op, double cx, double cy, double r, double grow)
{
    shape *s = fig_push(f, K_CIRCLE, op, grow);
    if (!s)
        return;
    s->v[0] = cx, s->v[1] = cy, s->v[2] = r;
    double e = r + grow;
    s->bb[0] = cx - e, s->bb[1] = cy - e, s->bb[2] = cx + e, s->bb[3] = cy + e;
}

static void fig_box(figure *f, enum op op, double x0, double y0, double x1, double y1, double corner, double grow)
{
    shape *s = fig_push(f, K_BOX, op, grow);
    if (!s)
        return;
    s->v[0] = x0, s->v[1] = y0, s->v[2] = x1, s->v[3] = y1, s->v[4] = corner;
    s->bb[0] = x0 - grow, s->bb[1] = y0 - grow, s->bb[2] = x1 + grow, s->bb[3] = y1 + grow;
}

static void fig_seg(figure *f, enum op op, double x0, double y0, double x1, double y1, double width, double grow)
{
    shape *s = fig_push(f, K_SEG, op, grow);
    if (!s)
        return;
    s->v[0] = x0, s->v[1] = y0, s->v[2] = x1, s->v[3] = y1, s->v[4] = width;
    double e = width / 2 + grow;
    s->bb[0] = fmin(x0, x1) - e, s->bb[1] = fmin(y0, y1) - e;
    s->bb[2] = fmax(x0, x1) + e, s->bb[3] = fmax(y0, y1) + e;
}

/* Angles in degrees, clockwise on screen (y grows downwards), 0 = pointing right. */
static void fig_arc(figure *f, enum op op, double cx, double cy, double r, double a0_deg, double a1_deg,
                    double width, double grow)
{
    shape *s = fig_push(f, K_ARC, op, grow);
    if (!s)
        return;
    s->v[0] = cx, s->v[1] = cy, s->v[2] = r;
    s->v[3] = a0_deg * PI / 180.0, s->v[4] = a1_deg * PI / 180.0, s->v[5] = width;
    double e = r + width / 2 + grow;
    s->bb[0] = cx - e, s->bb[1] = cy - e, s->bb[2] = cx + e, s->bb[3] = cy + e;
}

static void fig_poly(figure *f, enum op op, const double *xy, int n, double grow)
{
    if (n < 3 || n > MAX_POLY) {
        g_overflow = 1;
        return;
    }
    shape *s = fig_push(f, K_POLY, op, grow);
    if (!s)
        return;
    s->n = n;
    memcpy(s->pt, xy, sizeof(double) * 2u * (size_t)n);
    s->bb[0] = s->bb[2] = xy[0];
    s->bb[1] = s->bb[3] = xy[1];
    for (int i = 1; i < n; i++) {
        s->bb[0] = fmin(s->bb[0], xy[2 * i]), s->bb[2] = fmax(s->bb[2], xy[2 * i]);
        s->bb[1] = fmin(s->bb[1], xy[2 * i + 1]), s->bb[3] = fmax(s->bb[3], xy[2 * i + 1]);
    }
    double e = grow > 0 ? grow : 0;
    s->bb[0] -= e, s->bb[1] -= e, s->bb[2] += e, s->bb[3] += e;
}

static void fig_tri(figure *f, enum op op, double x0, double y0, double x1, double y1, double x2, double y2,
                    double grow)
{
    const double xy[6] = {x0, y0, x1, y1, x2, y2};
    fig_poly(f, op, xy, 3, grow);
}

/* A hand-placed pixel pattern, for a glyph too small for any outline to survive rasterising. */
static void fig_pixels(figure *f, enum op op, double x, double y, const char *const *rows, int nrows)
{
    shape *s = fig_push(f, K_PIXELS, op, 0);
    if (!s)
        return;
    s->v[0] = x, s->v[1] = y;
    s->rows = rows;
    s->n = nrows;
    size_t w = 0;
    for (int i = 0; i < nrows; i++)
        w = strlen(rows[i]) > w ? strlen(rows[i]) : w;
    s->bb[0] = x, s->bb[1] = y, s->bb[2] = x + (double)w, s->bb[3] = y + nrows;
}

/* Inside where nx*x + ny*y <= d; (nx, ny) need not be normalised. */
static void fig_half(figure *f, enum op op, double nx, double ny, double d, double grow)
{
    shape *s = fig_push(f, K_HALF, op, grow);
    if (!s)
        return;
    double len = hypot(nx, ny);
    s->v[0] = nx / len, s->v[1] = ny / len, s->v[2] = d / len;
    s->unbounded = 1;
}

static double dist_seg(double px, double py, double x0, double y0, double x1, double y1)
{
    double dx = x1 - x0, dy = y1 - y0;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / l2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    return hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

static double sdf(const shape *s, double x, double y)
{
    const double *v = s->v;
    switch (s->kind) {
    case K_CIRCLE:
        return hypot(x - v[0], y - v[1]) - v[2];
    case K_BOX: {
        double hw = (v[2] - v[0]) / 2, hh = (v[3] - v[1]) / 2, r = v[4];
        double qx = fabs(x - (v[0] + hw)) - (hw - r), qy = fabs(y - (v[1] + hh)) - (hh - r);
        return hypot(fmax(qx, 0), fmax(qy, 0)) + fmin(fmax(qx, qy), 0) - r;
    }
    case K_SEG:
        return dist_seg(x, y, v[0], v[1], v[2], v[3]) - v[4] / 2;
    case K_ARC: {
        double t = atan2(y - v[1], x - v[0]) - v[3];
        t = fmod(t, 2 * PI);
        if (t < 0)
            t += 2 * PI;
        if (t <= v[4] - v[3])
            return fabs(hypot(x - v[0], y - v[1]) - v[2]) - v[5] / 2;
        double d0 = hypot(x - (v[0] + v[2] * cos(v[3])), y - (v[1] + v[2] * sin(v[3])));
        double d1 = hypot(x - (v[0] + v[2] * cos(v[4])), y - (v[1] + v[2] * sin(v[4])));
        return fmin(d0, d1) - v[5] / 2;
    }
    case K_POLY: {
        double d = 1e9;
        int in = 0;
        for (int i = 0, j = s->n - 1; i < s->n; j = i++) {
            double xi = s->pt[2 * i], yi = s->pt[2 * i + 1], xj = s->pt[2 * j], yj = s->pt[2 * j + 1];
            d = fmin(d, dist_seg(x, y, xi, yi, xj, yj));
            if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi))
                in = !in;
        }
        return in ? -d : d;
    }
    case K_HALF:
        return v[0] * x + v[1] * y - v[2];
    case K_PIXELS: {
        double fx = floor(x - v[0]), fy = floor(y - v[1]);
        if (fx < 0 || fy < 0 || fy >= s->n)
            return 1;
        const char *row = s->rows[(int)fy];
        return fx < (double)strlen(row) && row[(size_t)fx] == '#' ? -1 : 1;
    }
    }
    return 1e9;
}

/* Samples per pixel edge: small icons get a finer grid because each of their pixels is seen. */
static int samples_for(int size)
{
    return size <= 48 ? 16 : 8;
}

/* Coverage (0..1) of every pixel by the figure, into cov[size*size]. */
static void coverage(const figure *f, int size, float *cov)
{
    const int ss = samples_for(size);
    double bb[4] = {1e9, 1e9, -1e9, -1e9};
    for (int i = 0; i < f->n; i++) {
        const shape *s = &f->s[i];
        if (s->op != OP_ADD || s->unbounded)
            continue;
        bb[0] = fmin(bb[0], s->bb[0]), bb[1] = fmin(bb[1], s->bb[1]);
        bb[2] = fmax(bb[2], s->bb[2]), bb[3] = fmax(bb[3], s->bb[3]);
    }
    memset(cov, 0, sizeof(float) * (size_t)size * (size_t)size);
    int x0 = (int)floor(bb[0]) - 1, y0 = (int)floor(bb[1]) - 1;
    int x1 = (int)ceil(bb[2]) + 1, y1 = (int)ceil(bb[3]) + 1;
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > size ? size : x1, y1 = y1 > size ? size : y1;
    for (int py = y0; py < y1; py++) {
        for (int px = x0; px < x1; px++) {
            /* Shapes whose box misses this pixel are outside for all of its samples. */
            int near[MAX_SHAPES];
            for (int i = 0; i < f->n; i++) {
                const shape *s = &f->s[i];
                near[i] = s->unbounded || !(s->bb[2] < px || s->bb[0] > px + 1 || s->bb[3] < py || s->bb[1] > py + 1);
            }
            int hits = 0;
            for (int sy = 0; sy < ss; sy++) {
                double y = py + (sy + 0.5) / ss;
                for (int sx = 0; sx < ss; sx++) {
                    double x = px + (sx + 0.5) / ss;
                    int in = 0;
                    for (int i = 0; i < f->n; i++) {
                        const shape *s = &f->s[i];
                        int si = near[i] && sdf(s, x, y) - s->grow <= 0;
                        switch (s->op) {
                        case OP_ADD:
                            in = in || si;
                            break;
                        case OP_SUB:
                            in = in && !si;
                            break;
                        case OP_AND:
                            in = in && si;
                            break;
                        }
                    }
                    hits += in;
                }
            }
            double k = (double)hits / (double)(ss * ss);
            if (f->crisp > 1)
                k = (k - 0.5) * f->crisp + 0.5;
            cov[py * size + px] = (float)(k < 0 ? 0 : (k > 1 ? 1 : k));
        }
    }
}

static float g_cov[MAX_PX * MAX_PX]; /* scratch coverage for paint/erase; icongen is single-threaded */

/* Paints the figure "over" the canvas with a vertical gradient from c0 at y = gy0 to c1 at y = gy1. */
static void paint_grad(canvas *c, const figure *f, rgba c0, rgba c1, double gy0, double gy1)
{
    coverage(f, c->size, g_cov);
    for (int y = 0; y < c->size; y++) {
        double t = gy1 > gy0 ? (y + 0.5 - gy0) / (gy1 - gy0) : 0;
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        float r = (float)(c0.r + (c1.r - c0.r) * t), g = (float)(c0.g + (c1.g - c0.g) * t);
        float b = (float)(c0.b + (c1.b - c0.b) * t), a = (float)(c0.a + (c1.a - c0.a) * t);
        for (int x = 0; x < c->size; x++) {
            float k = g_cov[y * c->size + x] * a;
            if (k <= 0)
                continue;
            float *d = &c->p[4 * (y * c->size + x)];
            d[0] = r * k + d[0] * (1 - k);
            d[1] = g * k + d[1] * (1 - k);
            d[2] = b * k + d[2] * (1 - k);
            d[3] = k + d[3] * (1 - k);
        }
    }
}

static void paint(canvas *c, const figure *f, rgba col)
{
    paint_grad(c, f, col, col, 0, 0);
}

/* Makes the figure's area transparent: the gap that separates a badge or a slash from what is under it. */
static void erase(canvas *c, const figure *f)
{
    coverage(f, c->size, g_cov);
    for (int i = 0; i < c->size * c->size; i++) {
        float k = 1 - g_cov[i];
        for (int j = 0; j < 4; j++)
            c->p[4 * i + j] *= k;
    }
}

/* ------------------------------------------------------------------------------------------------
 * The sync glyph: two arcs chasing each other clockwise. The upper one turns down at 3 o'clock into an
 * arrowhead pointing straight down, the lower one turns up at 9 o'clock into one pointing straight up.
 * Axis-aligned heads with their base on a pixel row and their axis on a pixel column stay sharp at
 * 16 px, where heads that follow the curve smear into blobs. It is the product's mark: the app icon's
 * badge and every tray state use it.
 */
typedef struct {
    double cx, cy;
    double r;    /* radius of the stroke's centre line */
    double w;    /* stroke width */
    double hh;   /* half the arrowhead's base */
    double hl;   /* arrowhead length */
    double lift; /* how far above 3 o'clock (below 9 o'clock) the head's base sits */
    double gap;  /* clear space between a head's tip and the other arc's tail */
} sync_geom;

static void fig_sync(figure *f, const sync_geom *g, enum op op, double grow)
{
    const double deg = 180.0 / PI;
    double end = asin(g->lift / g->r) * deg;
    double t = (g->hl - g->lift + g->gap + g->w / 2) / g->r;
    double tail = asin(t > 1 ? 1 : t) * deg;
    for (int k = 0; k < 2; k++) {
        double sg = k ? -1 : 1; /* the second arc is the first turned half a turn */
        fig_arc(f, op, g->cx, g->cy, g->r, 180.0 * (1 - k) + tail, 180.0 * (2 - k) - end, g->w, grow);
        double hx = g->cx + sg * g->r, hy = g->cy - sg * g->lift;
        fig_tri(f, op, hx - g->hh, hy, hx + g->hh, hy, hx, hy + sg * g->hl, grow);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Palette. Fluent-like: a slate outline, white paper, one blue accent. Tray glyphs follow Windows 11:
 * near-black on a light taskbar, white on a dark one, and the accent is lighter on dark.
 */
#define COL_PAPER 0xFFFFFFu
#define COL_OUTLINE 0x5B6B80u
#define COL_FOLD 0xDCE4EEu
#define COL_TEXT_LINE 0xB4C2D4u
#define COL_BLUE_TOP 0x3A96EEu
#define COL_BLUE_BOTTOM 0x0B5CB5u
#define COL_GLYPH_LIGHT 0x1B1B1Bu /* glyphs for a light taskbar */
#define COL_GLYPH_DARK 0xFFFFFFu  /* glyphs for a dark taskbar */
#define COL_ACCENT_LIGHT 0x0067C0u
#define COL_ACCENT_DARK 0x4CC2FFu
#define COL_AMBER_LIGHT 0xD98C00u
#define COL_AMBER_DARK 0xFFC83Du
#define COL_CLOCK_HANDS 0x1B1B1Bu
#define COL_DIR_BLUE 0x0F6CBDu
#define COL_DIR_GREEN 0x107C41u
#define COL_CLOUD 0x7F90A6u
#define COL_NEUTRAL 0x8A8A8Au

/* ------------------------------------------------------------------------------------------------
 * App icon: a sheet of paper with a folded corner (the file), and a blue badge with the sync glyph
 * (kept in sync with the server). One hand-tuned geometry per size.
 */
typedef struct {
    int size;
    double sx0, sy0, sx1, sy1; /* sheet */
    double corner;             /* sheet corner radius */
    double border;             /* outline width */
    double fold;               /* folded corner's leg length */
    int lines;                 /* text lines on the sheet */
    double lx0, lx1, ly0, lstep, lw;
    double bcx, bcy, br, gap; /* badge and the transparent gap around it */
    sync_geom s;              /* glyph inside the badge (cx/cy ignored: badge centre) */
} app_geom;

static const app_geom app_sizes[] = {
    /* size sheet x0 y0 x1 y1, corner border fold, lines x0 x1 y0 step w, badge cx cy r gap, sync r w hh hl lift gap */
    /* 16 px has no room for both: the badge alone, the product's mark, fills the square. */
    {16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {20, 1, 0, 14, 18, 0.0, 1, 5, 2, 4, 9, 5, 3, 1, 13, 13, 7, 1.0, {0, 0, 4, 2, 2.5, 2.5, 1, 1}},
    {24, 2, 0, 16, 22, 0.0, 1, 6, 2, 5, 11, 7, 3, 1, 16, 16, 8, 1.0, {0, 0, 5, 2, 2.5, 2.5, 1, 1}},
    {32, 3, 1, 22, 30, 1.0, 1, 7, 3, 6, 14, 10, 4, 1, 22, 22, 10, 1.5, {0, 0, 6, 2, 3.5, 3.5, 1, 1.25}},
    {48, 5, 2, 33, 45, 1.5, 1.5, 10, 3, 10, 22, 16, 6, 2, 33, 33, 15, 2.0, {0, 0, 8.5, 3, 5, 5, 2, 1.75}},
    {256, 28, 10, 178, 236, 10, 7, 54, 3, 58, 122, 86, 30, 12, 178, 178, 72, 10, {0, 0, 42, 13, 26, 26, 5, 9}},
};

/* A sheet of paper: outline, white inside, the top-right corner folded down. If fill_y > 0, the inside
 * below fill_y is blue instead (the "partly there" page of the direction icons). */
static void paint_sheet(canvas *c, double x0, double y0, double x1, double y1, double corner, double border,
                        double fold, double fill_y)
{
    figure f;
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 2 && fill_y <= 0)
            break;
        double in = pass ? -border : 0;
        fig_reset(&f, c->size);
        fig_box(&f, OP_ADD, x0, y0, x1, y1, corner, in);
        /* Inside the sheet means left of the fold's diagonal: x - y <= x1 - fold - y0. */
        fig_half(&f, OP_AND, 1, -1, x1 - fold - y0, in);
        if (pass == 2)
            fig_half(&f, OP_AND, 0, -1, -fill_y, 0);
        paint(c, &f, hex(pass == 0 ? COL_OUTLINE : pass == 1 ? COL_PAPER : COL_DIR_BLUE, 1));
    }
    /* The flap: a triangle under the diagonal, outlined like the sheet. */
    for (int pass = 0; pass < 2 && fold > 0; pass++) {
        fig_reset(&f, c->size);
        fig_tri(&f, OP_ADD, x1 - fold, y0, x1, y0 + fold, x1 - fold, y0 + fold, pass ? -border : 0);
        paint(c, &f, hex(pass ? COL_FOLD : COL_OUTLINE, 1));
    }
}

/* The sync glyph at 16 px, placed by hand: 1-px arcs and 5-px heads with 2-px gaps. Any outline drawn
 * this small rasterises into a ring with bumps, and the direction, the point of the mark, is lost. */
static const char *const app16_glyph[] = {
    "................",
    "................",
    "......####......",
    "....##....##....",
    "...#........#...",
    "...#......#####.",
    "...........###..",
    "............#...",
    "...#............",
    "..###...........",
    ".#####......#...",
    "...#........#...",
    "....##....##....",
    "......####......",
};

static void draw_app(canvas *c, int unused)
{
    (void)unused;
    const app_geom *g = NULL;
    for (size_t i = 0; i < sizeof app_sizes / sizeof app_sizes[0]; i++)
        if (app_sizes[i].size == c->size)
            g = &app_sizes[i];
    if (!g)
        return;
    figure f;

    if (g->sx1 > g->sx0)
        paint_sheet(c, g->sx0, g->sy0, g->sx1, g->sy1, g->corner, g->border, g->fold, 0);
    /* Text lines; the first is shorter, like a heading. */
    if (g->lines > 0) {
        fig_reset(&f, c->size);
        for (int i = 0; i < g->lines; i++) {
            double y = g->ly0 + g->lstep * i;
            double x1 = i == 0 ? g->lx0 + (g->lx1 - g->lx0) * 0.55 : g->lx1;
            /* Thin lines are whole-pixel bars starting at y; thick ones get round caps centred on y. */
            if (g->lw >= 3)
                fig_seg(&f, OP_ADD, g->lx0 + g->lw / 2, y, x1 - g->lw / 2, y, g->lw, 0);
            else
                fig_box(&f, OP_ADD, g->lx0, y, x1, y + g->lw, 0, 0);
        }
        paint(c, &f, hex(COL_TEXT_LINE, 1));
    }
    /* The badge, cut out of the sheet with a transparent gap so the two read as separate objects. */
    if (g->gap > 0) {
        fig_reset(&f, c->size);
        fig_circle(&f, OP_ADD, g->bcx, g->bcy, g->br, g->gap);
        erase(c, &f);
    }
    fig_reset(&f, c->size);
    f.crisp = 0; /* a disc's rim looks lumpy when sharpened */
    fig_circle(&f, OP_ADD, g->bcx, g->bcy, g->br, 0);
    paint_grad(c, &f, hex(COL_BLUE_TOP, 1), hex(COL_BLUE_BOTTOM, 1), g->bcy - g->br, g->bcy + g->br);
    sync_geom s = g->s;
    s.cx = g->bcx, s.cy = g->bcy;
    fig_reset(&f, c->size);
    if (s.r > 0)
        fig_sync(&f, &s, OP_ADD, 0);
    else
        fig_pixels(&f, OP_ADD, 0, 0, app16_glyph, (int)(sizeof app16_glyph / sizeof app16_glyph[0]));
    paint(c, &f, hex(0xFFFFFF, 1));
}

/* ------------------------------------------------------------------------------------------------
 * Tray icons: the sync glyph in one colour like Windows' own tray glyphs (dark on a light taskbar, light
 * on a dark one), in four states; only "syncing" and "reconnecting" add colour, to stand out.
 */
enum tray_look { TI_IDLE, TI_SYNCING, TI_OFF, TI_RECONNECTING }; /* the order of tray_state in src/app */

typedef struct {
    int size;
    sync_geom s;
    double dot;                  /* syncing: radius of the centre dot */
    double slash_w, slash_gap;   /* off: slash width and the gap cut around it */
    double bcx, bcy, br, bgap;   /* reconnecting: clock badge, in the corner under the right arrowhead's tip */
    double hx, hy, hw, hup, hrt; /* clock hands: the pixel where they meet, width, length up, length right */
} tray_geom;

/* Stroke centres sit on pixel centres (odd widths) or pixel edges (even widths), arrowhead bases on rows. */
static const tray_geom tray_sizes[] = {
    /* size  sync: cx cy r w hh hl lift gap     dot  slash  clock: cx cy r gap   hands: x y w up right */
    {16, {8, 8, 5, 2, 3.5, 3.5, 2, 1}, 1.0, 1.5, 1.0, 13, 13, 3, 0.75, 12, 12, 1, 2, 2},
    {20, {10, 10, 6, 2, 3.5, 3.5, 2, 1.25}, 2.0, 1.75, 1.0, 16, 16, 4, 0.75, 15, 15, 1, 2.5, 2},
    {24, {12, 12, 8, 2, 4.5, 4.5, 2, 1.5}, 2.5, 2.0, 1.25, 19.5, 19.5, 4.5, 1.0, 19, 19, 1, 3, 2.5},
    {32, {16, 16, 10.5, 3, 5, 5, 3, 2}, 4.0, 2.5, 1.5, 26, 26, 6, 1.25, 25, 25, 2, 4, 3.5},
};

static void draw_tray(canvas *c, int arg)
{
    const enum tray_look st = (enum tray_look)(arg / 2);
    const int dark = arg % 2;
    const tray_geom *g = NULL;
    for (size_t i = 0; i < sizeof tray_sizes / sizeof tray_sizes[0]; i++)
        if (tray_sizes[i].size == c->size)
            g = &tray_sizes[i];
    if (!g)
        return;
    const rgba glyph = hex(dark ? COL_GLYPH_DARK : COL_GLYPH_LIGHT, 1);
    const rgba accent = hex(dark ? COL_ACCENT_DARK : COL_ACCENT_LIGHT, 1);
    figure f;
    fig_reset(&f, c->size);
    fig_sync(&f, &g->s, OP_ADD, 0);

    switch (st) {
    case TI_IDLE:
        paint(c, &f, glyph);
        break;
    case TI_SYNCING:
        /* Accent-coloured arrows and a dot at the hub: visibly "busy" even at a glance. */
        fig_circle(&f, OP_ADD, g->s.cx, g->s.cy, g->dot, 0);
        paint(c, &f, accent);
        break;
    case TI_OFF: {
        /* Disabled look: faded arrows, struck through, with a gap so the slash stays legible. */
        rgba faded = glyph;
        faded.a = dark ? 0.5f : 0.42f;
        paint(c, &f, faded);
        double m = c->size * 0.14, e = c->size - m;
        fig_reset(&f, c->size);
        fig_seg(&f, OP_ADD, m, m, e, e, g->slash_w, g->slash_gap);
        erase(c, &f);
        fig_reset(&f, c->size);
        fig_seg(&f, OP_ADD, m, m, e, e, g->slash_w, 0);
        paint(c, &f, glyph);
        break;
    }
    case TI_RECONNECTING: {
        /* Arrows plus an amber clock: waiting to get the server back. */
        paint(c, &f, glyph);
        fig_reset(&f, c->size);
        fig_circle(&f, OP_ADD, g->bcx, g->bcy, g->br, g->bgap);
        erase(c, &f);
        fig_reset(&f, c->size);
        fig_circle(&f, OP_ADD, g->bcx, g->bcy, g->br, 0);
        paint(c, &f, hex(dark ? COL_AMBER_DARK : COL_AMBER_LIGHT, 1));
        fig_reset(&f, c->size);
        fig_box(&f, OP_ADD, g->hx, g->hy + g->hw - g->hup, g->hx + g->hw, g->hy + g->hw, 0, 0);
        fig_box(&f, OP_ADD, g->hx, g->hy, g->hx + g->hrt, g->hy + g->hw, 0, 0);
        paint(c, &f, hex(COL_CLOCK_HANDS, 1));
        break;
    }
    }
}

/* ------------------------------------------------------------------------------------------------
 * Direction icons for the history list, 16 and 32 px. Geometry is on a 16-unit grid times u; arrowheads
 * are 45-degree triangles whose half-width H is a whole number plus a half, so with the axis on a pixel
 * edge every column of the head is whole pixels (6, 4, 2 at 16 px). The kinds are in the order of
 * of_direction (include/ofnotify/syncflags.h), like the proposed resource IDs.
 */
enum dir_kind { DIR_UNSPECIFIED, DIR_TWO_WAY, DIR_TO_SERVER, DIR_FROM_SERVER, DIR_FILL_SPARSE };

/* An axis-aligned arrow: shaft of width w from (x0,y0) to the head's base (bx,by), then a head of
 * half-width h and length h pointing the same way. */
static void fig_arrow(figure *f, enum op op, double x0, double y0, double bx, double by, double w, double h,
                      double grow)
{
    double dx = bx > x0 ? 1 : (bx < x0 ? -1 : 0), dy = by > y0 ? 1 : (by < y0 ? -1 : 0);
    fig_box(f, op, fmin(x0, bx) - (dx == 0) * w / 2, fmin(y0, by) - (dy == 0) * w / 2, fmax(x0, bx) + (dx == 0) * w / 2,
            fmax(y0, by) + (dy == 0) * w / 2, 0, grow);
    fig_tri(f, op, bx - dy * h, by - dx * h, bx + dy * h, by + dx * h, bx + dx * h, by + dy * h, grow);
}

static void fig_cloud(figure *f, enum op op, double u, double grow)
{
    /* Flat-bottomed base and two bumps, the right one taller. */
    fig_box(f, op, 1 * u, 6 * u, 15 * u, 12 * u, 3 * u, grow);
    fig_circle(f, op, 5 * u, 7 * u, 3 * u, grow);
    fig_circle(f, op, 9.5 * u, 6 * u, 4 * u, grow);
}

static void draw_dir(canvas *c, int arg)
{
    const double u = c->size / 16.0;
    const double h = c->size <= 16 ? 3.5 : 6.5; /* arrowhead half-width and length, see above */
    const rgba blue = hex(COL_DIR_BLUE, 1), green = hex(COL_DIR_GREEN, 1);
    figure f;
    fig_reset(&f, c->size);
    switch ((enum dir_kind)arg) {
    case DIR_TWO_WAY:
        /* Upper arrow to the right, lower arrow to the left, two pixels apart at 16 px. */
        fig_arrow(&f, OP_ADD, 1 * u, 4 * u, 12 * u, 4 * u, 2 * u, h, 0);
        fig_arrow(&f, OP_ADD, 15 * u, 12 * u, 4 * u, 12 * u, 2 * u, h, 0);
        paint(c, &f, blue);
        break;
    case DIR_TO_SERVER:
    case DIR_FROM_SERVER: {
        const int up = arg == DIR_TO_SERVER;
        fig_cloud(&f, OP_ADD, u, 0);
        paint(c, &f, hex(COL_CLOUD, 1));
        /* The arrow stands in front of the cloud, separated from it by a transparent gap. */
        for (int pass = 0; pass < 2; pass++) {
            double g = pass ? 0 : u;
            fig_reset(&f, c->size);
            if (up)
                fig_arrow(&f, OP_ADD, 8 * u, 16 * u, 8 * u, 8 * u, 2 * u, h, g);
            else
                fig_arrow(&f, OP_ADD, 8 * u, 7 * u, 8 * u, 12 * u, 2 * u, h, g);
            if (pass)
                paint(c, &f, up ? green : blue);
            else
                erase(c, &f);
        }
        break;
    }
    case DIR_FILL_SPARSE:
        /* A page whose lower half is filled in: a sparse copy being completed from the server. */
        paint_sheet(c, 2 * u, 0, 14 * u, 16 * u, u > 1 ? 2 : 0, u > 1 ? 2 : 1, 5 * u, 9 * u);
        break;
    case DIR_UNSPECIFIED:
        fig_circle(&f, OP_ADD, 8 * u, 8 * u, 3 * u, 0);
        paint(c, &f, hex(COL_NEUTRAL, 1));
        break;
    }
}

/* ------------------------------------------------------------------------------------------------
 * The icon set; res/icons.mk lists the same names. Proposed resource IDs: IDI_APP 100; tray 101..104
 * (idle, syncing, off, reconnecting; white glyphs for a dark taskbar) and 105..108 (the same for a
 * light taskbar); direction 110 + of_direction.
 */
typedef void (*draw_fn)(canvas *c, int arg);

enum backdrop { BD_BOTH, BD_LIGHT, BD_DARK };

typedef struct {
    const char *name;
    draw_fn draw;
    int arg;
    int nsizes;
    int sizes[MAX_SIZES];
    enum backdrop bd; /* which taskbar/window backgrounds the preview shows it on */
} icon_spec;

#define APP_SIZES 6, {16, 20, 24, 32, 48, 256}
#define TRAY_SIZES 4, {16, 20, 24, 32}
#define DIR_SIZES 2, {16, 32}

static const icon_spec icons[] = {
    {"app", draw_app, 0, APP_SIZES, BD_BOTH},
    {"tray-idle-light", draw_tray, TI_IDLE * 2, TRAY_SIZES, BD_LIGHT},
    {"tray-idle-dark", draw_tray, TI_IDLE * 2 + 1, TRAY_SIZES, BD_DARK},
    {"tray-syncing-light", draw_tray, TI_SYNCING * 2, TRAY_SIZES, BD_LIGHT},
    {"tray-syncing-dark", draw_tray, TI_SYNCING * 2 + 1, TRAY_SIZES, BD_DARK},
    {"tray-off-light", draw_tray, TI_OFF * 2, TRAY_SIZES, BD_LIGHT},
    {"tray-off-dark", draw_tray, TI_OFF * 2 + 1, TRAY_SIZES, BD_DARK},
    {"tray-reconnecting-light", draw_tray, TI_RECONNECTING * 2, TRAY_SIZES, BD_LIGHT},
    {"tray-reconnecting-dark", draw_tray, TI_RECONNECTING * 2 + 1, TRAY_SIZES, BD_DARK},
    {"dir-unspecified", draw_dir, DIR_UNSPECIFIED, DIR_SIZES, BD_BOTH},
    {"dir-two-way", draw_dir, DIR_TWO_WAY, DIR_SIZES, BD_BOTH},
    {"dir-to-server", draw_dir, DIR_TO_SERVER, DIR_SIZES, BD_BOTH},
    {"dir-from-server", draw_dir, DIR_FROM_SERVER, DIR_SIZES, BD_BOTH},
    {"dir-fill-sparse", draw_dir, DIR_FILL_SPARSE, DIR_SIZES, BD_BOTH},
};
#define NICONS ((int)(sizeof icons / sizeof icons[0]))

/* ------------------------------------------------------------------------------------------------
 * Byte buffer with little- and big-endian writers (ICO is little-endian, PNG big-endian).
 */
typedef struct {
    unsigned char *p;
    size_t len, cap;
    int failed;
} buf;

static void put(buf *b, const void *data, size_t n)
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

static void put8(buf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    put(b, &c, 1);
}

static void put16le(buf *b, unsigned v)
{
    put8(b, v & 0xFFu), put8(b, (v >> 8) & 0xFFu);
}

static void put32le(buf *b, uint32_t v)
{
    put16le(b, v & 0xFFFFu), put16le(b, (v >> 16) & 0xFFFFu);
}

static void put32be(buf *b, uint32_t v)
{
    put8(b, (v >> 24) & 0xFFu), put8(b, (v >> 16) & 0xFFu), put8(b, (v >> 8) & 0xFFu), put8(b, v & 0xFFu);
}

static unsigned get16le(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t get32be(const unsigned char *p)
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
static unsigned char *read_file(const char *path, size_t *len)
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
#define ICONDIR_SIZE 6u
#define ICONENTRY_SIZE 16u
#define BIH_SIZE 40u

static uint32_t mask_stride(int size)
{
    return (uint32_t)((size + 31) / 32) * 4u;
}

static uint32_t dib_bytes(int size)
{
    return BIH_SIZE + (uint32_t)size * (uint32_t)size * 4u + mask_stride(size) * (uint32_t)size;
}

/* One pixel as straight-alpha 8-bit BGRA. */
static void pixel_bgra(const canvas *c, int x, int y, unsigned char out[4])
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

static int write_ico(const char *path, canvas *const *img, int n)
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
 */
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint32_t adler32_of(const unsigned char *p, size_t n)
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
        put32be(out, crc32_of(out->p + start, n + 4));
}

/* rgb: w*h*3 bytes, top row first. */
static int write_png(const char *path, const unsigned char *rgb, int w, int h)
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

static int write_preview(const char *path, canvas *(*imgs)[MAX_SIZES])
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
        if (crc32_of(type, (size_t)n + 4) != get32be(data + n)) {
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

static int join(char *out, size_t cap, const char *dir, const char *name, const char *ext)
{
    int n = snprintf(out, cap, "%s/%s%s", dir, name, ext);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "icongen: path too long: %s/%s%s\n", dir, name, ext);
        return -1;
    }
    return 0;
}

static int verify_all(const char *dir)
{
    char path[1024];
    int bad = 0, images = 0;
    for (int i = 0; i < NICONS; i++) {
        if (join(path, sizeof path, dir, icons[i].name, ".ico") != 0 || verify_ico(path, &icons[i]) != 0)
            bad++;
        else
            images += icons[i].nsizes;
    }
    if (join(path, sizeof path, dir, "preview", ".png") != 0 || verify_png(path) != 0)
        bad++;
    if (bad) {
        fprintf(stderr, "icongen: %d file(s) failed verification\n", bad);
        return 1;
    }
    printf("icongen: %d icon files (%d images) and preview.png verified\n", NICONS, images);
    return 0;
}

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
        if (rc == 0 && g_overflow) {
            fprintf(stderr, "icongen: %s: a figure has too many shapes (raise MAX_SHAPES)\n", icons[i].name);
            rc = -1;
        }
        if (rc == 0 && (join(path, sizeof path, dir, icons[i].name, ".ico") != 0 ||
                        write_ico(path, imgs[i], icons[i].nsizes) != 0))
            rc = -1;
    }
    if (rc == 0 && (join(path, sizeof path, dir, "preview", ".png") != 0 || write_preview(path, imgs) != 0))
        rc = -1;
    for (int i = 0; i < NICONS; i++)
        for (int j = 0; j < MAX_SIZES; j++)
            canvas_free(imgs[i][j]);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    crc_init();
    if (argc == 2 && argv[1][0] != '-')
        return generate(argv[1]);
    if (argc == 3 && strcmp(argv[1], "--verify") == 0)
        return verify_all(argv[2]);
    fprintf(stderr, "usage: icongen OUTDIR | icongen --verify OUTDIR\n");
    return 2;
}
