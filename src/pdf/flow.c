/* flow.c: the body of the book into pages of positioned items, without drawing.
 *
 * One walk over the model with the enter/exit iterator (no recursion). Blocks become
 * paragraphs of lines (text.c, lines.c); their lines are placed one after another down the
 * text area; a page ends when the next line, with the footnotes it calls, does not fit.
 * Widows and orphans (the theme's counts) and keep-with-next for headings are honoured when
 * breaking; what could not be honoured is counted for the report. */
#include <math.h>
#include <string.h>
#include "layout.h"
#include "../fonts.h"
#include "../progress.h"
#include "../gentext.h"

#define EPS 0.01
#define MIN_LINES 2 /* lines kept with a heading */

typedef struct {
	const OvNode *node;
	const StructEl *container;
	double indent_l, indent_r;
	int list_depth;
	int rule_page;      /* admonitions and sidebars: where their left rule starts */
	double rule_y;
	guint rule_items;   /* the items that page had then */
	gboolean ruled;
} Ctx;

/* A list item's label, set flush right in its gutter beside the item's first line. */
typedef struct {
	const char *text;
	double indent;             /* the item's left indent: the label ends a little before it */
	const StructEl *item;      /* the LI it labels */
} Marker;

typedef struct {
	GPtrArray *paras;   /* Para* of the note */
	double height;
} Note;

typedef struct {
	Layout *lo;
	const OvTheme *th;
	Page *page;
	int page_idx;
	int body_pages;
	double y, top, bottom;   /* bottom: of the text area; footnotes take page->fn_height above it */
	double text_limit;       /* lines of text end above this (a recto matching its short verso) */
	double note_zero;        /* a "0" in the notes' face, for a note number's hang (0: not measured yet) */
	double last_adv;         /* the advance of the last line placed */
	/* facing pages: the last body paragraph, whole on its page with nothing after it yet, and
	 * what it added there, so that a paragraph whose first line would be an orphan below it
	 * can have it set a line longer instead of leaving its page a line short */
	Para *last;
	int last_page;
	guint last_from, last_to;  /* its items on that page */
	double last_y, last_end, last_x;
	const StructEl *last_leaf, *last_container;
	ReportMark *last_mark;
	double x0, measure;      /* the text area on this page */
	double indent_l, indent_r;
	double space;            /* vertical space owed before the next block */
	gboolean para_before;    /* the previous block was a para: indent this one */
	GArray *markers;         /* Marker: list labels waiting for the next line placed */
	int list_depth;
	const char *header;
	GArray *ctx;             /* Ctx */
	GHashTable *notes;       /* footnote node -> Note* */
	GArray *carry;           /* Item: footnote lines that did not fit on the previous page */
	double carry_h;
	const StructEl *container; /* the structure element blocks are placed in (L, LBody, TD, ...) */
	const StructEl *leaf;      /* the element of what is being placed (P, H1, ...) */
	gboolean repeating;        /* placing a table's header rows again: their notes are placed */
	int heading_page;          /* a heading just ended on this page (-1: none): is it alone? */
	guint heading_from;        /* its first item on that page */
	double heading_y;          /* its top */
	gboolean heading_fixed;    /* a chapter's opening heading: it cannot go to the next page */
	GPtrArray *floats;         /* figures waiting for the next page while the text flows on */
	gboolean flushing;
	int code_page;             /* a code block being placed started on this page (-1: none) */
	guint released;            /* pages before this one are finished (ov_pdf_page_done) */
	GPtrArray *pending;        /* Dest*: recorded on this page, nothing set on it since */
	guint pending_items;       /* the page's items when the first of them was recorded */
} Flow;

const StructEl *
ov_pdf_struct(Layout *lo, const StructEl *parent, const char *tag)
{
	StructEl *el;
	int depth = 0;

	/* deeper than draw.c's 16 open elements: merged into the ancestor (bounded work for
	 * Cairo's recursive structure tree writer and for qpdf at any nesting of the input) */
	for (const StructEl *e = parent; e && depth < 16; e = e->parent)
		depth++;
	if (depth >= 16)
		return parent;
	el = g_new0(StructEl, 1);
	el->parent = parent;
	el->tag = tag;
	g_ptr_array_add(lo->structs, el);
	return el;
}

/* What is placed from now on is a new structure element of this type, in the container. */
static void
begin_struct(Flow *f, const char *tag)
{
	f->leaf = ov_pdf_struct(f->lo, f->container, tag);
}

/* Blocks placed from now on sit in a new element of this type (restored when leaving). */
static void
begin_container(Flow *f, const char *tag)
{
	f->container = ov_pdf_struct(f->lo, f->container, tag);
	f->leaf = NULL;
}

static void break_under_heading(Flow *f);

/* Add an item of the current structure element to the current page. */
static void
add(Flow *f, Item it)
{
	if (f->heading_page >= 0 && it.kind != IT_DEST && it.kind != IT_LINK) {
		if (f->page_idx != f->heading_page)
			ov_report_count(f->lo, REPORT_LONELY_HEADING);
		f->heading_page = -1;
	}
	it.st = f->leaf ? f->leaf : f->container;
	ov_pdf_add_item(f->page, it);
}

/* ---- pages ---- */

/* Page p takes no more notes: the destinations in its note area from the page's top. */
static void
settle_note_dests(Layout *lo, Page *p)
{
	double top = lo->page_h - lo->th->margin_bottom - p->fn_height; /* as draw.c draws the notes */
	for (guint k = 0; p->dests && k < p->dests->len; k++) {
		Dest *d = g_ptr_array_index(p->dests, k);
		if (d->in_notes) {
			d->y += top;
			d->in_notes = FALSE;
		}
	}
}

Page *
ov_pdf_page_new(Layout *lo, PageKind kind)
{
	Page *p = g_new0(Page, 1);
	p->kind = kind;
	p->items = g_array_new(FALSE, TRUE, sizeof(Item));
	p->fn_items = g_array_new(FALSE, TRUE, sizeof(Item));
	g_ptr_array_add(lo->pages, p);
	return p;
}

static void
unref_lines(GArray *items)
{
	for (guint i = 0; i < items->len; i++) {
		Item *it = &g_array_index(items, Item, i);
		if (it->line)
			ov_line_unref(it->line);
		ov_pdf_text_source_unref(it->ts);
	}
	g_array_free(items, TRUE);
}

static void
unfurnish(Page *p)
{
	for (int k = 0; k < 2; k++) {
		g_clear_pointer(&p->furn[k], g_ptr_array_unref);
		g_clear_pointer(&p->furn_text[k], g_free);
	}
	if (p->dests)
		g_ptr_array_free(p->dests, TRUE);
	p->dests = NULL;
}

/* The page's boxes and lines let go once it is drawn: its kind and number stay. */
void
ov_pdf_page_empty(Page *p)
{
	unref_lines(p->items);
	unref_lines(p->fn_items);
	unfurnish(p);
	p->items = g_array_new(FALSE, TRUE, sizeof(Item));
	p->fn_items = g_array_new(FALSE, TRUE, sizeof(Item));
}

void
ov_pdf_page_free(Page *p)
{
	unref_lines(p->items);
	unref_lines(p->fn_items);
	unfurnish(p);
	g_free(p);
}

void
ov_pdf_add_item(Page *p, Item it)
{
	g_array_append_val(p->items, it);
}

Item
ov_pdf_rule(double x, double y, double w, double h, double lw, guint32 color)
{
	Item it = { 0 };
	it.kind = IT_RULE;
	it.x = x;
	it.y = y;
	it.w = w;
	it.h = h;
	it.lw = lw;
	it.color = color;
	return it;
}

/* d into the list of destinations page p draws. */
static void
page_add_dest(Page *p, Dest *d)
{
	if (p->dests == NULL)
		p->dests = g_ptr_array_new();
	g_ptr_array_add(p->dests, d);
}

Dest *
ov_pdf_add_dest(Layout *lo, const char *dest, int page, double y)
{
	Dest *d;
	if (dest == NULL || g_hash_table_contains(lo->dests, dest))
		return NULL;
	d = g_new0(Dest, 1);
	d->dest = dest;
	d->page = page;
	d->y = y;
	g_hash_table_insert(lo->dests, (gpointer)dest, d);
	page_add_dest(g_ptr_array_index(lo->pages, page), d);
	return d;
}

/* The page ends. Destinations recorded on it with nothing set after them belong to what comes
 * next, which all went on to the new page (a paragraph, a listing, a heading kept with its
 * text): a link to them would land at the foot of the page before. Out of the page's list
 * before it is released (handed to the drawing); into the new one's (add_pending) after. */
static GPtrArray *
take_pending(Flow *f)
{
	GPtrArray *moved = NULL;

	if (f->pending->len && f->page && f->page->items->len == f->pending_items && f->page->dests) {
		moved = g_ptr_array_new();
		for (guint i = 0; i < f->pending->len; i++) {
			Dest *d = g_ptr_array_index(f->pending, i);
			if (g_ptr_array_remove(f->page->dests, d))
				g_ptr_array_add(moved, d);
		}
	}
	g_ptr_array_set_size(f->pending, 0);
	return moved;
}

static void
add_pending(Flow *f, GPtrArray *moved)
{
	if (moved == NULL)
		return;
	for (guint i = 0; i < moved->len; i++) {
		Dest *d = g_ptr_array_index(moved, i);
		d->page = f->page_idx;
		d->y = f->y;
		page_add_dest(f->page, d);
	}
	g_ptr_array_free(moved, TRUE);
}

/* Is the next body page a right-hand (odd) page? */
static gboolean
next_is_recto(Flow *f)
{
	return (f->body_pages + 1) % 2 == 1;
}

static double note_gap(Flow *f);
static double area_bottom(Flow *f);
static void flush_floats(Flow *f);
static void release(Flow *f, gboolean all);

/* A destination in page's note area, y from the area's top: where it is on the page is known
 * only once the page takes no more notes (settle_note_dests). */
static void
add_note_dest(Layout *lo, const char *dest, int page, double y)
{
	Dest *d = ov_pdf_add_dest(lo, dest, page, y);
	if (d)
		d->in_notes = TRUE;
}

static void
new_page(Flow *f, gboolean opening)
{
	const OvTheme *th = f->th;
	Layout *lo = f->lo;
	GPtrArray *moved = take_pending(f);

	f->text_limit = G_MAXDOUBLE;
	/* facing pages: a verso short by a line or two (widows, orphans, a heading kept with its
	 * text) has its recto end on the same line, as a compositor would make a short spread */
	if (th->facing && !opening && f->page && f->page->kind == PG_BODY && f->page->number % 2 == 0 &&
	    !f->page->blank && !f->page->opening) {
		double short_by = area_bottom(f) - f->y;
		if (f->last_adv > 0 && short_by >= f->last_adv - EPS && short_by < 3 * f->last_adv)
			f->text_limit = f->y;
	}
	if (f->page)
		f->page->end_y = f->y;
	release(f, FALSE);
	f->page = ov_pdf_page_new(lo, PG_BODY);
	f->page_idx = (int)lo->pages->len - 1;
	f->page->number = ++f->body_pages;
	f->page->opening = opening;
	f->page->header = f->header;
	f->x0 = ov_pdf_page_x0(lo, f->page);
	f->measure = lo->page_w - th->margin_inner - th->margin_outer;
	f->top = th->margin_top;
	f->bottom = lo->page_h - th->margin_bottom;
	f->y = f->top;
	f->space = 0;
	add_pending(f, moved);
	/* footnote lines carried over come first in this page's note area */
	if (f->carry->len) {
		/* as many as fit with room for a line of text; the rest waits for the next page.
		 * A carried line has its baseline at y and its advance in h. */
		double room = f->bottom - f->top - th->leading - note_gap(f), shift;
		guint n = 0, lines = 0;
		/* a line's link areas follow it; a note's destinations come before its first line */
		while (n < f->carry->len) {
			const Item *c = &g_array_index(f->carry, Item, n);
			if (c->kind == IT_LINE && lines++ > 0 && c->y + 0.2 * c->h > room)
				break;
			n++;
		}
		while (n < f->carry->len && n > 0 && g_array_index(f->carry, Item, n - 1).kind == IT_DEST)
			n--;
		if (n < f->carry->len) { /* the top of what waits */
			const Item *c = &g_array_index(f->carry, Item, n);
			shift = c->kind == IT_DEST ? c->y : c->y - 0.8 * c->h;
		} else {
			shift = f->carry_h;
		}
		f->page->fn_height = note_gap(f) + shift;
		for (guint i = 0; i < n; i++) {
			Item it = g_array_index(f->carry, Item, i);
			it.y += note_gap(f);
			if (it.kind == IT_DEST) {
				add_note_dest(lo, it.dest, f->page_idx, it.y);
				continue;
			}
			it.x += f->x0;
			g_array_append_val(f->page->fn_items, it);
		}
		g_array_remove_range(f->carry, 0, n);
		for (guint i = 0; i < f->carry->len; i++)
			g_array_index(f->carry, Item, i).y -= shift;
		f->carry_h -= shift;
	}
	if (!opening)
		flush_floats(f); /* figures that waited go first */
}

static void
ensure_page(Flow *f)
{
	if (f->page == NULL)
		new_page(f, FALSE);
}

static double
area_bottom(Flow *f)
{
	return f->bottom - (f->page ? f->page->fn_height : 0);
}

static gboolean
at_top(Flow *f)
{
	return f->y <= f->top + EPS;
}

/* Consume the owed space, unless at the top of a page. */
static void
take_space(Flow *f)
{
	if (!at_top(f))
		f->y += f->space;
	f->space = 0;
}

static void
want_space(Flow *f, double s)
{
	f->space = MAX(f->space, s);
}

/* ---- footnotes ---- */

/* What collect_paras puts before block n: first_prefix (if it is the first), then a list
 * item's label (if it begins one); NULL for nothing. */
static char *
block_prefix(const OvNode *n, const char *first_prefix)
{
	char *label = NULL, *prefix;
	/* a list item's first block: its mark (not a variable list's definition: its term is the mark) */
	if (n->parent && n->parent->type == OV_LISTITEM && !n->prev &&
	    !(n->parent->parent && n->parent->parent->type == OV_VARLISTENTRY)) {
		const char *mark = ov_list_mark_text(ov_list_mark(n->parent->parent));
		label = n->parent->label ? g_strdup_printf("%s. ", n->parent->label) : *mark ? g_strdup_printf("%s ", mark) : NULL;
	}
	if (first_prefix == NULL)
		return label;
	prefix = g_strconcat(first_prefix, label ? label : "", NULL);
	g_free(label);
	return prefix;
}

/* A formal object's label before its title: "Figure 3. ", "Table 1. " (NULL: unnumbered). */
static char *
caption_label(Flow *f, const OvNode *fig)
{
	return fig->label && (fig->type == OV_FIGURE || fig->type == OV_TABLE)
		       ? g_strdup_printf("%s\xC2\xA0%s.\xE2\x80\x82", ov_gentext_type(f->lo->doc, fig), fig->label)
		       : NULL;
}

/* The words the text flow sets before a block that collect_paras sets as a paragraph: a
 * formal object's label before its title, the dash before a quotation's attribution (NULL:
 * none). */
static char *
collected_label(Flow *f, const OvNode *n)
{
	if (n->type == OV_TITLE && n->parent)
		return caption_label(f, n->parent);
	if (n->type == OV_ATTRIBUTION && n->parent && (n->parent->type == OV_BLOCKQUOTE || n->parent->type == OV_EPIGRAPH))
		return g_strdup("\xE2\x80\x94\xC2\xA0");
	return NULL;
}

/* Does collect_paras set n as a paragraph of its own? */
static gboolean
collected(const OvNode *n)
{
	return ov_type_info[n->type].content == OV_CONTENT_INLINES && ov_type_info[n->type].level == OV_LEVEL_BLOCK;
}

/* The style collect_paras sets block n in, from the one it was asked for (code keeps its
 * own), and its size in *size. */
static TextStyle
collected_style(const OvTheme *th, const OvNode *n, TextStyle style, double *size)
{
	if (n->type != OV_VERBATIM)
		return style;
	*size *= th->mono_size / th->body_size; /* as code is to the text: smaller in a note than in the text */
	return TS_MONO;
}

/* A header cell's words (set bold in the heading face) are hyphenated as the text's are: a
 * narrow column breaks "Measure-ment", never "Measureme/nt". */
static int
collected_flags(TextStyle style, TextStyle n_style)
{
	return style == TS_HEADING && n_style == TS_HEADING ? OV_PARA_HYPHENATE : 0;
}

static OvImage *sized_image_in(Flow *f, const OvNode *img, double maxw, double maxh, double *w, double *h);
static double width_now(Flow *f);
static const StructEl *figure_struct(Flow *f, const StructEl *parent, const char *alt);

/* The alt text of a media object's image objects ("" when none has one). */
static const char *
media_alt(const OvNode *media)
{
	for (const OvNode *c = media->first; c; c = c->next)
		if (c->type == OV_IMAGE && c->u.img.alt)
			return c->u.img.alt;
	return "";
}

/* Is p a block media object's image set as a paragraph (media_para)? */
static gboolean
is_media_para(const Para *p)
{
	return p->node && p->node->type == OV_MEDIAOBJECT;
}

/* Does a cell's or a note's paragraphs hold a picture? */
static gboolean
any_media_para(const GPtrArray *paras)
{
	for (guint i = 0; i < paras->len; i++)
		if (is_media_para(g_ptr_array_index(paras, i)))
			return TRUE;
	return FALSE;
}

