/* index.c: the generated index (see index.h). */
#include <string.h>
#include "index.h"
#include "gentext.h"
#include "resolve.h"

/* ---- sorting ---- */

/* Letters a language sorts after z, in its order, and letters it files with them; letters
 * (or a digraph, Czech "ch") it sorts and groups right after a Latin letter, in their order. */
typedef struct {
	const char *lang;
	gunichar after_z[3];
	gunichar same[2][2];      /* { letter, as which after_z letter } */
	const char *after[10][2]; /* { letters, the Latin letter they follow } */
} Tailoring;

static const Tailoring tailorings[] = {
	{ "es", { 0 }, { { 0 } }, { { "ñ", "n" } } },
	{ "nb", { 0xE6, 0xF8, 0xE5 }, { { 0xE4, 0xE6 }, { 0xF6, 0xF8 } }, { { 0 } } }, /* æ ø å; ä as æ, ö as ø */
	{ "nn", { 0xE6, 0xF8, 0xE5 }, { { 0xE4, 0xE6 }, { 0xF6, 0xF8 } }, { { 0 } } },
	{ "no", { 0xE6, 0xF8, 0xE5 }, { { 0xE4, 0xE6 }, { 0xF6, 0xF8 } }, { { 0 } } },
	{ "da", { 0xE6, 0xF8, 0xE5 }, { { 0xE4, 0xE6 }, { 0xF6, 0xF8 } }, { { 0 } } },
	{ "sv", { 0xE5, 0xE4, 0xF6 }, { { 0xE6, 0xE4 }, { 0xF8, 0xF6 } }, { { 0 } } }, /* å ä ö; æ as ä, ø as ö */
	{ "fi", { 0xE5, 0xE4, 0xF6 }, { { 0xE6, 0xE4 }, { 0xF8, 0xF6 } }, { { 0 } } },
	{ "cs", { 0 }, { { 0 } }, { { "č", "c" }, { "ch", "h" }, { "ř", "r" }, { "š", "s" }, { "ž", "z" } } },
	{ "pl", { 0 }, { { 0 } }, { { "ą", "a" }, { "ć", "c" }, { "ę", "e" }, { "ł", "l" }, { "ń", "n" }, { "ó", "o" },
				    { "ś", "s" }, { "ź", "z" }, { "ż", "z" } } },
};

static const Tailoring *
tailoring(const char *lang)
{
	char prim[4] = "";
	for (int i = 0; lang && i < 3 && g_ascii_isalpha(lang[i]); i++)
		prim[i] = g_ascii_tolower(lang[i]), prim[i + 1] = '\0';
	for (gsize i = 0; i < G_N_ELEMENTS(tailorings); i++)
		if (!strcmp(prim, tailorings[i].lang))
			return &tailorings[i];
	return NULL;
}

/* Letters without a decomposition that are filed as plain Latin letters (untailored). */
static const char *
latin_fold(gunichar c)
{
	switch (c) {
	case 0xE6: return "ae";  /* æ */
	case 0xF8: return "o";   /* ø */
	case 0x153: return "oe"; /* œ */
	case 0xFE: return "th";  /* þ */
	case 0xF0: return "d";   /* ð */
	case 0x111: return "d";  /* đ */
	case 0x142: return "l";  /* ł */
	case 0x131: return "i";  /* ı */
	default: return NULL;
	}
}

/* Latin letters weigh W_LATIN + 4 × (c - 'a'): up to three tailored letters after one take
 * the weights between it and the next. */
enum { W_SPACE = 1, W_DIGIT = 0x10, W_LATIN = 0x100, W_AFTER_Z = 0x100 + 4 * 26, W_OTHER = 0x1000 };

/* One character of a (case-folded) string: its primary weights (0, 1 or 2 of them), its
 * accent and whether it was upper case in the original. */
typedef struct {
	guint32 w[2];
	int nw;
	guint32 accent;
} Weights;

/* The tailored letters at *p: their weight, and *p moved past them; 0 if none. */
static guint32
weigh_after(const char **p, const Tailoring *t)
{
	for (int k = 0, slot = 0; t && k < 10 && t->after[k][0]; k++) {
		gsize n = strlen(t->after[k][0]);
		slot = k && t->after[k - 1][1][0] == t->after[k][1][0] ? slot + 1 : 1;
		if (!strncmp(*p, t->after[k][0], n)) {
			*p += n;
			return W_LATIN + 4 * (guint32)(t->after[k][1][0] - 'a') + (guint32)slot;
		}
	}
	return 0;
}

