/* Unit tests: the node tree, the iterator, number formatting, text extraction, diagnostics. */
#include <string.h>
#include "model.h"
#include "resolve.h"

static OvNode *
mk(OvDoc *doc, OvType t, const char *text)
{
	OvNode *n = ov_node_new(doc, t, ov_loc("x.xml", 1, 1));
	if (text)
		n->text = ov_strdup(doc, text);
	return n;
}

static void
test_links(void)
{
	OvDoc *doc = ov_doc_new("x.xml");
	OvNode *p = mk(doc, OV_PARA, NULL), *a = mk(doc, OV_TEXT, "a"), *b = mk(doc, OV_TEXT, "b"), *c = mk(doc, OV_TEXT, "c");
	ov_node_append(p, a);
	ov_node_append(p, c);
	ov_node_insert_after(a, b);
	g_assert_true(p->first == a && a->next == b && b->next == c && p->last == c && c->prev == b);
	ov_node_unlink(b);
	g_assert_true(a->next == c && c->prev == a && b->parent == NULL);
	ov_node_unlink(c);
	g_assert_true(p->last == a && a->next == NULL);
	ov_node_prepend(p, c);
	g_assert_true(p->first == c && c->next == a);
	ov_doc_free(doc);
}

static void
test_iter_order(void)
{
	OvDoc *doc = ov_doc_new("x.xml");
	OvNode *root = mk(doc, OV_CHAPTER, NULL), *p = mk(doc, OV_PARA, NULL), *e = mk(doc, OV_EMPHASIS, NULL);
	GString *trace = g_string_new(NULL);
	OvIter it;
	OvEvent ev;

	ov_node_append(root, p);
	ov_node_append(p, mk(doc, OV_TEXT, "x"));
	ov_node_append(p, e);
	ov_node_append(e, mk(doc, OV_TEXT, "y"));
	ov_node_append(root, mk(doc, OV_PARA, NULL));
	ov_iter_init(&it, root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		g_string_append_printf(trace, "%s%s ", ev == OV_EV_ENTER ? "+" : "-", ov_type_name(it.cur->type));
	g_assert_cmpstr(trace->str, ==, "+chapter +para +text -text +emphasis +text -text -emphasis -para +para -para -chapter ");
	g_string_free(trace, TRUE);
	ov_doc_free(doc);
}

static void
test_iter_skip(void)
{
	OvDoc *doc = ov_doc_new("x.xml");
	OvNode *p = mk(doc, OV_PARA, NULL), *f = mk(doc, OV_FOOTNOTE, NULL);
	int texts = 0;
	OvIter it;
	OvEvent ev;

	ov_node_append(p, f);
	ov_node_append(f, mk(doc, OV_TEXT, "inside"));
	ov_node_append(p, mk(doc, OV_TEXT, "after"));
	ov_iter_init(&it, p);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE) {
		if (ev == OV_EV_ENTER && it.cur->type == OV_FOOTNOTE)
			ov_iter_skip_children(&it);
		if (ev == OV_EV_ENTER && it.cur->type == OV_TEXT) {
			texts++;
			g_assert_cmpstr(it.cur->text, ==, "after");
		}
	}
	g_assert_cmpint(texts, ==, 1);
	ov_doc_free(doc);
}

/* 200,000 levels: the iterator must not recurse. */
static void
test_iter_deep(void)
{
	OvDoc *doc = ov_doc_new("x.xml");
	OvNode *root = mk(doc, OV_BLOCKQUOTE, NULL), *cur = root;
	int enters = 0, exits = 0;
	OvIter it;
	OvEvent ev;

	for (int i = 0; i < 200000; i++) {
		OvNode *n = mk(doc, OV_BLOCKQUOTE, NULL);
		ov_node_append(cur, n);
		cur = n;
	}
	ov_iter_init(&it, root);
	while ((ev = ov_iter_next(&it)) != OV_EV_NONE)
		ev == OV_EV_ENTER ? enters++ : exits++;
	g_assert_cmpint(enters, ==, 200001);
	g_assert_cmpint(exits, ==, 200001);
	ov_doc_free(doc);
}