/* The structure element a paragraph of a cell or a note goes in (parent: its TD or Note):
 * a picture is a Figure of its own; beside one (mixed), a paragraph is a P, as Cairo marks
 * only a leaf's content (the text of a TD or a Note holding a Figure would be in none);
 * else the parent itself, as before there were pictures there. */
static const StructEl *
para_struct(Flow *f, const StructEl *parent, const Para *p, gboolean mixed)
{
	if (is_media_para(p))
		return figure_struct(f, parent, media_alt(p->node));
	return mixed ? ov_pdf_struct(f->lo, parent, "P") : parent;
}

/* A block media object where only paragraphs go (a table cell, a footnote): its first
 * usable image as a paragraph of its own, scaled to fit width (< 0: no measure yet, the
 * text's) and maxh; its alt text when no image can be used; NULL when it has neither. */
static Para *
media_para(Flow *f, const OvNode *media, double width, double maxh, TextStyle style, double size, PangoAlignment al)
{
	const char *alt = media_alt(media);
	for (const OvNode *c = NULL; (c = ov_media_next(media, c, TRUE)) != NULL;) {
		double w, h;
		OvImage *im;
		im = sized_image_in(f, c, width < 0 ? width_now(f) : width, maxh, &w, &h);
		if (im)
			return ov_pdf_image_para(f->lo, media, im, w, h, width, al);
	}
	return *alt ? ov_pdf_plain(f->lo, alt, style, size, width, al, FALSE) : NULL;
}

/* The tallest a picture in a cell or a note may be: a note's stays a small part of its page. */
static double
media_para_max_h(Flow *f, TextStyle style)
{
	return (f->lo->page_h - f->th->margin_top - f->th->margin_bottom) * (style == TS_FOOTNOTE ? 0.25 : 0.7);
}

/* The paragraph-like blocks inside node (paras, terms, code, ...), each a Para, in order;
 * nested lists, quotes and tables flattened, list items marked with a bullet. For places
 * with no room for block structure: footnotes and table cells. first_prefix goes before the
 * first one. */
static void
collect_paras(Flow *f, const OvNode *node, TextStyle style, double size, double width, PangoAlignment al,
	      gboolean justify, const char *first_prefix, GPtrArray *out)
{
	OvIter it;
	OvEvent ev;
	gboolean first = TRUE;

	ov_iter_init(&it, (OvNode *)node);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		char *prefix;
		double n_size = size;
		TextStyle n_style;
		Para *p;
		if (ev == OV_EV_ENTER && n->type == OV_MEDIAOBJECT) {
			/* a picture: its image (or alt text) is a paragraph of its own, never lost */
			ov_iter_skip_children(&it);
			if (first && first_prefix) { /* a note that opens with one: its number first */
				p = ov_pdf_plain(f->lo, first_prefix, style, size, width, al, FALSE);
				p->leading = size * f->th->leading / f->th->body_size;
				g_ptr_array_add(out, p);
			}
			first = FALSE;
			if ((p = media_para(f, n, width, media_para_max_h(f, style), style, size, al)) == NULL)
				continue;
			p->leading = size * f->th->leading / f->th->body_size;
			g_ptr_array_add(out, p);
			continue;
		}
		if (ev == OV_EV_ENTER && n->type == OV_ADMONITION && ov_node_child(n, OV_TITLE) == NULL) {
			/* "Warning", as the text flow heads an admonition without a title */
			char *label = g_strconcat(first && first_prefix ? first_prefix : "",
						  ov_gentext(f->lo->doc, OV_GT_NOTE + n->u.adm.kind), NULL);
			p = ov_pdf_plain(f->lo, label, style, size, width, al, TRUE);
			g_free(label);
			p->leading = size * f->th->leading / f->th->body_size;
			g_ptr_array_add(out, p);
			first = FALSE;
			continue;
		}
		if (ev != OV_EV_ENTER || !collected(n))
			continue;
		prefix = block_prefix(n, first ? first_prefix : NULL);
		{
			char *label = collected_label(f, n);
			if (label) {
				char *both = g_strconcat(prefix ? prefix : "", label, NULL);
				g_free(prefix);
				g_free(label);
				prefix = both;
			}
		}
		n_style = collected_style(f->th, n, style, &n_size);
		p = ov_pdf_para_ex(f->lo, n, n_style, n_size, width, al, justify && n->type != OV_VERBATIM, prefix,
				   collected_flags(style, n_style) |
					   (n->type == OV_TITLE && n->parent && n->parent->type == OV_ADMONITION ? OV_PARA_BOLD : 0));
		g_free(prefix);
		p->leading = size * f->th->leading / f->th->body_size;
		g_ptr_array_add(out, p);
		first = FALSE;
		ov_iter_skip_children(&it);
	}
}

/* A footnote's number and the space after it, before its first paragraph. */
static char *
note_prefix(const OvNode *fn)
{
	return g_strdup_printf("%s\xE2\x80\x82", fn->label ? fn->label : "*");
}

static Note *
note_of(Flow *f, const OvNode *fn)
{
	Note *n = g_hash_table_lookup(f->notes, fn);
	const OvTheme *th = f->th;

	if (n)
		return n;
	n = g_new0(Note, 1);
	n->paras = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	{
		char *prefix = note_prefix(fn);
		/* the number and the en space after it (a line's width leaves out its last space:
		 * measured before a letter, less the letter) */
		char *marked = g_strconcat(prefix, "0", NULL);
		Para *mark = ov_pdf_plain(f->lo, marked, TS_FOOTNOTE, th->footnote_size, 1e6, PANGO_ALIGN_LEFT, TRUE);
		double hang;
		if (f->note_zero == 0) {
			Para *zero = ov_pdf_plain(f->lo, "0", TS_FOOTNOTE, th->footnote_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
			f->note_zero = ((OvLine *)g_ptr_array_index(zero->lines, 0))->width;
			ov_pdf_para_free(zero);
		}
		hang = ((OvLine *)g_ptr_array_index(mark->lines, 0))->width - f->note_zero;
		collect_paras(f, fn, TS_FOOTNOTE, th->footnote_size, f->measure, PANGO_ALIGN_LEFT, th->justify, prefix, n->paras);
		/* its number hangs: every line of the note, and its later paragraphs, lists and code,
		 * stand where the text after the number begins (not for right-to-left text) */
		if (n->paras->len && hang < f->measure / 4 &&
		    !((OvLine *)g_ptr_array_index(((Para *)g_ptr_array_index(n->paras, 0))->lines, 0))->rtl)
			for (guint i = 0; i < n->paras->len; i++) {
				Para *p = g_ptr_array_index(n->paras, i);
				if (is_media_para(p)) { /* a picture: sized again for the narrower measure */
					Para *q = media_para(f, p->node, f->measure - hang, media_para_max_h(f, TS_FOOTNOTE), TS_FOOTNOTE,
							     th->footnote_size, PANGO_ALIGN_LEFT);
					q->leading = p->leading;
					ov_pdf_para_free(p);
					n->paras->pdata[i] = p = q;
				} else {
					ov_pdf_para_rebreak(p, f->measure - hang, i == 0 ? -hang : 0);
				}
				p->dx = hang;
			}
		ov_pdf_para_free(mark);
		g_free(marked);
		g_free(prefix);
	}
	for (guint i = 0; i < n->paras->len; i++) {
		Para *p = g_ptr_array_index(n->paras, i);
		n->height += ov_pdf_para_height(p);
		/* a note is kept until the flow ends but never broken again: its lines are all it
		 * needs, not the shaping (a tenth of a long book's layout) */
		g_clear_pointer(&p->sh, ov_shaped_free);
	}
	if (n->paras->len == 0) {
		char *label = g_strdup_printf("%s", fn->label ? fn->label : "*");
		Para *p = ov_pdf_plain(f->lo, label, TS_FOOTNOTE, th->footnote_size, f->measure, PANGO_ALIGN_LEFT, FALSE);
		g_free(label);
		g_ptr_array_add(n->paras, p);
		n->height = p->leading;
	}
	g_hash_table_insert(f->notes, (gpointer)fn, n);
	return n;
}

static double
note_gap(Flow *f)
{
	return f->th->footnote_size * 1.6; /* the separator rule and the space around it */
}

gboolean
ov_pdf_span_link(const Span *sp, const OvLine *ln, double x, double top, double h, Item *it)
{
	int s = MAX(sp->start, ln->start), e = MIN(sp->end, ln->start + ln->len);
	double x1, x2;
	if ((!sp->dest && !sp->uri) || s >= e)
		return FALSE;
	x1 = ov_line_index_to_x(ln, s);
	x2 = ov_line_index_to_x(ln, e);
	memset(it, 0, sizeof *it);
	it->kind = IT_LINK;
	it->x = x + MIN(x1, x2);
	it->w = fabs(x2 - x1);
	it->y = top;
	it->h = h;
	it->dest = sp->dest;
	it->uri = sp->uri;
	return it->w > 0.5;
}

/* The link areas of a note's line (set from x, its box from top, h high) after it in items:
 * the page's notes, or the lines carried to the next page, which move them with it. */
static void
note_links(const Para *p, const OvLine *ln, double x, double top, double h, const StructEl *st, GArray *items)
{
	for (guint i = 0; i < p->spans->len; i++) {
		Item it;
		if (ov_pdf_span_link(&g_array_index(p->spans, Span, i), ln, x, top, h, &it)) {
			it.st = st;
			g_array_append_val(items, it);
		}
	}
}

/* A note's destination (or an anchor in it): on this page at y from the top of its note area,
 * or (here FALSE) carried ahead of the line it goes with, and set on the page that line goes
 * to (new_page). */
static void
note_dest(Flow *f, const char *dest, gboolean here, double y)
{
	Item it = { 0 };
	if (dest == NULL)
		return;
	if (here) {
		add_note_dest(f->lo, dest, f->page_idx, y);
		return;
	}
	it.kind = IT_DEST;
	it.dest = dest;
	it.y = f->carry_h; /* the top of the line it goes with */
	g_array_append_val(f->carry, it);
}

/* The destinations at line l of paragraph p of note fn (l == -1: p has no lines): the note's
 * own at its first line, the ids of the blocks in it at the line where their words start, the
 * anchors and index terms at the line they are on. Set before the line itself (see note_dest). */
static void
note_line_dests(Flow *f, const OvNode *fn, const Para *p, gboolean first, int l, gboolean here, double y)
{
	const OvLine *ln = l >= 0 ? g_ptr_array_index(p->lines, l) : NULL;
	if (first)
		note_dest(f, ov_pdf_dest_of(f->lo, fn), here, y);
	if (l <= 0)
		for (const OvNode *b = p->node; b && b != fn; b = b->parent)
			if (b->id)
				note_dest(f, ov_pdf_id_dest(f->lo, b), here, y);
	for (guint k = 0; k < p->spans->len; k++) {
		const Span *sp = &g_array_index(p->spans, Span, k);
		if (sp->anchor && (ln == NULL || ((l == 0 || sp->start >= ln->start) &&
						  ((guint)l + 1 == p->lines->len || sp->start < ln->next))))
			note_dest(f, sp->anchor, here, y);
	}
}

/* Place a note in this page's note area; lines beyond limit go to the next page. */
static void
place_note(Flow *f, const OvNode *fn, Note *n, double limit)
{
	double y = f->page->fn_height == 0 ? note_gap(f) : f->page->fn_height;
	gboolean overflow = FALSE, placed = FALSE, first = TRUE;
	const StructEl *st = ov_pdf_struct(f->lo, NULL, "Note"); /* a note is an element of its own */

	for (guint i = 0, mixed = any_media_para(n->paras); i < n->paras->len; i++) {
		Para *p = g_ptr_array_index(n->paras, i);
		const StructEl *pst = para_struct(f, st, p, mixed);
		ov_report_para(f->lo, p, f->page_idx);
		if (p->lines->len == 0) {
			note_line_dests(f, fn, p, first, -1, !overflow, y);
			first = FALSE;
		}
		for (guint l = 0; l < p->lines->len; l++) {
			OvLine *ln = g_ptr_array_index(p->lines, l);
			Item it = { 0 };
			double base, adv = ov_line_box(ln, p->leading, &base);
			it.kind = IT_LINE;
			it.line = ov_line_ref(ln);
			it.ts = ov_pdf_text_source_ref(p->ts);
			it.color = f->lo->text_color;
			it.st = pst;
			if (!overflow && y + adv > limit)
				overflow = TRUE;
			/* the note's destination, and its ids, anchors and index terms, where their line
			 * is: on this page, or carried ahead of it to the next */
			note_line_dests(f, fn, p, first, (int)l, !overflow, y);
			first = FALSE;
			if (overflow) { /* x from the margin: the next page's may be another */
				it.x = ln->x + p->dx;
				it.y = f->carry_h + adv * 0.8;
				it.h = adv;
				g_array_append_val(f->carry, it);
				note_links(p, ln, it.x, f->carry_h, adv, pst, f->carry);
				f->carry_h += adv;
			} else {
				it.x = f->x0 + ln->x + p->dx;
				it.y = y + base;
				g_array_append_val(f->page->fn_items, it);
				note_links(p, ln, it.x, y, adv, pst, f->page->fn_items);
				y += adv;
				placed = TRUE;
			}
		}
	}
	if (placed) /* nothing of it here: no room kept for it either */
		f->page->fn_height = y;
	/* placed once (never in a table's header rows set again, nor in a paragraph set again):
	 * its lines are on the page now, its height is all the flow asks of it again */
	g_ptr_array_set_size(n->paras, 0);
}

/* ---- lines ---- */

typedef struct {
	OvLine *line;
	double adv, base;      /* line box height; baseline from the box top */
	double x;              /* logical left, points */
	int start, len;
	double notes;          /* note height this line brings */
	double notes_last;     /* of which its last note's */
} LineInfo;

/* Of the notes a line calls, what must fit on its page: all but the last whole, and of the
 * last, which may go on on the next page, its first three lines at least (every note starts
 * on the page of its call). */
static double
note_start(Flow *f, const LineInfo *li)
{
	return li->notes - li->notes_last + MIN(li->notes_last, f->th->footnote_size * 1.3 * 3);
}

static GArray *
line_infos(Flow *f, Para *p)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(LineInfo));
	for (guint l = 0; l < p->lines->len; l++) {
		LineInfo li = { 0 };
		li.line = g_ptr_array_index(p->lines, l);
		li.adv = ov_line_box(li.line, p->leading, &li.base);
		li.x = li.line->x + p->dx;
		li.start = li.line->start;
		/* a line owns the spaces after it: a span starting there is on this line */
		li.len = li.line->next - li.line->start;
		for (guint i = 0; i < p->spans->len; i++) {
			Span *sp = &g_array_index(p->spans, Span, i);
			if (sp->footnote && sp->start >= li.start && sp->start < li.start + li.len) {
				li.notes_last = note_of(f, sp->footnote)->height;
				li.notes += li.notes_last;
			}
		}
		g_array_append_val(a, li);
	}
	return a;
}

/* How many lines from i on fit on this page (with their notes). */
static guint
lines_fitting(Flow *f, GArray *lines, guint i)
{
	double y = f->y, notes = f->page->fn_height;
	guint n = 0;
	for (; i < lines->len; i++, n++) {
		LineInfo *li = &g_array_index(lines, LineInfo, i);
		double extra = li->notes > 0 && notes == 0 ? note_gap(f) : 0;
		if (y + li->adv + notes + note_start(f, li) + extra > f->bottom + EPS || y + li->adv > f->text_limit + EPS)
			break;
		y += li->adv;
		notes += li->notes + extra;
	}
	return n;
}

/* Link areas, anchors and notes for the spans on one placed line. */
static void
line_spans(Flow *f, Para *p, LineInfo *li, double x, double top, double base_y)
{
	for (guint i = 0; i < p->spans->len; i++) {
		Span *sp = &g_array_index(p->spans, Span, i);
		Item it;
		if (sp->anchor && sp->start >= li->start && sp->start <= li->start + li->len) {
			ov_pdf_add_dest(f->lo, sp->anchor, f->page_idx, top);
			continue;
		}
		if (sp->footnote && !f->repeating && sp->start >= li->start && sp->start < li->start + li->len) {
			Note *n = note_of(f, sp->footnote);
			place_note(f, sp->footnote, n, f->bottom - MAX(f->y, top + li->adv));
		}
		if (ov_pdf_span_link(sp, li->line, x, top, li->adv, &it))
			add(f, it);
		(void)base_y;
	}
}

static void place_marker(Flow *f, double base_y);

/* Place line li of p at the current y. */
static void
place_line(Flow *f, Para *p, LineInfo *li, double x, gboolean code_wrap)
{
	Item it = { 0 };
	double top = f->y, base_y = f->y + li->base;

	it.kind = IT_LINE;
	it.line = ov_line_ref(li->line);
	it.ts = ov_pdf_text_source_ref(p->ts);
	it.x = x + li->x; /* indent and alignment */
	it.y = base_y;
	it.color = f->lo->text_color;
	if (f->markers->len) /* the label first: it is read before the item's words */
		place_marker(f, base_y);
	add(f, it);
	f->y += li->adv;
	f->last_adv = li->adv;
	line_spans(f, p, li, it.x, top, base_y);
	if (code_wrap) {
		Item m = { 0 };
		m.kind = IT_MARK;
		m.x = f->x0 + f->measure - f->indent_r - 3.5; /* in the room the listing leaves, not the margin */
		m.y = base_y;
		m.color = f->lo->rule_color;
		ov_pdf_add_item(f->page, m);
	}
}

