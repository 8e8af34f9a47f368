/* pagemap.c: the print edition's pages in terms of the model (see pagemap.h). */
#include "pagemap.h"

OvPageMap *
ov_pagemap_new(const OvDoc *doc)
{
	OvPageMap *pm = g_new0(OvPageMap, 1);
	OvIter it;
	OvEvent ev;
	guint n = 0;

	pm->pages = g_array_new(FALSE, TRUE, sizeof(OvPage));
	pm->starts = g_array_new(FALSE, TRUE, sizeof(guint64));
	pm->order = g_hash_table_new(NULL, NULL);
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER)
			g_hash_table_insert(pm->order, it.cur, GUINT_TO_POINTER(++n));
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

int
ov_pagemap_page_of(const OvPageMap *pm, const OvNode *node, gboolean end)
{
	guint64 pos;
	int found = -1;

	if (node == NULL || !g_hash_table_contains(pm->order, node))
		return -1;
	if (end) {
		while (node->last) /* the end of a subtree: its last node in document order */
			node = node->last;
		pos = ov_pagemap_pos(pm, node, G_MAXUINT32);
	} else {
		pos = ov_pagemap_pos(pm, node, 0);
	}
	/* the starts of the pages that have one rise in document order: the last one not after pos */
	for (guint i = 0; i < pm->starts->len; i++) {
		guint64 s = g_array_index(pm->starts, guint64, i);
		if (s == G_MAXUINT64)
			continue;
		if (s > pos)
			break;
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
