/* pdf.c: placeholder until the PDF back end lands. */
#include "pdf.h"

gboolean
ov_pdf_write(const OvDoc *doc, const OvTheme *theme, const char *path, const OvPdfOptions *o, OvDiags *d)
{
	(void)doc;
	(void)theme;
	(void)o;
	ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: the PDF back end is not there yet", path);
	return FALSE;
}
