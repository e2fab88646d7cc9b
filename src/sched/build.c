/*
 * build.c - from Kubernetes objects to the scheduler's model.
 *
 * Reads, in input order: Namespaces, PriorityClasses, Nodes, Services,
 * PodDisruptionBudgets, then Pods and workloads. Pods already bound
 * (spec.nodeName) become load on their node; pending Pods and workloads
 * become pending pods in input order (replicas in ordinal order, DaemonSet
 * pods in node order). A workload that already owns Pods of the input only
 * adds the replicas still missing. Pods get the labels their controller
 * would give them (pod-template-hash, controller-revision-hash,
 * statefulset.kubernetes.io/pod-name, job-name ...), because spread
 * constraints and affinity terms select on them (matchLabelKeys).
 */
#include "sim.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define KS_MAX_REPLICAS 1000000

/* ---- helpers ------------------------------------------------------------------- */

void ks_warn(ks_sim *s, const ka_object *o, const ka_node *at, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *path = o && o->file ? o->file->src.path : "<input>";
    uint32_t line = at ? at->line : o && o->root ? o->root->line : 0;
    uint32_t col = at ? at->col : o && o->root ? o->root->col : 0;
    if (o)
        ka_diag_add(s->diags, KA_DIAG_WARNING, path, line, col, "%.*s %.*s%s%.*s: %s",
                    (int)o->kind.n, o->kind.p, (int)o->ns.n, o->ns.p, o->ns.n ? "/" : "",
                    (int)o->name.n, o->name.p, msg);
    else
        ka_diag_add(s->diags, KA_DIAG_WARNING, path, line, col, "%s", msg);
}

uint32_t ks_res_id(ks_sim *s, ka_str name, bool create)
{
    if (ka_str_eqc(name, "cpu"))
        return KS_R_CPU;
    if (ka_str_eqc(name, "memory"))
        return KS_R_MEM;
    if (ka_str_eqc(name, "ephemeral-storage"))
        return KS_R_EPH;
    uint32_t id = ks_intern(&s->str, name);
    for (uint32_t i = KS_R_NFIXED; i < s->nres; i++)
        if (s->res_name[i] == id)
            return i;
    if (!create)
        return KS_NONE;
    s->res_name = ka_xrealloc(s->res_name, (s->nres + 1) * sizeof *s->res_name);
    s->res_name[s->nres] = id;
    return s->nres++;
}

const ka_labels *ks_ns_labels(const ks_sim *s, uint32_t ns)
{
    static const ka_labels none = { 0, NULL };
    if (ns < s->nns_ls && s->ns_ls[ns])
        return &s->ls[s->ns_ls[ns] - 1].l;
    return &none;
}

uint32_t ks_topo_slot(ks_sim *s, uint32_t key)
{
    for (uint32_t i = 0; i < s->ntopo; i++)
        if (s->topo[i].key == key)
            return i;
    s->topo = ka_xrealloc(s->topo, (s->ntopo + 1) * sizeof *s->topo);
    ks_topo *t = &s->topo[s->ntopo];
    memset(t, 0, sizeof *t);
    t->key = key;
    t->dom = ka_xmalloc((s->nnodes ? s->nnodes : 1) * sizeof *t->dom);
    ka_hmap vals;
    ka_hmap_init(&vals, s->a);
    uint32_t cap = 0;
    for (uint32_t n = 0; n < s->nnodes; n++) {
        const ks_lset *ls = &s->ls[s->nodes[n].ls];
        bool has = false;
        uint32_t v = 0;
        for (uint32_t i = 0; i < ls->n; i++)
            if (ls->kv[i].k == key) {
                has = true;
                v = ls->kv[i].v;
            }
        if (!has) {
            t->dom[n] = -1;
            continue;
        }
        ka_str vk = { (const char *)&v, sizeof v };
        void **slot = ka_hmap_slot(&vals, vk);
        if (!*slot) {
            if (t->nd == cap) {
                cap = cap ? cap * 2 : 16;
                t->val = ka_xrealloc(t->val, cap * sizeof *t->val);
            }
            t->val[t->nd] = v;
            *slot = (void *)(uintptr_t)(++t->nd);
        }
        t->dom[n] = (int32_t)((uintptr_t)*slot - 1);
    }
    ka_hmap_free(&vals);
    /* hostname-like: as many domains as nodes with the label */
    uint32_t with = 0;
    for (uint32_t n = 0; n < s->nnodes; n++)
        with += t->dom[n] >= 0;
    t->single = t->nd == with;
    return s->ntopo++;
}

static ka_str str_of(const ka_node *n)
{
    if (!ka_is_scalar(n) || (ka_is_null(n) && n->style == KA_STYLE_PLAIN))
        return (ka_str){ "", 0 };
    return ka_node_str(n);
}

static ka_str fmt_str(ks_sim *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    return ka_arena_str(s->a, (ka_str){ buf, (size_t)n });
}

/* A hash in the alphabet upstream uses for generated names
 * (rand.SafeEncodeString of an FNV-32a), deterministic per object. */
