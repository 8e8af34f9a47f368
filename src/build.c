/* build.c: output paths, temporary files and the back ends.
 *
 * Every output is written whole to a temporary file first; only when every output of the run
 * is complete are they put in place (renamed over their targets, or copied into a device such
 * as /dev/stdout). A failed run removes its temporary files and leaves whatever was at the
 * targets untouched. The same holds for the PDF's side outputs: --layout and --report are
 * outputs like the EPUB and the PDF, and --png's pages are written into a temporary folder
 * (see Pages). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "build.h"
#include "resolve.h"
#include "epub/epub.h"
#include "pdf/pdf.h"
#include "progress.h"
#include "cover.h"
#include "fonts.h"
#include "image.h"

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

/* One output of the run. */
typedef struct {
	char *target;     /* the path asked for (as shown in messages) */
	char *dest;       /* where the file goes: the target, or the file a symlink names */
	char *tmp;        /* the temporary file written first */
	gboolean device;  /* the target is a device or a pipe (/dev/stdout): copied into */
	char *made;       /* the outermost folder this run created for it, removed on failure */
} Output;

/* The outputs of a run, in the order their files are renamed into place. The layout and the
 * report (--layout, --report: the PDF's side outputs) are outputs like the EPUB and the PDF. */
enum { OUT_EPUB, OUT_PDF, OUT_LAYOUT, OUT_REPORT, N_OUT };

/* The PDF's pages as PNG images (--png DIR), written into a temporary folder first and put in
 * place with the other outputs. When DIR does not exist, that folder is made beside it and
 * renamed to DIR in one step. When DIR exists, the folder is made inside it and each page is
 * renamed over the one of its name: DIR may hold other files (--png out holds the EPUB and
 * the PDF) that a folder swapped in for it would take away, and a folder cannot be renamed
 * over one that is not empty. Either way no page is ever partly written, and a failed run
 * leaves DIR as it was. */
typedef struct {
	char *target;     /* DIR as asked for (as shown in messages) */
	char *dest;       /* DIR without a trailing '/' */
	char *tmp;        /* the temporary folder the pages are written into */
	gboolean into;    /* DIR exists: tmp is inside it, and its pages are moved into DIR */
	char *made;       /* the outermost folder this run created for DIR, removed on failure */
} Pages;

static void
io_error(OvDiags *d, const char *fmt, const char *path, int err)
{
	ov_error(d, ov_loc(NULL, 0, 0), fmt, path, g_strerror(err));
	d->io_failed = TRUE;
}

/* What a build stopped by a signal removes (on_stop, below): the outputs' temporary files, and
 * the folder of each and the outermost made for it, each named here before it is made. */
static const char *volatile stop_files[N_OUT];  /* the outputs' temporary files, or NULL */
static const char *volatile stop_dirs[2 * N_OUT]; /* the folder of each and the outermost made */

/* The template of a temporary file or folder in dir named after base, for mkstemp or mkdtemp. */
static char *
temp_name(const char *dir, const char *base)
{
	char *six = g_strnfill(6, 'X'); /* mkstemp's template */
	char *tmpl = g_strdup_printf("%s/.%s.%s", dir, base, six);
	g_free(six);
	return tmpl;
}

/* A fresh empty temporary file in dir named after base. NULL (with an error) if none. Its
 * name is in *track (a stop's list) before the file is made, so that a signal never finds a
 * file it does not know: until mkstemp has made it, the name names nothing. */
static char *
temp_in(const char *dir, const char *base, const char *volatile *track, OvDiags *d)
{
	char *tmpl = temp_name(dir, base);
	int fd;

	*track = tmpl;
	fd = g_mkstemp(tmpl);
	if (fd < 0) {
		*track = NULL;
		io_error(d, "cannot write in the folder %s: %s", dir, errno);
		g_free(tmpl);
		return NULL;
	}
	close(fd);
	return tmpl;
}

void
ov_build_sources(const OvDoc *doc, const OvTheme *theme, GPtrArray *deps)
{
	OvIter it;
	OvEvent ev;

	for (guint i = 0; doc->files && i < doc->files->len; i++)
		g_ptr_array_add(deps, g_strdup(g_ptr_array_index(doc->files, i)));
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		const char *ref = n->type == OV_IMAGE ? n->u.img.fileref : NULL;
		if (ev == OV_EV_ENTER && ref && !ov_image_is_remote(ref)) {
			/* as image.c finds it: beside the file that names it */
			char *dir = g_path_get_dirname(n->loc.file ? n->loc.file : doc->path);
			g_ptr_array_add(deps, g_path_is_absolute(ref) ? g_strdup(ref) : g_build_filename(dir, ref, NULL));
			g_free(dir);
		}
	}
	if (theme && theme->path)
		g_ptr_array_add(deps, g_strdup(theme->path));
}

/* The file path names, through links and ".": its real path, or its folder's and its name
 * when it does not exist yet. */
