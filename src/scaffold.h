/* scaffold.h: `octavo new DIR`: a book folder that builds right away. */
#ifndef OCTAVO_SCAFFOLD_H
#define OCTAVO_SCAFFOLD_H

#include "diag.h"

typedef struct {
	const char *dir;    /* the folder to create (it may exist if empty) */
	const char *title;  /* NULL: made from the folder's name */
	const char *lang;   /* NULL: "en" */
	const char *theme;  /* theme to copy: a name from styles/ or a .theme file; NULL: brochure */
} OvScaffold;

/* The file name of the book in a new folder: the folder's name in lower case, letters and
 * digits kept, every other run of characters a '-' ("My Book" -> "my-book"); "book" when
 * nothing is left. Free with g_free. */
char *ov_scaffold_name(const char *dir);

/* Create the folder: NAME.xml (the book), ch01.xml (its first chapter), images/, style.theme
 * (a copy of the theme), Makefile, README.md, .gitignore. Everything is written in a hidden
 * temporary folder beside DIR that is renamed to DIR at the end, so a failure leaves nothing
 * behind. Problems go to d: bad usage (a non-empty DIR, a bad language tag or title, an
 * unknown theme) sets usage_failed, a failed write io_failed. Says what it made on stdout. */
gboolean ov_scaffold(const OvScaffold *s, OvDiags *d);

/* Remove a folder and everything in it (symbolic links removed, not followed). */
void ov_remove_tree(const char *dir);

#endif
