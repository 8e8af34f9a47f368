/* epub.c: the EPUB back end's plan and order of work.
 *
 * Plan the pages (cover, title page, copyright page, nav, then one page per top-level
 * division, and a page for any run of content outside divisions), write ids on the link
 * targets, TOC entries and footnotes (the names resolve made where the book gave none), write the pages, the cover image and the style sheet, and hand the lot to
 * package.c. Nothing is written to path unless everything succeeded. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <hb.h>
#include "epub.h"
#include "internal.h"
#include "../cover.h"
#include "../build.h"
#include "../cache.h"
#include "../fonts.h"

#define COVER_WIDTH 1200

/* ---- ids and pages of nodes ---- */

const char *
ep_node_id(const Epub *ep, const OvNode *node)
{
	if (node->id && ov_is_ncname(node->id))
		return node->id;
	return g_hash_table_contains(ep->ids, node) ? ov_node_anchor(ep->doc, node) : NULL;
}

/* An index division with nothing in it: the generated index is not written yet. */
static gboolean
empty_index(const OvNode *n)
{
	return n->type == OV_INDEX && (n->first == NULL || (n->first == n->last && n->first->type == OV_TITLE));
}

EpChunk *
ep_chunk_of(const Epub *ep, const OvNode *node)
{
	static char none; /* remembered: in no chunk */
	EpChunk *c = NULL;
	const OvNode *n;

	/* the answer is remembered for every node on the way up: amortised O(1) at any depth
	 * (a note 20,000 levels down asked for every note was quadratic) */
	for (n = node; n; n = n->parent) {
		gpointer m = g_hash_table_lookup(ep->chunk_memo, n);
		if (m) {
			c = m == &none ? NULL : m;
			break;
		}
		if (empty_index(n))
			break;
		if ((c = g_hash_table_lookup(ep->chunk_of, n)) != NULL)
			break;
	}
	for (const OvNode *k = node; k != n; k = k->parent)
		g_hash_table_insert(ep->chunk_memo, (gpointer)k, c ? (gpointer)c : &none);
	return c;
}

char *
ep_href(const Epub *ep, const EpChunk *from, const OvNode *node)
{
	EpChunk *c = ep_chunk_of(ep, node);
	const char *id = ep_node_id(ep, node);
	if (c == NULL)
		return NULL;
	if (id == NULL)
		return g_strdup(c->file);
	return c == from ? g_strconcat("#", id, NULL) : g_strconcat(c->file, "#", id, NULL);
}

/* An id not taken yet, from a wish (the wish itself when free, else with a suffix). */
static const char *
take_id(Epub *ep, char *wish)
{
	char *id = ov_free_name(ep->taken, wish);
	g_hash_table_add(ep->taken, id);
	return id;
}

/* Which nodes without an id of their own are written with the name resolve made for their
 * place (ov_node_anchor): link targets, TOC entries and footnotes. Footnote marks get ids of
 * the EPUB's own ("fnref-N"), none of them a name the book or resolve took. */
static void
make_ids(Epub *ep)
{
	const OvDoc *doc = ep->doc;
	GHashTableIter hi;
	gpointer key, value;
	OvIter it;
	OvEvent ev;

	g_hash_table_iter_init(&hi, doc->ids);
	while (g_hash_table_iter_next(&hi, &key, NULL))
		g_hash_table_add(ep->taken, g_strdup(key));
	g_hash_table_iter_init(&hi, doc->anchors);
	while (g_hash_table_iter_next(&hi, NULL, &value))
		g_hash_table_add(ep->taken, g_strdup(value));
	for (guint i = 0; i < doc->toc->len; i++)
		g_hash_table_add(ep->ids, g_array_index(doc->toc, OvTocEntry, i).node);
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->target &&
		    (it.cur->type == OV_XREF || it.cur->type == OV_LINK || it.cur->type == OV_FOOTNOTEREF))
			g_hash_table_add(ep->ids, it.cur->target);
	for (guint i = 0; i < doc->footnotes->len; i++) {
		OvNode *fn = g_ptr_array_index(doc->footnotes, i);
		g_hash_table_add(ep->ids, fn);
		g_hash_table_insert(ep->noteref, fn, (gpointer)take_id(ep, g_strdup_printf("fnref-%u", i + 1)));
	}
}

/* ---- labels and titles ---- */

char *
ep_label_text(const OvDoc *doc, const OvNode *div)
{
	if (div->label == NULL)
		return NULL;
	switch (div->type) {
	case OV_PART: case OV_CHAPTER: case OV_APPENDIX: return g_strconcat(ov_gentext_type(doc, div), " ", div->label, NULL);
	case OV_SECTION: return g_strdup(div->label);
	default: return NULL;
	}
}

const char *
ep_lang(Epub *ep, const char *lang, OvLoc loc)
{
	const char *known;
	char *tag;

	if (lang == NULL)
		return NULL;
	if ((known = g_hash_table_lookup(ep->langs, lang)) != NULL)
		return *known ? known : NULL;
	tag = g_strdelimit(g_strdup(lang), "_", '-');
	if (*lang && !g_regex_match_simple("^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", tag, 0, 0)) {
		ov_warn(ep->d, loc, "xml:lang \"%s\" is not a language tag (like en, nb or pt-BR); the EPUB leaves it out", lang);
		g_free(tag);
		tag = g_strdup("");
	}
	g_hash_table_insert(ep->langs, g_strdup(lang), tag);
	return *tag || !*lang ? tag : NULL;
}

