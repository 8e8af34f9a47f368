/* pdf.c: the PDF back end's order of work: typeset the body, then the front matter (whose
 * TOC needs the body's page numbers), then draw every page into the PDF with its label,
 * links, destinations and outline, and finally write the PDF in one pass over Cairo's file:
 * its streams copied, its other objects packed into object streams, the few that change
 * (dates, /Lang, the Document element, alt text) edited as text in their new form, an XMP
 * metadata stream added,
 * and one cross-reference stream with a deterministic /ID. */
#include <errno.h>
#include <string.h>
#include <cairo-pdf.h>
#include <hyphen.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <zlib.h>
#include "pdf.h"
#include "layout.h"
#include "../gentext.h"
#include "../fonts.h"
#include "../build.h"
#include "../progress.h"

#ifndef OCTAVO_VERSION
#define OCTAVO_VERSION "0.1.0"
#endif

static guint32
parse_color(const char *c)
{
	guint32 v = 0;
	if (c == NULL || c[0] != '#')
		return 0;
	if (strlen(c) == 4) {
		for (int i = 1; i < 4; i++)
			v = v << 8 | (guint32)(g_ascii_xdigit_value(c[i]) * 17);
		return v;
	}
	return (guint32)strtoul(c + 1, NULL, 16);
}

/* Where the model's text is in a paragraph's text. */
struct TextSource {
	const OvNode *node;  /* the block the paragraph was made from */
	GArray *runs;        /* Span with .text */
};

static void
text_source_clear(gpointer p)
{
	g_array_free(((TextSource *)p)->runs, TRUE);
}

TextSource *
ov_pdf_text_source(const OvNode *node, const GArray *spans)
{
	TextSource *ts = g_atomic_rc_box_new0(TextSource);
	ts->node = node;
	ts->runs = g_array_new(FALSE, TRUE, sizeof(Span));
	for (guint i = 0; i < spans->len; i++)
		if (g_array_index(spans, Span, i).text)
			g_array_append_val(ts->runs, g_array_index(spans, Span, i));
	return ts;
}

TextSource *
ov_pdf_text_source_ref(TextSource *ts)
{
	return ts ? g_atomic_rc_box_acquire(ts) : NULL;
}

void
ov_pdf_text_source_unref(TextSource *ts)
{
	if (ts)
		g_atomic_rc_box_release_full(ts, text_source_clear);
}

static void text_walk_free(TextWalk *w);

PangoContext *
ov_pdf_context(PangoFontMap *fm, const char *lang)
{
	PangoContext *pc = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();
	pango_cairo_context_set_resolution(pc, 72);
	pango_context_set_round_glyph_positions(pc, FALSE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(pc, pango_language_from_string(lang));
	return pc;
}

static gboolean
layout_init(Layout *lo, const OvDoc *doc, const OvTheme *th, OvDiags *d)
{
	memset(lo, 0, sizeof *lo);
	lo->doc = doc;
	lo->th = th;
	lo->d = d;
	lo->fm = ov_fonts_map(d);
	if (lo->fm == NULL)
		return FALSE;
	lo->pc = ov_pdf_context(lo->fm, doc->meta.lang);
	lo->pages = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_page_free);
	lo->dests = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	lo->images = g_ptr_array_new_with_free_func((GDestroyNotify)ov_image_free);
	lo->alts = g_ptr_array_new();
	lo->structs = g_ptr_array_new_with_free_func(g_free);
	lo->strings = g_string_chunk_new(4096);
	lo->hyph = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* patterns: text.c keeps them */
	lo->words = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_destroy);
	lo->linked = g_hash_table_new(g_str_hash, g_str_equal);
	lo->draw_d = d;
	lo->page_w = th->page_width;
	lo->page_h = th->page_height;
	lo->text_color = parse_color(th->text_color);
	lo->heading_color = parse_color(th->heading_color);
	lo->link_color = parse_color(th->link_color);
	lo->rule_color = parse_color(th->rule_color);
	return TRUE;
}

static void
layout_clear(Layout *lo)
{
	if (lo->pages == NULL)
		return;
	g_ptr_array_free(lo->pages, TRUE);
	g_hash_table_destroy(lo->dests);
	g_ptr_array_free(lo->images, TRUE);
	g_ptr_array_free(lo->alts, TRUE);
	g_ptr_array_free(lo->structs, TRUE);
	g_string_chunk_free(lo->strings);
	g_hash_table_destroy(lo->hyph);
	g_hash_table_destroy(lo->words);
	if (lo->unset)
		g_hash_table_destroy(lo->unset);
	g_hash_table_destroy(lo->linked);
	text_walk_free(lo->walk);
	if (lo->body_starts)
		g_array_free(lo->body_starts, TRUE);
	ov_pagemap_free(lo->pm);
	g_object_unref(lo->pc);
}

/* ---- front matter ---- */

typedef struct {
	Layout *lo;
	Page *page;
	double y;
	int front_pages;  /* numbered front pages (i, ii, ...) */
	int physical;     /* every front page, the cover too */
	const StructEl *st; /* the structure element what is added now belongs to */
	double dot_w;       /* the contents' leaders: the width of a dot and its space (0: not yet) */
	GPtrArray *dests;   /* Dest* set on front pages: their page index is set after the move */
} Front;

static double
text_width(Layout *lo)
{
	return lo->page_w - lo->th->margin_inner - lo->th->margin_outer;
}

/* A front page is set for a right-hand page; on a left-hand one (an even number, with facing
 * pages) its items move to that page's margins. */
static void
front_mirror(Front *fr)
{
	const OvTheme *th = fr->lo->th;
	if (fr->page == NULL || !th->facing || fr->page->kind == PG_COVER || fr->page->number % 2 == 1)
		return;
	for (guint i = 0; i < fr->page->items->len; i++)
		g_array_index(fr->page->items, Item, i).x += th->margin_outer - th->margin_inner;
}

static Page *
front_page(Front *fr, PageKind kind)
{
	front_mirror(fr);
	fr->page = ov_pdf_page_new(fr->lo, kind);
	fr->physical++;
	if (kind != PG_COVER)
		fr->page->number = ++fr->front_pages;
	fr->y = fr->lo->th->margin_top;
	return fr->page;
}

static double last_baseline; /* of the last line put_para placed */

/* Add the lines of p at y (top of the first line box), colour c, and their links; returns
 * the new y. */
static double
put_para(Front *fr, Para *p, double x, double y, guint32 c)
{
	for (guint l = 0; l < p->lines->len; l++) {
		OvLine *ln = g_ptr_array_index(p->lines, l);
		Item it = { 0 };
		double base, adv = ov_line_box(ln, p->leading, &base);
		for (guint k = 0; p->spans && k < p->spans->len; k++) {
			Item link;
			if (ov_pdf_span_link(&g_array_index(p->spans, Span, k), ln, x + ln->x + p->dx, y, adv, &link)) {
				link.st = fr->st;
				ov_pdf_add_item(fr->page, link);
			}
		}
		it.kind = IT_LINE;
		it.line = ov_line_ref(ln);
		it.x = x + ln->x + p->dx;
		it.y = y + base;
		it.color = c;
		it.st = fr->st;
		last_baseline = it.y;
		ov_pdf_add_item(fr->page, it);
		y += adv;
	}
	return y;
}

static double
para_height(Para *p)
{
	return ov_pdf_para_height(p);
}

/* The notes that n (NULL: none) calls, in order, to notes; notes NULL: stop at the first.
 * How many were found. */
