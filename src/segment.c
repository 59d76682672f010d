// SPDX-License-Identifier: MIT
/*
 * segment.c - the segment list and the backend table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bsd/stdlib.h>

#include "procfd.h"
#include "segment.h"

/* The name pool: chunks that are never freed (a command lives briefly),
 * each beginning with a link to the one before (all stay reachable). */
#define POOL_CHUNK	65536
static struct {
	void *last;
	char *cur;
	size_t left;
} pool;

static const char *pool_copy(const char *str, size_t len)
{
	char *p;

	if (pool.left < len + 1) {
		/* The rest of the old chunk is wasted: under 256 bytes. */
		void **chunk = malloc(POOL_CHUNK);

		if (!chunk)
			return NULL;
		chunk[0] = pool.last;
		pool.last = chunk;
		pool.cur = (char *)(chunk + 1);
		pool.left = POOL_CHUNK - sizeof(*chunk);
	}
	p = pool.cur;
	memcpy(p, str, len);
	p[len] = '\0';
	pool.cur += len + 1;
	pool.left -= len + 1;
	return p;
}

const char *segment_pool_str(const char *str)
{
	return pool_copy(str, strnlen(str, NAME_MAX));
}

int segment_set_name(struct segment *s, const char *name)
{
	size_t len = strnlen(name, NAME_MAX);
	const char *p = len ? pool_copy(name, len) : NULL;

	if (len && !p)
		return -ENOMEM;
	s->sname = p;
	return 0;
}

void segment_set_stat(struct segment *s, const struct stat *st)
{
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->uid = st->st_uid;
	s->gid = st->st_gid;
	s->mode = st->st_mode & 0777;
	s->size = (uint64_t)st->st_size;
	s->rss = (uint64_t)st->st_blocks * 512;
	s->has_rss = true;
	s->atime = st->st_atime;
	s->mtime = st->st_mtime;
	s->ctime = st->st_ctime;
	s->nostat = false;
}

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
