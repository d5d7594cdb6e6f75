/* Signer process: the parent side (framing, one lock per exchange) and the child loop
 * (load key, sign, wipe). The child handles one request at a time; with the key cache
 * a signature is about a millisecond of RSA, so a single process serves an agency's
 * signing load (bench/sign.sh: the HTTP work around it costs several times more). In
 * sealed mode the child also holds the master key and seals or opens PKCS#12 blobs
 * (keyseal.c), and keeps unlocked keys for key_ttl seconds (signer.h). */
#include "crypto/signer.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "crypto/keys.h"
#include "util/alloc.h"
#include "util/clock.h"

#define MAX_KEY_NAME 511 /* file names and paths in key_dir mode */
#define MAX_DATA     64  /* a digest */

/* The largest request must fit in a frame, and so must an import reply: the sealed
 * blob and the certificates, which are smaller than the PKCS#12 they came from (twice
 * its size allowed for). */
_Static_assert(1 + 3 * 4 + SIGNER_MAX_SEALED + SIGNER_MAX_PIN + MAX_DATA <= SIGNER_MAX_FRAME,
               "a sealed request must fit in a frame");
_Static_assert(1 + 4 + SIGNER_MAX_SEALED + 2 * SIGNER_MAX_P12 <= SIGNER_MAX_FRAME,
               "an import reply must fit in a frame");

static unsigned char *put_u32(unsigned char *p, size_t n)
{
    p[0] = (unsigned char)(n >> 24);
    p[1] = (unsigned char)(n >> 16);
    p[2] = (unsigned char)(n >> 8);
    p[3] = (unsigned char)n;
    return p + 4;
}

