/*
 * tmpl.c - a pod spec compiled once for all the pods made from it.
 *
 * A template holds everything the scheduler reads from a PodSpec: requests
 * aggregated as PodRequests does (containers summed, init containers as a
 * peak, sidecars counted for the rest of the pod's life, overhead added),
 * with API-server defaulting applied first (limits become missing requests)
 * and LimitRange admission defaults; host ports; tolerations; node selector
 * and node affinity; topology spread constraints; pod (anti-)affinity terms;
 * images. Per-node answers that never change while pods come and go
 * (unschedulable, taints, node affinity, static raw scores) are computed
 * lazily, once per template (ks_tmpl_static).
 */
#include "sim.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- resources --------------------------------------------------------------- */

/* Resource names the scheduler accounts for: cpu, memory,
 * ephemeral-storage and the "scalar" ones (extended resources, hugepages-*,
 * attachable-volumes-*, kubernetes.io/ prefixed). Everything else in a
 * ResourceList is ignored by framework.Resource. */
static bool scheduler_resource(ka_str n)
{
    if (ka_str_eqc(n, "cpu") || ka_str_eqc(n, "memory") || ka_str_eqc(n, "ephemeral-storage"))
        return true;
    if (ka_str_has_prefix(n, "hugepages-") || ka_str_has_prefix(n, "attachable-volumes-"))
        return true;
    bool slash = memchr(n.p, '/', n.n) != NULL;
    if (!slash)
        return false;
    /* prefixed native (kubernetes.io/...) or extended (qualified, not requests.*) */
    for (size_t i = 0; i + 14 <= n.n; i++)
        if (memcmp(n.p + i, "kubernetes.io/", 14) == 0)
            return true;
    if (ka_str_has_prefix(n, "requests."))
        return false;
    char buf[320];
    if (n.n + 9 >= sizeof buf)
        return false;
    memcpy(buf, "requests.", 9);
    memcpy(buf + 9, n.p, n.n);
    return ka_label_key_valid((ka_str){ buf, n.n + 9 }, NULL, 0);
}

#define RL_MAX 16

/* A small ResourceList of exact quantities. */
typedef struct rlist {
    uint32_t n;
    uint32_t id[RL_MAX];
    ks_nano v[RL_MAX];
} rlist;

static ks_nano *rl_slot(rlist *l, uint32_t id, bool create)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->id[i] == id)
            return &l->v[i];
    if (!create || l->n == RL_MAX)
        return NULL;
    l->id[l->n] = id;
    l->v[l->n] = 0;
    return &l->v[l->n++];
}

static void rl_add(rlist *dst, const rlist *src)
{
    for (uint32_t i = 0; i < src->n; i++) {
        ks_nano *p = rl_slot(dst, src->id[i], true);
        if (p)
            *p += src->v[i];
    }
}

static void rl_max(rlist *dst, const rlist *src)
{
    for (uint32_t i = 0; i < src->n; i++) {
        ks_nano *p = rl_slot(dst, src->id[i], true);
        if (p && src->v[i] > *p)
            *p = src->v[i];
    }
}

/* Read a ResourceList mapping into l (only keys not already present when
 * only_missing). Unknown or invalid quantities become warnings. */
static void rl_read(ks_sim *s, const ka_object *o, const ka_node *m, rlist *l, bool only_missing,
                    bool quiet)
{
    if (!ka_is_map(m))
        return;
    for (uint32_t i = 0; i < ka_node_n(m); i++) {
        ka_str name = ka_node_str(KA_MAP_KEY(m, i));
        const ka_node *vn = KA_MAP_VAL(m, i);
        if (!scheduler_resource(name))
            continue;
        uint32_t id = ks_res_id(s, name, true);
        if (only_missing && rl_slot(l, id, false))
            continue;
        ks_nano v;
        if (!ka_is_scalar(vn) || !ks_nano_parse(ka_node_str(vn), &v)) {
            if (!quiet)
                ks_warn(s, o, vn, "invalid quantity for %.*s: ignored", (int)name.n, name.p);
            continue;
        }
        if (v < 0) {
            if (!quiet)
                ks_warn(s, o, vn, "negative quantity for %.*s: ignored", (int)name.n, name.p);
            continue;
        }
        ks_nano *p = rl_slot(l, id, true);
        if (p)
            *p = v;
    }
}

typedef struct lr_defaults {
    const ka_node *req[8];   /* defaultRequest maps (after LimitRange defaulting) */
    const ka_node *lim[8];
    const ka_node *min[8];
    uint32_t n;
} lr_defaults;

