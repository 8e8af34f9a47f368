/* lines.c: a paragraph shaped once and broken into lines.
 *
 * The text of a paragraph is itemized and shaped once with Pango (no PangoLayout: its
 * greedy wrapping is what this replaces, and it cannot hold paragraphs wider than 2^31
 * Pango units). Every character gets an advance; spaces are glue (stretch 1/2, shrink 1/3
 * of their width); break opportunities come from Pango's log attributes (UAX #14, so CJK
 * and right-to-left text break correctly) and hyphenation points from libhyphen.
 *
 * Breaking is Knuth and Plass's total fit: a first pass within the theme's tolerance, a
 * second with emergency stretch, a third that may also break inside words (no hyphen is
 * drawn there: URLs and code must not grow one). A line too wide for any break is the last
 * resort and is counted as overfull. Ragged and centred text use the same algorithm with a
 * fixed right-hand stretch, which evens the rag. Greedy (first fit) is kept for comparison.
 *
 * A line is a list of pieces of the shaped runs, in visual order, with the justification
 * added to the widths of the space glyphs. A hyphenated word's first part carries the whole
 * word and the punctuation after it as its text (ActualText in the PDF) and its second part
 * none, so the text layer keeps whole words. */
#include <math.h>
#include <string.h>
#include <pango/pangofc-font.h>
#include "layout.h"

#define INF_BAD 10000.0
#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 50.0
#define EMERGENCY_PENALTY 3000.0
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS 5000.0
#define ADJ_DEMERITS 10000.0

enum { CF_GLUE = 1, CF_HYPH = 2, CF_WHITE = 4, CF_SHY = 8, CF_CLUSTER = 16, CF_GAP = 32 };

struct OvShaped {
	char *text;            /* GRefString: lines keep it for their text mapping */
	int len, nchars;
	GPtrArray *runs;       /* PangoGlyphItem*, logical order */
	PangoLogAttr *la;      /* nchars + 1 */
	int *cbyte;            /* char -> byte, nchars + 1 */
	double *W, *S, *Z;     /* prefix sums of advance, stretch and shrink, nchars + 1 */
	int *G;                /* prefix counts of letter gaps (CF_GAP), nchars + 1 */
	guint8 *cf;            /* char flags */
	double *run_asc, *run_desc, *run_yoff;
	float *run_deco;       /* per run: underline position and thickness, strike-through position
	                        * and thickness (points); NULL if no run has either */
	PangoGlyphString **run_hy; /* per run: the added hyphen's glyphs, for runs that may break
	                        * with one (NULL for the others) */
	double size, hyphen_w, asc, desc;
	PangoDirection dir;
};

static double
pu(int v)
{
	return v / (double)PANGO_SCALE;
}

/* ---- shaping ---- */

/* How much a space may shrink: a third, but never below 0.17 em (narrower, and text
 * extraction such as poppler's, which wants 0.15 em, runs the words together). */
static double
shrink_of(double w, double size)
{
	return MAX(0, MIN(w / 3, w - 0.17 * size));
}

static PangoAttribute *
find_attr(const PangoItem *item, PangoAttrType t)
{
	for (GSList *l = item->analysis.extra_attrs; l; l = l->next)
		if (((PangoAttribute *)l->data)->klass->type == t)
			return l->data;
	return NULL;
}

static void
font_metrics(PangoFont *font, double *asc, double *desc)
{
	FcPattern *pat = font && PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
	FcMatrix *mx;
	PangoFontMetrics *m;
	if (pat && (FcPatternGetMatrix(pat, FC_MATRIX, 0, &mx) != FcResultMatch || mx->yy == 1)) {
		/* the font's own extents, as Pango's metrics take them (hint metrics are off), without
		 * the sample text Pango lays out on a font's first call to measure widths: 2 M
		 * instructions a font, a dozen ms a book */
		hb_font_extents_t ext = { 0 };
		hb_font_get_extents_for_direction(pango_font_get_hb_font(font), HB_DIRECTION_LTR, &ext);
		*asc = pu(ext.ascender);
		*desc = pu(-ext.descender);
		return;
	}
	m = font ? pango_font_get_metrics(font, NULL) : NULL;
	*asc = m ? pu(pango_font_metrics_get_ascent(m)) : 0;
	*desc = m ? pu(pango_font_metrics_get_descent(m)) : 0;
	if (m)
		pango_font_metrics_unref(m);
}

/* A run in a font whose ascent or descent passes the paragraph's font's (a fallback font for
 * another script: Noto Naskh Arabic's reach far above its letters) would open its line wider
 * than its neighbours: it counts as far as its glyphs' ink goes, and never further than its
 * font's own extents. */
