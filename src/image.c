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

/* Size from the JPEG frame header (SOFn). */
static gboolean
jpeg_size(const guchar *b, gsize n, double *w, double *h)
{
	gsize i = 2;
	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return FALSE;
	while (i + 9 < n) {
		guint marker, len;
		if (b[i] != 0xFF)
			return FALSE;
		marker = b[i + 1];
		if (marker == 0xFF) {
			i++;
			continue;
		}
		len = (guint)b[i + 2] << 8 | b[i + 3];
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
			*h = (guint)b[i + 5] << 8 | b[i + 6];
			*w = (guint)b[i + 7] << 8 | b[i + 8];
			return TRUE;
		}
		if (len < 2)
			return FALSE;
		i += 2 + len;
	}
	return FALSE;
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

/* The first reference of an SVG to anything outside itself (an image, a stylesheet, an
 * XInclude, an external entity), or NULL. librsvg loads none of them (octavo gives it no base
 * file), but a reading system would try: an SVG must be self-contained. Also NULL when the
 * bytes are no XML at all: librsvg says so. */
static char *
svg_outside_ref(const guchar *b, gsize n)
{
	xmlDoc *x;
	xmlNode *root, *e;
	char *ref = NULL;

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
	for (e = root; e && !ref;) { /* every element, without recursion */
		if (e->type == XML_ELEMENT_NODE) {
			if (xmlStrEqual(e->name, (const xmlChar *)"include") && e->ns &&
			    xmlStrstr(e->ns->href, (const xmlChar *)"XInclude"))
				ref = g_strdup("xi:include");
			for (xmlAttr *a = e->properties; a && !ref; a = a->next) {
				xmlChar *v = xmlNodeListGetString(x, a->children, 1);
				if (v && (xmlStrEqual(a->name, (const xmlChar *)"href") || xmlStrEqual(a->name, (const xmlChar *)"src")) &&
				    !local_ref((const char *)v))
					ref = g_strdup((const char *)v);
				else if (v && xmlStrEqual(a->name, (const xmlChar *)"style"))
					ref = css_ref((const char *)v, TRUE);
				else if (v) /* fill, stroke, filter, clip-path, mask, marker-*, cursor ... */
					ref = css_ref((const char *)v, FALSE);
				xmlFree(v);
			}
			if (!ref && xmlStrEqual(e->name, (const xmlChar *)"style")) {
				xmlChar *css = xmlNodeGetContent(e);
				ref = css ? css_ref((const char *)css, TRUE) : NULL;
				xmlFree(css);
			}
		}
		if (e->type == XML_ELEMENT_NODE && e->children) {
			e = e->children;
			continue;
		}
		while (e && e != root && e->next == NULL)
			e = e->parent;
		e = e && e != root ? e->next : NULL;
	}
	xmlFreeDoc(x);
	return ref;
}

/* "... N megapixels decoded (at most 50)", N rounded up to one decimal: never "50 (at most 50)" */
static char *
megapixels_over(const char *what, double pixels)
{
	return g_strdup_printf("%s %.1f megapixels decoded (at most %.0f)", what, ceil(pixels / 1e5) / 10,
			       MAX_IMAGE_PIXELS / 1e6);
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
	key = g_strdup_printf("%s\n%" G_GSIZE_FORMAT "\n%lld", real, n,
			      stat(real, &st) == 0 ? (long long)st.st_mtime : -1LL);
	seen = g_hash_table_lookup(verdicts, key);
	if (seen) {
		g_free(key);
		return *seen ? g_strdup(seen) : NULL;
	}
	if (img->type == OV_IMG_SVG) {
		char *ref = svg_outside_ref(b, n);
		why = ref ? g_strdup_printf("it refers to \"%s\" outside itself: an SVG image must be self-contained", ref) : NULL;
		g_free(ref);
	} else {
		char *r = raster_problem(img);
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

	if ((contents = image_bytes(doc, node, d, &path, &real, &n)) == NULL)
		return NULL;
	img = g_new0(OvImage, 1);
	img->node = node;
	img->path = path;
	img->href = g_strdup(real + dlen + 1);
	img->data = g_bytes_new_take(contents, n);
	b = (const guchar *)contents;
	if ((ok = png_size(b, n, &img->width, &img->height))) {
		img->type = OV_IMG_PNG;
		img->media_type = "image/png";
	} else if ((ok = jpeg_size(b, n, &img->width, &img->height))) {
		img->type = OV_IMG_JPEG;
		img->media_type = "image/jpeg";
	} else if ((ok = gif_size(b, n, &img->width, &img->height))) {
		img->type = OV_IMG_GIF;
		img->media_type = "image/gif";
	} else if (looks_svg(b, n)) {
		img->type = OV_IMG_SVG;
		img->media_type = "image/svg+xml";
		SvgGeom g;
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
		char *why = image_problem(img, real);
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
		if (s && img->type == OV_IMG_JPEG)
			cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, b, n, (cairo_destroy_func_t)g_bytes_unref,
						    g_bytes_ref(img->data));
	}
	if (s && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		s = NULL;
	}
	return s;
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
		cairo_surface_t *s = raster_surface(img);
		if (s == NULL) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the image data cannot be decoded");
			return FALSE;
		}
		cairo_save(cr);
		cairo_translate(cr, x, y);
		cairo_scale(cr, w / cairo_image_surface_get_width(s), h / cairo_image_surface_get_height(s));
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
		cairo_paint(cr);
		cairo_restore(cr);
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