gboolean
ep_lang_rtl(const char *lang)
{
	static const char *const rtl[] = { "ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr" };
	char prim[8];
	gsize i = 0;
	if (lang == NULL)
		return FALSE;
	for (; i < sizeof prim - 1 && g_ascii_isalpha(lang[i]); i++)
		prim[i] = g_ascii_tolower(lang[i]);
	prim[i] = '\0';
	for (gsize k = 0; k < G_N_ELEMENTS(rtl); k++)
		if (strcmp(prim, rtl[k]) == 0)
			return TRUE;
	return FALSE;
}

gboolean
ep_lang_same(const char *a, const char *b)
{
	gsize i = 0;
	if (a == NULL || b == NULL)
		return a == b;
	for (; g_ascii_isalpha(a[i]) && g_ascii_tolower(a[i]) == g_ascii_tolower(b[i]); i++)
		;
	return !g_ascii_isalpha(a[i]) && !g_ascii_isalpha(b[i]);
}

gboolean
ep_words_lang(Epub *ep, Ovx *x, const char *here, const char *words, gboolean xhtml)
{
	const char *tag;
	if (here == NULL)
		here = ep->lang;
	if (words == NULL || ep_lang_same(here, words))
		return FALSE;
	/* English (octavo's own) or the book's language, both known tags */
	tag = ep_lang_same(words, ep->doc->meta.lang) ? ep->lang : "en";
	if (ep_lang_same(here, tag) || !strcmp(tag, "und"))
		return FALSE;
	if (x == NULL)
		return TRUE;
	if (xhtml)
		ovx_attr(x, "lang", tag);
	ovx_attr(x, "xml:lang", tag);
	if (ep_lang_rtl(tag) != ep_lang_rtl(here))
		ovx_attr(x, "dir", ep_lang_rtl(tag) ? "rtl" : "ltr");
	return TRUE;
}

/* ---- package items ---- */

char *
ep_unique_name(Epub *ep, const char *wish)
{
	GString *s = g_string_new(NULL);
	const char *dot, *slash;
	char *name, *lower;

	for (const char *p = wish; *p; p++) {
		char c = g_ascii_isalnum(*p) || *p == '.' || *p == '_' || *p == '-' || *p == '/' ? *p : '-';
		if (c == '/' && (s->len == 0 || s->str[s->len - 1] == '/'))
			continue;
		if (c == '.' && (s->len == 0 || s->str[s->len - 1] == '/'))
			c = '_'; /* no hidden files, no ".." */
		g_string_append_c(s, c);
	}
	dot = strrchr(s->str, '.');
	slash = strrchr(s->str, '/');
	if (dot && slash && dot < slash)
		dot = NULL;
	name = g_strdup(s->str);
	/* names are told apart without their case: a ZIP entry "Dot.png" beside "dot.png" is a
	 * duplicate to EPUB (OCF) and on the file systems readers unpack to */
	for (int k = 2; g_hash_table_contains(ep->names, (lower = g_ascii_strdown(name, -1))); k++) {
		g_free(lower);
		g_free(name);
		name = dot ? g_strdup_printf("%.*s-%d%s", (int)(dot - s->str), s->str, k, dot)
			   : g_strdup_printf("%s-%d", s->str, k);
	}
	g_string_free(s, TRUE);
	g_hash_table_add(ep->names, lower);
	return name;
}

char *
ep_unique_id(Epub *ep, const char *path)
{
	GString *s = g_string_new(NULL);
	char *id;
	for (const char *p = path; *p; p++)
		g_string_append_c(s, g_ascii_isalnum(*p) || *p == '.' || *p == '_' || *p == '-' ? *p : '-');
	if (!g_ascii_isalpha(s->str[0]))
		g_string_prepend(s, "x");
	id = g_strdup(s->str);
	for (int k = 2; g_hash_table_contains(ep->item_ids, id); k++) {
		g_free(id);
		id = g_strdup_printf("%s-%d", s->str, k);
	}
	g_string_free(s, TRUE);
	g_hash_table_add(ep->item_ids, g_strdup(id));
	return id;
}

EpItem *
ep_add_item(Epub *ep, const char *href, const char *media_type, GBytes *data)
{
	EpItem *it = g_new0(EpItem, 1);
	it->href = g_strdup(href);
	it->id = ep_unique_id(ep, href);
	it->media_type = g_strdup(media_type);
	it->data = data;
	g_ptr_array_add(ep->items, it);
	return it;
}

static void
item_free(gpointer p)
{
	EpItem *it = p;
	g_free(it->id);
	g_free(it->href);
	g_free(it->media_type);
	g_free(it->properties);
	g_free(it->source);
	if (it->data)
		g_bytes_unref(it->data);
	g_free(it);
}

