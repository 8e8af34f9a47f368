/* fuzz.h: what the libFuzzer harnesses share: a private folder for the files a harness must
 * hand to octavo by path (the reader confines itself to a book's folder), and quiet diags.
 * Each harness is one C file that includes this and defines LLVMFuzzerTestOneInput. */
#ifndef OCTAVO_FUZZ_H
#define OCTAVO_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

/* The harness's folder (in /dev/shm when it exists: no disk writes per execution), made once
 * and holding the fixture files XIncludes and images may name: part.xml, note.txt, img/. */
static char *fuzz_dir;

static void
fuzz_copy(const char *from, const char *to)
{
	char *buf = NULL, *dst = g_build_filename(fuzz_dir, to, NULL);
	gsize n = 0;
	if (g_file_get_contents(from, &buf, &n, NULL))
		g_file_set_contents(dst, buf, (gssize)n, NULL);
	g_free(buf);
	g_free(dst);
}

static void
fuzz_setup(void)
{
	const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
	char *tmpl = g_build_filename(base, "octavo-fuzz-XXXXXX", NULL);
	char *img;

	if (fuzz_dir)
		return;
	fuzz_dir = g_mkdtemp(tmpl);
	if (fuzz_dir == NULL)
		abort();
	img = g_build_filename(fuzz_dir, "img", NULL);
	g_mkdir(img, 0700);
	g_free(img);
	/* run from the top of the source tree (make fuzz does) */
	fuzz_copy("tests/docs/img/dot.png", "img/dot.png");
	fuzz_copy("tests/docs/img/dot.jpg", "img/dot.jpg");
	fuzz_copy("tests/docs/img/shape.svg", "img/shape.svg");
	fuzz_copy("tests/docs/xinclude-part.xml", "part.xml");
	fuzz_copy("tests/docs/xinclude-text.txt", "note.txt");
	/* the data folder (styles/, fonts/, docs/schema): the source tree */
	if (!g_getenv("OCTAVO_DATADIR")) {
		char *cwd = g_get_current_dir();
		g_setenv("OCTAVO_DATADIR", cwd, TRUE);
		g_free(cwd);
	}
	g_setenv("SOURCE_DATE_EPOCH", "1700000000", TRUE);
}

/* Write the input to NAME in the harness's folder; the path, to g_free. */
static char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	char *path = g_build_filename(fuzz_dir, name, NULL);
	if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
		abort();
	return path;
}

#endif
