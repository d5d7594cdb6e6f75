/* Signer process: the parent side (framing, one lock per exchange) and the child loop
 * (load key, sign, wipe). The child handles one request at a time; signing is a few
 * milliseconds, so a single process serves an agency's signing load. */
#include "crypto/signer.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>

#include "crypto/keys.h"
#include "util/alloc.h"
#include "util/buf.h"

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
    unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    return write_all(fd, h, 4) == 0 ? write_all(fd, p, n) : -1;
}

/* Receives one frame into *out (xmalloc'ed); -1 on EOF, error or oversize. */
static int recv_frame(int fd, unsigned char **out, size_t *len)
{
    unsigned char h[4];
    *out = NULL;
    if (read_all(fd, h, 4) != 0)
        return -1;
    size_t n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
    if (n == 0 || n > SIGNER_MAX_FRAME)
        return -1;
    *out = xmalloc(n);
    if (read_all(fd, *out, n) != 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    *len = n;
    return 0;
}

/* ---- child ---- */

struct request {
    char op;
    char key[512];
    char pin[256];
    unsigned char digest[64];
    size_t digest_len;
};

static int take_field(const unsigned char **p, const unsigned char *end, void *dst, size_t cap,
                      size_t *len, int text)
{
    if (end - *p < 2)
        return -1;
    size_t n = (size_t)(*p)[0] << 8 | (*p)[1];
    *p += 2;
    if ((size_t)(end - *p) < n || n + (text ? 1 : 0) > cap)
        return -1;
    memcpy(dst, *p, n);
    if (text) {
        ((char *)dst)[n] = '\0';
        if (memchr(dst, '\0', n))
            return -1;
    }
    *p += n;
    if (len)
        *len = n;
    return 0;
}

static int parse_request(const unsigned char *p, size_t n, struct request *rq)
{
    const unsigned char *end = p + n;
    if (n < 1)
        return -1;
    rq->op = (char)*p++;
    if (take_field(&p, end, rq->key, sizeof(rq->key), NULL, 1) != 0 ||
        take_field(&p, end, rq->pin, sizeof(rq->pin), NULL, 1) != 0 ||
        take_field(&p, end, rq->digest, sizeof(rq->digest), &rq->digest_len, 0) != 0)
        return -1;
    return p == end ? 0 : -1;
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

static void append_cert(struct buf *b, X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    if (n > 0) {
        unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                              (unsigned char)(n >> 8), (unsigned char)n};
        buf_append(b, h, 4);
        buf_append(b, der, (size_t)n);
    }
    OPENSSL_free(der);
}

static void handle(const char *key_dir, struct request *rq, struct buf *reply)
{
    char path[4096];
    struct key_bundle kb;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    result_t r;

    key_bundle_init(&kb);
    r = key_path(key_dir, rq->key, path, sizeof(path));
    if (r == RES_OK && rq->op != 'S' && rq->op != 'C')
        r = RES_INVALID;
    if (r == RES_OK && rq->op == 'S' && rq->digest_len != 32)
        r = RES_INVALID;
    if (r == RES_OK)
        r = keys_load_p12(path, rq->pin, &kb);
    if (r == RES_OK && rq->op == 'S')
        r = keys_sign_digest(kb.key, rq->digest, rq->digest_len, &sig, &sig_len);
    buf_putc(reply, (char)r);
    if (r == RES_OK && rq->op == 'S')
        buf_append(reply, sig, sig_len);
    if (r == RES_OK && rq->op == 'C') {
        append_cert(reply, kb.cert);
        for (int i = 0; i < sk_X509_num(kb.chain); i++)
            append_cert(reply, sk_X509_value(kb.chain, i));
    }
    free(sig);
    key_bundle_release(&kb);
    secure_wipe(path, sizeof(path));
}

static void child_loop(int fd, const char *key_dir)
{
    for (;;) {
        unsigned char *frame;
        size_t len = 0;
        struct request rq;
        struct buf reply = BUF_INIT(SIGNER_MAX_FRAME);

        if (recv_frame(fd, &frame, &len) != 0)
            break;
        memset(&rq, 0, sizeof(rq));
        if (parse_request(frame, len, &rq) == 0)
            handle(key_dir, &rq, &reply);
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

/* ---- parent ---- */

void signer_init(struct signer *s)
{
    s->pid = -1;
    s->fd = -1;
    pthread_mutex_init(&s->lock, NULL);
}

result_t signer_start(struct signer *s, const char *key_dir)
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
        child_loop(3, key_dir);
        close(3);
        _exit(0);
    }
    close(sv[1]);
    s->pid = pid;
    s->fd = sv[0];
    return RES_OK;
}

void signer_release(struct signer *s)
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
    pthread_mutex_destroy(&s->lock);
}