static const char *
image_ext(OvImageType t)
{
	switch (t) {
	case OV_IMG_PNG: return ".png";
	case OV_IMG_JPEG: return ".jpg";
	case OV_IMG_GIF: return ".gif";
	default: return ".svg";
	}
}

/* A package path for an image: images/ + its path in the book, with the right extension. */
static char *
image_name(Epub *ep, const OvImage *img)
{
	const char *ext = image_ext(img->type);
	char *wish = g_str_has_suffix(img->href, ext) || (img->type == OV_IMG_JPEG && g_str_has_suffix(img->href, ".jpeg"))
			     ? g_strconcat("images/", img->href, NULL)
			     : g_strconcat("images/", img->href, ext, NULL);
	char *name = ep_unique_name(ep, wish);
	g_free(wish);
	return name;
}

EpItem *
ep_image(Epub *ep, const OvNode *node, OvImage **imgp)
{
	OvImage *img = ov_image_load(ep->doc, node, ep->d);
	EpItem *it;
	char *name;

	*imgp = img;
	if (img == NULL)
		return NULL;
	it = g_hash_table_lookup(ep->images, img->href);
	if (it)
		return it;
	name = image_name(ep, img);
	it = ep_add_item(ep, name, img->media_type, g_bytes_ref(img->data));
	g_hash_table_insert(ep->images, g_strdup(img->href), it);
	g_free(name);
	return it;
}

/* ---- the plan ---- */

static EpChunk *
chunk_add(Epub *ep, EpKind kind, const OvNode *root, const char *wish, char *title)
{
	EpChunk *c = g_new0(EpChunk, 1);
	const char *lang = root ? ep_lang(ep, ov_node_lang(root), root->loc) : NULL;
	c->kind = kind;
	c->root = c->last = root;
	c->file = ep_unique_name(ep, wish);
	{
		char *stem = g_strndup(c->file, strcspn(c->file, "."));
		c->id = ep_unique_id(ep, stem);
		g_free(stem);
	}
	c->title = title;
	c->lang = lang && *lang ? lang : ep->lang;
	c->linear = TRUE;
	c->marks_first = g_ptr_array_new();
	c->marks_last = g_ptr_array_new();
	g_ptr_array_add(ep->chunks, c);
	if (root)
		g_hash_table_insert(ep->chunk_of, (gpointer)root, c);
	return c;
}

static void
chunk_free(gpointer p)
{
	EpChunk *c = p;
	g_free(c->id);
	g_free(c->file);
	g_free(c->title);
	if (c->data)
		g_bytes_unref(c->data);
	if (c->ids)
		g_hash_table_destroy(c->ids);
	g_ptr_array_free(c->marks_first, TRUE);
	g_ptr_array_free(c->marks_last, TRUE);
	g_free(c);
}

/* Does the book have anything for a copyright page? */
static gboolean
has_copyright_page(const OvDoc *doc)
{
	const OvMeta *m = &doc->meta;
	const OvNode *info = ov_node_child(doc->root, OV_INFO);
	if (m->copyright || m->edition || m->pubdate || m->date || m->releaseinfo || m->isbn || m->printhistory->len ||
	    m->revisions->len)
		return TRUE;
	for (const OvNode *c = info ? info->first : NULL; c; c = c->next) {
		if (c->type != OV_COVER)
			return TRUE;
		for (const OvNode *k = c->first; k; k = k->next)
			if (k->type != OV_MEDIAOBJECT)
				return TRUE;
	}
	return FALSE;
}

static gboolean
is_page_division(const OvNode *n)
{
	switch (n->type) {
	case OV_PART: case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_COLOPHON:
	case OV_DEDICATION: case OV_GLOSSARY: case OV_INDEX:
		return TRUE;
	default:
		return FALSE;
	}
}

/* A reading system lays out a whole XHTML file at once, and some (Adobe's RMSDK, older Kobo
 * and Kindle conversions) refuse or crawl on files over about 300 KB: a division whose XHTML
 * would be over PIECE_BYTES goes on in pages of its own from a section on, each at most that
 * (a section over it alone is cut again before its own sections). */
#define PIECE_BYTES (160 * 1024)

/* The XHTML bytes of a subtree, roughly: its text, and tags and attributes for each node. */
static gsize
weight(const OvNode *root)
{
	gsize w = 0;
	const OvNode *n = root;
	for (;;) {
		w += n->type == OV_TEXT && n->text ? strlen(n->text) : 32;
		if (n->first) {
			n = n->first;
			continue;
		}
		while (n != root && n->next == NULL)
			n = n->parent;
		if (n == root)
			return w;
		n = n->next;
	}
}

/* A piece of file's page from n on: chapter-3-2.xhtml, titled as its section, else as file. */
static EpChunk *
piece_add(Epub *ep, const EpChunk *file, const OvNode *n, int *k)
{
	char *stem = g_strndup(file->file, strcspn(file->file, "."));
	char *wish = g_strdup_printf("%s-%d.xhtml", stem, ++*k);
	gboolean sect = n->type == OV_SECTION;
	EpChunk *c = chunk_add(ep, EP_PIECE, n, wish, sect ? ov_division_title(ep->doc, n, TRUE) : g_strdup(file->title));
	c->title_lang = sect ? ov_division_title_lang(ep->doc, n, TRUE) : file->title_lang;
	c->div = file->div;
	g_free(stem);
	g_free(wish);
	return c;
}

