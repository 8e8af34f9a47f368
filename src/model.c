/* model.c: nodes, the arena, the iterator, and small queries on the tree. */
#include <string.h>
#include "model.h"
#include "gentext.h"

#define B OV_CONTENT_BLOCKS
#define I OV_CONTENT_INLINES
#define N OV_CONTENT_NONE
#define LB OV_LEVEL_BLOCK
#define LI OV_LEVEL_INLINE
#define LA OV_LEVEL_ANY

const OvTypeInfo ov_type_info[OV_N_TYPES] = {
	[OV_DOCUMENT] = { "document", B, LB, TRUE },
	[OV_INFO] = { "info", B, LB, FALSE },
	[OV_PART] = { "part", B, LB, TRUE },
	[OV_PREFACE] = { "preface", B, LB, TRUE },
	[OV_CHAPTER] = { "chapter", B, LB, TRUE },
	[OV_APPENDIX] = { "appendix", B, LB, TRUE },
	[OV_SECTION] = { "section", B, LB, TRUE },
	[OV_COLOPHON] = { "colophon", B, LB, TRUE },
	[OV_DEDICATION] = { "dedication", B, LB, TRUE },
	[OV_GLOSSARY] = { "glossary", B, LB, TRUE },
	[OV_INDEX] = { "index", B, LB, TRUE },
	[OV_ABSTRACT] = { "abstract", B, LB, FALSE },
	[OV_LEGALNOTICE] = { "legalnotice", B, LB, FALSE },
	[OV_COVER] = { "cover", B, LB, FALSE },
	[OV_TITLE] = { "title", I, LB, FALSE },
	[OV_SUBTITLE] = { "subtitle", I, LB, FALSE },
	[OV_PARA] = { "para", I, LB, FALSE },
	[OV_FORMALPARA] = { "formalpara", B, LB, FALSE },
	[OV_BRIDGEHEAD] = { "bridgehead", I, LB, FALSE },
	[OV_ITEMIZEDLIST] = { "itemizedlist", B, LB, FALSE },
	[OV_ORDEREDLIST] = { "orderedlist", B, LB, FALSE },
	[OV_SIMPLELIST] = { "simplelist", B, LB, FALSE },
	[OV_LISTITEM] = { "listitem", B, LB, FALSE },
	[OV_VARIABLELIST] = { "variablelist", B, LB, FALSE },
	[OV_VARLISTENTRY] = { "varlistentry", B, LB, FALSE },
	[OV_TERM] = { "term", I, LB, FALSE },
	[OV_BLOCKQUOTE] = { "blockquote", B, LB, FALSE },
	[OV_EPIGRAPH] = { "epigraph", B, LB, FALSE },
	[OV_ATTRIBUTION] = { "attribution", I, LB, FALSE },
	[OV_ADMONITION] = { "admonition", B, LB, FALSE },
	[OV_SIDEBAR] = { "sidebar", B, LB, FALSE },
	[OV_FIGURE] = { "figure", B, LB, FALSE },
	[OV_MEDIAOBJECT] = { "mediaobject", B, LB, FALSE },
	[OV_CAPTION] = { "caption", B, LB, FALSE },
	[OV_TABLE] = { "table", B, LB, FALSE },
	[OV_THEAD] = { "thead", B, LB, FALSE },
	[OV_TBODY] = { "tbody", B, LB, FALSE },
	[OV_TFOOT] = { "tfoot", B, LB, FALSE },
	[OV_ROW] = { "row", B, LB, FALSE },
	[OV_CELL] = { "cell", B, LB, FALSE },
	[OV_VERBATIM] = { "verbatim", I, LB, FALSE },
	[OV_INDEXENTRY] = { "indexentry", I, LB, FALSE },
	[OV_TEXT] = { "text", N, LI, FALSE },
	[OV_EMPHASIS] = { "emphasis", I, LI, FALSE },
	[OV_CODE] = { "code", I, LI, FALSE },
	[OV_QUOTE] = { "quote", I, LI, FALSE },
	[OV_SUBSCRIPT] = { "subscript", I, LI, FALSE },
	[OV_SUPERSCRIPT] = { "superscript", I, LI, FALSE },
	[OV_PHRASE] = { "phrase", I, LI, FALSE },
	[OV_LINK] = { "link", I, LI, FALSE },
	[OV_XREF] = { "xref", N, LI, FALSE },
	[OV_FOOTNOTE] = { "footnote", B, LI, FALSE },
	[OV_FOOTNOTEREF] = { "footnoteref", N, LI, FALSE },
	[OV_INLINEMEDIA] = { "inlinemediaobject", B, LI, FALSE }, /* holds its images */
	[OV_LINEBREAK] = { "linebreak", N, LI, FALSE },
	[OV_ANCHOR] = { "anchor", N, LA, FALSE },
	[OV_INDEXTERM] = { "indexterm", N, LA, FALSE },
	[OV_IMAGE] = { "image", N, LA, FALSE },
};

