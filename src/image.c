/* image.c: image files: confinement to the book's folder, type by content, intrinsic size. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <zlib.h>
#include "image.h"
#include "deflate.h"
#include "fonts.h"

/* librsvg and gdk-pixbuf are loaded when an image first needs them: linked, their relocations
 * cost every build about 5 ms of start-up, and a book without images needs neither. */
static struct {
	__typeof__(rsvg_handle_new_from_data) *rsvg_new_from_data;
	__typeof__(rsvg_handle_get_intrinsic_size_in_pixels) *rsvg_get_intrinsic_size_in_pixels;
	__typeof__(rsvg_handle_get_geometry_for_layer) *rsvg_get_geometry_for_layer;
	__typeof__(rsvg_handle_render_document) *rsvg_render_document;
	__typeof__(rsvg_handle_set_dpi) *rsvg_set_dpi;
	__typeof__(rsvg_handle_get_intrinsic_dimensions) *rsvg_get_intrinsic_dimensions;
	__typeof__(gdk_pixbuf_loader_new) *pb_loader_new;
	__typeof__(gdk_pixbuf_loader_write) *pb_loader_write;
	__typeof__(gdk_pixbuf_loader_close) *pb_loader_close;
	__typeof__(gdk_pixbuf_loader_get_pixbuf) *pb_loader_get_pixbuf;
	__typeof__(gdk_pixbuf_get_width) *pb_get_width;
	__typeof__(gdk_pixbuf_get_height) *pb_get_height;
	__typeof__(gdk_pixbuf_get_n_channels) *pb_get_n_channels;
	__typeof__(gdk_pixbuf_get_rowstride) *pb_get_rowstride;
	__typeof__(gdk_pixbuf_read_pixels) *pb_read_pixels;
	__typeof__(gdk_pixbuf_get_bits_per_sample) *pb_get_bits_per_sample;
	gboolean ok;
	char *why;   /* dlerror's, when not ok */
} L;

static gboolean
image_libs(GError **err)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		void *rsvg = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
		void *pb = rsvg ? dlopen("libgdk_pixbuf-2.0.so.0", RTLD_NOW | RTLD_LOCAL) : NULL;
		L.ok = pb != NULL;
#define SYM(lib, field, name) (L.field = dlsym(lib, name)) != NULL
		L.ok = L.ok && SYM(rsvg, rsvg_new_from_data, "rsvg_handle_new_from_data") &&
		       SYM(rsvg, rsvg_get_intrinsic_size_in_pixels, "rsvg_handle_get_intrinsic_size_in_pixels") &&
		       SYM(rsvg, rsvg_get_geometry_for_layer, "rsvg_handle_get_geometry_for_layer") &&
		       SYM(rsvg, rsvg_render_document, "rsvg_handle_render_document") &&
		       SYM(rsvg, rsvg_set_dpi, "rsvg_handle_set_dpi") &&
		       SYM(rsvg, rsvg_get_intrinsic_dimensions, "rsvg_handle_get_intrinsic_dimensions") &&
		       SYM(pb, pb_loader_new, "gdk_pixbuf_loader_new") &&
		       SYM(pb, pb_loader_write, "gdk_pixbuf_loader_write") &&
		       SYM(pb, pb_loader_close, "gdk_pixbuf_loader_close") &&
		       SYM(pb, pb_loader_get_pixbuf, "gdk_pixbuf_loader_get_pixbuf") &&
		       SYM(pb, pb_get_width, "gdk_pixbuf_get_width") &&
		       SYM(pb, pb_get_height, "gdk_pixbuf_get_height") &&
		       SYM(pb, pb_get_n_channels, "gdk_pixbuf_get_n_channels") &&
		       SYM(pb, pb_get_rowstride, "gdk_pixbuf_get_rowstride") &&
		       SYM(pb, pb_read_pixels, "gdk_pixbuf_read_pixels") &&
		       SYM(pb, pb_get_bits_per_sample, "gdk_pixbuf_get_bits_per_sample");
#undef SYM
		if (!L.ok)
			L.why = g_strdup(dlerror());
		g_once_init_leave(&done, 1);
	}
	if (!L.ok)
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "librsvg or gdk-pixbuf cannot be loaded (%s)", L.why ? L.why : "?");
	return L.ok;
}

#define MAX_IMAGE_BYTES (64 * 1024 * 1024)
#define MAX_IMAGE_SIDE 30000
/* decoded, an image of 50 megapixels takes 200 MB: a header claiming more is refused before
 * anything is decoded */
#define MAX_IMAGE_PIXELS (50.0 * 1000 * 1000)

gboolean
ov_image_is_remote(const char *fileref)
{
	const char *p = fileref;
	if (p == NULL || !g_ascii_isalpha(*p))
		return FALSE;
	while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':' && p - fileref > 1;
}

static guint32
be32(const guchar *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* Size from the PNG header. */
static gboolean
png_size(const guchar *b, gsize n, double *w, double *h)
{
	if (n < 33 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) || memcmp(b + 12, "IHDR", 4))
		return FALSE;
	*w = be32(b + 16);
	*h = be32(b + 20);
	return TRUE;
}

/* ---- JPEG: what its markers say, and is its image data whole ---- */

typedef struct {
	double w, h;
	int components;     /* of the frame: 1 grey, 3 YCbCr (or RGB), 4 CMYK or YCCK */
	int orientation;    /* EXIF, 1 (as stored) to 8 */
	const char *damage; /* after a full scan: why the file is broken, or NULL */
} JpegInfo;

static guint
be16(const guchar *p)
{
	return (guint)p[0] << 8 | p[1];
}