/* The children of n (a division or section over PIECE_BYTES, in the page head): from a
 * section that does not fit in the page so far on, runs of sections (and what follows them)
 * in pages of their own, in reading order, named after the page file. */
static void
split(Epub *ep, const OvNode *n, EpChunk *head, EpChunk *file, int *k)
{
	EpChunk *cur = head;
	gsize size = 0;
	for (const OvNode *c = n->first; c; c = c->next) {
		gsize w = weight(c);
		if (c->type == OV_SECTION ? cur == NULL || size + w > PIECE_BYTES : cur == NULL) {
			if (cur == head)
				head->stop = c;
			cur = piece_add(ep, file, c, k);
			size = 0;
		}
		if (cur != head) {
			cur->last = c;
			g_hash_table_insert(ep->chunk_of, (gpointer)c, cur);
		}
		size += w;
		if (c->type == OV_SECTION && w > PIECE_BYTES && cur != head) {
			split(ep, c, cur, file, k);
			cur = NULL;
		}
	}
}

/* A page for a division, named after its kind: chapter-1.xhtml, preface-1.xhtml, ... */
static void
plan_division(Epub *ep, const OvNode *n, GHashTable *counts)
{
	const char *kind = ov_type_name(n->type);
	EpChunk *c;
	char *wish;
	int k;
	if (n->tag && n->type != OV_SECTION && strspn(n->tag, "abcdefghijklmnopqrstuvwxyz") == strlen(n->tag))
		kind = n->tag;
	k = GPOINTER_TO_INT(g_hash_table_lookup(counts, kind)) + 1;
	g_hash_table_insert(counts, (gpointer)kind, GINT_TO_POINTER(k));
	wish = g_strdup_printf("%s-%d.xhtml", kind, k);
	c = chunk_add(ep, EP_DIVISION, n, wish, ov_division_title(ep->doc, n, TRUE));
	c->title_lang = ov_division_title_lang(ep->doc, n, TRUE);
	c->div = n;
	g_free(wish);
	if (n->type != OV_PART && n->type != OV_INDEX && weight(n) > PIECE_BYTES) {
		int pieces = 1;
		split(ep, n, c, c, &pieces);
	}
}

/* Content outside divisions (an article's text): pages for runs of it. */
static EpChunk *
plan_loose(Epub *ep, EpChunk *run, const OvNode *n, GHashTable *counts)
{
	gsize w = weight(n);
	if (run && n->type == OV_SECTION && run->size + w > PIECE_BYTES)
		run = NULL; /* a page of bounded size, as a division's pieces */
	if (run == NULL) {
		int k = GPOINTER_TO_INT(g_hash_table_lookup(counts, "text")) + 1;
		char *wish = g_strdup_printf("text-%d.xhtml", k);
		g_hash_table_insert(counts, (gpointer) "text", GINT_TO_POINTER(k));
		run = chunk_add(ep, EP_LOOSE, n, wish, g_strdup(ep->doc->meta.title));
		run->lang = ep->lang;
		g_free(wish);
	}
	run->last = n;
	run->size += w;
	g_hash_table_insert(ep->chunk_of, (gpointer)n, run);
	if (n->type == OV_SECTION && w > PIECE_BYTES) {
		int pieces = 1;
		split(ep, n, run, run, &pieces);
		return NULL;
	}
	return run;
}

static void
plan(Epub *ep)
{
	const OvDoc *doc = ep->doc;
	GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);
	EpChunk *run = NULL, *c;

	chunk_add(ep, EP_COVER, NULL, "cover.xhtml", g_strdup(ov_gentext(doc, OV_GT_COVER)))->title_lang =
		ov_gentext_word_lang(doc->meta.lang, OV_GT_COVER);
	ep->titlepage = chunk_add(ep, EP_TITLEPAGE, doc->root, "titlepage.xhtml", g_strdup(doc->meta.title));
	if (has_copyright_page(doc)) {
		c = chunk_add(ep, EP_COPYRIGHT, NULL, "copyright.xhtml",
			      g_strdup(ov_gentext(doc, doc->meta.copyright ? OV_GT_COPYRIGHT : OV_GT_ABOUT)));
		c->title_lang = ov_gentext_word_lang(doc->meta.lang, doc->meta.copyright ? OV_GT_COPYRIGHT : OV_GT_ABOUT);
		if (ov_node_child(doc->root, OV_INFO))
			g_hash_table_insert(ep->chunk_of, ov_node_child(doc->root, OV_INFO), c);
	}
	ep->nav = chunk_add(ep, EP_NAV, NULL, "nav.xhtml", g_strdup(ov_gentext(doc, OV_GT_CONTENTS)));
	ep->nav->title_lang = ov_gentext_word_lang(doc->meta.lang, OV_GT_CONTENTS);
	ep->nav->linear = ep->th->toc;
	for (const OvNode *n = doc->root->first; n; n = n->next) {
		if (n->type == OV_TITLE || n->type == OV_SUBTITLE || n->type == OV_INFO)
			continue;
		if (!is_page_division(n)) {
			run = plan_loose(ep, run, n, counts);
			continue;
		}
		run = NULL;
		if (empty_index(n))
			continue;
		plan_division(ep, n, counts);
		if (n->type == OV_PART)
			for (const OvNode *k = n->first; k; k = k->next)
				if (is_page_division(k) && k->type != OV_PART && !empty_index(k))
					plan_division(ep, k, counts);
	}
	g_hash_table_destroy(counts);
}

