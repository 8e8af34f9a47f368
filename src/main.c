/* main.c: the command line. The only file that knows every stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>
#ifdef __GLIBC__
#endif
#include "docbook.h"
#include "dump.h"
#include "resolve.h"
#include "theme.h"
#include "build.h"
#include "epub/epub.h"
#include "pdf/pdf.h"
#include "image.h"
#include "fonts.h"
#include "progress.h"
#include "scaffold.h"
#include "watch.h"

#ifndef OCTAVO_VERSION
#define OCTAVO_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_summary[] =
	"Commands:\n"
	"  build BOOK.xml   write BOOK.epub and BOOK.pdf (default folder out/)\n"
	"  check BOOK.xml   read, validate and resolve the book; report every problem\n"
	"  dump BOOK.xml    print the resolved model as a tree\n"
	"  new DIR          create a book folder that builds right away\n"
	"  watch BOOK.xml   build, then rebuild whenever the book, its includes, images or theme change\n"
	"\n"
	"Run 'octavo COMMAND --help' for a command's options, 'man octavo' for the manual.\n"
	"\n"
	"Exit status: 0 success, 1 errors in the input, 2 bad usage, 3 I/O or internal failure.";

static const char exit_status[] =
	"Exit status: 0 success, 1 errors in the input, 2 bad usage, 3 I/O or internal failure.";

static gboolean opt_strict, opt_quiet, opt_verbose, opt_no_print_pages;
static char *opt_theme, *opt_outdir, *opt_epub, *opt_pdf, *opt_png, *opt_layout, *opt_report, *opt_title, *opt_lang;
static double opt_png_dpi = 96;
static OvPdfMemo *watch_memo; /* watch's: paragraphs set by earlier builds */

static GOptionEntry common_entries[] = {
	{ "theme", 't', 0, G_OPTION_ARG_STRING, &opt_theme, "Theme: a name from styles/ or a .theme file (default: brochure)", "NAME|FILE" },
	{ "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Treat warnings as errors", NULL },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print errors only: no warnings, no progress line", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Print the time each stage takes and the peak memory so far", NULL },
	{ NULL }
};

static GOptionEntry build_entries[] = {
	{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_outdir, "Output folder (default: out)", "DIR" },
	{ "epub", 0, 0, G_OPTION_ARG_FILENAME, &opt_epub, "Write the EPUB to FILE (alone: only the EPUB)", "FILE" },
	{ "pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_pdf, "Write the PDF to FILE (alone: only the PDF)", "FILE" },
	{ "png", 0, 0, G_OPTION_ARG_FILENAME, &opt_png, "Also write each PDF page as DIR/page-NNN.png", "DIR" },
	{ "png-dpi", 0, 0, G_OPTION_ARG_DOUBLE, &opt_png_dpi, "Resolution of those PNGs (default 96)", "DPI" },
	{ "layout", 0, 0, G_OPTION_ARG_FILENAME, &opt_layout, "Also write the PDF's pages as text (one line per box) to FILE", "FILE" },
	{ "report", 0, 0, G_OPTION_ARG_FILENAME, &opt_report, "Also write a typographic report of the PDF (JSON: line breaks, hyphens, spacing, widows) to FILE", "FILE" },
	{ "no-print-pages", 0, 0, G_OPTION_ARG_NONE, &opt_no_print_pages,
	  "EPUB without the PDF's pages (no page list; the index names sections): an EPUB alone is not typeset", NULL },
	{ NULL }
};

static GOptionEntry new_entries[] = {
	{ "title", 0, 0, G_OPTION_ARG_STRING, &opt_title, "The book's title (default: made from DIR's name)", "TITLE" },
	{ "lang", 0, 0, G_OPTION_ARG_STRING, &opt_lang, "The book's language, as xml:lang (default: en)", "LANG" },
	{ "theme", 't', 0, G_OPTION_ARG_STRING, &opt_theme, "The theme to copy into the folder: a name from styles/ or a .theme file (default: brochure)", "NAME|FILE" },
	{ NULL }
};

typedef struct {
	const char *name, *arg, *summary;
	gboolean builds; /* takes the build options */
} Command;

static const Command commands[] = {
	{ "build", "BOOK.xml", "Write the book as an EPUB 3 and a PDF.", TRUE },
	{ "check", "BOOK.xml", "Read, validate (RELAX NG) and resolve the book; report every problem.", FALSE },
	{ "dump", "BOOK.xml", "Print the resolved model as an indented tree.", FALSE },
	{ "new", "DIR", "Create DIR, a book folder that 'octavo build' turns into an EPUB and a PDF at once:\n"
			"NAME.xml (the book; NAME comes from DIR), ch01.xml, images/, style.theme (a copy of\n"
			"the theme), Makefile, README.md.", FALSE },
	{ "watch", "BOOK.xml", "Build the book, then rebuild it whenever the book, the files it includes, its images\n"
			       "or the theme change; one line per build. A failed build keeps the last good outputs.\n"
			       "Ctrl-C stops.", TRUE },
};

/* Print the diagnostics not printed yet (*printed of them are). */
static void
print_diags(const OvDiags *d, guint *printed)
{
	ov_progress_clear();
	for (guint i = *printed; i < d->list->len; i++) {
		const OvDiag *dg = &g_array_index(d->list, OvDiag, i);
		char *s;
		if (opt_quiet && dg->severity == OV_WARNING && !d->strict)
			continue;
		s = ov_diag_format(dg);
		fprintf(stderr, "%s\n", s);
		g_free(s);
	}
	*printed = d->list->len;
}

/* A usage error: the message, and where to read more (a command's options: its --help, not
 * all of it again under the message). */
static int
usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "octavo: %s\n", msg);
	if (cmd)
		fprintf(stderr, "Try \"octavo %s --help\" for its options.\n", cmd);
	else
		fprintf(stderr, "Usage: octavo COMMAND [OPTION…] ARGUMENT\n\n%s\n", usage_summary);
	return EXIT_USAGE;
}