static void lr_collect(ks_sim *s, ka_str ns, lr_defaults *d)
{
    memset(d, 0, sizeof *d);
    for (int set = 0; set < 2; set++) {
    const ka_objset *os = set == 0 ? s->set : s->gen;
    if (!os)
        continue;
    ka_objlist l = ka_objset_by_kind(os, "LimitRange");
    for (size_t i = 0; i < l.n && d->n < 8; i++) {
        const ka_object *o = l.v[i];
        if (!ka_str_eq(o->ns, ns))
            continue;
        const ka_node *limits = ka_path(o->spec, "limits", NULL);
        for (uint32_t j = 0; ka_is_seq(limits) && j < ka_node_n(limits) && d->n < 8; j++) {
            const ka_node *it = KA_SEQ_ITEM(limits, j);
            if (!ka_str_eqc(ka_node_str(ka_get(it, "type")), "Container"))
                continue;
            d->req[d->n] = ka_get(it, "defaultRequest");
            d->lim[d->n] = ka_get(it, "default");
            d->min[d->n] = ka_get(it, "min");
            /* SetDefaults_LimitRangeItem: default <- max, defaultRequest <-
             * default, then <- min; "max" only matters through default */
            if (!d->lim[d->n])
                d->lim[d->n] = ka_get(it, "max");
            d->n++;
        }
    }
    }
}

/* The requests a container ends up with: its own, then limits for missing
 * keys (SetDefaults_Pod), then LimitRange defaultRequest (which LimitRange
 * defaulting fills from default/max, then min) for keys still missing. */
static void container_requests(ks_sim *s, const ka_object *o, const ka_node *c,
                               const lr_defaults *lr, rlist *out, bool quiet)
{
    memset(out, 0, sizeof *out);
    const ka_node *res = ka_get(c, "resources");
    rl_read(s, o, ka_get(res, "requests"), out, false, quiet);
    rl_read(s, o, ka_get(res, "limits"), out, true, quiet);
    for (uint32_t i = 0; i < lr->n; i++) {
        rl_read(s, o, lr->req[i], out, true, quiet);
        rl_read(s, o, lr->lim[i], out, true, quiet);
        rl_read(s, o, lr->min[i], out, true, quiet);
    }
}

/* PodRequests (k8s.io/component-helpers/resource): regular containers
 * summed; init containers one at a time on top of the sidecars started
 * before them; sidecars keep running; the peak wins; overhead added.
 * nonzero: missing cpu/memory requests count as 100m / 200Mi. */
static void pod_requests(ks_sim *s, const ka_object *o, const ka_podview *pv,
                         const lr_defaults *lr, bool nonzero, rlist *out)
{
    rlist sum, sidecars, initpeak;
    memset(&sum, 0, sizeof sum);
    memset(&sidecars, 0, sizeof sidecars);
    memset(&initpeak, 0, sizeof initpeak);
    for (size_t i = 0; i < pv->ncontainers; i++) {
        const ka_container *c = &pv->containers[i];
        if (c->type == KA_CT_EPHEMERAL)
            continue;
        rlist r;
        container_requests(s, o, c->node, lr, &r, nonzero);
        if (nonzero) {
            if (!rl_slot(&r, KS_R_CPU, false))
                *rl_slot(&r, KS_R_CPU, true) = (ks_nano)100 * 1000000;
            if (!rl_slot(&r, KS_R_MEM, false))
                *rl_slot(&r, KS_R_MEM, true) = (ks_nano)200 * 1024 * 1024 * 1000000000;
        }
        if (c->type == KA_CT_MAIN) {
            rl_add(&sum, &r);
        } else if (c->type == KA_CT_SIDECAR) {
            rl_add(&sum, &r);
            rl_add(&sidecars, &r);
            rl_max(&initpeak, &sidecars);
        } else {
            rlist tmp = r;
            rl_add(&tmp, &sidecars);
            rl_max(&initpeak, &tmp);
        }
    }
    /* the containers list comes before init containers in the podview, so
     * sidecars were added to sum in the right amount either way */
    rl_max(&sum, &initpeak);
    rlist over;
    memset(&over, 0, sizeof over);
    rl_read(s, o, ka_get(pv->spec, "overhead"), &over, false, nonzero);
    rl_add(&sum, &over);
    *out = sum;
}

/* ---- small parsers ------------------------------------------------------------ */

static uint8_t effect_of(ka_str e)
{
    if (e.n == 0)
        return KS_EFF_ANY;
    if (ka_str_eqc(e, "NoSchedule"))
        return KS_EFF_NOSCHEDULE;
    if (ka_str_eqc(e, "PreferNoSchedule"))
        return KS_EFF_PREFER;
    if (ka_str_eqc(e, "NoExecute"))
        return KS_EFF_NOEXECUTE;
    return KS_EFF_OTHER;
}