/* The character (or a tailoring's digraph) at *p, which moves past it. */
static Weights
weigh(const char **p, const Tailoring *t)
{
	Weights r = { { 0, 0 }, 0, 0 };
	gunichar d[8], c;
	gsize n;
	const char *fold;
	guint32 after = weigh_after(p, t);

	if (after) {
		r.w[r.nw++] = after;
		return r;
	}
	c = g_utf8_get_char(*p);
	*p = g_utf8_next_char(*p);
	if (g_unichar_isspace(c) || c == ',' || c == '-' || c == 0x2010 || c == 0x2013 || c == 0x2014 || c == '/' ||
	    c == '.' || c == ';' || c == ':') {
		r.w[r.nw++] = W_SPACE;
		return r;
	}
	for (int k = 0; t && k < 3 && t->after_z[k]; k++)
		if (c == t->after_z[k]) {
			r.w[r.nw++] = W_AFTER_Z + (guint32)k;
			return r;
		}
	for (int k = 0; t && k < 2 && t->same[k][0]; k++)
		if (c == t->same[k][0]) {
			r.w[r.nw++] = W_AFTER_Z + (guint32)(t->same[k][1] == t->after_z[0] ? 0 : t->same[k][1] == t->after_z[1] ? 1 : 2);
			r.accent = 1;
			return r;
		}
	if ((fold = latin_fold(c)) != NULL) { /* a tailoring's own letters are weighed above */
		for (; *fold; fold++)
			r.w[r.nw++] = W_LATIN + 4 * (guint32)(*fold - 'a');
		r.accent = 1;
		return r;
	}
	n = g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d));
	if (n == 0)
		d[0] = c, n = 1;
	for (gsize k = 1; k < n; k++)
		r.accent = r.accent * 31 + d[k];
	c = d[0];
	if (c >= 'a' && c <= 'z')
		r.w[r.nw++] = W_LATIN + 4 * (c - 'a');
	else if (g_unichar_isdigit(c))
		r.w[r.nw++] = W_DIGIT + (guint32)MAX(g_unichar_digit_value(c), 0);
	else if (g_unichar_isalpha(c))
		r.w[r.nw++] = W_OTHER + c;
	/* other signs (quotes, brackets, apostrophes) do not count */
	return r;
}

char *
ov_collate_key(const char *s, const char *lang)
{
	const Tailoring *t = tailoring(lang);
	char *fold = g_utf8_casefold(s ? s : "", -1);
	char *nfc = g_utf8_normalize(fold, -1, G_NORMALIZE_NFC);
	GString *prim = g_string_new(NULL), *acc = g_string_new(NULL), *cas = g_string_new(NULL);
	gboolean space = TRUE; /* no separator at the start, none doubled */

	for (const char *p = nfc ? nfc : ""; *p;) {
		Weights w = weigh(&p, t);
		for (int k = 0; k < w.nw; k++) {
			if (w.w[k] == W_SPACE && space)
				continue;
			space = w.w[k] == W_SPACE;
			g_string_append_printf(prim, "%06x", w.w[k]);
		}
		if (w.nw && w.w[0] != W_SPACE)
			g_string_append_printf(acc, "%08x", w.accent);
	}
	while (prim->len >= 6 && !strcmp(prim->str + prim->len - 6, "000001"))
		g_string_truncate(prim, prim->len - 6);
	/* lower case before upper case */
	for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isalpha(c))
			g_string_append_c(cas, g_unichar_isupper(c) ? '1' : '0');
	}
	g_string_append_c(prim, '\x01');
	g_string_append(prim, acc->str);
	g_string_append_c(prim, '\x01');
	g_string_append(prim, cas->str);
	g_string_append_c(prim, '\x01');
	g_string_append(prim, s ? s : ""); /* equal keys only for equal strings */
	g_string_free(acc, TRUE);
	g_string_free(cas, TRUE);
	g_free(fold);
	g_free(nfc);
	return g_string_free(prim, FALSE);
}

/* Letters as a group's heading: the first upper case ("Ch"). */
static char *
title_case(const char *s)
{
	char buf[8] = "";
	g_unichar_to_utf8(g_unichar_toupper(g_utf8_get_char(s)), buf);
	return g_strconcat(buf, g_utf8_next_char(s), NULL);
}