/* Does line i of a code block continue on the next (wrapped, not a real line end)? */
static gboolean
wrapped(Para *p, GArray *lines, guint i)
{
	const char *text = ov_pdf_para_text(p);
	LineInfo *li = &g_array_index(lines, LineInfo, i);
	if (i + 1 >= lines->len)
		return FALSE;
	return li->len > 0 && text[li->start + li->len - 1] != '\n';
}

static double
mean_abs_ratio(const GPtrArray *lines)
{
	double sum = 0;
	int n = 0;
	for (guint i = 0; i < lines->len; i++) {
		const OvLine *ln = g_ptr_array_index(lines, i);
		if (ln->justified) {
			sum += fabs(ln->ratio);
			n++;
		}
	}
	return n ? sum / n : 0;
}

/* Of the ways to set a paragraph that serve (ok), keep the evener in *best; alt is taken. */
static void
keep_evener(GPtrArray **best, double *best_r, GPtrArray *alt, gboolean ok)
{
	if (ok && mean_abs_ratio(alt) < *best_r) {
		if (*best)
			g_ptr_array_unref(*best);
		*best = alt;
		*best_r = mean_abs_ratio(alt);
	} else
		g_ptr_array_unref(alt);
}

/* A paragraph that starts on this page would leave a widow on the next, so the page would
 * end a line short: set it a line shorter (all of it here) or a line longer (enough lines
 * over) instead, as TeX's looseness does, if that keeps every line within the tolerance.
 * The evener of the two wins. TRUE, with *lines new, when one was taken. */
static gboolean
loosen(Flow *f, Para *p, GArray **lines)
{
	GPtrArray *orig = p->lines, *best = NULL;
	guint n = orig->len, fit = lines_fitting(f, *lines, 0);
	double best_r = G_MAXDOUBLE;

	for (int q = -1; q <= 1; q += 2) {
		GPtrArray *alt = ov_pdf_para_break_lines(p, (int)n + q);
		GArray *li;
		guint fit2;
		gboolean ok;
		if (alt == NULL)
			continue;
		p->lines = alt;
		li = line_infos(f, p);
		fit2 = lines_fitting(f, li, 0);
		ok = q < 0 ? fit2 >= alt->len : fit2 >= fit && fit2 >= (guint)f->th->orphans && alt->len - fit2 >= (guint)f->th->widows;
		g_array_free(li, TRUE);
		keep_evener(&best, &best_r, alt, ok);
	}
	p->lines = orig;
	if (best == NULL)
		return FALSE;
	g_ptr_array_unref(orig);
	p->lines = best;
	g_array_free(*lines, TRUE);
	*lines = line_infos(f, p);
	return TRUE;
}

static void
drop_last(Flow *f)
{
	if (f->last)
		ov_pdf_para_free(f->last);
	g_free(f->last_mark);
	f->last = NULL;
	f->last_mark = NULL;
}

static gboolean
has_notes(const Para *p)
{
	for (guint i = 0; i < p->spans->len; i++)
		if (g_array_index(p->spans, Span, i).footnote)
			return TRUE;
	return FALSE;
}

/* The paragraph above set in delta lines more (or fewer), every line within the tolerance,
 * if it is the last thing on this page and still fits there; *dy: how much lower it ends. */
static GPtrArray *
last_alt(Flow *f, int delta, double *dy)
{
	Para *q = f->last;
	GPtrArray *orig, *alt;
	GArray *li;
	double y;
	gboolean fits;

	if (q == NULL || f->last_page != f->page_idx || f->page->items->len != f->last_to || fabs(f->y - f->last_end) > EPS ||
	    (int)q->lines->len + delta < 1)
		return NULL;
	if ((alt = ov_pdf_para_break_lines(q, (int)q->lines->len + delta)) == NULL)
		return NULL;
	orig = q->lines;
	q->lines = alt;
	li = line_infos(f, q);
	q->lines = orig;
	y = f->y;
	f->y = f->last_y;
	fits = lines_fitting(f, li, 0) >= li->len;
	*dy = -(f->last_end - f->last_y);
	for (guint k = 0; k < li->len; k++)
		*dy += g_array_index(li, LineInfo, k).adv;
	f->y = y;
	g_array_free(li, TRUE);
	if (!fits) {
		g_ptr_array_unref(alt);
		return NULL;
	}
	return alt;
}

/* Take the paragraph above off the page and set it again in alt's lines. */
static void
last_commit(Flow *f, GPtrArray *alt)
{
	Para *q = f->last;
	const StructEl *leaf = f->leaf, *container = f->container;
	GArray *li;

	for (guint i = f->last_from; i < f->page->items->len; i++) {
		Item *it = &g_array_index(f->page->items, Item, i);
		if (it->line)
			ov_line_unref(it->line);
		ov_pdf_text_source_unref(it->ts);
	}
	g_array_set_size(f->page->items, f->last_from);
	ov_report_rewind(f->lo, f->last_mark);
	f->last_mark = NULL;
	g_ptr_array_unref(q->lines);
	q->lines = alt;
	li = line_infos(f, q);
	f->y = f->last_y;
	f->leaf = f->last_leaf;
	f->container = f->last_container;
	for (guint k = 0; k < li->len; k++)
		place_line(f, q, &g_array_index(li, LineInfo, k), f->last_x, FALSE);
	f->leaf = leaf;
	f->container = container;
	ov_report_para(f->lo, q, f->page_idx);
	g_array_free(li, TRUE);
	drop_last(f);
}

/* The paragraph starting here would end this page short (its first lines would be orphans,
 * or its last a widow): set the paragraph above a line longer or shorter, so that this one
 * starts a line lower or higher and breaks cleanly, or goes whole to the next page below a
 * full one. The evener way wins. */
static gboolean
fix_with_last(Flow *f, GArray *lines)
{
	GPtrArray *best = NULL;
	double best_r = G_MAXDOUBLE;
	guint n = lines->len, orphans = (guint)f->th->orphans, widows = (guint)f->th->widows;

	for (int delta = -1; delta <= 1; delta += 2) {
		double dy, y = f->y;
		guint fit;
		GPtrArray *alt = last_alt(f, delta, &dy);
		if (alt == NULL)
			continue;
		f->y += dy;
		fit = lines_fitting(f, lines, 0);
		f->y = y;
		/* all of it here, none of it (the page is full), or a clean break */
		keep_evener(&best, &best_r, alt, fit == n || fit == 0 || (fit >= orphans && n - fit >= widows));
	}
	if (best == NULL)
		return FALSE;
	last_commit(f, best);
	return TRUE;
}

/* Place a paragraph's lines, breaking pages with widow and orphan control. */
static void
place_para(Flow *f, Para *p, double x_off, gboolean code)
{
	GArray *lines;
	guint i = 0, orphans = (guint)f->th->orphans, widows = (guint)f->th->widows;
	int first_page = -1;
	gboolean loosened = FALSE;

	ensure_page(f);
	take_space(f);
	lines = line_infos(f, p);
	while (i < lines->len) {
		guint left = lines->len - i;
		guint fit = lines_fitting(f, lines, i);
		if (fit < left) { /* a listing's lines too: one alone at a page's foot or top reads badly */
			gboolean orphan = i == 0 && fit < orphans && left > fit && !at_top(f);
			gboolean widow = !orphan && left - fit < widows;
			if ((orphan || widow) && i == 0 && !code && f->th->facing && !loosened) {
				/* set this paragraph, or the one above, a line longer or shorter, so that
				 * the page stays full */
				loosened = TRUE;
				if ((widow && loosen(f, p, &lines)) || fix_with_last(f, lines))
					continue;
			}
			if (orphan)
				fit = 0;                        /* too few lines at the foot: move on */
			else if (widow) {
				/* too few would go over: take lines back, if that leaves enough here */
				guint keep = left > widows ? left - widows : 0;
				if (keep >= (i == 0 ? orphans : 1) && keep <= fit)
					fit = keep;
				else if (!at_top(f))
					fit = 0;
			}
		}
		if (fit == 0 && at_top(f))
			fit = MIN(left, MAX(1, lines_fitting(f, lines, i))); /* taller than a page: place it anyway */
		if (fit > 0 && first_page < 0)
			first_page = f->page_idx;
		if (!code && fit > 0 && fit < left && i == 0 && fit < orphans)
			ov_report_count(f->lo, REPORT_ORPHAN);
		if (!code && fit > 0 && fit == left && i > 0 && fit < widows)
			ov_report_count(f->lo, REPORT_WIDOW);
		for (guint k = 0; k < fit; k++, i++)
			place_line(f, p, &g_array_index(lines, LineInfo, i), f->x0 + f->indent_l + x_off, code && wrapped(p, lines, i));
		if (i < lines->len) {
			if (i == 0)
				break_under_heading(f); /* a heading (a note's label) above goes with it */
			else
				new_page(f, FALSE);
			take_space(f); /* under the figures and tables that waited, if any */
		}
	}
	g_array_free(lines, TRUE);
	ov_report_para(f->lo, p, first_page < 0 ? f->page_idx : first_page);
}

/* Set the waiting list labels (an item that opens with a nested list has two) beside a line
 * whose baseline is base_y. */