static ka_str str_of(const ka_node *n)
{
    if (!ka_is_scalar(n) || (ka_is_null(n) && n->style == KA_STYLE_PLAIN))
        return (ka_str){ "", 0 };
    return ka_node_str(n);
}

/* Toleration.ToleratesTaint: effect (empty = all), key (empty = all), then
 * Exists ignores the value while Equal (or no operator) compares it. */
static bool tolerates1(const ks_toler *t, const ks_taint *taint)
{
    if (t->effect != KS_EFF_ANY && t->effect != taint->effect)
        return false;
    if (t->key.n && !ka_str_eq(t->key, taint->key))
        return false;
    if (t->op == 1)
        return true;
    if (t->op == 0)
        return ka_str_eq(t->value, taint->value);
    return false;
}

bool ks_tolerates(const ks_toler *t, uint32_t n, const ks_taint *taint)
{
    for (uint32_t i = 0; i < n; i++)
        if (tolerates1(&t[i], taint))
            return true;
    return false;
}

static void parse_tolerations(ks_sim *s, ks_tmpl *t, const ka_node *seq, bool daemonset,
                              bool host_network)
{
    uint32_t n = ka_is_seq(seq) ? ka_node_n(seq) : 0;
    uint32_t extra = daemonset ? 7 : 0;
    t->tolers = n + extra ? ka_arena_zalloc(s->a, (n + extra) * sizeof *t->tolers) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        const ka_node *x = KA_SEQ_ITEM(seq, i);
        ks_toler *tl = &t->tolers[t->ntolers++];
        tl->key = str_of(ka_get(x, "key"));
        tl->value = str_of(ka_get(x, "value"));
        ka_str op = str_of(ka_get(x, "operator"));
        tl->op = op.n == 0 || ka_str_eqc(op, "Equal") ? 0 : ka_str_eqc(op, "Exists") ? 1 : 2;
        tl->effect = effect_of(str_of(ka_get(x, "effect")));
    }
    if (!daemonset)
        return;
    /* the DaemonSet controller adds these to every daemon pod */
    static const struct { const char *key; uint8_t eff; } ds[] = {
        { "node.kubernetes.io/not-ready", KS_EFF_NOEXECUTE },
        { "node.kubernetes.io/unreachable", KS_EFF_NOEXECUTE },
        { "node.kubernetes.io/disk-pressure", KS_EFF_NOSCHEDULE },
        { "node.kubernetes.io/memory-pressure", KS_EFF_NOSCHEDULE },
        { "node.kubernetes.io/pid-pressure", KS_EFF_NOSCHEDULE },
        { "node.kubernetes.io/unschedulable", KS_EFF_NOSCHEDULE },
        { "node.kubernetes.io/network-unavailable", KS_EFF_NOSCHEDULE },
    };
    for (uint32_t i = 0; i < 7; i++) {
        if (i == 6 && !host_network)
            break;
        ks_toler *tl = &t->tolers[t->ntolers++];
        tl->key = ka_str_c(ds[i].key);
        tl->op = 1;
        tl->effect = ds[i].eff;
    }
}

static void parse_ports(ks_sim *s, ks_tmpl *t, const ka_podview *pv, bool host_network)
{
    uint32_t cap = 0;
    for (size_t i = 0; i < pv->ncontainers; i++) {
        const ka_node *p = ka_get(pv->containers[i].node, "ports");
        if (ka_is_seq(p))
            cap += ka_node_n(p);
    }
    if (!cap)
        return;
    t->ports = ka_arena_zalloc(s->a, cap * sizeof *t->ports);
    for (size_t i = 0; i < pv->ncontainers; i++) {
        const ka_container *c = &pv->containers[i];
        if (c->type != KA_CT_MAIN && c->type != KA_CT_SIDECAR)
            continue;
        const ka_node *ps = ka_get(c->node, "ports");
        for (uint32_t j = 0; ka_is_seq(ps) && j < ka_node_n(ps); j++) {
            const ka_node *p = KA_SEQ_ITEM(ps, j);
            int64_t hp = 0, cp = 0;
            ka_int(ka_get(p, "hostPort"), &hp);
            ka_int(ka_get(p, "containerPort"), &cp);
            if (hp == 0 && host_network)
                hp = cp; /* hostNetwork pods: hostPort defaults to containerPort */
            if (hp <= 0 || hp > 65535)
                continue;
            ks_hport *h = &t->ports[t->nports++];
            h->port = (int32_t)hp;
            h->ip = str_of(ka_get(p, "hostIP"));
            if (h->ip.n == 0)
                h->ip = KA_STR("0.0.0.0");
            h->proto = str_of(ka_get(p, "protocol"));
            if (h->proto.n == 0)
                h->proto = KA_STR("TCP");
        }
    }
}

