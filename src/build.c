/* build.c: output paths, temporary files and the back ends. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "build.h"

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

gboolean
ov_build(const OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o, OvDiags *d)
{
	gboolean want_epub = o->epub || !o->pdf;
	gboolean want_pdf = o->pdf || !o->epub;
	char *epub = want_epub ? (o->epub ? g_strdup(o->epub) : default_path(doc, o->outdir, ".epub")) : NULL;
	char *pdf = want_pdf ? (o->pdf ? g_strdup(o->pdf) : default_path(doc, o->outdir, ".pdf")) : NULL;
	gboolean ok = TRUE;

	(void)theme;
	if (epub) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: the EPUB back end is not there yet", epub);
		ok = FALSE;
	}
	if (pdf) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: the PDF back end is not there yet", pdf);
		ok = FALSE;
	}
	g_free(epub);
	g_free(pdf);
	return ok;
}
