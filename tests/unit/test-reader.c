/* Unit tests: the DocBook reader and the resolve pass, on documents in tests/docs and
 * small ones written here. */
#include <string.h>
#include <glib/gstdio.h>
#include "docbook.h"
#include "resolve.h"
#include "theme.h"

static OvDoc *
read_resolved(const char *path, OvDiags *d, OvTheme *theme)
{
	OvDoc *doc = ov_docbook_read(path, d);
	OvTheme *t = theme ? theme : ov_theme_default();
	if (doc)
		ov_resolve(doc, t, d);
	if (!theme)
		ov_theme_free(t);
	return doc;
}

/* Write text to a fresh file in a temporary folder; returns its path. */
static char *
write_doc(const char *name, const char *text)
{
	static char *dir;
	char *path;
	if (dir == NULL)
		dir = g_dir_make_tmp("octavo-test-XXXXXX", NULL);
	path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static char *
text_of(OvNode *n)
{
	GString *s = g_string_new(NULL);
	ov_node_text(n, s);
	return g_string_free(s, FALSE);
}

static OvNode *
find(OvDoc *doc, OvType type, int nth)
{
	OvIter it;
	OvEvent ev;
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == type && nth-- == 0)
			return it.cur;
	return NULL;
}

static gboolean
has_diag(OvDiags *d, const char *needle)
{
	for (guint i = 0; i < d->list->len; i++) {
		char *s = ov_diag_format(&g_array_index(d->list, OvDiag, i));
		gboolean hit = strstr(s, needle) != NULL;
		g_free(s);
		if (hit)
			return TRUE;
	}
	return FALSE;
}

#define DB5 "<book xmlns='http://docbook.org/ns/docbook' xmlns:xi='http://www.w3.org/2001/XInclude' xmlns:xlink='http://www.w3.org/1999/xlink' version='5.0'>"