#undef B
#undef I
#undef N
#undef LB
#undef LI
#undef LA

#define OV_ARENA_BLOCK (64 * 1024)

OvDoc *
ov_doc_new(const char *path)
{
	OvDoc *doc = g_new0(OvDoc, 1);
	doc->strings = g_string_chunk_new(16 * 1024);
	doc->path = g_string_chunk_insert_const(doc->strings, path ? path : "");
	doc->indexterms = g_ptr_array_new();
	doc->footnotes = g_ptr_array_new();
	doc->files = g_ptr_array_new();
	doc->meta.authors = g_ptr_array_new();
	doc->meta.keywords = g_ptr_array_new();
	doc->meta.people = g_array_new(FALSE, TRUE, sizeof(OvPerson));
	doc->meta.revisions = g_array_new(FALSE, TRUE, sizeof(OvRevision));
	doc->meta.printhistory = g_ptr_array_new();
	doc->toc = g_array_new(FALSE, TRUE, sizeof(OvTocEntry));
	doc->ids = g_hash_table_new(g_str_hash, g_str_equal);
	doc->anchors = g_hash_table_new(NULL, NULL);
	return doc;
}

void
ov_doc_free(OvDoc *doc)
{
	if (doc == NULL)
		return;
	if (doc->index_data && doc->index_data_free)
		doc->index_data_free(doc->index_data);
	g_slist_free_full(doc->blocks, g_free);
	g_string_chunk_free(doc->strings);
	g_ptr_array_free(doc->indexterms, TRUE);
	g_ptr_array_free(doc->footnotes, TRUE);
	g_ptr_array_free(doc->files, TRUE);
	g_ptr_array_free(doc->meta.authors, TRUE);
	g_ptr_array_free(doc->meta.keywords, TRUE);
	g_array_free(doc->meta.people, TRUE);
	g_array_free(doc->meta.revisions, TRUE);
	g_ptr_array_free(doc->meta.printhistory, TRUE);
	g_array_free(doc->toc, TRUE);
	g_hash_table_destroy(doc->ids);
	g_hash_table_destroy(doc->anchors);
	g_free(doc);
}

gpointer
ov_alloc(OvDoc *doc, gsize size)
{
	gpointer p;

	size = (size + 15) & ~(gsize)15;
	if (size > OV_ARENA_BLOCK / 4) {
		/* big allocations get a block of their own, kept behind the current one */
		p = g_malloc0(size);
		if (doc->blocks)
			doc->blocks->next = g_slist_prepend(doc->blocks->next, p);
		else
			doc->blocks = g_slist_prepend(NULL, p), doc->block_used = doc->block_size = 0;
		return p;
	}
	if (doc->blocks == NULL || doc->block_used + size > doc->block_size) {
		doc->blocks = g_slist_prepend(doc->blocks, g_malloc0(OV_ARENA_BLOCK));
		doc->block_used = 0;
		doc->block_size = OV_ARENA_BLOCK;
	}
	p = (char *)doc->blocks->data + doc->block_used;
	doc->block_used += size;
	return p;
}

const char *
ov_strdup(OvDoc *doc, const char *s)
{
	return s ? g_string_chunk_insert(doc->strings, s) : NULL;
}

const char *
ov_strndup(OvDoc *doc, const char *s, gsize n)
{
	return s ? g_string_chunk_insert_len(doc->strings, s, n) : NULL;
}

const char *
ov_intern(OvDoc *doc, const char *s)
{
	return s ? g_string_chunk_insert_const(doc->strings, s) : NULL;
}

