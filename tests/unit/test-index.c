/* Unit tests: the generated index (sorting by language, letter groups, locators from a page
 * map) and the page map's answers. */
#include <string.h>
#include <glib/gstdio.h>
#include "docbook.h"
#include "resolve.h"
#include "theme.h"
#include "index.h"
#include "pagemap.h"

static int
key_cmp(gconstpointer a, gconstpointer b, gpointer lang)
{
	char *ka = ov_collate_key(*(const char *const *)a, lang), *kb = ov_collate_key(*(const char *const *)b, lang);
	int r = strcmp(ka, kb);
	g_free(ka);
	g_free(kb);
	return r;
}

/* Sort words (given in the expected order, then shuffled) and compare. */
static void
check_order(const char *lang, const char *const *want)
{
	GPtrArray *a = g_ptr_array_new();
	guint n = g_strv_length((char **)want);
	for (guint i = 0; i < n; i++) /* reversed, then rotated: not the expected order */
		g_ptr_array_add(a, (gpointer)want[(n - 1 - i + n / 2) % n]);
	g_ptr_array_sort_with_data(a, key_cmp, (gpointer)lang);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr(g_ptr_array_index(a, i), ==, want[i]);
	g_ptr_array_free(a, TRUE);
}

static void
test_collate_nb(void)
{
	static const char *const want[] = { "apple", "Zebra", "Zürich", "ærlig", "Ærø", "øl", "Øst", "ål", "Ålesund", "år", NULL };
	check_order("nb", want);
	check_order("nb-NO", want);
	check_order("no", want);
}

static void
test_collate_sv(void)
{
	static const char *const want[] = { "zon", "åka", "äpple", "ärta", "öga", NULL };
	check_order("sv", want);
}

static void
test_collate_es(void)
{
	/* ñ is a letter of its own, after n; accents only break ties; ch and ll are no letters
	 * (since 1994) */
	static const char *const want[] = { "cama", "chico", "cosa", "llama", "luz", "nube", "nulo", "ñandú", "ñu",
					    "ola", "órgano", "oso", NULL };
	check_order("es", want);
	check_order("es-MX", want);
}

static void
test_collate_cs_pl_ru(void)
{
	/* Czech: č ř š ž letters of their own after c r s z, ch after h; á and ě only break ties */
	static const char *const cs[] = { "cihla", "čaj", "dům", "hora", "chata", "Chrudim", "ilex", "rád", "řeka",
					  "sen", "šatna", "zebra", "žába", NULL };
	/* Polish: ą ć ę ł ń ó ś ź ż after their Latin letters, ź before ż */
	static const char *const pl[] = { "ala", "ąb", "cebula", "ćma", "lato", "łódź", "osa", "ósmy", "pies", "zebra",
					  "źródło", "żaba", NULL };
	/* Russian: ё is filed with е */
	static const char *const ru[] = { "арбуз", "ёж", "ель", "жук", "яблоко", NULL };
	check_order("cs", cs);
	check_order("cs-CZ", cs);
	check_order("pl", pl);
	check_order("ru", ru);
}

static void
test_collate_en(void)
{
	/* case and accents only break ties; words before longer words (word by word); digits first;
	 * æ is "ae" and ø an o outside the Nordic languages */
	static const char *const want[] = { "1325", "aardvark", "Ærø", "affair", "apple", "Apple", "eclair", "éclair",
					    "Lie, Trygve", "Lien", "New York", "Newark", "Ørsted", "Oslo", "über", "UN system", NULL };
	check_order("en", want);
	check_order(NULL, want);
}

