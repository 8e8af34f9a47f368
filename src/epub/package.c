/* package.c: the package around the pages: nav.xhtml (TOC and landmarks), cover.xhtml, the
 * package document (metadata with the accessibility set, manifest, spine), the NCX for
 * EPUB 2 reading systems, META-INF/container.xml, and the zip (mimetype first and stored,
 * fixed entry times and order, so equal input gives equal bytes). */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>
#include <glib/gstdio.h>
#include <hb.h>
#include "epub.h"
#include "internal.h"
#include "../cache.h"
#include "../deflate.h"
#include "../fonts.h"

#define PKG_DIR "OEBPS/"

/* libzip is loaded when an EPUB is about to be written, not at start-up: linked, it and the
 * libcrypto it brings cost every process about 0.9 ms (a PDF alone and --help included). */
static struct {
	__typeof__(zip_stat_init) *stat_init;
	__typeof__(zip_error_init_with_code) *error_init_with_code;
	__typeof__(zip_error_to_data) *error_to_data;
	__typeof__(zip_error_fini) *error_fini;
	__typeof__(zip_source_make_command_bitmap) *source_make_command_bitmap;
	__typeof__(zip_source_function) *source_function;
	__typeof__(zip_source_buffer) *source_buffer;
	__typeof__(zip_file_add) *file_add;
	__typeof__(zip_strerror) *strerror;
	__typeof__(zip_source_free) *source_free;
	__typeof__(zip_set_file_compression) *set_file_compression;
	__typeof__(zip_file_set_dostime) *file_set_dostime;
	__typeof__(zip_file_set_external_attributes) *file_set_external_attributes;
	__typeof__(zip_open) *open;
	__typeof__(zip_error_strerror) *error_strerror;
	__typeof__(zip_discard) *discard;
	__typeof__(zip_close) *close;
	gboolean ok;
	char *why; /* dlerror's, when not ok */
} Z;

static gboolean
zip_lib(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		void *h = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
#define SYM(field, name) (Z.field = dlsym(h, name)) != NULL
		Z.ok = h && SYM(stat_init, "zip_stat_init") &&
		       SYM(error_init_with_code, "zip_error_init_with_code") &&
		       SYM(error_to_data, "zip_error_to_data") &&
		       SYM(error_fini, "zip_error_fini") &&
		       SYM(source_make_command_bitmap, "zip_source_make_command_bitmap") &&
		       SYM(source_function, "zip_source_function") &&
		       SYM(source_buffer, "zip_source_buffer") &&
		       SYM(file_add, "zip_file_add") &&
		       SYM(strerror, "zip_strerror") &&
		       SYM(source_free, "zip_source_free") &&
		       SYM(set_file_compression, "zip_set_file_compression") &&
		       SYM(file_set_dostime, "zip_file_set_dostime") &&
		       SYM(file_set_external_attributes, "zip_file_set_external_attributes") &&
		       SYM(open, "zip_open") &&
		       SYM(error_strerror, "zip_error_strerror") &&
		       SYM(discard, "zip_discard") &&
		       SYM(close, "zip_close");
#undef SYM
		if (!Z.ok)
			Z.why = g_strdup(dlerror());
		g_once_init_leave(&done, 1);
	}
	return Z.ok;
}

void
ov_epub_preload(void)
{
	zip_lib();
}

/* ---- the table of contents ---- */

typedef struct {
	int level;
	char *text;   /* label and title, plain */
	char *href;
	int play;     /* NCX playOrder */
	const char *lang; /* the title's language where it is not the book's, else NULL */
	gboolean rtl;     /* … and it is written the other way */
	GPtrArray *marks; /* EpPage*: the print pages that begin with this line (nav only) */
} TocLine;

static void
toc_line_free(gpointer p)
{
	TocLine *t = p;
	g_free(t->text);
	g_free(t->href);
	g_free(t);
}

/* The TOC entries that have a page (the resolve pass's TOC, the one the PDF prints); the
 * title page alone when there are none. Levels never jump by more than one. */
static GPtrArray *
toc_lines(Epub *ep)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(toc_line_free);
	int prev = -1;

	for (guint i = 0; i < ep->doc->toc->len; i++) {
		const OvTocEntry *e = &g_array_index(ep->doc->toc, OvTocEntry, i);
		char *href = ep_href(ep, ep->nav, e->node);
		char *title, *label;
		TocLine *t;
		if (href == NULL)
			continue;
		t = g_new0(TocLine, 1);
		t->level = MIN(e->level, prev + 1);
		title = ov_division_title(ep->doc, e->node, TRUE);
		label = e->node->label ? g_strdup(e->node->label) : NULL;
		if (label) /* as the PDF's contents and outline: "1 Title", "2.1 Title", "A Title" */
			t->text = g_strconcat(label, " ", title, NULL);
		else
			t->text = g_strdup(title);
		t->href = href;
		t->marks = g_hash_table_lookup(ep->page_toc, e->node);
		{
			const OvNode *tn = ov_node_child(e->node, OV_TITLE);
			const char *l = ov_division_title_lang(ep->doc, e->node, TRUE); /* octavo's words: "Chapter" */
			l = l ? (ep_lang_same(l, ep->doc->meta.lang) ? ep->lang : "en")
			      : ep_lang(ep, ov_node_lang(tn ? tn : e->node), e->node->loc);
			if (l && g_ascii_strcasecmp(l, ep->lang) != 0) {
				t->lang = l;
				t->rtl = ep_lang_rtl(l) != ep_lang_rtl(ep->lang);
			}
		}
		prev = t->level;
		g_free(title);
		g_free(label);
		g_ptr_array_add(a, t);
	}
	if (a->len == 0) {
		TocLine *t = g_new0(TocLine, 1);
		t->text = g_strdup(ep->doc->meta.title);
		t->href = g_strdup(ep->titlepage->file);
		g_ptr_array_add(a, t);
	}
	return a;
}

/* Nested lists from TOC lines: open/close callbacks write the markup of nav or NCX. */
typedef struct {
	void (*open_list)(Ovx *x);
	void (*open_item)(Ovx *x, const TocLine *t, int order);
} TocWriter;

