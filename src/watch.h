/* watch.h: build, then rebuild whenever a file the book is made of changes (GIO monitors). */
#ifndef OCTAVO_WATCH_H
#define OCTAVO_WATCH_H

#include <glib.h>

typedef struct {
	int status;          /* the build's exit status (0: outputs written) */
	guint errors, warnings;
	GPtrArray *deps;     /* char *, owned: every file the build read (source files, images,
	                      * theme); left empty when the book could not be read */
} OvWatchResult;

/* Run one build, printing its diagnostics, and fill r. */
typedef void (*OvWatchBuild)(OvWatchResult *r, gpointer data);

typedef struct {
	const char *book;        /* the main source file */
	const char *theme;       /* the theme file, watched even when the book cannot be read */
	const char *outputs;     /* what a build writes, for the status line ("out/a.epub, out/a.pdf") */
	GPtrArray *ignore;       /* char *: files and folders the build writes; their changes, and
	                          * the folders that hold them appearing (a failed build makes
	                          * and removes its output folder), are the build's own, never a
	                          * reason to rebuild */
	gboolean quiet;          /* print a line for failed builds only */
	OvWatchBuild build;
	gpointer data;
} OvWatchOptions;

/* Build once, then watch the folders of every file the build read and rebuild when one of those
 * files changes (or, while the last build failed, when a file appears in those folders, or
 * one that appeared changes: the missing include may be the one being written). Changes within 100 ms of each
 * other make one rebuild. One line on stderr per build: the time of day, what changed, the
 * outcome and the time it took. A failed build writes nothing, so the last good outputs stay.
 * Returns when SIGINT, SIGTERM or SIGHUP arrives (after the build in progress): 0, or 3
 * when the book's folder cannot be watched. */
int ov_watch(const OvWatchOptions *o);

#endif
