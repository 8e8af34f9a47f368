/* internal.h: what the files of the EPUB back end share (not for other modules).
 *
 * epub.c plans the book (one XHTML page per top-level division, plus cover, title page,
 * copyright page and nav), gives ids to the link targets that lack one, and drives the rest;
 * body.c writes the XHTML of the pages from the model; css.c writes the style sheet from
 * the theme; package.c writes the OPF, nav, NCX and container and zips it all. */
#ifndef OCTAVO_EPUB_INTERNAL_H
#define OCTAVO_EPUB_INTERNAL_H

#include "../model.h"
#include "../theme.h"
#include "../image.h"
#include "../pagemap.h"
#include "../gentext.h"
#include "xhtml.h"

typedef enum {
	EP_COVER,      /* cover.xhtml: the cover image */
	EP_TITLEPAGE,  /* title, subtitle, authors, publisher, date */
	EP_COPYRIGHT,  /* copyright, legal notice, abstract, edition, release info, ISBN */
	EP_NAV,        /* nav.xhtml, in the spine when the theme asks for a TOC */
	EP_DIVISION,   /* a top-level division (chapter, preface, part page, ...) */
	EP_LOOSE,      /* a run of content outside divisions (an article's text) */
	EP_PIECE       /* a run of a long division's children, from a section on */
} EpKind;

typedef struct EpPool EpPool;
typedef struct EpPacked EpPacked;

typedef struct {
	EpKind kind;
	const OvNode *root;   /* EP_DIVISION: the division; EP_LOOSE, EP_PIECE: the run's first node */
	const OvNode *last;   /* EP_LOOSE, EP_PIECE: the run's last node */
	const OvNode *div;    /* EP_DIVISION, EP_PIECE: the top-level division, whose heading is h1 */
	const OvNode *stop;   /* a child from which on the rest of its siblings are in later pieces, or NULL */
	gsize size;           /* while planning: the XHTML bytes of a run so far, roughly */
	char *id;             /* manifest id */
	char *file;           /* "chapter-1.xhtml", relative to the package folder */
	char *title;          /* plain text, for <title> */
	const char *title_lang; /* its language when it is octavo's words ("Contents"), else NULL */
	const char *lang;     /* the page's language */
	gboolean linear;
	GBytes *data;         /* the page once written, until ep_chunk_done */
	GHashTable *ids;      /* after ep_chunk_done: id (as written) -> 1 + its first byte offset */
	EpPacked *packed;     /* after ep_chunk_done: the page deflated */
	GPtrArray *marks_first; /* EpPage*: print page markers at the top of the page */
	GPtrArray *marks_last;  /* ... and at its end */
} EpChunk;

/* A page of the print edition: its marker in the text and its entry in the page list. */
typedef struct {
	const OvPage *pg;
	const char *id;       /* "page-12" (in Epub.taken) */
	EpChunk *chunk;       /* the XHTML page its marker is in */
	const char *label_lang; /* "en" when its label is octavo's English ("Cover") in a book in another language */
	gboolean written;
} EpPage;

typedef struct {
	char *id, *href, *media_type, *properties;
	GBytes *data;
	char *source;           /* a font: the file it was read from */
} EpItem;

/* Faces of the bundled fonts, as bits of Epub.faces: family * 4 + bold * 2 + italic. */
enum { EP_FAM_BODY, EP_FAM_HEAD, EP_FAM_MONO };
#define EP_FACE(fam, bold, italic) (1u << ((fam) * 4 + ((bold) ? 2 : 0) + ((italic) ? 1 : 0)))