static void
place_marker(Flow *f, double base_y)
{
	for (guint i = 0; i < f->markers->len; i++) {
		const Marker *mk = &g_array_index(f->markers, Marker, i);
		/* a label never wraps: it is set flush right */
		Para *m = ov_pdf_plain(f->lo, mk->text, TS_BODY, f->th->body_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
		OvLine *ln = g_ptr_array_index(m->lines, 0);
		Item it = { 0 };
		it.kind = IT_LINE;
		it.line = ov_line_ref(ln);
		it.x = f->x0 + mk->indent - f->th->body_size * 0.45 - ln->width;
		it.y = base_y;
		it.color = f->lo->text_color;
		it.st = ov_pdf_struct(f->lo, mk->item, "Lbl"); /* beside the item's body */
		ov_pdf_add_item(f->page, it);
		ov_pdf_para_free(m);
	}
	g_array_set_size(f->markers, 0);
}

/* Labels of items that placed no line of their own (empty, or only an image): on a line. */
static void
flush_markers(Flow *f)
{
	if (f->markers->len == 0)
		return;
	ensure_page(f);
	take_space(f);
	if (f->y + f->th->leading > area_bottom(f))
		new_page(f, FALSE);
	place_marker(f, f->y + f->th->leading * 0.8);
	f->y += f->th->leading;
}

/* ---- blocks ---- */

static double
width_now(Flow *f)
{
	return MAX(f->measure - f->indent_l - f->indent_r, 36);
}

/* id's destination where the flow is now, to go on with what follows it if a page ends first
 * (take_pending). */
static void
record_id(Flow *f, const char *id)
{
	Dest *d;

	ensure_page(f);
	if ((d = ov_pdf_add_dest(f->lo, id, f->page_idx, at_top(f) ? f->y : f->y + f->space)) == NULL)
		return; /* no id, or one set already */
	if (f->pending->len && f->page->items->len != f->pending_items)
		g_ptr_array_set_size(f->pending, 0); /* those were followed by what they point at */
	if (f->pending->len == 0)
		f->pending_items = f->page->items->len;
	g_ptr_array_add(f->pending, d);
}

/* The id of n's title, which a link may name as well as n's own: where n's is. */
static const char *
title_id(Flow *f, const OvNode *n)
{
	const OvNode *t = n->type == OV_TITLE ? NULL : ov_node_child(n, OV_TITLE);
	return t ? ov_pdf_id_dest(f->lo, t) : NULL;
}

static void
record_dest(Flow *f, const OvNode *n)
{
	record_id(f, ov_pdf_id_dest(f->lo, n));
	record_id(f, title_id(f, n));
}

/* A division's destination (its id or a name of its own) at y on this page, and its title's. */
static void
division_dest(Flow *f, const OvNode *div, double y)
{
	ov_pdf_add_dest(f->lo, ov_pdf_dest_of(f->lo, div), f->page_idx, y);
	ov_pdf_add_dest(f->lo, title_id(f, div), f->page_idx, y);
}

/* An entry of a bibliography or of an index written out by hand: one of a list of them, set
 * alike, never indented as a paragraph after a paragraph (nor in the EPUB). */
static gboolean
entry_para(const OvNode *n)
{
	return n->type == OV_PARA && n->tag &&
	       (!strcmp(n->tag, "biblioentry") || !strcmp(n->tag, "bibliomixed") || !strcmp(n->tag, "indexentry"));
}

/* How far a bibliography entry's later lines hang in, in ems (the EPUB's style sheet says the
 * same: src/epub/css.c) */
#define BIB_HANG 1.5

static gboolean
bib_entry(const OvNode *n)
{
	return entry_para(n) && strcmp(n->tag, "indexentry") != 0;
}

static void
text_block(Flow *f, const OvNode *n)
{
	const OvTheme *th = f->th;
	gboolean question = n->type == OV_PARA && g_strcmp0(n->tag, "question") == 0;
	gboolean labelled = question || (n->type == OV_PARA && g_strcmp0(n->tag, "answer") == 0);
	/* an equation's math is displayed: centred, as the EPUB's */
	gboolean display = n->type == OV_PARA && n->parent && n->parent->type == OV_FIGURE && n->parent->tag &&
			   strstr(n->parent->tag, "equation");
	gboolean indent = n->type == OV_PARA && f->para_before && th->indent > 0 && !(n->flags & OV_F_CONTINUED) &&
			  f->markers->len == 0 && !labelled && !display && !entry_para(n);
	/* a list item's or a definition's paragraph after a paragraph is spaced from it, not
	 * indented, as the EPUB's li > p + p, dd > p + p: the item's space alone (below), no
	 * paragraph-space, for the EPUB's margin there is the item's too */
	gboolean in_item = indent && n->parent && n->parent->type == OV_LISTITEM;
	Para *p = ov_pdf_para_ex(f->lo, n, TS_BODY, th->body_size, width_now(f), display ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT,
				 th->justify && !display, NULL, indent && !in_item ? OV_PARA_INDENT : 0);
	/* a bibliography entry hangs, as the index's entries do: its later lines indented, so that
	 * one entry's first word stands out from the lines of the one before (with no space
	 * between paragraphs they would run together); the EPUB's p.biblioentry the same. A
	 * right-to-left entry's later lines stand in from the right: its first line is wider
	 * there, and ends at the measure's right edge already */
	if (bib_entry(n)) {
		double hang = th->body_size * BIB_HANG;
		ov_pdf_para_rebreak(p, width_now(f) - hang, -hang);
		if (p->lines->len && !((OvLine *)g_ptr_array_index(p->lines, 0))->rtl)
			p->dx = hang;
	}
	if (!indent)
		want_space(f, question ? MAX(th->para_space, th->leading * 0.8) : th->para_space);
	if (n->type == OV_PARA && n->parent && n->parent->type == OV_LISTITEM && n->prev)
		want_space(f, th->leading * 0.3);
	record_dest(f, n);
	begin_struct(f, "P");
	if (th->facing && p->bs.mode == OV_BREAK_JUSTIFY && !has_notes(p) && f->markers->len == 0) {
		/* keep it, and where it goes, while it is the last thing on its page */
		ReportMark *mark;
		guint from;
		double y;
		int page;
		ensure_page(f);
		take_space(f);
		mark = ov_report_mark(f->lo);
		from = f->page->items->len;
		y = f->y;
		page = f->page_idx;
		place_para(f, p, 0, FALSE);
		drop_last(f);
		if (f->page_idx == page) {
			f->last = p;
			f->last_page = page;
			f->last_from = from;
			f->last_to = f->page->items->len;
			f->last_y = y;
			f->last_end = f->y;
			f->last_x = f->x0 + f->indent_l;
			f->last_leaf = f->leaf;
			f->last_container = f->container;
			f->last_mark = mark;
		} else {
			ov_pdf_para_free(p);
			g_free(mark);
		}
	} else {
		place_para(f, p, 0, FALSE);
		ov_pdf_para_free(p);
	}
	/* a division's byline stands apart: the text after it starts as after a heading */
	if (n->type == OV_PARA && g_strcmp0(n->tag, "byline") == 0) {
		f->para_before = FALSE;
		want_space(f, th->leading);
		return;
	}
	f->para_before = n->type == OV_PARA && !display;
}

/* A line of the generated index: sub-entries indented by level, the lines of a long entry
 * hanging under its first; its place is a destination (see references point at it). */
static void
index_entry(Flow *f, const OvNode *n)
{
	const OvTheme *th = f->th;
	double x = th->body_size * 1.2 * n->u.entry.level, hang = th->body_size * 2.4;
	Para *p = ov_pdf_para_ex(f->lo, n, TS_BODY, th->body_size, width_now(f) - x, PANGO_ALIGN_LEFT, FALSE, NULL,
				 OV_PARA_NO_HYPHENS); /* terms stay whole */
	/* the lines after the first are set hang further in: a first line indented by -hang;
	 * first fit, as an index is set (a short first line is no fault here) */
	p->bs.greedy = TRUE;
	ov_pdf_para_rebreak(p, width_now(f) - x - hang, -hang);
	ensure_page(f);
	take_space(f);
	if (!at_top(f) && f->y + MIN(p->lines->len, (guint)MIN_LINES) * p->leading > area_bottom(f))
		new_page(f, FALSE);
	ov_pdf_add_dest(f->lo, ov_pdf_dest_of(f->lo, n), f->page_idx, f->y);
	begin_struct(f, "P");
	place_para(f, p, x + hang, FALSE);
	ov_pdf_para_free(p);
	f->para_before = FALSE;
}

/* A heading's size at its level, and what goes before its title (a section's number). */
static double
heading_size(const OvTheme *th, int level)
{
	/* a section's, a subsection's, then the text's size: level 4 and deeper are also italic */
	return level <= 1 ? th->h2_size : level == 2 ? th->h3_size : th->body_size;
}

static char *
heading_prefix(const OvNode *div)
{
	return div->label && div->type == OV_SECTION ? g_strdup_printf("%s\xE2\x80\x82", div->label) : NULL;
}

/* Does division n open a chapter (open_chapter), not a heading within one? */
static gboolean
opens_chapter(const OvNode *n)
{
	return n->type != OV_SECTION && n->parent && (n->parent->type == OV_DOCUMENT || n->parent->type == OV_PART);
}

/* A section's level: how many sections it is in, itself included. */
static int
section_level(const OvNode *n)
{
	int level = 0;
	for (const OvNode *p = n; p && p->type == OV_SECTION; p = p->parent)
		level++;
	return level;
}

/* A division's subtitle, under its title. */
static void
subtitle(Flow *f, const OvNode *div, double size)
{
	const OvNode *sub = ov_node_child(div, OV_SUBTITLE);
	Para *p;
	if (sub == NULL)
		return;
	p = ov_pdf_para(f->lo, sub, TS_SMALL, size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
	f->y += f->th->leading * 0.15;
	begin_struct(f, "P");
	place_para(f, p, 0, FALSE);
	ov_pdf_para_free(p);
}

/* A heading (or a note's label) was set at y from item from of this page: while nothing
 * follows it there, break_under_heading takes it on with what cannot start under it. */
static void
heading_placed(Flow *f, guint from, double y)
{
	f->heading_page = f->page_idx;
	f->heading_from = from;
	f->heading_y = y;
	f->heading_fixed = FALSE;
}

static gboolean heading_alone(Flow *f);

static void
heading(Flow *f, const OvNode *div, int level)
{
	const OvTheme *th = f->th;
	const OvNode *title = ov_node_child(div, OV_TITLE);
	double size = heading_size(th, level);
	char *prefix = heading_prefix(div);
	Para *p;
	guint heading_from;
	double heading_y;
	gboolean stacked;

	ensure_page(f);
	want_space(f, th->leading * (level <= 1 ? 1.4 : 1.0));
	if (title == NULL) {
		g_free(prefix);
		record_dest(f, div);
		division_dest(f, div, f->y);
		return;
	}
	p = ov_pdf_para_ex(f->lo, title, TS_HEADING, size, width_now(f), PANGO_ALIGN_LEFT, FALSE, prefix,
			   level >= 4 ? OV_PARA_ITALIC : 0);
	ov_pdf_para_balance(p);
	g_free(prefix);
	/* keep with the next two lines (a heading alone above it goes on with it) */
	if (!at_top(f) && f->y + f->space + ov_pdf_para_height(p) + th->leading * (MIN_LINES + 0.5) > area_bottom(f))
		break_under_heading(f);
	take_space(f);
	/* right under another heading, with nothing between: the two go on together */
	stacked = heading_alone(f) && !f->heading_fixed;
	heading_y = stacked ? f->heading_y : f->y;
	heading_from = stacked ? f->heading_from : f->page->items->len;
	division_dest(f, div, f->y);
	begin_struct(f, level <= 1 ? "H2" : level == 2 ? "H3" : "H4");
	place_para(f, p, 0, FALSE);
	ov_pdf_para_free(p);
	subtitle(f, div, size * 0.85);
	heading_placed(f, heading_from, heading_y);
	want_space(f, th->leading * 0.45);
	f->para_before = FALSE;
}

/* A heading stands at the foot of this page with nothing set under it yet. */
static gboolean
heading_alone(Flow *f)
{
	return f->heading_page >= 0 && f->heading_page == f->page_idx;
}

/* The page ends before a block that cannot start on it. A heading standing alone above it
 * goes on to the next page with it (but a chapter's opening heading stays on its page). */
static void
break_under_heading(Flow *f)
{
	Page *old = f->page;
	GArray *items;
	GPtrArray *dests;
	double end = f->y, owed = f->space, dy, dx, x0 = f->x0;

	if (!heading_alone(f) || f->heading_fixed || f->heading_from > old->items->len) {
		new_page(f, FALSE);
		return;
	}
	items = g_array_new(FALSE, TRUE, sizeof(Item));
	g_array_append_vals(items, &g_array_index(old->items, Item, f->heading_from), old->items->len - f->heading_from);
	g_array_set_size(old->items, f->heading_from); /* their lines go with them */
	dests = g_ptr_array_new();
	for (guint i = 0; old->dests && i < old->dests->len;) {
		Dest *d = g_ptr_array_index(old->dests, i);
		if (!d->in_notes && d->y >= f->heading_y - EPS && d->y <= end + f->space + EPS) {
			g_ptr_array_add(dests, d);
			g_ptr_array_remove_index(old->dests, i);
		} else
			i++;
	}
	f->y = f->heading_y; /* where the page ends now */
	new_page(f, FALSE);
	take_space(f); /* under the figures and tables that waited, if any */
	f->space = owed;
	dy = f->y - f->heading_y;
	dx = f->x0 - x0; /* facing pages: the other side's margin */
	f->heading_from = f->page->items->len;
	for (guint i = 0; i < items->len; i++) {
		Item it = g_array_index(items, Item, i);
		it.x += dx;
		it.y += dy;
		ov_pdf_add_item(f->page, it);
	}
	for (guint i = 0; i < dests->len; i++) {
		Dest *d = g_ptr_array_index(dests, i);
		d->page = f->page_idx;
		d->y += dy;
		page_add_dest(f->page, d);
	}
	f->y = end + dy;
	f->heading_y += dy;
	f->heading_page = f->page_idx;
	g_array_free(items, TRUE);
	g_ptr_array_free(dests, TRUE);
}

/* "Chapter", "Appendix", "Part" before a division's number, or NULL. */
static const char *
chapter_word(const Flow *f, const OvNode *n)
{
	return n->type == OV_CHAPTER || n->type == OV_APPENDIX || n->type == OV_PART ? ov_gentext_type(f->lo->doc, n) : NULL;
}

static Para *caption_para(Flow *f, const OvNode *fig, gboolean example);
static double media_height(Flow *f, const OvNode *fig, Para *caption);

/* Figures still waiting when a chapter ends: on this page if they fit, else the next. */
static void
flush_floats_here(Flow *f)
{
	while (f->floats->len) {
		if (f->page && !at_top(f) && ((const OvNode *)g_ptr_array_index(f->floats, 0))->type == OV_FIGURE) {
			const OvNode *fig = g_ptr_array_index(f->floats, 0);
			Para *cap = caption_para(f, fig, FALSE);
			double h = media_height(f, fig, cap);
			ov_pdf_para_free(cap);
			if (f->y + f->space + h <= area_bottom(f)) {
				GPtrArray *one = f->floats;
				f->floats = g_ptr_array_new();
				g_ptr_array_add(f->floats, g_ptr_array_index(one, 0));
				g_ptr_array_remove_index(one, 0);
				flush_floats(f);
				g_ptr_array_free(f->floats, TRUE);
				f->floats = one;
				continue;
			}
		}
		new_page(f, FALSE); /* places them all */
	}
}

/* A top-level division: a new page (right-hand if the theme says), the opening heading. */
static void
open_chapter(Flow *f, const OvNode *div)
{
	flush_floats_here(f);
	const OvTheme *th = f->th;
	const OvNode *title = ov_node_child(div, OV_TITLE);
	/* the running head: the division's titleabbrev, its title, or the words that stand for
	 * an untitled one ("Glossary"); none for an untitled chapter */
	char *t = div->u.div.titleabbrev ? g_strdup(div->u.div.titleabbrev) : ov_division_title(f->lo->doc, div, FALSE);
	Para *p;

	/* the layout's own copy: GLib's intern table would keep every title for the process's life */
	f->header = t ? g_string_chunk_insert_const(f->lo->strings, t) : NULL;
	if (th->chapter_recto && !next_is_recto(f)) {
		new_page(f, TRUE);
		f->page->blank = TRUE;
	}
	new_page(f, TRUE);
	g_free(t);
	f->y = f->top + th->h1_size * 2.2;
	f->page->opens = div;
	division_dest(f, div, f->top);
	begin_struct(f, "H1");
	if (div->label && chapter_word(f, div)) {
		char *lab = g_strdup_printf("%s %s", chapter_word(f, div), div->label);
		Para *lp = ov_pdf_plain(f->lo, lab, TS_SMALL, th->h3_size, width_now(f), PANGO_ALIGN_LEFT, FALSE);
		place_para(f, lp, 0, FALSE);
		ov_pdf_para_free(lp);
		g_free(lab);
		f->y += th->leading * 0.3;
	}
	if (title) {
		p = ov_pdf_para(f->lo, title, TS_HEADING, th->h1_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
		ov_pdf_para_balance(p);
		place_para(f, p, 0, FALSE);
		ov_pdf_para_free(p);
	}
	subtitle(f, div, th->h2_size);
	if (f->y > f->top + th->h1_size * 2.2 + EPS) { /* a heading's rule: none under no heading */
		Item rule = ov_pdf_rule(f->x0, f->y + th->leading * 0.5, th->h1_size * 2, 0, 0.8, f->lo->heading_color);
		ov_pdf_add_item(f->page, rule);
	}
	f->y += th->leading * 1.8;
	f->space = 0;
	f->para_before = FALSE;
	/* nothing under it on its page would leave it alone as any heading */
	f->heading_page = f->page_idx;
	f->heading_fixed = TRUE;
}

/* A part: a page of its own with its label and title. */
static void
open_part(Flow *f, const OvNode *part)
{
	flush_floats_here(f);
	const OvTheme *th = f->th;
	const OvNode *title = ov_node_child(part, OV_TITLE);
	char *lab = g_strdup_printf("%s %s", ov_gentext(f->lo->doc, OV_GT_PART), part->label ? part->label : "");
	Para *lp;

	f->header = NULL;
	if (th->chapter_recto && !next_is_recto(f)) {
		new_page(f, TRUE);
		f->page->blank = TRUE;
	}
	new_page(f, TRUE);
	/* a part's title alone on its page is a display page: no number (one with an intro has) */
	f->page->blind = TRUE;
	for (const OvNode *c = part->first; c; c = c->next)
		if (!ov_node_is_division(c) && c->type != OV_TITLE && c->type != OV_SUBTITLE && c->type != OV_INFO &&
		    c->type != OV_INDEXTERM && c->type != OV_ANCHOR)
			f->page->blind = FALSE;
	f->y = f->top + (f->bottom - f->top) * 0.3;
	f->page->opens = part;
	division_dest(f, part, f->top);
	begin_struct(f, "H1");
	lp = ov_pdf_plain(f->lo, lab, TS_SMALL, th->h2_size, width_now(f), PANGO_ALIGN_CENTER, FALSE);
	place_para(f, lp, 0, FALSE);
	ov_pdf_para_free(lp);
	g_free(lab);
	if (title) {
		Para *p = ov_pdf_para(f->lo, title, TS_HEADING, th->h1_size, width_now(f), PANGO_ALIGN_CENTER, FALSE, NULL);
		ov_pdf_para_balance(p);
		f->y += th->leading;
		place_para(f, p, 0, FALSE);
		ov_pdf_para_free(p);
	}
	subtitle(f, part, th->h2_size);
	f->y += th->leading * 2;
	f->para_before = FALSE;
}

/* ---- images and figures ---- */

/* Load an image and size it to fit maxw x maxh (a % width is of maxw). */
static OvImage *
sized_image_in(Flow *f, const OvNode *img, double maxw, double maxh, double *w, double *h)
{
	OvImage *im = ov_image_load(f->lo->doc, img, f->lo->d);
	double iw, ih, s;
	if (im == NULL)
		return NULL;
	g_ptr_array_add(f->lo->images, im);
	iw = im->width * 0.75;
	ih = im->height * 0.75;
	if (img->u.img.scale)
		s = g_ascii_strtod(img->u.img.scale, NULL) / 100, iw *= s > 0 ? s : 1, ih *= s > 0 ? s : 1;
	{
		/* a width, a depth or both: the largest size within them that keeps the image's
		 * shape (the EPUB's rule too); a depth in % is of the text area's height */
		const char *wv = img->u.img.contentwidth ? img->u.img.contentwidth : img->u.img.width;
		const char *dv = img->u.img.contentdepth ? img->u.img.contentdepth : img->u.img.depth;
		double area = f->lo->page_h - f->th->margin_top - f->th->margin_bottom;
		double ww = wv ? ov_pdf_image_length(wv, f->th->body_size, maxw, 0) : 0;
		double wd = dv ? ov_pdf_image_length(dv, f->th->body_size, area, 0) : 0;
		double k = ww > 0 && wd > 0 ? MIN(ww / iw, wd / ih) : ww > 0 ? ww / iw : wd > 0 ? wd / ih : 1;
		iw *= k;
		ih *= k;
	}
	s = MIN(1.0, MIN(maxw / iw, maxh / ih));
	*w = iw * s;
	*h = ih * s;
	return im;
}

/* Load an image and size it for the current measure and page. */
static OvImage *
sized_image(Flow *f, const OvNode *img, double *w, double *h)
{
	return sized_image_in(f, img, width_now(f), (f->bottom - f->top) * 0.7, w, h);
}

/* A figure's caption: "Figure 3. Title" (or its title alone when unnumbered). */
static Para *
caption_para(Flow *f, const OvNode *fig, gboolean example)
{
	const OvTheme *th = f->th;
	const OvNode *title = ov_node_child(fig, OV_TITLE);
	char *prefix;
	Para *p;
	if (title == NULL)
		return NULL;
	prefix = caption_label(f, fig);
	p = ov_pdf_para(f->lo, title, TS_SMALL, th->body_size * 0.9, width_now(f), example || fig->type == OV_TABLE ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER, FALSE, prefix);
	g_free(prefix);
	return p;
}

/* The paragraphs of a media object's own caption, to out; their height. */
static double
media_captions(Flow *f, const OvNode *media, GPtrArray *out)
{
	double h = 0;
	for (const OvNode *c = media->first; c; c = c->next)
		if (c->type == OV_CAPTION)
			for (const OvNode *b = c->first; b; b = b->next)
				if (ov_type_info[b->type].content == OV_CONTENT_INLINES) {
					Para *cp = ov_pdf_para(f->lo, b, TS_BODY, f->th->body_size * 0.9, width_now(f), PANGO_ALIGN_CENTER,
							       FALSE, NULL);
					h += ov_pdf_para_height(cp);
					g_ptr_array_add(out, cp);
				}
	return h;
}

/* One picture of a figure or a media object: an image sized for the measure, or (an image
 * object that cannot be used) its alt text. */
typedef struct {
	const OvNode *media;
	OvImage *im;
	double w, h;
	Para *alt;
} Pic;

static void
pics_free(GArray *pics)
{
	for (guint i = 0; i < pics->len; i++)
		if (g_array_index(pics, Pic, i).alt)
			ov_pdf_para_free(g_array_index(pics, Pic, i).alt);
	g_array_free(pics, TRUE);
}

/* The pictures of node, in order: of each of a figure's media objects (a figure may hold
 * several), or of one media object; in each, its first usable image object, after the alt
 * text of those before it that cannot be used. Their captions' paragraphs to caps (NULL:
 * not wanted). Returns their height, captions included. */
static double
media_pics(Flow *f, const OvNode *node, GArray *pics, GPtrArray *caps)
{
	const OvTheme *th = f->th;
	double total = 0;
	for (const OvNode *m = node->type == OV_MEDIAOBJECT ? node : node->first; m; m = node->type == OV_MEDIAOBJECT ? NULL : m->next) {
		if (m->type != OV_MEDIAOBJECT)
			continue;
		for (const OvNode *c = NULL; (c = ov_media_next(m, c, TRUE)) != NULL;) { /* role="fo" first */
			Pic pic = { m, NULL, 0, 0, NULL };
			pic.im = sized_image(f, c, &pic.w, &pic.h);
			if (pic.im == NULL && c->u.img.alt == NULL)
				continue;
			if (pic.im == NULL) {
				pic.alt = ov_pdf_plain(f->lo, c->u.img.alt, TS_BODY, th->body_size, width_now(f), PANGO_ALIGN_CENTER, FALSE);
				pic.h = ov_pdf_para_height(pic.alt);
			}
			g_array_append_val(pics, pic);
			total += pic.h;
			if (pic.im)
				break; /* the first usable image object is the one shown */
		}
		if (caps)
			total += media_captions(f, m, caps);
	}
	return total;
}

/* A Figure structure element for an image, in parent, with its alt text (pdf.c writes it
 * as /Alt: the drawing reads it from the element as it begins it). */
static const StructEl *
figure_struct(Flow *f, const StructEl *parent, const char *alt)
{
	StructEl *el = (StructEl *)ov_pdf_struct(f->lo, parent, "Figure");
	if (el != parent) /* not merged into its parent (too deep) */
		el->alt = alt ? alt : "";
	return el;
}

/* The pictures of a figure (all of its media objects) or of a media object, then the
 * figure's caption and the media objects' own, kept together on one page. */
static void
place_media(Flow *f, const OvNode *node, Para *caption)
{
	const OvTheme *th = f->th;
	GArray *pics = g_array_new(FALSE, TRUE, sizeof(Pic));
	GPtrArray *caps = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	/* the media objects' own captions, under the figure's title (the EPUB's order, and the
	 * order of their notes' numbers), kept on the page with them */
	double total = media_pics(f, node, pics, caps);
	const StructEl *container = f->container;

	if (caption)
		total += ov_pdf_para_height(caption) + th->leading * 0.5;
	ensure_page(f);
	want_space(f, th->leading * 0.8);
	if (!at_top(f) && f->y + f->space + total > area_bottom(f))
		break_under_heading(f);
	take_space(f);
	if (node->type == OV_MEDIAOBJECT)
		record_dest(f, node);
	else
		for (const OvNode *m = node->first; m; m = m->next)
			if (m->type == OV_MEDIAOBJECT)
				record_dest(f, m);
	if (f->markers->len && pics->len)
		place_marker(f, f->y + th->body_size);
	for (guint i = 0; i < pics->len; i++) {
		Pic *pic = &g_array_index(pics, Pic, i);
		Item it = { 0 };
		if (pic->alt) {
			begin_struct(f, "P");
			place_para(f, pic->alt, 0, FALSE);
			continue;
		}
		f->leaf = figure_struct(f, container, pic->im->node->u.img.alt);
		it.kind = IT_IMAGE;
		it.img = pic->im;
		it.w = pic->w;
		it.h = pic->h;
		it.x = f->x0 + f->indent_l + (width_now(f) - pic->w) / 2;
		it.y = f->y;
		add(f, it);
		f->y += pic->h;
	}
	begin_struct(f, "Caption");
	if (caption) {
		f->y += th->leading * 0.5;
		place_para(f, caption, 0, FALSE);
	}
	for (guint i = 0; i < caps->len; i++)
		place_para(f, g_ptr_array_index(caps, i), 0, FALSE);
	want_space(f, th->leading * 0.8);
	f->para_before = FALSE;
	g_ptr_array_free(caps, TRUE);
	pics_free(pics);
}

/* The height a figure's pictures and caption take, or -1 when it has no usable image. */
static double
media_height(Flow *f, const OvNode *fig, Para *caption)
{
	GArray *pics = g_array_new(FALSE, TRUE, sizeof(Pic));
	GPtrArray *caps = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	double total = media_pics(f, fig, pics, caps);
	gboolean any = FALSE;
	for (guint i = 0; i < pics->len; i++)
		any = any || g_array_index(pics, Pic, i).im != NULL;
	if (caption)
		total += ov_pdf_para_height(caption) + f->th->leading * 0.5;
	g_ptr_array_free(caps, TRUE);
	pics_free(pics);
	return any ? total : -1;
}

/* Should this figure wait for the next page, the text flowing on? When it does not fit here
 * and would leave a hole of more than a quarter page, or when figures already wait (they
 * keep their order). Not inside lists, notes or tables, whose labels and cells it would
 * leave behind. */
static gboolean
should_float(Flow *f, const OvNode *fig, Para *caption)
{
	double h, page = f->bottom - f->top;
	/* an informal figure (no title, nothing refers to it by number) stays in the text */
	if (caption == NULL || f->markers->len || f->ctx->len > 1 || f->flushing)
		return FALSE;
	/* nor one right under a heading, which would stand alone (unless figures wait: they
	 * keep their order) */
	if (heading_alone(f) && f->floats->len == 0)
		return FALSE;
	if (f->floats->len)
		return TRUE;
	ensure_page(f);
	if (at_top(f))
		return FALSE;
	h = media_height(f, fig, caption);
	return h > 0 && h <= page && f->y + f->space + h > area_bottom(f) && area_bottom(f) - f->y > page / 4;
}

static void figure_with_media(Flow *f, const OvNode *fig, Para *cap);
static void place_table(Flow *f, const OvNode *table);
static void block_subtitle(Flow *f, const OvNode *n);

/* Place the waiting figures at the top of this page, in their own structure elements. */
static void
flush_floats(Flow *f)
{
	GPtrArray *fl = f->floats;
	const StructEl *leaf = f->leaf, *container = f->container;
	GArray *markers = f->markers;
	gboolean para_before = f->para_before;
	double space = f->space;

	if (fl == NULL || fl->len == 0 || f->flushing)
		return;
	f->flushing = TRUE;
	f->floats = g_ptr_array_new();
	f->markers = g_array_new(FALSE, TRUE, sizeof(Marker));
	f->container = NULL;
	for (guint i = 0; i < fl->len; i++) {
		const OvNode *fig = g_ptr_array_index(fl, i);
		if (fig->type == OV_TABLE) {
			place_table(f, fig);
			continue;
		}
		{
			Para *cap = caption_para(f, fig, FALSE);
			figure_with_media(f, fig, cap);
			ov_pdf_para_free(cap);
		}
	}
	g_ptr_array_free(fl, TRUE);
	g_array_free(f->markers, TRUE);
	f->markers = markers;
	f->leaf = leaf;
	f->container = container;
	f->para_before = para_before;
	f->space = MAX(space, f->space);
	f->flushing = FALSE;
	/* figures deferred while these were placed wait for the page after */
}

static void
figure_with_media(Flow *f, const OvNode *fig, Para *cap)
{
	record_dest(f, fig);
	place_media(f, fig, cap);
}

/* ---- verbatim ---- */

/* A block's rule on page pg, from y0 down to where the block ends there (inset at both
 * ends): the flow's y on this page, the end of an earlier page's text (not its foot: the
 * notes are there); dx right of that page's own left margin. */
static void
block_rule(Flow *f, int pg, double y0, double inset, double dx, double lw, guint32 color)
{
	Page *page = g_ptr_array_index(f->lo->pages, pg);
	double y1 = pg == f->page_idx ? f->y : page->end_y;
	ov_pdf_add_item(page, ov_pdf_rule(ov_pdf_page_x0(f->lo, page) + dx, y0 + inset, 0, y1 - y0 - 2 * inset, lw, color));
}

/* Where a block's left rule starts: where the block began (page, y), unless nothing of it was
 * set on that page (the page had `items` items then, and its first lines went on to the
 * next): then at the top of the next page, or a bar would stand beside nothing. */
static void
rule_start(Flow *f, int *page, double *y, guint items)
{
	const Page *pg = g_ptr_array_index(f->lo->pages, *page);
	/* nothing was set on its first page after it began (or what was went on to the next
	 * with a heading: break_under_heading) */
	if (*page < f->page_idx && pg->items->len <= items) {
		++*page;
		*y = f->top;
	}
}

static void
verbatim(Flow *f, const OvNode *n)
{
	const OvTheme *th = f->th;
	gboolean mono = n->u.verb.kind != OV_VERB_LITERAL;
	double size = mono ? th->mono_size : th->body_size;
	Para *p = ov_pdf_para_ex(f->lo, n, mono ? TS_MONO : TS_BODY, size, width_now(f) - (mono ? 8 : 0), PANGO_ALIGN_LEFT, FALSE,
			       NULL, OV_PARA_NO_HYPHENS);
	int startp;
	double start_y;
	guint items;

	p->leading = size * 1.3;
	want_space(f, th->leading * 0.5);
	record_dest(f, n);
	ensure_page(f);
	take_space(f);
	startp = f->page_idx;
	start_y = f->y;
	begin_struct(f, mono ? "Code" : "P");
	f->code_page = startp; /* its rule goes down every page it is on: they are not finished */
	items = f->page->items->len;
	place_para(f, p, mono ? 8 : 0, TRUE);
	f->code_page = -1;
	if (mono) {
		rule_start(f, &startp, &start_y, items);
		/* a rule down the left of the code, page by page */
		for (int pg = startp; pg <= f->page_idx; pg++)
			block_rule(f, pg, pg == startp ? start_y : f->top, 1, f->indent_l + 1, 1.2, f->lo->rule_color);
	}
	ov_pdf_para_free(p);
	want_space(f, th->leading * 0.5);
	f->para_before = FALSE;
}

/* ---- tables ---- */

typedef struct SubTable SubTable;

typedef struct {
	const OvNode *cell;
	GPtrArray *paras;  /* Para* (a nested table's: its cells' flattened, where a row breaks
	                    * across pages and to measure the columns) */
	double height;
	guint span;        /* the rows it spans as set: its rowspan, or 1 when too tall to span them */
	SubTable *sub;     /* a nested table (entrytbl) set as a table in the cell, or NULL */
} CellBox;

/* A nested table (entrytbl) set in its cell: its own columns across the cell's whole width
 * (pads included), its rows one under another. Its cells are never nested again (their
 * nested blocks flattened, as any cell's): the work stays bounded at any input depth. */
struct SubTable {
	double *colx;       /* its columns' left edges from the cell's left, and its right edge */
	GPtrArray *rows;    /* RowBox* */
	double height;
};

#define CELL_PAD 3.0

static void sub_table_free(SubTable *st);
static void cell_box_free(CellBox *cb);
static SubTable *sub_table(Flow *f, const OvNode *table, double width);

/* The nested table a cell holds (CALS entrytbl), or NULL. */
static const OvNode *
entrytbl_of(const OvNode *cell)
{
	for (const OvNode *c = cell->first; c; c = c->next)
		if (c->type == OV_TABLE && g_strcmp0(c->tag, "entrytbl") == 0)
			return c;
	return NULL;
}

/* The height of a cell's lines. */
static void
cell_height(Flow *f, CellBox *cb)
{
	cb->height = 0;
	for (guint i = 0; i < cb->paras->len; i++) {
		GArray *lines = line_infos(f, g_ptr_array_index(cb->paras, i));
		for (guint l = 0; l < lines->len; l++) /* the same advance place_row will use */
			cb->height += g_array_index(lines, LineInfo, l).adv;
		g_array_free(lines, TRUE);
	}
}

/* How a cell's text is set: its style, and its size in *size. */
static TextStyle
cell_style(const OvTheme *th, const OvNode *cell, double *size)
{
	*size = th->body_size * 0.9;
	return (cell->flags & OV_F_HEADER) ? TS_HEADING : TS_BODY;
}

/* The inline blocks of a cell (paras, terms, code ...), each a Para; nested blocks flattened. */
static CellBox *
cell_box(Flow *f, const OvNode *cell, double width)
{
	CellBox *cb = g_new0(CellBox, 1);
	double size;
	TextStyle style = cell_style(f->th, cell, &size);
	const char *a = ov_cell_align(cell); /* its own, its colspec's, or a column of numbers' */
	PangoAlignment al = PANGO_ALIGN_LEFT;

	cb->cell = cell;
	cb->paras = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	if (a && !strcmp(a, "center"))
		al = PANGO_ALIGN_CENTER;
	else if (a && !strcmp(a, "right"))
		al = PANGO_ALIGN_RIGHT;
	collect_paras(f, cell, style, size, width, al, FALSE, NULL, cb->paras);
	cell_height(f, cb);
	return cb;
}

/* The cell's box at width: the one made to measure the columns (if there is one in
 * measured), broken again at width (its shaping done once), or a new one. */
static CellBox *
cell_box_at(Flow *f, GHashTable *measured, const OvNode *cell, double width)
{
	CellBox *cb = NULL;
	if (entrytbl_of(cell)) {
		/* a nested table: set as a table of its own across the cell; its flattened text
		 * kept for a row too tall for a page */
		if (g_hash_table_steal_extended(measured, cell, NULL, (gpointer *)&cb))
			cell_box_free(cb);
		cb = cell_box(f, cell, width);
		cb->sub = sub_table(f, entrytbl_of(cell), width + 2 * CELL_PAD);
		cb->height = MAX(cb->sub->height - 2 * CELL_PAD, 0);
		return cb;
	}
	if (!g_hash_table_steal_extended(measured, cell, NULL, (gpointer *)&cb))
		return cell_box(f, cell, width);
	for (guint i = 0; i < cb->paras->len; i++) {
		Para *p = g_ptr_array_index(cb->paras, i);
		if (is_media_para(p)) { /* a picture: sized again for its column */
			double size;
			TextStyle style = cell_style(f->th, cell, &size);
			Para *q = media_para(f, p->node, width, media_para_max_h(f, style), style, size, p->bs.align);
			q->leading = p->leading;
			ov_pdf_para_free(p);
			cb->paras->pdata[i] = q;
			continue;
		}
		ov_pdf_para_rebreak(p, width, p->bs.indent);
	}
	cell_height(f, cb);
	return cb;
}

static void
cell_box_free(CellBox *cb)
{
	g_ptr_array_free(cb->paras, TRUE);
	if (cb->sub)
		sub_table_free(cb->sub);
	g_free(cb);
}


static void sub_widths(Flow *f, const OvNode *table, double *nat, double *least);

/* Column widths: colspec proportions or fixed widths, else from the content (the boxes of
 * the cells measured go to measured, cell -> CellBox). */
static double *
column_widths(Flow *f, const OvNode *table, double avail, GHashTable *measured)
{
	int nc = table->u.table.ncols;
	double *w = g_new0(double, nc), *nat = g_new0(double, nc), *least = g_new0(double, nc), sum = 0, fixed = 0,
	       prop = 0, sum_least = 0, sum_nat = 0;
	gboolean all_spec = TRUE;

	for (int i = 0; i < nc; i++)
		if (table->u.table.colwidth[i] == 0)
			all_spec = FALSE;
	if (!all_spec) {
		/* the widest single-column cell text of each column, unbroken and at its longest word */
		OvIter it;
		OvEvent ev;
		ov_iter_init(&it, (OvNode *)table);
		while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
			const OvNode *c = it.cur;
			CellBox *cb;
			int col;
			if (ev != OV_EV_ENTER || c->type != OV_CELL)
				continue;
			ov_iter_skip_children(&it);
			if (c->u.cell.colspan != 1 || c->u.cell.col >= nc)
				continue;
			col = c->u.cell.col;
			cb = cell_box(f, c, -1);
			if (entrytbl_of(c)) { /* a nested table: its columns side by side */
				double n = 0, l = 0;
				sub_widths(f, entrytbl_of(c), &n, &l);
				nat[col] = MAX(nat[col], n);
				least[col] = MAX(least[col], l);
				g_hash_table_insert(measured, (gpointer)c, cb);
				continue;
			}
			for (guint k = 0; k < cb->paras->len; k++) {
				Para *p = g_ptr_array_index(cb->paras, k);
				nat[col] = MAX(nat[col], ov_pdf_para_natural_width(p) + 2 * CELL_PAD + 2);
				/* a picture shrinks to its column: it asks for no more than a word would */
				least[col] = MAX(least[col], (is_media_para(p) ? MIN(ov_pdf_para_min_width(p), 36) : ov_pdf_para_min_width(p)) +
								     2 * CELL_PAD + 2);
			}
			g_hash_table_insert(measured, (gpointer)c, cb);
		}
	}
	if (all_spec) {
		for (int i = 0; i < nc; i++) {
			double cw = table->u.table.colwidth[i];
			if (cw < 0)
				fixed += -cw;
			else
				prop += cw;
		}
		for (int i = 0; i < nc; i++) {
			double cw = table->u.table.colwidth[i];
			w[i] = cw < 0 ? -cw : (avail - fixed) * cw / MAX(prop, 1e-6);
			sum += w[i];
		}
		/* fixed widths wider than the measure: shrink all */
		for (int i = 0; sum > avail && i < nc; i++)
			w[i] = w[i] * avail / sum;
	} else {
		/* as a browser does: every column gets its longest word; what is left goes to the
		 * columns by how much more their text wants; fixed colspec widths stay */
		for (int i = 0; i < nc; i++) {
			double cw = table->u.table.colwidth[i];
			least[i] = cw < 0 ? -cw : MAX(least[i], 24);
			nat[i] = cw < 0 ? -cw : MAX(nat[i], least[i]);
			sum_least += least[i];
			sum_nat += nat[i];
		}
		for (int i = 0; i < nc; i++) {
			if (sum_least >= avail)
				w[i] = least[i] * avail / sum_least;
			else if (sum_nat <= avail)
				w[i] = nat[i] + (table->u.table.colwidth[i] < 0 ? 0 : (avail - sum_nat) * nat[i] / sum_nat);
			else
				w[i] = least[i] + (nat[i] - least[i]) * (avail - sum_least) / (sum_nat - sum_least);
		}
	}
	{
		/* columns too narrow for a letter: their text runs over the next cells and past the
		 * rules, which only a look at the page shows; said at the table */
		int narrow = 0;
		double least_w = G_MAXDOUBLE;
		for (int i = 0; i < nc; i++) {
			double inner = w[i] - 2 * CELL_PAD;
			least_w = MIN(least_w, inner);
			if (inner < f->th->body_size * 0.5)
				narrow++;
		}
		if (narrow)
			ov_warn(f->lo->d, table->loc,
				"%d of the table's %d columns are narrower than a character (%.1f pt): their text overprints "
				"the next cells; fewer columns, or a wider page, would set it",
				narrow, nc, MAX(least_w, 0));
	}
	g_free(least);
	g_free(nat);
	return w;
}

typedef struct {
	GPtrArray *cells; /* CellBox* */
	double height;
	gboolean header;
} RowBox;

static void
row_box_free(gpointer p)
{
	RowBox *rb = p;
	g_ptr_array_free(rb->cells, TRUE);
	g_free(rb);
}


static void
sub_table_free(SubTable *st)
{
	g_ptr_array_free(st->rows, TRUE);
	g_free(st->colx);
	g_free(st);
}

/* A nested table's natural and least widths: its columns' side by side. */
static void
sub_widths(Flow *f, const OvNode *table, double *nat, double *least)
{
	int nc = MAX(table->u.table.ncols, 1);
	double *n = g_new0(double, nc), *l = g_new0(double, nc);
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, (OvNode *)table);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *c = it.cur;
		CellBox *cb;
		if (ev != OV_EV_ENTER || c->type != OV_CELL)
			continue;
		ov_iter_skip_children(&it);
		if (c->u.cell.colspan != 1 || c->u.cell.col >= nc)
			continue;
		cb = cell_box(f, c, -1);
		for (guint k = 0; k < cb->paras->len; k++) {
			Para *p = g_ptr_array_index(cb->paras, k);
			n[c->u.cell.col] = MAX(n[c->u.cell.col], ov_pdf_para_natural_width(p) + 2 * CELL_PAD + 2);
			l[c->u.cell.col] = MAX(l[c->u.cell.col], ov_pdf_para_min_width(p) + 2 * CELL_PAD + 2);
		}
		cell_box_free(cb);
	}
	*nat = *least = 0;
	for (int i = 0; i < nc; i++) {
		*nat += MAX(n[i], 24);
		*least += MAX(l[i], 24);
	}
	g_free(n);
	g_free(l);
}

