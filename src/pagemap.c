/* pagemap.c: the print edition's pages in terms of the model (see pagemap.h). */
#include "pagemap.h"

OvPageMap *
ov_pagemap_new(const OvDoc *doc)
{
	OvPageMap *pm = g_new0(OvPageMap, 1);

	/* a node made since the tree was last numbered would have no place in it: a bug, never
	 * the input's fault, and wrong page numbers if let through */
	if (doc->ordered != doc->made)
		g_error("the page map needs every node in reading order: ov_doc_order was not called after the tree changed");
	pm->pages = g_array_new(FALSE, TRUE, sizeof(OvPage));
	pm->starts = g_array_new(FALSE, TRUE, sizeof(guint64));
	pm->first = g_array_new(FALSE, TRUE, sizeof(guint32));
	pm->last = g_array_new(FALSE, TRUE, sizeof(guint32));
	g_array_set_size(pm->first, doc->n_ordered + 1);
	g_array_set_size(pm->last, doc->n_ordered + 1);
	pm->anchors = g_hash_table_new(NULL, NULL);
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
	g_array_free(pm->first, TRUE);
	g_array_free(pm->last, TRUE);
	g_hash_table_destroy(pm->anchors);
	g_free(pm);
}

guint64
ov_pagemap_pos(const OvNode *node, gsize offset)
{
	return (guint64)node->order << 32 | MIN(offset, (gsize)G_MAXUINT32);
}

void
ov_pagemap_add(OvPageMap *pm, const char *label, OvPageWhere where, gboolean body, const OvNode *before,
	       const OvNode *text, gsize offset)
{
	OvPage pg = { g_strdup(label), where, body, before, text, offset, NULL };
	guint64 pos = before ? ov_pagemap_pos(before, 0) : text ? ov_pagemap_pos(text, offset) : G_MAXUINT64;
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

/* A node's entry in the first or last table: 1 + the page index, 0 when not set. */
static guint32 *
set_at(GArray *a, const OvNode *node)
{
	return node->order && node->order < a->len ? &g_array_index(a, guint32, node->order) : NULL;
}

void
ov_pagemap_set(OvPageMap *pm, const OvNode *node, int i)
{
	guint32 *f = set_at(pm->first, node), *l = set_at(pm->last, node);
	if (f == NULL || l == NULL || i < 0)
		return;
	if (*f == 0)
		*f = (guint32)i + 1;
	if (*l < (guint32)i + 1)
		*l = (guint32)i + 1;
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
		const guint32 *at;
		if (ev != OV_EV_ENTER)
			continue;
		if (it.cur->type == OV_FOOTNOTE && it.cur != node) {
			ov_iter_skip_children(&it); /* set at the foot of the page that calls it */
			continue;
		}
		if ((v = g_hash_table_lookup(pm->anchors, it.cur)) != NULL)
			found = GPOINTER_TO_INT(v) - 1;
		else if ((at = set_at(end ? pm->last : pm->first, it.cur)) != NULL && *at)
			found = (int)*at - 1;
		else
			continue;
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

	if (node == NULL || node->order == 0)
		return -1;
	if ((found = placed(pm, node, end)) >= 0)
		return found;
	if (end) {
		while (node->last) /* the end of a subtree: its last node in document order */
			node = node->last;
		pos = ov_pagemap_pos(node, G_MAXUINT32);
	} else {
		pos = ov_pagemap_pos(node, 0);
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
	GArray *tables[2] = { pm->first, pm->last };
	for (int t = 0; t < 2 && n; t++)
		for (guint k = 0; k < tables[t]->len; k++)
			if (g_array_index(tables[t], guint32, k))
				g_array_index(tables[t], guint32, k) += (guint32)n;
}
