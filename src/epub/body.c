/* body.c: the XHTML of the pages, written from the model.
 *
 * A non-recursive walk (an explicit stack of frames, as deep as the input may be) calls
 * enter() and leave() for every node; enter() opens the node's elements (owned by the node
 * in the writer's tag stack) and leave() closes what the node opened. A table writes its foot
 * last and a quotation its attribution last, whatever the source's order: see child_order().
 * Footnotes are written at the end of their page, each as an aside the mark points to. */
#include <string.h>
#include "internal.h"
#include "../image.h"

/* Style bits kept in the writer's tags (ovx_user): which face the text is set in. Mirrors
 * the CSS of css.c, so the style sheet embeds only the faces the text uses. */
#define ST_FAM(u) ((u) & 3u)
#define ST_BOLD 4u
#define ST_ITALIC 8u

typedef struct {
	Epub *ep;
	EpChunk *chunk;
	Ovx x;
	GPtrArray *notes;          /* footnotes called on this page, written at its end */
	const OvNode *note;        /* the footnote being written (for its back-link) */
	const char *pending_id;    /* a varlistentry's id, for its first dt or dd */
	int links;                 /* open <a> elements: links never nest */
	int quotes;                /* open quotations: the inner ones take other marks */
	GPtrArray *deferred;       /* EpPage*: print page markers waiting for a place phrasing may stand */
	guint idx_group;           /* writer depth inside the index group being written */
	guint idx_li[3];           /* writer depth before the open entry of each level */
	int idx_open;              /* open entries (levels) of the index group */
	const OvNode *media_shown; /* the media object whose image is shown: its alternatives are not */
} Render;

typedef enum { WALK_IN, WALK_OVER, WALK_SKIP } Walk;

static void walk(Render *r, const OvNode *root);

/* ---- small helpers ---- */

/* Mark the face the innermost tag's text is set in as used. */
static void
use_face(Render *r)
{
	guint u = ovx_user(&r->x);
	guint fam = ST_FAM(u);
	gboolean italic = (u & ST_ITALIC) && fam != EP_FAM_MONO; /* the mono family has no italic */
	r->ep->faces |= EP_FACE(fam, u & ST_BOLD, italic);
}

static void flush_marks(Render *r);

/* len bytes of text (-1: up to the NUL) in the current face. */
static void
text_len(Render *r, const char *s, gssize len)
{
	gsize n;
	if (s == NULL)
		return;
	n = len < 0 ? strlen(s) : (gsize)len;
	if (n == 0)
		return;
	flush_marks(r);
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace(s[i])) {
			use_face(r);
			break;
		}
	ovx_text_len(&r->x, s, (gssize)n);
}

/* Text in the current face. */
static void
text(Render *r, const char *s)
{
	text_len(r, s, -1);
}

/* Change the innermost tag's face: fam < 0 keeps the family; bold/italic: -1 keeps. */
static void
restyle(Render *r, int fam, int bold, int italic)
{
	guint u = ovx_user(&r->x);
	if (fam >= 0)
		u = (u & ~3u) | (guint)fam;
	if (bold >= 0)
		u = bold ? (u | ST_BOLD) : (u & ~ST_BOLD);
	if (italic >= 0)
		u = italic ? (u | ST_ITALIC) : (u & ~ST_ITALIC);
	ovx_set_user(&r->x, u);
}

static const char *
parent_lang(const Render *r, const OvNode *n)
{
	const char *l = n->parent ? ov_node_lang(n->parent) : NULL;
	return l ? l : r->ep->lang;
}

/* lang and xml:lang of node when its source marks a usable language, and dir where the
 * writing direction changes (the start tag must be open). */
static void
lang_attrs(Render *r, const OvNode *n)
{
	const char *lang = ep_lang(r->ep, n->lang, n->loc);
	if (lang == NULL)
		return;
	ovx_attr(&r->x, "lang", lang);
	ovx_attr(&r->x, "xml:lang", lang);
	if (ep_lang_rtl(lang) != ep_lang_rtl(parent_lang(r, n)))
		ovx_attr(&r->x, "dir", ep_lang_rtl(lang) ? "rtl" : "ltr");
}

/* The language in force at node n (the book's when the source gives none). */
static const char *
lang_at(const Render *r, const OvNode *n)
{
	const char *l = n ? ov_node_lang(n) : NULL;
	return l ? l : r->ep->lang;
}

/* Open a span for words octavo writes in language wlang (ov_gentext_word_lang) where n's
 * language is in force, when the two differ (the words are English in a book whose language
 * octavo has no words for): TRUE when it did, and the caller closes it. */
static gboolean
words_open(Render *r, const OvNode *n, const char *wlang)
{
	if (!ep_words_lang(r->ep, NULL, lang_at(r, n), wlang, TRUE))
		return FALSE;
	flush_marks(r); /* a page's marker before the words, not in their span */
	ovx_begin(&r->x, NULL, "span");
	ep_words_lang(r->ep, &r->x, lang_at(r, n), wlang, TRUE);
	ovx_end(&r->x);
	return TRUE;
}

/* Words octavo writes (word w of the book's language, or s for it when not NULL) where n's
 * language is in force: in a span of their own language when it differs. */
static void
words(Render *r, const OvNode *n, OvGentext w, const char *s)
{
	gboolean span = words_open(r, n, ov_gentext_word_lang(r->ep->doc->meta.lang, w));
	text(r, s ? s : ov_gentext(r->ep->doc, w));
	if (span)
		ovx_close(&r->x);
}

/* id, lang, xml:lang and dir of node (the start tag must be open). */
static void
node_attrs(Render *r, const OvNode *n)
{
	ovx_attr(&r->x, "id", ep_node_id(r->ep, n));
	lang_attrs(r, n);
}

/* Open an element for node with its common attributes and a class (may be NULL). A
 * varlistentry's id waiting for its first dt or dd goes there; the node's own id then sits
 * on an empty span inside. */
static void
open_el(Render *r, const OvNode *n, const char *tag, const char *cls)
{
	const char *pending = r->pending_id;
	const char *own = ep_node_id(r->ep, n);

	r->pending_id = NULL;
	ovx_begin(&r->x, n, tag);
	if (pending) {
		ovx_attr(&r->x, "id", pending);
		lang_attrs(r, n);
	} else {
		node_attrs(r, n);
	}
	ovx_attr(&r->x, "class", cls);
	ovx_end(&r->x);
	if (pending && own) {
		ovx_open(&r->x, NULL, "span", "id", own, NULL);
		ovx_close(&r->x);
	}
}

/* Can phrasing content (a span, text) stand here? Not directly in lists and tables, nor in a
 * figure, whose figcaption must come first. */
static gboolean
phrasing_ok(const Render *r)
{
	static const char *const no[] = { "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup", "figure" };
	const OvxTag *t = ovx_top(&r->x);
	if (t == NULL)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(no); i++)
		if (strcmp(t->tag, no[i]) == 0)
			return FALSE;
	return TRUE;
}

/* ---- print page markers ---- */

void
ep_page_marker(Ovx *x, EpPage *p, EpChunk *c)
{
	if (p->written)
		return;
	ovx_begin(x, NULL, "span");
	ovx_attr(x, "epub:type", "pagebreak");
	ovx_attr(x, "role", "doc-pagebreak");
	ovx_attr(x, "id", p->id);
	ovx_attr(x, "aria-label", p->pg->label);
	if (p->label_lang) { /* "Cover" in English */
		ovx_attr(x, "lang", p->label_lang);
		ovx_attr(x, "xml:lang", p->label_lang);
		if (ep_lang_rtl(c ? c->lang : NULL))
			ovx_attr(x, "dir", "ltr");
	}
	ovx_end_void(x);
	p->written = TRUE;
	p->chunk = c;
}

/* Write the markers waiting for a place, if phrasing content may stand here. */
static void
flush_marks(Render *r)
{
	if (r->deferred->len == 0 || !phrasing_ok(r))
		return;
	for (guint i = 0; i < r->deferred->len; i++)
		ep_page_marker(&r->x, g_ptr_array_index(r->deferred, i), r->chunk);
	g_ptr_array_set_size(r->deferred, 0);
}

/* The markers of the pages that begin with node n, before its element (or, where a list or a
 * table allows no text, at the next place that does). */
static void
marks_before(Render *r, const OvNode *n)
{
	GPtrArray *a = g_hash_table_lookup(r->ep->page_before, n);
	/* (a division with a page of its own is only walked over here) */
	for (guint i = 0; a && i < a->len && ep_chunk_of(r->ep, n) == r->chunk; i++)
		g_ptr_array_add(r->deferred, g_ptr_array_index(a, i));
	flush_marks(r);
}