static void
write_toc(Ovx *x, GPtrArray *lines, const TocWriter *w)
{
	int depth = -1;
	guint base = ovx_depth(x);
	GArray *marks = g_array_new(FALSE, FALSE, sizeof(guint)); /* stack depth per open list */

	for (guint i = 0; i < lines->len; i++) {
		const TocLine *t = g_ptr_array_index(lines, i);
		if (t->level > depth) {
			guint d = ovx_depth(x);
			g_array_append_val(marks, d);
			if (w->open_list)
				w->open_list(x);
			depth = t->level;
		} else {
			while (depth > t->level) {
				ovx_close_to(x, g_array_index(marks, guint, marks->len - 1));
				g_array_set_size(marks, marks->len - 1);
				depth--;
			}
			/* close the previous item at this level */
			ovx_close_to(x, g_array_index(marks, guint, marks->len - 1) + (w->open_list ? 1 : 0));
		}
		w->open_item(x, t, (int)i + 1);
	}
	ovx_close_to(x, base);
	g_array_free(marks, TRUE);
}

static void
nav_list(Ovx *x)
{
	ovx_open(x, NULL, "ol", NULL);
}

static void
nav_item(Ovx *x, const TocLine *t, int order)
{
	(void)order;
	ovx_open(x, NULL, "li", NULL);
	ovx_begin(x, NULL, "a");
	ovx_attr(x, "href", t->href);
	ovx_attr(x, "lang", t->lang);
	ovx_attr(x, "xml:lang", t->lang);
	if (t->rtl)
		ovx_attr(x, "dir", ep_lang_rtl(t->lang) ? "rtl" : "ltr");
	ovx_end(x);
	/* the markers of the contents pages this line begins: in its link (a nav's li holds
	 * nothing before it) */
	for (guint i = 0; t->marks && i < t->marks->len; i++) {
		EpPage *p = g_ptr_array_index(t->marks, i);
		ep_page_marker(x, p, p->chunk);
	}
	ovx_text(x, t->text);
	ovx_close(x);
}

static void
ncx_item(Ovx *x, const TocLine *t, int order)
{
	char id[32];
	g_snprintf(id, sizeof id, "np-%d", order);
	ovx_begin(x, NULL, "navPoint");
	ovx_attr(x, "id", id);
	ovx_attr_printf(x, "playOrder", "%d", t->play);
	ovx_end(x);
	ovx_open(x, NULL, "navLabel", NULL);
	ovx_element(x, "text", NULL, t->text);
	ovx_close(x);
	ovx_begin(x, NULL, "content");
	ovx_attr(x, "src", t->href);
	ovx_end_void(x);
}

/* The first page of the body: the first part, chapter or run of text, else the first page
 * after the front matter. */
static EpChunk *
first_body_page(Epub *ep)
{
	EpChunk *fallback = NULL;
	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		if (c->kind == EP_LOOSE || (c->kind == EP_DIVISION && (c->root->type == OV_PART || c->root->type == OV_CHAPTER)))
			return c;
		if (fallback == NULL && c->kind == EP_DIVISION && c->root->type != OV_DEDICATION && c->root->type != OV_PREFACE)
			fallback = c;
	}
	return fallback;
}

/* An element <tag> holding octavo's word w, in the language of the book's pages: with the
 * word's own language where it differs (English in a book octavo has no words for). */
static void
word_element(Epub *ep, Ovx *x, const char *tag, OvGentext w)
{
	ovx_begin(x, NULL, tag);
	ep_words_lang(ep, x, NULL, ov_gentext_word_lang(ep->doc->meta.lang, w), TRUE);
	ovx_end(x);
	ovx_text(x, ov_gentext(ep->doc, w));
	ovx_close(x);
}

static void
landmark(Epub *ep, Ovx *x, const char *type, const char *href, OvGentext w)
{
	ovx_open(x, NULL, "li", NULL);
	ovx_begin(x, NULL, "a");
	ovx_attr(x, "epub:type", type);
	ovx_attr(x, "href", href);
	ep_words_lang(ep, x, NULL, ov_gentext_word_lang(ep->doc->meta.lang, w), TRUE);
	ovx_end(x);
	ovx_text(x, ov_gentext(ep->doc, w));
	ovx_close(x);
	ovx_close(x);
}

/* The href of a print page's marker, from page from (NULL: from the package folder). */
static char *
page_href(const EpPage *p, const EpChunk *from)
{
	return p->chunk == from ? g_strconcat("#", p->id, NULL) : g_strconcat(p->chunk->file, "#", p->id, NULL);
}

/* The index's page, or NULL. */
static EpChunk *
index_page(Epub *ep)
{
	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		if (c->kind == EP_DIVISION && c->root->type == OV_INDEX && (c->root->flags & OV_F_GENERATED ||
		    ep->doc->index == c->root))
			return c;
	}
	return NULL;
}

/* How many print pages have their marker in the text. */
static guint
pages_marked(Epub *ep)
{
	guint n = 0;
	for (guint i = 0; i < ep->pages->len; i++)
		n += ((EpPage *)g_ptr_array_index(ep->pages, i))->written ? 1 : 0;
	return n;
}

/* The page list: every print page, a link to its marker. */
static void
page_list(Epub *ep, Ovx *x)
{
	if (pages_marked(ep) == 0)
		return;
	ovx_open(x, NULL, "nav", "epub:type", "page-list", "id", "page-list", "role", "doc-pagelist", "hidden", "hidden", NULL);
	word_element(ep, x, "h2", OV_GT_PAGES);
	ovx_open(x, NULL, "ol", NULL);
	for (guint i = 0; i < ep->pages->len; i++) {
		EpPage *p = g_ptr_array_index(ep->pages, i);
		char *href;
		if (!p->written)
			continue;
		href = page_href(p, ep->nav);
		ovx_open(x, NULL, "li", NULL);
		ovx_open(x, NULL, "a", "href", href, "lang", p->label_lang, "xml:lang", p->label_lang,
			 "dir", p->label_lang && ep->rtl ? "ltr" : NULL, NULL);
		ovx_text(x, p->pg->label);
		ovx_close(x);
		ovx_close(x);
		g_free(href);
	}
	ovx_close(x);
	ovx_close(x);
}