static void
ink_metrics(OvShaped *sh, int ri, PangoFont *font, const PangoGlyphString *gs)
{
	hb_font_t *hb;
	double asc = 0, desc = 0;

	if ((sh->run_asc[ri] <= sh->asc && sh->run_desc[ri] <= sh->desc) || font == NULL)
		return;
	hb = pango_font_get_hb_font(font);
	for (int g = 0; g < gs->num_glyphs; g++) {
		hb_glyph_extents_t ext;
		if (gs->glyphs[g].glyph == PANGO_GLYPH_EMPTY || (gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
		    !hb_font_get_glyph_extents(hb, gs->glyphs[g].glyph, &ext))
			continue;
		asc = MAX(asc, pu(ext.y_bearing - gs->glyphs[g].geometry.y_offset));
		desc = MAX(desc, pu(-(ext.y_bearing + ext.height) + gs->glyphs[g].geometry.y_offset));
	}
	sh->run_asc[ri] = MIN(sh->run_asc[ri], MAX(sh->asc, asc));
	sh->run_desc[ri] = MIN(sh->run_desc[ri], MAX(sh->desc, desc));
}

/* Letter-spacing may help justify left-to-right runs of scripts whose letters stand apart
 * (Latin, Greek, Cyrillic, and CJK, which has no spaces to stretch); never joined scripts
 * such as Arabic or Devanagari, where a gap would break the letters' joins. */
static gboolean
letter_spaceable(const PangoAnalysis *an)
{
	if (an->level & 1)
		return FALSE;
	switch ((int)an->script) {
	case PANGO_SCRIPT_COMMON: case PANGO_SCRIPT_INHERITED: case PANGO_SCRIPT_LATIN:
	case PANGO_SCRIPT_GREEK: case PANGO_SCRIPT_CYRILLIC: case PANGO_SCRIPT_ARMENIAN:
	case PANGO_SCRIPT_HAN: case PANGO_SCRIPT_HIRAGANA: case PANGO_SCRIPT_KATAKANA:
	case PANGO_SCRIPT_HANGUL: case PANGO_SCRIPT_BOPOMOFO:
		return TRUE;
	default:
		return FALSE;
	}
}

/* What making and drawing a line need of a run's font beyond its glyphs (the hyphen's glyphs,
 * the decorations' places), read here by the thread that shapes: the lines may be made in
 * another thread, which must not use this thread's Pango objects. */
static void
run_extras(OvShaped *sh)
{
	guint n = sh->runs->len;
	int c1 = 0;
	for (guint ri = 0; ri < n; ri++) {
		PangoGlyphItem *gi = g_ptr_array_index(sh->runs, ri);
		PangoItem *it = gi->item;
		PangoAttrInt *ul = (PangoAttrInt *)find_attr(it, PANGO_ATTR_UNDERLINE);
		PangoAttrInt *strike = (PangoAttrInt *)find_attr(it, PANGO_ATTR_STRIKETHROUGH);
		int c0 = c1; /* the runs are in logical order, end to end */
		c1 = c0 + it->num_chars;
		/* a break at a run's end is marked on the next run's first character */
		for (int c = c0; c <= c1 && c <= sh->nchars; c++)
			if (sh->cf[c] & (CF_HYPH | CF_SHY)) {
				if (sh->run_hy == NULL)
					sh->run_hy = g_new0(PangoGlyphString *, n);
				sh->run_hy[ri] = pango_glyph_string_new();
				pango_shape("-", 1, &it->analysis, sh->run_hy[ri]);
				break;
			}
		if ((ul && ul->value != PANGO_UNDERLINE_NONE) || (strike && strike->value)) {
			PangoFontMetrics *m = pango_font_get_metrics(it->analysis.font, NULL);
			float *d;
			if (sh->run_deco == NULL)
				sh->run_deco = g_new0(float, 4 * n);
			d = sh->run_deco + 4 * ri;
			d[0] = (float)pu(pango_font_metrics_get_underline_position(m));
			d[1] = (float)MAX(pu(pango_font_metrics_get_underline_thickness(m)), 0.4);
			d[2] = (float)pu(pango_font_metrics_get_strikethrough_position(m));
			d[3] = (float)MAX(pu(pango_font_metrics_get_strikethrough_thickness(m)), 0.4);
			pango_font_metrics_unref(m);
		}
	}
}

/* A tab in the text being shaped: its character, its glyph, and a column (its font's space) */
typedef struct {
	int ci;
	PangoGlyphInfo *gl;
	int col;
} Tab;

static int
tab_cmp(const void *a, const void *b)
{
	return ((const Tab *)a)->ci - ((const Tab *)b)->ci;
}

OvShaped *
ov_shape(PangoContext *pc, const char *text, int len, PangoAttrList *attrs, const PangoFontDescription *fd,
	 PangoLanguage *lang, double size, const int *hyph, int nhyph)
{
	OvShaped *sh = g_new0(OvShaped, 1);
	GList *items;
	int *b2c;
	int ci = 0, ri = 0;
	double *adv;
	int *advu, ntab = 0;
	Tab *tabs;

	sh->text = g_ref_string_new_len(text, len);
	sh->len = len;
	sh->size = size;
	sh->nchars = (int)g_utf8_strlen(text, len);
	sh->la = g_new0(PangoLogAttr, sh->nchars + 1);
	pango_get_log_attrs(text, len, -1, lang, sh->la, sh->nchars + 1);
	sh->cbyte = g_new(int, sh->nchars + 1);
	sh->cf = g_new0(guint8, sh->nchars + 1);
	b2c = g_new0(int, len + 1);
	for (const char *p = text; p < text + len; p = g_utf8_next_char(p), ci++) {
		gunichar c = g_utf8_get_char(p);
		sh->cbyte[ci] = (int)(p - text);
		b2c[p - text] = ci;
		if (sh->la[ci].is_white)
			sh->cf[ci] |= CF_WHITE;
		if (c == ' ' || c == 0x00A0)
			sh->cf[ci] |= CF_GLUE;
		if (c == 0x00AD)
			sh->cf[ci] |= CF_SHY;
		/* a spaced dash stays with the word before it: a line never starts with " – " */
		if ((c == 0x2013 || c == 0x2014) && ci > 0 && p[-1] == ' ' &&
		    (g_utf8_next_char(p) >= text + len || *g_utf8_next_char(p) == ' '))
			sh->la[ci].is_line_break = FALSE;
	}
	sh->cbyte[sh->nchars] = len;
	b2c[len] = sh->nchars;
	for (int i = 0; i < nhyph; i++)
		if (hyph[i] > 0 && hyph[i] < len)
			sh->cf[b2c[hyph[i]]] |= CF_HYPH;

	/* the first strong character decides, as in a PangoLayout with auto-dir (the function is
	 * deprecated for lack of a better home, not broken) */
	G_GNUC_BEGIN_IGNORE_DEPRECATIONS
	sh->dir = pango_find_base_dir(text, len);
	G_GNUC_END_IGNORE_DEPRECATIONS
	if (sh->dir == PANGO_DIRECTION_NEUTRAL)
		sh->dir = PANGO_DIRECTION_LTR;
	pango_context_set_base_dir(pc, sh->dir);
	{
		PangoFontDescription *save = pango_font_description_copy(pango_context_get_font_description(pc));
		pango_context_set_font_description(pc, fd);
		items = pango_itemize_with_base_dir(pc, sh->dir, text, 0, len, attrs, NULL);
		{
			PangoFont *f = pango_context_load_font(pc, fd);
			font_metrics(f, &sh->asc, &sh->desc);
			if (f) {
				PangoGlyphString *g = pango_glyph_string_new();
				PangoAnalysis an = { 0 };
				an.font = f;
				an.language = lang;
				pango_shape("-", 1, &an, g);
				sh->hyphen_w = pu(pango_glyph_string_get_width(g));
				pango_glyph_string_free(g);
				g_object_unref(f);
			}
		}
		pango_context_set_font_description(pc, save);
		pango_font_description_free(save);
	}

	adv = g_new0(double, sh->nchars + 1);
	advu = g_new0(int, sh->nchars + 1);
	tabs = g_new0(Tab, sh->nchars + 1);
	sh->runs = g_ptr_array_new();
	sh->run_asc = g_new0(double, g_list_length(items) + 1);
	sh->run_desc = g_new0(double, g_list_length(items) + 1);
	sh->run_yoff = g_new0(double, g_list_length(items) + 1);
	for (GList *l = items; l; l = l->next, ri++) {
		PangoItem *item = l->data;
		PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem); /* pango_glyph_item_free uses GSlice */
		PangoAttrShape *shape = (PangoAttrShape *)find_attr(item, PANGO_ATTR_SHAPE);
		PangoAttrInt *shift = (PangoAttrInt *)find_attr(item, PANGO_ATTR_BASELINE_SHIFT);
		gboolean spaceable = letter_spaceable(&item->analysis);
		gi->item = item;
		/* made now, in the thread that shapes, for the drawing that only reads it */
		pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font));
		gi->glyphs = pango_glyph_string_new();
		pango_shape_with_flags(text + item->offset, item->length, text, len, &item->analysis, gi->glyphs,
				       PANGO_SHAPE_NONE);
		font_metrics(item->analysis.font, &sh->run_asc[ri], &sh->run_desc[ri]);
		if (shift) {
			double up = shift->value == PANGO_BASELINE_SHIFT_SUPERSCRIPT ? size * 0.33
				  : shift->value == PANGO_BASELINE_SHIFT_SUBSCRIPT ? -size * 0.15 : pu(shift->value);
			sh->run_yoff[ri] = -up;
		}
		for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
			PangoGlyphInfo *gl = &gi->glyphs->glyphs[g];
			int b = item->offset + gi->glyphs->log_clusters[g];
			gunichar c = g_utf8_get_char(text + b);
			if (shape) {
				gl->glyph = PANGO_GLYPH_EMPTY;
				gl->geometry.width = shape->logical_rect.width;
				sh->run_asc[ri] = MAX(sh->run_asc[ri], pu(-shape->logical_rect.y));
				sh->run_desc[ri] = MAX(sh->run_desc[ri], pu(shape->logical_rect.y + shape->logical_rect.height));
			} else if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x00AD) {
				gl->glyph = PANGO_GLYPH_EMPTY;
				gl->geometry.width = 0;
			} else if (c == '\t') {
				/* the font's space, which draws nothing, with the tab's advance: an empty
				 * glyph would leave the tab's cluster no glyph, and the PDF's text (what
				 * is copied from a listing) no white space where the tab was */
				hb_codepoint_t space;
				gl->glyph = hb_font_get_nominal_glyph(pango_font_get_hb_font(item->analysis.font), ' ', &space)
					    ? space : PANGO_GLYPH_EMPTY;
				gl->geometry.width = 0; /* to the next tab stop: set below, once the text before it is */
				if (ntab < sh->nchars) {
					PangoRectangle lr = { 0 };
					if (gl->glyph != PANGO_GLYPH_EMPTY)
						pango_font_get_glyph_extents(item->analysis.font, gl->glyph, NULL, &lr);
					tabs[ntab].ci = b2c[b];
					tabs[ntab].gl = gl;
					tabs[ntab].col = lr.width > 0 ? lr.width : (int)(size * 0.6 * PANGO_SCALE);
					ntab++;
				}
			}
			adv[b2c[b]] += pu(gl->geometry.width);
			advu[b2c[b]] += gl->geometry.width;
			if (spaceable && !shape && (g == 0 || gi->glyphs->log_clusters[g - 1] != gi->glyphs->log_clusters[g]))
				sh->cf[b2c[b]] |= CF_CLUSTER;
		}
		if (!shape)
			ink_metrics(sh, ri, item->analysis.font, gi->glyphs);
		g_ptr_array_add(sh->runs, gi);
	}
	g_list_free(items);
	run_extras(sh);

	/* A tab moves to the next tab stop, every 8 columns (the EPUB's tab-size: 8, an editor's)
	 * counted from the start of the line in the source: a listing is monospaced, and a column
	 * is its font's space. In whole Pango units, so that what follows a tab starts exactly on
	 * the stop however many characters stood before the tab. (A line the PDF wraps keeps the
	 * source line's columns.) */
	if (ntab > 0) {
		int x = 0, t = 0;
		qsort(tabs, (size_t)ntab, sizeof *tabs, tab_cmp); /* the glyphs of a right-to-left run are not in logical order */
		for (int i = 0; i < sh->nchars && t < ntab; i++) {
			gunichar c = g_utf8_get_char(text + sh->cbyte[i]);
			if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) {
				x = 0;
			} else if (c == '\t' && tabs[t].ci == i) {
				int stop = 8 * tabs[t].col;
				int w = (x / stop + 1) * stop - x;
				tabs[t].gl->geometry.width = w;
				advu[i] = w;
				adv[i] = pu(w);
				x += w;
				while (t < ntab && tabs[t].ci == i) /* one glyph a tab: no more to widen */
					t++;
			} else {
				x += advu[i];
			}
		}
	}
	g_free(tabs);
	g_free(advu);

	sh->W = g_new(double, sh->nchars + 1);
	sh->S = g_new(double, sh->nchars + 1);
	sh->Z = g_new(double, sh->nchars + 1);
	sh->G = g_new(int, sh->nchars + 1);
	sh->W[0] = sh->S[0] = sh->Z[0] = 0;
	sh->G[0] = 0;
	for (int i = 0; i < sh->nchars; i++) {
		gboolean glue = (sh->cf[i] & CF_GLUE) != 0;
		/* a gap between two letters of a word that letter-spacing may open or close */
		if (i > 0 && (sh->cf[i] & CF_CLUSTER) && !(sh->cf[i] & (CF_WHITE | CF_SHY)) &&
		    (sh->cf[i - 1] & CF_CLUSTER) && !(sh->cf[i - 1] & (CF_WHITE | CF_SHY)))
			sh->cf[i] |= CF_GAP;
		sh->G[i + 1] = sh->G[i] + ((sh->cf[i] & CF_GAP) ? 1 : 0);
		sh->W[i + 1] = sh->W[i] + adv[i];
		sh->S[i + 1] = sh->S[i] + (glue ? adv[i] / 2 : 0);
		sh->Z[i + 1] = sh->Z[i] + (glue ? shrink_of(adv[i], size) : 0);
	}
	g_free(adv);
	g_free(b2c);
	return sh;
}