static ka_str name_hash(ks_sim *s, const ka_object *o, const char *salt)
{
    static const char alpha[] = "bcdfghjklmnpqrstvwxz2456789";
    uint32_t h = 2166136261u;
    const ka_str parts[3] = { o->ns, o->name, ka_str_c(salt) };
    for (int p = 0; p < 3; p++)
        for (size_t i = 0; i < parts[p].n; i++) {
            h ^= (uint8_t)parts[p].p[i];
            h *= 16777619u;
        }
    char out[10];
    for (int i = 0; i < 10; i++) {
        out[i] = alpha[h % 27];
        h = h / 27 + (uint32_t)i * 2654435761u;
    }
    return ka_arena_str(s->a, (ka_str){ out, 10 });
}

/* ---- object iteration over the input and the generated set ------------------- */

static size_t nobj(const ks_sim *s)
{
    return ka_objset_count(s->set) + (s->gen ? ka_objset_count(s->gen) : 0);
}

static const ka_object *obj_at(const ks_sim *s, size_t i)
{
    size_t n = ka_objset_count(s->set);
    return i < n ? ka_objset_at(s->set, i) : ka_objset_at(s->gen, i - n);
}

static const ka_object *find_obj(const ks_sim *s, const char *kind, ka_str ns, ka_str name)
{
    const ka_object *o = ka_objset_find(s->set, kind, ns, name);
    if (!o && s->gen)
        o = ka_objset_find(s->gen, kind, ns, name);
    return o;
}

/* ---- namespaces -------------------------------------------------------------------- */

static void ns_set_labels(ks_sim *s, uint32_t ns, const ka_labels *l)
{
    if (ns >= s->nns_ls) {
        uint32_t cap = s->nns_ls ? s->nns_ls : 64;
        while (cap <= ns)
            cap *= 2;
        s->ns_ls = ka_xrealloc(s->ns_ls, cap * sizeof *s->ns_ls);
        memset(s->ns_ls + s->nns_ls, 0, (cap - s->nns_ls) * sizeof *s->ns_ls);
        s->nns_ls = cap;
    }
    s->ns_ls[ns] = ks_lset_intern(s, l) + 1;
}

/* Every namespace gets kubernetes.io/metadata.name, as the API server sets it. */
static void add_namespace(ks_sim *s, ka_str name, const ka_labels *own)
{
    uint32_t id = ks_intern(&s->str, name);
    if (!own && id < s->nns_ls && s->ns_ls[id])
        return;
    size_t n = own ? own->n : 0;
    ka_kv *kv = ka_arena_alloc(s->a, (n + 1) * sizeof *kv);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!ka_str_eqc(own->kv[i].key, "kubernetes.io/metadata.name"))
            kv[k++] = own->kv[i];
    kv[k].key = KA_STR("kubernetes.io/metadata.name");
    kv[k].val = ks_str(&s->str, id);
    k++;
    ka_labels l = { k, kv };
    ns_set_labels(s, id, &l);
}

/* ---- nodes --------------------------------------------------------------------------- */

typedef struct ralloc {
    uint32_t n;
    uint32_t *id;
    int64_t *v;
    int64_t pods;
} ralloc;

static const char *const pool_labels[] = {
    "kubearch.io/pool", "node.kubernetes.io/pool", "cloud.google.com/gke-nodepool",
    "eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool", "kubernetes.azure.com/agentpool",
    "agentpool", "node-pool", "nodepool", "pool",
};

static uint32_t index_of(ks_sim *s, ka_str **arr, uint32_t *n, ka_str v)
{
    for (uint32_t i = 0; i < *n; i++)
        if (ka_str_eq((*arr)[i], v))
            return i;
    *arr = ka_xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[*n] = ka_arena_str(s->a, v);
    return (*n)++;
}