char *
ov_index_letter(const char *s, const char *lang)
{
	const Tailoring *t = tailoring(lang);
	char *fold = g_utf8_casefold(s ? s : "", -1);
	char *nfc = g_utf8_normalize(fold, -1, G_NORMALIZE_NFC);
	char *res = NULL;

	for (const char *p = nfc ? nfc : ""; *p && !res;) {
		const char *at = p;
		Weights w = weigh(&p, t);
		char buf[8] = "";
		if (w.nw == 0 || w.w[0] == W_SPACE)
			continue;
		if (w.w[0] < W_LATIN) {
			res = g_strdup(ov_gentext_lang(lang, OV_GT_SYMBOLS));
		} else if (w.w[0] < W_AFTER_Z && (w.w[0] - W_LATIN) % 4 == 0) {
			res = g_strdup_printf("%c", 'A' + (int)(w.w[0] - W_LATIN) / 4);
		} else if (w.w[0] < W_AFTER_Z) { /* tailored letters after a Latin one: as they stand */
			char *l = g_strndup(at, (gsize)(p - at));
			res = title_case(l);
			g_free(l);
		} else if (w.w[0] < W_OTHER) {
			g_unichar_to_utf8(g_unichar_toupper(t->after_z[w.w[0] - W_AFTER_Z]), buf);
			res = g_strdup(buf);
		} else {
			g_unichar_to_utf8(g_unichar_toupper(w.w[0] - W_OTHER), buf);
			res = g_strdup(buf);
		}
	}
	g_free(fold);
	g_free(nfc);
	return res ? res : g_strdup(ov_gentext_lang(lang, OV_GT_SYMBOLS));
}

/* ---- the skeleton ---- */

/* One line of the index: a term at a level, the places it marks and its references. */
typedef struct Entry Entry;
struct Entry {
	char *term;             /* this level's term, whitespace collapsed */
	char *key;              /* collation key of the whole path (primary, secondary, tertiary) */
	char *sortby;           /* what this level sorts by: the term, or its sortas */
	int level;
	Entry *parent;
	OvNode *node;           /* the OV_INDEXENTRY */
	const OvNode *first;    /* the first index term that made it or an entry below it */
	GPtrArray *marks;       /* OvNode* indexterms whose places it lists */
	GPtrArray *see, *also;  /* char* */
	char *located;          /* the locators last filled in, as text (to see a change) */
};

typedef struct {
	GHashTable *by_path;    /* "primary\x1fsecondary..." -> Entry* */
	GPtrArray *entries;     /* Entry*, sorted */
	const char *lang;
} Index;

static void
entry_free(gpointer p)
{
	Entry *e = p;
	g_free(e->term);
	g_free(e->key);
	g_free(e->sortby);
	g_ptr_array_free(e->marks, TRUE);
	g_ptr_array_free(e->see, TRUE);
	g_ptr_array_free(e->also, TRUE);
	g_free(e->located);
	g_free(e);
}

static void
index_free(gpointer p)
{
	Index *ix = p;
	g_hash_table_destroy(ix->by_path);
	g_ptr_array_free(ix->entries, TRUE);
	g_free(ix);
}

static char *
collapse(const char *s)
{
	GString *o = g_string_new(NULL);
	gboolean sp = FALSE;
	for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) && c != 0xA0) {
			sp = o->len > 0;
			continue;
		}
		if (sp)
			g_string_append_c(o, ' ');
		sp = FALSE;
		g_string_append_unichar(o, c);
	}
	return g_string_free(o, FALSE);
}

/* Does an index hold entries written by hand (indexdiv, indexentry)? Then it is the book's
 * own; one that holds nothing, or only blocks before its entries ("Page numbers in bold ..."),
 * gets the generated entries after them. */
static gboolean
written(const OvNode *index)
{
	for (const OvNode *c = index->first; c; c = c->next)
		if (c->tag && (!strcmp(c->tag, "indexentry") || !strcmp(c->tag, "indexdiv")))
			return TRUE;
	return FALSE;
}

static OvNode *
text_node(OvDoc *doc, const char *s, OvLoc loc)
{
	OvNode *t = ov_node_new(doc, OV_TEXT, loc);
	t->text = ov_strdup(doc, s);
	t->flags |= OV_F_GENERATED;
	return t;
}

