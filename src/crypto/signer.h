/* The signer process (privilege separation after OpenBSD relayd's "ca" process): a
 * child forked at start-up opens PKCS#12 keys with the PIN of each request, signs a
 * digest and wipes the key again; request threads talk to it over a socketpair and
 * never see a private key. Call signer_start() before any thread is created.
 *
 * Protocol, one request then one reply, each frame = u32 big-endian length + payload:
 *   request  u8 op ('C' certificates, 'S' sign a SHA-256 digest)
 *            then three fields, each u16 big-endian length + bytes: key, PIN, digest
 *   reply    u8 result_t; on RES_OK: 'S' the raw signature,
 *            'C' a list of u32 length + DER certificate, the signer's first.
 * A key is a file name inside key_dir (no '/', no leading '.'), or a path when the
 * signer was started without key_dir (command line use). */
#ifndef QLVB_CRYPTO_SIGNER_H
#define QLVB_CRYPTO_SIGNER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <openssl/x509.h>

#include "util/result.h"

#define SIGNER_MAX_FRAME (1u << 20)

struct signer {
    pid_t pid;
    int fd;
    pthread_mutex_t lock; /* one exchange at a time on the socket */
};

void signer_init(struct signer *s);
result_t signer_start(struct signer *s, const char *key_dir);
/* Closes the socket (the child exits on EOF) and reaps the child. */
void signer_release(struct signer *s);

/* The certificate and chain that come with a key (RES_FORBIDDEN on a wrong PIN). */
result_t signer_certs(struct signer *s, const char *key, const char *pin, X509 **cert,
                      STACK_OF(X509) * *chain);
/* Raw signature (RSA PKCS#1 v1.5 or ECDSA) of a SHA-256 digest; *sig is xmalloc'ed. */
result_t signer_sign_digest(struct signer *s, const char *key, const char *pin,
                            const unsigned char *digest, size_t digest_len, unsigned char **sig,
                            size_t *sig_len);

/* A cms_sign_fn over the signer process: arg is a struct signer_key. */
struct signer_key {
    struct signer *signer;
    const char *key;
    const char *pin;
};
result_t signer_cms_sign(void *arg, const unsigned char digest[32], unsigned char **sig,
                         size_t *sig_len);

#endif