/* Bytes [from, to) of the text s of node n, with the markers of the pages that begin there
 * (a marker at to is written by the part that ends s). */
static void
text_marked(Render *r, const OvNode *n, const char *s, gsize from, gsize to)
{
	GPtrArray *a = s ? g_hash_table_lookup(r->ep->page_text, n) : NULL;
	gsize len = s ? strlen(s) : 0, at = from;

	for (guint i = 0; a && i < a->len; i++) {
		EpPage *p = g_ptr_array_index(a, i);
		gsize off = MIN(p->pg->offset, len);
		if (off < from || off > to || (off == to && to < len))
			continue;
		text_len(r, s + at, (gssize)(off - at));
		at = off;
		flush_marks(r);
		ep_page_marker(&r->x, p, r->chunk);
	}
	text_len(r, s ? s + at : NULL, (gssize)(to - at));
}

/* An empty <span id> for a node that has no element of its own but is a target. */
static void
anchor(Render *r, const OvNode *n)
{
	const char *id = ep_node_id(r->ep, n);
	if (id && phrasing_ok(r)) {
		ovx_open(&r->x, n, "span", "id", id, NULL);
		ovx_close(&r->x);
	}
}

static gboolean
is_list(const OvNode *n)
{
	return n && (n->type == OV_ITEMIZEDLIST || n->type == OV_ORDEREDLIST || n->type == OV_SIMPLELIST);
}

/* ---- the order children are written in ---- */

/* Children of n in the order they are written, or NULL for document order: a table's foot
 * after its bodies (XHTML wants tfoot last), a quotation's title first and its attribution
 * last (the source puts the attribution first). */
static GPtrArray *
child_order(const OvNode *n)
{
	GPtrArray *a;
	OvType first, last;

	if (n->type == OV_TABLE)
		first = OV_TITLE, last = OV_TFOOT;
	else if (n->type == OV_BLOCKQUOTE || n->type == OV_EPIGRAPH)
		first = OV_TITLE, last = OV_ATTRIBUTION;
	else
		return NULL;
	a = g_ptr_array_new();
	for (int pass = 0; pass < 3; pass++)
		for (OvNode *c = n->first; c; c = c->next) {
			int which = c->type == first ? 0 : c->type == last ? 2 : 1;
			if (which == pass)
				g_ptr_array_add(a, c);
		}
	return a;
}

/* ---- lists ---- */

static const char *
ol_type(OvNumeration num)
{
	switch (num) {
	case OV_NUM_LOWERALPHA: return "a";
	case OV_NUM_UPPERALPHA: return "A";
	case OV_NUM_LOWERROMAN: return "i";
	case OV_NUM_UPPERROMAN: return "I";
	default: return NULL;
	}
}

/* The classes of a list's ul/ol/dl. */
static char *
list_class(const OvNode *list)
{
	GString *s = g_string_new(NULL);
	if (list->type == OV_SIMPLELIST)
		g_string_append(s, "simplelist");
	if (list->type == OV_ITEMIZEDLIST) {
		/* the PDF's mark (gentext.c); a disc needs no class unless a reading system's own
		 * style for nested lists would change it */
		static const char *const cls[] = { "none", "disc", "dash", "circle", "square" };
		OvMark m = ov_list_mark(list);
		if (m != OV_MARK_DISC || ov_list_depth(list) > 0)
			g_string_append_printf(s, "%smark-%s", s->len ? " " : "", cls[m]);
	}
	if (list->flags & OV_F_COMPACT)
		g_string_append_printf(s, "%scompact", s->len ? " " : "");
	if (ov_list_inherits(list)) /* its labels written out: a reading system cannot count "3.a" */
		g_string_append_printf(s, "%sinherit", s->len ? " " : "");
	return g_string_free(s, s->len == 0);
}

/* Open the ul/ol/dl of list, before item (the first of a run of items), owned by list. */
static void
open_list_container(Render *r, const OvNode *list, const OvNode *item, gboolean with_id)
{
	const char *tag = list->type == OV_ORDEREDLIST ? "ol" : list->type == OV_VARIABLELIST ? "dl" : is_list(list) ? "ul" : "dl";
	char *cls = is_list(list) || list->type == OV_VARIABLELIST ? list_class(list) : NULL;

	ovx_begin(&r->x, list, tag);
	if (with_id)
		node_attrs(r, list);
	if (list->type == OV_ORDEREDLIST) {
		ovx_attr(&r->x, "type", ol_type(list->u.list.numeration));
		if (item && item->number != 1)
			ovx_attr_printf(&r->x, "start", "%d", item->number);
	}
	if (list->type == OV_GLOSSARY)
		cls = g_strdup("glosslist");
	ovx_attr(&r->x, "class", cls);
	ovx_end(&r->x);
	g_free(cls);
}

/* Open or close the list container that n's parent keeps open for its items. */
static void
fit_context(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;
	const OvxTag *t = ovx_top(&r->x);
	gboolean want = (n->type == OV_LISTITEM && is_list(p)) || n->type == OV_VARLISTENTRY;
	gboolean open = t && p && t->owner == p &&
			(!strcmp(t->tag, "ul") || !strcmp(t->tag, "ol") || !strcmp(t->tag, "dl"));

	if (want && !open && p)
		open_list_container(r, p, n, FALSE);
	else if (!want && open)
		ovx_close(&r->x);
	/* an attributed quotation: the blockquote inside its figure opens after the title */
	if (p && p->type == OV_BLOCKQUOTE && n->type != OV_TITLE && n->type != OV_ATTRIBUTION &&
	    ov_node_child(p, OV_ATTRIBUTION) && (t = ovx_top(&r->x)) != NULL && t->owner == p &&
	    !strcmp(t->tag, "figure"))
		ovx_open(&r->x, p, "blockquote", NULL);
}

/* Does the list have children other than its items (a title, an intro)? Then it gets a
 * wrapper div, and the ul/ol/dl opens at its first item. */
static gboolean
list_wrapped(const OvNode *list)
{
	OvType item = list->type == OV_VARIABLELIST ? OV_VARLISTENTRY : OV_LISTITEM;
	for (const OvNode *c = list->first; c; c = c->next)
		if (c->type != item)
			return TRUE;
	return FALSE;
}

static Walk
enter_list(Render *r, const OvNode *n)
{
	if (list_wrapped(n))
		open_el(r, n, "div", n->type == OV_VARIABLELIST ? "variablelist" : "list");
	else
		open_list_container(r, n, n->first, TRUE);
	return WALK_IN;
}

/* The label of an item whose number a reading system cannot count ("3.a. "). */
static void
item_label(Render *r, const OvNode *item)
{
	char *s = g_strdup_printf("%s.", item->label);
	ovx_open(&r->x, NULL, "span", "class", "label", NULL);
	text(r, s);
	ovx_close(&r->x);
	text(r, " ");
	g_free(s);
}

static Walk
enter_listitem(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;
	if (p && p->type == OV_VARLISTENTRY) {
		open_el(r, n, "dd", NULL);
		return WALK_IN;
	}
	if (!is_list(p)) {
		open_el(r, n, "div", "listitem");
		return WALK_IN;
	}
	ovx_begin(&r->x, n, "li");
	node_attrs(r, n);
	if (p->type == OV_ORDEREDLIST && n->u.item.override >= 0)
		ovx_attr_printf(&r->x, "value", "%d", n->number);
	ovx_end(&r->x);
	if (ov_list_inherits(p) && (n->first == NULL || n->first->type != OV_PARA))
		item_label(r, n);
	return WALK_IN;
}

/* A child of a varlistentry that is neither term nor listitem (a glossentry's term para, a
 * glosssee): the first one is the term (dt), the others go in a dd. */
static gboolean
entry_term(const OvNode *n)
{
	return n->parent && n->parent->type == OV_VARLISTENTRY && n->type == OV_PARA && n->prev == NULL;
}

/* ---- headings and titles ---- */

/* The heading rank (1-6) of a division's title within the current page. */
static int
heading_rank(const Render *r, const OvNode *div)
{
	int rank = 1;
	const OvNode *root = r->chunk->div; /* a piece's headings rank as in its division's page */
	if (div == root)
		return 1;
	for (const OvNode *a = div->parent; a && a->type != OV_DOCUMENT; a = a->parent) {
		if (ov_node_is_division(a))
			rank++;
		if (a == root)
			break;
	}
	return MIN(rank, 6);
}

static const char *const h_tags[] = { "h1", "h1", "h2", "h3", "h4", "h5", "h6" };

