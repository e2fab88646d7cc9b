/*
 * config.c - the scheduling profile: kube-scheduler's default profile, or
 * the first profile of a KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1).
 *
 * Plugin sets are merged the way the API defaults and the framework do it:
 * the profile's multiPoint list is the default multiPoint list with the
 * user's disabled entries ("*" = all) taken out, re-configured entries
 * replaced in place and new ones appended; each extension point then gets,
 * in this order, the multiPoint plugins it also names explicitly, the other
 * multiPoint plugins it implements (unless disabled there), and its own
 * extra plugins; a "*" disable on an extension point skips the multiPoint
 * expansion. Score weights come from the score list first, then multiPoint;
 * an unset or zero weight counts as 1.
 */
#include "sim.h"

#include "kubearch/load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { PT_PREFILTER = 1, PT_FILTER = 2, PT_SCORE = 4, PT_POSTFILTER = 8, PT_OTHER = 16 };

typedef struct plugin_info {
    const char *name;
    uint8_t id;          /* KS_P_*, 0 for plugins without a simulated effect */
    uint8_t points;
    int32_t weight;      /* default multiPoint weight */
} plugin_info;

/* The default multiPoint list, in order (Kubernetes 1.33). */
static const plugin_info defaults[] = {
    { "SchedulingGates", 0, PT_OTHER, 0 },
    { "PrioritySort", 0, PT_OTHER, 0 },
    { "NodeUnschedulable", KS_P_NODE_UNSCHEDULABLE, PT_FILTER, 0 },
    { "NodeName", KS_P_NODE_NAME, PT_FILTER, 0 },
    { "TaintToleration", KS_P_TAINT, PT_FILTER | PT_SCORE, 3 },
    { "NodeAffinity", KS_P_NODE_AFFINITY, PT_PREFILTER | PT_FILTER | PT_SCORE, 2 },
    { "NodePorts", KS_P_NODE_PORTS, PT_PREFILTER | PT_FILTER, 0 },
    { "NodeResourcesFit", KS_P_FIT, PT_PREFILTER | PT_FILTER | PT_SCORE, 1 },
    { "VolumeRestrictions", 0, PT_PREFILTER | PT_FILTER, 0 },
    { "NodeVolumeLimits", 0, PT_PREFILTER | PT_FILTER, 0 },
    { "VolumeBinding", 0, PT_PREFILTER | PT_FILTER | PT_SCORE, 0 },
    { "VolumeZone", 0, PT_PREFILTER | PT_FILTER, 0 },
    { "PodTopologySpread", KS_P_SPREAD, PT_PREFILTER | PT_FILTER | PT_SCORE, 2 },
    { "InterPodAffinity", KS_P_IPA, PT_PREFILTER | PT_FILTER | PT_SCORE, 2 },
    { "DefaultPreemption", 0, PT_POSTFILTER, 0 },
    { "NodeResourcesBalancedAllocation", KS_P_BALANCED, PT_SCORE, 1 },
    { "ImageLocality", KS_P_IMAGE, PT_SCORE, 1 },
    { "DefaultBinder", 0, PT_OTHER, 0 },
};
#define NDEFAULTS (sizeof defaults / sizeof *defaults)

/* Known in-tree plugins outside the default list. */
static const char *const known_other[] = {
    "DynamicResources", "NodeResourcesLeastAllocated", "NodeResourcesMostAllocated",
    "RequestedToCapacityRatio", "SelectorSpread", "EBSLimits", "GCEPDLimits",
    "AzureDiskLimits", "CinderLimits", "NodeVolumeLimits",
};

const char *ks_plugin_name(uint8_t p)
{
    if (p == KS_P_VOLUME)
        return "VolumeBinding";
    for (size_t i = 0; i < NDEFAULTS; i++)
        if (defaults[i].id == p && p)
            return defaults[i].name;
    return "?";
}