void
ov_shaped_free(OvShaped *sh)
{
	if (sh == NULL)
		return;
	for (guint i = 0; i < sh->runs->len; i++) {
		pango_glyph_item_free(g_ptr_array_index(sh->runs, i));
		if (sh->run_hy && sh->run_hy[i])
			pango_glyph_string_free(sh->run_hy[i]);
	}
	g_ptr_array_free(sh->runs, TRUE);
	g_free(sh->run_hy);
	g_ref_string_release(sh->text);
	g_free(sh->la);
	g_free(sh->cbyte);
	g_free(sh->W);
	g_free(sh->S);
	g_free(sh->Z);
	g_free(sh->G);
	g_free(sh->cf);
	g_free(sh->run_asc);
	g_free(sh->run_desc);
	g_free(sh->run_yoff);
	g_free(sh->run_deco);
	g_free(sh);
}

const char *
ov_shaped_text(const OvShaped *sh)
{
	return sh->text;
}

void
ov_shaped_share_text(OvShaped *sh, char *text)
{
	g_return_if_fail(strlen(text) == (size_t)sh->len && memcmp(text, sh->text, (size_t)sh->len) == 0);
	g_ref_string_release(sh->text);
	sh->text = g_ref_string_acquire(text);
}

const GPtrArray *
ov_shaped_runs(const OvShaped *sh)
{
	return sh->runs;
}

/* The widest piece of text between forced breaks, or (at_opportunities) between any two
 * break opportunities, without the spaces at its end. */
static double
widest_piece(const OvShaped *sh, gboolean at_opportunities)
{
	double best = 0;
	int s = 0;
	for (int i = 1; i <= sh->nchars; i++)
		if (i == sh->nchars || sh->la[i].is_mandatory_break || (at_opportunities && sh->la[i].is_line_break)) {
			int e = i;
			while (e > s && (sh->cf[e - 1] & CF_WHITE))
				e--;
			best = MAX(best, sh->W[e] - sh->W[s]);
			s = i;
		}
	return best;
}

/* Its width unbroken (a column's natural width). */
double
ov_shaped_natural_width(const OvShaped *sh)
{
	return widest_piece(sh, FALSE);
}

/* Its longest word (a column's least width). */
double
ov_shaped_min_width(const OvShaped *sh)
{
	return widest_piece(sh, TRUE);
}

/* ---- breaking ---- */

typedef enum { BK_NONE, BK_SPACE, BK_HYPH, BK_EMERG, BK_FORCED } BreakKind;

typedef struct {
	int pos;               /* char index the next line starts at */
	int line;              /* lines before it */
	int fit;               /* fitness class of the line ending here */
	int hyc;               /* consecutive hyphenated lines ending here */
	int prev;              /* node index, -1 for the start */
	BreakKind kind;
	double demerits;
	double ratio;
	gboolean overfull;
} Node;

typedef struct {
	const OvShaped *sh;
	const OvBreakSpec *bs;
	double emergency;      /* extra stretch this pass */
	double tolerance;      /* badness */
	gboolean emerg_breaks;
	int want;              /* > 0: only ways with this many lines (looseness) */
} Pass;

static BreakKind
break_kind(const OvShaped *sh, int i, gboolean emerg, gboolean hyphenate)
{
	if (i >= sh->nchars)
		return BK_FORCED;
	if (i <= 0)
		return BK_NONE;
	if (sh->la[i].is_mandatory_break)
		return BK_FORCED;
	if (sh->la[i].is_line_break)
		return (sh->cf[i - 1] & CF_SHY) ? (hyphenate ? BK_HYPH : BK_NONE) : BK_SPACE;
	if ((sh->cf[i] & CF_HYPH) && hyphenate && sh->la[i].is_cursor_position)
		return BK_HYPH;
	if (emerg && sh->la[i].is_cursor_position && !(sh->cf[i] & CF_WHITE))
		return BK_EMERG;
	return BK_NONE;
}

/* The end of a line's visible text when it breaks before char e. */
static int
vis_end(const OvShaped *sh, int s, int e, BreakKind k)
{
	if (k == BK_HYPH || k == BK_EMERG)
		return e;
	while (e > s && (sh->cf[e - 1] & CF_WHITE))
		e--;
	return e;
}

/* The char at byte b (a char's first byte); *hint: the last answer, where the search starts
 * (a line's clusters mostly come in order, each a char or two after the one before). */
