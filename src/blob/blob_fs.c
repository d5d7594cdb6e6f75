/* Filesystem blob driver: <dir>/ab/<sha256>, the 256 fan-out directories made when the
 * store is opened. Stores written before that layout keep their files at
 * <dir>/ab/cd/<sha256>: read, listed, deduplicated and removed there too.
 *
 * A put writes an unnamed temporary (O_TMPFILE in <dir>/tmp, so no directory entry is
 * made or removed for it), links it under its hash (atomic, never overwriting), fsyncs
 * the file (its bytes, and its inode with the link count the link gave it: synced before
 * the link, an ext4 without a journal would keep a count of 0 on disk, and after a power
 * loss the name would lead to an inode that does not open) and then the directory.
 * When put returns the file survives kill -9 and power loss. A crash between the link
 * and the file's sync can leave a name without its bytes: no row refers to it yet (rows
 * are written after put returns), a read checks the hash (RES_CRYPTO), a put of the
 * same bytes replaces it, the sweep removes it. Where O_TMPFILE or /proc is missing
 * (checked at open), a named temporary in <dir>/tmp does the same.
 *
 * Direct I/O: where the filesystem takes O_DIRECT (checked at open), a temporary's bytes
 * are gathered in an aligned buffer and written in whole blocks past the page cache
 * (the last partial block through it), so a put copies the
 * bytes once in user space instead of into freshly allocated page-cache pages that the
 * kernel writes back later: a blob is written once and rarely read soon after, and the
 * pages it would take are better left to the database (docs/architecture.md
 * "Storage"). The durability argument is unchanged: the fsync after the link still
 * flushes the device cache and the inode. A filesystem that refuses a direct write
 * mid-way gets the rest through the page cache. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
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

#define DIR_MAX 3072
#define REL_LEN 80       /* "ab/cd/<hash>" and "<32 hex>.tmp" relative to the store or tmp/ */
#define LAYOUT  "layout" /* marker: this store never held the two-level layout */

#define DIO_ALIGN 4096         /* offset, length and memory alignment of direct writes */
#define DIO_CHUNK (256 * 1024) /* bytes gathered before a direct write */
#define DIO_POOL  64           /* idle chunk buffers kept for the next temporaries */

struct fs_store {
    char dir[DIR_MAX];
    int top, tmp; /* descriptors of <dir> and <dir>/tmp, for the *at calls */
    bool tmpfile; /* O_TMPFILE + linkat through /proc works here */
    bool legacy;  /* may hold ab/cd/<hash> files: a put looks there first */
    bool direct;  /* O_DIRECT writes work here */
    /* Chunk buffers of finished temporaries, reused: a fresh 256 KiB allocation is a
     * fresh mapping whose pages fault in again on every put. */
    pthread_mutex_t pool_lock;
    void *pool[DIO_POOL];
    int npool;
};

struct fs_tmp {
    struct fs_store *s; /* the store outlives its temporaries */
    int fd;
    int tmpdir;    /* the store's tmp/ descriptor */
    char name[40]; /* the named temporary in tmp/, "" for an O_TMPFILE one */
    int64_t size;
    /* Direct I/O: bytes [written, written + fill) wait in buf; NULL once buffered. */
    unsigned char *buf;
    size_t fill;
    int64_t written;
};

static bool force_buffered; /* blob_fs_buffered_writes */

void blob_fs_buffered_writes(bool on)
{
    force_buffered = on;
}

static void *chunk_get(struct fs_store *s)
{
    void *p = NULL;
    pthread_mutex_lock(&s->pool_lock);
    if (s->npool)
        p = s->pool[--s->npool];
    pthread_mutex_unlock(&s->pool_lock);
    if (!p && posix_memalign(&p, DIO_ALIGN, DIO_CHUNK) != 0)
        p = NULL; /* the temporary is then written through the page cache */
    return p;
}

static void chunk_put(struct fs_store *s, void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&s->pool_lock);
    if (s->npool < DIO_POOL) {
        s->pool[s->npool++] = p;
        p = NULL;
    }
    pthread_mutex_unlock(&s->pool_lock);
    free(p);
}

static bool write_all_at(int fd, const void *data, size_t len, int64_t off)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
        off += n;
    }
    return true;
}

/* Leaves direct I/O: the descriptor goes through the page cache from now on (reads of
 * the temporary need no alignment then) and the gathered bytes are written that way. */
