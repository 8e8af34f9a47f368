/* fonts.c: a fontconfig configuration that holds the bundled fonts first. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include "fonts.h"
#include "theme.h"

typedef struct {
	char *family;
	gboolean bold, italic;
	char *file;
	FcCharSet *chars; /* what the face maps */
} Face;

/* Two configurations: the bundled fonts alone (what a book set wholly in them needs: sorting
 * the fallback list of every font description over ~500 system fonts is most of fontconfig's
 * time), and the system's fonts after them, for characters the bundled fonts lack. Both read
 * the system's rules (synthetic bold, aliases), so a text the bundled fonts set alone comes
 * out the same in either. The second is loaded only when a book needs it. */
static FcConfig *fc_bundled;    /* NULL if the fonts folder is unreadable */
static FcConfig *fc_system;     /* loaded on demand */
static gint system_mode;        /* new maps use fc_system (atomic; never goes back) */
static gint fallback_seen;      /* a bundled-only map could not set some text (atomic) */
static GArray *faces;           /* Face */
static PangoFontMap *first_map; /* the first thread's map (kept reachable for leak checkers) */
static GPrivate thread_map = G_PRIVATE_INIT(g_object_unref);

static void
scan_faces(FcConfig *config)
{
	FcFontSet *set = FcConfigGetFonts(config, FcSetApplication);
	faces = g_array_new(FALSE, TRUE, sizeof(Face));
	for (int i = 0; set && i < set->nfont; i++) {
		FcChar8 *family = NULL, *file = NULL;
		int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
		FcCharSet *cs = NULL;
		Face f;
		if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch ||
		    FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
			continue;
		FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &weight);
		FcPatternGetInteger(set->fonts[i], FC_SLANT, 0, &slant);
		FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs);
		f.family = g_strdup((const char *)family);
		f.file = g_strdup((const char *)file);
		f.bold = weight >= FC_WEIGHT_BOLD;
		f.italic = slant != FC_SLANT_ROMAN;
		f.chars = cs ? FcCharSetCopy(cs) : NULL;
		g_array_append_val(faces, f);
	}
}

/* The bundled fonts' folder, as fontconfig names its files: without "." or ".." or symbolic
 * links (OCTAVO_DATADIR=tests/.. would otherwise match no font of the glob below). */
static char *
fonts_dir(void)
{
	char *dir = g_build_filename(ov_data_dir(), "fonts", NULL), real[PATH_MAX];
	if (realpath(dir, real)) {
		g_free(dir);
		return g_strdup(real);
	}
	return dir;
}

/* The bundled fonts with the system's rules, loaded once by whichever thread asks first. It
 * becomes fontconfig's current configuration unless one is loaded already: Pango's font maps
 * start a thread that calls FcInit(), which would otherwise load the whole system
 * configuration and its fonts besides. */
static FcConfig *
config_once(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		char *dir = fonts_dir();
		char *only = g_markup_printf_escaped("<fontconfig><selectfont><acceptfont><glob>%s/*</glob></acceptfont>"
						     "<rejectfont><glob>*</glob></rejectfont></selectfont></fontconfig>", dir);
		FcConfig *config = FcConfigCreate();
		if (config && FcConfigParseAndLoad(config, NULL, FcTrue) &&
		    FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)only, FcTrue) && FcConfigBuildFonts(config) &&
		    FcConfigAppFontAddDir(config, (const FcChar8 *)dir)) {
			scan_faces(config);
			fc_bundled = config; /* kept for the maps of other threads */
			if (!FcConfigSetCurrent(config))
				g_warning("fontconfig: the bundled configuration cannot be made current");
		} else if (config) {
			FcConfigDestroy(config);
		}
		g_free(only);
		g_free(dir);
		g_once_init_leave(&done, 1);
	}
	return fc_bundled;
}

