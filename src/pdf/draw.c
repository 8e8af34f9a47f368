/* draw.c: finished pages onto a Cairo surface: the PDF, or PNG previews. */
#include <math.h>
#include <string.h>
#include "layout.h"
#include "../cover.h"
#include "../gentext.h"

char *
ov_pdf_page_label(const OvDoc *doc, const Page *p)
{
	if (p->kind == PG_COVER)
		return g_strdup(ov_gentext(doc, OV_GT_COVER));
	if (p->kind == PG_FRONT && p->number == 0) /* the cover's back */
		return g_strdup(ov_gentext(doc, OV_GT_INSIDE_COVER));
	if (p->kind == PG_BODY)
		return g_strdup_printf("%d", p->number);
	{
		static const struct { int v; const char *s; } r[] = {
			{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
			{ 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
		};
		GString *s = g_string_new(NULL);
		int n = p->number;
		for (gsize i = 0; i < G_N_ELEMENTS(r); i++)
			for (; n >= r[i].v; n -= r[i].v)
				g_string_append(s, r[i].s);
		return g_string_free(s, FALSE);
	}
}

static void
set_color(cairo_t *cr, guint32 c)
{
	cairo_set_source_rgb(cr, (c >> 16 & 0xFF) / 255.0, (c >> 8 & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

char *
ov_pdf_tag_escape(const char *s)
{
	GString *o = g_string_new(NULL);
	for (; *s; s++) {
		if (*s == '\\' || *s == '\'')
			g_string_append_c(o, '\\');
		g_string_append_c(o, *s);
	}
	return g_string_free(o, FALSE);
}

/* Cairo (1.16) writes a link's uri and a destination's name into the PDF as a literal string
 * as they are: a parenthesis or a backslash in them breaks the string (a corrupt PDF, a cut
 * or changed URI, or Cairo's output octavo cannot finish). */
static gboolean
unsafe_in_pdf_string(char c)
{
	return c == '(' || c == ')' || c == '\\';
}

/* Are the parentheses of s nested as a PDF literal string keeps them (balanced, each closing
 * one after its opening one)? */
static gboolean
balanced(const char *s)
{
	int depth = 0;
	for (; *s && depth >= 0; s++)
		depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
	return depth == 0;
}

char *
ov_pdf_tag_uri(const char *uri)
{
	GString *o = g_string_new(NULL);
	gboolean parens = !balanced(uri);
	char *esc;
	/* percent-encoded, as a browser would send them anyway: a backslash, white space and
	 * controls (which no URI holds as they are), a noncharacter (which Cairo takes in no
	 * string); balanced parentheses stay as they are, readable
	 * (https://en.wikipedia.org/wiki/Foo_(bar)) */
	for (const char *c = uri, *next; *c; c = next) {
		gboolean odd = ov_noncharacter(g_utf8_get_char(c));
		next = g_utf8_next_char(c);
		for (const char *b = c; b < next; b++) {
			unsigned char u = (unsigned char)*b;
			if (odd || u == '\\' || (parens && (u == '(' || u == ')')) || u <= 0x20 || u == 0x7F)
				g_string_append_printf(o, "%%%02X", u);
			else
				g_string_append_c(o, (char)u);
		}
	}
	esc = ov_pdf_tag_escape(o->str);
	g_string_free(o, TRUE);
	return esc;
}

/* A destination's name for a tag's attributes. The model's names (ov_node_anchor) are XML
 * names with no noncharacter, safe as they are; any other is written as "ov-x-" and its bytes
 * in hex, so that Cairo is never given a name it would write badly. */
char *
ov_pdf_tag_dest(const char *name)
{
	gboolean safe = TRUE;
	GString *o;
	char *esc;
	for (const char *c = name; safe && *c; c = g_utf8_next_char(c))
		safe = !unsafe_in_pdf_string(*c) && (unsigned char)*c >= 0x20 && *c != 0x7F &&
		       !ov_noncharacter(g_utf8_get_char(c));
	if (safe)
		return ov_pdf_tag_escape(name);
	o = g_string_new("ov-x-");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		g_string_append_printf(o, "%02x", *c);
	esc = ov_pdf_tag_escape(o->str);
	g_string_free(o, TRUE);
	return esc;
}

static void
draw_image(Layout *lo, cairo_t *cr, const Item *it)
{
	GError *err = NULL;
	if (!ov_image_draw(cr, it->img, it->x, it->y, it->w, it->h, &err)) {
		ov_error(lo->draw_d, it->img->node->loc, "image \"%s\" cannot be drawn: %s", it->img->node->u.img.fileref, err->message);
		g_error_free(err);
	}
}

/* Structure elements Cairo puts at the top of its tree (finish() reorders them with the
 * pages): counted as begun, per drawing thread. */
static void
tag_begin(DrawTags *dt, cairo_t *cr, const char *tag, const char *attr)
{
	if (dt->depth++ == 0)
		dt->top++;
	cairo_tag_begin(cr, tag, attr);
}

static void
tag_end(DrawTags *dt, cairo_t *cr, const char *tag)
{
	dt->depth--;
	cairo_tag_end(cr, tag);
}

static void
draw_link(Layout *lo, DrawTags *dt, cairo_t *cr, const Item *it, double dy)
{
	char *val, *attr;
	/* a link to nowhere is never written; while the layout goes on (a drawer's thread) a
	 * destination may be still to come: the layout checks those once it is over */
	if (it->dest && !dt->any_dest && !g_hash_table_contains(lo->dests, it->dest))
		return;
	val = it->dest ? ov_pdf_tag_dest(it->dest) : ov_pdf_tag_uri(it->uri);
	attr = g_strdup_printf("rect=[%.2f %.2f %.2f %.2f] %s='%s'", it->x, it->y + dy, it->w, it->h,
			       it->dest ? "dest" : "uri", val);
	tag_begin(dt, cr, CAIRO_TAG_LINK, attr);
	tag_end(dt, cr, CAIRO_TAG_LINK);
	g_free(attr);
	g_free(val);
}

/* A small hook at the end of a wrapped code line. */
static void
draw_mark(cairo_t *cr, const Item *it)
{
	cairo_save(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, it->x + 3, it->y - 4);
	cairo_line_to(cr, it->x + 3, it->y - 1);
	cairo_line_to(cr, it->x, it->y - 1);
	cairo_move_to(cr, it->x + 1.3, it->y - 2.3);
	cairo_line_to(cr, it->x, it->y - 1);
	cairo_line_to(cr, it->x + 1.3, it->y + 0.3);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* The structure elements open at once: ov_pdf_struct's 16 levels, and a Span (linked_spans). */
#define OPEN_MAX 17

/* Make st (and its ancestors) the open structure elements: close what it is not in, open what
 * is not open yet. Returns the new depth. Elements deeper than the stack are merged. */
static int
enter_struct(DrawTags *dt, cairo_t *cr, const StructEl **open, int nopen, const StructEl *st)
{
	const StructEl *chain[OPEN_MAX];
	int n = 0, same = 0;

	for (const StructEl *e = st; e && n < OPEN_MAX; e = e->parent)
		chain[n++] = e;
	/* chain is innermost first: reverse to outermost first */
	for (int i = 0; i < n / 2; i++) {
		const StructEl *t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	while (same < nopen && same < n && open[same] == chain[same])
		same++;
	while (nopen > same)
		tag_end(dt, cr, open[--nopen]->tag);
	for (; nopen < n; nopen++) {
		open[nopen] = chain[nopen];
		/* Cairo makes an element of each one begun (one begun again is another): a Figure's
		 * alt text goes with it, for its /Alt (Cairo 1.16 writes none) */
		if (dt->alts && !strcmp(chain[nopen]->tag, "Figure"))
			g_ptr_array_add(dt->alts, (gpointer)(chain[nopen]->alt ? chain[nopen]->alt : ""));
		tag_begin(dt, cr, chain[nopen]->tag, NULL);
	}
	return nopen;
}

static void
count_image(const OvImage *im, void *data)
{
	(*(guint *)data)++;
}

/* Is it a line of text holding inline images, each of which a tagged PDF sets in a Figure
 * element of its own with its alt text? Not a block picture's line in a cell or a note: that
 * line is its Figure. */
static gboolean
inline_figures(const Item *it, gboolean body)
{
	guint n = 0;
	if (!body || it->kind != IT_LINE || it->st == NULL || it->st->alt)
		return FALSE;
	ov_line_foreach_image(it->line, count_image, &n);
	return n > 0;
}

/* Cairo 1.16 marks content only for a leaf of its structure tree: the text of an element with
 * a Link child (a paragraph with a link or a footnote call) or a Figure child (an inline
 * image) would be in no element at all. On this page such an element's lines and images go
 * into a Span of its own (el -> its Span). */
static GHashTable *
linked_spans(GArray *items, gboolean body)
{
	GHashTable *spans = NULL;
	for (guint k = 0; k < items->len; k++) {
		const Item *it = &g_array_index(items, Item, k);
		StructEl *span;
		if ((it->kind != IT_LINK && !inline_figures(it, body)) || it->st == NULL ||
		    (spans && g_hash_table_contains(spans, it->st)))
			continue;
		if (spans == NULL)
			spans = g_hash_table_new_full(NULL, NULL, NULL, g_free);
		span = g_new0(StructEl, 1);
		span->parent = it->st;
		span->tag = "Span";
		g_hash_table_insert(spans, (gpointer)it->st, span);
	}
	return spans;
}

/* The links waiting to be drawn, all of one element: each goes in it after its Span, so
 * the Span is not broken in two by each link (Cairo would make two). */
static int
flush_links(Layout *lo, DrawTags *dt, cairo_t *cr, const StructEl **open, int nopen, GPtrArray *wait, double dy)
{
	if (wait->len == 0)
		return nopen;
	nopen = enter_struct(dt, cr, open, nopen, ((const Item *)g_ptr_array_index(wait, 0))->st);
	for (guint i = 0; i < wait->len; i++)
		draw_link(lo, dt, cr, g_ptr_array_index(wait, i), dy);
	g_ptr_array_set_size(wait, 0);
	return nopen;
}

/* Drawing a line's inline images each in a Figure element of its own. */
typedef struct {
	DrawTags *dt;
	cairo_t *cr;
	const StructEl **open;
	int *nopen;
	const StructEl *parent, *back; /* the line's element; the one its text is in */
	GPtrArray *made;               /* the Figure elements made (freed with the page's Spans) */
} InlineFigures;

static void
inline_figure(const OvImage *im, gboolean begin, void *data)
{
	InlineFigures *fi = data;
	if (begin) {
		StructEl *fig = g_new0(StructEl, 1);
		fig->parent = fi->parent;
		fig->tag = "Figure";
		fig->alt = im->node->u.img.alt ? im->node->u.img.alt : "";
		g_ptr_array_add(fi->made, fig);
		*fi->nopen = enter_struct(fi->dt, fi->cr, fi->open, *fi->nopen, fig);
	} else {
		*fi->nopen = enter_struct(fi->dt, fi->cr, fi->open, *fi->nopen, fi->back);
	}
}

static void
draw_items(Layout *lo, DrawTags *dt, cairo_t *cr, GArray *items, double dy, gboolean links, gboolean body)
{
	const StructEl *open[OPEN_MAX]; /* the structure elements open, outermost first */
	int nopen = 0;
	GHashTable *spans = links ? linked_spans(items, body) : NULL;
	GPtrArray *wait = g_ptr_array_new(); /* IT_LINK Items of one element, to come */
	GPtrArray *made = g_ptr_array_new_with_free_func(g_free);

	for (guint k = 0; k < items->len; k++) {
		const Item *it = &g_array_index(items, Item, k);
		if (links && it->kind == IT_LINK && it->st) {
			if (wait->len && ((const Item *)g_ptr_array_index(wait, 0))->st != it->st)
				nopen = flush_links(lo, dt, cr, open, nopen, wait, dy);
			g_ptr_array_add(wait, (gpointer)it);
			continue;
		}
		if (links && it->st && it->kind != IT_RULE && it->kind != IT_MARK) {
			const StructEl *span = spans ? g_hash_table_lookup(spans, it->st) : NULL;
			const StructEl *to = span ? span : it->st;
			/* the element whose links wait goes on in its Span: they wait on */
			if (wait->len && to != g_hash_table_lookup(spans, ((const Item *)g_ptr_array_index(wait, 0))->st))
				nopen = flush_links(lo, dt, cr, open, nopen, wait, dy);
			nopen = enter_struct(dt, cr, open, nopen, to);
		}
		switch (it->kind) {
		case IT_LINE:
			if (links && inline_figures(it, body)) {
				InlineFigures fi = { dt, cr, open, &nopen, it->st, g_hash_table_lookup(spans, it->st), made };
				ov_line_draw_tagged(cr, it->line, it->x, it->y + dy, it->color, inline_figure, &fi);
			} else {
				ov_line_draw(cr, it->line, it->x, it->y + dy, it->color);
			}
			break;
		case IT_RULE:
			set_color(cr, it->color);
			cairo_set_line_width(cr, it->lw);
			cairo_move_to(cr, it->x, it->y + dy);
			cairo_line_to(cr, it->x + it->w, it->y + it->h + dy);
			cairo_stroke(cr);
			break;
		case IT_IMAGE:
			draw_image(lo, cr, it);
			break;
		case IT_LINK:
			if (links)
				draw_link(lo, dt, cr, it, dy);
			break;
		case IT_MARK:
			set_color(cr, it->color);
			draw_mark(cr, it);
			break;
		case IT_DEST:
			break;
		}
	}
	nopen = flush_links(lo, dt, cr, open, nopen, wait, dy);
	while (nopen > 0)
		tag_end(dt, cr, open[--nopen]->tag);
	g_ptr_array_free(made, TRUE);
	g_ptr_array_free(wait, TRUE);
	if (spans)
		g_hash_table_destroy(spans);
}

double
ov_pdf_page_x0(const Layout *lo, const Page *p)
{
	const OvTheme *th = lo->th;
	gboolean recto = p->number % 2 == 1;
	return p->kind == PG_BODY && th->facing && !recto ? th->margin_outer : th->margin_inner;
}

/* One line of small text at (x, baseline y), aligned within width: set now (Pango), drawn
 * later (Cairo alone). */
static void
small_text(Layout *lo, Page *p, int k, const char *text, double x, double y, double width, PangoAlignment al)
{
	PangoLayout *layout = pango_layout_new(lo->pc);
	PangoFontDescription *fd = ov_pdf_font(lo, TS_SMALL, lo->th->body_size * 0.78);
	PangoLayoutIter *iter;
	PangoRectangle lr;
	/* one line, shortened with an ellipsis: Pango's own layout does it */
	pango_layout_set_font_description(layout, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(layout, text, -1);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(layout, al);
	pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
	iter = pango_layout_get_iter(layout);
	pango_layout_iter_get_line_extents(iter, NULL, &lr);
	pango_layout_iter_free(iter);
	/* the runs are kept, not the layout: a layout sets itself again when its context
	 * changes, as the layout's thread changes it while another may draw this page */
	p->furn[k] = g_ptr_array_new_with_free_func((GDestroyNotify)pango_glyph_item_free);
	for (GSList *r = pango_layout_get_line_readonly(layout, 0)->runs; r; r = r->next) {
		PangoGlyphItem *run = r->data;
		pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
		g_ptr_array_add(p->furn[k], pango_glyph_item_copy(run));
	}
	p->furn_text[k] = g_strdup(pango_layout_get_text(layout));
	p->furn_x[k] = x + lr.x / (double)PANGO_SCALE;
	p->furn_y[k] = y;
	g_object_unref(layout);
}

static void
small_text_draw(Layout *lo, cairo_t *cr, const Page *p, int k)
{
	int dx = 0;
	if (p->furn[k] == NULL)
		return;
	set_color(cr, lo->rule_color);
	for (guint r = 0; r < p->furn[k]->len; r++) {
		const PangoGlyphItem *run = g_ptr_array_index(p->furn[k], r);
		ov_run_draw(cr, p->furn_text[k], run, p->furn_x[k], p->furn_y[k], dx, lo->th->body_size * 0.78);
		dx += pango_glyph_string_get_width(run->glyphs);
	}
}

void
ov_pdf_page_furnish(Layout *lo, Page *p)
{
	const OvTheme *th = lo->th;
	double x0 = ov_pdf_page_x0(lo, p), w = lo->page_w - th->margin_inner - th->margin_outer;
	gboolean recto = p->number % 2 == 1;
	PangoAlignment outer = th->facing ? (recto ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT) : PANGO_ALIGN_CENTER;

	if (p->furnished)
		return;
	p->furnished = TRUE;
	if (p->kind == PG_BODY && !p->opening && !p->blank) {
		const char *h = th->facing && !recto ? lo->doc->meta.title : p->header ? p->header : lo->doc->meta.title;
		if (h)
			small_text(lo, p, 0, h, x0, th->margin_top - th->body_size * 1.6, w, th->facing ? outer : PANGO_ALIGN_CENTER);
	}
	if ((p->kind == PG_BODY || p->kind == PG_FRONT) && !p->blank && !p->blind) {
		char *num = ov_pdf_page_label(lo->doc, p);
		small_text(lo, p, 1, num, x0, lo->page_h - th->margin_bottom + th->body_size * 2.4, w, outer);
		g_free(num);
	}
}

/* Running header and page number. */
static void
draw_furniture(Layout *lo, cairo_t *cr, const Page *p)
{
	const OvTheme *th = lo->th;
	double x0 = ov_pdf_page_x0(lo, p), w = lo->page_w - th->margin_inner - th->margin_outer;

	if (p->kind == PG_BODY && !p->opening && !p->blank) {
		double y = th->margin_top - th->body_size * 1.6;
		small_text_draw(lo, cr, p, 0);
		set_color(cr, lo->rule_color);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, x0, y + th->body_size * 0.5);
		cairo_line_to(cr, x0 + w, y + th->body_size * 0.5);
		cairo_stroke(cr);
	}
	small_text_draw(lo, cr, p, 1);
}

static void
draw_notes(Layout *lo, DrawTags *dt, cairo_t *cr, const Page *p)
{
	const OvTheme *th = lo->th;
	double top = lo->page_h - th->margin_bottom - p->fn_height, x0 = ov_pdf_page_x0(lo, p);
	if (p->fn_items->len == 0)
		return;
	set_color(cr, lo->rule_color);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x0, top + th->footnote_size * 0.6);
	cairo_line_to(cr, x0 + (lo->page_w - th->margin_inner - th->margin_outer) / 3, top + th->footnote_size * 0.6);
	cairo_stroke(cr);
	/* note lines were placed with the flow's x of their page, below the top of the notes; in a
	 * PDF each note is a Note element with its links */
	draw_items(lo, dt, cr, p->fn_items, top, dt != NULL, p->kind == PG_BODY);
}

void
ov_pdf_draw_page(Layout *lo, DrawTags *dt, cairo_t *cr, Page *p)
{
	set_color(cr, 0xFFFFFF);
	cairo_paint(cr);
	if (p->kind == PG_COVER) {
		ov_cover_draw(cr, lo->doc, lo->th, lo->page_w, lo->page_h, lo->draw_d);
		return;
	}
	ov_pdf_page_furnish(lo, p);
	draw_furniture(lo, cr, p);
	draw_items(lo, dt, cr, p->items, 0, dt != NULL, p->kind == PG_BODY);
	draw_notes(lo, dt, cr, p);
}