/* The orientation in an APP1 segment's EXIF data (the segment's bytes after its length), or 1. */
static int
exif_orientation(const guchar *p, gsize n)
{
	const guchar *t = p + 6;
	gsize tn, ifd;
	gboolean le;
	if (n < 6 + 8 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	tn = n - 6;
	if (memcmp(t, "II", 2) != 0 && memcmp(t, "MM", 2) != 0)
		return 1;
	le = t[0] == 'I';
#define G16(q) (le ? (guint)(q)[0] | (guint)(q)[1] << 8 : be16(q))
#define G32(q) (le ? (guint32)G16(q) | (guint32)G16((q) + 2) << 16 : be32(q))
	ifd = G32(t + 4);
	if (ifd > tn - 2)
		return 1;
	for (guint k = 0, count = G16(t + ifd); k < count && ifd + 2 + 12 * (gsize)(k + 1) <= tn; k++) {
		const guchar *e = t + ifd + 2 + 12 * k;
		if (G16(e) == 0x0112 && G16(e + 2) == 3) { /* Orientation, a SHORT */
			guint o = G16(e + 8);
			return o >= 1 && o <= 8 ? (int)o : 1;
		}
	}
#undef G16
#undef G32
	return 1;
}

typedef struct {
	int maxcode[18], valptr[17], mincode[17];
	guchar vals[256];
	gboolean set;
} Huff;

typedef struct {
	const guchar *b;
	gsize n, i;
	guint acc;
	int bits;
} Bits;

/* The next bit of entropy-coded data; -1 at a marker (or the end of the file). */
static int
next_bit(Bits *r)
{
	if (r->bits == 0) {
		if (r->i >= r->n || (r->b[r->i] == 0xFF && (r->i + 1 >= r->n || r->b[r->i + 1] != 0x00)))
			return -1;
		r->acc = r->b[r->i];
		r->i += r->acc == 0xFF ? 2 : 1; /* FF 00 stands for FF */
		r->bits = 8;
	}
	r->bits--;
	return (int)(r->acc >> r->bits) & 1;
}

/* The next Huffman symbol: -1 at a marker, -2 for a code the table has not. */
static int
next_symbol(Bits *r, const Huff *t)
{
	int code = 0;
	for (int l = 1; l <= 16; l++) {
		int bit = next_bit(r);
		if (bit < 0)
			return -1;
		code = code << 1 | bit;
		if (code <= t->maxcode[l])
			return t->vals[t->valptr[l] + code - t->mincode[l]];
	}
	return -2;
}

static gboolean
skip_bits(Bits *r, int k)
{
	while (k-- > 0)
		if (next_bit(r) < 0)
			return FALSE;
	return TRUE;
}

/* A DHT segment's tables into dc[] and ac[]; FALSE if it is malformed. */
static gboolean
read_dht(const guchar *p, gsize n, Huff *dc, Huff *ac)
{
	while (n >= 17) {
		Huff *t = (p[0] >> 4 ? ac : dc) + (p[0] & 3);
		guint total = 0, code = 0, k = 0;
		if (p[0] >> 4 > 1 || (p[0] & 15) > 3)
			return FALSE;
		for (int l = 1; l <= 16; l++)
			total += p[l];
		if (total > 256 || n < 17 + total)
			return FALSE;
		for (int l = 1; l <= 16; l++) {
			t->valptr[l] = (int)k;
			t->mincode[l] = (int)code;
			code += p[l];
			k += p[l];
			t->maxcode[l] = p[l] ? (int)code - 1 : -1;
			if (code > (1u << l)) /* more codes than the length has */
				return FALSE;
			code <<= 1;
		}
		memcpy(t->vals, p + 17, total);
		t->set = TRUE;
		p += 17 + total;
		n -= 17 + total;
	}
	return n == 0;
}

typedef struct {
	guint w, h;
	int ncomp, id[4], hs[4], vs[4], hmax, vmax;
	guint restart;
	Huff dc[4], ac[4];
} Frame;

static gboolean
check_block(Bits *r, const Huff *dc, const Huff *ac, const char **why)
{
	int s = next_symbol(r, dc);
	if (s >= 0 && (s > 16 || !skip_bits(r, s)))
		s = s > 16 ? -2 : -1;
	for (int k = 1; s >= 0 && k < 64;) {
		int rs = next_symbol(r, ac);
		if (rs < 0) {
			s = rs;
			break;
		}
		if (rs & 15) {
			k += (rs >> 4) + 1;
			if (!skip_bits(r, rs & 15))
				s = -1;
		} else if (rs >> 4 == 15)
			k += 16;
		else
			break;
	}
	if (s == -1)
		*why = "its image data ends too soon";
	else if (s == -2)
		*why = "its image data holds a code its Huffman table has not";
	return s >= 0;
}

/* Decode, keeping nothing, the Huffman-coded blocks of a baseline scan whose data starts at
 * b[i] (sos: the SOS segment after its length): NULL if every block is there and every code
 * is in its table, else why not. libjpeg only warns of either ("premature end of data
 * segment", "bad Huffman code"), and gdk-pixbuf draws what it got, grey or garbled. */
static const char *
check_scan(const Frame *f, const guchar *sos, const guchar *b, gsize n, gsize i)
{
	int ns = sos[0], comp[4];
	guint64 mcus;
	Bits r = { b, n, i, 0, 0 };
	const char *why = NULL;

	if (ns < 1 || ns > 4 || f->ncomp < 1 || f->hmax < 1 || f->vmax < 1)
		return "a scan names no component";
	for (int k = 0; k < ns; k++) {
		int c = 0;
		while (c < f->ncomp && f->id[c] != sos[1 + 2 * k])
			c++;
		if (c == f->ncomp || !f->dc[sos[2 + 2 * k] >> 4 & 3].set || !f->ac[sos[2 + 2 * k] & 3].set)
			return "a scan names a component or a table that is not there";
		comp[k] = c;
	}
	if (ns == 1) { /* not interleaved: one block a unit, over the component's own size */
		guint64 cw = ((guint64)f->w * (guint64)f->hs[comp[0]] + (guint64)f->hmax - 1) / (guint64)f->hmax;
		guint64 ch = ((guint64)f->h * (guint64)f->vs[comp[0]] + (guint64)f->vmax - 1) / (guint64)f->vmax;
		mcus = ((cw + 7) / 8) * ((ch + 7) / 8);
	} else
		mcus = (((guint64)f->w + 8 * (guint64)f->hmax - 1) / (8 * (guint64)f->hmax)) *
		       (((guint64)f->h + 8 * (guint64)f->vmax - 1) / (8 * (guint64)f->vmax));
	for (guint64 m = 0; m < mcus; m++) {
		if (f->restart && m > 0 && m % f->restart == 0) { /* RSTn, after the bits' padding */
			r.bits = 0;
			while (r.i + 1 < n && b[r.i] == 0xFF && b[r.i + 1] == 0xFF)
				r.i++;
			if (r.i + 1 >= n || b[r.i] != 0xFF || b[r.i + 1] < 0xD0 || b[r.i + 1] > 0xD7)
				return "its image data ends too soon (a restart marker is missing)";
			r.i += 2;
		}
		for (int k = 0; k < ns; k++) {
			int c = comp[k], blocks = ns == 1 ? 1 : f->hs[c] * f->vs[c];
			for (int j = 0; j < blocks; j++)
				if (!check_block(&r, &f->dc[sos[2 + 2 * k] >> 4 & 3], &f->ac[sos[2 + 2 * k] & 3], &why))
					return why;
		}
	}
	return NULL;
}

/* Is a marker a frame header (SOF0 to SOF15; C4, C8 and CC are other things)? */
static gboolean
is_sof(guint marker)
{
	return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/* Read a JPEG's markers: its size, components and EXIF orientation. With full, go on to its
 * end: each segment whole, a baseline scan's blocks all there (check_scan), an EOI at the
 * end; info->damage says what is wrong. FALSE when the bytes are no JPEG (no SOI, no frame
 * header before the first scan). */
static gboolean
jpeg_scan(const guchar *b, gsize n, JpegInfo *info, gboolean full)
{
	static const char *const short_file = "the file ends too soon";
	gsize i = 2;
	gboolean frame = FALSE, baseline = FALSE;
	Frame *f = NULL;

	memset(info, 0, sizeof *info);
	info->orientation = 1;
	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return FALSE;
	if (full)
		f = g_new0(Frame, 1);
	for (;;) {
		guint marker, len;
		if (i + 2 > n) {
			info->damage = short_file;
			break;
		}
		if (b[i] != 0xFF) {
			if (!frame) /* no JPEG (as libjpeg sees it before a frame) */
				break;
			i++; /* libjpeg passes over stray bytes later with a warning: so does this */
			continue;
		}
		marker = b[i + 1];
		if (marker == 0xFF) { /* fill */
			i++;
			continue;
		}
		if (marker == 0xD9) /* EOI */
			break;
		if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
			i += 2;
			continue;
		}
		if (i + 4 > n || (len = be16(b + i + 2)) < 2 || i + 2 + len > n) {
			info->damage = i + 4 > n || i + 2 + be16(b + i + 2) > n ? short_file : "a segment has a bad length";
			if (!frame && is_sof(marker) && i + 9 <= n) /* a JPEG cut short: a damaged one */
				info->h = be16(b + i + 5), info->w = be16(b + i + 7), frame = TRUE;
			break;
		}
		if (is_sof(marker) && !frame) {
			if (len < 8) {
				info->damage = "its frame header is too short";
				break;
			}
			info->h = be16(b + i + 5);
			info->w = be16(b + i + 7);
			info->components = b[i + 9];
			frame = TRUE;
			baseline = marker <= 0xC1 && b[i + 4] == 8;
			if (!full)
				break; /* all before it is read: the EXIF comes first */
			f->w = (guint)info->w, f->h = (guint)info->h;
			f->ncomp = MIN(b[i + 9], 4);
			if (len < 8 + 3u * (guint)f->ncomp || b[i + 9] > 4)
				baseline = FALSE;
			else
				for (int c = 0; c < f->ncomp; c++) {
					f->id[c] = b[i + 10 + 3 * c];
					f->hs[c] = b[i + 11 + 3 * c] >> 4, f->vs[c] = b[i + 11 + 3 * c] & 15;
					f->hmax = MAX(f->hmax, f->hs[c]), f->vmax = MAX(f->vmax, f->vs[c]);
				}
		} else if (marker == 0xE1 && !frame)
			info->orientation = exif_orientation(b + i + 4, len - 2);
		else if (marker == 0xC4 && full && !read_dht(b + i + 4, len - 2, f->dc, f->ac))
			baseline = FALSE; /* libjpeg says what is wrong with it */
		else if (marker == 0xDD && full && len >= 4)
			f->restart = be16(b + i + 4);
		else if (marker == 0xDA) { /* SOS: its entropy-coded data follows, to the next marker */
			if (!frame) {
				g_free(f);
				return FALSE;
			}
			if (baseline && len >= 3 && len >= 6 + 2u * b[i + 4] &&
			    (info->damage = check_scan(f, b + i + 4, b, n, i + 2 + len)) != NULL)
				break;
			for (i += 2 + len; i + 1 < n; i++)
				if (b[i] == 0xFF && b[i + 1] != 0x00 && (b[i + 1] < 0xD0 || b[i + 1] > 0xD7) && b[i + 1] != 0xFF)
					break;
			if (i + 1 >= n) {
				info->damage = short_file;
				break;
			}
			continue;
		}
		i += 2 + len;
	}
	g_free(f);
	return frame;
}

static gboolean
gif_size(const guchar *b, gsize n, double *w, double *h)
{
	if (n < 10 || (memcmp(b, "GIF87a", 6) && memcmp(b, "GIF89a", 6)))
		return FALSE;
	*w = b[6] | b[7] << 8;
	*h = b[8] | b[9] << 8;
	return TRUE;
}

/* Has the SVG a text element: <text>, or <svg:text> with a prefix (either way "text" opens an
 * element's name)? Only then does librsvg set text, with Pango over fontconfig's current
 * configuration (ov_fonts_for_svg loads the system's fonts for it). */
static gboolean
svg_has_text(const guchar *b, gsize n)
{
	for (const guchar *p = b, *e = b + n; (p = memchr(p, 't', (gsize)(e - p))) != NULL && e - p >= 4; p++)
		if (p > b && (p[-1] == '<' || p[-1] == ':') && memcmp(p, "text", 4) == 0)
			return TRUE;
	return FALSE;
}

/* What sizing and drawing an SVG needs: its size in CSS px and, for one with neither a size
 * nor a viewBox of its own, where its drawing lies in its user space. */
typedef struct {
	double w, h;
	gboolean unsized;
	double x, y;
} SvgGeom;

/* The viewport an SVG with no size of its own is measured in (and drawn in: the same numbers) */
#define SVG_PROBE 100.0

/* A librsvg handle for an SVG at 96 dpi: CSS's pixel, which both back ends use (librsvg's
 * default, 90 dpi, would draw an SVG 80mm wide 75mm wide in the PDF, while a reading system
 * shows it 80mm wide; lengths in mm inside it would shrink alike). */
static RsvgHandle *
svg_handle(const guchar *b, gsize n, GError **err)
{
	RsvgHandle *rh;
	if (!image_libs(err))
		return NULL;
	if (svg_has_text(b, n))
		ov_fonts_for_svg();
	rh = L.rsvg_new_from_data(b, n, err);
	if (rh)
		L.rsvg_set_dpi(rh, 96);
	return rh;
}

static gboolean
svg_size(const guchar *b, gsize n, SvgGeom *g, GError **err)
{
	RsvgHandle *rh = svg_handle(b, n, err);
	gboolean ok;
	if (rh == NULL)
		return FALSE;
	memset(g, 0, sizeof *g);
	ok = L.rsvg_get_intrinsic_size_in_pixels(rh, &g->w, &g->h);
	if (!ok) {
		RsvgRectangle ink, logical, vb;
		RsvgLength lw, lh;
		gboolean has_w, has_h, has_vb;
		L.rsvg_get_intrinsic_dimensions(rh, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
		if (L.rsvg_get_geometry_for_layer(rh, NULL, &(RsvgRectangle){ 0, 0, SVG_PROBE, SVG_PROBE }, &ink, &logical, NULL)) {
			if (has_vb) { /* fitted into the viewport: drawn into any box of its shape */
				g->w = logical.width > 0 ? logical.width : 100;
				g->h = logical.height > 0 ? logical.height : 100;
			} else {
				/* no viewBox: librsvg draws it unscaled in its own user space, whatever the
				 * viewport; its size is what it draws, from its origin as a reading system
				 * shows it, and ov_image_draw maps that (not the viewport) into the box */
				RsvgRectangle r = ink.width > 0 && ink.height > 0 ? ink : logical;
				g->unsized = TRUE;
				if (r.x + r.width > 0 && r.y + r.height > 0)
					g->w = r.x + r.width, g->h = r.y + r.height;
				else if (r.width > 0 && r.height > 0)
					g->x = r.x, g->y = r.y, g->w = r.width, g->h = r.height;
				else
					g->w = g->h = 100;
			}
			ok = TRUE;
		}
	}
	g_object_unref(rh);
	return ok;
}

/* svg_size, once a run for each file's content: a book may show one figure many times, and
 * both back ends load it (from two threads when the EPUB is written beside the PDF). */
static gboolean
svg_size_once(const char *real, const guchar *b, gsize n, SvgGeom *g, GError **err)
{
	static GMutex lock;
	static GHashTable *sizes; /* "real path\nlength\nCRC-32" -> SvgGeom */
	char *key = g_strdup_printf("%s\n%" G_GSIZE_FORMAT "\n%08lx", real, n, crc32(0L, b, (uInt)n));
	SvgGeom *got;
	gboolean seen;

	g_mutex_lock(&lock);
	if (sizes == NULL)
		sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if ((seen = (got = g_hash_table_lookup(sizes, key)) != NULL))
		*g = *got;
	g_mutex_unlock(&lock);
	if (seen || !svg_size(b, n, g, err)) {
		g_free(key);
		return seen;
	}
	got = g_memdup2(g, sizeof *g);
	g_mutex_lock(&lock);
	g_hash_table_replace(sizes, key, got);
	g_mutex_unlock(&lock);
	return TRUE;
}

static gboolean
looks_svg(const guchar *b, gsize n)
{
	gsize m = MIN(n, 4096);
	for (gsize i = 0; i + 4 <= m; i++)
		if (!memcmp(b + i, "<svg", 4))
			return TRUE;
	return FALSE;
}

/* ---- is the file usable? ---- */

typedef struct {
	const guchar *p;
	gsize left;
} ByteReader;

static cairo_status_t
read_bytes(void *closure, unsigned char *data, unsigned int length)
{
	ByteReader *rd = closure;
	if (length > rd->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, rd->p, length);
	rd->p += length;
	rd->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

/* Does a raster image decode whole? NULL if it does, else why not (to g_free). gdk-pixbuf
 * (which draws JPEG and GIF) names most damage; Cairo's PNG reader (which draws PNG) also
 * refuses a truncated file, which gdk-pixbuf pads out. */
static char *
raster_problem(const OvImage *img)
{
	gsize n;
	const guchar *b = g_bytes_get_data(img->data, &n);
	GdkPixbufLoader *ld;
	GError *err = NULL;
	char *why = NULL;
	gboolean ok;

	if (!image_libs(&err)) {
		why = g_strdup(err->message);
		g_error_free(err);
		return why;
	}
	ld = L.pb_loader_new();
	ok = L.pb_loader_write(ld, b, n, &err);

	if (!L.pb_loader_close(ld, ok ? &err : NULL) || L.pb_loader_get_pixbuf(ld) == NULL)
		why = g_strdup(err ? err->message : "it cannot be decoded");
	g_clear_error(&err);
	g_object_unref(ld);
	if (why == NULL && img->type == OV_IMG_PNG) {
		ByteReader rd = { b, n };
		cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_bytes, &rd);
		cairo_status_t st = cairo_surface_status(s);
		if (st == CAIRO_STATUS_READ_ERROR)
			why = g_strdup("the file ends too soon");
		else if (st != CAIRO_STATUS_SUCCESS)
			why = g_strdup(cairo_status_to_string(st));
		cairo_surface_destroy(s);
	}
	return why;
}

static gboolean
local_ref(const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '"' || *v == '\'')
		v++;
	return *v == '\0' || *v == '#' || g_ascii_strncasecmp(v, "data:", 5) == 0;
}

/* Where needle (lower case) is in text, in any case, or NULL: CSS keywords and functions
 * (URL(, @IMPORT) are case-insensitive. */
static const char *
find_nocase(const char *text, const char *needle)
{
	gsize k = strlen(needle);
	for (const char *p = text; *p; p++)
		if (g_ascii_strncasecmp(p, needle, k) == 0)
			return p;
	return NULL;
}

/* The first url(...) (and, with imports, @import) in CSS text that leaves the SVG, or NULL. */
static char *
css_ref(const char *css, gboolean imports)
{
	const char *p = css;
	if (imports && find_nocase(css, "@import"))
		return g_strdup("@import");
	while ((p = find_nocase(p, "url(")) != NULL) {
		p += 4;
		if (!local_ref(p)) {
			const char *e = strchr(p, ')');
			return e ? g_strndup(p, (gsize)(e - p)) : g_strdup(p);
		}
	}
	return NULL;
}

/* What an SVG holds: its data: images, each as it would be decoded (librsvg decodes them
 * with no limit: a 560 KB file can hold a 12,000 px square PNG, 144 megapixels). */
typedef struct {
	int depth;     /* of SVGs in SVGs */
	double pixels; /* of all the rasters it holds */
	char *why;     /* the first thing wrong with them */
} SvgInside;

#define MAX_SVG_DEPTH 4
/* elements in an SVG nest at most this deep (librsvg recurses to draw them) */
#define MAX_SVG_NESTING 500

static char *svg_problem(const guchar *b, gsize n, SvgInside *in);

/* Check the bytes of one data: URI, uri[0 .. len) after "data:" (header, comma, payload):
 * a PNG, JPEG or GIF within the limits, or an SVG checked as the outer one is. image: the
 * URI is an <image>'s (or declares an image): anything else in it is refused too. */
static void
data_uri(const char *uri, gsize len, gboolean image, SvgInside *in)
{
	const char *comma = memchr(uri, ',', len);
	gsize hlen = comma ? (gsize)(comma - uri) : len, n = 0;
	guchar *bytes = NULL;
	double w, h;
	JpegInfo jpeg;

	if (in->why || comma == NULL)
		return;
	image = image || g_ascii_strncasecmp(uri, "image/", 6) == 0;
	if (hlen >= 7 && g_ascii_strncasecmp(comma - 7, ";base64", 7) == 0) {
		char *text = g_strndup(comma + 1, len - hlen - 1);
		bytes = g_base64_decode(text, &n); /* what is no base64 (spaces) is left out */
		g_free(text);
	} else {
		GBytes *u = g_uri_unescape_bytes(comma + 1, (gssize)(len - hlen - 1), NULL, NULL);
		if (u)
			bytes = g_bytes_unref_to_data(u, &n);
	}
	if (bytes == NULL)
		bytes = (guchar *)g_strdup(""), n = 0;
	if (png_size(bytes, n, &w, &h) || gif_size(bytes, n, &w, &h) ||
	    (jpeg_scan(bytes, n, &jpeg, FALSE) && (w = jpeg.w, h = jpeg.h, TRUE))) {
		if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE)
			in->why = g_strdup_printf("it holds an image of %.0f x %.0f pixels (at most %d a side)", w, h, MAX_IMAGE_SIDE);
		in->pixels += w * h;
	} else if (looks_svg(bytes, n)) {
		if (in->depth >= MAX_SVG_DEPTH)
			in->why = g_strdup_printf("it holds SVG images in SVG images more than %d deep", MAX_SVG_DEPTH);
		else {
			in->depth++;
			in->why = svg_problem(bytes, n, in);
			in->depth--;
		}
	} else if (image)
		in->why = g_strdup_printf("it holds an image (\"data:%.*s\") that is not a PNG, JPEG, GIF or SVG file", (int)MIN(hlen, 40), uri);
	g_free(bytes);
}

