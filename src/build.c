/* build.c: output paths, temporary files and the back ends. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "build.h"
#include "epub/epub.h"
#include "pdf/pdf.h"

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

static char *
default_path(const OvDoc *doc, const char *outdir, const char *ext)
{
	char *base = g_path_get_basename(doc->path);
	char *dot = strrchr(base, '.');
	char *file, *path;
	if (dot && dot != base)
		*dot = '\0';
	file = g_strconcat(base, ext, NULL);
	path = g_build_filename(outdir ? outdir : "out", file, NULL);
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

gboolean
ov_build(const OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o, OvDiags *d)
{
	gboolean want_epub = o->epub || !o->pdf;
	gboolean want_pdf = o->pdf || !o->epub;
	char *epub = want_epub ? (o->epub ? g_strdup(o->epub) : default_path(doc, o->outdir, ".epub")) : NULL;
	char *pdf = want_pdf ? (o->pdf ? g_strdup(o->pdf) : default_path(doc, o->outdir, ".pdf")) : NULL;
	gboolean ok = TRUE;
	char *tmp;

	if (epub && (tmp = temp_beside(epub, d)) != NULL) {
		gint64 t0 = g_get_monotonic_time();
		gboolean done = ov_epub_write(doc, theme, tmp, d) && !ov_diags_failed(d);
		ok = commit(tmp, epub, done, d) && ok;
		if (o->verbose && done)
			fprintf(stderr, "octavo: wrote %s in %.1f ms\n", epub, (g_get_monotonic_time() - t0) / 1000.0);
	} else if (epub) {
		ok = FALSE;
	}
	if (pdf && (tmp = temp_beside(pdf, d)) != NULL) {
		OvPdfOptions po = { o->png_dir, o->png_dpi > 0 ? o->png_dpi : 96, o->layout, o->report };
		gint64 t0 = g_get_monotonic_time();
		gboolean done = ov_pdf_write(doc, theme, tmp, &po, d) && !ov_diags_failed(d);
		ok = commit(tmp, pdf, done, d) && ok;
		if (o->verbose && done)
			fprintf(stderr, "octavo: wrote %s in %.1f ms\n", pdf, (g_get_monotonic_time() - t0) / 1000.0);
	} else if (pdf) {
		ok = FALSE;
	}
	g_free(epub);
	g_free(pdf);
	return ok;
}