/* A table's rows in the order they are set: its head's, its bodies', then its foot's. */
static GPtrArray *
rows_in_order(const OvNode *table)
{
	static const OvType order[] = { OV_THEAD, OV_TBODY, OV_TFOOT };
	GPtrArray *rows = g_ptr_array_new();
	for (gsize i = 0; i < G_N_ELEMENTS(order); i++)
		for (const OvNode *sec = table->first; sec; sec = sec->next)
			if (sec->type == order[i])
				for (const OvNode *row = sec->first; row; row = row->next)
					if (row->type == OV_ROW)
						g_ptr_array_add(rows, (gpointer)row);
	return rows;
}

/* A row's box: its cells set in the columns at colx (nc of them) from the cells measured for
 * the column widths (measured), or, in a nested table (measured NULL), set anew, a row span
 * set in its first row. */
static RowBox *
row_box(Flow *f, const OvNode *row, const double *colx, int nc, GHashTable *measured)
{
	RowBox *rb = g_new0(RowBox, 1);
	rb->cells = g_ptr_array_new_with_free_func((GDestroyNotify)cell_box_free);
	rb->header = row->parent->type == OV_THEAD;
	for (const OvNode *c = row->first; c; c = c->next) {
		int col, span;
		double w;
		CellBox *cb;
		if (c->type != OV_CELL)
			continue;
		col = MIN(c->u.cell.col, nc - 1);
		span = MIN(MAX(c->u.cell.colspan, 1), nc - col);
		w = colx[col + span] - colx[col] - 2 * CELL_PAD;
		cb = measured ? cell_box_at(f, measured, c, w) : cell_box(f, c, w);
		cb->span = measured ? (guint)MAX(c->u.cell.rowspan, 1) : 1;
		/* a spanning cell taller than most of a page cannot be kept beside its rows: it
		 * is set in its first row, which breaks across pages as any tall row does (the
		 * rows below are empty in its column) */
		if (cb->span > 1 && cb->height + 2 * CELL_PAD > (f->bottom - f->top) * 0.8)
			cb->span = 1;
		if (cb->span == 1)
			rb->height = MAX(rb->height, cb->height + 2 * CELL_PAD);
		g_ptr_array_add(rb->cells, cb);
	}
	rb->height = MAX(rb->height, f->th->leading * 0.9 + 2 * CELL_PAD);
	return rb;
}

