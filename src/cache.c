/* cache.c: the cache's files (see cache.h). A file: the magic line, the id, a CRC-32 of the data
 * in eight hex digits and a newline, then the data. */
#include <string.h>
#include <glib/gstdio.h>
#include <zlib.h>
#include "cache.h"

#define MAX_CACHE_FILE (256 * 1024 * 1024)

gboolean
ov_cache_enabled(void)
{
	return g_getenv("OCTAVO_NO_CACHE") == NULL;
}

static char *
cache_file(const char *dir, const char *name)
{
	return g_build_filename(g_get_user_cache_dir(), "octavo", dir, name, NULL);
}

static void
crc_hex(char out[9], const char *data, gsize len)
{
	g_snprintf(out, 9, "%08lx", crc32(0, (const Bytef *)data, (uInt)len));
}

GBytes *
ov_cache_get(const char *dir, const char *name, const char *magic, const char *id)
{
	char *file, *data = NULL, crc[9];
	gsize len = 0, head = strlen(magic) + strlen(id) + 9;
	GBytes *all, *res = NULL;
	GStatBuf sb;

	if (!ov_cache_enabled())
		return NULL;
	file = cache_file(dir, name);
	/* a plain file of a sane size only: not a FIFO to wait on, nor a link to /dev/zero */
	if (g_stat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > MAX_CACHE_FILE ||
	    !g_file_get_contents(file, &data, &len, NULL) || len < head) {
		g_free(data);
		g_free(file);
		return NULL;
	}
	g_free(file);
	all = g_bytes_new_take(data, len);
	crc_hex(crc, data + head, len - head);
	if (memcmp(data, magic, strlen(magic)) == 0 && memcmp(data + strlen(magic), id, strlen(id)) == 0 &&
	    memcmp(data + head - 9, crc, 8) == 0 && data[head - 1] == '\n')
		res = g_bytes_new_from_bytes(all, head, len - head);
	g_bytes_unref(all);
	return res;
}

void
ov_cache_put(const char *dir, const char *name, const char *magic, const char *id, const void *data, gsize len)
{
	GString *s;
	char *file, *folder, crc[9];

	if (!ov_cache_enabled() || len > MAX_CACHE_FILE / 2)
		return;
	s = g_string_new(magic);
	g_string_append(s, id);
	crc_hex(crc, data, len);
	g_string_append_len(s, crc, 8);
	g_string_append_c(s, '\n');
	g_string_append_len(s, data, (gssize)len);
	file = cache_file(dir, name);
	folder = g_path_get_dirname(file);
	if (g_mkdir_with_parents(folder, 0700) == 0)
		g_file_set_contents(file, s->str, (gssize)s->len, NULL);
	g_free(folder);
	g_free(file);
	g_string_free(s, TRUE);
}