static size_t get_u32(const unsigned char *p)
{
    return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int send_frame(int fd, const void *p, size_t n)
{
    unsigned char h[4];
    put_u32(h, n);
    return write_all(fd, h, 4) == 0 ? write_all(fd, p, n) : -1;
}

/* Receives one frame into *out (xmalloc'ed, exactly its size so it can be wiped);
 * -1 on EOF, error or oversize. */
static int recv_frame(int fd, unsigned char **out, size_t *len)
{
    unsigned char h[4];
    *out = NULL;
    if (read_all(fd, h, 4) != 0)
        return -1;
    size_t n = get_u32(h);
    if (n == 0 || n > SIGNER_MAX_FRAME)
        return -1;
    *out = xmalloc(n);
    if (read_all(fd, *out, n) != 0) {
        secure_wipe(*out, n);
        free(*out);
        *out = NULL;
        return -1;
    }
    *len = n;
    return 0;
}

/* ---- child ---- */

/* An unlocked key (sealed mode). It is served again only to a request for the same
 * sealed blob whose PIN gives the same verifier, until it expires. */
struct cached_key {
    bool used;
    unsigned char id[32];       /* SHA-256 of the sealed blob */
    unsigned char verifier[32]; /* HMAC-SHA256(secret, id || PIN) */
    double expires_ms;          /* clock_mono_ms() */
    struct key_bundle kb;
};

struct child {
    const char *key_dir; /* key_dir mode; NULL: keys are paths */
    bool sealed;
    result_t state; /* sealed mode: reading or creating the master key */
    unsigned char master[KEYSEAL_KEY_LEN];
    int key_ttl;              /* seconds; 0: no cache */
    unsigned char secret[32]; /* random per process, keys the PIN verifiers */
    struct signer_cache_stats stats;
    struct cached_key cache[SIGNER_CACHE_MAX];
};

static volatile sig_atomic_t child_stop; /* SIGTERM (the parent died) or SIGINT */

static void on_stop(int sig)
{
    (void)sig;
    child_stop = 1;
}

static void cache_drop(struct child *c, struct cached_key *e)
{
    if (!e->used)
        return;
    key_bundle_release(&e->kb); /* EVP_PKEY_free: OpenSSL cleanses the private key */
    secure_wipe(e, sizeof(*e));
    c->stats.entries--;
}

static void cache_clear(struct child *c)
{
    for (int i = 0; i < SIGNER_CACHE_MAX; i++)
        cache_drop(c, &c->cache[i]);
}

/* Drops what expired; returns the milliseconds until the next expiry, -1 for none
 * (a poll() timeout). */
static int cache_sweep(struct child *c)
{
    double now = clock_mono_ms(), next = -1;
    for (int i = 0; i < SIGNER_CACHE_MAX; i++) {
        struct cached_key *e = &c->cache[i];
        if (!e->used)
            continue;
        if (e->expires_ms <= now) {
            cache_drop(c, e);
            c->stats.expired++;
        } else if (next < 0 || e->expires_ms < next) {
            next = e->expires_ms;
        }
    }
    return next < 0 ? -1 : (int)ceil(next - now);
}

static struct cached_key *cache_find(struct child *c, const unsigned char id[32])
{
    cache_sweep(c);
    for (int i = 0; i < SIGNER_CACHE_MAX; i++)
        if (c->cache[i].used && CRYPTO_memcmp(c->cache[i].id, id, 32) == 0)
            return &c->cache[i];
    return NULL;
}

/* Takes over kb (left empty); the entry that expires first makes room when full. */
static struct cached_key *cache_put(struct child *c, const unsigned char id[32],
                                    const unsigned char verifier[32], struct key_bundle *kb)
{
    struct cached_key *e = NULL;
    for (int i = 0; i < SIGNER_CACHE_MAX; i++) {
        struct cached_key *x = &c->cache[i];
        if (!x->used) {
            e = x;
            break;
        }
        if (!e || x->expires_ms < e->expires_ms)
            e = x;
    }
    cache_drop(c, e);
    e->used = true;
    memcpy(e->id, id, 32);
    memcpy(e->verifier, verifier, 32);
    e->expires_ms = clock_mono_ms() + 1000.0 * c->key_ttl;
    e->kb = *kb;
    key_bundle_init(kb);
    c->stats.entries++;
    return e;
}

/* false when the HMAC cannot be computed: then nothing is cached or served. */
static bool pin_verifier(const struct child *c, const unsigned char id[32], const char *pin,
                         unsigned char out[32])
{
    unsigned char msg[32 + SIGNER_MAX_PIN];
    size_t n = strlen(pin);
    unsigned int len = 32;
    memcpy(msg, id, 32);
    memcpy(msg + 32, pin, n);
    bool ok = HMAC(EVP_sha256(), c->secret, sizeof(c->secret), msg, 32 + n, out, &len) && len == 32;
    secure_wipe(msg, sizeof(msg));
    return ok;
}

struct request {
    char op;
    const unsigned char *key; /* fields point into the frame, wiped after the reply */
    size_t key_len;
    char pin[SIGNER_MAX_PIN + 1];
    const unsigned char *data;
    size_t data_len;
};

static int take_field(const unsigned char **p, const unsigned char *end,
                      const unsigned char **field, size_t *len)
{
    if (end - *p < 4)
        return -1;
    size_t n = get_u32(*p);
    *p += 4;
    if ((size_t)(end - *p) < n)
        return -1;
    *field = *p;
    *len = n;
    *p += n;
    return 0;
}

/* A text field as a C string: no embedded NUL, shorter than cap. */
static int copy_text(char *dst, size_t cap, const unsigned char *src, size_t n)
{
    if (n >= cap || (n && memchr(src, '\0', n)))
        return -1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

static int parse_request(const unsigned char *p, size_t n, struct request *rq)
{
    const unsigned char *end = p + n, *pin;
    size_t pin_len;
    if (n < 1)
        return -1;
    rq->op = (char)*p++;
    if (take_field(&p, end, &rq->key, &rq->key_len) != 0 ||
        take_field(&p, end, &pin, &pin_len) != 0 ||
        take_field(&p, end, &rq->data, &rq->data_len) != 0 || p != end || rq->data_len > MAX_DATA)
        return -1;
    return copy_text(rq->pin, sizeof(rq->pin), pin, pin_len);
}

static result_t key_path(const char *key_dir, const char *key, char *out, size_t size)
{
    int n;
    if (!key[0])
        return RES_INVALID;
    if (key_dir && (strchr(key, '/') || key[0] == '.'))
        return RES_FORBIDDEN;
    n = key_dir ? snprintf(out, size, "%s/%s", key_dir, key) : snprintf(out, size, "%s", key);
    return n > 0 && (size_t)n < size ? RES_OK : RES_INVALID;
}

static result_t append_cert(struct buf *b, X509 *x)
{
    unsigned char *der = NULL, h[4];
    int n = i2d_X509(x, &der);
    result_t r = RES_CRYPTO;
    if (n > 0) {
        put_u32(h, (size_t)n);
        r = buf_append(b, h, 4);
        if (r == RES_OK)
            r = buf_append(b, der, (size_t)n);
    }
    OPENSSL_free(der);
    return r;
}

static result_t append_certs(struct buf *b, const struct key_bundle *kb)
{
    result_t r = append_cert(b, kb->cert);
    for (int i = 0; r == RES_OK && i < sk_X509_num(kb->chain); i++)
        r = append_cert(b, sk_X509_value(kb->chain, i));
    return r;
}

/* The key of a 'C' or 'S' request: a file (key_dir mode) or a sealed blob. *use is the
 * bundle to use: owned (the caller releases it) or a cache entry (sealed mode). */
static result_t load_sealed(struct child *c, const struct request *rq, struct key_bundle *owned,
                            const struct key_bundle **use)
{
    unsigned char id[32] = {0}, verifier[32] = {0}, *p12 = NULL;
    size_t p12_len = 0;
    result_t r;

    if (rq->key_len > SIGNER_MAX_SEALED)
        return RES_TOO_LARGE;
    bool cached = c->key_ttl > 0 && SHA256(rq->key, rq->key_len, id) &&
                  pin_verifier(c, id, rq->pin, verifier);
    if (cached) {
        struct cached_key *e = cache_find(c, id);
        if (e) {
            r = CRYPTO_memcmp(e->verifier, verifier, 32) == 0 ? RES_OK : RES_FORBIDDEN;
            if (r == RES_OK) {
                c->stats.hits++;
                *use = &e->kb;
            } else { /* a wrong PIN: never served, and the key is forgotten */
                c->stats.wrong_pin++;
                cache_drop(c, e);
            }
            secure_wipe(verifier, sizeof(verifier));
            return r;
        }
        c->stats.misses++;
    }
    r = keyseal_open(c->master, rq->key, rq->key_len, &p12, &p12_len);
    if (r == RES_OK)
        r = keys_load_p12_mem(p12, p12_len, rq->pin, owned);
    secure_wipe(p12, p12_len);
    free(p12);
    /* Only a PIN that opened the PKCS#12 gets its verifier stored with the key. */
    if (r == RES_OK && cached && owned->key)
        *use = &cache_put(c, id, verifier, owned)->kb;
    else if (r == RES_OK)
        *use = owned;
    secure_wipe(verifier, sizeof(verifier));
    return r;
}

static result_t load_key(struct child *c, const struct request *rq, struct key_bundle *owned,
                         const struct key_bundle **use)
{
    char name[MAX_KEY_NAME + 1], path[4096];
    result_t r;

    if (c->sealed)
        return load_sealed(c, rq, owned, use);
    if (copy_text(name, sizeof(name), rq->key, rq->key_len) != 0)
        return RES_INVALID;
    r = key_path(c->key_dir, name, path, sizeof(path));
    if (r == RES_OK)
        r = keys_load_p12(path, rq->pin, owned);
    if (r == RES_OK)
        *use = owned;
    secure_wipe(name, sizeof(name));
    secure_wipe(path, sizeof(path));
    return r;
}

static result_t use_key(struct child *c, const struct request *rq, struct buf *reply)
{
    struct key_bundle owned;
    const struct key_bundle *kb = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    result_t r;

    key_bundle_init(&owned);
    if (rq->op == 'S' && rq->data_len != 32)
        return RES_INVALID;
    r = load_key(c, rq, &owned, &kb);
    if (r == RES_OK && rq->op == 'S') {
        r = keys_sign_digest(kb->key, rq->data, rq->data_len, &sig, &sig_len);
        if (r == RES_OK)
            r = buf_append(reply, sig, sig_len);
    }
    if (r == RES_OK && rq->op == 'C')
        r = append_certs(reply, kb);
    free(sig);
    key_bundle_release(&owned);
    return r;
}

/* 'F': key = the SHA-256 of a sealed blob, or empty for every key. */
static result_t forget(struct child *c, const struct request *rq)
{
    if (rq->key_len == 0) {
        cache_clear(c);
        return RES_OK;
    }
    if (rq->key_len != 32)
        return RES_INVALID;
    for (int i = 0; i < SIGNER_CACHE_MAX; i++)
        if (c->cache[i].used && CRYPTO_memcmp(c->cache[i].id, rq->key, 32) == 0)
            cache_drop(c, &c->cache[i]);
    return RES_OK;
}

static result_t stats(const struct child *c, struct buf *reply)
{
    const struct signer_cache_stats *st = &c->stats;
    const uint64_t v[5] = {st->entries, st->hits, st->misses, st->wrong_pin, st->expired};
    unsigned char h[4];
    result_t r = RES_OK;
    for (int i = 0; i < 5 && r == RES_OK; i++) {
        put_u32(h, (size_t)(v[i] > 0xFFFFFFFFu ? 0xFFFFFFFFu : v[i]));
        r = buf_append(reply, h, 4);
    }
    return r;
}

/* Checks a PKCS#12 with its PIN before sealing it, so a blob in the database is known
 * to open and to hold a usable key. */
static result_t import(const struct child *c, const struct request *rq, struct buf *reply)
{
    struct key_bundle kb;
    unsigned char *sealed = NULL, h[4];
    size_t sealed_len = 0;
    result_t r;

    key_bundle_init(&kb);
    if (!c->sealed)
        return RES_UNSUPPORTED;
    if (rq->key_len > SIGNER_MAX_P12)
        return RES_TOO_LARGE;
    r = keys_load_p12_mem(rq->key, rq->key_len, rq->pin, &kb);
    if (r == RES_OK && (!kb.key || X509_check_private_key(kb.cert, kb.key) != 1))
        r = RES_INVALID;
    if (r == RES_OK)
        r = keyseal_seal(c->master, rq->key, rq->key_len, &sealed, &sealed_len);
    if (r == RES_OK) {
        put_u32(h, sealed_len);
        r = buf_append(reply, h, 4);
    }
    if (r == RES_OK)
        r = buf_append(reply, sealed, sealed_len);
    if (r == RES_OK)
        r = append_certs(reply, &kb);
    free(sealed);
    key_bundle_release(&kb);
    ERR_clear_error();
    return r;
}

static void handle(struct child *c, const struct request *rq, struct buf *reply)
{
    result_t r = c->state;

    buf_putc(reply, (char)RES_OK); /* the result byte, set below */
    if (r == RES_OK) {
        switch (rq->op) {
        case 'H':
            break;
        case 'C':
        case 'S':
            r = use_key(c, rq, reply);
            break;
        case 'I':
            r = import(c, rq, reply);
            break;
        case 'F':
            r = forget(c, rq);
            break;
        case 'T':
            r = stats(c, reply);
            break;
        default:
            r = RES_INVALID;
        }
    }
    if (r != RES_OK) {
        buf_reset(reply);
        buf_putc(reply, (char)r);
    }
}

static void child_loop(int fd, struct child *c)
{
    while (!child_stop) {
        unsigned char *frame;
        size_t len = 0;
        struct request rq;
        struct buf reply = BUF_INIT(SIGNER_MAX_FRAME);
        /* Wait for a request, waking up when a cached key expires to wipe it. */
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = poll(&pfd, 1, cache_sweep(c));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        if (n == 0)
            continue;
        if (recv_frame(fd, &frame, &len) != 0)
            break;
        memset(&rq, 0, sizeof(rq));
        if (parse_request(frame, len, &rq) == 0)
            handle(c, &rq, &reply);
        else
            buf_putc(&reply, (char)RES_INVALID);
        secure_wipe(frame, len);
        secure_wipe(&rq, sizeof(rq));
        free(frame);
        int sent = send_frame(fd, reply.data, reply.len);
        buf_release(&reply);
        if (sent != 0)
            break;
    }
}

static void child_main(int fd, const char *key_dir, const char *master_key_path, int key_ttl)
{
    static struct child c; /* the cache is too large for a comfortable stack frame */
    struct sigaction sa;

    memset(&c, 0, sizeof(c));
    c.key_dir = key_dir;
    c.sealed = master_key_path != NULL;
    c.state = RES_OK;
    c.key_ttl = c.sealed && key_ttl > 0 ? key_ttl : 0;
    if (c.key_ttl && RAND_bytes(c.secret, sizeof(c.secret)) != 1)
        c.key_ttl = 0; /* no verifier secret, no cache */
    /* SIGTERM (sent when the parent dies) and SIGINT end the loop so that the cached
     * keys are wiped before exit. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* A failed master key is reported to every request, starting with the parent's
     * ping; the parent then closes the socket. */
    if (c.sealed)
        c.state = keyseal_load_master(master_key_path, c.master);
    child_loop(fd, &c);
    cache_clear(&c);
    secure_wipe(&c, sizeof(c));
}

/* ---- parent ---- */

void signer_init(struct signer *s)
{
    s->pid = -1;
    s->fd = -1;
    s->sealed = false;
    s->key_ttl = SIGNER_KEY_TTL_DEFAULT;
    pthread_mutex_init(&s->lock, NULL);
}

static result_t spawn(struct signer *s, const char *key_dir, const char *master_key_path)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return RES_IO;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return RES_IO;
    }
    if (pid == 0) {
        /* Keep only stdio and our end of the socket: the child must not hold the
         * server's listening sockets, database handles or the other end. */
        int fd = sv[1] == 3 ? 3 : dup2(sv[1], 3);
        if (fd != 3)
            _exit(1);
        close_range(4, ~0U, 0);
        prctl(PR_SET_DUMPABLE, 0);        /* no core dumps, no ptrace by peers */
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* dies with its parent */
        child_main(3, key_dir, master_key_path, s->key_ttl);
        close(3);
        _exit(0);
    }
    close(sv[1]);
    s->pid = pid;
    s->fd = sv[0];
    s->sealed = master_key_path != NULL;
    return RES_OK;
}

