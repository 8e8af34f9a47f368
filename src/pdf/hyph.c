/* hyph.c: libhyphen's patterns through a cache. hnj_hyphen_load builds its state machine with a
 * fixed-size hash table: 18 ms for English, 2.9 s for German's 78,000 patterns, paid by every
 * build. The machine it builds is written once to the user's cache folder
 * ($XDG_CACHE_HOME/octavo/hyphen) and read back by later builds (4 ms and 70 ms). A cache file
 * names the patterns' path, size and time and carries a checksum; one that does not match, or
 * is not whole and well formed, is ignored and written again. The cache is only ever an
 * optimisation: without a cache folder the patterns are compiled as before. */
#include <stdlib.h>
#include <string.h>
#include <hyphen.h>
#include <glib/gstdio.h>
#include "hyph.h"
#include "../cache.h"

#define MAGIC "octavo hyphen cache 2\n"

/* ---- writing ---- */

/* a number as a zigzag varint: seven bits a byte, low first, the sign in the lowest bit */
static void
put_int(GString *s, gint64 v)
{
	guint64 z = ((guint64)v << 1) ^ (guint64)(v >> 63);
	do {
		g_string_append_c(s, (char)((z & 0x7f) | (z > 0x7f ? 0x80 : 0)));
		z >>= 7;
	} while (z);
}

static void
put_str(GString *s, const char *v, gsize n)
{
	put_int(s, v ? (gint64)n : -1);
	if (v)
		g_string_append_len(s, v, (gssize)n);
}

/* nohyphen: nohyphenl + 1 strings one after the other, each ending in NUL */
static gsize
nohyphen_len(const HyphenDict *d)
{
	gsize n = 0;
	if (d->nohyphen == NULL)
		return 0;
	for (int i = 0; i <= d->nohyphenl; i++)
		n += strlen(d->nohyphen + n) + 1;
	return n;
}

static void
put_dict(GString *s, const HyphenDict *d)
{
	gint64 trans = 0, bytes = 0;
	for (int i = 0; i < d->num_states; i++) {
		const HyphenState *st = &d->states[i];
		trans += st->num_trans;
		bytes += (st->match ? (gint64)strlen(st->match) + 1 : 0) + (st->repl ? (gint64)strlen(st->repl) + 1 : 0);
	}
	put_int(s, d->lhmin);
	put_int(s, d->rhmin);
	put_int(s, d->clhmin);
	put_int(s, d->crhmin);
	put_int(s, d->utf8);
	put_str(s, d->cset, MAX_NAME);
	put_int(s, d->nohyphenl);
	put_str(s, d->nohyphen, nohyphen_len(d));
	put_int(s, d->num_states);
	put_int(s, trans);
	put_int(s, bytes);
	for (int i = 0; i < d->num_states; i++) {
		const HyphenState *st = &d->states[i];
		/* libhyphen leaves these unset when there is no replacement, and then never reads them */
		put_int(s, st->repl ? st->replindex : 0);
		put_int(s, st->repl ? st->replcut : 0);
		put_int(s, st->fallback_state);
		put_str(s, st->match, st->match ? strlen(st->match) : 0);
		put_str(s, st->repl, st->repl ? strlen(st->repl) : 0);
		put_int(s, st->num_trans);
		for (int t = 0; t < st->num_trans; t++) {
			put_int(s, (guint8)st->trans[t].ch);
			put_int(s, st->trans[t].new_state);
		}
	}
	put_int(s, d->nextlevel != NULL);
	if (d->nextlevel)
		put_dict(s, d->nextlevel);
}

/* ---- reading: every count and index checked, so a damaged file is refused, never trusted ---- */

typedef struct {
	const char *p, *e;
	gboolean bad;
} Rd;