static const plugin_info *info_of(ka_str name)
{
    for (size_t i = 0; i < NDEFAULTS; i++)
        if (ka_str_eqc(name, defaults[i].name))
            return &defaults[i];
    return NULL;
}

static void default_spread(ks_sim *s, ks_profile *p)
{
    p->spread_system = true;
    p->ndefault_tsc = 2;
    p->default_tsc = ka_arena_zalloc(s->a, 2 * sizeof *p->default_tsc);
    ks_tsc *a = &p->default_tsc[0], *b = &p->default_tsc[1];
    a->max_skew = 3;
    a->key = s->hostname_key;
    b->max_skew = 5;
    b->key = s->zone_key;
    for (int i = 0; i < 2; i++) {
        ks_tsc *x = &p->default_tsc[i];
        x->hard = false;
        x->sel_valid = true;
        x->min_domains = 1;
        x->aff_honor = true;
    }
}

static ks_rspec *default_res(ks_sim *s, uint32_t *n)
{
    ks_rspec *r = ka_arena_alloc(s->a, 2 * sizeof *r);
    r[0] = (ks_rspec){ KS_R_CPU, 1 };
    r[1] = (ks_rspec){ KS_R_MEM, 1 };
    *n = 2;
    return r;
}

void ks_profile_default(ks_sim *s, ks_profile *p)
{
    memset(p, 0, sizeof *p);
    p->scheduler_name = KA_STR("default-scheduler");
    for (size_t i = 0; i < NDEFAULTS; i++) {
        const plugin_info *x = &defaults[i];
        if (!x->id)
            continue;
        if (x->points & PT_FILTER)
            p->filters[p->nfilters++] = x->id;
        if (x->points & PT_SCORE) {
            p->scores[p->nscores++] = x->id;
            p->weight[x->id] = x->weight;
        }
        if (x->points & PT_PREFILTER)
            p->prefilter[x->id] = true;
    }
    p->preemption = true;
    p->strategy = KS_SS_LEAST;
    p->fit_res = default_res(s, &p->nfit_res);
    p->bal_res = default_res(s, &p->nbal_res);
    default_spread(s, p);
    p->hard_weight = 1;
}

/* ---- reading a configuration ------------------------------------------------------ */

typedef struct pentry {
    ka_str name;
    int64_t weight;
} pentry;

typedef struct pset {
    pentry en[64];
    uint32_t nen;
    ka_str dis[64];
    uint32_t ndis;
    bool dis_all;
} pset;

typedef struct cfg {
    ks_sim *s;
    const char *path;
    int errors;
} cfg;

