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
/* The map of the thread that shapes paragraphs ahead of the layout (src/pdf/text.c), over
 * the configuration new maps get: one such thread at a time, and the map is kept for the
 * process, as the lines it shapes hold its fonts for as long as they live (a font does not
 * keep its map). NULL if the fonts folder cannot be read. */
PangoFontMap *ov_fonts_ahead_map(void);
/* Load the bundled fonts' configuration (what ov_fonts_map's first call spends its time on),
 * from any thread: a build starts it while the book is read. */
void ov_fonts_preload(void);
/* What the bundled set is made of, as text: fontconfig's version, the configuration files it
 * was loaded with (the system's rules: antialiasing, hinting, emboldening) and the font
 * files, each with its size and time: what a drawing cached from them depends on. */
char *ov_fonts_config_id(void);

/* Font maps made from now on (and the calling thread's) set text with the system's fonts
 * after the bundled ones. Until this is called, maps hold only the bundled fonts; a book that
 * needs more (a theme naming an installed family, characters the bundled families lack) must
 * call it before it is typeset, or typeset again after it (see ov_fonts_take_fallback). */
void ov_fonts_use_system(void);
/* Has ov_fonts_use_system been called? */
gboolean ov_fonts_system(void);
/* Text was set with a font outside its families, or without a glyph, by a map of bundled
 * fonts alone: the system's fonts may set it otherwise. Noted until taken. */
void ov_fonts_fallback(void);
/* Was ov_fonts_fallback called since the last time this was asked? */
gboolean ov_fonts_take_fallback(void);
/* The same, without taking it: a typesetting pass that will be set again can stop. */
gboolean ov_fonts_fallback_pending(void);
/* Does every face of the bundled family map every character of text (spaces and controls
 * aside)? FALSE for a family that is not bundled. */
gboolean ov_fonts_covers(const char *family, const char *text);
/* Before librsvg sets an SVG's text: it uses fontconfig's current configuration, which must
 * be the system's (with the system's fonts), not the bundled one. */
void ov_fonts_for_svg(void);

/* After the theme's family, every bundled family, so that a character the theme's font lacks
 * is set with a bundled font whenever one has it (the same with the system's fonts loaded or
 * not: the output never depends on the machine's fonts when it need not). Noto Sans Mono has
 * the geometric shapes and arrows the others lack (the third level's list mark, U+25E6). The
 * PDF's font descriptions and the EPUB's font stacks both follow the theme's family with it. */
#define OV_FALLBACK_FAMILY "Noto Naskh Arabic,Noto Sans Hebrew,Noto Sans,Noto Sans Mono,Droid Sans Fallback"

/* The file of the bundled face for family (as named in the theme), bold and italic; the
 * nearest face the family has (e.g. regular for bold-italic mono). NULL if the family is not
 * bundled. The string is owned by this module. */
const char *ov_fonts_file(const char *family, gboolean bold, gboolean italic);
/* The same, only for a face the family has: NULL for bold-italic mono. */
const char *ov_fonts_file_exact(const char *family, gboolean bold, gboolean italic);
/* Does a bundled face of family map c? */
gboolean ov_fonts_has(const char *family, gunichar c);

/* Is family one of the bundled families? */
gboolean ov_fonts_bundled(const char *family);

/* A subset of a font file's data (TrueType or OpenType) for embedding in one document: the
 * glyphs of chars and what OpenType layout reaches from them (ligatures, small capitals,
 * alternates: every feature is kept), hinting, and the English name records (copyright,
 * licence). A font that declares Reserved Font Names (SIL OFL) gets primary names without
 * them, as the OFL asks of a Modified Version. The same input gives the same bytes. NULL
 * when the data is not a font HarfBuzz can subset: the caller keeps the whole font. The EPUB
 * caches what it makes: a change to what it makes changes SUBSET_MAGIC (src/epub/package.c). */
GBytes *ov_fonts_subset(GBytes *font, const gunichar *chars, gsize n_chars);

#endif
