/*
 * quantity.c - exact resource arithmetic for the scheduler.
 *
 * Upstream sums container requests as resource.Quantity values (exact) and
 * converts the total once with MilliValue() (cpu) or Value() (everything
 * else), both rounding up. Every parsed quantity is a multiple of 10^-9, so
 * holding values as integer nano-units in 128 bits keeps sums exact.
 */
#include "sim.h"

#include "kubearch/quantity.h"

#include <inttypes.h>

#define NANO_MAX ((ks_nano)1 << 120)

bool ks_nano_parse(ka_str text, ks_nano *out)
{
    ka_quantity q;
    if (ka_quantity_parse(text, &q) != 0)
        return false;
    if (ka_quantity_is_zero(&q)) {
        *out = 0;
        return true;
    }
    int64_t exp = q.scale + 9;
    if (exp < 0 || exp + q.ndigits > 36)
        return false;
    ks_nano v = 0;
    for (uint32_t i = 0; i < q.ndigits; i++)
        v = v * 10 + (q.digits[i] - '0');
    for (int64_t i = 0; i < exp; i++)
        v *= 10;
    if (v > NANO_MAX)
        return false;
    *out = q.neg ? -v : v;
    return true;
}

static int64_t ceil_div(ks_nano v, ks_nano d)
{
    if (v <= 0)
        return 0;
    ks_nano r = (v + d - 1) / d;
    return r > INT64_MAX ? INT64_MAX : (int64_t)r;
}

int64_t ks_nano_milli(ks_nano v)
{
    return ceil_div(v, 1000000);
}

int64_t ks_nano_value(ks_nano v)
{
    return ceil_div(v, 1000000000);
}

/* Human form for reports: cores for cpu (millicores in), binary units for
 * memory and storage, plain integers otherwise. */
void ks_format_qty(uint32_t res, int64_t v, ka_buf *out)
{
    if (res == KS_R_CPU) {
        if (v % 1000 == 0)
            ka_buf_printf(out, "%" PRId64, v / 1000);
        else if (v < 1000)
            ka_buf_printf(out, "%" PRId64 "m", v);
        else if (v % 100 == 0)
            ka_buf_printf(out, "%" PRId64 ".%" PRId64, v / 1000, (v % 1000) / 100);
        else if (v % 10 == 0)
            ka_buf_printf(out, "%" PRId64 ".%02" PRId64, v / 1000, (v % 1000) / 10);
        else
            ka_buf_printf(out, "%" PRId64 ".%03" PRId64, v / 1000, v % 1000);
        return;
    }
    if (res == KS_R_MEM || res == KS_R_EPH) {
        static const char *const unit[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
        int u = 0;
        double x = (double)v;
        while (x >= 1024.0 && u < 6) {
            x /= 1024.0;
            u++;
        }
        if (u == 0)
            ka_buf_printf(out, "%" PRId64, v);
        else if (x >= 100 || x == (double)(int64_t)x)
            ka_buf_printf(out, "%.0f%s", x, unit[u]);
        else
            ka_buf_printf(out, "%.1f%s", x, unit[u]);
        return;
    }
    ka_buf_printf(out, "%" PRId64, v);
}