/* nav.xhtml: the TOC (epub:type="toc"), the page list and the landmarks. */
static GBytes *
nav_page(Epub *ep)
{
	Ovx x;
	GPtrArray *lines = toc_lines(ep);
	static const TocWriter w = { nav_list, nav_item };
	EpChunk *body = first_body_page(ep), *index = index_page(ep);

	ovx_init(&x);
	ep_page_begin(ep, &x, ep->lang, ov_gentext(ep->doc, OV_GT_CONTENTS), ep->nav->title_lang, "frontmatter", NULL);
	for (guint i = 0; i < ep->nav->marks_first->len; i++)
		ep_page_marker(&x, g_ptr_array_index(ep->nav->marks_first, i), ep->nav);
	for (guint i = 0; i < ep->pages->len; i++) { /* a contents page whose first line is not in the nav */
		EpPage *p = g_ptr_array_index(ep->pages, i);
		GPtrArray *marks = p->pg->toc_first ? g_hash_table_lookup(ep->page_toc, p->pg->toc_first) : NULL;
		gboolean listed = FALSE;
		for (guint k = 0; marks && k < lines->len && !listed; k++)
			listed = ((TocLine *)g_ptr_array_index(lines, k))->marks == marks;
		if (marks && !listed)
			ep_page_marker(&x, p, ep->nav);
	}
	ovx_open(&x, NULL, "nav", "epub:type", "toc", "id", "toc", "role", "doc-toc", NULL);
	word_element(ep, &x, "h1", OV_GT_CONTENTS);
	write_toc(&x, lines, &w);
	ovx_close(&x);
	page_list(ep, &x);
	ovx_open(&x, NULL, "nav", "epub:type", "landmarks", "id", "landmarks", "hidden", "hidden", NULL);
	word_element(ep, &x, "h2", OV_GT_LANDMARKS);
	ovx_open(&x, NULL, "ol", NULL);
	landmark(ep, &x, "cover", "cover.xhtml", OV_GT_COVER);
	landmark(ep, &x, "titlepage", ep->titlepage->file, OV_GT_TITLE_PAGE);
	landmark(ep, &x, "toc", "nav.xhtml#toc", OV_GT_CONTENTS);
	if (body)
		landmark(ep, &x, "bodymatter", body->file, OV_GT_START);
	if (index)
		landmark(ep, &x, "index", index->file, OV_GT_INDEX);
	ovx_close(&x);
	ovx_close(&x);
	for (guint i = 0; i < ep->nav->marks_last->len; i++)
		ep_page_marker(&x, g_ptr_array_index(ep->nav->marks_last, i), ep->nav);
	g_ptr_array_free(lines, TRUE);
	ep->faces |= EP_FACE(EP_FAM_HEAD, TRUE, FALSE) | EP_FACE(EP_FAM_BODY, FALSE, FALSE);
	return ep_page_end(&x);
}

/* cover.xhtml: the cover image on a page of its own. */
static GBytes *
cover_page(Epub *ep)
{
	Ovx x;
	EpChunk *c = g_ptr_array_index(ep->chunks, 0); /* the cover page comes first */
	ovx_init(&x);
	ep_page_begin(ep, &x, ep->lang, ov_gentext(ep->doc, OV_GT_COVER), ov_gentext_word_lang(ep->doc->meta.lang, OV_GT_COVER),
		      NULL, "cover");
	for (guint i = 0; c->kind == EP_COVER && i < c->marks_first->len; i++)
		ep_page_marker(&x, g_ptr_array_index(c->marks_first, i), c);
	ovx_open(&x, NULL, "section", "epub:type", "cover", "class", "cover", NULL);
	ovx_begin(&x, NULL, "img");
	ovx_attr(&x, "src", ep->cover_image->href);
	ovx_attr(&x, "alt", ep->cover_alt);
	if (ep->cover_alt_word) /* the word "Cover" (the cover image has no alt of its own) */
		ep_words_lang(ep, &x, NULL, ov_gentext_word_lang(ep->doc->meta.lang, OV_GT_COVER), TRUE);
	ovx_attr(&x, "role", "doc-cover");
	ovx_end_void(&x);
	return ep_page_end(&x);
}

/* A page's place in the spine by file name. */
typedef struct {
	Epub *ep;
	GHashTable *chunk_of; /* file name -> 1 + index in ep->chunks */
} Places;

static void
places_init(Places *pl, Epub *ep)
{
	pl->ep = ep;
	pl->chunk_of = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = ep->chunks->len; i-- > 0;) /* the first chunk of a name wins */
		g_hash_table_insert(pl->chunk_of, ((EpChunk *)g_ptr_array_index(ep->chunks, i))->file, GUINT_TO_POINTER(i + 1));
}

static void
places_clear(Places *pl)
{
	g_hash_table_destroy(pl->chunk_of);
}

/* The ids of a page's XHTML (each ` id="..."`) and where each first is. */
static GHashTable *
page_ids(GBytes *data)
{
	static const char attr[] = " id=\"";
	GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gsize len;
	const char *p = g_bytes_get_data(data, &len), *start = p, *end = p + len;

	while (p < end && (p = g_strstr_len(p, end - p, attr)) != NULL) {
		const char *v = p + sizeof attr - 1, *q = memchr(v, '"', (gsize)(end - v));
		char *id;
		if (q == NULL)
			break;
		id = g_strndup(v, (gsize)(q - v));
		if (g_hash_table_contains(ids, id))
			g_free(id);
		else
			g_hash_table_insert(ids, id, GSIZE_TO_POINTER((gsize)(p - start) + 1));
		p = q + 1;
	}
	return ids;
}

/* Where an href ("file.xhtml#id") is in the reading order: the page's place in the spine, then
 * where the id is in the page. */
static guint64
reading_pos(Places *pl, const char *href)
{
	const char *hash = strchr(href, '#');
	char *file = hash ? g_strndup(href, (gsize)(hash - href)) : NULL;
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(pl->chunk_of, file ? file : href));
	EpChunk *c;
	gsize at;

	g_free(file);
	if (i-- == 0)
		return G_MAXUINT64;
	c = g_ptr_array_index(pl->ep->chunks, i);
	if (hash == NULL || c->ids == NULL)
		return (guint64)i << 32;
	at = GPOINTER_TO_SIZE(g_hash_table_lookup(c->ids, hash + 1));
	return (guint64)i << 32 | (guint64)(at ? at - 1 : 0);
}

typedef struct {
	guint64 pos;
	int *play;
} PlayRef;

static gint
play_cmp(gconstpointer a, gconstpointer b)
{
	guint64 x = ((const PlayRef *)a)->pos, y = ((const PlayRef *)b)->pos;
	return x < y ? -1 : x > y;
}

/* playOrder for the NCX's navPoints and pageTargets together, in reading order; targets at one
 * place share one number. */
