/* css.c: the EPUB's style sheet, from the theme, so the EPUB looks like the PDF's family.
 *
 * Sizes are relative to the body size (em), so the reader's font size setting still works;
 * leading becomes a unitless line-height. The faces the text uses (body.c marks them, the
 * rules below decide them: keep the two in step) are embedded with @font-face when the
 * family is one of the bundled fonts, and so are the bundled families the PDF falls back to
 * for characters the theme's fonts lack. */
#include <string.h>
#include "internal.h"
#include "../fonts.h"

/* A number for CSS, in the C locale, without trailing zeros. */
static void
num(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	char *e;
	g_ascii_formatd(buf, sizeof buf, "%.3f", v);
	e = buf + strlen(buf) - 1;
	while (e > buf && *e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
	g_string_append(s, buf);
}

/* A size relative to the body: "1.81em". */
static void
em(GString *s, const OvTheme *th, double pt)
{
	num(s, th->body_size > 0 ? pt / th->body_size : 1);
	g_string_append(s, "em");
}

/* A family name as a CSS string. */
static void
quoted(GString *s, const char *name)
{
	g_string_append_c(s, '"');
	for (const char *p = name; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(s, '\\');
		if ((unsigned char)*p >= 0x20)
			g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
}

/* A font family list: the theme's family, the bundled families that set what it lacks (as
 * the PDF's font descriptions list them), then a generic family. */
static void
family(GString *s, const char *name, const GPtrArray *fallbacks, const char *generic)
{
	quoted(s, name);
	for (guint i = 0; i < fallbacks->len; i++)
		if (g_ascii_strcasecmp(g_ptr_array_index(fallbacks, i), name) != 0) {
			g_string_append(s, ", ");
			quoted(s, g_ptr_array_index(fallbacks, i));
		}
	g_string_append_printf(s, ", %s", generic);
}

/* The package path of a bundled font file, added to the package the first time (added:
 * file -> path); NULL if it cannot be read (an I/O error in d). */
static const char *
font_item(Epub *ep, const char *file, GHashTable *added)
{
	const char *href = g_hash_table_lookup(added, file);
	char *base, *wish, *name;
	const char *type;
	GError *err = NULL;
	GMappedFile *map;

	if (href)
		return href;
	/* mapped, not read: the subset touches a part of the file (as FreeType maps it for the PDF) */
	if ((map = g_mapped_file_new(file, FALSE, &err)) == NULL) {
		ov_error(ep->d, ov_loc(NULL, 0, 0), "cannot read the font %s: %s", file, err->message);
		ep->d->io_failed = TRUE;
		g_error_free(err);
		return NULL;
	}
	base = g_path_get_basename(file);
	wish = g_strconcat("fonts/", base, NULL);
	name = ep_unique_name(ep, wish);
	type = g_str_has_suffix(base, ".otf") ? "font/otf" : g_str_has_suffix(base, ".woff2") ? "font/woff2"
	       : g_str_has_suffix(base, ".woff") ? "font/woff" : "font/ttf";
	ep_add_item(ep, name, type, g_mapped_file_get_bytes(map))->source = g_strdup(file);
	g_mapped_file_unref(map);
	g_hash_table_insert(added, g_strdup(file), name);
	g_free(base);
	g_free(wish);
	return name;
}

/* An @font-face rule for a face of family, its file in the package. */
static void
face_rule(Epub *ep, GString *s, GHashTable *added, const char *family, const char *file, gboolean bold,
	  gboolean italic)
{
	const char *href = font_item(ep, file, added);
	if (href == NULL)
		return;
	g_string_append(s, "@font-face {\n  font-family: ");
	quoted(s, family);
	g_string_append_printf(s, ";\n  font-weight: %s;\n  font-style: %s;\n  src: url(%s);\n}\n",
			       bold ? "bold" : "normal", italic ? "italic" : "normal", href);
}

/* The bundled families, in OV_FALLBACK_FAMILY's order, that map a character of the pages
 * which a bundled family of the theme in use does not: the PDF sets that character with the
 * first of them that has it, and the font stacks name them after the theme's family. */
static GPtrArray *
fallback_families(Epub *ep, const char *const fams[3])
{
	GPtrArray *res = g_ptr_array_new_with_free_func(g_free);
	char **all = g_strsplit(OV_FALLBACK_FAMILY, ",", -1);
	GArray *missing = g_array_new(FALSE, FALSE, sizeof(gunichar));

	for (gunichar c = 0x21; c < 0x110000; c++) {
		if ((c & 7) == 0 && ep->text_chars[c >> 3] == 0) {
			c += 7;
			continue;
		}
		if (!EP_HAS_CHAR(ep->text_chars, c) || g_unichar_isspace(c) || g_unichar_iscntrl(c))
			continue;
		for (int fam = 0; fam < 3; fam++)
			if ((ep->faces >> (fam * 4) & 0xF) && fams[fam] && ov_fonts_bundled(fams[fam]) &&
			    !ov_fonts_has(fams[fam], c)) {
				g_array_append_val(missing, c);
				break;
			}
	}
	for (char **f = all; *f && missing->len; f++) {
		gboolean used = FALSE;
		for (guint i = missing->len; i-- > 0;)
			if (ov_fonts_has(*f, g_array_index(missing, gunichar, i))) {
				g_array_remove_index(missing, i);
				used = TRUE;
			}
		if (used)
			g_ptr_array_add(res, g_strdup(*f));
	}
	g_array_free(missing, TRUE);
	g_strfreev(all);
	return res;
}

/* @font-face rules, and the font files in the package, for the faces the text uses: the
 * theme's, and those of the bundled families the text falls back to (each face they have
 * of the styles the text uses; a reading system makes the others). */
static void
font_faces(Epub *ep, GString *s)
{
	const char *fams[3] = { ep->th->body_font, ep->th->heading_font, ep->th->mono_font };
	GHashTable *added = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (int fam = 0; fam < 3; fam++)
		for (int face = 0; face < 4; face++) {
			gboolean bold = face >= 2, italic = face & 1;
			const char *file;
			if (!(ep->faces & EP_FACE(fam, bold, italic)) || fams[fam] == NULL)
				continue;
			file = ov_fonts_file(fams[fam], bold, italic);
			if (file) /* else not a bundled family: the reading system's own font */
				face_rule(ep, s, added, fams[fam], file, bold, italic);
		}
	ep->fallbacks = fallback_families(ep, fams);
	for (guint i = 0; i < ep->fallbacks->len; i++)
		for (int face = 0; face < 4; face++) {
			const char *fb = g_ptr_array_index(ep->fallbacks, i), *file;
			gboolean bold = face >= 2, italic = face & 1, theirs = FALSE;
			for (int fam = 0; fam < 3; fam++)
				theirs = theirs || (ep->faces & EP_FACE(fam, bold, italic) &&
						    (fams[fam] == NULL || g_ascii_strcasecmp(fams[fam], fb) != 0));
			file = ov_fonts_file_exact(fb, bold, italic);
			if (theirs && file && !g_hash_table_contains(added, file))
				face_rule(ep, s, added, fb, file, bold, italic);
		}
	g_hash_table_destroy(added);
}

/* The rules that take values from the theme. */
static void
theme_rules(const OvTheme *th, const GPtrArray *fb, GString *s)
{
	g_string_append(s, "body {\n  font-family: ");
	family(s, th->body_font, fb, "serif");
	g_string_append(s, ";\n  line-height: ");
	num(s, th->body_size > 0 ? th->leading / th->body_size : 1.3);
	g_string_append_printf(s, ";\n  color: %s;\n", th->text_color);
	/* the PDF keeps as many lines of a paragraph at a page's foot and top */
	g_string_append_printf(s, "  orphans: %d;\n  widows: %d;\n}\n", th->orphans, th->widows);

	g_string_append(s, "h1, h2, h3, h4, h5, h6, p.title, .formalpara-title, dt, th, figcaption, caption,\n"
			   ".subtitle, .author, .author-detail, .credit, .publisher, .date, .label, .revhistory {\n  font-family: ");
	family(s, th->heading_font, fb, "sans-serif");
	g_string_append(s, ";\n}\n");
	g_string_append_printf(s, "h1, h2, h3, h4, h5, h6, p.title, .subtitle, figcaption .label, caption .label {\n  color: %s;\n}\n",
			       th->heading_color);
	g_string_append(s, "h1 { font-size: ");
	em(s, th, th->h1_size);
	g_string_append(s, "; }\nh2 { font-size: ");
	em(s, th, th->h2_size);
	g_string_append(s, "; }\nh3 { font-size: ");
	em(s, th, th->h3_size);
	g_string_append(s, "; }\n");

	g_string_append(s, "pre, code, kbd, samp, .mono {\n  font-family: ");
	family(s, th->mono_font, fb, "monospace");
	g_string_append(s, ";\n  font-size: ");
	em(s, th, th->mono_size);
	g_string_append(s, ";\n}\npre.literallayout {\n  font-family: ");
	family(s, th->body_font, fb, "serif");
	g_string_append(s, ";\n  font-size: 1em;\n}\npre.literallayout.mono {\n  font-family: ");
	family(s, th->mono_font, fb, "monospace");
	g_string_append(s, ";\n  font-size: ");
	em(s, th, th->mono_size);
	g_string_append(s, ";\n}\n");

	g_string_append(s, "p {\n  margin: 0;\n  text-indent: 0;\n");
	if (th->justify)
		g_string_append(s, "  text-align: justify;\n");
	if (th->hyphenate)
		g_string_append(s, "  -webkit-hyphens: auto;\n  -epub-hyphens: auto;\n  hyphens: auto;\n");
	g_string_append(s, "}\n");
	if (th->indent > 0) {
		g_string_append(s, "p + p { text-indent: ");
		em(s, th, th->indent);
		g_string_append(s, "; }\n");
		if (th->para_space > 0) {
			/* as the PDF: paragraph-space goes above a paragraph that is not indented (the
			 * first after a heading, a list, a quotation, a figure, code; one that goes on
			 * after a list), never between two indented ones; margins collapse as the PDF
			 * takes the larger of two spaces. Not in cells, notes or the title pages. */
			g_string_append(s, "section > p:not([class]), section > p.continued, li > p:first-child, dd > p:first-child,\n"
					   "blockquote > p:first-child, aside.admonition > p.title + p { margin-top: ");
			em(s, th, th->para_space);
			g_string_append(s, "; }\nsection > p + p:not([class]) { margin-top: 0; }\n");
			/* entries are not indented (fixed_rules): spaced as any paragraph that is not */
			g_string_append(s, "p.biblioentry, p.bibliomixed, p.indexentry { margin-top: ");
			em(s, th, th->para_space);
			g_string_append(s, "; }\n");
		}
	} else {
		g_string_append(s, "p + p { margin-top: ");
		em(s, th, th->para_space > 0 ? th->para_space : th->leading * 0.5);
		g_string_append(s, "; }\n");
	}
	g_string_append_printf(s, "a { color: %s; text-decoration: none; }\n", th->link_color);
	g_string_append_printf(s, "table, th, td, hr, aside.sidebar, figure.example, figure.informalexample { border-color: %s; }\n",
			       th->rule_color);
	g_string_append_printf(s, "aside.admonition { border-left-color: %s; }\n", th->heading_color);
	g_string_append_printf(s, "aside.footnote.first::before { border-top: 1px solid %s; }\n", th->rule_color);
	g_string_append(s, "aside.footnote { font-size: ");
	em(s, th, th->footnote_size);
	g_string_append(s, "; }\n");
}

/* Rules that do not depend on the theme: the book's shape. They come after the theme's and
 * refine them (a quotation's paragraphs are not indented, a title page is centred). */
static const char fixed_rules[] =
	"html { -webkit-text-size-adjust: 100%; }\n" /* none would stop a reader's text zoom */
	"body { margin: 0 0.5em; }\n"
	"h1, h2, h3, h4, h5, h6 {\n  font-weight: bold;\n  line-height: 1.25;\n  text-align: left;\n"
	"  -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n  hyphens: manual;\n"
	"  page-break-after: avoid;\n  break-after: avoid;\n}\n"
	"h1 { margin: 1.5em 0 1.2em; }\n"
	"h2 { margin: 1.6em 0 0.6em; }\n"
	"h3 { margin: 1.3em 0 0.5em; }\n"
	"h4, h5, h6 { font-size: 1em; margin: 1.2em 0 0.4em; }\n"
	"h5, h6 { font-weight: bold; font-style: italic; }\n" /* as the PDF sets sections four and five deep */
	".label-line {\n  display: block;\n  font-size: 0.55em;\n  letter-spacing: 0.1em;\n"
	"  text-transform: uppercase;\n  margin-bottom: 0.5em;\n}\n"
	"p.subtitle {\n  font-size: 1.15em;\n  font-weight: normal;\n  margin: -0.6em 0 1.4em;\n  text-align: left;\n}\n"
	"h2 + p.subtitle, h3 + p.subtitle { font-size: 1em; margin-top: -0.3em; }\n"
	"p.continued { text-indent: 0; }\n"
	"ol.inherit { list-style: none; }\n"
	"p.byline { margin-bottom: 1em; }\n"
	"p.byline + p { text-indent: 0; }\n"
	"p.question, p.answer { text-indent: 0; }\n"
	"p.biblioentry, p.bibliomixed, p.indexentry { text-indent: 0; }\n"
	/* a bibliography entry hangs, its first word out from the lines of the one before, as
	 * the PDF sets it (BIB_HANG in src/pdf/flow.c) */
	"p.biblioentry, p.bibliomixed { padding-left: 1.5em; text-indent: -1.5em; }\n"
	"figure.equation p, figure.informalequation p { text-align: center; text-indent: 0; }\n"
	"figure.equation + p, figure.informalequation + p { text-indent: 0; }\n"
	"p.question { margin-top: 0.8em; }\n"
	"em, cite, .italic { font-style: italic; }\n"
	"strong, .bold { font-weight: bold; }\n"
	".strike { text-decoration: line-through; }\n"
	".underline { text-decoration: underline; }\n"
	".smallcaps { font-variant: small-caps; }\n"
	"abbr { text-decoration: none; border: none; }\n"
	"code code, pre code, pre kbd, pre samp, pre .mono { font-size: 1em; }\n"
	"sub, sup { font-size: 0.75em; line-height: 0; }\n"
	"sup.noteref a { padding: 0 0.1em; }\n"
	"pre {\n  white-space: pre-wrap;\n  text-align: left;\n  line-height: 1.35;\n  margin: 0.8em 0;\n"
	"  -webkit-hyphens: none;\n  -epub-hyphens: none;\n  hyphens: none;\n  -moz-tab-size: 8;\n  tab-size: 8;\n}\n"
	"pre.literallayout { margin: 0.8em 0; }\n"
	"ul, ol { margin: 0.6em 0; padding-left: 1.6em; }\n"
	"li > p + p, dd > p + p { text-indent: 0; margin-top: 0.4em; }\n"
	"ul.compact, ol.compact { margin: 0.3em 0; }\n"
	"ul.mark-disc { list-style-type: disc; }\n"
	"ul.mark-circle { list-style-type: circle; }\n"
	"ul.mark-square { list-style-type: square; }\n"
	"ul.mark-none, ul.simplelist { list-style-type: none; }\n"
	"ul.simplelist { padding-left: 0; }\n"
	"ul.mark-dash { list-style-type: \"\\2013\\00A0\\00A0\"; }\n"
	"li { margin: 0.2em 0; }\n"
	"dl { margin: 0.6em 0; }\n"
	"dt { font-weight: bold; font-size: 0.9em; margin-top: 0.6em; page-break-after: avoid; break-after: avoid; }\n"
	"dd { margin: 0.1em 0 0 1.6em; }\n"
	"div.list > p.title, div.variablelist > p.title { margin-top: 0.8em; }\n"
	"p.title {\n  font-weight: bold;\n  text-indent: 0;\n  text-align: left;\n  margin: 1em 0 0.3em;\n"
	"  page-break-after: avoid;\n  break-after: avoid;\n}\n"
	"div.formalpara { margin: 0.8em 0; }\n"
	".formalpara-title { font-weight: bold; }\n"
	"blockquote { margin: 0.8em 1.6em; }\n"
	"blockquote p { text-indent: 0; }\n"
	"blockquote p + p { margin-top: 0.4em; }\n"
	"figure.blockquote { margin: 0.8em 0; }\n"
	"figure.blockquote > blockquote { margin-bottom: 0.2em; }\n"
	"figcaption.attribution, p.attribution {\n  font-family: inherit;\n  font-size: 0.95em;\n  text-align: right;\n"
	"  text-indent: 0;\n  margin: 0.2em 1.6em 0.8em;\n}\n"
	"blockquote.epigraph { margin: 0.5em 0 1.8em 25%; font-size: 0.95em; }\n"
	"blockquote.epigraph p.attribution { margin: 0.3em 0 0; }\n"
	"aside.admonition {\n  margin: 1em 0;\n  padding: 0.2em 0 0.2em 0.9em;\n  border-left-width: 3px;\n"
	"  border-left-style: solid;\n}\n"
	"aside.admonition > p.title, aside.sidebar > p.title { margin-top: 0.2em; font-size: 0.9em; }\n"
	"aside.sidebar { margin: 1.2em 0; padding: 0.4em 0.9em; border-width: 1px; border-style: solid; }\n"
	"p.title + p, p.subtitle + p, p.formalpara-title + p { text-indent: 0; }\n"
	"td p + p, th p + p { text-indent: 0; margin-top: 0.3em; }\n"
	"figure, figcaption, section, aside, nav { display: block; }\n"
	"figure { margin: 1.2em 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }\n"
	"figure.example, figure.informalexample {\n  text-align: left;\n  padding: 0.2em 0 0.2em 0.9em;\n"
	"  border-left-width: 1px;\n  border-left-style: solid;\n  page-break-inside: auto;\n  break-inside: auto;\n}\n"
	"figcaption, caption { font-size: 0.85em; line-height: 1.35; margin: 0.5em 0 0; text-align: center; }\n"
	"figure.example > figcaption { text-align: left; margin: 0 0 0.4em; }\n"
	"caption { caption-side: top; margin: 0 0 0.5em; }\n"
	"figcaption .label, caption .label { font-weight: bold; }\n"
	"div.mediaobject { margin: 0.6em 0; text-align: center; }\n"
	"div.caption { font-size: 0.9em; text-align: left; margin-top: 0.4em; }\n"
	"img { max-width: 100%; }\n"
	"img.block { display: block; margin: 0 auto; }\n"
	"img.block.align-left { margin-left: 0; }\n"
	"img.block.align-right { margin-right: 0; }\n"
	"img.inline { vertical-align: middle; max-height: 1.2em; }\n"
	"span.image-remote { border: 1px dashed; padding: 0 0.2em; }\n"
	"table { border-collapse: collapse; margin: 1em auto; font-size: 0.9em; line-height: 1.35; }\n"
	"th, td {\n  border-top-width: 1px;\n  border-top-style: solid;\n  border-bottom-width: 1px;\n"
	"  border-bottom-style: solid;\n  padding: 0.3em 0.6em;\n  vertical-align: top;\n  text-align: left;\n"
	"  -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n  hyphens: manual;\n}\n"
	"th { font-size: 0.95em; }\n"
	"table.entrytbl { margin: 0; width: 100%; font-size: 1em; }\n"
	"td p, th p { text-align: left; }\n"
	".align-left { text-align: left; }\n"
	".align-right { text-align: right; }\n"
	".align-center { text-align: center; }\n"
	".align-justify { text-align: justify; }\n"
	".valign-top { vertical-align: top; }\n"
	".valign-middle { vertical-align: middle; }\n"
	".valign-bottom { vertical-align: bottom; }\n"
	"div.abstract { margin: 1em 0 1.5em; font-size: 0.95em; }\n"
	"div.abstract p, div.legalnotice p { text-indent: 0; }\n"
	"div.abstract p + p, div.legalnotice p + p { margin-top: 0.5em; }\n"
	"aside.footnote { margin: 0.5em 0 0; line-height: 1.35; }\n"
	"aside.footnote.first { margin-top: 2.5em; }\n"
	"aside.footnote.first::before { content: \"\"; display: block; width: 30%; margin-bottom: 0.6em; }\n"
	"aside.footnote p { text-align: left; }\n"
	"aside.footnote p + p { margin-top: 0.3em; }\n"
	"a.backlink { padding-right: 0.2em; }\n"
	"section.titlepage { text-align: center; margin-top: 18%; }\n"
	"section.titlepage h1.title { font-size: 2.1em; margin: 0 0 0.5em; text-align: center; }\n"
	"section.titlepage p.subtitle { font-size: 1.2em; margin: 0 0 3em; text-align: center; }\n"
	"section.titlepage p { text-indent: 0; text-align: center; }\n"
	"p.author { font-size: 1.1em; margin: 0.3em 0; }\n"
	"p.author-detail { font-size: 0.9em; margin: 0; }\n"
	"p.credit { font-size: 0.9em; margin: 0.3em 0; }\n"
	"p.author-detail + p.author { margin-top: 0.6em; }\n"
	"p.author + p.credit, p.author-detail + p.credit { margin-top: 1.5em; }\n"
	"p.publisher { margin-top: 4em; font-size: 0.9em; }\n"
	"p.date { font-size: 0.9em; }\n"
	"section.copyright-page { font-size: 0.85em; margin-top: 30%; }\n"
	"section.copyright-page p { text-indent: 0; text-align: left; margin: 0 0 0.7em; }\n"
	"section.copyright-page p.revhistory { font-weight: bold; }\n"
	"section.dedication { margin-top: 25%; text-align: center; }\n"
	"section.dedication p { text-align: center; text-indent: 0; }\n"
	"section.colophon { margin-top: 20%; font-size: 0.9em; }\n"
	"section.index-group > h2 { font-size: 1.15em; margin: 1.2em 0 0.3em; }\n"
	"ul.index-entries { list-style-type: none; margin: 0; padding-left: 0; text-align: left; }\n"
	"ul.index-entries.sub { margin-left: -1.2em; }\n" /* sub-entries 1.2em in, long lines hang 2.4em */
	"li.index-entry { margin: 0.1em 0; padding-left: 2.4em; text-indent: -2.4em; }\n"
	"nav[hidden], *[hidden] { display: none; }\n"
	"nav ol { list-style-type: none; padding-left: 0; margin: 0; }\n"
	"nav ol ol { padding-left: 1.4em; }\n"
	"nav li { margin: 0.35em 0; }\n"
	"nav#toc > ol > li { margin-top: 0.6em; }\n"
	"body.cover { margin: 0; padding: 0; text-align: center; }\n"
	"section.cover { margin: 0; padding: 0; }\n"
	"section.cover img { max-width: 100%; max-height: 95vh; }\n"
	".remark { opacity: 0.75; }\n";

/* Scripts without italics (gentext.c): emphasis bold, other italics upright, as in the PDF. */
static void
upright_rules(GString *s)
{
	static const char *const italic[] = { ".italic", "cite" };
	for (int i = 0; ov_upright_langs[i]; i++)
		g_string_append_printf(s, "%sem:lang(%s)", i ? ", " : "", ov_upright_langs[i]);
	g_string_append(s, " { font-style: normal; font-weight: bold; }\n");
	for (gsize k = 0; k < G_N_ELEMENTS(italic); k++)
		for (int i = 0; ov_upright_langs[i]; i++)
			g_string_append_printf(s, "%s%s:lang(%s)", k || i ? ", " : "", italic[k], ov_upright_langs[i]);
	g_string_append(s, " { font-style: normal; }\n");
}

/* ---- right to left ----
 *
 * The rules above name their sides (left, right), as every reading system understands them.
 * Where a page or an element is written right to left (dir="rtl", which body.c writes from
 * the language), the rules below mirror them, as the PDF mirrors its lines: each rule that
 * sets a horizontal side or an alignment is restated after all of them, under [dir="rtl"]
 * (an ancestor's, or the element's own), left and right swapped. The restatements all gain
 * the same one attribute selector and keep their order, so among themselves they cascade as
 * the originals do, and each overrides its original. Where a rule sets one side only, its
 * mirror clears the side it leaves (0, none): right while no other rule sets the other side
 * of an element that such a rule matches, as in this sheet. A reading system that knows the
 * attribute selector but not the newer properties gets the sides mirrored; one that knows
 * start, end, inline-start and inline-end (given after them) gets them right also for a
 * left-to-right element inside a right-to-left one; one that ignores these rules keeps the
 * left-to-right ones. No :dir(), which few reading systems know. */

/* The kinds of horizontal property: the shorthand that sets every side, the longhand of a
 * side (pre, the side's name, post: "border-" "left" "-width"), the value that clears a
 * side, and whether the shorthand takes the box's 1 to 4 values (top, right, bottom, left;
 * one word each) or one value for every side. */
enum { H_BORDER, H_BORDER_WIDTH, H_BORDER_STYLE, H_BORDER_COLOR, H_MARGIN, H_PADDING, H_N };
static const struct {
	const char *all, *pre, *post, *initial;
	gboolean boxed;
} hkind[H_N] = {
	{ "border", "border-", "", "none", FALSE },
	{ "border-width", "border-", "-width", "0", TRUE },
	{ "border-style", "border-", "-style", "none", TRUE },
	{ "border-color", "border-", "-color", "currentColor", TRUE },
	{ "margin", "margin-", "", "0", TRUE },
	{ "padding", "padding-", "", "0", TRUE },
};

/* Rules whose sides are meant as written: an image the book aligns left stays at the left. */
static const char *const kept_physical[] = { "img.block.align-left", "img.block.align-right" };

/* The horizontal part of one rule: per kind its left and right values (NULL: not set), and
 * its text-align (NULL: not set). */
typedef struct {
	char *left[H_N], *right[H_N];
	char *align;
} Horiz;

static void
set_value(char **slot, const char *v)
{
	g_free(*slot);
	*slot = g_strdup(v);
}

/* Whether prop is the longhand of kind k for side ("left", "right"). */
static gboolean
is_side(const char *prop, int k, const char *side)
{
	gsize pre = strlen(hkind[k].pre), n = strlen(side);
	return strncmp(prop, hkind[k].pre, pre) == 0 && strncmp(prop + pre, side, n) == 0 &&
	       strcmp(prop + pre + n, hkind[k].post) == 0;
}

/* Declaration "prop: value" of a rule (n bytes) into h, if it is horizontal. */
static void
horiz_decl(Horiz *h, const char *decl, gsize n)
{
	const char *colon = memchr(decl, ':', n);
	char *prop, *val;
	if (colon == NULL)
		return;
	prop = g_strstrip(g_strndup(decl, colon - decl));
	val = g_strstrip(g_strndup(colon + 1, decl + n - colon - 1));
	if (strcmp(prop, "text-align") == 0)
		set_value(&h->align, val);
	for (int k = 0; k < H_N; k++) {
		if (is_side(prop, k, "left"))
			set_value(&h->left[k], val);
		else if (is_side(prop, k, "right"))
			set_value(&h->right[k], val);
		else if (strcmp(prop, hkind[k].all) == 0 && !hkind[k].boxed) {
			set_value(&h->left[k], val);
			set_value(&h->right[k], val);
		} else if (strcmp(prop, hkind[k].all) == 0) {
			char **t = g_strsplit_set(val, " \t\n", -1);
			GPtrArray *v = g_ptr_array_new();
			for (char **p = t; *p; p++)
				if (**p)
					g_ptr_array_add(v, *p);
			if (v->len >= 1 && v->len <= 4) {
				set_value(&h->left[k], g_ptr_array_index(v, v->len == 4 ? 3 : v->len >= 2 ? 1 : 0));
				set_value(&h->right[k], g_ptr_array_index(v, v->len >= 2 ? 1 : 0));
			}
			g_ptr_array_free(v, TRUE);
			g_strfreev(t);
		}
	}
	g_free(prop);
	g_free(val);
}

/* "  border-left-width: 3px;\n" */
static void
side_decl(GString *out, int k, const char *side, const char *value)
{
	g_string_append_printf(out, "  %s%s%s: %s;\n", hkind[k].pre, side, hkind[k].post, value);
}

/* The first character of stops in [p, end) outside quotes, brackets and parentheses, or end. */
static const char *
css_span(const char *p, const char *end, const char *stops)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; p < end && *p != q; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			if (p == end)
				return end;
		} else if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && depth > 0)
			depth--;
		else if (depth == 0 && strchr(stops, *p))
			return p;
	}
	return end;
}