/* Does path end in .ext (any case)? */
static gboolean
named_as(const char *path, const char *ext)
{
	gsize n = strlen(path), e = strlen(ext);
	return n > e && path[n - e - 1] == '.' && g_ascii_strcasecmp(path + n - e, ext) == 0;
}

/* Read and resolve: the shared front of every command. NULL doc means nothing was built. */
static OvDoc *
front(const char *path, OvTheme **theme_out, OvDiags *d)
{
	OvTheme *theme = ov_theme_load(opt_theme ? opt_theme : "brochure", d);
	OvTheme *stand_in = NULL;
	OvDoc *doc;

	*theme_out = theme;
	if (theme == NULL) {
		/* a theme that is not there or cannot be read stops the run (exit 2 or 3); one with
		 * bad values does not hide the book's own errors: the book is read and resolved with
		 * the default theme in its place, and the run fails (exit 1) either way */
		if (d->usage_failed || d->io_failed)
			return NULL;
		theme = stand_in = ov_theme_default();
	}
	ov_gentext_override(theme->words); /* before the reader, which writes some of them */
	ov_progress_stage(OV_STAGE_PARSE);
	doc = ov_docbook_read_book(path, theme->remarks, d);
	if (doc) {
		ov_progress_stage(OV_STAGE_RESOLVE);
		ov_resolve(doc, theme, d);
		ov_progress_doc(doc);
	}
	ov_theme_free(stand_in);
	return doc;
}

static void
build_options(OvBuildOptions *bo)
{
	memset(bo, 0, sizeof *bo);
	bo->outdir = opt_outdir;
	bo->epub = opt_epub;
	bo->pdf = opt_pdf;
	bo->verbose = opt_verbose;
	bo->png_dir = opt_png;
	bo->png_dpi = opt_png_dpi;
	bo->layout = opt_layout;
	bo->report = opt_report;
	bo->no_print_pages = opt_no_print_pages;
	bo->memo = watch_memo;
}

/* Read every local and remote image of doc once, as the back ends do, for their diagnostics. */
static void
check_images(const OvDoc *doc, OvDiags *d)
{
	OvIter it;
	OvEvent ev;
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* each file once */

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_IMAGE && it.cur->u.img.fileref &&
		    g_hash_table_add(seen, g_strconcat(it.cur->loc.file ? it.cur->loc.file : "", "\n", it.cur->u.img.fileref, NULL)))
			ov_image_free(ov_image_load(doc, it.cur, d));
	g_hash_table_destroy(seen);
}

typedef struct {
	const char *cmd, *path;
	int status;
	guint errors, warnings;
	GPtrArray *deps; /* filled when not NULL */
} Run;

static gpointer
preload_fonts(gpointer data)
{
	ov_fonts_preload();
	if (!opt_pdf || opt_epub) /* an EPUB will be written */
		ov_epub_preload();
	return NULL;
}

