// SPDX-License-Identifier: MIT
/*
 * segment.c - the segment list and the backend table.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>

#include "segment.h"

struct segment *seglist_add(struct seglist *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct segment *v = reallocarray(l->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

void seglist_free(struct seglist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

const struct backend_ops *backend_for(enum seg_kind kind)
{
	switch (kind) {
	case SEG_SYSV:
		return &sysv_backend;
	case SEG_POSIX:
		return &posix_backend;
	case SEG_MEMFD:
	case SEG_ANON:
		break;
	}
	return &procfd_backend;
}
