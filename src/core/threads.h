/*
 * threads.h - the one way kubearch shares work among threads: n calls of a
 * function, each with its index, the caller's thread taking the first.
 * Internal to libkubearch.
 */
#ifndef KA_THREADS_H
#define KA_THREADS_H

/* Threads to use when asked for `asked` (0: one per CPU, at most 8). */
unsigned ka_threads_auto(unsigned asked);

/* Calls fn(arg, i) for i in 0..n-1, each on a thread of its own (i = 0 on
 * the caller's), and returns when all are done. A thread that cannot be
 * started runs its call on the caller's thread afterwards, so every call
 * happens whatever the system allows. */
void ka_threads_run(unsigned n, void (*fn)(void *arg, unsigned i), void *arg);

#endif