static int
char_at(const OvShaped *sh, int b, int *hint)
{
	int lo = 0, hi = sh->nchars;
	for (int i = *hint; i >= 0 && i < sh->nchars && i <= *hint + 4; i++)
		if (sh->cbyte[i] >= b) {
			if (sh->cbyte[i] == b || i == 0 || sh->cbyte[i - 1] < b)
				return *hint = i;
			break;
		}
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (sh->cbyte[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return *hint = lo;
}

/* The letter gaps inside a line [s, v): not the one before its first letter. */
static int
letter_gaps(const OvShaped *sh, int s, int v)
{
	return v > s + 1 ? sh->G[v] - sh->G[s + 1] : 0;
}

static double
avail(const OvBreakSpec *bs, int line)
{
	if (bs->width <= 0)
		return G_MAXINT; /* no measure: only forced breaks */
	return MAX(bs->width - (line == 0 ? bs->indent : 0), 1);
}

/* The adjustment ratio of a line [s, e); *over when it cannot be set without overflowing. */
static double
line_ratio(const Pass *ps, int s, int e, BreakKind k, int line, gboolean *over)
{
	const OvShaped *sh = ps->sh;
	const OvBreakSpec *bs = ps->bs;
	int v = vis_end(sh, s, e, k);
	double nat = sh->W[v] - sh->W[s] + (k == BK_HYPH ? sh->hyphen_w : 0);
	double L = avail(bs, line), st, sk;
	gboolean last = k == BK_FORCED;

	*over = FALSE;
	if (bs->mode == OV_BREAK_JUSTIFY) {
		int gaps = letter_gaps(sh, s, v);
		st = sh->S[v] - sh->S[s] + gaps * bs->letter_space;
		sk = sh->Z[v] - sh->Z[s] + gaps * bs->letter_space / 2;
	} else {
		st = bs->rag;
		sk = 0;
	}
	if (nat > L + 1e-6) {
		if (nat - sk > L + 1e-6) {
			*over = TRUE;
			return -1.0 - (nat - sk - L);
		}
		return sk > 0 ? (L - nat) / sk : 0;
	}
	if (last)
		return 0;
	st += ps->emergency;
	if (st <= 0)
		return nat >= L - 1e-6 ? 0 : 1e9;
	return (L - nat) / st;
}

static int
fitness(double r)
{
	return r < -0.5 ? 3 : r <= 0.5 ? 2 : r <= 1 ? 1 : 0;
}

static double
badness(double r)
{
	double b = 100 * fabs(r) * fabs(r) * fabs(r);
	return MIN(b, INF_BAD);
}

/* One pass of total fit; the chosen path as node indices (last first), or NULL. */
static GArray *
total_fit(const Pass *ps, gboolean force)
{
	const OvShaped *sh = ps->sh;
	const OvBreakSpec *bs = ps->bs;
	GArray *nodes = g_array_new(FALSE, FALSE, sizeof(Node));
	GArray *active = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *best = NULL;
	Node start = { 0, 0, 2, 0, -1, BK_NONE, 0, 0, FALSE };
	int zero = 0;
	/* A break is kept per fitness class, per what its run of hyphenated lines leaves
	 * possible and, when a number of lines is wanted, per line count (the last four). Under a
	 * limit of n hyphenated lines in a row, each count 0..n leaves a different choice after
	 * it; with no limit (or one no paragraph reaches) only "ends with a hyphen or not" does
	 * (the double-hyphen demerits): never a count clamped short of the limit, which would
	 * refuse a hyphen the theme allows and break the word without one. */
	int hymax = bs->max_hyphens;
	int hycls = hymax >= sh->nchars ? 1 : hymax, nslots;
	Node *cand;

	hycls = MAX(hycls, 0);
	nslots = 4 * (hycls + 1) * 4;
	cand = g_new(Node, nslots);

	g_array_append_val(nodes, start);
	g_array_append_val(active, zero);
	for (int e = 1; e <= sh->nchars && active->len; e++) {
		BreakKind k = break_kind(sh, e, ps->emerg_breaks, bs->hyphenate);
		int ncand = 0;
		int last_over = -1;
		double last_over_r = 0;

		if (k == BK_NONE)
			continue;
		for (guint a = 0; a < active->len;) {
			int ai = g_array_index(active, int, a);
			Node *an = &g_array_index(nodes, Node, ai);
			gboolean over;
			double r = line_ratio(ps, an->pos, e, k, an->line, &over);
			gboolean drop = over || k == BK_FORCED;
			if (ps->want > 0 && an->line + 1 > ps->want)
				; /* too many lines already */
			else if (!over && badness(r) <= ps->tolerance + 1e-9 && r >= -1 - 1e-9) {
				int hyc = k == BK_HYPH ? an->hyc + 1 : 0;
				if (k != BK_HYPH || hyc <= hymax) {
					double p = k == BK_HYPH ? HYPHEN_PENALTY : k == BK_EMERG ? EMERGENCY_PENALTY : 0;
					double d = LINE_PENALTY + badness(r);
					int fc = fitness(r);
					int slot;
					d = d * d + p * p;
					if (k == BK_HYPH && an->kind == BK_HYPH)
						d += DOUBLE_HYPHEN_DEMERITS;
					if (k == BK_FORCED && an->kind == BK_HYPH)
						d += FINAL_HYPHEN_DEMERITS;
					if (abs(fc - an->fit) > 1 && an->prev >= 0)
						d += ADJ_DEMERITS;
					d += an->demerits;
					slot = fc * (hycls + 1) + MIN(hyc, hycls) + (ps->want > 0 ? 4 * (hycls + 1) * ((an->line + 1) % 4) : 0);
					{
						int found = -1;
						for (int c = 0; c < ncand; c++)
							if (cand[c].fit * (hycls + 1) + MIN(cand[c].hyc, hycls) +
								    (ps->want > 0 ? 4 * (hycls + 1) * (cand[c].line % 4) : 0) == slot)
								found = c;
						if (found < 0) {
							found = ncand++;
							cand[found].demerits = G_MAXDOUBLE;
						}
						if (d < cand[found].demerits) {
							Node nn = { e, an->line + 1, fc, hyc, ai, k, d, r, FALSE };
							cand[found] = nn;
						}
					}
				}
			}
			if (over && (last_over < 0 || r > last_over_r)) {
				last_over = ai;
				last_over_r = r;
			}
			if (drop)
				g_array_remove_index(active, a);
			else
				a++;
		}
		/* nothing can continue: break here anyway (an overfull line) */
		if (ncand == 0 && active->len == 0 && force && last_over >= 0) {
			Node *an = &g_array_index(nodes, Node, last_over);
			Node nn = { e, an->line + 1, 2, 0, last_over, k, an->demerits + INF_BAD * INF_BAD, 0, TRUE };
			cand[ncand++] = nn;
		}
		for (int c = 0; c < ncand; c++) {
			int idx = (int)nodes->len;
			g_array_append_val(nodes, cand[c]);
			if (e < sh->nchars)
				g_array_append_val(active, idx);
		}
		if (e == sh->nchars && ncand) {
			int bi = -1;
			double bd = G_MAXDOUBLE;
			for (guint i = 0; i < nodes->len; i++) {
				Node *n = &g_array_index(nodes, Node, i);
				if (n->pos == sh->nchars && n->demerits < bd && (ps->want <= 0 || n->line == ps->want)) {
					bd = n->demerits;
					bi = (int)i;
				}
			}
			if (bi >= 0) {
				best = g_array_new(FALSE, FALSE, sizeof(Node));
				for (int i = bi; i > 0; i = g_array_index(nodes, Node, i).prev)
					g_array_append_val(best, g_array_index(nodes, Node, i));
			}
		}
	}
	g_array_free(nodes, TRUE);
	g_array_free(active, TRUE);
	g_free(cand);
	return best;
}

/* First fit: each line takes as much as fits at natural width (a browser's or Pango's way). */
static GArray *
first_fit(const Pass *ps)
{
	const OvShaped *sh = ps->sh;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(Node));
	int s = 0, line = 0, hyc = 0;

	while (s < sh->nchars || (s == 0 && sh->nchars == 0)) {
		int fit = -1, emerg = -1;
		BreakKind fk = BK_NONE;
		double fr = 0;
		gboolean over = FALSE;
		if (sh->nchars == 0)
			break;
		for (int e = s + 1; e <= sh->nchars; e++) {
			BreakKind k = break_kind(sh, e, TRUE, ps->bs->hyphenate && hyc < ps->bs->max_hyphens);
			gboolean o;
			double r;
			if (k == BK_NONE)
				continue;
			r = line_ratio(ps, s, e, k, line, &o);
			if (o || r < -1e-9) {
				if (fit < 0 && emerg < 0) {
					fit = e; /* not even one piece fits: set it overfull */
					fk = k;
					over = TRUE;
				}
				break;
			}
			if (k == BK_EMERG) {
				emerg = e;
				if (fit < 0 || fk == BK_EMERG) {
					fit = e;
					fk = k;
					fr = r;
				}
				continue;
			}
			fit = e;
			fk = k;
			fr = r;
			if (k == BK_FORCED)
				break;
		}
		{
			Node n = { fit, line + 1, 2, fk == BK_HYPH ? hyc + 1 : 0, -1, fk, 0, fr, over };
			g_array_append_val(out, n);
			hyc = n.hyc;
		}
		s = fit;
		line++;
	}
	/* last first, like total_fit's */
	for (guint i = 0; i < out->len / 2; i++) {
		Node t = g_array_index(out, Node, i);
		g_array_index(out, Node, i) = g_array_index(out, Node, out->len - 1 - i);
		g_array_index(out, Node, out->len - 1 - i) = t;
	}
	return out;
}

/* ---- lines ---- */

static int
run_at(const OvShaped *sh, int byte)
{
	int lo = 0, hi = (int)sh->runs->len - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (((PangoGlyphItem *)g_ptr_array_index(sh->runs, mid))->item->offset <= byte)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The first glyph whose cluster is at or after v (left to right runs: ascending clusters),
 * or before v (right to left: descending). */
static int
glyph_bound(const PangoGlyphString *gs, int v, gboolean rtl)
{
	int lo = 0, hi = gs->num_glyphs;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		gboolean past = rtl ? gs->log_clusters[mid] < v : gs->log_clusters[mid] >= v;
		if (past)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* A copy of run ri's glyphs for the bytes [a, b). */
static PangoGlyphItem *
piece(const OvShaped *sh, int ri, int a, int b)
{
	const PangoGlyphItem *gi = g_ptr_array_index(sh->runs, ri);
	PangoGlyphItem *p = g_slice_new0(PangoGlyphItem);
	int off = gi->item->offset;
	gboolean rtl = gi->item->analysis.level & 1;
	int g0 = rtl ? glyph_bound(gi->glyphs, b - off, TRUE) : glyph_bound(gi->glyphs, a - off, FALSE);
	int g1 = rtl ? glyph_bound(gi->glyphs, a - off, TRUE) : glyph_bound(gi->glyphs, b - off, FALSE);

	p->item = pango_item_copy(gi->item);
	p->item->offset = a;
	p->item->length = b - a;
	p->item->num_chars = (int)g_utf8_strlen(sh->text + a, b - a);
	p->glyphs = pango_glyph_string_new();
	pango_glyph_string_set_size(p->glyphs, MAX(g1 - g0, 0));
	for (int g = g0; g < g1; g++) {
		p->glyphs->glyphs[g - g0] = gi->glyphs->glyphs[g];
		p->glyphs->log_clusters[g - g0] = off + gi->glyphs->log_clusters[g] - a;
	}
	return p;
}

static gboolean
wordish(gunichar c)
{
	return g_unichar_isalnum(c) || g_unichar_ismark(c) || c == 0x00AD; /* what text extraction calls a word */
}

#define MAX_WORD 64 /* longer "words" keep their parts' own text: no copy of them per line */

/* Punctuation that closes what comes before it (no line may begin with it): a word's
 * hyphenated first part takes it with the word. */
static gboolean
closing(gunichar c)
{
	return (c != 0 && c < 0x80 && strchr(".,;:!?)]}\"'", (int)c) != NULL) || c == 0x2019 || c == 0x201D ||
	       c == 0x00BB || c == 0x203A || c == 0x2026;
}

/* Byte bounds of the word around a hyphenation break at byte b, with the closing punctuation
 * right after it ("orange," "“orange”."): the text layer gives them with the word, not at
 * the start of the next line. FALSE for a word too long to be given whole to its first
 * part. */
static gboolean
word_bounds(const char *text, int len, int b, int *ws, int *we)
{
	const char *p = text + b;
	int n = 0;
	while (p > text && n++ < MAX_WORD) {
		const char *q = g_utf8_prev_char(p);
		if (!wordish(g_utf8_get_char(q)))
			break;
		p = q;
	}
	*ws = (int)(p - text);
	p = text + b;
	while (p < text + len && wordish(g_utf8_get_char(p)) && n++ < MAX_WORD)
		p = g_utf8_next_char(p);
	for (int k = 0; p < text + len && k < 8 && closing(g_utf8_get_char(p)); k++)
		p = g_utf8_next_char(p);
	*we = (int)(p - text);
	return n < MAX_WORD;
}

static void
add_piece(OvLine *ln, const OvShaped *sh, int a, int b, int mode, int ws, int we)
{
	while (a < b) {
		int ri = run_at(sh, a);
		const PangoGlyphItem *gi = g_ptr_array_index(sh->runs, ri);
		int end = MIN(b, gi->item->offset + gi->item->length);
		LinePiece lp = { 0 };
		lp.gi = piece(sh, ri, a, end);
		lp.y_off = sh->run_yoff[ri];
		lp.mode = mode;
		if (mode == LP_WORD)
			mode = LP_SILENT; /* the word's text goes with its first piece only */
		lp.word_start = ws;
		lp.word_end = we;
		ln->ascent = MAX(ln->ascent, sh->run_asc[ri] - lp.y_off);
		ln->descent = MAX(ln->descent, sh->run_desc[ri] + lp.y_off);
		g_array_append_val(ln->pieces, lp);
		a = end;
	}
}

/* A made line's glyphs, packed. Lines are kept until their page is drawn, for the whole book
 * (the table of contents before the body needs the body's page numbers): a PangoGlyphString
 * spends 24 bytes a glyph in two arrays grown by doubling, a packed glyph 8 bytes (glyph id,
 * width, cluster and flags in one word; 12 for a piece whose glyphs do not fit that), and 4
 * more when the piece has offsets (marks, letter-spacing), one block a piece. A glyph string
 * is made again for the moment a piece is drawn or measured (glyphs_of). */
typedef struct {
	guint32 glyph;
	gint32 width;
	guint32 cluster;        /* byte from the piece's start << 2 | is_color << 1 | is_cluster_start */
} Wide;

/* Narrow: glyph << 48 | width (24 bits, two's complement) << 24 | cluster << 2 | flags; a glyph
 * id is below 0xFFFF (a font has at most 65,535 glyphs), which stands for PANGO_GLYPH_EMPTY. */
#define NARROW_EMPTY 0xFFFF
#define NARROW_MAX_CLUSTER ((1 << 22) - 1)
#define NARROW_MAX_WIDTH ((1 << 23) - 1)
#define WIDE_MAX_CLUSTER (G_MAXUINT32 >> 2)

static guint32
glyph_flags(const PangoGlyphInfo *gi)
{
	return gi->attr.is_color << 1 | gi->attr.is_cluster_start;
}

/* Pack a piece's glyphs (and free its glyph string); a piece whose clusters or offsets do
 * not fit keeps its glyph string. */
static void
pack_piece(LinePiece *lp)
{
	PangoGlyphString *gs = lp->gi->glyphs;
	gboolean offsets = FALSE, wide = FALSE;
	gsize size;
	gint16 *off;

	for (int g = 0; g < gs->num_glyphs; g++) {
		const PangoGlyphInfo *gi = &gs->glyphs[g];
		const PangoGlyphGeometry *geo = &gi->geometry;
		if ((guint)gs->log_clusters[g] > WIDE_MAX_CLUSTER || geo->x_offset < G_MININT16 || geo->x_offset > G_MAXINT16 ||
		    geo->y_offset < G_MININT16 || geo->y_offset > G_MAXINT16)
			return;
		offsets = offsets || geo->x_offset || geo->y_offset;
		wide = wide || (gi->glyph >= NARROW_EMPTY && gi->glyph != PANGO_GLYPH_EMPTY) || gs->log_clusters[g] > NARROW_MAX_CLUSTER ||
		       geo->width > NARROW_MAX_WIDTH || geo->width < -NARROW_MAX_WIDTH;
	}
	size = (wide ? sizeof(Wide) : sizeof(guint64)) + (offsets ? 2 * sizeof(gint16) : 0);
	lp->packed = g_malloc(gs->num_glyphs * size + 1);
	off = (gint16 *)((char *)lp->packed + gs->num_glyphs * (wide ? sizeof(Wide) : sizeof(guint64)));
	for (int g = 0; g < gs->num_glyphs; g++) {
		const PangoGlyphInfo *gi = &gs->glyphs[g];
		guint32 cluster = (guint32)gs->log_clusters[g] << 2 | glyph_flags(gi);
		if (wide) {
			Wide *w = (Wide *)lp->packed + g;
			w->glyph = gi->glyph;
			w->width = gi->geometry.width;
			w->cluster = cluster;
		} else {
			guint64 id = gi->glyph == PANGO_GLYPH_EMPTY ? NARROW_EMPTY : gi->glyph;
			((guint64 *)lp->packed)[g] = id << 48 | (guint64)(gi->geometry.width & 0xFFFFFF) << 24 | cluster;
		}
		if (offsets) {
			off[2 * g] = (gint16)gi->geometry.x_offset;
			off[2 * g + 1] = (gint16)gi->geometry.y_offset;
		}
	}
	lp->nglyphs = gs->num_glyphs;
	lp->wide = wide;
	lp->offsets = offsets;
	pango_glyph_string_free(gs);
	lp->gi->glyphs = NULL;
}

/* A piece's glyphs as a glyph string: its own, or one made from the packed glyphs (give it
 * back with glyphs_done). */
static PangoGlyphString *
glyphs_of(const LinePiece *lp)
{
	const gint16 *off;
	PangoGlyphString *gs;

	if (lp->packed == NULL)
		return lp->gi->glyphs;
	off = (const gint16 *)((const char *)lp->packed + lp->nglyphs * (lp->wide ? sizeof(Wide) : sizeof(guint64)));
	gs = pango_glyph_string_new();
	pango_glyph_string_set_size(gs, lp->nglyphs);
	for (int g = 0; g < lp->nglyphs; g++) {
		PangoGlyphInfo *gi = &gs->glyphs[g];
		guint32 cluster;
		memset(gi, 0, sizeof *gi);
		if (lp->wide) {
			const Wide *w = (const Wide *)lp->packed + g;
			gi->glyph = w->glyph;
			gi->geometry.width = w->width;
			cluster = w->cluster;
		} else {
			guint64 v = ((const guint64 *)lp->packed)[g];
			guint32 id = (guint32)(v >> 48), w = (guint32)(v >> 24) & 0xFFFFFF;
			gi->glyph = id == NARROW_EMPTY ? PANGO_GLYPH_EMPTY : id;
			gi->geometry.width = (gint32)(w ^ 0x800000) - 0x800000; /* sign-extended */
			cluster = (guint32)v & 0xFFFFFF;
		}
		gi->geometry.x_offset = lp->offsets ? off[2 * g] : 0;
		gi->geometry.y_offset = lp->offsets ? off[2 * g + 1] : 0;
		gi->attr.is_cluster_start = cluster & 1;
		gi->attr.is_color = cluster >> 1 & 1;
		gs->log_clusters[g] = (int)(cluster >> 2);
	}
	return gs;
}

static void
glyphs_done(const LinePiece *lp, PangoGlyphString *gs)
{
	if (gs != lp->gi->glyphs)
		pango_glyph_string_free(gs);
}

int
ov_line_moved_glyphs(const OvLine *ln)
{
	int n = 0;
	for (guint k = 0; k < ln->pieces->len; k++) {
		const LinePiece *lp = &g_array_index(ln->pieces, LinePiece, k);
		PangoGlyphString *gs = glyphs_of(lp);
		for (int g = 0; g < gs->num_glyphs; g++)
			n += gs->glyphs[g].geometry.x_offset != 0;
		glyphs_done(lp, gs);
	}
	return n;
}

/* Underlines and strike-throughs: their places and thicknesses, as the runs' fonts give them
 * (run_extras). ln->deco stays NULL for a line with neither. */
static void
line_decorations(const OvShaped *sh, OvLine *ln)
{
	for (guint i = 0; sh->run_deco && i < ln->pieces->len; i++) {
		const LinePiece *lp = &g_array_index(ln->pieces, LinePiece, i);
		const float *d = sh->run_deco + 4 * run_at(sh, lp->gi->item->offset);
		if (d[1] == 0)
			continue;
		if (ln->deco == NULL)
			ln->deco = g_new0(float, 4 * ln->pieces->len);
		memcpy(ln->deco + 4 * i, d, 4 * sizeof *d);
	}
}

static OvLine *
make_line(const OvShaped *sh, const OvBreakSpec *bs, int s, const Node *n, int lineno, int head_we)
{
	OvLine *ln = g_new0(OvLine, 1);
	int v = vis_end(sh, s, n->pos, n->kind);
	int a = sh->cbyte[s], b = sh->cbyte[v];
	double L = avail(bs, lineno), nat = 0, delta_r = 0, letter_d = 0, space_r = 0;
	gboolean justify, split, soft_end = FALSE;
	int ws = 0, we = 0, at; /* char_at's hint */

	ln->ref = 1;
	ln->text = g_ref_string_acquire(sh->text);
	ln->start = a;
	ln->len = b - a;
	ln->next = sh->cbyte[n->pos];
	ln->pieces = g_array_new(FALSE, TRUE, sizeof(LinePiece));
	ln->hyphen = n->kind == BK_HYPH;
	ln->overfull = n->overfull;
	ln->ascent = ln->base_asc = sh->asc;
	ln->descent = ln->base_desc = sh->desc;
	ln->size = sh->size;
	ln->rtl = sh->dir == PANGO_DIRECTION_RTL;
	/* the second part of a word hyphenated on the line before: no text of its own (all of
	 * the line when the word, hyphenated again, goes on to the next) */
	if (head_we > b && a < b) {
		add_piece(ln, sh, a, b, LP_SILENT, 0, 0);
		ln->word_end = head_we;
		goto set;
	}
	if (head_we > a && head_we <= b) {
		add_piece(ln, sh, a, head_we, LP_SILENT, 0, 0);
		a = head_we;
	}
	/* a break inside a word (hyphenated, or an emergency): its first part carries the whole
	 * word's text; a word too long for that ends its part with U+00AD in the text layer */
	split = n->kind == BK_HYPH || n->kind == BK_EMERG;
	if (split && word_bounds(sh->text, sh->len, b, &ws, &we) && MAX(ws, a) < b) {
		ws = MAX(ws, a);
		ln->word_end = we;
	} else { /* no word, or one that begins at the break (after "kilo_"): nothing to carry */
		ws = b;
		soft_end = split;
	}
	if (split && ws < b) {
		add_piece(ln, sh, a, ws, LP_NORMAL, 0, 0);
		add_piece(ln, sh, ws, b, LP_WORD, ws, we);
	} else
		add_piece(ln, sh, a, b, LP_NORMAL, 0, 0);
set:
	/* justification: widen or narrow the spaces */
	nat = sh->W[v] - sh->W[s] + (ln->hyphen ? sh->hyphen_w : 0);
	justify = bs->mode == OV_BREAK_JUSTIFY && n->kind != BK_FORCED;
	ln->justified = justify;
	if (bs->mode == OV_BREAK_JUSTIFY && (justify || nat > L)) {
		int gaps = letter_gaps(sh, s, v);
		double st = sh->S[v] - sh->S[s] + gaps * bs->letter_space;
		double sk = sh->Z[v] - sh->Z[s] + gaps * bs->letter_space / 2;
		if (nat < L && st > 0)
			delta_r = (L - nat) / st;
		else if (nat > L && sk > 0)
			delta_r = -MIN((nat - L) / sk, 1.0);
		letter_d = delta_r > 0 ? bs->letter_space * delta_r : bs->letter_space / 2 * delta_r;
		space_r = delta_r;
		if (delta_r > 1 && gaps > 0) {
			/* past their full stretch the letters stop and the spaces take the rest: a word
			 * stays a word, never "x 2 4 0 0" (a line without spaces is left short) */
			double sp = sh->S[v] - sh->S[s];
			letter_d = bs->letter_space;
			space_r = sp > 0 ? (L - nat - gaps * bs->letter_space) / sp : 0;
		}
	}
	ln->ratio = bs->mode == OV_BREAK_JUSTIFY ? delta_r : n->kind == BK_FORCED ? 0 : (L - nat) / MAX(bs->rag, 1e-6);
	ln->nglue = 0;
	ln->space = 0;
	at = s;
	for (guint i = 0; i < ln->pieces->len; i++) {
		LinePiece *lp = &g_array_index(ln->pieces, LinePiece, i);
		for (int g = 0; g < lp->gi->glyphs->num_glyphs; g++) {
			int c = lp->gi->item->offset + lp->gi->glyphs->log_clusters[g];
			gunichar u = g_utf8_get_char(sh->text + c);
			if (letter_d != 0 && c > ln->start && c < b && (g == 0 || lp->gi->glyphs->log_clusters[g - 1] != lp->gi->glyphs->log_clusters[g]) &&
			    (sh->cf[char_at(sh, c, &at)] & CF_GAP)) {
				/* the gap opens before this cluster: move it and what follows */
				int d = (int)lround(letter_d * PANGO_SCALE);
				lp->gi->glyphs->glyphs[g].geometry.x_offset += d;
				lp->gi->glyphs->glyphs[g].geometry.width += d;
			}
			if ((u == ' ' || u == 0x00A0) && (g == 0 || lp->gi->glyphs->log_clusters[g - 1] != lp->gi->glyphs->log_clusters[g])) {
				double w = pu(lp->gi->glyphs->glyphs[g].geometry.width);
				double d = delta_r > 0 ? w / 2 * space_r : shrink_of(w, sh->size) * delta_r;
				lp->gi->glyphs->glyphs[g].geometry.width += (int)lround(d * PANGO_SCALE);
				ln->nglue++;
				ln->space += w + d;
			}
		}
		lp->w = pu(pango_glyph_string_get_width(lp->gi->glyphs));
	}
	if (ln->nglue)
		ln->space /= ln->nglue;
	if (soft_end && ln->pieces->len)
		g_array_index(ln->pieces, LinePiece, ln->pieces->len - 1).soft_end = TRUE;
	if (ln->hyphen && ln->pieces->len) {
		LinePiece *lp = &g_array_index(ln->pieces, LinePiece, ln->pieces->len - 1);
		lp->has_hyphen = TRUE;
		int ri = run_at(sh, lp->gi->item->offset);
		if (sh->run_hy && sh->run_hy[ri]) {
			ln->hy = pango_glyph_string_copy(sh->run_hy[ri]);
		} else {
			ln->hy = pango_glyph_string_new();
			pango_shape("-", 1, &lp->gi->item->analysis, ln->hy);
		}
		ln->hy_font = g_object_ref(lp->gi->item->analysis.font);
		ln->hy_w = pu(pango_glyph_string_get_width(ln->hy));
	}

	/* visual order */
	{
		GList *items = NULL, *vis;
		GHashTable *of = g_hash_table_new(g_direct_hash, g_direct_equal);
		GArray *ordered = g_array_sized_new(FALSE, TRUE, sizeof(LinePiece), ln->pieces->len);
		double x = 0;
		for (guint i = 0; i < ln->pieces->len; i++) {
			LinePiece *lp = &g_array_index(ln->pieces, LinePiece, i);
			items = g_list_prepend(items, lp->gi->item);
			g_hash_table_insert(of, lp->gi->item, lp);
		}
		items = g_list_reverse(items);
		vis = pango_reorder_items(items);
		for (GList *l = vis; l; l = l->next) {
			LinePiece *lp = g_hash_table_lookup(of, l->data);
			lp->x = x;
			x += lp->w;
			if (lp->has_hyphen)
				x += ln->hy_w;
			g_array_append_val(ordered, *lp);
		}
		g_list_free(vis);
		g_list_free(items);
		g_hash_table_destroy(of);
		g_array_free(ln->pieces, TRUE);
		ln->pieces = ordered;
		for (guint i = 0; i < ln->pieces->len; i++)
			pack_piece(&g_array_index(ln->pieces, LinePiece, i));
		line_decorations(sh, ln);
		ln->width = x;
		if (ln->hy && !ln->pieces->len)
			ln->width += ln->hy_w;
	}
	{
		PangoAlignment al = bs->align;
		double free_w = L - ln->width;
		if (ln->rtl && al != PANGO_ALIGN_CENTER)
			al = al == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
		ln->x = al == PANGO_ALIGN_CENTER ? free_w / 2 : al == PANGO_ALIGN_RIGHT ? free_w : 0;
		if (justify && !ln->rtl)
			ln->x = 0;
		if (lineno == 0 && !ln->rtl)
			ln->x += bs->indent;
	}
	return ln;
}

static GPtrArray *
lines_of(const OvShaped *sh, const OvBreakSpec *bs, GArray *path, const Pass *ps)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)ov_line_unref);
	int s = 0, head_we = -1;
	for (int i = (int)path->len - 1, lineno = 0; i >= 0; i--, lineno++) {
		const Node *n = &g_array_index(path, Node, i);
		OvLine *ln = make_line(sh, bs, s, n, lineno, head_we);
		head_we = ln->word_end > 0 ? ln->word_end : -1;
		ln->pass = bs->greedy ? 0 : ps->emerg_breaks ? 3 : ps->emergency > 0 ? 2 : 1;
		g_ptr_array_add(lines, ln);
		s = n->pos;
	}
	g_array_free(path, TRUE);
	return lines;
}

