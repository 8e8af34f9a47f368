/* progress.c: stage timings (-v) and the progress line on a terminal. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "progress.h"

#define REPAINT_USEC 100000 /* page counts are repainted at most ten times a second */

static const char *const stage_names[OV_N_STAGES] = {
	[OV_STAGE_NONE] = "",
	[OV_STAGE_PARSE] = "parse",
	[OV_STAGE_RESOLVE] = "resolve",
	[OV_STAGE_VALIDATE] = "validate",
	[OV_STAGE_FONTS] = "fonts",
	[OV_STAGE_EPUB] = "EPUB write",
	[OV_STAGE_LAYOUT] = "layout",
	[OV_STAGE_DRAW] = "draw",
	[OV_STAGE_PNG] = "PNG",
};

static struct {
	gboolean on, display, verbose;
	OvStage stage;
	gint64 t0;                 /* when the stage began */
	double secs[OV_N_STAGES];
	GHashTable *chapters;      /* chapter-level division -> its 1-based index */
	const OvNode *last_chapter;
	guint nchapters, chapter;  /* for "chapter n/N" */
	guint pages;               /* pages laid out so far */
	guint drawn, ndraw;        /* pages drawn of ndraw */
	gint64 painted;            /* when the line was last written */
	gboolean shown;            /* the line is on the screen */
} P;

static guint
term_width(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

static void
paint(void)
{
	GString *s;
	guint w;

	if (!P.display || P.stage == OV_STAGE_NONE)
		return;
	s = g_string_new("octavo: ");
	g_string_append(s, stage_names[P.stage]);
	if (P.stage == OV_STAGE_LAYOUT) {
		if (P.nchapters && P.chapter)
			g_string_append_printf(s, ", chapter %u/%u", P.chapter, P.nchapters);
		g_string_append_printf(s, ", %u page%s", P.pages, P.pages == 1 ? "" : "s");
	} else if ((P.stage == OV_STAGE_DRAW || P.stage == OV_STAGE_PNG) && P.ndraw) {
		g_string_append_printf(s, ", page %u/%u", P.drawn, P.ndraw);
	}
	w = term_width() - 1; /* never wrap: "\r" only returns within one screen line */
	if (s->len > w)
		g_string_truncate(s, w);
	fprintf(stderr, "\r%s\033[K", s->str);
	fflush(stderr);
	g_string_free(s, TRUE);
	P.shown = TRUE;
	P.painted = g_get_monotonic_time();
}

void
ov_progress_clear(void)
{
	if (P.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		P.shown = FALSE;
	}
}

/* The process's peak resident memory so far in MB (Linux: VmHWM), or -1 where unknown. */
static double
peak_mb(void)
{
	char *status = NULL, *l;
	double mb = -1;

	if (g_file_get_contents("/proc/self/status", &status, NULL, NULL) && (l = strstr(status, "\nVmHWM:")) != NULL)
		mb = g_ascii_strtod(l + 7, NULL) / 1024;
	g_free(status);
	return mb;
}

/* Add secs to stage's time and print it for -v, with the peak memory when it ends. */
static void
stage_took(OvStage stage, double secs)
{
	double mb;

	P.secs[stage] += secs;
	if (P.verbose) {
		ov_progress_clear();
		fprintf(stderr, "octavo: %-10s %9.1f ms", stage_names[stage], secs * 1000);
		if (stage == OV_STAGE_LAYOUT)
			fprintf(stderr, "  %u body page%s", P.pages, P.pages == 1 ? "" : "s");
		else if (stage == OV_STAGE_DRAW || stage == OV_STAGE_PNG)
			fprintf(stderr, "  %u page%s", P.drawn, P.drawn == 1 ? "" : "s");
		if ((mb = peak_mb()) >= 0)
			fprintf(stderr, "  peak %.1f MB", mb);
		fputc('\n', stderr);
	}
}

static void
end_stage(void)
{
	if (P.stage == OV_STAGE_NONE)
		return;
	stage_took(P.stage, (g_get_monotonic_time() - P.t0) / (double)G_USEC_PER_SEC);
	P.stage = OV_STAGE_NONE;
}

void
ov_progress_start(gboolean display, gboolean verbose)
{
	if (P.chapters)
		g_hash_table_destroy(P.chapters);
	memset(&P, 0, sizeof P);
	P.on = TRUE;
	P.display = display;
	P.verbose = verbose;
}

void
ov_progress_doc(const OvDoc *doc)
{
	OvIter it;
	OvEvent ev;

	if (!P.on || doc == NULL)
		return;
	if (P.chapters)
		g_hash_table_destroy(P.chapters);
	P.chapters = g_hash_table_new(g_direct_hash, g_direct_equal);
	P.nchapters = 0;
	/* the chapter-level divisions resolve found, in document order */
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		const OvNode *n = it.cur;
		if (ev == OV_EV_ENTER && n->chapter == n)
			g_hash_table_insert(P.chapters, (gpointer)n, GUINT_TO_POINTER(++P.nchapters));
	}
}

void
ov_progress_stage(OvStage stage)
{
	if (!P.on)
		return;
	end_stage();
	P.stage = stage;
	P.t0 = g_get_monotonic_time();
	P.drawn = P.ndraw = 0;
	if (stage == OV_STAGE_NONE)
		ov_progress_clear();
	else
		paint(); /* every stage is shown as it begins */
}

void
ov_progress_parallel_begin(OvStage stage)
{
	OvStage own;
	if (!P.on)
		return;
	own = P.stage; /* shown once as it begins, as every stage is */
	P.stage = stage;
	paint();
	P.stage = own;
}

void
ov_progress_parallel_end(OvStage stage, gint64 usec)
{
	if (P.on)
		stage_took(stage, usec / (double)G_USEC_PER_SEC);
}

void
ov_progress_finish(void)
{
	if (!P.on)
		return;
	end_stage();
	ov_progress_clear();
	if (P.chapters)
		g_hash_table_destroy(P.chapters);
	P.chapters = NULL;
	P.on = FALSE;
}

double
ov_progress_seconds(OvStage stage)
{
	return stage < OV_N_STAGES ? P.secs[stage] : 0;
}

void
ov_progress_layout(const OvNode *n, guint pages)
{
	if (!P.on)
		return;
	if (n->chapter != P.last_chapter && n->chapter && P.chapters) {
		gpointer idx = g_hash_table_lookup(P.chapters, n->chapter);
		P.last_chapter = n->chapter;
		if (idx) {
			P.chapter = GPOINTER_TO_UINT(idx);
			P.pages = pages;
			paint(); /* every chapter is shown as it begins */
			return;
		}
	}
	if (pages != P.pages) {
		P.pages = pages;
		if (P.display && g_get_monotonic_time() - P.painted >= REPAINT_USEC)
			paint();
	}
}

void
ov_progress_drawn(guint i, guint n)
{
	if (!P.on)
		return;
	P.drawn = i;
	P.ndraw = n;
	if (P.display && (i == 1 || i == n || g_get_monotonic_time() - P.painted >= REPAINT_USEC))
		paint();
}