static char *
canonical(const char *path)
{
	char *real = realpath(path, NULL), *dir, *rdir, *base, *res;
	if (real) {
		res = g_strdup(real);
		free(real);
		return res;
	}
	dir = g_path_get_dirname(path);
	base = g_path_get_basename(path);
	rdir = realpath(dir, NULL);
	res = rdir ? g_build_filename(rdir, base, NULL) : g_strdup(path);
	free(rdir);
	g_free(dir);
	g_free(base);
	return res;
}

/* Is name one of the PNG pages --png writes, or removes as a longer build's (page-NNN.png)? */
static gboolean
is_page_png(const char *name)
{
	return g_regex_match_simple("^page-[0-9]{3,}\\.png$", name, 0, 0);
}

/* May the build write these outputs (NULL: not asked for)? Not over a file the book is made of
 * (a source, an image, the theme), and not two into one file; nor pages into png_dir (or
 * NULL) where a file of the book has a page's name. */
static gboolean
outputs_ok(const OvDoc *doc, const OvTheme *theme, const char *const outs[4], const char *png_dir, OvDiags *d)
{
	GPtrArray *deps = g_ptr_array_new_with_free_func(g_free);
	char *canon[4] = { NULL };
	gboolean ok = TRUE;

	ov_build_sources(doc, theme, deps);
	for (guint i = 0; i < deps->len; i++) {
		char *c = canonical(g_ptr_array_index(deps, i));
		g_free(deps->pdata[i]);
		deps->pdata[i] = c;
	}
	for (int i = 0; i < 4 && ok; i++) {
		if (outs[i] == NULL)
			continue;
		canon[i] = canonical(outs[i]);
		for (guint k = 0; k < deps->len && ok; k++)
			if (strcmp(canon[i], g_ptr_array_index(deps, k)) == 0) {
				ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: it is a file of the book (%s)", outs[i],
					 (const char *)g_ptr_array_index(deps, k));
				ok = FALSE;
			}
		for (int k = 0; k < i && ok; k++)
			if (canon[k] && strcmp(canon[i], canon[k]) == 0) {
				ov_error(d, ov_loc(NULL, 0, 0), "cannot write two outputs to one file: %s and %s", outs[k], outs[i]);
				ok = FALSE;
			}
	}
	if (ok && png_dir) {
		char *dir = canonical(png_dir);
		for (guint k = 0; k < deps->len && ok; k++) {
			const char *dep = g_ptr_array_index(deps, k);
			char *in = g_path_get_dirname(dep), *name = g_path_get_basename(dep);
			if (strcmp(in, dir) == 0 && is_page_png(name)) {
				ov_error(d, ov_loc(NULL, 0, 0), "cannot write the pages into %s: %s there is a file of the book", png_dir, name);
				ok = FALSE;
			}
			g_free(in);
			g_free(name);
		}
		g_free(dir);
	}
	for (int i = 0; i < 4; i++)
		g_free(canon[i]);
	g_ptr_array_free(deps, TRUE);
	if (!ok)
		d->io_failed = TRUE;
	return ok;
}

/* The outermost of dir and the folders it is in that does not exist (the first one a
 * g_mkdir_with_parents would make), or NULL when dir exists. */
static char *
missing_from(const char *dir)
{
	char *made = NULL, *p = g_strdup(dir);

	while (!g_file_test(p, G_FILE_TEST_EXISTS)) {
		char *up = g_path_get_dirname(p);
		g_free(made);
		made = p;
		p = up;
		if (strcmp(up, made) == 0)
			break;
	}
	if (p != made)
		g_free(p);
	return made;
}

/* Remove the folders a failed run made for the file or folder at dest, innermost first, up to
 * made; only while they are empty. */
static void
remove_made(const char *dest, const char *made)
{
	char *dir = g_path_get_dirname(dest);
	while (g_rmdir(dir) == 0 && strcmp(dir, made) != 0) {
		char *up = g_path_get_dirname(dir);
		g_free(dir);
		dir = up;
	}
	g_free(dir);
}

/* Decide where o's target goes and make its temporary file: beside the target (so the final
 * rename stays on one file system), or in the temporary folder for a device. What it makes is
 * in the stop lists at slot before it is made (dirs: storage for the folders' names, kept as
 * long as the build). */
static gboolean
prepare(Output *o, int slot, char *dirs[2], const OvDoc *doc, OvDiags *d)
{
	struct stat st;
	char *dir, *base;

	o->dest = g_strdup(o->target);
	if (stat(o->target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			io_error(d, "cannot write %s: %s", o->target, EISDIR);
			return FALSE;
		}
		if (!S_ISREG(st.st_mode)) {
			o->device = TRUE;
			o->tmp = temp_in(g_get_tmp_dir(), "octavo-output", &stop_files[slot], d);
			return o->tmp != NULL;
		}
		if (g_file_test(o->target, G_FILE_TEST_IS_SYMLINK)) {
			char *real = realpath(o->target, NULL); /* replace the file, keep the link */
			if (real) {
				g_free(o->dest);
				o->dest = g_strdup(real);
				free(real);
			}
		}
	}
	dir = g_path_get_dirname(o->dest);
	base = g_path_get_basename(o->dest);
	o->made = missing_from(dir);
	if (o->made) {
		dirs[0] = g_strdup(dir);
		dirs[1] = g_strdup(o->made);
		stop_dirs[2 * slot] = dirs[0];
		stop_dirs[2 * slot + 1] = dirs[1];
	}
	if (g_mkdir_with_parents(dir, 0777) != 0)
		io_error(d, "cannot create the folder %s: %s", dir, errno);
	else
		o->tmp = temp_in(dir, base, &stop_files[slot], d);
	g_free(dir);
	g_free(base);
	return o->tmp != NULL;
}

