/* resolve.c: ids, numbering, the TOC, cross-references, footnotes, index terms, and (after the
 * PDF is typeset) the page numbers of "page N" references and of the index. */
#include <string.h>
#include "resolve.h"
#include "index.h"
#include "gentext.h"

char *
ov_format_number(int n, OvNumeration numeration)
{
	static const struct { int v; const char *s; } roman[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
		{ 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	GString *s;

	if (numeration == OV_NUM_ARABIC || n <= 0 || (n > 3999 && numeration >= OV_NUM_LOWERROMAN))
		return g_strdup_printf("%d", n);
	s = g_string_new(NULL);
	if (numeration == OV_NUM_LOWERALPHA || numeration == OV_NUM_UPPERALPHA) {
		/* a, b, ... z, aa, ab, ... */
		char buf[16];
		int i = 15;
		buf[i] = '\0';
		for (int m = n; m > 0 && i > 0; m = (m - 1) / 26)
			buf[--i] = (char)('a' + (m - 1) % 26);
		g_string_append(s, buf + i);
	} else {
		for (gsize i = 0; i < G_N_ELEMENTS(roman); i++)
			for (; n >= roman[i].v; n -= roman[i].v)
				g_string_append(s, roman[i].s);
	}
	if (numeration == OV_NUM_UPPERALPHA || numeration == OV_NUM_UPPERROMAN) {
		char *up = g_ascii_strup(s->str, -1);
		g_string_free(s, TRUE);
		return up;
	}
	return g_string_free(s, FALSE);
}

typedef struct {
	OvDoc *doc;
	const OvTheme *theme;
	OvDiags *d;
	int parts, chapters, appendices;
	GArray *sections;            /* int: the last number at each depth of the division's sections */
	GArray *open_sections;       /* OpenSection: the sections the walk is in, innermost last */
	gboolean deep_told;          /* the warning about sections too deep to number was given */
	/* formal objects: [0] through the book, [1] within the chapter (figures = chapter: a
	 * chapter's or appendix's own count, "2.1", numbered or not; other divisions count
	 * book-wide) */
	int figures[2], tables[2], examples[2], equations[2];
	int footnotes;
	int list_last[8];            /* the last number of the last ordered list, by how many lists
	                              * stand around it: a list continues the one before at its depth */
	/* what the walks are inside: counted on entry and exit, so no check walks up the tree
	 * (quadratic when 20,000 nested quotations each hold a note) */
	int in_footnote, in_part;
	OvNode *in_title;
	/* xrefs and links met so far: REF_BUSY while their words are made (their target's words
	 * may hold other xrefs, made first), then how deep their words nest others' (0: none) */
	GHashTable *refs;
	int words_depth;             /* words taken in words (ready) now */
	int words_nest;              /* the deepest nesting of the xrefs taken in by the words being made */
	gboolean words_cut;          /* those words went deeper than WORDS_DEPTH */
	GHashTable *words_long;      /* nodes whose words were cut at WORDS_MAX: reported once */
	GHashTable *styles_told;     /* xrefstyle keywords told as unknown (char *) */
	int quotes;                  /* the quotations the xref whose words are made stands in */
	GHashTable *cited;           /* a bibliography entry's abbreviation, id and xreflabel -> it */
	GPtrArray *citations;        /* the citations, in document order */
	const OvNode *ordinal_of;    /* the unnumbered chapter whose place chapter_prefix gave last */
	const char *ordinal;         /* and that place, "2" (in the document's memory) */
} Resolver;

/* A section the numbering walk is in: how many sections hold it without a break, and whether
 * its sections take numbers (those of a chapter, an appendix or an article). */
typedef struct {
	const OvNode *node;
	int depth;
	gboolean numbered;
} OpenSection;

/* Sections nest as deep as the book likes, and each is counted at its depth; only the labels
 * stop here: a label names every level, so 100,000 nested sections would take gigabytes. */
#define SECTION_DEPTH 64

#define REF_BUSY (-1)

/* How deep words may take in words: an xref to a title that holds an xref to a title that
 * ... 8 levels, whatever the order they stand in the book; deeper is an error. Bounds the
 * recursion. And how long the words an xref takes from its target may be: several xrefs in
 * each title of such a chain would otherwise multiply them. */
#define WORDS_DEPTH 8
#define WORDS_MAX 2000

static void resolve_ref(Resolver *rv, OvNode *n);

/* The xrefs and links whose words n's text takes in (footnotes and index terms left out, as
 * in ov_node_text) are made now, whatever their place in the book: another reference shows
 * n's words. Returns n. */
static const OvNode *
ready(Resolver *rv, const OvNode *n)
{
	OvNode *was = rv->in_title;
	OvIter it;
	OvEvent ev;

	if (n == NULL)
		return NULL;
	rv->in_title = (OvNode *)n; /* not NULL: resolve_xref checks for an xref in its target's title */
	rv->words_depth++;
	ov_iter_init(&it, (OvNode *)n);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *x = it.cur;
		if (ev != OV_EV_ENTER)
			continue;
		if ((x->type == OV_FOOTNOTE || x->type == OV_INDEXTERM) && x != n) {
			ov_iter_skip_children(&it);
		} else if ((x->type == OV_XREF || (x->type == OV_LINK && x->first == NULL)) &&
			   rv->words_depth > WORDS_DEPTH && !g_hash_table_contains(rv->refs, x)) {
			rv->words_cut = TRUE; /* no deeper: the xref that began it is told */
		} else if (x->type == OV_XREF || x->type == OV_LINK) {
			int nest;
			resolve_ref(rv, x);
			nest = GPOINTER_TO_INT(g_hash_table_lookup(rv->refs, x));
			if (x->first == NULL) /* words of its own: nothing taken in */
				rv->words_nest = MAX(rv->words_nest, nest + 1);
		}
	}
	rv->words_depth--;
	rv->in_title = was;
	return n;
}

/* n's words as another reference shows them (ov_node_words), into s: at most WORDS_MAX
 * bytes of them, with an ellipsis after (and a warning, once for n) when there are more. */
static void
words_of(Resolver *rv, const OvNode *n, GString *s)
{
	gsize from = s->len;
	if (ready(rv, n) == NULL)
		return;
	ov_node_words_at(n, s, rv->quotes);
	if (s->len - from > WORDS_MAX) {
		const char *cut = g_utf8_find_prev_char(s->str + from, s->str + from + WORDS_MAX + 1);
		g_string_truncate(s, (gsize)(cut - s->str));
		g_string_append(s, "\xE2\x80\xA6"); /* … */
		if (!g_hash_table_contains(rv->words_long, n)) {
			g_hash_table_add(rv->words_long, (gpointer)n);
			ov_warn(rv->d, n->loc, "the words an xref shows of this <%s> are cut at %d bytes",
				n->tag ? n->tag : ov_type_name(n->type), WORDS_MAX);
		}
	}
}

/* n's words (words_of) as the book's string; NULL for no node. */
static const char *
node_words(Resolver *rv, const OvNode *n)
{
	GString *s;
	const char *res;
	if (n == NULL)
		return NULL;
	s = g_string_new(NULL);
	words_of(rv, n, s);
	res = ov_strndup(rv->doc, s->str, s->len);
	g_string_free(s, TRUE);
	return res;
}

/* The words of n's title, as another reference shows them; NULL if it has none. */
static const char *
title_words(Resolver *rv, const OvNode *n)
{
	return node_words(rv, ov_node_child(n, OV_TITLE));
}

static const char *
node_title_text(OvDoc *doc, const OvNode *n)
{
	OvNode *t = ov_node_child(n, OV_TITLE);
	GString *s;
	const char *res;
	if (t == NULL)
		return NULL;
	s = g_string_new(NULL);
	ov_node_text(t, s);
	res = ov_strndup(doc, s->str, s->len);
	g_string_free(s, TRUE);
	return res;
}

static gboolean
is_top_division(const OvNode *n)
{
	switch (n->type) {
	case OV_PREFACE: case OV_CHAPTER: case OV_APPENDIX: case OV_COLOPHON: case OV_DEDICATION:
	case OV_GLOSSARY: case OV_INDEX:
		return TRUE;
	default:
		return FALSE;
	}
}

/* How deep a division sits: parts 0, chapters 0 or 1 (inside a part), sections below; counted
 * up to 16 (the TOC goes 7 deep at most), so it costs no more at any depth. */
static int
division_level(const OvNode *n)
{
	int level = 0;
	for (const OvNode *p = n->parent; p && p->type != OV_DOCUMENT && level < 16; p = p->parent)
		if (ov_node_is_division(p))
			level++;
	return level;
}

/* What a chapter's sections and (figures = chapter) its figures, tables, examples and
 * equations are numbered after: the chapter's label; with unnumbered chapters (chapters =
 * false), its place among the chapters, 2 (an appendix's letter, B), so that the second
 * chapter's sections are 2.1, 2.2 and its figures 2.1: numbers that restarted at 1 in each
 * chapter would name several places of the book, in the text, the contents and its xrefs.
 * NULL for none: a chapter whose source says label="", a preface, a glossary, no chapter. */
static const char *
chapter_prefix(Resolver *rv, const OvNode *chap)
{
	if (chap == NULL || chap->label || (chap->flags & OV_F_LABELLED))
		return chap ? chap->label : NULL;
	if (chap->type != OV_CHAPTER && chap->type != OV_APPENDIX)
		return NULL;
	if (rv->ordinal_of != chap) {
		char *l = ov_format_number(chap->number, chap->type == OV_APPENDIX ? OV_NUM_UPPERALPHA : OV_NUM_ARABIC);
		rv->ordinal = ov_strdup(rv->doc, l);
		rv->ordinal_of = chap;
		g_free(l);
	}
	return rv->ordinal;
}

static void
number_division(Resolver *rv, OvNode *n)
{
	OvDoc *doc = rv->doc;
	OvNode *chap = n->chapter;

	switch (n->type) {
	case OV_PART:
		n->number = ++rv->parts;
		if (!(n->flags & OV_F_LABELLED))
			{ char *l = ov_format_number(n->number, OV_NUM_UPPERROMAN); n->label = ov_strdup(doc, l); g_free(l); }
		break;
	case OV_CHAPTER:
		n->number = ++rv->chapters;
		g_array_set_size(rv->sections, 0);
		if (rv->theme->number_chapters && !(n->flags & OV_F_LABELLED))
			n->label = ov_printf(doc, "%d", n->number);
		break;
	case OV_APPENDIX:
		n->number = ++rv->appendices;
		g_array_set_size(rv->sections, 0);
		if (rv->theme->number_chapters && !(n->flags & OV_F_LABELLED))
			{ char *l = ov_format_number(n->number, OV_NUM_UPPERALPHA); n->label = ov_strdup(doc, l); g_free(l); }
		break;
	case OV_PREFACE: case OV_COLOPHON: case OV_DEDICATION: case OV_GLOSSARY: case OV_INDEX:
		g_array_set_size(rv->sections, 0);
		break;
	case OV_SECTION: {
		/* the walk closes each section (pass_number), so the innermost open one is the
		 * parent when the parent is a section */
		OpenSection *up = rv->open_sections->len ?
			&g_array_index(rv->open_sections, OpenSection, rv->open_sections->len - 1) : NULL;
		OpenSection me = { n, 0, FALSE };
		gboolean in_section = up && up->node == n->parent; /* up moves as the array grows */
		if (in_section) {
			me.depth = up->depth + 1;
			me.numbered = up->numbered;
		} else {
			/* an article's own sections are numbered as a chapter's: 1, 1.1 */
			me.numbered = chap ? chap->type == OV_CHAPTER || chap->type == OV_APPENDIX
					   : n->parent && n->parent->type == OV_DOCUMENT;
		}
		g_array_append_val(rv->open_sections, me);
		/* deeper levels start again (zeroed as the array grows back) */
		g_array_set_size(rv->sections, me.depth + 1);
		n->number = ++g_array_index(rv->sections, int, me.depth);
		if (!rv->theme->number_sections || !me.numbered || (n->flags & OV_F_LABELLED))
			break;
		if (me.depth >= SECTION_DEPTH) {
			if (!rv->deep_told)
				ov_warn(rv->d, n->loc, "sections nested more than %d deep are not numbered", SECTION_DEPTH);
			rv->deep_told = TRUE;
			break;
		}
		if (in_section && n->parent->label) {
			/* after its section's label, which may be the source's own: "A.1" */
			n->label = ov_printf(doc, "%s.%d", n->parent->label, n->number);
		} else {
			GString *s = g_string_new(chapter_prefix(rv, chap));
			for (int i = 0; i <= me.depth; i++)
				g_string_append_printf(s, "%s%d", s->len ? "." : "", g_array_index(rv->sections, int, i));
			n->label = ov_strndup(doc, s->str, s->len);
			g_string_free(s, TRUE);
		}
		break;
	}
	default:
		break;
	}
}

static void
number_formal(Resolver *rv, OvNode *n)
{
	int *counter;
	const char *prefix = rv->theme->figures == OV_SCOPE_CHAPTER ? chapter_prefix(rv, n->chapter) : NULL;
	int per_chapter = prefix != NULL;

	if (!(n->flags & OV_F_NUMBERED)) {
		n->label = NULL; /* an informal one's label attribute: nothing to show it in */
		return;
	}
	if (ov_node_child(n, OV_TITLE) == NULL)
		ov_warn(rv->d, n->loc, "<%s> without a title (use the informal form for an untitled one)", n->tag);
	if (n->type == OV_TABLE)
		counter = &rv->tables[per_chapter];
	else if (g_strcmp0(n->tag, "example") == 0)
		counter = &rv->examples[per_chapter];
	else if (g_strcmp0(n->tag, "equation") == 0)
		counter = &rv->equations[per_chapter];
	else
		counter = &rv->figures[per_chapter];
	n->number = ++*counter;
	if (!(n->flags & OV_F_LABELLED))
		n->label = per_chapter ? ov_printf(rv->doc, "%s.%d", prefix, n->number)
			       : ov_printf(rv->doc, "%d", n->number);
}

static void
number_list(Resolver *rv, OvNode *list)
{
	int depth = MIN(ov_list_depth(list), (int)G_N_ELEMENTS(rv->list_last) - 1);
	int n = list->u.list.continuation ? rv->list_last[depth] + 1 : list->u.list.start;
	/* inheritnum="inherit": the item's number after its list's item's, "3.a" */
	const char *outer = ov_list_inherits(list) ? list->parent->label : NULL;
	for (OvNode *it = list->first; it; it = it->next) {
		char *s;
		if (it->type != OV_LISTITEM)
			continue;
		if (it->u.item.override >= 0)
			n = it->u.item.override;
		it->number = n;
		s = ov_format_number(n, list->u.list.numeration);
		it->label = outer ? ov_printf(rv->doc, "%s.%s", outer, s) : ov_strdup(rv->doc, s);
		g_free(s);
		n++;
	}
	rv->list_last[depth] = n - 1;
}

static void
add_id(Resolver *rv, OvNode *n)
{
	OvNode *old = g_hash_table_lookup(rv->doc->ids, n->id);
	if (old) {
		ov_error(rv->d, n->loc, "duplicate id \"%s\" (first defined at %s:%u:%u)", n->id,
			 old->loc.file, old->loc.line, old->loc.col);
		return;
	}
	if (!g_utf8_validate(n->id, -1, NULL) || *n->id == '\0' || strpbrk(n->id, " \t\n#"))
		ov_error(rv->d, n->loc, "\"%s\" is not a usable id (no spaces or #)", n->id);
	g_hash_table_insert(rv->doc->ids, (gpointer)n->id, n);
}

/* Is s a number as a table shows one: digits with separators, a sign or a currency before,
 * a per cent sign after ("1,250", "-3.5", "€ 12", "40 %")? */
static gboolean
is_number(const char *s)
{
	gboolean digit = FALSE;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isdigit(c))
			digit = TRUE;
		else if (!(c == '.' || c == ',' || c == '+' || c == '-' || c == 0x2212 || c == '%' || c == '\'' ||
			   g_unichar_isspace(c) || c == 0x00A0 || c == 0x202F || c == 0x2009 ||
			   g_unichar_type(c) == G_UNICODE_CURRENCY_SYMBOL))
			return FALSE;
	}
	return digit;
}

