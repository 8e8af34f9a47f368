/* dump.h: the resolved model as an indented text tree (golden tests, debugging books). */
#ifndef OCTAVO_DUMP_H
#define OCTAVO_DUMP_H

#include <stdio.h>
#include "model.h"

/* Write doc to out: metadata, the node tree with locations, numbers and link targets, the TOC. */
void ov_dump(const OvDoc *doc, FILE *out);

#endif
