/* cover.h: the book's cover, one drawing for the EPUB's cover image and the PDF's first page. */
#ifndef OCTAVO_COVER_H
#define OCTAVO_COVER_H

#include <cairo.h>
#include "model.h"
#include "theme.h"

/* Draw the cover filling w x h (points or pixels) on cr: the book's own cover image when its
 * info has one, else a typeset cover (title, subtitle, authors, publisher) in the theme's
 * fonts and colours. FALSE with a diagnostic in d if the cover image cannot be used. */
gboolean ov_cover_draw(cairo_t *cr, const OvDoc *doc, const OvTheme *theme, double w, double h, OvDiags *d);

/* The image node of the book's own cover (info/cover/mediaobject/imagedata), or NULL. */
const OvNode *ov_cover_image(const OvDoc *doc);

#endif