/* A column whose body cells all hold numbers (two at least) is set flush right in both outputs,
 * its head too, unless the source aligns it: the digits stand under each other. */
static void
align_numbers(OvDoc *doc, OvNode *table)
{
	int nc = table->u.table.ncols;
	int *seen, *other;
	GString *t = g_string_new(NULL);

	if (nc <= 0 || table->u.table.colalign == NULL)
		return;
	seen = g_new0(int, nc);
	other = g_new0(int, nc);
	for (const OvNode *g = table->first; g; g = g->next) {
		if (g->type != OV_TBODY)
			continue;
		for (const OvNode *row = g->first; row; row = row->next)
			for (const OvNode *c = row->type == OV_ROW ? row->first : NULL; c; c = c->next) {
				int col = c->u.cell.col;
				if (c->type != OV_CELL || c->u.cell.colspan != 1 || col < 0 || col >= nc || (c->flags & OV_F_HEADER))
					continue;
				g_string_truncate(t, 0);
				ov_node_text(c, t);
				g_strstrip(t->str);
				if (*t->str == '\0')
					continue;
				if (is_number(t->str))
					seen[col]++;
				else
					other[col]++;
			}
	}
	for (int i = 0; i < nc; i++)
		if (seen[i] >= 2 && other[i] == 0 && table->u.table.colalign[i] == NULL)
			table->u.table.colalign[i] = ov_strdup(doc, "right");
	g_free(seen);
	g_free(other);
	g_string_free(t, TRUE);
}