static bool parse_sel(ks_sim *s, const ka_object *o, const ka_node *n, ka_selector *out)
{
    char err[512];
    const ka_node *bad = NULL;
    if (ka_selector_from_node(s->a, n, out, &bad, err, sizeof err) != 0) {
        ks_warn(s, o, bad ? bad : n, "invalid label selector (it matches nothing): %s", err);
        out->nothing = true;
        out->n = 0;
        return false;
    }
    return true;
}

static ka_str *str_list(ks_sim *s, const ka_node *seq, uint32_t *n)
{
    *n = 0;
    if (!ka_is_seq(seq) || ka_node_n(seq) == 0)
        return NULL;
    ka_str *v = ka_arena_alloc(s->a, ka_node_n(seq) * sizeof *v);
    for (uint32_t i = 0; i < ka_node_n(seq); i++)
        if (ka_is_scalar(KA_SEQ_ITEM(seq, i)))
            v[(*n)++] = ka_node_str(KA_SEQ_ITEM(seq, i));
    return v;
}

static void parse_spread(ks_sim *s, ks_tmpl *t, const ka_object *o, const ka_node *seq)
{
    if (!ka_is_seq(seq) || ka_node_n(seq) == 0)
        return;
    t->tsc = ka_arena_zalloc(s->a, ka_node_n(seq) * sizeof *t->tsc);
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *c = KA_SEQ_ITEM(seq, i);
        if (!ka_is_map(c))
            continue;
        ks_tsc *x = &t->tsc[t->ntsc];
        int64_t v = 1;
        if (!ka_int(ka_get(c, "maxSkew"), &v) || v < 1) {
            ks_warn(s, o, c, "topology spread constraint without a valid maxSkew: ignored");
            continue;
        }
        x->max_skew = v > INT32_MAX ? INT32_MAX : (int32_t)v;
        ka_str key = str_of(ka_get(c, "topologyKey"));
        if (key.n == 0) {
            ks_warn(s, o, c, "topology spread constraint without a topologyKey: ignored");
            continue;
        }
        x->key = ks_intern(&s->str, key);
        ka_str wu = str_of(ka_get(c, "whenUnsatisfiable"));
        x->hard = !ka_str_eqc(wu, "ScheduleAnyway");
        x->sel_valid = parse_sel(s, o, ka_get(c, "labelSelector"), &x->sel);
        x->mlk = str_list(s, ka_get(c, "matchLabelKeys"), &x->nmlk);
        x->min_domains = 1;
        if (ka_int(ka_get(c, "minDomains"), &v) && v > 0)
            x->min_domains = v > INT32_MAX ? INT32_MAX : (int32_t)v;
        x->aff_honor = !ka_str_eqc(str_of(ka_get(c, "nodeAffinityPolicy")), "Ignore");
        x->taint_honor = ka_str_eqc(str_of(ka_get(c, "nodeTaintsPolicy")), "Honor");
        t->ntsc++;
        if (x->hard)
            t->nhard++;
        else
            t->nsoft++;
    }
}

static void parse_term(ks_sim *s, ks_tmpl *t, const ka_object *o, const ka_node *pt,
                       ks_aterm *x, int32_t weight)
{
    memset(x, 0, sizeof *x);
    x->weight = weight;
    const ka_node *ls = ka_get(pt, "labelSelector");
    x->sel_valid = parse_sel(s, o, ls, &x->sel);
    if (ls && !ka_is_null(ls)) {
        x->mlk = str_list(s, ka_get(pt, "matchLabelKeys"), &x->nmlk);
        x->mmlk = str_list(s, ka_get(pt, "mismatchLabelKeys"), &x->nmmlk);
    }
    const ka_node *nss = ka_get(pt, "namespaces");
    const ka_node *nsel = ka_get(pt, "namespaceSelector");
    uint32_t nn = 0;
    ka_str *names = str_list(s, nss, &nn);
    bool has_sel = nsel && !ka_is_null(nsel);
    if (nn == 0 && !has_sel) {
        x->ns.own = true;
    } else {
        x->ns.n = nn;
        x->ns.ids = nn ? ka_arena_alloc(s->a, nn * sizeof *x->ns.ids) : NULL;
        for (uint32_t i = 0; i < nn; i++)
            x->ns.ids[i] = ks_intern(&s->str, names[i]);
        if (has_sel) {
            x->ns.has_sel = true;
            parse_sel(s, o, nsel, &x->ns.sel);
        }
    }
    ka_str key = str_of(ka_get(pt, "topologyKey"));
    if (key.n == 0)
        ks_warn(s, o, pt, "pod affinity term without a topologyKey: it matches no node");
    x->key = ks_intern(&s->str, key);
    (void)t;
}