const char *
ov_printf(OvDoc *doc, const char *fmt, ...)
{
	va_list ap;
	char *tmp;
	const char *res;
	va_start(ap, fmt);
	tmp = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	res = g_string_chunk_insert(doc->strings, tmp);
	g_free(tmp);
	return res;
}

OvNode *
ov_node_new(OvDoc *doc, OvType type, OvLoc loc)
{
	OvNode *n = ov_alloc(doc, sizeof *n);
	doc->made++;
	n->type = type;
	n->loc = loc;
	if (type == OV_LISTITEM)
		n->u.item.override = -1;
	return n;
}

GPtrArray *
ov_reading_children(const OvNode *n)
{
	GPtrArray *a = g_ptr_array_new();
	OvType last = n->type == OV_TABLE ? OV_TFOOT
		      : n->type == OV_BLOCKQUOTE || n->type == OV_EPIGRAPH ? OV_ATTRIBUTION : OV_N_TYPES;
	for (int pass = 0; pass < 2; pass++)
		for (OvNode *c = n->first; c; c = c->next)
			if ((c->type == last) == (pass == 1))
				g_ptr_array_add(a, c);
	return a;
}

typedef struct {
	GPtrArray *kids;
	guint i;
} OrderFrame;

void
ov_doc_order(OvDoc *doc)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(OrderFrame));
	OrderFrame top = { g_ptr_array_new(), 0 };
	guint n = 0;

	/* without recursion: the tree may be as deep as the reader allows */
	g_ptr_array_add(top.kids, doc->root);
	g_array_append_val(stack, top);
	while (stack->len) {
		OrderFrame *f = &g_array_index(stack, OrderFrame, stack->len - 1);
		OvNode *c;
		if (f->i >= f->kids->len) {
			g_ptr_array_free(f->kids, TRUE);
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		c = g_ptr_array_index(f->kids, f->i++);
		c->order = ++n;
		if (c->first) {
			OrderFrame sub = { ov_reading_children(c), 0 };
			g_array_append_val(stack, sub);
		}
	}
	g_array_free(stack, TRUE);
	doc->ordered = doc->made;
	doc->n_ordered = n;
}