/* The word of a label ("Chapter 1", "Figure 2."), or -1 for one with none ("1.2"). */
static int
label_word(const OvNode *n)
{
	switch (n->type) {
	case OV_PART: return OV_GT_PART;
	case OV_CHAPTER: return OV_GT_CHAPTER;
	case OV_APPENDIX: return OV_GT_APPENDIX;
	case OV_TABLE: return OV_GT_TABLE;
	case OV_FIGURE:
		return g_strcmp0(n->tag, "example") == 0 ? OV_GT_EXAMPLE : g_strcmp0(n->tag, "equation") == 0 ? OV_GT_EQUATION : OV_GT_FIGURE;
	default: return -1;
	}
}

/* Open the span of n's label (class cls) where at's language is in force: with the language
 * of its word when that differs. */
static void
label_open(Render *r, const OvNode *at, const OvNode *n, const char *cls)
{
	int w = label_word(n);
	ovx_begin(&r->x, NULL, "span");
	ovx_attr(&r->x, "class", cls);
	if (w >= 0)
		ep_words_lang(r->ep, &r->x, lang_at(r, at), ov_gentext_word_lang(r->ep->doc->meta.lang, w), TRUE);
	ovx_end(&r->x);
}

/* The heading of a division: <hN> with its label. */
static void
open_heading(Render *r, const OvNode *title, const OvNode *div, int rank)
{
	char *label = ep_label_text(r->ep->doc, div);
	open_el(r, title, h_tags[CLAMP(rank, 1, 6)], NULL);
	restyle(r, EP_FAM_HEAD, 1, 0);
	if (label) {
		gboolean line = div->type != OV_SECTION;
		label_open(r, title, div, line ? "label label-line" : "label");
		text(r, label);
		ovx_close(&r->x);
		text(r, line ? " " : "\xC2\xA0"); /* a section number stays with its title */
	}
	g_free(label);
	r->ep->n_headings++;
}

/* The caption of a figure or table: "Figure 3. " then the title. */
static void
open_caption(Render *r, const OvNode *title, const OvNode *fig)
{
	open_el(r, title, fig->type == OV_TABLE ? "caption" : "figcaption", NULL);
	restyle(r, EP_FAM_HEAD, 0, 0);
	if (fig->label) {
		const char *word = ov_gentext_type(r->ep->doc, fig);
		char *l = g_strdup_printf("%s\xC2\xA0%s.", word ? word : ov_gentext(r->ep->doc, OV_GT_FIGURE), fig->label);
		label_open(r, title, fig, "label");
		restyle(r, -1, 1, -1);
		text(r, l);
		ovx_close(&r->x);
		text(r, " ");
		g_free(l);
	}
}

/* A table's column widths, when the source gives proportions or percentages. */
static void
colgroup(Render *r, const OvNode *t)
{
	double sum = 0;
	int n = t->u.table.ncols;
	if (n <= 0 || t->u.table.colwidth == NULL)
		return;
	for (int i = 0; i < n; i++) {
		if (t->u.table.colwidth[i] <= 0)
			return; /* unset or fixed widths: the reading system decides */
		sum += t->u.table.colwidth[i];
	}
	ovx_open(&r->x, NULL, "colgroup", NULL);
	for (int i = 0; i < n; i++) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		char *style;
		g_ascii_formatd(buf, sizeof buf, "%.1f", 100.0 * t->u.table.colwidth[i] / sum);
		style = g_strdup_printf("width: %s%%", buf);
		ovx_begin(&r->x, NULL, "col");
		ovx_attr(&r->x, "style", style);
		ovx_end_void(&r->x);
		g_free(style);
	}
	ovx_close(&r->x);
}

/* The paragraph a formal paragraph's title runs into: its first, after nothing but index terms
 * and anchors (as the PDF sets it); NULL for other titles. */
static const OvNode *
run_in_para(const OvNode *title)
{
	const OvNode *c = title->next;
	if (title->parent == NULL || title->parent->type != OV_FORMALPARA)
		return NULL;
	while (c && (c->type == OV_INDEXTERM || c->type == OV_ANCHOR))
		c = c->next;
	return c && c->type == OV_PARA ? c : NULL;
}

static Walk
enter_title(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;

	if (p == NULL || p->type == OV_DOCUMENT) {
		open_el(r, n, "h1", "title");
		restyle(r, EP_FAM_HEAD, 1, 0);
		r->ep->n_headings++;
	} else if (ov_node_is_division(p)) {
		const char *wl = (n->flags & OV_F_GENERATED) ? ov_division_title_lang(r->ep->doc, p, FALSE) : NULL;
		open_heading(r, n, p, heading_rank(r, p));
		if (ep_words_lang(r->ep, NULL, lang_at(r, n), wl, TRUE)) { /* octavo's word: "Index" */
			ovx_begin(&r->x, n, "span");
			ep_words_lang(r->ep, &r->x, lang_at(r, n), wl, TRUE);
			ovx_end(&r->x);
		}
	} else if (p->type == OV_FIGURE || p->type == OV_TABLE) {
		open_caption(r, n, p);
	} else if (run_in_para(n)) {
		/* a run-in title: the paragraph's <p> opens here, owned by the paragraph */
		open_el(r, run_in_para(n), "p", NULL);
		ovx_open(&r->x, n, "span", "class", "formalpara-title", NULL);
		restyle(r, EP_FAM_HEAD, 1, 0);
	} else {
		open_el(r, n, "p", "title");
		restyle(r, EP_FAM_HEAD, 1, 0);
	}
	return WALK_IN;
}

static void
leave_title(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;
	if (run_in_para(n)) {
		text(r, ov_run_in_stop(n));
		ovx_close_owned(&r->x, n);
		text(r, " ");
		return;
	}
	ovx_close_owned(&r->x, n);
	if (p && p->type == OV_TABLE)
		colgroup(r, p);
}

/* ---- blocks ---- */

/* A division: <section> with its epub:type and role (the page's own or a section). */
static Walk
enter_division(Render *r, const OvNode *n)
{
	EpChunk *c = ep_chunk_of(r->ep, n);
	const char *type = NULL, *role = NULL;

	if (c && c != r->chunk && c->root == n)
		return WALK_SKIP; /* a page of its own */
	if (n->type == OV_INDEX && (n->first == NULL || (n->first == n->last && n->first->type == OV_TITLE)))
		return WALK_SKIP; /* the generated index comes later */
	switch (n->type) {
	case OV_PART: type = "part", role = "doc-part"; break;
	case OV_PREFACE:
		if (g_strcmp0(n->tag, "acknowledgements") == 0)
			type = "acknowledgments", role = "doc-acknowledgments";
		else if (g_strcmp0(n->tag, "foreword") == 0)
			type = "foreword", role = "doc-foreword";
		else
			type = "preface", role = "doc-preface";
		break;
	case OV_CHAPTER: type = "chapter", role = "doc-chapter"; break;
	case OV_APPENDIX: type = "appendix", role = "doc-appendix"; break;
	case OV_COLOPHON: type = "colophon", role = "doc-colophon"; break;
	case OV_DEDICATION: type = "dedication", role = "doc-dedication"; break;
	case OV_GLOSSARY:
		if (g_strcmp0(n->tag, "bibliography") == 0)
			type = "bibliography", role = "doc-bibliography";
		else
			type = "glossary", role = "doc-glossary";
		break;
	case OV_INDEX: type = "index", role = "doc-index"; break;
	case OV_SECTION:
		if ((n->flags & OV_F_GENERATED) && n->role)
			type = n->role; /* a letter group of the index */
		break;
	default: break;
	}
	ovx_begin(&r->x, n, "section");
	node_attrs(r, n);
	ovx_attr(&r->x, "epub:type", type);
	ovx_attr(&r->x, "role", role);
	ovx_attr(&r->x, "class", type ? type : "section");
	ovx_end(&r->x);
	if (n->label && ov_node_child(n, OV_TITLE) == NULL &&
	    (n->type == OV_PART || n->type == OV_CHAPTER || n->type == OV_APPENDIX)) {
		/* no title: its label is its heading ("Chapter 3"), as in the PDF */
		char *label = ep_label_text(r->ep->doc, n);
		ovx_open(&r->x, NULL, h_tags[CLAMP(heading_rank(r, n), 1, 6)], NULL);
		restyle(r, EP_FAM_HEAD, 1, 0);
		label_open(r, n, n, "label label-line");
		text(r, label);
		ovx_close(&r->x);
		ovx_close(&r->x);
		r->ep->n_headings++;
		g_free(label);
	}
	if (n->type == OV_SECTION && (n->flags & OV_F_GENERATED)) {
		r->idx_group = ovx_depth(&r->x);
		r->idx_open = 0;
	}
	return WALK_IN;
}

