/* theme.c: reading styles/NAME.theme (GKeyFile), with file:line:col for every problem. */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "fonts.h"
#include "theme.h"

#ifndef OCTAVO_DATADIR
#define OCTAVO_DATADIR "/usr/local/share/octavo"
#endif

const char *
ov_data_dir(void)
{
	static char *dir;
	static gsize done;
	/* once, whichever thread asks first (a build loads the fonts in one while it reads the
	 * theme in another) */
	if (g_once_init_enter(&done)) {
		const char *env = g_getenv("OCTAVO_DATADIR");
		char *exe = g_file_read_link("/proc/self/exe", NULL);
		char *exedir = exe ? g_path_get_dirname(exe) : NULL;
		char *styles = exedir ? g_build_filename(exedir, "styles", "brochure.theme", NULL) : NULL;
		/* installed: PREFIX/bin/octavo finds PREFIX/share/octavo, wherever PREFIX is now */
		char *shared = exedir ? g_build_filename(exedir, "..", "share", "octavo", NULL) : NULL;
		char *shared_styles = shared ? g_build_filename(shared, "styles", "brochure.theme", NULL) : NULL;
		if (env && *env)
			dir = g_strdup(env);
		else if (styles && g_file_test(styles, G_FILE_TEST_EXISTS))
			dir = g_strdup(exedir);
		else if (shared_styles && g_file_test(shared_styles, G_FILE_TEST_EXISTS))
			dir = g_canonicalize_filename(shared, NULL);
		else
			dir = g_strdup(OCTAVO_DATADIR);
		g_free(exe);
		g_free(exedir);
		g_free(styles);
		g_free(shared);
		g_free(shared_styles);
		g_once_init_leave(&done, 1);
	}
	return dir;
}

OvTheme *
ov_theme_default(void)
{
	OvTheme *t = g_new0(OvTheme, 1);
	t->name = g_strdup("default");
	t->page_width = 419.53;  /* A5 */
	t->page_height = 595.28;
	t->margin_top = 51.02;
	t->margin_bottom = 56.69;
	t->margin_inner = 48.19;
	t->margin_outer = 48.19;
	t->cover = TRUE;
	t->body_font = g_strdup("Gentium Book Plus");
	t->heading_font = g_strdup("Noto Sans");
	t->mono_font = g_strdup("Noto Sans Mono");
	t->body_size = 10.5;
	t->leading = 14;
	t->h1_size = 20;
	t->h2_size = 13.5;
	t->h3_size = 11.5;
	t->mono_size = 8.8;
	t->footnote_size = 8.5;
	t->justify = TRUE;
	t->hyphenate = TRUE;
	t->indent = 12;
	t->text_color = g_strdup("#1a1a1a");
	t->heading_color = g_strdup("#1d3557");
	t->link_color = g_strdup("#1d4e89");
	t->rule_color = g_strdup("#8a8a8a");
	t->footnotes = OV_SCOPE_CHAPTER;
	t->figures = OV_SCOPE_BOOK;
	t->toc = TRUE;
	t->toc_depth = 2;
	t->hyph_min_word = 6;
	t->hyph_min_left = 2;
	t->hyph_min_right = 3;
	t->hyph_max_lines = 2;
	t->tolerance = 200;
	t->emergency_stretch = 2 * 10.5;
	t->widows = 2;
	t->orphans = 2;
	return t;
}

void
ov_theme_free(OvTheme *t)
{
	if (t == NULL)
		return;
	g_free(t->name);
	g_free(t->path);
	g_free(t->body_font);
	g_free(t->heading_font);
	g_free(t->mono_font);
	g_free(t->text_color);
	g_free(t->heading_color);
	g_free(t->link_color);
	g_free(t->rule_color);
	for (int i = 0; i < OV_GT_N; i++)
		g_free(t->words[i]);
	g_free(t);
}

/* ---- where things are in the file ---- */

typedef struct {
	const char *path;
	char **lines;
	OvDiags *d;
	GKeyFile *kf;
	gboolean bad;
} Reading;

/* The theme file's lines; a UTF-8 byte order mark before the first is no part of it. */
static char **
theme_lines(const char *text)
{
	return g_strsplit(g_str_has_prefix(text, "\xEF\xBB\xBF") ? text + 3 : text, "\n", -1);
}

