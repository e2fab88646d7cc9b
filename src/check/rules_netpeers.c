/*
 * rules_netpeers.c - NET-004: NetworkPolicy from/to peers whose selectors
 * match nothing in the input.
 *
 * A peer selects pods: podSelector alone in the policy's namespace,
 * namespaceSelector alone every pod of the matching namespaces, both
 * together the matching pods inside the matching namespaces. Namespaces are
 * matched by their labels plus the implicit kubernetes.io/metadata.name the
 * API server sets. A namespace is known when a Namespace object declares it,
 * when objects of the input live in it, or when it is one every cluster has
 * (kube-system, kube-public, kube-node-lease, default: a DNS egress rule to
 * kube-system must not be reported because kube-system is not in the input).
 *
 * Whether a podSelector inside selected namespaces matches is judged only
 * when every one of those namespaces has workloads in the input; a namespace
 * whose pods are not in the input could hold the pods the peer names.
 *
 * The rule walks the set once (KA_SETRULE): the namespace table, its label
 * index and the memo of answers are built once per run. Identical peers
 * repeat across namespaces (allow-from-ingress, allow-DNS), so answers are
 * memoised by the canonical selector text.
 */
#include "net_util.h"
#include "../core/hmap.h"

#include <stdlib.h>
#include <string.h>

#define META_NAME "kubernetes.io/metadata.name"

typedef struct nsent {
    ka_str name;
    ka_labels labels;  /* the Namespace object's labels + the implicit name label */
    bool has_pods;     /* workloads of the namespace are in the input */
} nsent;

typedef struct peerctx {
    ka_ctx *ctx;
    const ka_objset *set;
    ka_arena *arena;
    ka_hmap by_name;   /* name -> nsent* */
    ka_ptrvec all;     /* nsent*, first appearance order */
    ka_hmap by_pair;   /* key \0 val -> nsent* (multimap) */
    ka_hmap ns_memo;   /* namespaceSelector text -> ka_ptrvec of matching nsent* */
    ka_hmap pod_memo;  /* ns text \1 pod text -> (void *)1 found, (void *)2 not found */
    ka_buf key, text;
} peerctx;

static nsent *ns_get(peerctx *pc, ka_str name)
{
    void **slot = ka_hmap_slot(&pc->by_name, name);
    if (!*slot) {
        nsent *e = ka_arena_zalloc(pc->arena, sizeof *e);
        e->name = ka_arena_str(pc->arena, name);
        *slot = e;
        ka_ptrvec_push(&pc->all, e);
    }
    return *slot;
}

/* The namespace's labels as the API server stores them: the declared ones
 * with kubernetes.io/metadata.name forced to the namespace's name. */
static void set_labels(peerctx *pc, nsent *e, const ka_labels *declared)
{
    size_t n = declared ? declared->n : 0;
    ka_kv *kv = ka_arena_alloc(pc->arena, (n + 1) * sizeof *kv);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!ka_str_eqc(declared->kv[i].key, META_NAME))
            kv[k++] = declared->kv[i];
    kv[k++] = (ka_kv){ KA_STR(META_NAME), e->name };
    e->labels = (ka_labels){ k, kv };
}

static void build_namespaces(peerctx *pc)
{
    static const char *const always[] = { "default", "kube-system", "kube-public", "kube-node-lease" };
    size_t n = ka_objset_count(pc->set);
    for (size_t i = 0; i < n; i++) {
        const ka_object *o = ka_objset_at(pc->set, i);
        if (ka_kind_is(o, "Namespace") && o->scope == KA_SCOPE_CLUSTER && o->name.n) {
            nsent *e = ns_get(pc, o->name);
            if (!e->labels.n) /* the first declaration wins */
                set_labels(pc, e, &o->labels);
        } else if (o->ns.n) {
            ns_get(pc, o->ns);
        }
    }
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        ns_get(pc, ka_str_c(always[i]));
    for (size_t i = 0; i < pc->all.n; i++) {
        nsent *e = (nsent *)pc->all.v[i];
        if (!e->labels.n)
            set_labels(pc, e, NULL);
        e->has_pods = ka_objset_pods_in(pc->set, e->name).n > 0;
        for (size_t j = 0; j < e->labels.n; j++)
            ka_hmap_vec_push(&pc->by_pair, ka_key2(&pc->key, e->labels.kv[j].key, e->labels.kv[j].val), e);
    }
}