static void
test_letter(void)
{
	static const struct { const char *s, *lang, *want; } cases[] = {
		{ "Ærø", "nb", "Æ" }, { "Ærø", "en", "A" }, { "øl", "nb", "Ø" }, { "Ålesund", "nb", "Å" },
		{ "Ålesund", "de", "A" }, { "éclair", "fr", "E" }, { "1325 resolution", "en", "Symbols" },
		{ "“quoted”", "en", "Q" }, { "δέλτα", "el", "Δ" }, { "ñandú", "es", "Ñ" }, { "ñandú", "en", "N" },
		{ "nube", "es", "N" }, { "órgano", "es", "O" }, { "łódź", "sv", "L" }, { "łódź", "pl", "Ł" },
		{ "chata", "cs", "Ch" }, { "CHRUDIM", "cs", "Ch" }, { "cihla", "cs", "C" }, { "čaj", "cs", "Č" },
		{ "chata", "en", "C" }, { "ósmy", "pl", "Ó" }, { "ósmy", "cs", "O" }, { "ёж", "ru", "Е" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *l = ov_index_letter(cases[i].s, cases[i].lang);
		g_assert_cmpstr(l, ==, cases[i].want);
		g_free(l);
	}
}

static const char book[] =
	"<book xmlns='http://docbook.org/ns/docbook' version='5.0' xml:lang='en'><title>T</title>"
	"<chapter><title>C</title>"
	"<para xml:id='p1'>one<indexterm><primary>alpha</primary></indexterm></para>"
	"<para xml:id='p2'>two<indexterm><primary>alpha</primary></indexterm>"
	"<indexterm significance='preferred'><primary>beta</primary></indexterm></para>"
	"<para xml:id='p3'>three<indexterm><primary>alpha</primary></indexterm><indexterm><primary>beta</primary></indexterm>"
	"<indexterm><primary>beta</primary><secondary>sub</secondary></indexterm></para>"
	"<para xml:id='p4'>four<indexterm class='startofrange' xml:id='g'><primary>gamma</primary></indexterm>"
	"<xref linkend='p6' xrefstyle='select: page'/></para>"
	"<para xml:id='p5'>five<indexterm><primary>delta</primary><see>alpha</see></indexterm></para>"
	"<para xml:id='p6'>six<indexterm class='endofrange' startref='g'/><indexterm><primary>alpha</primary></indexterm></para>"
	"</chapter><index/></book>";

static char *
entry_text(OvDoc *doc, const char *term)
{
	OvIter it;
	OvEvent ev;
	ov_iter_init(&it, doc->index);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		GString *s;
		if (ev != OV_EV_ENTER || it.cur->type != OV_INDEXENTRY)
			continue;
		s = g_string_new(NULL);
		ov_node_text(it.cur, s);
		if (g_str_has_prefix(s->str, term) && strchr(",.:", s->str[strlen(term)]))
			return g_string_free(s, FALSE);
		g_string_free(s, TRUE);
	}
	return NULL;
}

/* A page map where page "i" is front matter and body page N starts before paragraph pN. */
static OvPageMap *
fake_pages(OvDoc *doc, int skip)
{
	OvPageMap *pm;

	ov_doc_order(doc); /* as the build does before it typesets */
	pm = ov_pagemap_new(doc);
	ov_pagemap_add(pm, "i", OV_PM_TITLEPAGE, FALSE, NULL, NULL, 0);
	for (int n = 1; n <= 6; n++) {
		char id[8], label[8];
		if (n == skip)
			continue;
		g_snprintf(id, sizeof id, "p%d", n);
		g_snprintf(label, sizeof label, "%d", n - (skip && n > skip ? 1 : 0));
		ov_pagemap_add(pm, label, OV_PM_BODY, TRUE, g_hash_table_lookup(doc->ids, id), NULL, 0);
	}
	return pm;
}

