/*
 * fuzz_quantity.c - libFuzzer entry point for resource.Quantity parsing.
 *
 * Every accepted input must format without overflowing KA_QUANTITY_STRMAX,
 * and its canonical and exact renderings must parse back to the same value
 * (the canonical one except where upstream itself drops a DecimalSI suffix
 * beyond "E", or an exponent beyond int32 would wrap on re-parsing); decimal
 * canonical forms must also be fixed points.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kubearch/quantity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* Exponents this large may not survive upstream's int32 arithmetic. */
#define SAFE_SCALE (1 << 30)
/* Keep the exact rendering (one byte per power of ten) small. */
#define EXACT_SCALE 4096

static void check_canonical(const ka_quantity *q)
{
    char s[KA_QUANTITY_STRMAX], again[KA_QUANTITY_STRMAX];
    size_t n = ka_quantity_string(q, s, sizeof s);
    ka_quantity r;

    CHECK(n < sizeof s && strlen(s) == n);
    if (q->scale > SAFE_SCALE || (q->format == KA_QF_DECIMAL_SI && q->scale + q->ndigits > 21))
        return; /* no suffix beyond "E": upstream prints a different number */
    CHECK(ka_quantity_parse((ka_str){ s, n }, &r) == 0);
    CHECK(ka_quantity_cmp(q, &r) == 0);
    if (q->format == KA_QF_BINARY_SI)
        return; /* "320000" (from 312.5Ki) re-parses as DecimalSI: "320k" */
    ka_quantity_string(&r, again, sizeof again);
    CHECK(strcmp(s, again) == 0);
}

static void check_exact(const ka_quantity *q)
{
    ka_buf b;
    ka_quantity r;

    if (q->scale > EXACT_SCALE || q->scale < -EXACT_SCALE)
        return;
    ka_buf_init(&b);
    ka_quantity_exact(q, &b);
    CHECK(ka_quantity_parse((ka_str){ b.p, b.n }, &r) == 0);
    CHECK(ka_quantity_cmp(q, &r) == 0);
    ka_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ka_str in = { (const char *)data, size };
    ka_quantity q;
    char s[KA_QUANTITY_STRMAX];
    int64_t v;

    if (ka_quantity_parse(in, &q) != 0)
        return 0;
    CHECK(q.ndigits >= 1 && q.ndigits <= KA_QUANTITY_MAXDIGITS);
    check_canonical(&q);
    check_exact(&q);
    ka_quantity_string_parsed(&q, in, s, sizeof s);
    if (ka_quantity_value(&q, &v) == 0 && ka_quantity_milli(&q, &v) == 0)
        CHECK(!q.neg || v <= 0);
    CHECK(ka_quantity_cmp(&q, &q) == 0);
    return 0;
}
