/* build.h: writing the outputs: where they go, and never half-written. */
#ifndef OCTAVO_BUILD_H
#define OCTAVO_BUILD_H

#include "model.h"
#include "theme.h"

typedef struct {
	const char *outdir; /* default "out" */
	const char *epub;   /* explicit EPUB path, or NULL */
	const char *pdf;    /* explicit PDF path, or NULL */
	const char *png_dir; /* also write PNG previews of the PDF's pages here */
	double png_dpi;
	const char *layout;  /* also write the PDF's page boxes as text here */
	const char *report;  /* also write the PDF's typographic report (JSON) here */
	gboolean verbose;
	gboolean no_print_pages; /* the EPUB without the print pages (ov_resolve_pageless) */
	struct OvPdfMemo *memo;  /* paragraphs set by earlier builds, kept for later ones
	                          * (ov_pdf_memo_build), or NULL: the build keeps its own */
} OvBuildOptions;

/* The time outputs carry: SOURCE_DATE_EPOCH when set (a warning, and the current time, when
 * it is not a number of seconds from 1970 to 9999), else the current time. */
gint64 ov_build_time(OvDiags *d);

/* The path of the EPUB (pdf FALSE) or PDF the options ask for, for the book at path book:
 * the one given, else OUTDIR/BASE.epub or .pdf; NULL when only the other output is asked for.
 * Free with g_free. */
char *ov_build_output(const char *book, const OvBuildOptions *o, gboolean pdf);

/* The files doc is made of, to deps (char *, g_free): its sources (main first), its local
 * images, its theme's file. */
void ov_build_sources(const OvDoc *doc, const OvTheme *theme, GPtrArray *deps);

/* Start loading what building doc will need and can be loaded while the rest is set up (its
 * language's hyphenation patterns: libhyphen takes 50 ms for English), in a thread that the
 * caller joins after ov_build. NULL when nothing is started (one thread, no hyphenation, or
 * nothing to typeset). */
GThread *ov_build_prefetch(const OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o);

/* May a build use more than one thread? Not with one processor, nor when OCTAVO_THREADS=1
 * asks for one (the outputs are the same either way). */
gboolean ov_build_threads(void);

/* Typeset the book (filling in the page numbers it prints, see ov_resolve_pages), then write
 * the outputs the options ask for: all or nothing. Each is written whole to a temporary file
 * (beside its target, or in the temporary folder for a device such as /dev/stdout) and they
 * are put in place only when every one is complete. FALSE if any output failed; what was at
 * the targets is then untouched. */
gboolean ov_build(OvDoc *doc, const OvTheme *theme, const OvBuildOptions *o, OvDiags *d);

#endif
