/*
 * yaml_parse.c - the baseline of `make bench`: a bare libyaml event parse of
 * each file given (yaml_parser_parse loop, yaml_event_delete), nothing else.
 * The file is read into memory first (as kubearch maps it), so the time is
 * the parse. Prints "FILES EVENTS DOCUMENTS BYTES" on stdout.
 *
 * Usage: yaml_parse FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "yaml_parse: out of memory\n");
            exit(2);
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (len < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *n = len;
    return buf;
}

int main(int argc, char **argv)
{
    unsigned long long events = 0, docs = 0, bytes = 0;
    int rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: yaml_parse FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        size_t n;
        unsigned char *data = slurp(argv[i], &n);
        bytes += n;
        yaml_parser_t p;
        yaml_event_t ev;
        if (!yaml_parser_initialize(&p)) {
            fprintf(stderr, "yaml_parse: cannot initialise libyaml\n");
            return 2;
        }
        yaml_parser_set_input_string(&p, data, n);
        for (;;) {
            if (!yaml_parser_parse(&p, &ev)) {
                /* libyaml cannot resume after an error: count the file and go on */
                fprintf(stderr, "%s:%zu:%zu: %s\n", argv[i], p.problem_mark.line + 1,
                        p.problem_mark.column + 1, p.problem ? p.problem : "error");
                rc = 1;
                break;
            }
            yaml_event_type_t t = ev.type;
            events++;
            if (t == YAML_DOCUMENT_START_EVENT)
                docs++;
            yaml_event_delete(&ev);
            if (t == YAML_STREAM_END_EVENT)
                break;
        }
        yaml_parser_delete(&p);
        free(data);
    }
    printf("%d %llu %llu %llu\n", argc - 1, events, docs, bytes);
    return rc;
}
