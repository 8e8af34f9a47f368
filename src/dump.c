/* dump.c: print the resolved model. One line a node; children indented by two spaces. */
#include <string.h>
#include "dump.h"

/* Levels written as indentation; a deeper line starts with its level as "[N] " after the
 * indentation of DUMP_INDENT_LEVELS, so a book nested 20,000 deep dumps in linear size. */
#define DUMP_INDENT_LEVELS 40

static void
quoted(GString *s, const char *t)
{
	g_string_append_c(s, '"');
	for (; t && *t; t++) {
		switch (*t) {
		case '"': g_string_append(s, "\\\""); break;
		case '\\': g_string_append(s, "\\\\"); break;
		case '\n': g_string_append(s, "\\n"); break;
		case '\t': g_string_append(s, "\\t"); break;
		default:
			if ((unsigned char)*t < 0x20)
				g_string_append_printf(s, "\\x%02x", (unsigned char)*t);
			else
				g_string_append_c(s, *t);
		}
	}
	g_string_append_c(s, '"');
}

static void
kv(GString *s, const char *key, const char *val)
{
	if (val == NULL)
		return;
	g_string_append_printf(s, " %s=", key);
	quoted(s, val);
}

static const char *const adm_names[] = { "note", "tip", "warning", "important", "caution" };
static const char *const verb_names[] = { "program", "screen", "literal", "literal-mono" };
static const char *const num_names[] = { "arabic", "loweralpha", "upperalpha", "lowerroman", "upperroman" };

static void
style_flags(GString *s, int st)
{
	static const char *const names[] = { "italic", "bold", "mono", "strike", "underline", "smallcaps", "sub", "super" };
	gboolean first = TRUE;
	if (st == 0)
		return;
	g_string_append(s, " style=");
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (st & (1 << i)) {
			g_string_append_printf(s, "%s%s", first ? "" : "+", names[i]);
			first = FALSE;
		}
}

static void
payload(GString *s, const OvNode *n)
{
	switch (n->type) {
	case OV_ORDEREDLIST:
		g_string_append_printf(s, " numeration=%s start=%d%s%s", num_names[n->u.list.numeration], n->u.list.start,
				       n->u.list.continuation ? " continues" : "", n->u.list.inherit ? " inherit" : "");
		break;
	case OV_ITEMIZEDLIST:
		kv(s, "mark", n->u.list.mark);
		break;
	case OV_ADMONITION:
		g_string_append_printf(s, " kind=%s", adm_names[n->u.adm.kind]);
		break;
	case OV_VERBATIM:
		g_string_append_printf(s, " kind=%s", verb_names[n->u.verb.kind]);
		kv(s, "language", n->u.verb.language);
		break;
	case OV_EMPHASIS: case OV_CODE: case OV_PHRASE:
		style_flags(s, n->u.em.style);
		break;
	case OV_IMAGE:
		kv(s, "fileref", n->u.img.fileref);
		kv(s, "format", n->u.img.format);
		kv(s, "width", n->u.img.width);
		kv(s, "depth", n->u.img.depth);
		kv(s, "contentwidth", n->u.img.contentwidth);
		kv(s, "scale", n->u.img.scale);
		kv(s, "alt", n->u.img.alt);
		break;
	case OV_TABLE:
		g_string_append_printf(s, " cols=%d", n->u.table.ncols);
		for (int i = 0; i < n->u.table.ncols; i++)
			if (n->u.table.colwidth[i] != 0 || n->u.table.colalign[i])
				g_string_append_printf(s, " col%d=%g%s%s", i + 1, n->u.table.colwidth[i],
						       n->u.table.colalign[i] ? ":" : "", n->u.table.colalign[i] ? n->u.table.colalign[i] : "");
		break;
	case OV_CELL:
		g_string_append_printf(s, " col=%d", n->u.cell.col + 1);
		if (n->u.cell.colspan > 1)
			g_string_append_printf(s, " colspan=%d", n->u.cell.colspan);
		if (n->u.cell.rowspan > 1)
			g_string_append_printf(s, " rowspan=%d", n->u.cell.rowspan);
		kv(s, "align", n->u.cell.align);
		break;
	case OV_LINK: case OV_XREF: case OV_FOOTNOTEREF:
		kv(s, "href", n->u.link.href);
		kv(s, "xrefstyle", n->u.link.xrefstyle);
		break;
	case OV_INDEXTERM:
		kv(s, "primary", n->u.idx.primary);
		kv(s, "secondary", n->u.idx.secondary);
		kv(s, "tertiary", n->u.idx.tertiary);
		kv(s, "see", n->u.idx.see);
		for (const char **a = n->u.idx.seealso; a && *a; a++)
			kv(s, "seealso", *a);
		kv(s, "sortas", n->u.idx.sortas);
		if (n->u.idx.range == OV_RANGE_START)
			g_string_append(s, " range=start");
		else if (n->u.idx.range == OV_RANGE_END)
			g_string_append(s, " range=end");
		break;
	case OV_BRIDGEHEAD:
		kv(s, "renderas", n->u.div.renderas);
		break;
	case OV_INDEXENTRY:
		g_string_append_printf(s, " level=%d", n->u.entry.level);
		break;
	default:
		break;
	}
}