static gboolean
is_biblio_entry(const OvNode *n)
{
	return n->type == OV_PARA && n->tag && (!strcmp(n->tag, "biblioentry") || !strcmp(n->tag, "bibliomixed"));
}

/* The words of n without white space around them or the brackets they stand in (the
 * reader's or the source's: *bracketed, if not NULL, says which). */
static char *
bare_words(const OvNode *n, gboolean *bracketed)
{
	GString *s = g_string_new(NULL);
	char *t;
	gsize len;
	gboolean in = FALSE;
	ov_node_words(n, s);
	t = g_strstrip(g_string_free(s, FALSE));
	len = strlen(t);
	if (len >= 2 && t[0] == '[' && t[len - 1] == ']') {
		memmove(t, t + 1, len - 2);
		t[len - 2] = '\0';
		in = TRUE;
	}
	if (bracketed)
		*bracketed = in;
	return t;
}

/* A bibliography entry a citation may name: by its abbreviation, its id or its xreflabel
 * (the first entry with a name keeps it). Only an entry with an id can be linked to. */
static void
add_cited(Resolver *rv, OvNode *entry)
{
	const OvNode *ab = entry->first && g_strcmp0(entry->first->tag, "abbrev") == 0 ? entry->first : NULL;
	char *names[3] = { ab ? bare_words(ab, NULL) : NULL, g_strdup(entry->id), g_strdup(entry->xreflabel) };
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (entry->id && names[i] && *names[i] && !g_hash_table_contains(rv->cited, names[i]))
			g_hash_table_insert(rv->cited, names[i], entry);
		else
			g_free(names[i]);
	}
}

/* A citation, [Knuth84], in brackets (unless it has them) and a link to the bibliography entry
 * it names, when the book has one. */