/* A line of the generated index: an entry (li) in the list of its level, which opens in the
 * entry above it; the entry stays open for its sub-entries (EPUB Indexes: index-entry-list,
 * index-entry). */
static Walk
enter_indexentry(Render *r, const OvNode *n)
{
	int level = MIN(MAX(n->u.entry.level, 0), MIN(r->idx_open, 2));
	if (r->idx_open > level) {
		ovx_close_to(&r->x, r->idx_li[level]); /* the previous entry at this level, with its sub-entries */
	} else {
		ovx_open(&r->x, NULL, "ul", "epub:type", "index-entry-list", "class", level ? "index-entries sub" : "index-entries", NULL);
	}
	r->idx_li[level] = ovx_depth(&r->x);
	ovx_begin(&r->x, NULL, "li");
	node_attrs(r, n);
	ovx_attr(&r->x, "epub:type", "index-entry");
	ovx_attr(&r->x, "class", "index-entry");
	ovx_end(&r->x);
	r->idx_open = level + 1;
	marks_before(r, n);
	return WALK_IN;
}

static void flush_notes(Render *r);

static void
leave_division(Render *r, const OvNode *n)
{
	const OvxTag *t;
	if (n->type == OV_SECTION && (n->flags & OV_F_GENERATED)) {
		ovx_close_to(&r->x, r->idx_group); /* the index group's entries */
		r->idx_open = 0;
	}
	/* a list container the division kept open (a glossary's dl) closes first */
	while ((t = ovx_top(&r->x)) != NULL && t->owner == n && strcmp(t->tag, "section"))
		ovx_close(&r->x);
	if (r->chunk->kind == EP_DIVISION && n == r->chunk->root)
		flush_notes(r);
	ovx_close_owned(&r->x, n);
}

/* A paragraph; bare (no <p>) where it is the only content of a cell or simple list member. */
static Walk
enter_para(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;
	const OvxTag *t = ovx_top(&r->x);
	GString *cls;

	if (t && t->owner == n)
		return WALK_IN; /* opened by a run-in title */
	if (entry_term(n)) {
		open_el(r, n, "dt", NULL);
		restyle(r, EP_FAM_HEAD, 1, 0);
		return WALK_IN;
	}
	if (p && p->type == OV_VARLISTENTRY)
		ovx_open(&r->x, n, "dd", NULL);
	if (n->prev == NULL && n->next == NULL && p &&
	    (p->type == OV_CELL || (p->type == OV_LISTITEM && p->parent && p->parent->type == OV_SIMPLELIST))) {
		anchor(r, n);
		return WALK_IN;
	}
	cls = g_string_new(NULL);
	if (n->flags & OV_F_CONTINUED)
		g_string_append(cls, "continued");
	if (n->tag && strcmp(n->tag, "para") && strcmp(n->tag, "simpara"))
		g_string_append_printf(cls, "%s%s", cls->len ? " " : "", n->tag);
	if (n->role)
		g_string_append_printf(cls, "%s%s", cls->len ? " " : "", n->role);
	open_el(r, n, "p", cls->len ? cls->str : NULL);
	g_string_free(cls, TRUE);
	if (p && p->type == OV_LISTITEM && n->prev == NULL && p->parent && ov_list_inherits(p->parent))
		item_label(r, p);
	if (r->note && p == r->note && n->prev == NULL) {
		char *href = g_strconcat("#", (const char *)g_hash_table_lookup(r->ep->noteref, r->note), NULL);
		ovx_open(&r->x, NULL, "a", "href", href, "role", "doc-backlink", "class", "backlink", NULL);
		text(r, r->note->label);
		ovx_close(&r->x);
		text(r, " ");
		g_free(href);
	}
	return WALK_IN;
}

/* Verbatim text: <pre> (whitespace kept exactly), a program listing's in <code> with its
 * language as a class ("language-c"); literal layout in the body face. */
static Walk
enter_verbatim(Render *r, const OvNode *n)
{
	static const char *const cls[] = { "programlisting", "screen", "literallayout", "literallayout mono" };
	const char *tag = n->tag ? n->tag : "";
	gboolean other = strcmp(tag, "programlisting") && strcmp(tag, "screen") && strcmp(tag, "literallayout");
	char *c = g_strconcat(cls[n->u.verb.kind], other && *tag ? " " : "", other ? tag : "", NULL);
	char *lang = n->u.verb.language ? g_strconcat("language-", n->u.verb.language, NULL) : NULL;

	open_el(r, n, "pre", c);
	if (n->u.verb.kind != OV_VERB_LITERAL)
		restyle(r, EP_FAM_MONO, -1, -1);
	if (n->u.verb.kind == OV_VERB_PROGRAM)
		ovx_open(&r->x, n, "code", "class", lang, NULL);
	g_free(c);
	g_free(lang);
	return WALK_IN;
}

static Walk
enter_admonition(Render *r, const OvNode *n)
{
	static const char *const cls[] = { "admonition note", "admonition tip", "admonition warning",
					   "admonition important", "admonition caution" };
	ovx_begin(&r->x, n, "aside");
	node_attrs(r, n);
	ovx_attr(&r->x, "class", cls[n->u.adm.kind]);
	ovx_attr(&r->x, "role", n->u.adm.kind == OV_ADM_TIP ? "doc-tip" : "note");
	ovx_end(&r->x);
	if (ov_node_child(n, OV_TITLE) == NULL) {
		ovx_open(&r->x, NULL, "p", "class", "title", NULL);
		restyle(r, EP_FAM_HEAD, 1, 0);
		words(r, n, OV_GT_NOTE + n->u.adm.kind, NULL);
		ovx_close(&r->x);
	}
	return WALK_IN;
}

/* A block quotation: with an attribution, a figure holding the blockquote and a figcaption
 * (the attribution comes last, see child_order). An epigraph keeps it inside. */
static Walk
enter_quote_block(Render *r, const OvNode *n)
{
	gboolean attributed = ov_node_child(n, OV_ATTRIBUTION) != NULL;
	if (n->type == OV_EPIGRAPH) {
		ovx_begin(&r->x, n, "blockquote");
		node_attrs(r, n);
		ovx_attr(&r->x, "class", "epigraph");
		ovx_attr(&r->x, "epub:type", "epigraph");
		ovx_attr(&r->x, "role", "doc-epigraph");
		ovx_end(&r->x);
	} else if (attributed) {
		open_el(r, n, "figure", "blockquote"); /* the blockquote opens at the first child */
	} else {
		open_el(r, n, "blockquote", NULL);
	}
	return WALK_IN;
}

static Walk
enter_attribution(Render *r, const OvNode *n)
{
	const OvNode *p = n->parent;
	const OvxTag *t = ovx_top(&r->x);
	if (p && p->type == OV_BLOCKQUOTE) {
		if (t && t->owner == p && !strcmp(t->tag, "blockquote"))
			ovx_close(&r->x);
		open_el(r, n, "figcaption", "attribution");
	} else {
		open_el(r, n, "p", "attribution");
	}
	text(r, "\xE2\x80\x94\xC2\xA0"); /* an em dash and a no-break space */
	return WALK_IN;
}

static Walk
enter_figure(Render *r, const OvNode *n)
{
	open_el(r, n, "figure", n->tag ? n->tag : "figure"); /* epubcheck 4.2.6 refuses role="doc-example" here */
	return WALK_IN;
}

static Walk
enter_table(Render *r, const OvNode *n)
{
	GString *cls = g_string_new(n->tag && !strcmp(n->tag, "table") ? "table" : n->tag);
	if (n->flags & OV_F_CONTINUED)
		g_string_append(cls, " continued");
	if (n->parent && n->parent->type == OV_ROW)
		ovx_open(&r->x, n, "td", "class", "entrytbl", NULL);
	open_el(r, n, "table", cls->str);
	g_string_free(cls, TRUE);
	if (ov_node_child(n, OV_TITLE) == NULL)
		colgroup(r, n);
	return WALK_IN;
}


/* Is every cell of a row a header cell? */
static gboolean
header_row(const OvNode *row)
{
	if (row == NULL || row->type != OV_ROW)
		return FALSE;
	for (const OvNode *c = row->first; c; c = c->next)
		if (c->type == OV_CELL && !(c->flags & OV_F_HEADER))
			return FALSE;
	return TRUE;
}

