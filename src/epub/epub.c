/* epub.c: placeholder until the EPUB back end lands. */
#include "epub.h"

gboolean
ov_epub_write(const OvDoc *doc, const OvTheme *theme, const char *path, OvDiags *d)
{
	(void)doc;
	(void)theme;
	ov_error(d, ov_loc(NULL, 0, 0), "cannot write %s: the EPUB back end is not there yet", path);
	return FALSE;
}