/* A generated node of type, with role (its EPUB Indexes type), appended to parent. */
static OvNode *
gen_node(OvDoc *doc, OvNode *parent, OvType type, const char *role, OvLoc loc)
{
	OvNode *n = ov_node_new(doc, type, loc);
	n->flags |= OV_F_GENERATED;
	n->role = role ? ov_intern(doc, role) : NULL;
	if (parent)
		ov_node_append(parent, n);
	return n;
}

/* Does an index hold nothing but its title? */
static gboolean
bare(const OvNode *index)
{
	for (const OvNode *c = index->first; c; c = c->next)
		if (c->type != OV_TITLE)
			return FALSE;
	return TRUE;
}

void
ov_index_prepare(OvDoc *doc, gboolean theme_index, OvDiags *d)
{
	OvNode *index = NULL, *last = NULL;
	GPtrArray *others = g_ptr_array_new(); /* indexes without entries of their own after the first */
	gboolean terms = FALSE;
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		if (ev != OV_EV_ENTER)
			continue;
		if (it.cur->type == OV_INDEXTERM)
			terms = TRUE;
		else if (it.cur->type == OV_INDEX && !written(it.cur)) {
			if (index == NULL)
				index = it.cur;
			else
				g_ptr_array_add(others, it.cur);
		} else if (it.cur->type == OV_INFO)
			ov_iter_skip_children(&it);
	}
	/* an index that would stay empty is left out of both outputs, with a word: a second
	 * one (type="names" beside a subject index: octavo makes one index, of every term), or
	 * any when the book has no index terms */
	if (!terms && index)
		g_ptr_array_insert(others, 0, index);
	for (guint i = 0; i < others->len; i++) {
		OvNode *x = g_ptr_array_index(others, i);
		if (!bare(x)) { /* its own words stay */
			if (terms)
				ov_warn(d, x->loc, "a second <index> gets no entries: octavo makes one index, of every index term, in the first");
			continue;
		}
		if (terms)
			ov_warn(d, x->loc, "a second <index> is left out: octavo makes one index, of every index term, in the first");
		else
			ov_warn(d, x->loc, "the book has no index terms: its empty <index> is left out");
		ov_node_unlink(x);
	}
	g_ptr_array_free(others, TRUE);
	if (!terms)
		return; /* nothing to index */
	if (index == NULL && theme_index) {
		/* at the back: after everything but a closing colophon */
		for (OvNode *c = doc->root->first; c; c = c->next)
			last = c;
		index = ov_node_new(doc, OV_INDEX, doc->root->loc);
		index->tag = ov_intern(doc, "index");
		index->flags |= OV_F_GENERATED;
		if (last && last->type == OV_COLOPHON && last->prev)
			ov_node_insert_after(last->prev, index);
		else if (last && last->type == OV_COLOPHON)
			ov_node_prepend(doc->root, index);
		else
			ov_node_append(doc->root, index);
	}
	if (index == NULL)
		return;
	if (ov_node_child(index, OV_TITLE) == NULL) {
		OvNode *title = ov_node_new(doc, OV_TITLE, index->loc);
		title->flags |= OV_F_GENERATED;
		ov_node_append(title, text_node(doc, ov_gentext(doc, OV_GT_INDEX), index->loc));
		ov_node_prepend(index, title);
	}
	doc->index = index;
}

/* The entry for a path of terms (1 to 3), made with its parents when new. */
static Entry *
entry_for(Index *ix, char **terms, int n, const char *sortas, const OvNode *term)
{
	GString *path = g_string_new(NULL);
	Entry *parent = NULL, *e = NULL;

	for (int level = 0; level < n; level++) {
		if (level)
			g_string_append_c(path, '\x1f');
		g_string_append(path, terms[level]);
		e = g_hash_table_lookup(ix->by_path, path->str);
		if (e == NULL) {
			const char *by = level == 0 && sortas ? sortas : terms[level];
			char *k = ov_collate_key(by, ix->lang);
			e = g_new0(Entry, 1);
			e->term = g_strdup(terms[level]);
			e->sortby = g_strdup(by);
			e->level = level;
			e->parent = parent;
			e->marks = g_ptr_array_new();
			e->see = g_ptr_array_new_with_free_func(g_free);
			e->also = g_ptr_array_new_with_free_func(g_free);
			/* a sub-entry sorts right after its parent: keys joined with a byte below any key's */
			e->key = g_strconcat(parent ? parent->key : "", parent ? "\x02" : "", k, NULL);
			g_free(k);
			g_hash_table_insert(ix->by_path, g_strdup(path->str), e);
			g_ptr_array_add(ix->entries, e);
		}
		if (e->first == NULL)
			e->first = term;
		parent = e;
	}
	g_string_free(path, TRUE);
	return e;
}

