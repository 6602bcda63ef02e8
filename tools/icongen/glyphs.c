/* icongen: the ofnotify icons themselves: the palette, the sync glyph, and the app, tray and
 * direction icons. The app and tray icons have hand-picked geometry per size (not a scaled copy of
 * the big one), so strokes and arrowheads sit on the pixel grid at 16..32 px; the 16 px app glyph is
 * placed pixel by pixel. */
#include "glyphs.h"

#include <math.h>
#include <stddef.h>

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
 * The icon set (glyphs.h).
 */
#define APP_SIZES 6, {16, 20, 24, 32, 48, 256}
#define TRAY_SIZES 4, {16, 20, 24, 32}
#define DIR_SIZES 2, {16, 32}

const icon_spec icons[] = {
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
