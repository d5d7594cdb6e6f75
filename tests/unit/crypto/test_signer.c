/* Signer process: certificates and signatures over the socketpair, wrong PIN and key
 * ids outside the key directory refused, the child gone after release; sealed mode:
 * the master key file, import, signing with a sealed blob, tampering and other keys, and
 * the cache of unlocked keys. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "check.h"
#include "crypto/cms.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/signer.h"
#include "util/alloc.h"

TEST(signer_roundtrip)
{
    struct signer s;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    unsigned char digest[32], *sig = NULL;
    size_t sig_len = 0;

    signer_init(&s);
    CHECK_INT(signer_start(&s, pki_dir()), RES_OK);
    CHECK_INT(signer_certs(&s, "person.p12", "123456", &cert, &chain), RES_OK);
    CHECK(cert != NULL);
    CHECK_INT(sk_X509_num(chain), 2);

    memset(digest, 7, sizeof(digest));
    CHECK_INT(signer_sign_digest(&s, "person.p12", "123456", digest, 32, &sig, &sig_len), RES_OK);
    CHECK_INT(sig_len, 256);
    /* The signature verifies with the certificate's public key. */
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(X509_get0_pubkey(cert), NULL);
    CHECK(EVP_PKEY_verify_init(pctx) == 1);
    CHECK(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1);
    CHECK_INT(EVP_PKEY_verify(pctx, sig, sig_len, digest, 32), 1);
    EVP_PKEY_CTX_free(pctx);
    free(sig);

    CHECK_INT(signer_sign_digest(&s, "person.p12", "000000", digest, 32, &sig, &sig_len),
              RES_FORBIDDEN);
    CHECK_INT(signer_sign_digest(&s, "../etc/passwd", "x", digest, 32, &sig, &sig_len),
              RES_FORBIDDEN);
    CHECK_INT(signer_sign_digest(&s, "nope.p12", "x", digest, 32, &sig, &sig_len), RES_NOT_FOUND);
    CHECK_INT(signer_sign_digest(&s, "person.p12", "123456", digest, 20, &sig, &sig_len),
              RES_INVALID);

    /* A whole CMS through the signer process, verified. */
    struct signer_key sk = {.signer = &s, .key = "agency.p12", .pin = "123456"};
    X509 *acert;
    STACK_OF(X509) * achain;
    struct buf der = BUF_INIT(1 << 20);
    struct cms_check cc;
    struct cms_range range = {0, 5};
    EVP_Digest("hello", 5, digest, NULL, EVP_sha256(), NULL);
    CHECK_INT(signer_certs(&s, "agency.p12", "123456", &acert, &achain), RES_OK);
    CHECK_INT(cms_sign_digest(acert, achain, digest, signer_cms_sign, &sk, &der), RES_OK);
    cms_verify_detached((unsigned char *)der.data, der.len, (const unsigned char *)"hello", &range,
                        1, &cc);
    CHECK(cc.parsed && cc.digest_ok && cc.signature_ok && cc.ess_ok);
    cms_check_release(&cc);
    buf_release(&der);
    X509_free(acert);
    sk_X509_pop_free(achain, X509_free);

    /* A dead signer gives an I/O error, not a hang or a crash. */
    struct signer dead;
    signer_init(&dead);
    CHECK_INT(signer_start(&dead, pki_dir()), RES_OK);
    kill(dead.pid, SIGKILL);
    CHECK_INT(signer_sign_digest(&dead, "person.p12", "123456", digest, 32, &sig, &sig_len),
              RES_IO);
    signer_release(&dead);

    pid_t pid = s.pid;
    signer_release(&s);
    CHECK(kill(pid, 0) != 0); /* reaped */
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
}

TEST(signer_by_path)
{
    struct signer s;
    unsigned char digest[32] = {1}, *sig = NULL;
    size_t sig_len = 0;
    signer_init(&s);
    CHECK_INT(signer_start(&s, NULL), RES_OK);
    CHECK_INT(signer_sign_digest(&s, pki_path("revoked.p12"), "123456", digest, 32, &sig, &sig_len),
              RES_OK);
    free(sig);
    signer_release(&s);
}

/* ---- sealed mode ---- */

static char seal_dir_[64];

