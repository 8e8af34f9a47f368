/* main.c: the command line. The only file that knows every stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>
#include "docbook.h"
#include "dump.h"
#include "resolve.h"
#include "theme.h"
#include "build.h"

#ifndef OCTAVO_VERSION
#define OCTAVO_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_summary[] =
	"Commands:\n"
	"  build BOOK.xml   write BOOK.epub and BOOK.pdf (default folder out/)\n"
	"  check BOOK.xml   read, validate and resolve the book; report every problem\n"
	"  dump BOOK.xml    print the resolved model as a tree\n"
	"\n"
	"Run 'octavo COMMAND --help' for a command's options.\n"
	"\n"
	"Exit status: 0 success, 1 errors in the input, 2 bad usage, 3 I/O or internal failure.";

static gboolean opt_strict, opt_quiet, opt_verbose;
static char *opt_theme, *opt_outdir, *opt_epub, *opt_pdf, *opt_png, *opt_layout, *opt_report;
static double opt_png_dpi = 96;

static GOptionEntry common_entries[] = {
	{ "theme", 't', 0, G_OPTION_ARG_STRING, &opt_theme, "Theme: a name from styles/ or a .theme file (default: brochure)", "NAME|FILE" },
	{ "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Treat warnings as errors", NULL },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print errors only, no warnings", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Say what is done, with timings", NULL },
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
	{ NULL }
};

/* Print the diagnostics not printed yet. */
static void
print_diags(const OvDiags *d)
{
	static guint printed;
	for (guint i = printed; i < d->list->len; i++) {
		const OvDiag *dg = &g_array_index(d->list, OvDiag, i);
		char *s;
		if (opt_quiet && dg->severity == OV_WARNING && !d->strict)
			continue;
		s = ov_diag_format(dg);
		fprintf(stderr, "%s\n", s);
		g_free(s);
	}
	printed = d->list->len;
}

static int
usage_error(GOptionContext *ctx, const char *msg)
{
	fprintf(stderr, "octavo: %s\n", msg);
	if (ctx) {
		char *help = g_option_context_get_help(ctx, TRUE, NULL);
		fprintf(stderr, "\n%s", help);
		g_free(help);
	} else {
		fprintf(stderr, "Usage: octavo COMMAND [OPTION...] BOOK.xml\n\n%s\n", usage_summary);
	}
	return EXIT_USAGE;
}

/* Read and resolve: the shared front of every command. NULL doc means nothing was built. */
static OvDoc *
front(const char *path, OvTheme **theme_out, OvDiags *d)
{
	OvTheme *theme = ov_theme_load(opt_theme ? opt_theme : "brochure", d);
	OvDoc *doc;
	gint64 t0 = g_get_monotonic_time();

	*theme_out = theme;
	if (theme == NULL)
		return NULL;
	doc = ov_docbook_read(path, d);
	if (opt_verbose)
		fprintf(stderr, "octavo: read %s in %.1f ms\n", path, (g_get_monotonic_time() - t0) / 1000.0);
	if (doc == NULL)
		return NULL;
	t0 = g_get_monotonic_time();
	ov_resolve(doc, theme, d);
	if (opt_verbose)
		fprintf(stderr, "octavo: resolved in %.1f ms\n", (g_get_monotonic_time() - t0) / 1000.0);
	return doc;
}

static int
status_of(const OvDiags *d)
{
	return ov_diags_failed(d) ? EXIT_INPUT : EXIT_OK;
}

static int
run(const char *cmd, int argc, char **argv)
{
	GOptionContext *ctx;
	GError *err = NULL;
	OvDiags d;
	OvDoc *doc;
	OvTheme *theme = NULL;
	int status;
	char *prg = g_strdup_printf("octavo %s", cmd);
	gboolean is_build = strcmp(cmd, "build") == 0;

	g_set_prgname(prg); /* "Usage: octavo build [OPTION…] BOOK.xml" */
	g_free(prg);
	ctx = g_option_context_new("BOOK.xml");
	g_option_context_set_summary(ctx, !strcmp(cmd, "build") ? "Write the book as an EPUB 3 and a PDF."
				     : !strcmp(cmd, "check") ? "Read, validate (RELAX NG) and resolve the book; report every problem."
							     : "Print the resolved model as an indented tree.");
	g_option_context_set_description(ctx, "Exit status: 0 success, 1 errors in the input, 2 bad usage, 3 I/O or internal failure.");
	g_option_context_add_main_entries(ctx, common_entries, NULL);
	if (is_build)
		g_option_context_add_main_entries(ctx, build_entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		status = usage_error(ctx, err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return status;
	}
	if (opt_png_dpi < 10 || opt_png_dpi > 1200) {
		status = usage_error(ctx, "--png-dpi must be from 10 to 1200");
		g_option_context_free(ctx);
		return status;
	}
	if (argc != 2) {
		status = usage_error(ctx, argc < 2 ? "no book given" : "give one book");
		g_option_context_free(ctx);
		return status;
	}
	g_option_context_free(ctx);

	ov_diags_init(&d);
	d.strict = opt_strict;
	doc = front(argv[1], &theme, &d);
	if (doc && !strcmp(cmd, "check") && !ov_diags_failed(&d)) {
		char *rng = g_build_filename(ov_data_dir(), "docs", "schema", "octavo.rng", NULL);
		ov_docbook_validate(argv[1], rng, &d);
		g_free(rng);
	}
	print_diags(&d);
	status = d.usage_failed ? EXIT_USAGE : d.io_failed ? EXIT_IO : doc ? status_of(&d) : (d.errors ? EXIT_INPUT : EXIT_IO);
	if (doc && status == EXIT_OK && !strcmp(cmd, "dump"))
		ov_dump(doc, stdout);
	if (doc && status == EXIT_OK && is_build) {
		OvBuildOptions bo = { 0 };
		bo.outdir = opt_outdir;
		bo.epub = opt_epub;
		bo.pdf = opt_pdf;
		bo.verbose = opt_verbose;
		bo.png_dir = opt_png;
		bo.png_dpi = opt_png_dpi;
		bo.layout = opt_layout;
		bo.report = opt_report;
		status = ov_build(doc, theme, &bo, &d) ? EXIT_OK : (d.io_failed || !ov_diags_failed(&d) ? EXIT_IO : EXIT_INPUT);
		/* diagnostics of the back ends */
		print_diags(&d);
	}
	ov_doc_free(doc);
	ov_theme_free(theme);
	ov_diags_clear(&d);
	return status;
}

int
main(int argc, char **argv)
{
	const char *cmd;

	setlocale(LC_ALL, "");
	if (argc < 2)
		return usage_error(NULL, "no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		printf("Usage: octavo COMMAND [OPTION...] BOOK.xml\n\n"
		       "octavo builds an EPUB 3 e-book and a print-ready PDF from one DocBook book.\n\n%s\n",
		       usage_summary);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("octavo %s\n", OCTAVO_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "build") && strcmp(cmd, "check") && strcmp(cmd, "dump")) {
		char *msg = g_strdup_printf("unknown command \"%s\"", cmd);
		int st = usage_error(NULL, msg);
		g_free(msg);
		return st;
	}
	return run(cmd, argc - 1, argv + 1);
}