static Walk
enter_cell(Render *r, const OvNode *n)
{
	const char *align = ov_cell_align(n);
	const char *valign = n->u.cell.valign;
	GString *cls = g_string_new(NULL);

	if (align)
		g_string_append_printf(cls, "align-%s", align);
	if (valign && (!strcmp(valign, "top") || !strcmp(valign, "middle") || !strcmp(valign, "bottom")))
		g_string_append_printf(cls, "%svalign-%s", cls->len ? " " : "", valign);
	ovx_begin(&r->x, n, (n->flags & OV_F_HEADER) ? "th" : "td");
	node_attrs(r, n);
	/* a header cell heads what its source says, else its column (in the table's head, or in a
	 * row of header cells alone) or its row (beside other cells) */
	if (n->flags & OV_F_HEADER) {
		const char *scope = n->u.cell.scope;
		if (!scope || (strcmp(scope, "row") && strcmp(scope, "col") && strcmp(scope, "rowgroup") && strcmp(scope, "colgroup")))
			scope = (n->parent && n->parent->parent && n->parent->parent->type == OV_THEAD) || header_row(n->parent)
					? "col" : "row";
		ovx_attr(&r->x, "scope", scope);
	}
	if (n->u.cell.colspan > 1)
		ovx_attr_printf(&r->x, "colspan", "%d", n->u.cell.colspan);
	if (n->u.cell.rowspan > 1)
		ovx_attr_printf(&r->x, "rowspan", "%d", n->u.cell.rowspan);
	ovx_attr(&r->x, "class", cls->len ? cls->str : NULL);
	ovx_end(&r->x);
	if (n->flags & OV_F_HEADER)
		restyle(r, EP_FAM_HEAD, 1, 0);
	g_string_free(cls, TRUE);
	return WALK_IN;
}

static Walk
enter_bridgehead(Render *r, const OvNode *n)
{
	int rank = 2;
	const char *ra = n->u.div.renderas;
	const OvNode *div = n->parent;
	while (div && !ov_node_is_division(div))
		div = div->parent;
	if (ra && g_str_has_prefix(ra, "sect") && ra[4] >= '1' && ra[4] <= '5')
		rank = ra[4] - '0' + 1;
	/* in a division: a level below its heading, whatever renderas says (the look, not the
	 * structure: a heading as high as the division's would end it for a reader of headings;
	 * one deeper would skip a level); a qandadiv's title a level below its set's */
	if (div && div->type != OV_DOCUMENT)
		rank = heading_rank(r, div) + MAX(n->u.div.level, 1);
	else if (n->u.div.level > 1)
		rank += n->u.div.level - 1;
	open_el(r, n, h_tags[CLAMP(rank, 1, 6)], "bridgehead");
	restyle(r, EP_FAM_HEAD, 1, 0);
	r->ep->n_headings++;
	return WALK_IN;
}

/* ---- images ---- */

/* A CSS length from a DocBook width/depth ("2cm", "30%", "16px", "120"): NULL if unusable. */
static char *
css_length(const char *v)
{
	static const char *const units[] = { "px", "pt", "pc", "cm", "mm", "in", "em", "%" };
	const char *p = v;
	if (v == NULL)
		return NULL;
	while (g_ascii_isdigit(*p) || *p == '.')
		p++;
	if (p == v)
		return NULL;
	if (*p == '\0')
		return g_strconcat(v, "px", NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
		if (g_ascii_strcasecmp(p, units[i]) == 0)
			return g_strdup(v);
	return NULL;
}

/* A CSS length of css_length's in points, or FALSE for one relative to something (em, %). */
static gboolean
css_points(const char *v, double *pt)
{
	static const struct { const char *unit; double pt; } units[] = {
		{ "px", 0.75 }, { "pt", 1 }, { "pc", 12 }, { "cm", 72 / 2.54 }, { "mm", 72 / 25.4 }, { "in", 72 } };
	char *end;
	double x = g_ascii_strtod(v, &end);
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
		if (g_ascii_strcasecmp(end, units[i].unit) == 0) {
			*pt = x * units[i].pt;
			return TRUE;
		}
	return FALSE;
}

/* The style of an image's size, from width/depth, contentwidth/contentdepth and scale. Given
 * both a width and a depth, the image takes the largest size within both with its shape kept,
 * as in the PDF: the one of them that binds, the other auto. */
static char *
image_style(const OvNode *n, const OvImage *img)
{
	GString *s = g_string_new(NULL);
	char *w = css_length(n->u.img.contentwidth ? n->u.img.contentwidth : n->u.img.width);
	char *h = css_length(n->u.img.contentdepth ? n->u.img.contentdepth : n->u.img.depth);
	double wpt, hpt;

	if (w && h) {
		if (img && img->width > 0 && img->height > 0 && css_points(w, &wpt) && css_points(h, &hpt) &&
		    (double)img->width / img->height < wpt / hpt)
			g_clear_pointer(&w, g_free); /* the depth binds */
		else
			g_clear_pointer(&h, g_free); /* the width binds (or the two cannot be compared) */
	}

	if (w == NULL && h == NULL && n->u.img.scale && img) {
		double sc = g_ascii_strtod(n->u.img.scale, NULL);
		if (sc > 0 && sc < 10000) {
			char buf[G_ASCII_DTOSTR_BUF_SIZE];
			g_ascii_formatd(buf, sizeof buf, "%.0f", img->width * sc / 100.0);
			w = g_strconcat(buf, "px", NULL);
		}
	}
	if (w)
		g_string_append_printf(s, "width: %s;", w);
	if (h)
		g_string_append_printf(s, "%sheight: %s;", s->len ? " " : "", h);
	if (w && !h)
		g_string_append(s, " height: auto;");
	if (h && !w)
		g_string_append(s, " width: auto;");
	g_free(w);
	g_free(h);
	return g_string_free(s, s->len == 0);
}

static Walk
enter_image(Render *r, const OvNode *n)
{
	Epub *ep = r->ep;
	OvImage *img = NULL;
	EpItem *item;
	const char *alt = n->u.img.alt;
	char *style, *cls;

	if (n->u.img.fileref == NULL)
		return WALK_OVER; /* the reader reported it */
	if (n->parent && r->media_shown == n->parent)
		return WALK_OVER; /* another image object of the same media object: the first usable is shown, as in the PDF */
	if (n->parent) { /* unless one is for an e-book (role="html"): that one, if it is usable */
		const OvNode *pick = ov_media_pick(n->parent, FALSE);
		if (pick && pick != n && pick->u.img.fileref && !ov_image_is_remote(pick->u.img.fileref))
			return WALK_OVER;
	}
	if (ov_image_is_remote(n->u.img.fileref)) {
		ov_image_free(ov_image_load(ep->doc, n, ep->d)); /* the warning */
		if (phrasing_ok(r)) {
			open_el(r, n, "span", "image-remote");
			text(r, alt ? alt : n->u.img.fileref);
		}
		return WALK_OVER;
	}
	item = ep_image(ep, n, &img);
	if (item == NULL)
		return WALK_OVER;
	ep->n_images++;
	if (alt && *alt)
		ep->n_images_alt++;
	else
		ov_warn(ep->d, n->loc, "image \"%s\" has no alt text (give its mediaobject a textobject)", n->u.img.fileref);
	style = image_style(n, img);
	cls = g_strdup_printf("%s%s%s", n->parent && n->parent->type == OV_INLINEMEDIA ? "inline" : "block",
			      n->u.img.align ? " align-" : "", n->u.img.align ? n->u.img.align : "");
	ovx_begin(&r->x, n, "img");
	node_attrs(r, n);
	ovx_attr(&r->x, "src", item->href);
	ovx_attr(&r->x, "alt", alt ? alt : "");
	ovx_attr(&r->x, "class", cls);
	ovx_attr(&r->x, "style", style);
	ovx_end_void(&r->x);
	g_free(style);
	g_free(cls);
	ov_image_free(img);
	r->media_shown = n->parent;
	return WALK_OVER;
}

/* ---- inlines ---- */

/* The element and classes of an inline with style flags (emphasis, code, phrase, sub, sup). */
static Walk
enter_styled(Render *r, const OvNode *n)
{
	int st = ov_inline_style(n);
	const char *tag = "span";
	GString *cls = g_string_new(NULL);
	static const struct { int flag; const char *cls; } extra[] = {
		{ OV_STYLE_ITALIC, "italic" }, { OV_STYLE_BOLD, "bold" }, { OV_STYLE_MONO, "mono" },
		{ OV_STYLE_STRIKE, "strike" }, { OV_STYLE_UNDERLINE, "underline" }, { OV_STYLE_SMALLCAPS, "smallcaps" },
	};
	gboolean mono = (st & OV_STYLE_MONO) != 0;

	switch (n->type) {
	case OV_EMPHASIS:
		if (st & OV_STYLE_BOLD)
			tag = "strong", st &= ~OV_STYLE_BOLD;
		else if (st & OV_STYLE_ITALIC)
			tag = "em", st &= ~OV_STYLE_ITALIC;
		break;
	case OV_CODE:
		tag = "code", st &= ~OV_STYLE_MONO;
		break;
	case OV_PHRASE:
		if (n->tag && (!strcmp(n->tag, "acronym") || !strcmp(n->tag, "abbrev")))
			tag = "abbr";
		else if (n->tag && !strcmp(n->tag, "citetitle") && (st & OV_STYLE_ITALIC))
			tag = "cite", st &= ~OV_STYLE_ITALIC;
		else if (st & OV_STYLE_MONO)
			tag = "code", st &= ~OV_STYLE_MONO;
		break;
	case OV_SUBSCRIPT: tag = "sub"; break;
	case OV_SUPERSCRIPT: tag = "sup"; break;
	default: break;
	}
	st &= ~(OV_STYLE_SUB | OV_STYLE_SUPER);
	if (n->tag && strcmp(n->tag, tag) && strcmp(n->tag, "emphasis") && strcmp(n->tag, "phrase") &&
	    strcmp(n->tag, "subscript") && strcmp(n->tag, "superscript"))
		g_string_append(cls, n->tag);
	for (gsize i = 0; i < G_N_ELEMENTS(extra); i++)
		if (st & extra[i].flag)
			g_string_append_printf(cls, "%s%s", cls->len ? " " : "", extra[i].cls);
	if (n->role && strcmp(n->role, "bold") && strcmp(n->role, "strong") && strcmp(n->role, "italic") &&
	    strcmp(n->role, "underline") && strcmp(n->role, "strikethrough"))
		g_string_append_printf(cls, "%s%s", cls->len ? " " : "", n->role);
	if ((n->flags & OV_F_GENERATED) && n->role && g_str_has_prefix(n->role, "index-")) {
		/* the index's terms and ranges: their EPUB Indexes type */
		ovx_begin(&r->x, n, tag);
		node_attrs(r, n);
		ovx_attr(&r->x, "epub:type", n->role);
		ovx_attr(&r->x, "class", cls->len ? cls->str : NULL);
		ovx_end(&r->x);
	} else {
		open_el(r, n, tag, cls->len ? cls->str : NULL);
	}
	g_string_free(cls, TRUE);
	{
		/* as the style sheet shows it (its :lang rules set some languages' italics upright:
		 * their italic is off, not inherited) */
		int shown = ov_inline_style_shown(n);
		restyle(r, mono ? EP_FAM_MONO : -1, (shown & OV_STYLE_BOLD) ? 1 : -1,
			(shown & OV_STYLE_ITALIC) ? 1 : (ov_inline_style(n) & OV_STYLE_ITALIC) ? 0 : -1);
	}
	return WALK_IN;
}

static Walk
enter_quote(Render *r, const OvNode *n)
{
	const char *open, *close;
	if (n->id || n->lang)
		open_el(r, n, "span", "quote");
	ov_gentext_quotes(ov_node_lang(n) ? ov_node_lang(n) : r->ep->lang, r->quotes, &open, &close);
	text(r, open);
	r->quotes++;
	return WALK_IN;
}

static void
leave_quote(Render *r, const OvNode *n)
{
	const char *open, *close;
	r->quotes--;
	ov_gentext_quotes(ov_node_lang(n) ? ov_node_lang(n) : r->ep->lang, r->quotes, &open, &close);
	text(r, close);
	ovx_close_owned(&r->x, n);
}

/* Is href a URL with a scheme (https:, mailto:)? Relative paths point into no package. */
static gboolean
has_scheme(const char *href)
{
	return ov_image_is_remote(href);
}

/* An href safe for the package: spaces and bytes outside ASCII percent-encoded. */
static char *
safe_url(const char *href)
{
	GString *s = g_string_new(NULL);
	for (const unsigned char *p = (const unsigned char *)href; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
		    *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}')
			g_string_append_printf(s, "%%%02X", *p);
		else
			g_string_append_c(s, (char)*p);
	}
	return g_string_free(s, FALSE);
}