void
ov_node_append(OvNode *parent, OvNode *child)
{
	child->parent = parent;
	child->next = NULL;
	child->prev = parent->last;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void
ov_node_prepend(OvNode *parent, OvNode *child)
{
	child->parent = parent;
	child->prev = NULL;
	child->next = parent->first;
	if (parent->first)
		parent->first->prev = child;
	else
		parent->last = child;
	parent->first = child;
}

void
ov_node_insert_after(OvNode *sibling, OvNode *child)
{
	OvNode *parent = sibling->parent;
	child->parent = parent;
	child->prev = sibling;
	child->next = sibling->next;
	if (sibling->next)
		sibling->next->prev = child;
	else if (parent)
		parent->last = child;
	sibling->next = child;
}

void
ov_node_unlink(OvNode *node)
{
	if (node->prev)
		node->prev->next = node->next;
	else if (node->parent)
		node->parent->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else if (node->parent)
		node->parent->last = node->prev;
	node->parent = node->prev = node->next = NULL;
}

OvNode *
ov_node_child(const OvNode *node, OvType type)
{
	for (OvNode *c = node->first; c; c = c->next)
		if (c->type == type)
			return c;
	return NULL;
}

OvNode *
ov_node_ancestor(const OvNode *node, OvType type)
{
	for (; node; node = node->parent)
		if (node->type == type)
			return (OvNode *)node;
	return NULL;
}

const char *
ov_cell_align(const OvNode *c)
{
	const char *a = c->u.cell.align;
	const OvNode *t = c->parent && c->parent->parent ? c->parent->parent->parent : NULL;
	if (a == NULL && c->u.cell.colspan > 1 && (c->flags & OV_F_HEADER))
		return "center"; /* a head over several columns stands over their middle */
	if (a == NULL && t && t->type == OV_TABLE && t->u.table.colalign && c->u.cell.col >= 0 &&
	    c->u.cell.col < t->u.table.ncols && c->u.cell.colspan <= 1)
		a = t->u.table.colalign[c->u.cell.col];
	if (a == NULL)
		return NULL;
	if (!strcmp(a, "left") || !strcmp(a, "right") || !strcmp(a, "center") || !strcmp(a, "justify"))
		return a;
	if (!strcmp(a, "char"))
		return "right";
	return NULL;
}

gboolean
ov_node_inside(const OvNode *node, const OvNode *anc)
{
	for (; node; node = node->parent)
		if (node == anc)
			return TRUE;
	return FALSE;
}

gboolean
ov_node_is_block(const OvNode *node)
{
	return ov_type_info[node->type].level == OV_LEVEL_BLOCK;
}

gboolean
ov_node_is_division(const OvNode *node)
{
	return ov_type_info[node->type].division;
}

gboolean
ov_is_ncname(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (p == NULL || *p == '\0' || !(g_ascii_isalpha(*p) || *p == '_' || *p >= 0x80))
		return FALSE;
	for (p++; *p; p++)
		if (!(g_ascii_isalnum(*p) || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80))
			return FALSE;
	/* no noncharacter, which a PDF's text may not hold */
	for (const char *c = s; *c; c = g_utf8_next_char(c))
		if (ov_noncharacter(g_utf8_get_char(c)))
			return FALSE;
	return TRUE;
}

gboolean
ov_noncharacter(gunichar c)
{
	return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

char *
ov_text_no_nonchars(const char *s, int len, int *out_len)
{
	GString *o;
	gboolean any = FALSE;
	if (len < 0)
		len = (int)strlen(s);
	/* every noncharacter's UTF-8 starts with EF (U+FDD0..U+FFFF) or F0..F4 */
	for (int i = 0; i < len && !any; i++)
		any = (unsigned char)s[i] >= 0xEF;
	if (any) {
		any = FALSE;
		for (const char *p = s; p < s + len && !any; p = g_utf8_next_char(p))
			any = ov_noncharacter(g_utf8_get_char(p));
	}
	if (!any)
		return NULL;
	o = g_string_sized_new((gsize)len + 8);
	for (const char *p = s, *q; p < s + len; p = q) {
		q = g_utf8_next_char(p);
		if (ov_noncharacter(g_utf8_get_char(p)))
			g_string_append(o, "\xEF\xBF\xBD");
		else
			g_string_append_len(o, p, q - p);
	}
	if (out_len)
		*out_len = (int)o->len;
	return g_string_free(o, FALSE);
}

char *
ov_free_name(GHashTable *taken, char *wish)
{
	char *name = wish;
	for (int k = 2; g_hash_table_contains(taken, name); k++) {
		if (name != wish)
			g_free(name);
		name = g_strdup_printf("%s-%d", wish, k);
	}
	if (name != wish)
		g_free(wish);
	return name;
}

const char *
ov_node_anchor(const OvDoc *doc, const OvNode *node)
{
	if (node->id && ov_is_ncname(node->id))
		return node->id;
	return g_hash_table_lookup(doc->anchors, node);
}

const char *
ov_node_lang(const OvNode *node)
{
	const OvNode *p;
	const char *lang = "";

	for (p = node; p; p = p->parent) {
		if (p->lang || p->lang_cache) {
			lang = p->lang ? p->lang : p->lang_cache;
			break;
		}
	}
	for (OvNode *q = (OvNode *)node; q != p; q = q->parent)
		q->lang_cache = lang;
	return *lang ? lang : NULL;
}

void
ov_node_lang_all(const OvNode *root)
{
	OvIter it;
	OvEvent ev;
	ov_iter_init(&it, (OvNode *)root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER)
			ov_node_lang(it.cur);
}

const char *
ov_type_name(OvType type)
{
	return type < OV_N_TYPES ? ov_type_info[type].name : "?";
}

const char *
ov_ref_words(const OvNode *x, gboolean pageless)
{
	if (x->type == OV_LINK && x->first)
		return NULL; /* its own words, in its children */
	if (pageless && (x->flags & OV_F_NEED_PAGE) && x->u.link.gen_words)
		return x->u.link.gen_words;
	return x->gen;
}

static void
node_text(const OvNode *node, GString *s, gboolean pageless, int quotes)
{
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, (OvNode *)node);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		if (n->type == OV_QUOTE && n != node) {
			/* the marks both back ends print around a quotation */
			const char *open, *close;
			if (ev == OV_EV_EXIT)
				quotes--;
			ov_gentext_quotes(ov_node_lang(n), quotes, &open, &close);
			g_string_append(s, ev == OV_EV_ENTER ? open : close);
			if (ev == OV_EV_ENTER)
				quotes++;
			continue;
		}
		if (ev != OV_EV_ENTER)
			continue;
		switch (n->type) {
		case OV_TEXT:
			g_string_append(s, n->text);
			break;
		case OV_FOOTNOTE:
		case OV_INDEXTERM:
			if (n != node)
				ov_iter_skip_children(&it);
			break;
		case OV_XREF:
		case OV_LINK:
			if (ov_ref_words(n, pageless))
				g_string_append(s, ov_ref_words(n, pageless));
			break;
		case OV_LINEBREAK:
			g_string_append_c(s, ' ');
			break;
		case OV_IMAGE:
			if (n->u.img.alt && n->parent && n->parent->type == OV_INLINEMEDIA)
				g_string_append(s, n->u.img.alt);
			break;
		default:
			break;
		}
	}
}

