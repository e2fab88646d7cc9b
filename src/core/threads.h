/*
 * threads.h - the one way kubearch shares work among threads: n calls of a
 * function, each with its index, the caller's thread taking the first.
 * Internal to libkubearch.
 */
#ifndef KA_THREADS_H
#define KA_THREADS_H

#include <stddef.h>

/* Threads to use when asked for `asked` (0: one per CPU, at most 8). */
unsigned ka_threads_auto(unsigned asked);

/* Calls fn(arg, i) for i in 0..n-1, each on a thread of its own (i = 0 on
 * the caller's), and returns when all are done. A thread that cannot be
 * started runs its call on the caller's thread afterwards, so every call
 * happens whatever the system allows. */
void ka_threads_run(unsigned n, void (*fn)(void *arg, unsigned i), void *arg);

/* Calls fn(arg, thread, item) for every item in 0..n-1 on nt threads
 * (thread in 0..nt-1, 0 the caller's). A thread takes the next item as soon
 * as it is free, so a thread slowed down (by another process, say) does
 * fewer; items are taken in order. Returns when all are done. */
void ka_threads_each(unsigned nt, size_t n, void (*fn)(void *arg, unsigned thread, size_t item),
                     void *arg);

#endif