/* The data: URIs in an attribute's value or CSS text: the whole value (whole: an href) or
 * those in url(...). */
static void
data_uris(const char *v, gboolean whole, gboolean image, SvgInside *in)
{
	const char *p = v;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (whole) {
		if (g_ascii_strncasecmp(p, "data:", 5) == 0) {
			gsize len = strlen(p + 5);
			while (len > 0 && g_ascii_isspace(p[5 + len - 1]))
				len--;
			data_uri(p + 5, len, image, in);
		}
		return;
	}
	while (!in->why && (p = find_nocase(p, "url(")) != NULL) {
		char quote = 0;
		const char *e;
		p += 4;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '"' || *p == '\'')
			quote = *p++;
		if (g_ascii_strncasecmp(p, "data:", 5) != 0)
			continue;
		p += 5;
		e = quote ? strchr(p, quote) : strchr(p, ')');
		e = e ? e : p + strlen(p);
		data_uri(p, (gsize)(e - p), FALSE, in);
		p = e;
	}
}

/* ---- what an SVG draws, its <use> elements copied in ---- */

/* librsvg draws a <use> as a copy of what it names, and the <use>s in that as copies too: a
 * group of ten <use>s of a group of ten <use>s ... nine deep (a "use bomb" of 2 KB) is 10^9
 * elements. librsvg 2.54 gave up at its own limit (500,000 references) after 8 s and 440 MB,
 * and measuring one with no size of its own took 14 s. So before librsvg sees an SVG, what
 * it would draw is counted: an element is one, with what it holds and, for a <use>, what it
 * names. No real drawing comes near the limit: the largest SVG on the build machine (a logo
 * of 884 KB) draws 3,698 elements, the largest under /usr/share/doc 148; a symbol of 1,000
 * shapes used 1,000 times (1,002,001 elements) took librsvg 12.5 s and 950 MB to draw. */
