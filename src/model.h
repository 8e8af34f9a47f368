/* model.h: the content model shared by every stage.
 *
 * One node struct for blocks and inlines (as cmark does): a type, tree links, the source
 * location, common attributes, a payload union, and the fields the resolve pass fills in
 * (numbers, labels, generated text, link targets). The document owns every node and string
 * in one arena: nothing is freed node by node. */
#ifndef OCTAVO_MODEL_H
#define OCTAVO_MODEL_H

#include <glib.h>
#include "diag.h"

typedef enum {
	OV_DOCUMENT,     /* the root: book or article */
	OV_INFO,         /* rich metadata blocks (abstract, legalnotice, cover) */
	/* divisions */
	OV_PART,
	OV_PREFACE,
	OV_CHAPTER,
	OV_APPENDIX,
	OV_SECTION,      /* section, sect1-sect5, simplesect */
	OV_COLOPHON,
	OV_DEDICATION,
	OV_GLOSSARY,
	OV_INDEX,        /* where the generated index goes */
	OV_ABSTRACT,
	OV_LEGALNOTICE,
	OV_COVER,
	/* titles */
	OV_TITLE,
	OV_SUBTITLE,
	/* blocks */
	OV_PARA,
	OV_FORMALPARA,
	OV_BRIDGEHEAD,
	OV_ITEMIZEDLIST,
	OV_ORDEREDLIST,
	OV_SIMPLELIST,
	OV_LISTITEM,
	OV_VARIABLELIST,
	OV_VARLISTENTRY,
	OV_TERM,
	OV_BLOCKQUOTE,
	OV_EPIGRAPH,
	OV_ATTRIBUTION,
	OV_ADMONITION,
	OV_SIDEBAR,
	OV_FIGURE,       /* figure, informalfigure, example, informalexample */
	OV_MEDIAOBJECT,
	OV_CAPTION,
	OV_TABLE,        /* table, informaltable (CALS and HTML) */
	OV_THEAD,
	OV_TBODY,
	OV_TFOOT,
	OV_ROW,
	OV_CELL,
	OV_VERBATIM,     /* programlisting, screen, literallayout, synopsis */
	OV_INDEXENTRY,   /* a line of the generated index: inline content, u.entry.level */
	/* inlines */
	OV_TEXT,
	OV_EMPHASIS,
	OV_CODE,         /* literal, code, command, filename, replaceable, userinput, ... */
	OV_QUOTE,
	OV_SUBSCRIPT,
	OV_SUPERSCRIPT,
	OV_PHRASE,       /* phrase, abbrev, acronym, citetitle, personname, unknown elements */
	OV_LINK,         /* link, ulink, uri, email */
	OV_XREF,
	OV_FOOTNOTE,
	OV_FOOTNOTEREF,
	OV_INLINEMEDIA,
	OV_LINEBREAK,
	/* leaves that may stand between blocks or inside inlines */
	OV_ANCHOR,
	OV_INDEXTERM,
	OV_IMAGE,        /* imagedata */
	OV_N_TYPES       /* sentinel: size of tables indexed by type */
} OvType;

/* What a node's children are. */
typedef enum {
	OV_CONTENT_NONE,   /* a leaf */
	OV_CONTENT_BLOCKS, /* block children only (inline runs are wrapped in implicit paras) */
	OV_CONTENT_INLINES /* inline children only */
} OvContent;

/* Where a node may stand. */
typedef enum { OV_LEVEL_BLOCK, OV_LEVEL_INLINE, OV_LEVEL_ANY } OvLevel;

typedef struct {
	const char *name;   /* for dump and messages */
	OvContent content;
	OvLevel level;
	gboolean division;  /* has a title, takes part in the TOC */
} OvTypeInfo;

extern const OvTypeInfo ov_type_info[OV_N_TYPES];

typedef enum { OV_ADM_NOTE, OV_ADM_TIP, OV_ADM_WARNING, OV_ADM_IMPORTANT, OV_ADM_CAUTION } OvAdmonition;
typedef enum { OV_VERB_PROGRAM, OV_VERB_SCREEN, OV_VERB_LITERAL, OV_VERB_LITERAL_MONO } OvVerbatim;
typedef enum {
	OV_NUM_ARABIC, OV_NUM_LOWERALPHA, OV_NUM_UPPERALPHA, OV_NUM_LOWERROMAN, OV_NUM_UPPERROMAN
} OvNumeration;
typedef enum { OV_RANGE_SINGULAR, OV_RANGE_START, OV_RANGE_END } OvRange;