static void
play_orders(Epub *ep, GPtrArray *lines, int *page_play)
{
	GArray *refs = g_array_new(FALSE, FALSE, sizeof(PlayRef));
	int n = 0;
	guint64 prev = 0;
	Places pl;

	places_init(&pl, ep);

	for (guint i = 0; i < lines->len; i++) {
		TocLine *t = g_ptr_array_index(lines, i);
		PlayRef r = { reading_pos(&pl, t->href), &t->play };
		g_array_append_val(refs, r);
	}
	for (guint i = 0; i < ep->pages->len; i++) {
		EpPage *p = g_ptr_array_index(ep->pages, i);
		char *href;
		PlayRef r;
		if (!p->written)
			continue;
		href = page_href(p, NULL);
		r.pos = reading_pos(&pl, href);
		r.play = &page_play[i];
		g_array_append_val(refs, r);
		g_free(href);
	}
	g_array_sort(refs, play_cmp); /* stable */
	for (guint i = 0; i < refs->len; i++) {
		PlayRef *r = &g_array_index(refs, PlayRef, i);
		if (i == 0 || r->pos != prev)
			n++;
		*r->play = n;
		prev = r->pos;
	}
	g_array_free(refs, TRUE);
	places_clear(&pl);
}

/* The NCX's pageList: the print pages, front matter as "front", numbered pages as "normal". */
static void
ncx_pages(Epub *ep, Ovx *x, const int *page_play)
{
	if (pages_marked(ep) == 0)
		return;
	ovx_open(x, NULL, "pageList", NULL);
	ovx_begin(x, NULL, "navLabel");
	ep_words_lang(ep, x, NULL, ov_gentext_word_lang(ep->doc->meta.lang, OV_GT_PAGES), FALSE);
	ovx_end(x);
	ovx_element(x, "text", NULL, ov_gentext(ep->doc, OV_GT_PAGES));
	ovx_close(x);
	for (guint i = 0; i < ep->pages->len; i++) {
		EpPage *p = g_ptr_array_index(ep->pages, i);
		char *href;
		if (!p->written)
			continue;
		href = page_href(p, NULL);
		ovx_begin(x, NULL, "pageTarget");
		ovx_attr_printf(x, "id", "pt-%u", i + 1);
		ovx_attr(x, "type", p->pg->body ? "normal" : "front");
		ovx_attr(x, "value", p->pg->body ? p->pg->label : NULL);
		ovx_attr_printf(x, "playOrder", "%d", page_play[i]);
		ovx_end(x);
		ovx_open(x, NULL, "navLabel", NULL);
		ovx_element(x, "text", NULL, p->pg->label);
		ovx_close(x);
		ovx_begin(x, NULL, "content");
		ovx_attr(x, "src", href);
		ovx_end_void(x);
		ovx_close(x);
		g_free(href);
	}
	ovx_close(x);
}

/* toc.ncx for EPUB 2 reading systems. */
static GBytes *
ncx(Epub *ep)
{
	Ovx x;
	GPtrArray *lines = toc_lines(ep);
	static const TocWriter w = { NULL, ncx_item };
	int depth = 1, max_page = 0;
	int *page_play = g_new0(int, ep->pages->len + 1);
	char buf[16], total[16], maxp[16];
	gsize len;
	char *s;

	for (guint i = 0; i < lines->len; i++)
		depth = MAX(depth, ((TocLine *)g_ptr_array_index(lines, i))->level + 1);
	play_orders(ep, lines, page_play);
	for (guint i = 0; i < ep->pages->len; i++) {
		EpPage *p = g_ptr_array_index(ep->pages, i);
		if (p->written && p->pg->body)
			max_page = MAX(max_page, atoi(p->pg->label));
	}
	g_snprintf(total, sizeof total, "%u", pages_marked(ep));
	g_snprintf(maxp, sizeof maxp, "%d", max_page);
	ovx_init(&x);
	ovx_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ovx_open(&x, NULL, "ncx", "xmlns", "http://www.daisy.org/z3986/2005/ncx/", "version", "2005-1",
		 "xml:lang", ep->lang, NULL);
	ovx_open(&x, NULL, "head", NULL);
	g_snprintf(buf, sizeof buf, "%d", depth);
	for (const char *const *m = (const char *const[]){ "dtb:uid", ep->identifier, "dtb:depth", buf,
							   "dtb:totalPageCount", total, "dtb:maxPageNumber", maxp, NULL };
	     *m; m += 2) {
		ovx_begin(&x, NULL, "meta");
		ovx_attr(&x, "name", m[0]);
		ovx_attr(&x, "content", m[1]);
		ovx_end_void(&x);
	}
	ovx_close(&x);
	ovx_open(&x, NULL, "docTitle", NULL);
	ovx_element(&x, "text", NULL, ep->doc->meta.title);
	ovx_close(&x);
	ovx_open(&x, NULL, "navMap", NULL);
	write_toc(&x, lines, &w);
	ovx_close_to(&x, 1);
	ncx_pages(ep, &x, page_play);
	ovx_close_to(&x, 0);
	g_ptr_array_free(lines, TRUE);
	g_free(page_play);
	s = ovx_free(&x, TRUE, &len);
	return g_bytes_new_take(s, len);
}

/* ---- the package document ---- */

static void
meta_prop(Ovx *x, const char *prop, const char *value)
{
	ovx_open(x, NULL, "meta", "property", prop, NULL);
	ovx_text(x, value);
	ovx_close(x);
}

static void
dc(Ovx *x, const char *name, const char *id, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	ovx_open(x, NULL, name, "id", id, NULL);
	ovx_text(x, value);
	ovx_close(x);
}

/* An element of the metadata holding octavo's English: xml:lang="en" (and dir="ltr") when the
 * package is in another language. */
static void
english(Epub *ep, Ovx *x, const char *name, const char *id, const char *prop, const char *value)
{
	ovx_begin(x, NULL, name);
	ovx_attr(x, "id", id);
	ovx_attr(x, "property", prop);
	ep_words_lang(ep, x, NULL, "en", FALSE);
	ovx_end(x);
	ovx_text(x, value);
	ovx_close(x);
}

