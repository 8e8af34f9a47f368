/* fuzz-reader: the reader and resolve stage. Any bytes as a book: ov_docbook_read (XInclude,
 * entities, the walk, whitespace), ov_resolve, ov_dump, and the schema validation of `check`.
 * Must never crash, hang, leak or touch a file outside its folder. */
#include <stdint.h>
#include "fuzz.h"
#include "docbook.h"
#include "resolve.h"
#include "dump.h"
#include "theme.h"

static OvTheme *theme;
static FILE *devnull;
static char *rng;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	theme = ov_theme_default();
	devnull = fopen("/dev/null", "w");
	rng = g_build_filename(ov_data_dir(), "docs", "schema", "octavo.rng", NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("book.xml", data, size);
	OvDiags d;
	OvDoc *doc;

	ov_diags_init(&d);
	doc = ov_docbook_read(path, &d);
	if (doc) {
		ov_resolve(doc, theme, &d);
		ov_dump(doc, devnull);
		if (!ov_diags_failed(&d))
			ov_docbook_validate(path, rng, &d);
		ov_doc_free(doc);
	}
	for (guint i = 0; i < d.list->len; i++) /* every message formats */
		g_free(ov_diag_format(&g_array_index(d.list, OvDiag, i)));
	ov_diags_clear(&d);
	g_free(path);
	return 0;
}