result_t signer_start(struct signer *s, const char *key_dir)
{
    return spawn(s, key_dir, NULL);
}

static void stop_child(struct signer *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->pid > 0) {
        int status;
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    s->fd = -1;
    s->pid = -1;
}

void signer_release(struct signer *s)
{
    stop_child(s);
    pthread_mutex_destroy(&s->lock);
}

/* Writes a field at p; returns the end. */
static unsigned char *put_field(unsigned char *p, const void *field, size_t n)
{
    p = put_u32(p, n);
    if (n)
        memcpy(p, field, n);
    return p + n;
}

/* One exchange; *reply (xmalloc'ed) starts after the result byte. The request frame
 * holds the PIN (and for an import the PKCS#12): one allocation of its exact size, so
 * no copy is left behind by a growing buffer, wiped after use. */
static result_t exchange(struct signer *s, char op, const void *key, size_t key_len,
                         const char *pin, const unsigned char *data, size_t data_len,
                         unsigned char **reply, size_t *reply_len)
{
    unsigned char *frame, *answer = NULL, *p;
    size_t pin_len, n, len = 0;
    result_t r = RES_IO;

    *reply = NULL;
    *reply_len = 0;
    if (s->fd < 0)
        return RES_INTERNAL;
    if (!pin || (pin_len = strlen(pin)) > SIGNER_MAX_PIN || key_len > SIGNER_MAX_SEALED ||
        data_len > MAX_DATA)
        return RES_INVALID;
    n = 1 + 3 * 4 + key_len + pin_len + data_len;
    frame = xmalloc(4 + n);
    p = put_u32(frame, n);
    *p++ = (unsigned char)op;
    p = put_field(p, key, key_len);
    p = put_field(p, pin, pin_len);
    put_field(p, data, data_len);
    pthread_mutex_lock(&s->lock);
    if (write_all(s->fd, frame, 4 + n) == 0 && recv_frame(s->fd, &answer, &len) == 0) {
        r = (result_t)answer[0];
        if (r == RES_OK) {
            *reply_len = len - 1;
            *reply = xmalloc(len);
            memcpy(*reply, answer + 1, len - 1);
        }
    }
    pthread_mutex_unlock(&s->lock);
    secure_wipe(frame, 4 + n);
    free(frame);
    free(answer);
    return r;
}