static guint
notes_of(const OvNode *n, GPtrArray *notes)
{
	OvIter it;
	OvEvent ev;
	guint found = 0;
	ov_iter_init(&it, (OvNode *)n);
	while (n && (ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_FOOTNOTE) {
			found++;
			if (notes == NULL)
				break;
			g_ptr_array_add(notes, it.cur);
			ov_iter_skip_children(&it);
		}
	return found;
}

static gboolean
has_note(const OvNode *n)
{
	return notes_of(n, NULL) > 0;
}

/* The publisher's line (if *pub is one, which it frees) at the foot of the page. */
static void
place_publisher(Front *fr, Para **pub, double x)
{
	if (*pub == NULL)
		return;
	fr->st = ov_pdf_struct(fr->lo, NULL, "P");
	put_para(fr, *pub, x, fr->lo->page_h - fr->lo->th->margin_bottom - para_height(*pub), fr->lo->text_color);
	ov_pdf_para_free(*pub);
	*pub = NULL;
}

static void
title_page(Front *fr)
{
	Layout *lo = fr->lo;
	const OvTheme *th = lo->th;
	const OvMeta *m = &lo->doc->meta;
	double x = th->margin_inner, w = text_width(lo), y, limit = lo->page_h - th->margin_bottom;
	GArray *people;
	GPtrArray *paras;
	Para *p, *pub = NULL;

	front_page(fr, PG_TITLE);
	y = th->margin_top + (lo->page_h - th->margin_top - th->margin_bottom) * 0.18;
	fr->st = ov_pdf_struct(lo, NULL, "H1");
	/* a title that calls a note is set from its node, for the note's mark (the note itself
	 * is on the copyright page) */
	if (has_note(ov_node_child(lo->doc->root, OV_TITLE)))
		p = ov_pdf_para(lo, ov_node_child(lo->doc->root, OV_TITLE), TS_HEADING, th->h1_size * 1.35, w, PANGO_ALIGN_LEFT,
				FALSE, NULL);
	else
		p = ov_pdf_plain(lo, m->title, TS_HEADING, th->h1_size * 1.35, w, PANGO_ALIGN_LEFT, FALSE);
	ov_pdf_para_balance(p);
	p->leading = th->h1_size * 1.35 * 1.15;
	y = put_para(fr, p, x, y, lo->heading_color);
	ov_pdf_para_free(p);
	if (m->subtitle) {
		fr->st = ov_pdf_struct(lo, NULL, "P");
		if (has_note(ov_node_child(lo->doc->root, OV_SUBTITLE)))
			p = ov_pdf_para(lo, ov_node_child(lo->doc->root, OV_SUBTITLE), TS_SMALL, th->h2_size, w, PANGO_ALIGN_LEFT,
					FALSE, NULL);
		else
			p = ov_pdf_plain(lo, m->subtitle, TS_SMALL, th->h2_size, w, PANGO_ALIGN_LEFT, FALSE);
		ov_pdf_para_balance(p);
		p->leading = th->h2_size * 1.3;
		y = put_para(fr, p, x, y + th->leading * 0.6, lo->text_color);
		ov_pdf_para_free(p);
	}
	{
		Item rule = ov_pdf_rule(x, y + th->leading, th->h1_size * 2, 0, 1.2, lo->heading_color);
		ov_pdf_add_item(fr->page, rule);
		y += th->leading * 2;
	}
	/* the publisher at the foot of the title page; the people above it, on a page of their
	 * own after it if they are too many for it */
	if (m->publisher && (m->authors->len == 0 || strcmp(m->publisher, g_ptr_array_index(m->authors, 0)))) {
		char *t = m->publisher_address ? g_strconcat(m->publisher, "\n", m->publisher_address, NULL) : g_strdup(m->publisher);
		pub = ov_pdf_plain(lo, t, TS_SMALL, th->body_size, w, PANGO_ALIGN_LEFT, FALSE);
		g_free(t);
		limit -= para_height(pub) + th->leading;
	}
	people = ov_gentext_people(lo->doc);
	paras = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	for (guint i = 0; i < people->len; i++) {
		const OvTextLine *l = &g_array_index(people, OvTextLine, i);
		g_ptr_array_add(paras, l->kind == OV_LINE_NAME
				       ? ov_pdf_plain(lo, l->text, TS_BODY, th->body_size * 1.15, w, PANGO_ALIGN_LEFT, FALSE)
				       : ov_pdf_plain(lo, l->text, TS_SMALL, th->body_size * 0.9, w, PANGO_ALIGN_LEFT, FALSE));
	}
	for (guint i = 0; i < people->len; i++) {
		const OvTextLine *l = &g_array_index(people, OvTextLine, i);
		double h = 0;
		p = g_ptr_array_index(paras, i);
		/* the credits stand apart from the authors, an author apart from the one before's
		 * affiliation */
		if (i > 0 && l->kind != OV_LINE_DETAIL && g_array_index(people, OvTextLine, i - 1).kind != l->kind)
			y += l->kind == OV_LINE_CREDIT ? th->leading : th->leading * 0.35;
		/* a name goes with the lines under it */
		for (guint k = i; k < people->len && (k == i || g_array_index(people, OvTextLine, k).kind == OV_LINE_DETAIL); k++)
			if (k == i || l->kind != OV_LINE_DETAIL)
				h += para_height(g_ptr_array_index(paras, k));
		if (y + h > limit && y > th->margin_top) {
			place_publisher(fr, &pub, x);
			front_page(fr, PG_FRONT);
			y = th->margin_top;
			limit = lo->page_h - th->margin_bottom;
		}
		fr->st = ov_pdf_struct(lo, NULL, "P");
		y = put_para(fr, p, x, y, lo->text_color);
	}
	g_ptr_array_free(paras, TRUE);
	ov_text_lines_free(people);
	place_publisher(fr, &pub, x);
}

/* In a facing-pages theme, a blank page so that the next one is a right-hand page. The
 * cover's back is no page of the book: unnumbered (labelled "Inside cover"), so that the
 * title page is i and right-hand pages have odd numbers. */
static void
to_recto(Front *fr)
{
	gboolean cover_back = fr->page && fr->page->kind == PG_COVER;
	if (fr->lo->th->facing && fr->physical % 2 == 1) {
		front_page(fr, PG_FRONT)->blank = TRUE;
		if (cover_back)
			fr->page->number = 0, fr->front_pages--;
	}
}

/* The copyright page: legal notice, abstract and dates, set low on the page. */
static void
copyright_page(Front *fr)
{
	Layout *lo = fr->lo;
	const OvTheme *th = lo->th;
	const OvMeta *m = &lo->doc->meta;
	const OvNode *info = ov_node_child(lo->doc->root, OV_INFO);
	double x = th->margin_inner, w = text_width(lo), size = th->body_size * 0.85, total = 0, y;
	GPtrArray *paras = g_ptr_array_new_with_free_func((GDestroyNotify)ov_pdf_para_free);
	GPtrArray *notes = g_ptr_array_new(); /* called on the title page and here */
	GPtrArray *starts = g_ptr_array_new(); /* paras' index -> the note it begins, or NULL */
	GString *s = g_string_new(NULL);

	notes_of(ov_node_child(lo->doc->root, OV_TITLE), notes);
	notes_of(ov_node_child(lo->doc->root, OV_SUBTITLE), notes);
	for (const OvNode *blk = info ? info->first : NULL; blk; blk = blk->next) {
		if (blk->type != OV_ABSTRACT && blk->type != OV_LEGALNOTICE && blk->type != OV_COVER)
			continue;
		notes_of(blk, notes);
		for (const OvNode *c = blk->first; c; c = c->next)
			if (c->type == OV_TITLE)
				g_ptr_array_add(paras, ov_pdf_para(lo, c, TS_HEADING, size, w, PANGO_ALIGN_LEFT, FALSE, NULL));
			else if (ov_type_info[c->type].content == OV_CONTENT_INLINES)
				g_ptr_array_add(paras, ov_pdf_para(lo, c, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE, NULL));
			else {
				GString *t = g_string_new(NULL); /* a list or table in a legal notice: its text */
				ov_node_text(c, t);
				g_ptr_array_add(paras, ov_pdf_plain(lo, t->str, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
				g_string_free(t, TRUE);
			}
	}
	if (m->copyright)
		g_ptr_array_add(paras, ov_pdf_plain(lo, m->copyright, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
	if (m->edition) /* the EPUB's copyright page has it too */
		g_ptr_array_add(paras, ov_pdf_plain(lo, m->edition, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
	if (m->pubdate || m->date || m->releaseinfo) {
		g_string_truncate(s, 0);
		if (m->pubdate || m->date)
			g_string_printf(s, "%s %s", ov_gentext(lo->doc, OV_GT_PUBLISHED), m->pubdate ? m->pubdate : m->date);
		if (m->releaseinfo)
			g_string_append_printf(s, "%s%s", s->len ? ". " : "", m->releaseinfo);
		g_ptr_array_add(paras, ov_pdf_plain(lo, s->str, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
	}
	if (m->isbn) {
		g_string_printf(s, "ISBN %s", m->isbn);
		g_ptr_array_add(paras, ov_pdf_plain(lo, s->str, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
	}
	for (guint i = 0; i < m->printhistory->len; i++)
		g_ptr_array_add(paras, ov_pdf_plain(lo, g_ptr_array_index(m->printhistory, i), TS_BODY, size, w,
						    PANGO_ALIGN_LEFT, FALSE));
	if (m->revisions->len) {
		GPtrArray *revs = ov_gentext_revisions(lo->doc);
		g_ptr_array_add(paras, ov_pdf_plain(lo, ov_gentext(lo->doc, OV_GT_REVHISTORY), TS_HEADING, size, w,
						    PANGO_ALIGN_LEFT, FALSE));
		for (guint i = 0; i < revs->len; i++)
			g_ptr_array_add(paras, ov_pdf_plain(lo, g_ptr_array_index(revs, i), TS_BODY, size, w, PANGO_ALIGN_LEFT,
							    FALSE));
		g_ptr_array_free(revs, TRUE);
	}
	g_string_printf(s, ov_gentext(lo->doc, OV_GT_SET_IN), th->body_font, th->heading_font, OCTAVO_VERSION);
	g_ptr_array_add(paras, ov_pdf_plain(lo, s->str, TS_BODY, size, w, PANGO_ALIGN_LEFT, FALSE));
	/* the notes these pages call, last: the foot of the page */
	for (guint i = 0; i < notes->len; i++) {
		const OvNode *fn = g_ptr_array_index(notes, i);
		g_ptr_array_set_size(starts, paras->len);
		g_ptr_array_add(starts, (gpointer)fn);
		for (const OvNode *c = fn->first; c; c = c->next) {
			char *prefix = c == fn->first && fn->label ? g_strdup_printf("%s\xE2\x80\x82", fn->label) : NULL;
			if (ov_type_info[c->type].content == OV_CONTENT_INLINES) {
				g_ptr_array_add(paras, ov_pdf_para_ex(lo, c, TS_BODY, size * 0.9, w, PANGO_ALIGN_LEFT, FALSE, prefix,
								      OV_PARA_PLAIN_PREFIX));
			} else {
				GString *t = g_string_new(prefix);
				ov_node_text(c, t);
				g_ptr_array_add(paras, ov_pdf_plain(lo, t->str, TS_BODY, size * 0.9, w, PANGO_ALIGN_LEFT, FALSE));
				g_string_free(t, TRUE);
			}
			g_free(prefix);
		}
	}
	g_ptr_array_free(notes, TRUE);
	for (guint i = 0; i < paras->len; i++) {
		Para *p = g_ptr_array_index(paras, i);
		p->leading = size * 1.35;
		total += para_height(p) + size * 0.8;
	}
	front_page(fr, PG_FRONT);
	fr->page->blind = TRUE; /* a display page: no number printed, as the title page */
	/* set low on the page; more than a page goes on on the next */
	y = MAX(th->margin_top, lo->page_h - th->margin_bottom - total);
	for (guint i = 0; i < paras->len; i++) {
		Para *p = g_ptr_array_index(paras, i);
		if (y + para_height(p) > lo->page_h - th->margin_bottom && y > th->margin_top) {
			front_page(fr, PG_FRONT);
			y = th->margin_top;
		}
		if (i < starts->len && g_ptr_array_index(starts, i)) { /* a note's calls link here */
			Dest *d = ov_pdf_add_dest(lo, ov_pdf_dest_of(lo, g_ptr_array_index(starts, i)), (int)lo->pages->len - 1, y);
			if (d)
				g_ptr_array_add(fr->dests, d);
		}
		fr->st = ov_pdf_struct(lo, NULL, "P");
		y = put_para(fr, p, x, y, lo->text_color) + size * 0.8;
	}
	g_ptr_array_free(starts, TRUE);
	g_ptr_array_free(paras, TRUE);
	g_string_free(s, TRUE);
}

/* A division's title for the TOC and the outline: its words, or those that stand for it
 * when it has none (an empty title), as in the EPUB's navigation. */
static void
title_text(Layout *lo, const OvNode *div, GString *t)
{
	char *s = ov_division_title(lo->doc, div, TRUE);
	g_string_append(t, s);
	g_free(s);
}

/* One TOC line: indented title, dot leaders, the page number; the whole line a link. */
static void
toc_entry(Front *fr, const OvTocEntry *e, int body_page, double numw, gboolean with_next)
{
	Layout *lo = fr->lo;
	const OvTheme *th = lo->th;
	double w = text_width(lo), indent = e->level * th->body_size * 1.4;
	GString *t = g_string_new(NULL);
	char num[16];
	gboolean top = e->level == 0;
	Para *p, *np, *dots, *label = NULL;
	double y0, last_w, dots_w, base, hang = 0;
	int nlines;

	/* the number (an en space after it) hangs: a title's next lines stand under its first word */
	if (e->node->label) {
		double size = th->body_size * (top ? 0.95 : 1.0);
		label = ov_pdf_plain(lo, e->node->label, top ? TS_HEADING : TS_BODY, size, w - indent - numw, PANGO_ALIGN_LEFT,
				     FALSE);
		label->leading = th->leading;
		hang = MIN(((OvLine *)g_ptr_array_index(label->lines, 0))->width + size * 0.5, (w - indent - numw) / 2);
	}
	title_text(lo, e->node, t);
	g_snprintf(num, sizeof num, "%d", body_page);
	/* in the title's language, as its heading is set (its script's bold face, not a fallback's
	 * regular); a right-to-left title starts where the others do, its leaders after it, as
	 * PANGO_ALIGN_RIGHT puts a right-to-left line (not on the leaders, nor over them) */
	{
		const OvNode *tn = ov_node_child(e->node, OV_TITLE);
		const char *lang = ov_node_lang(tn ? tn : e->node);
		p = ov_pdf_plain_lang(lo, t->str, top ? TS_HEADING : TS_BODY, th->body_size * (top ? 0.95 : 1.0),
				      w - indent - hang - numw, PANGO_ALIGN_LEFT, FALSE, lang);
		if (p->lines->len && ((OvLine *)g_ptr_array_index(p->lines, 0))->rtl) {
			ov_pdf_para_free(p);
			p = ov_pdf_plain_lang(lo, t->str, top ? TS_HEADING : TS_BODY, th->body_size * (top ? 0.95 : 1.0),
					      w - indent - hang - numw, PANGO_ALIGN_RIGHT, FALSE, lang);
		}
	}
	p->leading = th->leading;
	nlines = (int)p->lines->len;
	/* with_next: an entry its first subentry follows keeps a line of it on its page */
	if (fr->y + (nlines + (with_next ? 1 : 0)) * th->leading + (top ? th->leading * 0.4 : 0) > lo->page_h - th->margin_bottom) {
		front_page(fr, PG_FRONT);
	}
	if (top)
		fr->y += th->leading * 0.4;
	y0 = fr->y;
	if (label)
		put_para(fr, label, th->margin_inner + indent, fr->y, top ? lo->heading_color : lo->text_color);
	fr->y = put_para(fr, p, th->margin_inner + indent + hang, fr->y, top ? lo->heading_color : lo->text_color);
	base = last_baseline; /* number and leaders stand on the title's last baseline */
	last_w = hang + ((OvLine *)g_ptr_array_index(p->lines, nlines - 1))->width;
	np = ov_pdf_plain(lo, num, TS_BODY, th->body_size, numw, PANGO_ALIGN_RIGHT, FALSE);
	np->leading = th->leading;
	put_para(fr, np, th->margin_inner + w - numw, fr->y - th->leading, lo->text_color);
	g_array_index(fr->page->items, Item, fr->page->items->len - 1).y = base;
	/* dot leaders between the title's last line and the number */
	dots_w = w - indent - numw - last_w - th->body_size;
	if (dots_w > th->body_size) {
		GString *ds = g_string_new(NULL);
		int count;
		OvLine *line;
		/* as many as the room holds: one dot and space measured (a line ends without its
		 * last space), so the leaders start about an em after the title */
		if (fr->dot_w <= 0) {
			dots = ov_pdf_plain(lo, ". . . . . . . . . . . . . . . . . . . . .", TS_BODY, th->body_size, 1e6,
					    PANGO_ALIGN_LEFT, FALSE);
			fr->dot_w = ((OvLine *)g_ptr_array_index(dots->lines, 0))->width / 20.5;
			ov_pdf_para_free(dots);
		}
		count = fr->dot_w > 0 ? (int)((dots_w + fr->dot_w / 2) / fr->dot_w) : (int)(dots_w / (th->body_size * 0.5));
		for (int i = 0; i < count; i++)
			g_string_append(ds, ". ");
		/* as many dots as fit on one line */
		dots = ov_pdf_plain(lo, ds->str, TS_BODY, th->body_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
		while ((line = g_ptr_array_index(dots->lines, 0))->width > dots_w && ds->len > 2) {
			g_string_truncate(ds, ds->len - 2);
			ov_pdf_para_free(dots);
			dots = ov_pdf_plain(lo, ds->str, TS_BODY, th->body_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
		}
		{
			Item it = { 0 };
			it.kind = IT_LINE;
			it.line = ov_line_ref(line);
			it.x = th->margin_inner + w - numw - line->width - th->body_size * 0.3;
			it.y = base;
			it.color = lo->rule_color;
			it.st = fr->st;
			ov_pdf_add_item(fr->page, it);
		}
		ov_pdf_para_free(dots);
		g_string_free(ds, TRUE);
	}
	{
		Item link = { 0 };
		link.kind = IT_LINK;
		link.x = th->margin_inner + indent;
		link.y = y0;
		link.w = w - indent;
		link.h = fr->y - y0;
		link.dest = ov_pdf_dest_of(lo, e->node);
		link.st = fr->st;
		ov_pdf_add_item(fr->page, link);
	}
	ov_pdf_para_free(np);
	ov_pdf_para_free(p);
	if (label)
		ov_pdf_para_free(label);
	g_string_free(t, TRUE);
}

static void
toc_pages(Front *fr)
{
	Layout *lo = fr->lo;
	const OvTheme *th = lo->th;
	const StructEl *toc;
	Para *h;
	double numw;

	to_recto(fr); /* contents open on a right-hand page */
	front_page(fr, PG_FRONT);
	fr->st = ov_pdf_struct(lo, NULL, "H1");
	h = ov_pdf_plain(lo, ov_gentext(lo->doc, OV_GT_CONTENTS), TS_HEADING, th->h1_size, text_width(lo), PANGO_ALIGN_LEFT, FALSE);
	fr->y = th->margin_top + th->h1_size * 2.2;
	fr->y = put_para(fr, h, th->margin_inner, fr->y, lo->heading_color) + th->leading * 1.5;
	ov_pdf_para_free(h);
	toc = ov_pdf_struct(lo, NULL, "TOC");
	{
		/* the page numbers' column: as wide as the widest number (its digits as eights), the
		 * leaders ending a little before it */
		int most = 1;
		GString *eights = g_string_new(NULL);
		Para *np;
		for (guint i = 0; i < lo->doc->toc->len; i++) {
			const OvTocEntry *e = &g_array_index(lo->doc->toc, OvTocEntry, i);
			Dest *d = g_hash_table_lookup(lo->dests, ov_pdf_dest_of(lo, e->node));
			if (d)
				most = MAX(most, ((const Page *)g_ptr_array_index(lo->pages, d->page))->number);
		}
		for (; most > 0; most /= 10)
			g_string_append_c(eights, '8');
		np = ov_pdf_plain(lo, eights->str, TS_BODY, th->body_size, 1e6, PANGO_ALIGN_LEFT, FALSE);
		numw = ((OvLine *)g_ptr_array_index(np->lines, 0))->width + th->body_size * 0.6;
		ov_pdf_para_free(np);
		g_string_free(eights, TRUE);
	}
	for (guint i = 0; i < lo->doc->toc->len; i++) {
		const OvTocEntry *e = &g_array_index(lo->doc->toc, OvTocEntry, i);
		Dest *d = g_hash_table_lookup(lo->dests, ov_pdf_dest_of(lo, e->node));
		const Page *pg = d ? g_ptr_array_index(lo->pages, d->page) : NULL;
		fr->st = ov_pdf_struct(lo, toc, "TOCI");
		if (pg) {
			Page *was = fr->page;
			const OvTocEntry *next = i + 1 < lo->doc->toc->len ? &g_array_index(lo->doc->toc, OvTocEntry, i + 1) : NULL;
			toc_entry(fr, e, pg->number, numw, next && next->level > e->level);
			if (fr->page != was) /* the line begins a page (the EPUB's marker goes before it) */
				fr->page->toc_first = e->node;
		}
	}
}

/* The part of the book the front pages made since the last call belong to. */
static void
front_where(Layout *lo, GArray *where, guint body, OvPageWhere w)
{
	while (body + where->len < lo->pages->len)
		g_array_append_val(where, w);
}

/* Front matter pages, moved before the body; destinations shift with the body. where gets the
 * part of the book each front page is in. */
static void
front_matter(Layout *lo, GArray *where)
{
	Front fr = { lo, NULL, 0, 0, 0, NULL, 0, g_ptr_array_new() };
	guint body = lo->pages->len, nfront;
	GHashTableIter hi;
	gpointer v;

	if (lo->th->cover)
		front_page(&fr, PG_COVER);
	to_recto(&fr);
	front_where(lo, where, body, OV_PM_COVER);
	title_page(&fr);
	front_where(lo, where, body, OV_PM_TITLEPAGE);
	copyright_page(&fr);
	front_where(lo, where, body, OV_PM_COPYRIGHT);
	if (lo->th->toc && lo->doc->toc->len)
		toc_pages(&fr);
	front_where(lo, where, body, OV_PM_TOC);
	to_recto(&fr); /* the body starts on a right-hand page */
	front_mirror(&fr);
	front_where(lo, where, body, OV_PM_BODY);
	nfront = lo->pages->len - body;
	lo->nfront = nfront;
	/* rotate: front pages first */
	for (guint i = 0; i < nfront; i++) {
		gpointer pg = g_ptr_array_steal_index(lo->pages, body + i);
		g_ptr_array_insert(lo->pages, (gint)i, pg);
	}
	g_hash_table_iter_init(&hi, lo->dests);
	while (g_hash_table_iter_next(&hi, NULL, &v))
		((Dest *)v)->page += (int)nfront;
	for (guint i = 0; i < fr.dests->len; i++) /* were at body + k, are now at k */
		((Dest *)g_ptr_array_index(fr.dests, i))->page -= (int)(body + nfront);
	g_ptr_array_free(fr.dests, TRUE);
}

/* ---- the PDF ---- */

/* Cairo's bytes go to a scratch file, the finished PDF to the output, each through an Out:
 * counted (offsets) and, for the output, hashed (its /ID). */
typedef struct {
	FILE *f;
	GChecksum *sum;  /* NULL: not hashed */
	guint64 len;
	int err;         /* errno of the first write that failed; 0 if none */
} Out;

static gboolean
out_put(Out *o, const void *data, gsize n)
{
	if (o->err)
		return FALSE;
	if (n && fwrite(data, 1, n, o->f) != n) {
		o->err = errno ? errno : EIO;
		return FALSE;
	}
	if (o->sum)
		g_checksum_update(o->sum, data, (gssize)n);
	o->len += n;
	return TRUE;
}

static void G_GNUC_PRINTF(2, 3)
out_printf(Out *o, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	out_put(o, s, strlen(s));
	g_free(s);
}

static cairo_status_t
out_write(void *closure, const unsigned char *data, unsigned int length)
{
	return out_put(closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void
out_error(Out *o, const char *path, OvDiags *d)
{
	ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: %s", path, g_strerror(o->err));
	d->io_failed = TRUE;
}

static char *
date_string(gint64 t, const char *format)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(t);
	char *s = g_date_time_format(dt, format);
	g_date_time_unref(dt);
	return s;
}

/* s as Cairo takes a string (ov_text_no_nonchars): a copy, to free. */
static char *
cairo_str(const char *s)
{
	char *safe = ov_text_no_nonchars(s, -1, NULL);
	return safe ? safe : g_strdup(s);
}

/* A metadata string: Cairo's copy is replaced by octavo's /Info (finish), but a string Cairo
 * will not take puts the surface in an error. */
static void
put_metadata(cairo_surface_t *surface, cairo_pdf_metadata_t what, const char *s)
{
	char *safe = cairo_str(s);
	cairo_pdf_surface_set_metadata(surface, what, safe);
	g_free(safe);
}

/* The build time as Cairo's dates too: its bytes stay in the file, and without a date of ours
 * it writes the current time. (Cairo 1.16 drops the D: of a date it is given: the update's
 * /Info has the right ones.) */
static void
set_metadata(Layout *lo, cairo_surface_t *surface, gint64 t)
{
	char *iso = date_string(t, "%Y-%m-%dT%H:%M:%SZ");
	const OvMeta *m = &lo->doc->meta;
	char *abs = ov_meta_abstract(lo->doc);
	GString *s = g_string_new(NULL);

	put_metadata(surface, CAIRO_PDF_METADATA_TITLE, m->title);
	for (guint i = 0; i < m->authors->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(m->authors, i));
	if (s->len)
		put_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, s->str);
	if (abs)
		put_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, abs);
	g_free(abs);
	g_string_truncate(s, 0);
	for (guint i = 0; i < m->keywords->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(m->keywords, i));
	if (s->len)
		put_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, s->str);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "octavo " OCTAVO_VERSION);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, iso);
	g_free(iso);
	g_string_free(s, TRUE);
}

static void
outline(Layout *lo, cairo_surface_t *surface)
{
	int parents[16] = { CAIRO_PDF_OUTLINE_ROOT };
	for (guint i = 0; i < lo->doc->toc->len; i++) {
		const OvTocEntry *e = &g_array_index(lo->doc->toc, OvTocEntry, i);
		const char *dest = ov_pdf_dest_of(lo, e->node);
		const OvNode *title = ov_node_child(e->node, OV_TITLE);
		GString *t = g_string_new(NULL);
		int level = MIN(e->level, 14);
		char *esc, *attr, *safe;
		if (!g_hash_table_contains(lo->dests, dest) || title == NULL) {
			g_string_free(t, TRUE);
			continue;
		}
		if (e->node->label)
			g_string_append_printf(t, "%s ", e->node->label);
		title_text(lo, e->node, t);
		esc = ov_pdf_tag_dest(dest);
		attr = g_strdup_printf("dest='%s'", esc);
		safe = cairo_str(t->str);
		parents[level + 1] = cairo_pdf_surface_add_outline(surface, parents[level], safe, attr,
								   level == 0 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
		g_free(safe);
		g_free(attr);
		g_free(esc);
		g_string_free(t, TRUE);
	}
}

static gint
dest_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(const Dest *const *)a)->dest, (*(const Dest *const *)b)->dest);
}

/* A page's destinations, emitted while it is drawn, by name. */
static void
draw_dests(cairo_t *cr, GPtrArray *list)
{
	if (list == NULL)
		return;
	g_ptr_array_sort(list, dest_cmp);
	for (guint k = 0; k < list->len; k++) {
		const Dest *d = g_ptr_array_index(list, k);
		char *esc = ov_pdf_tag_dest(d->dest);
		char *attr = g_strdup_printf("name='%s' x=0 y=%.2f", esc, MAX(d->y - 4, 0));
		cairo_tag_begin(cr, CAIRO_TAG_DEST, attr);
		cairo_tag_end(cr, CAIRO_TAG_DEST);
		g_free(attr);
		g_free(esc);
	}
}

static char *text_string(const char *utf8);
static FILE *scratch_beside(const char *path);
static void page_map_body(Layout *lo, const Page *pg, guint i);

/* ---- drawing: the body's pages as they are finished, then the front matter's ----
 *
 * Cairo writes pages in the order they are drawn, so the body's come first, each drawn once
 * the flow has finished it (in a thread of its own while the layout goes on, when the build
 * has two cores, or all after the layout), then the front matter's, which need the body's
 * page numbers; finish() puts the front matter first again, with the page labels and the
 * structure tree. Drawing a body page needs Cairo alone (it was furnished in the layout's
 * thread), and it only reads the page: the layout's thread empties it once drawn. */

static const char end_token;
#define END ((gpointer)&end_token)
#define IN_FLIGHT 64 /* body pages handed on and not yet drawn, at most */

struct Drawer {
	Layout *lo;
	Out cairo;                /* Cairo's scratch file */
	cairo_surface_t *surface;
	cairo_t *cr;
	DrawTags tags;
	int body_top;             /* top structure elements of the body's pages */
	OvDiags d;                /* what drawing found (merged when the PDF is written) */
	GThread *thread;          /* NULL: the pages are drawn in the layout's thread */
	GAsyncQueue *to_draw, *done; /* pages to draw (then END); pages drawn */
	guint pushed, returned;
	gint abandon;             /* the pass is thrown away: draw no more */
	gboolean keep;            /* the pages are kept whole (PNGs, layout, report) */
};

static void
drawer_page(Drawer *dr, Page *p)
{
	ov_pdf_draw_page(dr->lo, &dr->tags, dr->cr, p);
	draw_dests(dr->cr, p->dests);
	cairo_show_page(dr->cr);
}

static gpointer
drawer_run(gpointer data)
{
	Drawer *dr = data;
	gpointer p;
	while ((p = g_async_queue_pop(dr->to_draw)) != END) {
		if (!g_atomic_int_get(&dr->abandon))
			drawer_page(dr, p);
		g_async_queue_push(dr->done, p);
	}
	return NULL;
}

/* A drawer into a scratch file beside path; NULL (and errno) if the file cannot be made. A
 * thread of its own when asked. */
static Drawer *
drawer_new(Layout *lo, const char *path, gint64 t, gboolean thread, gboolean keep, OvDiags *d)
{
	Drawer *dr;
	FILE *f = scratch_beside(path);
	if (f == NULL)
		return NULL;
	dr = g_new0(Drawer, 1);
	dr->lo = lo;
	dr->keep = keep;
	dr->cairo.f = f;
	ov_diags_init(&dr->d);
	dr->d.strict = d->strict;
	dr->d.limit = 0; /* d's applies when merged */
	lo->draw_d = &dr->d;
	dr->surface = cairo_pdf_surface_create_for_stream(out_write, &dr->cairo, lo->page_w, lo->page_h);
	dr->cr = cairo_create(dr->surface);
	dr->tags.alts = g_ptr_array_new();
	set_metadata(lo, dr->surface, t);
	if (thread) {
		dr->tags.any_dest = TRUE; /* links ahead of their destinations: checked by the layout */
		dr->to_draw = g_async_queue_new();
		dr->done = g_async_queue_new();
		dr->thread = g_thread_new("octavo-draw", drawer_run, dr);
	}
	return dr;
}

/* A page drawn comes back: it lets go of its lines. */
static void
drawer_returned(Drawer *dr, Page *p)
{
	dr->returned++;
	if (!dr->keep)
		ov_pdf_page_empty(p);
}

/* Wait for the drawer's thread to draw every page handed on, and end it. */
static void
drawer_join(Drawer *dr, gboolean progress)
{
	if (dr->thread == NULL)
		return;
	g_async_queue_push(dr->to_draw, END);
	while (dr->returned < dr->pushed) {
		drawer_returned(dr, g_async_queue_pop(dr->done));
		if (progress)
			ov_progress_drawn(dr->returned, dr->lo->pages->len);
	}
	g_thread_join(dr->thread);
	dr->thread = NULL;
	g_async_queue_unref(dr->to_draw);
	g_async_queue_unref(dr->done);
}

/* Throw the drawing away: nothing more is written. */
static void
drawer_free(Drawer *dr)
{
	if (dr == NULL)
		return;
	g_atomic_int_set(&dr->abandon, 1);
	drawer_join(dr, FALSE);
	dr->cairo.err = ECANCELED; /* what Cairo writes from now on is dropped */
	if (dr->cr)
		cairo_destroy(dr->cr);
	if (dr->surface)
		cairo_surface_destroy(dr->surface);
	if (dr->cairo.f)
		fclose(dr->cairo.f);
	dr->lo->draw_d = dr->lo->d;
	ov_diags_clear(&dr->d);
	if (dr->tags.alts)
		g_ptr_array_free(dr->tags.alts, TRUE);
	g_free(dr);
}

/* Body page i is finished: nothing in the flow changes it any more. It goes into the page
 * map, and to the drawer's thread if there is one (furnished first, with Pango, here). */
void
ov_pdf_page_done(Layout *lo, guint i)
{
	Page *p = g_ptr_array_index(lo->pages, i);
	Drawer *dr = lo->drawer;
	page_map_body(lo, p, i);
	if (lo->map_only)
		ov_pdf_page_empty(p); /* no PDF: the page map was all it was for */
	if (dr == NULL || dr->thread == NULL)
		return;
	ov_pdf_page_furnish(lo, p);
	for (guint k = 0; k < p->items->len + p->fn_items->len; k++) {
		const Item *it = k < p->items->len ? &g_array_index(p->items, Item, k)
						   : &g_array_index(p->fn_items, Item, k - p->items->len);
		if (it->kind == IT_LINK && it->dest && !g_hash_table_contains(lo->dests, it->dest))
			g_hash_table_add(lo->linked, (gpointer)it->dest);
	}
	g_async_queue_push(dr->to_draw, p);
	dr->pushed++;
	for (gpointer q; (q = g_async_queue_try_pop(dr->done)) != NULL;)
		drawer_returned(dr, q);
	while (dr->pushed - dr->returned > IN_FLIGHT) /* the drawing is behind: wait for it */
		drawer_returned(dr, g_async_queue_pop(dr->done));
}

/* Every page drawn, the outline added and Cairo's file complete. */
static gboolean
drawer_end(Drawer *dr, const char *path, OvDiags *d)
{
	Layout *lo = dr->lo;
	cairo_status_t st, cst;

	if (dr->thread) {
		drawer_join(dr, TRUE);
	} else {
		for (guint i = lo->nfront; i < lo->pages->len; i++) {
			drawer_page(dr, g_ptr_array_index(lo->pages, i));
			drawer_returned(dr, g_ptr_array_index(lo->pages, i));
			ov_progress_drawn(i + 1 - lo->nfront, lo->pages->len);
		}
	}
	dr->body_top = dr->tags.top;
	dr->tags.any_dest = FALSE;
	for (guint i = 0; i < lo->nfront; i++) {
		drawer_page(dr, g_ptr_array_index(lo->pages, i));
		drawer_returned(dr, g_ptr_array_index(lo->pages, i));
		ov_progress_drawn(lo->pages->len - lo->nfront + i + 1, lo->pages->len);
	}
	outline(lo, dr->surface);
	/* the Figure elements' alt text, as they were drawn: for their /Alt (tag_repair) */
	g_ptr_array_set_size(lo->alts, 0);
	for (guint i = 0; i < dr->tags.alts->len; i++)
		g_ptr_array_add(lo->alts, g_ptr_array_index(dr->tags.alts, i));
	/* an error in the drawing (Cairo refused something it was given) leaves the rest undrawn:
	 * said as it is, not as a file that is not as expected */
	cst = cairo_status(dr->cr);
	cairo_destroy(dr->cr);
	dr->cr = NULL;
	cairo_surface_finish(dr->surface);
	st = cairo_surface_status(dr->surface);
	cairo_surface_destroy(dr->surface);
	dr->surface = NULL;
	ov_diags_append(d, &dr->d);
	lo->draw_d = d; /* PNGs of the pages report as the PDF's writing */
	if (dr->cairo.err) {
		out_error(&dr->cairo, path, d);
		return FALSE;
	}
	if (cst != CAIRO_STATUS_SUCCESS) {
		ov_error(d, ov_loc(NULL, 0, 0), "drawing the PDF failed: Cairo: %s", cairo_status_to_string(cst));
		return FALSE;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		ov_error(d, ov_loc(NULL, 0, 0), "writing the PDF failed: %s", cairo_status_to_string(st));
		d->io_failed = st == CAIRO_STATUS_WRITE_ERROR;
		return FALSE;
	}
	return TRUE;
}

/* The page labels' number tree, pages in their final order: a label of its own for each front
 * page, one decimal range for the body's. */
static char *
page_labels(Layout *lo)
{
	GString *s = g_string_new("[");
	int prev = G_MININT;
	for (guint i = 0; i < lo->pages->len; i++) {
		const Page *p = g_ptr_array_index(lo->pages, i);
		if (p->kind == PG_BODY) {
			if (p->number != prev + 1)
				g_string_append_printf(s, " %u << /S /D /St %d >>", i, p->number);
			prev = p->number;
		} else {
			char *label = ov_pdf_page_label(lo->doc, p), *t = text_string(label);
			g_string_append_printf(s, " %u << /P %s >>", i, t);
			g_free(t);
			g_free(label);
			prev = G_MININT;
		}
	}
	g_string_append(s, " ]");
	return g_string_free(s, FALSE);
}

typedef struct {
	int type;    /* 0: free, 1: at an offset in the file, 2: in an object stream */
	guint64 at;  /* the offset, or the object stream's number */
	guint gen;   /* the generation, or the index in the object stream */
} XrefEntry;

/* data deflated into a stream object numbered id, its dictionary's other keys first; at
 * zlib's default level: the best level made the manual's PDF 0.8 % smaller for 12 % more CPU
 * time (these streams are most of what finish deflates) */
static void
put_stream(Out *out, int id, const char *keys, const GString *data)
{
	uLongf len = compressBound(data->len);
	Bytef *z = g_malloc(len);
	if (compress2(z, &len, (const Bytef *)data->str, data->len, Z_DEFAULT_COMPRESSION) != Z_OK)
		len = 0; /* out of memory: g_malloc would have aborted first */
	out_printf(out, "%d 0 obj\n<< %s /Filter /FlateDecode /Length %lu >>\nstream\n", id, keys, (unsigned long)len);
	out_put(out, z, len);
	out_put(out, "\nendstream\nendobj\n", 18);
	g_free(z);
}

/* ---- packing Cairo's file ---- */

/* Cairo's file, mapped, and where each object's bytes are, from its cross-reference table. */
typedef struct {
	const char *s;
	gsize len;
	int n;          /* the table's /Size */
	guint64 *off;   /* by object number: where it starts (0: not in use) */
	guint64 *end;   /* and where the next object (or the table) starts */
	const char *trailer; /* the trailer's dictionary */
} Src;

static gboolean
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
is_delim(char c)
{
	return strchr("()<>[]{}/%", c) != NULL;
}

/* The unsigned number at *p after white space, within e; FALSE if there is none. */
static gboolean
number(const char **p, const char *e, guint64 *v)
{
	const char *s = *p;
	while (s < e && is_space(*s))
		s++;
	if (s == e || !g_ascii_isdigit(*s))
		return FALSE;
	for (*v = 0; s < e && g_ascii_isdigit(*s) && *v < G_MAXUINT64 / 10 - 10; s++)
		*v = *v * 10 + (guint64)(*s - '0');
	*p = s;
	return TRUE;
}

/* The keyword kw at *p after white space; FALSE if something else is there. */
static gboolean
keyword(const char **p, const char *e, const char *kw)
{
	const char *s = *p;
	gsize n = strlen(kw);
	while (s < e && is_space(*s))
		s++;
	if ((gsize)(e - s) < n || memcmp(s, kw, n) || (s + n < e && !is_space(s[n]) && !is_delim(s[n])))
		return FALSE;
	*p = s + n;
	return TRUE;
}

/* After the literal string at p (escapes and balanced parentheses in it); NULL if it does not
 * end before e. */
static const char *
string_end(const char *p, const char *e)
{
	int nest = 0;
	for (; p < e; p++) {
		if (*p == '\\' && ++p == e)
			break; /* a backslash as the last byte: no end */
		else if (*p == '(')
			nest++;
		else if (*p == ')' && --nest == 0)
			return p + 1;
	}
	return NULL;
}

static const char *
skip_space(const char *p, const char *e)
{
	while (p < e && (is_space(*p) || *p == '%')) {
		if (*p == '%')
			while (p < e && *p != '\n' && *p != '\r')
				p++;
		else
			p++;
	}
	return p;
}

/* After the token at p (no white space there): a literal or hex string, a name, a number or
 * keyword, or one of << >> [ ], whose nesting changes *depth. NULL if it is none of these or
 * does not end before e. */
static const char *
token_end(const char *p, const char *e, int *depth)
{
	if (*p == '(')
		return string_end(p, e);
	if ((*p == '<' || *p == '>') && p + 1 < e && p[1] == *p) {
		*depth += *p == '<' ? 1 : -1;
		return p + 2;
	}
	if (*p == '<') {
		p = memchr(p, '>', (gsize)(e - p));
		return p ? p + 1 : NULL;
	}
	if (*p == '[' || *p == ']') {
		*depth += *p == '[' ? 1 : -1;
		return p + 1;
	}
	if (is_delim(*p) && *p != '/')
		return NULL; /* ) > { }: not in a file Cairo writes */
	for (p++; p < e && !is_space(*p) && !is_delim(*p); p++)
		;
	return p;
}

/* From p, just after "N G obj", where the object's value ends: at the keyword endobj or stream
 * outside any dictionary or array, found token by token (literal strings with their escapes and
 * nesting, hex strings, dictionaries, arrays, comments), never by a search for the words, which
 * a string may hold. NULL if neither comes before e. */
static const char *
value_end(const char *p, const char *e, gboolean *stream)
{
	int depth = 0;
	while ((p = skip_space(p, e)) < e) {
		const char *t = p;
		if ((p = token_end(p, e, &depth)) == NULL || depth < 0)
			return NULL;
		if (depth == 0 && p - t == 6 && (!memcmp(t, "endobj", 6) || !memcmp(t, "stream", 6))) {
			*stream = *t == 's';
			return t;
		}
	}
	return NULL;
}

typedef struct {
	guint64 off;
	int id;
} At;

static gint
at_cmp(gconstpointer a, gconstpointer b)
{
	const At *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Cairo's cross-reference table (ISO 32000-1 7.5.4), found through the last startxref: where
 * each object is. FALSE if it is not there or not as expected. */
static gboolean
src_read(Src *src)
{
	const char *s = src->s, *e = s + src->len, *p;
	gsize from = src->len > 1024 ? src->len - 1024 : 0;
	const char *sx = g_strrstr_len(s + from, (gssize)(src->len - from), "startxref");
	guint64 x, first, count, off, gen;
	GArray *at = g_array_new(FALSE, FALSE, sizeof(At));
	GArray *offs = g_array_new(FALSE, TRUE, sizeof(guint64));

	p = sx ? sx + 9 : e;
	if (!number(&p, e, &x) || x >= src->len)
		goto bad;
	p = s + x;
	if (!keyword(&p, e, "xref"))
		goto bad;
	while (!keyword(&p, e, "trailer")) {
		if (!number(&p, e, &first) || !number(&p, e, &count) || first + count > src->len / 18)
			goto bad;
		if (offs->len < first + count)
			g_array_set_size(offs, (guint)(first + count));
		for (guint64 i = first; i < first + count; i++) {
			if (!number(&p, e, &off) || !number(&p, e, &gen))
				goto bad;
			if (keyword(&p, e, "n")) {
				At a = { off, (int)i };
				if (off == 0 || off >= x)
					goto bad;
				g_array_index(offs, guint64, i) = off;
				g_array_append_val(at, a);
			} else if (!keyword(&p, e, "f")) {
				goto bad;
			}
		}
	}
	src->trailer = p;
	src->n = (int)offs->len;
	src->off = (guint64 *)(void *)g_array_free(offs, FALSE);
	src->end = g_new0(guint64, MAX(src->n, 1));
	g_array_sort(at, at_cmp);
	for (guint k = 0; k < at->len; k++) {
		const At *a = &g_array_index(at, At, k);
		src->end[a->id] = k + 1 < at->len ? g_array_index(at, At, k + 1).off : x;
	}
	g_array_free(at, TRUE);
	return TRUE;
bad:
	g_array_free(at, TRUE);
	g_array_free(offs, TRUE);
	return FALSE;
}

/* The value from v to e onto to, each run of white space outside strings one byte (a line end
 * if it has one, which may end a comment): Cairo indents its dictionaries. */
static void
squeeze(GString *to, const char *v, const char *e)
{
	while (v < e) {
		const char *s = v;
		if (*v == '(') {
			if ((v = string_end(v, e)) == NULL)
				v = e;
			g_string_append_len(to, s, v - s);
		} else if (is_space(*v)) {
			gboolean eol = FALSE;
			for (; v < e && is_space(*v); v++)
				eol = eol || *v == '\n' || *v == '\r';
			g_string_append_c(to, eol ? '\n' : ' ');
		} else {
			g_string_append_c(to, *v++);
		}
	}
}

/* ---- the objects that change, edited as text ---- */

/* After the one value at p (after white space): a string, name, number, keyword, dictionary or
 * array, and a reference "N G R" as one value. NULL if it does not end before e. */
static const char *
item_end(const char *p, const char *e)
{
	const char *start = p = skip_space(p, e), *q;
	int depth = 0;
	guint64 a, b;

	do {
		p = skip_space(p, e);
		if (p >= e || (p = token_end(p, e, &depth)) == NULL || depth < 0)
			return NULL;
	} while (depth > 0);
	q = start;
	if (g_ascii_isdigit(*start) && number(&q, e, &a) && q == p && number(&q, e, &b) && keyword(&q, e, "R"))
		return q;
	return p;
}

/* The next key (a name) and its value of the dictionary being read at *p, which starts just
 * after its "<<"; FALSE at its ">>" or at anything unexpected (*p then NULL). */
static gboolean
dict_next(const char **p, const char *e, const char **k, const char **ke, const char **v, const char **ve)
{
	const char *s = skip_space(*p, e);
	if (s + 1 < e && s[0] == '>' && s[1] == '>')
		return FALSE;
	*p = NULL;
	if (s >= e || *s != '/' || (*ke = item_end(s, e)) == NULL || (*ve = item_end(*ke, e)) == NULL)
		return FALSE;
	*k = s;
	*v = skip_space(*ke, e);
	*p = *ve;
	return TRUE;
}

/* In the dictionary whose text is v..e, the value of key (with its slash); FALSE if it has none. */
static gboolean
dict_find(const char *v, const char *e, const char *key, const char **vs, const char **ve)
{
	const char *p = skip_space(v, e), *k, *ke;
	gsize n = strlen(key);
	if (p + 1 >= e || p[0] != '<' || p[1] != '<')
		return FALSE;
	for (p += 2; dict_next(&p, e, &k, &ke, vs, ve);)
		if ((gsize)(ke - k) == n && !memcmp(k, key, n))
			return TRUE;
	return FALSE;
}

/* The object number of the reference "N 0 R" that is v..e; 0 if it is something else. */
static int
ref_id(const char *v, const char *e)
{
	guint64 id, gen;
	return number(&v, e, &id) && number(&v, e, &gen) && gen == 0 && keyword(&v, e, "R") &&
	       skip_space(v, e) == e && id > 0 && id < G_MAXINT ? (int)id : 0;
}

/* Cairo's object id: where it starts, its generation, and its value (up to "endobj" or
 * "stream", which *stream tells); FALSE if it does not start "id G obj" with a value after. */
static gboolean
obj_parts(const Src *src, int id, const char **o, guint64 *gen, const char **v, const char **ve, gboolean *stream)
{
	const char *p = *o = src->s + src->off[id], *e = src->s + src->end[id];
	guint64 num;
	*stream = FALSE;
	if (!number(&p, e, &num) || num != (guint64)id || !number(&p, e, gen) || !keyword(&p, e, "obj") ||
	    (*ve = value_end(p, e, stream)) == NULL)
		return FALSE;
	*v = p;
	return TRUE;
}

/* The value of Cairo's object id, which is no stream; FALSE if it is not as expected. */
static gboolean
obj_value(const Src *src, int id, const char **v, const char **ve)
{
	const char *o;
	guint64 gen;
	gboolean stream;
	if (id <= 0 || id >= src->n || src->off[id] == 0 || !obj_parts(src, id, &o, &gen, v, ve, &stream) || gen != 0 ||
	    stream)
		return FALSE;
	*v = skip_space(*v, *ve);
	return TRUE;
}

/* A changed or new dictionary object: its keys (names, with the slash) and values, as text. */
typedef struct {
	GPtrArray *keys, *vals;
} Dict;

static void
dict_free(Dict *d)
{
	g_ptr_array_free(d->keys, TRUE);
	g_ptr_array_free(d->vals, TRUE);
	g_free(d);
}

static Dict *
dict_new(void)
{
	Dict *d = g_new(Dict, 1);
	d->keys = g_ptr_array_new_with_free_func(g_free);
	d->vals = g_ptr_array_new_with_free_func(g_free);
	return d;
}

/* key's value set to val, which the dictionary takes */
static void
dict_put(Dict *d, const char *key, char *val)
{
	for (guint i = 0; i < d->keys->len; i++)
		if (!strcmp(g_ptr_array_index(d->keys, i), key)) {
			g_free(g_ptr_array_index(d->vals, i));
			g_ptr_array_index(d->vals, i) = val;
			return;
		}
	g_ptr_array_add(d->keys, g_strdup(key));
	g_ptr_array_add(d->vals, val);
}

static void
dict_text(const Dict *d, GString *to)
{
	g_string_append(to, "<<");
	for (guint i = 0; i < d->keys->len; i++)
		g_string_append_printf(to, " %s %s", (char *)g_ptr_array_index(d->keys, i), (char *)g_ptr_array_index(d->vals, i));
	g_string_append(to, " >>");
}

/* A text string (ISO 32000-1 7.9.2.2): literal if it is printable ASCII, else UTF-16BE. */
static char *
text_string(const char *utf8)
{
	GString *s = g_string_new(NULL);
	const char *c;
	for (c = utf8; *c && *c >= 0x20 && *c < 0x7f; c++)
		;
	if (*c == '\0') {
		g_string_append_c(s, '(');
		for (c = utf8; *c; c++) {
			if (*c == '(' || *c == ')' || *c == '\\')
				g_string_append_c(s, '\\');
			g_string_append_c(s, *c);
		}
		g_string_append_c(s, ')');
	} else {
		glong n = 0;
		gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
		g_string_append(s, "<FEFF");
		for (glong i = 0; u && i < n; i++)
			g_string_append_printf(s, "%04X", u[i]);
		g_string_append_c(s, '>');
		g_free(u);
	}
	return g_string_free(s, FALSE);
}

/* The finishing of Cairo's file: the changed and new objects by number. */
typedef struct {
	const Src *src;
	GHashTable *changed; /* object number to Dict */
	int size;            /* the next free object number */
	int bad;             /* the first of Cairo's objects found not as expected */
	int doc;             /* the Document element, or 0 */
	guint8 *under_doc;   /* bit by object number: an element whose parent becomes doc (set as
	                      * it is written: there is one for each top-level element) */
	int xmp;             /* the XMP metadata stream's number, or 0 */
	GString *xmp_data;   /* and its packet */
} Fin;

/* Cairo's object id as a Dict; NULL if it is no dictionary as expected. */
static Dict *
dict_read(const Src *src, int id)
{
	const char *v, *e, *p, *k, *ke, *vs, *ve;
	Dict *d;
	if (!obj_value(src, id, &v, &e) || (p = v) + 1 >= e || p[0] != '<' || p[1] != '<')
		return NULL;
	d = dict_new();
	for (p += 2; dict_next(&p, e, &k, &ke, &vs, &ve);) {
		GString *val = g_string_new(NULL);
		squeeze(val, vs, ve);
		g_ptr_array_add(d->keys, g_strndup(k, (gsize)(ke - k)));
		g_ptr_array_add(d->vals, g_string_free(val, FALSE));
	}
	if (p == NULL) {
		dict_free(d);
		return NULL;
	}
	return d;
}

/* Object id as a Dict to change: Cairo's own read once, then the same. NULL if it is no
 * dictionary as expected (f->bad set). */
static Dict *
edit(Fin *f, int id)
{
	Dict *d = g_hash_table_lookup(f->changed, GINT_TO_POINTER(id));
	if (d)
		return d;
	if ((d = dict_read(f->src, id)) == NULL) {
		f->bad = f->bad ? f->bad : id;
		return NULL;
	}
	g_hash_table_insert(f->changed, GINT_TO_POINTER(id), d);
	return d;
}

static gboolean
under_doc(const Fin *f, int id)
{
	return f->under_doc && id < f->size && (f->under_doc[id / 8] >> (id % 8) & 1);
}

/* A new object, numbered after Cairo's. */
static Dict *
fresh(Fin *f, int *id)
{
	Dict *d = dict_new();
	*id = f->size++;
	g_hash_table_insert(f->changed, GINT_TO_POINTER(*id), d);
	return d;
}

typedef struct {
	const char *p, *e; /* the rest of a /K array of the structure tree */
} KidsAt;

/* The items of the array [v, e) with its last n first; NULL if it has not all items. */
static char *
last_first(const char *v, const char *e, guint n, guint all)
{
	GPtrArray *items = g_ptr_array_new();
	GString *s;
	guint len;
	if (v >= e || *v != '[' || e[-1] != ']') {
		g_ptr_array_free(items, TRUE);
		return NULL;
	}
	for (const char *p = v + 1, *q; (q = item_end(p, e - 1)) != NULL; p = q)
		g_ptr_array_add(items, g_strndup(skip_space(p, q), (gsize)(q - skip_space(p, q))));
	len = items->len;
	if (len < n || len != all) {
		g_ptr_array_set_free_func(items, g_free);
		g_ptr_array_free(items, TRUE);
		return NULL;
	}
	s = g_string_new("[");
	for (guint i = 0; i < len; i++) {
		char *it = g_ptr_array_index(items, (i + len - n) % len);
		g_string_append_printf(s, " %s", it);
		g_free(it);
	}
	g_string_append(s, " ]");
	g_ptr_array_free(items, TRUE);
	return g_string_free(s, FALSE);
}

/* What the drawing did to the order (drawer_end): the front matter's pages and top structure
 * elements were drawn last. */
typedef struct {
	guint nfront, npages;
	int front_top, top; /* top structure elements of the front matter's pages; of all */
	char *labels;       /* the page labels' /Nums, pages in their final order */
} Order;

/* The front matter's pages first in the page tree (Cairo's has one level). */
static void
front_pages_first(Fin *f, Dict *root, const Order *o)
{
	for (guint i = 0; i < root->keys->len; i++)
		if (!strcmp(g_ptr_array_index(root->keys, i), "/Pages")) {
			const char *v = g_ptr_array_index(root->vals, i), *kv, *ke, *pv, *pe;
			int id = ref_id(v, v + strlen(v));
			Dict *pages;
			char *kids;
			if (id == 0 || !obj_value(f->src, id, &pv, &pe) || !dict_find(pv, pe, "/Kids", &kv, &ke) ||
			    (pages = edit(f, id)) == NULL || (kids = last_first(kv, ke, o->nfront, o->npages)) == NULL) {
				f->bad = f->bad ? f->bad : id ? id : 1;
				return;
			}
			dict_put(pages, "/Kids", kids);
			return;
		}
}

/* Cairo 1.16 writes a structure tree but no /MarkInfo and no Document element (one spanning
 * pages trips an assertion in it), and drops the alt text of figures. */
static void
tag_repair(Layout *lo, Fin *f, Dict *root, const Order *o)
{
	const char *tv, *te, *kv, *ke;
	int tree = 0, doc;
	Dict *d, *el;
	guint alt = 0;
	GArray *stack;
	KidsAt at;

	for (guint i = 0; i < root->keys->len && !tree; i++)
		if (!strcmp(g_ptr_array_index(root->keys, i), "/StructTreeRoot")) {
			const char *v = g_ptr_array_index(root->vals, i);
			tree = ref_id(v, v + strlen(v));
		}
	if (tree == 0 || !obj_value(f->src, tree, &tv, &te))
		return;
	dict_put(root, "/MarkInfo", g_strdup("<< /Marked true >>"));
	dict_put(root, "/ViewerPreferences", g_strdup("<< /DisplayDocTitle true >>"));
	/* one Document element holds what Cairo put at the top */
	if (!dict_find(tv, te, "/K", &kv, &ke) || *kv != '[')
		return;
	d = fresh(f, &doc);
	dict_put(d, "/Type", g_strdup("/StructElem"));
	dict_put(d, "/S", g_strdup("/Document"));
	dict_put(d, "/P", g_strdup_printf("%d 0 R", tree));
	{
		/* the front matter's elements first, as its pages */
		char *kids = last_first(kv, ke, (guint)o->front_top, (guint)o->top);
		dict_put(d, "/K", kids ? kids : g_strndup(kv, (gsize)(ke - kv)));
	}
	if ((el = edit(f, tree)) == NULL)
		return;
	dict_put(el, "/K", g_strdup_printf("[ %d 0 R ]", doc));
	at = (KidsAt){ kv + 1, ke - 1 };
	f->doc = doc;
	f->under_doc = g_malloc0((gsize)f->size / 8 + 1);
	for (const char *p = at.p, *q; (q = item_end(p, at.e)) != NULL; p = q) {
		int id = ref_id(skip_space(p, q), q);
		if (id > 0 && id < f->size)
			f->under_doc[id / 8] |= (guint8)(1 << (id % 8));
		else if (id)
			f->bad = f->bad ? f->bad : id;
	}
	/* figures' alt text, in document order (a depth-first walk with a stack, no recursion),
	 * read from Cairo's objects: /S and /K are never changed */
	stack = g_array_new(FALSE, FALSE, sizeof(KidsAt));
	g_array_append_val(stack, at);
	while (stack->len && alt < lo->alts->len) {
		KidsAt *k = &g_array_index(stack, KidsAt, stack->len - 1);
		const char *q = item_end(k->p, k->e), *v, *e, *sv, *se;
		int id;
		if (q == NULL) {
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		id = ref_id(skip_space(k->p, q), q);
		k->p = q;
		if (id == 0 || !obj_value(f->src, id, &v, &e) || !dict_find(v, e, "/S", &sv, &se))
			continue;
		if (se - sv == 7 && !memcmp(sv, "/Figure", 7)) {
			const char *text = g_ptr_array_index(lo->alts, alt++);
			if (*text && (el = edit(f, id)) != NULL)
				dict_put(el, "/Alt", text_string(text));
		}
		/* /K is an array, or the one kid itself (Cairo writes a lone kid so) */
		if (dict_find(v, e, "/K", &sv, &se) && (*sv == '[' || ref_id(sv, se)) && stack->len < 64) {
			at = *sv == '[' ? (KidsAt){ sv + 1, se - 1 } : (KidsAt){ sv, se };
			g_array_append_val(stack, at);
		}
	}
	g_array_free(stack, TRUE);
}

#define PACK_MAX 200 /* objects in one object stream */

/* An XMP element: a simple property, or an array (Seq, Bag, Alt) of one item for each value. */
static void
xmp_prop(GString *x, const char *name, const char *array, const char *const *values, guint n)
{
	if (n == 0 || values[0] == NULL || values[0][0] == '\0')
		return;
	g_string_append_printf(x, "   <%s>", name);
	if (array)
		g_string_append_printf(x, "<rdf:%s>", array);
	for (guint i = 0; i < n; i++) {
		char *t = g_markup_escape_text(values[i], -1);
		if (array)
			g_string_append_printf(x, "<rdf:li%s>%s</rdf:li>",
					       strcmp(array, "Alt") == 0 ? " xml:lang=\"x-default\"" : "", t);
		else
			g_string_append(x, t);
		g_free(t);
	}
	if (array)
		g_string_append_printf(x, "</rdf:%s>", array);
	g_string_append_printf(x, "</%s>\n", name);
}

/* The document's XMP metadata (ISO 32000-1 14.3.2), which PDF/A and PDF/UA tools and most
 * catalogues read rather than the /Info dictionary: the same title, authors, subject, keywords,
 * dates and tools, and more the book has (language, publisher, rights, date, identifier). The
 * identifier is the EPUB's dc:identifier: both outputs name one book. */
static GString *
xmp_packet(const Layout *lo, const char *iso, const char *producer)
{
	const OvMeta *m = &lo->doc->meta;
	GString *x = g_string_new("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
				  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
				  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
				  "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
				  " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\""
				  " xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n");
	char *id = ov_meta_identifier(lo->doc), *abs = ov_meta_abstract(lo->doc), *date = ov_meta_date(m);
	GString *keywords = g_string_new(NULL);
	const char *format = "application/pdf", *creator = "octavo " OCTAVO_VERSION;

	for (guint i = 0; i < m->keywords->len; i++) /* as Cairo writes /Keywords */
		g_string_append_printf(keywords, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(m->keywords, i));

	xmp_prop(x, "dc:format", NULL, &format, 1);
	xmp_prop(x, "dc:title", "Alt", &m->title, 1);
	xmp_prop(x, "dc:creator", "Seq", (const char *const *)m->authors->pdata, m->authors->len);
	xmp_prop(x, "dc:description", "Alt", (const char *const *)&abs, 1);
	xmp_prop(x, "dc:subject", "Bag", (const char *const *)m->keywords->pdata, m->keywords->len);
	xmp_prop(x, "dc:language", "Bag", &m->lang, 1);
	xmp_prop(x, "dc:publisher", "Bag", &m->publisher, 1);
	xmp_prop(x, "dc:rights", "Alt", &m->copyright, 1);
	xmp_prop(x, "dc:date", "Seq", (const char *const *)&date, 1);
	xmp_prop(x, "dc:identifier", NULL, (const char *const *)&id, 1);
	xmp_prop(x, "xmp:CreateDate", NULL, &iso, 1);
	xmp_prop(x, "xmp:ModifyDate", NULL, &iso, 1);
	xmp_prop(x, "xmp:MetadataDate", NULL, &iso, 1);
	xmp_prop(x, "xmp:CreatorTool", NULL, &creator, 1);
	xmp_prop(x, "pdf:Producer", NULL, &producer, 1);
	xmp_prop(x, "pdf:Keywords", NULL, (const char *const *)&keywords->str, 1);
	xmp_prop(x, "xmpMM:DocumentID", NULL, (const char *const *)&id, 1);
	g_string_append(x, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
	g_free(id);
	g_free(abs);
	g_free(date);
	g_string_free(keywords, TRUE);
	return x;
}

/* The objects in the output so far, and the object stream being filled. */
typedef struct {
	Out *out;
	GArray *xref;  /* XrefEntry by object number */
	int next;      /* the next free object number */
	int stm;       /* the object stream's number */
	guint count;   /* objects in it */
	GString *head, *body;
} Pack;

static XrefEntry *
entry(Pack *pk, int id)
{
	if ((guint)id >= pk->xref->len)
		g_array_set_size(pk->xref, (guint)id + 1);
	return &g_array_index(pk->xref, XrefEntry, id);
}

static void
pack_flush(Pack *pk)
{
	char *keys;
	if (pk->count == 0)
		return;
	*entry(pk, pk->stm) = (XrefEntry){ 1, pk->out->len, 0 };
	keys = g_strdup_printf("/Type /ObjStm /N %u /First %" G_GSIZE_FORMAT, pk->count, pk->head->len);
	g_string_append_len(pk->head, pk->body->str, (gssize)pk->body->len);
	put_stream(pk->out, pk->stm, keys, pk->head);
	g_free(keys);
	g_string_truncate(pk->head, 0);
	g_string_truncate(pk->body, 0);
	pk->count = 0;
}

/* Object id, of generation 0 and no stream, whose value is the n bytes at v: into the object
 * stream (ISO 32000-1 7.5.7). */
static void
pack_add(Pack *pk, int id, const char *v, gsize n)
{
	while (n && is_space(*v))
		v++, n--;
	while (n && is_space(v[n - 1]))
		n--;
	if (pk->count == 0)
		pk->stm = pk->next++;
	g_string_append_printf(pk->head, "%d %" G_GSIZE_FORMAT " ", id, pk->body->len);
	squeeze(pk->body, v, v + n);
	g_string_append_c(pk->body, '\n');
	*entry(pk, id) = (XrefEntry){ 2, (guint64)pk->stm, pk->count++ };
	if (pk->count == PACK_MAX)
		pack_flush(pk);
}

/* Object id of Cairo's file: a stream (or an object of another generation) copied as it is,
 * any other object's value into the object stream. FALSE if it is not as expected. */
static gboolean
pack_copy(Pack *pk, const Src *src, int id)
{
	const char *o, *e = src->s + src->end[id], *p, *v;
	guint64 gen;
	gboolean stream;

	if (!obj_parts(src, id, &o, &gen, &p, &v, &stream) || gen > 65535)
		return FALSE;
	if (!stream && gen == 0) {
		pack_add(pk, id, p, (gsize)(v - p));
		return TRUE;
	}
	while (e > v && is_space(e[-1]))
		e--;
	if (e - v < 6 || memcmp(e - 6, "endobj", 6))
		return FALSE;
	*entry(pk, id) = (XrefEntry){ 1, pk->out->len, (guint)gen };
	out_put(pk->out, o, (gsize)(e - o));
	out_put(pk->out, "\n", 1);
	return TRUE;
}

/* The cross-reference stream (ISO 32000-1 7.5.8) with the trailer's keys, rows of a type byte,
 * w bytes of offset or object stream and 2 of generation or index, each row the difference to
 * the one before (PNG Up predictor), as qpdf writes it. The /ID is the hash of the file before
 * it. */
static void
put_xref(Pack *pk, int root, int info)
{
	int id = pk->next++, w = 1;
	guint64 at = pk->out->len;
	guint cols;
	GString *rows = g_string_new(NULL);
	guint8 *prev, *row;
	GChecksum *sum = g_checksum_copy(pk->out->sum);
	char *keys;

	*entry(pk, id) = (XrefEntry){ 1, at, 0 };
	*entry(pk, 0) = (XrefEntry){ 0, 0, 65535 };
	while (w < 8 && at >> (8 * w))
		w++;
	cols = 1 + (guint)w + 2;
	prev = g_malloc0(cols);
	row = g_malloc(cols);
	for (guint k = 0; k < pk->xref->len; k++) {
		const XrefEntry *x = &g_array_index(pk->xref, XrefEntry, k);
		row[0] = (guint8)x->type;
		for (int b = 0; b < w; b++)
			row[1 + b] = (guint8)(x->at >> (8 * (w - 1 - b)));
		row[cols - 2] = (guint8)(x->gen >> 8);
		row[cols - 1] = (guint8)x->gen;
		g_string_append_c(rows, 2);
		for (guint b = 0; b < cols; b++)
			g_string_append_c(rows, (char)(guint8)(row[b] - prev[b]));
		memcpy(prev, row, cols);
	}
	keys = g_strdup_printf("/Type /XRef /Size %u /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] /W [1 %d 2]"
			       " /DecodeParms << /Columns %u /Predictor 12 >>", pk->xref->len, root, info,
			       g_checksum_get_string(sum), g_checksum_get_string(sum), w, cols);
	put_stream(pk->out, id, keys, rows);
	out_printf(pk->out, "startxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n", at);
	g_free(keys);
	g_free(prev);
	g_free(row);
	g_checksum_free(sum);
	g_string_free(rows, TRUE);
}

/* The mapped pages of Cairo's file read so far dropped from memory (they stay in the page
 * cache, and are read again if asked for): its every byte is read once, and would otherwise
 * add the whole file to the peak memory of a long book. */
static void
src_drop(const Src *src)
{
#ifdef MADV_DONTNEED
	madvise((void *)src->s, src->len, MADV_DONTNEED);
#else
	(void)src;
#endif
}

/* The object the trailer's key refers to; 0 if it has none. */
static int
trailer_ref(const Src *src, const char *key)
{
	const char *v, *e;
	return dict_find(src->trailer, src->s + src->len, key, &v, &e) ? ref_id(v, e) : 0;
}

/* The finished PDF in one pass over Cairo's objects, in their numbers' order: streams copied,
 * the other objects packed into deflated object streams, the changed ones in their new form
 * (a top-level element's /P set to the Document as it is written), then one cross-reference
 * stream. Returns 0, or the number of an object of Cairo's that is not
 * as expected. */
static int
pack(Fin *f, int root, int info, Out *out)
{
	const Src *src = f->src;
	/* a row for each object: Cairo's, the object streams and the cross-reference stream */
	GArray *xref = g_array_sized_new(FALSE, TRUE, sizeof(XrefEntry), (guint)(f->size + f->size / PACK_MAX + 2));
	Pack pk = { out, xref, f->size, 0, 0, g_string_new(NULL), g_string_new(NULL) };
	GString *text = g_string_new(NULL);
	guint64 read = 0;
	int bad = 0;

	out_put(out, "%PDF-1.5\n%\xb5\xed\xae\xfb\n", 15);
	for (int id = 1; id < f->size && !bad; id++) {
		Dict *d = g_hash_table_lookup(f->changed, GINT_TO_POINTER(id)), *own = NULL;
		if (d == NULL && under_doc(f, id) && (d = own = dict_read(src, id)) == NULL) {
			bad = id;
		} else if (d) {
			if (under_doc(f, id))
				dict_put(d, "/P", g_strdup_printf("%d 0 R", f->doc));
			g_string_truncate(text, 0);
			dict_text(d, text);
			pack_add(&pk, id, text->str, text->len);
			if (own)
				dict_free(own);
		} else if (id == f->xmp) {
			/* not deflated: PDF/A asks that a file's metadata be readable as it is */
			*entry(&pk, id) = (XrefEntry){ 1, out->len, 0 };
			out_printf(out, "%d 0 obj\n<< /Type /Metadata /Subtype /XML /Length %" G_GSIZE_FORMAT " >>\nstream\n", id,
				   f->xmp_data->len);
			out_put(out, f->xmp_data->str, f->xmp_data->len);
			out_put(out, "\nendstream\nendobj\n", 18);
		} else if (id < src->n && src->off[id]) {
			if (!pack_copy(&pk, src, id))
				bad = id;
			read += src->end[id] - src->off[id];
			if (read > 1 << 20) {
				src_drop(src);
				read = 0;
			}
		}
	}
	if (!bad) {
		pack_flush(&pk);
		put_xref(&pk, root, info);
	}
	g_array_free(pk.xref, TRUE);
	g_string_free(pk.head, TRUE);
	g_string_free(pk.body, TRUE);
	g_string_free(text, TRUE);
	return bad;
}

/* What Cairo 1.16 cannot do: PDF dates (with D:), the document language, XMP metadata, the Document element,
 * figures' alt text, a /ID that depends only on the content, and compact files (object and
 * cross-reference streams). Cairo's file is mapped; only its cross-reference table, its
 * trailer and the objects that change are parsed (its structure tree is walked in place), and
 * the output is written in one pass over its objects (pack). */
static gboolean
finish(Layout *lo, Out *cairo, Out *out, gint64 t, const char *path, const Order *o, OvDiags *d)
{
	char *date;
	GMappedFile *map;
	GError *err = NULL;
	Src src = { 0 };
	Fin f = { .src = &src };
	const char *v, *e;
	Dict *info = NULL, *root = NULL;
	guint64 size;
	int root_id = 0, info_id = 0, labels;
	gboolean ok;

	if (fflush(cairo->f) != 0) {
		cairo->err = errno;
		out_error(cairo, path, d);
		return FALSE;
	}
	map = g_mapped_file_new_from_fd(fileno(cairo->f), FALSE, &err);
	if (map == NULL) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read back %s: %s", path, err->message);
		g_error_free(err);
		d->io_failed = TRUE;
		return FALSE;
	}
	src.s = g_mapped_file_get_contents(map);
	src.len = MIN(cairo->len, g_mapped_file_get_length(map));
	if (src.s == NULL || !src_read(&src)) {
		ov_error(d, ov_loc(NULL, 0, 0), "finishing the PDF failed: Cairo's output has no cross-reference table as expected");
		d->io_failed = TRUE; /* octavo's own file did not read back: never the input's fault */
		g_mapped_file_unref(map);
		return FALSE;
	}
	f.changed = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)dict_free);
	date = date_string(t, "D:%Y%m%d%H%M%SZ");
	if (dict_find(src.trailer, src.s + src.len, "/Size", &v, &e) && number(&v, e, &size) && size == (guint64)src.n) {
		f.size = src.n;
		root_id = trailer_ref(&src, "/Root");
		info_id = trailer_ref(&src, "/Info");
	}
	if (root_id == 0 || (root = edit(&f, root_id)) == NULL) {
		f.bad = f.bad ? f.bad : root_id;
	} else {
		char *producer = g_strdup_printf("octavo %s with cairo %s", OCTAVO_VERSION, cairo_version_string());
		char *iso = date_string(t, "%Y-%m-%dT%H:%M:%SZ");
		info = info_id ? edit(&f, info_id) : fresh(&f, &info_id);
		if (info) {
			dict_put(info, "/CreationDate", text_string(date));
			dict_put(info, "/ModDate", text_string(date));
			dict_put(info, "/Producer", text_string(producer)); /* not Cairo's alone: octavo made it */
		}
		f.xmp = f.size++;
		f.xmp_data = xmp_packet(lo, iso, producer);
		dict_put(root, "/Metadata", g_strdup_printf("%d 0 R", f.xmp));
		g_free(producer);
		g_free(iso);
		dict_put(root, "/Lang", text_string(lo->doc->meta.lang));
		dict_put(fresh(&f, &labels), "/Nums", g_strdup(o->labels));
		dict_put(root, "/PageLabels", g_strdup_printf("%d 0 R", labels));
		front_pages_first(&f, root, o);
		tag_repair(lo, &f, root, o);
	}
	src_drop(&src);
	if (root && !f.bad)
		f.bad = pack(&f, root_id, info_id, out);
	ok = root && !f.bad;
	if (!ok) {
		if (f.bad)
			ov_error(d, ov_loc(NULL, 0, 0), "finishing the PDF failed: object %d of Cairo's output is not as expected", f.bad);
		else
			ov_error(d, ov_loc(NULL, 0, 0), "finishing the PDF failed: Cairo's trailer is not as expected");
		d->io_failed = TRUE; /* octavo's own file did not read back: never the input's fault */
	} else if (out->err) {
		out_error(out, path, d);
		ok = FALSE;
	}
	g_mapped_file_unref(map);
	g_hash_table_destroy(f.changed);
	if (f.xmp_data)
		g_string_free(f.xmp_data, TRUE);
	g_free(f.under_doc);
	g_free(src.off);
	g_free(src.end);
	g_free(date);
	return ok;
}

static void
dump_items(GString *s, GArray *items, const char *indent)
{
	for (guint k = 0; k < items->len; k++) {
		const Item *it = &g_array_index(items, Item, k);
		switch (it->kind) {
		case IT_LINE: {
			const char *t = it->line->text + it->line->start;
			char *text = g_strndup(t, (gsize)it->line->len);
			g_strdelimit(text, "\n", ' ');
			/* a hyphen added at the break shows as "-" after the quotes */
			g_string_append_printf(s, "%sline %.1f %.1f \"%s\"%s\n", indent, it->x, it->y, text,
					       it->line->hyphen ? "-" : "");
			g_free(text);
			break;
		}
		case IT_RULE:
			g_string_append_printf(s, "%srule %.1f %.1f %.1f %.1f\n", indent, it->x, it->y, it->w, it->h);
			break;
		case IT_IMAGE:
			g_string_append_printf(s, "%simage %.1f %.1f %.1f %.1f %s\n", indent, it->x, it->y, it->w, it->h, it->img->href);
			break;
		case IT_LINK:
			g_string_append_printf(s, "%slink %.1f %.1f %.1f %.1f %s%s\n", indent, it->x, it->y, it->w, it->h,
					       it->dest ? "#" : "", it->dest ? it->dest : it->uri);
			break;
		case IT_MARK:
			g_string_append_printf(s, "%smark %.1f %.1f\n", indent, it->x, it->y);
			break;
		case IT_DEST:
			break;
		}
	}
}

/* The pages as text: one line per box, for golden tests and for people chasing a layout bug. */
static gboolean
write_layout(Layout *lo, const char *path, OvDiags *d)
{
	GString *s = g_string_new(NULL);
	gboolean ok;
	static const char *const kinds[] = { "cover", "title", "front", "body" };

	for (guint i = 0; i < lo->pages->len; i++) {
		const Page *p = g_ptr_array_index(lo->pages, i);
		char *label = ov_pdf_page_label(lo->doc, p);
		g_string_append_printf(s, "page %u %s label=%s%s%s\n", i + 1, kinds[p->kind], label, p->opening ? " opening" : "",
				       p->blank ? " blank" : "");
		g_free(label);
		dump_items(s, p->items, "  ");
		if (p->fn_items->len) {
			g_string_append_printf(s, "  notes %.1f\n", p->fn_height);
			dump_items(s, p->fn_items, "    ");
		}
	}
	ok = ov_pdf_save_text(path, s, d);
	g_string_free(s, TRUE);
	return ok;
}

gboolean
ov_pdf_save_text(const char *path, const GString *s, OvDiags *d)
{
	/* straight into path: the build's temporary file, put in place with the other outputs */
	FILE *f = g_fopen(path, "wb");
	int err = 0;

	if (f == NULL) {
		err = errno;
	} else {
		errno = 0;
		if (fwrite(s->str, 1, s->len, f) != s->len)
			err = errno ? errno : EIO;
		if (fclose(f) != 0 && err == 0)
			err = errno ? errno : EIO;
	}
	if (err) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: %s", path, g_strerror(err));
		d->io_failed = TRUE;
	}
	return err == 0;
}

static gboolean
write_pngs(Layout *lo, const OvPdfOptions *o, OvDiags *d)
{
	double scale = o->png_dpi / 72.0;
	if (g_mkdir_with_parents(o->png_dir, 0777) != 0) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot create the folder %s: %s", o->png_dir, g_strerror(errno));
		d->io_failed = TRUE;
		return FALSE;
	}
	for (guint i = 0; i < lo->pages->len; i++) {
		cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(lo->page_w * scale + 0.5), (int)(lo->page_h * scale + 0.5));
		cairo_t *cr = cairo_create(s);
		char *file = g_strdup_printf("%s/page-%03u.png", o->png_dir, i + 1);
		cairo_status_t st;
		cairo_scale(cr, scale, scale);
		ov_pdf_draw_page(lo, NULL, cr, g_ptr_array_index(lo->pages, i));
		cairo_destroy(cr);
		ov_progress_drawn(i + 1, lo->pages->len);
		st = cairo_surface_write_to_png(s, file);
		cairo_surface_destroy(s);
		if (st != CAIRO_STATUS_SUCCESS) {
			ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: %s", file, cairo_status_to_string(st));
			d->io_failed = TRUE;
			g_free(file);
			return FALSE;
		}
		g_free(file);
	}
	return TRUE;
}

/* ---- the page map ---- */

/* The first child of n that the PDF sets first: index terms, anchors and an attribution print
 * nothing where they stand, a figure shows its image before its title, a formal paragraph
 * sets its title inside its first paragraph. */
static const OvNode *
first_printed(const OvNode *n)
{
	gboolean title_later = n->type == OV_FORMALPARA ||
			       (n->type == OV_FIGURE && !(n->tag && strstr(n->tag, "example")) && ov_node_child(n, OV_MEDIAOBJECT));
	for (const OvNode *c = n->first; c; c = c->next) {
		if (c->type == OV_INDEXTERM || c->type == OV_ANCHOR || c->type == OV_ATTRIBUTION || c->type == OV_INFO ||
		    (c->type == OV_TITLE && title_later))
			continue;
		return c;
	}
	return NULL;
}

/* A page that begins with block b begins with every block b is the first thing of. */
static const OvNode *
outer_block(const OvNode *b)
{
	while (b->parent && b->parent->type != OV_DOCUMENT && b->parent->type != OV_INFO && first_printed(b->parent) == b)
		b = b->parent;
	return b;
}

/* Where the last line looked up was: lines come in order, so a 1 MB paragraph walks its text
 * once, not once per line. It holds its text source, whose address then names no other. */
struct TextWalk {
	TextSource *ts;
	const Span *run;
	const char *lt, *p, *q;
	/* the last word word_start went to the end of: text word_t holds no space from word_from
	 * to word_end, where a space or the text's end is (a word over many pages is walked once) */
	const char *word_t;
	gsize word_from, word_end;
};

static void
text_walk_free(TextWalk *w)
{
	if (w == NULL)
		return;
	ov_pdf_text_source_unref(w->ts);
	g_free(w);
}

/* Where the model text at byte idx of a paragraph's text lt is (ts: where the model's text is
 * in lt): a text-bearing node and a byte offset in its text (any character the model does not
 * have, such as a soft hyphen, is passed over). FALSE when no model text is at or after idx. */
/* The run of the model's text that follows run in a paragraph (the one with the smallest
 * start after it), or NULL. */
static const Span *
next_run(const TextSource *ts, const Span *run)
{
	const Span *next = NULL;
	for (guint i = 0; i < ts->runs->len; i++) {
		const Span *sp = &g_array_index(ts->runs, Span, i);
		if (sp->text && sp->start > run->start && (next == NULL || sp->start < next->start))
			next = sp;
	}
	return next;
}

static gboolean
model_text_at(TextWalk *w, TextSource *ts, const char *lt, int idx, const OvNode **node, gsize *offset, gboolean *lead)
{
	const Span *run = NULL;
	const char *p, *q, *t;

	for (guint i = 0; i < ts->runs->len; i++) {
		const Span *sp = &g_array_index(ts->runs, Span, i);
		if (sp->text && sp->end > idx && (run == NULL || sp->start < run->start))
			run = sp;
	}
	if (run == NULL || (t = ov_pagemap_node_text(run->text)) == NULL)
		return FALSE;
	p = lt + run->start;
	q = t;
	if (w->ts == ts && w->lt == lt && w->run == run && w->p <= lt + idx) {
		p = w->p;
		q = w->q;
	}
	for (;;) {
		const Span *next;
		while (p < lt + idx && *q) {
			gunichar a = g_utf8_get_char(p), b = g_utf8_get_char(q);
			if (a == b)
				q = g_utf8_next_char(q);
			p = g_utf8_next_char(p);
		}
		if (p >= lt + idx)
			break;
		/* the node's text ends before the line starts (what follows it on the line before
		 * is generated: a closing quotation mark, a note's call): the line starts in the
		 * next node's text */
		next = next_run(ts, run);
		if (next == NULL || (t = ov_pagemap_node_text(next->text)) == NULL) {
			t = ov_pagemap_node_text(run->text);
			break;
		}
		run = next;
		p = lt + run->start;
		q = t;
	}
	if (w->ts != ts) {
		ov_pdf_text_source_unref(w->ts);
		w->ts = ov_pdf_text_source_ref(ts);
	}
	w->run = run;
	w->lt = lt;
	w->p = p;
	w->q = q;
	*node = run->text;
	*offset = (gsize)(q - t);
	*lead = run->start > idx; /* generated text (an opening quotation mark) comes first */
	return TRUE;
}

/* A page break is never inside a word: from inside a run of letters, go to the next word. */
static gsize
word_start(TextWalk *w, const char *t, gsize off)
{
	if (off > 0 && t[off] && !g_unichar_isspace(g_utf8_get_char(g_utf8_find_prev_char(t, t + off)))) {
		if (w->word_t == t && off >= w->word_from && off < w->word_end) {
			off = w->word_end;
		} else {
			w->word_t = t;
			w->word_from = off;
			while (t[off] && !g_unichar_isspace(g_utf8_get_char(t + off)))
				off = (gsize)(g_utf8_next_char(t + off) - t);
			w->word_end = off;
		}
	}
	while (t[off] && g_unichar_isspace(g_utf8_get_char(t + off)))
		off = (gsize)(g_utf8_next_char(t + off) - t);
	return off;
}

/* A word broken across pages ended the text of run (*node's), and what goes on with it on
 * the page is generated (a note's call, a closing quotation mark) or in the next node
 * (".", "”"): the page starts at the next word of the next text of the paragraph, if any. */
static void
next_word(const TextSource *ts, const Span *run, const OvNode **node, gsize *off)
{
	const Span *next = next_run(ts, run);
	const char *t;
	gsize o = 0;

	if (next == NULL || (t = ov_pagemap_node_text(next->text)) == NULL)
		return;
	while (t[o] && !g_unichar_isspace(g_utf8_get_char(t + o))) /* the rest of the word: "." */
		o = (gsize)(g_utf8_next_char(t + o) - t);
	while (t[o] && g_unichar_isspace(g_utf8_get_char(t + o)))
		o = (gsize)(g_utf8_next_char(t + o) - t);
	if (t[o] == '\0')
		return;
	*node = next->text;
	*off = o;
}

/* Where an item's model text starts: position (document order), and the node and offset (or
 * the block) it begins. FALSE for an item with no model text. */
typedef struct {
	guint64 pos;
	const OvNode *block, *node;
	gsize off;
} Start;

static gboolean
item_start(Layout *lo, const Item *it, Start *st)
{
	const TextSource *ts = it->ts;
	gboolean lead;
	memset(st, 0, sizeof *st);
	if (it->kind == IT_IMAGE && it->img && it->img->node) {
		st->block = outer_block(it->img->node);
		st->pos = ov_pagemap_pos(st->block, 0);
		return TRUE;
	}
	if (it->kind != IT_LINE || it->line == NULL || ts == NULL ||
	    !model_text_at(lo->walk, it->ts, it->line->text, it->line->start, &st->node, &st->off, &lead))
		return FALSE;
	if (it->line->start == 0 && ts->node) { /* the first line of a block */
		st->block = outer_block(ts->node);
		st->pos = ov_pagemap_pos(st->block, 0);
	} else if (lead && st->off == 0 && st->node->prev == NULL && st->node->parent &&
		   st->node->parent->type == OV_QUOTE) {
		/* the line starts with a quotation's opening mark: the page starts before the
		 * quotation (the outermost one that starts there) */
		const OvNode *q = st->node->parent;
		while (q->prev == NULL && q->parent && q->parent->type == OV_QUOTE)
			q = q->parent;
		st->block = q;
		st->pos = ov_pagemap_pos(q, 0);
	} else {
		const char *t = ov_pagemap_node_text(st->node);
		gsize off = word_start(lo->walk, t, st->off);
		if (t[off] == '\0' && st->off < off)
			next_word(ts, lo->walk->run, &st->node, &off); /* the run model_text_at found */
		st->off = off;
		st->pos = ov_pagemap_pos(st->node, st->off);
	}
	return TRUE;
}

/* Where a body page starts: before the first block it begins with, or at the first word of the
 * model's text on it. Lines set on an earlier page already (a table's header rows set again)
 * do not count, nor what comes before the furthest place the pages before reached (a figure
 * or table that waited for this page while the text flowed on: the page starts where the text
 * goes on) unless the page holds nothing else. reached: the furthest place the pages before
 * reached (G_MAXUINT64: none yet). */
static void
body_page_start(Layout *lo, const Page *pg, guint64 reached, const OvNode **before,
		const OvNode **text, gsize *offset)
{
	Start st, fallback = { 0, NULL, NULL, 0 };
	gboolean have_fallback = FALSE;

	for (guint k = 0; k < pg->items->len; k++) {
		const Item *it = &g_array_index(pg->items, Item, k);
		if (it->kind == IT_LINE && it->line && it->line->noted == lo->map_serial)
			continue; /* on a page before */
		if (!item_start(lo, it, &st))
			continue;
		if (reached != G_MAXUINT64 && st.pos <= reached) {
			if (!have_fallback)
				fallback = st, have_fallback = TRUE;
			continue;
		}
		have_fallback = TRUE;
		fallback = st;
		break;
	}
	/* a part's or chapter's opening page starts before it, even when its title is empty and
	 * nothing of its text is on the page but a generated label ("Part II") */
	if (pg->opens && (!have_fallback || ov_pagemap_pos(outer_block(pg->opens), 0) < fallback.pos)) {
		*before = outer_block(pg->opens);
		*text = NULL;
		*offset = 0;
		return;
	}
	if (!have_fallback)
		return;
	*before = fallback.block;
	*text = fallback.block ? NULL : fallback.node;
	*offset = fallback.block ? 0 : fallback.off;
}

/* What the page shows, for the pages of nodes: its text and image nodes; and the furthest
 * place in document order it reaches. */
static void
note_page(Layout *lo, OvPageMap *pm, const Page *pg, int i, guint64 *reached)
{
	if (pg->opens) /* a division is where it opens, though its title be empty (placed) */
		ov_pagemap_set(pm, pg->opens, i);
	for (guint k = 0; k < pg->items->len; k++) {
		const Item *it = &g_array_index(pg->items, Item, k);
		const TextSource *ts;
		Start st;
		if (it->kind == IT_IMAGE && it->img && it->img->node)
			ov_pagemap_set(pm, it->img->node, i);
		if (it->kind != IT_LINE || it->line == NULL)
			continue;
		/* no other thread writes it: the drawer only reads the line's other fields */
		it->line->noted = lo->map_serial;
		if ((ts = it->ts) == NULL)
			continue;
		for (guint r = 0; r < ts->runs->len; r++) {
			const Span *sp = &g_array_index(ts->runs, Span, r);
			if (sp->end > it->line->start && sp->start < it->line->start + MAX(it->line->len, 1))
				ov_pagemap_set(pm, sp->text, i);
		}
		if (item_start(lo, it, &st) && (*reached == G_MAXUINT64 || st.pos > *reached))
			*reached = st.pos;
	}
}

/* The pages of index terms and anchors: their destinations'. */
static void
note_anchors(Layout *lo, OvPageMap *pm)
{
	GHashTableIter hi;
	gpointer k, v;
	g_hash_table_iter_init(&hi, lo->doc->anchors); /* nodes without a usable id */
	while (g_hash_table_iter_next(&hi, &k, &v)) {
		const OvNode *n = k;
		const Dest *d = g_hash_table_lookup(lo->dests, v);
		if (d && (n->type == OV_INDEXTERM || n->type == OV_ANCHOR))
			ov_pagemap_set_anchor(pm, n, d->page);
	}
	g_hash_table_iter_init(&hi, lo->doc->ids);
	while (g_hash_table_iter_next(&hi, &k, &v)) {
		const OvNode *n = v;
		const Dest *d = g_hash_table_lookup(lo->dests, k);
		if (d && (n->type == OV_INDEXTERM || n->type == OV_ANCHOR))
			ov_pagemap_set_anchor(pm, n, d->page);
	}
}

/* Where a body page starts (body_page_start). */
typedef struct {
	const OvNode *before, *text;
	gsize offset;
} BodyStart;

static void
page_map_begin(Layout *lo)
{
	static guint serials; /* a line may be placed again by a later pass (the memo) */
	lo->map_serial = (guint)g_atomic_int_add(&serials, 1) + 1;
	lo->walk = g_new0(TextWalk, 1);
	lo->pm = ov_pagemap_new(lo->doc);
	lo->body_starts = g_array_new(FALSE, TRUE, sizeof(BodyStart));
	lo->reached = G_MAXUINT64;
}

/* Body page i (of the body's pages) in the page map, as it is finished: the page numbers it
 * records count body pages until the front matter is made. */
static void
page_map_body(Layout *lo, const Page *pg, guint i)
{
	BodyStart bs = { 0 };
	if (!pg->blank)
		body_page_start(lo, pg, lo->reached, &bs.before, &bs.text, &bs.offset);
	g_array_append_val(lo->body_starts, bs);
	note_page(lo, lo->pm, pg, (int)i, &lo->reached);
}

/* The page map whole, once the front matter (where: the part of the book each front page is
 * in) stands before the body. */
static OvPageMap *
page_map_end(Layout *lo, GArray *where)
{
	OvPageMap *pm = lo->pm;
	for (guint i = 0; i < lo->pages->len; i++) {
		const Page *pg = g_ptr_array_index(lo->pages, i);
		char *label = ov_pdf_page_label(lo->doc, pg);
		OvPageWhere w = i < where->len ? g_array_index(where, OvPageWhere, i) : OV_PM_BODY;
		if (pg->kind == PG_BODY) {
			const BodyStart *bs = &g_array_index(lo->body_starts, BodyStart, i - lo->nfront);
			ov_pagemap_add(pm, label, w, TRUE, bs->before, bs->text, bs->offset);
		} else {
			ov_pagemap_add(pm, label, w, FALSE, NULL, NULL, 0);
			g_array_index(pm->pages, OvPage, pm->pages->len - 1).toc_first = pg->toc_first;
		}
		g_free(label);
	}
	ov_pagemap_shift(pm, (int)lo->nfront);
	note_anchors(lo, pm);
	g_clear_pointer(&lo->walk, text_walk_free);
	g_array_free(lo->body_starts, TRUE);
	lo->body_starts = NULL;
	lo->pm = NULL;
	return pm;
}

/* ---- the whole ---- */

struct OvPdf {
	Layout lo;
	gboolean ready;      /* typeset */
	gboolean redraw;     /* drawn as it was set, with a link to nowhere: set it again undrawn */
	OvPageMap *pm;
};

OvPdf *
ov_pdf_typeset(const OvDoc *doc, const OvTheme *theme, gboolean report, OvPdfMemo *memo, const char *draw_to,
	       gboolean map_only, OvDiags *d)
{
	OvPdf *pdf = g_new0(OvPdf, 1);
	Layout *lo = &pdf->lo;
	GArray *where = g_array_new(FALSE, FALSE, sizeof(OvPageWhere));

	if (!layout_init(lo, doc, theme, d)) {
		ov_pdf_free(pdf);
		g_array_free(where, TRUE);
		return NULL;
	}
	if (report)
		lo->report = ov_report_new();
	lo->memo = ov_pdf_memo_pass(memo);
	lo->map_only = map_only;
	if (draw_to)
		lo->drawer = drawer_new(lo, draw_to, ov_build_time(d), TRUE, FALSE, d); /* NULL: drawn later */
	page_map_begin(lo);
	/* the second core shapes ahead while it has nothing else to do: not beside the drawer
	 * (three busy threads on two cores slowed the PDF by a fifth) */
	if (ov_build_threads() && lo->drawer == NULL)
		lo->ahead = ov_pdf_ahead_start(lo);
	ov_pdf_flow_body(lo);
	g_clear_pointer(&lo->ahead, ov_pdf_ahead_stop);
	front_matter(lo, where);
	pdf->pm = page_map_end(lo, where);
	/* a link drawn before its destination was set: is it set now? If not, the link must
	 * not be written, and the drawing is thrown away */
	if (lo->drawer) {
		GHashTableIter hi;
		gpointer k;
		g_hash_table_iter_init(&hi, lo->linked);
		while (g_hash_table_iter_next(&hi, &k, NULL))
			if (!g_hash_table_contains(lo->dests, k))
				pdf->redraw = TRUE;
	}
	pdf->ready = TRUE;
	g_array_free(where, TRUE);
	return pdf;
}

gboolean
ov_pdf_drawn_badly(const OvPdf *pdf)
{
	return pdf->redraw;
}

const OvPageMap *
ov_pdf_page_map(OvPdf *pdf)
{
	return pdf->pm;
}

void
ov_pdf_shaped(const OvPdf *pdf, guint *all, guint *ahead)
{
	*all = pdf->lo.shaped;
	*ahead = pdf->lo.shaped_ahead;
}

/* Cairo's file: a scratch file beside the output, gone once closed. NULL (and errno) if it
 * cannot be made. */
static FILE *
scratch_beside(const char *path)
{
	char *tmpl = g_strdup_printf("%s.XXXXXX", path);
	int fd = g_mkstemp(tmpl), e;
	FILE *f = NULL;
	if (fd >= 0) {
		g_unlink(tmpl);
		f = fdopen(fd, "w+b"); /* read back mapped */
		if (f == NULL) {
			e = errno;
			close(fd);
			errno = e;
		}
	}
	g_free(tmpl);
	return f;
}

gboolean
ov_pdf_write(OvPdf *pdf, const char *path, const OvPdfOptions *o, OvDiags *d)
{
	Layout *lo = &pdf->lo;
	Out out = { 0 };
	Drawer *dr = lo->drawer;
	Order order = { 0 };
	gint64 t;
	gboolean ok, keep;
	ov_progress_stage(OV_STAGE_DRAW);
	if (ov_diags_failed(d))
		return FALSE;
	t = ov_build_time(d);
	/* the drawn pages are needed again only for PNGs, the layout dump and the report: else
	 * each lets go of its lines and boxes once drawn, and is freed before the PDF is finished */
	keep = o && (o->png_dir || o->layout || o->report);
	out.f = g_fopen(path, "wb");
	if (out.f && dr == NULL)
		lo->drawer = dr = drawer_new(lo, path, t, FALSE, keep, d);
	if (out.f == NULL || dr == NULL) {
		out.err = errno;
		out_error(&out, path, d);
		if (out.f)
			fclose(out.f);
		return FALSE;
	}
	out.sum = g_checksum_new(G_CHECKSUM_MD5);
	order.nfront = lo->nfront;
	order.npages = lo->pages->len;
	order.labels = page_labels(lo);
	ok = drawer_end(dr, path, d) && !ov_diags_failed(d);
	order.front_top = dr->tags.top - dr->body_top;
	order.top = dr->tags.top;
	if (ok && !keep)
		g_ptr_array_set_size(lo->pages, 0);
	ok = ok && finish(lo, &dr->cairo, &out, t, path, &order, d);
	g_free(order.labels);
	if (fclose(out.f) != 0 && ok) {
		out.err = errno;
		out_error(&out, path, d);
		ok = FALSE;
	}
	g_checksum_free(out.sum);
	if (ok && o && o->png_dir) {
		ov_progress_stage(OV_STAGE_PNG);
		ok = write_pngs(lo, o, d);
	}
	if (ok && o && o->layout)
		ok = write_layout(lo, o->layout, d);
	if (ok && o && o->report)
		ok = ov_report_write(lo, o->report, d);
	return ok;
}

void
ov_pdf_free(OvPdf *pdf)
{
	if (pdf == NULL)
		return;
	ov_report_free(pdf->lo.report);
	g_clear_pointer(&pdf->lo.drawer, drawer_free);
	layout_clear(&pdf->lo);
	ov_pagemap_free(pdf->pm);
	g_free(pdf);
}
