/* SPDX-License-Identifier: MIT */
/*
 * posixsem.h - what a POSIX named semaphore's file says: its value and
 * how many wait on it (glibc's layout of sem_t on this architecture).
 */
#ifndef SHMTOOL_POSIXSEM_H
#define SHMTOOL_POSIXSEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bytes of a sem_t that are read (sizeof(sem_t) with glibc). */
#define SEM_FILE_BYTES 32

/*
 * Decode the first len bytes of a semaphore's file: false when they are
 * too few to be a sem_t.
 */
bool sem_decode(const unsigned char *buf, size_t len, uint32_t *value,
		uint32_t *waiters);

#endif