/* A nested table set width wide (its cell's whole width): head rows, body, foot. */
static SubTable *
sub_table(Flow *f, const OvNode *table, double width)
{
	int nc = MAX(table->u.table.ncols, 1);
	GHashTable *measured = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)cell_box_free);
	double *colw = column_widths(f, table, width, measured);
	SubTable *st = g_new0(SubTable, 1);

	st->colx = g_new0(double, nc + 1);
	for (int i = 0; i < nc; i++)
		st->colx[i + 1] = st->colx[i] + colw[i];
	st->rows = g_ptr_array_new_with_free_func(row_box_free);
	GPtrArray *order = rows_in_order(table);
	for (guint r = 0; r < order->len; r++) {
		RowBox *rb = row_box(f, g_ptr_array_index(order, r), st->colx, nc, NULL);
		st->height += rb->height;
		g_ptr_array_add(st->rows, rb);
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(measured);
	g_free(colw);
	return st;
}

/* What the notes a row calls (and that are not set yet) need on its page, as for a line: all
 * but the last whole, the last's start; 0 if none. */
static double
row_notes(Flow *f, const RowBox *rb)
{
	LineInfo li = { 0 };
	for (guint i = 0; i < rb->cells->len; i++) {
		const CellBox *cb = g_ptr_array_index(rb->cells, i);
		for (guint k = 0; k < cb->paras->len; k++) {
			const GArray *spans = ((Para *)g_ptr_array_index(cb->paras, k))->spans;
			for (guint j = 0; j < spans->len; j++) {
				const Span *sp = &g_array_index(spans, Span, j);
				Note *n = sp->footnote ? note_of(f, sp->footnote) : NULL;
				if (n && n->paras->len) { /* not set yet */
					li.notes_last = n->height;
					li.notes += n->height;
				}
			}
		}
	}
	return li.notes > 0 ? note_start(f, &li) + (f->page->fn_height == 0 ? note_gap(f) : 0) : 0;
}

/* A table's left edge on the page being set: that page's own margin (a verso's with facing
 * pages), read when each row is placed, never once before the table's first page exists. */
static double
table_x0(Flow *f)
{
	return f->x0 + f->indent_l;
}

static void place_row(Flow *f, RowBox *rb, const double *colx, const StructEl *table);

/* A nested table in the cell whose left edge is x (from the table's) and whose rows start at
 * top: a Table element in the cell's, its rows with a thin rule between them. */
static void
place_sub(Flow *f, const CellBox *cb, double x, double top)
{
	const SubTable *st = cb->sub;
	int nc = MAX(entrytbl_of(cb->cell)->u.table.ncols, 1);
	double *colx = g_new(double, nc + 1), save = f->y, w = st->colx[nc];
	const StructEl *tel = ov_pdf_struct(f->lo, f->leaf, "Table");

	for (int i = 0; i <= nc; i++)
		colx[i] = x + st->colx[i];
	f->y = top;
	for (guint r = 0; r < st->rows->len; r++) {
		if (r > 0)
			ov_pdf_add_item(f->page, ov_pdf_rule(table_x0(f) + x + CELL_PAD, f->y, w - 2 * CELL_PAD, 0, 0.3, f->lo->rule_color));
		place_row(f, g_ptr_array_index(st->rows, r), colx, tel);
	}
	f->y = save;
	g_free(colx);
}

/* The destinations of the blocks in a cell that paragraph p starts (p itself, a list or
 * quote in the cell it is the first of), at y: a link may name a paragraph in a table. */
static void
cell_para_dests(Flow *f, const Para *p, const OvNode *cell, double y)
{
	for (const OvNode *b = p->node; b && b != cell; b = b->parent)
		if (b->id)
			ov_pdf_add_dest(f->lo, ov_pdf_id_dest(f->lo, b), f->page_idx, y);
}

static void
place_row(Flow *f, RowBox *rb, const double *colx, const StructEl *table)
{
	double top = f->y;
	const StructEl *tr = ov_pdf_struct(f->lo, table, "TR");
	for (guint i = 0; i < rb->cells->len; i++) {
		CellBox *cb = g_ptr_array_index(rb->cells, i);
		int col = cb->cell->u.cell.col;
		double y = top + CELL_PAD;
		if (cb->cell->parent && cb->cell->parent->type == OV_ROW)
			record_dest(f, cb->cell->parent); /* the row's, at its first cell */
		record_dest(f, cb->cell);
		f->leaf = ov_pdf_struct(f->lo, tr, cb->cell->flags & OV_F_HEADER ? "TH" : "TD");
		if (cb->sub) {
			place_sub(f, cb, colx[col], top);
			continue;
		}
		const StructEl *cell_el = f->leaf;
		gboolean mixed = any_media_para(cb->paras);
		for (guint k = 0; k < cb->paras->len; k++) {
			Para *p = g_ptr_array_index(cb->paras, k);
			GArray *lines = line_infos(f, p);
			f->leaf = para_struct(f, cell_el, p, mixed);
			for (guint l = 0; l < lines->len; l++) {
				LineInfo *li = &g_array_index(lines, LineInfo, l);
				Item it = { 0 };
				if (l == 0)
					cell_para_dests(f, p, cb->cell, y);
				it.kind = IT_LINE;
				it.line = ov_line_ref(li->line);
				it.ts = ov_pdf_text_source_ref(p->ts);
				it.x = table_x0(f) + colx[col] + CELL_PAD + li->x;
				it.y = y + li->base;
				it.color = f->lo->text_color;
				if (f->markers->len)
					place_marker(f, it.y);
				add(f, it);
				{
					double save = f->y;
					f->y = y;
					line_spans(f, p, li, it.x, y, it.y);
					f->y = save;
				}
				y += li->adv;
			}
			g_array_free(lines, TRUE);
		}
	}
	f->y = top + rb->height;
}

static void table_rule(Flow *f, double x, double w, double lw);

/* What a row needs on a page to start there: all of it, or when it is taller than most of a
 * page (it breaks across pages), the first lines of each cell, as many as the theme's
 * orphans. */
static double
row_start(Flow *f, const RowBox *rb)
{
	guint want = (guint)MAX(f->th->orphans, 1);
	double need = 0;

	if (rb->height <= (f->bottom - f->top) * 0.8)
		return rb->height;
	for (guint i = 0; i < rb->cells->len; i++) {
		const CellBox *cb = g_ptr_array_index(rb->cells, i);
		double h = 0;
		guint n = 0;
		for (guint k = 0; k < cb->paras->len && n < want; k++) {
			GArray *lines = line_infos(f, g_ptr_array_index(cb->paras, k));
			for (guint l = 0; l < lines->len && n < want; l++, n++)
				h += g_array_index(lines, LineInfo, l).adv;
			g_array_free(lines, TRUE);
		}
		need = MAX(need, h + 2 * CELL_PAD);
	}
	return MIN(need, rb->height);
}

/* What the group of rows starting at r (rows joined by a cell spanning them break as one)
 * needs to start on a page: all of it, or the start of its first row when it is too tall to
 * keep whole (*split). *end: the row after it. */
static double
group_start(Flow *f, GPtrArray *rows, guint r, guint *end, gboolean *split)
{
	guint group_end = r + 1;
	double need = 0;

	for (guint k = r; k < group_end && k < rows->len; k++) {
		RowBox *kb = g_ptr_array_index(rows, k);
		for (guint i = 0; i < kb->cells->len; i++)
			group_end = MAX(group_end, k + ((CellBox *)g_ptr_array_index(kb->cells, i))->span);
	}
	group_end = MIN(group_end, rows->len);
	for (guint k = r; k < group_end; k++)
		need += ((RowBox *)g_ptr_array_index(rows, k))->height;
	*split = need > (f->bottom - f->top) * 0.8;
	*end = group_end;
	/* a group taller than a page breaks where it must */
	return *split ? row_start(f, g_ptr_array_index(rows, r)) : need;
}

/* What the rows from r need to start on a page: a group's start; header rows stand with the
 * start of the first body row (and what its notes need), never alone at a page's foot.
 * *end, *split: of the group starting at r. */
static double
rows_start(Flow *f, GPtrArray *rows, guint r, guint *end, gboolean *split)
{
	double need = group_start(f, rows, r, end, split), head = 0;
	guint b = r;

	if (!((RowBox *)rows->pdata[r])->header) /* with its notes, which start on its page */
		return need + row_notes(f, rows->pdata[r]);
	while (b < rows->len && ((RowBox *)rows->pdata[b])->header)
		head += ((RowBox *)rows->pdata[b++])->height;
	if (b < rows->len && head <= (f->bottom - f->top) * 0.5) {
		guint e;
		gboolean sp;
		need = MAX(need, head + group_start(f, rows, b, &e, &sp) + row_notes(f, rows->pdata[b]));
	}
	return need;
}

typedef struct {
	Para *para;
	LineInfo li;
	const StructEl *st; /* the element its paragraph is in */
} CellLine;

/* A row taller than a page: its cells' lines are set side by side, page after page, with the
 * header rows again at the top of each new page. */
static void
place_tall_row(Flow *f, RowBox *rb, const double *colx, const StructEl *table,
	       GPtrArray *head, double total_w)
{
	guint nc = rb->cells->len;
	GArray **lines = g_new0(GArray *, nc);
	guint *at = g_new0(guint, nc);
	const StructEl *tr = ov_pdf_struct(f->lo, table, "TR");
	const StructEl **td = g_new0(const StructEl *, nc);
	gboolean more = TRUE;

	for (guint i = 0; i < nc; i++) {
		CellBox *cb = g_ptr_array_index(rb->cells, i);
		lines[i] = g_array_new(FALSE, TRUE, sizeof(CellLine));
		if (cb->cell->parent && cb->cell->parent->type == OV_ROW)
			record_dest(f, cb->cell->parent); /* the row's, at its first cell */
		record_dest(f, cb->cell);
		td[i] = ov_pdf_struct(f->lo, tr, cb->cell->flags & OV_F_HEADER ? "TH" : "TD");
		for (guint k = 0, mixed = any_media_para(cb->paras); k < cb->paras->len; k++) {
			Para *p = g_ptr_array_index(cb->paras, k);
			GArray *li = line_infos(f, p);
			const StructEl *st = para_struct(f, td[i], p, mixed);
			for (guint l = 0; l < li->len; l++) {
				CellLine cl = { p, g_array_index(li, LineInfo, l), st };
				g_array_append_val(lines[i], cl);
			}
			g_array_free(li, TRUE);
		}
	}
	while (more) {
		double top = f->y, used = 0;
		more = FALSE;
		for (guint i = 0; i < nc; i++) {
			CellBox *cb = g_ptr_array_index(rb->cells, i);
			double y = top + CELL_PAD;
			f->leaf = td[i];
			while (at[i] < lines[i]->len) {
				CellLine *cl = &g_array_index(lines[i], CellLine, at[i]);
				Item it = { 0 };
				/* above the notes placed so far, and the start of the line's own, as
				 * lines_fitting asks */
				double notes = cl->li.notes > 0 ? note_start(f, &cl->li) + (f->page->fn_height == 0 ? note_gap(f) : 0)
								: 0;
				if (y + cl->li.adv + notes > area_bottom(f) - CELL_PAD && y > top + CELL_PAD)
					break;
				f->leaf = cl->st;
				if (cl->para->lines->len && cl->li.line == g_ptr_array_index(cl->para->lines, 0))
					cell_para_dests(f, cl->para, cb->cell, y);
				it.kind = IT_LINE;
				it.line = ov_line_ref(cl->li.line);
				it.ts = ov_pdf_text_source_ref(cl->para->ts);
				it.x = table_x0(f) + colx[cb->cell->u.cell.col] + CELL_PAD + cl->li.x;
				it.y = y + cl->li.base;
				it.color = f->lo->text_color;
				if (f->markers->len)
					place_marker(f, it.y);
				add(f, it);
				{ /* its links, anchors and footnotes, as in a row that fits; a note goes
				   * below the cells beside it that are set already */
					double save = f->y;
					f->y = MAX(y, top + used);
					line_spans(f, cl->para, &cl->li, it.x, y, it.y);
					f->y = save;
				}
				y += cl->li.adv;
				at[i]++;
			}
			used = MAX(used, y - top + CELL_PAD);
			more = more || at[i] < lines[i]->len;
		}
		f->y = top + used;
		if (more) {
			table_rule(f, table_x0(f), total_w, 0.9);
			new_page(f, FALSE);
			take_space(f);
			table_rule(f, table_x0(f), total_w, 0.9);
			f->repeating = TRUE;
			for (guint h = 0; h < head->len && !rb->header; h++)
				place_row(f, g_ptr_array_index(head, h), colx, table);
			f->repeating = FALSE;
		}
	}
	for (guint i = 0; i < nc; i++)
		g_array_free(lines[i], TRUE);
	g_free(lines);
	g_free(at);
	g_free(td);
}

static void
table_rule(Flow *f, double x, double w, double lw)
{
	Item r = ov_pdf_rule(x, f->y, w, 0, lw, f->lo->rule_color);
	ov_pdf_add_item(f->page, r);
}

