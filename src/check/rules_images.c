/*
 * rules_images.c - IMG-001: untagged or :latest images.
 *
 * An image reference is  [host[:port]/]path[:tag][@digest]  (the grammar of
 * distribution/reference, read for facts). The tag is what follows the last
 * ':' after the last '/', so a registry port is never mistaken for a tag.
 * A digest pins the image whatever the tag says.
 */
#include "rule.h"

#include <string.h>

static bool is_lower_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

static bool is_alnum(char ch)
{
    return is_lower_alnum(ch) || (ch >= 'A' && ch <= 'Z');
}

/* algorithm ":" encoded, algorithm = [a-z0-9]+ ([+._-] [a-z0-9]+)*,
 * encoded = [a-zA-Z0-9=_-]+ (OCI image spec, descriptor digests). */
static bool digest_valid(ka_str d)
{
    const char *colon = memchr(d.p, ':', d.n);
    if (!colon)
        return false;
    size_t an = (size_t)(colon - d.p);
    if (an == 0 || !is_lower_alnum(d.p[0]) || !is_lower_alnum(d.p[an - 1]))
        return false;
    for (size_t i = 1; i < an; i++) {
        char ch = d.p[i];
        bool sep = ch == '+' || ch == '.' || ch == '_' || ch == '-';
        if (!is_lower_alnum(ch) && !(sep && is_lower_alnum(d.p[i - 1])))
            return false;
    }
    size_t en = d.n - an - 1;
    if (en == 0)
        return false;
    for (size_t i = an + 1; i < d.n; i++) {
        char ch = d.p[i];
        if (!is_alnum(ch) && ch != '=' && ch != '_' && ch != '-')
            return false;
    }
    return true;
}

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static bool tag_valid(ka_str t)
{
    if (t.n == 0 || t.n > 128 || !(is_alnum(t.p[0]) || t.p[0] == '_'))
        return false;
    for (size_t i = 1; i < t.n; i++) {
        char ch = t.p[i];
        if (!is_alnum(ch) && ch != '_' && ch != '.' && ch != '-')
            return false;
    }
    return true;
}

void ka_rule_img001(ka_ctx *ctx, const ka_object *o)
{
    KA_FOR_CONTAINERS(o, c) {
        const ka_node *img = ka_get(c->node, "image");
        if (!ka_is_scalar(img) || ka_is_null(img) || ka_node_n(img) == 0)
            continue; /* a missing image is a schema error, not this rule's */
        ka_str ref = ka_node_str(img);
        const char *at = memchr(ref.p, '@', ref.n);
        ka_str name = ref;
        if (at) {
            ka_str dg = { at + 1, ref.n - (size_t)(at + 1 - ref.p) };
            name.n = (size_t)(at - ref.p);
            if (!digest_valid(dg)) {
                ka_report(ctx, o, img, c,
                          "image \"%s\" has \"@%.*s\", which is not a digest "
                          "(algorithm:hex, e.g. @sha256:...)",
                          ka_cstr(img), (int)dg.n, dg.p);
                continue;
            }
            if (name.n > 0)
                continue; /* pinned by digest */
        }
        if (name.n == 0) {
            ka_report(ctx, o, img, c, "image \"%s\" names no repository",
                      ka_cstr(img));
            continue;
        }
        /* the tag follows the last ':' after the last '/' */
        size_t start = 0;
        for (size_t i = 0; i < name.n; i++)
            if (name.p[i] == '/')
                start = i + 1;
        const char *colon = memchr(name.p + start, ':', name.n - start);
        if (!colon) {
            ka_report(ctx, o, img, c,
                      "image \"%s\" has no tag, so it pulls :latest",
                      ka_cstr(img));
            continue;
        }
        ka_str tag = { colon + 1, name.n - (size_t)(colon + 1 - name.p) };
        if (!tag_valid(tag)) {
            ka_report(ctx, o, img, c,
                      "image \"%s\" has the invalid tag \"%.*s\"",
                      ka_cstr(img), (int)tag.n, tag.p);
            continue;
        }
        if (ka_str_eqc(tag, "latest"))
            ka_report(ctx, o, img, c,
                      "image \"%s\" uses the :latest tag, which changes under the workload",
                      ka_cstr(img));
    }
}