static void parse_affinity_kind(ks_sim *s, ks_tmpl *t, const ka_object *o, const ka_node *pa,
                                int req_kind, int pref_kind)
{
    const ka_node *req = ka_get(pa, "requiredDuringSchedulingIgnoredDuringExecution");
    const ka_node *pref = ka_get(pa, "preferredDuringSchedulingIgnoredDuringExecution");
    if (ka_is_seq(req) && ka_node_n(req)) {
        t->at[req_kind] = ka_arena_zalloc(s->a, ka_node_n(req) * sizeof(ks_aterm));
        for (uint32_t i = 0; i < ka_node_n(req); i++)
            parse_term(s, t, o, KA_SEQ_ITEM(req, i), &t->at[req_kind][t->nat[req_kind]++], 0);
    }
    if (ka_is_seq(pref) && ka_node_n(pref)) {
        t->at[pref_kind] = ka_arena_zalloc(s->a, ka_node_n(pref) * sizeof(ks_aterm));
        for (uint32_t i = 0; i < ka_node_n(pref); i++) {
            const ka_node *w = KA_SEQ_ITEM(pref, i);
            int64_t wt = 0;
            ka_int(ka_get(w, "weight"), &wt);
            if (wt < INT32_MIN || wt > INT32_MAX)
                wt = 0;
            parse_term(s, t, o, ka_get(w, "podAffinityTerm"),
                       &t->at[pref_kind][t->nat[pref_kind]++], (int32_t)wt);
        }
    }
}

/* NodeAffinity PreFilter: when every required term pins metadata.name In
 * (values intersected inside a term, terms united), only those nodes are
 * candidates; when that leaves no name at all, the pod is rejected before
 * any node is looked at ("pod affinity terms conflict"). Computed on the
 * names, as upstream does, then mapped to the nodes that exist. */
static void name_prefilter(ks_sim *s, ks_tmpl *t, const ka_node *required)
{
    const ka_node *terms = ka_get(required, "nodeSelectorTerms");
    if (!ka_is_seq(terms) || ka_node_n(terms) == 0)
        return;
    ka_str *uni = NULL;
    size_t nuni = 0, capuni = 0;
    for (uint32_t i = 0; i < ka_node_n(terms); i++) {
        const ka_node *mf = ka_get(KA_SEQ_ITEM(terms, i), "matchFields");
        ka_str *cur = NULL;
        size_t ncur = 0;
        bool have = false;
        for (uint32_t j = 0; ka_is_seq(mf) && j < ka_node_n(mf); j++) {
            const ka_node *r = KA_SEQ_ITEM(mf, j);
            if (!ka_str_eqc(str_of(ka_get(r, "key")), "metadata.name") ||
                !ka_str_eqc(str_of(ka_get(r, "operator")), "In"))
                continue;
            const ka_node *vs = ka_get(r, "values");
            uint32_t nv = ka_is_seq(vs) ? ka_node_n(vs) : 0;
            if (!have) {
                cur = ka_xmalloc((nv ? nv : 1) * sizeof *cur);
                for (uint32_t k = 0; k < nv; k++)
                    cur[ncur++] = str_of(KA_SEQ_ITEM(vs, k));
                have = true;
                continue;
            }
            size_t w = 0;
            for (size_t a = 0; a < ncur; a++) {
                bool found = false;
                for (uint32_t k = 0; k < nv && !found; k++)
                    found = ka_str_eq(cur[a], str_of(KA_SEQ_ITEM(vs, k)));
                if (found)
                    cur[w++] = cur[a];
            }
            ncur = w;
        }
        if (!have) {
            free(cur);
            free(uni);
            return; /* a term without a name pin: every node is a candidate */
        }
        for (size_t a = 0; a < ncur; a++) {
            bool dup = false;
            for (size_t b = 0; b < nuni && !dup; b++)
                dup = ka_str_eq(uni[b], cur[a]);
            if (dup)
                continue;
            if (nuni == capuni) {
                capuni = capuni ? capuni * 2 : 8;
                uni = ka_xrealloc(uni, capuni * sizeof *uni);
            }
            uni[nuni++] = cur[a];
        }
        free(cur);
    }
    t->name_prefilter = true;
    t->name_conflict = nuni == 0;
    t->allow = nuni ? ka_arena_alloc(s->a, nuni * sizeof *t->allow) : NULL;
    for (size_t a = 0; a < nuni; a++) {
        uint32_t idx = (uint32_t)(uintptr_t)ka_hmap_get(&s->node_by_name, uni[a]);
        if (idx)
            t->allow[t->nallow++] = idx - 1;
    }
    free(uni);
    /* candidates in node order, so ties go to the first node of the input */
    for (uint32_t a = 1; a < t->nallow; a++)
        for (uint32_t b = a; b > 0 && t->allow[b - 1] > t->allow[b]; b--) {
            uint32_t x = t->allow[b];
            t->allow[b] = t->allow[b - 1];
            t->allow[b - 1] = x;
        }
}

