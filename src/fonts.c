/* fonts.c: a fontconfig configuration that holds the bundled fonts first. */
#include <string.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include "fonts.h"
#include "theme.h"

typedef struct {
	char *family;
	gboolean bold, italic;
	char *file;
} Face;

static PangoFontMap *font_map;
static GArray *faces; /* Face */

static void
scan_faces(FcConfig *config)
{
	FcFontSet *set = FcConfigGetFonts(config, FcSetApplication);
	faces = g_array_new(FALSE, TRUE, sizeof(Face));
	for (int i = 0; set && i < set->nfont; i++) {
		FcChar8 *family = NULL, *file = NULL;
		int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
		Face f;
		if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch ||
		    FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
			continue;
		FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &weight);
		FcPatternGetInteger(set->fonts[i], FC_SLANT, 0, &slant);
		f.family = g_strdup((const char *)family);
		f.file = g_strdup((const char *)file);
		f.bold = weight >= FC_WEIGHT_BOLD;
		f.italic = slant != FC_SLANT_ROMAN;
		g_array_append_val(faces, f);
	}
}

PangoFontMap *
ov_fonts_map(OvDiags *d)
{
	FcConfig *config;
	char *dir;

	if (font_map)
		return font_map;
	dir = g_build_filename(ov_data_dir(), "fonts", NULL);
	/* the system configuration stays loaded for fallback; the bundled fonts come first
	 * because the theme names them and fontconfig prefers an exact family match */
	config = FcInitLoadConfigAndFonts();
	if (config == NULL || !FcConfigAppFontAddDir(config, (const FcChar8 *)dir)) {
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read the fonts folder %s", dir);
		d->io_failed = TRUE;
		g_free(dir);
		if (config)
			FcConfigDestroy(config);
		return NULL;
	}
	g_free(dir);
	scan_faces(config);
	font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map), config);
	FcConfigDestroy(config); /* the font map holds its own reference */
	return font_map;
}

gboolean
ov_fonts_bundled(const char *family)
{
	if (faces == NULL)
		return FALSE;
	for (guint i = 0; i < faces->len; i++)
		if (g_ascii_strcasecmp(g_array_index(faces, Face, i).family, family) == 0)
			return TRUE;
	return FALSE;
}

const char *
ov_fonts_file(const char *family, gboolean bold, gboolean italic)
{
	const Face *best = NULL;
	int best_score = -1;
	if (faces == NULL)
		return NULL;
	for (guint i = 0; i < faces->len; i++) {
		const Face *f = &g_array_index(faces, Face, i);
		int score;
		if (g_ascii_strcasecmp(f->family, family) != 0)
			continue;
		score = (f->bold == bold ? 2 : 0) + (f->italic == italic ? 1 : 0);
		if (score > best_score) {
			best = f;
			best_score = score;
		}
	}
	return best ? best->file : NULL;
}