void
ov_node_text(const OvNode *node, GString *s)
{
	node_text(node, s, FALSE, 0);
}

void
ov_node_words(const OvNode *node, GString *s)
{
	node_text(node, s, TRUE, 0);
}

void
ov_node_words_at(const OvNode *node, GString *s, int quotes)
{
	node_text(node, s, TRUE, quotes);
}

int
ov_inline_style(const OvNode *node)
{
	switch (node->type) {
	case OV_EMPHASIS:
	case OV_CODE:
	case OV_PHRASE:
		return node->u.em.style;
	case OV_SUBSCRIPT:
		return OV_STYLE_SUB;
	case OV_SUPERSCRIPT:
		return OV_STYLE_SUPER;
	default:
		return 0;
	}
}

void
ov_iter_init(OvIter *it, OvNode *root)
{
	it->root = root;
	it->cur = NULL;
	it->ev = OV_EV_NONE;
	it->skip = FALSE;
	it->started = FALSE;
}

OvEvent
ov_iter_next(OvIter *it)
{
	OvNode *cur = it->cur;

	if (!it->started) {
		it->started = TRUE;
		if (it->root == NULL)
			return OV_EV_NONE;
		it->cur = it->root;
		return it->ev = OV_EV_ENTER;
	}
	if (cur == NULL)
		return it->ev = OV_EV_NONE;
	if (it->ev == OV_EV_ENTER) {
		if (cur->first && !it->skip) {
			it->cur = cur->first;
			return it->ev = OV_EV_ENTER;
		}
		it->skip = FALSE;
		return it->ev = OV_EV_EXIT; /* a leaf, or its children skipped */
	}
	if (cur == it->root) {
		it->cur = NULL;
		return it->ev = OV_EV_NONE;
	}
	if (cur->next) {
		it->cur = cur->next;
		return it->ev = OV_EV_ENTER;
	}
	it->cur = cur->parent;
	return it->ev = OV_EV_EXIT;
}

void
ov_iter_skip_children(OvIter *it)
{
	if (it->ev == OV_EV_ENTER)
		it->skip = TRUE;
}

