/* cover.c: the book's cover, drawn with Cairo: the book's own cover image scaled to fit, or
 * a typeset cover (title, subtitle, authors, publisher) in the theme's fonts and colours.
 * One drawing serves the EPUB's cover image and the PDF's first page. */
#include <stdlib.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include "cover.h"
#include "fonts.h"
#include "image.h"

typedef struct { double r, g, b; } Rgb;

static Rgb
parse_rgb(const char *c, Rgb fallback)
{
	Rgb v = fallback;
	if (c && c[0] == '#' && strlen(c) == 7) {
		unsigned long n = strtoul(c + 1, NULL, 16);
		v.r = ((n >> 16) & 0xFF) / 255.0;
		v.g = ((n >> 8) & 0xFF) / 255.0;
		v.b = (n & 0xFF) / 255.0;
	} else if (c && c[0] == '#' && strlen(c) == 4) {
		v.r = g_ascii_xdigit_value(c[1]) / 15.0;
		v.g = g_ascii_xdigit_value(c[2]) / 15.0;
		v.b = g_ascii_xdigit_value(c[3]) / 15.0;
	}
	return v;
}

const OvNode *
ov_cover_image(const OvDoc *doc)
{
	const OvNode *info = ov_node_child(doc->root, OV_INFO);
	const OvNode *cover = info ? ov_node_child(info, OV_COVER) : NULL;
	for (const OvNode *m = cover ? cover->first : NULL; m; m = m->next)
		if (m->type == OV_MEDIAOBJECT)
			for (const OvNode *i = m->first; i; i = i->next)
				if (i->type == OV_IMAGE && i->u.img.fileref)
					return i;
	return NULL;
}

/* ---- the book's own image ---- */

/* The image scaled to fit w x h, centred on white. */
static gboolean
draw_image(cairo_t *cr, const OvImage *img, double w, double h, OvDiags *d)
{
	double sc = MIN(w / img->width, h / img->height);
	double iw = img->width * sc, ih = img->height * sc;
	double x = (w - iw) / 2, y = (h - ih) / 2;
	GError *err = NULL;

	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_fill(cr);
	if (!ov_image_draw(cr, img, x, y, iw, ih, &err)) {
		ov_error(d, img->node->loc, "cover image \"%s\" cannot be drawn: %s", img->node->u.img.fileref, err->message);
		g_error_free(err);
		cairo_restore(cr);
		return FALSE;
	}
	cairo_restore(cr);
	return TRUE;
}

/* ---- the typeset cover ---- */

typedef struct {
	cairo_t *cr;
	PangoContext *pc;
	double x, width;
} Pen;

/* Set text in a block width wide from (x, y), or only lay it out (draw FALSE); the block's
 * height. */
static double
set_text(Pen *pen, const char *text, const char *family, gboolean bold, gboolean italic, double size,
	 Rgb c, double alpha, double y, gboolean draw)
{
	PangoLayout *lay;
	PangoFontDescription *fd;
	int pw, ph;
	char *safe;

	if (text == NULL || *text == '\0')
		return 0;
	safe = ov_text_no_nonchars(text, -1, NULL); /* else Cairo would draw nothing more */
	lay = pango_layout_new(pen->pc);
	fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(lay, fd);
	pango_layout_set_width(lay, (int)(pen->width * PANGO_SCALE));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_spacing(lay, (int)(size * 0.12 * PANGO_SCALE));
	pango_layout_set_text(lay, safe ? safe : text, -1);
	g_free(safe);
	if (draw) {
		cairo_set_source_rgba(pen->cr, c.r, c.g, c.b, alpha);
		cairo_move_to(pen->cr, pen->x, y);
		pango_cairo_show_layout(pen->cr, lay);
	}
	pango_layout_get_size(lay, &pw, &ph);
	pango_font_description_free(fd);
	g_object_unref(lay);
	return (double)ph / PANGO_SCALE;
}

/* The authors on one line each. */
static char *
authors_text(const OvMeta *m)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < m->authors->len; i++)
		g_string_append_printf(s, "%s%s", i ? "\n" : "", (const char *)g_ptr_array_index(m->authors, i));
	return g_string_free(s, FALSE);
}