static ka_str normalized_image(ks_sim *s, ka_str img)
{
    /* ":latest" is added when the last ':' is not after the last '/' */
    long colon = -1, slash = -1;
    for (size_t i = 0; i < img.n; i++) {
        if (img.p[i] == ':')
            colon = (long)i;
        if (img.p[i] == '/')
            slash = (long)i;
    }
    if (colon > slash)
        return img;
    ka_buf_reset(&s->tmp);
    ka_buf_addstr(&s->tmp, img);
    ka_buf_adds(&s->tmp, ":latest");
    return (ka_str){ s->tmp.p, s->tmp.n };
}

static int32_t resolve_priority(ks_sim *s, const ka_object *o, const ka_node *spec, bool *never)
{
    int64_t v;
    ka_str pcn = str_of(ka_get(spec, "priorityClassName"));
    ka_str pp = str_of(ka_get(spec, "preemptionPolicy"));
    *never = ka_str_eqc(pp, "Never");
    const ks_pc *pc = NULL;
    if (pcn.n) {
        for (uint32_t i = 0; i < s->npcs; i++)
            if (ka_str_eq(s->pcs[i].name, pcn))
                pc = &s->pcs[i];
        if (!pc)
            ks_warn(s, o, ka_get(spec, "priorityClassName"),
                    "no PriorityClass named \"%.*s\" (the API server would refuse the pod); "
                    "priority 0 assumed", (int)pcn.n, pcn.p);
    } else {
        for (uint32_t i = 0; i < s->npcs; i++)
            if (s->pcs[i].global_default)
                pc = &s->pcs[i];
    }
    if (pc && pp.n == 0)
        *never = pc->never;
    if (ka_int(ka_get(spec, "priority"), &v) && v >= INT32_MIN && v <= INT32_MAX)
        return (int32_t)v;
    return pc ? pc->value : 0;
}