/* Copy the finished file into a device or pipe, every byte or an error. */
static gboolean
copy_into(const char *from, const char *to, OvDiags *d)
{
	char *buf = NULL;
	gsize len = 0, done = 0;
	GError *err = NULL;
	int fd;
	gboolean ok = TRUE;

	if (!g_file_get_contents(from, &buf, &len, &err)) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read back %s: %s", from, err->message);
		d->io_failed = TRUE;
		g_error_free(err);
		return FALSE;
	}
	fd = open(to, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		io_error(d, "cannot write %s: %s", to, errno);
		g_free(buf);
		return FALSE;
	}
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			io_error(d, "cannot write %s: %s", to, n < 0 ? errno : ENOSPC);
			ok = FALSE;
			break;
		}
		done += (gsize)n;
	}
	if (close(fd) != 0 && ok) {
		io_error(d, "cannot write %s: %s", to, errno);
		ok = FALSE;
	}
	g_free(buf);
	return ok;
}

/* Put a finished temporary file in place: on the disk first (fsync), with the mode a new file
 * gets here (mkstemp made it 0600), then renamed over the target in one step. */
static gboolean
commit(Output *o, OvDiags *d)
{
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	if (o->device)
		return copy_into(o->tmp, o->target, d);
	fd = open(o->tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		io_error(d, "cannot write %s: %s", o->target, errno);
		if (fd >= 0)
			close(fd);
		return FALSE;
	}
	close(fd);
	g_chmod(o->tmp, 0666 & ~mask);
	if (g_rename(o->tmp, o->dest) != 0) {
		io_error(d, "cannot write %s: %s", o->target, errno);
		return FALSE;
	}
	g_clear_pointer(&o->tmp, g_free); /* it is the output now */
	return TRUE;
}

/* The pages' temporary folder: a handler can neither list a folder nor format a name, so the
 * pages' names are made in a buffer kept for it. */
typedef struct {
	char *name;          /* "TMP/page-", then room for the number and ".png" */
	gsize at;            /* where the number goes */
	volatile guint n;    /* the pages there may be (page-001.png to page-NNN.png) */
	const char *dir;     /* TMP */
	const char *made[2]; /* the folder DIR is in and the outermost made (TMP beside DIR), or NULL */
} StopPages;
static StopPages *volatile stop_pages;

/* The pages are being written into p->tmp: what a stop removes (sp lives as long as p). */
static void
stop_track_pages(const Pages *p, StopPages *sp)
{
	if (p->tmp == NULL)
		return;
	sp->name = g_strdup_printf("%s/page-%s", p->tmp, "0000000000.png"); /* room for any guint */
	sp->at = strlen(p->tmp) + strlen("/page-");
	sp->dir = p->tmp;
	if (p->made && !p->into) {
		sp->made[0] = g_path_get_dirname(p->dest);
		sp->made[1] = p->made;
	}
	stop_pages = sp;
}