/* A file name in a temporary directory of this test binary. */
static const char *seal_path(const char *name)
{
    static char paths[4][128];
    static int slot;
    char *p = paths[slot++ % 4];
    if (!seal_dir_[0]) {
        snprintf(seal_dir_, sizeof(seal_dir_), "/tmp/qlvb-seal-XXXXXX");
        if (!mkdtemp(seal_dir_)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    snprintf(p, 128, "%s/%s", seal_dir_, name);
    return p;
}

static void seal_cleanup(void)
{
    char cmd[128];
    if (seal_dir_[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", seal_dir_);
        if (system(cmd) != 0)
            fprintf(stderr, "cleanup of %s failed\n", seal_dir_);
    }
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, data, len), len);
    close(fd);
    CHECK_INT(chmod(path, mode), 0);
}

static int sig_verifies(X509 *cert, const unsigned char *digest, const unsigned char *sig,
                        size_t sig_len)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(X509_get0_pubkey(cert), NULL);
    int ok = pctx && EVP_PKEY_verify_init(pctx) == 1 &&
             EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1 &&
             EVP_PKEY_verify(pctx, sig, sig_len, digest, 32) == 1;
    EVP_PKEY_CTX_free(pctx);
    return ok;
}

static const char *common_name(X509 *x, char *out, int size)
{
    out[0] = '\0';
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, out, size);
    return out;
}

TEST(signer_sealed_master_key)
{
    struct signer s;
    struct stat st;
    unsigned char first[32], again[32], junk[33] = {0};
    const char *path = seal_path("master.key");
    int fd;

    /* Created by the child: 32 random bytes, mode 0600. */
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, path), RES_OK);
    signer_release(&s);
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 07777, 0600);
    CHECK_INT(st.st_size, 32);
    fd = open(path, O_RDONLY);
    CHECK_INT(read(fd, first, 32), 32);
    close(fd);

    /* Read, not replaced, on the next start. */
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, path), RES_OK);
    signer_release(&s);
    fd = open(path, O_RDONLY);
    CHECK_INT(read(fd, again, 32), 32);
    close(fd);
    CHECK(memcmp(first, again, 32) == 0);

    /* Refused: group-readable, group-writable, short, long, a directory, no directory.
     * The child is gone each time. */
    chmod(path, 0640);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, path), RES_FORBIDDEN);
    CHECK_INT(s.pid, -1);
    signer_release(&s);
    chmod(path, 0620);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, path), RES_FORBIDDEN);
    signer_release(&s);

    write_file(seal_path("short.key"), junk, 31, 0600);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("short.key")), RES_INVALID);
    CHECK_INT(s.pid, -1);
    signer_release(&s);
    write_file(seal_path("long.key"), junk, 33, 0600);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("long.key")), RES_INVALID);
    signer_release(&s);
    CHECK_INT(mkdir(seal_path("dir.key"), 0700), 0);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("dir.key")), RES_INVALID);
    signer_release(&s);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("no-such-dir/master.key")), RES_NOT_FOUND);
    signer_release(&s);
    CHECK(access(seal_path("no-such-dir"), F_OK) != 0); /* not created */
}