#define MAX_SVG_EXPANDED 1000000

#define SVG_NS "http://www.w3.org/2000/svg"
#define XLINK_NS "http://www.w3.org/1999/xlink"

/* What an element (or an entity's content) draws, counted once and kept: a <use> of what was
 * counted before costs a look-up, so the whole count is one pass over the file's elements. */
typedef struct {
	guint32 count;  /* elements, the element's own included (at most MAX_SVG_EXPANDED) */
	guint32 height; /* levels, the element's own included */
	gboolean busy;  /* being counted: a <use> of it now refers to its own ancestor, a loop */
} Expansion;

typedef struct {
	GHashTable *ids;       /* id -> the first element with it (the one librsvg takes) */
	GStringChunk *id_text; /* the ids' text */
	GHashTable *entities;  /* an internal entity whose content is in the tree -> its index + 1 in counted, once counted */
	GArray *counted;       /* Expansion; an element's _private is its index + 1 */
	char *why;
} SvgExpand;

static gboolean
expand_deeper(SvgExpand *x)
{
	x->why = g_strdup_printf("its elements nest more than %d deep, with what its <use> elements refer to", MAX_SVG_NESTING);
	return FALSE;
}

/* The ids of the elements in a list of siblings and under them, also in the content of the
 * internal entities they refer to (librsvg puts it in place; libxml2, not asked to, leaves a
 * reference whose children are the entity, its content under it once for all references).
 * level: the siblings', the root's is 0 (svg_problem's walk has checked the tree's nesting,
 * not the entities'). */