result_t signer_start_sealed(struct signer *s, const char *master_key_path)
{
    unsigned char *reply;
    size_t len;
    result_t r;

    if (!master_key_path || !master_key_path[0])
        return RES_INVALID;
    r = spawn(s, NULL, master_key_path);
    if (r != RES_OK)
        return r;
    r = exchange(s, 'H', NULL, 0, "", NULL, 0, &reply, &len);
    free(reply);
    if (r != RES_OK)
        stop_child(s);
    return r;
}

/* A list of u32 length + DER certificate, the first being the signer's. */
static result_t parse_certs(const unsigned char *p, size_t len, X509 **cert,
                            STACK_OF(X509) * *chain)
{
    size_t pos = 0;

    *cert = NULL;
    *chain = sk_X509_new_null();
    while (pos + 4 <= len) {
        size_t n = get_u32(p + pos);
        pos += 4;
        if (n > len - pos)
            break;
        const unsigned char *der = p + pos;
        X509 *x = d2i_X509(NULL, &der, (long)n);
        pos += n;
        if (!x)
            break;
        if (!*cert)
            *cert = x;
        else
            sk_X509_push(*chain, x);
    }
    ERR_clear_error();
    if (!*cert || pos != len) {
        X509_free(*cert);
        sk_X509_pop_free(*chain, X509_free);
        *cert = NULL;
        *chain = NULL;
        return RES_INVALID;
    }
    return RES_OK;
}