static gint64
get_int(Rd *r, gint64 lo, gint64 hi)
{
	guint64 z = 0;
	gint64 v;
	int shift = 0;
	for (;;) {
		guint8 b;
		if (r->bad || r->p >= r->e || shift > 63) {
			r->bad = TRUE;
			return lo;
		}
		b = (guint8)*r->p++;
		z |= (guint64)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	v = (gint64)(z >> 1) ^ -(gint64)(z & 1);
	if (v < lo || v > hi) {
		r->bad = TRUE;
		return lo;
	}
	return v;
}

/* a string of the file: where it is and its length (-1: written as none) */
static const char *
get_span(Rd *r, gint64 *n)
{
	const char *s;
	*n = get_int(r, -1, G_MAXINT32);
	if (!r->bad && *n > r->e - r->p) /* the bytes left once the length is read */
		r->bad = TRUE;
	if (r->bad || *n < 0)
		return NULL;
	s = r->p;
	r->p += *n;
	return s;
}

/* the next string of the file copied to *at with a NUL, or NULL if written as none */
static char *
get_str(Rd *r, char **at, const char *end)
{
	gint64 n;
	const char *v = get_span(r, &n);
	char *s = *at;
	if (v == NULL)
		return NULL;
	if (end - *at < n + 1 || memchr(v, '\0', (gsize)n)) {
		r->bad = TRUE;
		return NULL;
	}
	memcpy(s, v, (gsize)n);
	s[n] = '\0';
	*at += n + 1;
	return s;
}

/* The machine makes sense as libhyphen builds it, so that hyphenating with it ends and stays
 * in bounds, whoever wrote the file: a trie from state 0 (every other state entered by exactly
 * one transition, from a shallower state), each fallback to a shallower state (state 0's to
 * none), matches of digits no longer than their state's depth + 1, replacements inside them. */
static gboolean
sound(const HyphenDict *d)
{
	int n = d->num_states, *depth = g_new(int, n), *queue = g_new(int, n), head = 0, tail = 0;
	gboolean ok = d->states[0].fallback_state == -1;

	for (int i = 0; i < n; i++)
		depth[i] = -1;
	depth[0] = 0;
	queue[tail++] = 0;
	while (ok && head < tail) {
		const HyphenState *st = &d->states[queue[head++]];
		for (int t = 0; ok && t < st->num_trans; t++) {
			int to = st->trans[t].new_state;
			ok = depth[to] < 0 && to != 0;
			if (ok) {
				depth[to] = depth[st - d->states] + 1;
				queue[tail++] = to;
			}
		}
	}
	ok = ok && tail == n;
	for (int i = 1; ok && i < n; i++) {
		const HyphenState *st = &d->states[i];
		ok = st->fallback_state >= 0 && depth[st->fallback_state] < depth[i];
	}
	for (int i = 0; ok && i < n; i++) {
		const HyphenState *st = &d->states[i];
		gsize len = st->match ? strlen(st->match) : 0;
		ok = len <= (gsize)depth[i] + 1 && (st->match == NULL || strspn(st->match, "0123456789") == len);
		if (ok && st->repl)
			ok = st->match && st->replindex >= 0 && (gsize)st->replindex <= len && st->replcut >= 1 &&
			     (gsize)st->replcut <= len;
	}
	g_free(depth);
	g_free(queue);
	return ok;
}

/* One level of patterns in one block (the dictionary, its states, transitions and strings),
 * which the process keeps as it keeps libhyphen's own; NULL if the file is not as written. */
static HyphenDict *
get_dict(Rd *r, int depth)
{
	HyphenDict head = { 0 }, *d;
	gint64 cset_n, noh_n, states, trans, bytes, used = 0;
	const char *cset, *noh;
	char *block, *at, *end;
	HyphenTrans *tr;

	head.lhmin = (char)get_int(r, 0, 127);
	head.rhmin = (char)get_int(r, 0, 127);
	head.clhmin = (char)get_int(r, 0, 127);
	head.crhmin = (char)get_int(r, 0, 127);
	head.utf8 = (int)get_int(r, 0, 1);
	cset = get_span(r, &cset_n);
	head.nohyphenl = (int)get_int(r, 0, G_MAXINT32 - 1);
	noh = get_span(r, &noh_n);
	states = get_int(r, 1, (r->e - r->p) / 6); /* each state takes 6 bytes or more */
	trans = get_int(r, 0, (r->e - r->p) / 2);
	bytes = get_int(r, 0, r->e - r->p);
	if (r->bad || cset == NULL || cset_n != MAX_NAME || depth > 4)
		return NULL;
	if (noh) { /* nohyphenl + 1 strings, each with its NUL */
		gint64 k = 0;
		for (gint64 i = 0; i < noh_n; i++)
			k += noh[i] == '\0';
		if (noh_n == 0 || noh[noh_n - 1] != '\0' || k != (gint64)head.nohyphenl + 1)
			return NULL;
	}
	block = malloc(sizeof(HyphenDict) + (gsize)states * sizeof(HyphenState) + (gsize)trans * sizeof(HyphenTrans) +
		       (gsize)bytes + (noh ? (gsize)noh_n : 0));
	if (block == NULL)
		return NULL;
	d = (HyphenDict *)(void *)block;
	*d = head;
	memcpy(d->cset, cset, MAX_NAME);
	d->cset[MAX_NAME - 1] = '\0';
	d->num_states = (int)states;
	d->states = (HyphenState *)(void *)(block + sizeof(HyphenDict));
	tr = (HyphenTrans *)(void *)(d->states + states);
	at = (char *)(tr + trans);
	end = at + bytes;
	if (noh) {
		d->nohyphen = end;
		memcpy(d->nohyphen, noh, (gsize)noh_n);
	}
	for (gint64 i = 0; i < states && !r->bad; i++) {
		HyphenState *st = &d->states[i];
		st->replindex = (signed char)get_int(r, -128, 127);
		st->replcut = (signed char)get_int(r, -128, 127);
		st->fallback_state = (int)get_int(r, -1, states - 1);
		st->match = get_str(r, &at, end);
		st->repl = get_str(r, &at, end);
		st->num_trans = (int)get_int(r, 0, trans - used);
		st->trans = tr + used;
		for (int t = 0; t < st->num_trans && !r->bad; t++) {
			st->trans[t].ch = (char)(guint8)get_int(r, 0, 255);
			st->trans[t].new_state = (int)get_int(r, 0, states - 1);
		}
		used += st->num_trans;
	}
	if (!r->bad && (used != trans || at != end || !sound(d)))
		r->bad = TRUE;
	if (!r->bad && get_int(r, 0, 1) && (d->nextlevel = get_dict(r, depth + 1)) == NULL)
		r->bad = TRUE;
	if (r->bad) {
		free(block);
		return NULL;
	}
	return d;
}

/* The cache file's name for the patterns at path (hyph_de.dic and hyph_de_AT.dic, links to
 * one file: one cache), and what it must say of them: their path, size and time. */
static char *
cache_name(const char *path, char **id)
{
	char *real = realpath(path, NULL), *base;
	GStatBuf sb;

	if (real == NULL || g_stat(real, &sb) != 0) {
		free(real);
		return NULL;
	}
	base = g_path_get_basename(real);
	*id = g_strdup_printf("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", real, (gint64)sb.st_size, (gint64)sb.st_mtime);
	free(real);
	return base;
}

/* The dictionary in a cache file's data, or NULL if they are not a whole machine: every count
 * and index is checked (ov_cache_get checked the header and the checksum). */
static HyphenDict *
from_cache(GBytes *data)
{
	gsize len;
	const char *p = g_bytes_get_data(data, &len);
	Rd r = { p, p + len, FALSE };
	HyphenDict *d = len ? get_dict(&r, 0) : NULL;

	while (d && r.p != r.e) { /* more than was written: not ours */
		HyphenDict *next = d->nextlevel;
		free(d); /* each level is one block */
		d = next;
	}
	return d;
}

HyphenDict *
ov_hyph_load(const char *path)
{
	char *id = NULL, *name = cache_name(path, &id);
	GBytes *data;
	HyphenDict *d = NULL;

	if (name == NULL)
		return NULL; /* no patterns there */
	if ((data = ov_cache_get("hyphen", name, MAGIC, id)) != NULL) {
		d = from_cache(data);
		g_bytes_unref(data);
	}
	if (d == NULL && (d = hnj_hyphen_load(path)) != NULL && ov_cache_enabled()) {
		GString *s = g_string_new(NULL);
		put_dict(s, d);
		ov_cache_put("hyphen", name, MAGIC, id, s->str, s->len);
		g_string_free(s, TRUE);
	}
	g_free(name);
	g_free(id);
	return d;
}
