/* fonts.h: the private font set (fonts/ through fontconfig), shared by PDF drawing and EPUB
 * embedding, so output never changes with the machine's fonts. */
#ifndef OCTAVO_FONTS_H
#define OCTAVO_FONTS_H

#include <pango/pangocairo.h>
#include "diag.h"

/* The calling thread's Pango font map over the bundled fonts (created once per thread, owned
 * by this module). Pango objects must not be used by two threads at once, so each thread that
 * lays out text gets a map of its own over the one fontconfig set (read once; fontconfig is
 * thread-safe). System fonts are reachable only as a fallback for characters the bundled fonts
 * lack. NULL with an error in d if the fonts folder cannot be read. */
PangoFontMap *ov_fonts_map(OvDiags *d);

/* The file of the bundled face for family (as named in the theme), bold and italic; the
 * nearest face the family has (e.g. regular for bold-italic mono). NULL if the family is not
 * bundled. The string is owned by this module. */
const char *ov_fonts_file(const char *family, gboolean bold, gboolean italic);

/* Is family one of the bundled families? */
gboolean ov_fonts_bundled(const char *family);

/* A subset of a font file's data (TrueType or OpenType) for embedding in one document: the
 * glyphs of chars and what OpenType layout reaches from them (ligatures, small capitals,
 * alternates: every feature is kept), hinting, and the English name records (copyright,
 * licence). A font that declares Reserved Font Names (SIL OFL) gets primary names without
 * them, as the OFL asks of a Modified Version. The same input gives the same bytes. NULL
 * when the data is not a font HarfBuzz can subset: the caller keeps the whole font. */
GBytes *ov_fonts_subset(GBytes *font, const gunichar *chars, gsize n_chars);

#endif