static void cerr(cfg *c, const ka_node *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void cerr(cfg *c, const ka_node *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ka_diag_add(c->s->diags, KA_DIAG_ERROR, c->path, at ? at->line : 0, at ? at->col : 0, "%s", msg);
    c->errors++;
}

static void cwarn(cfg *c, const ka_node *at, const char *msg)
{
    ka_diag_add(c->s->diags, KA_DIAG_WARNING, c->path, at ? at->line : 0, at ? at->col : 0, "%s",
                msg);
}

static bool known_plugin(ka_str name)
{
    if (info_of(name))
        return true;
    for (size_t i = 0; i < sizeof known_other / sizeof *known_other; i++)
        if (ka_str_eqc(name, known_other[i]))
            return true;
    return false;
}

static void read_pset(cfg *c, const ka_node *n, pset *out)
{
    memset(out, 0, sizeof *out);
    if (!n || ka_is_null(n))
        return;
    if (!ka_is_map(n)) {
        cerr(c, n, "a plugin set must be a mapping with enabled / disabled lists");
        return;
    }
    const ka_node *en = ka_get(n, "enabled"), *dis = ka_get(n, "disabled");
    for (uint32_t i = 0; ka_is_seq(en) && i < ka_node_n(en) && out->nen < 64; i++) {
        const ka_node *e = KA_SEQ_ITEM(en, i);
        ka_str name = ka_node_str(ka_get(e, "name"));
        if (!name.n) {
            cerr(c, e, "a plugin entry needs a name");
            continue;
        }
        if (!known_plugin(name)) {
            char m[256];
            snprintf(m, sizeof m, "plugin \"%.*s\" is not an in-tree plugin: ignored (it has no "
                     "effect on the simulation)", (int)name.n, name.p);
            cwarn(c, e, m);
            continue;
        }
        int64_t w = 0;
        const ka_node *wn = ka_get(e, "weight");
        if (wn && !ka_is_null(wn) && (!ka_int(wn, &w) || w < 0 || w > 100)) {
            cerr(c, wn, "weight must be an integer from 0 to 100");
            w = 0;
        }
        out->en[out->nen++] = (pentry){ name, w };
    }
    for (uint32_t i = 0; ka_is_seq(dis) && i < ka_node_n(dis) && out->ndis < 64; i++) {
        ka_str name = ka_node_str(ka_get(KA_SEQ_ITEM(dis, i), "name"));
        if (ka_str_eqc(name, "*"))
            out->dis_all = true;
        out->dis[out->ndis++] = name;
    }
}

static bool pset_disabled(const pset *p, ka_str name)
{
    for (uint32_t i = 0; i < p->ndis; i++)
        if (ka_str_eq(p->dis[i], name))
            return true;
    return false;
}

static int pset_find(const pentry *v, uint32_t n, ka_str name)
{
    for (uint32_t i = 0; i < n; i++)
        if (ka_str_eq(v[i].name, name))
            return (int)i;
    return -1;
}

/* mergePluginSet(default multiPoint, custom multiPoint) */
static void merge_multipoint(const pset *custom, pentry *out, uint32_t *nout)
{
    *nout = 0;
    bool replaced[64] = { false };
    if (!custom->dis_all)
        for (size_t i = 0; i < NDEFAULTS; i++) {
            ka_str name = ka_str_c(defaults[i].name);
            if (pset_disabled(custom, name))
                continue;
            pentry e = { name, defaults[i].weight };
            int k = pset_find(custom->en, custom->nen, name);
            if (k >= 0) {
                e = custom->en[k];
                replaced[k] = true;
            }
            out[(*nout)++] = e;
        }
    for (uint32_t i = 0; i < custom->nen; i++)
        if (!replaced[i] && *nout < 96)
            out[(*nout)++] = custom->en[i];
}

/* The plugins of one extension point after multiPoint expansion. */
static uint32_t expand(const pentry *mp, uint32_t nmp, const pset *sp, uint8_t point,
                       pentry *out)
{
    uint32_t n = 0;
    if (!sp->dis_all) {
        for (uint32_t i = 0; i < nmp; i++) {   /* part 1: overridden by the point */
            const plugin_info *x = info_of(mp[i].name);
            if (!x || !(x->points & point) || pset_disabled(sp, mp[i].name))
                continue;
            if (pset_find(sp->en, sp->nen, mp[i].name) >= 0 && pset_find(out, n, mp[i].name) < 0)
                out[n++] = mp[i];
        }
        for (uint32_t i = 0; i < nmp; i++) {   /* part 2: the other multiPoint plugins */
            const plugin_info *x = info_of(mp[i].name);
            if (!x || !(x->points & point) || pset_disabled(sp, mp[i].name))
                continue;
            if (pset_find(out, n, mp[i].name) < 0)
                out[n++] = mp[i];
        }
    }
    for (uint32_t i = 0; i < sp->nen; i++) {   /* part 3: the point's own list */
        const plugin_info *x = info_of(sp->en[i].name);
        if (x && !(x->points & point))
            continue;
        int k = pset_find(out, n, sp->en[i].name);
        if (k < 0)
            out[n++] = sp->en[i];
    }
    return n;
}

static void read_rspecs(cfg *c, const ka_node *seq, ks_rspec **out, uint32_t *nout)
{
    if (!ka_is_seq(seq) || ka_node_n(seq) == 0)
        return;
    ks_rspec *r = ka_arena_alloc(c->s->a, ka_node_n(seq) * sizeof *r);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ka_node_n(seq); i++) {
        const ka_node *e = KA_SEQ_ITEM(seq, i);
        ka_str name = ka_node_str(ka_get(e, "name"));
        int64_t w = 0;
        ka_int(ka_get(e, "weight"), &w);
        if (!name.n) {
            cerr(c, e, "a resource needs a name");
            continue;
        }
        if (w < 0 || w > 100) {
            cerr(c, e, "resource weight must be from 1 to 100");
            continue;
        }
        if (ka_str_eqc(name, "pods"))
            continue;
        r[n].res = ks_res_id(c->s, name, true);
        r[n].weight = w ? w : 1;
        n++;
    }
    *out = r;
    *nout = n;
}

