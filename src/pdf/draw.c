/* draw.c: finished pages onto a Cairo surface: the PDF, or PNG previews. */
#include <math.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include "layout.h"
#include "../cover.h"

#pragma weak ov_cover_draw

char *
ov_pdf_page_label(const Page *p)
{
	if (p->kind == PG_COVER)
		return g_strdup("Cover");
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

/* A pixbuf's pixels as a Cairo image surface (premultiplied ARGB32 / RGB24). */
static cairo_surface_t *
pixbuf_surface(GdkPixbuf *pb)
{
	int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
	int nch = gdk_pixbuf_get_n_channels(pb), stride = gdk_pixbuf_get_rowstride(pb);
	gboolean alpha = gdk_pixbuf_get_has_alpha(pb);
	const guchar *src = gdk_pixbuf_read_pixels(pb);
	cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
	int dstride = cairo_image_surface_get_stride(s);
	guchar *dst;

	cairo_surface_flush(s);
	dst = cairo_image_surface_get_data(s);
	for (int y = 0; y < h; y++) {
		const guchar *p = src + (gsize)y * stride;
		guint32 *q = (guint32 *)(dst + (gsize)y * dstride);
		for (int x = 0; x < w; x++, p += nch) {
			guint a = alpha ? p[3] : 255;
			guint r = p[0] * a / 255, g = p[1] * a / 255, b = p[2] * a / 255;
			q[x] = a << 24 | r << 16 | g << 8 | b;
		}
	}
	cairo_surface_mark_dirty(s);
	return s;
}

/* The Cairo surface of an image, made once per image (JPEG keeps its bytes for the PDF). */
static cairo_surface_t *
image_surface(const OvImage *im)
{
	static GHashTable *cache;
	cairo_surface_t *s;
	gsize n;
	const guchar *b;

	if (cache == NULL)
		cache = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)cairo_surface_destroy);
	s = g_hash_table_lookup(cache, im);
	if (s)
		return s;
	b = g_bytes_get_data(im->data, &n);
	{
		GInputStream *in = g_memory_input_stream_new_from_data(b, (gssize)n, NULL);
		GdkPixbuf *pb = gdk_pixbuf_new_from_stream(in, NULL, NULL);
		g_object_unref(in);
		if (pb == NULL)
			return NULL;
		s = pixbuf_surface(pb);
		g_object_unref(pb);
	}
	if (im->type == OV_IMG_JPEG) {
		/* the PDF embeds the JPEG as it is, not re-encoded */
		GBytes *keep = g_bytes_ref(im->data);
		cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, b, n, (cairo_destroy_func_t)g_bytes_unref, keep);
	}
	g_hash_table_insert(cache, (gpointer)im, s);
	return s;
}

static void
draw_image(cairo_t *cr, const Item *it)
{
	const OvImage *im = it->img;
	if (im->type == OV_IMG_SVG) {
		gsize n;
		const guchar *b = g_bytes_get_data(im->data, &n);
		RsvgHandle *h = rsvg_handle_new_from_data(b, n, NULL);
		RsvgRectangle vp = { it->x, it->y, it->w, it->h };
		if (h) {
			rsvg_handle_render_document(h, cr, &vp, NULL);
			g_object_unref(h);
		}
		return;
	}
	{
		cairo_surface_t *s = image_surface(im);
		if (s == NULL)
			return;
		cairo_save(cr);
		cairo_translate(cr, it->x, it->y);
		cairo_scale(cr, it->w / cairo_image_surface_get_width(s), it->h / cairo_image_surface_get_height(s));
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
		cairo_paint(cr);
		cairo_restore(cr);
	}
}