/* One run of build, check or dump on one book. */
static void
run_book(Run *r)
{
	OvDiags d;
	OvDoc *doc;
	OvTheme *theme = NULL;
	guint printed = 0;
	gboolean builds = !strcmp(r->cmd, "build") || !strcmp(r->cmd, "watch");
	/* a build's fonts are loaded while the book is read */
	GThread *fonts = builds && ov_build_threads() ? g_thread_new("octavo-fonts", preload_fonts, NULL) : NULL;

	ov_diags_init(&d);
	d.strict = opt_strict;
	ov_progress_start(isatty(STDERR_FILENO) && !opt_quiet, opt_verbose);
	doc = front(r->path, &theme, &d);
	if (fonts)
		g_thread_join(fonts);
	if (doc && !strcmp(r->cmd, "check"))
		check_images(doc, &d); /* as a build would read them: a missing or damaged one is an error */
	/* validated whatever was found before: every problem in one run, also under --strict */
	if (doc && !strcmp(r->cmd, "check")) {
		char *rng = g_build_filename(ov_data_dir(), "docs", "schema", "octavo.rng", NULL);
		ov_progress_stage(OV_STAGE_VALIDATE);
		ov_docbook_validate(r->path, rng, &d);
		g_free(rng);
	}
	ov_progress_stage(OV_STAGE_NONE);
	print_diags(&d, &printed);
	r->status = d.usage_failed ? EXIT_USAGE : d.io_failed ? EXIT_IO : doc ? (ov_diags_failed(&d) ? EXIT_INPUT : EXIT_OK)
												: (d.errors ? EXIT_INPUT : EXIT_IO);
	if (doc && r->status == EXIT_OK && !strcmp(r->cmd, "dump"))
		ov_dump(doc, stdout);
	if (doc && r->status == EXIT_OK && builds) {
		OvBuildOptions bo;
		GThread *pre;
		build_options(&bo);
		pre = ov_build_prefetch(doc, theme, &bo); /* while the fonts are loaded */
		/* both back ends need the font set; loading it is timed on its own (once a process) */
		ov_progress_stage(OV_STAGE_FONTS);
		ov_fonts_map(&d);
		r->status = ov_build(doc, theme, &bo, &d) ? EXIT_OK : (d.io_failed || !ov_diags_failed(&d) ? EXIT_IO : EXIT_INPUT);
		if (pre)
			g_thread_join(pre);
	}
	ov_progress_finish();
	print_diags(&d, &printed); /* the back ends' */
	if (doc && r->deps)
		ov_build_sources(doc, theme, r->deps);
	r->errors = d.errors + (d.strict ? d.warnings : 0);
	r->warnings = d.strict ? 0 : d.warnings;
	ov_doc_free(doc);
	ov_theme_free(theme);
	ov_diags_clear(&d);
}

static void
watch_build(OvWatchResult *wr, gpointer data)
{
	Run *r = data;
	r->deps = wr->deps;
	run_book(r);
	wr->status = r->status;
	wr->errors = r->errors;
	wr->warnings = r->warnings;
	r->deps = NULL;
}

static int
watch(const char *path)
{
	OvBuildOptions bo;
	Run r = { "watch", path, 0, 0, 0, NULL };
	OvWatchOptions wo = { 0 };
	GPtrArray *ignore;
	GString *outputs;
	OvDiags d;
	OvTheme *theme;
	char *theme_file;
	int status;

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		fprintf(stderr, "%s: error: cannot read the book: %s\n", path,
			g_file_test(path, G_FILE_TEST_EXISTS) ? "not a file" : "no such file");
		return EXIT_IO;
	}
	/* the theme's file, so that a book that cannot be read still has it watched */
	ov_diags_init(&d);
	theme = ov_theme_load(opt_theme ? opt_theme : "brochure", &d);
	if (theme == NULL && (d.usage_failed || d.io_failed)) {
		guint printed = 0;
		print_diags(&d, &printed);
		status = d.usage_failed ? EXIT_USAGE : EXIT_IO;
		ov_diags_clear(&d);
		return status;
	}
	/* a theme with bad values is watched like a book with errors: each build reports them
	 * (as build does, exit 1 for that build) until the theme is fixed */
	theme_file = ov_theme_file(opt_theme ? opt_theme : "brochure");
	/* made here, not before the returns above (make asan: they leaked on a missing book) */
	ignore = g_ptr_array_new_with_free_func(g_free);
	outputs = g_string_new(NULL);
	build_options(&bo);
	for (int pdf = 0; pdf < 2; pdf++) {
		char *out = ov_build_output(path, &bo, pdf);
		if (out) {
			g_string_append_printf(outputs, "%s%s", outputs->len ? ", " : "", out);
			g_ptr_array_add(ignore, out);
		}
	}
	if (opt_png)
		g_ptr_array_add(ignore, g_strdup(opt_png));
	if (opt_layout)
		g_ptr_array_add(ignore, g_strdup(opt_layout));
	if (opt_report)
		g_ptr_array_add(ignore, g_strdup(opt_report));
	wo.book = path;
	wo.theme = theme_file;
	wo.outputs = outputs->str;
	wo.ignore = ignore;
	wo.quiet = opt_quiet;
	wo.build = watch_build;
	wo.data = &r;
	/* a rebuild takes the lines of every paragraph an edit left as it was (OCTAVO_REUSE=0:
	 * sets every one afresh; the outputs are the same either way) */
	if (g_strcmp0(g_getenv("OCTAVO_REUSE"), "0") != 0)
		watch_memo = ov_pdf_memo_new();
	status = ov_watch(&wo);
	g_clear_pointer(&watch_memo, ov_pdf_memo_free);
	ov_theme_free(theme);
	g_free(theme_file);
	ov_diags_clear(&d);
	g_ptr_array_free(ignore, TRUE);
	g_string_free(outputs, TRUE);
	return status;
}