static void
cite(Resolver *rv, OvNode *c)
{
	gboolean bracketed;
	char *name = bare_words(c, &bracketed);
	OvNode *entry = g_hash_table_lookup(rv->cited, name);

	if (entry) {
		OvNode *l = ov_node_new(rv->doc, OV_LINK, c->loc);
		l->tag = "link";
		l->u.link.linkend = entry->id;
		while (c->first) {
			OvNode *k = c->first;
			ov_node_unlink(k);
			ov_node_append(l, k);
		}
		ov_node_append(c, l);
		c = l;
	}
	if (*name && !bracketed) {
		OvNode *open = ov_node_new(rv->doc, OV_TEXT, c->loc), *close = ov_node_new(rv->doc, OV_TEXT, c->loc);
		open->text = "[";
		close->text = "]";
		ov_node_prepend(c, open);
		ov_node_append(c, close);
	}
	g_free(name);
}

/* First pass: ids, chapters, numbers, footnotes, index terms, the TOC. */
static void
pass_number(Resolver *rv)
{
	OvDoc *doc = rv->doc;
	OvIter it;
	OvEvent ev;
	OvNode *chapter = NULL;

	rv->sections = g_array_new(FALSE, TRUE, sizeof(int));
	rv->open_sections = g_array_new(FALSE, FALSE, sizeof(OpenSection));
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		if (ev == OV_EV_EXIT) {
			if (n == chapter)
				chapter = NULL;
			rv->in_footnote -= n->type == OV_FOOTNOTE;
			rv->in_part -= n->type == OV_PART;
			if (n->type == OV_SECTION && rv->open_sections->len &&
			    g_array_index(rv->open_sections, OpenSection, rv->open_sections->len - 1).node == n)
				g_array_set_size(rv->open_sections, rv->open_sections->len - 1);
			continue;
		}
		rv->in_part += n->type == OV_PART;
		/* a part's own words (its partintro) count their notes as a chapter does */
		if ((is_top_division(n) || n->type == OV_PART) && chapter == NULL) {
			if (n->type != OV_PART)
				chapter = n;
			if (rv->theme->footnotes == OV_SCOPE_CHAPTER)
				rv->footnotes = 0;
			rv->figures[1] = rv->tables[1] = rv->examples[1] = rv->equations[1] = 0;
		}
		n->chapter = chapter;
		if (n->id)
			add_id(rv, n);
		if (ov_node_is_division(n) && n->type != OV_DOCUMENT) {
			int level = division_level(n);
			number_division(rv, n);
			if (ov_node_child(n, OV_TITLE) == NULL && n->type != OV_INDEX && n->type != OV_DEDICATION &&
			    n->type != OV_COLOPHON && n->type != OV_GLOSSARY)
				ov_warn(rv->d, n->loc, "<%s> without a title", n->tag);
			if (ov_node_child(n, OV_TITLE) == NULL && (n->type == OV_GLOSSARY || n->type == OV_PREFACE) &&
			    ov_default_title(doc, n)) {
				/* an untitled glossary, bibliography or preface: its word is its heading,
				 * "Glossary", in both outputs and the contents (a dedication and a
				 * colophon stand without one) */
				OvNode *t = ov_node_new(doc, OV_TITLE, n->loc), *w = ov_node_new(doc, OV_TEXT, n->loc);
				t->flags |= OV_F_GENERATED;
				w->text = ov_default_title(doc, n);
				ov_node_append(t, w);
				ov_node_prepend(n, t);
			}
			if (level < rv->theme->toc_depth + (rv->in_part ? 1 : 0) &&
			    n->type != OV_DEDICATION && ov_node_child(n, OV_TITLE)) {
				OvTocEntry e = { n, level };
				g_array_append_val(doc->toc, e);
			}
		}
		if (is_biblio_entry(n))
			add_cited(rv, n);
		else if (n->type == OV_PHRASE && g_strcmp0(n->tag, "citation") == 0)
			g_ptr_array_add(rv->citations, n);
		if (n->type == OV_TABLE)
			align_numbers(doc, n);
		switch (n->type) {
		case OV_FIGURE:
		case OV_TABLE:
			number_formal(rv, n);
			break;
		case OV_ORDEREDLIST:
			number_list(rv, n);
			break;
		case OV_FOOTNOTE:
			if (rv->in_footnote++ > 0) {
				ov_error(rv->d, n->loc, "a footnote inside a footnote");
				break;
			}
			if (!(n->flags & OV_F_LABELLED)) { /* a footnote with a label of its own is not counted */
				n->number = ++rv->footnotes;
				n->label = ov_printf(doc, "%d", n->number);
			}
			n->gen = n->label;
			g_ptr_array_add(doc->footnotes, n);
			break;
		case OV_INDEXTERM:
			g_ptr_array_add(doc->indexterms, n);
			break;
		default:
			break;
		}
	}
	g_array_free(rv->sections, TRUE);
	g_array_free(rv->open_sections, TRUE);
}

/* ---- generated text ---- */

/* What the style asks for: DocBook XSL's "select:" keywords. */
typedef struct {
	gboolean label;      /* label: the word and the number, "Chapter 2" */
	gboolean name;       /* labelname: the word alone, "Chapter" */
	gboolean number;     /* labelnumber: the number alone, "2" */
	gboolean title;      /* title, quotedtitle */
	gboolean quoted;     /* quotedtitle: the title in the quotation marks of the xref's language */
	gboolean page;       /* page, pageabbrev: "page 12", "Title on page 12" */
	gboolean pagenumber; /* pagenumber: the page's number alone, "Title 12" */
} Want;

/* The style's keywords, whole words ("title nopage" asks for no page, "labelnumber" for no
 * label); one the style cannot use is told once for the book, at its first xref. */