static void
add_unique(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (!strcmp(g_ptr_array_index(a, i), s))
			return;
	g_ptr_array_add(a, g_strdup(s));
}

static gint
entry_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(Entry *const *)a)->key, (*(Entry *const *)b)->key);
}

/* The entry a "see" text names: a primary term, or "primary, secondary". */
static Entry *
see_target(Index *ix, const char *see)
{
	char *c = collapse(see), *p;
	Entry *e = g_hash_table_lookup(ix->by_path, c);
	if (e == NULL && (p = strstr(c, ", ")) != NULL) {
		*p = '\x1f';
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
		e = g_hash_table_lookup(ix->by_path, c);
	}
	g_free(c);
	return e;
}

/* An entry's line: the term, its locators (page numbers: "term, 3, 12"; the sections of a
 * book without pages, whose titles may hold commas: "term: Title; Other title"), then see and
 * see-also references. */
static void
entry_line(OvDoc *doc, Index *ix, Entry *e, GPtrArray *locators, gboolean sections)
{
	OvNode *n = e->node, *c;
	OvLoc loc = n->loc;

	while ((c = n->first) != NULL)
		ov_node_unlink(c);
	c = gen_node(doc, n, OV_PHRASE, "index-term", loc);
	ov_node_append(c, text_node(doc, e->term, loc));
	for (guint i = 0; locators && i < locators->len; i++) {
		/* the first page number never stands alone on a line */
		ov_node_append(n, text_node(doc, sections ? (i ? "; " : ": ") : i ? ", " : ",\xC2\xA0", loc));
		ov_node_append(n, g_ptr_array_index(locators, i));
	}
	for (int pass = 0; pass < 2; pass++) {
		GPtrArray *refs = pass == 0 ? e->see : e->also;
		OvNode *em;
		/* as the Chicago Manual has it: "GNI. See gross national income", "landmines, 3. See also
		 * Mine Ban Convention; Oslo Process" (the same words before and after pagination) */
		if (refs->len == 0)
			continue;
		ov_node_append(n, text_node(doc, ". ", loc));
		em = gen_node(doc, n, OV_EMPHASIS, NULL, loc);
		em->u.em.style = OV_STYLE_ITALIC;
		ov_node_append(em, text_node(doc, ov_gentext(doc, pass == 0 ? OV_GT_SEE : OV_GT_SEE_ALSO), loc));
		ov_node_append(n, text_node(doc, " ", loc));
		for (guint i = 0; i < refs->len; i++) {
			const char *ref = g_ptr_array_index(refs, i);
			Entry *t = see_target(ix, ref);
			OvNode *x, *term;
			if (i)
				ov_node_append(n, text_node(doc, "; ", loc));
			x = gen_node(doc, n, t ? OV_LINK : OV_PHRASE, pass == 0 ? "index-xref-preferred" : "index-xref-related", loc);
			if (t) {
				x->target = t->node;
				x->tag = ov_intern(doc, "link");
			}
			term = gen_node(doc, x, OV_PHRASE, "index-term", loc);
			ov_node_append(term, text_node(doc, ref, loc));
		}
	}
}