/* sel, its white space made single spaces. */
static char *
one_line(const char *sel, gsize n)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace(sel[i]))
			g_string_append_c(s, sel[i]);
		else if (s->len && s->str[s->len - 1] != ' ')
			g_string_append_c(s, ' ');
	if (s->len && s->str[s->len - 1] == ' ')
		g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}

/* The mirror of a rule (its selector list, its horizontal part h) into out. */
static void
mirror_rule(GString *out, const char *sel, gsize sel_n, const Horiz *h)
{
	const char *end = sel + sel_n;
	gboolean first = TRUE, any = h->align != NULL;
	const char *al = h->align;

	for (int k = 0; k < H_N; k++)
		any = any || h->left[k] || h->right[k];
	if (!any)
		return;
	for (const char *p = sel; p < end;) {
		const char *q = css_span(p, end, ",");
		char *one = one_line(p, q - p);
		if (*one) {
			/* the element's own dir: before a pseudo-element, which takes no attribute */
			const char *pseudo = strstr(one, "::");
			int at = pseudo ? (int)(pseudo - one) : (int)strlen(one);
			g_string_append_printf(out, "%s[dir=\"rtl\"] %s, %.*s[dir=\"rtl\"]%s", first ? "" : ", ", one, at, one,
					       one + at);
			first = FALSE;
		}
		g_free(one);
		p = q < end ? q + 1 : end;
	}
	g_string_append(out, " {\n");
	for (int k = 0; k < H_N; k++)
		if (h->left[k] || h->right[k]) {
			side_decl(out, k, "left", h->right[k] ? h->right[k] : hkind[k].initial);
			side_decl(out, k, "right", h->left[k] ? h->left[k] : hkind[k].initial);
		}
	if (al)
		g_string_append_printf(out, "  text-align: %s;\n", !strcmp(al, "left") ? "right" : !strcmp(al, "right") ? "left" : al);
	/* then the same by start and end, for reading systems that know them */
	for (int k = 0; k < H_N; k++) {
		const char *l = h->left[k] ? h->left[k] : hkind[k].initial, *r = h->right[k] ? h->right[k] : hkind[k].initial;
		if (strcmp(l, r) != 0) {
			side_decl(out, k, "inline-start", l);
			side_decl(out, k, "inline-end", r);
		}
	}
	if (al && (!strcmp(al, "left") || !strcmp(al, "right")))
		g_string_append_printf(out, "  text-align: %s;\n", !strcmp(al, "left") ? "start" : "end");
	g_string_append(out, "}\n");
}