static Want
parse_xrefstyle(Resolver *rv, const OvNode *x)
{
	static const char *const ignored[] = { "docname", "docnamelong", "nodocname" }; /* no other documents */
	Want w = { 0 };
	const char *style = x->u.link.xrefstyle;
	gboolean nopage = FALSE;
	char **words;

	if (style == NULL)
		return w;
	if (g_str_has_prefix(style, "template:")) {
		if (g_hash_table_add(rv->styles_told, g_strdup("template:")))
			ov_warn(rv->d, x->loc, "xrefstyle templates (\"template:\") are not supported: the default words are shown");
		return w;
	}
	words = g_strsplit_set(g_str_has_prefix(style, "select:") ? style + 7 : style, " \t\r\n", -1);
	for (char **k = words; *k; k++) {
		gboolean known = TRUE;
		if (**k == '\0')
			continue;
		if (!strcmp(*k, "label"))
			w.label = TRUE;
		else if (!strcmp(*k, "labelname"))
			w.name = TRUE;
		else if (!strcmp(*k, "labelnumber"))
			w.number = TRUE;
		else if (!strcmp(*k, "title"))
			w.title = TRUE;
		else if (!strcmp(*k, "quotedtitle"))
			w.title = w.quoted = TRUE;
		else if (!strcmp(*k, "page") || !strcmp(*k, "pageabbrev"))
			w.page = TRUE;
		else if (!strcmp(*k, "pagenumber"))
			w.pagenumber = TRUE;
		else if (!strcmp(*k, "nopage"))
			nopage = TRUE;
		else
			known = FALSE;
		for (gsize i = 0; !known && i < G_N_ELEMENTS(ignored); i++)
			known = !strcmp(*k, ignored[i]);
		if (!known && g_hash_table_add(rv->styles_told, g_strdup(*k)))
			ov_warn(rv->d, x->loc, "xrefstyle \"%s\": \"%s\" is no keyword octavo knows (label, labelname, labelnumber, title, quotedtitle, page, pagenumber, nopage); it is left out",
				style, *k);
	}
	g_strfreev(words);
	if (nopage)
		w.page = w.pagenumber = FALSE;
	return w;
}

/* Does s hold words (not only white space)? */
static gboolean
has_words(const char *s)
{
	for (; s && *s; s = g_utf8_next_char(s))
		if (!g_unichar_isspace(g_utf8_get_char(s)))
			return TRUE;
	return FALSE;
}

/* The words of n's title, or the default title of an untitled glossary, preface …; NULL
 * when it has neither (an empty title is none). */
static const char *
shown_title(Resolver *rv, const OvNode *n)
{
	const char *t = title_words(rv, n);
	return has_words(t) ? t : ov_default_title(rv->doc, n);
}

static const char *
nearest_title(Resolver *rv, const OvNode *n)
{
	for (; n; n = n->parent) {
		const char *t = shown_title(rv, n);
		if (t)
			return t;
	}
	return NULL;
}

/* A variable list entry's term, or a glossary entry's glossterm; NULL if it has none. */
static const OvNode *
glossterm(const OvNode *entry)
{
	if (ov_node_child(entry, OV_TERM))
		return ov_node_child(entry, OV_TERM);
	for (const OvNode *c = entry->first; c; c = c->next) {
		if (c->tag && !strcmp(c->tag, "glossterm"))
			return c;
		if (c->type == OV_PARA && (c->flags & OV_F_IMPLICIT)) /* the reader's wrapping of it */
			for (const OvNode *k = c->first; k; k = k->next)
				if (k->tag && !strcmp(k->tag, "glossterm"))
					return k;
	}
	return NULL;
}

/* The first words of n's text (its blocks' apart, footnotes left out), white space made
 * single spaces: at most about max bytes, cut at a space (inside a longer first word, at a
 * character) with an ellipsis after. Empty when n has no text. */
static GString *
first_words(const OvNode *n, gsize max)
{
	GString *t = g_string_new(NULL), *s = g_string_new(NULL);
	OvIter it;
	OvEvent ev;
	char **words;

	ov_iter_init(&it, (OvNode *)n);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		if (ev != OV_EV_ENTER)
			continue;
		if (it.cur->type == OV_FOOTNOTE)
			ov_iter_skip_children(&it);
		else if (it.cur->type == OV_TEXT)
			g_string_append(t, it.cur->text);
		else if ((it.cur->type == OV_XREF || it.cur->type == OV_LINK) && ov_ref_words(it.cur, TRUE))
			g_string_append(t, ov_ref_words(it.cur, TRUE));
		else if (ov_node_is_block(it.cur)) /* "Red" "Blue" in two items: not "RedBlue" */
			g_string_append_c(t, ' ');
	}
	words = g_strsplit_set(t->str, " \t\r\n", -1);
	for (char **w = words; *w; w++) {
		gsize len = strlen(*w);
		if (len == 0)
			continue;
		if (s->len + (s->len ? 1 : 0) + len > max) {
			if (s->len == 0) /* one long word: as much of it as fits */
				g_string_append_len(s, *w, g_utf8_find_prev_char(*w, *w + max + 1) - *w);
			g_string_append(s, "\xE2\x80\xA6"); /* … */
			break;
		}
		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append_len(s, *w, (gssize)len);
	}
	g_strfreev(words);
	g_string_free(t, TRUE);
	return s;
}

/* s with its runs of white space made single spaces, none at its ends (an element's text or
 * an attribute, as words in a line): a copy, the book's. */
static const char *
one_line(OvDoc *doc, const char *s)
{
	char **w = g_strsplit_set(s, " \t\r\n", -1);
	GString *o = g_string_new(NULL);
	const char *res;
	for (char **p = w; *p; p++)
		if (**p)
			g_string_append_printf(o, o->len ? " %s" : "%s", *p);
	res = ov_strndup(doc, o->str, o->len);
	g_strfreev(w);
	g_string_free(o, TRUE);
	return res;
}

/* The words an xref to target shows for its style (without a page part). */
static const char *xref_words_in(Resolver *rv, OvNode *x, OvNode *target, Want w);

static const char *
xref_words(Resolver *rv, OvNode *x, OvNode *target, Want w)
{
	int quotes = rv->quotes;
	const char *res;
	/* the quotations it stands in (their marks alternate; a title in marks of its own one
	 * deeper), counted up to a depth where nothing can tell */
	rv->quotes = w.quoted;
	for (const OvNode *q = x->parent; q && rv->quotes < 256; q = q->parent)
		rv->quotes += q->type == OV_QUOTE;
	res = xref_words_in(rv, x, target, w);
	rv->quotes = quotes;
	return res;
}

