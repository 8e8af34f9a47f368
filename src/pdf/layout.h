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
#include "../pagemap.h"

typedef enum {
	IT_LINE,   /* a line of text: line, baseline at (x, y) */
	IT_RULE,   /* a line from (x, y) to (x + w, y + h), width lw */
	IT_IMAGE,  /* an image scaled into (x, y, w, h) */
	IT_LINK,   /* a link area (x, y, w, h) to dest or uri */
	IT_DEST,   /* a named destination at (x, y) */
	IT_MARK    /* a continuation mark for a wrapped code line at (x, y) */
} ItemKind;

/* Where the model's text is in a paragraph's text, for the page map (pdf.c): held by its
 * paragraph and by the items of the lines placed from it. */
typedef struct TextSource TextSource;

/* A structure element of the tagged PDF: a type and the element it sits in. Items point at
 * the innermost element they belong to; one element may hold items on several pages (each
 * page then gets a part of it). */
typedef struct StructEl StructEl;
struct StructEl {
	const StructEl *parent;
	const char *tag;         /* P, H1, L, LI, LBody, Lbl, Table, TR, TD, Figure, ... */
	const char *alt;         /* a Figure's alt text ("": none), NULL for any other element */
};

/* ---- lines.c: paragraphs shaped once, broken into lines ---- */

typedef struct OvShaped OvShaped;

enum { LP_NORMAL, LP_WORD, LP_SILENT };

/* A piece of one shaped run on a line. */
typedef struct {
	PangoGlyphItem *gi;     /* owned; item->offset indexes the paragraph text; gi->glyphs is
	                         * NULL once the line is made and its glyphs are packed */
	void *packed;           /* the glyphs of a made line, packed (lines.c), or NULL */
	double x, w;            /* from the line's left, points */
	double y_off;           /* baseline shift (negative: up) */
	int nglyphs;            /* of packed */
	unsigned mode : 2;      /* LP_WORD: a hyphenated word's first part, which carries the whole
	                         * word as its text; LP_SILENT: its second part, no text */
	unsigned has_hyphen : 1; /* the added hyphen follows this piece */
	unsigned soft_end : 1;  /* a long word breaks after it: U+00AD ends its text */
	unsigned wide : 1;      /* packed: 12 bytes a glyph, not 8 */
	unsigned offsets : 1;   /* packed holds the glyphs' offsets too */
	int word_start, word_end;
} LinePiece;

typedef struct {
	int ref;
	guint noted;            /* the page map (pdf.c) that noted it on a page: its serial */
	char *text;             /* the paragraph's text (GRefString) */
	GArray *pieces;         /* LinePiece, visual order */
	int start, len;         /* visible bytes of the text */
	int next;               /* where the next line starts */
	int word_end;           /* a hyphenated last word's end (on the next line) */
	double x;               /* left of the line from the paragraph's left: indent, alignment */
	double width, ascent, descent, size;
	double ratio;           /* adjustment ratio of the spaces (ragged: of the rag) */
	double space;           /* mean interword space as set, points (0: none) */
	int nglue, pass;        /* spaces; breaking pass (0 greedy, 1 tolerance, 2 emergency
	                         * stretch, 3 breaks inside words) */
	gboolean hyphen, overfull, justified, rtl;
	PangoGlyphString *hy;   /* the added hyphen's glyphs */
	PangoFont *hy_font;
	double hy_w;
	double base_asc, base_desc; /* the paragraph's own font's */
	float *deco;            /* per piece: underline position and thickness, strike-through
	                         * position and thickness (points); NULL if no piece has either */
} OvLine;

typedef enum { OV_BREAK_JUSTIFY, OV_BREAK_RAGGED } OvBreakMode;

typedef struct {
	double width, indent;   /* the measure; the first line's indent */
	OvBreakMode mode;
	PangoAlignment align;
	gboolean hyphenate, greedy;
	int max_hyphens;        /* most consecutive hyphenated lines */
	double tolerance;       /* badness, first pass */
	double emergency_stretch, rag; /* points */
	double letter_space;    /* justified text: most letter-spacing per gap at ratio 1 (half of it
	                         * at -1), points */
} OvBreakSpec;

/* Shape text once (attrs: Pango attributes by byte; hyph: byte offsets where a word may be
 * hyphenated). */