static void add_node(ks_sim *s, const ka_object *o, ralloc *ra)
{
    ks_node *nd = &s->nodes[s->nnodes];
    memset(nd, 0, sizeof *nd);
    nd->name = o->name;
    nd->name_id = ks_intern(&s->str, o->name);
    nd->obj = o;
    nd->ls = ks_lset_intern(s, &o->labels);
    const ka_node *spec = o->spec;
    nd->unschedulable = ka_bool(ka_get(spec, "unschedulable")) == 1;
    const ka_node *taints = ka_get(spec, "taints");
    if (ka_is_seq(taints) && ka_node_n(taints)) {
        nd->taints = ka_arena_zalloc(s->a, ka_node_n(taints) * sizeof *nd->taints);
        for (uint32_t i = 0; i < ka_node_n(taints); i++) {
            const ka_node *t = KA_SEQ_ITEM(taints, i);
            ks_taint *x = &nd->taints[nd->ntaints++];
            x->key = str_of(ka_get(t, "key"));
            x->value = str_of(ka_get(t, "value"));
            x->effect_name = str_of(ka_get(t, "effect"));
            ka_str e = x->effect_name;
            x->effect = ka_str_eqc(e, "NoSchedule") ? KS_EFF_NOSCHEDULE
                        : ka_str_eqc(e, "PreferNoSchedule") ? KS_EFF_PREFER
                        : ka_str_eqc(e, "NoExecute") ? KS_EFF_NOEXECUTE : KS_EFF_OTHER;
        }
    }
    ka_str v;
    nd->control_plane = ka_labels_get(&o->labels, KA_STR("node-role.kubernetes.io/control-plane"), &v) ||
                        ka_labels_get(&o->labels, KA_STR("node-role.kubernetes.io/master"), &v);
    nd->zone = nd->pool = KS_NONE;
    if (ka_labels_get(&o->labels, KA_STR("topology.kubernetes.io/zone"), &v) ||
        ka_labels_get(&o->labels, KA_STR("failure-domain.beta.kubernetes.io/zone"), &v))
        nd->zone = index_of(s, &s->zones, &s->nzones, v);
    if (s->opts->pool_label) {
        if (ka_labels_get(&o->labels, ka_str_c(s->opts->pool_label), &v))
            nd->pool = index_of(s, &s->pools, &s->npools, v);
    } else {
        for (size_t i = 0; i < sizeof pool_labels / sizeof *pool_labels; i++)
            if (ka_labels_get(&o->labels, ka_str_c(pool_labels[i]), &v)) {
                nd->pool = index_of(s, &s->pools, &s->npools, v);
                break;
            }
    }
    const ka_node *status = ka_get(o->root, "status");
    const ka_node *al = ka_get(status, "allocatable");
    if (!ka_is_map(al))
        al = ka_get(status, "capacity");
    memset(ra, 0, sizeof *ra);
    ra->pods = 0;
    bool have_pods = false;
    if (ka_is_map(al) && ka_node_n(al)) {
        ra->id = ka_arena_alloc(s->a, ka_node_n(al) * sizeof *ra->id);
        ra->v = ka_arena_alloc(s->a, ka_node_n(al) * sizeof *ra->v);
        for (uint32_t i = 0; i < ka_node_n(al); i++) {
            ka_str name = ka_node_str(KA_MAP_KEY(al, i));
            const ka_node *vn = KA_MAP_VAL(al, i);
            ks_nano q;
            if (!ka_is_scalar(vn) || !ks_nano_parse(ka_node_str(vn), &q)) {
                ks_warn(s, o, vn, "invalid allocatable quantity for %.*s: ignored",
                        (int)name.n, name.p);
                continue;
            }
            if (ka_str_eqc(name, "pods")) {
                ra->pods = ks_nano_value(q);
                have_pods = true;
                continue;
            }
            uint32_t id = ks_res_id(s, name, true);
            ra->id[ra->n] = id;
            ra->v[ra->n] = id == KS_R_CPU ? ks_nano_milli(q) : ks_nano_value(q);
            ra->n++;
        }
    }
    if (!have_pods)
        ks_warn(s, o, status ? status : o->root,
                "no status.allocatable.pods (nor capacity): no pod fits this node");
    const ka_node *imgs = ka_get(status, "images");
    if (ka_is_seq(imgs) && ka_node_n(imgs)) {
        uint32_t total = 0;
        for (uint32_t i = 0; i < ka_node_n(imgs); i++) {
            const ka_node *names = ka_get(KA_SEQ_ITEM(imgs, i), "names");
            total += ka_is_seq(names) ? ka_node_n(names) : 0;
        }
        nd->images = total ? ka_arena_zalloc(s->a, total * sizeof *nd->images) : NULL;
        for (uint32_t i = 0; i < ka_node_n(imgs); i++) {
            const ka_node *im = KA_SEQ_ITEM(imgs, i);
            const ka_node *names = ka_get(im, "names");
            int64_t size = 0;
            ka_int(ka_get(im, "sizeBytes"), &size);
            for (uint32_t j = 0; ka_is_seq(names) && j < ka_node_n(names); j++) {
                uint32_t id = ks_intern(&s->str, str_of(KA_SEQ_ITEM(names, j)));
                bool dup = false;
                for (uint32_t k = 0; k < nd->nimages; k++)
                    dup |= nd->images[k].name == id;
                if (dup)
                    continue;
                nd->images[nd->nimages].name = id;
                nd->images[nd->nimages].size = size;
                nd->nimages++;
                if (id >= s->nimg_nodes) {
                    uint32_t cap = s->nimg_nodes ? s->nimg_nodes : 64;
                    while (cap <= id)
                        cap *= 2;
                    s->img_nodes = ka_xrealloc(s->img_nodes, cap * sizeof *s->img_nodes);
                    memset(s->img_nodes + s->nimg_nodes, 0,
                           (cap - s->nimg_nodes) * sizeof *s->img_nodes);
                    s->nimg_nodes = cap;
                }
                s->img_nodes[id]++;
            }
        }
    }
    *ka_hmap_slot(&s->node_by_name, o->name) = (void *)(uintptr_t)(s->nnodes + 1);
    s->nnodes++;
}

/* ---- policy objects ---------------------------------------------------------------- */

static void add_pc(ks_sim *s, ka_str name, int64_t value, bool def, bool never)
{
    s->pcs = ka_xrealloc(s->pcs, (s->npcs + 1) * sizeof *s->pcs);
    ks_pc *p = &s->pcs[s->npcs++];
    p->name = name;
    p->value = value > INT32_MAX ? INT32_MAX : value < INT32_MIN ? INT32_MIN : (int32_t)value;
    p->global_default = def;
    p->never = never;
}