/* Inline style flags (ov_inline_style): one source for both back ends. */
enum {
	OV_STYLE_ITALIC = 1 << 0,
	OV_STYLE_BOLD = 1 << 1,
	OV_STYLE_MONO = 1 << 2,
	OV_STYLE_STRIKE = 1 << 3,
	OV_STYLE_UNDERLINE = 1 << 4,
	OV_STYLE_SMALLCAPS = 1 << 5,
	OV_STYLE_SUB = 1 << 6,
	OV_STYLE_SUPER = 1 << 7
};

/* Node flags. */
enum {
	OV_F_IMPLICIT = 1 << 0,   /* made by octavo: a para wrapping loose inline content */
	OV_F_CONTINUED = 1 << 1,  /* a para continuing one split by a block (no first-line indent) */
	OV_F_NUMBERED = 1 << 2,   /* formal figure/table/example: takes a number */
	OV_F_HEADER = 1 << 3,     /* a header cell (th, or in thead) */
	OV_F_UNKNOWN = 1 << 4,    /* an element octavo does not know; text kept */
	OV_F_COMPACT = 1 << 5,    /* list spacing="compact" */
	OV_F_PREFERRED = 1 << 6,  /* indexterm significance="preferred" */
	OV_F_EXTERNAL = 1 << 7,   /* link to a URI outside the book */
	OV_F_LINENUMBERS = 1 << 8,
	OV_F_NEED_PAGE = 1 << 9,  /* xref asks for the target's page number */
	OV_F_GENERATED = 1 << 10, /* made by resolve (the generated index); role names its EPUB Indexes type */
	OV_F_STRAY = 1 << 11,     /* text a table or media object held outside its cells, set after it */
	OV_F_LABELLED = 1 << 12   /* label from the source's label attribute (none if it is empty) */
};

typedef struct OvNode OvNode;

struct OvNode {
	OvType type;
	guint flags;
	OvNode *parent, *first, *last, *next, *prev;
	OvLoc loc;
	const char *tag;    /* the source element name ("acronym", "sect2", ...) */
	const char *id;     /* xml:id or id */
	const char *lang;   /* xml:lang or lang, as written on this node */
	const char *role;
	const char *xreflabel;
	const char *text;   /* OV_TEXT: the characters (UTF-8, NUL-terminated) */
	union {
		struct { int level; const char *renderas, *titleabbrev; } div;  /* divisions, bridgehead; a qandaset's or qandadiv's title (a bridgehead): level, how many sets and divisions hold it (1: a set's) */
		struct { OvNumeration numeration; int start; gboolean continuation, inherit; const char *mark; } list;
		struct { int override; } item;                  /* listitem: -1 when none */
		struct { OvAdmonition kind; } adm;
		struct { OvVerbatim kind; const char *language; } verb;
		struct { int style; } em;                       /* OV_EMPHASIS, OV_CODE, OV_PHRASE: OV_STYLE_* */
		struct {
			const char *fileref, *format, *width, *depth, *contentwidth, *contentdepth, *scale, *align;
			const char *alt;
		} img;
		struct { int ncols; double *colwidth; const char **colalign, **colname; } table; /* colwidth: >0 proportional ("2*"), <0 fixed points, 0 unset */
		struct { int col, colspan, rowspan; const char *align, *valign, *namest, *nameend, *colname, *scope; } cell; /* col: 0-based, set by the reader */
		struct {
			const char *href, *linkend, *xrefstyle, *endterm;
			const char *gen_base; /* OV_F_NEED_PAGE: the text before the page part ("Title on page ") */
			const char *gen_words; /* OV_F_NEED_PAGE: the text in a book without pages ("Title") */
		} link;
		struct { int level; } entry;                    /* OV_INDEXENTRY: 0 primary, 1, 2 */
		struct {
			const char *primary, *secondary, *tertiary, *see, *sortas, *startref, *zone;
			const char **seealso; /* NULL-terminated, may be NULL */
			OvRange range;
		} idx;
	} u;
	/* filled in by resolve */
	int number;         /* chapter/section/figure/table/footnote/list item number, 0 if none */
	guint order;        /* 1 + its place in reading order (ov_doc_order), 0 if not numbered */
	const char *label;  /* "3", "2.1", "A", "IV"; NULL if unnumbered */
	const char *gen;    /* generated text: xref text, footnote mark, list item mark */
	OvNode *target;     /* xref/link/footnoteref: the node it points at */
	OvNode *chapter;    /* the top-level division (chapter, preface, ...) holding this node */
	const char *page;   /* after pagination: an OV_F_NEED_PAGE xref's target's print page label */
	/* ov_node_lang's memory: the language in force here ("" for none), NULL until asked */
	const char *lang_cache;
};