/* An xref that shows its target's page: "Title on page 12" links to the target, its "12" to
 * the marker of print page 12. FALSE when it cannot be written so (no such marker). */
static gboolean
page_xref(Render *r, const OvNode *n, const char *href)
{
	EpPage *pg = (n->flags & OV_F_NEED_PAGE) ? ep_page(r->ep, n->page) : NULL;
	gsize len, cut, words;
	char *phref;

	if (pg == NULL || href == NULL || r->links || n->gen == NULL || !g_str_has_suffix(n->gen, n->page))
		return FALSE;
	len = strlen(n->gen);
	cut = len - strlen(n->page);
	words = cut; /* the words end before the space (a no-break one) before the number */
	if (words >= 2 && !strncmp(n->gen + words - 2, "\xC2\xA0", 2))
		words -= 2;
	for (; words > 0 && n->gen[words - 1] == ' '; words--)
		;
	phref = pg->chunk == r->chunk ? g_strconcat("#", pg->id, NULL) : g_strconcat(pg->chunk->file, "#", pg->id, NULL);
	if (words > 0) { /* "Figure 3" to the figure, "page 12" to the page; a page number alone: no empty link */
		ovx_begin(&r->x, n, "a");
		node_attrs(r, n);
		ovx_attr(&r->x, "href", href);
		ovx_attr(&r->x, "class", "xref");
		ovx_end(&r->x);
		text_marked(r, n, n->gen, 0, words);
		ovx_close(&r->x);
		text_marked(r, n, n->gen, words, cut);
	}
	ovx_begin(&r->x, n, "a");
	if (words == 0)
		node_attrs(r, n);
	ovx_attr(&r->x, "href", phref);
	ovx_attr(&r->x, "class", "xref-page");
	ovx_end(&r->x);
	text_marked(r, n, n->gen, cut, len);
	ovx_close(&r->x);
	g_free(phref);
	return TRUE;
}

/* A link or xref: <a href> to the target's page and id, or to the outside. */
static Walk
enter_link(Render *r, const OvNode *n)
{
	char *href = NULL;
	const char *cls = n->type == OV_XREF ? "xref" : NULL;
	const char *type = (n->flags & OV_F_GENERATED) && n->role ? n->role : NULL; /* an index locator or reference */

	if (n->target)
		href = ep_href(r->ep, r->chunk, n->target);
	else if ((n->flags & OV_F_EXTERNAL) && n->u.link.href) {
		if (has_scheme(n->u.link.href))
			href = safe_url(n->u.link.href);
		else
			ov_warn(r->ep->d, n->loc, "link to \"%s\": a file outside the book is not in the EPUB; the text is kept",
				n->u.link.href);
	}
	if (n->type == OV_XREF && page_xref(r, n, href)) {
		g_free(href);
		return WALK_OVER;
	}
	if (href && r->links == 0) {
		ovx_begin(&r->x, n, "a");
		node_attrs(r, n);
		ovx_attr(&r->x, "href", href);
		ovx_attr(&r->x, "epub:type", type);
		ovx_attr(&r->x, "class", cls ? cls : (n->flags & OV_F_EXTERNAL) ? "external" : NULL);
		ovx_end(&r->x);
		r->links++;
	} else if (ep_node_id(r->ep, n) || n->lang || type) {
		ovx_begin(&r->x, n, "span");
		node_attrs(r, n);
		ovx_attr(&r->x, "epub:type", type && strcmp(type, "index-locator") ? type : NULL);
		ovx_attr(&r->x, "class", cls);
		ovx_end(&r->x);
	}
	g_free(href);
	if (n->gen && (n->first == NULL || n->type == OV_XREF))
		text_marked(r, n, n->gen, 0, strlen(n->gen));
	else if (n->first == NULL || n->type == OV_XREF)
		text(r, n->u.link.href);
	return n->type == OV_XREF ? WALK_OVER : WALK_IN;
}

static void
leave_link(Render *r, const OvNode *n)
{
	const OvxTag *t = ovx_top(&r->x);
	if (t && t->owner == n && !strcmp(t->tag, "a"))
		r->links--;
	ovx_close_owned(&r->x, n);
}

/* A footnote mark (a footnote where it is called, or a footnoteref): a noteref link in sup. */
static Walk
enter_noteref(Render *r, const OvNode *n)
{
	const OvNode *fn = n->type == OV_FOOTNOTE ? n : n->target;
	const char *mark_id = n->type == OV_FOOTNOTE ? g_hash_table_lookup(r->ep->noteref, n) : NULL;
	char *href;

	if (fn == NULL)
		return WALK_SKIP;
	if (n->type == OV_FOOTNOTE)
		g_ptr_array_add(r->notes, (gpointer)n);
	href = ep_href(r->ep, r->chunk, fn);
	ovx_open(&r->x, n, "sup", "id", mark_id, "class", "noteref", NULL);
	if (href && r->links == 0) {
		ovx_open(&r->x, n, "a", "href", href, "epub:type", "noteref", "role", "doc-noteref", NULL);
		text(r, fn->label);
		ovx_close(&r->x);
	} else {
		text(r, fn->label);
	}
	ovx_close_owned(&r->x, n);
	g_free(href);
	return WALK_SKIP;
}

