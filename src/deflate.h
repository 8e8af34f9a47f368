/* deflate.h: a buffer deflated in one call, as the EPUB's zip entries and the drawn cover's PNG
 * need it (zlib level 6, its largest memory level). */
#ifndef OCTAVO_DEFLATE_H
#define OCTAVO_DEFLATE_H

#include <glib.h>

/* data deflated: a raw stream (raw TRUE, as a zip entry holds it) or a zlib stream (a PNG's
 * IDAT), with zlib's strategy (Z_DEFAULT_STRATEGY, Z_RLE...). NULL if zlib refuses. */
GBytes *ov_deflate(const void *data, gsize len, gboolean raw, int strategy);

#endif
