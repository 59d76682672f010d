/* SPDX-License-Identifier: MIT */
/*
 * version.h - what shmtool -V says, and metrics' build info.
 */
#ifndef SHMTOOL_VERSION_H
#define SHMTOOL_VERSION_H

/* The release, "0.1.0". */
extern const char shmtool_version[];
/* `git describe` of the tree it was built from ("" when unknown: a
 * tarball without the describe that `make dist` records). */
extern const char shmtool_git_describe[];

#endif