OvShaped *ov_shape(PangoContext *pc, const char *text, int len, PangoAttrList *attrs, const PangoFontDescription *fd,
		   PangoLanguage *lang, double size, const int *hyph, int nhyph);
void ov_shaped_free(OvShaped *sh);
const char *ov_shaped_text(const OvShaped *sh);
/* Take text (a GRefString of the same bytes) for sh's own copy: its lines will hold it. */
void ov_shaped_share_text(OvShaped *sh, char *text);
const GPtrArray *ov_shaped_runs(const OvShaped *sh); /* PangoGlyphItem*, logical order */
double ov_shaped_natural_width(const OvShaped *sh);
double ov_shaped_min_width(const OvShaped *sh);
/* Break into lines (OvLine*; the array frees them). */
GPtrArray *ov_break(const OvShaped *sh, const OvBreakSpec *bs);
/* The same in exactly nlines lines, each within the tolerance (justified text); or NULL. */
GPtrArray *ov_break_lines(const OvShaped *sh, const OvBreakSpec *bs, int nlines);
OvLine *ov_line_ref(OvLine *ln);
void ov_line_unref(OvLine *ln);
double ov_line_index_to_x(const OvLine *ln, int i);
/* How many of the line's glyphs are drawn away from their pen position (x offset: marks,
 * letter-spacing). */
int ov_line_moved_glyphs(const OvLine *ln);
/* A line's box: the paragraph's leading, grown only by what rises above or hangs below the
 * paragraph's own font (a larger run, an inline image, a superscript); *base: the baseline
 * from the box's top (half the leading above the font, half below, as in CSS). */
double ov_line_box(const OvLine *ln, double leading, double *base);
/* Draw with the baseline's left end at (x, y). */
void ov_line_draw(cairo_t *cr, const OvLine *ln, double x, double y, guint32 color);
/* The same, with around(im, TRUE) before each image it holds is drawn and around(im, FALSE)
 * after (a tagged PDF's Figure element for an inline image). */
void ov_line_draw_tagged(cairo_t *cr, const OvLine *ln, double x, double y, guint32 color,
			 void (*around)(const OvImage *im, gboolean begin, void *data), void *data);
/* Each image the line holds, in the order it draws them. */
void ov_line_foreach_image(const OvLine *ln, void (*fn)(const OvImage *im, void *data), void *data);
/* One shaped run of text (item offsets into text), its pen starting dx (Pango units) right of
 * (x, y); size: its font's, for the box of a missing glyph. Cairo alone, no Pango. */
void ov_run_draw(cairo_t *cr, const char *text, const PangoGlyphItem *run, double x, double y, int dx, double size);

typedef struct {
	ItemKind kind;
	double x, y, w, h, lw;
	OvLine *line;           /* IT_LINE: referenced */
	guint32 color;          /* 0xRRGGBB */
	const OvImage *img;     /* IT_IMAGE: owned by the Layout */
	const char *dest;       /* IT_LINK / IT_DEST: destination name (in the doc's strings) */
	const char *uri;        /* IT_LINK: external */
	const StructEl *st;     /* the structure element it belongs to (tagged PDF); NULL: none */
	TextSource *ts;         /* IT_LINE of the model's text: where it is in it (referenced) */
} Item;

typedef enum { PG_COVER, PG_TITLE, PG_FRONT, PG_BODY } PageKind;

typedef struct {
	PageKind kind;
	GArray *items;          /* Item */
	int number;             /* printed number within its kind (front: roman, body: arabic) */
	gboolean opening;       /* a chapter opening page: no running header */
	gboolean blank;         /* left blank to make a chapter open on a right-hand page */
	gboolean blind;         /* its number is not printed: a display page (a part's title, the copyright page) */
	const char *header;     /* running header text, or NULL */
	const OvNode *toc_first; /* a contents page after the first: the division whose line it begins with */
	const OvNode *opens;    /* a body page a part or chapter opens: the page map starts it there,
	                         * though it may hold none of the division's text (an empty title) */
	double fn_height;       /* footnote area height */
	double end_y;           /* a body page the flow has left: where its text ended */
	GArray *fn_items;       /* Item: footnote lines, y relative to the footnote area's top */
	GPtrArray *dests;       /* Dest* on this page, or NULL */
	gboolean furnished;     /* its running header and number are set (ov_pdf_page_furnish) */
	GPtrArray *furn[2];     /* the running header's and the page number's runs (their
	                         * PangoGlyphItem, text in furn_text); NULL: none */
	char *furn_text[2];
	double furn_x[2], furn_y[2]; /* where their baselines start */
} Page;