static void
draw_link(Layout *lo, cairo_t *cr, const Item *it)
{
	char *val, *attr;
	if (it->dest && !g_hash_table_contains(lo->dests, it->dest))
		return; /* a link to nowhere is never written */
	val = ov_pdf_tag_escape(it->dest ? it->dest : it->uri);
	attr = g_strdup_printf("rect=[%.2f %.2f %.2f %.2f] %s='%s'", it->x, it->y, it->w, it->h,
			       it->dest ? "dest" : "uri", val);
	cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
	cairo_tag_end(cr, CAIRO_TAG_LINK);
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

static void
draw_items(Layout *lo, cairo_t *cr, GArray *items, double dy, gboolean links)
{
	const Item *open = NULL; /* the structure element being drawn */

	for (guint k = 0; k < items->len; k++) {
		const Item *it = &g_array_index(items, Item, k);
		if (links && it->kind != IT_RULE && it->kind != IT_MARK &&
		    !(open && it->stag && open->group == it->group)) {
			/* tagged PDF: one structure element per group of items on a page */
			if (open)
				cairo_tag_end(cr, open->stag);
			open = it->stag ? it : NULL;
			if (open)
				cairo_tag_begin(cr, open->stag, NULL);
		}
		switch (it->kind) {
		case IT_LINE:
			set_color(cr, it->color);
			cairo_move_to(cr, it->x, it->y + dy);
			pango_cairo_show_layout_line(cr, it->line);
			break;
		case IT_RULE:
			set_color(cr, it->color);
			cairo_set_line_width(cr, it->lw);
			cairo_move_to(cr, it->x, it->y + dy);
			cairo_line_to(cr, it->x + it->w, it->y + it->h + dy);
			cairo_stroke(cr);
			break;
		case IT_IMAGE:
			draw_image(cr, it);
			break;
		case IT_LINK:
			if (links)
				draw_link(lo, cr, it);
			break;
		case IT_MARK:
			set_color(cr, it->color);
			draw_mark(cr, it);
			break;
		case IT_DEST:
			break;
		}
	}
	if (open)
		cairo_tag_end(cr, open->stag);
}

static double
page_x0(Layout *lo, const Page *p)
{
	const OvTheme *th = lo->th;
	gboolean recto = p->number % 2 == 1;
	return p->kind == PG_BODY && th->facing && !recto ? th->margin_outer : th->margin_inner;
}

/* One line of small text at (x, baseline y), aligned within width. */
static void
small_text(Layout *lo, cairo_t *cr, const char *text, double x, double y, double width, PangoAlignment al)
{
	Para *p = ov_pdf_plain(lo, text, TS_SMALL, lo->th->body_size * 0.78, width, al, FALSE);
	PangoLayoutLine *line;
	PangoLayoutIter *iter;
	PangoRectangle lr;
	pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_END);
	line = pango_layout_get_line_readonly(p->layout, 0);
	iter = pango_layout_get_iter(p->layout);
	pango_layout_iter_get_line_extents(iter, NULL, &lr);
	pango_layout_iter_free(iter);
	set_color(cr, lo->rule_color);
	cairo_move_to(cr, x + lr.x / (double)PANGO_SCALE, y);
	pango_cairo_show_layout_line(cr, line);
	ov_pdf_para_free(p);
}

/* Running header and page number. */
static void
draw_furniture(Layout *lo, cairo_t *cr, const Page *p)
{
	const OvTheme *th = lo->th;
	double x0 = page_x0(lo, p), w = lo->page_w - th->margin_inner - th->margin_outer;
	gboolean recto = p->number % 2 == 1;
	char *num;
	PangoAlignment outer = th->facing ? (recto ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT) : PANGO_ALIGN_CENTER;

	if (p->kind == PG_BODY && !p->opening && !p->blank) {
		const char *h = th->facing && !recto ? lo->doc->meta.title : p->header ? p->header : lo->doc->meta.title;
		double y = th->margin_top - th->body_size * 1.6;
		if (h)
			small_text(lo, cr, h, x0, y, w, th->facing ? outer : PANGO_ALIGN_CENTER);
		set_color(cr, lo->rule_color);
		cairo_set_line_width(cr, 0.4);
		cairo_move_to(cr, x0, y + th->body_size * 0.5);
		cairo_line_to(cr, x0 + w, y + th->body_size * 0.5);
		cairo_stroke(cr);
	}
	if ((p->kind == PG_BODY || p->kind == PG_FRONT) && !p->blank) {
		num = ov_pdf_page_label(p);
		small_text(lo, cr, num, x0, lo->page_h - th->margin_bottom + th->body_size * 2.4, w, outer);
		g_free(num);
	}
}

static void
draw_notes(Layout *lo, cairo_t *cr, const Page *p)
{
	const OvTheme *th = lo->th;
	double top = lo->page_h - th->margin_bottom - p->fn_height, x0 = page_x0(lo, p);
	if (p->fn_items->len == 0)
		return;
	set_color(cr, lo->rule_color);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x0, top + th->footnote_size * 0.6);
	cairo_line_to(cr, x0 + (lo->page_w - th->margin_inner - th->margin_outer) / 3, top + th->footnote_size * 0.6);
	cairo_stroke(cr);
	/* note lines were placed with the flow's x of their page */
	draw_items(lo, cr, p->fn_items, top, FALSE);
}

void
ov_pdf_draw_page(Layout *lo, cairo_t *cr, guint i, gboolean links)
{
	Page *p = g_ptr_array_index(lo->pages, i);

	set_color(cr, 0xFFFFFF);
	cairo_paint(cr);
	if (p->kind == PG_COVER) {
		if (ov_cover_draw)
			ov_cover_draw(cr, lo->doc, lo->th, lo->page_w, lo->page_h, lo->d);
		return;
	}
	draw_furniture(lo, cr, p);
	draw_items(lo, cr, p->items, 0, links);
	draw_notes(lo, cr, p);
}