/* Make the pages' temporary folder (see Pages). */
static gboolean
pages_prepare(Pages *p, StopPages *sp, OvDiags *d)
{
	struct stat st;
	char *dir, *base, *tmpl;
	gsize n;

	p->dest = g_strdup(p->target);
	n = strlen(p->dest);
	while (n > 1 && p->dest[n - 1] == '/')
		p->dest[--n] = '\0';
	if (stat(p->dest, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			io_error(d, "cannot write the pages into %s: %s", p->target, ENOTDIR);
			return FALSE;
		}
		p->into = TRUE;
		dir = g_strdup(p->dest);
		base = g_strdup("pages");
	} else {
		dir = g_path_get_dirname(p->dest);
		base = g_path_get_basename(p->dest);
		p->made = missing_from(dir);
	}
	/* in the stop's list before anything is made: until then its names name nothing */
	tmpl = p->tmp = temp_name(dir, base);
	stop_track_pages(p, sp);
	if (!p->into && g_mkdir_with_parents(dir, 0777) != 0) {
		io_error(d, "cannot create the folder %s: %s", dir, errno);
	} else if (g_mkdtemp(tmpl) == NULL) {
		io_error(d, "cannot write in the folder %s: %s", dir, errno);
	} else { /* its name made: into the pages' names too (the same length) */
		memcpy(sp->name, tmpl, strlen(tmpl));
		tmpl = NULL;
	}
	if (tmpl) {
		stop_pages = NULL;
		p->tmp = NULL;
		g_free(tmpl);
	}
	g_free(dir);
	g_free(base);
	return p->tmp != NULL;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files in folder dir, by name. */
static GPtrArray *
files_in(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *gd = g_dir_open(dir, 0, NULL);
	const char *name;

	if (gd) {
		while ((name = g_dir_read_name(gd)) != NULL)
			g_ptr_array_add(names, g_strdup(name));
		g_dir_close(gd);
	}
	g_ptr_array_sort(names, by_name);
	return names;
}

/* Put the finished pages in place: on the disk first, as commit() does, then the folder
 * renamed to DIR, or each page renamed into it. */
static gboolean
pages_commit(Pages *p, OvDiags *d)
{
	mode_t mask = umask(0);
	GPtrArray *names = files_in(p->tmp);
	gboolean ok = TRUE;

	umask(mask);
	for (guint i = 0; i < names->len && ok; i++) {
		char *f = g_build_filename(p->tmp, g_ptr_array_index(names, i), NULL);
		int fd = open(f, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0) {
			int err = errno;
			char *shown = g_build_filename(p->dest, g_ptr_array_index(names, i), NULL);
			io_error(d, "cannot write %s: %s", shown, err);
			g_free(shown);
			ok = FALSE;
		}
		if (fd >= 0)
			close(fd);
		g_free(f);
	}
	if (ok && !p->into) {
		g_chmod(p->tmp, 0777 & ~mask); /* mkdtemp made it 0700 */
		if (g_rename(p->tmp, p->dest) != 0) {
			io_error(d, "cannot write %s: %s", p->target, errno);
			ok = FALSE;
		} else {
			g_clear_pointer(&p->tmp, g_free); /* it is DIR now */
		}
	}
	for (guint i = 0; ok && p->into && i < names->len; i++) {
		char *f = g_build_filename(p->tmp, g_ptr_array_index(names, i), NULL);
		char *to = g_build_filename(p->dest, g_ptr_array_index(names, i), NULL);
		if (g_rename(f, to) != 0) {
			io_error(d, "cannot write %s: %s", to, errno);
			ok = FALSE;
		}
		g_free(f);
		g_free(to);
	}
	if (ok && p->into) {
		/* the pages of a longer book built before: page-NNN.png this run did not write */
		GPtrArray *old = files_in(p->dest);
		GHashTable *now = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; i < names->len; i++)
			g_hash_table_add(now, g_ptr_array_index(names, i));
		for (guint i = 0; i < old->len; i++) {
			const char *n = g_ptr_array_index(old, i);
			if (is_page_png(n) && !g_hash_table_contains(now, n)) {
				char *f = g_build_filename(p->dest, n, NULL);
				g_unlink(f);
				g_free(f);
			}
		}
		g_hash_table_destroy(now);
		g_ptr_array_free(old, TRUE);
	}
	g_ptr_array_free(names, TRUE);
	return ok;
}

/* Remove the temporary folder and what is left in it, and on failure the folders made for
 * DIR; free p. */
static void
pages_clear(Pages *p, gboolean ok)
{
	if (p->tmp) {
		GPtrArray *names = files_in(p->tmp);
		for (guint i = 0; i < names->len; i++) {
			char *f = g_build_filename(p->tmp, g_ptr_array_index(names, i), NULL);
			g_unlink(f);
			g_free(f);
		}
		g_ptr_array_free(names, TRUE);
		g_rmdir(p->tmp);
	}
	if (!ok && p->made && p->dest)
		remove_made(p->dest, p->made);
	g_free(p->made);
	g_free(p->tmp);
	g_free(p->dest);
	g_free(p->target);
}

/* The back ends name the file they write: in what they reported since diagnostic number
 * from, say the target the user asked for instead of the temporary file. */
static void
name_path(OvDiags *d, guint from, const char *tmp, const char *target)
{
	for (guint i = from; tmp && i < d->list->len; i++) {
		OvDiag *dg = &g_array_index(d->list, OvDiag, i);
		char *at = strstr(dg->msg, tmp);
		if (at) {
			char *msg = g_strdup_printf("%.*s%s%s", (int)(at - dg->msg), dg->msg, target, at + strlen(tmp));
			g_free(dg->msg);
			dg->msg = msg;
		}
	}
}

static void
name_target(OvDiags *d, guint from, const Output *o)
{
	name_path(d, from, o->tmp, o->target);
}

/* The PDF back end's messages name the PDF, the layout, the report and the pages. */
static void
name_pdf_targets(OvDiags *d, guint from, const Output *out, const Pages *pages)
{
	name_target(d, from, &out[OUT_PDF]);
	name_target(d, from, &out[OUT_LAYOUT]);
	name_target(d, from, &out[OUT_REPORT]);
	name_path(d, from, pages->tmp, pages->dest);
}

/* Typeset the book (for the PDF, and for the EPUB's page list) until the page numbers printed
 * in it, in "page N" references and the index, are those of the pages: a number's width can
 * move text and with it a page. Each pass after the first prints the numbers the previous one
 * found; at most MAX_PASSES passes. NULL when the fonts cannot be set up. draw_to (the PDF, or
 * NULL): a pass that is likely to be the last draws its body's pages in a second thread as
 * they are finished; not the first when the text prints "page N", since the first pass cannot
 * know N. map_only: no PDF is drawn, only the page map is wanted. kept: a memo kept from
 * build to build, or NULL. */
