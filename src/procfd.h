/* SPDX-License-Identifier: MIT */
/*
 * procfd.h - memfd and shared anonymous memory through a holder (procfd.c).
 */
#ifndef SHMTOOL_PROCFD_H
#define SHMTOOL_PROCFD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "segment.h"

extern const struct backend_ops procfd_backend;

/* Describe a memfd (or shared anonymous memory) through a holder:
 * /proc/PID/fd/FD, or /proc/PID/map_files/START-END when fd is -1. */
int procfd_describe(pid_t pid, int fd, uint64_t start, uint64_t end,
		    bool anon, struct segment *out);

#endif
