// SPDX-License-Identifier: MIT
/*
 * test_posixsem.c - sem_decode against the C library's own sem_t: the
 * value and waiters shmtool reads from a semaphore's file are the ones
 * sem_post(3), sem_trywait(3) and a blocked sem_wait(3) leave there.
 */
#include "unit.h"

#include <pthread.h>
#include <semaphore.h>
#include <sched.h>
#include <time.h>

#include "posixsem.h"

static void decode(sem_t *s, uint32_t *value, uint32_t *waiters)
{
	assert_true(sem_decode((const unsigned char *)s, sizeof(*s), value,
			       waiters));
}

static void test_sem_layout_size(void **state)
{
	(void)state;
	/* what posix_sem_values reads is the whole sem_t */
	assert_int_equal(sizeof(sem_t), SEM_FILE_BYTES);
}

static void test_sem_value(void **state)
{
	uint32_t value, waiters;
	sem_t s;
	int i;

	(void)state;
	assert_int_equal(sem_init(&s, 1, 5), 0);
	decode(&s, &value, &waiters);
	assert_int_equal(value, 5);
	assert_int_equal(waiters, 0);
	assert_int_equal(sem_post(&s), 0);
	assert_int_equal(sem_post(&s), 0);
	decode(&s, &value, &waiters);
	assert_int_equal(value, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(sem_trywait(&s), 0);
	decode(&s, &value, &waiters);
	assert_int_equal(value, 0);
	assert_int_equal(waiters, 0);
	/* the largest value */
	sem_destroy(&s);
	assert_int_equal(sem_init(&s, 1, SEM_VALUE_MAX), 0);
	decode(&s, &value, &waiters);
	assert_int_equal(value, SEM_VALUE_MAX);
	sem_destroy(&s);
}

static void *waiter(void *arg)
{
	while (sem_wait(arg) < 0)
		;
	return NULL;
}

/* A thread blocked in sem_wait counts as a waiter until it is woken. */
static void test_sem_waiters(void **state)
{
	struct timespec pause = { 0, 1000000 };
	uint32_t value = 0, waiters = 0;
	pthread_t t;
	sem_t s;
	int i;

	(void)state;
	assert_int_equal(sem_init(&s, 1, 0), 0);
	assert_int_equal(pthread_create(&t, NULL, waiter, &s), 0);
	/* bounded: 10 s for the thread to block */
	for (i = 0; i < 10000; i++) {
		decode(&s, &value, &waiters);
		if (waiters == 1)
			break;
		nanosleep(&pause, NULL);
	}
	assert_int_equal(waiters, 1);
	assert_int_equal(value, 0);
	assert_int_equal(sem_post(&s), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	decode(&s, &value, &waiters);
	assert_int_equal(value, 0);
	assert_int_equal(waiters, 0);
	sem_destroy(&s);
}

/* Fewer bytes than a sem_t (a truncated or foreign file): no value. */
static void test_sem_short(void **state)
{
	unsigned char buf[SEM_FILE_BYTES] = { 5 };
	uint32_t value = 99, waiters = 99;

	(void)state;
	assert_false(sem_decode(buf, 0, &value, &waiters));
	assert_false(sem_decode(buf, 4, &value, &waiters));
	assert_false(sem_decode(buf, 15, &value, &waiters));
	assert_int_equal(value, 99);
	assert_int_equal(waiters, 99);
	assert_true(sem_decode(buf, 16, &value, &waiters));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sem_layout_size),
		cmocka_unit_test(test_sem_value),
		cmocka_unit_test(test_sem_waiters),
		cmocka_unit_test(test_sem_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
