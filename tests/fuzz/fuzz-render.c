/* fuzz-render: both back ends on the resolved model. Any bytes as a book; when it reads and
 * resolves without error, the EPUB and the PDF are written (to files in the harness's
 * folder, which holds a PNG, a JPEG and an SVG for images to name). */
#include <stdint.h>
#include "fuzz.h"
#include "docbook.h"
#include "resolve.h"
#include "theme.h"
#include "epub/epub.h"
#include "pdf/pdf.h"

static OvTheme *theme;
static char *epub_path, *pdf_path;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	OvDiags d;
	fuzz_setup();
	ov_diags_init(&d);
	theme = ov_theme_load("brochure", &d);
	ov_diags_clear(&d);
	if (theme == NULL)
		abort();
	epub_path = g_build_filename(fuzz_dir, "out.epub", NULL);
	pdf_path = g_build_filename(fuzz_dir, "out.pdf", NULL);
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
		if (!ov_diags_failed(&d)) {
			OvPdfOptions po = { NULL, 96, NULL };
			ov_epub_write(doc, theme, epub_path, &d);
			ov_pdf_write(doc, theme, pdf_path, &po, &d);
		}
		ov_doc_free(doc);
	}
	ov_diags_clear(&d);
	g_free(path);
	return 0;
}