/* The footnotes called on this page, as asides with back-links to their marks. */
static void
flush_notes(Render *r)
{
	for (guint i = 0; i < r->notes->len; i++) {
		const OvNode *fn = g_ptr_array_index(r->notes, i);
		const char *mark = g_hash_table_lookup(r->ep->noteref, fn);
		ovx_begin(&r->x, fn, "aside");
		ovx_attr(&r->x, "id", ep_node_id(r->ep, fn));
		ovx_attr(&r->x, "epub:type", "footnote");
		ovx_attr(&r->x, "role", "doc-footnote");
		ovx_attr(&r->x, "class", i == 0 ? "footnote first" : "footnote");
		ovx_end(&r->x);
		if (fn->first == NULL || fn->first->type != OV_PARA) {
			char *href = g_strconcat("#", mark, NULL);
			ovx_open(&r->x, NULL, "p", "class", "footnote-mark", NULL);
			ovx_open(&r->x, NULL, "a", "href", href, "role", "doc-backlink", "class", "backlink", NULL);
			text(r, fn->label);
			ovx_close(&r->x);
			ovx_close(&r->x);
			g_free(href);
		}
		r->note = fn;
		for (const OvNode *c = fn->first; c; c = c->next)
			walk(r, c);
		r->note = NULL;
		ovx_close_owned(&r->x, fn);
	}
	g_ptr_array_set_size(r->notes, 0);
}

/* ---- the walk ---- */

/* Nodes that are one element with a fixed tag, class and role, and whose text face the CSS
 * sets (fam < 0: inherited; else family and bold). */
static const struct {
	const char *tag, *cls, *role;
	int fam, bold;
} plain[OV_N_TYPES] = {
	[OV_ABSTRACT] = { "div", "abstract", "doc-abstract", -1, 0 },
	[OV_LEGALNOTICE] = { "div", "legalnotice", NULL, -1, 0 },
	[OV_SUBTITLE] = { "p", "subtitle", "doc-subtitle", EP_FAM_HEAD, 0 },
	[OV_FORMALPARA] = { "div", "formalpara", NULL, -1, 0 },
	[OV_TERM] = { "dt", NULL, NULL, EP_FAM_HEAD, 1 },
	[OV_SIDEBAR] = { "aside", "sidebar", NULL, -1, 0 },
	[OV_MEDIAOBJECT] = { "div", "mediaobject", NULL, -1, 0 },
	[OV_CAPTION] = { "div", "caption", NULL, -1, 0 },
	[OV_THEAD] = { "thead", NULL, NULL, -1, 0 },
	[OV_TBODY] = { "tbody", NULL, NULL, -1, 0 },
	[OV_TFOOT] = { "tfoot", NULL, NULL, -1, 0 },
	[OV_ROW] = { "tr", NULL, NULL, -1, 0 },
	[OV_INLINEMEDIA] = { "span", "inlinemediaobject", NULL, -1, 0 },
};

/* Open what node n is in the XHTML (after the list or entry container it needs); say whether
 * to walk its children (WALK_IN), only leave it (WALK_OVER) or neither (WALK_SKIP). */
static Walk
enter(Render *r, const OvNode *n)
{
	if (r->pending_id && (n->parent == NULL || n->parent->type != OV_VARLISTENTRY))
		r->pending_id = NULL; /* only the entry's own children may take it */
	fit_context(r, n);
	if (n->type != OV_INDEXENTRY)
		marks_before(r, n); /* an entry of the index takes them inside its li */
	if (n->parent && n->parent->type == OV_VARLISTENTRY && n->type != OV_TERM && n->type != OV_LISTITEM &&
	    n->type != OV_PARA)
		ovx_open(&r->x, n, "dd", NULL); /* a block in a glossentry */
	if (plain[n->type].tag) {
		if (plain[n->type].role) {
			ovx_begin(&r->x, n, plain[n->type].tag);
			node_attrs(r, n);
			ovx_attr(&r->x, "class", plain[n->type].cls);
			ovx_attr(&r->x, "role", plain[n->type].role);
			ovx_end(&r->x);
		} else {
			open_el(r, n, plain[n->type].tag, plain[n->type].cls);
		}
		if (plain[n->type].fam >= 0)
			restyle(r, plain[n->type].fam, plain[n->type].bold, 0);
		return WALK_IN;
	}
	switch (n->type) {
	case OV_PART: case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_SECTION:
	case OV_COLOPHON: case OV_DEDICATION: case OV_GLOSSARY: case OV_INDEX:
		return enter_division(r, n);
	case OV_DOCUMENT: case OV_INFO:
		return WALK_IN;
	case OV_TITLE: return enter_title(r, n);
	case OV_PARA: return enter_para(r, n);
	case OV_BRIDGEHEAD: return enter_bridgehead(r, n);
	case OV_ITEMIZEDLIST: case OV_ORDEREDLIST: case OV_SIMPLELIST: case OV_VARIABLELIST:
		return enter_list(r, n);
	case OV_LISTITEM: return enter_listitem(r, n);
	case OV_VARLISTENTRY:
		r->pending_id = ep_node_id(r->ep, n);
		return WALK_IN;
	case OV_BLOCKQUOTE: case OV_EPIGRAPH: return enter_quote_block(r, n);
	case OV_ATTRIBUTION: return enter_attribution(r, n);
	case OV_ADMONITION: return enter_admonition(r, n);
	case OV_FIGURE: return enter_figure(r, n);
	case OV_TABLE: return enter_table(r, n);
	case OV_CELL: return enter_cell(r, n);
	case OV_VERBATIM: return enter_verbatim(r, n);
	case OV_TEXT:
		text_marked(r, n, n->text, 0, n->text ? strlen(n->text) : 0);
		return WALK_OVER;
	case OV_INDEXENTRY: return enter_indexentry(r, n);
	case OV_EMPHASIS: case OV_CODE: case OV_PHRASE: case OV_SUBSCRIPT: case OV_SUPERSCRIPT:
		return enter_styled(r, n);
	case OV_QUOTE: return enter_quote(r, n);
	case OV_LINK: case OV_XREF: return enter_link(r, n);
	case OV_FOOTNOTE: case OV_FOOTNOTEREF: return enter_noteref(r, n);
	case OV_LINEBREAK:
		ovx_begin(&r->x, n, "br");
		ovx_end_void(&r->x);
		return WALK_OVER;
	case OV_ANCHOR: case OV_INDEXTERM:
		anchor(r, n);
		return WALK_OVER;
	case OV_IMAGE: return enter_image(r, n);
	default: /* the cover (the title and copyright pages take what they need of it) */
		return WALK_SKIP;
	}
}

static void
leave(Render *r, const OvNode *n)
{
	switch (n->type) {
	case OV_PART: case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_SECTION:
	case OV_COLOPHON: case OV_DEDICATION: case OV_GLOSSARY: case OV_INDEX:
		leave_division(r, n);
		break;
	case OV_TITLE:
		leave_title(r, n);
		break;
	case OV_QUOTE:
		leave_quote(r, n);
		break;
	case OV_LINK: case OV_XREF:
		leave_link(r, n);
		break;
	default:
		ovx_close_owned(&r->x, n);
		break;
	}
}

typedef struct {
	const OvNode *node;
	GPtrArray *order;    /* children in writing order, or NULL: document order */
	guint i;
	const OvNode *next;  /* document order: the next child */
} Frame;

/* The next child of a frame to write, or NULL when done. */
static const OvNode *
next_child(Frame *f)
{
	const OvNode *c;
	if (f->order)
		return f->i < f->order->len ? g_ptr_array_index(f->order, f->i++) : NULL;
	c = f->next;
	if (c)
		f->next = c->next;
	return c;
}

static void
push_frame(GArray *stack, const OvNode *n)
{
	Frame f = { n, child_order(n), 0, n->first };
	g_array_append_val(stack, f);
}

