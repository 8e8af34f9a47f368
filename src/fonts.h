/* fonts.h: the private font set (fonts/ through fontconfig), shared by PDF drawing and EPUB
 * embedding, so output never changes with the machine's fonts. */
#ifndef OCTAVO_FONTS_H
#define OCTAVO_FONTS_H

#include <pango/pangocairo.h>
#include "diag.h"

/* The Pango font map over the bundled fonts (created once; owned by this module). System
 * fonts are reachable only as a fallback for characters the bundled fonts lack. NULL with an
 * error in d if the fonts folder cannot be read. */
PangoFontMap *ov_fonts_map(OvDiags *d);

/* The file of the bundled face for family (as named in the theme), bold and italic; the
 * nearest face the family has (e.g. regular for bold-italic mono). NULL if the family is not
 * bundled. The string is owned by this module. */
const char *ov_fonts_file(const char *family, gboolean bold, gboolean italic);

/* Is family one of the bundled families? */
gboolean ov_fonts_bundled(const char *family);

#endif
