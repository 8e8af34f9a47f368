/* index.h: the generated index, built into the model so that both back ends print it.
 *
 * resolve makes its skeleton (letter groups, entries with their terms and see / see also
 * references, as OV_SECTION and OV_INDEXENTRY nodes under the index division); once the PDF is
 * typeset, the locators (page numbers, each a link to the term's place) are filled in from the
 * page map. Sorting follows the book's language without the C library's locales (a build must
 * not depend on which locales the machine has). */
#ifndef OCTAVO_INDEX_H
#define OCTAVO_INDEX_H

#include "model.h"
#include "pagemap.h"

/* A key that sorts s (UTF-8) in the order of language lang ("en", "nb-NO"; NULL: no
 * tailoring) with strcmp: case and accents only break ties; spaces and punctuation separate
 * words; digits come before letters; Danish and Norwegian put æ ø å after z, Swedish and
 * Finnish å ä ö. Free with g_free. */
char *ov_collate_key(const char *s, const char *lang);
/* The heading of the letter group s sorts in: "A", "Æ" (nb), "Symbols" for digits and signs.
 * Free with g_free. */
char *ov_index_letter(const char *s, const char *lang);

/* Before numbering: the index division that gets a generated index (the book's empty <index>,
 * or one added at the back when the theme asks and the book has index terms), with a title
 * ("Index") when it has none. Sets doc->index. */
void ov_index_prepare(OvDoc *doc, gboolean theme_index, OvDiags *d);
/* After resolving links: the groups and entries under doc->index, without locators. */
void ov_index_build(OvDoc *doc, OvDiags *d);
/* Fill in the locators from the page map. commit FALSE: only tell. TRUE when they differ from
 * what the index held (then the book must be typeset again). */
gboolean ov_index_locate(OvDoc *doc, const OvPageMap *pm, gboolean commit);
/* A book without pages (an EPUB not tied to the PDF): pageless TRUE gives each entry, instead
 * of page numbers, the titles of the sections that hold its places; FALSE takes them away again
 * (the state before typesetting). */
void ov_index_pageless(OvDoc *doc, gboolean pageless);

#endif