/* The 1-based line of key in group, and the column where its value starts. A key given twice
 * is where it is given last: GKeyFile keeps that value. */
static OvLoc
key_loc(Reading *rd, const char *group, const char *key)
{
	OvLoc loc = { rd->path, 0, 0 };
	gboolean in = FALSE;
	for (guint i = 0; rd->lines[i]; i++) {
		const char *l = rd->lines[i];
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l == '[') {
			const char *e = strchr(l, ']');
			in = e && (gsize)(e - l - 1) == strlen(group) && strncmp(l + 1, group, e - l - 1) == 0;
		} else if (in && strncmp(l, key, strlen(key)) == 0) {
			const char *p = l + strlen(key);
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '=') {
				p++;
				while (*p == ' ' || *p == '\t')
					p++;
				loc.line = i + 1;
				loc.col = (guint)g_utf8_pointer_to_offset(rd->lines[i], p) + 1;
			}
		}
	}
	return loc;
}

/* Lines GKeyFile would reject, with their position (GKeyFile's own errors have none). A key
 * or a group given twice is a warning at the second: GKeyFile takes the last value, or joins
 * the groups, without a word, so a forgotten line would silently win. */
static gboolean
check_syntax(Reading *rd)
{
	gboolean ok = TRUE;
	char *group = NULL;
	/* group -> the line it is first given on; "group\nkey" -> the same for the key */
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; rd->lines[i]; i++) {
		const char *l = rd->lines[i];
		const char *s = l, *e;
		char *k, *full;
		guint first;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#' || *s == '\r')
			continue;
		if (*s == '[') {
			if ((e = strchr(s, ']')) == NULL) {
				ov_error(rd->d, ov_loc(rd->path, i + 1, (guint)(s - l) + 1), "unclosed [group] header");
				ok = FALSE;
				continue;
			}
			g_free(group);
			group = g_strndup(s + 1, e - s - 1);
			if ((first = GPOINTER_TO_UINT(g_hash_table_lookup(seen, group))) != 0)
				ov_warn(rd->d, ov_loc(rd->path, i + 1, (guint)g_utf8_pointer_to_offset(l, s) + 1),
					"[%s] is given again (first on line %u): its keys are read as the first one's", group, first);
			else
				g_hash_table_insert(seen, g_strdup(group), GUINT_TO_POINTER(i + 1));
			continue;
		}
		if ((e = strchr(s, '=')) == NULL) {
			ov_error(rd->d, ov_loc(rd->path, i + 1, (guint)(s - l) + 1),
				 "expected \"key = value\", a [group] or a # comment");
			ok = FALSE;
			continue;
		}
		if (group == NULL) {
			/* GKeyFile's own message says so too, but without the line */
			ov_error(rd->d, ov_loc(rd->path, i + 1, (guint)(s - l) + 1),
				 "a key before the first [group] (e.g. [page])");
			ok = FALSE;
			continue;
		}
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		k = g_strndup(s, e - s);
		full = g_strdup_printf("%s\n%s", group, k);
		if ((first = GPOINTER_TO_UINT(g_hash_table_lookup(seen, full))) != 0)
			ov_warn(rd->d, ov_loc(rd->path, i + 1, (guint)g_utf8_pointer_to_offset(l, s) + 1),
				"[%s] %s is given again (first on line %u): this value is used", group, k, first);
		else
			g_hash_table_insert(seen, g_steal_pointer(&full), GUINT_TO_POINTER(i + 1));
		g_free(full);
		g_free(k);
	}
	g_free(group);
	g_hash_table_destroy(seen);
	return ok;
}