static bool go_buffered(struct fs_tmp *t)
{
    if (!t->buf)
        return true;
    int fl = fcntl(t->fd, F_GETFL);
    bool ok = fl >= 0 && fcntl(t->fd, F_SETFL, fl & ~O_DIRECT) == 0 &&
              write_all_at(t->fd, t->buf, t->fill, t->written);
    if (ok) {
        t->written += (int64_t)t->fill;
        t->fill = 0;
    }
    chunk_put(t->s, t->buf);
    t->buf = NULL;
    return ok;
}

/* One direct write of the first `len` gathered bytes (a multiple of DIO_ALIGN); the
 * rest moves to the front of the buffer. A refused direct write (EINVAL: this file or
 * filesystem after all) falls back to the page cache for everything. */
static bool flush_direct(struct fs_tmp *t, size_t len)
{
    ssize_t n;
    do
        n = pwrite(t->fd, t->buf, len, (off_t)t->written);
    while (n < 0 && errno == EINTR);
    if (n == (ssize_t)len) {
        t->written += (int64_t)len;
        t->fill -= len;
        memmove(t->buf, t->buf + len, t->fill);
        return true;
    }
    if (n < 0 && errno == EINVAL)
        return go_buffered(t);
    return false; /* a short direct write: ENOSPC or EIO next time, fail now */
}

/* The temporary's bytes all in the file, its descriptor buffered: the whole blocks
 * directly, the last partial block (if any) through the page cache, so the file is
 * never padded and cut back (a truncate waits for the direct write in flight). */
static bool tmp_settle(struct fs_tmp *t)
{
    if (!t->buf)
        return true;
    size_t head = t->fill & ~(size_t)(DIO_ALIGN - 1);
    if (head && !flush_direct(t, head))
        return false;
    return go_buffered(t);
}

struct fs_reader {
    int fd;
};

static bool force_named; /* blob_fs_named_temporaries */

void blob_fs_named_temporaries(bool on)
{
    force_named = on;
}

static int open_dir_at(int at, const char *rel)
{
    return openat(at, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static result_t fsync_dir_at(int at, const char *rel)
{
    int fd = open_dir_at(at, rel);
    if (fd < 0)
        return RES_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? RES_OK : RES_IO;
}

static bool hex2(const char *s)
{
    return strlen(s) == 2 && strspn(s, "0123456789abcdef") == 2;
}

/* Links the temporary as dirfd/name. */
static int link_tmp(const struct fs_tmp *t, int dirfd, const char *name)
{
    if (t->name[0])
        return linkat(t->tmpdir, t->name, dirfd, name, 0);
    char proc[40];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->fd);
    return linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
}

/* Can this filesystem (and process) make and link unnamed temporaries? */
static bool tmpfile_works(int tmpdir)
{
    struct fs_tmp t = {.fd = openat(tmpdir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0640),
                       .tmpdir = tmpdir};
    if (t.fd < 0)
        return false;
    char hex[33], name[48];
    bool ok = rand_hex(hex, 16) == RES_OK;
    snprintf(name, sizeof(name), "%s.tmp", hex);
    ok = ok && link_tmp(&t, tmpdir, name) == 0;
    if (ok)
        unlinkat(tmpdir, name, 0);
    close(t.fd);
    return ok;
}

/* Does this filesystem take an aligned O_DIRECT write into a temporary of tmp/? (tmpfs
 * before Linux 6.6 refuses O_DIRECT at open, some filesystems at the write.) */
static bool direct_works(struct fs_store *s)
{
    char name[48] = "", hex[33];
    int fd = s->tmpfile ? openat(s->tmp, ".", O_TMPFILE | O_RDWR | O_DIRECT | O_CLOEXEC, 0640) : -1;
    if (fd < 0 && rand_hex(hex, 16) == RES_OK) {
        snprintf(name, sizeof(name), "%s.tmp", hex);
        fd = openat(s->tmp, name, O_RDWR | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0640);
    }
    if (fd < 0)
        return false;
    void *p = chunk_get(s);
    bool ok = p && (memset(p, 0, DIO_ALIGN), pwrite(fd, p, DIO_ALIGN, 0) == DIO_ALIGN);
    chunk_put(s, p);
    close(fd);
    if (name[0])
        unlinkat(s->tmp, name, 0);
    return ok;
}

/* The fan-out directories 00..ff, made once. A store that had none of them never held
 * the two-level layout: the marker records that, and its puts skip the look there (an
 * older node sharing the directory may still write ab/cd/ files: they are read, listed
 * and swept all the same; only a put of the same bytes would store a second copy). */
static result_t make_fanout(struct fs_store *s)
{
    bool have[256] = {false}, marker = false, any = false;
    DIR *d = fdopendir(dup(s->top));
    if (!d)
        return RES_IO;
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (hex2(e->d_name)) {
            have[strtol(e->d_name, NULL, 16)] = true;
            any = true;
        } else if (strcmp(e->d_name, LAYOUT) == 0) {
            marker = true;
        }
    }
    closedir(d);
    int made = 0;
    for (int i = 0; i < 256; i++) {
        char name[3];
        snprintf(name, sizeof(name), "%02x", i);
        if (have[i])
            continue;
        if (mkdirat(s->top, name, 0750) == 0)
            made++;
        else if (errno != EEXIST)
            return RES_IO;
    }
    if (!any && !marker) {
        int fd = openat(s->top, LAYOUT, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
        static const char text[] = "ab/<sha256>\n";
        if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1)) {
            if (fd >= 0)
                close(fd);
            return RES_IO;
        }
        close(fd); /* not synced: lost, it only costs a look at the old layout per put */
        marker = true;
        made++;
    }
    s->legacy = !marker;
    return made ? fsync_dir_at(s->top, ".") : RES_OK;
}

