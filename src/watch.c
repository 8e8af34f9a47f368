/* watch.c: the watch loop. One GFileMonitor per folder that holds a file the book is made of;
 * events are filtered by path, gathered for a moment, and answered with one rebuild. */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include "watch.h"

#define SETTLE_MS 100 /* changes this close together make one rebuild (an editor's save is
		       * often several events: a temporary file, a rename, attributes) */

typedef struct {
	const OvWatchOptions *o;
	GMainLoop *loop;
	GHashTable *deps;      /* absolute path -> itself: the files of the last good read */
	GHashTable *monitors;  /* absolute folder -> GFileMonitor */
	GHashTable *ignore;    /* absolute paths the build writes (files or folders) */
	GHashTable *holders;   /* the folders those are in, up to the root: a build makes the ones
				* missing and a failed build removes them again */
	GHashTable *appeared;  /* files that appeared since the last good build: their later
				* changes count too (a new file is still being written) */
	gboolean failed;       /* the last build failed */
	guint settle;          /* the pending rebuild's timeout source, 0 when none */
	char *changed;         /* the first file that changed since the last build */
	int status;
} Watch;

static char *
absolute(const char *path)
{
	return g_canonicalize_filename(path, NULL);
}

static void on_event(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data);

/* Watch the folder of each dependency (a folder monitor sees a file replaced by a rename,
 * as editors save). */
static void
watch_folders(Watch *w)
{
	GHashTableIter hi;
	gpointer key;

	g_hash_table_iter_init(&hi, w->deps);
	while (g_hash_table_iter_next(&hi, &key, NULL)) {
		char *dir = g_path_get_dirname(key);
		GFile *f;
		GFileMonitor *m;
		GError *err = NULL;

		if (g_hash_table_contains(w->monitors, dir)) {
			g_free(dir);
			continue;
		}
		f = g_file_new_for_path(dir);
		m = g_file_monitor_directory(f, G_FILE_MONITOR_WATCH_MOVES, NULL, &err);
		g_object_unref(f);
		if (m == NULL) {
			fprintf(stderr, "octavo: cannot watch %s: %s\n", dir, err->message);
			g_error_free(err);
			g_free(dir);
			continue;
		}
		g_signal_connect(m, "changed", G_CALLBACK(on_event), w);
		g_hash_table_insert(w->monitors, dir, m);
	}
}

static void
set_deps(Watch *w, GPtrArray *files)
{
	g_hash_table_remove_all(w->deps);
	for (guint i = 0; i < files->len; i++) {
		char *p = absolute(g_ptr_array_index(files, i));
		g_hash_table_replace(w->deps, p, p);
	}
}

/* Build, print the line, and watch what the build read. */
static void
build(Watch *w)
{
	OvWatchResult r = { 0 };
	gint64 t0 = g_get_monotonic_time();
	double secs;
	GDateTime *now;
	char *clock;
	GString *line;

	r.deps = g_ptr_array_new_with_free_func(g_free);
	w->o->build(&r, w->o->data);
	secs = (g_get_monotonic_time() - t0) / (double)G_USEC_PER_SEC;
	if (r.deps->len)
		set_deps(w, r.deps); /* else (unreadable book) keep watching what was read last */
	{
		char *b = absolute(w->o->book), *t = w->o->theme ? absolute(w->o->theme) : NULL;
		g_hash_table_replace(w->deps, b, b);
		if (t)
			g_hash_table_replace(w->deps, t, t);
	}
	g_ptr_array_free(r.deps, TRUE);
	watch_folders(w);
	w->failed = r.status != 0;
	if (!w->failed)
		g_hash_table_remove_all(w->appeared);

	now = g_date_time_new_now_local();
	clock = g_date_time_format(now, "%H:%M:%S");
	line = g_string_new(NULL);
	g_string_append_printf(line, "octavo: %s ", clock);
	if (w->changed) {
		char *base = g_path_get_basename(w->changed);
		g_string_append_printf(line, "%s changed: ", base);
		g_free(base);
	}
	if (!w->failed)
		g_string_append_printf(line, "built %s in %.3f s", w->o->outputs, secs);
	else
		g_string_append_printf(line, "build failed in %.3f s (%u error%s); the last good outputs are kept",
				       secs, r.errors, r.errors == 1 ? "" : "s");
	if (r.warnings)
		g_string_append_printf(line, ", %u warning%s", r.warnings, r.warnings == 1 ? "" : "s");
	if (w->changed == NULL)
		g_string_append_printf(line, "; watching %u file%s (Ctrl-C stops)", g_hash_table_size(w->deps),
				       g_hash_table_size(w->deps) == 1 ? "" : "s");
	if (w->failed || !w->o->quiet)
		fprintf(stderr, "%s\n", line->str);
	fflush(stderr);
	g_string_free(line, TRUE);
	g_free(clock);
	g_date_time_unref(now);
	g_clear_pointer(&w->changed, g_free);
}