/* A length: "12pt", "4.2mm", "1in", "2cm", "1.5em" (of em_base), or a bare number of points. */
static gboolean
parse_length(const char *s, double em_base, double *out)
{
	char *end;
	double v;
	const char *p = s + (*s == '-' || *s == '+'), *q = p;
	/* a plain decimal number, digits with a point: strtod's "nan", "inf", hex floats and
	 * exponents ("1e1mm") are no lengths, so strtod must stop where the digits do */
	while (g_ascii_isdigit(*q))
		q++;
	if (*q == '.')
		for (q++; g_ascii_isdigit(*q); q++)
			;
	if (q == p || (q == p + 1 && *p == '.'))
		return FALSE;
	v = g_ascii_strtod(s, &end);
	if (end != q || !isfinite(v))
		return FALSE;
	while (*end == ' ')
		end++;
	if (*end == '\0' || !strcmp(end, "pt"))
		*out = v;
	else if (!strcmp(end, "mm"))
		*out = v * 72.0 / 25.4;
	else if (!strcmp(end, "cm"))
		*out = v * 72.0 / 2.54;
	else if (!strcmp(end, "in"))
		*out = v * 72.0;
	else if (!strcmp(end, "em"))
		*out = v * em_base;
	else
		return FALSE;
	return TRUE;
}

static char *
get_string(Reading *rd, const char *group, const char *key)
{
	char *v = g_key_file_get_string(rd->kf, group, key, NULL);
	if (v)
		g_strstrip(v);
	return v;
}

static void
get_length(Reading *rd, const char *group, const char *key, double em, double min, double max, double *out)
{
	char *v = get_string(rd, group, key);
	double x;
	if (v == NULL)
		return;
	if (!parse_length(v, em, &x))
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is not a length (e.g. 12pt, 15mm, 1in, 1.2em)", key, v), rd->bad = TRUE;
	else if (x < min || x > max)
		ov_error(rd->d, key_loc(rd, group, key), "%s = %s is out of range (%.4gpt to %.4gpt)", key, v, min, max), rd->bad = TRUE;
	else
		*out = x;
	g_free(v);
}

static void
get_bool(Reading *rd, const char *group, const char *key, gboolean *out)
{
	char *v = get_string(rd, group, key);
	if (v == NULL)
		return;
	if (!strcmp(v, "true") || !strcmp(v, "yes"))
		*out = TRUE;
	else if (!strcmp(v, "false") || !strcmp(v, "no"))
		*out = FALSE;
	else
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is not true or false", key, v), rd->bad = TRUE;
	g_free(v);
}

static void
get_int(Reading *rd, const char *group, const char *key, int min, int max, int *out)
{
	char *v = get_string(rd, group, key);
	char *end;
	gint64 x;
	if (v == NULL)
		return;
	x = g_ascii_strtoll(v, &end, 10);
	if (end == v || *end || x < min || x > max)
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is not a whole number from %d to %d", key, v, min, max), rd->bad = TRUE;
	else
		*out = (int)x;
	g_free(v);
}

static void
get_str(Reading *rd, const char *group, const char *key, char **out)
{
	char *v = get_string(rd, group, key);
	if (v == NULL)
		return;
	if (*v == '\0') {
		ov_error(rd->d, key_loc(rd, group, key), "%s is empty", key);
		rd->bad = TRUE;
		g_free(v);
		return;
	}
	g_free(*out);
	*out = v;
}

static void
get_color(Reading *rd, const char *group, const char *key, char **out)
{
	char *v = get_string(rd, group, key);
	gboolean ok;
	if (v == NULL)
		return;
	ok = v[0] == '#' && (strlen(v) == 7 || strlen(v) == 4);
	for (gsize i = 1; ok && v[i]; i++)
		ok = g_ascii_isxdigit(v[i]);
	if (!ok) {
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is not a colour like #1d3557", key, v);
		rd->bad = TRUE;
		g_free(v);
		return;
	}
	g_free(*out);
	*out = v;
}

static void
get_scope(Reading *rd, const char *group, const char *key, OvScope *out)
{
	char *v = get_string(rd, group, key);
	if (v == NULL)
		return;
	if (!strcmp(v, "book"))
		*out = OV_SCOPE_BOOK;
	else if (!strcmp(v, "chapter"))
		*out = OV_SCOPE_CHAPTER;
	else
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is neither book nor chapter", key, v), rd->bad = TRUE;
	g_free(v);
}

static void
get_breaking(Reading *rd, const char *group, const char *key, gboolean *greedy)
{
	char *v = get_string(rd, group, key);
	if (v == NULL)
		return;
	if (!strcmp(v, "total-fit"))
		*greedy = FALSE;
	else if (!strcmp(v, "greedy"))
		*greedy = TRUE;
	else
		ov_error(rd->d, key_loc(rd, group, key), "%s: \"%s\" is neither total-fit nor greedy", key, v), rd->bad = TRUE;
	g_free(v);
}