uint32_t ks_tmpl_add(ks_sim *s, const ka_object *o, const ka_node *pspec, const ka_node *meta,
                     uint32_t wl)
{
    (void)meta;
    if (s->ntmpls == s->captmpls) {
        s->captmpls = s->captmpls ? s->captmpls * 2 : 64;
        s->tmpls = ka_xrealloc(s->tmpls, s->captmpls * sizeof *s->tmpls);
    }
    uint32_t id = s->ntmpls++;
    ks_tmpl *t = &s->tmpls[id];
    memset(t, 0, sizeof *t);
    t->obj = o;
    t->wl = wl;
    t->ns = ks_intern(&s->str, o->ns);
    const ka_podview *pv = o->pod;
    const ka_node *spec = pspec;
    bool ds = ka_str_eqc(o->kind, "DaemonSet");
    bool host_network = ka_bool(ka_get(spec, "hostNetwork")) == 1;

    t->priority = resolve_priority(s, o, spec, &t->preempt_never);
    t->scheduler_name = str_of(ka_get(spec, "schedulerName"));
    if (t->scheduler_name.n == 0)
        t->scheduler_name = KA_STR("default-scheduler");
    t->other_scheduler = !ka_str_eq(t->scheduler_name, s->prof.scheduler_name);
    const ka_node *gates = ka_get(spec, "schedulingGates");
    t->gated = ka_is_seq(gates) && ka_node_n(gates) > 0;

    /* requests */
    lr_defaults lr;
    lr_collect(s, o->ns, &lr);
    rlist req, nz;
    pod_requests(s, o, pv, &lr, false, &req);
    pod_requests(s, o, pv, &lr, true, &nz);
    t->req = ka_arena_zalloc(s->a, (req.n ? req.n : 1) * sizeof *t->req);
    t->rlist = ka_arena_zalloc(s->a, (req.n ? req.n : 1) * sizeof *t->rlist);
    for (uint32_t i = 0; i < req.n; i++) {
        int64_t v = req.id[i] == KS_R_CPU ? ks_nano_milli(req.v[i]) : ks_nano_value(req.v[i]);
        t->rlist[t->nreq] = req.id[i];
        t->req[t->nreq] = v;
        t->nreq++;
        if (req.id[i] >= KS_R_NFIXED)
            t->any_scalar = true;
    }
    /* cpu, memory, ephemeral-storage first, then scalars: the order of the
     * "Insufficient ..." reasons */
    for (uint32_t i = 1; i < t->nreq; i++)
        for (uint32_t j = i; j > 0 && t->rlist[j - 1] > t->rlist[j]; j--) {
            uint32_t r = t->rlist[j];
            int64_t v = t->req[j];
            t->rlist[j] = t->rlist[j - 1];
            t->req[j] = t->req[j - 1];
            t->rlist[j - 1] = r;
            t->req[j - 1] = v;
        }
    ks_nano *p = rl_slot(&nz, KS_R_CPU, false);
    t->nz_cpu = p ? ks_nano_milli(*p) : 0;
    p = rl_slot(&nz, KS_R_MEM, false);
    t->nz_mem = p ? ks_nano_value(*p) : 0;

    parse_ports(s, t, pv, host_network);
    parse_tolerations(s, t, ka_get(spec, "tolerations"), ds, host_network);

    const ka_node *ns = ka_get(spec, "nodeSelector");
    if (ka_is_map(ns) && ka_node_n(ns) > 0) {
        t->has_nodesel = true;
        ka_selector_from_map(s->a, ns, &t->nodesel);
    }
    const ka_node *aff = ka_get(spec, "affinity");
    const ka_node *na = ka_get(aff, "nodeAffinity");
    const ka_node *nreq = ka_get(na, "requiredDuringSchedulingIgnoredDuringExecution");
    if (nreq && !ka_is_null(nreq)) {
        t->req_aff = ka_arena_zalloc(s->a, sizeof *t->req_aff);
        ks_nodesel_parse(s, nreq, false, t->req_aff, o);
        if (!ds)
            name_prefilter(s, t, nreq);
    }
    const ka_node *npref = ka_get(na, "preferredDuringSchedulingIgnoredDuringExecution");
    if (npref && !ka_is_null(npref)) {
        ks_nodesel_parse(s, npref, true, &t->pref_aff, o);
        t->has_pref_aff = true;
    }
    parse_spread(s, t, o, ka_get(spec, "topologySpreadConstraints"));
    parse_affinity_kind(s, t, o, ka_get(aff, "podAffinity"), KS_AT_REQ_AFF, KS_AT_PREF_AFF);
    parse_affinity_kind(s, t, o, ka_get(aff, "podAntiAffinity"), KS_AT_REQ_ANTI, KS_AT_PREF_ANTI);
    for (int k = 0; k < KS_AT_N; k++)
        if (t->nat[k])
            t->has_affinity = true;

    /* images, init containers first (ImageLocality) */
    uint32_t nimg = 0;
    t->images = pv->ncontainers ? ka_arena_alloc(s->a, pv->ncontainers * sizeof *t->images)
                                : NULL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < pv->ncontainers; i++) {
            const ka_container *c = &pv->containers[i];
            bool init = c->type == KA_CT_INIT || c->type == KA_CT_SIDECAR;
            if (c->type == KA_CT_EPHEMERAL || (pass == 0) != init)
                continue;
            t->ncontainers++;
            ka_str img = str_of(ka_get(c->node, "image"));
            if (img.n)
                t->images[nimg++] = ks_intern(&s->str, normalized_image(s, img));
        }
    t->nimages = nimg;
    return id;
}

/* ---- static per-node answers ------------------------------------------------------ */

bool ks_req_aff_match(const ks_sim *s, const ks_tmpl *t, uint32_t node)
{
    const ks_node *nd = &s->nodes[node];
    const ka_labels *l = &s->ls[nd->ls].l;
    if (t->has_nodesel && !ka_selector_matches(&t->nodesel, l))
        return false;
    if (t->req_aff && !ks_nodesel_match(t->req_aff, l, nd->name))
        return false;
    return true;
}

static int64_t image_score(const ks_sim *s, const ks_tmpl *t, uint32_t node)
{
    const ks_node *nd = &s->nodes[node];
    if (!nd->nimages || !t->nimages)
        return 0;
    const int64_t mb = 1024 * 1024;
    const int64_t min_t = 23 * mb, max_c = 1000 * mb;
    int64_t sum = 0;
    for (uint32_t i = 0; i < t->nimages; i++)
        for (uint32_t j = 0; j < nd->nimages; j++)
            if (nd->images[j].name == t->images[i]) {
                uint32_t having = t->images[i] < s->nimg_nodes ? s->img_nodes[t->images[i]] : 1;
                double spread = (double)having / (double)s->nnodes;
                sum += (int64_t)((double)nd->images[j].size * spread);
                break;
            }
    int64_t max_t = max_c * (int64_t)t->ncontainers;
    if (sum < min_t)
        sum = min_t;
    else if (sum > max_t)
        sum = max_t;
    if (max_t == min_t)
        return 0;
    return KS_MAX_SCORE * (sum - min_t) / (max_t - min_t);
}