static void
node_line(GString *s, const OvNode *n)
{
	g_string_append(s, ov_type_name(n->type));
	if (n->tag && strcmp(n->tag, ov_type_name(n->type)))
		g_string_append_printf(s, "<%s>", n->tag);
	if (n->id)
		g_string_append_printf(s, " #%s", n->id);
	if (n->type == OV_TEXT) {
		g_string_append_c(s, ' ');
		quoted(s, n->text);
		return;
	}
	if (n->label)
		g_string_append_printf(s, " label=%s", n->label);
	else if (n->number)
		g_string_append_printf(s, " number=%d", n->number);
	kv(s, "lang", n->lang);
	kv(s, "role", n->role);
	kv(s, "xreflabel", n->xreflabel);
	if (n->flags & OV_F_IMPLICIT)
		g_string_append(s, " implicit");
	if (n->flags & OV_F_CONTINUED)
		g_string_append(s, " continued");
	if (n->flags & OV_F_HEADER)
		g_string_append(s, " header");
	if (n->flags & OV_F_UNKNOWN)
		g_string_append(s, " unknown");
	if (n->flags & OV_F_COMPACT)
		g_string_append(s, " compact");
	if (n->flags & OV_F_PREFERRED)
		g_string_append(s, " preferred");
	if (n->flags & OV_F_EXTERNAL)
		g_string_append(s, " external");
	if (n->flags & OV_F_NEED_PAGE)
		g_string_append(s, " page");
	payload(s, n);
	if (n->target)
		g_string_append_printf(s, " -> %s%s", n->target->id ? "#" : "", n->target->id ? n->target->id : ov_type_name(n->target->type));
	kv(s, "gen", n->gen);
	if (n->loc.file)
		g_string_append_printf(s, " @%s:%u:%u", n->loc.file, n->loc.line, n->loc.col);
}

void
ov_dump(const OvDoc *doc, FILE *out)
{
	const OvMeta *m = &doc->meta;
	GString *s = g_string_new(NULL);
	OvIter it;
	OvEvent ev;
	int depth = 0;

	kv(s, "title", m->title);
	kv(s, "subtitle", m->subtitle);
	for (guint i = 0; i < m->people->len; i++) {
		static const char *const key[] = { "author", "editor", "translator", "illustrator", "credit" };
		const OvPerson *p = &g_array_index(m->people, OvPerson, i);
		kv(s, key[p->credit], p->name);
		kv(s, "contrib", p->contrib);
		kv(s, "affiliation", p->affiliation);
		kv(s, "email", p->email);
		kv(s, "address", p->address);
	}
	kv(s, "orgname", m->orgname);
	kv(s, "publisher", m->publisher);
	kv(s, "date", m->date);
	kv(s, "pubdate", m->pubdate);
	kv(s, "copyright", m->copyright);
	kv(s, "releaseinfo", m->releaseinfo);
	kv(s, "edition", m->edition);
	kv(s, "isbn", m->isbn);
	for (guint i = 0; i < m->revisions->len; i++) {
		const OvRevision *r = &g_array_index(m->revisions, OvRevision, i);
		kv(s, "revision", r->number ? r->number : "");
		kv(s, "date", r->date);
		kv(s, "by", r->author);
		kv(s, "remark", r->remark);
	}
	for (guint i = 0; i < m->printhistory->len; i++)
		kv(s, "printhistory", g_ptr_array_index(m->printhistory, i));
	for (guint i = 0; i < m->keywords->len; i++)
		kv(s, "keyword", g_ptr_array_index(m->keywords, i));
	kv(s, "lang", m->lang);
	fprintf(out, "meta%s\n", s->str);
	g_string_truncate(s, 0);

	ov_iter_init(&it, doc->root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		if (ev == OV_EV_EXIT) {
			depth--;
			continue;
		}
		g_string_truncate(s, 0);
		for (int i = 0; i < MIN(depth, DUMP_INDENT_LEVELS); i++)
			g_string_append(s, "  ");
		if (depth > DUMP_INDENT_LEVELS)
			g_string_append_printf(s, "[%d] ", depth);
		node_line(s, it.cur);
		fprintf(out, "%s\n", s->str);
		depth++;
	}
	fprintf(out, "toc\n");
	for (guint i = 0; i < doc->toc->len; i++) {
		const OvTocEntry *e = &g_array_index(doc->toc, OvTocEntry, i);
		GString *t = g_string_new(NULL);
		OvNode *title = ov_node_child(e->node, OV_TITLE);
		if (title)
			ov_node_text(title, t);
		g_string_truncate(s, 0);
		for (int j = 0; j <= e->level; j++)
			g_string_append(s, "  ");
		g_string_append_printf(s, "%s%s%s ", e->node->type == OV_SECTION ? "section" : e->node->tag,
				       e->node->label ? " " : "", e->node->label ? e->node->label : "");
		quoted(s, t->str);
		if (e->node->id)
			g_string_append_printf(s, " #%s", e->node->id);
		fprintf(out, "%s\n", s->str);
		g_string_free(t, TRUE);
	}
	fprintf(out, "footnotes %u\nindexterms %u\n", doc->footnotes->len, doc->indexterms->len);
	g_string_free(s, TRUE);
}