/* Write the subtree of root: enter/leave for every node, no recursion (any depth). */
static void
walk(Render *r, const OvNode *root)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(Frame));
	Walk w = enter(r, root);

	if (w == WALK_IN && root->first)
		push_frame(stack, root);
	else if (w != WALK_SKIP)
		leave(r, root);
	while (stack->len) {
		Frame *f = &g_array_index(stack, Frame, stack->len - 1);
		const OvNode *c = next_child(f);
		if (c && c == r->chunk->stop) { /* it and the rest are in the pages that follow */
			f->next = NULL;
			if (f->order)
				f->i = f->order->len;
			c = NULL;
		}
		if (c == NULL) {
			const OvNode *n = f->node;
			if (f->order)
				g_ptr_array_free(f->order, TRUE);
			g_array_set_size(stack, stack->len - 1);
			leave(r, n);
			continue;
		}
		w = enter(r, c);
		if (w == WALK_IN && c->first)
			push_frame(stack, c);
		else if (w != WALK_SKIP)
			leave(r, c);
	}
	g_array_free(stack, TRUE);
}

/* ---- pages ---- */

void
ep_page_begin(Epub *ep, Ovx *x, const char *lang, const char *title, const char *title_lang, const char *body_type,
	      const char *body_class)
{
	ovx_raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
	ovx_begin(x, NULL, "html");
	ovx_attr(x, "xmlns", "http://www.w3.org/1999/xhtml");
	ovx_attr(x, "xmlns:epub", "http://www.idpf.org/2007/ops");
	ovx_attr(x, "lang", lang);
	ovx_attr(x, "xml:lang", lang);
	if (ep_lang_rtl(lang))
		ovx_attr(x, "dir", "rtl");
	ovx_end(x);
	ovx_open(x, NULL, "head", NULL);
	ovx_begin(x, NULL, "meta");
	ovx_attr(x, "charset", "UTF-8");
	ovx_end_void(x);
	ovx_begin(x, NULL, "title");
	ep_words_lang(ep, x, lang, title_lang, TRUE);
	ovx_end(x);
	ovx_text(x, title);
	ovx_close(x);
	ovx_begin(x, NULL, "link");
	ovx_attr(x, "rel", "stylesheet");
	ovx_attr(x, "type", "text/css");
	ovx_attr(x, "href", "style.css");
	ovx_end_void(x);
	ovx_close(x);
	ovx_open(x, NULL, "body", "epub:type", body_type, "class", body_class, NULL);
}

GBytes *
ep_page_end(Ovx *x)
{
	gsize len;
	char *s;
	ovx_close_to(x, 0);
	s = ovx_free(x, TRUE, &len);
	return g_bytes_new_take(s, len);
}

/* A line of the title or copyright page. */
static void
plain_line(Render *r, const char *cls, const char *s, int fam)
{
	if (s == NULL || *s == '\0')
		return;
	ovx_open(&r->x, NULL, "p", "class", cls, NULL);
	restyle(r, fam, 0, 0);
	text(r, s);
	ovx_close(&r->x);
}

static void
write_titlepage(Render *r)
{
	const OvDoc *doc = r->ep->doc;
	const OvMeta *m = &doc->meta;
	const OvNode *title = ov_node_child(doc->root, OV_TITLE);
	const OvNode *sub = ov_node_child(doc->root, OV_SUBTITLE);

	ovx_open(&r->x, NULL, "section", "id", ep_node_id(r->ep, doc->root), "epub:type", "titlepage", "class",
		 "titlepage", NULL);
	if (title) {
		walk(r, title);
	} else {
		ovx_open(&r->x, NULL, "h1", "class", "title", NULL);
		restyle(r, EP_FAM_HEAD, 1, 0);
		text(r, m->title);
		ovx_close(&r->x);
		r->ep->n_headings++;
	}
	if (sub)
		walk(r, sub);
	{
		GArray *people = ov_gentext_people(doc);
		static const char *const cls[] = { [OV_LINE_NAME] = "author", [OV_LINE_DETAIL] = "author-detail",
						   [OV_LINE_CREDIT] = "credit" };
		for (guint i = 0; i < people->len; i++) {
			const OvTextLine *l = &g_array_index(people, OvTextLine, i);
			plain_line(r, cls[l->kind], l->text, EP_FAM_HEAD);
		}
		ov_text_lines_free(people);
	}
	/* a publisher who is the first author is named once, as on the PDF's title page */
	if (m->publisher && (m->authors->len == 0 || strcmp(m->publisher, g_ptr_array_index(m->authors, 0))))
	{
		plain_line(r, "publisher", m->publisher, EP_FAM_HEAD);
		if (m->publisher_address)
			plain_line(r, "publisher-address", m->publisher_address, EP_FAM_HEAD);
	}
	flush_notes(r);
	ovx_close(&r->x);
}

static void
write_copyright(Render *r)
{
	const OvDoc *doc = r->ep->doc;
	const OvMeta *m = &doc->meta;
	const OvNode *info = ov_node_child(doc->root, OV_INFO);

	/* in the PDF's order: the book's notices, then its copyright, edition and publication */
	ovx_open(&r->x, NULL, "section", "epub:type", "copyright-page", "class", "copyright-page", NULL);
	for (const OvNode *c = info ? info->first : NULL; c; c = c->next) {
		if (c->type != OV_COVER) {
			walk(r, c);
			continue;
		}
		for (const OvNode *k = c->first; k; k = k->next)
			if (k->type != OV_MEDIAOBJECT)
				walk(r, k);
	}
	plain_line(r, "copyright", m->copyright, EP_FAM_BODY);
	plain_line(r, "edition", m->edition, EP_FAM_BODY);
	if (m->pubdate || m->date) {
		char *s = g_strdup_printf("%s %s", ov_gentext(doc, OV_GT_PUBLISHED), m->pubdate ? m->pubdate : m->date);
		plain_line(r, "published", s, EP_FAM_BODY);
		g_free(s);
	}
	plain_line(r, "releaseinfo", m->releaseinfo, EP_FAM_BODY);
	if (m->isbn) {
		char *s = g_strconcat("ISBN ", m->isbn, NULL);
		plain_line(r, "isbn", s, EP_FAM_BODY);
		g_free(s);
	}
	for (guint i = 0; i < m->printhistory->len; i++)
		plain_line(r, "printhistory", g_ptr_array_index(m->printhistory, i), EP_FAM_BODY);
	if (m->revisions->len) {
		GPtrArray *revs = ov_gentext_revisions(doc);
		ovx_open(&r->x, NULL, "p", "class", "revhistory", NULL); /* bold, as the PDF's */
		restyle(r, EP_FAM_HEAD, 1, 0);
		words(r, NULL, OV_GT_REVHISTORY, NULL);
		ovx_close(&r->x);
		for (guint i = 0; i < revs->len; i++)
			plain_line(r, "revision", g_ptr_array_index(revs, i), EP_FAM_BODY);
		g_ptr_array_free(revs, TRUE);
	}
	flush_notes(r);
	ovx_close(&r->x);
}

static const char *
matter_of(const EpChunk *c)
{
	if (c->kind == EP_TITLEPAGE || c->kind == EP_COPYRIGHT)
		return "frontmatter";
	if (c->div == NULL)
		return "bodymatter";
	switch (c->div->type) {
	case OV_PREFACE: case OV_DEDICATION: return "frontmatter";
	case OV_APPENDIX: case OV_COLOPHON: case OV_GLOSSARY: case OV_INDEX: return "backmatter";
	default: return "bodymatter";
	}
}

void
ep_write_chunk(Epub *ep, EpChunk *c)
{
	Render r = { 0 };

	r.ep = ep;
	r.chunk = c;
	r.notes = g_ptr_array_new();
	r.deferred = g_ptr_array_new();
	ovx_init(&r.x);
	ep_page_begin(r.ep, &r.x, c->lang, c->title, c->title_lang, matter_of(c), NULL);
	for (guint i = 0; i < c->marks_first->len; i++)
		ep_page_marker(&r.x, g_ptr_array_index(c->marks_first, i), c);
	switch (c->kind) {
	case EP_TITLEPAGE:
		write_titlepage(&r);
		break;
	case EP_COPYRIGHT:
		write_copyright(&r);
		break;
	case EP_DIVISION:
		walk(&r, c->root);
		break;
	case EP_LOOSE:
	case EP_PIECE:
		for (const OvNode *n = c->root; n; n = n->next) {
			walk(&r, n);
			if (n == c->last)
				break;
		}
		ovx_close_to(&r.x, 2); /* a list container left open by the last node */
		flush_notes(&r);
		break;
	default:
		break;
	}
	ovx_close_to(&r.x, 2); /* html, body: markers still waiting go at the end */
	flush_marks(&r);
	for (guint i = 0; i < c->marks_last->len; i++)
		ep_page_marker(&r.x, g_ptr_array_index(c->marks_last, i), c);
	c->data = ep_page_end(&r.x);
	g_ptr_array_free(r.notes, TRUE);
	g_ptr_array_free(r.deferred, TRUE);
}