static bool int_or_percent(const ka_node *n, int64_t *v, bool *pct)
{
    if (!n || ka_is_null(n))
        return false;
    if (ka_int(n, v)) {
        *pct = false;
        return true;
    }
    ka_str x = str_of(n);
    if (x.n >= 2 && x.p[x.n - 1] == '%') {
        int64_t acc = 0;
        for (size_t i = 0; i + 1 < x.n; i++) {
            if (x.p[i] < '0' || x.p[i] > '9' || acc > 1000000)
                return false;
            acc = acc * 10 + (x.p[i] - '0');
        }
        *v = acc;
        *pct = true;
        return true;
    }
    return false;
}

static void add_pdb(ks_sim *s, const ka_object *o)
{
    const ka_node *spec = o->spec;
    ks_pdb d;
    memset(&d, 0, sizeof d);
    d.obj = o;
    d.ns = ks_intern(&s->str, o->ns);
    char err[512];
    const ka_node *bad = NULL;
    const ka_node *sel = ka_get(spec, "selector");
    if (ka_selector_from_node(s->a, sel, &d.sel, &bad, err, sizeof err) != 0) {
        ks_warn(s, o, bad ? bad : sel, "invalid selector: %s", err);
        return;
    }
    d.sel_valid = true;
    d.has_min = int_or_percent(ka_get(spec, "minAvailable"), &d.min, &d.min_pct);
    d.has_max = int_or_percent(ka_get(spec, "maxUnavailable"), &d.max, &d.max_pct);
    s->pdbs = ka_xrealloc(s->pdbs, (s->npdbs + 1) * sizeof *s->pdbs);
    s->pdbs[s->npdbs++] = d;
}

/* ---- pods --------------------------------------------------------------------------- */

static uint32_t add_wl(ks_sim *s, const ka_object *o, uint64_t objidx)
{
    if (s->nwls == s->capwls) {
        s->capwls = s->capwls ? s->capwls * 2 : 64;
        s->wls = ka_xrealloc(s->wls, s->capwls * sizeof *s->wls);
    }
    ks_wl *w = &s->wls[s->nwls];
    memset(w, 0, sizeof *w);
    w->kind = o->kind;
    w->ns = o->ns;
    w->name = o->name;
    w->obj = o;
    w->ns_id = ks_intern(&s->str, o->ns);
    w->replicas = -1;
    w->first_pod = s->npods;
    w->order = objidx;
    return s->nwls++;
}

static uint32_t add_pod(ks_sim *s, ka_str name, uint32_t tmpl, const ka_labels *base,
                        const ka_kv *extra, size_t nextra, uint32_t wl)
{
    if (s->npods == s->cappods) {
        s->cappods = s->cappods ? s->cappods * 2 : 1024;
        s->pods = ka_xrealloc(s->pods, s->cappods * sizeof *s->pods);
    }
    uint32_t id = s->npods++;
    ks_pod *p = &s->pods[id];
    memset(p, 0, sizeof *p);
    p->name = name;
    p->tmpl = tmpl;
    p->ns = s->tmpls[tmpl].ns;
    p->wl = wl;
    p->prio = s->tmpls[tmpl].priority;
    if (nextra == 0) {
        p->ls = ks_lset_intern(s, base);
    } else {
        ka_kv kv[80];
        size_t n = 0;
        for (size_t i = 0; i < base->n && n < 64; i++) {
            bool replaced = false;
            for (size_t j = 0; j < nextra; j++)
                replaced |= ka_str_eq(base->kv[i].key, extra[j].key);
            if (!replaced)
                kv[n++] = base->kv[i];
        }
        for (size_t j = 0; j < nextra && n < 80; j++)
            kv[n++] = extra[j];
        ka_labels l = { n, kv };
        p->ls = ks_lset_intern(s, &l);
    }
    return id;
}

/* The workload (in the input) a Pod belongs to through its controller
 * ownerReference: a ReplicaSet of a Deployment counts for the Deployment,
 * a Job of a CronJob for the CronJob. */
static const ka_object *owner_workload(const ks_sim *s, const ka_object *o, int depth)
{
    const ka_node *refs = ka_path(o->meta, "ownerReferences", NULL);
    for (uint32_t i = 0; ka_is_seq(refs) && i < ka_node_n(refs); i++) {
        const ka_node *r = KA_SEQ_ITEM(refs, i);
        if (ka_bool(ka_get(r, "controller")) != 1)
            continue;
        ka_str kind = str_of(ka_get(r, "kind")), name = str_of(ka_get(r, "name"));
        char k[64];
        if (kind.n == 0 || kind.n >= sizeof k)
            return NULL;
        memcpy(k, kind.p, kind.n);
        k[kind.n] = 0;
        const ka_object *w = find_obj(s, k, o->ns, name);
        if (!w)
            return NULL;
        if (depth < 2 && (ka_str_eqc(kind, "ReplicaSet") || ka_str_eqc(kind, "Job"))) {
            const ka_object *up = owner_workload(s, w, depth + 1);
            if (up)
                return up;
        }
        return w;
    }
    return NULL;
}

