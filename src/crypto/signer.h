/* The signer process (privilege separation after OpenBSD relayd's "ca" process): a
 * child forked at start-up opens PKCS#12 keys with the PIN of each request and signs a
 * digest; it wipes the key again, or in sealed mode keeps it a short time for the same
 * PIN (key cache, below). Request threads talk to it over a socketpair and never see a
 * private key. Call signer_start() or signer_start_sealed() before any
 * thread is created.
 *
 * Two modes, chosen at start:
 *   key_dir  (signer_start) a key is a file name inside key_dir (no '/', no leading
 *            '.'), or a path when the signer was started without key_dir (command line).
 *   sealed   (signer_start_sealed) a key is a sealed blob (crypto/keyseal.h): a PKCS#12
 *            encrypted under a master key that only the child reads, so the web server
 *            can keep people's keys in its database. signer_import_p12() makes blobs.
 * Calls of the other mode's functions give RES_UNSUPPORTED.
 *
 * Protocol, one request then one reply, each frame = u32 big-endian length + payload
 * (at most SIGNER_MAX_FRAME):
 *   request  u8 op, then three fields, each u32 big-endian length + bytes: key, PIN, data
 *            'H' ping (all fields empty): is the child ready? In sealed mode the answer
 *                is the result of reading or creating the master key.
 *            'C' certificates of key
 *            'S' sign data, a SHA-256 digest, with key
 *            'I' import (sealed mode only): key = the PKCS#12 bytes, data empty
 *            'F' forget cached keys: key = SHA-256 of a sealed blob, or empty for all
 *            'T' key cache statistics (all fields empty)
 *            key is a file name (key_dir mode) or a sealed blob (sealed mode, 'C' 'S').
 *   reply    u8 result_t; on RES_OK: 'H' 'F' nothing, 'S' the raw signature,
 *            'C' a list of u32 length + DER certificate, the signer's first,
 *            'I' u32 length + sealed blob, then the certificate list as for 'C',
 *            'T' five u32: entries, hits, misses, wrong PINs, expired.
 *
 * Key cache (sealed mode, issue 12). Opening a PKCS#12 (AES-GCM, then PBKDF2 for the
 * MAC and for each encrypted bag) costs several times the RSA signature itself. The
 * child keeps a key it opened for key_ttl seconds from that unlock (not extended by
 * use), keyed by the SHA-256 of the sealed blob, with a verifier of the PIN that opened
 * it: HMAC-SHA256 under a random per-process secret of (blob hash || PIN). A later
 * request for that blob is served from the cache only when its PIN gives the same
 * verifier (compared in constant time); any other PIN is RES_FORBIDDEN and drops the
 * entry, so a wrong PIN never signs and the next right one opens the PKCS#12 again. An
 * entry is wiped (EVP_PKEY_free, which cleanses the key, then the entry's memory) when
 * it expires (the child wakes up for it), on 'F' (the core sends it when a key is
 * revoked, locked by wrong PINs or refused), when full (the entry closest to expiry
 * makes room) and at exit (EOF on the socket, SIGTERM, SIGINT). key_ttl 0 disables
 * the cache; key_dir mode never caches. */
#ifndef QLVB_CRYPTO_SIGNER_H
#define QLVB_CRYPTO_SIGNER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <openssl/x509.h>

#include "crypto/keyseal.h"
#include "util/buf.h"
#include "util/result.h"

#define SIGNER_MAX_FRAME       (1u << 20)
#define SIGNER_MAX_P12         (256u << 10) /* largest PKCS#12 that can be imported */
#define SIGNER_MAX_SEALED      (SIGNER_MAX_P12 + KEYSEAL_OVERHEAD)
#define SIGNER_MAX_PIN         255
#define SIGNER_CACHE_MAX       256 /* unlocked keys held at once */
#define SIGNER_KEY_TTL_DEFAULT 300
#define SIGNER_KEY_TTL_MAX     3600

struct signer {
    pid_t pid;
    int fd;
    pthread_mutex_t lock; /* one exchange at a time on the socket */
    bool sealed;          /* started with signer_start_sealed() */
    int key_ttl;          /* seconds an unlocked key stays cached (0: never); set before
                             signer_start_sealed(), default SIGNER_KEY_TTL_DEFAULT */
};

struct signer_cache_stats {
    unsigned long entries, hits, misses, wrong_pin, expired;
};

void signer_init(struct signer *s);
result_t signer_start(struct signer *s, const char *key_dir);
/* Sealed mode. The child, not the caller, opens master_key_path and creates it when
 * missing (32 random bytes, O_EXCL, mode 0600; the directory must exist). An existing
 * file must be exactly 32 bytes with no group or other permission. Returns the child's
 * answer to a first ping: RES_OK, or RES_NOT_FOUND (no such directory), RES_FORBIDDEN
 * (group/other permissions), RES_INVALID (wrong size, not a regular file), RES_IO; on
 * failure the child is already gone (signer_release() is still to be called). */
result_t signer_start_sealed(struct signer *s, const char *master_key_path);
/* Closes the socket (the child exits on EOF, wiping the master key) and reaps it. */
void signer_release(struct signer *s);

/* key_dir mode. The certificate and chain that come with a key (RES_FORBIDDEN on a
 * wrong PIN). */
result_t signer_certs(struct signer *s, const char *key, const char *pin, X509 **cert,
                      STACK_OF(X509) * *chain);
/* Raw signature (RSA PKCS#1 v1.5 or ECDSA) of a SHA-256 digest; *sig is xmalloc'ed. */
result_t signer_sign_digest(struct signer *s, const char *key, const char *pin,
                            const unsigned char *digest, size_t digest_len, unsigned char **sig,
                            size_t *sig_len);

/* Sealed mode. Checks a PKCS#12 (up to SIGNER_MAX_P12 bytes) with its PIN and seals it:
 * RES_FORBIDDEN for a wrong PIN, RES_INVALID for a damaged file or one without a private
 * key matching its certificate. sealed is initialised here (like keys_read_file) and
 * holds the blob to store; cert and chain are the certificates that came with the key. */
result_t signer_import_p12(struct signer *s, const unsigned char *p12, size_t len, const char *pin,
                           struct buf *sealed, X509 **cert, STACK_OF(X509) * *chain);
/* As signer_sign_digest() and signer_certs() with a sealed blob for the key:
 * RES_INVALID when it is no sealed blob, RES_CRYPTO when it was altered or sealed under
 * another master key, RES_FORBIDDEN on a wrong PIN. */
result_t signer_sign_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len,
                            const char *pin, const unsigned char *digest, size_t digest_len,
                            unsigned char **sig, size_t *sig_len);
result_t signer_certs_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len,
                             const char *pin, X509 **cert, STACK_OF(X509) * *chain);

/* Sealed mode: wipes the cached key of that blob, if any (RES_OK either way). */
result_t signer_forget_sealed(struct signer *s, const unsigned char *sealed, size_t sealed_len);
/* Wipes every cached key. */
result_t signer_forget_all(struct signer *s);
/* Counters of the key cache since start, and the entries held now. */
result_t signer_cache_stats(struct signer *s, struct signer_cache_stats *st);

/* A cms_sign_fn over the signer process: arg is a struct signer_key. With sealed set
 * the key is that blob (sealed mode), else key names the file (key_dir mode). */
struct signer_key {
    struct signer *signer;
    const char *key;
    const char *pin;
    const unsigned char *sealed;
    size_t sealed_len;
};
result_t signer_cms_sign(void *arg, const unsigned char digest[32], unsigned char **sig,
                         size_t *sig_len);

#endif
