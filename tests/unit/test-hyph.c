/* Unit tests: libhyphen's patterns through octavo's cache (src/pdf/hyph.c). A dictionary read
 * from the cache must hyphenate every word as the one libhyphen builds; a damaged cache file
 * (cut short, or any byte changed) must be refused and written again, never trusted. */
#include <string.h>
#include <stdlib.h>
#include <hyphen.h>
#include <zlib.h>
#include <glib/gstdio.h>
#include "pdf/hyph.h"
#include "scaffold.h"

#define EN "/usr/share/hyphen/hyph_en_US.dic"
#define DE "/usr/share/hyphen/hyph_de_DE.dic"

static char *cache_dir;

static const char *const en_words[] = {
	"international", "commitment", "humanitarian", "development", "cooperation", "organisation",
	"responsibility", "representatives", "negotiations", "peacekeeping", "reconciliation",
	"multilateral", "implementation", "Norwegian", "sustainability", "accountability",
	"discrimination", "participation", "understanding", "typographer", "hyphenation",
	"antidisestablishmentarianism", "co-operation", "table", "a", "rhythm", NULL
};
static const char *const de_words[] = {
	"Donaudampfschifffahrtsgesellschaft", "Silbentrennung", "Zusammenarbeit", "Menschenrechte",
	"Entwicklungszusammenarbeit", "Friedenssicherung", "Verantwortung", "Schriftsetzerin",
	"Druckmaschine", "Bundesverfassungsgericht", "Rechtsschutzversicherungsgesellschaften",
	"Ölförderung", "Übersetzung", "Straße", "Glück", NULL
};

/* every word's hyphenation (libhyphen's odd-numbered points and any replacements), one line each */
static char *
hyphenate_all(HyphenDict *d, const char *const *words)
{
	GString *s = g_string_new(NULL);
	for (const char *const *w = words; *w; w++) {
		char *lower = g_utf8_strdown(*w, -1), *hyph = g_malloc0(strlen(lower) + 5), *out = g_malloc0(2 * strlen(lower) + 10);
		char **rep = NULL;
		int *pos = NULL, *cut = NULL;
		hnj_hyphen_hyphenate2(d, lower, (int)strlen(lower), hyph, out, &rep, &pos, &cut);
		g_string_append_printf(s, "%s %s\n", hyph, out);
		if (rep) {
			for (gsize i = 0; i < strlen(lower); i++)
				free(rep[i]);
			free(rep);
			free(pos);
			free(cut);
		}
		g_free(lower);
		g_free(hyph);
		g_free(out);
	}
	return g_string_free(s, FALSE);
}

static char *
cache_file(const char *dic)
{
	char *base = g_path_get_basename(dic), *f = g_build_filename(cache_dir, "octavo", "hyphen", base, NULL);
	g_free(base);
	return f;
}

static void
same_as_libhyphen(const char *dic, const char *const *words)
{
	HyphenDict *cold, *warm;
	char *want, *got, *file = cache_file(dic);

	g_unlink(file);
	cold = ov_hyph_load(dic); /* a miss: libhyphen's own (hnj_hyphen_load), and the cache written */
	g_assert_nonnull(cold);
	g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
	want = hyphenate_all(cold, words);
	g_assert_nonnull(strchr(want, '1')); /* some word has a hyphenation point */
	warm = ov_hyph_load(dic); /* a hit */
	g_assert_nonnull(warm);
	g_assert_true(warm != cold);
	g_assert_cmpint(warm->num_states, ==, cold->num_states);
	g_assert_nonnull(warm->nextlevel);
	g_assert_cmpint(warm->nextlevel->num_states, ==, cold->nextlevel->num_states);
	got = hyphenate_all(warm, words);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_free(want);
	g_free(file);
	hnj_hyphen_free(cold);
	/* warm: kept, as octavo keeps every dictionary for the process */
}

static void
test_english(void)
{
	same_as_libhyphen(EN, en_words);
}

static void
test_german(void)
{
	same_as_libhyphen(DE, de_words);
}

/* The cache file replaced by bad bytes: loaded all the same (from the patterns), hyphenating
 * as before, and the cache written whole again. */
static void
load_despite(const char *bytes, gsize len, const char *want, const char *good, gsize good_len)
{
	char *file = cache_file(EN), *got, *now = NULL;
	gsize now_len = 0;
	HyphenDict *d;

	g_assert_true(g_file_set_contents(file, bytes, (gssize)len, NULL));
	d = ov_hyph_load(EN);
	g_assert_nonnull(d);
	got = hyphenate_all(d, en_words);
	g_assert_cmpstr(got, ==, want);
	g_assert_true(g_file_get_contents(file, &now, &now_len, NULL));
	g_assert_cmpmem(now, now_len, good, good_len);
	g_free(now);
	g_free(got);
	g_free(file);
}