TEST(signer_sealed_roundtrip)
{
    struct signer s, other, shared, plain;
    struct buf p12, blob, blob2;
    X509 *cert = NULL, *cert2 = NULL;
    STACK_OF(X509) *chain = NULL, *chain2 = NULL;
    unsigned char digest[32], *sig = NULL;
    size_t sig_len = 0;
    char cn[128];

    CHECK_INT(keys_read_file(pki_path("person.p12"), KEYS_MAX_FILE, &p12), RES_OK);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("a.key")), RES_OK);

    /* Import: the blob starts with the magic, holds none of the PKCS#12 bytes in the
     * clear, and the certificates come back. */
    CHECK_INT(
        signer_import_p12(&s, (unsigned char *)p12.data, p12.len, "123456", &blob, &cert, &chain),
        RES_OK);
    CHECK_INT(blob.len, p12.len + 34);
    CHECK(memcmp(blob.data, "QLVBK1", 6) == 0);
    for (size_t i = 0; i + 16 <= p12.len; i += 16)
        CHECK(memmem(blob.data, blob.len, p12.data + i, 16) == NULL);
    CHECK_STR(common_name(cert, cn, sizeof(cn)), "Nguyễn Văn An");
    CHECK_INT(sk_X509_num(chain), 2);

    /* The same PKCS#12 sealed twice gives two different blobs (random nonce). */
    CHECK_INT(signer_import_p12(&s, (unsigned char *)p12.data, p12.len, "123456", &blob2, &cert2,
                                &chain2),
              RES_OK);
    CHECK(blob2.len == blob.len && memcmp(blob.data, blob2.data, blob.len) != 0);
    X509_free(cert2);
    sk_X509_pop_free(chain2, X509_free);
    buf_release(&blob2);

    /* Sign with the blob; the signature verifies with the imported certificate. */
    memset(digest, 9, sizeof(digest));
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", digest, 32,
                                 &sig, &sig_len),
              RES_OK);
    CHECK(sig_verifies(cert, digest, sig, sig_len));
    free(sig);
    CHECK_INT(
        signer_certs_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", &cert2, &chain2),
        RES_OK);
    CHECK(cert2 && X509_cmp(cert, cert2) == 0);
    CHECK_INT(sk_X509_num(chain2), 2);
    X509_free(cert2);
    sk_X509_pop_free(chain2, X509_free);

    /* Wrong PIN, damaged or oversized PKCS#12. */
    CHECK_INT(signer_import_p12(&s, (unsigned char *)p12.data, p12.len, "000000", &blob2, &cert2,
                                &chain2),
              RES_FORBIDDEN);
    CHECK(blob2.len == 0 && cert2 == NULL && chain2 == NULL);
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len, "000000", digest, 32,
                                 &sig, &sig_len),
              RES_FORBIDDEN);
    CHECK_INT(signer_import_p12(&s, (unsigned char *)p12.data, p12.len / 2, "123456", &blob2,
                                &cert2, &chain2),
              RES_INVALID);
    CHECK_INT(signer_import_p12(&s, (const unsigned char *)"not a PKCS#12", 13, "123456", &blob2,
                                &cert2, &chain2),
              RES_INVALID);
    unsigned char *big = xcalloc(1, SIGNER_MAX_P12 + 1);
    CHECK_INT(signer_import_p12(&s, big, SIGNER_MAX_P12 + 1, "123456", &blob2, &cert2, &chain2),
              RES_TOO_LARGE);
    free(big);
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", digest, 20,
                                 &sig, &sig_len),
              RES_INVALID);

    /* One flipped byte anywhere after the magic: nonce, tag, first and last byte of the
     * ciphertext. In the magic, or cut short: not a sealed blob. */
    size_t flips[] = {6, 6 + 12, 34, blob.len - 1};
    for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
        blob.data[flips[i]] ^= 0x01;
        CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", digest, 32,
                                     &sig, &sig_len),
                  RES_CRYPTO);
        blob.data[flips[i]] ^= 0x01;
    }
    blob.data[0] ^= 0x01;
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", digest, 32,
                                 &sig, &sig_len),
              RES_INVALID);
    blob.data[0] ^= 0x01;
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, 34, "123456", digest, 32, &sig,
                                 &sig_len),
              RES_INVALID);
    CHECK_INT(signer_sign_sealed(&s, (unsigned char *)blob.data, blob.len - 1, "123456", digest, 32,
                                 &sig, &sig_len),
              RES_CRYPTO);

    /* File-name keys are refused in sealed mode. */
    CHECK_INT(signer_sign_digest(&s, "person.p12", "123456", digest, 32, &sig, &sig_len),
              RES_UNSUPPORTED);
    CHECK_INT(signer_certs(&s, "person.p12", "123456", &cert2, &chain2), RES_UNSUPPORTED);

    /* Another installation (another master key) cannot open the blob; a server sharing
     * the master key file can. */
    signer_init(&other);
    CHECK_INT(signer_start_sealed(&other, seal_path("b.key")), RES_OK);
    CHECK_INT(signer_sign_sealed(&other, (unsigned char *)blob.data, blob.len, "123456", digest, 32,
                                 &sig, &sig_len),
              RES_CRYPTO);
    signer_release(&other);
    signer_init(&shared);
    CHECK_INT(signer_start_sealed(&shared, seal_path("a.key")), RES_OK);
    CHECK_INT(signer_sign_sealed(&shared, (unsigned char *)blob.data, blob.len, "123456", digest,
                                 32, &sig, &sig_len),
              RES_OK);
    free(sig);
    signer_release(&shared);

    /* Sealed calls on a key_dir signer are refused. */
    signer_init(&plain);
    CHECK_INT(signer_start(&plain, pki_dir()), RES_OK);
    CHECK_INT(signer_sign_sealed(&plain, (unsigned char *)blob.data, blob.len, "123456", digest, 32,
                                 &sig, &sig_len),
              RES_UNSUPPORTED);
    CHECK_INT(signer_certs_sealed(&plain, (unsigned char *)blob.data, blob.len, "123456", &cert2,
                                  &chain2),
              RES_UNSUPPORTED);
    CHECK_INT(signer_import_p12(&plain, (unsigned char *)p12.data, p12.len, "123456", &blob2,
                                &cert2, &chain2),
              RES_UNSUPPORTED);
    struct signer_key wrong_mode = {&plain, NULL, "123456", (unsigned char *)blob.data, blob.len};
    CHECK_INT(signer_cms_sign(&wrong_mode, digest, &sig, &sig_len), RES_UNSUPPORTED);
    signer_release(&plain);

    pid_t pid = s.pid;
    signer_release(&s);
    CHECK(kill(pid, 0) != 0);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    buf_release(&blob);
    secure_wipe(p12.data, p12.len);
    buf_release(&p12);
}

