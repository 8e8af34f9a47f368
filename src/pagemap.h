/* pagemap.h: where each page of the print edition starts, in terms of the model.
 *
 * The PDF back end makes it after typesetting (ov_pdf_page_map); resolve reads it for the
 * "page N" references and the index's locators (ov_resolve_pages), and the EPUB back end puts
 * a page-break marker at each page's place. A page starts either before a block (a chapter, a
 * paragraph, a list ...: the page begins with it) or inside a text, at a byte offset that is
 * always at the start of a word. */
#ifndef OCTAVO_PAGEMAP_H
#define OCTAVO_PAGEMAP_H

#include "model.h"

typedef enum {
	OV_PM_COVER,      /* the cover page */
	OV_PM_TITLEPAGE,  /* the title page */
	OV_PM_COPYRIGHT,  /* the copyright page */
	OV_PM_TOC,        /* the table of contents */
	OV_PM_BODY        /* the body: everything that comes from the book's divisions */
} OvPageWhere;

typedef struct {
	char *label;          /* the page label, as the PDF's: "Cover", "iii", "12" */
	OvPageWhere where;
	gboolean body;        /* numbered with arabic numbers (a body page) */
	/* where the page starts (body pages; NULL for the others and for a page with nothing of the
	 * model on it, such as a blank page, which then shares the next page's place) */
	const OvNode *before; /* the page begins with this node: before its element */
	const OvNode *text;   /* else inside this node's text (OV_TEXT: text; OV_XREF/OV_LINK: gen) */
	gsize offset;         /* ... at this byte offset, the start of a word */
	const OvNode *toc_first; /* a contents page after the first: the division whose line begins it */
} OvPage;

typedef struct {
	GArray *pages;        /* OvPage, in the PDF's order */
	GArray *starts;       /* guint64 position of each page's start, G_MAXUINT64 when it has none */
	/* where things were set (a figure or table may wait for a later page while the text
	 * flows on, so document order alone does not say): page index + 1, 0 if not set */
	GArray *first, *last; /* guint32 by node->order: the first / last page showing a text or image */
	GHashTable *anchors;  /* an index term or anchor -> the page its destination is on */
} OvPageMap;

/* The page map of doc, whose nodes are numbered in reading order (ov_doc_order). */
OvPageMap *ov_pagemap_new(const OvDoc *doc);
void ov_pagemap_free(OvPageMap *pm);
/* Append a page; before/text may be NULL. */
void ov_pagemap_add(OvPageMap *pm, const char *label, OvPageWhere where, gboolean body, const OvNode *before,
		    const OvNode *text, gsize offset);
/* A place in reading order: (node->order, byte offset), comparable as numbers. */
guint64 ov_pagemap_pos(const OvNode *node, gsize offset);
/* Note that node is shown on page i (text and image nodes) or that an anchor's destination is
 * there. */
void ov_pagemap_set(OvPageMap *pm, const OvNode *node, int i);
void ov_pagemap_set_anchor(OvPageMap *pm, const OvNode *node, int i);
/* Every page recorded by ov_pagemap_set moves n pages on (the front matter was put before
 * the pages it counted). */
void ov_pagemap_shift(OvPageMap *pm, int n);
/* The index of the page node starts on, or -1 when it is on no page (the book's info, a node
 * the PDF does not set): where its first text or image was set, else the last page starting
 * at or before it in document order. end: the page its end is on. */
int ov_pagemap_page_of(const OvPageMap *pm, const OvNode *node, gboolean end);
const OvPage *ov_pagemap_page(const OvPageMap *pm, int i);
/* The text a text-bearing node shows: OV_TEXT's text, an xref's or empty link's gen. */
const char *ov_pagemap_node_text(const OvNode *node);

#endif
