/* diag.h: source diagnostics, collected in one run and printed as FILE:LINE:COL: error: text. */
#ifndef OCTAVO_DIAG_H
#define OCTAVO_DIAG_H

#include <glib.h>

typedef struct {
	const char *file; /* NULL when the message is about no file */
	guint line, col;  /* 1-based; 0 when unknown */
} OvLoc;

static inline OvLoc
ov_loc(const char *file, guint line, guint col)
{
	OvLoc l = { file, line, col };
	return l;
}

typedef enum { OV_WARNING, OV_ERROR } OvSeverity;

typedef struct {
	OvSeverity severity;
	OvLoc loc;
	char *msg;
} OvDiag;

typedef struct {
	GArray *list;       /* OvDiag */
	guint errors, warnings;
	gboolean strict;    /* warnings count as errors */
	gboolean echo;      /* print each one to stderr as it comes */
	guint limit;        /* keep no more than this many warnings, nor errors (0: no limit) */
	guint kept[2];      /* the warnings and the errors kept (OvSeverity) */
	gboolean io_failed; /* a file could not be read or written (exit status 3, not 1) */
	gboolean usage_failed; /* the command line named something that is not there (exit 2) */
	GHashTable *seen;   /* every message once */
} OvDiags;

void ov_diags_init(OvDiags *d);
void ov_diags_clear(OvDiags *d);
void ov_diag(OvDiags *d, OvSeverity sev, OvLoc loc, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
#define ov_error(d, loc, ...) ov_diag((d), OV_ERROR, (loc), __VA_ARGS__)
#define ov_warn(d, loc, ...) ov_diag((d), OV_WARNING, (loc), __VA_ARGS__)
/* Format one diagnostic as it is printed (without newline). */
char *ov_diag_format(const OvDiag *dg);
/* Report from's diagnostics again into d, in order: what d has seen already is dropped and
 * d's limit applies (to merge the diagnostics of work done in another thread). */
void ov_diags_append(OvDiags *d, const OvDiags *from);
/* TRUE when the run must fail: an error, or a warning under --strict. */
gboolean ov_diags_failed(const OvDiags *d);

#endif