static const char *
xref_words_in(Resolver *rv, OvNode *x, OvNode *target, Want w)
{
	OvDoc *doc = rv->doc;
	const char *title, *word = ov_gentext_type(doc, target);
	gboolean numbered, formal, named, show_title;
	GString *s;
	const char *res;

	if (x->u.link.endterm) {
		OvNode *e = g_hash_table_lookup(doc->ids, x->u.link.endterm);
		if (e != NULL)
			return one_line(doc, node_words(rv, e->type == OV_TITLE || !ov_node_child(e, OV_TITLE) ? e : ov_node_child(e, OV_TITLE)));
		ov_error(rv->d, x->loc, "endterm \"%s\" names no element", x->u.link.endterm);
	}
	if (target->xreflabel)
		return one_line(doc, target->xreflabel);
	if (target->type == OV_FOOTNOTE)
		return target->label;
	if (target->type == OV_LISTITEM && target->label && g_strcmp0(target->tag, "step") == 0) {
		/* "step 3"; a substep after the steps it is in, "step 3.b" */
		GString *l = g_string_new(target->label);
		for (const OvNode *p = target->parent; p && g_strcmp0(p->tag, "procedure") != 0; p = p->parent)
			if (p->type == OV_LISTITEM && p->label && g_strcmp0(p->tag, "step") == 0) {
				g_string_prepend_c(l, '.');
				g_string_prepend(l, p->label);
			}
		res = ov_printf(doc, "%s\u00A0%s", ov_gentext(doc, OV_GT_STEP), l->str);
		g_string_free(l, TRUE);
		return res;
	}
	if (target->type == OV_LISTITEM && target->label)
		return target->label;
	if (is_biblio_entry(target)) {
		/* a bibliography entry is cited by its abbreviation (in brackets: the reader
		 * put them there), else its id: [Knuth84] */
		const OvNode *ab = target->first && target->first->tag && !strcmp(target->first->tag, "abbrev") ? target->first : NULL;
		const char *cite = node_words(rv, ab);
		return cite && *cite ? cite : ov_printf(doc, "[%s]", target->id); /* none, or an empty one: the id */
	}
	if (target->type == OV_VARLISTENTRY && glossterm(target))
		return node_words(rv, glossterm(target));
	if (target->type == OV_BRIDGEHEAD || target->type == OV_TITLE ||
	    /* a question (its label and words), a callout's mark, a callout (its mark) */
	    (target->type == OV_PARA && g_strcmp0(target->tag, "question") == 0) ||
	    (target->type == OV_PHRASE && g_strcmp0(target->tag, "co") == 0) ||
	    (target->type == OV_VARLISTENTRY && g_strcmp0(target->tag, "callout") == 0 && target->first)) {
		GString *t = g_string_new(NULL);
		words_of(rv, target->type == OV_VARLISTENTRY ? target->first : target, t);
		/* a question that starts with a list has a paragraph of its label alone: the
		 * list's first words follow it (not the answer's, which starts a paragraph of
		 * its own: an empty question shows its label) */
		if (target->type == OV_PARA && target->first && target->first == target->last &&
		    g_strcmp0(target->first->tag, "label") == 0 && target->next &&
		    !(target->next->type == OV_PARA && (g_strcmp0(target->next->tag, "answer") == 0 ||
							g_strcmp0(target->next->tag, "question") == 0))) {
			GString *lead = first_words(ready(rv, target->next), 60);
			if (lead->len)
				g_string_append_printf(t, " %s", lead->str);
			g_string_free(lead, TRUE);
		}
		res = has_words(t->str) ? ov_strndup(doc, t->str, t->len) : NULL;
		g_string_free(t, TRUE);
		if (res) /* no words at all (an empty, unlabelled question): as an untitled target */
			return res;
	}
	numbered = target->label && word && (ov_node_is_division(target) || (target->flags & OV_F_NUMBERED));
	formal = !ov_node_is_division(target);
	named = w.label || w.name || w.number;
	/* the title's words (and the xrefs in them, made first) only when they are shown: two
	 * chapters whose titles name each other by label make no loop; a figure shows its label */
	show_title = !numbered || w.title || (!named && !formal);
	title = show_title ? shown_title(rv, target) : NULL;
	if (show_title && title == NULL && numbered) {
		show_title = FALSE; /* no words: the label alone, "Chapter 2" */
	} else if (show_title && title == NULL) {
		title = nearest_title(rv, target->parent);
		if (!w.page || w.title)
			ov_warn(rv->d, x->loc, "the target \"%s\" (<%s>) has no title to show: give it an xreflabel, or the xref an endterm or content%s%s",
				target->id, target->tag ? target->tag : ov_type_name(target->type),
				title ? "; the enclosing title is used" : "", "");
		if (title == NULL)
			title = target->id;
	}
	s = g_string_new(NULL);
	if (numbered && (named || !show_title || !w.title)) {
		if (w.name && !w.number && !w.label)
			g_string_append(s, word);
		else if (w.number && !w.name && !w.label)
			g_string_append(s, target->label);
		else
			g_string_append_printf(s, "%s\u00A0%s", word, target->label); /* "Table 1" never split */
	}
	if (show_title) {
		const char *open = "", *close = "";
		if (w.quoted) {
			int depth = 0;
			for (const OvNode *q = x->parent; q; q = q->parent)
				depth += q->type == OV_QUOTE;
			ov_gentext_quotes(ov_node_lang(x) ? ov_node_lang(x) : doc->meta.lang, depth, &open, &close);
		}
		g_string_append_printf(s, "%s%s%s%s", s->len ? ", " : "", open, title, close);
	}
	res = ov_strndup(doc, s->str, s->len);
	g_string_free(s, TRUE);
	return res;
}

/* The page label an xref shows before the book is typeset. */
#define PAGE_UNKNOWN "?"

/* The text an xref to target shows: its words, and with a page style "page 12" ("select:
 * page") or "Title on page 12" ("select: title page"); the page number comes once the PDF is
 * typeset (ov_resolve_pages). */
static const char *
xref_text(Resolver *rv, OvNode *x, OvNode *target)
{
	Want w = parse_xrefstyle(rv, x);
	const char *words;

	if (!w.page && !w.pagenumber)
		return xref_words(rv, x, target, w);
	words = w.label || w.name || w.number || w.title || x->u.link.endterm ? xref_words(rv, x, target, w) : "";
	x->flags |= OV_F_NEED_PAGE;
	/* no line break between "page" and its number, nor before a number alone */
	if (w.page)
		x->u.link.gen_base = *words ? ov_printf(rv->doc, "%s %s\u00A0", words, ov_gentext(rv->doc, OV_GT_ON_PAGE))
					    : ov_printf(rv->doc, "%s\u00A0", ov_gentext(rv->doc, OV_GT_PAGE));
	else
		x->u.link.gen_base = *words ? ov_printf(rv->doc, "%s\u00A0", words) : "";
	/* without pages: the words, or the default words of a style that asks for the page alone
	 * (page TRUE: their lack of a title was not asked for, so it is not reported) */
	x->u.link.gen_words = *words ? words : xref_words(rv, x, target, (Want){ .page = TRUE });
	return ov_printf(rv->doc, "%s%s", x->u.link.gen_base, PAGE_UNKNOWN);
}

