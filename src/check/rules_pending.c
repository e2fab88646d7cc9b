/*
 * rules_pending.c - TEMPORARY weak no-op definitions so the tree links while
 * rule families are being written in parallel. Deleted once every rule exists.
 */
#include "rule.h"

__attribute__((weak)) void ka_rule_res001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_res002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_res003(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_res004(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_res005(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_prb001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_prb002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_prb003(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_prb004(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec003(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec004(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec005(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec006(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec007(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec008(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec009(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec010(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec012(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec013(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec014(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec015(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec016(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec017(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec018(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec022(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec023(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec025(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_sec027(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_img001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_ha001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_ha002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_ha003(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_ha004(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_upg001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_upg002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_upg003(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_meta001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_meta002(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_meta004(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_meta005(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
__attribute__((weak)) void ka_rule_ns001(ka_ctx *ctx, const ka_object *o) { (void)ctx; (void)o; }