/* ---- the print edition's pages ---- */

EpPage *
ep_page(const Epub *ep, const char *label)
{
	return label && ep->page_label ? g_hash_table_lookup(ep->page_label, label) : NULL;
}

static void
add_mark(GHashTable *table, const OvNode *n, EpPage *p)
{
	GPtrArray *a = g_hash_table_lookup(table, n);
	if (a == NULL) {
		a = g_ptr_array_new();
		g_hash_table_insert(table, (gpointer)n, a);
	}
	g_ptr_array_add(a, p);
}

static gint
by_offset(gconstpointer a, gconstpointer b)
{
	gsize x = (*(EpPage *const *)a)->pg->offset, y = (*(EpPage *const *)b)->pg->offset;
	return x < y ? -1 : x > y;
}

/* Where each print page's marker goes: the front pages at the top of the EPUB's own front
 * pages (cover, title page, copyright page, contents), a body page before the block it begins
 * with or at its first word, a page with nothing of the book on it (a blank page) where the
 * next page starts, and a page with nothing after it at the end of the last page. */
static void
plan_pages(Epub *ep)
{
	const OvPageMap *pm = ep->pm;
	guint n = pm ? pm->pages->len : 0;
	const OvPage **place = g_new0(const OvPage *, n + 1);
	EpChunk *cover = NULL, *copyright = NULL, *last = NULL;
	GHashTableIter hi;
	gpointer v;

	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		if (c->kind == EP_COVER)
			cover = c;
		else if (c->kind == EP_COPYRIGHT)
			copyright = c;
		last = c;
	}
	for (guint i = n; i-- > 0;) {
		const OvPage *pg = ov_pagemap_page(pm, (int)i);
		place[i] = pg->before || pg->text ? pg : place[i + 1];
	}
	for (guint i = 0; i < n; i++) {
		const OvPage *pg = ov_pagemap_page(pm, (int)i), *at = place[i];
		EpPage *p = g_new0(EpPage, 1);
		EpChunk *c = NULL;
		p->pg = pg;
		for (OvGentext w = OV_GT_COVER; p->label_lang == NULL; w = OV_GT_INSIDE_COVER) { /* the PDF's words */
			const char *wl = ov_gentext_word_lang(ep->doc->meta.lang, w);
			if (!strcmp(pg->label, ov_gentext(ep->doc, w)) && ep_words_lang(ep, NULL, NULL, wl, TRUE))
				p->label_lang = "en";
			if (w == OV_GT_INSIDE_COVER)
				break;
		}
		/* an id from the label, which may be a word (the cover's; a theme's may hold spaces) */
		p->id = take_id(ep, g_strdelimit(g_strconcat("page-", pg->label, NULL), " \t\r\n#%?/:\"'<>&", '-'));
		g_ptr_array_add(ep->pages, p);
		g_hash_table_insert(ep->page_label, pg->label, p);
		switch (pg->where) {
		case OV_PM_COVER: c = cover; break;
		case OV_PM_TITLEPAGE: c = ep->titlepage; break;
		case OV_PM_COPYRIGHT: c = copyright; break;
		case OV_PM_TOC: c = ep->nav; break;
		case OV_PM_BODY:
			c = at ? ep_chunk_of(ep, at->before ? at->before : at->text) : NULL;
			if (c && at->before)
				add_mark(ep->page_before, at->before, p);
			else if (c)
				add_mark(ep->page_text, at->text, p);
			break;
		}
		if (c == NULL && pg->where == OV_PM_COPYRIGHT) {
			c = ep->titlepage; /* no copyright page in the EPUB: after the title page */
			g_ptr_array_add(c->marks_last, p);
		} else if (c == NULL) {
			c = last;
			g_ptr_array_add(c->marks_last, p);
		} else if (pg->where == OV_PM_TOC && pg->toc_first) {
			add_mark(ep->page_toc, pg->toc_first, p); /* a later contents page: before its first line */
		} else if (pg->where != OV_PM_BODY) {
			g_ptr_array_add(c->marks_first, p);
		}
		p->chunk = c;
	}
	g_hash_table_iter_init(&hi, ep->page_text);
	while (g_hash_table_iter_next(&hi, NULL, &v))
		g_ptr_array_sort(v, by_offset); /* stable: pages sharing a place stay in order */
	g_free(place);
}

/* ---- identifier and dates ---- */

