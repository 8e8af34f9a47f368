/* report.c: `octavo build --report FILE`: how well the PDF is set, as JSON.
 *
 * Per paragraph placed: lines, hyphenated lines, the longest run of consecutive hyphenated
 * lines, overfull lines, the breaking pass that set it, and the adjustment ratio of each
 * justified line (the spaces' stretch or shrink, from -1 to the tolerance's ~1.26 and, in
 * the emergency pass, beyond). In total the same, the spread of interword spacing (standard
 * deviation of the ratios and of the spaces in em), widows, orphans and lonely headings. */
#include <math.h>
#include "layout.h"

struct Report {
	GString *paras;         /* JSON objects, comma separated */
	int npara, lines, justified, hyphenated, max_run, overfull, widows, orphans, lonely;
	int passes[4];
	double r_sum, r_sq, s_sum, s_sq;
};

Report *
ov_report_new(void)
{
	Report *r = g_new0(Report, 1);
	r->paras = g_string_new(NULL);
	return r;
}

void
ov_report_free(Report *r)
{
	if (r == NULL)
		return;
	g_string_free(r->paras, TRUE);
	g_free(r);
}

struct ReportMark {
	Report r;
	gsize len;
};

/* What the report holds now, to go back to when a placed paragraph is set again. */
ReportMark *
ov_report_mark(Layout *lo)
{
	ReportMark *m;
	if (lo->report == NULL)
		return NULL;
	m = g_new(ReportMark, 1);
	m->r = *lo->report;
	m->len = lo->report->paras->len;
	return m;
}

/* Back to the mark (and free it). */
void
ov_report_rewind(Layout *lo, ReportMark *m)
{
	Report *r = lo->report;
	GString *paras;
	if (r == NULL || m == NULL)
		return;
	paras = r->paras;
	*r = m->r;
	r->paras = paras;
	g_string_truncate(paras, m->len);
	g_free(m);
}

static void
json_str(GString *s, const char *t)
{
	g_string_append_c(s, '"');
	for (; t && *t; t++) {
		if (*t == '"' || *t == '\\')
			g_string_append_printf(s, "\\%c", *t);
		else if ((unsigned char)*t < 0x20)
			g_string_append_printf(s, "\\u%04x", *t);
		else
			g_string_append_c(s, *t);
	}
	g_string_append_c(s, '"');
}

void
ov_report_para(Layout *lo, const Para *p, int page)
{
	Report *r = lo->report;
	int hy = 0, run = 0, max_run = 0, over = 0, pass = 0;
	GString *ratios;
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (r == NULL)
		return;
	ratios = g_string_new(NULL); /* not before: with no report, every paragraph leaked one */
	for (guint i = 0; i < p->lines->len; i++) {
		const OvLine *ln = g_ptr_array_index(p->lines, i);
		run = ln->hyphen ? run + 1 : 0;
		max_run = MAX(max_run, run);
		hy += ln->hyphen;
		over += ln->overfull;
		pass = MAX(pass, ln->pass);
		if (ln->justified && ln->nglue > 0) {
			double em = ln->space / ln->size;
			r->justified++;
			r->r_sum += ln->ratio;
			r->r_sq += ln->ratio * ln->ratio;
			r->s_sum += em;
			r->s_sq += em * em;
			g_string_append_printf(ratios, "%s%s", ratios->len ? "," : "",
					       g_ascii_formatd(buf, sizeof buf, "%.3f", ln->ratio));
		}
	}
	r->npara++;
	r->lines += (int)p->lines->len;
	r->hyphenated += hy;
	r->max_run = MAX(r->max_run, max_run);
	r->overfull += over;
	r->passes[MIN(pass, 3)]++;
	g_string_append_printf(r->paras, "%s\n    {\"at\": ", r->paras->len ? "," : "");
	if (p->node) {
		char *at = g_strdup_printf("%s:%d:%d", p->node->loc.file ? p->node->loc.file : "", p->node->loc.line,
					   p->node->loc.col);
		json_str(r->paras, at);
		g_free(at);
	} else
		g_string_append(r->paras, "null");
	g_string_append_printf(r->paras,
			       ", \"page\": %d, \"lines\": %u, \"hyphenated\": %d, \"max_consecutive_hyphenated\": %d, "
			       "\"overfull\": %d, \"pass\": %d, \"ratios\": [%s]}",
			       page + 1, p->lines->len, hy, max_run, over, pass, ratios->str);
	g_string_free(ratios, TRUE);
}

void
ov_report_count(Layout *lo, ReportEvent ev)
{
	Report *r = lo->report;
	if (r == NULL)
		return;
	if (ev == REPORT_WIDOW)
		r->widows++;
	else if (ev == REPORT_ORPHAN)
		r->orphans++;
	else
		r->lonely++;
}

static double
sd(double sum, double sq, int n)
{
	double m = n ? sum / n : 0;
	return n > 1 ? sqrt(MAX(0, sq / n - m * m)) : 0;
}

gboolean
ov_report_write(Layout *lo, const char *path, OvDiags *d)
{
	Report *r = lo->report;
	GString *s = g_string_new("{\n");
	gboolean ok;
	int n = r->justified;
	char b[4][G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append(s, "  \"breaking\": ");
	json_str(s, lo->th->greedy ? "greedy" : "total-fit");
	g_string_append(s, ",\n  \"theme\": ");
	json_str(s, lo->th->name);
	g_string_append_printf(s, ",\n  \"letter_spacing_em\": %s",
			       g_ascii_formatd(b[0], sizeof b[0], "%.4f", lo->th->letter_space / lo->th->body_size));
	g_string_append_printf(s,
			       ",\n  \"total\": {\"paragraphs\": %d, \"lines\": %d, \"justified_lines\": %d, "
			       "\"hyphenated_lines\": %d, \"max_consecutive_hyphenated\": %d, \"overfull_lines\": %d, "
			       "\"ratio_mean\": %s, \"ratio_sd\": %s, \"space_mean_em\": %s, \"space_sd_em\": %s, "
			       "\"widows\": %d, \"orphans\": %d, \"lonely_headings\": %d, "
			       "\"paragraphs_by_pass\": [%d, %d, %d, %d]},\n  \"paragraphs\": [",
			       r->npara, r->lines, n, r->hyphenated, r->max_run, r->overfull,
			       g_ascii_formatd(b[0], sizeof b[0], "%.4f", n ? r->r_sum / n : 0),
			       g_ascii_formatd(b[1], sizeof b[1], "%.4f", sd(r->r_sum, r->r_sq, n)),
			       g_ascii_formatd(b[2], sizeof b[2], "%.4f", n ? r->s_sum / n : 0),
			       g_ascii_formatd(b[3], sizeof b[3], "%.4f", sd(r->s_sum, r->s_sq, n)), r->widows, r->orphans,
			       r->lonely, r->passes[0], r->passes[1], r->passes[2], r->passes[3]);
	g_string_append(s, r->paras->str);
	g_string_append(s, "\n  ]\n}\n");
	ok = ov_pdf_save_text(path, s, d);
	g_string_free(s, TRUE);
	return ok;
}