static void
test_whitespace(void)
{
	OvDiags d;
	char *path = write_doc("ws.xml", DB5 "<title>T</title><chapter><title>C</title>\n"
				"<para>  one\n\t <emphasis> two </emphasis>\n three  </para>\n"
				"<programlisting>\n  keep   this\n\n  too  \n</programlisting>\n"
				/* what prints words without text of its own keeps the spaces around it */
				"<para>And <link linkend='z'/> more <link xlink:href='http://example.com/'/> end</para>\n"
				"<para>Icon <inlinemediaobject><imageobject><imagedata fileref='x.png'/></imageobject>"
				"</inlinemediaobject></para><para>See <link linkend='z'/></para></chapter>"
				"<chapter xml:id='z'><title>Zed</title><para>z</para></chapter></book>");
	OvDoc *doc;
	OvNode *n;
	char *s;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_nonnull(doc);
	g_assert_cmpuint(d.errors, ==, 0);
	s = text_of(find(doc, OV_PARA, 0));
	g_assert_cmpstr(s, ==, "one two three");
	g_free(s);
	s = text_of(find(doc, OV_VERBATIM, 0));
	g_assert_cmpstr(s, ==, "  keep   this\n\n  too");
	g_free(s);
	n = find(doc, OV_PARA, 1);
	g_assert_cmpstr(n->first->text, ==, "And ");
	g_assert_cmpstr(n->first->next->next->text, ==, " more ");
	g_assert_cmpstr(n->last->text, ==, " end");
	g_assert_cmpstr(find(doc, OV_PARA, 2)->first->text, ==, "Icon ");
	g_assert_cmpstr(find(doc, OV_PARA, 3)->first->text, ==, "See ");
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

static void
test_locations(void)
{
	OvDiags d;
	char *path = write_doc("loc.xml", DB5 "\n<title>T</title>\n  <chapter xml:id='c1'\n     role='x'><title>C</title><para>é <emphasis>x</emphasis></para></chapter></book>");
	OvDoc *doc;
	OvNode *ch, *em;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	ch = g_hash_table_lookup(doc->ids, "c1");
	g_assert_nonnull(ch);
	g_assert_cmpuint(ch->loc.line, ==, 3);
	g_assert_cmpuint(ch->loc.col, ==, 3);
	em = find(doc, OV_EMPHASIS, 0);
	g_assert_cmpuint(em->loc.line, ==, 4);
	/* columns count characters, not bytes: é is one */
	g_assert_cmpuint(em->loc.col, ==, 39);
	g_assert_cmpstr(em->loc.file, ==, path);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

static void
test_db4_entities(void)
{
	OvDiags d;
	OvDoc *doc;
	char *s;
	ov_diags_init(&d);
	doc = read_resolved(TEST_DIR "/docs/db4.xml", &d, NULL);
	g_assert_nonnull(doc);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_false(doc->docbook5);
	g_assert_cmpstr(doc->meta.title, ==, "The Octavo Suite Handbook");
	s = text_of(doc->root);
	g_assert_nonnull(strstr(s, "\xE2\x80\x94")); /* &mdash; */
	g_assert_nonnull(strstr(s, "Octavo Suite"));
	g_free(s);
	g_assert_cmpuint(doc->meta.authors->len, >=, 1);
	g_assert_cmpstr(g_ptr_array_index(doc->meta.authors, 0), ==, "Ren\xC3\xA9 Descartes");
	ov_doc_free(doc);
	ov_diags_clear(&d);
}

static void
test_unknown_kept(void)
{
	OvDiags d;
	OvDoc *doc;
	char *s;
	ov_diags_init(&d);
	doc = read_resolved(TEST_DIR "/bad/unknown-element.xml", &d, NULL);
	g_assert_nonnull(doc);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_true(has_diag(&d, "unknown element <frobnicate>"));
	s = text_of(doc->root);
	g_assert_nonnull(strstr(s, "this text must be kept"));
	g_free(s);
	ov_doc_free(doc);
	ov_diags_clear(&d);
}

static void
test_xinclude_locations(void)
{
	OvDiags d;
	OvDoc *doc;
	OvNode *v;
	ov_diags_init(&d);
	doc = read_resolved(TEST_DIR "/docs/xinclude.xml", &d, NULL);
	g_assert_nonnull(doc);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpuint(doc->files->len, >=, 3);
	/* the included chapter's nodes name the included file */
	for (OvNode *c = doc->root->first; c; c = c->next)
		if (c->type == OV_CHAPTER && g_str_has_suffix(c->loc.file, "xinclude-part.xml"))
			goto found;
	g_assert_not_reached();
found:
	v = find(doc, OV_VERBATIM, 0);
	g_assert_nonnull(v);
	g_assert_nonnull(v->first);
	ov_doc_free(doc);
	ov_diags_clear(&d);
}

static void
test_escape_refused(void)
{
	OvDiags d;
	OvDoc *doc;
	char *path = write_doc("esc.xml", DB5 "<title>T</title><chapter><title>C</title><para>"
			       "<xi:include href='/etc/hostname' parse='text'/></para></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_true(has_diag(&d, "outside the book's folder"));
	g_assert_cmpuint(d.errors, ==, 1);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

static void
test_para_split(void)
{
	OvDiags d;
	OvDoc *doc;
	OvNode *p, *list, *cont;
	char *path = write_doc("split.xml", DB5 "<title>T</title><chapter><title>C</title><para>before"
			       "<itemizedlist><listitem><para>item</para></listitem></itemizedlist>after</para></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	p = find(doc, OV_PARA, 0);
	list = p->next;
	g_assert_true(list && list->type == OV_ITEMIZEDLIST);
	cont = list->next;
	g_assert_true(cont && cont->type == OV_PARA && (cont->flags & OV_F_CONTINUED));
	g_assert_cmpstr(cont->first->text, ==, "after");
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

static void
test_numbering(void)
{
	OvDiags d;
	OvDoc *doc;
	OvTheme *t = ov_theme_default();
	OvNode *n;
	char *path = write_doc("num.xml", DB5 "<title>T</title>"
			       "<chapter xml:id='a'><title>A</title><para>x<footnote><para>n1</para></footnote></para>"
			       "<section xml:id='a1'><title>A1</title><para>y<footnote><para>n2</para></footnote></para>"
			       "<figure xml:id='f1'><title>F</title><mediaobject><imageobject><imagedata fileref='x.png'/></imageobject></mediaobject></figure></section></chapter>"
			       "<chapter xml:id='b'><title>B</title><para>z<footnote xml:id='fn3'><para>n3</para></footnote>"
			       "<xref linkend='f1'/> <xref linkend='a1'/> <xref linkend='b' xrefstyle='select: label'/> <footnoteref linkend='fn3'/></para>"
			       "<orderedlist numeration='loweralpha' startingnumber='3'><listitem><para>c</para></listitem>"
			       "<listitem override='10'><para>j</para></listitem><listitem><para>k</para></listitem></orderedlist></chapter>"
			       "<appendix xml:id='ap'><title>Ap</title><para>w</para></appendix></book>");
	t->number_chapters = TRUE;
	t->number_sections = TRUE;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "b"))->label, ==, "2");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "a1"))->label, ==, "1.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "ap"))->label, ==, "A");
	/* footnotes restart per chapter */
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "fn3"))->label, ==, "1");
	n = find(doc, OV_XREF, 0);
	g_assert_cmpstr(n->gen, ==, "Figure\u00A01");
	n = find(doc, OV_XREF, 1);
	g_assert_cmpstr(n->gen, ==, "Section\u00A01.1, A1");
	n = find(doc, OV_XREF, 2);
	g_assert_cmpstr(n->gen, ==, "Chapter\u00A02");
	g_assert_cmpstr(find(doc, OV_FOOTNOTEREF, 0)->gen, ==, "1");
	n = find(doc, OV_ORDEREDLIST, 0);
	g_assert_cmpstr(n->first->label, ==, "c");
	g_assert_cmpstr(n->first->next->label, ==, "j");
	g_assert_cmpstr(n->last->label, ==, "k");
	/* TOC: chapters and sections to depth 2, the appendix */
	g_assert_cmpuint(doc->toc->len, ==, 4);
	g_assert_cmpint(g_array_index(doc->toc, OvTocEntry, 1).level, ==, 1);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	/* per-book footnotes */
	t->footnotes = OV_SCOPE_BOOK;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "fn3"))->label, ==, "3");
	ov_doc_free(doc);
	ov_diags_clear(&d);
	ov_theme_free(t);
	g_free(path);
}