typedef struct {
	OvNode *node;
	int level; /* 0 = part/chapter level, 1 = section, ... */
} OvTocEntry;

/* What a person (or an organisation) named in the book's info did for it. */
typedef enum { OV_CREDIT_AUTHOR, OV_CREDIT_EDITOR, OV_CREDIT_TRANSLATOR, OV_CREDIT_ILLUSTRATOR, OV_CREDIT_OTHER } OvCredit;

typedef struct {
	OvCredit credit;
	const char *name;        /* plain text */
	const char *contrib;     /* what they did, as written (contrib), or NULL */
	const char *affiliation; /* jobtitle, orgdiv, orgname: "Editor, Press Office, UN", or NULL */
	const char *email, *address; /* address: its lines joined by ", " */
} OvPerson;

typedef struct {
	const char *number, *date, *author, *remark; /* plain text, each may be NULL */
} OvRevision;

typedef struct {
	const char *title, *subtitle;        /* plain text */
	GPtrArray *authors;                  /* const char *, plain text: the names of the authors in people */
	GArray *people;                      /* OvPerson: authors, editors, other credits in source order */
	GArray *revisions;                   /* OvRevision, revhistory's order */
	GPtrArray *printhistory;             /* const char *: printhistory's paragraphs, plain text */
	const char *publisher, *date, *pubdate, *copyright, *releaseinfo, *edition, *isbn, *orgname;
	const char *publisher_address;       /* the publisher's address, plain text, or NULL */
	const char *identifier;              /* biblioid class="uri", "doi" or "other": the EPUB's own id */
	const char *identifier_class;        /* that biblioid's class */
	GPtrArray *keywords;                 /* const char * */
	const char *lang;                    /* the document's xml:lang, "en" by default */
} OvMeta;

typedef struct {
	OvNode *root;
	OvMeta meta;
	const char *path;        /* the main file, as given */
	const char *dir;         /* the book's folder (real path): includes and images stay inside */
	GHashTable *ids;         /* id -> OvNode*, filled by resolve */
	GHashTable *anchors;     /* OvNode* -> the name resolve made for its place (ov_node_anchor) */
	GArray *toc;             /* OvTocEntry, filled by resolve */
	GPtrArray *indexterms;   /* OvNode* of OV_INDEXTERM, document order */
	GPtrArray *footnotes;    /* OvNode* of OV_FOOTNOTE, document order */
	GPtrArray *files;        /* const char *: every source file read (main first) */
	gboolean docbook5;       /* namespaced source */
	OvNode *index;           /* the index division the generated index fills, or NULL */
	gpointer index_data;     /* index.c's entries, freed with index_data_free */
	GDestroyNotify index_data_free;
	/* storage */
	GStringChunk *strings;
	GSList *blocks;          /* arena blocks */
	gsize block_used, block_size;
	guint made;              /* nodes made so far (ov_node_new) */
	guint ordered;           /* made, when ov_doc_order last numbered the tree */
	guint n_ordered;         /* the nodes it numbered */
} OvDoc;