static const struct { const char *name; double w, h; } page_sizes[] = {
	{ "A4", 595.28, 841.89 }, { "A5", 419.53, 595.28 }, { "A6", 297.64, 419.53 },
	{ "B5", 498.9, 708.66 }, { "Letter", 612, 792 }, { "Legal", 612, 1008 },
	{ "Trade", 432, 648 }, /* 6 x 9 in */
};

/* [page] size: a name, or "WIDTH HEIGHT" (also "WIDTH x HEIGHT"), em being of the body size.
 * The two lengths are apart: "6inx9in" or "x6in 9in" is a typing mistake, not a size. */
static void
get_page_size(Reading *rd, OvTheme *t)
{
	char *v = get_string(rd, "page", "size");
	char **parts;
	GPtrArray *p;
	double w, h;
	if (v == NULL)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(page_sizes); i++)
		if (g_ascii_strcasecmp(v, page_sizes[i].name) == 0) {
			t->page_width = page_sizes[i].w;
			t->page_height = page_sizes[i].h;
			g_free(v);
			return;
		}
	parts = g_strsplit_set(v, " \t", -1);
	p = g_ptr_array_new();
	for (char **q = parts; *q; q++)
		if (**q)
			g_ptr_array_add(p, *q);
	if (p->len == 3 && g_ascii_strcasecmp(p->pdata[1], "x") == 0)
		g_ptr_array_remove_index(p, 1);
	if (p->len == 2 && parse_length(p->pdata[0], t->body_size, &w) && parse_length(p->pdata[1], t->body_size, &h)) {
		if (w < 72 || h < 72 || w > 14400 || h > 14400)
			ov_error(rd->d, key_loc(rd, "page", "size"), "page size %s is out of range (1in to 200in a side)", v), rd->bad = TRUE;
		else
			t->page_width = w, t->page_height = h;
	} else {
		ov_error(rd->d, key_loc(rd, "page", "size"),
			 "size: \"%s\" is not A4, A5, A6, B5, Letter, Legal, Trade or \"WIDTH HEIGHT\" (e.g. 152mm 229mm)", v);
		rd->bad = TRUE;
	}
	g_ptr_array_free(p, TRUE);
	g_strfreev(parts);
	g_free(v);
}

static const char *const known_keys[] = {
	"page/size", "page/margin-top", "page/margin-bottom", "page/margin-inner", "page/margin-outer",
	"page/facing", "page/chapter-recto", "page/cover",
	"fonts/body", "fonts/heading", "fonts/mono", "fonts/size", "fonts/leading", "fonts/h1", "fonts/h2",
	"fonts/h3", "fonts/mono-size", "fonts/footnote-size",
	"text/justify", "text/hyphenate", "text/indent", "text/paragraph-space",
	"text/line-breaking", "text/tolerance", "text/emergency-stretch", "text/letter-spacing", "text/widows", "text/orphans",
	"text/remarks",
	"colors/text", "colors/heading", "colors/link", "colors/rule",
	"numbering/chapters", "numbering/sections", "numbering/footnotes", "numbering/figures",
	"toc/enabled", "toc/depth", "index/enabled",
	"hyphenation/min-word", "hyphenation/min-left", "hyphenation/min-right", "hyphenation/max-lines",
	NULL
};

static void
warn_unknown_keys(Reading *rd)
{
	char **groups = g_key_file_get_groups(rd->kf, NULL);
	for (char **g = groups; *g; g++) {
		char **keys = g_key_file_get_keys(rd->kf, *g, NULL, NULL);
		for (char **k = keys; k && *k; k++) {
			char *full = g_strdup_printf("%s/%s", *g, *k);
			if (!g_strv_contains(known_keys, full) &&
			    !(strcmp(*g, "words") == 0 && g_strv_contains(ov_gentext_keys, *k)))
				ov_warn(rd->d, key_loc(rd, *g, *k), "unknown theme setting [%s] %s", *g, *k);
			g_free(full);
		}
		g_strfreev(keys);
	}
	g_strfreev(groups);
}