static void
test_damaged(void)
{
	HyphenDict *ref = hnj_hyphen_load(EN);
	char *want = hyphenate_all(ref, en_words), *file = cache_file(EN), *good = NULL;
	gsize len = 0;
	GRand *rnd = g_rand_new_with_seed(8);

	g_unlink(file);
	g_assert_nonnull(ov_hyph_load(EN));
	g_assert_true(g_file_get_contents(file, &good, &len, NULL));
	g_assert_cmpuint(len, >, 1000);
	/* cut short anywhere: in the header, the counts, the states, the last byte */
	for (gsize cut = 0; cut < len; cut += len / 7 + 1)
		load_despite(good, cut, want, good, len);
	load_despite(good, len - 1, want, good, len);
	/* one byte changed: the header (names the patterns), the checksum, the body */
	for (int i = 0; i < 40; i++) {
		char *bad = g_memdup2(good, len);
		gsize at = i < 8 ? (gsize)i * 7 : (gsize)g_rand_int_range(rnd, 0, (gint32)len);
		bad[at] ^= (char)(1 + g_rand_int_range(rnd, 0, 255));
		load_despite(bad, len, want, good, len);
		g_free(bad);
	}
	/* bytes changed in the body with the checksum made to match (what a file written on
	 * purpose could hold): refused, or a machine that hyphenates in bounds and ends (under
	 * make asan, any read or write out of bounds fails here) */
	{
		gsize head = 0;
		for (int lines = 0; head < len && lines < 3; head++)
			lines += good[head] == '\n';
		g_assert_cmpuint(head, <, len);
		for (int i = 0; i < 150; i++) {
			char *bad = g_memdup2(good, len), crc[9], *now = NULL;
			gsize at = (gsize)g_rand_int_range(rnd, (gint32)head, (gint32)len), now_len = 0;
			HyphenDict *d;
			bad[at] ^= (char)(1 + g_rand_int_range(rnd, 0, 255));
			g_snprintf(crc, sizeof crc, "%08lx", crc32(0, (const Bytef *)bad + head, (uInt)(len - head)));
			memcpy(bad + head - 9, crc, 8);
			g_assert_true(g_file_set_contents(file, bad, (gssize)len, NULL));
			d = ov_hyph_load(EN);
			g_assert_nonnull(d);
			g_free(hyphenate_all(d, en_words));
			g_assert_true(g_file_get_contents(file, &now, &now_len, NULL));
			g_assert_cmpuint(now_len, >, 0);
			g_free(now);
			g_free(bad);
		}
	}
	/* another file's cache under this name (it names other patterns) */
	{
		char *other = NULL;
		gsize olen = 0;
		char *ofile = cache_file(DE);
		if (g_file_get_contents(ofile, &other, &olen, NULL))
			load_despite(other, olen, want, good, len);
		g_free(other);
		g_free(ofile);
	}
	/* bytes appended after a whole cache */
	{
		char *longer = g_malloc(len + 3);
		memcpy(longer, good, len);
		memcpy(longer + len, "abc", 3);
		load_despite(longer, len + 3, want, good, len);
		g_free(longer);
	}
	g_rand_free(rnd);
	g_free(good);
	g_free(file);
	g_free(want);
	hnj_hyphen_free(ref);
}

/* OCTAVO_NO_CACHE: the cache is neither read nor written. */
static void
test_no_cache(void)
{
	char *file = cache_file(EN);
	g_unlink(file);
	g_setenv("OCTAVO_NO_CACHE", "1", TRUE);
	g_assert_nonnull(ov_hyph_load(EN));
	g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	g_unsetenv("OCTAVO_NO_CACHE");
	g_free(file);
}

int
main(int argc, char **argv)
{
	int r;
	g_test_init(&argc, &argv, NULL);
	cache_dir = g_dir_make_tmp("octavo-hyph-XXXXXX", NULL);
	g_assert_nonnull(cache_dir);
	g_setenv("XDG_CACHE_HOME", cache_dir, TRUE); /* before GLib reads it */
	g_test_add_func("/hyph/cache/english", test_english);
	g_test_add_func("/hyph/cache/german", test_german);
	g_test_add_func("/hyph/cache/damaged", test_damaged);
	g_test_add_func("/hyph/cache/off", test_no_cache);
	r = g_test_run();
	ov_remove_tree(cache_dir);
	g_free(cache_dir);
	return r;
}