/* The paragraph in exactly nlines lines (TeX's looseness: a page break may want a paragraph
 * a line longer or shorter), every line within the tolerance, with emergency stretch if
 * need be; NULL if it cannot be. */
GPtrArray *
ov_break_lines(const OvShaped *sh, const OvBreakSpec *bs, int nlines)
{
	Pass ps = { sh, bs, 0, bs->tolerance, FALSE, nlines };
	GArray *path;
	if (sh->nchars == 0 || bs->greedy || bs->width <= 0 || nlines <= 0 || bs->mode != OV_BREAK_JUSTIFY)
		return NULL;
	/* within the tolerance, with no emergency stretch: its lines would be set looser than
	 * that, and a page a line short is better than a grey paragraph (TeX's looseness) */
	path = total_fit(&ps, FALSE);
	return path ? lines_of(sh, bs, path, &ps) : NULL;
}

GPtrArray *
ov_break(const OvShaped *sh, const OvBreakSpec *bs)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)ov_line_unref);
	GArray *path = NULL;
	Pass ps = { sh, bs, 0, bs->tolerance, FALSE, 0 };

	if (sh->nchars == 0) {
		Node n = { 0, 1, 2, 0, -1, BK_FORCED, 0, 0, FALSE };
		g_ptr_array_add(lines, make_line(sh, bs, 0, &n, 0, -1));
		return lines;
	}
	if (bs->greedy || bs->width <= 0)
		path = first_fit(&ps);
	else {
		path = total_fit(&ps, FALSE);
		if (path == NULL) {
			ps.emergency = bs->emergency_stretch;
			ps.tolerance = INF_BAD;
			path = total_fit(&ps, FALSE);
		}
		if (path == NULL) {
			ps.emerg_breaks = TRUE;
			path = total_fit(&ps, TRUE);
		}
		if (path == NULL)
			path = first_fit(&ps);
	}
	g_ptr_array_unref(lines);
	return lines_of(sh, bs, path, &ps);
}