static void
test_locators(void)
{
	char *dir = g_dir_make_tmp("octavo-test-XXXXXX", NULL);
	char *path = g_build_filename(dir, "b.xml", NULL);
	OvDiags d;
	OvTheme *th = ov_theme_default();
	OvDoc *doc;
	OvPageMap *pm;
	char *t;

	g_assert_true(g_file_set_contents(path, book, -1, NULL));
	ov_diags_init(&d);
	doc = ov_docbook_read(path, &d);
	g_assert_nonnull(doc);
	ov_resolve(doc, th, &d);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_nonnull(doc->index);
	/* before the book is typeset: terms, see references, no page numbers */
	t = entry_text(doc, "delta");
	g_assert_cmpstr(t, ==, "delta. See alpha");
	g_free(t);
	t = entry_text(doc, "alpha");
	g_assert_cmpstr(t, ==, "alpha");
	g_free(t);

	pm = fake_pages(doc, 0);
	g_assert_cmpint(ov_pagemap_page_of(pm, g_hash_table_lookup(doc->ids, "p3"), FALSE), ==, 3);
	g_assert_cmpint(ov_pagemap_page_of(pm, doc->root, FALSE), ==, -1);
	g_assert_true(ov_resolve_pages(doc, pm, FALSE, &d)); /* would change, but only tells */
	t = entry_text(doc, "alpha");
	g_assert_cmpstr(t, ==, "alpha");
	g_free(t);
	g_assert_true(ov_resolve_pages(doc, pm, TRUE, &d));
	/* pages that follow each other join; a preferred page stands apart (in bold); a range */
	t = entry_text(doc, "alpha");
	g_assert_cmpstr(t, ==, "alpha,\xC2\xA0" "1\xE2\x80\x93" "3, 6");
	g_free(t);
	t = entry_text(doc, "beta");
	g_assert_cmpstr(t, ==, "beta,\xC2\xA0" "2, 3");
	g_free(t);
	t = entry_text(doc, "gamma");
	g_assert_cmpstr(t, ==, "gamma,\xC2\xA0" "4\xE2\x80\x93" "6");
	g_free(t);
	t = entry_text(doc, "sub");
	g_assert_cmpstr(t, ==, "sub,\xC2\xA0" "3");
	g_free(t);
	{
		OvNode *x = doc->ids ? ((OvNode *)g_hash_table_lookup(doc->ids, "p4"))->last : NULL;
		g_assert_nonnull(x);
		g_assert_cmpint(x->type, ==, OV_XREF);
		g_assert_cmpstr(x->gen, ==, "page\xC2\xA0" "6"); /* bound to its number */
		g_assert_cmpstr(x->page, ==, "6");
	}
	g_assert_false(ov_resolve_pages(doc, pm, TRUE, &d)); /* settled */
	ov_pagemap_free(pm);

	/* the pages move: paragraph 3 no longer starts a page */
	pm = fake_pages(doc, 3);
	g_assert_true(ov_resolve_pages(doc, pm, TRUE, &d));
	t = entry_text(doc, "alpha");
	g_assert_cmpstr(t, ==, "alpha,\xC2\xA0" "1\xE2\x80\x93" "2, 5");
	g_free(t);
	ov_pagemap_free(pm);

	ov_doc_free(doc);
	ov_theme_free(th);
	ov_diags_clear(&d);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

/* Without pages an entry names the divisions of its places: a range every division it spans
 * (not only those of its ends), an untitled glossary by its default title */
static void
test_pageless_sections(void)
{
	static const char src[] =
		"<book xmlns='http://docbook.org/ns/docbook' version='5.0' xml:lang='en'><title>T</title>"
		"<chapter><title>One</title><para>a<indexterm xml:id='r' class='startofrange'><primary>range</primary></indexterm></para>"
		"<section><title>One.1</title><para>inside the start's chapter</para></section></chapter>"
		"<chapter><title>Two</title><section><title>Two.1</title><para>b</para></section></chapter>"
		"<chapter><title>Three</title><section><title>Three.1</title><para>c</para></section>"
		"<section><title>Three.2</title><para>d<indexterm class='endofrange' startref='r'/></para></section>"
		"<section><title>Three.3</title><para>after the end</para></section></chapter>"
		"<chapter><title>Four</title><para>e<indexterm xml:id='back' class='startofrange'><primary>backwards</primary></indexterm></para></chapter>"
		"<glossary><glossentry><glossterm>g<indexterm><primary>glossed</primary></indexterm></glossterm>"
		"<glossdef><para>d</para></glossdef></glossentry></glossary>"
		"<index/></book>";
	char *dir = g_dir_make_tmp("octavo-test-XXXXXX", NULL);
	char *path = g_build_filename(dir, "np.xml", NULL);
	OvDiags d;
	OvTheme *th = ov_theme_default();
	OvDoc *doc;
	char *t;

	g_assert_true(g_file_set_contents(path, src, -1, NULL));
	ov_diags_init(&d);
	doc = ov_docbook_read(path, &d);
	g_assert_nonnull(doc);
	ov_resolve(doc, th, &d);
	g_assert_cmpuint(d.errors, ==, 0);
	ov_resolve_pageless(doc, TRUE);
	t = entry_text(doc, "range");
	g_assert_cmpstr(t, ==, "range: One; Two; Three.1; Three.2");
	g_free(t);
	t = entry_text(doc, "glossed");
	g_assert_cmpstr(t, ==, "glossed: Glossary");
	g_free(t);
	t = entry_text(doc, "backwards"); /* a start without an end: its own place */
	g_assert_cmpstr(t, ==, "backwards: Four");
	g_free(t);
	ov_doc_free(doc);
	ov_theme_free(th);
	ov_diags_clear(&d);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/index/collate-nb", test_collate_nb);
	g_test_add_func("/index/collate-sv", test_collate_sv);
	g_test_add_func("/index/collate-es", test_collate_es);
	g_test_add_func("/index/collate-en", test_collate_en);
	g_test_add_func("/index/collate-cs-pl-ru", test_collate_cs_pl_ru);
	g_test_add_func("/index/letter", test_letter);
	g_test_add_func("/index/locators", test_locators);
	g_test_add_func("/index/pageless-sections", test_pageless_sections);
	return g_test_run();
}