static void
place_table(Flow *f, const OvNode *table)
{
	const OvTheme *th = f->th;
	int nc = table->u.table.ncols;
	double avail = width_now(f), total_w = 0;
	GHashTable *measured = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)cell_box_free);
	double *colw = column_widths(f, table, avail, measured), *colx = g_new0(double, nc + 1);
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_box_free);
	GPtrArray *head = g_ptr_array_new();
	Para *cap = caption_para(f, table, FALSE);
	const StructEl *tel;
	guint top_rule;
	double whole = 0, page, gap;
	gboolean keep, under; /* set whole on one page: not split by rows; under a heading */

	for (int i = 0; i < nc; i++) {
		colx[i] = total_w;
		total_w += colw[i];
	}
	colx[nc] = total_w;
	/* rows: thead first, then tbody, tfoot last */
	GPtrArray *order = rows_in_order(table);
	for (guint r = 0; r < order->len; r++) {
		RowBox *rb = row_box(f, g_ptr_array_index(order, r), colx, nc, measured);
		g_ptr_array_add(rows, rb);
		if (rb->header)
			g_ptr_array_add(head, rb);
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(measured);
	/* a cell spanning rows: the rows it spans together are at least as tall as it */
	for (guint r = 0; r < rows->len; r++) {
		RowBox *rb = g_ptr_array_index(rows, r);
		for (guint i = 0; i < rb->cells->len; i++) {
			CellBox *cb = g_ptr_array_index(rb->cells, i);
			guint span = cb->span, last = MIN(r + span, rows->len) - 1;
			double sum = 0, need = cb->height + 2 * CELL_PAD;
			if (span <= 1)
				continue;
			for (guint k = r; k <= last; k++)
				sum += ((RowBox *)g_ptr_array_index(rows, k))->height;
			if (need > sum)
				((RowBox *)g_ptr_array_index(rows, last))->height += need - sum;
		}
	}
	for (guint r = 0; r < rows->len; r++)
		whole += ((RowBox *)g_ptr_array_index(rows, r))->height;
	whole += cap ? ov_pdf_para_height(cap) + 3 : 0;
	ensure_page(f);
	page = f->bottom - f->top;
	{
		/* header rows taller than a third of a page are set once: set again on every page
		 * they would leave the body rows no room */
		double hh = 0;
		for (guint h = 0; h < head->len; h++)
			hh += ((RowBox *)g_ptr_array_index(head, h))->height;
		if (hh > page / 3)
			g_ptr_array_set_size(head, 0);
	}
	/* the space it gets above it here: what is owed, at least its own (as take_space will
	 * give it below); every test of whether it fits counts it once */
	gap = MAX(f->space, th->leading * 0.8);
	/* a table that fits on a page is not split: it waits for the next page while the text
	 * flows on, or (a small hole) the page ends here. Only a table with a title waits: an
	 * informal one, which nothing refers to by number, keeps its place in the text (split
	 * by rows where a page ends, unless that leaves just a small hole) */
	/* nor one right under a heading, which would stand alone: it goes with the table, or
	 * the table is split (a chapter's opening heading stays on its page) */
	under = heading_alone(f) && f->floats->len == 0;
	keep = whole <= page;
	if ((cap == NULL || under) && !at_top(f) && f->y + gap + whole > area_bottom(f) &&
	    (area_bottom(f) - f->y > page / 4 || (under && f->heading_fixed)))
		keep = FALSE;
	if (cap && !under && !f->flushing && f->markers->len == 0 && f->ctx->len <= 1 && whole <= page && !at_top(f) &&
	    (f->floats->len || (f->y + gap + whole > area_bottom(f) && area_bottom(f) - f->y > page / 4))) {
		g_ptr_array_add(f->floats, (gpointer)table);
		ov_pdf_para_free(cap);
		g_ptr_array_free(head, TRUE);
		g_ptr_array_free(rows, TRUE);
		g_free(colw);
		g_free(colx);
		return;
	}
	/* tables and figures that wait for the next page keep their order: this one (taller than a
	 * page, informal, in a list) cannot wait behind them, so they go first */
	if (f->floats->len && !f->flushing)
		flush_floats_here(f);
	if (keep && !at_top(f) && f->y + gap + whole > area_bottom(f))
		break_under_heading(f);
	for (guint r = 0; r < rows->len; r++) {
		RowBox *rb = g_ptr_array_index(rows, r);
		for (guint i = 0; i < rb->cells->len; i++) {
			CellBox *cb = g_ptr_array_index(rb->cells, i);
			for (guint k = 0; k < cb->paras->len; k++)
				ov_report_para(f->lo, g_ptr_array_index(cb->paras, k), f->page_idx);
		}
	}
	want_space(f, th->leading * 0.8);
	take_space(f);
	record_dest(f, table);
	begin_struct(f, "Caption");
	if (cap) {
		guint end;
		gboolean sp;
		double need = ov_pdf_para_height(cap) + (rows->len ? MAX(((RowBox *)rows->pdata[0])->height * 2, 3 + rows_start(f, rows, 0, &end, &sp)) : 0);
		if (!at_top(f) && (f->y + need > area_bottom(f) || (keep && f->y + whole > area_bottom(f))))
			break_under_heading(f);
		place_para(f, cap, 0, FALSE);
		ov_pdf_para_free(cap);
		if (ov_node_child(table, OV_SUBTITLE))
			block_subtitle(f, ov_node_child(table, OV_SUBTITLE));
		f->y += 3;
	}
	begin_struct(f, "Table");
	tel = f->leaf;
	top_rule = f->page->items->len;
	table_rule(f, table_x0(f), total_w, 0.9);
	gboolean split = FALSE; /* the current group is too tall to keep whole */
	for (guint r = 0, group_end = 0; r < rows->len; r++) {
		RowBox *rb = g_ptr_array_index(rows, r);
		double need;
		if (rb->header && (r == 0 || !((RowBox *)rows->pdata[r - 1])->header)) {
			need = rows_start(f, rows, r, &group_end, &split); /* with the first body row */
		} else if (r >= group_end) {
			need = group_start(f, rows, r, &group_end, &split);
		} else {
			need = split ? row_start(f, rb) : 0; /* inside a group kept whole: no break */
		}
		if (need > 0 && !rb->header) /* the row's notes start on its page */
			need += row_notes(f, rb);
		if (f->y + need > area_bottom(f) + EPS && !(at_top(f)) && r == 0 && f->page->items->len == top_rule + 1) {
			/* nothing of it set yet: its top rule goes too (and a heading alone above it) */
			g_array_set_size(f->page->items, top_rule);
			break_under_heading(f);
			take_space(f);
			table_rule(f, table_x0(f), total_w, 0.9);
		} else if (f->y + need > area_bottom(f) + EPS && !(at_top(f))) {
			table_rule(f, table_x0(f), total_w, 0.9);
			new_page(f, FALSE);
			take_space(f);
			table_rule(f, table_x0(f), total_w, 0.9);
			f->repeating = TRUE;
			if (!rb->header)
				for (guint h = 0; h < head->len; h++)
					place_row(f, g_ptr_array_index(head, h), colx, tel);
			f->repeating = FALSE;
			if (head->len && !rb->header)
				table_rule(f, table_x0(f), total_w, 0.5);
		}
		if (rb->height > area_bottom(f) - f->y + EPS)
			place_tall_row(f, rb, colx, tel, head, total_w);
		else
			place_row(f, rb, colx, tel);
		if (rb->header && (r + 1 == rows->len || !((RowBox *)rows->pdata[r + 1])->header))
			table_rule(f, table_x0(f), total_w, 0.5);
	}
	table_rule(f, table_x0(f), total_w, 0.9);
	want_space(f, th->leading * 0.8);
	f->para_before = FALSE;
	g_ptr_array_free(head, TRUE);
	g_ptr_array_free(rows, TRUE);
	g_free(colw);
	g_free(colx);
}

/* ---- the walk ---- */

static const char *list_mark(Flow *f, const OvNode *item);