static void fs_close(void *h)
{
    struct fs_store *s = h;
    if (!s)
        return;
    if (s->top >= 0)
        close(s->top);
    if (s->tmp >= 0)
        close(s->tmp);
    for (int i = 0; i < s->npool; i++)
        free(s->pool[i]);
    pthread_mutex_destroy(&s->pool_lock);
    free(s);
}

static result_t fs_open(const char *target, void **h)
{
    struct fs_store *s = xcalloc(1, sizeof(*s));
    s->top = s->tmp = -1;
    pthread_mutex_init(&s->pool_lock, NULL);
    if (str_copy(s->dir, target, sizeof(s->dir)) >= sizeof(s->dir) || !*target) {
        free(s);
        return RES_INVALID;
    }
    if ((mkdir(s->dir, 0750) != 0 && errno != EEXIST) ||
        (s->top = open_dir_at(AT_FDCWD, s->dir)) < 0 ||
        (mkdirat(s->top, "tmp", 0750) != 0 && errno != EEXIST) ||
        (s->tmp = open_dir_at(s->top, "tmp")) < 0 || make_fanout(s) != RES_OK) {
        log_error("msg=\"cannot create blob directory\" dir=\"%s\" err=\"%s\"", s->dir,
                  strerror(errno));
        fs_close(s);
        return RES_IO;
    }
    s->tmpfile = !force_named && tmpfile_works(s->tmp);
    s->direct = !force_buffered && direct_works(s);
    *h = s;
    return RES_OK;
}

static result_t fs_tmp_create(void *h, void **out)
{
    struct fs_store *s = h;
    struct fs_tmp *t = xcalloc(1, sizeof(*t));
    t->s = s;
    t->tmpdir = s->tmp;
    t->buf = s->direct ? chunk_get(s) : NULL;
    int direct = t->buf ? O_DIRECT : 0;
    if (s->tmpfile) {
        t->fd = openat(s->tmp, ".", O_TMPFILE | O_RDWR | O_CLOEXEC | direct, 0640);
    } else {
        char hex[33];
        if (rand_hex(hex, 16) != RES_OK) {
            free(t);
            return RES_INTERNAL;
        }
        snprintf(t->name, sizeof(t->name), "%s.tmp", hex);
        t->fd = openat(s->tmp, t->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | direct, 0640);
    }
    if (t->fd < 0) {
        log_error("msg=\"cannot create blob temporary\" dir=\"%s/tmp\" err=\"%s\"", s->dir,
                  strerror(errno));
        chunk_put(s, t->buf);
        free(t);
        return RES_IO;
    }
    *out = t;
    return RES_OK;
}

static result_t fs_tmp_write(void *tmp, const void *data, size_t len)
{
    struct fs_tmp *t = tmp;
    const unsigned char *p = data;
    while (len > 0 && t->buf) { /* gathered, written a whole chunk at a time */
        size_t n = DIO_CHUNK - t->fill < len ? DIO_CHUNK - t->fill : len;
        memcpy(t->buf + t->fill, p, n);
        t->fill += n;
        t->size += (int64_t)n;
        p += n;
        len -= n;
        if (t->fill == DIO_CHUNK && !flush_direct(t, DIO_CHUNK))
            goto failed;
    }
    if (len > 0) {
        if (!write_all_at(t->fd, p, len, t->size))
            goto failed;
        t->size += (int64_t)len;
    }
    return RES_OK;
failed:
    log_error("msg=\"blob write failed\" err=\"%s\"", strerror(errno));
    return RES_IO;
}

