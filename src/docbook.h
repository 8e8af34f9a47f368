/* docbook.h: the reader. DocBook 5 and DocBook 4 style XML into the content model. */
#ifndef OCTAVO_DOCBOOK_H
#define OCTAVO_DOCBOOK_H

#include "model.h"

/* Read the book at path (and what it XIncludes) into a new document. Every problem goes to d
 * with file:line:col. Returns NULL when no document could be built; otherwise a document that
 * may still carry errors in d (the caller decides by ov_diags_failed). Never touches the
 * network, reads no external entity and no file outside the book's folder. */
OvDoc *ov_docbook_read(const char *path, OvDiags *d);
/* The same, remarks (editorial notes) kept in the book when remarks is TRUE (the theme's
 * [text] remarks), else left out, as DocBook's stylesheets leave them out. */
OvDoc *ov_docbook_read_book(const char *path, gboolean remarks, OvDiags *d);

/* Validate the book (includes expanded, DocBook 4 moved into the DocBook 5 namespace) against
 * the RELAX NG schema at rng. Schema messages become warnings in d. FALSE on I/O failure. */
gboolean ov_docbook_validate(const char *path, const char *rng, OvDiags *d);

#endif
