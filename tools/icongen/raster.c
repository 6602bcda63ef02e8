/* icongen: the canvas, shapes and figures, and how a figure becomes pixels (raster.h). */
#include "raster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------
 * Canvas.
 */
rgba hex(unsigned rgb, double alpha)
{
    rgba c;
    c.r = (float)((rgb >> 16) & 0xFFu) / 255.0f;
    c.g = (float)((rgb >> 8) & 0xFFu) / 255.0f;
    c.b = (float)(rgb & 0xFFu) / 255.0f;
    c.a = (float)alpha;
    return c;
}

canvas *canvas_new(int size)
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

void canvas_free(canvas *c)
{
    if (c) {
        free(c->p);
        free(c);
    }
}

/* ------------------------------------------------------------------------------------------------
 * Shapes and figures.
 */
static int g_overflow;

int fig_overflowed(void)
{
    return g_overflow;
}

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

void fig_reset(figure *f, int size)
{
    f->n = 0;
    f->crisp = crisp_for(size);
}

void fig_circle(figure *f, enum op op, double cx, double cy, double r, double grow)
{
    shape *s = fig_push(f, K_CIRCLE, op, grow);
    if (!s)
        return;
    s->v[0] = cx, s->v[1] = cy, s->v[2] = r;
    double e = r + grow;
    s->bb[0] = cx - e, s->bb[1] = cy - e, s->bb[2] = cx + e, s->bb[3] = cy + e;
}

void fig_box(figure *f, enum op op, double x0, double y0, double x1, double y1, double corner, double grow)
{
    shape *s = fig_push(f, K_BOX, op, grow);
    if (!s)
        return;
    s->v[0] = x0, s->v[1] = y0, s->v[2] = x1, s->v[3] = y1, s->v[4] = corner;
    s->bb[0] = x0 - grow, s->bb[1] = y0 - grow, s->bb[2] = x1 + grow, s->bb[3] = y1 + grow;
}

void fig_seg(figure *f, enum op op, double x0, double y0, double x1, double y1, double width, double grow)
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
void fig_arc(figure *f, enum op op, double cx, double cy, double r, double a0_deg, double a1_deg,
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

void fig_poly(figure *f, enum op op, const double *xy, int n, double grow)
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

void fig_tri(figure *f, enum op op, double x0, double y0, double x1, double y1, double x2, double y2,
                    double grow)
{
    const double xy[6] = {x0, y0, x1, y1, x2, y2};
    fig_poly(f, op, xy, 3, grow);
}

/* A hand-placed pixel pattern, for a glyph too small for any outline to survive rasterising. */
void fig_pixels(figure *f, enum op op, double x, double y, const char *const *rows, int nrows)
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
void fig_half(figure *f, enum op op, double nx, double ny, double d, double grow)
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
void paint_grad(canvas *c, const figure *f, rgba c0, rgba c1, double gy0, double gy1)
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

void paint(canvas *c, const figure *f, rgba col)
{
    paint_grad(c, f, col, col, 0, 0);
}

/* Makes the figure's area transparent: the gap that separates a badge or a slash from what is under it. */
void erase(canvas *c, const figure *f)
{
    coverage(f, c->size, g_cov);
    for (int i = 0; i < c->size * c->size; i++) {
        float k = 1 - g_cov[i];
        for (int j = 0; j < 4; j++)
            c->p[4 * i + j] *= k;
    }
}
