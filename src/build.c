/* build.c: output paths, temporary files and the back ends. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "build.h"
#include "resolve.h"
#include "epub/epub.h"
#include "pdf/pdf.h"
#include "progress.h"

/* How often the book may be typeset while the page numbers it prints still change. */
#define MAX_PASSES 3

gint64
ov_build_time(OvDiags *d)
{
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	gint64 t = g_get_real_time() / G_USEC_PER_SEC;
	if (sde && *sde) {
		char *end;
		gint64 v = g_ascii_strtoll(sde, &end, 10);
		if (g_ascii_isdigit(*sde) && *end == '\0' && v >= 0 && v < G_GINT64_CONSTANT(253402300800))
			t = v;
		else
			ov_warn(d, ov_loc(NULL, 0, 0), "SOURCE_DATE_EPOCH=\"%s\" is not a number of seconds; the current time is used", sde);
	}
	return t;
}

char *
ov_build_output(const char *book, const OvBuildOptions *o, gboolean pdf)
{
	const char *given = pdf ? o->pdf : o->epub;
	char *base, *dot, *file, *path;

	if (given)
		return g_strdup(given);
	if (pdf ? o->epub != NULL : o->pdf != NULL)
		return NULL; /* only the other one was asked for */
	base = g_path_get_basename(book);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	file = g_strconcat(base, pdf ? ".pdf" : ".epub", NULL);
	path = g_build_filename(o->outdir ? o->outdir : "out", file, NULL);
	g_free(base);
	g_free(file);
	return path;
}

/* A fresh temporary file beside target (so the final rename stays on one file system). */
static char *
temp_beside(const char *target, OvDiags *d)
{
	char *dir = g_path_get_dirname(target);
	char *base = g_path_get_basename(target);
	char *six = g_strnfill(6, 'X'); /* mkstemp's template */
	char *tmpl = g_strdup_printf("%s/.%s.%s", dir, base, six);
	int fd;

	if (g_mkdir_with_parents(dir, 0777) != 0) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot create the folder %s: %s", dir, g_strerror(errno));
		d->io_failed = TRUE;
		g_free(tmpl);
		tmpl = NULL;
	} else if ((fd = g_mkstemp(tmpl)) < 0) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write in %s: %s", dir, g_strerror(errno));
		d->io_failed = TRUE;
		g_free(tmpl);
		tmpl = NULL;
	} else {
		close(fd);
	}
	g_free(six);
	g_free(dir);
	g_free(base);
	return tmpl;
}

/* Put a finished temporary file in place, or remove it. */
static gboolean
commit(char *tmp, const char *target, gboolean ok, OvDiags *d)
{
	if (ok) {
		/* mkstemp made it 0600: give it the mode a new file gets here */
		mode_t mask = umask(0);
		umask(mask);
		g_chmod(tmp, 0666 & ~mask);
	}
	if (ok && g_rename(tmp, target) != 0) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: %s", target, g_strerror(errno));
		d->io_failed = TRUE;
		ok = FALSE;
	}
	if (!ok)
		g_unlink(tmp);
	g_free(tmp);
	return ok;
}

/* Typeset the book (for the PDF, and for the EPUB's page list) until the page numbers printed
 * in it, in "page N" references and the index, are those of the pages: a number's width can
 * move text and with it a page. Each pass after the first prints the numbers the previous one
 * found; at most MAX_PASSES passes. NULL when the fonts cannot be set up. */
static OvPdf *
paginate(OvDoc *doc, const OvTheme *theme, gboolean verbose, gboolean report, OvDiags *d)
{
	OvPdf *pdf = NULL;

	for (int pass = 1; pass <= MAX_PASSES; pass++) {
		gint64 t0 = g_get_monotonic_time();
		gboolean last = pass == MAX_PASSES, changed;
		pdf = ov_pdf_typeset(doc, theme, report, d);
		if (pdf == NULL)
			return NULL;
		changed = ov_resolve_pages(doc, ov_pdf_page_map(pdf), !last, d);
		if (verbose) {
			ov_progress_clear();
			fprintf(stderr, "octavo: typeset pass %d: %u pages in %.1f ms%s\n", pass, ov_pdf_page_map(pdf)->pages->len,
				(g_get_monotonic_time() - t0) / 1000.0, changed && !last ? "; page numbers changed" : "");
		}
		if (!changed)
			break;
		if (last) {
			ov_warn(d, ov_loc(doc->path, 0, 0), "page numbers still moved after %d typesetting passes: a page reference or index entry may be a page off",
				MAX_PASSES);
			break;
		}
		ov_pdf_free(pdf);
	}
	return pdf;
}

gboolean
ov_build(OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o, OvDiags *d)
{
	char *epub = ov_build_output(doc->path, o, FALSE);
	char *pdf = ov_build_output(doc->path, o, TRUE);
	gboolean ok = TRUE;
	char *tmp;
	OvPdf *typeset;

	/* the EPUB carries the print edition's pages too: the book is always typeset */
	ov_progress_stage(OV_STAGE_LAYOUT);
	typeset = paginate(doc, theme, o->verbose, o->report != NULL, d);
	ov_progress_stage(OV_STAGE_NONE);
	if (typeset == NULL) {
		g_free(epub);
		g_free(pdf);
		return FALSE;
	}
	if (epub && (tmp = temp_beside(epub, d)) != NULL) {
		gboolean done;
		ov_progress_stage(OV_STAGE_EPUB);
		done = ov_epub_write(doc, theme, ov_pdf_page_map(typeset), tmp, d) && !ov_diags_failed(d);
		ok = commit(tmp, epub, done, d) && ok;
		ov_progress_stage(OV_STAGE_NONE);
		if (o->verbose && done)
			fprintf(stderr, "octavo: wrote %s\n", epub);
	} else if (epub) {
		ok = FALSE;
	}
	if (pdf && (tmp = temp_beside(pdf, d)) != NULL) {
		OvPdfOptions po = { o->png_dir, o->png_dpi > 0 ? o->png_dpi : 96, o->layout, o->report };
		gboolean done = ov_pdf_write(typeset, tmp, &po, d) && !ov_diags_failed(d); /* its stages: draw, PNG */
		ok = commit(tmp, pdf, done, d) && ok;
		ov_progress_stage(OV_STAGE_NONE);
		if (o->verbose && done)
			fprintf(stderr, "octavo: wrote %s\n", pdf);
	} else if (pdf) {
		ok = FALSE;
	}
	ov_pdf_free(typeset);
	g_free(epub);
	g_free(pdf);
	return ok;
}