void
ov_index_build(OvDoc *doc, OvDiags *d)
{
	Index *ix;
	OvNode *group = NULL;
	char *letter = NULL;

	if (doc->index == NULL)
		return;
	ix = g_new0(Index, 1);
	ix->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ix->entries = g_ptr_array_new_with_free_func(entry_free);
	ix->lang = doc->meta.lang;
	doc->index_data = ix;
	doc->index_data_free = index_free;
	for (guint i = 0; i < doc->indexterms->len; i++) {
		OvNode *t = g_ptr_array_index(doc->indexterms, i);
		char *terms[3] = { NULL, NULL, NULL };
		int n = 0;
		Entry *e;
		if (t->u.idx.range == OV_RANGE_END || t->u.idx.primary == NULL || ov_node_ancestor(t, OV_INFO))
			continue; /* a range's end belongs to its start */
		terms[n++] = collapse(t->u.idx.primary);
		if (t->u.idx.secondary)
			terms[n++] = collapse(t->u.idx.secondary);
		if (t->u.idx.secondary && t->u.idx.tertiary)
			terms[n++] = collapse(t->u.idx.tertiary);
		e = entry_for(ix, terms, n, t->u.idx.sortas, t);
		if (t->u.idx.see)
			add_unique(e->see, t->u.idx.see);
		else
			g_ptr_array_add(e->marks, t);
		for (const char **a = t->u.idx.seealso; a && *a; a++)
			add_unique(e->also, *a);
		for (int k = 0; k < n; k++)
			g_free(terms[k]);
	}
	g_ptr_array_sort(ix->entries, entry_cmp);
	/* letter groups, then the entries' nodes (every node made before any line refers to one) */
	for (guint i = 0; i < ix->entries->len; i++) {
		Entry *e = g_ptr_array_index(ix->entries, i);
		OvLoc loc = e->first ? e->first->loc : doc->index->loc;
		if (e->level == 0) {
			/* filed where it sorts: "The Aachen Treaty" sorted as "Aachen" stands under A */
			char *l = ov_index_letter(e->sortby, ix->lang);
			if (letter == NULL || strcmp(l, letter)) {
				OvNode *title;
				g_free(letter);
				letter = l;
				group = gen_node(doc, doc->index, OV_SECTION, "index-group", doc->index->loc);
				group->chapter = doc->index->chapter ? doc->index->chapter : doc->index;
				title = gen_node(doc, group, OV_TITLE, NULL, doc->index->loc);
				ov_node_append(title, text_node(doc, letter, doc->index->loc));
			} else {
				g_free(l);
			}
		}
		e->node = gen_node(doc, group, OV_INDEXENTRY, "index-entry", loc);
		e->node->u.entry.level = e->level;
		e->node->chapter = group->chapter;
	}
	g_free(letter);
	for (guint i = 0; i < ix->entries->len; i++)
		entry_line(doc, ix, g_ptr_array_index(ix->entries, i), NULL, FALSE);
	(void)d;
}

/* ---- locators ---- */

/* What one page holds of an entry: 0 nothing, 1 a place, 2 a preferred place; the first and
 * last marks there (NULL on the inner pages of a range). */
typedef struct {
	int kind;
	const OvNode *first, *last;
	const OvNode *any;  /* a mark of the span that covers the page (for inner pages) */
} PageMark;

static void
mark_page(PageMark *pages, int p, int kind, const OvNode *node, const OvNode *any)
{
	if (kind > pages[p].kind) {
		pages[p].kind = kind;
		pages[p].first = pages[p].last = pages[p].any = NULL;
	}
	if (kind < pages[p].kind)
		return;
	if (pages[p].any == NULL)
		pages[p].any = any;
	if (node && pages[p].first == NULL)
		pages[p].first = node;
	if (node)
		pages[p].last = node;
}

static void
mark_span(PageMark *pages, int a, int b, int kind, const OvNode *first, const OvNode *last)
{
	if (a < 0 || b < 0)
		return;
	if (b < a)
		b = a;
	mark_page(pages, a, kind, first, first);
	for (int p = a + 1; p < b; p++)
		mark_page(pages, p, kind, NULL, first);
	if (b > a)
		mark_page(pages, b, kind, last, first);
	else if (last != first)
		mark_page(pages, a, kind, last, first);
}

/* The end of a range that starts at t, or NULL. */
static const OvNode *
range_end(const OvDoc *doc, const OvNode *t)
{
	for (guint i = 0; i < doc->indexterms->len; i++) {
		const OvNode *e = g_ptr_array_index(doc->indexterms, i);
		if (e->u.idx.range == OV_RANGE_END && e->target == t)
			return e;
	}
	return NULL;
}

/* A link to node showing label, bold when preferred. */
static OvNode *
locator_link(OvDoc *doc, const OvNode *node, const char *label, gboolean bold, OvLoc loc)
{
	OvNode *a = gen_node(doc, NULL, OV_LINK, "index-locator", loc), *in = a;
	a->tag = ov_intern(doc, "link");
	a->target = (OvNode *)node;
	if (bold) {
		in = gen_node(doc, a, OV_EMPHASIS, NULL, loc);
		in->u.em.style = OV_STYLE_BOLD;
		in->role = ov_intern(doc, "bold");
	}
	ov_node_append(in, text_node(doc, label, loc));
	return a;
}