static void
test_numbers(void)
{
	struct { int n; OvNumeration num; const char *want; } cases[] = {
		{ 3, OV_NUM_ARABIC, "3" }, { 3, OV_NUM_LOWERALPHA, "c" }, { 28, OV_NUM_UPPERALPHA, "AB" },
		{ 1994, OV_NUM_UPPERROMAN, "MCMXCIV" }, { 4, OV_NUM_LOWERROMAN, "iv" }, { 0, OV_NUM_LOWERROMAN, "0" },
		{ 26, OV_NUM_LOWERALPHA, "z" }, { 27, OV_NUM_LOWERALPHA, "aa" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = ov_format_number(cases[i].n, cases[i].num);
		g_assert_cmpstr(s, ==, cases[i].want);
		g_free(s);
	}
}

static void
test_text(void)
{
	OvDoc *doc = ov_doc_new("x.xml");
	OvNode *p = mk(doc, OV_PARA, NULL), *f = mk(doc, OV_FOOTNOTE, NULL), *x = mk(doc, OV_XREF, NULL);
	GString *s = g_string_new(NULL);
	ov_node_append(p, mk(doc, OV_TEXT, "see "));
	ov_node_append(p, x);
	x->gen = "Figure 2";
	ov_node_append(p, f);
	ov_node_append(f, mk(doc, OV_TEXT, "a note"));
	ov_node_append(p, mk(doc, OV_TEXT, "."));
	ov_node_text(p, s);
	g_assert_cmpstr(s->str, ==, "see Figure 2.");
	g_string_free(s, TRUE);
	ov_doc_free(doc);
}

static void
test_diags(void)
{
	OvDiags d;
	char *s;
	ov_diags_init(&d);
	ov_warn(&d, ov_loc("a.xml", 3, 7), "odd %s", "thing");
	g_assert_false(ov_diags_failed(&d));
	d.strict = TRUE;
	g_assert_true(ov_diags_failed(&d));
	d.strict = FALSE;
	ov_error(&d, ov_loc("b.xml", 10, 2), "broken");
	g_assert_true(ov_diags_failed(&d));
	s = ov_diag_format(&g_array_index(d.list, OvDiag, 0));
	g_assert_cmpstr(s, ==, "a.xml:3:7: warning: odd thing");
	g_free(s);
	s = ov_diag_format(&g_array_index(d.list, OvDiag, 1));
	g_assert_cmpstr(s, ==, "b.xml:10:2: error: broken");
	g_free(s);
	g_assert_cmpuint(d.errors, ==, 1);
	g_assert_cmpuint(d.warnings, ==, 1);
	ov_diags_clear(&d);
}

/* The limit keeps warnings and errors apart: a flood of warnings hides no error. */
static void
test_diags_limit(void)
{
	OvDiags d;
	gboolean error_kept = FALSE;
	ov_diags_init(&d);
	d.limit = 3;
	for (guint i = 1; i <= 5; i++)
		ov_warn(&d, ov_loc("a.xml", i, 1), "warning %u", i);
	ov_error(&d, ov_loc("a.xml", 9, 1), "the error");
	for (guint i = 0; i < d.list->len; i++) {
		const OvDiag *dg = &g_array_index(d.list, OvDiag, i);
		error_kept = error_kept || (dg->severity == OV_ERROR && !strcmp(dg->msg, "the error"));
	}
	g_assert_true(error_kept);
	g_assert_cmpuint(d.list->len, ==, 5); /* three warnings, "too many warnings", the error */
	g_assert_cmpuint(d.warnings, ==, 5);
	g_assert_cmpuint(d.errors, ==, 1);
	ov_diags_clear(&d);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/model/links", test_links);
	g_test_add_func("/model/iter-order", test_iter_order);
	g_test_add_func("/model/iter-skip", test_iter_skip);
	g_test_add_func("/model/iter-deep", test_iter_deep);
	g_test_add_func("/model/numbers", test_numbers);
	g_test_add_func("/model/text", test_text);
	g_test_add_func("/diag/format", test_diags);
	g_test_add_func("/diag/limit", test_diags_limit);
	return g_test_run();
}
