/* deflate.c: see deflate.h. */
#include <string.h>
#include <zlib.h>
#include "deflate.h"

GBytes *
ov_deflate(const void *data, gsize len, gboolean raw, int strategy)
{
	z_stream zs;
	guint8 *out;
	uLong bound;
	gboolean ok;

	memset(&zs, 0, sizeof zs);
	if (len > G_MAXUINT32 / 2 || deflateInit2(&zs, 6, Z_DEFLATED, raw ? -MAX_WBITS : MAX_WBITS, MAX_MEM_LEVEL, strategy) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)len);
	out = g_malloc(bound);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	ok = deflate(&zs, Z_FINISH) == Z_STREAM_END;
	deflateEnd(&zs);
	if (!ok) {
		g_free(out);
		return NULL;
	}
	/* the bound is about the input's size: an entry kept until the archive is written holds
	 * only what it needs */
	return g_bytes_new_take(g_realloc(out, MAX(zs.total_out, 1)), zs.total_out);
}
