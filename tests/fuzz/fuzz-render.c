/* fuzz-render: both back ends on the resolved model. Any bytes as a book; when it reads and
 * resolves without error, the EPUB and the PDF are written (to files in the harness's
 * folder, which holds a PNG, a JPEG and an SVG for images to name). */
#include <stdint.h>
#include "fuzz.h"
#include "docbook.h"
#include "resolve.h"
#include "theme.h"
#include "build.h"

static OvTheme *theme, *plain;
static char *epub_path, *pdf_path;

/* libhyphen takes 6 s to load the German patterns (a minute under ASan), once per PDF: an
 * input that names German is set without hyphenation, so the fuzzer keeps moving. The
 * patterns themselves are not input. */
static gboolean
names_german(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 8 <= size; i++)
		if (!g_ascii_strncasecmp((const char *)data + i, "lang=", 5) &&
		    (data[i + 5] == '"' || data[i + 5] == '\'') && !g_ascii_strncasecmp((const char *)data + i + 6, "de", 2))
			return TRUE;
	return FALSE;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	OvDiags d;
	fuzz_setup();
	ov_diags_init(&d);
	theme = ov_theme_load("brochure", &d);
	plain = ov_theme_load("brochure", &d);
	ov_diags_clear(&d);
	if (theme == NULL || plain == NULL)
		abort();
	plain->hyphenate = FALSE;
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
	const OvTheme *th = names_german(data, size) ? plain : theme;

	ov_diags_init(&d);
	doc = ov_docbook_read(path, &d);
	if (doc) {
		ov_resolve(doc, th, &d);
		if (!ov_diags_failed(&d)) {
			OvBuildOptions bo = { 0 };
			bo.epub = epub_path;
			bo.pdf = pdf_path;
			ov_build(doc, th, &bo, &d); /* typeset (page passes), EPUB, PDF, all or nothing */
		}
		ov_doc_free(doc);
	}
	ov_diags_clear(&d);
	g_free(path);
	return 0;
}