static gboolean
svg_ids(SvgExpand *x, xmlDoc *doc, xmlNode *first, int level)
{
	if (level > MAX_SVG_NESTING)
		return expand_deeper(x);
	for (xmlNode *c = first; c; c = c->next) {
		if (c->type == XML_ENTITY_REF_NODE && c->children && c->children->type == XML_ENTITY_DECL) {
			xmlEntity *ent = (xmlEntity *)c->children;
			if (g_hash_table_contains(x->entities, ent))
				continue;
			g_hash_table_insert(x->entities, ent, NULL);
			if (!svg_ids(x, doc, ent->children, level))
				return FALSE;
		} else if (c->type == XML_ELEMENT_NODE) {
			for (xmlAttr *a = c->properties; a; a = a->next)
				if (a->ns == NULL && xmlStrEqual(a->name, (const xmlChar *)"id")) {
					xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
					if (v && !g_hash_table_contains(x->ids, v))
						g_hash_table_insert(x->ids, g_string_chunk_insert(x->id_text, (const char *)v), c);
					xmlFree(v);
				}
			if (c->children && !svg_ids(x, doc, c->children, level + 1))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean expand_nodes(SvgExpand *x, xmlNode *first, int level, guint64 *count, guint32 *height);

/* The element a <use> names ("#id" in its href, else in its xlink:href, as librsvg and
 * browsers take them), or NULL: not a <use>, or naming nothing in the file. *ref: the "#id"
 * it names (to g_free), when it names one. */
static xmlNode *
use_target(SvgExpand *x, xmlNode *e, char **ref)
{
	xmlChar *v;
	xmlNode *t = NULL;

	*ref = NULL;
	if (!xmlStrEqual(e->name, (const xmlChar *)"use") || (e->ns && !xmlStrEqual(e->ns->href, (const xmlChar *)SVG_NS)))
		return NULL;
	if ((v = xmlGetNoNsProp(e, (const xmlChar *)"href")) == NULL)
		v = xmlGetNsProp(e, (const xmlChar *)"href", (const xmlChar *)XLINK_NS);
	if (v) {
		*ref = g_strstrip(g_strdup((const char *)v));
		xmlFree(v);
		if (**ref == '#')
			t = g_hash_table_lookup(x->ids, *ref + 1);
	}
	return t;
}

/* What an element at level (the root's is 0) draws: *count elements, *height levels. FALSE,
 * with x->why, when that is too many, too deep, or it refers to itself. */
static gboolean
expand_element(SvgExpand *x, xmlNode *e, int level, guint64 *count, guint32 *height)
{
	const Expansion *m;

	if (e->_private == NULL) { /* not counted yet */
		guint i = x->counted->len;
		guint64 n = 0, tn = 0;
		guint32 h = 0, th = 0;
		xmlNode *t;
		char *ref;
		Expansion *got;

		if (level > MAX_SVG_NESTING)
			return expand_deeper(x);
		g_array_append_val(x->counted, ((Expansion){ 0, 0, TRUE }));
		e->_private = GUINT_TO_POINTER(i + 1);
		if (!expand_nodes(x, e->children, level + 1, &n, &h))
			return FALSE;
		if ((t = use_target(x, e, &ref)) != NULL) {
			/* drawn in the <use>'s place, a level under it */
			if (t->_private && g_array_index(x->counted, Expansion, GPOINTER_TO_UINT(t->_private) - 1).busy) {
				x->why = g_strdup_printf("its <use> elements refer to each other in a loop (\"%s\" is drawn inside itself)", ref);
				g_free(ref);
				return FALSE;
			}
			if (!expand_element(x, t, level + 1, &tn, &th)) {
				g_free(ref);
				return FALSE;
			}
		}
		g_free(ref);
		n += 1 + tn;
		if (n > MAX_SVG_EXPANDED) {
			x->why = g_strdup_printf("it would draw more than %d elements (each <use> as a copy of what it names)",
						 MAX_SVG_EXPANDED);
			return FALSE;
		}
		got = &g_array_index(x->counted, Expansion, i); /* the array may have moved */
		got->count = (guint32)n;
		got->height = 1 + MAX(h, th);
		got->busy = FALSE;
	}
	m = &g_array_index(x->counted, Expansion, GPOINTER_TO_UINT(e->_private) - 1);
	if (level + (guint64)m->height - 1 > MAX_SVG_NESTING)
		return expand_deeper(x);
	*count = m->count;
	*height = m->height;
	return TRUE;
}

/* What a list of siblings at level draws (with the content of the entities it refers to), added to
 * *count; *height: the most levels of any. */
static gboolean
expand_nodes(SvgExpand *x, xmlNode *first, int level, guint64 *count, guint32 *height)
{
	for (xmlNode *c = first; c; c = c->next) {
		guint64 n = 0;
		guint32 h = 0;
		if (c->type == XML_ELEMENT_NODE) {
			if (!expand_element(x, c, level, &n, &h))
				return FALSE;
		} else if (c->type == XML_ENTITY_REF_NODE && c->children && c->children->type == XML_ENTITY_DECL) {
			/* an entity's content, counted once (a billion laughs of entities with elements
			 * in them would be counted for ever); libxml2 refuses an entity inside itself */
			xmlEntity *ent = (xmlEntity *)c->children;
			guint i = GPOINTER_TO_UINT(g_hash_table_lookup(x->entities, ent));
			const Expansion *m;
			if (i == 0) {
				Expansion *got;
				i = x->counted->len + 1;
				g_array_append_val(x->counted, ((Expansion){ 0, 0, TRUE }));
				g_hash_table_insert(x->entities, ent, GUINT_TO_POINTER(i));
				if (!expand_nodes(x, ent->children, level, &n, &h))
					return FALSE;
				got = &g_array_index(x->counted, Expansion, i - 1);
				got->count = (guint32)n; /* at most MAX_SVG_EXPANDED, or it was refused */
				got->height = h;
				got->busy = FALSE;
			}
			m = &g_array_index(x->counted, Expansion, i - 1);
			if (m->busy || level + (guint64)m->height - 1 > MAX_SVG_NESTING)
				return expand_deeper(x);
			n = m->count, h = m->height;
		} else
			continue;
		*count += n;
		*height = MAX(*height, h);
		if (*count > MAX_SVG_EXPANDED) {
			x->why = g_strdup_printf("it would draw more than %d elements (each <use> as a copy of what it names)",
						 MAX_SVG_EXPANDED);
			return FALSE;
		}
	}
	return TRUE;
}

/* Why an SVG's tree (root: its root element) draws too much through its <use> elements, or
 * NULL. Its elements' _private is used (and left set: the tree is freed after). */
static char *
svg_expansion_problem(xmlDoc *doc, xmlNode *root)
{
	SvgExpand x = { g_hash_table_new(g_str_hash, g_str_equal), g_string_chunk_new(4096),
			g_hash_table_new(NULL, NULL), g_array_new(FALSE, FALSE, sizeof(Expansion)), NULL };
	guint64 count = 0;
	guint32 height = 0;

	if (svg_ids(&x, doc, root, 0))
		expand_element(&x, root, 0, &count, &height);
	g_hash_table_destroy(x.ids);
	g_string_chunk_free(x.id_text);
	g_hash_table_destroy(x.entities);
	g_array_free(x.counted, TRUE);
	return x.why;
}

/* What makes an SVG unusable, or NULL: a reference to anything outside itself (an image, a
 * stylesheet, an XInclude, an external entity; librsvg loads none of them, octavo gives it
 * no base file, but a reading system would try: an SVG must be self-contained), or data:
 * images too large to decode. Also NULL when the bytes are no XML at all: librsvg says so. */
static char *
svg_problem(const guchar *b, gsize n, SvgInside *in)
{
	xmlDoc *x;
	xmlNode *root, *e;
	char *ref = NULL, *why;
	int level = 0;

	if (n > INT_MAX)
		return NULL;
	x = xmlReadMemory((const char *)b, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (x == NULL)
		return NULL;
	for (xmlNode *c = x->children; c && !ref; c = c->next) {
		if (c->type == XML_PI_NODE && xmlStrEqual(c->name, (const xmlChar *)"xml-stylesheet"))
			ref = g_strdup((const char *)c->content);
		else if (c->type == XML_DTD_NODE)
			for (xmlNode *en = c->children; en && !ref; en = en->next)
				if (en->type == XML_ENTITY_DECL && ((xmlEntity *)en)->etype != XML_INTERNAL_GENERAL_ENTITY &&
				    ((xmlEntity *)en)->etype != XML_INTERNAL_PREDEFINED_ENTITY)
					ref = g_strdup(((xmlEntity *)en)->SystemID ? (const char *)((xmlEntity *)en)->SystemID : "an external entity");
	}
	root = xmlDocGetRootElement(x);
	for (e = root; e && !ref && !in->why;) { /* every element, without recursion */
		if (level > MAX_SVG_NESTING) {
			/* librsvg draws an element's children by recursion: 2,000 levels overflowed
			 * the drawing thread's stack */
			in->why = g_strdup_printf("its elements nest more than %d deep", MAX_SVG_NESTING);
			break;
		}
		if (e->type == XML_ELEMENT_NODE) {
			gboolean image = xmlStrEqual(e->name, (const xmlChar *)"image") || xmlStrEqual(e->name, (const xmlChar *)"feImage");
			if (xmlStrEqual(e->name, (const xmlChar *)"include") && e->ns &&
			    xmlStrstr(e->ns->href, (const xmlChar *)"XInclude"))
				ref = g_strdup("xi:include");
			for (xmlAttr *a = e->properties; a && !ref && !in->why; a = a->next) {
				xmlChar *v = xmlNodeListGetString(x, a->children, 1);
				gboolean link = xmlStrEqual(a->name, (const xmlChar *)"href") || xmlStrEqual(a->name, (const xmlChar *)"src");
				if (v && link && !local_ref((const char *)v))
					ref = g_strdup((const char *)v);
				else if (v && xmlStrEqual(a->name, (const xmlChar *)"style"))
					ref = css_ref((const char *)v, TRUE);
				else if (v) /* fill, stroke, filter, clip-path, mask, marker-*, cursor ... */
					ref = css_ref((const char *)v, FALSE);
				if (v && !ref)
					data_uris((const char *)v, link, image && link, in);
				xmlFree(v);
			}
			if (!ref && !in->why && xmlStrEqual(e->name, (const xmlChar *)"style")) {
				xmlChar *css = xmlNodeGetContent(e);
				ref = css ? css_ref((const char *)css, TRUE) : NULL;
				if (css && !ref)
					data_uris((const char *)css, FALSE, FALSE, in);
				xmlFree(css);
			}
		}
		if (e->type == XML_ELEMENT_NODE && e->children) {
			e = e->children;
			level++;
			continue;
		}
		while (e && e != root && e->next == NULL) {
			e = e->parent;
			level--;
		}
		e = e && e != root ? e->next : NULL;
	}
	if (ref == NULL && in->why == NULL && root)
		in->why = svg_expansion_problem(x, root);
	xmlFreeDoc(x);
	if (ref == NULL)
		return in->why ? g_strdup(in->why) : NULL;
	why = g_strdup_printf("it refers to \"%s\" outside itself: an SVG image must be self-contained", ref);
	g_free(ref);
	return why;
}

/* "... N megapixels decoded (at most 50)", N rounded up to one decimal (none when it is 0):
 * never "50 (at most 50)" */
static char *
megapixels_over(const char *what, double pixels)
{
	char *n = g_strdup_printf("%.1f", ceil(pixels / 1e5) / 10), *why;
	if (g_str_has_suffix(n, ".0"))
		n[strlen(n) - 2] = '\0';
	why = g_strdup_printf("%s %s megapixels decoded (at most %.0f)", what, n, MAX_IMAGE_PIXELS / 1e6);
	g_free(n);
	return why;
}

static char *
judge(const OvImage *img, const char *real)
{
	static GHashTable *verdicts;
	struct stat st;
	char *key, *why;
	const char *seen;
	gsize n;
	const guchar *b = g_bytes_get_data(img->data, &n);

	/* an SVG is drawn as vectors and copied as it is, never decoded to pixels: its nominal
	 * size costs nothing (the rasters it embeds are bounded apart) */
	if (img->type != OV_IMG_SVG && img->width * img->height > MAX_IMAGE_PIXELS)
		return megapixels_over("it would take", img->width * img->height);
	if (verdicts == NULL)
		verdicts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* the file as it is now: an image rewritten within a second (watch) is judged again */
	if (stat(real, &st) != 0)
		memset(&st, 0, sizeof st);
	key = g_strdup_printf("%s\n%" G_GSIZE_FORMAT "\n%lld.%09ld\n%llu", real, n, (long long)st.st_mtim.tv_sec,
			      (long)st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
	seen = g_hash_table_lookup(verdicts, key);
	if (seen) {
		g_free(key);
		return *seen ? g_strdup(seen) : NULL;
	}
	if (img->type == OV_IMG_SVG) {
		SvgInside in = { 0, 0, NULL };
		why = svg_problem(b, n, &in);
		if (why == NULL && in.pixels > MAX_IMAGE_PIXELS)
			why = megapixels_over("the images it holds would take", in.pixels);
		g_free(in.why);
	} else {
		JpegInfo jpeg;
		char *r = raster_problem(img);
		/* gdk-pixbuf pads out a JPEG cut short and draws one with broken codes, with no error */
		if (r == NULL && img->type == OV_IMG_JPEG && jpeg_scan(b, n, &jpeg, TRUE) && jpeg.damage)
			r = g_strdup(jpeg.damage);
		why = r ? g_strdup_printf("it is damaged: %s", r) : NULL;
		g_free(r);
	}
	g_hash_table_insert(verdicts, key, g_strdup(why ? why : ""));
	return why;
}

/* What is wrong with a loaded image, or NULL. Each file is judged once a run (both back ends
 * load the same images, from two threads when the EPUB is written beside the PDF): the
 * verdicts are kept by real path, size and time. */
static char *
image_problem(const OvImage *img, const char *real)
{
	static GMutex lock; /* held while judging: the other thread waits for the verdict */
	char *why;
	g_mutex_lock(&lock);
	why = judge(img, real);
	g_mutex_unlock(&lock);
	return why;
}

/* The bytes of an image's file (NULL, with the reason at the node, if there are none to use):
 * a local plain file inside the book's folder, not too large. *path: as the book names it,
 * *real: its real path (free both). */
static gchar *
image_bytes(const OvDoc *doc, const OvNode *node, OvDiags *d, char **path, char **real, gsize *n)
{
	const char *ref = node->u.img.fileref;
	char *dir;
	gsize dlen;
	GError *err = NULL;
	gchar *contents;
	struct stat st = { 0 };

	if (ref == NULL)
		return NULL; /* the reader reported it */
	if (*ref == '\0') { /* it would name the book's folder itself */
		ov_error(d, node->loc, "image \"\": the fileref is empty: it names no file");
		return NULL;
	}
	if (g_ascii_strncasecmp(ref, "data:", 5) == 0) {
		/* its bytes are inline, not remote; a few KB of base64 are no use in a message */
		const char *comma = strchr(ref, ',');
		int head = comma && comma - ref < 60 ? (int)(comma - ref) + 1 : 40;
		ov_warn(d, node->loc, "image \"%.*s...\" is a data: URI, which octavo does not read: put the image in a file in the book's folder; its alt text is shown",
			head, ref);
		return NULL;
	}
	if (ov_image_is_remote(ref)) {
		ov_warn(d, node->loc, "image \"%s\" is remote and is not fetched: octavo never uses the network; its alt text is shown", ref);
		return NULL;
	}
	dir = g_path_get_dirname(node->loc.file ? node->loc.file : doc->path);
	*path = g_path_is_absolute(ref) ? g_strdup(ref) : g_build_filename(dir, ref, NULL);
	g_free(dir);
	*real = realpath(*path, NULL);
	if (*real == NULL) {
		ov_error(d, node->loc, "image \"%s\": %s", ref, g_strerror(errno));
		g_free(*path);
		return NULL;
	}
	dlen = strlen(doc->dir);
	if (strncmp(*real, doc->dir, dlen) != 0 || (*real)[dlen] != '/') {
		ov_error(d, node->loc, "image \"%s\" refused: it is outside the book's folder %s", ref, doc->dir);
		goto fail;
	}
	/* a pipe or a device would block or never end: only plain files are read */
	if (stat(*real, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_IMAGE_BYTES) {
		if (!S_ISREG(st.st_mode))
			ov_error(d, node->loc, "image \"%s\" is not a plain file", ref);
		else
			ov_error(d, node->loc, "image \"%s\" is larger than %d MB", ref, MAX_IMAGE_BYTES / (1024 * 1024));
		goto fail;
	}
	if (!g_file_get_contents(*real, &contents, n, &err)) {
		ov_error(d, node->loc, "image \"%s\": %s", ref, err->message);
		g_error_free(err);
		goto fail;
	}
	if (*n > MAX_IMAGE_BYTES) { /* it grew since */
		ov_error(d, node->loc, "image \"%s\" is larger than %d MB", ref, MAX_IMAGE_BYTES / (1024 * 1024));
		g_free(contents);
		goto fail;
	}
	return contents;
fail:
	free(*real);
	g_free(*path);
	return NULL;
}

gboolean
ov_image_file_has_text(const OvDoc *doc, const OvNode *node)
{
	OvDiags scratch; /* a file that cannot be used is reported when it is met again */
	char *path, *real;
	gsize n;
	gchar *b;
	gboolean text = TRUE; /* unknown: as if it had */

	ov_diags_init(&scratch);
	if ((b = image_bytes(doc, node, &scratch, &path, &real, &n)) != NULL) {
		text = looks_svg((const guchar *)b, n) && svg_has_text((const guchar *)b, n);
		g_free(b);
		free(real);
		g_free(path);
	}
	ov_diags_clear(&scratch);
	return text;
}

/* Does the media object holding an image object hold another? */
static gboolean
another_image(const OvNode *node)
{
	for (const OvNode *c = node->parent ? node->parent->first : NULL; c; c = c->next)
		if (c != node && c->type == OV_IMAGE)
			return TRUE;
	return FALSE;
}

OvImage *
ov_image_load(const OvDoc *doc, const OvNode *node, OvDiags *d)
{
	const char *ref = node->u.img.fileref;
	char *path, *real;
	gsize dlen = strlen(doc->dir), n;
	const guchar *b;
	OvImage *img;
	GError *err = NULL;
	gchar *contents;
	gboolean ok;
	JpegInfo jpeg;

	if ((contents = image_bytes(doc, node, d, &path, &real, &n)) == NULL)
		return NULL;
	img = g_new0(OvImage, 1);
	img->orientation = 1;
	img->node = node;
	img->path = path;
	img->href = g_strdup(real + dlen + 1);
	img->data = g_bytes_new_take(contents, n);
	b = (const guchar *)contents;
	if ((ok = png_size(b, n, &img->width, &img->height))) {
		img->type = OV_IMG_PNG;
		img->media_type = "image/png";
	} else if ((ok = jpeg_scan(b, n, &jpeg, FALSE))) {
		img->type = OV_IMG_JPEG;
		img->media_type = "image/jpeg";
		/* turned a quarter (orientations 5 to 8), it is shown with its sides swapped: so do
		 * reading systems (CSS image-orientation: from-image), which get the file as it is */
		img->orientation = jpeg.orientation;
		img->width = jpeg.orientation >= 5 ? jpeg.h : jpeg.w;
		img->height = jpeg.orientation >= 5 ? jpeg.w : jpeg.h;
	} else if ((ok = gif_size(b, n, &img->width, &img->height))) {
		img->type = OV_IMG_GIF;
		img->media_type = "image/gif";
	} else if (looks_svg(b, n)) {
		char *why;
		SvgGeom g;
		img->type = OV_IMG_SVG;
		img->media_type = "image/svg+xml";
		/* judged before librsvg reads it: measuring an SVG with no size of its own draws it
		 * (a "use bomb" took 14 s), and drawing one nested too deep overflows the stack */
		if ((why = image_problem(img, real)) != NULL) {
			ov_error(d, node->loc, "image \"%s\": %s", ref, why);
			g_free(why);
			ov_image_free(img);
			free(real);
			return NULL;
		}
		ok = svg_size_once(real, b, n, &g, &err);
		if (ok) {
			img->width = g.w, img->height = g.h;
			img->svg_unsized = g.unsized, img->svg_x = g.x, img->svg_y = g.y;
		} else {
			char *msg = g_strstrip(g_strdup(err ? err->message : ""));
			g_strdelimit(msg, "\n", ' ');
			ov_error(d, node->loc, "image \"%s\" is not a readable SVG%s%s", ref, *msg ? ": " : "", msg);
			g_free(msg);
			g_clear_error(&err);
			ov_image_free(img);
			free(real);
			return NULL;
		}
	}
	if (!ok) {
		/* an EPS or PDF for print beside a PNG for the screen, DocBook's usual pair: the
		 * other is used (ov_media_next) */
		if (another_image(node))
			ov_warn(d, node->loc, "image \"%s\" is not a PNG, JPEG, GIF or SVG file (or is damaged): the media object's next image is tried", ref);
		else
			ov_error(d, node->loc, "image \"%s\" is not a PNG, JPEG, GIF or SVG file (or is damaged)", ref);
		ov_image_free(img);
		free(real);
		return NULL;
	}
	if (!(img->width >= 1 && img->height >= 1 && img->width <= MAX_IMAGE_SIDE && img->height <= MAX_IMAGE_SIDE)) {
		ov_error(d, node->loc, "image \"%s\" has unusable dimensions %.0f x %.0f (1 to %d a side)", ref, img->width,
			 img->height, MAX_IMAGE_SIDE);
		ov_image_free(img);
		free(real);
		return NULL;
	}
	{
		char *why = img->type == OV_IMG_SVG ? NULL : image_problem(img, real); /* an SVG is judged above */
		free(real);
		if (why) {
			ov_error(d, node->loc, "image \"%s\": %s", ref, why);
			g_free(why);
			ov_image_free(img);
			return NULL;
		}
	}
	return img;
}

/* ---- drawing ---- */

/* A Cairo surface from a pixbuf (RGB or RGBA, 8 bits): premultiplied ARGB32. */
static cairo_surface_t *
surface_from_pixbuf(GdkPixbuf *pb)
{
	int w = L.pb_get_width(pb), h = L.pb_get_height(pb);
	int n = L.pb_get_n_channels(pb), stride = L.pb_get_rowstride(pb);
	const guchar *src = L.pb_read_pixels(pb);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	guchar *dst = cairo_image_surface_get_data(s);
	int dstride = cairo_image_surface_get_stride(s);

	for (int y = 0; y < h; y++) {
		const guchar *p = src + (gsize)y * stride;
		guint32 *q = (guint32 *)(dst + (gsize)y * dstride);
		for (int x = 0; x < w; x++, p += n) {
			guint a = n == 4 ? p[3] : 255;
			guint r = p[0] * a / 255, g = p[1] * a / 255, b = p[2] * a / 255;
			q[x] = a << 24 | r << 16 | g << 8 | b;
		}
	}
	cairo_surface_mark_dirty(s);
	return s;
}

/* A raster image as a Cairo surface; JPEG keeps its bytes as mime data, so a PDF embeds the
 * JPEG itself. NULL if the bytes cannot be decoded. */
static cairo_surface_t *
raster_surface(const OvImage *img)
{
	gsize n;
	const guchar *b = g_bytes_get_data(img->data, &n);
	cairo_surface_t *s = NULL;
	JpegInfo jpeg;

	if (img->type == OV_IMG_PNG) {
		ByteReader rd = { b, n };
		s = cairo_image_surface_create_from_png_stream(read_bytes, &rd);
	} else if (image_libs(NULL)) {
		GdkPixbufLoader *ld = L.pb_loader_new();
		GdkPixbuf *pb = NULL;
		if (L.pb_loader_write(ld, b, n, NULL) && L.pb_loader_close(ld, NULL))
			pb = L.pb_loader_get_pixbuf(ld);
		else
			L.pb_loader_close(ld, NULL);
		if (pb && L.pb_get_bits_per_sample(pb) == 8)
			s = surface_from_pixbuf(pb);
		g_object_unref(ld);
		/* not a CMYK (or YCCK) JPEG: Adobe's store their inks inverted, which a PDF reader
		 * only undoes with a /Decode array that Cairo 1.16 does not write; gdk-pixbuf's
		 * pixels have the right colours */
		if (s && img->type == OV_IMG_JPEG && jpeg_scan(b, n, &jpeg, FALSE) && jpeg.components != 4)
			cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, b, n, (cairo_destroy_func_t)g_bytes_unref,
						    g_bytes_ref(img->data));
	}
	if (s && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		s = NULL;
	}
	return s;
}

/* ---- decoded rasters, kept for the next draw of the same image ---- */

/* A book may show one picture many times (and two files may hold the same bytes): each
 * thread keeps the surfaces it decoded last, by content, up to CACHE_BYTES of pixels, so a
 * picture is decoded once, not at every use. Each thread its own: Cairo marks a source
 * surface it records (snapshots), which is not safe from two threads at once. */
typedef struct {
	GHashTable *by_id; /* content id (owned by order) -> cairo_surface_t */
	GQueue order;      /* the ids, least recently drawn first */
	gsize bytes;
} SurfaceCache;

#define CACHE_BYTES ((gsize)64 * 1024 * 1024)

static gsize
surface_bytes(cairo_surface_t *s)
{
	return (gsize)cairo_image_surface_get_stride(s) * (gsize)cairo_image_surface_get_height(s);
}

static void
cache_free(gpointer p)
{
	SurfaceCache *c = p;
	g_hash_table_destroy(c->by_id);
	g_queue_clear_full(&c->order, g_free);
	g_free(c);
}

static GPrivate cache_key = G_PRIVATE_INIT(cache_free);

/* The id of an image's content: its SHA-256, in hex. */
static char *
content_id(const OvImage *img)
{
	gsize n;
	const guchar *b = g_bytes_get_data(img->data, &n);
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, b, n);
}

/* The surface of a raster image (a reference to release), decoded or from the cache, with
 * its content id as CAIRO_MIME_TYPE_UNIQUE_ID: a PDF surface writes one image XObject for
 * all the surfaces of one id, so an image shown twice, or two files with the same bytes,
 * are stored once. NULL if it cannot be decoded. */
static cairo_surface_t *
cached_surface(const OvImage *img)
{
	SurfaceCache *c = g_private_get(&cache_key);
	char *id = content_id(img);
	cairo_surface_t *s;
	GList *l;

	if (c == NULL) {
		c = g_new0(SurfaceCache, 1);
		c->by_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)cairo_surface_destroy);
		g_queue_init(&c->order);
		g_private_set(&cache_key, c);
	}
	if ((s = g_hash_table_lookup(c->by_id, id)) != NULL) {
		l = g_queue_find_custom(&c->order, id, (GCompareFunc)strcmp);
		g_queue_unlink(&c->order, l);
		g_queue_push_tail_link(&c->order, l);
		g_free(id);
		return cairo_surface_reference(s);
	}
	if ((s = raster_surface(img)) == NULL) {
		g_free(id);
		return NULL;
	}
	cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const guchar *)id, strlen(id), g_free, id);
	if (surface_bytes(s) > CACHE_BYTES)
		return s;
	while (c->bytes + surface_bytes(s) > CACHE_BYTES && c->order.length > 0) {
		char *old = g_queue_pop_head(&c->order);
		c->bytes -= surface_bytes(g_hash_table_lookup(c->by_id, old));
		g_hash_table_remove(c->by_id, old);
		g_free(old);
	}
	id = g_strdup(id); /* the surface's copy is its mime data's */
	g_queue_push_tail(&c->order, id);
	g_hash_table_insert(c->by_id, id, cairo_surface_reference(s));
	c->bytes += surface_bytes(s);
	return s;
}

