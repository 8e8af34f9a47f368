/* fuzz-theme: the theme reader. Any bytes as a .theme file; a theme that loads is then used
 * for real: a small fixed book is resolved with it and written as an EPUB (its CSS) and a PDF
 * (its page geometry and type sizes), so a value the reader lets through cannot crash or hang
 * the layout either. */
#include <stdint.h>
#include "fuzz.h"
#include "docbook.h"
#include "resolve.h"
#include "theme.h"
#include "build.h"

static const char book[] =
	"<book xmlns='http://docbook.org/ns/docbook' xmlns:xlink='http://www.w3.org/1999/xlink' version='5.0'>"
	"<info><title>Fuzz</title><author><personname>A. N. Author</personname></author></info>"
	"<preface><title>Before</title><para>Words before the first chapter.</para></preface>"
	"<chapter xml:id='c1'><title>One</title>"
	"<para>A paragraph with <emphasis>emphasis</emphasis>, <literal>code</literal>, a note"
	"<footnote><para>The note.</para></footnote> and a link to <xref linkend='s1'/>.</para>"
	"<section xml:id='s1'><title>A section</title>"
	"<itemizedlist><listitem><para>one</para></listitem><listitem><para>two</para></listitem></itemizedlist>"
	"<orderedlist><listitem><para>first</para></listitem></orderedlist>"
	"<blockquote><para>Quoted words.</para><attribution>Someone</attribution></blockquote>"
	"<programlisting>int main(void) { return 0; }</programlisting>"
	"<note><para>Mind this.</para></note>"
	"<table><title>T</title><tgroup cols='2'><thead><row><entry>a</entry><entry>b</entry></row></thead>"
	"<tbody><row><entry>1</entry><entry>2</entry></row></tbody></tgroup></table>"
	"<figure><title>Dot</title><mediaobject><imageobject><imagedata fileref='img/dot.png'/></imageobject>"
	"<textobject><phrase>a dot</phrase></textobject></mediaobject></figure>"
	"</section></chapter>"
	"<appendix><title>Later</title><para>Supercalifragilisticexpialidocious hyphenation.</para></appendix>"
	"</book>";

static char *book_path, *epub_path, *pdf_path;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	book_path = fuzz_file("book.xml", (const uint8_t *)book, sizeof book - 1);
	epub_path = g_build_filename(fuzz_dir, "out.epub", NULL);
	pdf_path = g_build_filename(fuzz_dir, "out.pdf", NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("fuzz.theme", data, size);
	OvDiags d;
	OvTheme *theme;

	ov_diags_init(&d);
	theme = ov_theme_load(path, &d);
	if (theme) {
		OvDoc *doc = ov_docbook_read(book_path, &d);
		if (doc == NULL)
			abort(); /* the fixed book always reads */
		ov_resolve(doc, theme, &d);
		if (!ov_diags_failed(&d)) {
			OvBuildOptions bo = { 0 };
			bo.epub = epub_path;
			bo.pdf = pdf_path;
			ov_build(doc, theme, &bo, &d);
		}
		ov_doc_free(doc);
		ov_theme_free(theme);
	}
	for (guint i = 0; i < d.list->len; i++)
		g_free(ov_diag_format(&g_array_index(d.list, OvDiag, i)));
	ov_diags_clear(&d);
	g_free(path);
	return 0;
}