/* The typeset cover's colours: the background (the heading colour) and the text's. */
static void
colors(const OvTheme *th, Rgb *bg, Rgb *fg)
{
	double lum;
	*bg = parse_rgb(th->heading_color, (Rgb){ 0.11, 0.2, 0.34 });
	lum = 0.2126 * bg->r + 0.7152 * bg->g + 0.0722 * bg->b;
	*fg = lum > 0.55 ? parse_rgb(th->text_color, (Rgb){ 0.1, 0.1, 0.1 }) : (Rgb){ 1, 1, 1 };
}

/* Title, subtitle, authors and publisher on the heading colour, light text. ink: no
 * background, only the text's coverage (times its opacity) for an A8 surface. */
static gboolean
typeset(cairo_t *cr, const OvDoc *doc, const OvTheme *th, double w, double h, gboolean ink, OvDiags *d)
{
	PangoFontMap *fm = ov_fonts_map(d);
	const OvMeta *m = &doc->meta;
	Rgb bg, fg;
	cairo_font_options_t *fo;
	Pen pen;
	char *authors;
	double y, u = w / 100.0;

	if (fm == NULL)
		return FALSE;
	colors(th, &bg, &fg);
	cairo_save(cr);
	if (!ink) {
		cairo_set_source_rgb(cr, bg.r, bg.g, bg.b);
		cairo_rectangle(cr, 0, 0, w, h);
		cairo_fill(cr);
	}
	pen.cr = cr;
	pen.pc = pango_font_map_create_context(fm);
	pen.x = 10 * u;
	pen.width = 80 * u;
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pen.pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(cr, pen.pc);
	pango_context_set_language(pen.pc, pango_language_from_string(m->lang ? m->lang : "en"));

	/* a rule near the head, the title block in the upper third */
	cairo_set_source_rgba(cr, fg.r, fg.g, fg.b, 0.55);
	cairo_rectangle(cr, pen.x, 0.14 * h, 18 * u, 0.5 * u);
	cairo_fill(cr);
	y = 0.14 * h + 4 * u;
	y += set_text(&pen, m->title, th->heading_font, TRUE, FALSE, 8 * u, fg, 1, y, TRUE);
	if (m->subtitle) {
		y += 2.5 * u;
		set_text(&pen, m->subtitle, th->body_font, FALSE, TRUE, 4.4 * u, fg, 0.88, y, TRUE);
	}
	/* authors above the foot, the publisher at the foot */
	authors = authors_text(m);
	y = 0.80 * h - set_text(&pen, authors, th->heading_font, FALSE, FALSE, 4 * u, fg, 1, 0, FALSE);
	set_text(&pen, authors, th->heading_font, FALSE, FALSE, 4 * u, fg, 1, y, TRUE);
	g_free(authors);
	if (m->publisher && g_strcmp0(m->publisher, m->authors->len ? g_ptr_array_index(m->authors, 0) : NULL) != 0)
		set_text(&pen, m->publisher, th->heading_font, FALSE, FALSE, 2.8 * u, fg, 0.8, 0.88 * h, TRUE);
	g_object_unref(pen.pc);
	cairo_restore(cr);
	return TRUE;
}

gboolean
ov_cover_draw(cairo_t *cr, const OvDoc *doc, const OvTheme *theme, double w, double h, OvDiags *d)
{
	const OvNode *node = ov_cover_image(doc);
	OvImage *img;
	gboolean ok;

	if (node == NULL)
		return typeset(cr, doc, theme, w, h, FALSE, d);
	img = ov_image_load(doc, node, d);
	ok = img && draw_image(cr, img, w, h, d);
	ov_image_free(img);
	if (!ok)
		typeset(cr, doc, theme, w, h, FALSE, d); /* something to show; the diagnostic says why */
	return ok;
}

gboolean
ov_cover_draw_ink(cairo_t *cr, const OvDoc *doc, const OvTheme *theme, double w, double h, guint32 *bg, guint32 *fg,
		  OvDiags *d)
{
	Rgb b, f;
	colors(theme, &b, &f);
	*bg = (guint32)(b.r * 255 + 0.5) << 16 | (guint32)(b.g * 255 + 0.5) << 8 | (guint32)(b.b * 255 + 0.5);
	*fg = (guint32)(f.r * 255 + 0.5) << 16 | (guint32)(f.g * 255 + 0.5) << 8 | (guint32)(f.b * 255 + 0.5);
	return typeset(cr, doc, theme, w, h, TRUE, d);
}
