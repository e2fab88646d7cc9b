/*
 * threads.c - n calls of a function on n threads (threads.h).
 */
#include "threads.h"
#include "kubearch/base.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

unsigned ka_threads_auto(unsigned asked)
{
    if (asked)
        return asked;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c > 1 ? (unsigned)(c > 8 ? 8 : c) : 1;
}

typedef struct call {
    void (*fn)(void *arg, unsigned i);
    void *arg;
    unsigned i;
    pthread_t tid;
    bool started;
} call;

static void *start(void *p)
{
    call *c = p;
    c->fn(c->arg, c->i);
    return NULL;
}

void ka_threads_run(unsigned n, void (*fn)(void *arg, unsigned i), void *arg)
{
    if (n <= 1) {
        if (n == 1)
            fn(arg, 0);
        return;
    }
    call *c = ka_xcalloc(n, sizeof *c);
    for (unsigned i = 1; i < n; i++) {
        c[i] = (call){ fn, arg, i, 0, false };
        c[i].started = pthread_create(&c[i].tid, NULL, start, &c[i]) == 0;
    }
    fn(arg, 0);
    for (unsigned i = 1; i < n; i++) {
        if (c[i].started)
            pthread_join(c[i].tid, NULL);
        else
            fn(arg, i);
    }
    free(c);
}

typedef struct each {
    void (*fn)(void *arg, unsigned thread, size_t item);
    void *arg;
    size_t n;
    atomic_size_t next;
} each;

static void take_items(void *p, unsigned thread)
{
    each *e = p;
    for (size_t i; (i = atomic_fetch_add(&e->next, 1)) < e->n;)
        e->fn(e->arg, thread, i);
}

void ka_threads_each(unsigned nt, size_t n, void (*fn)(void *arg, unsigned thread, size_t item),
                     void *arg)
{
    each e = { fn, arg, n, 0 };
    ka_threads_run(nt, take_items, &e);
}
