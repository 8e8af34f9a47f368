/* cache.h: files octavo keeps between builds in $XDG_CACHE_HOME/octavo/ (~/.cache by default):
 * what is slow to make and the same from build to build (hyphenation patterns compiled, the
 * EPUB's font subsets). A cache is only ever an optimisation: a file that is missing, damaged
 * or made from something else is ignored and written again, and OCTAVO_NO_CACHE=1 turns the
 * whole cache off. */
#ifndef OCTAVO_CACHE_H
#define OCTAVO_CACHE_H

#include <glib.h>

/* Does the cache apply (OCTAVO_NO_CACHE unset)? */
gboolean ov_cache_enabled(void);
/* The data of the cache file DIR/NAME when it begins with the line magic ("...\n") and id (what
 * it was made from, as text) and its checksum matches; NULL otherwise, or when the cache is off. */
GBytes *ov_cache_get(const char *dir, const char *name, const char *magic, const char *id);
/* Write DIR/NAME: a temporary file renamed into place, never half a file. Failing to is no
 * error (the next build makes the data again). */
void ov_cache_put(const char *dir, const char *name, const char *magic, const char *id, const void *data, gsize len);

#endif
