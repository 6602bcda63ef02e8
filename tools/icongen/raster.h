/* icongen: the drawing model.
 *
 * Every shape is a signed distance function (negative inside). A "figure" combines shapes with union /
 * subtract / intersect, and a pixel's coverage is the fraction of a regular grid of samples that fall
 * inside the figure. Combining before compositing keeps overlapping parts of one glyph free of darker
 * seams, which matters for the half-transparent "off" state.
 *
 * Canvas: premultiplied RGBA floats, top row first. Premultiplied so that "over" and "erase" are one
 * multiply-add each and coverage can scale a colour directly.
 */
#ifndef ICONGEN_RASTER_H
#define ICONGEN_RASTER_H

#define PI 3.14159265358979323846
#define MAX_PX 256

typedef struct {
    int size;
    float *p;
} canvas;

typedef struct {
    float r, g, b, a;
} rgba; /* straight (not premultiplied) sRGB, 0..1 */

rgba hex(unsigned rgb, double alpha);
canvas *canvas_new(int size);
void canvas_free(canvas *c);

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

/* Empties f for a canvas of size px, with the edge sharpening that size wants. */
void fig_reset(figure *f, int size);

/* Each adds one shape combined by op; grow moves its boundary outwards (> 0) or inwards (< 0). */
void fig_circle(figure *f, enum op op, double cx, double cy, double r, double grow);
void fig_box(figure *f, enum op op, double x0, double y0, double x1, double y1, double corner, double grow);
void fig_seg(figure *f, enum op op, double x0, double y0, double x1, double y1, double width, double grow);
void fig_arc(figure *f, enum op op, double cx, double cy, double r, double a0_deg, double a1_deg, double width,
             double grow);
void fig_poly(figure *f, enum op op, const double *xy, int n, double grow);
void fig_tri(figure *f, enum op op, double x0, double y0, double x1, double y1, double x2, double y2, double grow);
void fig_pixels(figure *f, enum op op, double x, double y, const char *const *rows, int nrows);
void fig_half(figure *f, enum op op, double nx, double ny, double d, double grow);

/* 1 once a drawing asked for more shapes (or polygon points) than a figure holds: a mistake in the
 * drawings, so icongen fails instead of writing an icon with parts missing. */
int fig_overflowed(void);

void paint_grad(canvas *c, const figure *f, rgba c0, rgba c1, double gy0, double gy1);
void paint(canvas *c, const figure *f, rgba col);
void erase(canvas *c, const figure *f);

#endif