static void put_field(struct buf *b, const void *p, size_t n)
{
    unsigned char h[2] = {(unsigned char)(n >> 8), (unsigned char)n};
    buf_append(b, h, 2);
    buf_append(b, p, n);
}

/* One exchange; *reply (xmalloc'ed) starts after the result byte. */
static result_t exchange(struct signer *s, char op, const char *key, const char *pin,
                         const unsigned char *digest, size_t digest_len, unsigned char **reply,
                         size_t *reply_len)
{
    struct buf rq = BUF_INIT(65536);
    unsigned char *frame = NULL;
    size_t len = 0;
    result_t r = RES_IO;

    *reply = NULL;
    *reply_len = 0;
    if (s->fd < 0)
        return RES_INTERNAL;
    if (!key || !pin || strlen(key) > 511 || strlen(pin) > 255 || digest_len > 64)
        return RES_INVALID;
    buf_putc(&rq, op);
    put_field(&rq, key, strlen(key));
    put_field(&rq, pin, strlen(pin));
    put_field(&rq, digest, digest_len);
    pthread_mutex_lock(&s->lock);
    if (send_frame(s->fd, rq.data, rq.len) == 0 && recv_frame(s->fd, &frame, &len) == 0) {
        r = (result_t)frame[0];
        if (r == RES_OK) {
            *reply_len = len - 1;
            *reply = xmalloc(len);
            memcpy(*reply, frame + 1, len - 1);
        }
    }
    pthread_mutex_unlock(&s->lock);
    secure_wipe(rq.data, rq.len);
    buf_release(&rq);
    free(frame);
    return r;
}

result_t signer_sign_digest(struct signer *s, const char *key, const char *pin,
                            const unsigned char *digest, size_t digest_len, unsigned char **sig,
                            size_t *sig_len)
{
    return exchange(s, 'S', key, pin, digest, digest_len, sig, sig_len);
}

result_t signer_certs(struct signer *s, const char *key, const char *pin, X509 **cert,
                      STACK_OF(X509) * *chain)
{
    unsigned char *reply;
    size_t len, pos = 0;
    result_t r = exchange(s, 'C', key, pin, NULL, 0, &reply, &len);

    *cert = NULL;
    *chain = NULL;
    if (r != RES_OK)
        return r;
    *chain = sk_X509_new_null();
    while (pos + 4 <= len) {
        size_t n = (size_t)reply[pos] << 24 | (size_t)reply[pos + 1] << 16 |
                   (size_t)reply[pos + 2] << 8 | reply[pos + 3];
        pos += 4;
        if (n > len - pos)
            break;
        const unsigned char *p = reply + pos;
        X509 *x = d2i_X509(NULL, &p, (long)n);
        pos += n;
        if (!x)
            break;
        if (!*cert)
            *cert = x;
        else
            sk_X509_push(*chain, x);
    }
    free(reply);
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

result_t signer_cms_sign(void *arg, const unsigned char digest[32], unsigned char **sig,
                         size_t *sig_len)
{
    struct signer_key *k = arg;
    return signer_sign_digest(k->signer, k->key, k->pin, digest, 32, sig, sig_len);
}