/* The mirrors of the rules of css (n bytes: rules and comments; an at-rule is skipped), in
 * their order, into out. */
static void
rtl_rules(GString *out, const char *css, gsize n)
{
	const char *p = css, *end = css + n;
	while (p < end) {
		const char *brace, *close;
		Horiz h = { { NULL }, { NULL }, NULL };
		gboolean kept = FALSE;

		while (p < end && g_ascii_isspace(*p))
			p++;
		if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			const char *c = g_strstr_len(p + 2, end - p - 2, "*/");
			p = c ? c + 2 : end;
			continue;
		}
		if (p == end)
			break;
		brace = css_span(p, end, "{;");
		if (brace == end)
			break;
		if (*brace == ';') { /* @charset and the like */
			p = brace + 1;
			continue;
		}
		close = css_span(brace + 1, end, "{}");
		if (*p == '@' || close == end || *close == '{') { /* an at-rule: skipped, with its block */
			int depth = 0;
			for (close = brace; close < end; close = css_span(close + 1, end, "{}"))
				if (*close == '{')
					depth++;
				else if (--depth == 0)
					break;
			p = close < end ? close + 1 : end;
			continue;
		}
		for (gsize i = 0; i < G_N_ELEMENTS(kept_physical); i++)
			kept = kept || g_strstr_len(p, brace - p, kept_physical[i]) != NULL;
		for (const char *d = brace + 1; !kept && d < close;) {
			const char *e = css_span(d, close, ";");
			horiz_decl(&h, d, e - d);
			d = e < close ? e + 1 : close;
		}
		if (!kept)
			mirror_rule(out, p, brace - p, &h);
		for (int k = 0; k < H_N; k++) {
			g_free(h.left[k]);
			g_free(h.right[k]);
		}
		g_free(h.align);
		p = close + 1;
	}
}

