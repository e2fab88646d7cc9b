/* Temporary: replaced by yaml.c, sarif.c and junit.c. */
#include "kubearch/output.h"

void ka_write_yaml(FILE *f, const ka_results *r, const ka_out_opts *o) { ka_write_json(f, r, o); }
void ka_write_sarif(FILE *f, const ka_results *r, const ka_out_opts *o) { ka_write_json(f, r, o); }
void ka_write_junit(FILE *f, const ka_results *r, const ka_objset *s, const ka_out_opts *o)
{
    (void)s;
    ka_write_json(f, r, o);
}
