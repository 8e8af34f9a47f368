/* Unit tests: the words octavo writes into a book, by the book's language (gentext.c). */
#include <string.h>
#include "gentext.h"

static const char *const langs[] = { "en", "de", "fr", "es", "it", "nl", "pt", "pt-BR", "nb", "nn", "sv", "da", "fi", "cs", "pl", "ru" };

/* Every language has every word; the copyright line's format takes three strings and nothing
 * else; each language has its own words (not English left in by a short row). */
static void
test_complete(void)
{
	for (gsize l = 0; l < G_N_ELEMENTS(langs); l++) {
		int differ = 0;
		for (int w = 0; w < OV_GT_N; w++) {
			const char *s = ov_gentext_lang(langs[l], w);
			g_assert_nonnull(s);
			g_assert_cmpuint(strlen(s), >, 0);
			g_assert_true(g_utf8_validate(s, -1, NULL));
			differ += strcmp(s, ov_gentext_lang("en", w)) != 0;
			if (w == OV_GT_SET_IN) {
				const char *p = s;
				int n = 0;
				while ((p = strchr(p, '%')) != NULL) {
					g_assert_true(p[1] == 's');
					n++;
					p += 2;
				}
				g_assert_cmpint(n, ==, 3);
			} else {
				g_assert_null(strchr(s, '%'));
			}
		}
		if (strcmp(langs[l], "en") != 0)
			g_assert_cmpint(differ, >, OV_GT_N / 2);
	}
}

/* The row for a tag: by its primary subtag, any case or separator; Brazilian Portuguese its
 * own; "no" is Bokmål; an unknown language or none is English. */
static void
test_choice(void)
{
	g_assert_cmpstr(ov_gentext_lang("de-AT", OV_GT_CHAPTER), ==, "Kapitel");
	g_assert_cmpstr(ov_gentext_lang("DE", OV_GT_FIGURE), ==, "Abbildung");
	g_assert_cmpstr(ov_gentext_lang("pt-BR", OV_GT_CONTENTS), ==, "Sumário");
	g_assert_cmpstr(ov_gentext_lang("pt_br", OV_GT_SECTION), ==, "Seção");
	g_assert_cmpstr(ov_gentext_lang("pt-PT", OV_GT_CONTENTS), ==, "Índice");
	g_assert_cmpstr(ov_gentext_lang("pt-BRX", OV_GT_SECTION), ==, "Secção");
	g_assert_cmpstr(ov_gentext_lang("no", OV_GT_CONTENTS), ==, "Innhold");
	g_assert_cmpstr(ov_gentext_lang("nn-NO", OV_GT_CONTENTS), ==, "Innhald");
	g_assert_cmpstr(ov_gentext_lang("fr-CA", OV_GT_SEE_ALSO), ==, "Voir aussi");
	g_assert_cmpstr(ov_gentext_lang("cs-CZ", OV_GT_CONTENTS), ==, "Obsah");
	g_assert_cmpstr(ov_gentext_lang("pl", OV_GT_CHAPTER), ==, "Rozdział");
	g_assert_cmpstr(ov_gentext_lang("ru-RU", OV_GT_FIGURE), ==, "Рисунок");
	g_assert_cmpstr(ov_gentext_lang("fi", OV_GT_INDEX), ==, "Hakemisto");
	g_assert_cmpstr(ov_gentext_lang("ja", OV_GT_CHAPTER), ==, "Chapter");
	g_assert_cmpstr(ov_gentext_lang("", OV_GT_CHAPTER), ==, "Chapter");
	g_assert_cmpstr(ov_gentext_lang(NULL, OV_GT_INDEX), ==, "Index");
	g_assert_cmpstr(ov_gentext_lang("english-very-long-tag", OV_GT_INDEX), ==, "Index");
	g_assert_cmpstr(ov_gentext(NULL, OV_GT_NOTE + OV_ADM_CAUTION), ==, "Caution");
	g_assert_cmpstr(ov_gentext_lang("sv", OV_GT_NOTE + OV_ADM_WARNING), ==, "Varning");
}

/* Quotation marks: by language, outer and inner alternating with depth. */
static void
test_quotes(void)
{
	static const struct { const char *lang; int depth; const char *open, *close; } cases[] = {
		{ "en", 0, "\u201C", "\u201D" }, { "en-GB", 1, "\u2018", "\u2019" }, { NULL, 2, "\u201C", "\u201D" },
		{ "de-CH", 0, "\u201E", "\u201C" }, { "de", 1, "\u201A", "\u2018" },
		{ "fr", 0, "\u00AB\u00A0", "\u00A0\u00BB" }, { "fr", 3, "\u2039\u00A0", "\u00A0\u203A" },
		{ "no", 0, "\u00AB", "\u00BB" }, { "nn", 1, "\u2018", "\u2019" }, { "ru", 1, "\u201E", "\u201C" },
		{ "es", 0, "\u00AB", "\u00BB" }, { "pt-BR", 0, "\u201C", "\u201D" }, { "pt", 0, "\u00AB", "\u00BB" },
		{ "sv", 0, "\u201D", "\u201D" }, { "pl", 1, "\u00AB", "\u00BB" }, { "tlh", 0, "\u201C", "\u201D" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *open, *close;
		ov_gentext_quotes(cases[i].lang, cases[i].depth, &open, &close);
		g_assert_cmpstr(open, ==, cases[i].open);
		g_assert_cmpstr(close, ==, cases[i].close);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/gentext/complete", test_complete);
	g_test_add_func("/gentext/choice", test_choice);
	g_test_add_func("/gentext/quotes", test_quotes);
	return g_test_run();
}
