/* image.h: finding, checking and reading the images a book uses; shared by both back ends. */
#ifndef OCTAVO_IMAGE_H
#define OCTAVO_IMAGE_H

#include <cairo.h>
#include "model.h"

typedef enum { OV_IMG_PNG, OV_IMG_JPEG, OV_IMG_GIF, OV_IMG_SVG } OvImageType;

typedef struct {
	const OvNode *node;
	char *path;             /* the file read (inside the book's folder) */
	char *href;             /* its path relative to the book's folder, '/'-separated */
	OvImageType type;       /* from the file's bytes, not its name */
	const char *media_type; /* "image/png", ... */
	double width, height;   /* intrinsic size in CSS px (SVG: its viewport), as shown: a JPEG
	                         * turned by its EXIF orientation has its sides swapped */
	GBytes *data;           /* the whole file */
	int orientation;        /* EXIF orientation of a JPEG, 1 (as stored) to 8; 1 otherwise */
	/* an SVG with neither a size nor a viewBox of its own: the top left corner of what it
	 * draws, in its user space (width and height are that drawing's extent) */
	gboolean svg_unsized;
	double svg_x, svg_y;
} OvImage;

/* Read the image of an OV_IMAGE node. NULL when it cannot be used, with a diagnostic at the
 * node: a remote URL is a warning (never fetched); a missing, unreadable, corrupt, too large
 * or outside-the-book file is an error. */
OvImage *ov_image_load(const OvDoc *doc, const OvNode *node, OvDiags *d);
void ov_image_free(OvImage *img);

/* Draw the image scaled into (x, y, w, h): SVG as vectors (librsvg), raster images decoded
 * with Cairo or gdk-pixbuf (turned as a JPEG's EXIF orientation says); a JPEG keeps its bytes,
 * so a PDF embeds the JPEG as it is (not a CMYK one: Cairo would show its colours inverted).
 * A raster image carries an id made from its bytes, so a PDF holds one copy of each image
 * however often it is drawn. FALSE with err when the data cannot be drawn. */
gboolean ov_image_draw(cairo_t *cr, const OvImage *img, double x, double y, double w, double h, GError **err);

/* An 8-bit indexed-colour PNG of w x h pixels: each byte of pixels (rows stride bytes apart)
 * an index into palette (colors entries, 0xRRGGBB). NULL if deflate fails. */
GBytes *ov_image_png_indexed(const guint8 *pixels, int w, int h, int stride, const guint32 *palette, int colors);

/* Has the image of an OV_IMAGE node text of its own to set: is its file an SVG with a text
 * element? TRUE too for a file that cannot be read (ov_image_load says why). */
gboolean ov_image_file_has_text(const OvDoc *doc, const OvNode *node);

/* TRUE if the fileref is a URL (http:, https:, ftp:, data: ...): octavo never fetches it. */
gboolean ov_image_is_remote(const char *fileref);

#endif
