/* hyph.h: libhyphen's patterns, through a cache of the state machine it builds. */
#ifndef OV_HYPH_H
#define OV_HYPH_H
#include <hyphen.h>

/* The patterns of the .dic file at path, from the cache when it matches the file, else loaded
 * with libhyphen (and the cache written); NULL if there is no such file. Kept for the process. */
HyphenDict *ov_hyph_load(const char *path);

#endif