TEST(signer_sealed_cms)
{
    struct signer s;
    struct buf p12, blob, der = BUF_INIT(1 << 20);
    X509 *cert;
    STACK_OF(X509) * chain;
    struct cms_check cc;
    struct cms_range range = {0, 5};
    unsigned char digest[32];

    CHECK_INT(keys_read_file(pki_path("agency.p12"), KEYS_MAX_FILE, &p12), RES_OK);
    signer_init(&s);
    CHECK_INT(signer_start_sealed(&s, seal_path("a.key")), RES_OK);
    CHECK_INT(
        signer_import_p12(&s, (unsigned char *)p12.data, p12.len, "123456", &blob, &cert, &chain),
        RES_OK);
    struct signer_key sk = {&s, NULL, "123456", (unsigned char *)blob.data, blob.len};
    EVP_Digest("hello", 5, digest, NULL, EVP_sha256(), NULL);
    CHECK_INT(cms_sign_digest(cert, chain, digest, signer_cms_sign, &sk, &der), RES_OK);
    cms_verify_detached((unsigned char *)der.data, der.len, (const unsigned char *)"hello", &range,
                        1, &cc);
    CHECK(cc.parsed && cc.digest_ok && cc.signature_ok && cc.ess_ok);
    cms_check_release(&cc);

    buf_release(&der);
    buf_release(&blob);
    buf_release(&p12);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    signer_release(&s);
}

static struct signer_cache_stats stats_of(struct signer *s)
{
    struct signer_cache_stats st;
    CHECK_INT(signer_cache_stats(s, &st), RES_OK);
    return st;
}

static result_t sign_blob(struct signer *s, const struct buf *blob, const char *pin, X509 *cert)
{
    unsigned char digest[32], *sig = NULL;
    size_t sig_len = 0;
    memset(digest, 5, sizeof(digest));
    result_t r = signer_sign_sealed(s, (unsigned char *)blob->data, blob->len, pin, digest, 32,
                                    &sig, &sig_len);
    if (r == RES_OK)
        CHECK(sig_verifies(cert, digest, sig, sig_len));
    free(sig);
    return r;
}

/* Issue 12, the key cache of signer.h: a key opened with its PIN is served again for
 * that PIN only, until its TTL, and is wiped on a wrong PIN, on request and at expiry;
 * TTL 0 caches nothing. */
