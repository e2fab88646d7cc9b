/*
 * kubearch/quantity.h - resource.Quantity with the exact semantics of
 * k8s.io/apimachinery/pkg/api/resource: parsing of every suffix and exponent
 * form, parse-time rounding, canonical String(), Value()/MilliValue()
 * rounding (ceil), and overflow detection.
 */
#ifndef KUBEARCH_QUANTITY_H
#define KUBEARCH_QUANTITY_H

#include "base.h"

typedef enum ka_qformat {
    KA_QF_DECIMAL_SI = 0,       /* n u m "" k M G T P E */
    KA_QF_BINARY_SI = 1,        /* Ki Mi Gi Ti Pi Ei */
    KA_QF_DECIMAL_EXPONENT = 2, /* e3, E-6 ... */
} ka_qformat;

/* Exact value = (neg ? -1 : 1) * digits * 10^scale, digits a decimal integer
 * without leading or trailing zeros ("0" for zero, then scale 0 and neg false).
 * Fixed-size so it can live on the stack: parsing rounds every value up to a
 * multiple of 10^-9 (as upstream does), so only inputs with more than
 * KA_QUANTITY_MAXDIGITS significant digits left after that rounding, which
 * upstream would still accept, cannot be held (KA_QUANTITY_ETOOLONG). */
#define KA_QUANTITY_MAXDIGITS 128
/* Enough room for any ka_quantity_string() result, NUL included. */
#define KA_QUANTITY_STRMAX 176
/* ka_quantity_parse() result for a valid quantity beyond KA_QUANTITY_MAXDIGITS. */
#define KA_QUANTITY_ETOOLONG (-2)
typedef struct ka_quantity {
    bool neg;
    /* Upstream keeps the input text as the String() of a freshly parsed value
     * when it judged that text canonical (see ka_quantity_string_parsed). */
    bool verbatim;
    uint8_t ndigits;
    ka_qformat format;
    int64_t scale;
    char digits[KA_QUANTITY_MAXDIGITS];
} ka_quantity;

/* 0 on success, -1 when the text is not a valid quantity (ParseQuantity: no
 * whitespace trimming), KA_QUANTITY_ETOOLONG as described above. */
int ka_quantity_parse(ka_str s, ka_quantity *q);
/* ceil(value), -1 on int64 overflow (result not stored). */
int ka_quantity_value(const ka_quantity *q, int64_t *out);
/* ceil(value * 1000), -1 on int64 overflow. */
int ka_quantity_milli(const ka_quantity *q, int64_t *out);
/* Canonical String() into buf (NUL-terminated, truncated to bufn - 1 bytes
 * like snprintf); returns the full length. This is CanonicalizeBytes, the
 * form upstream prints whenever it has no cached text for the value. */
size_t ka_quantity_string(const ka_quantity *q, char *buf, size_t bufn);
/* ParseQuantity(src).String(), which is also what the API server stores:
 * src itself when upstream keeps the input text ("1E6", "+1", "01" stay as
 * written), else the canonical form. q must come from parsing src. */
size_t ka_quantity_string_parsed(const ka_quantity *q, ka_str src, char *buf, size_t bufn);
/* Exact decimal rendering (no exponent), e.g. "100035" or "-0.001". Its length
 * grows with |scale|, which parsing bounds only by the int32 exponent range. */
void ka_quantity_exact(const ka_quantity *q, ka_buf *out);
/* "DecimalSI", "BinarySI" or "DecimalExponent". */
const char *ka_qformat_name(ka_qformat f);
/* -1, 0, 1 */
int ka_quantity_cmp(const ka_quantity *a, const ka_quantity *b);
bool ka_quantity_is_zero(const ka_quantity *q);

#endif