static OvPdf *
paginate(OvDoc *doc, const OvTheme *theme, gboolean verbose, gboolean report, const char *draw_to, gboolean map_only,
	 OvPdfMemo *kept, OvDiags *d)
{
	OvPdf *pdf = NULL;
	gboolean page_refs = ov_resolve_has_page_refs(doc);
	/* later passes take the paragraphs that did not change; a book that needs one pass keeps
	 * none (the memo would hold every way each paragraph was broken), nor a build that
	 * OCTAVO_REUSE=0 asks to set every pass afresh (the outputs are the same either way) */
	const char *env = g_getenv("OCTAVO_REUSE");
	OvPdfMemo *memo = kept ? kept : ov_resolve_has_pages(doc) && g_strcmp0(env, "0") != 0 ? ov_pdf_memo_new() : NULL;

	if (kept)
		ov_pdf_memo_build(kept, theme);

	for (int pass = 1; pass <= MAX_PASSES; pass++) {
		gint64 t0 = g_get_monotonic_time();
		gboolean last = pass == MAX_PASSES, changed;
		const char *to = pass > 1 || !page_refs ? draw_to : NULL;
		pdf = NULL;
		if (doc->ordered != doc->made) /* read, or the index's locators made again */
			ov_doc_order(doc);
		if (!ov_fonts_system()) {
			/* with the bundled fonts alone, and only if they set every character: else
			 * again with the system's fonts, as if this pass never ran */
			OvDiags scratch;
			ov_diags_init(&scratch);
			scratch.strict = d->strict;
			scratch.limit = 0; /* d's applies */
			pdf = ov_pdf_typeset(doc, theme, report, memo, to, map_only, &scratch);
			if (pdf && ov_fonts_take_fallback()) {
				ov_fonts_use_system();
				g_clear_pointer(&pdf, ov_pdf_free);
			} else {
				ov_diags_append(d, &scratch);
			}
			ov_diags_clear(&scratch);
			if (pdf == NULL && !ov_fonts_system())
				break;
		}
		if (pdf == NULL)
			pdf = ov_pdf_typeset(doc, theme, report, memo, to, map_only, d);
		if (pdf == NULL)
			break;
		if (ov_pdf_drawn_badly(pdf)) {
			/* the same pass again, drawn only once it is over: rare (a link to nowhere), and
			 * nothing reported twice (this pass's diagnostics are the same) */
			ov_pdf_free(pdf);
			draw_to = NULL;
			pass--;
			continue;
		}
		changed = ov_resolve_pages(doc, ov_pdf_page_map(pdf), !last, d);
		if (verbose) {
			guint all, ahead;
			ov_pdf_shaped(pdf, &all, &ahead);
			ov_progress_clear();
			fprintf(stderr, "octavo: typeset pass %d: %u pages in %.1f ms, %u paragraph%s shaped", pass,
				ov_pdf_page_map(pdf)->pages->len, (g_get_monotonic_time() - t0) / 1000.0, all,
				all == 1 ? "" : "s");
			if (ahead)
				fprintf(stderr, " (%u of them ahead, in a second thread)", ahead);
			fprintf(stderr, "%s\n", changed && !last ? "; page numbers changed" : "");
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
	if (kept)
		ov_pdf_memo_sweep(kept);
	else
		ov_pdf_memo_free(memo);
	return pdf;
}

gboolean
ov_build_threads(void)
{
	const char *env = g_getenv("OCTAVO_THREADS");
	if (env && *env)
		return g_ascii_strtoll(env, NULL, 10) != 1;
	return g_get_num_processors() > 1;
}

/* The second thread. From the start of the build it draws the EPUB's cover while this thread
 * typesets the book; then, handed the page map, it writes the EPUB while this thread draws
 * the PDF. It reads the model only once it has the
 * page map: typesetting changes the model (page numbers), the cover reads only the metadata. */
typedef struct {
	const OvDoc *doc;
	const OvTheme *theme;
	gboolean cover;     /* draw the typeset cover ahead (the book has no cover image) */
	const char *path;   /* the EPUB's temporary file; NULL: no EPUB here, only the patterns */
	GAsyncQueue *go;    /* the page map to write the EPUB with, or STOP */
	gboolean handed;    /* this thread pushed the page map: nothing to stop */
	OvDiags d;          /* the EPUB's own diagnostics, merged in the sequential order */
	gboolean ok;
	gint64 usec;        /* the EPUB's time (its cover and its writing), for -v */
} Worker;

static const char stop_token;
#define STOP ((gpointer)&stop_token)

static gpointer
worker_run(gpointer data)
{
	Worker *w = data;
	GBytes *cover = NULL;
	gpointer pm;
	gint64 t0;

	if (w->path == NULL)
		return NULL;
	t0 = g_get_monotonic_time();
	if (w->cover) {
		OvDiags cd; /* a problem is left for ov_epub_write to meet again and report in order */
		ov_diags_init(&cd);
		cover = ov_epub_cover_png(w->doc, w->theme, &cd);
		if (cd.list->len)
			g_clear_pointer(&cover, g_bytes_unref);
		ov_diags_clear(&cd);
	}
	w->usec = g_get_monotonic_time() - t0;
	pm = g_async_queue_pop(w->go);
	if (pm != STOP) {
		t0 = g_get_monotonic_time();
		w->ok = ov_epub_write(w->doc, w->theme, pm, cover, w->path, &w->d);
		w->usec += g_get_monotonic_time() - t0;
	}
	if (cover)
		g_bytes_unref(cover);
	return NULL;
}

static GThread *
worker_start(Worker *w, const OvDoc *doc, const OvTheme *theme, const char *epub, OvDiags *d)
{
	memset(w, 0, sizeof *w);
	w->doc = doc;
	w->theme = theme;
	w->cover = epub && ov_cover_image(doc) == NULL;
	w->path = epub;
	w->go = g_async_queue_new();
	ov_diags_init(&w->d);
	w->d.strict = d->strict;
	w->d.limit = 0; /* d's limit applies when they are merged */
	return g_thread_new("octavo-epub", worker_run, w);
}

/* Stop the thread (if it still waits for the page map) and wait for it. */
static void
worker_finish(Worker *w, GThread *t)
{
	if (w->path && !w->handed)
		g_async_queue_push(w->go, STOP);
	g_thread_join(t);
	g_async_queue_unref(w->go);
	ov_diags_clear(&w->d);
}

/* The outputs with the second thread: the EPUB there, the PDF (if asked for) here, each
 * reporting into diagnostics of its own, merged afterwards as the sequential build reports
 * them (the EPUB's first, then the PDF's; the dedup, the limit and the order are d's): every
 * file and message is the same. The one difference: when the EPUB fails, the PDF has been
 * drawn all the same (and is then thrown away, as the sequential build would not have drawn
 * it). */
static gboolean
write_both(const OvPdfOptions *po, OvPdf *typeset, Worker *w, GThread *t, Output *out, const Pages *pages, OvDiags *d)
{
	Output *epub = &out[OUT_EPUB], *pdf = &out[OUT_PDF];
	OvDiags pd;
	gboolean ok, done = FALSE;

	ov_diags_init(&pd);
	pd.strict = d->strict;
	pd.limit = 0;
	ov_progress_parallel_begin(OV_STAGE_EPUB);
	g_async_queue_push(w->go, (gpointer)ov_pdf_page_map(typeset));
	w->handed = TRUE;
	if (pdf->tmp) {
		done = ov_pdf_write(typeset, pdf->tmp, po, &pd) && !ov_diags_failed(&pd); /* its stages: draw, PNG */
		ov_progress_stage(OV_STAGE_NONE);
	}
	g_thread_join(t);
	ov_progress_parallel_end(OV_STAGE_EPUB, w->usec);
	name_target(&w->d, 0, epub);
	ov_diags_append(d, &w->d);
	ok = w->ok && !ov_diags_failed(d);
	/* the sequential build draws the PDF unless the EPUB failed to be written, and the PDF
	 * back end stops at once, saying nothing, when the EPUB's diagnostics failed the run */
	if (pdf->tmp && (ok || !d->io_failed) && !ov_diags_failed(d)) {
		name_pdf_targets(&pd, 0, out, pages);
		ov_diags_append(d, &pd);
		ok = ok && done && !ov_diags_failed(d);
	} else if (pdf->tmp) {
		ok = FALSE;
	}
	g_async_queue_unref(w->go);
	ov_diags_clear(&w->d);
	ov_diags_clear(&pd);
	return ok;
}

/* Does the book need the system's fonts before it is typeset: a theme family that is not
 * bundled, cover text (set in one family, without a fallback list) its family lacks, or an
 * SVG image with text (set by librsvg, over the system's fonts after the bundled ones: with
 * the book's text in the same configuration, a font both use is embedded once)?
 * Characters of the text are found while typesetting (ov_fonts_take_fallback). */
static gboolean
needs_system_fonts(const OvDoc *doc, const OvTheme *theme)
{
	const OvMeta *m = &doc->meta;
	gboolean ok = ov_fonts_bundled(theme->body_font) && ov_fonts_bundled(theme->heading_font) &&
		      ov_fonts_bundled(theme->mono_font) && ov_fonts_covers(theme->heading_font, m->title) &&
		      ov_fonts_covers(theme->body_font, m->subtitle) && ov_fonts_covers(theme->heading_font, m->publisher);
	OvIter it;
	OvEvent ev;

	for (guint i = 0; ok && i < m->authors->len; i++)
		ok = ov_fonts_covers(theme->heading_font, g_ptr_array_index(m->authors, i));
	ov_iter_init(&it, doc->root);
	while (ok && (ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->type == OV_IMAGE && it.cur->u.img.fileref &&
		    !ov_image_is_remote(it.cur->u.img.fileref)) {
			/* only an SVG with text (librsvg sets it over the system's fonts): a raster image
			 * or an SVG of shapes leaves the book to the bundled fonts */
			ok = !ov_image_file_has_text(doc, it.cur);
		}
	return !ok;
}

static gpointer
preload(gpointer lang)
{
	ov_pdf_preload(lang);
	return NULL;
}

GThread *
ov_build_prefetch(const OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o)
{
	char *pdf = ov_build_output(doc->path, o, TRUE);
	gboolean typesets = pdf || !o->no_print_pages;

	g_free(pdf);
	if (!typesets || !ov_build_threads() || !theme->hyphenate || doc->meta.lang == NULL)
		return NULL;
	return g_thread_new("octavo-hyph", preload, (gpointer)doc->meta.lang);
}

static void
output_clear(Output *o, gboolean ok)
{
	if (o->tmp)
		g_unlink(o->tmp);
	if (!ok && o->made && o->dest) /* the folders made for nothing */
		remove_made(o->dest, o->made);
	g_free(o->made);
	g_free(o->tmp);
	g_free(o->dest);
	g_free(o->target);
}

/* ---- a build stopped by a signal ---- */

/* SIGINT, SIGTERM, SIGHUP, or SIGPIPE (the reader of a device output gone) during a build:
 * the temporary files are removed, and the folders made for the outputs while still empty,
 * before the process ends as the signal asks. Only where nothing else handles the signal. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
static struct sigaction stop_old[G_N_ELEMENTS(stop_signals)];
static gboolean stop_ours[G_N_ELEMENTS(stop_signals)];

/* Remove the pages written so far (as pdf.c's write_pngs names them), the folder, and the
 * folders made for it. Async-signal-safe. */
static void
stop_remove_pages(StopPages *sp)
{
	for (guint i = 1;; i++) {
		char digits[12];
		int k = 0;
		gsize at = sp->at;
		for (guint v = i; v > 0 || k < 3; v /= 10) /* %03u */
			digits[k++] = (char)('0' + v % 10);
		while (k > 0)
			sp->name[at++] = digits[--k];
		sp->name[at++] = '.';
		sp->name[at++] = 'p';
		sp->name[at++] = 'n';
		sp->name[at++] = 'g';
		sp->name[at] = '\0';
		if (unlink(sp->name) != 0 && i >= sp->n)
			break;
	}
	rmdir(sp->dir);
	for (gsize i = 0; i < G_N_ELEMENTS(sp->made); i++)
		if (sp->made[i])
			rmdir(sp->made[i]);
}

static void
on_stop(int sig)
{
	StopPages *sp = stop_pages;
	for (gsize i = 0; i < G_N_ELEMENTS(stop_files); i++)
		if (stop_files[i])
			unlink(stop_files[i]);
	if (sp)
		stop_remove_pages(sp);
	for (gsize i = G_N_ELEMENTS(stop_dirs); i >= 2; i -= 2) /* the last output's first */
		for (gsize k = i - 2; k < i; k++) /* its folder, then the outermost made */
			if (stop_dirs[k])
				rmdir(stop_dirs[k]);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns: the process ends as the signal asks */
}

static void
stop_handlers(gboolean on)
{
	for (gsize i = 0; i < G_N_ELEMENTS(stop_signals); i++) {
		if (on) {
			struct sigaction sa = { 0 };
			sa.sa_handler = on_stop;
			sigemptyset(&sa.sa_mask);
			stop_ours[i] = sigaction(stop_signals[i], NULL, &stop_old[i]) == 0 && stop_old[i].sa_handler == SIG_DFL &&
				       sigaction(stop_signals[i], &sa, NULL) == 0;
		} else if (stop_ours[i]) {
			sigaction(stop_signals[i], &stop_old[i], NULL);
			stop_ours[i] = FALSE;
		}
	}
}

static void
stop_untrack(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(stop_files); i++)
		stop_files[i] = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(stop_dirs); i++)
		stop_dirs[i] = NULL;
	stop_pages = NULL;
}

gboolean
ov_build(OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o, OvDiags *d)
{
	Output out[N_OUT] = { { 0 } };
	Output *epub = &out[OUT_EPUB], *pdf = &out[OUT_PDF];
	Pages pages = { 0 };
	StopPages stop_pg = { 0 };
	OvPdfOptions po = { NULL, o->png_dpi > 0 ? o->png_dpi : 96, NULL, NULL };
	OvPdf *typeset = NULL;
	gboolean ok = TRUE, pageless, typesets, epub_ok = TRUE;
	Worker w;
	GThread *worker = NULL;
	char *dirs[N_OUT][2] = { { NULL } };
	/* devices first, since writing into one can still fail (/dev/full) and a rename cannot
	 * be undone */
	static const int device_order[] = { OUT_PDF, OUT_EPUB, OUT_LAYOUT, OUT_REPORT };

	epub->target = ov_build_output(doc->path, o, FALSE);
	pdf->target = ov_build_output(doc->path, o, TRUE);
	if (pdf->target) { /* the PDF's side outputs (main.c refuses them without a PDF) */
		out[OUT_LAYOUT].target = g_strdup(o->layout);
		out[OUT_REPORT].target = g_strdup(o->report);
		pages.target = g_strdup(o->png_dir);
	}
	/* the EPUB carries the print edition's pages, so the book is typeset even for an EPUB
	 * alone, unless it is asked for without them */
	pageless = o->no_print_pages && epub->target;
	typesets = pdf->target || !pageless;
	/* an EPUB not typeset needs them too: the theme's families are checked against them and
	 * its cover is drawn with them */
	if (needs_system_fonts(doc, theme))
		ov_fonts_use_system();
	if (!ov_theme_check_fonts(theme, d))
		ok = FALSE;
	if (ok) {
		const char *outs[4] = { epub->target, pdf->target, o->layout, o->report };
		ok = outputs_ok(doc, theme, outs, pages.target, d);
	}
	stop_handlers(TRUE);
	for (int i = 0; i < N_OUT && ok; i++)
		if (out[i].target)
			ok = prepare(&out[i], i, dirs[i], doc, d);
	if (ok && pages.target)
		ok = pages_prepare(&pages, &stop_pg, d);
	po.png_dir = pages.tmp;
	po.layout = out[OUT_LAYOUT].tmp;
	po.report = out[OUT_REPORT].tmp;
	if (ok && ov_build_threads() && epub->tmp && !pageless)
		worker = worker_start(&w, doc, theme, epub->tmp, d);
	if (ok && pageless) {
		/* first, from the model as it is before typesetting, which then sets it as the PDF
		 * needs it (the PDF is the same as without the option) */
		guint from = d->list->len;
		ov_resolve_pageless(doc, TRUE);
		ov_progress_stage(OV_STAGE_EPUB);
		epub_ok = ov_epub_write(doc, theme, NULL, NULL, epub->tmp, d) && !ov_diags_failed(d);
		ov_progress_stage(OV_STAGE_NONE);
		name_target(d, from, epub);
		ov_resolve_pageless(doc, FALSE);
	}
	if (ok && typesets && (epub_ok || !d->io_failed)) {
		ov_progress_stage(OV_STAGE_LAYOUT);
		gboolean keep = o->png_dir || o->layout || o->report;
		typeset = paginate(doc, theme, o->verbose, o->report != NULL, pdf->tmp && !keep && ov_build_threads() ? pdf->tmp : NULL,
				   pdf->tmp == NULL && !keep, o->memo, d);
		ov_progress_stage(OV_STAGE_NONE);
		ok = typeset != NULL;
	}
	if (typeset)
		stop_pg.n = ov_pdf_page_map(typeset)->pages->len; /* the pages a stop looks for */
	/* both back ends run even when the first fails: every problem is reported in one run */
	if (ok && worker && epub->tmp && !ov_diags_failed(d)) {
		ok = write_both(&po, typeset, &w, worker, out, &pages, d);
	} else {
		if (worker)
			worker_finish(&w, worker);
		if (ok && epub->target && !pageless) {
			guint from = d->list->len;
			ov_progress_stage(OV_STAGE_EPUB);
			ok = ov_epub_write(doc, theme, ov_pdf_page_map(typeset), NULL, epub->tmp, d) && !ov_diags_failed(d);
			ov_progress_stage(OV_STAGE_NONE);
			name_target(d, from, epub);
		}
		if (typeset && (ok || !d->io_failed) && pdf->tmp) {
			guint from = d->list->len;
			gboolean done = ov_pdf_write(typeset, pdf->tmp, &po, d) && !ov_diags_failed(d); /* its stages: draw, PNG */
			ov_progress_stage(OV_STAGE_NONE);
			name_pdf_targets(d, from, out, &pages);
			ok = ok && done;
		}
	}
	ok = ok && epub_ok;
	/* all or nothing: the outputs are put in place only when every one is complete */
	for (gsize k = 0; k < G_N_ELEMENTS(device_order) && ok; k++)
		if (out[device_order[k]].device)
			ok = commit(&out[device_order[k]], d);
	for (int i = 0; i < N_OUT && ok; i++)
		if (out[i].tmp && !out[i].device) {
			stop_files[i] = NULL; /* commit lets go of it */
			ok = commit(&out[i], d);
		}
	if (ok && pages.tmp) {
		if (!pages.into)
			stop_pages = NULL; /* the folder is renamed whole */
		ok = pages_commit(&pages, d);
	}
	if (ok && o->verbose) {
		ov_progress_clear();
		for (int i = 0; i < N_OUT; i++)
			if (out[i].target)
				fprintf(stderr, "octavo: wrote %s\n", out[i].target);
		if (pages.target)
			fprintf(stderr, "octavo: wrote the pages into %s\n", pages.target);
	}
	if (typeset)
		ov_pdf_free(typeset);
	stop_untrack();
	/* the last made first: a folder made for an output may hold those made after it */
	pages_clear(&pages, ok);
	for (int i = N_OUT - 1; i >= 0; i--)
		output_clear(&out[i], ok);
	stop_handlers(FALSE);
	for (int i = 0; i < N_OUT; i++) {
		g_free(dirs[i][0]);
		g_free(dirs[i][1]);
	}
	g_free(stop_pg.name);
	g_free((char *)stop_pg.made[0]);
	return ok;
}