static void read_args(cfg *c, ks_profile *p, const ka_node *pcs)
{
    ks_sim *s = c->s;
    for (uint32_t i = 0; ka_is_seq(pcs) && i < ka_node_n(pcs); i++) {
        const ka_node *e = KA_SEQ_ITEM(pcs, i);
        ka_str name = ka_node_str(ka_get(e, "name"));
        const ka_node *args = ka_get(e, "args");
        if (ka_str_eqc(name, "NodeResourcesFit")) {
            const ka_node *ss = ka_get(args, "scoringStrategy");
            ka_str type = ka_node_str(ka_get(ss, "type"));
            if (type.n == 0 || ka_str_eqc(type, "LeastAllocated"))
                p->strategy = KS_SS_LEAST;
            else if (ka_str_eqc(type, "MostAllocated"))
                p->strategy = KS_SS_MOST;
            else if (ka_str_eqc(type, "RequestedToCapacityRatio"))
                p->strategy = KS_SS_RTCR;
            else
                cerr(c, ka_get(ss, "type"), "scoringStrategy.type must be LeastAllocated, "
                     "MostAllocated or RequestedToCapacityRatio");
            read_rspecs(c, ka_get(ss, "resources"), &p->fit_res, &p->nfit_res);
            if (p->strategy == KS_SS_RTCR) {
                const ka_node *shape = ka_path(ss, "requestedToCapacityRatio", "shape", NULL);
                p->nshape = 0;
                int64_t last = -1;
                for (uint32_t k = 0; ka_is_seq(shape) && k < ka_node_n(shape) && k < 16; k++) {
                    const ka_node *pt = KA_SEQ_ITEM(shape, k);
                    int64_t u = 0, sc = 0;
                    ka_int(ka_get(pt, "utilization"), &u);
                    ka_int(ka_get(pt, "score"), &sc);
                    if (u < 0 || u > 100 || sc < 0 || sc > 10 || u <= last) {
                        cerr(c, pt, "shape points need increasing utilization 0..100 and "
                             "score 0..10");
                        continue;
                    }
                    last = u;
                    p->shape_u[p->nshape] = u;
                    p->shape_s[p->nshape] = sc * (KS_MAX_SCORE / 10);
                    p->nshape++;
                }
                if (p->nshape == 0)
                    cerr(c, ss, "RequestedToCapacityRatio needs a shape");
            }
            const ka_node *ir = ka_get(args, "ignoredResources");
            for (uint32_t k = 0; ka_is_seq(ir) && k < ka_node_n(ir); k++) {
                p->ignored = ka_xrealloc(p->ignored, (p->nignored + 1) * sizeof *p->ignored);
                p->ignored[p->nignored++] = ka_node_str(KA_SEQ_ITEM(ir, k));
            }
            const ka_node *ig = ka_get(args, "ignoredResourceGroups");
            for (uint32_t k = 0; ka_is_seq(ig) && k < ka_node_n(ig); k++) {
                p->ignored_groups = ka_xrealloc(p->ignored_groups,
                                                (p->nignored_groups + 1) * sizeof *p->ignored_groups);
                p->ignored_groups[p->nignored_groups++] = ka_node_str(KA_SEQ_ITEM(ig, k));
            }
        } else if (ka_str_eqc(name, "NodeResourcesBalancedAllocation")) {
            read_rspecs(c, ka_get(args, "resources"), &p->bal_res, &p->nbal_res);
        } else if (ka_str_eqc(name, "PodTopologySpread")) {
            ka_str dt = ka_node_str(ka_get(args, "defaultingType"));
            const ka_node *dc = ka_get(args, "defaultConstraints");
            bool have = ka_is_seq(dc) && ka_node_n(dc) > 0;
            if (ka_str_eqc(dt, "System") && have)
                cerr(c, dc, "defaultConstraints must be empty when defaultingType is System");
            if (ka_str_eqc(dt, "List") || (dt.n == 0 && have)) {
                p->spread_system = false;
                p->ndefault_tsc = 0;
                p->default_tsc = have ? ka_arena_zalloc(s->a, ka_node_n(dc) * sizeof *p->default_tsc) : NULL;
                for (uint32_t k = 0; have && k < ka_node_n(dc); k++) {
                    const ka_node *x = KA_SEQ_ITEM(dc, k);
                    ks_tsc *t = &p->default_tsc[p->ndefault_tsc];
                    int64_t v = 0;
                    if (!ka_int(ka_get(x, "maxSkew"), &v) || v < 1) {
                        cerr(c, x, "default constraint needs maxSkew >= 1");
                        continue;
                    }
                    if (ka_get(x, "labelSelector")) {
                        cerr(c, x, "default constraints must not have a labelSelector");
                        continue;
                    }
                    t->max_skew = (int32_t)(v > 1000000 ? 1000000 : v);
                    ka_str key = ka_node_str(ka_get(x, "topologyKey"));
                    t->key = ks_intern(&s->str, key);
                    t->hard = ka_str_eqc(ka_node_str(ka_get(x, "whenUnsatisfiable")),
                                         "DoNotSchedule");
                    t->sel_valid = true;
                    t->min_domains = 1;
                    t->aff_honor = true;
                    p->ndefault_tsc++;
                }
            } else if (dt.n && !ka_str_eqc(dt, "System")) {
                cerr(c, ka_get(args, "defaultingType"), "defaultingType must be System or List");
            }
        } else if (ka_str_eqc(name, "InterPodAffinity")) {
            int64_t w;
            const ka_node *hw = ka_get(args, "hardPodAffinityWeight");
            if (hw && ka_int(hw, &w)) {
                if (w < 0 || w > 100)
                    cerr(c, hw, "hardPodAffinityWeight must be from 0 to 100");
                else
                    p->hard_weight = (int32_t)w;
            }
            p->ignore_existing_pref = ka_bool(ka_get(args, "ignorePreferredTermsOfExistingPods")) == 1;
        } else if (ka_str_eqc(name, "NodeAffinity")) {
            const ka_node *aa = ka_get(args, "addedAffinity");
            const ka_node *req = ka_get(aa, "requiredDuringSchedulingIgnoredDuringExecution");
            if (req && !ka_is_null(req)) {
                p->added_req = ka_arena_zalloc(s->a, sizeof *p->added_req);
                ks_nodesel_parse(s, req, false, p->added_req, NULL);
            }
            const ka_node *pref = ka_get(aa, "preferredDuringSchedulingIgnoredDuringExecution");
            if (ka_is_seq(pref) && ka_node_n(pref)) {
                ks_nodesel_parse(s, pref, true, &p->added_pref, NULL);
                p->has_added_pref = true;
            }
        }
    }
}