OvDoc *ov_doc_new(const char *path);
void ov_doc_free(OvDoc *doc);
/* Arena allocation, zero-filled, freed with the document. */
gpointer ov_alloc(OvDoc *doc, gsize size);
/* Copy a string into the document (NULL stays NULL). */
const char *ov_strdup(OvDoc *doc, const char *s);
const char *ov_strndup(OvDoc *doc, const char *s, gsize n);
const char *ov_intern(OvDoc *doc, const char *s);
const char *ov_printf(OvDoc *doc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

OvNode *ov_node_new(OvDoc *doc, OvType type, OvLoc loc);
/* Number every node of the tree in reading order (node->order): the order both back ends set
 * them in, which is document order except that a table's foot comes after its bodies and a
 * quotation's attribution after it (the source may put them first). The build numbers the
 * tree before each typesetting pass (the page map needs it), when it changed since. */
void ov_doc_order(OvDoc *doc);
/* The children of n in reading order. */
GPtrArray *ov_reading_children(const OvNode *n);
void ov_node_append(OvNode *parent, OvNode *child);
void ov_node_insert_after(OvNode *sibling, OvNode *child);
void ov_node_prepend(OvNode *parent, OvNode *child);
void ov_node_unlink(OvNode *node);
/* The first child of the given type, or NULL. */
OvNode *ov_node_child(const OvNode *node, OvType type);
/* The nearest ancestor (or the node itself) of the given type, or NULL. */
OvNode *ov_node_ancestor(const OvNode *node, OvType type);
/* Is node anc or inside it? */
gboolean ov_node_inside(const OvNode *node, const OvNode *anc);
/* A table cell's alignment as both outputs set it: its own align, else centred for a head
 * over several columns, else its column's (a colspec's, or "right" for a column of numbers,
 * found by resolve); "left", "right", "center", "justify" ("char" as "right"), or NULL for
 * the default. */
const char *ov_cell_align(const OvNode *cell);
gboolean ov_node_is_block(const OvNode *node);
/* Can s stand as an id in both outputs (an XML name without colons, and no noncharacter)? */
gboolean ov_is_ncname(const char *s);
/* Is c a noncharacter (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF)? Legal in XML, but Cairo takes no
 * text with one in it (its UTF-8 check): the context stops drawing, and the page is lost. */
gboolean ov_noncharacter(gunichar c);
/* s[0, len) (len -1: to its end) with U+FFFD for each noncharacter, newly allocated, its
 * length in *out_len (if not NULL); NULL when it has none. */
char *ov_text_no_nonchars(const char *s, int len, int *out_len);
/* The name both outputs give the place of node: its id if that is an XML name, else the one
 * resolve made ("ov-N" in document order, a footnote's "fn-N") if the node is a link
 * target, a division, a footnote, an index term or an anchor, or has an unusable id; else
 * NULL. The EPUB writes it as the element's id, the PDF as its destination's name. */
const char *ov_node_anchor(const OvDoc *doc, const OvNode *node);
/* A name no key of taken (strings) is: wish itself, else wish-2, wish-3 ... Takes wish
 * over; the name is newly allocated, and not added to taken. */
char *ov_free_name(GHashTable *taken, char *wish);
gboolean ov_node_is_division(const OvNode *node);
/* The language in force at this node (inherited), or NULL. Amortised O(1) at any depth: the
 * answer is remembered on every node of the way up, so ask only once the tree is complete
 * (after the reader). */
const char *ov_node_lang(const OvNode *node);
/* Answer ov_node_lang for every node under root now: after this it only reads the tree, and
 * two threads may ask it at once. */
void ov_node_lang_all(const OvNode *root);
/* The plain text of a node's subtree (footnotes, their marks and index terms left out),
 * into s. */
void ov_node_text(const OvNode *node, GString *s);
/* The same, with the words alone of a "page N" reference in it ("Title", not "Title on page
 * 3"): what another reference to the node shows of it. */
void ov_node_words(const OvNode *node, GString *s);
/* The same words set inside quotes quotations: their marks alternate from that depth. */
void ov_node_words_at(const OvNode *node, GString *s, int quotes);
/* What an xref, a link without words of its own or a footnote reference shows (pageless: a
 * "page N" reference's words alone); NULL if nothing (not yet resolved, or a link's own). */
const char *ov_ref_words(const OvNode *x, gboolean pageless);
/* The book's identifier: urn:isbn from its ISBN, its own biblioid (uri, doi, other), else a
 * UUID named by its title, authors, subtitle, edition and language (newly allocated). */
char *ov_meta_identifier(const OvDoc *doc);
/* The book's pubdate, else date, in W3CDTF (2014-01-13), or NULL (newly allocated). */
char *ov_meta_date(const OvMeta *m);
/* The words of the book's abstract, its paragraphs joined by spaces, or NULL (newly allocated). */
char *ov_meta_abstract(const OvDoc *doc);
/* The image of a media object whose role is for the print (PDF) or the e-book output, or NULL
 * when none says. */
const OvNode *ov_media_pick(const OvNode *media, gboolean print);
/* A media object's images in the order an output tries them: the one ov_media_pick gives
 * first, then the others in their order; prev NULL for the first, NULL after the last. */
const OvNode *ov_media_next(const OvNode *media, const OvNode *prev, gboolean print);
/* OV_STYLE_* flags an inline node itself adds. */
int ov_inline_style(const OvNode *node);
const char *ov_type_name(OvType type);

/* An enter/exit iterator (cmark's shape): no recursion, any depth. */
typedef enum { OV_EV_NONE, OV_EV_ENTER, OV_EV_EXIT } OvEvent;
typedef struct {
	OvNode *root, *cur;
	OvEvent ev;
	gboolean skip, started;
} OvIter;

void ov_iter_init(OvIter *it, OvNode *root);
/* Next event; OV_EV_NONE when done. Leaves are entered and exited. */
OvEvent ov_iter_next(OvIter *it);
/* Skip the current node's children: the next event is its exit. */
void ov_iter_skip_children(OvIter *it);

#endif