/* The room an ordered list's widest label takes with the gap after it (0 for another list). */
static double
widest_mark(Flow *f, const OvNode *list)
{
	double w = 0;
	if (list->type != OV_ORDEREDLIST)
		return 0;
	for (const OvNode *it = list->first; it; it = it->next) {
		Para *m;
		if (it->type != OV_LISTITEM)
			continue;
		m = ov_pdf_plain(f->lo, list_mark(f, it), TS_BODY, f->th->body_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
		if (m->lines->len)
			w = MAX(w, ((OvLine *)g_ptr_array_index(m->lines, 0))->width);
		ov_pdf_para_free(m);
	}
	return w > 0 ? w + f->th->body_size * 0.45 : 0;
}

static const char *
list_mark(Flow *f, const OvNode *item)
{
	if (item->parent && item->parent->type == OV_ORDEREDLIST && item->label) {
		char buf[64];
		g_snprintf(buf, sizeof buf, "%s.", item->label);
		return g_string_chunk_insert_const(f->lo->strings, buf);
	}
	return ov_list_mark_text(ov_list_mark(item->parent));
}

static void
push_ctx(Flow *f, const OvNode *n)
{
	Ctx c = { n, f->container, f->indent_l, f->indent_r, f->list_depth, f->page_idx, f->y, 0, FALSE };
	g_array_append_val(f->ctx, c);
}

static void
admonition_label(Flow *f, const OvNode *n)
{
	const OvTheme *th = f->th;
	const OvNode *title = ov_node_child(n, OV_TITLE);
	Para *p = title ? ov_pdf_para(f->lo, title, TS_HEADING, th->body_size * 0.95, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL)
			: ov_pdf_plain(f->lo, n->type == OV_ADMONITION ? ov_gentext(f->lo->doc, OV_GT_NOTE + n->u.adm.kind) : "", TS_HEADING, th->body_size * 0.95,
				       width_now(f), PANGO_ALIGN_LEFT, TRUE);
	guint from;
	double y;
	gboolean alone;

	begin_struct(f, "P");
	ensure_page(f);
	take_space(f);
	alone = heading_alone(f);
	y = f->y;
	from = f->page->items->len;
	place_para(f, p, 0, FALSE);
	ov_pdf_para_free(p);
	f->y += th->leading * 0.2;
	/* a heading of its note: never alone at a page's foot (break_under_heading); the label
	 * of an admonition that opens with this one goes with them */
	if (alone)
		f->heading_page = f->page_idx;
	else
		heading_placed(f, from, y);
}

/* A block's subtitle (a sidebar's, a table's …): under its title, as the EPUB sets it. */
static void
block_subtitle(Flow *f, const OvNode *n)
{
	Para *p = ov_pdf_para(f->lo, n, TS_SMALL, f->th->body_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
	record_dest(f, n);
	begin_struct(f, "P");
	place_para(f, p, 0, FALSE);
	ov_pdf_para_free(p);
	want_space(f, f->th->leading * 0.3);
	f->para_before = FALSE;
}

/* A glossary entry's term: the paragraph the reader made of it, first in the entry (set as a
 * variable list's term, as the EPUB's dt). */
static gboolean
glossentry_term(const OvNode *n)
{
	return n->type == OV_PARA && n->parent && n->parent->type == OV_VARLISTENTRY && n->parent->first == n &&
	       g_strcmp0(n->parent->tag, "glossentry") == 0;
}

static gboolean quote_attribution(const OvNode *n);
static void attribution(Flow *f, const OvNode *n);

static gboolean
enter(Flow *f, OvIter *it, const OvNode *n)
{
	const OvTheme *th = f->th;
	double em = th->body_size;

	switch (n->type) {
	case OV_INFO:
	case OV_TITLE:
		if (n->parent && n->parent->type == OV_LISTITEM) {
			/* a procedure step's title (no other list item has one): bold, above its text, as
			 * the EPUB sets it */
			Para *p = ov_pdf_para(f->lo, n, TS_HEADING, th->body_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
			record_dest(f, n);
			begin_struct(f, "P");
			place_para(f, p, 0, FALSE);
			ov_pdf_para_free(p);
			f->para_before = FALSE;
		}
		return FALSE;
	case OV_SUBTITLE:
		if (n->parent && !ov_node_is_division(n->parent) && n->parent->type != OV_DOCUMENT)
			block_subtitle(f, n);
		return FALSE; /* a division's is set with its heading */
	case OV_PART:
		open_part(f, n);
		break;
	case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_COLOPHON: case OV_DEDICATION:
	case OV_GLOSSARY: case OV_INDEX:
		if (opens_chapter(n))
			open_chapter(f, n);
		else
			heading(f, n, 1);
		break;
	case OV_SECTION:
		heading(f, n, section_level(n));
		break;
	case OV_PARA: case OV_TERM: case OV_BRIDGEHEAD:
		if (n->parent && n->parent->type == OV_FORMALPARA && n == ov_node_child(n->parent, OV_PARA))
			return FALSE; /* set with the run-in title */
		if (n->tag && g_str_has_prefix(n->tag, "glosssee"))
			f->para_before = FALSE; /* See, See also: set unindented, as the EPUB does */
		if (n->type == OV_BRIDGEHEAD) {
			Para *p = ov_pdf_para(f->lo, n, TS_HEADING, th->h3_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
			want_space(f, th->leading);
			record_dest(f, n);
			begin_struct(f, "H4");
			place_para(f, p, 0, FALSE);
			ov_pdf_para_free(p);
			f->para_before = FALSE;
		} else if (n->type == OV_TERM || glossentry_term(n)) {
			Para *p = ov_pdf_para_ex(f->lo, n, TS_BODY, th->body_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL,
						 OV_PARA_BOLD);
			want_space(f, th->leading * 0.4);
			record_dest(f, n);
			begin_struct(f, "Lbl");
			place_para(f, p, 0, FALSE);
			ov_pdf_para_free(p);
			f->para_before = FALSE;
		} else if (n->parent && n->parent->type == OV_VARLISTENTRY) {
			/* a glossary entry's See or See also, outside its definition: indented as it */
			f->indent_l += em * 1.6;
			text_block(f, n);
			f->indent_l -= em * 1.6;
		} else {
			text_block(f, n);
		}
		return FALSE;
	case OV_ATTRIBUTION:
		if (!quote_attribution(n))
			attribution(f, n); /* one out of its place: where it stands */
		return FALSE; /* a quotation's: set after it, when it ends */
	case OV_FORMALPARA: {
		const OvNode *para = ov_node_child(n, OV_PARA);
		Para *p = ov_pdf_para_ex(f->lo, para ? para : n, TS_BODY, th->body_size, width_now(f), PANGO_ALIGN_LEFT,
					 th->justify, NULL, para ? OV_PARA_RUN_IN : 0);
		want_space(f, th->leading * 0.5);
		record_dest(f, n);
		begin_struct(f, "P");
		place_para(f, p, 0, FALSE);
		ov_pdf_para_free(p);
		f->para_before = FALSE;
		return TRUE; /* the blocks after the first para follow through the walk */
	}
	case OV_ITEMIZEDLIST: case OV_ORDEREDLIST: case OV_SIMPLELIST: case OV_VARIABLELIST:
		push_ctx(f, n);
		record_dest(f, n);
		if (ov_node_child(n, OV_TITLE)) {
			Para *p = ov_pdf_para(f->lo, ov_node_child(n, OV_TITLE), TS_HEADING, th->body_size, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
			begin_struct(f, "Caption");
			want_space(f, th->leading * 0.5);
			place_para(f, p, 0, FALSE);
			ov_pdf_para_free(p);
		}
		begin_container(f, "L");
		if (n->type != OV_VARIABLELIST && n->type != OV_SIMPLELIST) /* as the EPUB's style sheet */
			f->indent_l += MAX(em * 1.6, widest_mark(f, n)); /* VIII. stays out of the margin */
		f->list_depth++;
		want_space(f, th->leading * 0.4);
		f->para_before = FALSE;
		break;
	case OV_VARLISTENTRY:
		push_ctx(f, n);
		record_dest(f, n); /* a glossary's entry too: at its term, which follows */
		begin_container(f, "LI");
		break;
	case OV_LISTITEM:
		push_ctx(f, n);
		record_dest(f, n);
		if (n->parent && n->parent->type == OV_VARLISTENTRY) {
			f->indent_l += em * 1.6;
		} else {
			Marker mk;
			begin_container(f, "LI");
			mk.text = list_mark(f, n);
			mk.indent = f->indent_l;
			mk.item = f->container;
			if (*mk.text) /* a simple list's members, a list marked none: no mark */
				g_array_append_val(f->markers, mk);
		}
		begin_container(f, "LBody");
		f->para_before = FALSE;
		break;
	case OV_BLOCKQUOTE: case OV_EPIGRAPH:
		push_ctx(f, n);
		record_dest(f, n);
		f->indent_l += em * 1.6;
		f->indent_r += em * (n->type == OV_EPIGRAPH ? 0 : 1.6);
		if (n->type == OV_EPIGRAPH)
			f->indent_l += f->measure * 0.25;
		want_space(f, th->leading * 0.6);
		begin_container(f, "BlockQuote");
		if (ov_node_child(n, OV_TITLE)) {
			Para *p = ov_pdf_para(f->lo, ov_node_child(n, OV_TITLE), TS_HEADING, th->body_size * 0.95, width_now(f), PANGO_ALIGN_LEFT, FALSE, NULL);
			begin_struct(f, "P");
			place_para(f, p, 0, FALSE);
			ov_pdf_para_free(p);
		}
		f->para_before = FALSE;
		break;
	case OV_ADMONITION: case OV_SIDEBAR: {
		Ctx *c;
		push_ctx(f, n);
		record_dest(f, n);
		want_space(f, th->leading * 0.7);
		ensure_page(f);
		/* its label stands with the first lines under it (a listing's now keep two); the
		 * label of an admonition it opens goes on with it */
		if (!at_top(f) && f->y + f->space + th->leading * (1.2 + MIN_LINES) > area_bottom(f))
			break_under_heading(f);
		take_space(f);
		c = &g_array_index(f->ctx, Ctx, f->ctx->len - 1);
		c->ruled = TRUE;
		c->rule_page = f->page_idx;
		c->rule_y = f->y;
		c->rule_items = f->page->items->len;
		f->indent_l += em * 1.0;
		begin_container(f, "Div");
		admonition_label(f, n);
		f->para_before = FALSE;
		break;
	}
	case OV_FIGURE: {
		gboolean example = n->tag && strstr(n->tag, "example");
		Para *cap = caption_para(f, n, example);
		const OvNode *media = ov_node_child(n, OV_MEDIAOBJECT);
		push_ctx(f, n);
		if (example || media == NULL) {
			want_space(f, th->leading * 0.6);
			record_dest(f, n);
			begin_struct(f, "Caption");
			if (cap)
				place_para(f, cap, 0, FALSE);
			ov_pdf_para_free(cap);
			f->para_before = FALSE;
			break;
		}
		if (should_float(f, n, cap))
			g_ptr_array_add(f->floats, (gpointer)n);
		else
			figure_with_media(f, n, cap);
		ov_pdf_para_free(cap);
		break;
	}
	case OV_MEDIAOBJECT:
		/* every media object of a figure is placed with it, before its caption; an
		 * example's (its caption first) where it stands */
		if (n->parent && n->parent->type == OV_FIGURE && !(n->parent->tag && strstr(n->parent->tag, "example")))
			return FALSE;
		place_media(f, n, NULL);
		return FALSE;
	case OV_TABLE:
		place_table(f, n);
		return FALSE;
	case OV_VERBATIM:
		verbatim(f, n);
		return FALSE;
	case OV_INDEXENTRY:
		index_entry(f, n);
		return FALSE;
	case OV_ANCHOR: case OV_INDEXTERM:
		ensure_page(f);
		ov_pdf_add_dest(f->lo, ov_pdf_dest_of(f->lo, n), f->page_idx, f->y);
		return FALSE;
	case OV_IMAGE:
		return FALSE;
	default:
		if (ov_type_info[n->type].level == OV_LEVEL_INLINE)
			return FALSE;
		break;
	}
	(void)it;
	return TRUE;
}

/* "— Author, Work", flush right under a quotation. */
/* Is n an attribution a quotation or an epigraph is set with, after its words? */
static gboolean
quote_attribution(const OvNode *n)
{
	const OvNode *q = n->parent;
	return q && (q->type == OV_BLOCKQUOTE || q->type == OV_EPIGRAPH);
}

static void
attribution(Flow *f, const OvNode *n)
{
	Para *p = ov_pdf_para_ex(f->lo, n, TS_BODY, f->th->body_size * 0.95, width_now(f), PANGO_ALIGN_RIGHT, FALSE,
				 "\xE2\x80\x94\xC2\xA0", OV_PARA_PLAIN_PREFIX);
	want_space(f, f->th->leading * 0.2);
	begin_struct(f, "P");
	place_para(f, p, 0, FALSE);
	ov_pdf_para_free(p);
}

static void
leave(Flow *f, const OvNode *n)
{
	Ctx *c;
	/* one rule with the EPUB's (p + p): only a paragraph right after a paragraph is indented.
	 * After any other block (a list, a quotation, a note, a figure, a formal paragraph, a
	 * table, code) the next one is not, whatever paragraph ended inside it. A figure that
	 * waits for the next page is not here: the text goes on from the paragraph before it. */
	if (n->type != OV_PARA && ov_type_info[n->type].level == OV_LEVEL_BLOCK &&
	    !(n->type == OV_FIGURE && g_ptr_array_find(f->floats, n, NULL)))
		f->para_before = FALSE;
	if (f->ctx->len == 0 || (c = &g_array_index(f->ctx, Ctx, f->ctx->len - 1))->node != n)
		return;
	if (c->ruled) {
		rule_start(f, &c->rule_page, &c->rule_y, c->rule_items);
		for (int pg = c->rule_page; pg <= f->page_idx; pg++)
			block_rule(f, pg, pg == c->rule_page ? c->rule_y : f->top, 0, c->indent_l + 1, 1.6, f->lo->heading_color);
		want_space(f, f->th->leading * 0.7);
	}
	for (const OvNode *a = n->first; a; a = a->next)
		if (a->type == OV_ATTRIBUTION && quote_attribution(a))
			attribution(f, a);
	if (n->type == OV_ITEMIZEDLIST || n->type == OV_ORDEREDLIST || n->type == OV_VARIABLELIST ||
	    n->type == OV_SIMPLELIST || n->type == OV_BLOCKQUOTE || n->type == OV_EPIGRAPH)
		want_space(f, f->th->leading * 0.5);
	f->indent_l = c->indent_l;
	f->indent_r = c->indent_r;
	f->list_depth = c->list_depth;
	f->container = c->container;
	f->leaf = NULL;
	if (n->type == OV_LISTITEM)
		flush_markers(f);
	g_array_set_size(f->ctx, f->ctx->len - 1);
}

static void
note_free(gpointer p)
{
	Note *n = p;
	g_ptr_array_free(n->paras, TRUE);
	g_free(n);
}

/* The last baseline of a page's text, or -1. */
static double
last_baseline(const Page *p)
{
	double y = -1;
	for (guint i = 0; i < p->items->len; i++) {
		const Item *it = &g_array_index(p->items, Item, i);
		if (it->kind == IT_LINE)
			y = MAX(y, it->y);
	}
	return y;
}

static int
cmp_double(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Move everything below y down by the space the gaps above it get. */
static double
shift_at(const double *cut, guint ncut, double each, double y)
{
	guint k = 0;
	while (k < ncut && cut[k] < y)
		k++;
	return each * k;
}

/* Lower the last baseline of page p to target by opening the spaces between its blocks
 * (never inside a paragraph); FALSE, and nothing moved, when it has none or the text would
 * pass its area. */
static gboolean
feather(Flow *f, int idx, double target)
{
	Page *p = g_ptr_array_index(f->lo->pages, idx);
	GArray *ys = g_array_new(FALSE, FALSE, sizeof(double)), *cuts = g_array_new(FALSE, FALSE, sizeof(double));
	double last = last_baseline(p), each, limit = f->lo->page_h - f->th->margin_bottom - p->fn_height;
	gboolean ok = FALSE;

	for (guint i = 0; i < p->items->len; i++) {
		const Item *it = &g_array_index(p->items, Item, i);
		if (it->kind == IT_LINE)
			g_array_append_val(ys, it->y);
	}
	g_array_sort(ys, cmp_double);
	for (guint i = 1; i < ys->len; i++) {
		double a = g_array_index(ys, double, i - 1), b = g_array_index(ys, double, i);
		if (b - a > f->th->leading * 1.25) {
			double mid = (a + b) / 2;
			g_array_append_val(cuts, mid);
		}
	}
	each = cuts->len ? (target - last) / cuts->len : 0;
	if (cuts->len && target - last > 0 && each <= f->th->leading && target + f->th->body_size * 0.3 <= limit) {
		const double *cut = (const double *)cuts->data;
		for (guint i = 0; i < p->items->len; i++) {
			Item *it = &g_array_index(p->items, Item, i);
			double top = it->y + shift_at(cut, cuts->len, each, it->y);
			if (it->kind == IT_RULE && it->h > 0)
				it->h = it->y + it->h + shift_at(cut, cuts->len, each, it->y + it->h) - top;
			it->y = top;
		}
		for (guint k = 0; p->dests && k < p->dests->len; k++) {
			Dest *ds = g_ptr_array_index(p->dests, k);
			if (!ds->in_notes) /* the notes stay where they are */
				ds->y += shift_at(cut, cuts->len, each, ds->y);
		}
		ok = TRUE;
	}
	g_array_free(ys, TRUE);
	g_array_free(cuts, TRUE);
	return ok;
}

/* Facing pages end on the same baseline where they can: of the two full pages of the spread
 * starting with verso i, the one ending higher opens the spaces between its blocks. Pages
 * that end a chapter, blank and opening pages are left as they are. */
static void
even_spread(Flow *f, guint i)
{
	GPtrArray *pages = f->lo->pages;
	Page *v = g_ptr_array_index(pages, i), *r = g_ptr_array_index(pages, i + 1);
	gboolean v_ends = r->opening, r_ends = i + 2 >= pages->len || ((Page *)g_ptr_array_index(pages, i + 2))->opening;
	double bv, br;
	if (v->blank || r->blank || v->opening || v_ends || r_ends)
		return;
	bv = last_baseline(v);
	br = last_baseline(r);
	if (bv < 0 || br < 0 || fabs(bv - br) < 0.5)
		return;
	if (bv < br)
		feather(f, (int)i, br);
	else
		feather(f, (int)i + 1, bv);
}

/* Hand on the pages nothing more will change (all: every page, the flow is over), in order:
 * not the page being filled, nor one a code block or a ruled block being placed started on
 * (its rule is drawn down every page it reaches once it ends), nor a verso before its recto
 * is finished (the spread may even its ends). */
static void
release(Flow *f, gboolean all)
{
	GPtrArray *pages = f->lo->pages;
	int limit = all ? (int)pages->len : f->page_idx;

	if (!all) {
		if (f->code_page >= 0)
			limit = MIN(limit, f->code_page);
		for (guint k = 0; k < f->ctx->len; k++) {
			const Ctx *c = &g_array_index(f->ctx, Ctx, k);
			if (c->ruled)
				limit = MIN(limit, c->rule_page);
		}
	}
	while ((int)f->released < limit) {
		guint i = f->released;
		const Page *v = g_ptr_array_index(pages, i);
		if (f->th->facing && v->number % 2 == 0 && i + 1 < pages->len) {
			if ((int)i + 1 >= limit)
				break;
			settle_note_dests(f->lo, g_ptr_array_index(pages, i));
			settle_note_dests(f->lo, g_ptr_array_index(pages, i + 1));
			even_spread(f, i);
			ov_pdf_page_done(f->lo, i);
			ov_pdf_page_done(f->lo, i + 1);
			f->released += 2;
			continue;
		}
		settle_note_dests(f->lo, g_ptr_array_index(pages, i));
		ov_pdf_page_done(f->lo, i);
		f->released++;
	}
}

void
ov_pdf_flow_body(Layout *lo)
{
	Flow f = { 0 };
	OvIter it;
	OvEvent ev;

	f.lo = lo;
	f.heading_page = -1;
	f.code_page = -1;
	f.th = lo->th;
	f.ctx = g_array_new(FALSE, TRUE, sizeof(Ctx));
	f.notes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, note_free);
	f.carry = g_array_new(FALSE, TRUE, sizeof(Item));
	f.floats = g_ptr_array_new();
	f.markers = g_array_new(FALSE, TRUE, sizeof(Marker));
	f.pending = g_ptr_array_new();
	f.measure = lo->page_w - lo->th->margin_inner - lo->th->margin_outer;
	ov_iter_init(&it, lo->doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		if (n == lo->doc->root)
			continue;
		/* the bundled fonts lack a character: this pass is set again with the system's
		 * fonts (build.c), so the rest of it would be set for nothing */
		if (!ov_fonts_system() && ov_fonts_fallback_pending())
			break;
		if (ev == OV_EV_ENTER) {
			double l = f.indent_l, r = f.indent_r;
			ov_progress_layout(n, lo->pages->len);
			if (!enter(&f, &it, n))
				ov_iter_skip_children(&it);
			/* nesting indents up to half the measure, then no further: text keeps its width */
			if (f.indent_l + f.indent_r > f.measure * 0.5 && f.indent_l + f.indent_r > l + r) {
				f.indent_l = l;
				f.indent_r = r;
				/* and its rule would fall on its parent's: one is enough */
				if (f.ctx->len && g_array_index(f.ctx, Ctx, f.ctx->len - 1).node == n)
					g_array_index(f.ctx, Ctx, f.ctx->len - 1).ruled = FALSE;
			}
		} else {
			leave(&f, n);
		}
	}
	flush_floats_here(&f);
	while (f.carry->len) /* notes still to place */
		new_page(&f, FALSE);
	drop_last(&f);
	release(&f, TRUE);
	g_ptr_array_free(f.floats, TRUE);
	g_array_free(f.ctx, TRUE);
	g_array_free(f.carry, TRUE);
	g_array_free(f.markers, TRUE);
	g_ptr_array_free(f.pending, TRUE);
	g_hash_table_destroy(f.notes);
}

/* ---- shaping ahead ----
 *
 * The paragraphs the flow sets most, as it sets them and in its order (enter, text_block,
 * verbatim, heading, open_chapter, cell_box, note_of): what the thread that shapes ahead
 * works on (text.c). Anything else (captions, labels, the index) the flow shapes itself. */

/* The paragraphs collect_paras makes of node. */
static gboolean
ahead_collected(OvAhead *ah, const OvTheme *th, const OvNode *node, TextStyle style, double size, const char *first_prefix)
{
	gboolean go = TRUE, first = TRUE;
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, (OvNode *)node);
	while (go && (ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		char *prefix;
		double n_size = size;
		TextStyle n_style;
		if (ev != OV_EV_ENTER || !collected(n))
			continue;
		prefix = block_prefix(n, first ? first_prefix : NULL);
		n_style = collected_style(th, n, style, &n_size);
		go = ov_pdf_ahead_shape(ah, n, n_style, n_size, prefix, collected_flags(style, n_style));
		g_free(prefix);
		first = FALSE;
		ov_iter_skip_children(&it);
	}
	return go;
}

/* A footnote's paragraphs, as note_of sets them. */
static gboolean
ahead_note(OvAhead *ah, const OvTheme *th, const OvNode *fn)
{
	char *first = note_prefix(fn);
	gboolean go = ahead_collected(ah, th, fn, TS_FOOTNOTE, th->footnote_size, first);
	g_free(first);
	return go;
}

/* A table's cells, as cell_box sets them, in the order of the source (which is the order
 * column_widths measures them in). */
static gboolean
ahead_table(OvAhead *ah, const OvTheme *th, const OvNode *table)
{
	gboolean go = TRUE;
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, (OvNode *)table);
	while (go && (ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *c = it.cur;
		double size;
		TextStyle style;
		if (ev != OV_EV_ENTER || c->type != OV_CELL)
			continue;
		style = cell_style(th, c, &size);
		go = ahead_collected(ah, th, c, style, size, NULL);
		ov_iter_skip_children(&it);
	}
	return go;
}

/* A paragraph of the body, then the footnotes it calls (placing its lines sets them). */
static gboolean
ahead_block(OvAhead *ah, const OvTheme *th, const OvNode *n, TextStyle style, double size, const char *prefix, int flags)
{
	OvIter it;
	OvEvent ev;

	if (!ov_pdf_ahead_shape(ah, n, style, size, prefix, flags))
		return FALSE;
	ov_iter_init(&it, (OvNode *)n);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_FOOTNOTE) {
			if (!ahead_note(ah, th, it.cur))
				return FALSE;
			ov_iter_skip_children(&it);
		}
	return TRUE;
}

void
ov_pdf_flow_ahead(OvAhead *ah, const OvTheme *th, const OvNode *root)
{
	gboolean go = TRUE;
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, (OvNode *)root);
	while (go && (ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		if (ev != OV_EV_ENTER || n == root)
			continue;
		switch (n->type) {
		case OV_PARA:
			/* a formal paragraph's first is set with its run-in title */
			if (!(n->parent && n->parent->type == OV_FORMALPARA && n == ov_node_child(n->parent, OV_PARA)))
				go = ahead_block(ah, th, n, TS_BODY, th->body_size, NULL, glossentry_term(n) ? OV_PARA_BOLD : 0);
			break;
		case OV_VERBATIM: {
			gboolean mono = n->u.verb.kind != OV_VERB_LITERAL;
			go = ahead_block(ah, th, n, mono ? TS_MONO : TS_BODY, mono ? th->mono_size : th->body_size, NULL,
					 OV_PARA_NO_HYPHENS);
			break;
		}
		case OV_TERM:
			go = ahead_block(ah, th, n, TS_BODY, th->body_size, NULL, OV_PARA_BOLD);
			break;
		case OV_TABLE:
			go = ahead_table(ah, th, n);
			break;
		case OV_SECTION:
		case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_COLOPHON: case OV_DEDICATION:
		case OV_GLOSSARY: case OV_INDEX: {
			/* its title, as heading or open_chapter sets it; then its blocks */
			const OvNode *title = ov_node_child(n, OV_TITLE);
			gboolean top = opens_chapter(n);
			char *prefix = top ? NULL : heading_prefix(n);
			if (title)
				go = ahead_block(ah, th, title, TS_HEADING, top ? th->h1_size : heading_size(th, n->type == OV_SECTION ? section_level(n) : 1),
						 prefix, !top && n->type == OV_SECTION && section_level(n) >= 4 ? OV_PARA_ITALIC : 0);
			g_free(prefix);
			continue;
		}
		case OV_INFO: case OV_TITLE: case OV_SUBTITLE: case OV_BRIDGEHEAD: case OV_ATTRIBUTION:
		case OV_MEDIAOBJECT: case OV_INDEXENTRY: case OV_IMAGE:
			break;
		default:
			if (ov_type_info[n->type].level != OV_LEVEL_INLINE)
				continue; /* its blocks follow */
			break;
		}
		ov_iter_skip_children(&it);
	}
}