static bool pod_terminal(const ka_object *o)
{
    ka_str phase = str_of(ka_path(o->root, "status", "phase", NULL));
    return ka_str_eqc(phase, "Succeeded") || ka_str_eqc(phase, "Failed");
}

typedef struct owned_count {
    ka_hmap map;                 /* workload object pointer -> Pods it owns */
    ka_hmap wl_of;               /* workload object pointer -> index + 1 */
} owned_count;

static uint32_t owned_get(owned_count *c, const ka_object *w)
{
    ka_str k = { (const char *)&w, sizeof w };
    return (uint32_t)(uintptr_t)ka_hmap_get(&c->map, k);
}

static void set_owner_sel(ks_sim *s, ks_wl *w, const ka_object *o, const ka_node *sel,
                          ka_str hash_key, ka_str hash)
{
    char err[256];
    if (ka_str_eqc(o->kind, "ReplicationController")) {
        const ka_node *m = ka_path(o->spec, "selector", NULL);
        if (!ka_is_map(m) || ka_node_n(m) == 0)
            m = ka_get(o->pod ? o->pod->meta : NULL, "labels");
        if (ka_selector_from_map(s->a, m, &w->owner_sel) == 0)
            w->has_owner_sel = true;
        return;
    }
    if (ka_selector_from_node(s->a, sel, &w->owner_sel, NULL, err, sizeof err) != 0 ||
        w->owner_sel.nothing)
        return;
    w->has_owner_sel = true;
    if (hash_key.n) {
        /* the ReplicaSet of a Deployment selects its pod-template-hash too */
        ka_requirement *r = ka_arena_alloc(s->a, (w->owner_sel.n + 1) * sizeof *r);
        if (w->owner_sel.n)
            memcpy(r, w->owner_sel.reqs, w->owner_sel.n * sizeof *r);
        ka_str *v = ka_arena_alloc(s->a, sizeof *v);
        v[0] = hash;
        r[w->owner_sel.n] = (ka_requirement){ hash_key, KA_SEL_IN, 1, v };
        w->owner_sel.reqs = r;
        w->owner_sel.n++;
    }
}

static bool name_taken(const ks_sim *s, ka_str ns, ka_str name)
{
    return find_obj(s, "Pod", ns, name) != NULL;
}