/* Map an image stored sw x sh pixels into a w x h box at the origin, turned or mirrored as
 * EXIF orientation o says (it is shown sh x sw for orientations 5 to 8). */
static void
orient(cairo_t *cr, int o, double w, double h, double sw, double sh)
{
	static const double m[9][6] = { /* xx, yx, xy, yy, and x0, y0 in sides (sw or sh) */
		[1] = { 1, 0, 0, 1, 0, 0 },   [2] = { -1, 0, 0, 1, 1, 0 }, /* mirrored */
		[3] = { -1, 0, 0, -1, 1, 1 }, [4] = { 1, 0, 0, -1, 0, 1 }, /* turned half, mirrored upside down */
		[5] = { 0, 1, 1, 0, 0, 0 },   [6] = { 0, 1, -1, 0, 1, 0 }, /* transposed, turned right */
		[7] = { 0, -1, -1, 0, 1, 1 }, [8] = { 0, -1, 1, 0, 0, 1 }, /* transversed, turned left */
	};
	const double *t = m[o >= 1 && o <= 8 ? o : 1];
	double shown_w = o >= 5 ? sh : sw, shown_h = o >= 5 ? sw : sh;
	cairo_matrix_t mx;
	cairo_scale(cr, w / shown_w, h / shown_h);
	cairo_matrix_init(&mx, t[0], t[1], t[2], t[3], t[4] * shown_w, t[5] * shown_h);
	cairo_transform(cr, &mx);
}