/* The EPUB Accessibility metadata: only what the book has. */
static void
accessibility(Epub *ep, Ovx *x)
{
	gboolean images = ep->n_images > 0;
	gboolean all_alt = images && ep->n_images_alt == ep->n_images;
	GString *sum = g_string_new("A reflowable book with a table of contents and a reading order that follows the source");

	meta_prop(x, "schema:accessMode", "textual");
	if (images)
		meta_prop(x, "schema:accessMode", "visual");
	if (!images || all_alt)
		meta_prop(x, "schema:accessModeSufficient", "textual");
	if (images)
		meta_prop(x, "schema:accessModeSufficient", "textual,visual");
	meta_prop(x, "schema:accessibilityFeature", "tableOfContents");
	meta_prop(x, "schema:accessibilityFeature", "readingOrder");
	if (ep->n_headings > 0) {
		meta_prop(x, "schema:accessibilityFeature", "structuralNavigation");
		g_string_append(sum, "; headings mark its structure");
	}
	if (all_alt) {
		meta_prop(x, "schema:accessibilityFeature", "alternativeText");
		g_string_append(sum, "; every image has a text alternative");
	} else if (images) {
		g_string_append_printf(sum, "; %d of its %d images have a text alternative", ep->n_images_alt, ep->n_images);
	}
	if (pages_marked(ep)) {
		meta_prop(x, "schema:accessibilityFeature", "printPageNumbers");
		g_string_append(sum, "; the pages of the print edition (the PDF) are marked and listed");
	}
	if (index_page(ep)) {
		meta_prop(x, "schema:accessibilityFeature", "index");
		g_string_append(sum, "; an index links every entry to its places");
	}
	meta_prop(x, "schema:accessibilityFeature", "ARIA");
	meta_prop(x, "schema:accessibilityFeature", "displayTransformability");
	meta_prop(x, "schema:accessibilityHazard", "none");
	g_string_append(sum, ".");
	if (ep->doc->footnotes->len)
		g_string_append(sum, " Footnotes are linked to their marks and back.");
	g_string_append(sum, " Text sizes are relative, so the reader's settings apply.");
	english(ep, x, "meta", NULL, "schema:accessibilitySummary", sum->str); /* always English */
	if (!images || all_alt) /* an image without a text alternative fails WCAG 1.1.1: no claim */
		meta_prop(x, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	g_string_free(sum, TRUE);
}

static void
metadata(Epub *ep, Ovx *x)
{
	const OvMeta *m = &ep->doc->meta;
	char *date = ov_meta_date(m);
	char *abs = ov_meta_abstract(ep->doc);

	ovx_open(x, NULL, "metadata", "xmlns:dc", "http://purl.org/dc/elements/1.1/", NULL);
	dc(x, "dc:identifier", "bookid", ep->identifier);
	dc(x, "dc:title", "title", m->title);
	dc(x, "dc:language", NULL, ep->lang);
	/* the creators first (a reading system names the first), in source order; then the others */
	for (guint k = 0, i = 0, ncre = 0, ncon = 0; k < 2 * m->people->len; k++, i = k % m->people->len) {
		/* MARC relator codes for each credit */
		static const char *const role[] = { [OV_CREDIT_AUTHOR] = "aut", [OV_CREDIT_EDITOR] = "edt",
						    [OV_CREDIT_TRANSLATOR] = "trl", [OV_CREDIT_ILLUSTRATOR] = "ill",
						    [OV_CREDIT_OTHER] = "ctb" };
		const OvPerson *p = &g_array_index(m->people, OvPerson, i);
		gboolean author = p->credit == OV_CREDIT_AUTHOR;
		char id[32], ref[34];
		if (author != (k < m->people->len))
			continue;
		if (author)
			g_snprintf(id, sizeof id, "creator-%u", ++ncre);
		else
			g_snprintf(id, sizeof id, "contributor-%u", ++ncon);
		g_snprintf(ref, sizeof ref, "#%s", id);
		dc(x, author ? "dc:creator" : "dc:contributor", id, p->name);
		ovx_open(x, NULL, "meta", "refines", ref, "property", "role", "scheme", "marc:relators", NULL);
		ovx_text(x, role[p->credit]);
		ovx_close(x);
	}
	dc(x, "dc:publisher", NULL, m->publisher);
	dc(x, "dc:date", NULL, date);
	dc(x, "dc:rights", NULL, m->copyright);
	dc(x, "dc:description", NULL, abs);
	for (guint i = 0; i < m->keywords->len; i++)
		dc(x, "dc:subject", NULL, g_ptr_array_index(m->keywords, i));
	meta_prop(x, "dcterms:modified", ep->modified);
	if (pages_marked(ep)) {
		/* the page break source (EPUB 3.2: dc:source refined as the source of the pagination;
		 * EPUB Accessibility 1.1's a11y:pageBreakSource is unknown to epubcheck 4.2) */
		char *src = m->isbn ? g_strdup(ep->identifier)
				    : g_strdup_printf("%s, PDF edition (octavo, theme %s)", m->title, ep->th->name);
		if (m->isbn)
			dc(x, "dc:source", "print-source", src);
		else /* the title, then octavo's English */
			english(ep, x, "dc:source", "print-source", NULL, src);
		ovx_open(x, NULL, "meta", "refines", "#print-source", "property", "source-of", NULL);
		ovx_text(x, "pagination");
		ovx_close(x);
		g_free(src);
	}
	accessibility(ep, x);
	ovx_begin(x, NULL, "meta");
	ovx_attr(x, "name", "cover");
	ovx_attr(x, "content", ep->cover_image->id);
	ovx_end_void(x);
	ovx_close(x);
	g_free(date);
	g_free(abs);
}

static void
manifest_item(Ovx *x, const char *id, const char *href, const char *type, const char *props)
{
	ovx_begin(x, NULL, "item");
	ovx_attr(x, "id", id);
	ovx_attr(x, "href", href);
	ovx_attr(x, "media-type", type);
	ovx_attr(x, "properties", props);
	ovx_end_void(x);
}

static GBytes *
opf(Epub *ep)
{
	Ovx x;
	gsize len;
	char *s;

	ovx_init(&x);
	ovx_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ovx_open(&x, NULL, "package", "xmlns", "http://www.idpf.org/2007/opf", "version", "3.0",
		 "unique-identifier", "bookid", "xml:lang", ep->lang, "dir", ep->rtl ? "rtl" : NULL, NULL);
	metadata(ep, &x);
	ovx_open(&x, NULL, "manifest", NULL);
	manifest_item(&x, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	manifest_item(&x, "css", "style.css", "text/css", NULL);
	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		manifest_item(&x, c->id, c->file, "application/xhtml+xml", c->kind == EP_NAV ? "nav" : NULL);
	}
	for (guint i = 0; i < ep->items->len; i++) {
		EpItem *it = g_ptr_array_index(ep->items, i);
		manifest_item(&x, it->id, it->href, it->media_type, it == ep->cover_image ? "cover-image" : it->properties);
	}
	ovx_close(&x);
	ovx_open(&x, NULL, "spine", "toc", "ncx", "page-progression-direction", ep->rtl ? "rtl" : NULL, NULL);
	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		ovx_begin(&x, NULL, "itemref");
		ovx_attr(&x, "idref", c->id);
		ovx_attr(&x, "linear", c->linear ? NULL : "no"); /* the nav, when the theme wants no TOC */
		ovx_end_void(&x);
	}
	ovx_close_to(&x, 0);
	s = ovx_free(&x, TRUE, &len);
	return g_bytes_new_take(s, len);
}