static void expand_workload(ks_sim *s, const ka_object *o, owned_count *owned, uint64_t objidx)
{
    const ka_podview *pv = o->pod;
    ka_str k = o->kind;
    bool deploy = ka_str_eqc(k, "Deployment") || ka_str_eqc(k, "Rollout");
    bool rs = ka_str_eqc(k, "ReplicaSet"), sts = ka_str_eqc(k, "StatefulSet");
    bool rc = ka_str_eqc(k, "ReplicationController"), ds = ka_str_eqc(k, "DaemonSet");
    bool job = ka_str_eqc(k, "Job"), cron = ka_str_eqc(k, "CronJob");
    if (!deploy && !rs && !sts && !rc && !ds && !job && !cron)
        return;
    if (!pv->spec) {
        ks_warn(s, o, o->root, "no pod template: nothing to schedule");
        return;
    }
    /* a ReplicaSet of a Deployment in the input, a Job of a CronJob in the
     * input: the owner stands for them */
    if ((rs || job) && owner_workload(s, o, 1) != NULL && owner_workload(s, o, 1) != o)
        return;
    const ka_node *spec = o->spec;
    int64_t want = pv->replicas;
    if (job || cron) {
        const ka_node *js = cron ? ka_path(spec, "jobTemplate", "spec", NULL) : spec;
        int64_t par = 1, comp = -1;
        const ka_node *pn = ka_get(js, "parallelism");
        if (pn && !ka_is_null(pn))
            ka_int(pn, &par);
        if (!ka_int(ka_get(js, "completions"), &comp))
            comp = -1;
        want = comp >= 0 && comp < par ? comp : par;
        if (ka_bool(ka_get(js, "suspend")) == 1)
            want = 0;
    }
    if (want > KS_MAX_REPLICAS) {
        ks_warn(s, o, ka_get(spec, "replicas"),
                "%lld replicas: only the first %d are simulated", (long long)want, KS_MAX_REPLICAS);
        want = KS_MAX_REPLICAS;
    }
    uint32_t wl = add_wl(s, o, objidx);
    ks_wl *w = &s->wls[wl];
    {
        ka_str key = { (const char *)&o, sizeof o };
        *ka_hmap_slot(&owned->wl_of, key) = (void *)(uintptr_t)(wl + 1);
    }
    w->nexisting = owned_get(owned, o);
    w->replicas = ds ? -1 : want;
    w->daemonset = ds;
    uint32_t tmpl = ks_tmpl_add(s, o, pv->spec, pv->meta, wl);
    ka_kv extra[6];
    size_t nextra = 0;
    ka_str hash = name_hash(s, o, "template");
    if (deploy) {
        extra[nextra++] = (ka_kv){ KA_STR("pod-template-hash"), hash };
        set_owner_sel(s, w, o, pv->selector, KA_STR("pod-template-hash"), hash);
    } else if (rs || rc) {
        set_owner_sel(s, w, o, pv->selector, (ka_str){ "", 0 }, hash);
    } else if (sts) {
        extra[nextra++] = (ka_kv){ KA_STR("controller-revision-hash"),
                                   fmt_str(s, "%.*s-%.*s", (int)o->name.n, o->name.p, 10, hash.p) };
        set_owner_sel(s, w, o, pv->selector, (ka_str){ "", 0 }, hash);
        const ka_node *vct = ka_get(spec, "volumeClaimTemplates");
        s->tmpls[tmpl].zone_pinned = ka_is_seq(vct) && ka_node_n(vct) > 0;
        w->quorum = want >= 3 && want % 2 == 1;
    } else if (ds) {
        extra[nextra++] = (ka_kv){ KA_STR("controller-revision-hash"), hash };
        extra[nextra++] = (ka_kv){ KA_STR("pod-template-generation"), KA_STR("1") };
    } else {
        ka_str jn = o->name;
        extra[nextra++] = (ka_kv){ KA_STR("batch.kubernetes.io/controller-uid"), hash };
        extra[nextra++] = (ka_kv){ KA_STR("batch.kubernetes.io/job-name"), jn };
        extra[nextra++] = (ka_kv){ KA_STR("controller-uid"), hash };
        extra[nextra++] = (ka_kv){ KA_STR("job-name"), jn };
    }
    if (ds) {
        uint8_t *has_daemon = NULL;
        if (owned_get(owned, o) > 0) {
            has_daemon = ka_xcalloc(s->nnodes ? s->nnodes : 1, 1);
            for (size_t i = 0; i < nobj(s); i++) {
                const ka_object *po = obj_at(s, i);
                if (!ka_str_eqc(po->kind, "Pod") || pod_terminal(po) ||
                    owner_workload(s, po, 0) != o)
                    continue;
                ka_str nn = str_of(ka_path(po->root, "spec", "nodeName", NULL));
                uint32_t idx = (uint32_t)(uintptr_t)ka_hmap_get(&s->node_by_name, nn);
                if (idx)
                    has_daemon[idx - 1] = 1;
            }
        }
        /* one pod per node the DaemonSet controller would run it on: node
         * affinity + nodeSelector match, NoSchedule/NoExecute taints tolerated */
        ks_tmpl *t = &s->tmpls[tmpl];
        for (uint32_t n = 0; n < s->nnodes; n++) {
            if (!ks_req_aff_match(s, t, n))
                continue;
            const ks_node *nd = &s->nodes[n];
            bool ok = true;
            for (uint32_t i = 0; i < nd->ntaints && ok; i++)
                if ((nd->taints[i].effect == KS_EFF_NOSCHEDULE ||
                     nd->taints[i].effect == KS_EFF_NOEXECUTE) &&
                    !ks_tolerates(t->tolers, t->ntolers, &nd->taints[i]))
                    ok = false;
            if (!ok)
                continue;
            if (has_daemon && has_daemon[n])
                continue; /* an input Pod of this DaemonSet runs there already */
            ka_str name = fmt_str(s, "%.*s-%.*s", (int)o->name.n, o->name.p,
                                  (int)nd->name.n, nd->name.p);
            uint32_t p = add_pod(s, name, tmpl, &pv->labels, extra, nextra, wl);
            s->pods[p].pin = n + 1;
            s->pods[p].daemon = true;
            s->pods[p].order = objidx << 32 | n;
            w->npods++;
        }
        free(has_daemon);
        return;
    }
    int64_t missing = want - (int64_t)w->nexisting;
    for (int64_t i = 0, made = 0; made < missing && i < want + (int64_t)w->nexisting + 100000;
         i++) {
        ka_str name = fmt_str(s, "%.*s-%" PRId64, (int)o->name.n, o->name.p, i);
        if (w->nexisting && name_taken(s, o->ns, name))
            continue;
        size_t ne = nextra;
        if (sts) {
            extra[ne++] = (ka_kv){ KA_STR("statefulset.kubernetes.io/pod-name"), name };
            extra[ne++] = (ka_kv){ KA_STR("apps.kubernetes.io/pod-index"), fmt_str(s, "%" PRId64, i) };
        }
        uint32_t p = add_pod(s, name, tmpl, &pv->labels, extra, ne, wl);
        s->pods[p].order = objidx << 32 | (uint64_t)i;
        w->npods++;
        made++;
    }
}

/* What the scheduler reads of a Pod's spec, serialised: Pods with the same
 * signature (the replicas of one ReplicaSet, however their names, volumes
 * and node differ) share one template. */