/* A word of [words]; set-in is a format that names the two fonts and octavo's version. */
static void
get_word(Reading *rd, OvGentext w, char **out)
{
	char *v = get_string(rd, "words", ov_gentext_keys[w]);
	if (v == NULL)
		return;
	if (*v == '\0' || !g_utf8_validate(v, -1, NULL)) {
		ov_error(rd->d, key_loc(rd, "words", ov_gentext_keys[w]), "%s: a word must be UTF-8 text, not empty",
			 ov_gentext_keys[w]);
		rd->bad = TRUE;
		g_free(v);
		return;
	}
	if (w == OV_GT_SET_IN) {
		int n = 0;
		gboolean ok = TRUE;
		for (const char *p = strchr(v, '%'); p && ok; p = p[1] ? strchr(p + 2, '%') : NULL)
			ok = p[1] == 's' ? ++n <= 3 : FALSE;
		if (!ok || n != 3) {
			ov_error(rd->d, key_loc(rd, "words", "set-in"),
				 "set-in: \"%s\" must hold %%s three times (body font, heading font, octavo's version) and no other %%", v);
			rd->bad = TRUE;
			g_free(v);
			return;
		}
	}
	g_free(*out);
	*out = v;
}

static void
read_values(Reading *rd, OvTheme *t)
{
	/* first: every em, the page's too, is of the body size (README) */
	get_length(rd, "fonts", "size", 12, 4, 72, &t->body_size);
	get_page_size(rd, t);
	get_length(rd, "page", "margin-top", t->body_size, 0, 7200, &t->margin_top);
	get_length(rd, "page", "margin-bottom", t->body_size, 0, 7200, &t->margin_bottom);
	get_length(rd, "page", "margin-inner", t->body_size, 0, 7200, &t->margin_inner);
	get_length(rd, "page", "margin-outer", t->body_size, 0, 7200, &t->margin_outer);
	get_bool(rd, "page", "facing", &t->facing);
	get_bool(rd, "page", "chapter-recto", &t->chapter_recto);
	get_bool(rd, "page", "cover", &t->cover);
	get_str(rd, "fonts", "body", &t->body_font);
	get_str(rd, "fonts", "heading", &t->heading_font);
	get_str(rd, "fonts", "mono", &t->mono_font);
	get_length(rd, "fonts", "leading", t->body_size, 4, 144, &t->leading);
	get_length(rd, "fonts", "h1", t->body_size, 4, 144, &t->h1_size);
	get_length(rd, "fonts", "h2", t->body_size, 4, 144, &t->h2_size);
	get_length(rd, "fonts", "h3", t->body_size, 4, 144, &t->h3_size);
	get_length(rd, "fonts", "mono-size", t->body_size, 4, 72, &t->mono_size);
	get_length(rd, "fonts", "footnote-size", t->body_size, 4, 72, &t->footnote_size);
	get_bool(rd, "text", "justify", &t->justify);
	get_bool(rd, "text", "hyphenate", &t->hyphenate);
	get_length(rd, "text", "indent", t->body_size, 0, 144, &t->indent);
	get_length(rd, "text", "paragraph-space", t->body_size, 0, 144, &t->para_space);
	get_breaking(rd, "text", "line-breaking", &t->greedy);
	get_int(rd, "text", "tolerance", 1, 10000, &t->tolerance);
	t->emergency_stretch = 2 * t->body_size;
	get_length(rd, "text", "emergency-stretch", t->body_size, 0, 144, &t->emergency_stretch);
	get_length(rd, "text", "letter-spacing", t->body_size, 0, t->body_size * 0.1, &t->letter_space);
	get_int(rd, "text", "widows", 1, 10, &t->widows);
	get_int(rd, "text", "orphans", 1, 10, &t->orphans);
	get_bool(rd, "text", "remarks", &t->remarks);
	get_color(rd, "colors", "text", &t->text_color);
	get_color(rd, "colors", "heading", &t->heading_color);
	get_color(rd, "colors", "link", &t->link_color);
	get_color(rd, "colors", "rule", &t->rule_color);
	get_bool(rd, "numbering", "chapters", &t->number_chapters);
	get_bool(rd, "numbering", "sections", &t->number_sections);
	get_scope(rd, "numbering", "footnotes", &t->footnotes);
	get_scope(rd, "numbering", "figures", &t->figures);
	get_bool(rd, "toc", "enabled", &t->toc);
	get_int(rd, "toc", "depth", 1, 6, &t->toc_depth);
	get_bool(rd, "index", "enabled", &t->index);
	get_int(rd, "hyphenation", "min-word", 2, 100, &t->hyph_min_word);
	get_int(rd, "hyphenation", "min-left", 1, 50, &t->hyph_min_left);
	get_int(rd, "hyphenation", "min-right", 1, 50, &t->hyph_min_right);
	get_int(rd, "hyphenation", "max-lines", 0, 100, &t->hyph_max_lines);
	for (int i = 0; i < OV_GT_N; i++)
		get_word(rd, i, &t->words[i]);
}

