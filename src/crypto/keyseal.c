/* Sealing PKCS#12 bytes at rest: the master key file (created once, 0600, never
 * group or other accessible) and AES-256-GCM with a random 96-bit nonce per blob.
 * Decrypted bytes go into buffers allocated here, wiped on every failure path. */
#include "crypto/keyseal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/alloc.h"

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads up to cap bytes (stops early only at end of file); -1 on error. */
static ssize_t read_upto(int fd, unsigned char *p, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t r = read(fd, p + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* A new key file must survive a power cut: losing it loses every sealed key. */
static result_t sync_parent_dir(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    const char *name = ".";
    result_t r = RES_IO;
    int fd;

    if (slash == dir)
        name = "/";
    else if (slash) {
        *slash = '\0';
        name = dir;
    }
    fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        if (fsync(fd) == 0)
            r = RES_OK;
        close(fd);
    }
    free(dir);
    return r;
}

/* RES_NOT_FOUND when there is no file (the caller then creates one). */
static result_t read_master(const char *path, unsigned char key[KEYSEAL_KEY_LEN])
{
    unsigned char tmp[KEYSEAL_KEY_LEN + 1];
    struct stat st;
    result_t r = RES_IO;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    if (fstat(fd, &st) != 0)
        goto out;
    r = RES_INVALID;
    if (!S_ISREG(st.st_mode))
        goto out;
    /* Group or other access of any kind: someone else could read or replace it. */
    r = RES_FORBIDDEN;
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        goto out;
    r = RES_INVALID;
    if (st.st_size != KEYSEAL_KEY_LEN)
        goto out;
    n = read_upto(fd, tmp, sizeof(tmp));
    if (n < 0)
        r = RES_IO;
    else if (n == KEYSEAL_KEY_LEN) {
        memcpy(key, tmp, KEYSEAL_KEY_LEN);
        r = RES_OK;
    }
out:
    secure_wipe(tmp, sizeof(tmp));
    close(fd);
    return r;
}

/* RES_CONFLICT when the file appeared meanwhile (another server starting). */
/* Writes a new key to a private temporary file, then link()s it to `path`: the name
 * appears only with all 32 bytes on disk, so a second node starting at the same moment
 * reads either no file or the whole key (link fails with EEXIST if it lost the race). */
static result_t create_master(const char *path, unsigned char key[KEYSEAL_KEY_LEN])
{
    char tmp[4096];
    result_t r = RES_IO;
    unsigned char salt[8];
    if (RAND_bytes(salt, sizeof(salt)) != 1)
        return RES_CRYPTO;
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", path, salt[0],
                     salt[1], salt[2], salt[3], salt[4], salt[5], salt[6], salt[7]);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return RES_INVALID;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    if (RAND_bytes(key, KEYSEAL_KEY_LEN) != 1)
        r = RES_CRYPTO;
    else if (write_all(fd, key, KEYSEAL_KEY_LEN) == 0 && fsync(fd) == 0)
        r = RES_OK;
    if (close(fd) != 0 && r == RES_OK)
        r = RES_IO;
    if (r == RES_OK && link(tmp, path) != 0)
        r = errno == EEXIST ? RES_CONFLICT : RES_IO;
    unlink(tmp); /* never leave a temporary key file behind */
    if (r == RES_OK)
        r = sync_parent_dir(path);
    return r;
}

result_t keyseal_load_master(const char *path, unsigned char key[KEYSEAL_KEY_LEN])
{
    result_t r = read_master(path, key);
    if (r == RES_NOT_FOUND) {
        r = create_master(path, key);
        if (r == RES_CONFLICT)
            r = read_master(path, key);
    }
    if (r != RES_OK)
        secure_wipe(key, KEYSEAL_KEY_LEN);
    return r;
}

result_t keyseal_seal(const unsigned char key[KEYSEAL_KEY_LEN], const unsigned char *plain,
                      size_t len, unsigned char **sealed, size_t *sealed_len)
{
    result_t r = RES_CRYPTO;
    EVP_CIPHER_CTX *ctx = NULL;
    unsigned char *out, *nonce, *tag, *ct;
    int n = 0, fin = 0;

    *sealed = NULL;
    *sealed_len = 0;
    if (len == 0 || len > KEYSEAL_MAX_PLAIN)
        return RES_INVALID;
    out = xmalloc(KEYSEAL_OVERHEAD + len);
    nonce = out + KEYSEAL_MAGIC_LEN;
    tag = nonce + KEYSEAL_NONCE_LEN;
    ct = tag + KEYSEAL_TAG_LEN;
    memcpy(out, KEYSEAL_MAGIC, KEYSEAL_MAGIC_LEN);
    if (RAND_bytes(nonce, KEYSEAL_NONCE_LEN) != 1)
        goto out;
    ctx = EVP_CIPHER_CTX_new();
    if (!ctx || EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) != 1 ||
        EVP_EncryptUpdate(ctx, NULL, &n, out, KEYSEAL_MAGIC_LEN) != 1 ||
        EVP_EncryptUpdate(ctx, ct, &n, plain, (int)len) != 1 ||
        EVP_EncryptFinal_ex(ctx, ct + n, &fin) != 1 || (size_t)n + (size_t)fin != len ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, KEYSEAL_TAG_LEN, tag) != 1)
        goto out;
    *sealed = out;
    *sealed_len = KEYSEAL_OVERHEAD + len;
    out = NULL;
    r = RES_OK;
out:
    EVP_CIPHER_CTX_free(ctx); /* cleanses the key schedule */
    free(out);
    ERR_clear_error();
    return r;
}

result_t keyseal_open(const unsigned char key[KEYSEAL_KEY_LEN], const unsigned char *sealed,
                      size_t sealed_len, unsigned char **plain, size_t *plain_len)
{
    result_t r = RES_CRYPTO;
    EVP_CIPHER_CTX *ctx = NULL;
    const unsigned char *nonce, *ct;
    unsigned char tag[KEYSEAL_TAG_LEN], *out = NULL;
    size_t len;
    int n = 0, fin = 0;

    *plain = NULL;
    *plain_len = 0;
    if (sealed_len <= KEYSEAL_OVERHEAD || memcmp(sealed, KEYSEAL_MAGIC, KEYSEAL_MAGIC_LEN) != 0)
        return RES_INVALID;
    len = sealed_len - KEYSEAL_OVERHEAD;
    if (len > KEYSEAL_MAX_PLAIN)
        return RES_TOO_LARGE;
    nonce = sealed + KEYSEAL_MAGIC_LEN;
    memcpy(tag, nonce + KEYSEAL_NONCE_LEN, KEYSEAL_TAG_LEN); /* ctrl wants a writable tag */
    ct = nonce + KEYSEAL_NONCE_LEN + KEYSEAL_TAG_LEN;
    out = xmalloc(len);
    ctx = EVP_CIPHER_CTX_new();
    if (!ctx || EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) != 1 ||
        EVP_DecryptUpdate(ctx, NULL, &n, sealed, KEYSEAL_MAGIC_LEN) != 1 ||
        EVP_DecryptUpdate(ctx, out, &n, ct, (int)len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, KEYSEAL_TAG_LEN, tag) != 1 ||
        EVP_DecryptFinal_ex(ctx, out + n, &fin) != 1 || (size_t)n + (size_t)fin != len)
        goto out;
    *plain = out;
    *plain_len = len;
    out = NULL;
    r = RES_OK;
out:
    EVP_CIPHER_CTX_free(ctx);
    if (out) {
        secure_wipe(out, len); /* unauthenticated plaintext */
        free(out);
    }
    ERR_clear_error();
    return r;
}