static gboolean
on_settled(gpointer data)
{
	Watch *w = data;
	w->settle = 0;
	build(w);
	return G_SOURCE_REMOVE;
}

/* May a file that appears at path be one the failed build missed? Not the build's own
 * outputs and temporary files, nor a folder that holds them (out/, made and removed again
 * by every failed build: else each failure would start the next build), not hidden files or
 * backups (editors' own). */
static gboolean
may_be_missing(Watch *w, const char *path)
{
	char *base, *dir;
	gboolean yes;

	if (path == NULL || !w->failed)
		return FALSE;
	dir = g_path_get_dirname(path);
	base = g_path_get_basename(path);
	yes = !g_hash_table_contains(w->ignore, path) && !g_hash_table_contains(w->ignore, dir) &&
	      !g_hash_table_contains(w->holders, path) && base[0] != '.' && !g_str_has_suffix(base, "~");
	g_free(dir);
	g_free(base);
	return yes;
}

static gboolean
is_dep(Watch *w, const char *path)
{
	return path && g_hash_table_contains(w->deps, path);
}

/* A file in a watched folder changed: a reason to rebuild when it is one the book is made of,
 * or, after a failed build, when a file appears (it may be the missing include or image). */
static void
on_event(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data)
{
	Watch *w = data;
	char *path = file ? g_file_get_path(file) : NULL;
	char *opath = other ? g_file_get_path(other) : NULL;
	const char *hit = NULL;

	switch (ev) {
	case G_FILE_MONITOR_EVENT_CHANGED:
	case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
	case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
	case G_FILE_MONITOR_EVENT_DELETED:
	case G_FILE_MONITOR_EVENT_MOVED_OUT:
		hit = is_dep(w, path) || (path && g_hash_table_contains(w->appeared, path)) ? path : NULL;
		break;
	case G_FILE_MONITOR_EVENT_CREATED:
	case G_FILE_MONITOR_EVENT_MOVED_IN:
		if (may_be_missing(w, path))
			g_hash_table_add(w->appeared, g_strdup(path));
		hit = is_dep(w, path) || may_be_missing(w, path) ? path : NULL;
		break;
	case G_FILE_MONITOR_EVENT_RENAMED: /* path is the old name, opath the new one */
		if (may_be_missing(w, opath))
			g_hash_table_add(w->appeared, g_strdup(opath));
		hit = is_dep(w, opath) || may_be_missing(w, opath) ? opath : is_dep(w, path) ? path : NULL;
		break;
	default:
		break;
	}
	if (hit) {
		/* name the change after a file of the book rather than an editor's temporary file */
		if (w->changed == NULL || (!is_dep(w, w->changed) && is_dep(w, hit))) {
			g_free(w->changed);
			w->changed = g_strdup(hit);
		}
		if (w->settle)
			g_source_remove(w->settle);
		w->settle = g_timeout_add(SETTLE_MS, on_settled, w);
	}
	g_free(path);
	g_free(opath);
}

static gboolean
on_signal(gpointer data)
{
	Watch *w = data;
	g_main_loop_quit(w->loop);
	return G_SOURCE_CONTINUE;
}

int
ov_watch(const OvWatchOptions *o)
{
	Watch w = { 0 };
	guint sig[3];

	w.o = o;
	w.deps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w.monitors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	w.ignore = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w.appeared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w.holders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; o->ignore && i < o->ignore->len; i++) {
		char *p = absolute(g_ptr_array_index(o->ignore, i));
		char *dir = g_path_get_dirname(p);
		g_hash_table_add(w.ignore, p);
		while (!g_hash_table_contains(w.holders, dir)) {
			char *up = g_path_get_dirname(dir);
			gboolean top = strcmp(up, dir) == 0;
			g_hash_table_add(w.holders, dir);
			dir = up;
			if (top)
				break;
		}
		g_free(dir);
	}
	w.loop = g_main_loop_new(NULL, FALSE);
	sig[0] = g_unix_signal_add(SIGINT, on_signal, &w);
	sig[1] = g_unix_signal_add(SIGTERM, on_signal, &w);
	sig[2] = g_unix_signal_add(SIGHUP, on_signal, &w);

	build(&w);
	if (g_hash_table_size(w.monitors) == 0) {
		fprintf(stderr, "octavo: nothing to watch\n");
		w.status = 3;
	} else {
		g_main_loop_run(w.loop);
	}

	for (int i = 0; i < 3; i++)
		g_source_remove(sig[i]);
	if (w.settle)
		g_source_remove(w.settle);
	g_main_loop_unref(w.loop);
	g_hash_table_destroy(w.monitors);
	g_hash_table_destroy(w.deps);
	g_hash_table_destroy(w.ignore);
	g_hash_table_destroy(w.appeared);
	g_hash_table_destroy(w.holders);
	g_free(w.changed);
	return w.status;
}