typedef struct {
	const OvDoc *doc;
	const OvTheme *th;
	OvDiags *d;
	GPtrArray *chunks;      /* EpChunk*, spine order */
	GHashTable *chunk_of;   /* const OvNode* -> EpChunk*: chunk roots and run members */
	GHashTable *chunk_memo; /* ep_chunk_of's answers, once the chunks are all known */
	GHashTable *ids;        /* const OvNode*: written with resolve's name when it has no id */
	GHashTable *taken;      /* every id in use, the book's and octavo's */
	GHashTable *noteref;    /* footnote node -> id of its mark */
	GPtrArray *items;       /* EpItem*: images, fonts and the cover image */
	GHashTable *images;     /* the image's file (relative to the book) -> EpItem* */
	GHashTable *names;      /* package paths in use */
	GHashTable *item_ids;   /* manifest ids in use */
	EpItem *cover_image;
	const char *cover_alt;
	gboolean cover_alt_word; /* cover_alt is octavo's word ("Cover"), in its language */
	char *cover_words;       /* the drawn cover's text, its alt (owned) */
	EpChunk *nav, *titlepage;
	guint faces;            /* EP_FACE bits of the text written */
	int n_images;           /* images in the content (not the cover) */
	int n_images_alt;       /* ... of which have alt text */
	int n_headings;
	const char *lang;       /* the book's language, a valid tag ("und" when unknown) */
	GHashTable *langs;      /* language tags as written -> as written in the EPUB ("" unusable) */
	gboolean rtl;           /* the book's language is written right to left */
	char *identifier;       /* urn:isbn:... or urn:uuid:... */
	const OvPageMap *pm;    /* the print edition's pages, or NULL */
	GBytes *cover_png;      /* the typeset cover drawn ahead (ov_epub_cover_png), or NULL */
	GPtrArray *pages;       /* EpPage*, in page order */
	GHashTable *page_before; /* const OvNode* -> GPtrArray of EpPage*: markers before its element */
	GHashTable *page_text;  /* const OvNode* -> GPtrArray of EpPage*: markers in its text, by offset */
	GHashTable *page_toc;   /* const OvNode* -> GPtrArray of EpPage*: markers before its contents line */
	GHashTable *page_label; /* page label -> EpPage* */
	char *modified;         /* CCYY-MM-DDThh:mm:ssZ */
	guint16 dos_date, dos_time;
	gboolean threads;       /* the build may use more than one thread (ov_build_threads) */
	GThread *cover_thread;  /* drawing the typeset cover while the pages are written, or NULL */
	gboolean cover_quiet;   /* the typeset cover stands for a remote cover image: its problems are not reported again */
	EpPool *pool;           /* deflating entries ahead (ep_pack), or NULL */
	GHashTable *packed;     /* GBytes* (a page's: its EpPacked*) -> EpPacked*: the entries deflated ahead */
	guint8 *text_chars;     /* a bit per character of the pages written (ep_chunk_done) */
	GPtrArray *fallbacks;   /* bundled families after the theme's in the font stacks (css.c) */
	GArray *subset_chars;   /* gunichar: the characters the font subsets keep */
	char *subset_key;       /* their SHA-256, for the cache of subsets */
} Epub;

/* The typeset cover's PNG in cover_image: the one drawn ahead (given, or by cover_thread),
 * else drawn now. FALSE if it cannot be drawn or the drawing reported a problem. */
gboolean ep_cover_finish(Epub *ep);

/* ---- package.c: the pages' characters, for the style sheet's font stacks and the subsets ---- */
#define EP_HAS_CHAR(bits, c) (((bits)[(c) >> 3] >> ((c) & 7)) & 1)
/* A page written (c->data): what the package needs of it later is kept (its characters, with
 * their other cases, in ep->text_chars; where its ids are), its bytes deflated (ep_pack) and
 * let go once they are: a long book's XHTML is never all in memory at once. */
void ep_chunk_done(Epub *ep, EpChunk *c);

/* ---- package.c: deflating ahead ---- */
/* Deflate data (an entry of the zip to be deflated) now, in a thread of the pool when the
 * build uses threads, so that zip_close only copies it. */
void ep_pack(Epub *ep, GBytes *data);
/* The same for a font (item it), subset first to ep->subset_chars, or taken from the cache
 * of subsets when it holds this font's for these characters. */
