/* xhtml.h: a small XML writer for the EPUB's XHTML, OPF, NCX and nav files.
 *
 * One escaping function (numeric character references only, never named entities), and a
 * stack of open tags so the output is always well-formed: every tag opened is closed, in
 * order, by its owner (the model node that opened it) or at the end. Void elements are
 * written as <tag/> and never stacked. */
#ifndef OCTAVO_EPUB_XHTML_H
#define OCTAVO_EPUB_XHTML_H

#include <glib.h>

typedef struct {
	const char *tag;     /* static string */
	const void *owner;   /* the node that opened it (or any marker) */
	guint user;          /* inherited from the parent tag; free for the caller's use */
} OvxTag;

typedef struct {
	GString *out;
	GArray *stack;       /* OvxTag */
	gboolean in_tag;     /* between ovx_begin and ovx_end: attributes may follow */
	gboolean in_void;
	int pre;             /* open <pre> elements: no layout newlines inside */
} Ovx;

void ovx_init(Ovx *x);
/* Free the writer's memory; the output string too unless keep (then it is returned). */
char *ovx_free(Ovx *x, gboolean keep, gsize *len);

/* Append s (len bytes, -1 for NUL-terminated) to out, escaped for XML text or (attr) for a
 * double-quoted attribute value: & < > " as numeric references; characters XML forbids
 * (C0 controls other than tab, newline, return; U+FFFE, U+FFFF) dropped. */
void ovx_escape(GString *out, const char *s, gssize len, gboolean attr);

/* Raw markup (the XML declaration, a DOCTYPE): the caller answers for its form. */
void ovx_raw(Ovx *x, const char *s);
/* Start tag "<tag"; attributes may follow; ovx_end pushes it, ovx_end_void closes it as
 * "<tag/>". tag must be a static string. */
void ovx_begin(Ovx *x, const void *owner, const char *tag);
/* An attribute of the tag being begun; a NULL value writes nothing. */
void ovx_attr(Ovx *x, const char *name, const char *value);
void ovx_attr_printf(Ovx *x, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void ovx_end(Ovx *x);
void ovx_end_void(Ovx *x);
/* ovx_begin + ovx_end with name/value pairs (NULL values skipped), ended by a NULL name. */
void ovx_open(Ovx *x, const void *owner, const char *tag, ...) G_GNUC_NULL_TERMINATED;
/* Escaped text. */
void ovx_text(Ovx *x, const char *s);
void ovx_text_len(Ovx *x, const char *s, gssize len);
/* A whole element with text content: <tag>text</tag>. */
void ovx_element(Ovx *x, const char *tag, const char *cls, const char *text);

/* Close the innermost open tag. */
void ovx_close(Ovx *x);
/* Close the open tags at the top of the stack that owner opened. */
void ovx_close_owned(Ovx *x, const void *owner);
/* Close everything down to (and excluding) depth open tags. */
void ovx_close_to(Ovx *x, guint depth);

guint ovx_depth(const Ovx *x);
/* The innermost open tag, or NULL when none. */
const OvxTag *ovx_top(const Ovx *x);
/* The user bits of the innermost tag (0 when none), and setting them. */
guint ovx_user(const Ovx *x);
void ovx_set_user(Ovx *x, guint user);

#endif
