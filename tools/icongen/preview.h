/* icongen: preview.png, one sheet with every icon at 1:1 and enlarged on the backgrounds it will
 * meet, so a person can judge them. */
#ifndef ICONGEN_PREVIEW_H
#define ICONGEN_PREVIEW_H

#include "glyphs.h"

/* imgs[i] holds the images of icons[i], in the order of its sizes; 0 or -1. */
int write_preview(const char *path, canvas *(*imgs)[MAX_SIZES]);

#endif