static void fs_tmp_abort(void *tmp)
{
    struct fs_tmp *t = tmp;
    if (!t)
        return;
    if (t->fd >= 0)
        close(t->fd);
    if (t->name[0])
        unlinkat(t->tmpdir, t->name, 0);
    chunk_put(t->s, t->buf);
    free(t);
}

/* Are the bytes of `fd` those of the temporary (a put of bytes already stored)? */
static bool same_content(int fd, const struct fs_tmp *t)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size != t->size)
        return false;
    enum { CHUNK = 65536 };
    char *a = xmalloc(2 * CHUNK), *b = a + CHUNK;
    bool same = true;
    for (off_t off = 0; same && off < st.st_size; off += CHUNK) {
        ssize_t na = pread(fd, a, CHUNK, off), nb = pread(t->fd, b, CHUNK, off);
        same = na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
    }
    free(a);
    return same;
}

/* `rel` (relative to the store) holds these bytes already: keep that file, refresh its
 * time so a sweep deciding about it now leaves it alone, and sync it and its directory
 * before this put returns: a concurrent put of the same bytes may have linked it and not
 * yet synced either. *found: a file is there; *kept: with these bytes. */
static result_t keep_existing(struct fs_store *s, const struct fs_tmp *t, const char *rel,
                              bool *found, bool *kept)
{
    *found = *kept = false;
    int fd = openat(s->top, rel, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? RES_OK : RES_IO;
    *found = true;
    result_t r = RES_OK;
    if (same_content(fd, t)) {
        *kept = true;
        char dir[REL_LEN];
        snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(rel, '/') - rel), rel);
        if (futimens(fd, NULL) != 0 || fsync(fd) != 0 || fsync_dir_at(s->top, dir) != RES_OK)
            r = RES_IO;
    }
    close(fd);
    return r;
}

static result_t fs_tmp_commit(void *h, void *tmp, const char *hash)
{
    struct fs_store *s = h;
    struct fs_tmp *t = tmp;
    char fan[3] = {hash[0], hash[1], '\0'}, rel[REL_LEN], old[REL_LEN];
    bool found = false, kept = false, damaged_old = false;
    int dirfd = -1;
    result_t r = RES_OK;
    snprintf(rel, sizeof(rel), "%s/%s", fan, hash);
    snprintf(old, sizeof(old), "%s/%.2s/%s", fan, hash + 2, hash);
    if (!tmp_settle(t)) {
        r = RES_IO;
        goto out;
    }
    /* A store from before the one-level layout may hold these bytes at ab/cd/. */
    if (s->legacy) {
        if ((r = keep_existing(s, t, old, &found, &kept)) != RES_OK || kept)
            goto out;
        damaged_old = found; /* other bytes there: removed once the good copy is durable */
    }
    if ((dirfd = open_dir_at(s->top, fan)) < 0) {
        /* removed behind our back: make it again, durably */
        if ((mkdirat(s->top, fan, 0750) != 0 && errno != EEXIST) ||
            fsync_dir_at(s->top, ".") != RES_OK || (dirfd = open_dir_at(s->top, fan)) < 0) {
            r = RES_IO;
            goto out;
        }
    }
    if (link_tmp(t, dirfd, hash) != 0) {
        if (errno != EEXIST) {
            r = RES_IO;
            goto out;
        }
        if ((r = keep_existing(s, t, rel, &found, &kept)) != RES_OK || kept)
            goto out;
        /* A file under this name with other bytes is damaged: the fresh bytes, whose hash
         * was just computed, replace it (rename is atomic; readers see either). An
         * unnamed temporary gets a name in tmp/ first. */
        if (found) /* else removed since the link: the rename below puts it back */
            log_warn("msg=\"replacing damaged blob\" hash=%s", hash);
        char hex[33];
        if (!t->name[0]) {
            if (rand_hex(hex, 16) != RES_OK) {
                r = RES_INTERNAL;
                goto out;
            }
            snprintf(t->name, sizeof(t->name), "%s.tmp", hex);
            if (link_tmp(&(struct fs_tmp){.fd = t->fd}, t->tmpdir, t->name) != 0) {
                t->name[0] = '\0';
                r = RES_IO;
                goto out;
            }
        }
        if (fsync(t->fd) != 0) { /* bytes and link count durable before they take the name */
            r = RES_IO;
            goto out;
        }
        if (renameat(t->tmpdir, t->name, dirfd, hash) != 0) {
            r = RES_IO;
            goto out;
        }
        t->name[0] = '\0'; /* moved: nothing to remove */
    } else if (fsync(t->fd) != 0) {
        r = RES_IO; /* the name stays: a concurrent put of these bytes may use it */
        goto out;
    }
    r = fsync(dirfd) == 0 ? RES_OK : RES_IO;
    if (r == RES_OK && damaged_old) {
        log_warn("msg=\"removing damaged blob of the old layout\" hash=%s", hash);
        unlinkat(s->top, old, 0); /* reads find the new copy first either way */
    }
out:
    if (r != RES_OK)
        log_error("msg=\"blob commit failed\" hash=%s err=\"%s\"", hash, strerror(errno));
    if (dirfd >= 0)
        close(dirfd);
    fs_tmp_abort(t); /* the temporary name goes; the stored name stays */
    return r;
}