static result_t certs_exchange(struct signer *s, const void *key, size_t key_len, const char *pin,
                               X509 **cert, STACK_OF(X509) * *chain)
{
    unsigned char *reply;
    size_t len;
    result_t r = exchange(s, 'C', key, key_len, pin, NULL, 0, &reply, &len);
    if (r == RES_OK)
        r = parse_certs(reply, len, cert, chain);
    free(reply);
    return r;
}

result_t signer_sign_digest(struct signer *s, const char *key, const char *pin,
                            const unsigned char *digest, size_t digest_len, unsigned char **sig,
                            size_t *sig_len)
{
    *sig = NULL;
    *sig_len = 0;
    if (s->sealed)
        return RES_UNSUPPORTED;
    if (!key || strlen(key) > MAX_KEY_NAME)
        return RES_INVALID;
    return exchange(s, 'S', key, strlen(key), pin, digest, digest_len, sig, sig_len);
}

result_t signer_certs(struct signer *s, const char *key, const char *pin, X509 **cert,
                      STACK_OF(X509) * *chain)
{
    *cert = NULL;
    *chain = NULL;
    if (s->sealed)
        return RES_UNSUPPORTED;
    if (!key || strlen(key) > MAX_KEY_NAME)
        return RES_INVALID;
    return certs_exchange(s, key, strlen(key), pin, cert, chain);
}