void ep_pack_font(Epub *ep, const EpItem *it);
/* Wait until every entry given to ep_pack is deflated. */
void ep_pack_wait(Epub *ep);
void ep_packed_free(gpointer p);

/* ---- epub.c ---- */
/* The page that holds node (the nearest chunk root or run member above it), or NULL. */
EpChunk *ep_chunk_of(const Epub *ep, const OvNode *node);
/* The id to write on node's element: its own when usable in XHTML, else one octavo made
 * (for link targets, TOC entries, footnotes), else NULL. */
const char *ep_node_id(const Epub *ep, const OvNode *node);
/* The href from page `from` to node: "file.xhtml#id", "#id" within the page, NULL when the
 * node is not in the EPUB. Free with g_free. */
char *ep_href(const Epub *ep, const EpChunk *from, const OvNode *node);
/* "Chapter 1", "Part I", "Appendix A", "1.2": the label a heading shows, or NULL. */
char *ep_label_text(const OvDoc *doc, const OvNode *div);
/* The language tag to write for lang as the source gives it: "en_US" becomes "en-US"; NULL
 * for one that XHTML would refuse (a warning at loc, once per tag). */
const char *ep_lang(Epub *ep, const char *lang, OvLoc loc);
/* Is the language (a BCP 47 tag) written right to left? */
gboolean ep_lang_rtl(const char *lang);
/* Do two language tags (as the source or ep_lang gives them) name one language (their
 * primary subtags)? */
gboolean ep_lang_same(const char *a, const char *b);
/* The attributes of words octavo writes in language words (ov_gentext_word_lang: the book's, or
 * English where it has no words for the book's) on the start tag being written, where the
 * language in force is here (NULL: the book's): nothing when both are one language, else
 * xml:lang (and lang in XHTML), and dir where the direction changes. TRUE when written (x
 * NULL: when it would be). */
gboolean ep_words_lang(Epub *ep, Ovx *x, const char *here, const char *words, gboolean xhtml);
/* Add a file to the package (data taken); its manifest id is made from the path. */
EpItem *ep_add_item(Epub *ep, const char *href, const char *media_type, GBytes *data);
/* The package item of an image node's file, copied in once however often it is used; NULL
 * when the image cannot be used (remote, missing, damaged: a diagnostic at the node). *img
 * gets the image read (free with ov_image_free). */
EpItem *ep_image(Epub *ep, const OvNode *node, OvImage **img);
/* A manifest id not used yet, made from a path ("images/dot.png" -> "images-dot.png"). */
char *ep_unique_id(Epub *ep, const char *path);
/* A package path not used yet, from a wish ("images/a b.png" -> "images/a-b.png"). */
char *ep_unique_name(Epub *ep, const char *wish);

/* The marker of the print page with this label, or NULL. */
EpPage *ep_page(const Epub *ep, const char *label);

/* ---- body.c ---- */
/* Write the XHTML of a page (any kind but EP_NAV and EP_COVER) into c->data. */
void ep_write_chunk(Epub *ep, EpChunk *c);
/* The common head of every XHTML page; body_type is the body's epub:type (or NULL). */
void ep_page_begin(Epub *ep, Ovx *x, const char *lang, const char *title, const char *title_lang, const char *body_type,
		   const char *body_class);
/* The marker of a print page: <span epub:type="pagebreak" role="doc-pagebreak" id aria-label/>. */
void ep_page_marker(Ovx *x, EpPage *p, EpChunk *c);
GBytes *ep_page_end(Ovx *x);

/* ---- css.c ---- */
/* The style sheet: the theme as CSS, with @font-face for the faces used (adds the fonts). */
GBytes *ep_css(Epub *ep);

/* ---- package.c ---- */
/* nav.xhtml, cover.xhtml, the OPF, the NCX, the container; then the zip at path. */
gboolean ep_package(Epub *ep, const char *path);

#endif
