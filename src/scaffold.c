/* scaffold.c: `octavo new DIR`, a book folder that `octavo build` turns into an EPUB and a
 * PDF right away (as `cargo new` or `mdbook init` do for their users). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "scaffold.h"
#include "theme.h"
#include "build.h"

char *
ov_scaffold_name(const char *dir)
{
	char *base = g_path_get_basename(dir);
	GString *s = g_string_new(NULL);

	/* letters and digits of any script: "Bøker" is "bøker", not "b-ker" */
	for (const char *p = base; g_utf8_validate(base, -1, NULL) && *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isalnum(c))
			g_string_append_unichar(s, g_unichar_tolower(c));
		else if (s->len && s->str[s->len - 1] != '-')
			g_string_append_c(s, '-');
	}
	while (s->len && s->str[s->len - 1] == '-')
		g_string_truncate(s, s->len - 1);
	if (s->len == 0)
		g_string_assign(s, "book");
	g_free(base);
	return g_string_free(s, FALSE);
}

/* A title from the folder's name: "my-first_book" -> "My first book", "élan" -> "Élan". */
static char *
title_of(const char *dir)
{
	char *base = g_path_get_basename(dir);
	char *t;
	for (char *p = base; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	g_strstrip(base);
	if (*base == '\0' || !strcmp(base, ".") || !strcmp(base, "/") || !g_utf8_validate(base, -1, NULL)) {
		g_free(base);
		return g_strdup("Untitled");
	}
	{
		GString *s = g_string_new(NULL);
		g_string_append_unichar(s, g_unichar_totitle(g_utf8_get_char(base)));
		g_string_append(s, g_utf8_next_char(base));
		t = g_string_free(s, FALSE);
	}
	g_free(base);
	return t;
}

/* How the folder's Makefile is to be run: "make", or "make OCTAVO=..." naming this octavo when
 * the one on PATH is another or there is none (a build in its source tree). */
static char *
make_command(void)
{
	char *self = g_file_read_link("/proc/self/exe", NULL), *found = g_find_program_in_path("octavo");
	char *real = found ? realpath(found, NULL) : NULL, *cmd, *q;
	if (self == NULL || (real && strcmp(real, self) == 0)) {
		cmd = g_strdup("make");
	} else {
		q = g_shell_quote(self);
		cmd = g_strconcat("make OCTAVO=", q, NULL);
		g_free(q);
	}
	free(real);
	g_free(found);
	g_free(self);
	return cmd;
}

/* BCP 47 in its common shape: a 2-8 letter language, then subtags of 1-8 letters or digits. */
static gboolean
lang_ok(const char *l)
{
	const char *p = l;
	int n = 0;
	while (g_ascii_isalpha(*p))
		p++, n++;
	if (n < 2 || n > 8)
		return FALSE;
	while (*p == '-') {
		p++;
		n = 0;
		while (g_ascii_isalnum(*p))
			p++, n++;
		if (n < 1 || n > 8)
			return FALSE;
	}
	return *p == '\0';
}

/* Text XML 1.0 can hold: UTF-8, no control characters but tab and newline. */
static gboolean
text_ok(const char *s)
{
	if (!g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
			return FALSE;
	return TRUE;
}

static gboolean
blank(const char *s)
{
	while (g_ascii_isspace(*s))
		s++;
	return *s == '\0';
}

static const char book_xml[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<!-- The book: its metadata and the chapters it includes. Build it with\n"
	"       octavo build -t style.theme %s.xml\n"
	"     (or make), which writes out/%s.epub and out/%s.pdf. -->\n"
	"<book xmlns=\"http://docbook.org/ns/docbook\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"\n"
	"      version=\"5.0\" xml:lang=\"%s\" xml:id=\"%s\">\n"
	"  <info>\n"
	"    <title>%s</title>\n"
	"    <author><personname>Your Name</personname></author>\n"
	"    <copyright><year>%d</year><holder>Your Name</holder></copyright>\n"
	"    <legalnotice>\n"
	"      <para>All rights reserved.</para>\n"
	"    </legalnotice>\n"
	"  </info>\n"
	"\n"
	"  <!-- one file per chapter; add yours in reading order -->\n"
	"  <xi:include href=\"ch01.xml\"/>\n"
	"</book>\n";

static const char chapter_xml[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<chapter xmlns=\"http://docbook.org/ns/docbook\" version=\"5.0\" xml:id=\"ch01\">\n"
	"  <title>The first chapter</title>\n"
	"\n"
	"  <para>This is where the book begins. Each paragraph is a <code>para</code>; words\n"
	"  can be <emphasis>emphasised</emphasis> or <emphasis role=\"strong\">strong</emphasis>,\n"
	"  and a note goes where it is called.<footnote><para>Footnotes are numbered for you and\n"
	"  set at the foot of the page in the PDF.</para></footnote></para>\n"
	"\n"
	"  <section xml:id=\"ch01-making\">\n"
	"    <title>How the book is made</title>\n"
	"\n"
	"    <para>The folder holds everything octavo reads:</para>\n"
	"\n"
	"    <itemizedlist>\n"
	"      <listitem><para><filename>%s.xml</filename>: the title, the author and the list of\n"
	"      chapters;</para></listitem>\n"
	"      <listitem><para><filename>ch01.xml</filename>: this chapter;</para></listitem>\n"
	"      <listitem><para><filename>images/</filename>: the pictures, such as <xref\n"
	"      linkend=\"fig-pages\"/>;</para></listitem>\n"
	"      <listitem><para><filename>style.theme</filename>: page size, margins, fonts and\n"
	"      colours, for both the EPUB and the PDF.</para></listitem>\n"
	"    </itemizedlist>\n"
	"\n"
	"    <figure xml:id=\"fig-pages\">\n"
	"      <title>Two facing pages</title>\n"
	"      <mediaobject>\n"
	"        <imageobject><imagedata fileref=\"images/pages.svg\" contentwidth=\"40mm\"/></imageobject>\n"
	"        <textobject><phrase>Two facing pages with lines of text</phrase></textobject>\n"
	"      </mediaobject>\n"
	"    </figure>\n"
	"\n"
	"    <para>Run <command>make watch</command> (<command>octavo watch -t style.theme\n"
	"    %s.xml</command>) while you write: the EPUB and the\n"
	"    PDF are rebuilt each time a file is saved. A cross-reference, such as <xref\n"
	"    linkend=\"ch01\"/>, takes its words from what it points to.</para>\n"
	"  </section>\n"
	"</chapter>\n";

static const char pages_svg[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"100\" viewBox=\"0 0 160 100\">\n"
	"  <rect x=\"4\" y=\"4\" width=\"74\" height=\"92\" fill=\"#fffdf6\" stroke=\"#555\"/>\n"
	"  <rect x=\"82\" y=\"4\" width=\"74\" height=\"92\" fill=\"#fffdf6\" stroke=\"#555\"/>\n"
	"  <g stroke=\"#8a8a8a\" stroke-width=\"2\">\n"
	"    <path d=\"M14 20h54M14 30h54M14 40h54M14 50h54M14 60h40\"/>\n"
	"    <path d=\"M92 20h54M92 30h54M92 40h54M92 50h54M92 60h54M92 70h30\"/>\n"
	"  </g>\n"
	"</svg>\n";

static const char makefile[] =
	"# make: out/%s.epub and out/%s.pdf    make watch: rebuild on every save\n"
	"# make check: report problems only    OCTAVO=path/to/octavo if it is not on PATH\n"
	"OCTAVO ?= octavo\n"
	"BOOK = %s.xml\n"
	"THEME = style.theme\n"
	"\n"
	"all:\n"
	"\t$(OCTAVO) build -t $(THEME) $(BOOK)\n"
	"\n"
	"check:\n"
	"\t$(OCTAVO) check -t $(THEME) $(BOOK)\n"
	"\n"
	"watch:\n"
	"\t$(OCTAVO) watch -t $(THEME) $(BOOK)\n"
	"\n"
	"clean:\n"
	"\trm -rf out\n"
	"\n"
	".PHONY: all check watch clean\n";

static const char readme[] =
	"# %s\n"
	"\n"
	"A book written in DocBook 5 and built with octavo.\n"
	"\n"
	"    make          # out/%s.epub and out/%s.pdf\n"
	"    make watch    # the same, again after every save (Ctrl-C stops)\n"
	"    make check    # report problems with file:line:column, write nothing\n"
	"\n"
	"`%s.xml` holds the title, the author and the chapters, one file each\n"
	"(`ch01.xml`). To add a chapter, copy `ch01.xml` to `ch02.xml`, change its\n"
	"title and its `xml:id`s (ids are unique in a book), and add\n"
	"`<xi:include href=\"ch02.xml\"/>` to `%s.xml`.\n"
	"`style.theme` sets the page size, margins, fonts and colours of both outputs\n"
	"(`man octavo`, THEMES).\n"
	"\n"
	"Written in Markdown? pandoc turns it into DocBook:\n"
	"\n"
	"    pandoc -s -t docbook5 --top-level-division=chapter text.md -o text.xml\n"
	"    octavo build -t style.theme text.xml\n";

static gboolean
write_file(const char *dir, const char *name, const char *text, OvDiags *d)
{
	char *path = g_build_filename(dir, name, NULL);
	GError *err = NULL;
	gboolean ok = g_file_set_contents(path, text, -1, &err);
	if (!ok) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: %s", path, err->message);
		d->io_failed = TRUE;
		g_error_free(err);
	} else {
		/* g_file_set_contents makes 0600 files: give them the usual mode */
		mode_t mask = umask(0);
		umask(mask);
		g_chmod(path, 0666 & ~mask);
	}
	g_free(path);
	return ok;
}

void
ov_remove_tree(const char *dir)
{
	GDir *gd = g_dir_open(dir, 0, NULL);
	const char *name;
	while (gd && (name = g_dir_read_name(gd)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			ov_remove_tree(p);
		else
			g_unlink(p);
		g_free(p);
	}
	if (gd)
		g_dir_close(gd);
	g_rmdir(dir);
}

/* Is dir absent, or an empty folder? */
static gboolean
dir_free(const char *dir, OvDiags *d)
{
	GDir *gd;
	gboolean empty;

	if (!g_file_test(dir, G_FILE_TEST_EXISTS) && !g_file_test(dir, G_FILE_TEST_IS_SYMLINK))
		return TRUE;
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		ov_error(d, ov_loc(NULL, 0, 0), "%s exists and is not a folder", dir);
		return FALSE;
	}
	gd = g_dir_open(dir, 0, NULL);
	empty = gd && g_dir_read_name(gd) == NULL;
	if (gd)
		g_dir_close(gd);
	if (!empty)
		ov_error(d, ov_loc(NULL, 0, 0), "%s already exists and is not empty: octavo new makes a new folder", dir);
	return empty;
}

gboolean
ov_scaffold(const OvScaffold *s, OvDiags *d)
{
	char *name, *title, *esc_title, *theme_text = NULL, *parent, *base, *six, *tmpl, *tmp = NULL;
	const char *lang = s->lang ? s->lang : "en";
	OvTheme *theme;
	gboolean ok = FALSE;
	GError *err = NULL;

	if (s->title && (!text_ok(s->title) || blank(s->title))) {
		ov_error(d, ov_loc(NULL, 0, 0), "--title must be text (UTF-8, no control characters), not empty");
		d->usage_failed = TRUE;
		return FALSE;
	}
	if (!lang_ok(lang)) {
		ov_error(d, ov_loc(NULL, 0, 0), "--lang \"%s\" is not a language tag such as en, nb or pt-BR", lang);
		d->usage_failed = TRUE;
		return FALSE;
	}
	base = g_path_get_basename(s->dir);
	if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, G_DIR_SEPARATOR_S)) {
		ov_error(d, ov_loc(NULL, 0, 0), "\"%s\" is not a new folder's name: octavo new makes a folder (run it from the one above)", s->dir);
		d->usage_failed = TRUE;
		g_free(base);
		return FALSE;
	}
	g_free(base);
	if (!dir_free(s->dir, d)) {
		d->usage_failed = TRUE;
		return FALSE;
	}
	theme = ov_theme_load(s->theme ? s->theme : "brochure", d);
	if (theme == NULL || ov_diags_failed(d)) {
		ov_theme_free(theme);
		return FALSE;
	}
	if (!g_file_get_contents(theme->path, &theme_text, NULL, &err)) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read %s: %s", theme->path, err->message);
		d->io_failed = TRUE;
		g_error_free(err);
		ov_theme_free(theme);
		return FALSE;
	}

	name = ov_scaffold_name(s->dir);
	title = s->title ? g_strdup(s->title) : title_of(s->dir);
	esc_title = g_markup_escape_text(title, -1);
	parent = g_path_get_dirname(s->dir);
	base = g_path_get_basename(s->dir);
	six = g_strnfill(6, 'X'); /* mkdtemp's template */
	tmpl = g_strdup_printf("%s/.%s.new-%s", parent, base, six);
	g_free(six);
	if (g_mkdir_with_parents(parent, 0777) != 0 || (tmp = g_mkdtemp(tmpl)) == NULL) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot create a folder in %s: %s", parent, g_strerror(errno));
		d->io_failed = TRUE;
	} else {
		GDateTime *now = g_date_time_new_from_unix_utc(ov_build_time(d)); /* SOURCE_DATE_EPOCH */
		char *book = g_strdup_printf(book_xml, name, name, name, lang, name, esc_title, g_date_time_get_year(now));
		char *chap = g_strdup_printf(chapter_xml, name, name);
		char *mk = g_strdup_printf(makefile, name, name, name);
		char *rd = g_strdup_printf(readme, title, name, name, name, name);
		char *th = g_strdup_printf("# Copied from %s by octavo new: change it freely.\n%s", theme->path, theme_text);
		char *img = g_build_filename(tmp, "images", NULL);
		char *file = g_strconcat(name, ".xml", NULL);
		mode_t mask = umask(0);

		umask(mask);
		g_chmod(tmp, 0777 & ~mask); /* mkdtemp made it 0700 */
		ok = write_file(tmp, file, book, d) && write_file(tmp, "ch01.xml", chap, d) &&
		     g_mkdir(img, 0777) == 0 && write_file(img, "pages.svg", pages_svg, d) &&
		     write_file(tmp, "style.theme", th, d) && write_file(tmp, "Makefile", mk, d) &&
		     write_file(tmp, "README.md", rd, d) && write_file(tmp, ".gitignore", "/out/\n", d);
		if (ok && g_rename(tmp, s->dir) != 0) { /* rename(2) replaces an empty folder */
			ov_error(d, ov_loc(NULL, 0, 0), "cannot create %s: %s", s->dir, g_strerror(errno));
			d->io_failed = TRUE;
			ok = FALSE;
		} else if (!ok && !d->io_failed) {
			ov_error(d, ov_loc(NULL, 0, 0), "cannot write in %s: %s", tmp, g_strerror(errno));
			d->io_failed = TRUE;
		}
		if (!ok) {
			ov_remove_tree(tmp);
		} else {
			char *qdir = g_shell_quote(s->dir), *mk_cmd = make_command();
			printf("Created %s: %s, ch01.xml, images/pages.svg, style.theme, Makefile, README.md\n"
			       "Build it:  cd %s && %s   (or: octavo build -t style.theme %s)\n", s->dir, file, qdir, mk_cmd, file);
			g_free(qdir);
			g_free(mk_cmd);
		}
		g_date_time_unref(now);
		g_free(book);
		g_free(chap);
		g_free(mk);
		g_free(rd);
		g_free(th);
		g_free(img);
		g_free(file);
	}
	g_free(tmpl);
	g_free(parent);
	g_free(base);
	g_free(name);
	g_free(title);
	g_free(esc_title);
	g_free(theme_text);
	ov_theme_free(theme);
	return ok;
}