static void sig_node(ka_buf *b, const ka_node *n)
{
    if (!n) {
        ka_buf_addc(b, '~');
        return;
    }
    if (ka_is_scalar(n)) {
        ka_buf_printf(b, "%u:", ka_node_n(n));
        ka_buf_add(b, n->u.s, ka_node_n(n));
        return;
    }
    ka_buf_addc(b, ka_is_map(n) ? '{' : '[');
    uint32_t k = ka_is_map(n) ? 2 * ka_node_n(n) : ka_node_n(n);
    for (uint32_t i = 0; i < k; i++) {
        sig_node(b, &n->u.kids[i]);
        ka_buf_addc(b, ',');
    }
    ka_buf_addc(b, ka_is_map(n) ? '}' : ']');
}

static void pod_signature(const ka_object *o, ka_buf *b)
{
    static const char *const fields[] = {
        "overhead", "nodeSelector", "affinity", "tolerations", "topologySpreadConstraints",
        "priority", "priorityClassName", "preemptionPolicy", "schedulerName", "schedulingGates",
        "hostNetwork", "resources",
    };
    static const char *const cfields[] = { "image", "resources", "ports", "restartPolicy" };
    const ka_node *spec = o->pod->spec;
    ka_buf_reset(b);
    ka_buf_addstr(b, o->ns);
    ka_buf_addc(b, '|');
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        ka_buf_adds(b, fields[i]);
        sig_node(b, ka_get(spec, fields[i]));
    }
    for (int k = 0; k < 2; k++) {
        const ka_node *cs = ka_get(spec, k ? "initContainers" : "containers");
        ka_buf_adds(b, k ? "|init" : "|main");
        for (uint32_t i = 0; ka_is_seq(cs) && i < ka_node_n(cs); i++) {
            ka_buf_addc(b, '<');
            for (size_t j = 0; j < sizeof cfields / sizeof *cfields; j++)
                sig_node(b, ka_get(KA_SEQ_ITEM(cs, i), cfields[j]));
            ka_buf_addc(b, '>');
        }
    }
}

/* A Pod object of the input: bound load, or a pending pod. */
static void add_input_pod(ks_sim *s, const ka_object *o, owned_count *owned, uint64_t objidx)
{
    if (pod_terminal(o) || !o->pod || !o->pod->spec)
        return;
    const ka_object *ow = owner_workload(s, o, 0);
    uint32_t wl = KS_NONE;
    if (ow) {
        ka_str key = { (const char *)&ow, sizeof ow };
        uint32_t v = (uint32_t)(uintptr_t)ka_hmap_get(&owned->wl_of, key);
        if (v)
            wl = v - 1;
    }
    bool own_wl = wl == KS_NONE;
    if (own_wl) {
        wl = add_wl(s, o, objidx);
        s->wls[wl].replicas = 1;
    }
    ka_str nn = str_of(ka_path(o->spec, "nodeName", NULL));
    uint32_t idx = 0;
    if (nn.n) {
        idx = (uint32_t)(uintptr_t)ka_hmap_get(&s->node_by_name, nn);
        if (!idx) {
            ks_warn(s, o, ka_path(o->spec, "nodeName", NULL),
                    "bound to node \"%.*s\", which is not in the input: ignored",
                    (int)nn.n, nn.p);
            if (own_wl)
                s->nwls--;
            return;
        }
    }
    pod_signature(o, &s->tmp);
    void **slot = ka_hmap_slot(&s->tmpl_map, (ka_str){ s->tmp.p, s->tmp.n });
    uint32_t tmpl;
    if (*slot) {
        tmpl = (uint32_t)(uintptr_t)*slot - 1;
    } else {
        tmpl = ks_tmpl_add(s, o, o->pod->spec, o->meta, wl);
        *slot = (void *)(uintptr_t)(tmpl + 1);
    }
    uint32_t p = add_pod(s, o->name, tmpl, &o->labels, NULL, 0, wl);
    ks_pod *pod = &s->pods[p];
    pod->order = objidx << 32;
    /* who recreates it when it is evicted or its node is lost: its
     * controller, in the input or not; DaemonSet and mirror pods stay put */
    pod->bare = true;
    const ka_node *refs = ka_path(o->meta, "ownerReferences", NULL);
    for (uint32_t i = 0; ka_is_seq(refs) && i < ka_node_n(refs); i++) {
        const ka_node *r = KA_SEQ_ITEM(refs, i);
        if (ka_bool(ka_get(r, "controller")) != 1)
            continue;
        ka_str kind = str_of(ka_get(r, "kind"));
        pod->bare = false;
        pod->daemon = ka_str_eqc(kind, "DaemonSet") || ka_str_eqc(kind, "Node");
    }
    pod->prebound = idx;
    const ka_node *dt = ka_get(o->meta, "deletionTimestamp");
    pod->terminating = dt && !ka_is_null(dt);
    s->wls[wl].npods++;
}

static bool is_workload_kind(ka_str k)
{
    return ka_str_eqc(k, "Deployment") || ka_str_eqc(k, "ReplicaSet") ||
           ka_str_eqc(k, "StatefulSet") || ka_str_eqc(k, "ReplicationController") ||
           ka_str_eqc(k, "DaemonSet") || ka_str_eqc(k, "Job") || ka_str_eqc(k, "CronJob") ||
           ka_str_eqc(k, "Rollout");
}

