/*
 * write.c - writing a plan to disk: compare, then replace atomically.
 *
 * Every path is walked one component at a time from a descriptor of the
 * output directory (openat with O_NOFOLLOW): a symbolic link or ".." planted
 * in the tree can never redirect a write outside it. Files are written to a
 * temporary name in their own directory and renamed over the target, so a
 * reader sees the old or the new file, never a partial one.
 */
#include "kubearch/gen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ka_gen_state_name(ka_gen_state s)
{
    static const char *const names[] = { "create", "unchanged", "update", "conflict", "error" };
    return (size_t)s < sizeof names / sizeof *names ? names[s] : "?";
}

/* Plan paths are built from validated names; refuse anything else anyway. */
static bool path_safe(const char *p)
{
    if (!*p || *p == '/')
        return false;
    const char *c = p;
    while (*c) {
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.') ||
            c[0] == '.')
            return false;
        for (size_t i = 0; i < n; i++) {
            char ch = c[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '-' || ch == '.' || ch == '_'))
                return false;
        }
        c += n;
        if (*c == '/')
            c++;
    }
    return true;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static char *msg(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ka_xstrdup(buf);
}

/* Opens (creating when allowed) the directory holding path below root.
 * Returns a descriptor, -2 when it does not exist (dry run), -1 on error. */
static int open_parent(int root, const char *path, bool create, char **err)
{
    int fd = dup(root);
    if (fd < 0) {
        *err = msg("%s: %s", path, strerror(errno));
        return -1;
    }
    const char *c = path;
    for (;;) {
        const char *slash = strchr(c, '/');
        if (!slash)
            return fd;
        char comp[256];
        size_t n = (size_t)(slash - c);
        if (n >= sizeof comp) {
            close(fd);
            *err = ka_xstrdup("path component too long");
            return -1;
        }
        memcpy(comp, c, n);
        comp[n] = 0;
        int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT) {
            if (!create) {
                close(fd);
                return -2;
            }
            if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
                *err = msg("cannot create directory for %s: %s", path, strerror(errno));
                close(fd);
                return -1;
            }
            next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (next < 0) {
            int e = errno;
            *err = e == ELOOP || e == ENOTDIR
                       ? msg("%s: a parent is a symbolic link or not a directory; not following "
                             "it (%s)", path, strerror(e))
                       : msg("%s: %s", path, strerror(e));
            close(fd);
            return -1;
        }
        close(fd);
        fd = next;
        c = slash + 1;
    }
}

/* 1 same, 0 different, -2 absent, -1 error. */
static int compare(int dfd, const char *name, const ka_buf *data, const char *path, char **err)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return -2;
        *err = errno == ELOOP ? msg("%s is a symbolic link; not following it (%s)", path, strerror(errno))
                              : msg("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *err = msg("%s is not a regular file (%s)", path, strerror(EISDIR));
        close(fd);
        return -1;
    }
    int same = (size_t)st.st_size == data->n;
    if (same) {
        char buf[65536];
        size_t off = 0;
        for (;;) {
            ssize_t r = read(fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                *err = msg("cannot read %s: %s", path, strerror(errno));
                close(fd);
                return -1;
            }
            if (r == 0)
                break;
            if (off + (size_t)r > data->n || memcmp(buf, data->p + off, (size_t)r) != 0) {
                same = 0;
                break;
            }
            off += (size_t)r;
        }
        same = same && off == data->n;
    }
    close(fd);
    return same;
}

/* durable: fsync before the rename. Done when replacing a file, so that a
 * crash never leaves an empty file where good content was; a new file that a
 * crash loses is written again by the next run, so creating skips the cost. */
static int write_atomic(int dfd, const char *name, const ka_buf *data, const char *path,
                        bool durable, char **err)
{
    char tmp[320];
    int fd = -1;
    for (int i = 0; i < 100 && fd < 0; i++) {
        snprintf(tmp, sizeof tmp, ".%s.kubearch-%ld-%d", name, (long)getpid(), i);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        *err = msg("cannot create a temporary file for %s: %s", path, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < data->n) {
        ssize_t w = write(fd, data->p + off, data->n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            goto fail;
        off += (size_t)w;
    }
    if ((durable && fsync(fd) < 0) || close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (renameat(dfd, tmp, dfd, name) < 0)
        goto fail;
    return 0;
fail:
    *err = msg("cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlinkat(dfd, tmp, 0);
    return -1;
}

int ka_gen_write(const ka_gen_plan *p, const char *dir, const ka_gen_opts *o, ka_gen_result *out)
{
    memset(out, 0, sizeof *out);
    out->n = p->n;
    out->state = ka_xcalloc(p->n ? p->n : 1, sizeof *out->state);
    out->error = ka_xcalloc(p->n ? p->n : 1, sizeof *out->error);
    int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0 && errno == ENOENT && !o->dry_run) {
        /* create the output directory (its parents must exist) */
        if (mkdir(dir, 0755) == 0 || errno == EEXIST)
            root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    bool absent = root < 0 && errno == ENOENT && o->dry_run;
    int root_err = root < 0 ? errno : 0;
    for (size_t i = 0; i < p->n; i++) {
        const ka_gen_file *f = &p->v[i];
        ka_gen_state st = KA_GEN_ERROR;
        char *err = NULL;
        if (!path_safe(f->path)) {
            err = msg("%s: refusing an unsafe path (%s)", f->path, strerror(EINVAL));
        } else if (absent) {
            st = KA_GEN_CREATE;
        } else if (root < 0) {
            err = msg("cannot open the output directory %s: %s", dir, strerror(root_err));
        } else {
            int dfd = open_parent(root, f->path, !o->dry_run, &err);
            if (dfd == -2) {
                st = KA_GEN_CREATE;
            } else if (dfd >= 0) {
                const char *name = strrchr(f->path, '/');
                name = name ? name + 1 : f->path;
                int c = compare(dfd, name, &f->data, f->path, &err);
                if (c == 1)
                    st = KA_GEN_SAME;
                else if (c == -2)
                    st = KA_GEN_CREATE;
                else if (c == 0)
                    st = o->force ? KA_GEN_UPDATE : KA_GEN_CONFLICT;
                if (c >= -2 && c != -1 && !o->dry_run &&
                    (st == KA_GEN_CREATE || st == KA_GEN_UPDATE) &&
                    write_atomic(dfd, name, &f->data, f->path, st == KA_GEN_UPDATE, &err) < 0)
                    st = KA_GEN_ERROR;
                close(dfd);
            }
        }
        out->state[i] = st;
        out->error[i] = st == KA_GEN_ERROR ? (err ? err : ka_xstrdup("unknown error")) : NULL;
        if (st != KA_GEN_ERROR)
            free(err);
        out->count[st]++;
    }
    if (root >= 0)
        close(root);
    return out->count[KA_GEN_CONFLICT] || out->count[KA_GEN_ERROR] ? -1 : 0;
}

void ka_gen_result_free(ka_gen_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->error[i]);
    free(r->error);
    free(r->state);
    memset(r, 0, sizeof *r);
}
