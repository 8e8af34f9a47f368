/* text.c: inline content to paragraphs: one string, one attribute list, the byte ranges of
 * links, anchors and footnote calls, and hyphenation points from libhyphen (kept beside the
 * text, not in it). lines.c shapes and breaks the result. */
#include <string.h>
#include <hyphen.h>
#include "layout.h"
#include "pdf.h"
#include "../fonts.h"
#include "hyph.h"
#include "../gentext.h"

#define HYPH_NONE ((gpointer)1) /* a language with no patterns: tried once */

PangoFontDescription *
ov_pdf_font(Layout *lo, TextStyle style, double size)
{
	PangoFontDescription *fd = pango_font_description_new();
	const OvTheme *th = lo->th;
	const char *family = style == TS_HEADING || style == TS_SMALL ? th->heading_font
			   : style == TS_MONO ? th->mono_font : th->body_font;
	/* the bundled CJK face comes before any system font */
	char *families = g_strconcat(family, "," OV_FALLBACK_FAMILY, NULL);
	pango_font_description_set_family(fd, families);
	g_free(families);
	if (style == TS_HEADING)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	return fd;
}

const char *
ov_pdf_dest_of(Layout *lo, const OvNode *node)
{
	return node ? ov_node_anchor(lo->doc, node) : NULL;
}

const char *
ov_pdf_id_dest(Layout *lo, const OvNode *node)
{
	return node && node->id ? ov_node_anchor(lo->doc, node) : NULL;
}

#define HYPH_DIR "/usr/share/hyphen"

/* The patterns of a file, loaded once a process (every typesetting pass and every thread
 * shares them: libhyphen only reads a loaded dictionary), or NULL. */
static HyphenDict *
hyph_try(const char *name)
{
	static GMutex lock;
	static GHashTable *loaded; /* path -> HyphenDict, or HYPH_NONE: kept for the process */
	char *path = g_strdup_printf(HYPH_DIR "/hyph_%s.dic", name);
	gpointer d;

	g_mutex_lock(&lock);
	if (loaded == NULL)
		loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d = g_hash_table_lookup(loaded, path);
	if (d == NULL) {
		d = g_file_test(path, G_FILE_TEST_EXISTS) ? ov_hyph_load(path) : NULL;
		g_hash_table_insert(loaded, path, d ? d : HYPH_NONE);
		path = NULL;
	}
	g_mutex_unlock(&lock);
	g_free(path);
	return d == HYPH_NONE ? NULL : d;
}

/* Patterns for "en_GB": hyph_en_GB, then the language's usual region, then any hyph_en*. */
static HyphenDict *
hyph_find(const char *norm)
{
	static const char *const usual[][2] = { { "en", "en_US" }, { "nb", "nb_NO" }, { "nn", "nn_NO" },
						{ "no", "nb_NO" }, { "de", "de_DE" }, { "fr", "fr_FR" },
						{ "es", "es_ES" }, { "pt", "pt_PT" }, { "sv", "sv_SE" },
						{ "da", "da_DK" }, { "it", "it_IT" }, { "nl", "nl_NL" } };
	char *primary = g_strndup(norm, strcspn(norm, "_"));
	HyphenDict *d = hyph_try(norm);
	for (gsize i = 0; d == NULL && i < G_N_ELEMENTS(usual); i++)
		if (!strcmp(primary, usual[i][0]))
			d = hyph_try(usual[i][1]);
	if (d == NULL)
		d = hyph_try(primary);
	if (d == NULL) {
		GDir *dir = g_dir_open(HYPH_DIR, 0, NULL);
		char *prefix = g_strdup_printf("hyph_%s_", primary), *best = NULL;
		const char *e;
		while (dir && (e = g_dir_read_name(dir)))
			if (g_str_has_prefix(e, prefix) && g_str_has_suffix(e, ".dic") && (best == NULL || strcmp(e, best) < 0))
				best = (g_free(best), g_strdup(e));
		if (best) {
			best[strlen(best) - 4] = '\0';
			d = hyph_try(best + 5);
		}
		g_free(best);
		g_free(prefix);
		if (dir)
			g_dir_close(dir);
	}
	g_free(primary);
	return d;
}

/* A language tag as the patterns' files spell it: "de-de", "DE-DE", "de_DE" -> "de_DE",
 * "EN-latn-us" -> "en_Latn_US". Tags are the same in any case (BCP 47); the files are not. */
static char *
hyph_norm(const char *lang)
{
	char **sub = g_strsplit_set(lang, "-_", -1);
	GString *s = g_string_new(NULL);
	for (int i = 0; sub[i]; i++) {
		gsize n = strlen(sub[i]);
		if (i > 0)
			g_string_append_c(s, '_');
		for (gsize k = 0; k < n; k++) {
			char c = sub[i][k];
			/* a region (2 letters, 3 digits) in capitals, a script (4 letters) capitalized */
			gboolean up = i > 0 && (n == 2 || n == 3 || (n == 4 && k == 0));
			g_string_append_c(s, up ? g_ascii_toupper(c) : g_ascii_tolower(c));
		}
	}
	g_strfreev(sub);
	return g_string_free(s, FALSE);
}

void
ov_pdf_preload(const char *lang)
{
	char *norm;
	if (lang == NULL || *lang == '\0')
		return;
	norm = hyph_norm(lang);
	hyph_find(norm); /* kept by hyph_try */
	g_free(norm);
}

/* The patterns for a language, loaded once, or NULL (with one warning; the thread that shapes
 * ahead, which has no lo->hyph, only looks them up). */
static HyphenDict *
hyph_dict(Layout *lo, const char *lang, const OvNode *at)
{
	gpointer v;
	char *norm;
	HyphenDict *dict = NULL;

	if (lang == NULL)
		return NULL;
	if (lo->hyph == NULL) { /* shaping ahead: the same patterns, nothing noted */
		norm = hyph_norm(lang);
		dict = hyph_find(norm);
		g_free(norm);
		return dict;
	}
	v = g_hash_table_lookup(lo->hyph, lang);
	if (v)
		return v == HYPH_NONE ? NULL : v;
	norm = hyph_norm(lang);
	dict = hyph_find(norm);
	/* scripts written without hyphens need no patterns */
	if (dict == NULL && !g_str_has_prefix(norm, "ja") && !g_str_has_prefix(norm, "zh") &&
	    !g_str_has_prefix(norm, "ko") && !g_str_has_prefix(norm, "th") && !g_str_has_prefix(norm, "ar") &&
	    !g_str_has_prefix(norm, "he") && !g_str_has_prefix(norm, "fa"))
		ov_warn(lo->d, at->loc, "no hyphenation patterns for language \"%s\" are installed: its text is not hyphenated", lang);
	g_hash_table_insert(lo->hyph, g_strdup(lang), dict ? (gpointer)dict : HYPH_NONE);
	g_free(norm);
	return dict;
}

/* Where the patterns allow a hyphen in the word of n bytes at w: the byte offsets in it after
 * which it may break, as [count, offset...] (g_free). */