/* Values that are each fine but do not fit together. */
static void
check_fit(Reading *rd, OvTheme *t)
{
	if (t->page_width - t->margin_inner - t->margin_outer < 72) {
		ov_error(rd->d, key_loc(rd, "page", "margin-inner"),
			 "the margins leave less than 1in of text width on a %.0fpt wide page", t->page_width);
		rd->bad = TRUE;
	}
	if (t->page_height - t->margin_top - t->margin_bottom < 72) {
		ov_error(rd->d, key_loc(rd, "page", "margin-top"),
			 "the margins leave less than 1in of text height on a %.0fpt high page", t->page_height);
		rd->bad = TRUE;
	}
	if (t->chapter_recto && !t->facing) {
		/* a one-sided document has no right-hand pages: chapter-recto would only add blank
		 * pages to reach odd numbers (LaTeX's openright does nothing in oneside either) */
		ov_warn(rd->d, key_loc(rd, "page", "chapter-recto"),
			"chapter-recto needs facing = true: without facing pages there is no right-hand page, so it is ignored");
		t->chapter_recto = FALSE;
	}
	if (t->leading < t->body_size * 0.8)
		ov_warn(rd->d, key_loc(rd, "fonts", "leading"), "leading %.4gpt is much smaller than the font size %.4gpt",
			t->leading, t->body_size);
}

char *
ov_theme_file(const char *name_or_path)
{
	char *file, *path;

	if (strchr(name_or_path, '/') || g_str_has_suffix(name_or_path, ".theme"))
		return g_strdup(name_or_path);
	file = g_strconcat(name_or_path, ".theme", NULL);
	path = g_build_filename(ov_data_dir(), "styles", file, NULL);
	g_free(file);
	return path;
}

/* The edits (insert, delete, change a byte) that make a into b: for "did you mean". */
static gsize
edit_distance(const char *a, const char *b)
{
	gsize la = strlen(a), lb = strlen(b), *row = g_new(gsize, lb + 1), res;
	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		gsize diag = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			gsize up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	res = row[lb];
	g_free(row);
	return res;
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A theme named (not a path) that does not exist: the themes there are, in the styles
 * folder, and the nearest of them, so that a typo ("brochur") is put right at once. */
static void
no_such_theme(const char *name, OvDiags *d)
{
	char *dir = g_build_filename(ov_data_dir(), "styles", NULL);
	GDir *gd = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GString *list = g_string_new(NULL);
	const char *e, *near = NULL;
	gsize best = G_MAXSIZE;

	while (gd && (e = g_dir_read_name(gd)) != NULL)
		if (g_str_has_suffix(e, ".theme") && strlen(e) > 6)
			g_ptr_array_add(names, g_strndup(e, strlen(e) - 6));
	if (gd)
		g_dir_close(gd);
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		gsize dist = edit_distance(name, n);
		g_string_append_printf(list, "%s%s", i ? ", " : "", n);
		if (dist < best) {
			best = dist;
			near = n;
		}
	}
	/* near enough to be a typo: a third of the name's letters at most (and at least one) */
	if (near && best > MAX(strlen(name) / 3, 1))
		near = NULL;
	if (names->len == 0)
		ov_error(d, ov_loc(NULL, 0, 0), "theme \"%s\" does not exist: %s holds no themes", name, dir);
	else if (near)
		ov_error(d, ov_loc(NULL, 0, 0), "theme \"%s\" does not exist; did you mean \"%s\"? (themes: %s)", name, near,
			 list->str);
	else
		ov_error(d, ov_loc(NULL, 0, 0), "theme \"%s\" does not exist (themes: %s; or give a path to a .theme file)", name,
			 list->str);
	g_string_free(list, TRUE);
	g_ptr_array_free(names, TRUE);
	g_free(dir);
}

