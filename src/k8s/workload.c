/*
 * workload.c - the pod-template view of Pod, Deployment, ReplicaSet,
 * StatefulSet, DaemonSet, ReplicationController, Job, CronJob (and Argo
 * Rollout, which embeds a Deployment-shaped template).
 */
#include "kubearch/object.h"

#include <string.h>

static void add_containers(ka_arena *a, ka_podview *pv, const ka_node *seq, ka_ctype type,
                           size_t *at)
{
    if (!ka_is_seq(seq))
        return;
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *c = KA_SEQ_ITEM(seq, i);
        if (!ka_is_map(c))
            continue;
        ka_container *k = &pv->containers[(*at)++];
        k->node = c;
        k->name = ka_node_str(ka_get(c, "name"));
        k->type = type;
        /* Native sidecars (KEP-753): init containers that keep running. */
        if (type == KA_CT_INIT && ka_str_eqc(ka_node_str(ka_get(c, "restartPolicy")), "Always"))
            k->type = KA_CT_SIDECAR;
    }
    (void)a;
}

static size_t count_seq(const ka_node *n)
{
    return ka_is_seq(n) ? ka_node_n(n) : 0;
}

void ka_podview_build(ka_arena *a, ka_object *o)
{
    const ka_node *spec = o->spec;
    const ka_node *tmpl = NULL, *meta = NULL, *pspec = NULL;
    int64_t replicas = -1;
    bool replicas_set = false, has_replicas = false;
    const ka_node *selector = NULL;
    ka_str k = o->kind;

    if (ka_str_eqc(k, "Pod")) {
        meta = o->meta;
        pspec = spec;
        replicas = 1;
    } else if (ka_str_eqc(k, "Deployment") || ka_str_eqc(k, "ReplicaSet") ||
               ka_str_eqc(k, "StatefulSet") || ka_str_eqc(k, "ReplicationController") ||
               (ka_str_eqc(k, "Rollout") && ka_str_eqc(o->group, "argoproj.io"))) {
        tmpl = ka_get(spec, "template");
        has_replicas = true;
        selector = ka_get(spec, "selector");
    } else if (ka_str_eqc(k, "DaemonSet") || ka_str_eqc(k, "Job")) {
        tmpl = ka_get(spec, "template");
        selector = ka_get(spec, "selector");
    } else if (ka_str_eqc(k, "CronJob")) {
        tmpl = ka_path(spec, "jobTemplate", "spec", "template", NULL);
    } else {
        return;
    }
    if (tmpl) {
        meta = ka_get(tmpl, "metadata");
        pspec = ka_get(tmpl, "spec");
    }
    if (has_replicas) {
        int64_t r;
        const ka_node *rn = ka_get(spec, "replicas");
        if (rn && !ka_is_null(rn) && ka_int(rn, &r)) {
            replicas = r;
            replicas_set = true;
        } else {
            replicas = 1; /* the API server defaults replicas to 1 */
        }
    }
    ka_podview *pv = ka_arena_zalloc(a, sizeof *pv);
    pv->meta = ka_is_map(meta) ? meta : NULL;
    pv->spec = ka_is_map(pspec) ? pspec : NULL;
    pv->labels = ka_labels_from_node(a, ka_get(pv->meta, "labels"));
    pv->annotations = ka_labels_from_node(a, ka_get(pv->meta, "annotations"));
    pv->replicas = replicas;
    pv->replicas_set = replicas_set;
    pv->selector = selector;
    const ka_node *cs = ka_get(pv->spec, "containers");
    const ka_node *ic = ka_get(pv->spec, "initContainers");
    const ka_node *ec = ka_get(pv->spec, "ephemeralContainers");
    size_t total = count_seq(cs) + count_seq(ic) + count_seq(ec);
    pv->containers = total ? ka_arena_zalloc(a, total * sizeof(ka_container)) : NULL;
    size_t at = 0;
    add_containers(a, pv, cs, KA_CT_MAIN, &at);
    add_containers(a, pv, ic, KA_CT_INIT, &at);
    add_containers(a, pv, ec, KA_CT_EPHEMERAL, &at);
    pv->ncontainers = at;
    o->pod = pv;
}
