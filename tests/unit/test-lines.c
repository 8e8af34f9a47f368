/* Unit tests: justification by letter-spacing in the line breaker (src/pdf/lines.c). A
 * paragraph is shaped with the bundled fonts and broken twice, without and with
 * letter-spacing; the glyphs' offsets tell where gaps were opened. */
#include <math.h>
#include <string.h>
#include "fonts.h"
#include "pdf/layout.h"

#define SIZE 10.5

static PangoContext *
context(void)
{
	static PangoContext *pc;
	if (pc == NULL) {
		OvDiags d = { 0 };
		PangoFontMap *fm;
		g_setenv("OCTAVO_DATADIR", TEST_DIR "/..", TRUE);
		fm = ov_fonts_map(&d);
		g_assert_nonnull(fm);
		pc = pango_font_map_create_context(fm);
		ov_diags_clear(&d);
	}
	return pc;
}

static OvShaped *
shape(const char *text, const char *family, const char *lang)
{
	PangoFontDescription *fd = pango_font_description_from_string(family);
	OvShaped *sh;
	pango_font_description_set_absolute_size(fd, SIZE * PANGO_SCALE);
	sh = ov_shape(context(), text, (int)strlen(text), NULL, fd, pango_language_from_string(lang), SIZE, NULL, 0);
	pango_font_description_free(fd);
	return sh;
}

static GPtrArray *
lines(const OvShaped *sh, double width, double letter_space)
{
	OvBreakSpec bs = { 0 };
	bs.width = width;
	bs.mode = OV_BREAK_JUSTIFY;
	bs.align = PANGO_ALIGN_LEFT;
	bs.max_hyphens = 2;
	bs.tolerance = 200;
	bs.emergency_stretch = 2 * SIZE;
	bs.rag = 3 * SIZE;
	bs.letter_space = letter_space;
	return ov_break(sh, &bs);
}

/* Glyphs drawn away from their pen position, in all lines: shaping gives Latin letters none,
 * and every letter-spacing gap opened moves one. */
static int
offset_glyphs(const GPtrArray *ls)
{
	int n = 0;
	for (guint i = 0; i < ls->len; i++)
		n += ov_line_moved_glyphs(g_ptr_array_index(ls, i));
	return n;
}

/* Break the same text without and with letter-spacing: the glyphs the letter-spacing moved
 * (each glyph is on one line either way), and whether every justified line still ends at the
 * measure. */
static int
gaps_opened(const char *text, const char *family, const char *lang, double width, gboolean *flush)
{
	OvShaped *sh = shape(text, family, lang);
	GPtrArray *a = lines(sh, width, 0), *b = lines(sh, width, 0.02 * SIZE);
	int n = offset_glyphs(b) - offset_glyphs(a);
	*flush = TRUE;
	g_assert_cmpuint(b->len, >, 2);
	for (guint i = 0; i < b->len; i++) {
		const OvLine *ln = g_ptr_array_index(b, i);
		if (ln->justified && fabs(ln->width - width) > 0.05)
			*flush = FALSE;
	}
	g_ptr_array_unref(a);
	g_ptr_array_unref(b);
	ov_shaped_free(sh);
	return n;
}

static void
test_latin_spaced(void)
{
	gboolean flush;
	int n = gaps_opened("Sustainable peace cannot be achieved overnight. Not all peace processes culminate "
			    "in a political solution, positive processes may backfire, and the parties may resort "
			    "to arms rather than continue negotiations with one another for long.",
			    "Gentium Book Plus", "en", 160, &flush);
	g_assert_cmpint(n, >, 20);
	g_assert_true(flush);
}

static void
test_arabic_not_spaced(void)
{
	gboolean flush;
	/* joined letters must never be pulled apart */
	int n = gaps_opened("\xd8\xa7\xd9\x84\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85 "
			    "\xd9\x88\xd8\xb1\xd8\xad\xd9\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd9\x84\xd9\x87 "
			    "\xd9\x88\xd8\xa8\xd8\xb1\xd9\x83\xd8\xa7\xd8\xaa\xd9\x87 \xd8\xa7\xd9\x84\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 "
			    "\xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85 \xd9\x88\xd8\xb1\xd8\xad\xd9\x85\xd8\xa9 "
			    "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87 \xd9\x88\xd8\xa8\xd8\xb1\xd9\x83\xd8\xa7\xd8\xaa\xd9\x87 "
			    "\xd8\xa7\xd9\x84\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85",
			    "Noto Naskh Arabic", "ar", 90, &flush);
	g_assert_cmpint(n, ==, 0);
	g_assert_true(flush);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lines/letter-spacing/latin", test_latin_spaced);
	g_test_add_func("/lines/letter-spacing/arabic", test_arabic_not_spaced);
	return g_test_run();
}