static result_t check_sealed(const struct signer *s, const unsigned char *sealed, size_t sealed_len)
{
    if (!s->sealed)
        return RES_UNSUPPORTED;
    if (!sealed || sealed_len == 0)
        return RES_INVALID;
    return sealed_len > SIGNER_MAX_SEALED ? RES_TOO_LARGE : RES_OK;
}

result_t signer_sign_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len,
                            const char *pin, const unsigned char *digest, size_t digest_len,
                            unsigned char **sig, size_t *sig_len)
{
    result_t r = check_sealed(s, sealed, sealed_len);
    *sig = NULL;
    *sig_len = 0;
    if (r != RES_OK)
        return r;
    return exchange(s, 'S', sealed, sealed_len, pin, digest, digest_len, sig, sig_len);
}

result_t signer_certs_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len,
                             const char *pin, X509 **cert, STACK_OF(X509) * *chain)
{
    result_t r = check_sealed(s, sealed, sealed_len);
    *cert = NULL;
    *chain = NULL;
    if (r != RES_OK)
        return r;
    return certs_exchange(s, sealed, sealed_len, pin, cert, chain);
}

result_t signer_import_p12(struct signer *s, const unsigned char *p12, size_t len, const char *pin,
                           struct buf *sealed, X509 **cert, STACK_OF(X509) * *chain)
{
    unsigned char *reply = NULL;
    size_t reply_len = 0, n;
    result_t r;

