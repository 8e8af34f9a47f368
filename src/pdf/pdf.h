/* pdf.h: the PDF back end: boxes, pages, then drawing with Cairo.
 *
 * Typesetting and writing are two steps: the typeset book's page map (which page starts
 * where) feeds the "page N" references, the index and the EPUB's page list before anything is
 * written; a changed model is typeset again. */
#ifndef OCTAVO_PDF_H
#define OCTAVO_PDF_H

#include "../model.h"
#include "../theme.h"
#include "../pagemap.h"

typedef struct {
	const char *png_dir;  /* also write one PNG per page here (NULL: none) */
	double png_dpi;       /* resolution of those PNGs */
	const char *layout;   /* also write the pages' boxes as text to this file (NULL: none) */
	const char *report;   /* also write the typographic report (JSON) to this file */
} OvPdfOptions;

typedef struct OvPdf OvPdf;
typedef struct OvPdfMemo OvPdfMemo;

/* Paragraphs as one typesetting pass set them, for the next passes of the same book to take
 * whole where their text, attributes, fonts and measure are the same (the output does not
 * change). Typesetting with the system's fonts after the bundled ones forgets them. */
OvPdfMemo *ov_pdf_memo_new(void);
void ov_pdf_memo_free(OvPdfMemo *m);
/* A memo kept from build to build (watch's): a build begins with ov_pdf_memo_build (which
 * forgets everything when the theme's hyphenation limits changed, or the system's fonts are
 * in use) and ends with ov_pdf_memo_sweep, which lets go of every paragraph and way of
 * breaking it that the build did not take. */
void ov_pdf_memo_build(OvPdfMemo *m, const OvTheme *th);
void ov_pdf_memo_sweep(OvPdfMemo *m);

/* Typeset the resolved doc into pages; report: measure what the typographic report needs;
 * memo: NULL, or what the passes before this one set. draw_to: NULL, or the PDF that
 * ov_pdf_write will write, for the body's pages to be drawn in a second thread as they are
 * finished (into a scratch file beside it: nothing is written to it yet). map_only: only the
 * page map is wanted (no ov_pdf_write): each page lets go of its boxes once it is in the map.
 * NULL when the fonts cannot be set up; problems of the book go to d. */
OvPdf *ov_pdf_typeset(const OvDoc *doc, const OvTheme *theme, gboolean report, OvPdfMemo *memo, const char *draw_to,
		      gboolean map_only, OvDiags *d);
/* Pages drawn as they were finished hold a link whose destination never came: typeset again
 * without draw_to (that drawing writes no such link). */
gboolean ov_pdf_drawn_badly(const OvPdf *pdf);
/* Where each page starts; owned by pdf. */
const OvPageMap *ov_pdf_page_map(OvPdf *pdf);
/* How many paragraphs the pass shaped, and how many of them a second thread shaped ahead of
 * the layout (for -v). */
void ov_pdf_shaped(const OvPdf *pdf, guint *all, guint *ahead);
/* Draw the typeset pages into the PDF at path (a temporary file the caller renames into place
 * only on success). FALSE with the reason in d. */
gboolean ov_pdf_write(OvPdf *pdf, const char *path, const OvPdfOptions *o, OvDiags *d);
void ov_pdf_free(OvPdf *pdf);
/* Load the hyphenation patterns of language lang ("en-GB") ahead of typesetting, from any
 * thread: they are kept for the process. Reports nothing (typesetting does). */
void ov_pdf_preload(const char *lang);

#endif
