/* gentext.h: the words octavo writes into a book (labels, titles it supplies, admonitions,
 * index and navigation words), in the book's language. */
#ifndef OCTAVO_GENTEXT_H
#define OCTAVO_GENTEXT_H

#include "model.h"

typedef enum {
	OV_GT_PART, OV_GT_CHAPTER, OV_GT_APPENDIX, OV_GT_SECTION,
	OV_GT_TABLE, OV_GT_FIGURE, OV_GT_EXAMPLE,
	OV_GT_PREFACE, OV_GT_COLOPHON, OV_GT_DEDICATION, OV_GT_GLOSSARY, OV_GT_BIBLIOGRAPHY,
	OV_GT_INDEX, OV_GT_CONTENTS,
	OV_GT_NOTE, OV_GT_TIP, OV_GT_WARNING, OV_GT_IMPORTANT, OV_GT_CAUTION, /* OvAdmonition's order */
	OV_GT_SEE, OV_GT_SEE_ALSO, OV_GT_SYMBOLS,
	OV_GT_PAGE,    /* "page" before a number: "page 12" */
	OV_GT_ON_PAGE, /* between words and a number: "Chapter 2 on page 12" */
	OV_GT_COVER, OV_GT_TITLE_PAGE, OV_GT_COPYRIGHT, OV_GT_ABOUT, OV_GT_LANDMARKS, OV_GT_PAGES,
	OV_GT_START,   /* the landmark of the body's start */
	OV_GT_PUBLISHED, /* before the date on the copyright page */
	OV_GT_SET_IN,  /* printf format: body font, heading font, octavo's version */
	OV_GT_EDITED_BY, OV_GT_TRANSLATED_BY, OV_GT_ILLUSTRATED_BY, /* before names: "Edited by A, B" */
	OV_GT_REVHISTORY, OV_GT_REVISION,
	OV_GT_QUESTION, OV_GT_ANSWER, /* the labels of a qandaset's questions and answers: "Q:", "A:" */
	OV_GT_COPYRIGHT_SIGN, /* before the years of the copyright line: "Copyright ©" */
	OV_GT_STEP,    /* before a procedure step's number in an xref: "step 3" */
	OV_GT_INSIDE_COVER, /* the label of the cover's blank back in a PDF with facing pages */
	OV_GT_EQUATION,
	OV_GT_N
} OvGentext;

/* The theme's [words] keys, one for each word ("chapter", "see-also", "set-in", …). */
extern const char *const ov_gentext_keys[OV_GT_N + 1]; /* and a NULL */

/* The theme's own words (an array of OV_GT_N, NULL where the language's word stands; NULL:
 * none), used for every language from now on. Set before a build, never during one. */
void ov_gentext_override(char *const *words);

/* The word in the book's language (doc->meta.lang: its primary subtag, and Brazilian
 * Portuguese), in English for a language octavo has no words for; the theme's where it has
 * one. Static strings. */
const char *ov_gentext(const OvDoc *doc, OvGentext w);
/* The same for a language tag (NULL: English). */
const char *ov_gentext_lang(const char *lang, OvGentext w);
/* The language the word ov_gentext_lang(lang, w) gives is in: lang, or "en" where octavo has
 * no words for lang (and the theme gives none for w) and falls back to English. The outputs
 * mark the word with it where it stands among words of another language. */
const char *ov_gentext_word_lang(const char *lang, OvGentext w);

/* The quotation marks for a quotation depth levels inside others in language lang (NULL:
 * English): outer and inner marks alternate. The PDF and the EPUB print the same. */
void ov_gentext_quotes(const char *lang, int depth, const char **open, const char **close);

/* The mark before the items of a list without numbers, the same in both outputs. */
typedef enum { OV_MARK_NONE, OV_MARK_DISC, OV_MARK_DASH, OV_MARK_CIRCLE, OV_MARK_SQUARE } OvMark;

/* An itemized list's mark attribute (bullet or disc, dash, circle or opencircle, square or
 * box, none), else by how deep the list stands among lists (any kind): disc, dash, circle in
 * turn; none for a simple list; a disc for any other node. */