OvLine *
ov_line_ref(OvLine *ln)
{
	ln->ref++;
	return ln;
}

void
ov_line_unref(OvLine *ln)
{
	if (ln == NULL || --ln->ref > 0)
		return;
	for (guint i = 0; i < ln->pieces->len; i++) {
		pango_glyph_item_free(g_array_index(ln->pieces, LinePiece, i).gi);
		g_free(g_array_index(ln->pieces, LinePiece, i).packed);
	}
	g_array_free(ln->pieces, TRUE);
	g_free(ln->deco);
	if (ln->hy)
		pango_glyph_string_free(ln->hy);
	if (ln->hy_font)
		g_object_unref(ln->hy_font);
	g_ref_string_release(ln->text);
	g_free(ln);
}

double
ov_line_box(const OvLine *ln, double leading, double *base)
{
	double up = MAX(0, ln->ascent - ln->base_asc), down = MAX(0, ln->descent - ln->base_desc);
	if (base)
		*base = (leading - ln->base_asc - ln->base_desc) / 2 + ln->base_asc + up;
	return leading + up + down;
}

/* The x of byte index i (points from the line's own left, before ln->x). */
double
ov_line_index_to_x(const OvLine *ln, int i)
{
	for (guint k = 0; k < ln->pieces->len; k++) {
		const LinePiece *lp = &g_array_index(ln->pieces, LinePiece, k);
		const PangoItem *it = lp->gi->item;
		if (i >= it->offset && i <= it->offset + it->length) {
			int x;
			PangoGlyphString *gs;
			if (i == it->offset + it->length && !(it->analysis.level & 1))
				return lp->x + lp->w;
			gs = glyphs_of(lp);
			pango_glyph_string_index_to_x(gs, ln->text + it->offset, it->length, (PangoAnalysis *)&it->analysis,
						      i - it->offset, FALSE, &x);
			glyphs_done(lp, gs);
			return lp->x + pu(x);
		}
	}
	return i <= ln->start ? 0 : ln->width;
}