/* figures = chapter: each numbered chapter or appendix counts its own tables, figures and
 * examples from 1; a division without a number counts through the book */
static void
test_figures_per_chapter(void)
{
	OvDiags d;
	OvDoc *doc;
	OvTheme *t = ov_theme_default();
	char *path = write_doc("figchap.xml", DB5 "<title>T</title>"
#define TBL(id) "<table xml:id='" id "'><title>t</title><tgroup cols='1'><tbody><row><entry>x</entry></row></tbody></tgroup></table>"
			       "<preface><title>P</title>" TBL("p1") "</preface>"
			       "<chapter><title>A</title>" TBL("a1") TBL("a2") "</chapter>"
			       "<chapter><title>B</title>" TBL("b1") "<para><xref linkend='b1'/></para></chapter>"
			       "<appendix><title>X</title>" TBL("x1") "</appendix>"
			       "<glossary><title>G</title>" TBL("g1") "</glossary></book>");
#undef TBL
	t->number_chapters = TRUE;
	t->figures = OV_SCOPE_CHAPTER;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "p1"))->label, ==, "1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "a1"))->label, ==, "1.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "a2"))->label, ==, "1.2");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "b1"))->label, ==, "2.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "x1"))->label, ==, "A.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "g1"))->label, ==, "2");
	g_assert_cmpstr(find(doc, OV_XREF, 0)->gen, ==, "Table\u00A02.1");
	ov_doc_free(doc);
	ov_diags_clear(&d);
	ov_theme_free(t);
	g_free(path);
}

/* Sections are numbered as deep as they nest (a sibling after ten levels is not given the
 * number of one of them); past 64 levels they are left unnumbered, with one warning */