static GBytes *
container(void)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
		"<rootfiles>\n"
		"<rootfile full-path=\"" PKG_DIR "content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
		"</rootfiles>\n"
		"</container>\n";
	return g_bytes_new_static(xml, sizeof xml - 1);
}

/* ---- font subsets ---- */

/* Characters a reading system may draw that the text does not spell: list markers, hyphens
 * it adds, quotation marks and dashes of generated content, spaces. */
static const gunichar extra_ranges[][2] = {
	{ 0x20, 0x7E },     /* ASCII: list numbers, letters, roman numerals, punctuation */
	{ 0xA0, 0xFF },     /* Latin-1 punctuation and letters */
	{ 0x2000, 0x206F }, /* general punctuation: hyphens, dashes, quotes, bullet, spaces */
	{ 0x25A0, 0x25A1 }, /* square list markers */
	{ 0x25AA, 0x25AB },
	{ 0x25CB, 0x25CB }, /* circle */
	{ 0x25CF, 0x25CF },
	{ 0x25E6, 0x25E6 }, /* white bullet */
};

static void
mark_char(guint8 *bits, gunichar c)
{
	if (c < 0x110000)
		bits[c >> 3] |= (guint8)(1u << (c & 7));
}

/* Every character of data (UTF-8), with its upper, lower and title case (text-transform,
 * small capitals a reading system makes from capitals). */
static void
mark_text(guint8 *bits, GBytes *data)
{
	gsize len;
	const char *p = g_bytes_get_data(data, &len), *end = p + len;
	gboolean ascii[128] = { FALSE };

	while (p < end) {
		gunichar c;
		if ((guchar)*p < 0x80) { /* most of a page: its cases are marked once, below */
			ascii[(guchar)*p++] = TRUE;
			continue;
		}
		c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		mark_char(bits, c);
		mark_char(bits, g_unichar_toupper(c));
		mark_char(bits, g_unichar_tolower(c));
		mark_char(bits, g_unichar_totitle(c));
		p = g_utf8_next_char(p);
	}
	for (int k = 0; k < 128; k++)
		if (ascii[k]) {
			mark_char(bits, (gunichar)g_ascii_toupper((char)k));
			mark_char(bits, (gunichar)g_ascii_tolower((char)k));
		}
}

static gboolean
is_font(const EpItem *it)
{
	return g_str_equal(it->media_type, "font/ttf") || g_str_equal(it->media_type, "font/otf");
}

/* Each embedded font cut down to the characters of the book's pages, style sheet, nav and
 * NCX (with extra_ranges): a few tens of KB instead of 0.5-0.9 MB, which the zip would
 * otherwise deflate on every build. A font HarfBuzz cannot subset stays whole. Each font is
 * cut and deflated by a job of its own (ep_pack_font). */
static void
subset_fonts(Epub *ep, GBytes *css, GBytes *ncx_b)
{
	guint8 *bits = NULL;

	for (guint i = 0; i < ep->items->len; i++) {
		EpItem *it = g_ptr_array_index(ep->items, i);
		if (!is_font(it) || it->data == NULL)
			continue;
		if (bits == NULL) {
			bits = ep->text_chars;
			mark_text(bits, css);
			mark_text(bits, ncx_b);
			for (gsize r = 0; r < G_N_ELEMENTS(extra_ranges); r++)
				for (gunichar c = extra_ranges[r][0]; c <= extra_ranges[r][1]; c++)
					mark_char(bits, c);
			ep->subset_chars = g_array_new(FALSE, FALSE, sizeof(gunichar));
			for (gunichar c = 0x20; c < 0x110000; c++)
				if (EP_HAS_CHAR(bits, c))
					g_array_append_val(ep->subset_chars, c);
			ep->subset_key = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)ep->subset_chars->data,
								     ep->subset_chars->len * sizeof(gunichar));
		}
		ep_pack_font(ep, it);
	}
}

/* ---- deflating ahead ---- */

/* An entry of the zip deflated ahead (raw deflate, as libzip writes it, with its CRC-32) by
 * a thread of a pool while the rest of the EPUB is made; libzip copies it as it is. A font is
 * subset first, in the same job. */
struct EpPacked {
	GBytes *data;        /* the entry's bytes (a font's: its subset, once made) */
	const GArray *chars; /* a font: the characters to keep (ep->subset_chars), else NULL */
	char *cache, *id;    /* a font: its file in the cache of subsets, what that must say */
	GBytes *out;         /* the deflated bytes */
	gsize size;          /* the bytes' length before */
	guint32 crc;
	gboolean ok;
	gboolean drop;       /* a page's: data let go once deflated (ep_chunk_done) */
	gsize pos;           /* libzip's reading position */
};

/* A subset in the cache ($XDG_CACHE_HOME/octavo/subsets/FONT.X): its CRC-32 and length
 * (little-endian, 4 and 8 bytes), then its bytes deflated. The id names the font file (path,
 * size, time), the HarfBuzz and octavo versions, and the characters kept (their SHA-256, whose
 * first digit is X). A change to what ov_fonts_subset or pack_job make must change the magic
 * line, or older caches would be taken for new ones. */
#define SUBSET_MAGIC "octavo subset cache 1\n"

void
ep_packed_free(gpointer p)
{
	EpPacked *pk = p;
	if (pk->data)
		g_bytes_unref(pk->data);
	if (pk->out)
		g_bytes_unref(pk->out);
	g_free(pk->cache);
	g_free(pk->id);
	g_free(pk);
}

/* A font's subset from the cache, when it holds one for pk->id. */
static gboolean
subset_from_cache(EpPacked *pk)
{
	GBytes *hit = ov_cache_get("subsets", pk->cache, SUBSET_MAGIC, pk->id);
	gsize len = 0;
	const guint8 *p = hit ? g_bytes_get_data(hit, &len) : NULL;
	guint32 crc;
	guint64 size;

	if (p == NULL || len <= 12) {
		if (hit)
			g_bytes_unref(hit);
		return FALSE;
	}
	memcpy(&crc, p, 4); /* the data follows the header's text: not aligned */
	memcpy(&size, p + 4, 8);
	pk->crc = GUINT32_FROM_LE(crc);
	pk->size = (gsize)GUINT64_FROM_LE(size);
	pk->out = g_bytes_new_from_bytes(hit, 12, len - 12);
	pk->ok = TRUE;
	g_bytes_unref(hit);
	return TRUE;
}