/* The system's fonts after the bundled ones (what every map used before), loaded once. */
static FcConfig *
system_once(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		char *dir = fonts_dir();
		FcConfig *config = FcInitLoadConfigAndFonts();
		if (config && FcConfigAppFontAddDir(config, (const FcChar8 *)dir))
			fc_system = config;
		else if (config)
			FcConfigDestroy(config);
		g_free(dir);
		g_once_init_leave(&done, 1);
	}
	return fc_system;
}

/* The configuration new maps get. */
static FcConfig *
config_now(void)
{
	FcConfig *bundled = config_once();
	if (bundled && g_atomic_int_get(&system_mode))
		return system_once() ? fc_system : bundled;
	return bundled;
}

void
ov_fonts_preload(void)
{
	config_once();
}

/* A line naming a file by its path, size and time (what it was when a cache was made of it). */
static void
file_line(GString *s, const char *kind, const char *path)
{
	GStatBuf sb;
	if (g_stat(path, &sb) == 0)
		g_string_append_printf(s, "%s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", kind, path, (gint64)sb.st_size,
				       (gint64)sb.st_mtime);
	else
		g_string_append_printf(s, "%s %s\n", kind, path);
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
ov_fonts_config_id(void)
{
	FcConfig *config = config_once();
	GString *s = g_string_new(NULL);
	FcStrList *files = config ? FcConfigGetConfigFiles(config) : NULL;
	char *dir = fonts_dir();
	GPtrArray *fonts = g_ptr_array_new_with_free_func(g_free);
	GDir *d;

	g_string_append_printf(s, "fontconfig %d\n", FcGetVersion());
	for (FcChar8 *f; files && (f = FcStrListNext(files)) != NULL;)
		file_line(s, "fontconfig", (const char *)f);
	if (files)
		FcStrListDone(files);
	/* every bundled font: text may fall back from its family to any of them */
	if ((d = g_dir_open(dir, 0, NULL)) != NULL) {
		for (const char *f; (f = g_dir_read_name(d)) != NULL;)
			g_ptr_array_add(fonts, g_build_filename(dir, f, NULL));
		g_dir_close(d);
	}
	g_ptr_array_sort(fonts, by_name);
	for (guint i = 0; i < fonts->len; i++)
		file_line(s, "font", g_ptr_array_index(fonts, i));
	g_ptr_array_free(fonts, TRUE);
	g_free(dir);
	return g_string_free(s, FALSE);
}

PangoFontMap *
ov_fonts_map(OvDiags *d)
{
	PangoFontMap *fm = g_private_get(&thread_map);
	FcConfig *config;

	if (fm)
		return fm;
	if ((config = config_now()) == NULL) {
		char *dir = fonts_dir();
		ov_error(d, ov_loc(NULL, 0, 0), "cannot read the fonts folder %s", dir);
		d->io_failed = TRUE;
		g_free(dir);
		return NULL;
	}
	fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), config);
	g_private_set(&thread_map, fm);
	if (g_atomic_pointer_compare_and_exchange(&first_map, NULL, fm))
		g_object_ref(fm); /* the first thread's map outlives it */
	return fm;
}

PangoFontMap *
ov_fonts_ahead_map(void)
{
	static GMutex lock;
	static PangoFontMap *maps[2]; /* the bundled configuration's, the system's */
	FcConfig *config = config_now();
	PangoFontMap *fm;
	int i = config != NULL && config == fc_system;

	if (config == NULL)
		return NULL;
	g_mutex_lock(&lock);
	if (maps[i] == NULL) {
		maps[i] = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
		pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(maps[i]), config);
	}
	fm = maps[i];
	g_mutex_unlock(&lock);
	return fm;
}

void
ov_fonts_use_system(void)
{
	PangoFontMap *fm = g_private_get(&thread_map);
	g_atomic_int_set(&system_mode, 1);
	/* a new map, not the old one's configuration changed: its fonts may still be in use (a
	 * map whose configuration changes invalidates them); the old map lives on while they do */
	if (fm && system_once() && pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(fm)) != fc_system) {
		PangoFontMap *sys = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
		pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(sys), fc_system);
		g_private_replace(&thread_map, sys);
	}
}

