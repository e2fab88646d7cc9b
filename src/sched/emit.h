/*
 * emit.h - a small writer for the simulation report, in JSON or YAML.
 */
#ifndef KA_SCHED_EMIT_H
#define KA_SCHED_EMIT_H

#include "kubearch/base.h"

#include <yaml.h>

#define KS_EM_MAXDEPTH 32

typedef struct ks_em {
    FILE *f;
    bool yaml;
    yaml_emitter_t y;
    ka_buf b;
    int depth;
    bool after_key;
    uint32_t count[KS_EM_MAXDEPTH];
    bool is_arr[KS_EM_MAXDEPTH];
} ks_em;

void ks_em_init(ks_em *e, FILE *f, bool yaml);
void ks_em_finish(ks_em *e);
void ks_em_begin(ks_em *e, bool array);
void ks_em_end(ks_em *e);
void ks_em_key(ks_em *e, const char *k);
void ks_em_str(ks_em *e, ka_str s);
void ks_em_cstr(ks_em *e, const char *s);
void ks_em_int(ks_em *e, int64_t v);
void ks_em_num(ks_em *e, double v);
void ks_em_bool(ks_em *e, bool v);
void ks_em_null(ks_em *e);

#endif