static void
subset_to_cache(const EpPacked *pk)
{
	gsize n;
	const guint8 *z = g_bytes_get_data(pk->out, &n);
	guint8 *buf = g_malloc(12 + n);
	guint32 crc = GUINT32_TO_LE(pk->crc);
	guint64 size = GUINT64_TO_LE((guint64)pk->size);

	memcpy(buf, &crc, 4);
	memcpy(buf + 4, &size, 8);
	memcpy(buf + 12, z, n);
	ov_cache_put("subsets", pk->cache, SUBSET_MAGIC, pk->id, buf, 12 + n);
	g_free(buf);
}

static void
pack_job(EpPacked *pk)
{
	gsize len;
	const guint8 *in;

	if (pk->cache && subset_from_cache(pk))
		return;
	if (pk->chars) {
		GBytes *sub = ov_fonts_subset(pk->data, (const gunichar *)pk->chars->data, pk->chars->len);
		if (sub) {
			g_bytes_unref(pk->data);
			pk->data = sub;
		}
	}
	in = g_bytes_get_data(pk->data, &len);
	pk->size = len;
	/* libzip's own settings: level 6, a raw stream, the largest memory level */
	if ((pk->out = ov_deflate(in, len, TRUE, Z_DEFAULT_STRATEGY)) == NULL)
		return;
	pk->ok = TRUE;
	pk->crc = (guint32)crc32(crc32(0L, Z_NULL, 0), in, (uInt)len);
	if (pk->ok && pk->cache)
		subset_to_cache(pk);
	if (pk->ok && pk->drop) {
		g_bytes_unref(pk->data);
		pk->data = NULL;
	}
}

/* The threads that deflate entries ahead: a few of our own, joined once every entry is
 * deflated (a GThreadPool's threads outlive it, parked for the process, and one still on its
 * way there when the process ends has crashed LeakSanitizer's check at exit). */
#define POOL_MAX 4
struct EpPool {
	GAsyncQueue *jobs;      /* EpPacked*, then pool_stop once for each thread */
	GThread *threads[POOL_MAX];
	int n;
};

static char pool_stop; /* its address ends a thread */

static gpointer
pool_thread(gpointer data)
{
	GAsyncQueue *jobs = data;
	for (gpointer pk; (pk = g_async_queue_pop(jobs)) != &pool_stop;)
		pack_job(pk);
	return NULL;
}

static EpPool *
pool_new(void)
{
	EpPool *pl = g_new0(EpPool, 1);
	pl->jobs = g_async_queue_new();
	pl->n = (int)MIN(g_get_num_processors(), POOL_MAX);
	for (int i = 0; i < pl->n; i++)
		pl->threads[i] = g_thread_new("octavo-deflate", pool_thread, pl->jobs);
	return pl;
}

/* Deflate data ahead; drop: a page's, let go once deflated (else found again by data). */
static EpPacked *
pack(Epub *ep, GBytes *data, const EpItem *font, gboolean drop)
{
	EpPacked *pk;

	if (data == NULL || (!drop && g_hash_table_contains(ep->packed, data)))
		return NULL;
	pk = g_new0(EpPacked, 1);
	pk->data = g_bytes_ref(data);
	pk->drop = drop;
	if (font) {
		GStatBuf sb;
		pk->chars = ep->subset_chars;
		if (ov_cache_enabled() && font->source && g_stat(font->source, &sb) == 0) {
			/* sixteen places a font (by the key's first digit): builds of a few books in turn
			 * mostly find theirs, and the folder stays small */
			char *base = g_path_get_basename(font->source);
			pk->cache = g_strdup_printf("%s.%c", base, ep->subset_key[0]);
			g_free(base);
			pk->id = g_strdup_printf("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\nHarfBuzz %s, octavo %s\n%s\n",
						 font->source, (gint64)sb.st_size, (gint64)sb.st_mtime, hb_version_string(),
						 OCTAVO_VERSION, ep->subset_key);
		}
	}
	/* every key is alive while the table is: a page's entry goes by its own address */
	g_hash_table_insert(ep->packed, drop ? (gpointer)pk : data, pk);
	if (ep->pool == NULL && ep->threads)
		ep->pool = pool_new();
	if (ep->pool)
		g_async_queue_push(ep->pool->jobs, pk);
	else
		pack_job(pk);
	return pk;
}

void
ep_pack(Epub *ep, GBytes *data)
{
	pack(ep, data, NULL, FALSE);
}

void
ep_pack_font(Epub *ep, const EpItem *it)
{
	pack(ep, it->data, it, FALSE);
}

void
ep_chunk_done(Epub *ep, EpChunk *c)
{
	if (c->data == NULL)
		return;
	c->packed = pack(ep, c->data, NULL, TRUE); /* first: deflating it is the longer job */
	mark_text(ep->text_chars, c->data);
	c->ids = page_ids(c->data);
	g_bytes_unref(c->data);
	c->data = NULL;
}

void
ep_pack_wait(Epub *ep)
{
	EpPool *pl = ep->pool;
	if (pl == NULL)
		return;
	for (int i = 0; i < pl->n; i++)
		g_async_queue_push(pl->jobs, &pool_stop);
	for (int i = 0; i < pl->n; i++)
		g_thread_join(pl->threads[i]);
	g_async_queue_unref(pl->jobs);
	g_free(pl);
	ep->pool = NULL;
}

/* A libzip source of an entry deflated ahead: its stat says deflated, with the CRC and both
 * sizes, so that zip_close copies the bytes instead of deflating them again. */