/* ---- drawing ---- */

static void
set_rgb(cairo_t *cr, guint32 c)
{
	cairo_set_source_rgb(cr, (c >> 16 & 0xFF) / 255.0, (c >> 8 & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

/* Glyphs of a piece (and the hyphen) with one cluster for all of them: the word's text for
 * a hyphenated word's first part, nothing for its second. */
static void
show_word(cairo_t *cr, const OvLine *ln, const LinePiece *lp, PangoGlyphString *gs, double x, double y)
{
	int n = gs->num_glyphs + (lp->has_hyphen ? ln->hy->num_glyphs : 0);
	cairo_glyph_t *g = g_new(cairo_glyph_t, MAX(n, 1));
	cairo_text_cluster_t cl;
	int k = 0;
	double gx = x;
	const char *utf8 = lp->mode == LP_WORD ? ln->text + lp->word_start : "";
	int ulen = lp->mode == LP_WORD ? lp->word_end - lp->word_start : 0;
	char *own = NULL;

	for (int i = 0; i < gs->num_glyphs; i++) {
		PangoGlyphInfo *gi = &gs->glyphs[i];
		if (!(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) && gi->glyph != PANGO_GLYPH_EMPTY) {
			g[k].index = gi->glyph;
			g[k].x = gx + pu(gi->geometry.x_offset);
			g[k].y = y + pu(gi->geometry.y_offset);
			k++;
		}
		gx += pu(gi->geometry.width);
	}
	if (lp->has_hyphen)
		for (int i = 0; i < ln->hy->num_glyphs; i++) {
			g[k].index = ln->hy->glyphs[i].glyph;
			g[k].x = gx + pu(ln->hy->glyphs[i].geometry.x_offset);
			g[k].y = y;
			k++;
			gx += pu(ln->hy->glyphs[i].geometry.width);
		}
	if (lp->mode == LP_NORMAL) {
		/* a long word's part: its own text, and U+00AD where it breaks */
		own = g_strdup_printf("%.*s%s", lp->gi->item->length, ln->text + lp->gi->item->offset,
				      lp->soft_end ? "\xC2\xAD" : "");
		utf8 = own;
		ulen = (int)strlen(own);
	}
	if (ulen > 0) {
		char *safe = ov_text_no_nonchars(utf8, ulen, &ulen);
		if (safe) {
			g_free(own);
			utf8 = own = safe;
		}
	}
	if (k > 0 || ulen > 0) {
		cl.num_bytes = ulen;
		cl.num_glyphs = k;
		cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(lp->gi->item->analysis.font)));
		cairo_show_text_glyphs(cr, utf8, ulen, g, k, &cl, 1, 0);
	}
	g_free(own);
	g_free(g);
}

/* A glyph Cairo can show: not an empty one, nor one of a character in no font. */
static gboolean
showable(PangoGlyph g)
{
	return g != PANGO_GLYPH_EMPTY && !(g & PANGO_GLYPH_UNKNOWN_FLAG);
}

/* A character in no font: an empty box of its advance (none for a space). */
static void
missing_box(cairo_t *cr, const PangoGlyphInfo *gl, double x, double y, double size)
{
	double w = gl->geometry.width > 0 ? pu(gl->geometry.width) : size * 0.6;
	if (gl->glyph == (0x20 | PANGO_GLYPH_UNKNOWN_FLAG))
		return;
	cairo_save(cr);
	cairo_set_line_width(cr, size * 0.05);
	cairo_rectangle(cr, x + w * 0.1, y - size * 0.7, w * 0.8, size * 0.7);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* The length of s[0, len) in ov_text_no_nonchars's copy: a noncharacter's U+FFFD takes 3. */
static int
safe_len(const char *s, int len)
{
	int n = 0;
	for (const char *p = s, *q; p < s + len; p = q) {
		q = g_utf8_next_char(p);
		n += ov_noncharacter(g_utf8_get_char(p)) ? 3 : (int)(q - p);
	}
	return n;
}

/* A run's glyphs with the pen at (x, y), each cluster of its text mapped to its glyphs (for
 * copying and search): what Pango's Cairo renderer writes, made with Cairo alone, so that the
 * pages can be drawn in one thread while Pango sets more text in another. The font's
 * scaled font was made when the run was shaped (ov_shape). */
static void
show_run(cairo_t *cr, const char *text, const PangoGlyphItem *run, double x, double y, int dx, double size)
{
	const PangoGlyphString *gs = run->glyphs;
	const PangoItem *item = run->item;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font));
	gboolean ok = sf && cairo_scaled_font_status(sf) == CAIRO_STATUS_SUCCESS;
	int *fill = g_new(int, MAX(gs->num_glyphs, 1)), nfill = 0;
	cairo_glyph_t *g;
	cairo_text_cluster_t *cl = g_new(cairo_text_cluster_t, MAX(gs->num_glyphs, 1));
	PangoGlyphItemIter it;
	int ng = 0, nc = 0, pen = 0, ulen = item->length;
	char *safe = ov_text_no_nonchars(text + item->offset, item->length, &ulen);

	/* A tab is the font's space with the tab's advance (ov_shape); drawn as that many spaces
	 * as fill it, one cluster for the tab, so that a text extractor meets no gap wider than a
	 * space (MuPDF would end the line there) and copies the tab (Cairo writes it as the
	 * spaces' ActualText). Spaces draw nothing: the page looks the same. */
	for (int k = 0; k < gs->num_glyphs; k++) {
		const PangoGlyphInfo *gl = &gs->glyphs[k];
		fill[k] = showable(gl->glyph) ? 1 : 0;
		if (ok && fill[k] && text[item->offset + gs->log_clusters[k]] == '\t') {
			cairo_glyph_t sp = { gl->glyph, 0, 0 };
			cairo_text_extents_t ext;
			cairo_scaled_font_glyph_extents(sf, &sp, 1, &ext);
			if (ext.x_advance > 0)
				fill[k] = MAX(1, (int)nearbyint(pu(gl->geometry.width) / ext.x_advance));
		}
		nfill += fill[k];
	}
	g = g_new(cairo_glyph_t, MAX(nfill, 1));

	/* the pen where Cairo keeps a current point: in 24.8 fixed point */
	x = nearbyint(x * 256) / 256 + pu(dx);
	y = nearbyint(y * 256) / 256;

	if (pango_glyph_item_iter_init_start(&it, (PangoGlyphItem *)run, text))
		do {
			int from = MIN(it.start_glyph, it.end_glyph + 1), to = MAX(it.start_glyph + 1, it.end_glyph), n = 0;
			for (int k = from; k < to; k++)
				n += fill[k];
			cl[nc].num_bytes = safe ? safe_len(text + it.start_index, it.end_index - it.start_index)
					       : it.end_index - it.start_index;
			cl[nc].num_glyphs = n;
			nc++;
		} while (pango_glyph_item_iter_next_cluster(&it));
	for (int k = 0; k < gs->num_glyphs; k++) {
		const PangoGlyphInfo *gl = &gs->glyphs[k];
		double gx = x + pu(pen + gl->geometry.x_offset), gy = gl->geometry.y_offset ? y + pu(gl->geometry.y_offset) : y;
		if (gl->glyph != PANGO_GLYPH_EMPTY && (!ok || (gl->glyph & PANGO_GLYPH_UNKNOWN_FLAG)))
			missing_box(cr, gl, gx, gy, size);
		else if (gl->glyph != PANGO_GLYPH_EMPTY)
			for (int f = 0; f < fill[k]; f++)
				g[ng++] = (cairo_glyph_t){ gl->glyph, gx + f * pu(gl->geometry.width) / fill[k], gy };
		pen += gl->geometry.width;
	}
	if (ok) {
		cairo_set_scaled_font(cr, sf);
		cairo_show_text_glyphs(cr, safe ? safe : text + item->offset, ulen, g, ng, cl, nc,
				       item->analysis.level & 1 ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : 0);
	}
	g_free(safe);
	g_free(cl);
	g_free(g);
	g_free(fill);
}