gboolean
ov_image_draw(cairo_t *cr, const OvImage *img, double x, double y, double w, double h, GError **err)
{
	if (img->type == OV_IMG_SVG) {
		gsize n;
		const guchar *b = g_bytes_get_data(img->data, &n);
		RsvgHandle *rh = svg_handle(b, n, err);
		RsvgRectangle vp = { x, y, w, h };
		gboolean ok;
		if (rh == NULL)
			return FALSE;
		if (img->svg_unsized) {
			/* drawn unscaled whatever the viewport (it has no viewBox): its drawing, measured
			 * in the same viewport, is scaled into the box, and what lies outside it cut off */
			cairo_save(cr);
			cairo_rectangle(cr, x, y, w, h);
			cairo_clip(cr);
			cairo_translate(cr, x, y);
			cairo_scale(cr, w / img->width, h / img->height);
			cairo_translate(cr, -img->svg_x, -img->svg_y);
			ok = L.rsvg_render_document(rh, cr, &(RsvgRectangle){ 0, 0, SVG_PROBE, SVG_PROBE }, err);
			cairo_restore(cr);
		} else
			ok = L.rsvg_render_document(rh, cr, &vp, err);
		g_object_unref(rh);
		return ok;
	} else {
		cairo_surface_t *s = cached_surface(img);
		if (s == NULL) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the image data cannot be decoded");
			return FALSE;
		}
		/* Cairo 1.16 lists an XObject in a page's resources once for each time it is drawn
		 * there (/x22 twice: a duplicate key qpdf warns of): into a PDF, an image is drawn
		 * in a group of its own, whose resources name it once; the group is a few bytes */
		gboolean group = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF;
		if (group)
			cairo_push_group(cr);
		cairo_save(cr);
		cairo_translate(cr, x, y);
		orient(cr, img->orientation, w, h, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
		cairo_paint(cr);
		cairo_restore(cr);
		if (group) {
			cairo_pop_group_to_source(cr);
			cairo_paint(cr);
		}
		cairo_surface_destroy(s);
		return TRUE;
	}
}

