/* fuzz-image: the image reader. Any bytes as an image file a book shows: octavo's own checks
 * of it (the type sniffed from the bytes, a JPEG's markers and baseline Huffman data, EXIF
 * orientation, a PNG's chunks, an SVG's outside references, nesting and data: images, the size
 * limits), then, for an image it accepts, a draw into a small PDF surface as a page does. */
#include <stdint.h>
#include <cairo-pdf.h>
#include "fuzz.h"
#include "docbook.h"
#include "image.h"

static const char book[] =
	"<book xmlns='http://docbook.org/ns/docbook' version='5.0'><title>Fuzz</title><chapter><title>C</title>"
	"<figure><title>F</title><mediaobject><imageobject><imagedata fileref='img/fuzz'/></imageobject>"
	"</mediaobject></figure></chapter></book>";

static char *book_path;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cairo_status_t
discard(void *closure, const unsigned char *data, unsigned int length)
{
	return CAIRO_STATUS_SUCCESS;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	book_path = fuzz_file("book.xml", (const uint8_t *)book, sizeof book - 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("img/fuzz", data, size);
	OvDiags d;
	OvDoc *doc;
	OvIter it;
	OvNode *n;

	ov_diags_init(&d);
	doc = ov_docbook_read(book_path, &d);
	if (doc == NULL)
		abort(); /* the fixed book always reads */
	ov_iter_init(&it, doc->root);
	while (ov_iter_next(&it) != OV_EV_NONE) {
		OvImage *img;
		n = it.cur;
		if (it.ev != OV_EV_ENTER || n->type != OV_IMAGE || (img = ov_image_load(doc, n, &d)) == NULL)
			continue;
		cairo_surface_t *s = cairo_pdf_surface_create_for_stream(discard, NULL, 200, 200);
		cairo_t *cr = cairo_create(s);
		GError *err = NULL;
		if (!ov_image_draw(cr, img, 10, 10, 180, 90, &err))
			g_clear_error(&err);
		cairo_destroy(cr);
		cairo_surface_finish(s);
		cairo_surface_destroy(s);
		ov_image_free(img);
	}
	ov_doc_free(doc);
	for (guint i = 0; i < d.list->len; i++)
		g_free(ov_diag_format(&g_array_index(d.list, OvDiag, i)));
	ov_diags_clear(&d);
	g_free(path);
	return 0;
}