int ks_profile_load(ks_sim *s, const char *path, ks_profile *p)
{
    cfg c = { s, path, 0 };
    ka_file *f = ka_load_path(path, NULL, s->diags);
    if (!f)
        return -1;
    const ka_node *root = NULL;
    for (size_t i = 0; i < f->ndocs && !root; i++)
        root = f->docs[i].root;
    if (!ka_is_map(root) ||
        !ka_str_eqc(ka_node_str(ka_get(root, "kind")), "KubeSchedulerConfiguration")) {
        cerr(&c, root, "not a KubeSchedulerConfiguration");
        s->cfg_file = f;
        return -1;
    }
    ka_str av = ka_node_str(ka_get(root, "apiVersion"));
    if (!ka_str_eqc(av, "kubescheduler.config.k8s.io/v1"))
        cwarn(&c, ka_get(root, "apiVersion"),
              "apiVersion is not kubescheduler.config.k8s.io/v1; read as v1");
    const ka_node *profiles = ka_get(root, "profiles");
    const ka_node *prof = ka_is_seq(profiles) && ka_node_n(profiles) ? KA_SEQ_ITEM(profiles, 0) : NULL;
    if (ka_is_seq(profiles) && ka_node_n(profiles) > 1)
        cwarn(&c, KA_SEQ_ITEM(profiles, 1),
              "only the first profile is simulated; pods naming another schedulerName stay "
              "pending");
    ka_str sn = ka_node_str(ka_get(prof, "schedulerName"));
    if (sn.n)
        p->scheduler_name = ka_arena_str(s->a, sn);
    const ka_node *plugins = ka_get(prof, "plugins");
    pset mp, pf, fl, sc, pof;
    read_pset(&c, ka_get(plugins, "multiPoint"), &mp);
    read_pset(&c, ka_get(plugins, "preFilter"), &pf);
    read_pset(&c, ka_get(plugins, "filter"), &fl);
    read_pset(&c, ka_get(plugins, "score"), &sc);
    read_pset(&c, ka_get(plugins, "postFilter"), &pof);
    pentry mpm[160], out[160];
    uint32_t nmp;
    merge_multipoint(&mp, mpm, &nmp);

    uint32_t n = expand(mpm, nmp, &fl, PT_FILTER, out);
    p->nfilters = 0;
    for (uint32_t i = 0; i < n; i++) {
        const plugin_info *x = info_of(out[i].name);
        if (x && x->id)
            p->filters[p->nfilters++] = x->id;
    }
    n = expand(mpm, nmp, &pf, PT_PREFILTER, out);
    memset(p->prefilter, 0, sizeof p->prefilter);
    for (uint32_t i = 0; i < n; i++) {
        const plugin_info *x = info_of(out[i].name);
        if (x && x->id)
            p->prefilter[x->id] = true;
    }
    n = expand(mpm, nmp, &sc, PT_SCORE, out);
    p->nscores = 0;
    memset(p->weight, 0, sizeof p->weight);
    for (uint32_t i = 0; i < n; i++) {
        const plugin_info *x = info_of(out[i].name);
        if (!x || !x->id)
            continue;
        /* the score list's weight first, then multiPoint's; 0 counts as 1 */
        int k = pset_find(sc.en, sc.nen, out[i].name);
        int m = pset_find(mpm, nmp, out[i].name);
        int64_t w = k >= 0 ? sc.en[k].weight : m >= 0 ? mpm[m].weight : 0;
        p->scores[p->nscores++] = x->id;
        p->weight[x->id] = (int32_t)(w > 0 ? w : 1);
    }
    n = expand(mpm, nmp, &pof, PT_POSTFILTER, out);
    p->preemption = false;
    for (uint32_t i = 0; i < n; i++)
        if (ka_str_eqc(out[i].name, "DefaultPreemption"))
            p->preemption = true;

    read_args(&c, p, ka_get(prof, "pluginConfig"));
    /* selectors and names point into the file: it lives as long as the simulator */
    s->cfg_file = f;
    return c.errors ? -1 : 0;
}