static void
test_deep_sections(void)
{
	OvDiags d;
	OvDoc *doc;
	OvTheme *t = ov_theme_default();
	GString *src = g_string_new(DB5 "<title>T</title><chapter><title>C</title>");
	char *path;
	OvNode *n;

	for (int i = 1; i <= 70; i++)
		g_string_append_printf(src, "<section xml:id='s%d'><title>L%d</title>%s", i, i, i == 10 ? "<para>x</para></section><section xml:id='sib'><title>Sib</title>" : "");
	g_string_append(src, "<para>x</para>");
	for (int i = 1; i <= 70; i++)
		g_string_append(src, "</section>");
	g_string_append(src, "<section xml:id='next'><title>Next</title><para>y</para></section></chapter></book>");
	path = write_doc("deep.xml", src->str);
	t->number_chapters = TRUE;
	t->number_sections = TRUE;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s9"))->label, ==, "1.1.1.1.1.1.1.1.1.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s10"))->label, ==, "1.1.1.1.1.1.1.1.1.1.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "sib"))->label, ==, "1.1.1.1.1.1.1.1.1.1.2");
	/* the siblings' children: one level below the sibling */
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s11"))->label, ==, "1.1.1.1.1.1.1.1.1.1.2.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "next"))->label, ==, "1.2");
	/* s64 is held by 63 sections: the deepest with a label */
	n = g_hash_table_lookup(doc->ids, "s64");
	g_assert_nonnull(n->label);
	g_assert_cmpint(strlen(n->label), ==, 2 * 65 - 1); /* the chapter and 64 levels */
	g_assert_null(((OvNode *)g_hash_table_lookup(doc->ids, "s65"))->label);
	g_assert_null(((OvNode *)g_hash_table_lookup(doc->ids, "s70"))->label);
	g_assert_cmpint(((OvNode *)g_hash_table_lookup(doc->ids, "s70"))->number, ==, 1);
	g_assert_true(has_diag(&d, "sections nested more than 64 deep are not numbered"));
	g_assert_cmpuint(d.warnings, ==, 1);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	ov_theme_free(t);
	g_free(path);
	g_string_free(src, TRUE);
}

/* An article's sections are numbered as a chapter's when the theme numbers sections */
static void
test_article_sections(void)
{
	OvDiags d;
	OvDoc *doc;
	OvTheme *t = ov_theme_default();
	char *path = write_doc("artsec.xml", "<article xmlns='http://docbook.org/ns/docbook' version='5.0'><title>A</title>"
			       "<section xml:id='s1'><title>One</title><para><xref linkend='s11'/></para>"
			       "<section xml:id='s11'><title>Sub</title><para>x</para></section></section>"
			       "<section xml:id='s2'><title>Two</title><para>y</para></section>"
			       "<appendix><title>X</title><section xml:id='as'><title>Extra</title><para>q</para></section></appendix></article>");
	t->number_chapters = TRUE;
	t->number_sections = TRUE;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s1"))->label, ==, "1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s11"))->label, ==, "1.1");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "s2"))->label, ==, "2");
	g_assert_cmpstr(((OvNode *)g_hash_table_lookup(doc->ids, "as"))->label, ==, "A.1");
	g_assert_cmpstr(find(doc, OV_XREF, 0)->gen, ==, "Section\u00A01.1, Sub");
	ov_doc_free(doc);
	ov_diags_clear(&d);
	/* unnumbered sections stay so */
	t->number_sections = FALSE;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, t);
	g_assert_null(((OvNode *)g_hash_table_lookup(doc->ids, "s1"))->label);
	g_assert_null(((OvNode *)g_hash_table_lookup(doc->ids, "as"))->label);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	ov_theme_free(t);
	g_free(path);
}

static void
test_resolve_errors(void)
{
	OvDiags d;
	OvDoc *doc;
	char *path = write_doc("errs.xml", DB5 "<title>T</title><chapter xml:id='x'><title>C</title>"
			       "<para xml:id='x'>a <xref linkend='gone'/> <link xlink:href='#nope'>kept</link>"
			       "<footnote><para>a<footnote><para>b</para></footnote></para></footnote></para></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_true(has_diag(&d, "duplicate id \"x\""));
	g_assert_true(has_diag(&d, "xref to \"gone\": no element has this id"));
	g_assert_true(has_diag(&d, "warning: link to \"#nope\""));
	g_assert_true(has_diag(&d, "a footnote inside a footnote"));
	g_assert_cmpuint(d.errors, ==, 3);
	/* the dropped link keeps its text */
	g_assert_null(find(doc, OV_LINK, 0));
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