/* The locators of an entry, as nodes, and as text in *text. */
static GPtrArray *
locators(OvDoc *doc, const OvPageMap *pm, Entry *e, GString *text)
{
	int np = (int)pm->pages->len;
	PageMark *pages = g_new0(PageMark, np + 1);
	GPtrArray *out = g_ptr_array_new();
	OvLoc loc = e->node->loc;

	for (guint i = 0; i < e->marks->len; i++) {
		const OvNode *t = g_ptr_array_index(e->marks, i), *end;
		int kind = t->flags & OV_F_PREFERRED ? 2 : 1;
		if (t->u.idx.zone) {
			char **ids = g_strsplit_set(t->u.idx.zone, " \t\n", -1);
			for (char **z = ids; *z; z++) {
				const OvNode *zn = **z ? g_hash_table_lookup(doc->ids, *z) : NULL;
				if (zn)
					mark_span(pages, ov_pagemap_page_of(pm, zn, FALSE), ov_pagemap_page_of(pm, zn, TRUE), kind, zn, zn);
			}
			g_strfreev(ids);
		} else if (t->u.idx.range == OV_RANGE_START && (end = range_end(doc, t)) != NULL) {
			mark_span(pages, ov_pagemap_page_of(pm, t, FALSE), ov_pagemap_page_of(pm, end, FALSE), kind, t, end);
		} else {
			int p = ov_pagemap_page_of(pm, t, FALSE);
			mark_span(pages, p, p, kind, t, t);
		}
	}
	/* runs of pages that follow each other with the same weight: "12", "12–14" */
	for (int p = 0; p < np; p++) {
		int q = p, kind = pages[p].kind;
		const OvNode *first = pages[p].first, *last;
		if (kind == 0)
			continue;
		while (q + 1 < np && pages[q + 1].kind == kind && ov_pagemap_page(pm, q + 1)->body == ov_pagemap_page(pm, p)->body)
			q++;
		if (first == NULL)
			first = pages[p].any;
		last = pages[q].last ? pages[q].last : pages[q].any;
		if (text->len)
			g_string_append(text, ", ");
		if (kind == 2)
			g_string_append_c(text, '*');
		if (q == p) {
			g_ptr_array_add(out, locator_link(doc, first, ov_pagemap_page(pm, p)->label, kind == 2, loc));
			g_string_append(text, ov_pagemap_page(pm, p)->label);
		} else {
			OvNode *range = gen_node(doc, NULL, OV_PHRASE, "index-locator-range", loc);
			ov_node_append(range, locator_link(doc, first, ov_pagemap_page(pm, p)->label, kind == 2, loc));
			ov_node_append(range, text_node(doc, "\xE2\x80\x93", loc)); /* en dash */
			ov_node_append(range, locator_link(doc, last, ov_pagemap_page(pm, q)->label, kind == 2, loc));
			g_ptr_array_add(out, range);
			g_string_append_printf(text, "%s-%s", ov_pagemap_page(pm, p)->label, ov_pagemap_page(pm, q)->label);
		}
		p = q;
	}
	g_free(pages);
	return out;
}

static gboolean
has_title(const OvDoc *doc, const OvNode *div)
{
	char *t = ov_division_title(doc, div, FALSE);
	g_free(t);
	return t != NULL;
}

/* The innermost division with a title that holds n (NULL: none does). */
static const OvNode *
section_of(const OvDoc *doc, const OvNode *n)
{
	for (; n; n = n->parent)
		if (ov_node_is_division(n) && has_title(doc, n))
			return n;
	return NULL;
}

