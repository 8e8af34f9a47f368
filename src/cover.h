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

/* The typeset cover (never the book's own image) as ink only: the text's coverage times its
 * opacity, for an A8 surface of w x h pixels; *bg and *fg are the colours (0xRRGGBB) that
 * ink 0 and ink 255 stand for (every pixel is bg + (fg - bg) * ink / 255). FALSE with a
 * diagnostic if the fonts cannot be set up. */
gboolean ov_cover_draw_ink(cairo_t *cr, const OvDoc *doc, const OvTheme *theme, double w, double h, guint32 *bg,
			   guint32 *fg, OvDiags *d);

/* The image node of the book's own cover (info/cover/mediaobject/imagedata), or NULL. */
const OvNode *ov_cover_image(const OvDoc *doc);

#endif