static void
resolve_xref(Resolver *rv, OvNode *x)
{
	OvNode *t;
	if (x->u.link.linkend == NULL) {
		ov_error(rv->d, x->loc, "xref without linkend");
		return;
	}
	t = g_hash_table_lookup(rv->doc->ids, x->u.link.linkend);
	if (t == NULL) {
		ov_error(rv->d, x->loc, "xref to \"%s\": no element has this id", x->u.link.linkend);
		return;
	}
	/* only the target's own title is a loop: a section's title may name its chapter */
	if (rv->in_title && ov_node_inside(x, t->type == OV_TITLE ? t : ov_node_child(t, OV_TITLE))) {
		ov_error(rv->d, x->loc, "xref to \"%s\" inside that element's own title", x->u.link.linkend);
		return;
	}
	x->target = t;
	x->gen = xref_text(rv, x, t);
}

static void
resolve_link(Resolver *rv, OvNode *l)
{
	const char *href = l->u.link.href;

	if (g_strcmp0(l->tag, "email") == 0 && href == NULL) {
		GString *s = g_string_new("mailto:");
		ov_node_text(l, s);
		l->u.link.href = ov_strndup(rv->doc, s->str, s->len);
		g_string_free(s, TRUE);
		return;
	}
	if (g_strcmp0(l->tag, "uri") == 0 && href == NULL) {
		GString *s = g_string_new(NULL);
		ov_node_text(l, s);
		l->u.link.href = ov_strndup(rv->doc, s->str, s->len);
		g_string_free(s, TRUE);
		return;
	}
	if (l->u.link.linkend) {
		OvNode *t = g_hash_table_lookup(rv->doc->ids, l->u.link.linkend);
		if (t == NULL) {
			ov_error(rv->d, l->loc, "link to \"%s\": no element has this id", l->u.link.linkend);
			return;
		}
		l->target = t;
	} else if (href && href[0] == '#') {
		OvNode *t = g_hash_table_lookup(rv->doc->ids, href + 1);
		if (t == NULL) {
			ov_warn(rv->d, l->loc, "link to \"%s\": no element has this id; the link is dropped, its text kept", href);
			l->type = OV_PHRASE;
			l->u.em.style = 0;
			return;
		}
		l->target = t;
		l->u.link.linkend = href + 1;
		l->u.link.href = NULL;
	} else if (href) {
		l->flags |= OV_F_EXTERNAL;
	} else {
		ov_warn(rv->d, l->loc, "<%s> without a target (xlink:href or linkend): shown as text", l->tag);
		l->type = OV_PHRASE;
		l->u.em.style = 0;
		return;
	}
	if (l->first == NULL)
		l->gen = l->target ? xref_text(rv, l, l->target) : l->u.link.href;
}

/* An xref or a link, once: its words may have been made already, as part of another's. The
 * refs table keeps how deeply its words nest other xrefs' words. */
static void
resolve_ref(Resolver *rv, OvNode *n)
{
	gpointer state;
	int nest_was = rv->words_nest, nest;
	gboolean cut_was = rv->words_cut;
	const char *kind = n->type == OV_XREF ? "xref" : "link", *id = n->u.link.linkend ? n->u.link.linkend : "";

	if (g_hash_table_lookup_extended(rv->refs, n, NULL, &state)) {
		if (GPOINTER_TO_INT(state) != REF_BUSY)
			return;
		/* its words take in another's that take in its own */
		ov_error(rv->d, n->loc, "%s to \"%s\": its text would hold itself (the target's words lead back to this %s)", kind, id, kind);
		g_hash_table_insert(rv->refs, n, GINT_TO_POINTER(0));
		return;
	}
	g_hash_table_insert(rv->refs, n, GINT_TO_POINTER(REF_BUSY));
	rv->words_nest = 0;
	rv->words_cut = FALSE;
	if (n->type == OV_XREF)
		resolve_xref(rv, n);
	else
		resolve_link(rv, n);
	nest = rv->words_nest;
	/* too deep: told at the first xref of the chain whose words would go deeper (the chain
	 * is broken there, its words left out: the build fails) */
	if (nest > WORDS_DEPTH || (rv->words_cut && rv->words_depth == 0)) {
		ov_error(rv->d, n->loc, "%s to \"%s\": its words would take in xrefs in titles nested more than %d deep", kind, id, WORDS_DEPTH);
		n->gen = "";
		nest = 0;
	}
	g_hash_table_insert(rv->refs, n, GINT_TO_POINTER(nest));
	rv->words_nest = nest_was;
	rv->words_cut = cut_was || (rv->words_cut && rv->words_depth > 0);
}

static void
resolve_footnoteref(Resolver *rv, OvNode *r)
{
	OvNode *t = r->u.link.linkend ? g_hash_table_lookup(rv->doc->ids, r->u.link.linkend) : NULL;
	if (t == NULL || t->type != OV_FOOTNOTE) {
		ov_error(rv->d, r->loc, "footnoteref to \"%s\": %s", r->u.link.linkend ? r->u.link.linkend : "",
			 t ? "that element is not a footnote" : "no footnote has this id");
		return;
	}
	r->target = t;
	r->gen = t->label;
}

static void
resolve_indexterm(Resolver *rv, OvNode *n)
{
	OvNode *s;
	if (n->u.idx.range != OV_RANGE_END)
		return;
	if (n->u.idx.startref == NULL) {
		ov_error(rv->d, n->loc, "indexterm class=\"endofrange\" without startref");
		return;
	}
	s = g_hash_table_lookup(rv->doc->ids, n->u.idx.startref);
	if (s == NULL || s->type != OV_INDEXTERM || s->u.idx.range != OV_RANGE_START) {
		ov_error(rv->d, n->loc, "startref \"%s\" names no indexterm class=\"startofrange\"", n->u.idx.startref);
		return;
	}
	n->target = s;
}

/* Second pass: everything that points at something. */
static void
pass_links(Resolver *rv)
{
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, rv->doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		if (n->type == OV_TITLE && (ev == OV_EV_ENTER ? rv->in_title == NULL : rv->in_title == n))
			rv->in_title = ev == OV_EV_ENTER ? n : NULL;
		if (ev != OV_EV_ENTER)
			continue;
		switch (n->type) {
		case OV_XREF:
		case OV_LINK:
			resolve_ref(rv, n);
			break;
		case OV_FOOTNOTEREF:
			resolve_footnoteref(rv, n);
			break;
		case OV_INDEXTERM:
			resolve_indexterm(rv, n);
			break;
		default:
			break;
		}
	}
}