/* dcterms:modified and the zip entries' time: SOURCE_DATE_EPOCH when set, else now (UTC). */
static void
make_time(Epub *ep)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(ov_build_time(ep->d));
	ep->modified = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	if (g_date_time_get_year(dt) < 1980) {
		ep->dos_date = (0 << 9) | (1 << 5) | 1;
		ep->dos_time = 0;
	} else {
		ep->dos_date = (guint16)(((g_date_time_get_year(dt) - 1980) << 9) | (g_date_time_get_month(dt) << 5) |
					 g_date_time_get_day_of_month(dt));
		ep->dos_time = (guint16)((g_date_time_get_hour(dt) << 11) | (g_date_time_get_minute(dt) << 5) |
					 (g_date_time_get_second(dt) / 2));
	}
	g_date_time_unref(dt);
}

/* ---- the cover ---- */

/* The typeset cover as a PNG: the text's ink on an A8 surface (a quarter of an RGB surface's
 * memory), written as an indexed PNG whose palette blends the background into the text
 * colour, pixel for pixel the colours an RGB drawing has. NULL (with an error) if it cannot
 * be written; *ok FALSE if the drawing reported a problem. */
static GBytes *
cover_png(const OvDoc *doc, const OvTheme *th, OvDiags *d, gboolean *ok)
{
	int w = COVER_WIDTH;
	int h = (int)(COVER_WIDTH * th->page_height / th->page_width + 0.5);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
	cairo_t *cr = cairo_create(s);
	guint32 bg, fg, palette[256];
	GBytes *png;

	*ok = ov_cover_draw_ink(cr, doc, th, w, h, &bg, &fg, d);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	for (int a = 0; a < 256; a++) {
		guint32 c = 0;
		for (int sh = 0; sh <= 16; sh += 8) {
			int b0 = (int)(bg >> sh & 0xFF), f0 = (int)(fg >> sh & 0xFF);
			c |= (guint32)((b0 * 255 + (f0 - b0) * a + 127) / 255) << sh;
		}
		palette[a] = c;
	}
	png = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS
		      ? ov_image_png_indexed(cairo_image_surface_get_data(s), w, h, cairo_image_surface_get_stride(s), palette, 256)
		      : NULL;
	cairo_surface_destroy(s);
	return png;
}

/* What changes what the drawing makes, bumped with it. */
#define COVER_MAGIC "octavo drawn cover 1\n"

/* dl_iterate_phdr: a line for each loaded library the cover's drawing goes through. */
static int
drawing_library(struct dl_phdr_info *info, size_t size, void *data)
{
	static const char *const libs[] = { "libcairo.", "libpixman-", "libpango", "libharfbuzz.", "libfreetype.",
					    "libfontconfig.", "libfribidi.", "libz.", "libpng" };
	const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
	GStatBuf sb;
	(void)size;
	if (base == NULL || g_stat(info->dlpi_name, &sb) != 0)
		return 0;
	for (gsize i = 0; i < G_N_ELEMENTS(libs); i++)
		if (g_str_has_prefix(base + 1, libs[i]))
			g_string_append_printf(data, "library %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", info->dlpi_name,
					       (gint64)sb.st_size, (gint64)sb.st_mtime);
	return 0;
}

static void
id_line(GString *id, const char *key, const char *value)
{
	g_string_append_printf(id, "%s %s\n", key, value ? value : "");
}

/* The cache's place (*name) and key (*id: every input of cover_png, as text) for the drawn
 * cover; FALSE when it is not cached: the cache is off, or the cover may be set with the
 * system's fonts, which change without octavo knowing. */
static gboolean
cover_key(const OvDoc *doc, const OvTheme *th, char **name, char **id)
{
	const OvMeta *m = &doc->meta;
	GString *s;
	GStatBuf sb;
	char *fonts, *sum;

	/* the program itself: a build of octavo whose drawing changed is another program */
	if (!ov_cache_enabled() || ov_fonts_system() || g_stat("/proc/self/exe", &sb) != 0)
		return FALSE;
	s = g_string_new(NULL);
	g_string_append_printf(s, "octavo %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", OCTAVO_VERSION,
			       (gint64)sb.st_size, (gint64)sb.st_mtime);
	g_string_append_printf(s, "cairo %s, Pango %s, HarfBuzz %s\n", cairo_version_string(), pango_version_string(),
			       hb_version_string());
	/* the libraries that draw and deflate it, as files: an upgrade of any is another drawing */
	dl_iterate_phdr(drawing_library, s);
	fonts = ov_fonts_config_id(); /* the fonts, and the system's rules the bundled set follows */
	g_string_append(s, fonts);
	g_free(fonts);
	g_string_append_printf(s, "%d x %d\n", COVER_WIDTH, (int)(COVER_WIDTH * th->page_height / th->page_width + 0.5));
	id_line(s, "heading-colour", th->heading_color);
	id_line(s, "text-colour", th->text_color);
	id_line(s, "heading-font", th->heading_font);
	id_line(s, "body-font", th->body_font);
	id_line(s, "lang", m->lang);
	id_line(s, "title", m->title);
	id_line(s, "subtitle", m->subtitle);
	for (guint i = 0; i < m->authors->len; i++)
		id_line(s, "author", g_ptr_array_index(m->authors, i));
	id_line(s, "publisher", m->publisher);
	sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, s->str, (gssize)s->len);
	*name = g_strdup_printf("cover.%c", sum[0]); /* sixteen places: a few books built in turn */
	*id = g_string_free(s, FALSE);
	g_free(sum);
	return TRUE;
}