/* White space around what prints of itself: quotation marks, a link without words of its
 * own (white space, an anchor or an index term only: its target's words). */
static void
test_printed_space(void)
{
	static const char *const want[] = {
		"a \xE2\x80\x9C" "b\xE2\x80\x9D c", "a \xE2\x80\x9C" "b\xE2\x80\x9D c", "a \xE2\x80\x9C" "b\xE2\x80\x9D c",
		"a \xE2\x80\x9C\xE2\x80\x9D", "a \xE2\x80\x9C\xE2\x80\x9D c", "a \xE2\x80\x9C" "b\xE2\x80\x9D c",
		"a Zed c", "a Zed c", "a http://example.com/ c", "a Zed c", "a Zed c",
	};
	OvDiags d;
	OvDoc *doc;
	char *path = write_doc("printed.xml", DB5 "<title>T</title><chapter><title>C</title>"
			       "<para>a <quote>b </quote> c</para><para>a <quote>b\n</quote>\nc</para><para>a<quote> b</quote> c</para>"
			       "<para>a <quote/></para><para>a <quote><anchor xml:id='q'/></quote> c</para>"
			       "<para>a <quote><emphasis>b </emphasis></quote> c</para>"
			       "<para>a <link linkend='z'> </link> c</para><para>a <link linkend='z'>\n</link>c</para>"
			       "<para>a <link xlink:href='http://example.com/'><emphasis/></link> c</para>"
			       "<para>a <link linkend='z'><anchor xml:id='in'/></link> c</para>"
			       "<para>a <xref linkend='z'><indexterm><primary>i</primary></indexterm></xref> c</para></chapter>"
			       "<chapter xml:id='z'><title>Zed</title><para>z</para></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_cmpuint(d.errors, ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		char *s = text_of(find(doc, OV_PARA, (int)i));
		g_assert_cmpstr(s, ==, want[i]);
		g_free(s);
	}
	/* what a link held stays, before it: the anchor is a target still */
	g_assert_nonnull(g_hash_table_lookup(doc->ids, "in"));
	g_assert_true(((OvNode *)g_hash_table_lookup(doc->ids, "in"))->next->type == OV_LINK);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

/* Words the reader adds or keeps together: a name's parts, a trademark's sign, an empty
 * keycap's key, a bibliography entry's brackets and stops, an index term's quotation marks;
 * an anchor in a table cell's words does not split them. */
static void
test_reader_words(void)
{
	static const char *const want[] = {
		"Dr. Ann B. Lee Jr.", "X\xE2\x84\xA2 Y\xC2\xAE", "Ctrl+S Esc", "[Lee24] [Ray20]",
		"[Lee24] Ann Lee, Bob Ray. P29 Book. 2024.", "[Ray20] Ray, Bob. Small book.",
	};
	OvDiags d;
	OvDoc *doc;
	OvNode *n;
	char *path = write_doc("gen.xml", DB5 "<title>T</title><chapter><title>C</title>"
			       "<para><personname><honorific>Dr.</honorific><firstname>Ann</firstname><othername>B.</othername>"
			       "<surname>Lee</surname><lineage>Jr.</lineage></personname></para>"
			       "<para><trademark>X</trademark> <trademark class='registered'>Y</trademark></para>"
			       "<para><keycombo><keycap function='control'/><keycap>S</keycap></keycombo> <keycap function='escape'/></para>"
			       "<para><xref linkend='b1'/> <xref linkend='b2'/></para>"
			       "<bibliography><biblioentry xml:id='b1'> <abbrev>Lee24</abbrev>\n <authorgroup><author><personname>"
			       "<firstname>Ann</firstname><surname>Lee</surname></personname></author><author><personname>"
			       "<firstname>Bob</firstname><surname>Ray</surname></personname></author></authorgroup>"
			       "<title>P29 Book</title><pubdate>2024</pubdate></biblioentry>"
			       "<bibliomixed xml:id='b2'><abbrev>Ray20</abbrev>Ray, Bob. <title>Small book</title>.</bibliomixed></bibliography>"
			       "<informaltable><tgroup cols='1'><tbody><row><entry>one <anchor xml:id='a'/>two "
			       "<indexterm><primary><quote>i</quote> j <trademark>k</trademark></primary></indexterm>three</entry></row></tbody></tgroup></informaltable>"
			       "</chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_cmpuint(d.errors, ==, 0);
	g_assert_cmpuint(d.warnings, ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		char *s = text_of(find(doc, OV_PARA, (int)i));
		g_assert_cmpstr(s, ==, want[i]);
		g_free(s);
	}
	n = find(doc, OV_CELL, 0);
	g_assert_true(n->first == n->last && n->first->type == OV_PARA);
	/* an index term's words keep their quotation marks and a trademark's sign */
	g_assert_cmpstr(find(doc, OV_INDEXTERM, 0)->u.idx.primary, ==, "\xE2\x80\x9Ci\xE2\x80\x9D j k\xE2\x84\xA2");
	{
		char *s = text_of(n);
		g_assert_cmpstr(s, ==, "one two three");
		g_free(s);
	}
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

/* An xref's words from an xreflabel or an endterm are one line: no runs of white space; a
 * title's text has no footnote mark. */
static void
test_xref_one_line(void)
{
	OvDiags d;
	OvDoc *doc;
	char *s;
	char *path = write_doc("oneline.xml", DB5 "<title>T</title><chapter xml:id='c' xreflabel='  a   b '>"
			       "<title>C<footnoteref linkend='fn'/></title>"
			       "<para><xref linkend='c'/>|<xref linkend='c' endterm='e'/><footnote xml:id='fn'><para>n</para></footnote></para>"
			       "<para><phrase xml:id='e'>\n  <emphasis>c</emphasis>\n d\n</phrase></para></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	s = text_of(find(doc, OV_PARA, 0));
	g_assert_cmpstr(s, ==, "a b|c d");
	g_free(s);
	/* a title's text (the TOC's, the outline's) has no note's mark, as it has no note */
	s = text_of(find(doc, OV_TITLE, 1));
	g_assert_cmpstr(s, ==, "C");
	g_free(s);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

/* An xref's words take in the xrefs inside its target's words, wherever those stand in the
 * book: a title, an endterm, a glossary term, a question. */
static void
test_xref_in_words(void)
{
	OvDiags d;
	OvDoc *doc;
	char *path = write_doc("inner.xml", DB5 "<title>T</title>"
			       "<chapter xml:id='a'><title>A</title><para>"
			       "<xref linkend='s'/>|<xref linkend='c' endterm='t'/>|<xref linkend='g'/>|<xref linkend='q'/>|"
			       "<link linkend='s'/>|<xref linkend='p'/>|<xref linkend='q2'/></para></chapter>"
			       "<chapter xml:id='b'><title>B</title>"
			       "<section xml:id='s'><title>On <xref linkend='z' xrefstyle='select: title'/></title><para>x</para></section>"
			       "<para><phrase xml:id='t'>see <xref linkend='z' xrefstyle='select: title'/></phrase></para>"
			       "<figure xml:id='c'><title>F</title><mediaobject><imageobject><imagedata fileref='x.png'/></imageobject></mediaobject></figure>"
			       "<glosslist><glossentry xml:id='g'><glossterm>term <xref linkend='z' xrefstyle='select: title'/></glossterm>"
			       "<glossdef><para>d</para></glossdef></glossentry></glosslist>"
			       "<qandaset><qandaentry><question xml:id='q'><para>Why <xref linkend='z' xrefstyle='select: title'/>?</para></question>"
			       "<answer><para>So.</para></answer></qandaentry>"
			       "<qandaentry><question xml:id='q2'><itemizedlist><listitem><para>Who <link linkend='z'/></para></listitem>"
			       "</itemizedlist></question><answer><para>Me.</para></answer></qandaentry></qandaset>"
			       /* a "page N" xref in a title: another xref shows the words alone */
			       "<section xml:id='p'><title>From <xref linkend='z' xrefstyle='select: title page'/></title><para>x</para></section></chapter>"
			       "<chapter xml:id='z'><title>Zed</title><para>z</para></chapter></book>");
	char *all;
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_cmpuint(d.errors, ==, 0);
	all = text_of(find(doc, OV_PARA, 0));
	g_assert_cmpstr(all, ==, "On Zed|see Zed|term Zed|Q: Why Zed?|On Zed|From Zed|Q: Who Zed");
	g_assert_cmpstr(find(doc, OV_LINK, 0)->gen, ==, "On Zed"); /* a link without words: the xref's */
	g_free(all);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

/* A table of several tgroups: each a table of its own, in the source's order. */
static void
test_tgroups(void)
{
	OvDiags d;
	OvDoc *doc;
	char *path = write_doc("tgroups.xml", DB5 "<title>T</title><chapter><title>C</title><informaltable>"
			       "<tgroup cols='1'><tbody><row><entry>a</entry></row></tbody></tgroup>"
			       "<tgroup cols='1'><tbody><row><entry>b</entry></row></tbody></tgroup>"
			       "<tgroup cols='1'><tbody><row><entry>c</entry></row></tbody></tgroup>"
			       "<tgroup cols='1'><tbody><row><entry>d</entry></row></tbody></tgroup></informaltable></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	for (int i = 0; i < 4; i++) {
		char *s = text_of(find(doc, OV_TABLE, i));
		char want[2] = { (char)('a' + i), 0 };
		g_assert_cmpstr(s, ==, want);
		g_free(s);
	}
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

static void
test_html_table(void)
{
	OvDiags d;
	OvDoc *doc;
	OvNode *t, *body;
	char *path = write_doc("tbl.xml", DB5 "<title>T</title><chapter><title>C</title><informaltable>"
			       "<tr><th rowspan='2'>a</th><td>b</td><td>c</td></tr><tr><td colspan='2'>d</td></tr>"
			       "</informaltable></chapter></book>");
	ov_diags_init(&d);
	doc = read_resolved(path, &d, NULL);
	g_assert_cmpuint(d.errors, ==, 0);
	t = find(doc, OV_TABLE, 0);
	g_assert_cmpint(t->u.table.ncols, ==, 3);
	body = ov_node_child(t, OV_TBODY);
	g_assert_nonnull(body);
	g_assert_cmpint(body->last->first->u.cell.col, ==, 1); /* after the rowspan */
	g_assert_cmpint(body->last->first->u.cell.colspan, ==, 2);
	g_assert_true(body->first->first->flags & OV_F_HEADER);
	ov_doc_free(doc);
	ov_diags_clear(&d);
	g_free(path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/reader/whitespace", test_whitespace);
	g_test_add_func("/reader/locations", test_locations);
	g_test_add_func("/reader/db4-entities", test_db4_entities);
	g_test_add_func("/reader/unknown-element-kept", test_unknown_kept);
	g_test_add_func("/reader/xinclude-locations", test_xinclude_locations);
	g_test_add_func("/reader/escape-refused", test_escape_refused);
	g_test_add_func("/reader/para-split", test_para_split);
	g_test_add_func("/reader/html-table", test_html_table);
	g_test_add_func("/reader/tgroups", test_tgroups);
	g_test_add_func("/resolve/numbering", test_numbering);
	g_test_add_func("/resolve/figures-per-chapter", test_figures_per_chapter);
	g_test_add_func("/resolve/deep-sections", test_deep_sections);
	g_test_add_func("/resolve/article-sections", test_article_sections);
	g_test_add_func("/resolve/errors", test_resolve_errors);
	g_test_add_func("/resolve/xref-in-words", test_xref_in_words);
	g_test_add_func("/reader/printed-space", test_printed_space);
	g_test_add_func("/reader/words", test_reader_words);
	g_test_add_func("/resolve/xref-one-line", test_xref_one_line);
	return g_test_run();
}