/* A name of the form wish not yet taken (wish, then wish-2, wish-3 ...), in the document. */
static const char *
take_name(OvDoc *doc, GHashTable *taken, char *wish)
{
	char *name = ov_free_name(taken, wish);
	const char *kept = ov_strdup(doc, name);
	g_free(name);
	g_hash_table_add(taken, (gpointer)kept);
	return kept;
}

/* Names for the places of the nodes that need one and lack an id both outputs can use (see
 * ov_node_anchor): made here, once, after the index's entries, so that the EPUB's ids and the PDF's destinations are one
 * set. "ov-N" in document order; footnotes "fn-N" in their order. None meets an id of the
 * book's. */
static void
name_places(OvDoc *doc)
{
	GHashTable *need = g_hash_table_new(NULL, NULL);
	GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter hi;
	gpointer key;
	OvIter it;
	OvEvent ev;
	int serial = 0;

	g_hash_table_iter_init(&hi, doc->ids);
	while (g_hash_table_iter_next(&hi, &key, NULL))
		g_hash_table_add(taken, key);
	for (guint i = 0; i < doc->toc->len; i++)
		g_hash_table_add(need, g_array_index(doc->toc, OvTocEntry, i).node);
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->target &&
		    (it.cur->type == OV_XREF || it.cur->type == OV_LINK || it.cur->type == OV_FOOTNOTEREF))
			g_hash_table_add(need, it.cur->target);
	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *n = it.cur;
		if (ev != OV_EV_ENTER || n == doc->root || n->type == OV_FOOTNOTE || (n->id && ov_is_ncname(n->id)))
			continue;
		/* a division may become a link target later: a locator of a book without pages */
		if (n->id || n->type == OV_INDEXTERM || n->type == OV_ANCHOR || ov_node_is_division(n) ||
		    g_hash_table_contains(need, n))
			g_hash_table_insert(doc->anchors, n,
					    (gpointer)take_name(doc, taken, g_strdup_printf("ov-%d", ++serial)));
	}
	for (guint i = 0; i < doc->footnotes->len; i++) {
		OvNode *fn = g_ptr_array_index(doc->footnotes, i);
		if (!(fn->id && ov_is_ncname(fn->id)))
			g_hash_table_insert(doc->anchors, fn, (gpointer)take_name(doc, taken, g_strdup_printf("fn-%u", i + 1)));
	}
	g_hash_table_destroy(taken);
	g_hash_table_destroy(need);
}

void
ov_resolve(OvDoc *doc, const OvTheme *theme, OvDiags *d)
{
	Resolver rv = { 0 };
	OvNode *title;

	rv.doc = doc;
	rv.theme = theme;
	rv.d = d;
	ov_index_prepare(doc, theme->index, d);
	rv.cited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	rv.citations = g_ptr_array_new();
	pass_number(&rv);
	for (guint i = 0; i < rv.citations->len; i++)
		cite(&rv, g_ptr_array_index(rv.citations, i));
	g_hash_table_destroy(rv.cited);
	g_ptr_array_free(rv.citations, TRUE);
	rv.refs = g_hash_table_new(NULL, NULL);
	rv.words_long = g_hash_table_new(NULL, NULL);
	rv.styles_told = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	pass_links(&rv);
	g_hash_table_destroy(rv.refs);
	g_hash_table_destroy(rv.words_long);
	g_hash_table_destroy(rv.styles_told);
	ov_index_build(doc, d);
	name_places(doc);
	title = ov_node_child(doc->root, OV_TITLE);
	if (title)
		doc->meta.title = node_title_text(doc, doc->root);
	if (title && doc->meta.title[strspn(doc->meta.title, " \t\n\r")] == '\0') {
		/* nothing to name the book by: the package and the pages need a title */
		char *base = g_path_get_basename(doc->path);
		ov_warn(d, title->loc, "the %s's title is empty; \"%s\" is used", doc->root->tag, base);
		doc->meta.title = ov_strdup(doc, base);
		g_free(base);
	}
	if (title) {
		if (ov_node_child(doc->root, OV_SUBTITLE)) {
			GString *s = g_string_new(NULL);
			ov_node_text(ov_node_child(doc->root, OV_SUBTITLE), s);
			doc->meta.subtitle = ov_strndup(doc, s->str, s->len);
			g_string_free(s, TRUE);
		}
	} else {
		char *base = g_path_get_basename(doc->path);
		ov_warn(d, doc->root->loc, "the %s has no title; \"%s\" is used", doc->root->tag, base);
		doc->meta.title = ov_strdup(doc, base);
		g_free(base);
	}
}

gboolean
ov_resolve_has_pages(const OvDoc *doc)
{
	return doc->index_data || ov_resolve_has_page_refs(doc);
}

gboolean
ov_resolve_has_page_refs(const OvDoc *doc)
{
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		if (ev == OV_EV_ENTER && it.cur->flags & OV_F_NEED_PAGE)
			return TRUE;
	return FALSE;
}

void
ov_resolve_pageless(OvDoc *doc, gboolean pageless)
{
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *x = it.cur;
		if (ev != OV_EV_ENTER || !(x->flags & OV_F_NEED_PAGE) || x->target == NULL || x->u.link.gen_base == NULL)
			continue;
		x->page = NULL;
		x->gen = pageless ? x->u.link.gen_words : ov_printf(doc, "%s%s", x->u.link.gen_base, PAGE_UNKNOWN);
	}
	ov_index_pageless(doc, pageless);
}

gboolean
ov_resolve_pages(OvDoc *doc, const OvPageMap *pm, gboolean commit, OvDiags *d)
{
	gboolean changed = FALSE;
	OvIter it;
	OvEvent ev;

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		OvNode *x = it.cur;
		const OvPage *pg;
		const char *label;
		if (ev != OV_EV_ENTER || !(x->flags & OV_F_NEED_PAGE) || x->target == NULL || x->u.link.gen_base == NULL)
			continue;
		pg = ov_pagemap_page(pm, ov_pagemap_page_of(pm, x->target, FALSE));
		if (pg == NULL) {
			ov_warn(d, x->loc, "xref to \"%s\": its target is on no page of the PDF, so no page number is shown",
				x->u.link.linkend ? x->u.link.linkend : "");
			label = PAGE_UNKNOWN;
		} else {
			label = pg->label;
		}
		{
			char *gen = g_strconcat(x->u.link.gen_base, label, NULL);
			if (g_strcmp0(gen, x->gen) != 0) {
				changed = TRUE;
				if (commit) {
					x->page = pg ? ov_strdup(doc, label) : NULL;
					x->gen = ov_strdup(doc, gen);
				}
			}
			g_free(gen);
		}
	}
	if (ov_index_locate(doc, pm, commit))
		changed = TRUE;
	return changed;
}