OvMark ov_list_mark(const OvNode *list);
/* Does an ordered list take its items' numbers after its own item's (inheritnum="inherit" in
 * an item of an ordered list)? Its items' labels are then "3.a", written out in both outputs. */
gboolean ov_list_inherits(const OvNode *list);
/* How many lists (of any kind) stand around list. */
int ov_list_depth(const OvNode *list);
/* The mark as text: "•", "–", "◦", "▪", or "" for none. */
const char *ov_list_mark_text(OvMark m);

/* The word for a division, figure or table type (Part, Chapter, Appendix, Section, Table,
 * Example, Figure), or NULL for other nodes. */
const char *ov_gentext_type(const OvDoc *doc, const OvNode *n);

/* The title an untitled preface, colophon, dedication, glossary, bibliography or index shows
 * where its title is asked for ("Glossary" in the book's language), else NULL. */
const char *ov_default_title(const OvDoc *doc, const OvNode *div);

/* The words that stand for any division's title in a list of them (the contents, the
 * outline, the navigation) when it has none: those above, or "Chapter", "Section" … */
const char *ov_gentext_division(const OvDoc *doc, const OvNode *div);

/* A division's title as plain text, white space stripped; when it has no words, those that
 * stand for it: ov_gentext_division's (any) or ov_default_title's, which may be none (NULL).
 * Free with g_free. */
char *ov_division_title(const OvDoc *doc, const OvNode *div, gboolean any);
/* The language of those words when they are octavo's (no title with words of its own, or one
 * octavo made: an untitled glossary's, the generated index's), as ov_gentext_word_lang; NULL
 * when they are the title's own or there are none. */
const char *ov_division_title_lang(const OvDoc *doc, const OvNode *div, gboolean any);

/* The title page's lines about people, the same in both outputs: each author's name
 * (OV_LINE_NAME) with their affiliation, email and address under it (OV_LINE_DETAIL), the
 * info's orgname (OV_LINE_NAME, unless it is the publisher or an author), then
 * "Edited by A, B", "Translated by …", "Illustrated by …" and the other credits' "Name
 * (contrib)" (OV_LINE_CREDIT). An array of OvTextLine; free with ov_text_lines_free. */
typedef enum { OV_LINE_NAME, OV_LINE_DETAIL, OV_LINE_CREDIT } OvTextLineKind;
typedef struct {
	OvTextLineKind kind;
	char *text;
} OvTextLine;
GArray *ov_gentext_people(const OvDoc *doc);
/* The people of one credit, their names joined by ", " (with_contrib: "Name (contrib)"),
 * editors, translators and illustrators after their word in language lang ("Edited by A,
 * B"); NULL when there are none. Title pages and bylines share it. */
char *ov_gentext_credit(const GArray *people, OvCredit credit, const char *lang, gboolean with_contrib);
/* The copyright page's revision history, a line for each revision: "Revision 1.2,
 * 2026-11-01, JS. Remark." (strings; the array frees them). */
GPtrArray *ov_gentext_revisions(const OvDoc *doc);

/* Languages whose scripts have no italics and whose bundled fonts have a bold (Arabic,
 * Persian, Urdu, Pashto; Hebrew, Yiddish; primary subtags, NULL-terminated): their emphasis
 * is set bold, other italics upright, in both outputs, rather than in a slant the font does
 * not have. (CJK keeps the slant: its one bundled font has no bold to use instead.) */
extern const char *const ov_upright_langs[];
gboolean ov_lang_upright(const char *lang);
/* ov_inline_style of n as both outputs show it: in such a language, no italic (emphasis bold). */
int ov_inline_style_shown(const OvNode *n);

/* The stop after a run-in title (a formal paragraph's): "." unless the title ends in
 * punctuation of its own ("Why?", "Note:"). */
const char *ov_run_in_stop(const OvNode *title);
void ov_text_lines_free(GArray *lines);

#endif
