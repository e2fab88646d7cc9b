/*
 * test_sched_harness.h - running the simulator on YAML text in unit tests
 * (included by tests/unit/test_sched_*.c; each is its own program).
 */
#ifndef TEST_SCHED_HARNESS_H
#define TEST_SCHED_HARNESS_H

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-function"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubearch/kubearch.h"
#include "kubearch/sched.h"
#include "sched/sim.h"

typedef struct th {
    ka_objset *set;
    ka_diags d;
    ka_sim *sim;
    ks_sim *s;
    ka_sim_opts o;
} th;

/* Run the simulation on yaml; explain every pod unless o says otherwise. */
static ks_sim *th_run_opts(th *x, const char *yaml, const ka_sim_opts *o)
{
    memset(x, 0, sizeof *x);
    ka_diags_init(&x->d);
    x->set = ka_objset_new(NULL);
    ka_file *f = ka_load_buffer("test.yaml", yaml, strlen(yaml), NULL, &x->d);
    ka_objset_add_file(x->set, f, &x->d);
    ka_objset_index(x->set);
    if (o)
        x->o = *o;
    else
        x->o.explain_all = true;
    if (ka_sim_run(x->set, &x->o, &x->d, &x->sim) != 0) {
        ka_diags_print(&x->d, stderr);
        return NULL;
    }
    if (x->d.errors)
        ka_diags_print(&x->d, stderr);
    x->s = (ks_sim *)x->sim;
    return x->s;
}

static ks_sim *th_run(th *x, const char *yaml)
{
    ks_sim *s = th_run_opts(x, yaml, NULL);
    assert_non_null(s);
    return s;
}

static void th_free(th *x)
{
    ka_sim_free(x->sim);
    ka_objset_free(x->set);
    ka_diags_free(&x->d);
}

static uint32_t th_pod(const ks_sim *s, const char *name)
{
    for (uint32_t p = 0; p < s->npods; p++)
        if (ka_str_eqc(s->pods[p].name, name))
            return p;
    print_error("no pod %s\n", name);
    fail();
    return 0;
}

static uint32_t th_node(const ks_sim *s, const char *name)
{
    for (uint32_t n = 0; n < s->nnodes; n++)
        if (ka_str_eqc(s->nodes[n].name, name))
            return n;
    print_error("no node %s\n", name);
    fail();
    return 0;
}

/* Node the pod ended on, "" when none. */
static const char *th_where(const ks_sim *s, const char *pod)
{
    int32_t n = s->st.pod_node[th_pod(s, pod)];
    static char buf[128];
    if (n < 0)
        return "";
    snprintf(buf, sizeof buf, "%.*s", (int)s->nodes[n].name.n, s->nodes[n].name.p);
    return buf;
}

static const char *th_msg(const ks_sim *s, const char *pod)
{
    const char *m = s->res[th_pod(s, pod)].message;
    return m ? m : "";
}

static const ks_xnode *th_x(const ks_sim *s, const char *pod, const char *node)
{
    const ks_explain *e = s->res[th_pod(s, pod)].explain;
    assert_non_null(e);
    uint32_t n = th_node(s, node);
    for (uint32_t i = 0; i < e->n; i++)
        if (e->v[i].node == n)
            return &e->v[i];
    fail();
    return NULL;
}

/* Normalised score of plugin p for pod on node (feasible nodes). */
static int64_t th_score(const ks_sim *s, const char *pod, const char *node, uint8_t p)
{
    const ks_xnode *x = th_x(s, pod, node);
    if (x->plugin) {
        print_error("%s on %s: infeasible (%s)\n", pod, node, ks_plugin_name(x->plugin));
        fail();
    }
    return x->sc[p];
}

/* The reasons for pod on node, joined with "; ", "" when feasible. */
static const char *th_reasons(const ks_sim *s, const char *pod, const char *node)
{
    static char buf[1024];
    const ks_xnode *x = th_x(s, pod, node);
    size_t at = 0;
    buf[0] = 0;
    for (uint32_t r = 0; r < x->nr; r++) {
        ka_str t = ks_str(&s->reasons, x->reasons[r]);
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", r ? "; " : "", (int)t.n, t.p);
    }
    return buf;
}

#define NODE(name, zone, extra_labels, alloc, spec)                                              \
    "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: " name "\n  labels: {kubernetes.io/hostname: " \
    name ", topology.kubernetes.io/zone: " zone extra_labels "}\n" spec "status:\n  allocatable: {" alloc "}\n"

#endif
