/* SPDX-License-Identifier: MIT */
/*
 * io.h - I/O loops that never lose a byte (io.c).
 */
#ifndef SHMTOOL_IO_H
#define SHMTOOL_IO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Read until len bytes or end of file; retries EINTR and short reads.
 * Returns bytes read (< len only at EOF) or -errno.
 */
ssize_t read_full(int fd, void *buf, size_t len);
/* Write all len bytes; retries EINTR and short writes. 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Same, at an offset; *done receives the bytes written even on error. */
int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done);
/* Read up to len bytes at off; *done < len only at end of file. */
int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done);

/* Read a whole file (at most max bytes; -EFBIG beyond) into malloc'd *buf. */
int slurp_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * If fd is a pipe, make its buffer as large as the system allows (up to
 * 1 MiB): a bulk transfer then switches between writer and reader 16
 * times less often.  Only a hint: errors are ignored.
 */
void pipe_grow(int fd);

/*
 * A file replaced atomically: written to a temporary file in the same
 * directory (".NAME.XXXXXX", which node_exporter's textfile collector
 * ignores, as it reads *.prom only), then flushed, fsync'd, given the
 * mode a new file gets (0666 less the umask) and renamed over NAME, and
 * the directory fsync'd.  Readers see the old file or the new one, never
 * a part.  On any failure the temporary file is removed and NAME is
 * untouched.
 */
struct atomic_file {
	FILE *f;		/* write here between open and commit */
	char *path;		/* NAME as given */
	char *tmp;		/* the temporary file's path */
	char *dir;		/* NAME's directory, to fsync */
};

/* 0 or -errno (nothing created then). */
int atomic_file_open(struct atomic_file *af, const char *path);
/* Make the file NAME; 0 or -errno (the temporary file removed). *step
 * says what failed ("write", "fsync", "rename"...). */
int atomic_file_commit(struct atomic_file *af, const char **step);
/* Give up: the temporary file removed, NAME untouched. */
void atomic_file_abort(struct atomic_file *af);

#endif
