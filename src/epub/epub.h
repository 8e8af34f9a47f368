/* epub.h: the EPUB 3 back end. */
#ifndef OCTAVO_EPUB_H
#define OCTAVO_EPUB_H

#include "../model.h"
#include "../theme.h"

/* Write the EPUB of the resolved doc to path (a temporary file that the caller renames into
 * place only on success). FALSE with the reason in d (set d->io_failed for I/O failures). */
gboolean ov_epub_write(const OvDoc *doc, const OvTheme *theme, const char *path, OvDiags *d);

#endif