static int *
word_points(const OvTheme *th, HyphenDict *dict, const char *w, gsize n)
{
	glong chars = g_utf8_strlen(w, (gssize)n);
	GArray *pts = g_array_new(FALSE, FALSE, sizeof(int));
	char *lower, *hy;
	char **rep = NULL;
	int *pos = NULL, *cut = NULL, zero = 0;
	gboolean upper = TRUE;

	g_array_append_val(pts, zero);
	for (const char *p = w; p < w + n; p = g_utf8_next_char(p))
		if (g_unichar_islower(g_utf8_get_char(p)))
			upper = FALSE;
	lower = g_utf8_strdown(w, (gssize)n);
	if (chars < th->hyph_min_word || upper || strlen(lower) != n) {
		g_free(lower);
		return (int *)(void *)g_array_free(pts, FALSE);
	}
	hy = g_malloc0(n + 5);
	if (hnj_hyphen_hyphenate3(dict, lower, (int)n, hy, NULL, &rep, &pos, &cut, th->hyph_min_left,
				  th->hyph_min_right, 2, 2) == 0 && rep == NULL) {
		glong ci = 0;
		for (gsize i = 0; i < n; i++) {
			if ((w[i] & 0xC0) != 0x80)
				ci++;
			/* hy[i] odd: a break after byte i; only between characters */
			if ((hy[i] & 1) && i + 1 < n && (w[i + 1] & 0xC0) != 0x80 && ci >= th->hyph_min_left &&
			    chars - ci >= th->hyph_min_right) {
				int b = (int)i + 1;
				g_array_append_val(pts, b);
			}
		}
	}
	if (rep) {
		for (gsize i = 0; i < n; i++)
			g_free(rep[i]);
		g_free(rep);
		g_free(pos);
		g_free(cut);
	}
	g_free(hy);
	g_free(lower);
	g_array_index(pts, int, 0) = (int)pts->len - 1;
	return (int *)(void *)g_array_free(pts, FALSE);
}

/* The word of n bytes at w, at byte offset at of the paragraph's text: the offsets after which
 * it may break go to hp. Each distinct word is hyphenated once a layout (lo->words: a book's
 * distinct words are a few percent of its words). */
static void
hyphenate_word(Layout *lo, HyphenDict *dict, const char *w, gsize n, int at, GArray *hp)
{
	GHashTable *seen = g_hash_table_lookup(lo->words, dict);
	char key[64];
	int *pts = NULL;
	gboolean cache = n < sizeof key;

	if (cache) {
		if (seen == NULL) {
			seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			g_hash_table_insert(lo->words, dict, seen);
		}
		memcpy(key, w, n);
		key[n] = '\0';
		pts = g_hash_table_lookup(seen, key);
	}
	if (pts == NULL) {
		pts = word_points(lo->th, dict, w, n);
		if (cache)
			g_hash_table_insert(seen, g_strdup(key), pts);
	}
	for (int i = 1; i <= pts[0]; i++) {
		int b = at + pts[i];
		g_array_append_val(hp, b);
	}
	if (!cache)
		g_free(pts);
}

/* A stretch of the paragraph's text that may be hyphenated (one text node's), and its
 * patterns. */
typedef struct {
	int start, end;
	HyphenDict *dict;
} HyphSeg;