int ks_build(ks_sim *s)
{
    s->nres = KS_R_NFIXED;
    s->res_name = ka_xcalloc(KS_R_NFIXED, sizeof *s->res_name);
    s->res_name[KS_R_CPU] = ks_intern(&s->str, KA_STR("cpu"));
    s->res_name[KS_R_MEM] = ks_intern(&s->str, KA_STR("memory"));
    s->res_name[KS_R_EPH] = ks_intern(&s->str, KA_STR("ephemeral-storage"));
    s->hostname_key = ks_intern(&s->str, KA_STR("kubernetes.io/hostname"));
    s->zone_key = ks_intern(&s->str, KA_STR("topology.kubernetes.io/zone"));

    size_t total = nobj(s);
    /* built-in priority classes exist in every cluster */
    add_pc(s, KA_STR("system-cluster-critical"), 2000000000, false, false);
    add_pc(s, KA_STR("system-node-critical"), 2000001000, false, false);
    uint32_t nnodes = 0;
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (ka_str_eqc(o->kind, "Namespace"))
            add_namespace(s, o->name, &o->labels);
        else if (ka_str_eqc(o->kind, "PriorityClass")) {
            int64_t v = 0;
            ka_int(ka_get(o->root, "value"), &v);
            add_pc(s, o->name, v, ka_bool(ka_get(o->root, "globalDefault")) == 1,
                   ka_str_eqc(str_of(ka_get(o->root, "preemptionPolicy")), "Never"));
        } else if (ka_str_eqc(o->kind, "Node"))
            nnodes++;
    }
    ks_profile_default(s, &s->prof);
    if (s->opts->scheduler_config && ks_profile_load(s, s->opts->scheduler_config, &s->prof) < 0)
        return -1;

    s->nodes = ka_xcalloc(nnodes ? nnodes : 1, sizeof *s->nodes);
    ralloc *ra = ka_xcalloc(nnodes ? nnodes : 1, sizeof *ra);
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (!ka_str_eqc(o->kind, "Node"))
            continue;
        if (ka_hmap_get(&s->node_by_name, o->name)) {
            ks_warn(s, o, o->root, "duplicate node name: ignored");
            continue;
        }
        add_node(s, o, &ra[s->nnodes]);
    }
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (ka_str_eqc(o->kind, "Service")) {
            const ka_node *sel = ka_path(o->spec, "selector", NULL);
            if (!ka_is_map(sel))
                continue; /* a nil selector matches nothing */
            s->svcs = ka_xrealloc(s->svcs, (s->nsvcs + 1) * sizeof *s->svcs);
            ks_svc *v = &s->svcs[s->nsvcs];
            v->ns = ks_intern(&s->str, o->ns);
            if (ka_selector_from_map(s->a, sel, &v->sel) == 0)
                s->nsvcs++;
        } else if (ka_str_eqc(o->kind, "PodDisruptionBudget")) {
            add_pdb(s, o);
        }
    }

    /* pods: first count the Pods each workload already owns, then expand
     * the workloads (only the missing replicas), then the Pods themselves */
    owned_count owned;
    ka_hmap_init(&owned.map, s->a);
    ka_hmap_init(&owned.wl_of, s->a);
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (!ka_str_eqc(o->kind, "Pod") || pod_terminal(o))
            continue;
        const ka_object *w = owner_workload(s, o, 0);
        if (!w)
            continue;
        ka_str key = { (const char *)&w, sizeof w };
        void **slot = ka_hmap_slot(&owned.map, key);
        *slot = (void *)((uintptr_t)*slot + 1);
    }
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (is_workload_kind(o->kind) && o->pod)
            expand_workload(s, o, &owned, i);
    }
    for (size_t i = 0; i < total; i++) {
        const ka_object *o = obj_at(s, i);
        if (ka_str_eqc(o->kind, "Pod"))
            add_input_pod(s, o, &owned, i);
    }
    ka_hmap_free(&owned.map);
    ka_hmap_free(&owned.wl_of);

    /* namespaces used by pods exist in a real cluster */
    for (uint32_t p = 0; p < s->npods; p++)
        add_namespace(s, ks_str(&s->str, s->pods[p].ns), NULL);

    /* allocatable matrix, now that every resource name is known */
    s->alloc = ka_xcalloc((size_t)(s->nnodes ? s->nnodes : 1) * s->nres, sizeof *s->alloc);
    s->alloc_pods = ka_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *s->alloc_pods);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        for (uint32_t i = 0; i < ra[n].n; i++)
            s->alloc[(size_t)n * s->nres + ra[n].id[i]] = ra[n].v[i];
        s->alloc_pods[n] = ra[n].pods;
    }
    free(ra);
    /* external etcd members (spec input) live in zones */
    if (s->netcd) {
        s->etcd_zone = ka_xmalloc(s->netcd * sizeof *s->etcd_zone);
        for (uint32_t i = 0; i < s->netcd; i++) {
            s->etcd_zone[i] = KS_NONE;
            for (uint32_t z = 0; z < s->nzones; z++)
                if (ka_str_eq(s->zones[z], s->etcd_zone_name[i]))
                    s->etcd_zone[i] = z;
        }
    }
    return 0;
}