typedef struct {
	const char *dest;
	int page;               /* index into pages */
	double y;
	gboolean in_notes;      /* y is from the top of its page's note area, which grows with every
	                         * note the page takes: made absolute once the page is finished (flow.c) */
} Dest;

typedef struct Report Report;
typedef struct ParaSource ParaSource;
typedef struct TextWalk TextWalk;
typedef struct OvPdfMemo OvPdfMemo;

typedef struct Drawer Drawer;
typedef struct OvAhead OvAhead;

/* Shared state of one typesetting run. */
typedef struct {
	const OvDoc *doc;
	const OvTheme *th;
	OvDiags *d;
	PangoFontMap *fm;
	PangoContext *pc;
	GPtrArray *pages;       /* Page* */
	GHashTable *dests;      /* dest name -> Dest* (every id, every TOC entry) */
	GPtrArray *images;      /* OvImage*, freed at the end */
	GPtrArray *alts;        /* alt text of each Figure structure element, in the order Cairo made
	                         * them ("" if none): the drawer's (DrawTags), once it is done */
	GPtrArray *structs;     /* StructEl*, owned */
	GStringChunk *strings;  /* running headers, list marks: freed with the layout */
	GHashTable *hyph;       /* lang -> HyphenDict* (or a NULL marker) */
	GHashTable *words;      /* HyphenDict* -> (word -> its hyphenation points): text.c */
	GHashTable *unset;      /* characters check_glyphs warned about (text.c), or NULL */
	Report *report;         /* --report: what is measured, or NULL */
	OvPdfMemo *memo;        /* paragraphs set in earlier passes (text.c), or NULL */
	Drawer *drawer;         /* draws the body pages as they are finished (pdf.c), or NULL */
	OvAhead *ahead;         /* shapes the body's paragraphs ahead of the flow (text.c), or NULL */
	guint shaped, shaped_ahead; /* paragraphs shaped in this pass; of them, shaped ahead (-v) */
	OvDiags *draw_d;        /* what drawing finds goes here: d, or the drawer's own */
	GHashTable *linked;     /* dest names of links on finished pages, not placed then */
	guint nfront;           /* front matter pages (first in pages once made) */
	gboolean map_only;      /* no PDF: a finished page lets go of its boxes (ov_pdf_page_done) */
	/* the page map, made page by page as the body's pages are finished (pdf.c) */
	OvPageMap *pm;
	GArray *body_starts;    /* where each body page starts */
	guint map_serial;       /* its serial: a line noted on a page has it (OvLine.noted) */
	TextWalk *walk;         /* where the last line looked up was in the model's text (pdf.c) */
	guint64 reached;        /* the furthest place in document order they reach */
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
	const OvNode *text;     /* the model text shown here: an OV_TEXT's, or an xref's or empty
	                         * link's generated text (for the page map) */
} Span;

typedef struct {
	Layout *lo;
	ParaSource *src;        /* what it is shaped from, and the lines earlier passes broke it into */
	gboolean own_src;       /* src is the paragraph's own, not the memo's */
	OvShaped *sh;           /* shaped when first needed: NULL while every break was one an
	                         * earlier pass made */
	GPtrArray *lines;       /* OvLine* */
	GArray *spans;          /* Span */
	double leading;         /* baseline distance for its lines */
	OvBreakSpec bs;
	const OvNode *node;     /* where it comes from (the report), or NULL */
	TextSource *ts;         /* where the model's text is in it (the page map), or NULL */
	double dx;              /* its lines' shift right: balanced at a narrower measure (ov_pdf_para_balance) */
} Para;

/* An image size attribute in points: em, %, mm, cm, in, pt, or px (also a bare number, at
 * 96 px to the inch). % is of `of`; dflt when absent or unusable. */
double ov_pdf_image_length(const char *v, double em, double of, double dflt);
/* Lay out the inline content of node (a para, title, term, ...) at width points wide. prefix
 * (may be NULL) is set in bold before it (a run-in title, a list label). */
Para *ov_pdf_para(Layout *lo, const OvNode *node, TextStyle style, double size, double width,
		  PangoAlignment align, gboolean justify, const char *prefix);
/* OV_PARA_RUN_IN: the first paragraph of a formal paragraph, its title's inline content run in
 * before it, bold, with a full stop */