OvTheme *
ov_theme_load(const char *name_or_path, OvDiags *d)
{
	OvTheme *t;
	Reading rd = { 0 };
	char *path, *text = NULL, *body;
	GError *err = NULL;

	path = ov_theme_file(name_or_path);
	if (!g_file_get_contents(path, &text, NULL, &err)) {
		if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT) && !strchr(name_or_path, '/') &&
		    !g_str_has_suffix(name_or_path, ".theme"))
			no_such_theme(name_or_path, d);
		else
			ov_error(d, ov_loc(NULL, 0, 0), "theme \"%s\": %s", name_or_path, err->message);
		/* README: 2 for a theme that does not exist, 3 for one that cannot be read */
		if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT) || g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
			d->usage_failed = TRUE;
		else
			d->io_failed = TRUE;
		g_error_free(err);
		g_free(path);
		return NULL;
	}
	/* a byte order mark (some editors write one) is not the first line's text */
	body = g_str_has_prefix(text, "\xEF\xBB\xBF") ? text + 3 : text;
	rd.path = path;
	rd.d = d;
	rd.lines = theme_lines(text);
	rd.kf = g_key_file_new();
	t = ov_theme_default();
	g_free(t->name);
	t->name = g_path_get_basename(path);
	if (g_str_has_suffix(t->name, ".theme"))
		t->name[strlen(t->name) - 6] = '\0';
	t->path = path;
	if (!g_utf8_validate(body, -1, NULL)) {
		ov_error(d, ov_loc(path, 0, 0), "the theme file is not UTF-8");
		rd.bad = TRUE;
	} else if (!check_syntax(&rd)) {
		rd.bad = TRUE;
	} else if (!g_key_file_load_from_data(rd.kf, body, (gsize)-1, G_KEY_FILE_NONE, &err)) {
		ov_error(d, ov_loc(path, 0, 0), "%s", err->message);
		g_error_free(err);
		rd.bad = TRUE;
	} else {
		warn_unknown_keys(&rd);
		read_values(&rd, t);
		if (!rd.bad)
			check_fit(&rd, t);
	}
	g_key_file_free(rd.kf);
	g_strfreev(rd.lines);
	g_free(text);
	if (rd.bad) {
		ov_theme_free(t);
		return NULL;
	}
	return t;
}

/* Every font family the theme names is bundled or installed: otherwise the PDF would quietly
 * use another. An error at the theme's line for each that is not. Needs the font map, so it
 * runs when building, not when reading the theme. */
gboolean
ov_theme_check_fonts(const OvTheme *t, OvDiags *d)
{
	static const char *const keys[] = { "body", "heading", "mono" };
	const char *fams[] = { t->body_font, t->heading_font, t->mono_font };
	PangoFontMap *map = ov_fonts_map(d);
	GHashTable *have;
	PangoFontFamily **list = NULL;
	int n = 0;
	gboolean ok = TRUE;
	Reading rd = { 0 };
	char *text = NULL;

	if (map == NULL)
		return FALSE;
	have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	pango_font_map_list_families(map, &list, &n);
	for (int i = 0; i < n; i++)
		g_hash_table_add(have, g_utf8_casefold(pango_font_family_get_name(list[i]), -1));
	g_free(list);
	rd.path = t->path;
	rd.d = d;
	rd.lines = theme_lines(t->path && g_file_get_contents(t->path, &text, NULL, NULL) ? text : "");
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		char *fold = fams[i] ? g_utf8_casefold(fams[i], -1) : NULL;
		if (fold && !g_hash_table_contains(have, fold)) {
			ov_error(d, t->path ? key_loc(&rd, "fonts", keys[i]) : ov_loc(NULL, 0, 0),
				 "%s: the font \"%s\" is neither bundled (fonts/) nor installed", keys[i], fams[i]);
			ok = FALSE;
		}
		g_free(fold);
	}
	g_strfreev(rd.lines);
	g_free(text);
	g_hash_table_destroy(have);
	return ok;
}
