/* Filesystem blob driver: <dir>/ab/cd/<sha256> with temporaries in <dir>/tmp (the same
 * filesystem, so the final step is a link, atomic and never overwriting). Durability:
 * the file is fsynced before it gets its name and the directory after, so a put that
 * returned survives kill -9 and power loss. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob/blob.h"
#include "blob/blob_driver.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

#define DIR_MAX  3072 /* leaves room for "/ab/cd/<hash>" and "/tmp/<name>.tmp" */
#define PATH_LEN 4096

struct fs_store {
    char dir[DIR_MAX];
};

struct fs_tmp {
    int fd;
    int64_t size;
    char path[PATH_LEN];
};

struct fs_reader {
    int fd;
};

static result_t fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return RES_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? RES_OK : RES_IO;
}

/* mkdir that also makes the new entry durable in its parent. */
static result_t mkdir_durable(const char *path, const char *parent)
{
    if (mkdir(path, 0750) == 0)
        return fsync_dir(parent);
    return errno == EEXIST ? RES_OK : RES_IO;
}

static result_t fs_open(const char *target, void **h)
{
    struct fs_store *s = xcalloc(1, sizeof(*s));
    char tmp[PATH_LEN];
    if (str_copy(s->dir, target, sizeof(s->dir)) >= sizeof(s->dir) || !*target) {
        free(s);
        return RES_INVALID;
    }
    snprintf(tmp, sizeof(tmp), "%s/tmp", s->dir);
    if ((mkdir(s->dir, 0750) != 0 && errno != EEXIST) ||
        (mkdir(tmp, 0750) != 0 && errno != EEXIST)) {
        log_error("msg=\"cannot create blob directory\" dir=\"%s\" err=\"%s\"", s->dir,
                  strerror(errno));
        free(s);
        return RES_IO;
    }
    *h = s;
    return RES_OK;
}

static void fs_close(void *h)
{
    free(h);
}

static void final_path(const struct fs_store *s, const char *hash, char *out, size_t n)
{
    snprintf(out, n, "%s/%.2s/%.2s/%s", s->dir, hash, hash + 2, hash);
}

static result_t fs_tmp_create(void *h, void **out)
{
    struct fs_store *s = h;
    char name[33];
    if (rand_hex(name, 16) != RES_OK)
        return RES_INTERNAL;
    struct fs_tmp *t = xcalloc(1, sizeof(*t));
    snprintf(t->path, sizeof(t->path), "%s/tmp/%s.tmp", s->dir, name);
    t->fd = open(t->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (t->fd < 0) {
        log_error("msg=\"cannot create blob temporary\" path=\"%s\" err=\"%s\"", t->path,
                  strerror(errno));
        free(t);
        return RES_IO;
    }
    *out = t;
    return RES_OK;
}

static result_t fs_tmp_write(void *tmp, const void *data, size_t len)
{
    struct fs_tmp *t = tmp;
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(t->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            log_error("msg=\"blob write failed\" err=\"%s\"", strerror(errno));
            return RES_IO;
        }
        p += n;
        len -= (size_t)n;
        t->size += n;
    }
    return RES_OK;
}

static void fs_tmp_abort(void *tmp)
{
    struct fs_tmp *t = tmp;
    if (!t)
        return;
    if (t->fd >= 0)
        close(t->fd);
    unlink(t->path);
    free(t);
}