/* cover_png, from the cache when an earlier build drew the same cover (a rebuild after an edit
 * of the text draws nothing: the drawing and its PNG take 10-15 ms of a short book's build). */
static GBytes *
cover_png_cached(const OvDoc *doc, const OvTheme *th, OvDiags *d, gboolean *ok)
{
	char *name = NULL, *id = NULL;
	GBytes *png = NULL;

	*ok = TRUE;
	if (cover_key(doc, th, &name, &id))
		png = ov_cache_get("covers", name, COVER_MAGIC, id);
	if (png == NULL) {
		png = cover_png(doc, th, d, ok);
		if (png && *ok && id)
			ov_cache_put("covers", name, COVER_MAGIC, id, g_bytes_get_data(png, NULL), g_bytes_get_size(png));
	}
	g_free(name);
	g_free(id);
	return png;
}

GBytes *
ov_epub_cover_png(const OvDoc *doc, const OvTheme *theme, OvDiags *d)
{
	gboolean ok;
	GBytes *png = cover_png_cached(doc, theme, d, &ok);
	if (png && !ok)
		g_clear_pointer(&png, g_bytes_unref);
	return png;
}

/* The typeset cover drawn in a thread of its own while the pages are written; NULL if the
 * drawing reported a problem (ep_cover_finish then draws it again, to report it). */
static gpointer
cover_ahead(gpointer data)
{
	const Epub *ep = data; /* its doc and theme only, which no one changes */
	OvDiags cd;
	GBytes *png;

	ov_diags_init(&cd);
	png = ov_epub_cover_png(ep->doc, ep->th, &cd);
	if (png && cd.list->len)
		g_clear_pointer(&png, g_bytes_unref);
	ov_diags_clear(&cd);
	return png;
}

/* The typeset cover as the EPUB's cover image: named now, drawn by ep_cover_finish. */
static void
drawn_cover(Epub *ep)
{
	char *name = ep_unique_name(ep, "images/cover.png");
	const OvMeta *m = &ep->doc->meta;
	GString *alt = g_string_new(m->title ? m->title : ov_gentext(ep->doc, OV_GT_COVER));
	ep->cover_image = ep_add_item(ep, name, "image/png", NULL); /* its data: ep_cover_finish */
	/* an image of words: its alt says them (WCAG 1.1.1), "Title: Subtitle, Author and Author" */
	if (m->subtitle)
		g_string_append_printf(alt, ": %s", m->subtitle);
	for (guint i = 0; i < m->authors->len; i++)
		g_string_append_printf(alt, "%s%s", i == 0 ? ", " : i + 1 == m->authors->len ? " & " : ", ",
				       (const char *)g_ptr_array_index(m->authors, i));
	g_free(ep->cover_words);
	ep->cover_words = g_string_free(alt, FALSE);
	ep->cover_alt = ep->cover_words;
	ep->cover_alt_word = m->title == NULL && m->subtitle == NULL && m->authors->len == 0;
	g_free(name);
}

/* What the cover's thread drew (NULL: nothing, or no thread). */
static GBytes *
cover_join(Epub *ep)
{
	GBytes *png = ep->cover_thread ? g_thread_join(ep->cover_thread) : NULL;
	ep->cover_thread = NULL;
	return png;
}

gboolean
ep_cover_finish(Epub *ep)
{
	gboolean ok = TRUE;
	GBytes *png = cover_join(ep);

	if (ep->cover_image == NULL || ep->cover_image->data) { /* no cover, or the book's own */
		g_bytes_unref(png);
		return TRUE;
	}
	if (png == NULL && ep->cover_png)
		png = g_bytes_ref(ep->cover_png);
	if (png == NULL) { /* drawn here: without a thread, or to report what the thread met */
		OvDiags quiet;
		ov_diags_init(&quiet);
		png = cover_png_cached(ep->doc, ep->th, ep->cover_quiet ? &quiet : ep->d, &ok);
		ov_diags_clear(&quiet);
	}
	if (png == NULL) {
		ov_error(ep->d, ov_loc(NULL, 0, 0), "cannot draw the cover");
		ep->d->io_failed = TRUE;
		return FALSE;
	}
	ep->cover_image->data = png;
	return ok || ep->cover_quiet;
}

/* The cover image: the book's own (copied in as it is), else one octavo draws. */
static gboolean
make_cover(Epub *ep)
{
	const OvNode *node = ov_cover_image(ep->doc);
	OvImage *img;
	char *name;

	if (node == NULL) {
		drawn_cover(ep);
		return TRUE;
	}
	if (ov_image_is_remote(node->u.img.fileref)) {
		/* the warning is given here; the drawing would repeat it */
		ov_image_free(ov_image_load(ep->doc, node, ep->d));
		drawn_cover(ep);
		ep->cover_quiet = TRUE; /* a failure to write the PNG goes to ep->d */
		return TRUE;
	}
	img = ov_image_load(ep->doc, node, ep->d);
	if (img == NULL)
		return FALSE;
	{
		char *wish = g_strconcat("images/cover", image_ext(img->type), NULL);
		name = ep_unique_name(ep, wish);
		g_free(wish);
	}
	ep->cover_image = ep_add_item(ep, name, img->media_type, g_bytes_ref(img->data));
	g_free(name);
	ep->cover_alt = node->u.img.alt ? node->u.img.alt : ov_gentext(ep->doc, OV_GT_COVER);
	ep->cover_alt_word = node->u.img.alt == NULL;
	ov_image_free(img);
	return TRUE;
}

