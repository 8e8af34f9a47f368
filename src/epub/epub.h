/* epub.h: the EPUB 3 back end. */
#ifndef OCTAVO_EPUB_H
#define OCTAVO_EPUB_H

#include "../model.h"
#include "../theme.h"
#include "../pagemap.h"

/* Write the EPUB of the resolved doc to path (a temporary file that the caller renames into
 * place only on success). pm (may be NULL): the print edition's pages, marked in the text and
 * listed in the page list. FALSE with the reason in d (set d->io_failed for I/O failures). */
gboolean ov_epub_write(const OvDoc *doc, const OvTheme *theme, const OvPageMap *pm, const char *path, OvDiags *d);

#endif
