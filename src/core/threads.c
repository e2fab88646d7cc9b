/*
 * threads.c - n calls of a function on n threads (threads.h).
 */
#include "threads.h"
#include "kubearch/base.h"

#include <pthread.h>
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