static zip_int64_t
packed_source(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	EpPacked *pk = user;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		pk->pos = 0;
		return pk->ok && pk->out ? 0 : -1;
	case ZIP_SOURCE_READ: {
		gsize out_len;
		const guint8 *out = g_bytes_get_data(pk->out, &out_len);
		gsize n = MIN((gsize)len, out_len - pk->pos);
		memcpy(data, out + pk->pos, n);
		pk->pos += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		if (len < sizeof *st)
			return -1;
		Z.stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD;
		st->size = pk->size;
		st->comp_size = pk->out ? g_bytes_get_size(pk->out) : 0;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = pk->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR: {
		zip_error_t e;
		zip_int64_t n;
		Z.error_init_with_code(&e, ZIP_ER_INTERNAL);
		n = Z.error_to_data(&e, data, len);
		Z.error_fini(&e);
		return n;
	}
	case ZIP_SOURCE_SUPPORTS:
		return Z.source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						   ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

/* ---- the zip ---- */

typedef struct {
	Epub *ep;
	zip_t *za;
	const char *path;
	GPtrArray *keep; /* GBytes the archive reads from until it is closed */
} Zip;

/* Add one entry: stored or deflated, with the fixed time and attributes; data deflated ahead
 * is found by data, or given as pk (a page's, whose data is let go). */
static gboolean
zip_put(Zip *z, const char *name, GBytes *data, EpPacked *pk, gboolean store)
{
	gsize len = 0;
	const void *p = NULL;
	zip_source_t *src;
	zip_int64_t idx;

	if (pk == NULL && !store)
		pk = g_hash_table_lookup(z->ep->packed, data);
	if (pk && !pk->ok) /* not deflated ahead (zlib refused it): libzip deflates what it has */
		data = pk->data, pk = NULL;
	if (pk == NULL) {
		p = g_bytes_get_data(data, &len);
		g_ptr_array_add(z->keep, g_bytes_ref(data));
	}
	src = pk ? Z.source_function(z->za, packed_source, pk) : Z.source_buffer(z->za, p, len, 0);
	if (src == NULL || (idx = Z.file_add(z->za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		ov_error(z->ep->d, ov_loc(NULL, 0, 0), "cannot write %s: %s: %s", z->path, name, Z.strerror(z->za));
		z->ep->d->io_failed = TRUE;
		if (src)
			Z.source_free(src);
		return FALSE;
	}
	if (Z.set_file_compression(z->za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 6) < 0 ||
	    Z.file_set_dostime(z->za, (zip_uint64_t)idx, z->ep->dos_time, z->ep->dos_date, 0) < 0 ||
	    Z.file_set_external_attributes(z->za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, 0100644u << 16) < 0) {
		ov_error(z->ep->d, ov_loc(NULL, 0, 0), "cannot write %s: %s: %s", z->path, name, Z.strerror(z->za));
		z->ep->d->io_failed = TRUE;
		return FALSE;
	}
	return TRUE;
}

static gboolean
zip_put_pkg(Zip *z, const char *href, GBytes *data, EpPacked *pk, gboolean store)
{
	char *name = g_strconcat(PKG_DIR, href, NULL);
	gboolean ok = zip_put(z, name, data, pk, store);
	g_free(name);
	return ok;
}

/* PNG, JPEG and GIF are compressed already: deflate would spend time for nothing. */
static gboolean
stored(const EpItem *it)
{
	return g_str_equal(it->media_type, "image/png") || g_str_equal(it->media_type, "image/jpeg") ||
	       g_str_equal(it->media_type, "image/gif");
}

/* Every entry in a fixed order: mimetype, container, OPF, NCX, CSS, pages, other files. */
static gboolean
zip_all(Zip *z, GBytes *opf_b, GBytes *ncx_b, GBytes *css_b)
{
	Epub *ep = z->ep;
	GBytes *mt = g_bytes_new_static("application/epub+zip", 20);
	GBytes *ct = container();
	gboolean ok = zip_put(z, "mimetype", mt, NULL, TRUE) && zip_put(z, "META-INF/container.xml", ct, NULL, FALSE) &&
		      zip_put_pkg(z, "content.opf", opf_b, NULL, FALSE) && zip_put_pkg(z, "toc.ncx", ncx_b, NULL, FALSE) &&
		      zip_put_pkg(z, "style.css", css_b, NULL, FALSE);

	g_bytes_unref(mt);
	g_bytes_unref(ct);
	for (guint i = 0; ok && i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		ok = zip_put_pkg(z, c->file, c->data, c->packed, FALSE);
	}
	for (guint i = 0; ok && i < ep->items->len; i++) {
		EpItem *it = g_ptr_array_index(ep->items, i);
		ok = zip_put_pkg(z, it->href, it->data, NULL, stored(it));
	}
	return ok;
}

/* The archive at z->path, written whole or not at all. */
static gboolean
zip_write(Zip *z, GBytes *opf_b, GBytes *ncx_b, GBytes *css_b)
{
	Epub *ep = z->ep;
	int zerr = 0;

	if (!zip_lib()) {
		ov_error(ep->d, ov_loc(NULL, 0, 0), "cannot write %s: libzip cannot be loaded (%s)", z->path, Z.why ? Z.why : "?");
		ep->d->io_failed = TRUE;
		return FALSE;
	}
	if ((z->za = Z.open(z->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr)) == NULL) {
		zip_error_t ze;
		Z.error_init_with_code(&ze, zerr);
		ov_error(ep->d, ov_loc(NULL, 0, 0), "cannot write %s: %s", z->path, Z.error_strerror(&ze));
		Z.error_fini(&ze);
		ep->d->io_failed = TRUE;
		return FALSE;
	}
	if (!zip_all(z, opf_b, ncx_b, css_b) || ep->d->io_failed) {
		Z.discard(z->za);
		return FALSE;
	}
	if (Z.close(z->za) < 0) {
		ov_error(ep->d, ov_loc(NULL, 0, 0), "cannot write %s: %s", z->path, Z.strerror(z->za));
		ep->d->io_failed = TRUE;
		Z.discard(z->za);
		return FALSE;
	}
	return TRUE;
}

gboolean
ep_package(Epub *ep, const char *path)
{
	Zip z = { ep, NULL, path, g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref) };
	GBytes *opf_b, *ncx_b, *css_b;
	gboolean ok;

	for (guint i = 0; i < ep->chunks->len; i++) {
		EpChunk *c = g_ptr_array_index(ep->chunks, i);
		if (c->kind == EP_NAV)
			c->data = nav_page(ep);
		else if (c->kind == EP_COVER)
			c->data = cover_page(ep);
		ep_chunk_done(ep, c);
	}
	css_b = ep_css(ep); /* after the pages: it embeds the faces and the characters they use */
	opf_b = opf(ep);
	ncx_b = ncx(ep);
	ep_pack(ep, css_b);
	ep_pack(ep, opf_b);
	ep_pack(ep, ncx_b);
	subset_fonts(ep, css_b, ncx_b);
	for (guint i = 0; i < ep->items->len; i++) {
		EpItem *it = g_ptr_array_index(ep->items, i);
		if (!is_font(it) && !stored(it))
			ep_pack(ep, it->data);
	}
	ok = ep_cover_finish(ep); /* while the pool deflates; a problem is reported */
	ep_pack_wait(ep);         /* every entry deflated: zip_close only copies */
	ok = ok && zip_write(&z, opf_b, ncx_b, css_b);
	g_ptr_array_free(z.keep, TRUE);
	g_bytes_unref(opf_b);
	g_bytes_unref(ncx_b);
	g_bytes_unref(css_b);
	return ok;
}