/* A date as the OPF and XMP want it (W3CDTF: 2014, 2014-01, 2014-01-13), or NULL. */
static char *
w3c_date(const char *s)
{
	GDate *d;
	char *res = NULL;
	if (s == NULL)
		return NULL;
	if (g_regex_match_simple("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", s, 0, 0))
		return g_strdup(s);
	d = g_date_new();
	g_date_set_parse(d, s);
	if (g_date_valid(d))
		res = g_strdup_printf("%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d), g_date_get_day(d));
	g_date_free(d);
	return res;
}

/* The book's date in W3CDTF: its pubdate, else its date; NULL if neither reads as one. */
char *
ov_meta_date(const OvMeta *m)
{
	char *date = w3c_date(m->pubdate ? m->pubdate : m->date);
	if (date == NULL && m->pubdate)
		date = w3c_date(m->date);
	return date;
}

/* urn:isbn from the ISBN, else the book's own identifier (biblioid class="uri", "doi",
 * "other"), else a name-based UUID (version 5 layout) from a SHA-1 of its title, authors, subtitle,
 * edition and language: the same book gives the same identifier every build, and after its
 * text is corrected. The EPUB's dc:identifier and the PDF's XMP name the book by it. */
char *
ov_meta_identifier(const OvDoc *doc)
{
	GChecksum *sum;
	guint8 b[20];
	gsize n = sizeof b;
	const char *const more[] = { doc->meta.subtitle, doc->meta.edition, doc->meta.lang };

	if (doc->meta.isbn) {
		GString *s = g_string_new("urn:isbn:");
		for (const char *p = doc->meta.isbn; *p; p++)
			if (g_ascii_isdigit(*p) || *p == 'X' || *p == 'x')
				g_string_append_c(s, g_ascii_toupper(*p));
		if (s->len > 9)
			return g_string_free(s, FALSE);
		g_string_free(s, TRUE);
	}
	if (doc->meta.identifier) { /* the book's own: biblioid class="uri", "doi" or "other" */
		const char *v = doc->meta.identifier;
		if (strcmp(doc->meta.identifier_class, "doi") != 0)
			return g_strdup(v);
		if (g_str_has_prefix(v, "https://doi.org/"))
			v += strlen("https://doi.org/");
		else if (g_str_has_prefix(v, "doi:"))
			v += strlen("doi:");
		return g_strconcat("urn:doi:", v, NULL);
	}
	sum = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(sum, (const guchar *)"octavo\n", -1);
	g_checksum_update(sum, (const guchar *)(doc->meta.title ? doc->meta.title : ""), -1);
	for (guint i = 0; i < doc->meta.authors->len; i++) {
		g_checksum_update(sum, (const guchar *)"\n", 1);
		g_checksum_update(sum, g_ptr_array_index(doc->meta.authors, i), -1);
	}
	/* what names the book, not its text: a corrected edition keeps its identifier, and with it
	 * the reader's place and notes (EPUB 3.3 asks for no new one on minor revisions) */
	for (gsize i = 0; i < G_N_ELEMENTS(more); i++) {
		g_checksum_update(sum, (const guchar *)"\n", 1);
		g_checksum_update(sum, (const guchar *)(more[i] ? more[i] : ""), -1);
	}
	g_checksum_get_digest(sum, b, &n);
	g_checksum_free(sum);
	b[6] = (b[6] & 0x0F) | 0x50;
	b[8] = (b[8] & 0x3F) | 0x80;
	return g_strdup_printf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			       b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
			       b[13], b[14], b[15]);
}

/* The abstract of the book as plain text, or NULL. */
char *
ov_meta_abstract(const OvDoc *doc)
{
	const OvNode *info = ov_node_child(doc->root, OV_INFO);
	const OvNode *abs = info ? ov_node_child(info, OV_ABSTRACT) : NULL;
	GString *s;
	if (abs == NULL)
		return NULL;
	s = g_string_new(NULL);
	for (const OvNode *c = abs->first; c; c = c->next)
		if (c->type != OV_TITLE) {
			if (s->len)
				g_string_append_c(s, ' ');
			ov_node_text(c, s);
		}
	return g_string_free(s, s->len == 0);
}

/* The image a media object shows in one output: the first whose role (its imageobject's) is
 * for that output, DocBook's convention (print: "fo", "print", "pdf"; an e-book: "html",
 * "xhtml", "epub"), else NULL: the first usable one, as each output finds it. */
const OvNode *
ov_media_pick(const OvNode *media, gboolean print)
{
	static const char *const roles[2][3] = { { "html", "xhtml", "epub" }, { "fo", "print", "pdf" } };
	for (const OvNode *c = media ? media->first : NULL; c; c = c->next) {
		if (c->type != OV_IMAGE || c->role == NULL)
			continue;
		for (int i = 0; i < 3; i++)
			if (g_ascii_strcasecmp(c->role, roles[print ? 1 : 0][i]) == 0)
				return c;
	}
	return NULL;
}

const OvNode *
ov_media_next(const OvNode *media, const OvNode *prev, gboolean print)
{
	const OvNode *pick = ov_media_pick(media, print), *c;
	if (prev == NULL && pick)
		return pick;
	for (c = prev == NULL || prev == pick ? media->first : prev->next; c; c = c->next)
		if (c->type == OV_IMAGE && c != pick)
			return c;
	return NULL;
}
