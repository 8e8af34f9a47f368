/* layout.h: the PDF back end's pages of positioned boxes, made without drawing.
 *
 * The flow (flow.c) turns the model into pages; text.c turns inline content into Pango
 * layouts; draw.c draws finished pages with Cairo (to the PDF, or to PNG previews). Every
 * id records its (page, y), so the TOC, the outline and links all use one pagination. */
#ifndef OCTAVO_PDF_LAYOUT_H
#define OCTAVO_PDF_LAYOUT_H

#include <pango/pangocairo.h>
#include "../model.h"
#include "../theme.h"
#include "../image.h"

typedef enum {
	IT_LINE,   /* a line of text: line, baseline at (x, y) */
	IT_RULE,   /* a line from (x, y) to (x + w, y + h), width lw */
	IT_IMAGE,  /* an image scaled into (x, y, w, h) */
	IT_LINK,   /* a link area (x, y, w, h) to dest or uri */
	IT_DEST,   /* a named destination at (x, y) */
	IT_MARK    /* a continuation mark for a wrapped code line at (x, y) */
} ItemKind;

/* A structure element of the tagged PDF: a type and the element it sits in. Items point at
 * the innermost element they belong to; one element may hold items on several pages (each
 * page then gets a part of it). */
typedef struct StructEl StructEl;
struct StructEl {
	const StructEl *parent;
	const char *tag;         /* P, H1, L, LI, LBody, Lbl, Table, TR, TD, Figure, ... */
};

typedef struct {
	ItemKind kind;
	double x, y, w, h, lw;
	PangoLayoutLine *line;  /* IT_LINE: referenced */
	PangoLayout *layout;    /* IT_LINE: the line's layout, referenced: a line does not keep it,
	                         * and without its text Cairo cannot map glyphs back to characters */
	guint32 color;          /* 0xRRGGBB */
	const OvImage *img;     /* IT_IMAGE: owned by the Layout */
	const char *dest;       /* IT_LINK / IT_DEST: destination name (in the doc's strings) */
	const char *uri;        /* IT_LINK: external */
	const StructEl *st;     /* the structure element it belongs to (tagged PDF); NULL: none */
} Item;

typedef enum { PG_COVER, PG_TITLE, PG_FRONT, PG_BODY } PageKind;

typedef struct {
	PageKind kind;
	GArray *items;          /* Item */
	int number;             /* printed number within its kind (front: roman, body: arabic) */
	gboolean opening;       /* a chapter opening page: no running header */
	gboolean blank;         /* left blank to make a chapter open on a right-hand page */
	const char *header;     /* running header text, or NULL */
	double fn_height;       /* footnote area height */
	GArray *fn_items;       /* Item: footnote lines, y relative to the footnote area's top */
} Page;

typedef struct {
	const char *dest;
	int page;               /* index into pages */
	double y;
} Dest;

/* Shared state of one typesetting run. */
typedef struct {
	const OvDoc *doc;
	const OvTheme *th;
	OvDiags *d;
	PangoFontMap *fm;
	PangoContext *pc;
	GPtrArray *pages;       /* Page* */
	GHashTable *dests;      /* dest name -> Dest* (every id, every TOC entry) */
	GHashTable *node_dest;  /* OvNode* -> dest name, for nodes without an id */
	GPtrArray *images;      /* OvImage*, freed at the end */
	GPtrArray *alts;        /* alt text of each Figure structure element, in order ("" if none) */
	GPtrArray *structs;     /* StructEl*, owned */
	GHashTable *hyph;       /* lang -> HyphenDict* (or a NULL marker) */
	int dest_serial;
	double page_w, page_h;
	guint32 text_color, heading_color, link_color, rule_color;
} Layout;

/* ---- text.c ---- */

typedef enum { TS_BODY, TS_HEADING, TS_MONO, TS_FOOTNOTE, TS_SMALL } TextStyle;

/* A link, anchor or footnote mark found in a paragraph's text, by byte range. */
typedef struct {
	int start, end;         /* bytes in the layout's text */
	const char *dest;       /* internal target */
	const char *uri;        /* external target */
	const OvNode *footnote; /* a footnote called here */
	const char *anchor;     /* an id that sits here */
	const OvNode *text;     /* the model text shown here: an OV_TEXT (hyphenation adds soft
	                         * hyphens), or an xref's or empty link's generated text */
} Span;

typedef struct {
	PangoLayout *layout;
	GArray *spans;          /* Span */
	double leading;         /* baseline distance for its lines */
} Para;

/* An image size attribute in points: em, %, mm, cm, in, pt, or px (also a bare number, at
 * 96 px to the inch). % is of `of`; dflt when absent or unusable. */
double ov_pdf_image_length(const char *v, double em, double of, double dflt);
/* Set up the context's drawing of images in lines. */
void ov_pdf_text_init(Layout *lo);
/* Lay out the inline content of node (a para, title, term, ...) at width points wide. prefix
 * (may be NULL) is set in bold before it (a run-in title, a list label). */
Para *ov_pdf_para(Layout *lo, const OvNode *node, TextStyle style, double size, double width,
		  PangoAlignment align, gboolean justify, const char *prefix);
/* The spans (Span with .text set: where the model's text is) and the node a layout of
 * ov_pdf_para was made from; NULL for other layouts. */
GArray *ov_pdf_layout_spans(PangoLayout *layout, const OvNode **node);
/* A paragraph of plain text. */
Para *ov_pdf_plain(Layout *lo, const char *text, TextStyle style, double size, double width,
		   PangoAlignment align, gboolean bold);
void ov_pdf_para_free(Para *p);
/* The destination name of a node (its id, or a generated name); NULL for no node. */
const char *ov_pdf_dest_of(Layout *lo, const OvNode *node);
PangoFontDescription *ov_pdf_font(Layout *lo, TextStyle style, double size);

/* ---- flow.c ---- */

/* Typeset the body (everything but the front matter) into lo->pages. */
void ov_pdf_flow_body(Layout *lo);
/* A new page of the given kind, appended. */
Page *ov_pdf_page_new(Layout *lo, PageKind kind);
void ov_pdf_page_free(Page *p);
void ov_pdf_add_item(Page *p, Item it);
void ov_pdf_add_dest(Layout *lo, const char *dest, int page, double y);
/* A rule from (x, y) to (x + w, y + h), lw wide. */
Item ov_pdf_rule(double x, double y, double w, double h, double lw, guint32 color);

/* A new structure element of type tag inside parent (NULL: at the top). */
const StructEl *ov_pdf_struct(Layout *lo, const StructEl *parent, const char *tag);

/* ---- draw.c ---- */

/* Draw page i on cr (in points, origin top left). links: emit PDF link and dest tags. */
void ov_pdf_draw_page(Layout *lo, cairo_t *cr, guint i, gboolean links);
/* A value escaped for a Cairo tag attribute (\ and ' escaped; an unescaped one loses the
 * whole PDF to CAIRO_STATUS_TAG_ERROR). Free with g_free. */
char *ov_pdf_tag_escape(const char *s);
/* The label a page shows: "Cover", "iii", "12". */
char *ov_pdf_page_label(const Page *p);

#endif