TEST(signer_key_cache)
{
    struct signer s, nocache;
    struct buf p12, p12b, blob, blob2;
    X509 *cert = NULL, *cert2 = NULL;
    STACK_OF(X509) *chain = NULL, *chain2 = NULL;
    struct signer_cache_stats st;

    CHECK_INT(keys_read_file(pki_path("person.p12"), KEYS_MAX_FILE, &p12), RES_OK);
    CHECK_INT(keys_read_file(pki_path("agency.p12"), KEYS_MAX_FILE, &p12b), RES_OK);
    signer_init(&s);
    CHECK_INT(s.key_ttl, SIGNER_KEY_TTL_DEFAULT);
    s.key_ttl = 1;
    CHECK_INT(signer_start_sealed(&s, seal_path("c.key")), RES_OK);
    CHECK_INT(
        signer_import_p12(&s, (unsigned char *)p12.data, p12.len, "123456", &blob, &cert, &chain),
        RES_OK);
    CHECK_INT(signer_import_p12(&s, (unsigned char *)p12b.data, p12b.len, "123456", &blob2, &cert2,
                                &chain2),
              RES_OK);
    st = stats_of(&s);
    CHECK_INT(st.entries, 0); /* importing checks the PIN but caches nothing */

    /* A wrong PIN first: refused by the PKCS#12 itself, nothing cached. */
    CHECK_INT(sign_blob(&s, &blob, "000000", cert), RES_FORBIDDEN);
    st = stats_of(&s);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.misses, 1);

    /* Unlock, then a hit: same signature key, the PKCS#12 is not opened again. */
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    st = stats_of(&s);
    CHECK_INT(st.entries, 1);
    CHECK_INT(st.misses, 2);
    CHECK_INT(st.hits, 1);

    /* Wrong PINs are never served from the cache, prefixes and extensions of the PIN
     * included, and the first one wipes the entry. */
    CHECK_INT(sign_blob(&s, &blob, "12345", cert), RES_FORBIDDEN);
    st = stats_of(&s);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.wrong_pin, 1);
    CHECK_INT(st.hits, 1);
    CHECK_INT(sign_blob(&s, &blob, "1234567", cert), RES_FORBIDDEN); /* miss: PKCS#12 says no */
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(sign_blob(&s, &blob, "1234567", cert), RES_FORBIDDEN); /* hit: verifier says no */
    CHECK_INT(sign_blob(&s, &blob, "", cert), RES_FORBIDDEN);
    st = stats_of(&s);
    CHECK_INT(st.hits, 1);
    CHECK_INT(st.wrong_pin, 2);
    CHECK_INT(st.entries, 0);

    /* Two keys with the same PIN are two entries; the certificates come from the cache
     * too; forgetting one blob leaves the other. */
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(sign_blob(&s, &blob2, "123456", cert2), RES_OK);
    CHECK_INT(sign_blob(&s, &blob2, "123456", cert2), RES_OK);
    X509 *c3 = NULL;
    STACK_OF(X509) *ch3 = NULL;
    CHECK_INT(signer_certs_sealed(&s, (unsigned char *)blob.data, blob.len, "123456", &c3, &ch3),
              RES_OK);
    CHECK(c3 && X509_cmp(c3, cert) == 0);
    X509_free(c3);
    sk_X509_pop_free(ch3, X509_free);
    st = stats_of(&s);
    CHECK_INT(st.entries, 2);
    CHECK_INT(st.hits, 3);
    CHECK_INT(signer_forget_sealed(&s, (unsigned char *)blob.data, blob.len), RES_OK);
    st = stats_of(&s);
    CHECK_INT(st.entries, 1);
    unsigned long misses = st.misses;
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(stats_of(&s).misses, misses + 1); /* opened again */
    CHECK_INT(signer_forget_all(&s), RES_OK);
    CHECK_INT(stats_of(&s).entries, 0);

    /* After the TTL (1 s here) the key is gone without any request (the child wakes
     * up for it) and the next signature opens the PKCS#12 again. */
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(stats_of(&s).entries, 1);
    unsigned long expired = stats_of(&s).expired;
    usleep(1300 * 1000);
    st = stats_of(&s);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.expired, expired + 1);
    misses = st.misses;
    CHECK_INT(sign_blob(&s, &blob, "123456", cert), RES_OK);
    CHECK_INT(stats_of(&s).misses, misses + 1);
    CHECK_INT(signer_forget_sealed(&s, NULL, 0), RES_INVALID);
    signer_release(&s);

    /* TTL 0: nothing is kept. */
    signer_init(&nocache);
    nocache.key_ttl = 0;
    CHECK_INT(signer_start_sealed(&nocache, seal_path("c.key")), RES_OK);
    CHECK_INT(sign_blob(&nocache, &blob, "123456", cert), RES_OK);
    CHECK_INT(sign_blob(&nocache, &blob, "123456", cert), RES_OK);
    CHECK_INT(sign_blob(&nocache, &blob, "000000", cert), RES_FORBIDDEN);
    st = stats_of(&nocache);
    CHECK_INT(st.entries, 0);
    CHECK_INT(st.hits, 0);
    signer_release(&nocache);

    X509_free(cert);
    X509_free(cert2);
    sk_X509_pop_free(chain, X509_free);
    sk_X509_pop_free(chain2, X509_free);
    buf_release(&blob);
    buf_release(&blob2);
    secure_wipe(p12.data, p12.len);
    buf_release(&p12);
    secure_wipe(p12b.data, p12b.len);
    buf_release(&p12b);
}

int main(void)
{
    RUN(signer_roundtrip);
    RUN(signer_by_path);
    RUN(signer_sealed_master_key);
    RUN(signer_sealed_roundtrip);
    RUN(signer_sealed_cms);
    RUN(signer_key_cache);
    seal_cleanup();
    pki_cleanup();
    return CHECK_DONE("test_signer");
}