/* ---- the whole ---- */

static void
epub_init(Epub *ep, const OvDoc *doc, const OvTheme *theme, OvDiags *d)
{
	memset(ep, 0, sizeof *ep);
	ep->doc = doc;
	ep->th = theme;
	ep->d = d;
	ep->chunks = g_ptr_array_new_with_free_func(chunk_free);
	ep->chunk_of = g_hash_table_new(NULL, NULL);
	ep->chunk_memo = g_hash_table_new(NULL, NULL);
	ep->ids = g_hash_table_new(NULL, NULL);
	ep->taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ep->noteref = g_hash_table_new(NULL, NULL);
	ep->items = g_ptr_array_new_with_free_func(item_free);
	ep->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ep->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ep->item_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ep->langs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ep->lang = ep_lang(ep, doc->meta.lang, doc->root->loc);
	if (ep->lang == NULL || *ep->lang == '\0')
		ep->lang = "und";
	ep->rtl = ep_lang_rtl(ep->lang);
	/* names the package itself uses */
	for (const char *const *p = (const char *const[]){ "mimetype", "META-INF/container.xml", "content.opf",
							   "toc.ncx", "style.css", NULL }; *p; p++)
		g_hash_table_add(ep->names, g_ascii_strdown(*p, -1));
	for (const char *const *p = (const char *const[]){ "opf", "ncx", "css", NULL }; *p; p++)
		g_hash_table_add(ep->item_ids, g_strdup(*p));
	ep->threads = ov_build_threads();
	ep->packed = g_hash_table_new_full(NULL, NULL, NULL, ep_packed_free);
	ep->text_chars = g_malloc0(0x110000 / 8);
	ep->pages = g_ptr_array_new_with_free_func(g_free);
	ep->page_before = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	ep->page_text = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	ep->page_toc = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	ep->page_label = g_hash_table_new(g_str_hash, g_str_equal);
}

static void
epub_clear(Epub *ep)
{
	g_ptr_array_free(ep->chunks, TRUE);
	g_hash_table_destroy(ep->chunk_of);
	g_hash_table_destroy(ep->chunk_memo);
	g_hash_table_destroy(ep->ids);
	g_hash_table_destroy(ep->taken);
	g_hash_table_destroy(ep->noteref);
	g_ptr_array_free(ep->items, TRUE);
	g_hash_table_destroy(ep->images);
	g_hash_table_destroy(ep->names);
	g_free(ep->cover_words);
	g_hash_table_destroy(ep->item_ids);
	g_hash_table_destroy(ep->langs);
	g_free(ep->identifier);
	g_free(ep->modified);
	g_ptr_array_free(ep->pages, TRUE);
	g_hash_table_destroy(ep->page_before);
	g_hash_table_destroy(ep->page_text);
	g_hash_table_destroy(ep->page_toc);
	g_hash_table_destroy(ep->page_label);
	ep_pack_wait(ep);
	g_hash_table_destroy(ep->packed);
	if (ep->subset_chars)
		g_array_free(ep->subset_chars, TRUE);
	g_free(ep->text_chars);
	if (ep->fallbacks)
		g_ptr_array_free(ep->fallbacks, TRUE);
	g_free(ep->subset_key);
	g_bytes_unref(cover_join(ep)); /* a build that stopped before the zip: NULL or unused */
}

gboolean
ov_epub_write(const OvDoc *doc, const OvTheme *theme, const OvPageMap *pm, GBytes *cover, const char *path,
	      OvDiags *d)
{
	Epub ep;
	gboolean ok;
	guint errors = d->errors;

	if (ov_fonts_map(d) == NULL) /* the bundled fonts' files, for embedding */
		return FALSE;
	epub_init(&ep, doc, theme, d);
	ep.identifier = ov_meta_identifier(doc);
	make_time(&ep);
	ep.pm = pm;
	ep.cover_png = cover;
	if (cover == NULL && ep.threads && ov_cover_image(doc) == NULL)
		ep.cover_thread = g_thread_new("octavo-cover", cover_ahead, &ep);
	make_ids(&ep);
	plan(&ep);
	plan_pages(&ep);
	ok = make_cover(&ep);
	for (guint i = 0; i < ep.chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep.chunks, i);
		if (c->kind != EP_NAV && c->kind != EP_COVER) {
			ep_write_chunk(&ep, c);
			ep_chunk_done(&ep, c);
		}
	}
	ok = ok && d->errors == errors && !ov_diags_failed(d) && ep_package(&ep, path);
	epub_clear(&ep);
	return ok;
}