void
ov_run_draw(cairo_t *cr, const char *text, const PangoGlyphItem *run, double x, double y, int dx, double size)
{
	show_run(cr, text, run, x, y, dx, size);
}

void
ov_line_draw(cairo_t *cr, const OvLine *ln, double x, double y, guint32 color)
{
	ov_line_draw_tagged(cr, ln, x, y, color, NULL, NULL);
}

/* The images a line holds, in the order ov_line_draw draws them (a block picture in a cell
 * or a note is one too), each to fn. */
void
ov_line_foreach_image(const OvLine *ln, void (*fn)(const OvImage *im, void *data), void *data)
{
	for (guint i = 0; i < ln->pieces->len; i++) {
		const LinePiece *lp = &g_array_index(ln->pieces, LinePiece, i);
		PangoAttrShape *shape = (PangoAttrShape *)find_attr(lp->gi->item, PANGO_ATTR_SHAPE);
		int n = lp->gi->glyphs ? lp->gi->glyphs->num_glyphs : lp->nglyphs;
		if (shape && shape->data)
			for (int g = 0; g < n; g++)
				fn(shape->data, data);
	}
}

void
ov_line_draw_tagged(cairo_t *cr, const OvLine *ln, double x, double y, guint32 color,
		    void (*around)(const OvImage *im, gboolean begin, void *data), void *data)
{
	for (guint i = 0; i < ln->pieces->len; i++) {
		const LinePiece *lp = &g_array_index(ln->pieces, LinePiece, i);
		PangoItem *it = lp->gi->item;
		PangoAttrColor *fg = (PangoAttrColor *)find_attr(it, PANGO_ATTR_FOREGROUND);
		PangoAttrShape *shape = (PangoAttrShape *)find_attr(it, PANGO_ATTR_SHAPE);
		PangoAttrInt *ul = (PangoAttrInt *)find_attr(it, PANGO_ATTR_UNDERLINE);
		PangoAttrInt *strike = (PangoAttrInt *)find_attr(it, PANGO_ATTR_STRIKETHROUGH);
		double px = x + lp->x, py = y + lp->y_off;
		PangoGlyphString *gs = glyphs_of(lp);

		if (fg)
			cairo_set_source_rgb(cr, fg->color.red / 65535.0, fg->color.green / 65535.0, fg->color.blue / 65535.0);
		else
			set_rgb(cr, color);
		if (shape) {
			double gx = px;
			for (int g = 0; g < gs->num_glyphs; g++) {
				const OvImage *im = shape->data;
				if (im && around)
					around(im, TRUE, data);
				if (im)
					ov_image_draw(cr, im, gx, py + pu(shape->logical_rect.y), pu(shape->logical_rect.width),
						      pu(shape->logical_rect.height), NULL);
				if (im && around)
					around(im, FALSE, data);
				gx += pu(gs->glyphs[g].geometry.width);
			}
			glyphs_done(lp, gs);
			continue;
		}
		if (lp->mode != LP_NORMAL || lp->has_hyphen || lp->soft_end)
			show_word(cr, ln, lp, gs, px, py);
		else {
			PangoGlyphItem whole = *lp->gi;
			whole.glyphs = gs;
			show_run(cr, ln->text, &whole, px, py, 0, ln->size);
		}
		glyphs_done(lp, gs);
		if (ln->deco && ((ul && ul->value != PANGO_UNDERLINE_NONE) || (strike && strike->value))) {
			const float *dm = ln->deco + 4 * i;
			if (ul && ul->value != PANGO_UNDERLINE_NONE)
				cairo_rectangle(cr, px, py - dm[0], lp->w, dm[1]);
			if (strike && strike->value)
				cairo_rectangle(cr, px, py - dm[2], lp->w, dm[3]);
			cairo_fill(cr);
		}
	}
}
