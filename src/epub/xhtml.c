/* xhtml.c: the XML writer: one escaper, a stack of open tags, layout newlines. */
#include <string.h>
#include "xhtml.h"

/* Tags after whose start tag a newline keeps the output readable (they hold blocks). */
static gboolean
is_container(const char *tag)
{
	static const char *const tags[] = {
		"html", "head", "body", "section", "nav", "ol", "ul", "dl", "table", "thead", "tbody",
		"tfoot", "tr", "colgroup", "div", "blockquote", "aside", "figure", "header", "footer",
		"package", "metadata", "manifest", "spine", "guide", "ncx", "navMap", "navPoint",
		"container", "rootfiles", "docTitle", "navLabel",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(tags); i++)
		if (strcmp(tag, tags[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Tags after whose end tag a newline goes: blocks and the elements of the package files. */
static gboolean
is_block(const char *tag)
{
	static const char *const tags[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
		"figcaption", "pre", "title", "meta", "link", "br", "col", "hr", "item",
		"itemref", "dc:identifier", "dc:title", "dc:language", "dc:creator", "dc:publisher",
		"dc:date", "dc:rights", "dc:description", "dc:subject", "rootfile", "text", "content",
		"reference",
	};
	if (is_container(tag))
		return TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS(tags); i++)
		if (strcmp(tag, tags[i]) == 0)
			return TRUE;
	return FALSE;
}

void
ovx_init(Ovx *x)
{
	x->out = g_string_sized_new(16 * 1024);
	x->stack = g_array_new(FALSE, FALSE, sizeof(OvxTag));
	x->in_tag = x->in_void = FALSE;
	x->pre = 0;
}

char *
ovx_free(Ovx *x, gboolean keep, gsize *len)
{
	char *res = NULL;
	g_array_free(x->stack, TRUE);
	if (len)
		*len = x->out->len;
	res = g_string_free(x->out, !keep);
	x->out = NULL;
	x->stack = NULL;
	return keep ? res : NULL;
}

void
ovx_escape(GString *out, const char *s, gssize len, gboolean attr)
{
	const char *end = s + (len < 0 ? (gssize)strlen(s) : len);
	const char *run = s;

	for (const char *p = s; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;
		gsize skip = 1;
		if (c == '&')
			rep = "&#38;";
		else if (c == '<')
			rep = "&#60;";
		else if (c == '>')
			rep = "&#62;";
		else if (c == '"' && attr)
			rep = "&#34;";
		else if (attr && (c == '\n' || c == '\t' || c == '\r'))
			rep = c == '\n' ? "&#10;" : c == '\t' ? "&#9;" : "&#13;";
		else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
			rep = "";
		else if (c == 0xEF && p + 2 < end && (unsigned char)p[1] == 0xBF &&
			 ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF))
			rep = "", skip = 3; /* U+FFFE, U+FFFF */
		if (rep == NULL)
			continue;
		g_string_append_len(out, run, p - run);
		g_string_append(out, rep);
		p += skip - 1;
		run = p + 1;
	}
	g_string_append_len(out, run, end - run);
}

/* Finish a start tag left open for attributes. */
static void
seal(Ovx *x)
{
	if (x->in_tag)
		ovx_end(x);
}

void
ovx_raw(Ovx *x, const char *s)
{
	seal(x);
	g_string_append(x->out, s);
}

void
ovx_begin(Ovx *x, const void *owner, const char *tag)
{
	OvxTag t = { tag, owner, ovx_user(x) };
	seal(x);
	g_string_append_c(x->out, '<');
	g_string_append(x->out, tag);
	g_array_append_val(x->stack, t);
	x->in_tag = TRUE;
}

void
ovx_attr(Ovx *x, const char *name, const char *value)
{
	g_return_if_fail(x->in_tag);
	if (value == NULL)
		return;
	g_string_append_printf(x->out, " %s=\"", name);
	ovx_escape(x->out, value, -1, TRUE);
	g_string_append_c(x->out, '"');
}

void
ovx_attr_printf(Ovx *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;
	va_start(ap, fmt);
	v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ovx_attr(x, name, v);
	g_free(v);
}

void
ovx_end(Ovx *x)
{
	const OvxTag *t = ovx_top(x);
	g_return_if_fail(x->in_tag && t);
	x->in_tag = FALSE;
	g_string_append_c(x->out, '>');
	if (strcmp(t->tag, "pre") == 0)
		x->pre++;
	if (x->pre == 0 && is_container(t->tag))
		g_string_append_c(x->out, '\n');
}

void
ovx_end_void(Ovx *x)
{
	const OvxTag *t = ovx_top(x);
	const char *tag;
	g_return_if_fail(x->in_tag && t);
	tag = t->tag;
	x->in_tag = FALSE;
	g_string_append(x->out, "/>");
	g_array_set_size(x->stack, x->stack->len - 1);
	if (x->pre == 0 && is_block(tag))
		g_string_append_c(x->out, '\n');
}

void
ovx_open(Ovx *x, const void *owner, const char *tag, ...)
{
	va_list ap;
	const char *name;
	ovx_begin(x, owner, tag);
	va_start(ap, tag);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		ovx_attr(x, name, value);
	}
	va_end(ap);
	ovx_end(x);
}

void
ovx_text_len(Ovx *x, const char *s, gssize len)
{
	seal(x);
	if (s)
		ovx_escape(x->out, s, len, FALSE);
}

void
ovx_text(Ovx *x, const char *s)
{
	ovx_text_len(x, s, -1);
}

void
ovx_element(Ovx *x, const char *tag, const char *cls, const char *text)
{
	ovx_open(x, NULL, tag, "class", cls, NULL);
	ovx_text(x, text);
	ovx_close(x);
}

void
ovx_close(Ovx *x)
{
	const OvxTag *t;
	const char *tag;
	seal(x);
	t = ovx_top(x);
	if (t == NULL)
		return;
	tag = t->tag;
	g_array_set_size(x->stack, x->stack->len - 1);
	g_string_append_printf(x->out, "</%s>", tag);
	if (strcmp(tag, "pre") == 0)
		x->pre--;
	if (x->pre == 0 && is_block(tag))
		g_string_append_c(x->out, '\n');
}

void
ovx_close_owned(Ovx *x, const void *owner)
{
	const OvxTag *t;
	while ((t = ovx_top(x)) != NULL && t->owner == owner)
		ovx_close(x);
}

void
ovx_close_to(Ovx *x, guint depth)
{
	while (x->stack->len > depth)
		ovx_close(x);
}

guint
ovx_depth(const Ovx *x)
{
	return x->stack->len;
}

const OvxTag *
ovx_top(const Ovx *x)
{
	return x->stack->len ? &g_array_index(x->stack, OvxTag, x->stack->len - 1) : NULL;
}

guint
ovx_user(const Ovx *x)
{
	const OvxTag *t = ovx_top(x);
	return t ? t->user : 0;
}

void
ovx_set_user(Ovx *x, guint user)
{
	if (x->stack->len)
		g_array_index(x->stack, OvxTag, x->stack->len - 1).user = user;
}