enum { OV_PARA_BOLD = 1, OV_PARA_PLAIN_PREFIX = 2, OV_PARA_NO_HYPHENS = 4, OV_PARA_INDENT = 8, OV_PARA_RUN_IN = 16,
       OV_PARA_ITALIC = 32, OV_PARA_HYPHENATE = 64 };
/* The same with flags: all bold, prefix not bold, never hyphenated, first line indented by the
 * theme's indent, all italic, hyphenated in any style (a table's header cell). */
Para *ov_pdf_para_ex(Layout *lo, const OvNode *node, TextStyle style, double size, double width,
		     PangoAlignment align, gboolean justify, const char *prefix, int flags);
/* Where the model's text is in a paragraph's text (the spans with .text; node: the block it
 * was made from), for the page map. */
TextSource *ov_pdf_text_source(const OvNode *node, const GArray *spans);
TextSource *ov_pdf_text_source_ref(TextSource *ts);
void ov_pdf_text_source_unref(TextSource *ts);
/* A typesetting pass begins with m (NULL: none); m is returned, for lo->memo. */
OvPdfMemo *ov_pdf_memo_pass(OvPdfMemo *m);
/* A block media object's image where only paragraphs go (a table cell, a footnote): a
 * paragraph of one line holding im at w x h points (its node: media). */
Para *ov_pdf_image_para(Layout *lo, const OvNode *media, OvImage *im, double w, double h, double width,
			PangoAlignment align);
/* A paragraph of plain text. */
Para *ov_pdf_plain(Layout *lo, const char *text, TextStyle style, double size, double width,
		   PangoAlignment align, gboolean bold);
/* The same in a language (NULL or "": the book's): its script's fonts are chosen for it. */
Para *ov_pdf_plain_lang(Layout *lo, const char *text, TextStyle style, double size, double width,
			PangoAlignment align, gboolean bold, const char *lang);
void ov_pdf_para_free(Para *p);
/* The link area of span sp on line ln, set from x with its box from top, h high: FALSE when
 * sp links nowhere, is not on the line or is too narrow to click. */
gboolean ov_pdf_span_link(const Span *sp, const OvLine *ln, double x, double top, double h, Item *it);
/* The left edge of page p's text: its inner or (a body verso with facing pages) outer margin. */
double ov_pdf_page_x0(const Layout *lo, const Page *p);
/* Break again at another measure or first-line indent. */
void ov_pdf_para_rebreak(Para *p, double width, double indent);
/* A ragged display paragraph (a heading, a title) of two lines or more: broken at the narrowest
 * measure that keeps its line count, so no short word stands alone on its last line; aligned
 * as at its measure (dx). */
void ov_pdf_para_balance(Para *p);
/* Its lines in exactly nlines lines (ov_break_lines), or NULL. */
GPtrArray *ov_pdf_para_break_lines(Para *p, int nlines);
/* Its text (the one its lines hold). */
const char *ov_pdf_para_text(const Para *p);
/* The width of the widest line it would make at no measure at all. */
double ov_pdf_para_natural_width(Para *p);
/* Its longest unbreakable piece (ov_shaped_min_width). */
double ov_pdf_para_min_width(Para *p);
/* The height of its lines at its leading. */
double ov_pdf_para_height(const Para *p);
/* The destination name of a node: the model's name for its place (ov_node_anchor), the
 * EPUB's id for it; NULL for none. */
const char *ov_pdf_dest_of(Layout *lo, const OvNode *node);
/* The same, for a node with an id of its own only. */
const char *ov_pdf_id_dest(Layout *lo, const OvNode *node);
PangoFontDescription *ov_pdf_font(Layout *lo, TextStyle style, double size);

/* The flow's Pango context over fm: what every paragraph is shaped with. */
PangoContext *ov_pdf_context(PangoFontMap *fm, const char *lang);

/* A thread that shapes the body's paragraphs ahead of the flow, in a font map of its own
 * (text.c); NULL when there is nothing to gain (a later pass) or no fonts. Stopped (and
 * freed) once the flow is over. The output is the same with it or without. */
OvAhead *ov_pdf_ahead_start(Layout *lo);
void ov_pdf_ahead_stop(OvAhead *ah);
/* In that thread: shape node's paragraph as ov_pdf_para_ex(node, style, size, prefix,
 * flags) would (its measure does not matter). FALSE: stop, the flow is over. */