/* ---- writing an indexed PNG ---- */

static guint32
crc32_of(guint32 crc, const guint8 *p, gsize n)
{
	static guint32 table[256];
	static gsize ready;
	if (g_once_init_enter(&ready)) {
		for (guint32 i = 0; i < 256; i++) {
			guint32 c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		g_once_init_leave(&ready, 1);
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

static void
put_be32(GByteArray *b, guint32 v)
{
	guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };
	g_byte_array_append(b, x, 4);
}

/* A chunk: length, type, data, CRC of type and data. */
static void
png_chunk(GByteArray *b, const char *type, const guint8 *data, gsize n)
{
	guint start;
	put_be32(b, (guint32)n);
	start = b->len;
	g_byte_array_append(b, (const guint8 *)type, 4);
	if (n)
		g_byte_array_append(b, data, (guint)n);
	put_be32(b, crc32_of(0, b->data + start, n + 4));
}

GBytes *
ov_image_png_indexed(const guint8 *pixels, int w, int h, int stride, const guint32 *palette, int colors)
{
	GByteArray *png = g_byte_array_new();
	guint8 ihdr[13], plte[256 * 3], *raw;
	gsize raw_len = ((gsize)w + 1) * (gsize)h, z_len;
	const guint8 *idat;
	GBytes *z;

	g_return_val_if_fail(colors >= 1 && colors <= 256 && w > 0 && h > 0, NULL);
	g_byte_array_append(png, (const guint8 *)"\x89PNG\r\n\x1a\n", 8);
	for (int i = 0; i < 4; i++) {
		ihdr[i] = (guint8)((guint32)w >> (24 - 8 * i));
		ihdr[4 + i] = (guint8)((guint32)h >> (24 - 8 * i));
	}
	ihdr[8] = 8;  /* bits per index */
	ihdr[9] = 3;  /* indexed colour */
	ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, adaptive filtering, no interlace */
	png_chunk(png, "IHDR", ihdr, sizeof ihdr);
	for (int i = 0; i < colors; i++) {
		plte[3 * i] = (guint8)(palette[i] >> 16);
		plte[3 * i + 1] = (guint8)(palette[i] >> 8);
		plte[3 * i + 2] = (guint8)palette[i];
	}
	png_chunk(png, "PLTE", plte, (gsize)colors * 3);
	/* rows unfiltered (filter byte 0): indices of flat colours compress well as they are,
	 * and run-length matching (Z_RLE) finds their runs in a third of the time level 6's
	 * search takes, for a PNG about a fifth larger (3-6 KB for a cover) */
	raw = g_malloc(raw_len);
	for (int y = 0; y < h; y++) {
		raw[(gsize)y * ((gsize)w + 1)] = 0;
		memcpy(raw + (gsize)y * ((gsize)w + 1) + 1, pixels + (gsize)y * stride, (gsize)w);
	}
	z = ov_deflate(raw, raw_len, FALSE, Z_RLE);
	g_free(raw);
	if (z == NULL) {
		g_byte_array_free(png, TRUE);
		return NULL;
	}
	idat = g_bytes_get_data(z, &z_len);
	png_chunk(png, "IDAT", idat, z_len);
	g_bytes_unref(z);
	png_chunk(png, "IEND", NULL, 0);
	return g_byte_array_free_to_bytes(png);
}

void
ov_image_free(OvImage *img)
{
	if (img == NULL)
		return;
	g_free(img->path);
	g_free(img->href);
	if (img->data)
		g_bytes_unref(img->data);
	g_free(img);
}