/* Byte comparison of two files (a put of bytes already stored). */
static bool same_content(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rbe"), *fb = fopen(b, "rbe");
    bool same = fa && fb;
    enum { CHUNK = 65536 };
    char *ba = xmalloc(2 * CHUNK), *bb = ba + CHUNK;
    while (same) {
        size_t na = fread(ba, 1, CHUNK, fa), nb = fread(bb, 1, CHUNK, fb);
        same = na == nb && memcmp(ba, bb, na) == 0 && !ferror(fa) && !ferror(fb);
        if (na == 0)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    free(ba);
    return same;
}

static result_t fs_tmp_commit(void *h, void *tmp, const char *hash)
{
    struct fs_store *s = h;
    struct fs_tmp *t = tmp;
    char d1[PATH_LEN], d2[PATH_LEN], path[PATH_LEN];
    result_t r = RES_OK;
    if (fsync(t->fd) != 0 || close(t->fd) != 0) {
        t->fd = -1;
        r = RES_IO;
        goto out;
    }
    t->fd = -1;
    snprintf(d1, sizeof(d1), "%s/%.2s", s->dir, hash);
    snprintf(d2, sizeof(d2), "%s/%.2s/%.2s", s->dir, hash, hash + 2);
    final_path(s, hash, path, sizeof(path));
    if ((r = mkdir_durable(d1, s->dir)) != RES_OK || (r = mkdir_durable(d2, d1)) != RES_OK)
        goto out;
    if (link(t->path, path) != 0) {
        struct stat st;
        if (errno != EEXIST || stat(path, &st) != 0) {
            r = RES_IO;
            goto out;
        }
        if (st.st_size == t->size && same_content(path, t->path)) {
            /* The same bytes: keep the stored file; refresh its time so a sweep that is
             * deciding about it right now leaves it alone. A concurrent put of the same
             * bytes may have linked it and not yet synced its directory: sync it before
             * this put returns too, or this put's row could reach the disk before the
             * name (duplicates are rare, so this costs little). */
            if (utimensat(AT_FDCWD, path, NULL, 0) != 0)
                r = RES_IO;
            if (r == RES_OK)
                r = fsync_dir(d2);
            goto out;
        }
        /* A file under this name with other bytes is damaged: the fresh bytes, whose
         * hash was just computed, replace it (rename is atomic; readers see either). */
        log_warn("msg=\"replacing damaged blob\" hash=%s", hash);
        if (rename(t->path, path) != 0) {
            r = RES_IO;
            goto out;
        }
    }
    r = fsync_dir(d2);
out:
    if (r != RES_OK)
        log_error("msg=\"blob commit failed\" hash=%s err=\"%s\"", hash, strerror(errno));
    fs_tmp_abort(t); /* the temporary name goes; the stored name stays */
    return r;
}

static result_t fs_read_open(void *h, const char *hash, void **out, int64_t *size)
{
    char path[PATH_LEN];
    final_path(h, hash, path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return RES_IO;
    }
    struct fs_reader *rd = xcalloc(1, sizeof(*rd));
    rd->fd = fd;
    *size = st.st_size;
    *out = rd;
    return RES_OK;
}

static result_t fs_read(void *p, void *dst, size_t cap, size_t *got)
{
    struct fs_reader *rd = p;
    for (;;) {
        ssize_t n = read(rd->fd, dst, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return RES_IO;
        *got = (size_t)n;
        return RES_OK;
    }
}

static void fs_read_close(void *p)
{
    struct fs_reader *rd = p;
    if (!rd)
        return;
    close(rd->fd);
    free(rd);
}

static result_t fs_remove(void *h, const char *hash, int64_t older_than)
{
    char path[PATH_LEN];
    struct stat st;
    final_path(h, hash, path, sizeof(path));
    if (stat(path, &st) != 0)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    if (st.st_mtime >= older_than)
        return RES_CONFLICT;
    if (unlink(path) != 0)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    return RES_OK;
}

static bool hex2(const char *s)
{
    return strlen(s) == 2 && strspn(s, "0123456789abcdef") == 2;
}

static result_t fs_list(void *h, blob_list_fn fn, void *ctx)
{
    struct fs_store *s = h;
    DIR *top = opendir(s->dir);
    if (!top)
        return RES_IO;
    struct dirent *e1, *e2, *e3;
    char p1[DIR_MAX + 8], p2[DIR_MAX + 16], p3[DIR_MAX + 300];
    while ((e1 = readdir(top))) {
        if (!hex2(e1->d_name))
            continue;
        snprintf(p1, sizeof(p1), "%s/%.2s", s->dir, e1->d_name);
        DIR *mid = opendir(p1);
        if (!mid)
            continue;
        while ((e2 = readdir(mid))) {
            if (!hex2(e2->d_name))
                continue;
            snprintf(p2, sizeof(p2), "%s/%.2s", p1, e2->d_name);
            DIR *leaf = opendir(p2);
            if (!leaf)
                continue;
            while ((e3 = readdir(leaf))) {
                struct stat st;
                if (!blob_hash_valid(e3->d_name) || strncmp(e3->d_name, e1->d_name, 2) != 0 ||
                    strncmp(e3->d_name + 2, e2->d_name, 2) != 0)
                    continue;
                snprintf(p3, sizeof(p3), "%s/%.64s", p2, e3->d_name);
                if (stat(p3, &st) == 0 && S_ISREG(st.st_mode))
                    fn(ctx, e3->d_name, (int64_t)st.st_mtime);
            }
            closedir(leaf);
        }
        closedir(mid);
    }
    closedir(top);
    return RES_OK;
}

static result_t fs_sweep_tmp(void *h, int64_t older_than, int64_t *removed)
{
    struct fs_store *s = h;
    char dir[PATH_LEN], path[PATH_LEN + 512];
    snprintf(dir, sizeof(dir), "%s/tmp", s->dir);
    DIR *d = opendir(dir);
    if (!d)
        return RES_IO;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".tmp") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && st.st_mtime < older_than && unlink(path) == 0)
            (*removed)++;
    }
    closedir(d);
    return RES_OK;
}

const struct blob_driver blob_fs_driver = {
    .name = "file",
    .open = fs_open,
    .close = fs_close,
    .tmp_create = fs_tmp_create,
    .tmp_write = fs_tmp_write,
    .tmp_commit = fs_tmp_commit,
    .tmp_abort = fs_tmp_abort,
    .read_open = fs_read_open,
    .read = fs_read,
    .read_close = fs_read_close,
    .remove = fs_remove,
    .list = fs_list,
    .sweep_tmp = fs_sweep_tmp,
};