gboolean
ov_fonts_system(void)
{
	return g_atomic_int_get(&system_mode) != 0;
}

void
ov_fonts_fallback(void)
{
	if (!ov_fonts_system())
		g_atomic_int_set(&fallback_seen, 1);
}

gboolean
ov_fonts_fallback_pending(void)
{
	return g_atomic_int_get(&fallback_seen) != 0;
}

gboolean
ov_fonts_take_fallback(void)
{
	return g_atomic_int_compare_and_exchange(&fallback_seen, 1, 0);
}

void
ov_fonts_for_svg(void)
{
	static gsize done;
	/* librsvg sets an SVG's text with Pango's default map, over fontconfig's current
	 * configuration: the system's fonts after the bundled ones, as before the bundled
	 * fonts alone were made current */
	if (g_once_init_enter(&done)) {
		if (config_once() && system_once())
			FcConfigSetCurrent(fc_system);
		g_once_init_leave(&done, 1);
	}
}

gboolean
ov_fonts_covers(const char *family, const char *text)
{
	gboolean any = FALSE;
	if (faces == NULL || family == NULL)
		return FALSE;
	for (guint i = 0; i < faces->len; i++) {
		const Face *f = &g_array_index(faces, Face, i);
		if (g_ascii_strcasecmp(f->family, family) != 0)
			continue;
		any = TRUE;
		for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);
			if (!g_unichar_isspace(c) && !g_unichar_iscntrl(c) && (f->chars == NULL || !FcCharSetHasChar(f->chars, c)))
				return FALSE;
		}
	}
	return any;
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

/* The bundled face of family nearest to bold and italic, and how near (3: the very face). */
static const Face *
nearest_face(const char *family, gboolean bold, gboolean italic, int *score)
{
	const Face *best = NULL;
	*score = -1;
	for (guint i = 0; faces && i < faces->len; i++) {
		const Face *f = &g_array_index(faces, Face, i);
		int sc;
		if (g_ascii_strcasecmp(f->family, family) != 0)
			continue;
		sc = (f->bold == bold ? 2 : 0) + (f->italic == italic ? 1 : 0);
		if (sc > *score) {
			best = f;
			*score = sc;
		}
	}
	return best;
}

const char *
ov_fonts_file(const char *family, gboolean bold, gboolean italic)
{
	int score;
	const Face *f = nearest_face(family, bold, italic, &score);
	return f ? f->file : NULL;
}

const char *
ov_fonts_file_exact(const char *family, gboolean bold, gboolean italic)
{
	int score;
	const Face *f = nearest_face(family, bold, italic, &score);
	return f && score == 3 ? f->file : NULL;
}

gboolean
ov_fonts_has(const char *family, gunichar c)
{
	for (guint i = 0; faces && i < faces->len; i++) {
		const Face *f = &g_array_index(faces, Face, i);
		if (f->chars && FcCharSetHasChar(f->chars, c) && g_ascii_strcasecmp(f->family, family) == 0)
			return TRUE;
	}
	return FALSE;
}

/* ---- subsets for the EPUB ---- */

/* The English text of a name record, or NULL. */
static char *
name_text(hb_face_t *face, hb_ot_name_id_t id)
{
	unsigned int n, len;
	const hb_ot_name_entry_t *e = hb_ot_name_list_names(face, &n);
	hb_language_t lang = HB_LANGUAGE_INVALID;
	char *s;
	for (unsigned int i = 0; i < n; i++)
		if (e[i].name_id == id && (lang == HB_LANGUAGE_INVALID || g_str_has_prefix(hb_language_to_string(e[i].language), "en")))
			lang = e[i].language;
	if (lang == HB_LANGUAGE_INVALID)
		return NULL;
	len = hb_ot_name_get_utf8(face, id, lang, NULL, NULL) + 1;
	s = g_malloc(len);
	hb_ot_name_get_utf8(face, id, lang, &len, s);
	return s;
}

/* The Reserved Font Names a font declares (SIL OFL: 'with Reserved Font Name(s) "A" and "B"'
 * in its copyright or licence record), or NULL. */