/* Namespaces a (non-empty) namespaceSelector matches, memoised by its text. */
static const ka_ptrvec *ns_matching(peerctx *pc, const ka_selector *sel, ka_str text)
{
    void **slot = ka_hmap_slot(&pc->ns_memo, text);
    if (*slot)
        return *slot;
    ka_ptrvec *out = ka_xcalloc(1, sizeof *out);
    *slot = out;
    const ka_requirement *r = ka_selector_index_req(sel);
    if (!r) {
        for (size_t i = 0; i < pc->all.n; i++)
            if (ka_selector_matches(sel, &((const nsent *)pc->all.v[i])->labels))
                ka_ptrvec_push(out, pc->all.v[i]);
        return out;
    }
    /* a namespace carries one value per key: no candidate repeats */
    for (size_t v = 0; v < r->nvals; v++) {
        ka_ptrlist c = ka_hmap_vec_get(&pc->by_pair, ka_key2(&pc->key, r->key, r->vals[v]));
        for (size_t i = 0; i < c.n; i++)
            if (ka_selector_matches(sel, &((const nsent *)c.v[i])->labels))
                ka_ptrvec_push(out, c.v[i]);
    }
    return out;
}

/* Does sel name, by kubernetes.io/metadata.name, a namespace that is not in
 * the input but declared present (--assume-present Namespace/name)? Its
 * labels and pods are unknown, so the peer cannot be judged. */
static bool names_assumed_namespace(peerctx *pc, const ka_selector *sel)
{
    for (size_t i = 0; i < sel->n; i++) {
        const ka_requirement *r = &sel->reqs[i];
        if (!ka_str_eqc(r->key, META_NAME) ||
            !(r->op == KA_SEL_EQUALS || r->op == KA_SEL_DOUBLEEQUALS || r->op == KA_SEL_IN))
            continue;
        for (size_t v = 0; v < r->nvals; v++)
            if (!ka_hmap_get(&pc->by_name, r->vals[v]) &&
                ka_present(pc->ctx, "Namespace", (ka_str){ "", 0 }, r->vals[v]))
                return true;
    }
    return false;
}

typedef enum podans { POD_FOUND = 1, POD_NONE = 2, POD_UNKNOWN = 3 } podans;

/* Does the podSelector match a pod in one of the namespaces? UNKNOWN when a
 * namespace's workloads are not in the input. Memoised by both texts. */
static podans pods_in_namespaces(peerctx *pc, const ka_ptrvec *nss, ka_str nstext,
                                 const ka_selector *pod, ka_str podtext)
{
    ka_buf_reset(&pc->key);
    ka_buf_addstr(&pc->key, nstext);
    ka_buf_addc(&pc->key, '\1');
    ka_buf_addstr(&pc->key, podtext);
    void **slot = ka_hmap_slot(&pc->pod_memo, (ka_str){ pc->key.p, pc->key.n });
    if (*slot)
        return (podans)(uintptr_t)*slot;
    podans ans = POD_NONE;
    for (size_t i = 0; i < nss->n && ans == POD_NONE; i++)
        if (!((const nsent *)nss->v[i])->has_pods)
            ans = POD_UNKNOWN;
    for (size_t i = 0; i < nss->n && ans == POD_NONE; i++)
        if (ka_first_pod_matching(pc->set, ((const nsent *)nss->v[i])->name, pod))
            ans = POD_FOUND;
    *slot = (void *)(uintptr_t)ans;
    return ans;
}

/* Parse a peer selector; false when absent, null or invalid (an invalid
 * selector is rejected by the API server and not this rule's subject). */
static bool peer_selector(peerctx *pc, const ka_node *n, ka_selector *out)
{
    const ka_node *bad;
    char err[8];
    if (!n || ka_is_null(n))
        return false;
    return ka_selector_from_node(pc->arena, n, out, &bad, err, sizeof err) == 0;
}

