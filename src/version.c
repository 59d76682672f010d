// SPDX-License-Identifier: MIT
/*
 * version.c - the version, and the `git describe` the Makefile bakes in
 * at build time (only this file is rebuilt when it changes).
 */
#include "version.h"

#ifndef SHMTOOL_VERSION
#define SHMTOOL_VERSION "0.1.0"
#endif
#ifndef SHMTOOL_GIT_DESCRIBE
#define SHMTOOL_GIT_DESCRIBE ""
#endif

const char shmtool_version[] = SHMTOOL_VERSION;
const char shmtool_git_describe[] = SHMTOOL_GIT_DESCRIBE;
