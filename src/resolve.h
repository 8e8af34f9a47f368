/* resolve.h: the one pass that gives the model its ids, numbers, TOC and link targets.
 * Both back ends read the result and never invent ids or numbers of their own. */
#ifndef OCTAVO_RESOLVE_H
#define OCTAVO_RESOLVE_H

#include "model.h"
#include "theme.h"
#include "pagemap.h"

/* Fill doc->ids, node numbers/labels, doc->toc, xref/link targets and generated text,
 * doc->footnotes and doc->indexterms. Problems go to d. */
void ov_resolve(OvDoc *doc, const OvTheme *theme, OvDiags *d);

/* Once the PDF is typeset: the page numbers of "page N" references (OV_F_NEED_PAGE: gen and
 * page) and the index's locators, from the page map. commit FALSE: only tell. TRUE when some
 * generated text differs from what the model held (the book must then be typeset again, since
 * the text's width may move what follows). */
gboolean ov_resolve_pages(OvDoc *doc, const OvPageMap *pm, gboolean commit, OvDiags *d);

/* Can ov_resolve_pages change anything: has the book a "page N" reference or a generated
 * index? FALSE: one typesetting pass is all it needs. */
gboolean ov_resolve_has_pages(const OvDoc *doc);
/* A book without pages (an EPUB not tied to the PDF; pageless TRUE): "page N" references show
 * their words alone ("Title", or the default words of a style that asks for the page alone),
 * the index lists sections instead of pages (ov_index_pageless). FALSE: back to the state
 * before typesetting. */
void ov_resolve_pageless(OvDoc *doc, gboolean pageless);
/* Has it a "page N" reference (whose N the first pass cannot know)? */
gboolean ov_resolve_has_page_refs(const OvDoc *doc);

/* n written in the given numeration: 3 -> "3", "c", "C", "iii", "III". */
char *ov_format_number(int n, OvNumeration numeration);

#endif