static char **
reserved_names(hb_face_t *face)
{
	static const hb_ot_name_id_t ids[] = { HB_OT_NAME_ID_COPYRIGHT, HB_OT_NAME_ID_LICENSE };
	GPtrArray *names = g_ptr_array_new();
	for (gsize i = 0; i < G_N_ELEMENTS(ids); i++) {
		char *text = name_text(face, ids[i]);
		const char *p = text ? strstr(text, "Reserved Font Name") : NULL;
		/* the quoted names that follow: "A" and "B", "A", "B" */
		for (p = p ? strchr(p, '"') : NULL; p && *p == '"';) {
			const char *e = strchr(p + 1, '"');
			if (e == NULL)
				break;
			if (e > p + 1)
				g_ptr_array_add(names, g_strndup(p + 1, (gsize)(e - p - 1)));
			p = e + 1 + strspn(e + 1, " ,");
			if (g_str_has_prefix(p, "and "))
				p += 4;
		}
		g_free(text);
	}
	if (names->len == 0) {
		g_ptr_array_free(names, TRUE);
		return NULL;
	}
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

/* A name with the reserved names taken out, or NULL when it has none: "Gentium Book Plus"
 * -> "OV Book Plus", "GentiumBookPlus-Regular" -> "OVBookPlus-Regular" (ps: no spaces). */
static char *
without_reserved(const char *name, char **rfn, gboolean ps)
{
	GString *s = g_string_new(name);
	gboolean hit = FALSE;
	for (char **r = rfn; *r; r++) {
		char *at;
		while ((at = strstr(s->str, *r)) != NULL) {
			g_string_erase(s, at - s->str, (gssize)strlen(*r));
			hit = TRUE;
		}
	}
	if (!hit) {
		g_string_free(s, TRUE);
		return NULL;
	}
	g_strstrip(s->str);
	g_string_set_size(s, strlen(s->str));
	g_string_prepend(s, s->len == 0 ? "OV Subset" : ps || s->str[0] == '-' ? "OV" : "OV ");
	for (char *p = s->str; ps && *p; p++)
		if (*p == ' ')
			*p = '-';
	return g_string_free(s, FALSE);
}

static void
put16(GByteArray *b, guint v)
{
	guint8 x[2] = { (guint8)(v >> 8), (guint8)v };
	g_byte_array_append(b, x, 2);
}

/* A 'name' table (format 0; Windows, Unicode BMP, English) with the subset's records, its
 * primary names without the reserved names, and a description that says what it is. */
static hb_blob_t *
renamed_name_table(hb_face_t *face, char **rfn)
{
	GByteArray *recs = g_byte_array_new(), *pool = g_byte_array_new();
	char *full = name_text(face, HB_OT_NAME_ID_FULL_NAME);
	char *ps0 = name_text(face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
	char *ps = ps0 ? without_reserved(ps0, rfn, TRUE) : NULL;
	guint count = 0, len;
	guint8 *data;

	for (guint id = 0; id < 256; id++) {
		char *s = name_text(face, id), *t = NULL;
		gunichar2 *u;
		glong units;
		switch (id) {
		case HB_OT_NAME_ID_UNIQUE_ID: /* a new one: "OVBookPlus-Italic;octavo subset" */
			t = g_strconcat(ps ? ps : "OV-Subset", ";octavo subset", NULL);
			break;
		case HB_OT_NAME_ID_FONT_FAMILY: case HB_OT_NAME_ID_FULL_NAME:
		case HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY: case HB_OT_NAME_ID_MAC_FULL_NAME: case HB_OT_NAME_ID_WWS_FAMILY:
			t = s ? without_reserved(s, rfn, FALSE) : NULL;
			break;
		case HB_OT_NAME_ID_POSTSCRIPT_NAME: case HB_OT_NAME_ID_VARIATIONS_PS_PREFIX:
			t = s ? without_reserved(s, rfn, TRUE) : NULL;
			break;
		case HB_OT_NAME_ID_DESCRIPTION:
			t = g_strdup_printf("A subset of %s made by octavo for one document: only the glyphs its text "
					    "uses. A Modified Version under the SIL Open Font License, not the original font.",
					    full ? full : "a font");
			break;
		default:
			break;
		}
		if (t) {
			g_free(s);
			s = t;
		}
		if (s == NULL)
			continue;
		u = g_utf8_to_utf16(s, -1, NULL, &units, NULL);
		put16(recs, 3);      /* Windows */
		put16(recs, 1);      /* Unicode BMP */
		put16(recs, 0x0409); /* English (United States) */
		put16(recs, id);
		put16(recs, (guint)units * 2);
		put16(recs, pool->len);
		for (glong k = 0; u && k < units; k++)
			put16(pool, u[k]);
		count++;
		g_free(u);
		g_free(s);
	}
	{
		GByteArray *head = g_byte_array_new();
		put16(head, 0); /* format */
		put16(head, count);
		put16(head, 6 + 12 * count);
		g_byte_array_prepend(recs, head->data, head->len);
		g_byte_array_free(head, TRUE);
	}
	g_byte_array_append(recs, pool->data, pool->len);
	g_byte_array_free(pool, TRUE);
	g_free(full);
	g_free(ps0);
	g_free(ps);
	len = recs->len;
	data = g_byte_array_free(recs, FALSE);
	return hb_blob_create((const char *)data, len, HB_MEMORY_MODE_WRITABLE, data, g_free);
}

/* The face with its name table replaced. */
static hb_face_t *
with_name_table(hb_face_t *face, hb_blob_t *name)
{
	hb_face_t *b = hb_face_builder_create();
	hb_tag_t tags[64];
	unsigned int n = G_N_ELEMENTS(tags);
	hb_face_get_table_tags(face, 0, &n, tags);
	for (unsigned int i = 0; i < n; i++) {
		hb_blob_t *t = tags[i] == HB_TAG('n', 'a', 'm', 'e') ? hb_blob_reference(name) : hb_face_reference_table(face, tags[i]);
		hb_face_builder_add_table(b, tags[i], t);
		hb_blob_destroy(t);
	}
	return b;
}

GBytes *
ov_fonts_subset(GBytes *font, const gunichar *chars, gsize n_chars)
{
	gsize len;
	const char *data = g_bytes_get_data(font, &len);
	hb_blob_t *blob = hb_blob_create_or_fail(data, (unsigned int)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = blob ? hb_face_create(blob, 0) : NULL;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub = NULL;
	GBytes *res = NULL;
	char **rfn;

	if (face == NULL || in == NULL || hb_face_get_glyph_count(face) == 0)
		goto out;
	for (gsize i = 0; i < n_chars; i++)
		hb_set_add(hb_subset_input_unicode_set(in), chars[i]);
	/* every OpenType feature (small capitals, old-style figures, alternates...) for the
	 * characters kept, and every English name record (copyright, licence, designer...) */
	hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
	hb_set_invert(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
	hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID));
	hb_set_invert(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID));
	if ((sub = hb_subset_or_fail(face, in)) == NULL)
		goto out;
	if ((rfn = reserved_names(face)) != NULL) {
		/* a face read from the subset's bytes: only such a face lists its tables */
		hb_blob_t *bytes = hb_face_reference_blob(sub);
		hb_face_t *read = hb_face_create(bytes, 0);
		hb_blob_t *name = renamed_name_table(read, rfn);
		hb_face_destroy(sub);
		sub = with_name_table(read, name);
		hb_blob_destroy(name);
		hb_face_destroy(read);
		hb_blob_destroy(bytes);
		g_strfreev(rfn);
	}
	{
		hb_blob_t *out = hb_face_reference_blob(sub);
		unsigned int n;
		const char *p = hb_blob_get_data(out, &n);
		if (n > 0)
			res = g_bytes_new(p, n);
		hb_blob_destroy(out);
	}
out:
	if (sub)
		hb_face_destroy(sub);
	if (in)
		hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return res;
}