/* Whether a page or an element of the book is written right to left: every language tag the
 * pages carry went through ep_lang. */
static gboolean
book_has_rtl(Epub *ep)
{
	GHashTableIter it;
	gpointer tag;
	if (ep->rtl)
		return TRUE;
	g_hash_table_iter_init(&it, ep->langs);
	while (g_hash_table_iter_next(&it, NULL, &tag))
		if (ep_lang_rtl(tag))
			return TRUE;
	return FALSE;
}

GBytes *
ep_css(Epub *ep)
{
	GString *s = g_string_new("@charset \"UTF-8\";\n/* made by octavo from the theme \"");
	gsize from;
	for (const char *p = ep->th->name ? ep->th->name : "default"; *p; p++)
		g_string_append_c(s, *p == '*' || (unsigned char)*p < 0x20 ? '_' : *p);
	g_string_append(s, "\" */\n");
	font_faces(ep, s);
	from = s->len;
	theme_rules(ep->th, ep->fallbacks, s);
	g_string_append(s, fixed_rules); /* after: their more particular rules refine the theme's */
	if (book_has_rtl(ep)) {
		GString *m = g_string_new("/* right to left: the rules above that set a side, mirrored */\n");
		rtl_rules(m, s->str + from, s->len - from);
		g_string_append_len(s, m->str, m->len);
		g_string_free(m, TRUE);
	}
	upright_rules(s);
	return g_string_free_to_bytes(s);
}