/* The node after n's subtree in document order, or NULL. */
static const OvNode *
after(const OvNode *n)
{
	for (; n; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

/* The titled divisions a range passes through whole between its start a and its end b, in
 * their order, into out: each that stands after a and ends before b (not those inside it, nor
 * those inside a's own division, which names them). Nothing when b does not follow a. */
static void
range_divisions(const OvDoc *doc, const OvNode *a, const OvNode *b, GPtrArray *out)
{
	const OvNode *from = section_of(doc, a), *n = after(a);
	GPtrArray *met = g_ptr_array_new();

	while (n && n != b) {
		if (ov_node_inside(b, n)) { /* the end is inside: into it */
			n = n->first ? n->first : after(n);
			continue;
		}
		if (ov_node_is_division(n) && !(from && ov_node_inside(n, from)) && has_title(doc, n)) {
			g_ptr_array_add(met, (gpointer)n);
			n = after(n);
			continue;
		}
		n = n->first ? n->first : after(n);
	}
	if (n == b)
		for (guint i = 0; i < met->len; i++)
			g_ptr_array_add(out, g_ptr_array_index(met, i));
	g_ptr_array_free(met, TRUE);
}

/* Where a book without pages places an entry: the sections that hold its places (a range's
 * start, the divisions it spans and its end; each node of a zone), in the order first met, each a link to the first place
 * in it that shows the section's title, bold when a place there is preferred. */
static GPtrArray *
section_locators(OvDoc *doc, Entry *e)
{
	GPtrArray *secs = g_ptr_array_new(), *firsts = g_ptr_array_new(), *out = g_ptr_array_new();
	GArray *bold = g_array_new(FALSE, TRUE, sizeof(gboolean));

	for (guint i = 0; i < e->marks->len; i++) {
		const OvNode *t = g_ptr_array_index(e->marks, i), *end;
		gboolean pref = (t->flags & OV_F_PREFERRED) != 0;
		GPtrArray *zone = NULL;
		if (t->u.idx.zone) {
			char **ids = g_strsplit_set(t->u.idx.zone, " \t\n", -1);
			zone = g_ptr_array_new();
			for (char **z = ids; *z; z++) {
				const OvNode *zn = **z ? g_hash_table_lookup(doc->ids, *z) : NULL;
				if (zn)
					g_ptr_array_add(zone, (gpointer)zn);
			}
			g_strfreev(ids);
		} else if (t->u.idx.range == OV_RANGE_START && (end = range_end(doc, t)) != NULL) {
			/* its start, every division it spans, its end */
			zone = g_ptr_array_new();
			g_ptr_array_add(zone, (gpointer)t);
			range_divisions(doc, t, end, zone);
			g_ptr_array_add(zone, (gpointer)end);
		}
		for (guint k = 0; zone ? k < zone->len : k < 1; k++) {
			const OvNode *at = zone ? g_ptr_array_index(zone, k) : t;
			const OvNode *sec = section_of(doc, at);
			guint j;
			if (sec == NULL)
				continue;
			if (!g_ptr_array_find(secs, sec, &j)) {
				j = secs->len;
				g_ptr_array_add(secs, (gpointer)sec);
				g_ptr_array_add(firsts, (gpointer)at);
				g_array_set_size(bold, j + 1);
			}
			g_array_index(bold, gboolean, j) |= pref;
		}
		if (zone)
			g_ptr_array_free(zone, TRUE);
	}
	for (guint j = 0; j < secs->len; j++) {
		char *title = ov_division_title(doc, g_ptr_array_index(secs, j), FALSE);
		g_ptr_array_add(out, locator_link(doc, g_ptr_array_index(firsts, j), title, g_array_index(bold, gboolean, j),
						   e->node->loc));
		g_free(title);
	}
	g_ptr_array_free(secs, TRUE);
	g_ptr_array_free(firsts, TRUE);
	g_array_free(bold, TRUE);
	return out;
}

void
ov_index_pageless(OvDoc *doc, gboolean pageless)
{
	Index *ix = doc->index_data;

	if (ix == NULL || doc->index_data_free != index_free)
		return;
	for (guint i = 0; i < ix->entries->len; i++) {
		Entry *e = g_ptr_array_index(ix->entries, i);
		GPtrArray *locs = pageless ? section_locators(doc, e) : NULL;
		entry_line(doc, ix, e, locs, pageless);
		g_clear_pointer(&e->located, g_free); /* the next ov_index_locate sets the page numbers */
		if (locs)
			g_ptr_array_free(locs, TRUE);
	}
}

gboolean
ov_index_locate(OvDoc *doc, const OvPageMap *pm, gboolean commit)
{
	Index *ix = doc->index_data;
	gboolean changed = FALSE;

	if (ix == NULL || doc->index_data_free != index_free)
		return FALSE;
	for (guint i = 0; i < ix->entries->len; i++) {
		Entry *e = g_ptr_array_index(ix->entries, i);
		GString *text = g_string_new(NULL);
		GPtrArray *locs = locators(doc, pm, e, text);
		if (g_strcmp0(text->str, e->located) != 0) {
			changed = TRUE;
			if (commit) {
				entry_line(doc, ix, e, locs, FALSE);
				g_free(e->located);
				e->located = g_strdup(text->str);
			}
		}
		g_ptr_array_free(locs, TRUE);
		g_string_free(text, TRUE);
	}
	return changed;
}