    buf_init(sealed, SIGNER_MAX_SEALED);
    *cert = NULL;
    *chain = NULL;
    if (!s->sealed)
        return RES_UNSUPPORTED;
    if (!p12 || len == 0)
        return RES_INVALID;
    if (len > SIGNER_MAX_P12)
        return RES_TOO_LARGE;
    r = exchange(s, 'I', p12, len, pin, NULL, 0, &reply, &reply_len);
    if (r != RES_OK)
        goto out;
    r = RES_INVALID;
    if (reply_len < 4 || (n = get_u32(reply)) > reply_len - 4)
        goto out;
    r = parse_certs(reply + 4 + n, reply_len - 4 - n, cert, chain);
    if (r == RES_OK)
        r = buf_append(sealed, reply + 4, n);
out:
    free(reply);
    if (r != RES_OK) {
        X509_free(*cert);
        sk_X509_pop_free(*chain, X509_free);
        *cert = NULL;
        *chain = NULL;
        buf_release(sealed);
    }
    return r;
}

result_t signer_forget_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len)
{
    unsigned char id[32], *reply = NULL;
    size_t len = 0;
    result_t r = check_sealed(s, sealed, sealed_len);
    if (r != RES_OK)
        return r;
    SHA256(sealed, sealed_len, id);
    r = exchange(s, 'F', id, sizeof(id), "", NULL, 0, &reply, &len);
    free(reply);
    return r;
}

result_t signer_forget_all(struct signer *s)
{
    unsigned char *reply = NULL;
    size_t len = 0;
    result_t r = exchange(s, 'F', NULL, 0, "", NULL, 0, &reply, &len);
    free(reply);
    return r;
}

result_t signer_cache_stats(struct signer *s, struct signer_cache_stats *st)
{
    unsigned char *reply = NULL;
    size_t len = 0;
    result_t r = exchange(s, 'T', NULL, 0, "", NULL, 0, &reply, &len);
    memset(st, 0, sizeof(*st));
    if (r == RES_OK && len != 20)
        r = RES_INTERNAL;
    if (r == RES_OK) {
        st->entries = get_u32(reply);
        st->hits = get_u32(reply + 4);
        st->misses = get_u32(reply + 8);
        st->wrong_pin = get_u32(reply + 12);
        st->expired = get_u32(reply + 16);
    }
    free(reply);
    return r;
}

result_t signer_cms_sign(void *arg, const unsigned char digest[32], unsigned char **sig,
                         size_t *sig_len)
{
    struct signer_key *k = arg;
    if (k->sealed)
        return signer_sign_sealed(k->signer, k->sealed, k->sealed_len, k->pin, digest, 32, sig,
                                  sig_len);
    return signer_sign_digest(k->signer, k->key, k->pin, digest, 32, sig, sig_len);
}