static void check_peer(ka_ctx *ctx, peerctx *pc, const ka_object *o, const char *dir, uint32_t ri,
                       const char *field, uint32_t pi, const ka_node *peer)
{
    const ka_node *nsn = ka_get(peer, "namespaceSelector");
    const ka_node *podn = ka_get(peer, "podSelector");
    ka_selector nss, pods;
    bool has_ns = peer_selector(pc, nsn, &nss);
    bool has_pod = peer_selector(pc, podn, &pods);
    if (!has_ns && !has_pod)
        return; /* ipBlock, or a peer the API server rejects */
    bool pod_empty = !has_pod || ka_selector_empty(&pods);
    ka_buf podtext;
    ka_buf_init(&podtext);
    if (has_pod)
        ka_selector_string(&pods, &podtext);
    if (!has_ns) {
        if (!pod_empty && !ka_first_pod_matching(pc->set, o->ns, &pods))
            ka_report(ctx, o, podn, NULL,
                      "%s[%u].%s[%u].podSelector (%s) selects no pod of namespace %.*s: the peer "
                      "allows nothing",
                      dir, ri, field, pi, ka_buf_cstr(&podtext), (int)o->ns.n, o->ns.p);
        ka_buf_free(&podtext);
        return;
    }
    if (ka_selector_empty(&nss)) {
        /* every namespace, including ones whose pods are not in the input:
         * there is nothing to judge */
        ka_buf_free(&podtext);
        return;
    }
    ka_buf_reset(&pc->text);
    ka_selector_string(&nss, &pc->text);
    ka_str nstext = { pc->text.p, pc->text.n }; /* pc->text is not reused below */
    const ka_ptrvec *matched = ns_matching(pc, &nss, nstext);
    if (names_assumed_namespace(pc, &nss)) {
        /* nothing to judge */
    } else if (matched->n == 0) {
        ka_report(ctx, o, nsn, NULL,
                  "%s[%u].%s[%u].namespaceSelector (%.*s) matches no namespace of the input (labels "
                  "include kubernetes.io/metadata.name): the peer allows nothing",
                  dir, ri, field, pi, (int)nstext.n, nstext.p);
    } else if (!pod_empty && pods_in_namespaces(pc, matched, nstext, &pods,
                                                (ka_str){ podtext.p, podtext.n }) == POD_NONE) {
        const nsent *first = matched->v[0];
        ka_report(ctx, o, podn, NULL,
                  "%s[%u].%s[%u].podSelector (%s) selects no pod in the namespaces its "
                  "namespaceSelector matches (%.*s%s): the peer allows nothing",
                  dir, ri, field, pi, ka_buf_cstr(&podtext), (int)first->name.n, first->name.p,
                  matched->n > 1 ? ", ..." : "");
    }
    ka_buf_free(&podtext);
}

static void check_direction(ka_ctx *ctx, peerctx *pc, const ka_object *o, const ka_node *spec,
                            const char *dir, const char *field)
{
    const ka_node *rules = ka_get(spec, dir);
    if (!ka_is_seq(rules))
        return;
    for (uint32_t r = 0; r < ka_node_n(rules); r++) {
        const ka_node *peers = ka_get(KA_SEQ_ITEM(rules, r), field);
        if (!ka_is_seq(peers))
            continue;
        for (uint32_t p = 0; p < ka_node_n(peers); p++)
            if (ka_is_map(KA_SEQ_ITEM(peers, p)))
                check_peer(ctx, pc, o, dir, r, field, p, KA_SEQ_ITEM(peers, p));
    }
}

void ka_setrule_net004(ka_ctx *ctx, const ka_objset *s)
{
    ka_objlist pols = ka_objset_by_kind(s, "NetworkPolicy");
    if (!pols.n)
        return;
    peerctx pc;
    memset(&pc, 0, sizeof pc);
    pc.ctx = ctx;
    pc.set = s;
    pc.arena = ka_arena_new();
    ka_hmap_init(&pc.by_name, pc.arena);
    ka_hmap_init(&pc.by_pair, pc.arena);
    ka_hmap_init(&pc.ns_memo, pc.arena);
    ka_hmap_init(&pc.pod_memo, pc.arena);
    ka_buf_init(&pc.key);
    ka_buf_init(&pc.text);
    build_namespaces(&pc);
    for (size_t i = 0; i < pols.n; i++) {
        const ka_object *o = pols.v[i];
        const ka_node *spec = o->spec;
        unsigned t = ka_netpol_types(o);
        /* rules of a direction the policy does not isolate are ignored by
         * the API server's evaluation: nothing there can drop traffic */
        if (t & KA_NETPOL_INGRESS)
            check_direction(ctx, &pc, o, spec, "ingress", "from");
        if (t & KA_NETPOL_EGRESS)
            check_direction(ctx, &pc, o, spec, "egress", "to");
    }
    ka_buf_free(&pc.key);
    ka_buf_free(&pc.text);
    ka_hmap_free_vecs(&pc.by_pair);
    for (size_t i = 0; i < pc.ns_memo.cap; i++) /* its values are plain vectors */
        if (pc.ns_memo.e[i].key.p && pc.ns_memo.e[i].val) {
            ka_ptrvec_free(pc.ns_memo.e[i].val);
            free(pc.ns_memo.e[i].val);
        }
    ka_hmap_free(&pc.ns_memo);
    ka_hmap_free(&pc.pod_memo);
    ka_hmap_free(&pc.by_name);
    ka_ptrvec_free(&pc.all);
    ka_arena_free(pc.arena);
}