gboolean ov_pdf_ahead_shape(OvAhead *ah, const OvNode *node, TextStyle style, double size, const char *prefix, int flags);

/* ---- flow.c ---- */

/* Typeset the body (everything but the front matter) into lo->pages. */
void ov_pdf_flow_body(Layout *lo);
/* In the thread that shapes ahead: each paragraph of the body that the flow sets most often
 * (body text, code, terms, headings, table cells, footnotes), in the order the flow sets
 * them, to ov_pdf_ahead_shape. */
void ov_pdf_flow_ahead(OvAhead *ah, const OvTheme *th, const OvNode *root);
/* A new page of the given kind, appended. */
Page *ov_pdf_page_new(Layout *lo, PageKind kind);
void ov_pdf_page_free(Page *p);
void ov_pdf_page_empty(Page *p);
void ov_pdf_add_item(Page *p, Item it);
/* A named destination on page at y: the new one, or NULL when dest is NULL or already set. */
Dest *ov_pdf_add_dest(Layout *lo, const char *dest, int page, double y);
/* A rule from (x, y) to (x + w, y + h), lw wide. */
Item ov_pdf_rule(double x, double y, double w, double h, double lw, guint32 color);

/* A new structure element of type tag inside parent (NULL: at the top). */
const StructEl *ov_pdf_struct(Layout *lo, const StructEl *parent, const char *tag);

/* ---- report.c ---- */

typedef enum { REPORT_WIDOW, REPORT_ORPHAN, REPORT_LONELY_HEADING } ReportEvent;
Report *ov_report_new(void);
void ov_report_free(Report *r);
/* A paragraph placed, its first line on page (index). No-op without a report. */
void ov_report_para(Layout *lo, const Para *p, int page);
void ov_report_count(Layout *lo, ReportEvent ev);
typedef struct ReportMark ReportMark;
ReportMark *ov_report_mark(Layout *lo);               /* NULL without a report; g_free() it */
void ov_report_rewind(Layout *lo, ReportMark *m);    /* and frees m */
gboolean ov_report_write(Layout *lo, const char *path, OvDiags *d);

/* ---- pdf.c ---- */

/* Body page i is finished (flow.c, in order): into the page map, and to the drawer. */
void ov_pdf_page_done(Layout *lo, guint i);
/* Write a text file the build asked for (--layout, --report) into path, the temporary file
 * build.c puts in place with the other outputs; FALSE with the reason in d. */
gboolean ov_pdf_save_text(const char *path, const GString *s, OvDiags *d);

/* ---- draw.c ---- */

/* The tags of a tagged PDF being drawn: links and structure elements. */
typedef struct {
	int depth;              /* open now */
	int top;                /* begun at the top of the structure tree so far */
	gboolean any_dest;      /* a link's destination may be still to come: write every link */
	GPtrArray *alts;        /* the alt text of each Figure element begun ("" if none), in the
	                         * order Cairo makes them: read from the element itself (pdf.c
	                         * gives each its /Alt); NULL: not kept */
} DrawTags;

/* Set the running header and the page number of p (Pango; in the layout's thread). */
void ov_pdf_page_furnish(Layout *lo, Page *p);
/* Draw p on cr (in points, origin top left); with tags (dt), its links and structure
 * elements too (a PDF). Only Cairo, once p is furnished: a thread of its own may draw the
 * body's pages while the layout goes on (the cover page needs Pango). */
void ov_pdf_draw_page(Layout *lo, DrawTags *dt, cairo_t *cr, Page *p);
/* A value escaped for a Cairo tag attribute (\ and ' escaped; an unescaped one loses the
 * whole PDF to CAIRO_STATUS_TAG_ERROR). Free with g_free. */
char *ov_pdf_tag_escape(const char *s);
/* The same for a link's uri, with what Cairo would write into the PDF as it is (a backslash,
 * parentheses unless balanced) or take in no string (a noncharacter) percent-encoded. */
char *ov_pdf_tag_uri(const char *uri);
/* The same for a destination's name, made a name Cairo writes safely where it has what it
 * would not, or a noncharacter (the same name for a link, a named destination and an outline
 * entry). */
char *ov_pdf_tag_dest(const char *name);
/* The label a page shows: "Cover", "iii", "12". */
char *ov_pdf_page_label(const OvDoc *doc, const Page *p);

#endif
