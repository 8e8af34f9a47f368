/* theme.h: styles/NAME.theme, one source for the PDF layout and the EPUB's CSS. */
#ifndef OCTAVO_THEME_H
#define OCTAVO_THEME_H

#include <glib.h>
#include "diag.h"
#include "gentext.h"

typedef enum { OV_SCOPE_BOOK, OV_SCOPE_CHAPTER } OvScope;

typedef struct {
	char *name;        /* the theme's name (file base name) */
	char *path;        /* the file it came from */
	/* [page] */
	double page_width, page_height;          /* points */
	double margin_top, margin_bottom, margin_inner, margin_outer;
	gboolean facing;                         /* facing pages: inner/outer margins */
	gboolean chapter_recto;                  /* chapters open on a right-hand page */
	gboolean cover;                          /* the PDF starts with the cover */
	/* [fonts] */
	char *body_font, *heading_font, *mono_font;
	double body_size, leading;               /* points; leading = baseline distance */
	double h1_size, h2_size, h3_size, mono_size, footnote_size;
	/* [text] */
	gboolean justify, hyphenate;
	double indent;                           /* first-line indent, points; 0 = space between */
	double para_space;                       /* space between paragraphs when no indent */
	gboolean greedy;                         /* first-fit line breaking instead of total fit */
	int tolerance;                           /* most badness of a line in the first pass (TeX's) */
	double emergency_stretch;                /* extra stretch per line in the second pass, points */
	double letter_space;                     /* justified text: most letter-spacing per gap, points */
	int widows, orphans;                     /* fewest lines of a paragraph at a page's top, bottom */
	gboolean remarks;                        /* remarks (editorial notes) shown in the book */
	/* [colors] */
	char *text_color, *heading_color, *link_color, *rule_color;
	/* [numbering] */
	gboolean number_chapters, number_sections;
	OvScope footnotes, figures;
	/* [toc] */
	int toc_depth;                           /* 1 = chapters only */
	gboolean toc;
	/* [index] */
	gboolean index;                          /* a generated index at the back, from the index terms */
	/* [hyphenation] */
	int hyph_min_word, hyph_min_left, hyph_min_right, hyph_max_lines;
	/* [words]: the theme's own words for the book's (NULL: the language's) */
	char *words[OV_GT_N];
} OvTheme;

/* Where themes, fonts and the schema live: next to the binary in a source tree, else the
 * installed data folder. */
const char *ov_data_dir(void);

/* The file a theme NAME (from the styles folder) or path names, whether or not it exists. */
char *ov_theme_file(const char *name_or_path);
/* Load a theme: a NAME from the styles folder or a path to a .theme file. Problems go to d
 * with the theme file's line and column; NULL when the theme cannot be used: d->usage_failed
 * when it does not exist, d->io_failed when it cannot be read, else its values are wrong. */
OvTheme *ov_theme_load(const char *name_or_path, OvDiags *d);
/* Every font family the theme names is bundled or installed (an error at the theme's line
 * for each that is not). Loads the fonts: for building, not for reading the theme. */
gboolean ov_theme_check_fonts(const OvTheme *t, OvDiags *d);
/* The built-in defaults (the brochure's). */
OvTheme *ov_theme_default(void);
void ov_theme_free(OvTheme *t);

#endif
