/* progress.h: the stages of a run, timed for -v, and a one-line progress display on a
 * terminal.
 *
 * main.c starts a run and marks the stages it runs itself (parse, resolve, validate); the back
 * ends mark theirs (EPUB write, layout, draw, PNG) and call the two hooks below. Every
 * function is a no-op until ov_progress_start: unit tests and callers that never start a run
 * pay nothing. The display is a single line, rewritten in place ("\r... ESC[K"), never more
 * than the terminal is wide, and erased before anything else is printed. */
#ifndef OCTAVO_PROGRESS_H
#define OCTAVO_PROGRESS_H

#include <glib.h>
#include "model.h"

typedef enum {
	OV_STAGE_NONE,
	OV_STAGE_PARSE,
	OV_STAGE_RESOLVE,
	OV_STAGE_VALIDATE,
	OV_STAGE_FONTS,    /* loading the font set (once per process) */
	OV_STAGE_EPUB,     /* writing the EPUB */
	OV_STAGE_LAYOUT,   /* breaking the PDF's lines and pages */
	OV_STAGE_DRAW,     /* drawing and writing the PDF */
	OV_STAGE_PNG,      /* --png previews */
	OV_N_STAGES
} OvStage;

/* Begin a run. display: show the progress line (stderr is a terminal and not -q);
 * verbose: print each stage's time to stderr as it ends (-v). */
void ov_progress_start(gboolean display, gboolean verbose);
/* The book has been read: count its chapter-level divisions for "chapter n/N". */
void ov_progress_doc(const OvDoc *doc);
/* Begin a stage; the one running ends (and is timed). */
void ov_progress_stage(OvStage stage);
/* A stage that runs in another thread while the calling thread goes on with its own: begin
 * shows it on the progress line; end takes the time it took (measured by that thread, in
 * microseconds) and prints it for -v. Both from the thread that started the run. */
void ov_progress_parallel_begin(OvStage stage);
void ov_progress_parallel_end(OvStage stage, gint64 usec);
/* End the run: time the last stage, erase the line. */
void ov_progress_finish(void);
/* Erase the progress line, if shown, before printing something else on stderr. */
void ov_progress_clear(void);
/* The time stage took in the last run, in seconds (0 when it did not run). */
double ov_progress_seconds(OvStage stage);

/* Hooks. Layout: node n is being laid out and pages pages exist. Draw: page i of n (1-based)
 * has been drawn. */
void ov_progress_layout(const OvNode *n, guint pages);
void ov_progress_drawn(guint i, guint n);

#endif
