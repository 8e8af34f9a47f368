/* floor.c: the Pango/Cairo floor for `make bench`.
 *
 *     bench/floor BOOK.xml OUT.pdf FONTS_DIR
 *
 * Reads the book's text (libxml2, XInclude expanded): every paragraph, title, list item,
 * table cell, term, program listing and footnote, as a plain paragraph of its own; skips
 * index terms and text alternatives. Then shapes each paragraph once with Pango, greedy
 * line breaking (Pango's own), in the body face of the brochure theme (Gentium Book Plus
 * 10.5 pt on 14 pt leading, A5 with octavo's margins), and draws its lines into a Cairo PDF,
 * a new page when one is full. No hyphenation, justification, footnote placement, tables,
 * links, tags or outline: the work any Pango/Cairo typesetter must do at least, so octavo's
 * PDF time is reported as a multiple of this program's. The fonts come from the same private
 * fontconfig set (the system configuration plus FONTS_DIR), as in octavo's src/fonts.c.
 * Prints the page count and the paragraph count on stdout. */
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xinclude.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <cairo-pdf.h>

#define MM (72.0 / 25.4)
#define PAGE_W (148 * MM)
#define PAGE_H (210 * MM)
#define MARGIN_TOP (18 * MM)
#define MARGIN_BOTTOM (20 * MM)
#define MARGIN_SIDE (17 * MM)
#define BODY_SIZE 10.5
#define LEADING 14.0

static const char *const blocks[] = { "para", "simpara", "title", "subtitle", "term", "entry", "td", "th",
				      "programlisting", "screen", "literallayout", "synopsis", "attribution",
				      "member", NULL };
static const char *const skipped[] = { "indexterm", "textobject", "alt", "info", NULL };

static gboolean
named(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (strcmp((const char *)n->name, *names) == 0)
			return TRUE;
	return FALSE;
}

/* The text of a block, footnotes left out (they are collected to come after it). */
static void
collect(const xmlNode *n, GString *s, GPtrArray *notes)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			g_string_append(s, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "footnote") == 0)
			g_ptr_array_add(notes, (gpointer)c);
		else if (c->type == XML_ELEMENT_NODE && !named(c, skipped))
			collect(c, s, notes);
	}
}

static void walk(const xmlNode *n, GPtrArray *paras);

static void
block(const xmlNode *n, GPtrArray *paras)
{
	GString *s = g_string_new(NULL);
	GPtrArray *notes = g_ptr_array_new();
	gboolean verbatim = named(n, (const char *const[]){ "programlisting", "screen", "literallayout", "synopsis", NULL });

	collect(n, s, notes);
	if (!verbatim) { /* collapse white space, as octavo does in prose */
		GString *t = g_string_new(NULL);
		for (const char *p = s->str; *p; p++) {
			gboolean sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
			if (sp && (t->len == 0 || t->str[t->len - 1] == ' '))
				continue;
			g_string_append_c(t, sp ? ' ' : *p);
		}
		if (t->len && t->str[t->len - 1] == ' ')
			g_string_truncate(t, t->len - 1);
		g_string_free(s, TRUE);
		s = t;
	}
	if (s->len)
		g_ptr_array_add(paras, g_string_free(s, FALSE));
	else
		g_string_free(s, TRUE);
	for (guint i = 0; i < notes->len; i++)
		walk(g_ptr_array_index(notes, i), paras);
	g_ptr_array_free(notes, TRUE);
}

static void
walk(const xmlNode *n, GPtrArray *paras)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || named(c, skipped))
			continue;
		if (named(c, blocks))
			block(c, paras);
		else
			walk(c, paras);
	}
}

static PangoFontMap *
font_map(const char *dir)
{
	FcConfig *config = FcInitLoadConfigAndFonts();
	PangoFontMap *fm;
	if (config == NULL || !FcConfigAppFontAddDir(config, (const FcChar8 *)dir)) {
		fprintf(stderr, "floor: cannot read the fonts in %s\n", dir);
		return NULL;
	}
	fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), config);
	FcConfigDestroy(config);
	return fm;
}

int
main(int argc, char **argv)
{
	xmlDoc *doc;
	GPtrArray *paras = g_ptr_array_new_with_free_func(g_free);
	PangoFontMap *fm;
	PangoContext *ctx;
	PangoFontDescription *fd;
	cairo_surface_t *surf;
	cairo_t *cr;
	cairo_font_options_t *fo;
	double y = MARGIN_TOP, bottom = PAGE_H - MARGIN_BOTTOM;
	int pages = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: floor BOOK.xml OUT.pdf FONTS_DIR\n");
		return 2;
	}
	doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
	if (doc == NULL || xmlXIncludeProcessFlags(doc, XML_PARSE_NONET | XML_PARSE_NOENT) < 0) {
		fprintf(stderr, "floor: cannot read %s\n", argv[1]);
		return 1;
	}
	walk((xmlNode *)doc, paras);
	xmlFreeDoc(doc);
	if ((fm = font_map(argv[3])) == NULL)
		return 1;

	surf = cairo_pdf_surface_create(argv[2], PAGE_W, PAGE_H);
	cr = cairo_create(surf);
	ctx = pango_font_map_create_context(fm);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	fd = pango_font_description_from_string("Gentium Book Plus");
	pango_font_description_set_size(fd, (int)(BODY_SIZE * PANGO_SCALE));

	for (guint i = 0; i < paras->len; i++) {
		PangoLayout *lay = pango_layout_new(ctx);
		PangoLayoutIter *it;
		pango_layout_set_font_description(lay, fd);
		pango_layout_set_width(lay, (int)((PAGE_W - 2 * MARGIN_SIDE) * PANGO_SCALE));
		pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_text(lay, g_ptr_array_index(paras, i), -1);
		it = pango_layout_get_iter(lay);
		do {
			PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
			if (y + LEADING > bottom) {
				cairo_show_page(cr);
				pages++;
				y = MARGIN_TOP;
			}
			cairo_move_to(cr, MARGIN_SIDE, y + LEADING * 0.75);
			pango_cairo_show_layout_line(cr, line);
			y += LEADING;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
		g_object_unref(lay);
		y += LEADING * 0.3; /* a little space between paragraphs */
	}
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "floor: cannot write %s: %s\n", argv[2], cairo_status_to_string(cairo_surface_status(surf)));
		return 1;
	}
	cairo_surface_destroy(surf);
	printf("%d pages %u paragraphs\n", pages, paras->len);
	pango_font_description_free(fd);
	g_object_unref(ctx);
	g_ptr_array_free(paras, TRUE);
	return 0;
}
