/* icongen: the icon set: each icon's file name, its sizes and the function that draws it (glyphs.c).
 * res/icons.mk lists the same names. Proposed resource IDs: IDI_APP 100; tray 101..104 (idle, syncing,
 * off, reconnecting; white glyphs for a dark taskbar) and 105..108 (the same for a light taskbar);
 * direction 110 + of_direction.
 */
#ifndef ICONGEN_GLYPHS_H
#define ICONGEN_GLYPHS_H

#include "raster.h"

#define MAX_SIZES 6
#define NICONS 14

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

/* In the order of res/icons.mk's ICON_NAMES; a definition with another count does not compile. */
extern const icon_spec icons[NICONS];

#endif