/* An explicit hyphen: a word that holds one is not hyphenated by the patterns. */
static gboolean
explicit_hyphen(gunichar c)
{
	return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Where the word between spaces around p in text (len bytes) ends (*to), and whether it holds an
 * explicit hyphen: then its letters are not hyphenated. As in TeX, "Non-breaking" may break
 * after its hyphen, never as "Non-break-ing": a second hyphen in a compound misleads the
 * reader. The word reaches past a stretch (a word may be part emphasis, part not); a soft
 * hyphen is the author's own break, not an explicit hyphen, and stays. */
static gboolean
spaced_word(const char *text, int len, const char *p, const char **to)
{
	const char *a = p, *b = p;
	gboolean compound = FALSE;

	while (a > text) {
		const char *prev = g_utf8_prev_char(a);
		gunichar c = g_utf8_get_char(prev);
		if (g_unichar_isspace(c))
			break;
		compound = compound || explicit_hyphen(c);
		a = prev;
	}
	while (b < text + len) {
		gunichar c = g_utf8_get_char(b);
		if (g_unichar_isspace(c))
			break;
		compound = compound || explicit_hyphen(c);
		b = g_utf8_next_char(b);
	}
	*to = b;
	return compound;
}

/* Where the words of the stretches hseg of text (len bytes) may be hyphenated: byte offsets,
 * to hp. */
static void
hyphenate(Layout *lo, const char *text, int len, const GArray *hseg, GArray *hp)
{
	for (guint i = 0; i < hseg->len; i++) {
		const HyphSeg *hs = &g_array_index(hseg, HyphSeg, i);
		const char *p = text + hs->start, *end = text + hs->end;
		const char *wb = NULL; /* the end of the word between spaces p is in: found once a word */
		gboolean compound = FALSE;
		while (p < end) {
			const char *q = p;
			if (!g_unichar_isalpha(g_utf8_get_char(p))) {
				p = g_utf8_next_char(p);
				continue;
			}
			if (wb == NULL || p >= wb)
				compound = spaced_word(text, len, p, &wb);
			if (compound) {
				p = MIN(wb, end);
				continue;
			}
			while (q < end && g_unichar_isalpha(g_utf8_get_char(q)))
				q = g_utf8_next_char(q);
			hyphenate_word(lo, hs->dict, p, (gsize)(q - p), (int)(p - text), hp);
			p = q;
		}
	}
}

typedef struct {
	const OvNode *node;
	int start;
} Open;

static void
add_attr(PangoAttrList *al, PangoAttribute *a, int start, int end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(al, a);
}

/* Attributes for a finished inline node spanning [start, end). */
/* A superior figure or letter (a note's mark, superscript): 0.65 of the text's size (raised
 * by ov_shape). Pango's own superscript scale is the font's OS/2 size, 0.42 in Gentium: a
 * mark too small to read. */
static void
superscript(PangoAttrList *al, int start, int end, double size)
{
	add_attr(al, pango_attr_baseline_shift_new(PANGO_BASELINE_SHIFT_SUPERSCRIPT), start, end);
	add_attr(al, pango_attr_size_new_absolute((int)(size * 0.65 * PANGO_SCALE)), start, end);
}

static void
style_span(Layout *lo, PangoAttrList *al, const OvNode *n, int start, int end, double size)
{
	int st = ov_inline_style_shown(n); /* as the EPUB's style sheet */
	if (start >= end)
		return;
	if (st & OV_STYLE_ITALIC)
		add_attr(al, pango_attr_style_new(PANGO_STYLE_ITALIC), start, end);
	if (st & OV_STYLE_BOLD)
		add_attr(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
	if (st & OV_STYLE_MONO) {
		char *families = g_strconcat(lo->th->mono_font, "," OV_FALLBACK_FAMILY, NULL); /* as ov_pdf_font's */
		add_attr(al, pango_attr_family_new(families), start, end);
		g_free(families);
		add_attr(al, pango_attr_size_new_absolute((int)(size * 0.88 * PANGO_SCALE)), start, end);
	}
	if (st & OV_STYLE_STRIKE)
		add_attr(al, pango_attr_strikethrough_new(TRUE), start, end);
	if (st & OV_STYLE_UNDERLINE)
		add_attr(al, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, end);
	if (st & OV_STYLE_SMALLCAPS)
		add_attr(al, pango_attr_variant_new(PANGO_VARIANT_SMALL_CAPS), start, end);
	if (st & OV_STYLE_SUPER)
		superscript(al, start, end, size);
	if (st & OV_STYLE_SUB) {
		add_attr(al, pango_attr_baseline_shift_new(PANGO_BASELINE_SHIFT_SUBSCRIPT), start, end);
		add_attr(al, pango_attr_font_scale_new(PANGO_FONT_SCALE_SUBSCRIPT), start, end);
	}
	if (n->lang)
		add_attr(al, pango_attr_language_new(pango_language_from_string(n->lang)), start, end);
	if ((n->type == OV_LINK && (n->target || n->u.link.href)) || n->type == OV_XREF) {
		guint32 c = lo->link_color;
		add_attr(al, pango_attr_foreground_new((c >> 16 & 0xFF) * 257, (c >> 8 & 0xFF) * 257, (c & 0xFF) * 257), start, end);
	}
}

/* spans NULL: text built to be shaped ahead (build_text), no spans kept */
static void
add_span(GArray *spans, int start, int end, const char *dest, const char *uri, const OvNode *fn, const char *anchor)
{
	Span sp = { start, end, dest, uri, fn, anchor, NULL };
	if (spans)
		g_array_append_val(spans, sp);
}

/* The destination name of a span's node, if spans are kept. */
static const char *
span_dest(Layout *lo, const GArray *spans, const OvNode *n)
{
	return spans && n ? ov_pdf_dest_of(lo, n) : NULL;
}

/* Where model text sits in the layout (for the page map). */
static void
add_text_run(GArray *spans, int start, int end, const OvNode *text)
{
	Span sp = { start, end, NULL, NULL, NULL, NULL, text };
	if (spans && end > start)
		g_array_append_val(spans, sp);
}

double
ov_pdf_image_length(const char *v, double em, double of, double dflt)
{
	char *end;
	double x;
	if (v == NULL)
		return dflt;
	x = g_ascii_strtod(v, &end);
	if (end == v || x <= 0)
		return dflt;
	if (*end == '%')
		return of * x / 100;
	if (!strcmp(end, "em"))
		return x * em;
	if (!strcmp(end, "mm"))
		return x * 72 / 25.4;
	if (!strcmp(end, "cm"))
		return x * 72 / 2.54;
	if (!strcmp(end, "in"))
		return x * 72;
	if (!strcmp(end, "px") || *end == '\0')
		return x * 0.75;
	return x; /* pt */
}

/* An image in the line: an object replacement character shaped to the image's size (drawn
 * by lines.c); its alt text in brackets when the image cannot be used. */
static void
inline_image(Layout *lo, const OvNode *media, double size, GString *s, PangoAttrList *al)
{
	const OvNode *node = NULL;
	OvImage *im;
	double w, h;
	PangoRectangle r;
	PangoAttribute *a;

	/* the one for print (role="fo"), else the first; the next if it cannot be used */
	im = NULL;
	for (node = NULL; im == NULL && (node = ov_media_next(media, node, TRUE)) != NULL;)
		im = ov_image_load(lo->doc, node, lo->d);
	if (im == NULL) {
		node = ov_media_next(media, NULL, TRUE);
		g_string_append_printf(s, "[%s]", node && node->u.img.alt ? node->u.img.alt : "image");
		return;
	}
	g_ptr_array_add(lo->images, im);
	h = ov_pdf_image_length(node->u.img.depth ? node->u.img.depth : node->u.img.contentdepth, size, size, 0);
	w = ov_pdf_image_length(node->u.img.width ? node->u.img.width : node->u.img.contentwidth, size, size, 0);
	if (h == 0 && w == 0)
		h = size; /* a picture in the text is as tall as the text */
	if (h > 0 && w > 0) { /* both: the largest size within them that keeps its shape */
		double k = MIN(w / im->width, h / im->height);
		w = im->width * k;
		h = im->height * k;
	}
	if (h == 0)
		h = w * im->height / im->width;
	if (w == 0)
		w = h * im->width / im->height;
	r.x = 0;
	r.y = (int)(-h * 0.8 * PANGO_SCALE); /* on the baseline, a little below it */
	r.width = (int)(w * PANGO_SCALE);
	r.height = (int)(h * PANGO_SCALE);
	a = pango_attr_shape_new_with_data(&r, &r, im, NULL, NULL);
	a->start_index = (guint)s->len;
	g_string_append(s, "\xEF\xBF\xBC"); /* U+FFFC */
	a->end_index = (guint)s->len;
	pango_attr_list_insert(al, a);
}

/* Walk the inline content of node into text s, attributes al and spans; the stretches that
 * may be hyphenated to hseg (NULL: none may). spans NULL: for the thread that shapes ahead,
 * which must leave the layout as it is: no spans, no diagnostics, and FALSE for a paragraph
 * with an inline image (the layout's images are its own). */
static gboolean
build_text(Layout *lo, const OvNode *node, TextStyle style, double size, GString *s, PangoAttrList *al, GArray *spans,
	   GArray *hseg)
{
	GArray *open = g_array_new(FALSE, FALSE, sizeof(Open));
	HyphenDict *dict = NULL;
	int quote_level = 0, no_hyph = 0;
	OvIter it;
	OvEvent ev;
	gboolean hyph = hseg != NULL;

	ov_iter_init(&it, (OvNode *)node);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		if (n == node)
			continue;
		if (ev == OV_EV_ENTER) {
			Open o = { n, (int)s->len };
			switch (n->type) {
			case OV_TEXT:
				dict = hyph && no_hyph == 0 ? hyph_dict(lo, ov_node_lang(n), n) : NULL;
				g_string_append(s, n->text);
				if (dict) {
					HyphSeg hs = { o.start, (int)s->len, dict };
					g_array_append_val(hseg, hs);
				}
				add_text_run(spans, o.start, (int)s->len, n);
				break;
			case OV_QUOTE: {
				const char *q1, *q2;
				ov_gentext_quotes(ov_node_lang(n), quote_level, &q1, &q2);
				g_string_append(s, q1);
				quote_level++;
				g_array_append_val(open, o);
				break;
			}
			case OV_XREF:
				if (n->gen)
					g_string_append(s, n->gen);
				style_span(lo, al, n, o.start, (int)s->len, size);
				add_span(spans, o.start, (int)s->len, span_dest(lo, spans, n->target), NULL, NULL, NULL);
				add_text_run(spans, o.start, (int)s->len, n);
				break;
			case OV_FOOTNOTE:
			case OV_FOOTNOTEREF: {
				const OvNode *fn = n->type == OV_FOOTNOTE ? n : n->target;
				g_string_append(s, n->type == OV_FOOTNOTE ? (n->label ? n->label : "*") : (n->gen ? n->gen : "*"));
				superscript(al, o.start, (int)s->len, size);
				add_span(spans, o.start, (int)s->len, span_dest(lo, spans, fn), NULL,
					 n->type == OV_FOOTNOTE ? n : NULL, NULL);
				ov_iter_skip_children(&it);
				break;
			}
			case OV_ANCHOR:
			case OV_INDEXTERM:
				add_span(spans, o.start, o.start, NULL, NULL, NULL, span_dest(lo, spans, n));
				break;
			case OV_INLINEMEDIA:
				if (spans == NULL) {
					g_array_free(open, TRUE);
					return FALSE;
				}
				inline_image(lo, n, size, s, al);
				ov_iter_skip_children(&it);
				break;
			case OV_LINEBREAK:
				g_string_append(s, "\xE2\x80\xA8");
				break;
			case OV_IMAGE:
				break;
			default:
				if (ov_inline_style(n) & OV_STYLE_MONO || (n->type == OV_LINK && n->u.link.href))
					no_hyph++;
				g_array_append_val(open, o);
				if (n->type == OV_LINK && n->first == NULL && n->gen) {
					g_string_append(s, n->gen);
					add_text_run(spans, o.start, (int)s->len, n);
				}
				break;
			}
			if (n->id && n->type != OV_ANCHOR && n->type != OV_INDEXTERM)
				add_span(spans, o.start, o.start, NULL, NULL, NULL, ov_pdf_id_dest(lo, n));
		} else if (open->len && g_array_index(open, Open, open->len - 1).node == n) {
			Open o = g_array_index(open, Open, open->len - 1);
			g_array_set_size(open, open->len - 1);
			if (n->type == OV_QUOTE) {
				const char *q1, *q2;
				quote_level--;
				ov_gentext_quotes(ov_node_lang(n), quote_level, &q1, &q2);
				g_string_append(s, q2);
			}
			if (ov_inline_style(n) & OV_STYLE_MONO || (n->type == OV_LINK && n->u.link.href))
				no_hyph--;
			style_span(lo, al, n, o.start, (int)s->len, size);
			if (n->type == OV_LINK && n->target)
				add_span(spans, o.start, (int)s->len, span_dest(lo, spans, n->target), NULL, NULL, NULL);
			else if (n->type == OV_LINK && n->u.link.href)
				add_span(spans, o.start, (int)s->len, NULL, n->u.link.href, NULL, NULL);
		}
	}
	g_array_free(open, TRUE);
	return TRUE;
}

/* Warn about text no bundled font can draw: once per character in a typesetting pass (a later
 * pass's messages are the same, and reported once), one message per paragraph and font. */
static void
check_glyphs_now(Layout *lo, const OvShaped *sh, const OvNode *node)
{
	const char *text = ov_shaped_text(sh);
	const GPtrArray *runs = ov_shaped_runs(sh);
	GHashTable *seen;
	GHashTable *by_font = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *order = g_ptr_array_new_with_free_func(g_free);

	if (lo->unset == NULL)
		lo->unset = g_hash_table_new(g_direct_hash, g_direct_equal);
	seen = lo->unset;
	{
		for (guint r = 0; r < runs->len; r++) {
			PangoGlyphItem *run = g_ptr_array_index(runs, r);
			PangoFontDescription *fd = pango_font_describe(run->item->analysis.font);
			const char *fam = pango_font_description_get_family(fd);
			gboolean bundled = fam && ov_fonts_bundled(fam);
			for (int g = 0; g < run->glyphs->num_glyphs; g++) {
				gboolean unknown = (run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
				gunichar c = g_utf8_get_char(text + run->item->offset + run->glyphs->log_clusters[g]);
				const char *key = unknown ? "" : fam ? fam : "?";
				GString *chars;
				if ((bundled && !unknown) || c == 0x00AD || g_unichar_isspace(c) || g_unichar_iscntrl(c) ||
				    g_hash_table_contains(seen, GUINT_TO_POINTER(c)))
					continue;
				g_hash_table_add(seen, GUINT_TO_POINTER(c));
				chars = g_hash_table_lookup(by_font, key);
				if (chars == NULL) {
					chars = g_string_new(NULL);
					g_hash_table_insert(by_font, g_strdup(key), chars);
					g_ptr_array_add(order, g_strdup(key));
				}
				if (g_utf8_strlen(chars->str, -1) < 12)
					g_string_append_unichar(chars, c);
			}
			pango_font_description_free(fd);
		}
	}
	for (guint i = 0; i < order->len; i++) {
		const char *key = g_ptr_array_index(order, i);
		GString *chars = g_hash_table_lookup(by_font, key);
		if (*key == '\0')
			ov_warn(lo->d, node->loc, "characters \"%s\" are in no font on this machine: drawn as boxes", chars->str);
		else
			ov_warn(lo->d, node->loc, "characters \"%s\" are in none of the bundled fonts: drawn with the system font \"%s\"", chars->str, key);
		g_string_free(chars, TRUE);
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(by_font);
}

static void
check_glyphs(Layout *lo, const OvShaped *sh, const OvNode *node)
{
	if (!ov_fonts_system())
		return; /* every font is bundled: para_set notes a missing glyph (and the book is set again) */
	check_glyphs_now(lo, sh, node);
}

/* Is family (as Pango names a font) one of the comma-separated families? */
static gboolean
in_families(const char *family, const char *families)
{
	gsize n = family ? strlen(family) : 0;
	for (const char *p = families; family && p && *p;) {
		const char *e = strchr(p, ',');
		gsize len = e ? (gsize)(e - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		if (len == n && g_ascii_strncasecmp(p, family, n) == 0)
			return TRUE;
		p = e ? e + 1 : NULL;
	}
	return FALSE;
}

/* With the bundled fonts alone: did any run of the paragraph get a font outside the families
 * asked for (the description's list, or a family attribute's), or no glyph? The system's
 * fonts could then have set it otherwise: ov_fonts_fallback. */
static void
note_fallback(const OvShaped *sh, PangoAttrList *al, const PangoFontDescription *fd)
{
	const GPtrArray *runs = ov_shaped_runs(sh);
	const char *families = pango_font_description_get_family(fd);
	GSList *fams = NULL;
	PangoAttrIterator *ai = pango_attr_list_get_iterator(al);

	do { /* the family attributes (mono spans) and their ranges */
		PangoAttribute *a = pango_attr_iterator_get(ai, PANGO_ATTR_FAMILY);
		if (a)
			fams = g_slist_prepend(fams, a);
	} while (pango_attr_iterator_next(ai));
	pango_attr_iterator_destroy(ai);
	for (guint r = 0; r < runs->len; r++) {
		PangoGlyphItem *run = g_ptr_array_index(runs, r);
		PangoFontDescription *got = pango_font_describe(run->item->analysis.font);
		const char *want = families;
		gboolean ok = TRUE;
		for (GSList *l = fams; l; l = l->next) {
			PangoAttribute *a = l->data;
			if (a->start_index <= (guint)run->item->offset && (guint)run->item->offset < a->end_index)
				want = ((PangoAttrString *)a)->value;
		}
		ok = in_families(pango_font_description_get_family(got), want);
		for (int g = 0; ok && g < run->glyphs->num_glyphs; g++)
			if (run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
				ok = FALSE;
		pango_font_description_free(got);
		if (!ok) {
			ov_fonts_fallback();
			break;
		}
	}
	g_slist_free(fams);
}

/* ---- reuse between passes ----
 *
 * A later typesetting pass sets nearly every paragraph as an earlier one did: only "page N"
 * references and the index's locators change. So a paragraph's source (what shaping reads:
 * its text, attributes, font, language, size and the stretches that may be hyphenated) is
 * kept in the memo, with every way it was broken into lines (break spec, lines); a later pass
 * whose paragraph has the same source and break spec takes those lines and neither
 * hyphenates, shapes nor breaks it. Lines are never changed once made, so sharing them
 * changes nothing in the output. The source of a paragraph of the model serves one paragraph
 * a pass: its text is that paragraph's own (the page map finds a line's paragraph by its
 * text's address); plain text (labels, the TOC) is in no page map, and its source is shared
 * within a pass too. */

struct ParaSource {
	char *text;             /* GRefString: the paragraph's lines hold it */
	int len;
	PangoAttrList *al;
	PangoFontDescription *fd;
	PangoLanguage *pl;
	double size;
	GArray *hseg;           /* HyphSeg, or NULL: not hyphenated */
	gboolean shared;        /* plain text: serves any number of paragraphs */
	guint hash;
	GArray *broken;         /* Broken; NULL: not kept (the paragraph's own source) */
	gboolean measured;      /* natural and least are known */
	double natural, least;  /* ov_shaped_natural_width, ov_shaped_min_width */
	int pass;               /* the last pass whose paragraph took it */
	ParaSource *next;       /* another with the same source (a paragraph repeated) */
};

typedef struct {
	OvBreakSpec bs;
	int nlines;             /* 0: ov_break; else ov_break_lines */
	GPtrArray *lines;       /* NULL: no way in nlines lines */
	int pass;               /* the last pass that took it */
} Broken;

struct OvPdfMemo {
	GHashTable *srcs;       /* ParaSource (the first of equal ones) -> itself */
	int pass;
	int first;              /* the current build's first pass */
	gboolean system;        /* set with the system's fonts */
	int hyph[3];            /* the theme's hyphenation limits it was set with */
};

static GPtrArray *
lines_copy(const GPtrArray *lines)
{
	GPtrArray *a = g_ptr_array_new_full(lines->len, (GDestroyNotify)ov_line_unref);
	for (guint i = 0; i < lines->len; i++)
		g_ptr_array_add(a, ov_line_ref(g_ptr_array_index(lines, i)));
	return a;
}

/* The ways of breaking no pass since first took, let go (first 0: all of them). */
static void
broken_sweep(GArray *broken, int first)
{
	for (guint i = broken->len; i-- > 0;) {
		Broken *b = &g_array_index(broken, Broken, i);
		if (first && b->pass >= first)
			continue;
		if (b->lines)
			g_ptr_array_unref(b->lines);
		g_array_remove_index(broken, i);
	}
}

/* What a source holds, let go (the parts it has). */
static void
source_clear(ParaSource *src)
{
	if (src->broken) {
		broken_sweep(src->broken, 0);
		g_array_free(src->broken, TRUE);
	}
	if (src->hseg)
		g_array_free(src->hseg, TRUE);
	if (src->text)
		g_ref_string_release(src->text);
	if (src->al)
		pango_attr_list_unref(src->al);
	if (src->fd)
		pango_font_description_free(src->fd);
}

static void
source_free(ParaSource *src)
{
	while (src) {
		ParaSource *next = src->next;
		source_clear(src);
		g_free(src);
		src = next;
	}
}

static guint
source_hash(gconstpointer k)
{
	return ((const ParaSource *)k)->hash;
}

/* The same attributes over the same ranges, in the same order? */
static gboolean
attrs_equal(PangoAttrList *a, PangoAttrList *b)
{
	GSList *la = pango_attr_list_get_attributes(a), *lb = pango_attr_list_get_attributes(b), *x, *y;
	gboolean eq = TRUE;

	for (x = la, y = lb; eq && x && y; x = x->next, y = y->next) {
		const PangoAttribute *p = x->data, *q = y->data;
		eq = p->start_index == q->start_index && p->end_index == q->end_index && pango_attribute_equal(p, q);
	}
	eq = eq && x == NULL && y == NULL;
	g_slist_free_full(la, (GDestroyNotify)pango_attribute_destroy);
	g_slist_free_full(lb, (GDestroyNotify)pango_attribute_destroy);
	return eq;
}

/* What shaping reads, the same? */
static gboolean
same_source(const ParaSource *a, const ParaSource *b)
{
	guint na = a->hseg ? a->hseg->len : 0, nb = b->hseg ? b->hseg->len : 0;
	return a->len == b->len && a->size == b->size && a->pl == b->pl && (a->hseg == NULL) == (b->hseg == NULL) &&
	       na == nb && memcmp(a->text, b->text, (size_t)a->len) == 0 &&
	       (na == 0 || memcmp(a->hseg->data, b->hseg->data, na * sizeof(HyphSeg)) == 0) &&
	       pango_font_description_equal(a->fd, b->fd) && attrs_equal(a->al, b->al);
}

static gboolean
source_equal(gconstpointer ka, gconstpointer kb)
{
	const ParaSource *a = ka, *b = kb;
	return a->hash == b->hash && a->shared == b->shared && same_source(a, b);
}

OvPdfMemo *
ov_pdf_memo_new(void)
{
	OvPdfMemo *m = g_new0(OvPdfMemo, 1);
	m->srcs = g_hash_table_new_full(source_hash, source_equal, NULL, (GDestroyNotify)source_free);
	return m;
}

void
ov_pdf_memo_free(OvPdfMemo *m)
{
	if (m == NULL)
		return;
	g_hash_table_destroy(m->srcs);
	g_free(m);
}

OvPdfMemo *
ov_pdf_memo_pass(OvPdfMemo *m)
{
	if (m == NULL)
		return NULL;
	m->pass++;
	if (m->system != ov_fonts_system()) { /* other fonts: other glyphs */
		g_hash_table_remove_all(m->srcs);
		m->system = ov_fonts_system();
	}
	return m;
}

void
ov_pdf_memo_build(OvPdfMemo *m, const OvTheme *th)
{
	int hyph[3] = { th->hyph_min_word, th->hyph_min_left, th->hyph_min_right };

	/* what shaping reads beside a paragraph's source; and with the system's fonts, every
	 * paragraph shaped again, for check_glyphs to warn about it in this build too */
	if (memcmp(hyph, m->hyph, sizeof hyph) != 0 || ov_fonts_system()) {
		g_hash_table_remove_all(m->srcs);
		memcpy(m->hyph, hyph, sizeof hyph);
	}
	m->first = m->pass + 1;
}

void
ov_pdf_memo_sweep(OvPdfMemo *m)
{
	GList *heads = g_hash_table_get_keys(m->srcs);

	for (GList *l = heads; l; l = l->next) {
		ParaSource *src = l->data, *kept = NULL, **end = &kept;
		g_hash_table_steal(m->srcs, src);
		while (src) {
			ParaSource *next = src->next;
			src->next = NULL;
			if (src->pass >= m->first) {
				broken_sweep(src->broken, m->first);
				*end = src;
				end = &src->next;
			} else {
				source_free(src);
			}
			src = next;
		}
		if (kept)
			g_hash_table_add(m->srcs, kept);
	}
	g_list_free(heads);
}

/* The paragraph's source: a kept one (shared, or one that no paragraph of this pass took
 * yet), or a new one (kept in the memo if keep). Takes al and fd. */
static ParaSource *
source_take(Layout *lo, Para *p, const char *text, int len, PangoAttrList *al, PangoFontDescription *fd,
	    PangoLanguage *pl, double size, GArray *hseg, gboolean shared, gboolean keep)
{
	ParaSource key = { .text = (char *)text, .len = len, .al = al, .fd = fd, .pl = pl, .size = size, .hseg = hseg, .shared = shared },
		   *src, *head = NULL, **end;
	OvPdfMemo *m = keep ? lo->memo : NULL;

	p->own_src = m == NULL;
	if (m) {
		key.hash = (guint)(size * 64) + (pl ? g_str_hash(pango_language_to_string(pl)) : 0);
		for (int i = 0; i < len; i++)
			key.hash = key.hash * 31 + (guchar)text[i];
		head = g_hash_table_lookup(m->srcs, &key);
		for (src = head; src; src = src->next)
			if (src->pass != m->pass || shared) {
				src->pass = m->pass;
				pango_attr_list_unref(al);
				pango_font_description_free(fd);
				return src;
			}
	}
	src = g_new0(ParaSource, 1);
	*src = key;
	src->text = g_ref_string_new_len(text, len);
	src->hseg = hseg ? g_array_copy(hseg) : NULL;
	if (m) {
		src->broken = g_array_new(FALSE, FALSE, sizeof(Broken));
		src->pass = m->pass;
		for (end = &head; *end; end = &(*end)->next)
			;
		*end = src;
		if (head == src)
			g_hash_table_add(m->srcs, src);
	}
	return src;
}

static OvShaped *ahead_take(OvAhead *ah, const OvNode *node, const ParaSource *src);

/* Shape the paragraph, if it is not yet: the thread that shapes ahead may have. */
static void
para_shape(Para *p)
{
	ParaSource *src = p->src;
	GArray *hp;

	if (p->sh)
		return;
	if (p->lo->ahead && p->node)
		p->sh = ahead_take(p->lo->ahead, p->node, src);
	p->lo->shaped++;
	if (p->sh)
		p->lo->shaped_ahead++;
	else {
		hp = g_array_new(FALSE, FALSE, sizeof(int));
		if (src->hseg)
			hyphenate(p->lo, src->text, src->len, src->hseg, hp);
		p->sh = ov_shape(p->lo->pc, src->text, src->len, src->al, src->fd, src->pl, src->size, (int *)hp->data, (int)hp->len);
		g_array_free(hp, TRUE);
	}
	ov_shaped_share_text(p->sh, src->text);
	if (!ov_fonts_system())
		note_fallback(p->sh, src->al, src->fd);
}

static gboolean
bs_equal(const OvBreakSpec *a, const OvBreakSpec *b)
{
	return a->width == b->width && a->indent == b->indent && a->mode == b->mode && a->align == b->align &&
	       a->hyphenate == b->hyphenate && a->greedy == b->greedy && a->max_hyphens == b->max_hyphens &&
	       a->tolerance == b->tolerance && a->emergency_stretch == b->emergency_stretch && a->rag == b->rag &&
	       a->letter_space == b->letter_space;
}

/* The paragraph broken at its break spec (nlines 0: ov_break; else ov_break_lines): as an
 * earlier pass broke it, or now. */
static GPtrArray *
para_break(Para *p, int nlines)
{
	GArray *broken = p->src->broken;
	GPtrArray *lines;

	for (guint i = 0; broken && i < broken->len; i++) {
		Broken *b = &g_array_index(broken, Broken, i);
		if (b->nlines == nlines && bs_equal(&b->bs, &p->bs)) {
			b->pass = p->lo->memo->pass;
			return b->lines ? lines_copy(b->lines) : NULL;
		}
	}
	para_shape(p);
	lines = nlines ? ov_break_lines(p->sh, &p->bs, nlines) : ov_break(p->sh, &p->bs);
	if (broken) {
		Broken b = { p->bs, nlines, lines ? lines_copy(lines) : NULL, p->lo->memo->pass };
		g_array_append_val(broken, b);
	}
	return lines;
}

/* Does a paragraph of this style (and ov_pdf_para_ex's flags) get hyphenated? */
static gboolean
hyphenates(const OvTheme *th, TextStyle style, int flags)
{
	return th->hyphenate && (style == TS_BODY || style == TS_FOOTNOTE || (flags & OV_PARA_HYPHENATE)) &&
	       !(flags & OV_PARA_NO_HYPHENS);
}

static Para *
para_new(Layout *lo, TextStyle style, double size, double width, PangoAlignment align, gboolean justify)
{
	const OvTheme *th = lo->th;
	Para *p = g_new0(Para, 1);
	p->lo = lo;
	p->spans = g_array_new(FALSE, TRUE, sizeof(Span));
	p->leading = style == TS_BODY ? th->leading : size * th->leading / th->body_size;
	p->bs.width = width;
	p->bs.mode = justify ? OV_BREAK_JUSTIFY : OV_BREAK_RAGGED;
	p->bs.align = align;
	p->bs.hyphenate = hyphenates(th, style, 0);
	p->bs.greedy = th->greedy || style == TS_MONO;
	p->bs.max_hyphens = th->hyph_max_lines > 0 ? th->hyph_max_lines : G_MAXINT;
	p->bs.tolerance = th->tolerance;
	p->bs.emergency_stretch = th->emergency_stretch * size / th->body_size;
	p->bs.letter_space = style == TS_MONO ? 0 : th->letter_space * size / th->body_size;
	p->bs.rag = size * 3;
	return p;
}

/* The language shaping is given: the paragraph's, or the book's. */
static PangoLanguage *
para_language(Layout *lo, const char *lang)
{
	return lang ? pango_language_from_string(lang) : pango_context_get_language(lo->pc);
}

/* Find the paragraph's source (keep: in the memo, if there is one; node: the model's
 * paragraph it sets, NULL for plain text) and break it into lines. Takes al. */
static void
para_set(Layout *lo, Para *p, const OvNode *node, TextStyle style, double size, const char *text, int len,
	 PangoAttrList *al, const char *lang, GArray *hseg, gboolean keep)
{
	p->src = source_take(lo, p, text, len, al, ov_pdf_font(lo, style, size), para_language(lo, lang), size, hseg,
			     node == NULL, keep);
	p->lines = para_break(p, 0);
}

Para *
ov_pdf_para(Layout *lo, const OvNode *node, TextStyle style, double size, double width, PangoAlignment align,
	    gboolean justify, const char *prefix)
{
	return ov_pdf_para_ex(lo, node, style, size, width, align, justify, prefix, 0);
}

/* The text of node's paragraph as ov_pdf_para_ex sets it (prefix and flags are its), into s
 * and al; with hyphenate, the stretches that may be hyphenated into hseg; spans: see
 * build_text (FALSE: not built). */
static gboolean
para_text(Layout *lo, const OvNode *node, TextStyle style, double size, const char *prefix, int flags,
	  gboolean hyphenate, GString *s, PangoAttrList *al, GArray *spans, GArray *hseg)
{
	const char *lang = ov_node_lang(node);

	if (prefix) {
		g_string_append(s, prefix);
		if (!(flags & OV_PARA_PLAIN_PREFIX))
			add_attr(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), 0, (int)s->len);
	}
	if ((flags & OV_PARA_RUN_IN) && node->parent && ov_node_child(node->parent, OV_TITLE)) {
		/* the title's inline content, as the EPUB's run-in title has it: notes, quotations,
		 * links and all */
		int start = (int)s->len;
		if (!build_text(lo, ov_node_child(node->parent, OV_TITLE), style, size, s, al, spans, hyphenate ? hseg : NULL))
			return FALSE;
		g_string_append(s, ov_run_in_stop(ov_node_child(node->parent, OV_TITLE)));
		g_string_append_c(s, ' ');
		add_attr(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, (int)s->len);
	}
	if (!build_text(lo, node, style, size, s, al, spans, hyphenate ? hseg : NULL))
		return FALSE;
	if (flags & OV_PARA_BOLD)
		pango_attr_list_insert_before(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	if ((flags & OV_PARA_ITALIC) && !ov_lang_upright(lang))
		pango_attr_list_insert_before(al, pango_attr_style_new(PANGO_STYLE_ITALIC));
	if (lang) {
		PangoAttribute *a = pango_attr_language_new(pango_language_from_string(lang));
		a->start_index = 0;
		a->end_index = G_MAXUINT;
		pango_attr_list_insert_before(al, a);
	}
	return TRUE;
}

Para *
ov_pdf_para_ex(Layout *lo, const OvNode *node, TextStyle style, double size, double width, PangoAlignment align,
	       gboolean justify, const char *prefix, int flags)
{
	Para *p = para_new(lo, style, size, width, align, justify);
	GString *s = g_string_new(NULL);
	PangoAttrList *al = pango_attr_list_new();
	GArray *hseg = g_array_new(FALSE, FALSE, sizeof(HyphSeg));
	guint images = lo->images->len;

	p->node = node;
	p->bs.hyphenate = hyphenates(lo->th, style, flags);
	if (flags & OV_PARA_INDENT)
		p->bs.indent = lo->th->indent;
	para_text(lo, node, style, size, prefix, flags, p->bs.hyphenate, s, al, p->spans, hseg);
	/* a paragraph with an image is not kept: the images are the pass's own */
	para_set(lo, p, node, style, size, s->str, (int)s->len, al, ov_node_lang(node), p->bs.hyphenate ? hseg : NULL,
		 lo->images->len == images);
	g_string_free(s, TRUE);
	g_array_free(hseg, TRUE);
	p->ts = ov_pdf_text_source(node, p->spans); /* for the page map */
	if (p->sh) /* shaped now; else an earlier pass checked the same text */
		check_glyphs(lo, p->sh, node);
	return p;
}

/* A block image where only paragraphs go (a table cell, a footnote): one line holding the
 * image (sized by the caller), standing on the baseline, aligned as align says. */
Para *
ov_pdf_image_para(Layout *lo, const OvNode *media, OvImage *im, double w, double h, double width, PangoAlignment align)
{
	Para *p = para_new(lo, TS_BODY, lo->th->body_size, width, align, FALSE);
	PangoAttrList *al = pango_attr_list_new();
	PangoRectangle r = { 0, (int)(-h * PANGO_SCALE), (int)(w * PANGO_SCALE), (int)(h * PANGO_SCALE) };
	PangoAttribute *a = pango_attr_shape_new_with_data(&r, &r, im, NULL, NULL);

	p->node = media;
	p->bs.hyphenate = FALSE;
	a->start_index = 0;
	a->end_index = 3;
	pango_attr_list_insert(al, a);
	/* not kept in the memo: the images are the pass's own */
	para_set(lo, p, media, TS_BODY, lo->th->body_size, "\xEF\xBF\xBC", 3, al, ov_node_lang(media), NULL, FALSE);
	return p;
}

Para *
ov_pdf_plain(Layout *lo, const char *text, TextStyle style, double size, double width, PangoAlignment align,
	     gboolean bold)
{
	return ov_pdf_plain_lang(lo, text, style, size, width, align, bold, NULL);
}

Para *
ov_pdf_plain_lang(Layout *lo, const char *text, TextStyle style, double size, double width, PangoAlignment align,
		  gboolean bold, const char *lang)
{
	Para *p = para_new(lo, style, size, width, align, FALSE);
	PangoAttrList *al = pango_attr_list_new();
	p->bs.hyphenate = FALSE;
	if (bold)
		pango_attr_list_insert(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	para_set(lo, p, NULL, style, size, text, (int)strlen(text), al, lang && *lang ? lang : NULL, NULL, TRUE);
	return p;
}

void
ov_pdf_para_rebreak(Para *p, double width, double indent)
{
	if (p->bs.width == width && p->bs.indent == indent)
		return;
	p->bs.width = width;
	p->bs.indent = indent;
	g_ptr_array_free(p->lines, TRUE);
	p->lines = para_break(p, 0);
}

void
ov_pdf_para_balance(Para *p)
{
	double full = p->bs.width, lo, hi, best = full;
	guint n = p->lines->len;
	PangoAlignment al = p->bs.align;

	if (n < 2 || p->bs.mode == OV_BREAK_JUSTIFY || full <= 0)
		return;
	lo = full / n;
	hi = full;
	while (hi - lo > 0.5) {
		double mid = (lo + hi) / 2;
		gboolean fits;
		ov_pdf_para_rebreak(p, mid, p->bs.indent);
		fits = p->lines->len == n;
		for (guint i = 0; fits && i < p->lines->len; i++)
			fits = !((OvLine *)g_ptr_array_index(p->lines, i))->overfull;
		if (fits)
			hi = best = mid;
		else
			lo = mid;
	}
	ov_pdf_para_rebreak(p, best, p->bs.indent);
	if (n > 0 && ((OvLine *)g_ptr_array_index(p->lines, 0))->rtl && al != PANGO_ALIGN_CENTER)
		al = al == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	p->dx = (full - best) * (al == PANGO_ALIGN_CENTER ? 0.5 : al == PANGO_ALIGN_RIGHT ? 1 : 0);
}

GPtrArray *
ov_pdf_para_break_lines(Para *p, int nlines)
{
	return para_break(p, nlines);
}

const char *
ov_pdf_para_text(const Para *p)
{
	return p->src->text;
}

/* The source with its widths: measured by an earlier pass, or now. */
static const ParaSource *
para_measured(Para *p)
{
	if (!p->src->measured) {
		para_shape(p);
		p->src->natural = ov_shaped_natural_width(p->sh);
		p->src->least = ov_shaped_min_width(p->sh);
		p->src->measured = TRUE;
	}
	return p->src;
}

double
ov_pdf_para_natural_width(Para *p)
{
	return para_measured(p)->natural + p->bs.indent;
}

double
ov_pdf_para_min_width(Para *p)
{
	return para_measured(p)->least;
}

double
ov_pdf_para_height(const Para *p)
{
	double h = 0;
	for (guint i = 0; i < p->lines->len; i++)
		h += ov_line_box(g_ptr_array_index(p->lines, i), p->leading, NULL);
	return h;
}

void
ov_pdf_para_free(Para *p)
{
	if (p == NULL)
		return;
	g_array_free(p->spans, TRUE);
	if (p->lines)
		g_ptr_array_free(p->lines, TRUE);
	ov_shaped_free(p->sh);
	if (p->own_src)
		source_free(p->src);
	ov_pdf_text_source_unref(p->ts);
	g_free(p);
}

/* ---- shaping ahead ----
 *
 * Shaping is most of the layout's time, and a paragraph is shaped the same wherever it goes.
 * So a thread of its own shapes the paragraphs the flow will set, in the order it will set
 * them (ov_pdf_flow_ahead says which, and how), at most AHEAD_BYTES of text ahead of the flow.
 * It has a font map of its own (Pango objects must not be used by two threads at once), and
 * a Layout of its own that holds only what building a paragraph's text reads. The flow takes
 * a paragraph's shaping only if it is shaped from the very source the flow built itself
 * (same_source): a wrong guess costs that thread's time, never a difference in the output.
 * That thread hyphenates too, with a cache of its own, and reports nothing: every message is
 * the flow's, in its order. A paragraph the flow reaches first it shapes itself. */

#define AHEAD_BYTES (64 * 1024)

typedef enum {
	AHEAD_BUSY,     /* being shaped */
	AHEAD_DONE,     /* shaped, waiting for the flow */
	AHEAD_NONE,     /* not shaped ahead (an inline image) */
	AHEAD_CLAIMED   /* the flow got there first */
} AheadState;

typedef struct {
	const OvNode *node;
	AheadState state;
	ParaSource src;         /* DONE: what it was shaped from */
	OvShaped *sh;
} AheadJob;

struct OvAhead {
	Layout lo;              /* the thread's */
	GMutex lock;
	GCond cond;
	GHashTable *jobs;       /* const OvNode* -> AheadJob* */
	GQueue done;            /* the DONE jobs, in the order shaped */
	gsize waiting;          /* their bytes of text */
	gboolean stop;
	int waiting_threads;    /* in g_cond_wait: a wake-up is a system call, made only for them */
	int skip;               /* paragraphs to leave to the flow, which is about to need them */
	GThread *thread;
};

static void
ahead_job_free(AheadJob *j)
{
	source_clear(&j->src);
	ov_shaped_free(j->sh);
	g_free(j);
}

/* Wait for the other thread (with the lock held), or wake it if it waits. */
static void
ahead_wait(OvAhead *ah)
{
	ah->waiting_threads++;
	g_cond_wait(&ah->cond, &ah->lock);
	ah->waiting_threads--;
}

static void
ahead_wake(OvAhead *ah)
{
	if (ah->waiting_threads)
		g_cond_broadcast(&ah->cond);
}

static gpointer
ahead_run(gpointer data)
{
	OvAhead *ah = data;
	ah->lo.pc = ov_pdf_context(ah->lo.fm, ah->lo.doc->meta.lang);
	ov_pdf_flow_ahead(ah, ah->lo.th, ah->lo.doc->root);
	g_object_unref(ah->lo.pc);
	return NULL;
}

OvAhead *
ov_pdf_ahead_start(Layout *lo)
{
	OvAhead *ah;
	PangoFontMap *fm;

	/* a later pass takes nearly every paragraph from the memo: nothing to shape */
	if (lo->memo && g_hash_table_size(lo->memo->srcs) > 0)
		return NULL;
	if ((fm = ov_fonts_ahead_map()) == NULL)
		return NULL;
	ov_node_lang_all(lo->doc->root); /* both threads ask it */
	ah = g_new0(OvAhead, 1);
	ah->lo.doc = lo->doc;
	ah->lo.th = lo->th;
	ah->lo.fm = fm;
	ah->lo.link_color = lo->link_color;
	ah->lo.words = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_destroy);
	g_mutex_init(&ah->lock);
	g_cond_init(&ah->cond);
	ah->jobs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)ahead_job_free);
	g_queue_init(&ah->done);
	ah->thread = g_thread_new("octavo-shape", ahead_run, ah);
	return ah;
}

void
ov_pdf_ahead_stop(OvAhead *ah)
{
	if (ah == NULL)
		return;
	g_mutex_lock(&ah->lock);
	ah->stop = TRUE;
	g_cond_broadcast(&ah->cond);
	g_mutex_unlock(&ah->lock);
	g_thread_join(ah->thread);
	g_queue_clear(&ah->done);
	g_hash_table_destroy(ah->jobs);
	g_hash_table_destroy(ah->lo.words);
	g_mutex_clear(&ah->lock);
	g_cond_clear(&ah->cond);
	g_free(ah);
}

gboolean
ov_pdf_ahead_shape(OvAhead *ah, const OvNode *node, TextStyle style, double size, const char *prefix, int flags)
{
	Layout *lo = &ah->lo;
	gboolean hyph = hyphenates(lo->th, style, flags), ok;
	GString *s;
	GArray *hseg, *hp;
	PangoAttrList *al;
	AheadJob *j;

	g_mutex_lock(&ah->lock);
	while (!ah->stop && ah->waiting > AHEAD_BYTES)
		ahead_wait(ah);
	if (!ah->stop && ah->skip > 0) { /* the flow is at its heels: leave this one to it */
		ah->skip--;
		g_mutex_unlock(&ah->lock);
		return TRUE;
	}
	j = ah->stop ? NULL : g_hash_table_lookup(ah->jobs, node);
	if (ah->stop || j != NULL) {
		gboolean stop = ah->stop;
		if (j && j->state == AHEAD_CLAIMED) /* the flow is past it */
			g_hash_table_remove(ah->jobs, node);
		g_mutex_unlock(&ah->lock);
		return !stop;
	}
	j = g_new0(AheadJob, 1);
	j->node = node;
	j->state = AHEAD_BUSY;
	g_hash_table_insert(ah->jobs, (gpointer)node, j);
	g_mutex_unlock(&ah->lock);

	s = g_string_new(NULL);
	al = pango_attr_list_new();
	hseg = g_array_new(FALSE, FALSE, sizeof(HyphSeg));
	ok = para_text(lo, node, style, size, prefix, flags, hyph, s, al, NULL, hseg);
	if (ok) {
		j->src.len = (int)s->len;
		j->src.text = g_ref_string_new_len(s->str, (gssize)s->len);
		j->src.al = al;
		j->src.fd = ov_pdf_font(lo, style, size);
		j->src.pl = para_language(lo, ov_node_lang(node));
		j->src.size = size;
		j->src.hseg = hyph ? g_array_ref(hseg) : NULL;
		hp = g_array_new(FALSE, FALSE, sizeof(int));
		if (j->src.hseg)
			hyphenate(lo, j->src.text, j->src.len, j->src.hseg, hp);
		j->sh = ov_shape(lo->pc, j->src.text, j->src.len, al, j->src.fd, j->src.pl, size, (int *)hp->data, (int)hp->len);
		g_array_free(hp, TRUE);
	} else {
		pango_attr_list_unref(al);
	}
	g_array_unref(hseg);
	g_string_free(s, TRUE);

	g_mutex_lock(&ah->lock);
	j->state = ok ? AHEAD_DONE : AHEAD_NONE;
	if (ok) {
		g_queue_push_tail(&ah->done, j);
		ah->waiting += (gsize)j->src.len;
	}
	ahead_wake(ah);
	g_mutex_unlock(&ah->lock);
	return TRUE;
}

/* The shaping of node's paragraph made ahead from src, or NULL: the flow shapes it. */
static OvShaped *
ahead_take(OvAhead *ah, const OvNode *node, const ParaSource *src)
{
	OvShaped *sh = NULL;
	AheadJob *j;

	g_mutex_lock(&ah->lock);
	j = g_hash_table_lookup(ah->jobs, node);
	if (j == NULL) {
		j = g_new0(AheadJob, 1);
		j->node = node;
		j->state = AHEAD_CLAIMED;
		g_hash_table_insert(ah->jobs, (gpointer)node, j);
		g_mutex_unlock(&ah->lock);
		return NULL;
	}
	while (j->state == AHEAD_BUSY)
		ahead_wait(ah);
	if (j->state == AHEAD_DONE) {
		/* those shaped before it were guessed wrong, or are set out of order: let them go */
		AheadJob *first;
		while ((first = g_queue_pop_head(&ah->done)) != j) {
			ah->waiting -= (gsize)first->src.len;
			g_hash_table_remove(ah->jobs, first->node);
		}
		ah->waiting -= (gsize)j->src.len;
		if (g_queue_is_empty(&ah->done))
			ah->skip = 1;
		if (same_source(&j->src, src))
			sh = g_steal_pointer(&j->sh);
		ahead_wake(ah);
	}
	if (j->state != AHEAD_CLAIMED)
		g_hash_table_remove(ah->jobs, node);
	g_mutex_unlock(&ah->lock);
	return sh;
}
