/* diag.c: diagnostics. */
#include <stdio.h>
#include "diag.h"

void
ov_diags_init(OvDiags *d)
{
	d->list = g_array_new(FALSE, TRUE, sizeof(OvDiag));
	d->errors = d->warnings = 0;
	d->kept[OV_WARNING] = d->kept[OV_ERROR] = 0;
	d->strict = FALSE;
	d->echo = FALSE;
	d->limit = 1000;
	d->io_failed = FALSE;
	d->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d->usage_failed = FALSE;
}

void
ov_diags_clear(OvDiags *d)
{
	if (d->list == NULL)
		return;
	for (guint i = 0; i < d->list->len; i++)
	{
		g_free(g_array_index(d->list, OvDiag, i).msg);
		g_free((char *)g_array_index(d->list, OvDiag, i).loc.file);
	}
	g_array_free(d->list, TRUE);
	d->list = NULL;
	g_hash_table_destroy(d->seen);
}

char *
ov_diag_format(const OvDiag *dg)
{
	const char *sev = dg->severity == OV_ERROR ? "error" : "warning";
	if (dg->loc.file == NULL)
		return g_strdup_printf("octavo: %s: %s", sev, dg->msg);
	if (dg->loc.line == 0)
		return g_strdup_printf("%s: %s: %s", dg->loc.file, sev, dg->msg);
	return g_strdup_printf("%s:%u:%u: %s: %s", dg->loc.file, dg->loc.line, dg->loc.col, sev, dg->msg);
}

void
ov_diag(OvDiags *d, OvSeverity sev, OvLoc loc, const char *fmt, ...)
{
	OvDiag dg = { sev, loc, NULL };
	va_list ap;
	char *msg, *key;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* the same problem met again (say, by both back ends) is reported once */
	key = g_strdup_printf("%d\x1f%s\x1f%u\x1f%u\x1f%s", sev, loc.file ? loc.file : "", loc.line, loc.col, msg);
	if (!g_hash_table_add(d->seen, key)) {
		g_free(msg);
		return;
	}
	if (sev == OV_ERROR)
		d->errors++;
	else
		d->warnings++;
	/* warnings and errors each up to the limit: a flood of warnings hides no error */
	if (d->limit && d->kept[sev] >= d->limit) {
		if (d->kept[sev]++ == d->limit) {
			OvDiag more = { sev, { NULL, 0, 0 }, g_strdup(sev == OV_ERROR ? "too many errors; the rest are not shown"
										 : "too many warnings; the rest are not shown") };
			g_array_append_val(d->list, more);
			if (d->echo) {
				char *s = ov_diag_format(&more);
				fprintf(stderr, "%s\n", s);
				g_free(s);
			}
		}
		g_free(msg);
		return;
	}
	d->kept[sev]++;
	dg.loc.file = g_strdup(loc.file); /* the diagnostic may outlive the document */
	dg.msg = msg;
	g_array_append_val(d->list, dg);
	if (d->echo) {
		char *s = ov_diag_format(&dg);
		fprintf(stderr, "%s\n", s);
		g_free(s);
	}
}

gboolean
ov_diags_failed(const OvDiags *d)
{
	return d->errors > 0 || (d->strict && d->warnings > 0);
}

void
ov_diags_append(OvDiags *d, const OvDiags *from)
{
	for (guint i = 0; i < from->list->len; i++) {
		const OvDiag *dg = &g_array_index(from->list, OvDiag, i);
		ov_diag(d, dg->severity, dg->loc, "%s", dg->msg);
	}
	d->io_failed = d->io_failed || from->io_failed;
	d->usage_failed = d->usage_failed || from->usage_failed;
}