static int
new_book(const char *dir)
{
	OvDiags d;
	OvScaffold s = { dir, opt_title, opt_lang, opt_theme };
	guint printed = 0;
	int status;

	ov_diags_init(&d);
	status = ov_scaffold(&s, &d) ? EXIT_OK : d.usage_failed ? EXIT_USAGE : d.io_failed ? EXIT_IO : EXIT_INPUT;
	print_diags(&d, &printed);
	ov_diags_clear(&d);
	return status;
}

static int
run(const Command *c, int argc, char **argv)
{
	GOptionContext *ctx;
	GError *err = NULL;
	int status;
	char *prg = g_strdup_printf("octavo %s", c->name);
	const char *what = NULL;

	g_set_prgname(prg); /* "Usage: octavo build [OPTION…] BOOK.xml" */
	g_free(prg);
	ctx = g_option_context_new(c->arg);
	g_option_context_set_summary(ctx, c->summary);
	g_option_context_set_description(ctx, exit_status);
	if (!strcmp(c->name, "new"))
		g_option_context_add_main_entries(ctx, new_entries, NULL);
	else
		g_option_context_add_main_entries(ctx, common_entries, NULL);
	if (c->builds)
		g_option_context_add_main_entries(ctx, build_entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		status = usage_error(c->name, err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return status;
	}
	if (!(opt_png_dpi >= 10 && opt_png_dpi <= 1200)) /* also NaN, which no comparison holds for */
		what = "--png-dpi must be from 10 to 1200";
	else if (opt_epub && !opt_pdf && (opt_png || opt_layout || opt_report))
		what = "--png, --layout and --report show the PDF: add --pdf=FILE, or leave out --epub";
	else if (opt_pdf && !opt_epub && opt_no_print_pages)
		what = "--no-print-pages is about the EPUB: add --epub=FILE, or leave out --pdf";
	else if (opt_pdf && named_as(opt_pdf, "epub"))
		what = "--pdf names a file .epub: are --pdf and --epub swapped?";
	else if (opt_epub && named_as(opt_epub, "pdf"))
		what = "--epub names a file .pdf: are --pdf and --epub swapped?";
	else if (argc != 2)
		what = argc < 2 ? (!strcmp(c->name, "new") ? "no folder given" : "no book given")
				: (!strcmp(c->name, "new") ? "give one folder" : "give one book");
	if (what) {
		status = usage_error(c->name, what);
		g_option_context_free(ctx);
		return status;
	}
	g_option_context_free(ctx);

	if (!strcmp(c->name, "new"))
		return new_book(argv[1]);
	if (!strcmp(c->name, "watch"))
		return watch(argv[1]);
	{
		Run r = { c->name, argv[1], 0, 0, 0, NULL };
		run_book(&r);
		return r.status;
	}
}

int
main(int argc, char **argv)
{
	const char *cmd;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* numbers written into files (--layout, --report) read 48.2, never 48,2 */
	if (argc < 2)
		return usage_error(NULL, "no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		printf("Usage: octavo COMMAND [OPTION…] ARGUMENT\n\n"
		       "octavo builds an EPUB 3 e-book and a print-ready PDF from one DocBook book.\n\n%s\n",
		       usage_summary);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("octavo %s\n", OCTAVO_VERSION);
		return EXIT_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return run(&commands[i], argc - 1, argv + 1);
	{
		char *msg = g_strdup_printf("unknown command \"%s\"", cmd);
		int st = usage_error(NULL, msg);
		g_free(msg);
		return st;
	}
}
