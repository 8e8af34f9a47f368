/* epub.h: the EPUB 3 back end. */
#ifndef OCTAVO_EPUB_H
#define OCTAVO_EPUB_H

#include "../model.h"
#include "../theme.h"
#include "../pagemap.h"

/* Write the EPUB of the resolved doc to path (a temporary file that the caller renames into
 * place only on success). pm (may be NULL): the print edition's pages, marked in the text and
 * listed in the page list. cover (may be NULL): the typeset cover drawn ahead by
 * ov_epub_cover_png, used when the book has no cover image of its own. FALSE with the reason
 * in d (set d->io_failed for I/O failures). */
gboolean ov_epub_write(const OvDoc *doc, const OvTheme *theme, const OvPageMap *pm, GBytes *cover, const char *path,
		       OvDiags *d);

/* The typeset cover as the PNG ov_epub_write puts in the EPUB of a book without a cover image
 * (ov_cover_image NULL), drawn ahead: it reads only the book's metadata and the theme, so it
 * can be drawn in another thread while the book is typeset. NULL when the drawing reported a
 * problem in d (ov_epub_write then draws it again and reports it). */
GBytes *ov_epub_cover_png(const OvDoc *doc, const OvTheme *theme, OvDiags *d);
/* Load libzip now (from any thread; writing the EPUB loads it otherwise). */
void ov_epub_preload(void);

#endif
