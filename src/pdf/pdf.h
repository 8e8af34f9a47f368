/* pdf.h: the PDF back end: boxes, pages, then drawing with Cairo. */
#ifndef OCTAVO_PDF_H
#define OCTAVO_PDF_H

#include "../model.h"
#include "../theme.h"

typedef struct {
	const char *png_dir;  /* also write one PNG per page here (NULL: none) */
	double png_dpi;       /* resolution of those PNGs */
	const char *layout;   /* also write the pages' boxes as text to this file (NULL: none) */
	const char *report;   /* also write the typographic report (JSON) to this file */
} OvPdfOptions;

/* Typeset the resolved doc and write the PDF to path (a temporary file the caller renames
 * into place only on success). FALSE with the reason in d. */
gboolean ov_pdf_write(const OvDoc *doc, const OvTheme *theme, const char *path, const OvPdfOptions *o, OvDiags *d);

#endif