static result_t fs_read_open(void *h, const char *hash, void **out, int64_t *size)
{
    struct fs_store *s = h;
    char rel[REL_LEN];
    snprintf(rel, sizeof(rel), "%.2s/%s", hash, hash);
    int fd = openat(s->top, rel, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) { /* written before the one-level layout */
        snprintf(rel, sizeof(rel), "%.2s/%.2s/%s", hash, hash + 2, hash);
        fd = openat(s->top, rel, O_RDONLY | O_CLOEXEC);
    }
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

/* Both places a blob may be (one-level, then the old two-level layout): each copy older
 * than older_than goes; a fresh one stays and makes the answer RES_CONFLICT. */
static result_t fs_remove(void *h, const char *hash, int64_t older_than)
{
    struct fs_store *s = h;
    char rel[2][REL_LEN];
    snprintf(rel[0], REL_LEN, "%.2s/%s", hash, hash);
    snprintf(rel[1], REL_LEN, "%.2s/%.2s/%s", hash, hash + 2, hash);
    bool removed = false, fresh = false;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (fstatat(s->top, rel[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                return RES_IO;
            continue;
        }
        if (st.st_mtime >= older_than)
            fresh = true;
        else if (unlinkat(s->top, rel[i], 0) == 0)
            removed = true;
        else if (errno != ENOENT)
            return RES_IO;
    }
    return fresh ? RES_CONFLICT : removed ? RES_OK : RES_NOT_FOUND;
}

/* The blobs of one directory whose names start with `prefix` (ab, or abcd in an old
 * ab/cd directory); in ab/, also descends into old-layout cd/ directories. */
static void list_dir(int at, const char *rel, const char *prefix, blob_list_fn fn, void *ctx)
{
    int fd = open_dir_at(at, rel);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (blob_hash_valid(e->d_name) && strncmp(e->d_name, prefix, plen) == 0) {
            if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                fn(ctx, e->d_name, (int64_t)st.st_mtime);
        } else if (plen == 2 && hex2(e->d_name)) {
            /* the old layout's second level: prefix "ab" and a two-hex-digit name */
            char sub[5] = {prefix[0], prefix[1], e->d_name[0], e->d_name[1], '\0'};
            list_dir(fd, e->d_name, sub, fn, ctx);
        }
    }
    closedir(d);
}

static result_t fs_list(void *h, blob_list_fn fn, void *ctx)
{
    struct fs_store *s = h;
    int fd = open_dir_at(s->top, ".");
    DIR *top = fd >= 0 ? fdopendir(fd) : NULL;
    if (!top) {
        if (fd >= 0)
            close(fd);
        return RES_IO;
    }
    struct dirent *e;
    while ((e = readdir(top)))
        if (hex2(e->d_name))
            list_dir(s->top, e->d_name, e->d_name, fn, ctx);
    closedir(top);
    return RES_OK;
}

static result_t fs_sweep_tmp(void *h, int64_t older_than, int64_t *removed)
{
    struct fs_store *s = h;
    int fd = open_dir_at(s->tmp, ".");
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return RES_IO;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".tmp") != 0)
            continue;
        if (fstatat(s->tmp, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_mtime < older_than &&
            unlinkat(s->tmp, e->d_name, 0) == 0)
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
