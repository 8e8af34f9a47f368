/* pagemap.c: the print edition's pages in terms of the model (see pagemap.h). */
#include "pagemap.h"

/* The children of n in the order both back ends set them: a table's foot after its bodies, a
 * quotation's attribution after it (the source may put them first). */
static GPtrArray *
reading_children(const OvNode *n)
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
} Frame;

OvPageMap *
ov_pagemap_new(const OvDoc *doc)
{
	OvPageMap *pm = g_new0(OvPageMap, 1);
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(Frame));
	Frame top = { g_ptr_array_new(), 0 };
	guint n = 0;

	pm->pages = g_array_new(FALSE, TRUE, sizeof(OvPage));
	pm->starts = g_array_new(FALSE, TRUE, sizeof(guint64));
	pm->order = g_hash_table_new(NULL, NULL);
	pm->first = g_hash_table_new(NULL, NULL);
	pm->last = g_hash_table_new(NULL, NULL);
	pm->anchors = g_hash_table_new(NULL, NULL);
	/* number the nodes in reading order, without recursion */
	g_ptr_array_add(top.kids, doc->root);
	g_array_append_val(stack, top);
	while (stack->len) {
		Frame *f = &g_array_index(stack, Frame, stack->len - 1);
		const OvNode *c;
		if (f->i >= f->kids->len) {
			g_ptr_array_free(f->kids, TRUE);
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		c = g_ptr_array_index(f->kids, f->i++);
		g_hash_table_insert(pm->order, (gpointer)c, GUINT_TO_POINTER(++n));
		if (c->first) {
			Frame sub = { reading_children(c), 0 };
			g_array_append_val(stack, sub);
		}
	}
	g_array_free(stack, TRUE);
	return pm;
}

void
ov_pagemap_free(OvPageMap *pm)
{
	if (pm == NULL)
		return;
	for (guint i = 0; i < pm->pages->len; i++)
		g_free(g_array_index(pm->pages, OvPage, i).label);
	g_array_free(pm->pages, TRUE);
	g_array_free(pm->starts, TRUE);
	g_hash_table_destroy(pm->order);
	g_hash_table_destroy(pm->first);
	g_hash_table_destroy(pm->last);
	g_hash_table_destroy(pm->anchors);
	g_free(pm);
}

guint64
ov_pagemap_pos(const OvPageMap *pm, const OvNode *node, gsize offset)
{
	guint64 ord = GPOINTER_TO_UINT(g_hash_table_lookup(pm->order, node));
	return ord << 32 | MIN(offset, (gsize)G_MAXUINT32);
}

void
ov_pagemap_add(OvPageMap *pm, const char *label, OvPageWhere where, gboolean body, const OvNode *before,
	       const OvNode *text, gsize offset)
{
	OvPage pg = { g_strdup(label), where, body, before, text, offset };
	guint64 pos = before ? ov_pagemap_pos(pm, before, 0) : text ? ov_pagemap_pos(pm, text, offset) : G_MAXUINT64;
	g_array_append_val(pm->pages, pg);
	g_array_append_val(pm->starts, pos);
}

const OvPage *
ov_pagemap_page(const OvPageMap *pm, int i)
{
	if (i < 0 || (guint)i >= pm->pages->len)
		return NULL;
	return &g_array_index(pm->pages, OvPage, i);
}

void
ov_pagemap_set(OvPageMap *pm, const OvNode *node, int i)
{
	if (!g_hash_table_contains(pm->first, node))
		g_hash_table_insert(pm->first, (gpointer)node, GINT_TO_POINTER(i + 1));
	if (GPOINTER_TO_INT(g_hash_table_lookup(pm->last, node)) < i + 1)
		g_hash_table_insert(pm->last, (gpointer)node, GINT_TO_POINTER(i + 1));
}

void
ov_pagemap_set_anchor(OvPageMap *pm, const OvNode *node, int i)
{
	g_hash_table_insert(pm->anchors, (gpointer)node, GINT_TO_POINTER(i + 1));
}

/* Where the subtree of node was set: the page of its first (or last) node set, or -1. */
static int
placed(const OvPageMap *pm, const OvNode *node, gboolean end)
{
	OvIter it;
	OvEvent ev;
	int found = -1;

	ov_iter_init(&it, (OvNode *)node);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		gpointer v;
		if (ev != OV_EV_ENTER)
			continue;
		if (it.cur->type == OV_FOOTNOTE && it.cur != node) {
			ov_iter_skip_children(&it); /* set at the foot of the page that calls it */
			continue;
		}
		if ((v = g_hash_table_lookup(pm->anchors, it.cur)) == NULL)
			v = g_hash_table_lookup(end ? pm->last : pm->first, it.cur);
		if (v == NULL)
			continue;
		found = GPOINTER_TO_INT(v) - 1;
		if (!end)
			break;
	}
	return found;
}

int
ov_pagemap_page_of(const OvPageMap *pm, const OvNode *node, gboolean end)
{
	guint64 pos;
	int found = -1;

	if (node == NULL || !g_hash_table_contains(pm->order, node))
		return -1;
	if ((found = placed(pm, node, end)) >= 0)
		return found;
	if (end) {
		while (node->last) /* the end of a subtree: its last node in document order */
			node = node->last;
		pos = ov_pagemap_pos(pm, node, G_MAXUINT32);
	} else {
		pos = ov_pagemap_pos(pm, node, 0);
	}
	/* the last page starting at or before pos (a page of waiting figures only may start
	 * before the page ahead of it: starts mostly, not always, rise) */
	for (guint i = 0; i < pm->starts->len; i++) {
		guint64 s = g_array_index(pm->starts, guint64, i);
		if (s != G_MAXUINT64 && s <= pos)
			found = (int)i;
	}
	return found;
}

const char *
ov_pagemap_node_text(const OvNode *node)
{
	if (node == NULL)
		return NULL;
	return node->type == OV_TEXT ? node->text : node->gen;
}

void
ov_pagemap_shift(OvPageMap *pm, int n)
{
	GHashTable *tables[2] = { pm->first, pm->last };
	for (int t = 0; t < 2 && n; t++) {
		GHashTableIter hi;
		gpointer v;
		g_hash_table_iter_init(&hi, tables[t]);
		while (g_hash_table_iter_next(&hi, NULL, &v))
			g_hash_table_iter_replace(&hi, GINT_TO_POINTER(GPOINTER_TO_INT(v) + n));
	}
}