void ks_tmpl_static(ks_sim *s, ks_tmpl *t)
{
    if (t->cached)
        return;
    uint32_t nn = s->nnodes ? s->nnodes : 1;
    t->sfail = ka_xcalloc(nn, sizeof *t->sfail);
    t->staint = ka_xcalloc(nn, sizeof *t->staint);
    t->tt_raw = ka_xcalloc(nn, sizeof *t->tt_raw);
    t->na_raw = ka_xcalloc(nn, sizeof *t->na_raw);
    t->img = ka_xcalloc(nn, sizeof *t->img);
    const ks_profile *pr = &s->prof;
    static const ks_taint unsched = { { "node.kubernetes.io/unschedulable", 32 }, { "", 0 },
                                      { "NoSchedule", 10 }, KS_EFF_NOSCHEDULE };
    bool tol_unsched = ks_tolerates(t->tolers, t->ntolers, &unsched);
    for (uint32_t n = 0; n < s->nnodes; n++) {
        const ks_node *nd = &s->nodes[n];
        const ka_labels *l = &s->ls[nd->ls].l;
        for (uint32_t f = 0; f < pr->nfilters && !t->sfail[n]; f++) {
            switch (pr->filters[f]) {
            case KS_P_NODE_UNSCHEDULABLE:
                if (nd->unschedulable && !tol_unsched)
                    t->sfail[n] = KS_P_NODE_UNSCHEDULABLE;
                break;
            case KS_P_NODE_NAME:
                /* pending pods have no spec.nodeName (bound ones are load, and
                 * a bound pod displaced by a failure is recreated without it) */
                break;
            case KS_P_TAINT:
                for (uint32_t k = 0; k < nd->ntaints; k++) {
                    const ks_taint *tn = &nd->taints[k];
                    if (tn->effect != KS_EFF_NOSCHEDULE && tn->effect != KS_EFF_NOEXECUTE)
                        continue;
                    if (!ks_tolerates(t->tolers, t->ntolers, tn)) {
                        t->sfail[n] = KS_P_TAINT;
                        t->staint[n] = (uint16_t)(k < 65535 ? k : 65535);
                        break;
                    }
                }
                break;
            case KS_P_NODE_AFFINITY:
                if (pr->added_req && !ks_nodesel_match(pr->added_req, l, nd->name)) {
                    t->sfail[n] = KS_P_NODE_AFFINITY;
                    t->staint[n] = 1;
                } else if (!ks_req_aff_match(s, t, n)) {
                    t->sfail[n] = KS_P_NODE_AFFINITY;
                    t->staint[n] = 0;
                }
                break;
            default:
                break;
            }
        }
        /* TaintToleration score: untolerated PreferNoSchedule taints, counting
         * only tolerations whose effect is PreferNoSchedule or empty */
        int32_t cnt = 0;
        for (uint32_t k = 0; k < nd->ntaints; k++) {
            const ks_taint *tn = &nd->taints[k];
            if (tn->effect != KS_EFF_PREFER)
                continue;
            bool ok = false;
            for (uint32_t j = 0; j < t->ntolers && !ok; j++)
                if ((t->tolers[j].effect == KS_EFF_ANY || t->tolers[j].effect == KS_EFF_PREFER) &&
                    tolerates1(&t->tolers[j], tn))
                    ok = true;
            if (!ok)
                cnt++;
        }
        t->tt_raw[n] = cnt;
        int64_t na = 0;
        if (pr->has_added_pref)
            for (uint32_t k = 0; k < pr->added_pref.n; k++)
                if (ks_nsterm_match(&pr->added_pref.terms[k], l, nd->name))
                    na += pr->added_pref.terms[k].weight;
        for (uint32_t k = 0; k < t->pref_aff.n; k++)
            if (ks_nsterm_match(&t->pref_aff.terms[k], l, nd->name))
                na += t->pref_aff.terms[k].weight;
        t->na_raw[n] = na > INT32_MAX ? INT32_MAX : na < INT32_MIN ? INT32_MIN : (int32_t)na;
        t->img[n] = (int32_t)image_score(s, t, n);
    }
    t->cached = true;
}

bool ks_nsset_has(const ks_sim *s, const ks_nsset *ns, uint32_t owner_ns, uint32_t ns_id)
{
    if (ns->own)
        return ns_id == owner_ns;
    for (uint32_t i = 0; i < ns->n; i++)
        if (ns->ids[i] == ns_id)
            return true;
    if (ns->has_sel)
        return ka_selector_matches(&ns->sel, ks_ns_labels(s, ns_id));
    return false;
}
